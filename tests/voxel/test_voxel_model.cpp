#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/voxel/voxel_model.hpp"

namespace fs = std::filesystem;

namespace orevox {
namespace {

// A box that is not a multiple of OpenVDB's 8^3 leaves, with anisotropic voxels.
VolumeSpec oddSpec() {
  VolumeSpec s;
  s.nx = 13;
  s.ny = 7;
  s.nz = 11;
  s.origin = {500000.0, 7000000.0, -400.0};
  s.spacing = {10.0, 20.0, 5.0};
  s.crsWkt = "PROJCRS[\"GDA94 / MGA zone 50\",\n  BASEGEOGCRS[\"GDA94\"]]";
  return s;
}

std::vector<float> randomValues(std::size_t n, std::uint64_t seed) {
  Rng rng = makeRng(seed);
  std::uniform_real_distribution<float> u(-50.0f, 50.0f);
  std::vector<float> v(n);
  for (auto& x : v) x = u(rng);
  return v;
}

// A folder under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("orevox_voxel_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::size_t countFiles(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    (void)e;
    ++n;
  }
  return n;
}

TEST(VoxelModel, DenseRoundTripAllActive) {
  const VolumeSpec spec = oddSpec();
  VoxelModel m(spec);
  const auto values = randomValues(spec.size(), 1);
  m.setChannel("Au", values, nullptr, "ppb", -1.0f);
  EXPECT_EQ(m.activeVoxelCount("Au"), spec.size());
  EXPECT_EQ(m.denseChannel("Au"), values);
  EXPECT_EQ(m.units("Au"), "ppb");
  EXPECT_EQ(m.background("Au"), -1.0f);
  for (std::size_t k = 0; k < spec.nz; ++k) {
    for (std::size_t j = 0; j < spec.ny; ++j) {
      for (std::size_t i = 0; i < spec.nx; ++i) {
        ASSERT_EQ(m.value("Au", long(i), long(j), long(k)), values[spec.index(i, j, k)]);
        ASSERT_TRUE(m.isActive("Au", long(i), long(j), long(k)));
      }
    }
  }
  // Outside the box: background, inactive.
  EXPECT_EQ(m.value("Au", -1, 0, 0), -1.0f);
  EXPECT_EQ(m.value("Au", 0, long(spec.ny), 0), -1.0f);
  EXPECT_FALSE(m.isActive("Au", 0, 0, long(spec.nz)));
  const auto mask = m.activeMask("Au");
  EXPECT_EQ(std::count(mask.begin(), mask.end(), 1), long(spec.size()));
}

TEST(VoxelModel, FromDenseToDenseKeepsChannelsAndUnits) {
  DenseVolume dense(oddSpec());
  dense.addChannel("Au", 0.0f, "ppb").values = randomValues(dense.spec().size(), 2);
  dense.addChannel("lith", 3.0f);
  const VoxelModel m = VoxelModel::fromDense(dense);
  EXPECT_EQ(m.channelNames(), (std::vector<std::string>{"Au", "lith"}));
  const DenseVolume back = m.toDense();
  ASSERT_EQ(back.channelCount(), 2u);
  EXPECT_TRUE(back.spec().sameGrid(dense.spec()));
  EXPECT_EQ(back.channel("Au").values, dense.channel("Au").values);
  EXPECT_EQ(back.channel("Au").units, "ppb");
  EXPECT_EQ(back.channel("lith").values, dense.channel("lith").values);
  const DenseVolume one = m.toDense({"lith"});
  ASSERT_EQ(one.channelCount(), 1u);
  EXPECT_EQ(one.channel(0).name, "lith");
  EXPECT_THROW(m.toDense({"Cu"}), UsageError);
}

