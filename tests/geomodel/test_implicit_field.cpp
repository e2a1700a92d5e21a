// The finite-difference implicit field (fdi): exact on linear fields, equal to an independent
// dense least-squares solution of the same equations, independent of threads and grid
// levels, and one-line errors for undetermined or misplaced constraints.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <functional>
#include <random>

#include "error_message.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/geomodel/implicit_field.hpp"

using orevox_test::messageOf;

using namespace orevox;

namespace {

VolumeSpec box(std::size_t nx, std::size_t ny, std::size_t nz, std::array<double, 3> h,
               std::array<double, 3> origin = {0, 0, 0}) {
  VolumeSpec s;
  s.nx = nx;
  s.ny = ny;
  s.nz = nz;
  s.spacing = h;
  s.origin = origin;
  return s;
}

Eigen::Vector3d centre(const VolumeSpec& s, std::size_t i, std::size_t j, std::size_t k) {
  return {s.centreX(i), s.centreY(j), s.centreZ(k)};
}

/// A uniform random point inside the hull of the voxel centres.
Eigen::Vector3d randomInside(const VolumeSpec& s, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  return {s.centreX(0) + u(rng) * (double(s.nx) - 1.0) * s.spacing[0],
          s.centreY(0) + u(rng) * (double(s.ny) - 1.0) * s.spacing[1],
          s.centreZ(0) + u(rng) * (double(s.nz) - 1.0) * s.spacing[2]};
}

}  // namespace

TEST(ImplicitField, NormalFromDipAzimuthByHand) {
  EXPECT_LT((normalFromDipAzimuth(0, 123) - Eigen::Vector3d(0, 0, 1)).norm(), 1e-12);
  EXPECT_LT((normalFromDipAzimuth(90, 90) - Eigen::Vector3d(1, 0, 0)).norm(), 1e-12);
  EXPECT_LT((normalFromDipAzimuth(90, 180) - Eigen::Vector3d(0, -1, 0)).norm(), 1e-12);
  // 30 degrees towards the east, overturned: the field increases down and to the west.
  const Eigen::Vector3d n = normalFromDipAzimuth(30, 90, -1);
  EXPECT_LT((n - Eigen::Vector3d(-0.5, 0, -std::sqrt(3.0) / 2)).norm(), 1e-12);
}

TEST(ImplicitField, ReproducesALinearFieldExactly) {
  // A linear field satisfies every equation: second derivatives vanish, values and gradients
  // match. The least-squares solution is that field, at every voxel, on an anisotropic grid.
  const VolumeSpec s = box(14, 11, 9, {10, 12, 5}, {1000, 2000, -300});
  const Eigen::Vector3d g(0.02, -0.01, 0.05);
  auto f = [&](const Eigen::Vector3d& p) {
    return 3.0 + g.dot(p - Eigen::Vector3d(1000, 2000, -300));
  };
  std::mt19937_64 rng(7);
  FeatureConstraints feature;
  feature.name = "strati";
  feature.source = "linear.csv";
  for (int n = 0; n < 40; ++n) {
    const Eigen::Vector3d p = randomInside(s, rng);
    feature.values.push_back({p, f(p), n + 2});
  }
  for (int n = 0; n < 3; ++n)
    feature.orientations.push_back({randomInside(s, rng), g.normalized(), 50 + n});
  FdiOptions o;
  o.tolerance = 1e-11;
  o.maxIterations = 5000;
  o.coarsestVoxels = 4;
  const ImplicitField field = interpolateFdi(feature, s, o);
  ASSERT_EQ(field.values.size(), s.size());
  EXPECT_NEAR(field.stats.gradientScale, g.norm(), 1e-9);
  EXPECT_TRUE(field.stats.converged);
  EXPECT_EQ(field.stats.levels, 2u);  // 14 x 11 x 9 -> 7 x 6 x 5, then 4 x 3 x 3 < 4
  double worst = 0;
  for (std::size_t k = 0; k < s.nz; ++k)
    for (std::size_t j = 0; j < s.ny; ++j)
      for (std::size_t i = 0; i < s.nx; ++i)
        worst = std::max(worst, std::abs(field.values[s.index(i, j, k)] - f(centre(s, i, j, k))));
  EXPECT_LT(worst, 2e-5);  // float storage of values up to ~10
  // Between the centres the trilinear interpolant of a linear field is the field.
  const Eigen::Vector3d p(1043.7, 2061.1, -281.3);
  EXPECT_NEAR(sampleTrilinear(s, field.values, p), f(p), 2e-5);
}

