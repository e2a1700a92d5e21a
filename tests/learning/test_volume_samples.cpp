#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "orevox/core/error.hpp"
#include "orevox/learning/volume_samples.hpp"
#include "orevox/voxel/spatial_index.hpp"
#include "orevox/voxel/voxel_model.hpp"

using namespace orevox;

namespace {

VolumeSpec box(std::size_t nx, std::size_t ny, std::size_t nz) {
  VolumeSpec s;
  s.nx = nx;
  s.ny = ny;
  s.nz = nz;
  s.spacing = {10.0, 10.0, 5.0};
  s.origin = {1000.0, 2000.0, -100.0};
  return s;
}

/// Channel "a" = i + 10 j + 100 k on every voxel.
VoxelModel ramp(std::size_t n) {
  VoxelModel m(box(n, n, n));
  std::vector<float> v(n * n * n);
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t i = 0; i < n; ++i) v[m.spec().index(i, j, k)] = float(i + 10 * j + 100 * k);
  m.setChannel("a", v);
  return m;
}

}  // namespace

TEST(VolumeSamples, EdgePatchesArePaddedAndMasked) {
  SpatialIndex index;
  index.addVoxels("v", ramp(5));
  const PatchBatch b = drawPatches(index, "v", {{0, 0, 0}, {2, 2, 2}, {4, 4, 4}}, 3, {"a"});
  ASSERT_EQ(b.count, 3u);
  ASSERT_EQ(b.values.size(), 3u * 27u);
  // Corner patch: only the 2 x 2 x 2 voxels with local index >= 1 lie inside the box.
  std::size_t inside = 0;
  for (std::size_t k = 0; k < 3; ++k)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t i = 0; i < 3; ++i) {
        const std::size_t l = (k * 3 + j) * 3 + i;
        const bool in = i >= 1 && j >= 1 && k >= 1;
        EXPECT_EQ(b.mask[l], in ? 1 : 0);
        const float expected = in ? float((i - 1) + 10 * (j - 1) + 100 * (k - 1)) : 0.0f;
        EXPECT_EQ(b.values[l], expected);
        inside += in;
      }
  EXPECT_EQ(inside, 8u);
  // Interior patch: complete, centre value 2 + 20 + 200.
  EXPECT_EQ(std::count(b.mask.begin() + 27, b.mask.begin() + 54, std::uint8_t(1)), 27);
  EXPECT_EQ(b.values[27 + 13], 222.0f);
  // Far corner: local (0, 0, 0) is voxel (3, 3, 3), the rest beyond index 4 is padding.
  EXPECT_EQ(b.values[54], 333.0f);
  EXPECT_EQ(b.mask[54 + 26], 0);
}

TEST(VolumeSamples, InactiveVoxelsAreMaskedAndStandardisationLeavesThemZero) {
  VoxelModel m(box(4, 4, 4));
  std::vector<float> a(64), b(64);
  std::vector<std::uint8_t> activeA(64, 1);
  for (std::size_t v = 0; v < 64; ++v) {
    a[v] = float(v % 4);        // i: 0,1,2,3
    b[v] = 2.0f;                // constant: sd -> 1
    activeA[v] = v < 48;        // top layer (k = 3) inactive in a
  }
  m.setChannel("a", a, &activeA);
  m.setChannel("b", b);
  const ChannelStandardisation s = ChannelStandardisation::fit(m, {"a", "b"});
  EXPECT_DOUBLE_EQ(s.mean[0], 1.5);
  EXPECT_NEAR(s.sd[0], std::sqrt(1.25), 1e-12);  // population sd of 0,1,2,3
  EXPECT_DOUBLE_EQ(s.mean[1], 2.0);
  EXPECT_DOUBLE_EQ(s.sd[1], 1.0);
  SpatialIndex index;
  index.addVoxels("v", std::move(m));
  PatchBatch p = drawPatches(index, "v", {{3, 1, 2}}, 3, {"a", "b"});
  s.apply(p);
  // Centre (3, 1, 2): a = 3 -> (3 - 1.5) / sqrt(1.25); b = 0. Voxels at k = 3 are masked.
  EXPECT_NEAR(p.values[13], 1.5 / std::sqrt(1.25), 1e-6);
  EXPECT_EQ(p.values[27 + 13], 0.0f);
  for (std::size_t l = 18; l < 27; ++l) {
    EXPECT_EQ(p.mask[l], 0);
    EXPECT_EQ(p.values[l], 0.0f);
    EXPECT_EQ(p.values[27 + l], 0.0f);
  }
  EXPECT_EQ(validVoxels(index.voxels("v"), {"a", "b"})[63], 0);
}

