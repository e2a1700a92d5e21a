#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/raster.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/learning/torch/raster_models.hpp"
#include "orevox/learning/window_batch.hpp"
#include "orevox/voxel/spatial_index.hpp"

using namespace orevox;

namespace {

constexpr int kK = 16;

/// One LibTorch thread in these tests: with two cores shared by parallel test processes,
/// OpenMP's spinning worker threads make small convolutions many times slower, and the
/// tests stay deterministic whatever the machine's core count.
class RasterModelTest : public ::testing::Test {
 protected:
  void SetUp() override { setThreadCount(1); }
  void TearDown() override { setThreadCount(0); }
};

/// `width` x `height` grid of `channels` smooth random bands ("c0", "c1", ...), with a few
/// nodata cells in c1 and an all-nodata corner block.
SpatialIndex smallMap(std::size_t width, std::size_t height, int channels, std::uint64_t seed) {
  Raster r(
      GridSpec::fromExtent(Extent{0, 0, 10.0 * double(width), 10.0 * double(height), true}, 10.0));
  Rng rng = makeRng(seed);
  std::uniform_real_distribution<double> u(0.0, 6.28);
  for (int c = 0; c < channels; ++c) {
    const double a = u(rng), b = u(rng);
    std::vector<float> v(r.grid().size());
    for (std::size_t row = 0; row < height; ++row)
      for (std::size_t col = 0; col < width; ++col) {
        v[r.grid().index(col, row)] = float(10.0 * c + 3.0 * std::sin(0.37 * double(col) + a) *
                                                           std::cos(0.29 * double(row) + b));
      }
    if (c == 1) {
      v[r.grid().index(5, 7)] = kNodata;
      v[r.grid().index(6, 7)] = kNodata;
      for (std::size_t row = height - 3; row < height; ++row)
        for (std::size_t col = width - 4; col < width; ++col) v[r.grid().index(col, row)] = kNodata;
    }
    r.addBand("c" + std::to_string(c), v);
  }
  SpatialIndex index;
  index.addGrid(r);
  return index;
}

/// `count` synthetic standardised windows: noise on every channel; positives (label 1) carry
/// a bright blob on channel `signal` around the centre. A few masked cells at the edge.
WindowBatch syntheticWindows(std::size_t count, int channels, int signal, std::uint64_t seed) {
  WindowBatch b;
  b.count = count;
  b.channels = std::size_t(channels);
  b.size = kK;
  for (int c = 0; c < channels; ++c) b.channelNames.push_back("c" + std::to_string(c));
  const std::size_t area = kK * kK;
  b.values.assign(count * b.windowStride(), 0.0f);
  b.mask.assign(count * area, 1);
  b.centres.assign(count, {0.0, 0.0});
  Rng rng = makeRng(seed);
  std::normal_distribution<double> noise(0.0, 0.5);
  for (std::size_t n = 0; n < count; ++n) {
    const int label = int(n % 2);
    b.labels.push_back(label);
    for (int c = 0; c < channels; ++c)
      for (std::size_t i = 0; i < area; ++i) {
        const double dr = double(i / kK) - 8.0, dc = double(i % kK) - 8.0;
        double v = noise(rng);
        if (label == 1 && c == signal) v += 2.0 * std::exp(-(dr * dr + dc * dc) / 12.0);
        b.values[n * b.windowStride() + std::size_t(c) * area + i] = float(v);
      }
    if (n % 3 == 0) {  // a masked first row: zeros and mask 0
      for (std::size_t i = 0; i < kK; ++i) {
        b.mask[n * area + i] = 0;
        for (int c = 0; c < channels; ++c)
          b.values[n * b.windowStride() + std::size_t(c) * area + i] = 0.0f;
      }
    }
  }
  return b;
}

/// Small ViT settings keep the SSGSNet tests fast.
RasterNetOptions smallOptions() {
  RasterNetOptions o;
  o.vitDim = 32;
  o.vitDepth = 1;
  o.vitHeads = 2;
  o.vitMlp = 64;
  return o;
}

std::vector<std::string> names(int channels) {
  std::vector<std::string> v;
  for (int c = 0; c < channels; ++c) v.push_back("c" + std::to_string(c));
  return v;
}

/// Windows of every cell of the index (drawWindows), in row-major order.
WindowBatch allWindows(const SpatialIndex& index, const std::vector<std::string>& layers) {
  const GridSpec& g = index.grid();
  std::vector<std::array<double, 2>> centres;
  for (std::size_t row = 0; row < g.height; ++row)
    for (std::size_t col = 0; col < g.width; ++col)
      centres.push_back({g.centreX(double(col)), g.centreY(double(row))});
  return drawWindows(index, centres, kK, layers);
}

}  // namespace