TEST(VoxelModel, SparseMaskStoresOnlyActiveVoxels) {
  // 128^3: large enough that the fixed cost of OpenVDB's upper tree nodes (~0.3 MB) is
  // small beside the 8 MB dense array.
  VolumeSpec spec;
  spec.nx = 128;
  spec.ny = 128;
  spec.nz = 128;
  // Values everywhere, including garbage where the mask is 0: it must not be stored.
  const auto values = randomValues(spec.size(), 3);
  std::vector<std::uint8_t> active(spec.size(), 0);
  std::size_t flagged = 0;
  for (std::size_t k = 0; k < spec.nz; ++k) {
    for (std::size_t j = 0; j < spec.ny; ++j) {
      for (std::size_t i = 0; i < spec.nx; ++i) {
        // A dipping slab about 6 voxels thick.
        const double d = double(k) - 0.5 * double(i) - 30.0;
        if (std::abs(d) < 3.0) {
          active[spec.index(i, j, k)] = 1;
          ++flagged;
        }
      }
    }
  }
  VoxelModel sparse(spec);
  sparse.setChannel("Au", values, &active, "ppb", -9.0f);
  EXPECT_EQ(sparse.activeVoxelCount("Au"), flagged);
  EXPECT_EQ(sparse.activeMask("Au"), active);
  const auto dense = sparse.denseChannel("Au");
  for (std::size_t n = 0; n < spec.size(); ++n) {
    ASSERT_EQ(dense[n], active[n] ? values[n] : -9.0f) << n;
  }
  VoxelModel full(spec);
  full.setChannel("Au", values);
  // The slab covers ~5% of the box; its tree must be far smaller than the full one.
  EXPECT_LT(double(sparse.memoryBytes()), 0.3 * double(full.memoryBytes()));
  EXPECT_LT(double(sparse.memoryBytes()), 0.3 * double(spec.size() * sizeof(float)));
}

TEST(VoxelModel, UniformRegionsCollapseExactly) {
  VolumeSpec spec;
  spec.nx = spec.ny = spec.nz = 64;
  std::vector<float> values(spec.size(), 2.5f);
  values[spec.index(17, 40, 3)] = 7.0f;
  VoxelModel m(spec);
  m.setChannel("lith", values);
  EXPECT_EQ(m.activeVoxelCount("lith"), spec.size());
  EXPECT_EQ(m.value("lith", 17, 40, 3), 7.0f);
  EXPECT_EQ(m.value("lith", 16, 40, 3), 2.5f);
  EXPECT_EQ(m.denseChannel("lith"), values);
  // Everything but one leaf is a tile: well below the 1 MiB dense array.
  EXPECT_LT(m.memoryBytes(), spec.size() * sizeof(float) / 2);
}

TEST(VoxelModel, SetValueAndErrors) {
  VoxelModel m(oddSpec());
  m.addChannel("Au", -1.0f, "ppb");
  EXPECT_EQ(m.activeVoxelCount("Au"), 0u);
  EXPECT_EQ(m.value("Au", 3, 3, 3), -1.0f);
  m.setValue("Au", 3, 4, 5, 12.5f);
  EXPECT_EQ(m.value("Au", 3, 4, 5), 12.5f);
  EXPECT_TRUE(m.isActive("Au", 3, 4, 5));
  EXPECT_FALSE(m.isActive("Au", 4, 4, 5));
  EXPECT_EQ(m.activeVoxelCount("Au"), 1u);
  EXPECT_THROW(m.setValue("Au", 13, 0, 0, 1.0f), UsageError);
  EXPECT_THROW(m.setValue("Cu", 0, 0, 0, 1.0f), UsageError);
  EXPECT_THROW(m.value("Cu", 0, 0, 0), UsageError);
  EXPECT_THROW(m.addChannel("Au"), UsageError);
  EXPECT_THROW(m.setChannel("x", std::vector<float>(5)), UsageError);
  std::vector<std::uint8_t> shortMask(3);
  EXPECT_THROW(m.setChannel("x", std::vector<float>(oddSpec().size()), &shortMask), UsageError);
  m.removeChannel("Au");
  EXPECT_FALSE(m.hasChannel("Au"));
  EXPECT_THROW(m.removeChannel("Au"), UsageError);

  VolumeSpec bad = oddSpec();
  bad.spacing[1] = 0.0;
  EXPECT_THROW(VoxelModel{bad}, UsageError);
  bad = oddSpec();
  bad.nz = 0;
  EXPECT_THROW(VoxelModel{bad}, UsageError);
}