TEST(VolumeSamples, SymmetriesRotateAboutTheVerticalAxis) {
  PatchBatch b;
  b.count = 1;
  b.channels = 1;
  b.size = 3;
  b.values.assign(27, 0.0f);
  b.mask.assign(27, 1);
  b.values[(1 * 3 + 1) * 3 + 2] = 5.0f;  // k = 1, j = 1, i = 2: east of the centre
  b.mask[(2 * 3 + 0) * 3 + 0] = 0;       // k = 2, j = 0, i = 0
  PatchBatch r = b;
  transformPatch(r, 0, 1);  // a quarter turn counter-clockwise: east -> north
  EXPECT_EQ(r.values[(1 * 3 + 2) * 3 + 1], 5.0f);
  EXPECT_EQ(r.mask[(2 * 3 + 0) * 3 + 2], 0);  // (i 0, j 0) -> (i 2, j 0); k unchanged
  PatchBatch f = b;
  transformPatch(f, 0, 4);  // mirror i only
  EXPECT_EQ(f.values[(1 * 3 + 1) * 3 + 0], 5.0f);
  // Four quarter turns are the identity; the 8 ops give 8 distinct images of an asymmetric patch.
  PatchBatch q = b;
  for (int t = 0; t < 4; ++t) transformPatch(q, 0, 1);
  EXPECT_EQ(q.values, b.values);
  EXPECT_EQ(q.mask, b.mask);
  std::vector<float> asym(27);
  for (std::size_t l = 0; l < 27; ++l) asym[l] = float(l);
  std::set<std::vector<float>> images;
  for (int op = 0; op < 8; ++op) {
    PatchBatch a = b;
    a.values = asym;
    transformPatch(a, 0, op);
    for (std::size_t k = 0; k < 3; ++k)  // vertical order kept: every value stays in its layer
      for (std::size_t l = 0; l < 9; ++l) EXPECT_EQ(std::size_t(a.values[k * 9 + l]) / 9, k);
    images.insert(a.values);
  }
  EXPECT_EQ(images.size(), 8u);
}

TEST(VolumeSamples, BalancedLabelledCentresAreSeeded) {
  VoxelModel m = ramp(6);
  std::vector<float> ore(216, 0.0f);
  for (std::size_t v = 0; v < 216; v += 9) ore[v] = 1.0f;  // 24 ore voxels
  m.setChannel("ore", ore);
  PatchSamplingOptions o;
  o.positives = 10;
  o.seed = 3;
  const LabelledCentres c = sampleLabelledCentres(m, "ore", {"a"}, o);
  ASSERT_EQ(c.centres.size(), 20u);
  EXPECT_EQ(std::count(c.labels.begin(), c.labels.end(), 1), 10);
  EXPECT_DOUBLE_EQ(c.oreShare, 24.0 / 216.0);  // of the rock, not of the balanced draw
  std::set<std::array<long, 3>> distinct(c.centres.begin(), c.centres.end());
  EXPECT_EQ(distinct.size(), 20u);
  for (std::size_t n = 0; n < 20; ++n) {
    const auto& x = c.centres[n];
    EXPECT_EQ(m.value("ore", x[0], x[1], x[2]) > 0.5f, c.labels[n] == 1);
  }
  EXPECT_EQ(sampleLabelledCentres(m, "ore", {"a"}, o).centres, c.centres);
  o.seed = 4;
  EXPECT_NE(sampleLabelledCentres(m, "ore", {"a"}, o).centres, c.centres);
  EXPECT_EQ(sampleCentres(m, {"a"}, 500, 1, 2).size(), 216u);  // all when fewer
  EXPECT_THROW(sampleLabelledCentres(m, "missing", {"a"}, o), UsageError);
}

