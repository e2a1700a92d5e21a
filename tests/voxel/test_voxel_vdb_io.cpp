// Reading .vdb files that orevox did not write. This is the one test file that includes
// OpenVDB itself: it needs to make such files.
#include <gtest/gtest.h>
#include <openvdb/openvdb.h>
#include <unistd.h>

#include <filesystem>

#include "orevox/core/error.hpp"
#include "orevox/voxel/voxel_model.hpp"

namespace fs = std::filesystem;

namespace orevox {
namespace {

std::string tempFile(const std::string& name) {
  return (fs::temp_directory_path() / ("orevox_vdbio_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

struct RemoveOnExit {
  std::string path;
  ~RemoveOnExit() {
    std::error_code ec;
    fs::remove(path, ec);
  }
};

openvdb::math::Transform::Ptr shiftedTransform(double voxel, openvdb::Vec3d shift) {
  auto xf = openvdb::math::Transform::createLinearTransform(voxel);
  xf->postTranslate(shift);
  return xf;
}

TEST(VoxelVdbIo, ForeignFloatGridGetsBoxFromActiveBounds) {
  openvdb::initialize();
  auto grid = openvdb::FloatGrid::create(-1.0f);
  grid->setName("density");
  grid->setTransform(shiftedTransform(2.0, {100.0, 200.0, 300.0}));
  auto& tree = grid->tree();
  tree.setValue(openvdb::Coord(-3, 5, 2), 1.5f);
  tree.setValue(openvdb::Coord(10, 9, 6), 2.5f);
  tree.setValue(openvdb::Coord(4, 6, 3), 3.5f);
  // An active tile (a whole 8^3 leaf with one value), bounds (0, 8, 0) .. (7, 15, 7).
  tree.fill(openvdb::CoordBBox(openvdb::Coord(0, 8, 0), openvdb::Coord(7, 15, 7)), 7.0f, true);
  ASSERT_GT(tree.activeTileCount(), 0u);
  // An inactive voxel holding a non-background value must still read as background.
  tree.setValueOff(openvdb::Coord(5, 6, 3), 99.0f);
  // A non-float grid in the same file is skipped.
  auto ints = openvdb::Int32Grid::create(0);
  ints->setName("labels");
  ints->tree().setValue(openvdb::Coord(0, 0, 0), 4);

  const std::string path = tempFile("foreign.vdb");
  RemoveOnExit cleanup{path};
  openvdb::io::File(path).write(openvdb::GridCPtrVec{grid, ints});

  const VoxelModel m = VoxelModel::read(path);
  // Index bounds (-3, 5, 0) .. (10, 15, 7): 14 x 11 x 8 voxels.
  const VolumeSpec& s = m.spec();
  EXPECT_EQ(s.nx, 14u);
  EXPECT_EQ(s.ny, 11u);
  EXPECT_EQ(s.nz, 8u);
  // Minimum voxel centre: (100 - 6, 200 + 10, 300 + 0); the corner is half a voxel lower.
  EXPECT_DOUBLE_EQ(s.origin[0], 93.0);
  EXPECT_DOUBLE_EQ(s.origin[1], 209.0);
  EXPECT_DOUBLE_EQ(s.origin[2], 299.0);
  for (int a = 0; a < 3; ++a) EXPECT_DOUBLE_EQ(s.spacing[a], 2.0);
  EXPECT_TRUE(s.crsWkt.empty());
  ASSERT_EQ(m.channelNames(), std::vector<std::string>{"density"});
  EXPECT_EQ(m.background("density"), -1.0f);
  EXPECT_EQ(m.activeVoxelCount("density"), 3u + 512u);

  // Every box voxel equals the foreign grid at index (i - 3, j + 5, k + 0).
  for (std::size_t k = 0; k < s.nz; ++k) {
    for (std::size_t j = 0; j < s.ny; ++j) {
      for (std::size_t i = 0; i < s.nx; ++i) {
        const openvdb::Coord c(int(i) - 3, int(j) + 5, int(k));
        const bool on = tree.isValueOn(c);
        ASSERT_EQ(m.isActive("density", long(i), long(j), long(k)), on);
        ASSERT_EQ(m.value("density", long(i), long(j), long(k)), on ? tree.getValue(c) : -1.0f);
      }
    }
  }
  // World positions agree with the foreign transform.
  long i = 0, j = 0, k = 0;
  const openvdb::Vec3d w = grid->transform().indexToWorld(openvdb::Coord(4, 6, 3));
  ASSERT_TRUE(m.worldToVoxel(w.x(), w.y(), w.z(), i, j, k));
  EXPECT_EQ(m.value("density", i, j, k), 3.5f);
}

TEST(VoxelVdbIo, FileWithoutFloatGridIsDataError) {
  openvdb::initialize();
  auto ints = openvdb::Int32Grid::create(0);
  ints->setName("labels");
  ints->tree().setValue(openvdb::Coord(1, 2, 3), 4);
  const std::string path = tempFile("ints.vdb");
  RemoveOnExit cleanup{path};
  openvdb::io::File(path).write(openvdb::GridCPtrVec{ints});
  try {
    VoxelModel::read(path);
    FAIL() << "expected DataError";
  } catch (const IoError&) {
    FAIL() << "a readable file without float grids is bad data, not an I/O error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("labels"), std::string::npos) << e.what();
  }
}

TEST(VoxelVdbIo, RotatedOrMismatchedTransformsAreDataErrors) {
  openvdb::initialize();
  auto a = openvdb::FloatGrid::create(0.0f);
  a->setName("a");
  a->tree().setValue(openvdb::Coord(0, 0, 0), 1.0f);
  auto rotated = openvdb::math::Transform::createLinearTransform(1.0);
  rotated->postRotate(0.3, openvdb::math::Z_AXIS);
  a->setTransform(rotated);
  const std::string path = tempFile("rotated.vdb");
  RemoveOnExit cleanup{path};
  openvdb::io::File(path).write(openvdb::GridCPtrVec{a});
  EXPECT_THROW(VoxelModel::read(path), DataError);

  a->setTransform(openvdb::math::Transform::createLinearTransform(1.0));
  auto b = a->deepCopy();
  b->setName("b");
  b->setTransform(openvdb::math::Transform::createLinearTransform(2.0));
  const std::string path2 = tempFile("mismatch.vdb");
  RemoveOnExit cleanup2{path2};
  openvdb::io::File(path2).write(openvdb::GridCPtrVec{a, b});
  try {
    VoxelModel::read(path2);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("'b'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace orevox