TEST(ImplicitField, EqualsADenseLeastSquaresSolutionOfTheSameEquations) {
  // An independent assembly of the equations (value rows, gradient rows, every second
  // derivative at every voxel where it fits) solved densely by QR, against the matrix-free
  // conjugate gradients.
  const VolumeSpec s = box(6, 5, 4, {1, 1.5, 2});
  std::mt19937_64 rng(3);
  FeatureConstraints feature;
  feature.name = "series";
  std::uniform_real_distribution<double> noise(-0.3, 0.3);
  for (int n = 0; n < 12; ++n) {
    const Eigen::Vector3d p = randomInside(s, rng);
    feature.values.push_back({p, std::sin(p.x()) + 0.4 * p.z() + noise(rng), 0});
  }
  feature.orientations.push_back(
      {randomInside(s, rng), Eigen::Vector3d(0.2, 0.1, 1).normalized(), 0});
  feature.orientations.push_back(
      {randomInside(s, rng), Eigen::Vector3d(-0.3, 0.0, 1).normalized(), 0});
  FdiOptions o;
  o.regularisation = 0.3;
  o.valueWeight = 2.0;
  o.gradientWeight = 0.5;
  o.tolerance = 1e-13;
  o.maxIterations = 20000;
  o.coarsestVoxels = 0;
  const ImplicitField field = interpolateFdi(feature, s, o);

  // The gradient scale: |slope| of the least-squares linear fit of the values.
  Eigen::MatrixXd design(feature.values.size(), 4);
  Eigen::VectorXd vals(feature.values.size());
  for (std::size_t n = 0; n < feature.values.size(); ++n) {
    design.row(Eigen::Index(n)) << 1.0, feature.values[n].position.transpose();
    vals[Eigen::Index(n)] = feature.values[n].value;
  }
  const Eigen::Vector4d fit = design.colPivHouseholderQr().solve(vals);
  const double scale = fit.tail<3>().norm();
  EXPECT_NEAR(field.stats.gradientScale, scale, 1e-9);

  const std::size_t n = s.size();
  const double h0 = std::cbrt(s.spacing[0] * s.spacing[1] * s.spacing[2]);
  std::vector<Eigen::VectorXd> rows;
  std::vector<double> rhs;
  auto trilinear = [&](const Eigen::Vector3d& p, int derivative, double weight) {
    Eigen::VectorXd row = Eigen::VectorXd::Zero(Eigen::Index(n));
    double u[3];
    std::size_t i0[3];
    for (int a = 0; a < 3; ++a) {
      const double c = (p[a] - s.origin[a]) / s.spacing[a] - 0.5;
      i0[a] = std::size_t(std::floor(c));
      u[a] = c - double(i0[a]);
    }
    for (int c = 0; c < 8; ++c) {
      const int b[3] = {c & 1, (c >> 1) & 1, (c >> 2) & 1};
      double w = 1;
      for (int a = 0; a < 3; ++a) {
        if (a == derivative)
          w *= (b[a] ? 1.0 : -1.0) / s.spacing[a];
        else
          w *= b[a] ? u[a] : 1.0 - u[a];
      }
      row[Eigen::Index(s.index(i0[0] + b[0], i0[1] + b[1], i0[2] + b[2]))] += weight * w;
    }
    return row;
  };
  for (const auto& v : feature.values) {
    rows.push_back(trilinear(v.position, -1, std::sqrt(o.valueWeight)));
    rhs.push_back(std::sqrt(o.valueWeight) * v.value);
  }
  for (const auto& or_ : feature.orientations) {
    for (int a = 0; a < 3; ++a) {
      rows.push_back(trilinear(or_.position, a, std::sqrt(o.gradientWeight) * h0));
      rhs.push_back(std::sqrt(o.gradientWeight) * h0 * scale * or_.normal[a]);
    }
  }
  const long dims[3] = {long(s.nx), long(s.ny), long(s.nz)};
  for (long k = 0; k < dims[2]; ++k) {
    for (long j = 0; j < dims[1]; ++j) {
      for (long i = 0; i < dims[0]; ++i) {
        const long at[3] = {i, j, k};
        auto idx = [&](long a, long b, long c) {
          return Eigen::Index(s.index(std::size_t(a), std::size_t(b), std::size_t(c)));
        };
        for (int a = 0; a < 3; ++a) {  // f_aa
          if (at[a] < 1 || at[a] > dims[a] - 2) continue;
          long d[3] = {0, 0, 0};
          d[a] = 1;
          const double w = std::sqrt(o.regularisation) * h0 * h0 / (s.spacing[a] * s.spacing[a]);
          Eigen::VectorXd row = Eigen::VectorXd::Zero(Eigen::Index(n));
          row[idx(i - d[0], j - d[1], k - d[2])] += w;
          row[idx(i, j, k)] -= 2 * w;
          row[idx(i + d[0], j + d[1], k + d[2])] += w;
          rows.push_back(row);
          rhs.push_back(0);
        }
        for (int a = 0; a < 3; ++a) {  // f_ab, counted twice
          for (int b = a + 1; b < 3; ++b) {
            if (at[a] < 1 || at[a] > dims[a] - 2 || at[b] < 1 || at[b] > dims[b] - 2) continue;
            const double w =
                std::sqrt(2 * o.regularisation) * h0 * h0 / (4 * s.spacing[a] * s.spacing[b]);
            Eigen::VectorXd row = Eigen::VectorXd::Zero(Eigen::Index(n));
            for (int sa : {-1, 1}) {
              for (int sb : {-1, 1}) {
                long q[3] = {i, j, k};
                q[a] += sa;
                q[b] += sb;
                row[idx(q[0], q[1], q[2])] += w * sa * sb;
              }
            }
            rows.push_back(row);
            rhs.push_back(0);
          }
        }
      }
    }
  }
  Eigen::MatrixXd a(rows.size(), n);
  Eigen::VectorXd b(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    a.row(Eigen::Index(r)) = rows[r].transpose();
    b[Eigen::Index(r)] = rhs[r];
  }
  const Eigen::VectorXd x = a.colPivHouseholderQr().solve(b);
  for (std::size_t m = 0; m < n; ++m)
    EXPECT_NEAR(field.values[m], x[Eigen::Index(m)], 2e-5 * (1 + std::abs(x[Eigen::Index(m)])));
}