TEST_F(RasterModelTest, ImprovedResidualBlockShapesAndGatesInUnitInterval) {
  const ResidualBlockProbe p = probeResidualBlock(64, 128, 2, 16, true, 16, 3);
  EXPECT_EQ(p.outputShape, (std::array<std::int64_t, 4>{2, 128, 8, 8}));
  ASSERT_EQ(p.channelGate.size(), 2u * 128u);
  ASSERT_EQ(p.spatialGate.size(), 2u * 8u * 8u);
  for (float g : p.channelGate) EXPECT_TRUE(g > 0.0f && g < 1.0f) << g;
  for (float g : p.spatialGate) EXPECT_TRUE(g > 0.0f && g < 1.0f) << g;
  const ResidualBlockProbe id = probeResidualBlock(64, 64, 1, 16, true, 16, 3);
  EXPECT_EQ(id.outputShape, (std::array<std::int64_t, 4>{2, 64, 16, 16}));
  const ResidualBlockProbe plain = probeResidualBlock(64, 128, 2, 16, false, 16, 3);
  EXPECT_EQ(plain.outputShape, (std::array<std::int64_t, 4>{2, 128, 8, 8}));
  EXPECT_TRUE(plain.channelGate.empty());
  EXPECT_TRUE(plain.spatialGate.empty());
}

TEST_F(RasterModelTest, SsgsnetGatesHaveTableOneShapesAndLieInUnitInterval) {
  const WindowBatch b = syntheticWindows(3, 3, 0, 1);
  const RasterModel m =
      RasterModel::create(RasterModelKind::Ssgsnet, names(3), kK, smallOptions(), 5);
  const RasterAttentionGates g = m.attentionGates(b);
  ASSERT_EQ(g.channel.size(), 8u);
  const std::size_t widths[8] = {64, 64, 128, 128, 256, 256, 512, 512},
                    sizes[8] = {16, 16, 8, 8, 4, 4, 2, 2};
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(g.channelWidth[i], widths[i]);
    EXPECT_EQ(g.spatialSize[i], sizes[i]);
    ASSERT_EQ(g.channel[i].size(), 3 * widths[i]);
    ASSERT_EQ(g.spatial[i].size(), 3 * sizes[i] * sizes[i]);
    for (float v : g.channel[i]) EXPECT_TRUE(v > 0.0f && v < 1.0f);
    for (float v : g.spatial[i]) EXPECT_TRUE(v > 0.0f && v < 1.0f);
  }
  ASSERT_EQ(g.fusionSs.size(), 3u * 256u);
  ASSERT_EQ(g.fusionSc.size(), 3u * 256u);
  for (float v : g.fusionSs) EXPECT_TRUE(v > 0.0f && v < 1.0f);
  for (float v : g.fusionSc) EXPECT_TRUE(v > 0.0f && v < 1.0f);
  // Baselines have no attention stages.
  const RasterModel r = RasterModel::create(RasterModelKind::Resnet, names(3), kK, {}, 5);
  EXPECT_TRUE(r.attentionGates(b).channel.empty());
}

