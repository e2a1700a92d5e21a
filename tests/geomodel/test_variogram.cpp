// Variograms and ordinary kriging: experimental variograms against an O(n^2) loop over every
// pair, the weighted least squares fit recovering a known model, kriging against a direct
// solve of the kriging system over brute-force neighbourhoods, and by hand (one sample:
// variance 2 gamma(h); a constant field stays constant).
#include <gtest/gtest.h>

#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <random>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/estimation.hpp"
#include "orevox/geomodel/variogram.hpp"

namespace orevox {
namespace {

std::vector<Eigen::Vector3d> randomPoints(std::mt19937& rng, std::size_t n, double size) {
  std::uniform_real_distribution<double> u(0.0, size);
  std::vector<Eigen::Vector3d> p(n);
  for (auto& x : p) x = {u(rng), u(rng), 0.5 * u(rng)};
  return p;
}

TEST(Variogram, ExperimentalEqualsEveryPairLoop) {
  std::mt19937 rng(5);
  const auto points = randomPoints(rng, 300, 100.0);
  std::normal_distribution<double> g(0.0, 1.0);
  std::vector<double> values(points.size());
  for (std::size_t i = 0; i < values.size(); ++i)
    values[i] = i % 17 == 0 ? std::nan("") : points[i].x() * 0.05 + g(rng);
  VariogramOptions o;
  o.lags = 8;
  o.maxLag = 40.0;
  o.angleTolerance = 30.0;
  const SearchEllipsoid e = SearchEllipsoid::fromList({45.0, -10.0, 0.0, 40.0, 20.0, 10.0}, "e");
  const Eigen::Matrix3d rotation = e.rotation();
  const auto v = experimentalVariograms(points, values, o, &rotation, Eigen::Vector3d(40, 20, 10));
  ASSERT_EQ(v.size(), 5u);
  // Brute force per variogram.
  for (std::size_t which = 0; which < 5; ++which) {
    std::vector<double> d(8, 0.0), gam(8, 0.0);
    std::vector<std::size_t> n(8, 0);
    for (std::size_t a = 0; a < points.size(); ++a)
      for (std::size_t b = a + 1; b < points.size(); ++b) {
        if (std::isnan(values[a]) || std::isnan(values[b])) continue;
        const Eigen::Vector3d sep = points[b] - points[a];
        double h = sep.norm();
        if (which == 4) {
          const Eigen::Vector3d r = rotation * sep;
          h = std::sqrt(r[0] * r[0] + (r[1] * 2.0) * (r[1] * 2.0) + (r[2] * 4.0) * (r[2] * 4.0));
        } else if (which >= 1) {
          const double cosine = std::abs(rotation.row(int(which - 1)).dot(sep) / h);
          if (cosine < std::cos(30.0 * 3.14159265358979323846 / 180.0)) continue;
        }
        const std::size_t c = std::size_t(h / 5.0);
        if (h <= 0.0 || c >= 8) continue;
        d[c] += h;
        gam[c] += 0.5 * (values[a] - values[b]) * (values[a] - values[b]);
        ++n[c];
      }
    std::size_t k = 0;
    for (std::size_t c = 0; c < 8; ++c) {
      if (n[c] == 0) continue;
      ASSERT_LT(k, v[which].pairs.size()) << v[which].direction;
      EXPECT_EQ(v[which].pairs[k], n[c]) << v[which].direction << " " << c;
      EXPECT_NEAR(v[which].distance[k], d[c] / double(n[c]), 1e-9);
      EXPECT_NEAR(v[which].gamma[k], gam[c] / double(n[c]), 1e-9);
      ++k;
    }
    EXPECT_EQ(k, v[which].pairs.size());
  }
  EXPECT_EQ(v[0].direction, "omni");
  EXPECT_EQ(v[4].direction, "anisotropic");
}

TEST(Variogram, FitRecoversAKnownModel) {
  for (VariogramShape shape : {VariogramShape::Spherical, VariogramShape::Exponential}) {
    VariogramModel truth;
    truth.shape = shape;
    truth.nugget = 0.2;
    truth.sill = 1.3;
    truth.range = 55.0;
    ExperimentalVariogram v;
    for (int l = 1; l <= 15; ++l) {
      v.distance.push_back(6.0 * l);
      v.gamma.push_back(truth.gamma(6.0 * l));
      v.pairs.push_back(100 + 10 * l);
    }
    const VariogramModel fit = fitVariogram(v, shape);
    EXPECT_NEAR(fit.nugget, 0.2, 1e-4);
    EXPECT_NEAR(fit.sill, 1.3, 1e-4);
    EXPECT_NEAR(fit.range, 55.0, 0.05);
  }
  ExperimentalVariogram one;
  one.distance = {1.0};
  one.gamma = {1.0};
  one.pairs = {3};
  EXPECT_THROW(fitVariogram(one, VariogramShape::Spherical), DataError);
}

EstimationSamples samplesOf(const std::vector<Eigen::Vector3d>& points,
                            const std::vector<double>& values) {
  EstimationSamples s;
  s.source = "k";
  s.points = points;
  s.hole.assign(points.size(), 0);
  s.holeIds = {"H"};
  IntervalField f;
  f.name = "AU";
  f.values = values;
  s.fields = {f};
  return s;
}

TEST(Kriging, EqualsDirectSolveOverBruteForceNeighbours) {
  std::mt19937 rng(9);
  const auto points = randomPoints(rng, 120, 100.0);
  std::vector<double> values(points.size());
  std::uniform_real_distribution<double> u(0.0, 2.0);
  for (auto& v : values) v = u(rng);
  VolumeSpec spec;
  spec.nx = 6;
  spec.ny = 5;
  spec.nz = 3;
  spec.spacing = {16.0, 20.0, 15.0};
  VariogramModel model;
  model.shape = VariogramShape::Exponential;
  model.nugget = 0.1;
  model.sill = 0.9;
  model.range = 70.0;
  const std::vector<VariogramModel> models{model};
  EstimationOptions o;
  o.method = EstimationMethod::Kriging;
  o.neighbors = 10;
  o.ellipsoid = {30.0, 0.0, 0.0, 150.0, 75.0, 50.0};
  const EstimationResult r =
      estimateVolume(samplesOf(points, values), {"AU"}, spec, o, 0.5, &models);
  ASSERT_EQ(r.channels.size(), 2u);
  EXPECT_EQ(r.channels[1].name, "AU_variance");
  const Eigen::Matrix3d m = SearchEllipsoid::fromList(o.ellipsoid, "e").scaledRotation();
  for (std::size_t v = 0; v < spec.size(); ++v) {
    const std::size_t i = v % spec.nx, j = (v / spec.nx) % spec.ny, k = v / (spec.nx * spec.ny);
    const Eigen::Vector3d x(spec.centreX(i), spec.centreY(j), spec.centreZ(k));
    std::vector<std::pair<double, std::size_t>> all;
    for (std::size_t s = 0; s < points.size(); ++s)
      all.emplace_back((m * (points[s] - x)).norm(), s);
    std::sort(all.begin(), all.end());
    std::vector<std::size_t> nb;
    for (const auto& [d, s] : all)
      if (d <= 1.0 && nb.size() < 10) nb.push_back(s);
    ASSERT_EQ(r.channels[0].active[v] != 0, !nb.empty());
    if (nb.empty()) continue;
    const std::size_t n = nb.size();
    Eigen::MatrixXd a(n + 1, n + 1);
    Eigen::VectorXd b(n + 1);
    auto h = [&](const Eigen::Vector3d& p, const Eigen::Vector3d& q) {
      return 150.0 * (m * (p - q)).norm();
    };
    for (std::size_t p = 0; p < n; ++p) {
      for (std::size_t q = 0; q < n; ++q)
        a(p, q) = model.covariance(p == q ? 0.0 : h(points[nb[p]], points[nb[q]]));
      a(p, n) = a(n, p) = 1.0;
      b[p] = model.covariance(h(points[nb[p]], x));
    }
    a(n, n) = 0.0;
    b[n] = 1.0;
    const Eigen::VectorXd w = a.fullPivLu().solve(b);
    double est = 0.0, var = 1.0 - w[n];
    for (std::size_t p = 0; p < n; ++p) {
      est += w[p] * values[nb[p]];
      var -= w[p] * b[p];
    }
    EXPECT_NEAR(r.channels[0].values[v], est, 1e-5);
    EXPECT_NEAR(r.channels[1].values[v], var, 1e-5);
  }
}

TEST(Kriging, ByHand) {
  VolumeSpec spec;
  spec.nx = 2;
  spec.ny = spec.nz = 1;
  spec.spacing = {10.0, 10.0, 10.0};  // centres (5, 5, 5) and (15, 5, 5)
  VariogramModel model;
  model.nugget = 0.25;
  model.sill = 0.75;
  model.range = 40.0;
  const std::vector<VariogramModel> models{model};
  EstimationOptions o;
  o.method = EstimationMethod::Kriging;
  o.neighbors = 1;
  // One sample at (5, 5, 5): exact there (variance 0); 10 away the estimate is the sample
  // and the variance 2 gamma(10).
  auto r = estimateVolume(samplesOf({{5, 5, 5}}, {3.0}), {"AU"}, spec, o, 0.5, &models);
  EXPECT_NEAR(r.channels[0].values[0], 3.0, 1e-6);
  EXPECT_NEAR(r.channels[1].values[0], 0.0, 1e-6);
  EXPECT_NEAR(r.channels[0].values[1], 3.0, 1e-6);
  EXPECT_NEAR(r.channels[1].values[1], 2.0 * model.gamma(10.0), 1e-6);
  // Weights sum to one: a constant field stays constant whatever the configuration.
  o.neighbors = 5;
  r = estimateVolume(
      samplesOf({{0, 0, 0}, {30, 2, 5}, {8, 9, 1}, {14, 3, 3}, {40, 10, 10}}, {2, 2, 2, 2, 2}),
      {"AU"}, spec, o, 0.5, &models);
  EXPECT_NEAR(r.channels[0].values[0], 2.0, 1e-6);
  EXPECT_NEAR(r.channels[0].values[1], 2.0, 1e-6);
  // Without a model given, the variogram is fitted and reported.
  std::mt19937 rng(2);
  const auto points = randomPoints(rng, 200, 100.0);
  std::vector<double> values(points.size());
  for (std::size_t i = 0; i < values.size(); ++i)
    values[i] = std::sin(points[i].x() / 15.0) + 0.1 * (i % 3);
  const auto fitted = estimateVolume(samplesOf(points, values), {"AU"}, spec, o);
  ASSERT_EQ(fitted.variography.size(), 1u);
  EXPECT_EQ(fitted.variography[0].experimental[0].direction, "omni");
  EXPECT_GT(fitted.variography[0].model.sill, 0.0);
}

}  // namespace
}  // namespace orevox