TEST(ImplicitField, CoarseToFineAndThreadsGiveTheSameField) {
  const VolumeSpec s = box(33, 29, 18, {20, 20, 10});
  std::mt19937_64 rng(11);
  FeatureConstraints feature;
  feature.name = "strati";
  // Two folded horizons, values 0 and 1.
  for (int n = 0; n < 300; ++n) {
    const Eigen::Vector3d p = randomInside(s, rng);
    for (int h = 0; h < 2; ++h) {
      const double z = 60 + 25 * std::sin(p.x() / 150) + 8 * std::cos(p.y() / 90) + 50 * h;
      feature.values.push_back({Eigen::Vector3d(p.x(), p.y(), z), double(h), 0});
    }
  }
  FdiOptions o;
  o.tolerance = 1e-9;
  o.maxIterations = 20000;
  setThreadCount(2);
  const ImplicitField two = interpolateFdi(feature, s, o);
  setThreadCount(1);
  const ImplicitField one = interpolateFdi(feature, s, o);
  setThreadCount(0);
  EXPECT_EQ(one.values, two.values);  // fixed-block reductions: bitwise the same
  EXPECT_GE(two.stats.levels, 2u);
  o.coarsestVoxels = 0;
  const ImplicitField single = interpolateFdi(feature, s, o);
  EXPECT_EQ(single.stats.levels, 1u);
  double worst = 0;
  for (std::size_t m = 0; m < s.size(); ++m)
    worst = std::max(worst, double(std::abs(single.values[m] - two.values[m])));
  EXPECT_LT(worst, 1e-3);  // the same minimiser, each solved to 1e-9
  // The multigrid preconditioner needs far fewer iterations than Jacobi alone.
  EXPECT_LT(5 * two.stats.iterations, single.stats.iterations);
  // The horizons are honoured: at the data points the field is near their values.
  double misfit = 0;
  for (const auto& v : feature.values)
    misfit = std::max(misfit, std::abs(sampleTrilinear(s, two.values, v.position) - v.value));
  EXPECT_LT(misfit, 0.1);
}

