// 3D estimation: the GSLIB ellipsoid against its axes built by hand, IDW (isotropic, and with
// an ellipsoid and a per-hole limit) against a brute-force search over every sample,
// --max-distance against the brute-force nearest sample, categorical proportions by hand,
// grade cutoffs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/estimation.hpp"

namespace orevox {
namespace {

constexpr double kPi = 3.14159265358979323846;

/// Random composites in a 100 x 80 x 60 box along 12 vertical holes, a numeric field with
/// some not-assayed rows and a categorical field with three codes.
EstimationSamples randomSamples(unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  EstimationSamples s;
  s.source = "random";
  IntervalField cu, lith;
  cu.name = "CU";
  lith.name = "LITH";
  lith.categorical = true;
  lith.categories = {"A", "B", "C"};
  for (std::size_t h = 0; h < 12; ++h) {
    s.holeIds.push_back("H" + std::to_string(h));
    const double x = 100.0 * u(rng), y = 80.0 * u(rng);
    for (int r = 0; r < 15; ++r) {
      s.points.emplace_back(x + 2.0 * u(rng), y + 2.0 * u(rng), 60.0 - 4.0 * r - u(rng));
      s.hole.push_back(h);
      cu.values.push_back(u(rng) < 0.1 ? kNotAssayed : 3.0 * u(rng));
      lith.codes.push_back(std::int32_t(rng() % 3));
    }
  }
  s.fields = {cu, lith};
  return s;
}

VolumeSpec box() {
  VolumeSpec spec;
  spec.nx = 10;
  spec.ny = 8;
  spec.nz = 6;
  spec.spacing = {10.0, 10.0, 10.0};
  return spec;
}

/// Brute force: every sample with a value, distance by `m` (identity = Euclidean), sorted,
/// inside |m d| <= 1 when bounded, at most perHole per hole, the first k; IDW power p.
double bruteIdw(const EstimationSamples& s, const Eigen::Vector3d& x, const Eigen::Matrix3d& m,
                bool bounded, std::size_t k, std::size_t perHole, double p, bool* found) {
  std::vector<std::pair<double, std::size_t>> all;
  for (std::size_t r = 0; r < s.size(); ++r)
    if (!std::isnan(s.fields[0].values[r]))
      all.emplace_back((m * (s.points[r] - x)).squaredNorm(), r);
  std::stable_sort(all.begin(), all.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::size_t> perHoleCount(s.holeIds.size(), 0);
  double num = 0.0, den = 0.0;
  std::size_t used = 0;
  for (const auto& [d2, r] : all) {
    if (bounded && d2 > 1.0) break;
    if (perHole > 0 && perHoleCount[s.hole[r]] >= perHole) continue;
    ++perHoleCount[s.hole[r]];
    const double w = 1.0 / std::pow(d2, p / 2.0);
    num += w * s.fields[0].values[r];
    den += w;
    if (++used == k) break;
  }
  *found = used > 0;
  return used > 0 ? num / den : 0.0;
}

TEST(SearchEllipsoid, AxesFollowGslibConvention) {
  for (double az : {0.0, 30.0, 135.0, 300.0})
    for (double dip : {0.0, -25.0, 40.0}) {
      const SearchEllipsoid e =
          SearchEllipsoid::fromList({az, dip, 0.0, 100.0, 50.0, 10.0}, "--ellipsoid");
      const Eigen::Matrix3d r = e.rotation();
      EXPECT_LT((r * r.transpose() - Eigen::Matrix3d::Identity()).norm(), 1e-12);
      const double a = az * kPi / 180.0, d = dip * kPi / 180.0;
      // Major axis: azimuth clockwise from north, GSLIB's dip (positive = up).
      const Eigen::Vector3d major(std::sin(a) * std::cos(d), std::cos(a) * std::cos(d),
                                  std::sin(d));
      EXPECT_LT((r.row(0).transpose() - major).norm(), 1e-12) << az << " " << dip;
      // Without plunge the semi-major axis is horizontal, 90 degrees anticlockwise.
      const Eigen::Vector3d semi(-std::cos(a), std::sin(a), 0.0);
      EXPECT_LT((r.row(1).transpose() - semi).norm(), 1e-12) << az << " " << dip;
      const Eigen::Matrix3d m = e.scaledRotation();
      EXPECT_NEAR((m * (100.0 * major)).norm(), 1.0, 1e-12);
      EXPECT_NEAR((m * (50.0 * semi)).norm(), 1.0, 1e-12);
      EXPECT_NEAR((m * (10.0 * r.row(2).transpose())).norm(), 1.0, 1e-12);
    }
  // A plunge turns the semi-major axis about the major one.
  const SearchEllipsoid p = SearchEllipsoid::fromList({90.0, 0.0, 30.0, 3, 2, 1}, "--ellipsoid");
  EXPECT_LT((p.rotation().row(0).transpose() - Eigen::Vector3d(1, 0, 0)).norm(), 1e-12);
  EXPECT_NEAR(std::abs(p.rotation()(1, 2)), 0.5, 1e-12);
  EXPECT_THROW(SearchEllipsoid::fromList({0, 0, 0, 1, 1}, "--ellipsoid"), UsageError);
  EXPECT_THROW(SearchEllipsoid::fromList({0, 0, 0, 1, 0, 1}, "--ellipsoid"), UsageError);
}

TEST(Estimation, IsotropicIdwEqualsBruteForce) {
  const EstimationSamples s = randomSamples(7);
  EstimationOptions o;
  o.neighbors = 8;
  o.power = 2.5;
  const EstimationResult r = estimateVolume(s, {"CU"}, box(), o);
  const VolumeSpec spec = box();
  const auto& cu = r.channels[std::size_t(r.channelIndex("CU"))];
  for (std::size_t k = 0; k < spec.nz; ++k)
    for (std::size_t j = 0; j < spec.ny; ++j)
      for (std::size_t i = 0; i < spec.nx; ++i) {
        bool found = false;
        const double expected = bruteIdw(s, {spec.centreX(i), spec.centreY(j), spec.centreZ(k)},
                                         Eigen::Matrix3d::Identity(), false, 8, 0, 2.5, &found);
        ASSERT_TRUE(found);
        EXPECT_NEAR(cu.values[spec.index(i, j, k)], expected, 1e-5 * (1.0 + std::abs(expected)));
      }
  EXPECT_EQ(cu.activeCount(), spec.size());
  EXPECT_EQ(r.counts[0].samples,
            std::size_t(std::count_if(s.fields[0].values.begin(), s.fields[0].values.end(),
                                      [](double v) { return !std::isnan(v); })));
}

TEST(Estimation, EllipsoidAndMaxPerHoleEqualBruteForce) {
  const EstimationSamples s = randomSamples(11);
  EstimationOptions o;
  o.neighbors = 6;
  o.maxPerHole = 2;
  o.ellipsoid = {60.0, -20.0, 10.0, 30.0, 15.0, 6.0};
  const EstimationResult r = estimateVolume(s, {"CU"}, box(), o);
  const Eigen::Matrix3d m = SearchEllipsoid::fromList(o.ellipsoid, "e").scaledRotation();
  const VolumeSpec spec = box();
  const auto& cu = r.channels[0];
  std::size_t inactive = 0;
  for (std::size_t k = 0; k < spec.nz; ++k)
    for (std::size_t j = 0; j < spec.ny; ++j)
      for (std::size_t i = 0; i < spec.nx; ++i) {
        bool found = false;
        const double expected = bruteIdw(s, {spec.centreX(i), spec.centreY(j), spec.centreZ(k)}, m,
                                         true, 6, 2, 2.0, &found);
        const std::size_t v = spec.index(i, j, k);
        ASSERT_EQ(cu.active[v] != 0, found) << i << " " << j << " " << k;
        if (found) {
          EXPECT_NEAR(cu.values[v], expected, 1e-5 * (1.0 + std::abs(expected)));
        }
        inactive += !found;
      }
  EXPECT_GT(inactive, 0u);  // the ellipsoid leaves far voxels without samples
  EXPECT_LT(inactive, spec.size());
  EXPECT_EQ(r.counts[0].noNeighbours, inactive);
}

TEST(Estimation, MaxDistanceLeavesFarVoxelsInactive) {
  const EstimationSamples s = randomSamples(3);
  EstimationOptions o;
  o.maxDistance = 18.0;
  o.ellipsoid = {0.0, 0.0, 0.0, 500.0, 500.0, 500.0};  // the Euclidean tree is then separate
  const EstimationResult r = estimateVolume(s, {"CU", "LITH"}, box(), o);
  const VolumeSpec spec = box();
  for (std::size_t f = 0; f < 2; ++f) {
    const std::string name = f == 0 ? "CU" : "LITH";
    const auto& c = r.channels[std::size_t(r.channelIndex(name))];
    std::size_t beyond = 0;
    for (std::size_t k = 0; k < spec.nz; ++k)
      for (std::size_t j = 0; j < spec.ny; ++j)
        for (std::size_t i = 0; i < spec.nx; ++i) {
          const Eigen::Vector3d x(spec.centreX(i), spec.centreY(j), spec.centreZ(k));
          double nearest = 1e300;
          for (std::size_t row = 0; row < s.size(); ++row)
            if (!s.fields[f].isMissing(row))
              nearest = std::min(nearest, (s.points[row] - x).norm());
          EXPECT_EQ(c.active[spec.index(i, j, k)] != 0, nearest <= 18.0) << name;
          beyond += nearest > 18.0;
        }
    EXPECT_EQ(r.counts[f].beyondMaxDistance, beyond);
    EXPECT_GT(beyond, 0u);
  }
}

TEST(Estimation, CategoricalProportionsAndMostLikelyCodeByHand) {
  EstimationSamples s;
  s.source = "hand";
  s.holeIds = {"A", "B"};
  s.points = {{0, 0, 0}, {3, 0, 0}, {0, 4, 0}};
  s.hole = {0, 0, 1};
  IntervalField lith;
  lith.name = "LITH";
  lith.categorical = true;
  lith.categories = {"MS", "VOLC", "SED"};
  lith.codes = {0, 1, 1};
  s.fields = {lith};
  VolumeSpec spec;
  spec.nx = spec.ny = spec.nz = 1;
  spec.spacing = {2.0, 2.0, 2.0};
  spec.origin = {0.0, -1.0, -1.0};  // one voxel centred at (1, 0, 0): distances 1, 2, sqrt(17)
  EstimationOptions o;
  o.neighbors = 3;
  const EstimationResult r = estimateVolume(s, {"LITH"}, spec, o);
  ASSERT_EQ(r.channels.size(), 4u);
  EXPECT_EQ(r.channels[1].name, "LITH_MS");
  const double w[3] = {1.0, 1.0 / 4.0, 1.0 / 17.0}, total = w[0] + w[1] + w[2];
  EXPECT_NEAR(r.channels[1].values[0], w[0] / total, 1e-6);
  EXPECT_NEAR(r.channels[2].values[0], (w[1] + w[2]) / total, 1e-6);
  EXPECT_EQ(r.channels[3].values[0], 0.0f);
  EXPECT_EQ(r.channels[3].active[0], 1);
  EXPECT_EQ(r.channels[0].values[0], 0.0f);  // MS: 0.77 of the weight
  // Two neighbours of one hole at most -> the nearer MS and VOLC, then B's VOLC.
  o.neighbors = 2;
  o.maxPerHole = 1;
  const EstimationResult limited = estimateVolume(s, {"LITH"}, spec, o);
  EXPECT_NEAR(limited.channels[1].values[0], 1.0 / (1.0 + 1.0 / 17.0), 1e-6);
  ASSERT_EQ(limited.legends.size(), 1u);
  EXPECT_EQ(limited.legends[0].second, lith.categories);
  // One proportion channel: the most frequent code (VOLC, 2 samples); the code channel
  // still chooses among every code.
  o.maxCategories = 1;
  o.neighbors = 3;
  o.maxPerHole = 0;
  const EstimationResult one = estimateVolume(s, {"LITH"}, spec, o);
  ASSERT_EQ(one.channels.size(), 2u);
  EXPECT_EQ(one.channels[1].name, "LITH_VOLC");
  EXPECT_NEAR(one.channels[1].values[0], (w[1] + w[2]) / total, 1e-6);
  EXPECT_EQ(one.channels[0].values[0], 0.0f);
}

TEST(Estimation, ExactHitAndBadInput) {
  EstimationSamples s;
  s.source = "hand.csv";
  s.holeIds = {"A"};
  s.points = {{1, 0, 0}, {5, 0, 0}};
  s.hole = {0, 0};
  IntervalField cu;
  cu.name = "CU";
  cu.values = {2.0, 4.0};
  s.fields = {cu};
  VolumeSpec spec;
  spec.nx = spec.ny = spec.nz = 1;
  spec.origin = {0.0, -1.0, -1.0};
  spec.spacing = {2.0, 2.0, 2.0};
  EXPECT_FLOAT_EQ(estimateVolume(s, {"cu"}, spec, {}).channels[0].values[0], 2.0f);
  EstimationOptions o;
  EXPECT_THROW(estimateVolume(s, {"ZN"}, spec, o), UsageError);
  o.power = 0.0;
  EXPECT_THROW(estimateVolume(s, {"CU"}, spec, o), UsageError);
  s.fields[0].values = {kNotAssayed, kNotAssayed};
  try {
    estimateVolume(s, {"CU"}, spec, {});
    FAIL();
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()), "hand.csv: column 'CU': no sample has a value");
  }
}

TEST(GradeCutoff, ParsesAndLabels) {
  const GradeCutoff c = GradeCutoff::parse(" CU >= 0.5", "--label");
  EXPECT_EQ(c.field, "CU");
  EXPECT_EQ(c.op, ">=");
  EXPECT_EQ(c.value, 0.5);
  EXPECT_TRUE(c.holds(0.5));
  EXPECT_FALSE(c.holds(0.49));
  EXPECT_TRUE(GradeCutoff::parse("AS<1e-3", "--label").holds(0.0));
  EXPECT_THROW(GradeCutoff::parse("CU=0.5", "--label"), UsageError);
  EXPECT_THROW(GradeCutoff::parse(">=0.5", "--label"), UsageError);
  EXPECT_THROW(GradeCutoff::parse("CU>=x", "--label"), UsageError);
  EstimationResult r;
  EstimatedChannel cu;
  cu.name = "CU";
  cu.values = {0.2f, 0.5f, 0.9f, 7.0f};
  cu.active = {1, 1, 1, 0};
  r.channels.push_back(cu);
  const EstimatedChannel label = applyCutoff(r, c, "label");
  EXPECT_EQ(label.values, (std::vector<float>{0.0f, 1.0f, 1.0f, 0.0f}));
  EXPECT_EQ(label.active, cu.active);
  EXPECT_THROW(applyCutoff(r, GradeCutoff::parse("NI>1", "--label"), "label"), UsageError);
}

}  // namespace
}  // namespace orevox