TEST_F(RasterModelTest, EveryKindGivesOneProbabilityPerWindow) {
  const WindowBatch b = syntheticWindows(5, 2, 0, 2);
  for (RasterModelKind kind : {RasterModelKind::Ssgsnet, RasterModelKind::Resnet,
                               RasterModelKind::Vit, RasterModelKind::DualBranch}) {
    const RasterModel m = RasterModel::create(kind, names(2), kK, smallOptions(), 7);
    const std::vector<float> p = m.predictWindows(b);
    ASSERT_EQ(p.size(), 5u) << rasterModelName(kind);
    for (float v : p) EXPECT_TRUE(v >= 0.0f && v <= 1.0f);
    EXPECT_GT(m.flopsPerWindow(), 0.0);
    EXPECT_EQ(parseRasterModel(rasterModelName(kind)), kind);
  }
  EXPECT_THROW(parseRasterModel("resnet50"), UsageError);
  EXPECT_THROW(RasterModel::create(RasterModelKind::Vit, names(2), 18, {}, 1),
               UsageError);  // 18 % 4
  EXPECT_THROW(RasterModel::create(RasterModelKind::Vit, names(2), 8, {}, 1),
               UsageError);  // k < 16
  // CIFAR ResNet-18 on 32 x 32 x 3 is the well-known 0.56 GMAC = 1.11 GFLOP; here with the
  // mask as a 4th input channel.
  const RasterModel r18 = RasterModel::create(RasterModelKind::Resnet, names(3), 32, {}, 1);
  EXPECT_NEAR(r18.flopsPerWindow() / 1e9, 1.11, 0.02);
}

TEST_F(RasterModelTest, SsgsnetOverfitsATinySet) {
  const WindowBatch b = syntheticWindows(16, 2, 1, 3);
  RasterModel m = RasterModel::create(RasterModelKind::Ssgsnet, names(2), kK, smallOptions(), 11);
  RasterTrainOptions o;
  o.epochs = 5;
  o.batch = 8;
  o.learningRate = 2e-3;
  o.augment = false;
  o.seed = 4;
  RasterTrainStats st;
  m.train(b, o, &st);
  EXPECT_EQ(st.windows, 16u);
  EXPECT_EQ(st.positives, 8u);
  EXPECT_EQ(st.steps, 10u);
  EXPECT_LT(st.loss.back(), st.loss.front());
  const std::vector<float> p = m.predictWindows(b);
  int hits = 0;
  for (std::size_t i = 0; i < p.size(); ++i) hits += (p[i] > 0.5f) == (b.labels[i] == 1);
  EXPECT_GE(double(hits) / 16.0, 0.95) << "train accuracy";
}

TEST_F(RasterModelTest, SameSeedSameModel) {
  const WindowBatch b = syntheticWindows(8, 2, 1, 3);
  RasterTrainOptions o;
  o.epochs = 2;
  o.batch = 4;
  o.seed = 9;
  std::vector<float> first;
  for (int run = 0; run < 2; ++run) {
    RasterModel m = RasterModel::create(RasterModelKind::Ssgsnet, names(2), kK, smallOptions(), 21);
    m.train(b, o);  // with augmentation (symmetries + noise)
    const std::vector<float> p = m.predictWindows(b);
    if (run == 0) {
      first = p;
    } else {
      EXPECT_EQ(p, first);
    }
  }
}