TEST(ImplicitField, UndeterminedOrMisplacedConstraintsAreOneLineErrors) {
  const VolumeSpec s = box(10, 10, 10, {10, 10, 10});
  FeatureConstraints f;
  f.name = "top";
  f.source = "c.csv";
  f.values.push_back({Eigen::Vector3d(50, 50, 50), 0.0, 4});
  f.values.push_back({Eigen::Vector3d(20, 50, 50), 0.0, 5});
  EXPECT_EQ(messageOf([&] { interpolateFdi(f, s); }),
            "c.csv: feature 'top' has 2 points of one value and no orientation: its field is "
            "undetermined");
  f.values.push_back({Eigen::Vector3d(20, 80, 50), 1.0, 6});
  f.values.push_back({Eigen::Vector3d(60, 10, 50), 1.0, 7});
  EXPECT_EQ(
      messageOf([&] { interpolateFdi(f, s); }),
      "c.csv: feature 'top': its 4 points lie in one plane and it has no orientation: its field is "
      "undetermined");
  f.orientations.push_back({Eigen::Vector3d(50, 50, 50), Eigen::Vector3d(0, 0, 1), 8});
  EXPECT_NO_THROW(interpolateFdi(f, s));  // the orientation fixes the field across the plane
  f.values.push_back({Eigen::Vector3d(50, 50, 106), 0.0, 9});
  EXPECT_EQ(
      messageOf([&] { interpolateFdi(f, s); }),
      "c.csv:9: value '50,50,106': feature 'top': constraint outside the model box (z 0 to 100)");
  f.values.back().position.z() = std::nan("");
  EXPECT_EQ(messageOf([&] { interpolateFdi(f, s); }),
            "c.csv:9: value '50,50,nan': feature 'top': a coordinate is not a number");
  FeatureConstraints none;
  none.name = "empty";
  none.source = "c.csv";
  none.orientations.push_back({Eigen::Vector3d(50, 50, 50), Eigen::Vector3d(0, 0, 1), 3});
  EXPECT_EQ(
      messageOf([&] { interpolateFdi(none, s); }),
      "c.csv: feature 'empty' has no interface point (a value is needed to place its surfaces)");
  EXPECT_EQ(messageOf([&] {
              interpolateFdi(f, box(10, 1, 10, {10, 10, 10}));
            }),
            "fdi: the model box needs at least 2 voxels along each axis, got 10 x 1 x 10");
}

