// Dip and dip direction of a surface at the nearest point of every voxel centre: by hand on a
// plane, against a brute-force nearest triangle on a folded surface.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/mesh_distance.hpp"
#include "orevox/geomodel/surface_attitude.hpp"

using namespace orevox;

namespace {

/// A height field z(x, y) over [x0, x1] x [y0, y1] as an n x n grid of quads, two triangles each.
TriangleMesh heightField(const std::function<double(double, double)>& z, double x0, double x1,
                         double y0, double y1, std::uint32_t n) {
  TriangleMesh m;
  for (std::uint32_t j = 0; j <= n; ++j)
    for (std::uint32_t i = 0; i <= n; ++i) {
      const double x = x0 + (x1 - x0) * i / n, y = y0 + (y1 - y0) * j / n;
      m.vertices.emplace_back(x, y, z(x, y));
    }
  for (std::uint32_t j = 0; j < n; ++j)
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::uint32_t a = j * (n + 1) + i, b = a + 1, c = a + n + 1, d = c + 1;
      m.triangles.push_back({a, b, d});
      m.triangles.push_back({a, d, c});
    }
  return m;
}

VolumeSpec box() {
  VolumeSpec s;
  s.nx = 12;
  s.ny = 10;
  s.nz = 8;
  s.spacing = {10, 10, 10};
  s.origin = {0, 0, -20};
  return s;
}

}  // namespace

TEST(SurfaceAttitude, DipAndDirectionByHand) {
  double dip = 0, dir = 0;
  dipAndDirection({0, 0, 1}, dip, dir);
  EXPECT_DOUBLE_EQ(dip, 0);
  EXPECT_DOUBLE_EQ(dir, 0);
  dipAndDirection({1, 0, 0}, dip, dir);  // vertical, striking north-south, facing east
  EXPECT_NEAR(dip, 90, 1e-12);
  EXPECT_NEAR(dir, 90, 1e-12);
  dipAndDirection({0, -1, -1}, dip, dir);  // a downward normal is turned up: (0, 1, 1)
  EXPECT_NEAR(dip, 45, 1e-12);
  EXPECT_NEAR(dir, 0, 1e-12);
  dipAndDirection({-1, -1, std::sqrt(2.0)}, dip, dir);  // descends towards the south-west
  EXPECT_NEAR(dip, 45, 1e-12);
  EXPECT_NEAR(dir, 225, 1e-12);
}

TEST(SurfaceAttitude, PlaneHasOneAttitudeEverywhere) {
  // z = 0.5 x + 0.25 y + 10: steepest descent towards -(0.5, 0.25), dip atan(|grad z|).
  const TriangleMesh plane = heightField([](double x, double y) { return 0.5 * x + 0.25 * y + 10; },
                                         -50, 200, -50, 200, 10);
  const VolumeSpec s = box();
  const SurfaceAttitudeField f = surfaceAttitude(plane, s);
  const double dip = std::atan(std::hypot(0.5, 0.25)) * 180 / M_PI;
  const double dir = std::atan2(-0.5, -0.25) * 180 / M_PI + 360;
  for (std::size_t n = 0; n < s.size(); ++n) {
    EXPECT_NEAR(f.dip[n], dip, 1e-4);
    EXPECT_NEAR(f.dipDirection[n], dir, 1e-4);
  }
  EXPECT_THROW(surfaceAttitude(TriangleMesh{}, s), DataError);
}

TEST(SurfaceAttitude, FoldedSurfaceMatchesTheBruteForceNearestTriangle) {
  const TriangleMesh fold = heightField(
      [](double x, double y) { return 20 * std::sin(x / 25) + 0.1 * y; }, -20, 140, -20, 120, 24);
  const VolumeSpec s = box();
  const SurfaceAttitudeField f = surfaceAttitude(fold, s);
  std::size_t checked = 0;
  for (std::size_t n = 0; n < s.size(); n += 7) {
    const std::size_t i = n % s.nx, j = (n / s.nx) % s.ny, k = n / (s.nx * s.ny);
    const Eigen::Vector3d p(s.centreX(i), s.centreY(j), s.centreZ(k));
    double best = 1e300;
    for (std::size_t t = 0; t < fold.triangleCount(); ++t) {
      const auto& tr = fold.triangles[t];
      best =
          std::min(best, pointTriangleDistanceSquared(p, fold.vertices[tr[0]], fold.vertices[tr[1]],
                                                      fold.vertices[tr[2]]));
    }
    // The attitude of some triangle at the minimum distance (ties on shared edges).
    bool match = false;
    for (std::size_t t = 0; t < fold.triangleCount() && !match; ++t) {
      const auto& tr = fold.triangles[t];
      const double d2 = pointTriangleDistanceSquared(p, fold.vertices[tr[0]], fold.vertices[tr[1]],
                                                     fold.vertices[tr[2]]);
      if (std::sqrt(d2) > std::sqrt(best) + 1e-7) continue;
      double dip = 0, dir = 0;
      dipAndDirection(fold.faceNormal(t), dip, dir);
      match = std::abs(dip - f.dip[n]) < 1e-3 && std::abs(dir - f.dipDirection[n]) < 1e-3;
    }
    EXPECT_TRUE(match) << "voxel " << n;
    ++checked;
  }
  EXPECT_GT(checked, 100u);
}