TEST_F(RasterModelTest, SaveLoadRoundTripGivesIdenticalPredictions) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("orevox_raster_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "model.pt").string();
  const WindowBatch b = syntheticWindows(4, 2, 1, 3);
  RasterModel m = RasterModel::create(RasterModelKind::Ssgsnet, names(2), kK, smallOptions(), 13);
  RasterTrainOptions o;
  o.epochs = 1;
  o.batch = 4;
  m.train(b, o);
  m.standardisation() = RasterStandardisation{names(2), {1.5, -2.0}, {0.5, 3.0}};
  m.save(path);
  EXPECT_TRUE(std::filesystem::exists(dir / "model.json"));
  const RasterModel l = RasterModel::load(path);
  EXPECT_EQ(l.kind(), RasterModelKind::Ssgsnet);
  EXPECT_EQ(l.windowSize(), kK);
  EXPECT_EQ(l.channels(), names(2));
  EXPECT_EQ(l.options().vitDim, 32);
  EXPECT_EQ(l.standardisation().mean, (std::vector<double>{1.5, -2.0}));
  EXPECT_EQ(l.standardisation().sd, (std::vector<double>{0.5, 3.0}));
  EXPECT_EQ(l.predictWindows(b), m.predictWindows(b));
  // Errors name the file.
  EXPECT_THROW(RasterModel::load((dir / "missing.pt").string()), IoError);
  { std::ofstream((dir / "bad.json").string()) << "{\"format\": \"something else\"}"; }
  { std::ofstream((dir / "bad.pt").string()) << "x"; }
  try {
    RasterModel::load((dir / "bad.pt").string());
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.json"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

static std::string fileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST_F(RasterModelTest, SidecarOfAnotherModelIsOneLineNamingBothFiles) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("orevox_sidecar_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string two = (dir / "two.pt").string(), three = (dir / "three.pt").string();
  RasterModel::create(RasterModelKind::Ssgsnet, names(2), kK, smallOptions(), 13).save(two);
  RasterModel::create(RasterModelKind::Ssgsnet, names(3), kK, smallOptions(), 13).save(three);
  // The same weights saved twice under other names: the same bytes (the archive's inner
  // folder no longer carries the temporary's name and PID).
  RasterModel::create(RasterModelKind::Ssgsnet, names(2), kK, smallOptions(), 13)
      .save((dir / "again.pt").string());
  EXPECT_EQ(fileBytes(two), fileBytes((dir / "again.pt").string()));
  // three.json beside two.pt's weights: a 3-channel network gets 2-channel weights.
  std::filesystem::copy_file(dir / "three.json", dir / "two.json",
                             std::filesystem::copy_options::overwrite_existing);
  try {
    RasterModel::load(two);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_EQ(what.rfind(two + ": the weights do not match the model sidecar " +
                             (dir / "two.json").string() + ": tensor '",
                         0),
              0u)
        << what;
    EXPECT_NE(what.find("(a sidecar from another run?)"), std::string::npos) << what;
  }
  // A truncated weights file: one line naming it.
  const std::string bytes = fileBytes(three);
  { std::ofstream(three, std::ios::binary) << bytes.substr(0, bytes.size() / 2); }
  try {
    RasterModel::load(three);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_EQ(what.rfind(three + ": cannot read the model weights", 0), 0u) << what;
  }
  std::filesystem::remove_all(dir);
}

TEST_F(RasterModelTest, StrideOneEqualsWindowByWindowAndKeepsNodata) {
  const SpatialIndex index = smallMap(20, 18, 2, 5);
  RasterModel m = RasterModel::create(RasterModelKind::DualBranch, names(2), kK, {}, 17);
  m.standardisation() = RasterStandardisation{names(2), {0.3, 10.0}, {2.0, 2.5}};
  RasterPredictOptions o;
  o.stride = 1;
  o.batch = 37;
  o.progress = false;
  const RasterPrediction map = predictMap(m, index, {}, o);
  ASSERT_EQ(map.probability.size(), 20u * 18u);
  WindowBatch all = allWindows(index, names(2));
  m.standardisation().apply(all);
  const std::vector<float> ref = m.predictWindows(all);
  std::size_t valid = 0;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    float v = 0;
    const bool ok = index.gridValue("c0", long(i % 20), long(i / 20), v) &&
                    index.gridValue("c1", long(i % 20), long(i / 20), v);
    EXPECT_EQ(map.valid[i] != 0, ok) << i;
    if (!ok) {
      EXPECT_TRUE(std::isnan(map.probability[i])) << i;
      continue;
    }
    ++valid;
    EXPECT_NEAR(map.probability[i], ref[i], 1e-5) << i;
  }
  EXPECT_EQ(valid, 20u * 18u - 2u - 12u);
  EXPECT_EQ(map.windows, valid);
  EXPECT_EQ(map.interpolated, 0u);
}

TEST_F(RasterModelTest, StrideIsExactOnLatticeCellsAndInterpolatesBetween) {
  const SpatialIndex index = smallMap(23, 19, 2, 6);
  RasterModel m = RasterModel::create(RasterModelKind::DualBranch, names(2), kK, {}, 19);
  // Train briefly so the map has structure worth interpolating.
  WindowBatch tr = allWindows(index, names(2));
  tr.labels.resize(tr.count);
  for (std::size_t i = 0; i < tr.count; ++i) tr.labels[i] = (i % 23) < 11 ? 1 : 0;
  m.standardisation() = RasterStandardisation{names(2), {0.0, 10.0}, {2.0, 2.0}};
  m.standardisation().apply(tr);
  RasterTrainOptions to;
  to.epochs = 3;
  to.augment = false;
  m.train(tr, to);
  RasterPredictOptions o;
  o.stride = 4;
  o.progress = false;
  const RasterPrediction map = predictMap(m, index, {}, o);
  const std::vector<float> ref = m.predictWindows(tr);
  double sum = 0, worst = 0;
  std::size_t between = 0, onLattice = 0;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    const std::size_t col = i % 23, row = i / 23;
    if (!map.valid[i]) {
      EXPECT_TRUE(std::isnan(map.probability[i]));
      continue;
    }
    const bool lattice = (col % 4 == 0 || col == 22) && (row % 4 == 0 || row == 18);
    if (lattice) {
      ++onLattice;
      EXPECT_NEAR(map.probability[i], ref[i], 1e-5) << col << "," << row;
    } else {
      ++between;
      const double d = std::abs(double(map.probability[i]) - double(ref[i]));
      sum += d;
      worst = std::max(worst, d);
    }
  }
  EXPECT_GT(between, 0u);
  EXPECT_LT(map.windows, onLattice + between);
  std::printf(
      "stride 4 on a 23 x 19 map: %zu windows scored for %zu valid cells; interpolated cells: "
      "mean |diff| %.4f, max %.4f\n",
      map.windows, onLattice + between, sum / double(between), worst);
  EXPECT_LT(sum / double(between), 0.25);
}