TEST(RbfInterpolant, ReproducesLinearFieldsAndHonoursEveryConstraint) {
  for (RbfKernel kernel : {RbfKernel::Cubic, RbfKernel::Gaussian}) {
    const VolumeSpec s = box(12, 10, 8, {10, 10, 10}, {500000, 7000000, -100});
    std::mt19937_64 rng(5);
    // A linear field: the drift alone reproduces it, everywhere.
    const Eigen::Vector3d g(0.01, 0.02, -0.03);
    FeatureConstraints linear;
    linear.name = "plane";
    for (int n = 0; n < 30; ++n) {
      const Eigen::Vector3d p = randomInside(s, rng);
      linear.values.push_back({p, 2.0 + g.dot(p - Eigen::Vector3d(500000, 7000000, 0)), 0});
    }
    linear.orientations.push_back({randomInside(s, rng), g.normalized(), 0});
    RbfOptions o;
    o.kernel = kernel;
    const RbfInterpolant lf = RbfInterpolant::fit(linear, o);
    for (int n = 0; n < 20; ++n) {
      const Eigen::Vector3d p = randomInside(s, rng);
      EXPECT_NEAR(lf.value(p), 2.0 + g.dot(p - Eigen::Vector3d(500000, 7000000, 0)), 1e-7);
      EXPECT_LT((lf.gradient(p) - g).norm(), 1e-8);
    }
    // A curved field: the values and the gradients are interpolated exactly.
    FeatureConstraints curved;
    curved.name = "fold";
    for (int n = 0; n < 40; ++n) {
      const Eigen::Vector3d p = randomInside(s, rng);
      curved.values.push_back({p, std::sin((p.x() - 500000) / 30) + 0.02 * p.z(), 0});
    }
    curved.orientations.push_back(
        {randomInside(s, rng), Eigen::Vector3d(0.3, 0, 1).normalized(), 0});
    curved.orientations.push_back(
        {randomInside(s, rng), Eigen::Vector3d(0, -0.2, 1).normalized(), 0});
    const RbfInterpolant cf = RbfInterpolant::fit(curved, o);
    EXPECT_EQ(cf.equations(), 46u);
    for (const auto& v : curved.values) EXPECT_NEAR(cf.value(v.position), v.value, 1e-7);
    for (const auto& q : curved.orientations)
      EXPECT_LT((cf.gradient(q.position) - cf.gradientScale() * q.normal).norm(),
                1e-7 * cf.gradientScale());
    // The gradient is the derivative of the value (central differences).
    const Eigen::Vector3d p = randomInside(s, rng);
    for (int a = 0; a < 3; ++a) {
      Eigen::Vector3d e = Eigen::Vector3d::Zero();
      e[a] = 1e-3;
      EXPECT_NEAR(cf.gradient(p)[a], (cf.value(p + e) - cf.value(p - e)) / 2e-3, 1e-6);
    }
    // On a grid: the interpolant at every voxel centre.
    const ImplicitField field = interpolateRbf(curved, s, o);
    EXPECT_EQ(field.stats.equations, 46u);
    for (std::size_t m = 0; m < s.size(); m += 37) {
      const std::size_t i = m % s.nx, j = (m / s.nx) % s.ny, k = m / (s.nx * s.ny);
      EXPECT_NEAR(field.values[m], cf.value(centre(s, i, j, k)),
                  1e-5 * (1 + std::abs(cf.value(centre(s, i, j, k)))));
    }
  }
}

TEST(RbfInterpolant, TooManyOrContradictoryConstraintsAreErrors) {
  FeatureConstraints f;
  f.name = "top";
  f.source = "c.csv";
  for (int n = 0; n < 10; ++n)
    f.values.push_back({Eigen::Vector3d(n, n * n, n % 3), double(n % 2), 0});
  RbfOptions o;
  o.maxEquations = 5;
  EXPECT_EQ(messageOf([&] { RbfInterpolant::fit(f, o); }),
            "rbf: feature 'top' has 10 equations, more than 5 (the dense solve grows as n^3): use "
            "the fdi interpolator");
  f.values.push_back({Eigen::Vector3d(1, 1, 1), 7.0, 0});  // where another point says 1
  EXPECT_EQ(messageOf([&] { RbfInterpolant::fit(f); }),
            "c.csv: rbf: feature 'top': the interpolation system is singular (repeated points with "
            "different values?)");
}