TEST(VoxelModel, SetChannelReplacesInPlaceAndKeepsUnits) {
  VoxelModel m(oddSpec());
  m.addChannel("a");
  m.setChannel("b", std::vector<float>(oddSpec().size(), 1.0f), nullptr, "ppm");
  m.addChannel("c");
  m.setChannel("b", std::vector<float>(oddSpec().size(), 2.0f));
  EXPECT_EQ(m.channelNames(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(m.units("b"), "ppm");
  EXPECT_EQ(m.value("b", 0, 0, 0), 2.0f);
}

TEST(VoxelModel, CopyIsDeep) {
  VoxelModel a(oddSpec());
  a.addChannel("Au");
  a.setValue("Au", 1, 1, 1, 5.0f);
  VoxelModel b = a;
  b.setValue("Au", 1, 1, 1, 6.0f);
  b.addChannel("Cu");
  EXPECT_EQ(a.value("Au", 1, 1, 1), 5.0f);
  EXPECT_EQ(b.value("Au", 1, 1, 1), 6.0f);
  EXPECT_FALSE(a.hasChannel("Cu"));
  VoxelModel c;
  c = b;
  EXPECT_EQ(c.value("Au", 1, 1, 1), 6.0f);
  EXPECT_TRUE(c.spec().sameGrid(oddSpec()));
}

TEST(VoxelModel, CopyBoxAndForEachActiveMatchPointReads) {
  const VolumeSpec spec = oddSpec();
  VoxelModel m(spec);
  std::vector<std::uint8_t> active(spec.size());
  for (std::size_t n = 0; n < spec.size(); ++n) active[n] = (n % 3 != 0);
  m.setChannel("Au", randomValues(spec.size(), 4), &active, {}, -2.0f);
  // A block hanging over the low and high edges of the box.
  const long i0 = -2, j0 = 4, k0 = 8;
  const std::size_t ni = 5, nj = 6, nk = 4;
  std::vector<float> v(ni * nj * nk);
  std::vector<std::uint8_t> on(v.size());
  m.copyBox("Au", i0, j0, k0, ni, nj, nk, v.data(), on.data());
  std::size_t n = 0;
  for (std::size_t dk = 0; dk < nk; ++dk) {
    for (std::size_t dj = 0; dj < nj; ++dj) {
      for (std::size_t di = 0; di < ni; ++di, ++n) {
        const long i = i0 + long(di), j = j0 + long(dj), k = k0 + long(dk);
        EXPECT_EQ(v[n], m.value("Au", i, j, k));
        EXPECT_EQ(on[n], m.isActive("Au", i, j, k) ? 1 : 0);
      }
    }
  }
  std::vector<std::uint8_t> seen(spec.size(), 0);
  const auto dense = m.denseChannel("Au");
  m.forEachActive("Au", [&](std::size_t i, std::size_t j, std::size_t k, float value) {
    ++seen[spec.index(i, j, k)];
    EXPECT_EQ(value, dense[spec.index(i, j, k)]);
  });
  EXPECT_EQ(seen, active);
}

TEST(VoxelModel, WorldToVoxelCentresFacesAndOutside) {
  const VolumeSpec spec = oddSpec();  // origin (500000, 7000000, -400), spacing (10, 20, 5)
  const VoxelModel m(spec);
  long i = -1, j = -1, k = -1;
  for (std::size_t c = 0; c < 7; ++c) {
    ASSERT_TRUE(m.worldToVoxel(spec.centreX(c), spec.centreY(c), spec.centreZ(c), i, j, k));
    EXPECT_EQ(i, long(c));
    EXPECT_EQ(j, long(c));
    EXPECT_EQ(k, long(c));
  }
  // The minimum corner is voxel (0, 0, 0).
  ASSERT_TRUE(m.worldToVoxel(500000.0, 7000000.0, -400.0, i, j, k));
  EXPECT_EQ(i, 0);
  EXPECT_EQ(j, 0);
  EXPECT_EQ(k, 0);
  // A face shared by voxels 2 and 3 belongs to voxel 3 (x = 500030, y = 7000060, z = -385).
  ASSERT_TRUE(m.worldToVoxel(500030.0, 7000060.0, -385.0, i, j, k));
  EXPECT_EQ(i, 3);
  EXPECT_EQ(j, 3);
  EXPECT_EQ(k, 3);
  // With 0.1 m voxels, 0.3 / 0.1 = 2.9999999999999996 in doubles: the face still maps up.
  VolumeSpec fine;
  fine.nx = fine.ny = fine.nz = 10;
  fine.spacing = {0.1, 0.1, 0.1};
  ASSERT_LT(0.3 / 0.1, 3.0);
  ASSERT_TRUE(VoxelModel(fine).worldToVoxel(0.3, 0.7, 0.05, i, j, k));
  EXPECT_EQ(i, 3);
  EXPECT_EQ(j, 7);
  EXPECT_EQ(k, 0);
  // Just inside the far faces; on or beyond them is outside.
  ASSERT_TRUE(m.worldToVoxel(500130.0 - 1e-3, 7000140.0 - 1e-3, -345.0 - 1e-3, i, j, k));
  EXPECT_EQ(i, 12);
  EXPECT_EQ(j, 6);
  EXPECT_EQ(k, 10);
  EXPECT_FALSE(m.worldToVoxel(500130.0, 7000000.0, -400.0, i, j, k));
  EXPECT_FALSE(m.worldToVoxel(500000.0, 7000140.0, -400.0, i, j, k));
  EXPECT_FALSE(m.worldToVoxel(500000.0, 7000000.0, -345.0, i, j, k));
  EXPECT_FALSE(m.worldToVoxel(499999.999, 7000000.0, -400.0, i, j, k));
  EXPECT_FALSE(m.worldToVoxel(std::nan(""), 7000000.0, -400.0, i, j, k));
}

TEST(VoxelModel, VdbRoundTripKeepsBoxUnitsCrsAndValues) {
  TempDir dir;
  const VolumeSpec spec = oddSpec();
  VoxelModel m(spec);
  std::vector<std::uint8_t> active(spec.size());
  for (std::size_t n = 0; n < spec.size(); ++n) active[n] = (n % 5 != 1);
  m.setChannel("Au", randomValues(spec.size(), 5), &active, "ppb", -1.0f);
  m.setChannel("dist_fault", randomValues(spec.size(), 6), nullptr, "m", 0.0f);
  m.addChannel("empty", 4.0f);
  const std::string path = dir.file("model.vdb");
  m.write(path);
  ASSERT_TRUE(fs::exists(path));
  EXPECT_EQ(countFiles(dir.path()), 1u);  // no temporary left beside it

  const VoxelModel r = VoxelModel::read(path);
  EXPECT_EQ(r.spec().nx, spec.nx);
  EXPECT_EQ(r.spec().ny, spec.ny);
  EXPECT_EQ(r.spec().nz, spec.nz);
  for (int a = 0; a < 3; ++a) {
    EXPECT_EQ(r.spec().origin[a], spec.origin[a]);
    EXPECT_EQ(r.spec().spacing[a], spec.spacing[a]);
  }
  EXPECT_EQ(r.spec().crsWkt, spec.crsWkt);
  EXPECT_EQ(r.channelNames(), m.channelNames());
  for (const auto& c : m.channelNames()) {
    EXPECT_EQ(r.units(c), m.units(c)) << c;
    EXPECT_EQ(r.background(c), m.background(c)) << c;
    EXPECT_EQ(r.denseChannel(c), m.denseChannel(c)) << c;
    EXPECT_EQ(r.activeMask(c), m.activeMask(c)) << c;
  }
  long i = 0, j = 0, k = 0;
  ASSERT_TRUE(r.worldToVoxel(spec.centreX(4), spec.centreY(2), spec.centreZ(9), i, j, k));
  EXPECT_EQ(i, 4);
  EXPECT_EQ(j, 2);
  EXPECT_EQ(k, 9);

  // A model without channels keeps its box.
  const std::string boxOnly = dir.file("box.vdb");
  VoxelModel(spec).write(boxOnly);
  const VoxelModel e = VoxelModel::read(boxOnly);
  EXPECT_TRUE(e.channelNames().empty());
  EXPECT_TRUE(e.spec().sameGrid(spec));
}

TEST(VoxelModel, ReadMissingOrGarbageFileIsIoErrorNamingIt) {
  TempDir dir;
  const std::string missing = dir.file("nope.vdb");
  try {
    VoxelModel::read(missing);
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
  const std::string garbage = dir.file("garbage.vdb");
  {
    std::ofstream f(garbage, std::ios::binary);
    f << "this is not an OpenVDB file, just some text pretending to be one\n";
  }
  try {
    VoxelModel::read(garbage);
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find(garbage), std::string::npos) << e.what();
  }
  // A real file cut short.
  VoxelModel m(oddSpec());
  m.setChannel("Au", randomValues(oddSpec().size(), 7));
  const std::string good = dir.file("good.vdb");
  m.write(good);
  const std::string cut = dir.file("cut.vdb");
  fs::copy_file(good, cut);
  fs::resize_file(cut, fs::file_size(good) / 2);
  try {
    VoxelModel::read(cut);
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find(cut), std::string::npos) << e.what();
  }
}

TEST(VoxelModel, FailedWriteLeavesNothingBehind) {
  TempDir dir;
  VoxelModel m(oddSpec());
  m.setChannel("Au", randomValues(oddSpec().size(), 8));

  // Missing folder: IoError naming it, nothing created.
  const std::string inMissing = dir.file("no/such/folder/model.vdb");
  try {
    m.write(inMissing);
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find(dir.file("no/such/folder")), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(countFiles(dir.path()), 0u);

  // A good file, then a write that fails after the target was chosen: the temporary name
  // is taken by a folder, so opening it fails (even for root). The good file must survive.
  const std::string path = dir.file("model.vdb");
  m.write(path);
  const auto goodBytes = fs::file_size(path);
  VoxelModel other(oddSpec());
  other.setChannel("Cu", randomValues(oddSpec().size(), 9));
  std::string temp;
  {
    AtomicOutput probe(path);
    temp = probe.tempPath();
  }
  fs::create_directory(temp);
  EXPECT_THROW(other.write(path), IoError);
  EXPECT_FALSE(fs::exists(temp));  // the output's cleanup removed the (empty) blocker
  EXPECT_EQ(countFiles(dir.path()), 1u);
  EXPECT_EQ(fs::file_size(path), goodBytes);
  EXPECT_EQ(VoxelModel::read(path).channelNames(), std::vector<std::string>{"Au"});

  // A read-only folder, where permissions apply (not for root).
  const fs::path locked = dir.path() / "locked";
  fs::create_directory(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
  if (::access(locked.c_str(), W_OK) != 0) {
    EXPECT_THROW(m.write((locked / "model.vdb").string()), IoError);
    EXPECT_EQ(countFiles(locked), 0u);
  }
  fs::permissions(locked, fs::perms::owner_all);
}

}  // namespace
}  // namespace orevox