TEST_F(RasterModelTest, CellSelectionEqualsTheWholeMapOnItsCells) {
  // The out-of-fold map fills each fold's blocks with its own model: a selection must give
  // exactly the whole map's values there (same lattice, same interpolation), NaN elsewhere.
  const SpatialIndex index = smallMap(23, 19, 2, 6);
  RasterModel m = RasterModel::create(RasterModelKind::DualBranch, names(2), kK, {}, 23);
  m.standardisation() = RasterStandardisation{names(2), {0.0, 10.0}, {2.0, 2.0}};
  for (std::size_t stride : {1u, 4u, 5u}) {
    RasterPredictOptions o;
    o.stride = stride;
    o.progress = false;
    const RasterPrediction whole = predictMap(m, index, {}, o);
    o.cells.assign(23 * 19, 0);
    for (std::size_t i = 0; i < o.cells.size(); ++i)  // an irregular block of cells
      o.cells[i] = (i % 23 >= 6 && i % 23 < 15 && i / 23 >= 3 && i / 23 < 11) || i % 37 == 0;
    const RasterPrediction part = predictMap(m, index, {}, o);
    std::size_t filled = 0;
    for (std::size_t i = 0; i < o.cells.size(); ++i) {
      if (o.cells[i] && whole.valid[i]) {
        ++filled;
        EXPECT_NEAR(part.probability[i], whole.probability[i], 1e-6) << stride << " " << i;
      } else {
        EXPECT_TRUE(std::isnan(part.probability[i])) << stride << " " << i;
      }
    }
    EXPECT_GT(filled, 60u);
    EXPECT_LT(part.windows, whole.windows) << stride;
  }
  RasterPredictOptions bad;
  bad.progress = false;
  bad.cells.assign(7, 1);
  EXPECT_THROW(predictMap(m, index, {}, bad), UsageError);
}

TEST_F(RasterModelTest, NtXentPrefersMatchingViews) {
  Rng rng = makeRng(3);
  std::normal_distribution<float> g(0.0f, 1.0f);
  const std::size_t n = 8, d = 16;
  std::vector<float> z1(n * d), z2(n * d), other(n * d);
  for (float& v : z1) v = g(rng);
  for (float& v : other) v = g(rng);
  for (std::size_t i = 0; i < z1.size(); ++i) z2[i] = z1[i] + 0.05f * g(rng);
  const double same = ntXentLoss(z1, z1, n, d, 0.5), close = ntXentLoss(z1, z2, n, d, 0.5);
  const double random = ntXentLoss(z1, other, n, d, 0.5);
  EXPECT_LT(same, random);
  EXPECT_LT(close, random);
  // Lower bound: log(2n - 1) - (1 - min cos) / tau ... at least finite and positive.
  EXPECT_GT(same, 0.0);
}