TEST(VolumeSamples, CaptureAndMmdByHand) {
  // (The voxel AUC is metrics.hpp's rocAuc over scoredLabels: tests/learning/test_metrics.cpp.)
  // 10 voxels, ore at ranks 1 and 3 of the scores: top 10 % (1 voxel) holds 1 of 2, top 30 % both.
  std::vector<float> s{0.9f, 0.1f, 0.2f, 0.3f, 0.6f, 0.4f, 0.5f, 0.05f, 0.01f, 0.02f};
  std::vector<std::uint8_t> t{1, 0, 0, 0, 0, 0, 1, 0, 0, 0};
  const auto c = volumeSuccessRate(s, t, {}, {0.0, 0.1, 0.2, 0.3, 0.5, 1.0});
  EXPECT_DOUBLE_EQ(c[0], 0.0);
  EXPECT_DOUBLE_EQ(c[1], 0.5);
  EXPECT_DOUBLE_EQ(c[2], 0.5);
  EXPECT_DOUBLE_EQ(c[3], 1.0);
  EXPECT_DOUBLE_EQ(c[5], 1.0);
  // MMD of {0} vs {1}: median distance 1, k(0,1) = exp(-1/2): 1 + 1 - 2 exp(-1/2).
  double h = 0;
  EXPECT_NEAR(mmdGaussian({0.0f}, {1.0f}, 1, &h), 2.0 - 2.0 * std::exp(-0.5), 1e-12);
  EXPECT_DOUBLE_EQ(h, 1.0);
  EXPECT_NEAR(mmdGaussian({0, 0, 1, 1}, {0, 0, 1, 1}, 2), 0.0, 1e-12);
}

TEST(VolumeSamples, TargetZonesAreConnectedBodiesWithDepth) {
  VoxelModel m(box(6, 6, 4));
  std::vector<float> score(144, 0.0f);
  std::vector<std::uint8_t> active(144, 1);
  for (std::size_t j = 0; j < 6; ++j)
    for (std::size_t i = 0; i < 6; ++i) active[m.spec().index(i, j, 3)] = 0;  // air on top: surface k = 2
  // Body 1: voxels (1,1,1), (2,1,1), (2,1,0) score 1; body 2: (4,4,2) score 0.9.
  score[m.spec().index(1, 1, 1)] = 1.0f;
  score[m.spec().index(2, 1, 1)] = 1.0f;
  score[m.spec().index(2, 1, 0)] = 1.0f;
  score[m.spec().index(4, 4, 2)] = 0.9f;
  m.setChannel("p", score, &active);
  // 108 active voxels: top 4/108 -> threshold 0.9 -> two bodies.
  const auto zones = targetZones(m, "p", {4.0 / 108.0}, 1);
  ASSERT_EQ(zones.size(), 2u);
  EXPECT_EQ(zones[0].grade, 'A');
  EXPECT_EQ(zones[0].voxels, 3u);
  EXPECT_DOUBLE_EQ(zones[0].volume, 3 * 500.0);
  EXPECT_DOUBLE_EQ(zones[0].depthMin, 5.0);   // k = 1 below surface k = 2
  EXPECT_DOUBLE_EQ(zones[0].depthMax, 10.0);  // k = 0
  EXPECT_DOUBLE_EQ(zones[0].zMin, -100.0 + 2.5);
  EXPECT_NEAR(zones[0].centroid[0], 1000.0 + (15.0 + 25.0 + 25.0) / 3.0, 1e-9);
  EXPECT_EQ(zones[1].voxels, 1u);
  EXPECT_DOUBLE_EQ(zones[1].depthMin, 0.0);
  EXPECT_DOUBLE_EQ(zones[1].maxScore, 0.9f);
  const std::string csv = targetZonesCsv(zones);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 3);
  EXPECT_THROW(targetZones(m, "p", {0.2, 0.1}), UsageError);
  // Bodies below the smallest size are left out: the single voxel goes at 2, both by default.
  const auto atLeastTwo = targetZones(m, "p", {4.0 / 108.0}, 2);
  ASSERT_EQ(atLeastTwo.size(), 1u);
  EXPECT_EQ(atLeastTwo[0].voxels, 3u);
  EXPECT_TRUE(targetZones(m, "p", {4.0 / 108.0}).empty());
  EXPECT_THROW(targetZones(m, "p", {0.1}, 0), UsageError);
}