TEST_F(RasterModelTest, PretrainingLowersTheLossThenProbeAndFineTune) {
  const WindowBatch b = syntheticWindows(8, 2, 1, 8);
  SimclrOptions o;
  o.epochs = 8;
  o.batch = 8;
  o.seed = 2;
  o.cropMin = 0.85;  // mild views: the loss falls within a few steps
  o.noise = 0.05;
  o.channelDropout = 0.0;
  SimclrStats st;
  RasterModel m = pretrainSimclr(RasterModelKind::Resnet, b, kK, {}, o, &st);
  ASSERT_EQ(st.loss.size(), 8u);
  EXPECT_EQ(st.steps, 8u);
  // Mean of the last two epochs below the first two (single epochs are noisy: random views).
  EXPECT_LT(st.loss[6] + st.loss[7], st.loss[0] + st.loss[1]);
  // Linear probe: the encoder stays as pretrained, only the logistic layer learns.
  const std::vector<float> before = m.encode(b);
  RasterTrainOptions t;
  t.epochs = 2;
  t.batch = 8;
  t.linearProbe = true;
  RasterModel probe = m;
  probe.train(b, t);
  EXPECT_TRUE(probe.probeMode());
  EXPECT_EQ(probe.encode(b), before);
  // Fine-tuning starts from the pretrained encoder and trains all of it. Copies share the
  // network (`probe` above is `m`); clone() gives a separate one.
  RasterModel fine = m.clone();
  EXPECT_EQ(fine.encode(b), before);
  EXPECT_EQ(fine.predictWindows(b), m.predictWindows(b));
  t.linearProbe = false;
  t.epochs = 1;
  fine.train(b, t);
  EXPECT_FALSE(fine.probeMode());
  EXPECT_NE(fine.encode(b), before);
  EXPECT_EQ(m.encode(b), before);  // the original is untouched
  RasterTrainOptions probeOnVit = t;
  probeOnVit.linearProbe = true;  // ViT has no encoder to probe
  EXPECT_THROW(RasterModel::create(RasterModelKind::Vit, names(2), kK, {}, 1).train(b, probeOnVit),
               UsageError);
  EXPECT_THROW(pretrainSimclr(RasterModelKind::DualBranch, b, kK, {}, o), UsageError);
}

TEST_F(RasterModelTest, CompletenessAndTheChannelTheModelReads) {
  // Labels depend on channel 1 only; a DualBranchNet learns to read it.
  WindowBatch b = syntheticWindows(64, 3, 1, 12);
  RasterModel m = RasterModel::create(RasterModelKind::DualBranch, names(3), kK, {}, 23);
  RasterTrainOptions t;
  t.epochs = 30;
  t.batch = 16;
  t.augment = false;
  m.train(b, t);
  WindowBatch x = syntheticWindows(6, 3, 1, 99);
  WindowBatch bg = syntheticWindows(20, 3, 1, 77);
  RasterShapOptions o;
  o.samples = 400;
  const RasterShap s = explainWindows(m, x, bg, o);
  ASSERT_EQ(s.attribution.size(), 6u * 3u);
  EXPECT_EQ(s.ranking.front(), 1u);
  for (std::size_t w = 0; w < 6; ++w) {
    const double sum = s.attribution[w * 3] + s.attribution[w * 3 + 1] + s.attribution[w * 3 + 2];
    EXPECT_NEAR(sum, s.prediction[w] - s.baseline[w], 0.05)
        << w;  // expected gradients: sampling error
  }
  // One background window: integrated gradients with a Riemann sum, completeness tight.
  WindowBatch one = syntheticWindows(1, 3, 1, 5);
  const RasterShap ig = explainWindows(m, x, one, o);
  for (std::size_t w = 0; w < 6; ++w) {
    const double sum =
        ig.attribution[w * 3] + ig.attribution[w * 3 + 1] + ig.attribution[w * 3 + 2];
    EXPECT_NEAR(sum, ig.prediction[w] - ig.baseline[w], 0.01) << w;
  }
}