TEST(VolumeSamples, DomainPriorWeightsTakeBalancedPatchesBackToTheRockMix) {
  const std::vector<int> balanced{1, 1, 0, 0, 1, 0, 0, 1};  // p = 0.5
  const auto w = domainPriorWeights(balanced, 0.1);
  EXPECT_DOUBLE_EQ(w[0], 0.2);  // 0.1 / 0.5
  EXPECT_DOUBLE_EQ(w[1], 1.8);  // 0.9 / 0.5
  // The weighted ore share is the prior, and the weights average to 1.
  double ore = 0, total = 0;
  for (int l : balanced) {
    ore += l == 1 ? w[0] : 0.0;
    total += l == 1 ? w[0] : w[1];
  }
  EXPECT_DOUBLE_EQ(ore / total, 0.1);
  EXPECT_DOUBLE_EQ(total / double(balanced.size()), 1.0);
  // No prior, or one class only: unweighted; a prior above 1 is a usage error.
  EXPECT_EQ(domainPriorWeights(balanced, -1.0), (std::array<double, 2>{1.0, 1.0}));
  EXPECT_EQ(domainPriorWeights({0, 0, 0}, 0.1), (std::array<double, 2>{1.0, 1.0}));
  EXPECT_THROW(domainPriorWeights(balanced, 1.5), UsageError);
}

TEST(VolumeSamples, ColumnBlockFoldsAndTheirTrainingBuffer) {
  // 5 x 4 columns, 2 levels, 2 x 2 blocks: bi = i * 2 / 5 (i 0-2 -> 0, 3-4 -> 1),
  // bj = j * 2 / 4 (j 0-1 -> 0, 2-3 -> 1); fold = bi + 2 bj, the same at every level.
  const VolumeSpec s = box(5, 4, 2);
  const std::vector<int> folds = columnBlockFolds(s, 2);
  const int byHand[4][5] = {{0, 0, 0, 1, 1}, {0, 0, 0, 1, 1}, {2, 2, 2, 3, 3}, {2, 2, 2, 3, 3}};
  for (std::size_t k = 0; k < 2; ++k)
    for (std::size_t j = 0; j < 4; ++j)
      for (std::size_t i = 0; i < 5; ++i)
        EXPECT_EQ(folds[s.index(i, j, k)], byHand[j][i]) << i << "," << j;
  // Fold 3 (i 3-4, j 2-3) grown by one column: i >= 2 and j >= 1 are not eligible.
  const std::vector<std::uint8_t> eligible = outsideFoldBuffer(s, folds, 3, 1);
  for (std::size_t k = 0; k < 2; ++k)
    for (std::size_t j = 0; j < 4; ++j)
      for (std::size_t i = 0; i < 5; ++i)
        EXPECT_EQ(eligible[s.index(i, j, k)], !(i >= 2 && j >= 1)) << i << "," << j;
  // Radius 0: exactly the other folds.
  const std::vector<std::uint8_t> own = outsideFoldBuffer(s, folds, 0, 0);
  for (std::size_t v = 0; v < s.size(); ++v) EXPECT_EQ(own[v], folds[v] != 0);
  EXPECT_THROW(columnBlockFolds(s, 1), UsageError);
  EXPECT_THROW(columnBlockFolds(s, 5), UsageError);  // more blocks than the 4 rows
  // Centres drawn only among eligible voxels.
  const VoxelModel m = ramp(6);
  const std::vector<int> f6 = columnBlockFolds(m.spec(), 2);
  const std::vector<std::uint8_t> e6 = outsideFoldBuffer(m.spec(), f6, 0, 1);
  const auto centres = sampleCentres(m, {"a"}, 1000, 7, 2, e6);
  std::size_t eligibleCount = 0;
  for (std::uint8_t e : e6) eligibleCount += e;
  EXPECT_EQ(centres.size(), eligibleCount);  // all of them: fewer than asked
  for (const auto& c : centres) EXPECT_TRUE(c[0] >= 4 || c[1] >= 4) << c[0] << "," << c[1];
}
