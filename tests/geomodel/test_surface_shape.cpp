// Shape predictors of surfaces against analytic truth: a plane (no curvature, dip change or
// undulation), a cylinder, a paraboloid and a sphere (known curvature and dip change), two
// planes crossing along a known line, flat and sloping topography.
#include <gtest/gtest.h>

#include <cmath>

#include "geomodel/mesh_fixtures.hpp"
#include "orevox/core/error.hpp"
#include "orevox/geomodel/mesh_distance.hpp"
#include "orevox/geomodel/surface_shape.hpp"

using namespace orevox;
using orevox_test::heightField;

namespace {

constexpr double kDeg = 180.0 / M_PI;

VolumeSpec box() {
  VolumeSpec s;
  s.nx = 12;
  s.ny = 10;
  s.nz = 8;
  s.spacing = {10, 10, 10};
  s.origin = {0, 0, -20};
  return s;
}

/// Vertex (i, j) of a heightField of n quads per side lies at least `margin` rings inside.
bool interior(std::size_t v, int n, int margin) {
  const int i = int(v) % (n + 1), j = int(v) / (n + 1);
  return i >= margin && j >= margin && i <= n - margin && j <= n - margin;
}

}  // namespace

TEST(SurfaceShape, PlaneHasNoCurvatureDipChangeOrUndulation) {
  const TriangleMesh plane =
      heightField(-50, -50, 25, 25, 12, [](double x, double y) { return 50 + 0.3 * x - 0.2 * y; });
  const VertexShape shape = vertexShape(plane);
  for (std::size_t v = 0; v < plane.vertexCount(); ++v) {
    EXPECT_NEAR(shape.meanCurvature[v], 0, 1e-12);
    EXPECT_NEAR(shape.dipChange[v], 0, 1e-9);
  }
  const TrendSurface trend = fitTrendSurface(plane);
  for (const auto& p : plane.vertices) EXPECT_NEAR(trend.offset(p), 0, 1e-9);
  const VolumeSpec s = box();
  const SurfacePredictorField f = surfacePredictors(plane, s);
  const double dip = std::atan(std::hypot(0.3, 0.2)) * kDeg;
  for (std::size_t n = 0; n < s.size(); ++n) {
    EXPECT_NEAR(f.dip[n], dip, 1e-4);
    EXPECT_NEAR(f.undulation[n], 0, 1e-6);
    EXPECT_NEAR(f.meanCurvature[n], 0, 1e-9);
    EXPECT_NEAR(f.dipChange[n], 0, 1e-6);
  }
  EXPECT_THROW(surfacePredictors(TriangleMesh{}, s), DataError);
}

TEST(SurfaceShape, CylinderHasHalfItsCurvatureAndFlattensDownDip) {
  // The lower half of a cylinder of radius R along y, normals up (towards its axis):
  // principal curvatures 1/R and 0, so H = +1/(2R) (concave up); going down dip the dip
  // falls by 1 radian per R metres of arc.
  const double R = 200;
  const int n = 40;
  const TriangleMesh cyl = heightField(-0.8 * R, 0, 1.6 * R / n, 10, n, [&](double x, double) {
    return R - std::sqrt(R * R - x * x);
  });
  const VertexShape shape = vertexShape(cyl);
  const double change = -100 * kDeg / R;
  std::size_t checked = 0;
  for (std::size_t v = 0; v < cyl.vertexCount(); ++v) {
    if (!interior(v, n, 2)) continue;
    EXPECT_NEAR(shape.meanCurvature[v], 1 / (2 * R), 0.01 / (2 * R)) << v;
    if (std::abs(cyl.vertices[v].x()) < 0.05 * R) continue;  // nearly flat at the bottom
    EXPECT_NEAR(shape.dipChange[v], change, 0.01 * std::abs(change)) << v;
    ++checked;
  }
  EXPECT_GT(checked, 1000u);
  // Seen from below (normals down), the same surface is convex towards its normals.
  TriangleMesh down = cyl;
  down.flipOrientation();
  const VertexShape flipped = vertexShape(down);
  for (std::size_t v = 0; v < cyl.vertexCount(); ++v)
    if (interior(v, n, 2)) {
      EXPECT_NEAR(flipped.meanCurvature[v], -shape.meanCurvature[v], 1e-12);
      EXPECT_NEAR(flipped.dipChange[v], shape.dipChange[v], 1e-9);
    }
}

TEST(SurfaceShape, ParaboloidCurvatureAndDipChangeAndNoUndulation) {
  // z = r^2 / (2R): meridian curvature (1/R) / (1 + r^2/R^2)^1.5, parallel (1/R) /
  // (1 + r^2/R^2)^0.5; the dip atan(r/R) changes along the meridian by the meridian
  // curvature, falling towards the centre (down dip).
  const double R = 300;
  const int n = 40;
  const TriangleMesh bowl = heightField(
      -150, -150, 7.5, 7.5, n, [&](double x, double y) { return (x * x + y * y) / (2 * R); }, true);
  const VertexShape shape = vertexShape(bowl);
  for (std::size_t v = 0; v < bowl.vertexCount(); ++v) {
    if (!interior(v, n, 2)) continue;
    const double r = std::hypot(bowl.vertices[v].x(), bowl.vertices[v].y());
    const double q = 1 + r * r / (R * R);
    const double kMeridian = 1 / (R * std::pow(q, 1.5)), kParallel = 1 / (R * std::sqrt(q));
    EXPECT_NEAR(shape.meanCurvature[v], (kMeridian + kParallel) / 2, 0.01 / R) << v;
    if (r < 15) continue;
    EXPECT_NEAR(shape.dipChange[v], -kMeridian * kDeg * 100, 0.02 * kMeridian * kDeg * 100) << v;
  }
  // A second-order surface is its own trend (the mirror-symmetric mesh makes the best-fit
  // plane horizontal, so the paraboloid is a quadratic in the trend's frame).
  const TrendSurface trend = fitTrendSurface(bowl);
  EXPECT_NEAR(std::abs(trend.w.z()), 1, 1e-12);
  for (const auto& p : bowl.vertices) EXPECT_NEAR(trend.offset(p), 0, 1e-9);
}

TEST(SurfaceShape, SphereBendsAwayFromItsOutwardNormals) {
  const double R = 100;
  const TriangleMesh ball = orevox_test::icosphere(Eigen::Vector3d(5, -3, 40), R, 4);
  const VertexShape shape = vertexShape(ball);
  for (std::size_t v = 0; v < ball.vertexCount(); ++v)
    EXPECT_NEAR(shape.meanCurvature[v], -1 / R, 0.02 / R) << v;
}

TEST(SurfaceShape, TrendResidualsAreOrthogonalToTheQuadraticsAndUndulationIsTheNearestPoints) {
  const int n = 24;
  const TriangleMesh bumpy = heightField(-20, -20, 7, 6, n, [](double x, double y) {
    return 0.3 * x + 20 * std::exp(-((x - 60) * (x - 60) + (y - 40) * (y - 40)) / 800) +
           5 * std::sin(x / 17);
  });
  const TrendSurface t = fitTrendSurface(bumpy);
  const std::vector<double> area = vertexAreas(bumpy);
  // Normal equations of the weighted fit: sum a_i r_i phi_k(u_i, v_i) = 0 for the six phi.
  double dot[6] = {0, 0, 0, 0, 0, 0}, size[6] = {0, 0, 0, 0, 0, 0};
  for (std::size_t i = 0; i < bumpy.vertexCount(); ++i) {
    const Eigen::Vector3d q = bumpy.vertices[i] - t.centre;
    const double x = q.dot(t.u), y = q.dot(t.v), r = t.offset(bumpy.vertices[i]);
    const double phi[6] = {1, x, y, x * x, x * y, y * y};
    for (int k = 0; k < 6; ++k) {
      dot[k] += area[i] * r * phi[k];
      size[k] += area[i] * std::abs(r * phi[k]);
    }
  }
  for (int k = 0; k < 6; ++k) EXPECT_LT(std::abs(dot[k]), 1e-9 * size[k]) << k;
  const VolumeSpec s = box();
  const SurfacePredictorField f = surfacePredictors(bumpy, s);
  for (std::size_t v = 0; v < s.size(); v += 5) {
    const std::size_t i = v % s.nx, j = (v / s.nx) % s.ny, k = v / (s.nx * s.ny);
    const Eigen::Vector3d p(s.centreX(i), s.centreY(j), s.centreZ(k));
    double best = 1e300;
    Eigen::Vector3d nearest;
    for (const auto& tr : bumpy.triangles) {
      Eigen::Vector3d c;
      const double d2 = pointTriangleDistanceSquared(
          p, bumpy.vertices[tr[0]], bumpy.vertices[tr[1]], bumpy.vertices[tr[2]], &c);
      if (d2 < best) {
        best = d2;
        nearest = c;
      }
    }
    EXPECT_NEAR(f.undulation[v], t.offset(nearest), 1e-3) << v;
  }
}

TEST(SurfaceShape, TwoPlanesCrossAlongTheirLine) {
  // z = 10 + 0.5 x meets the vertical plane x = 100 along the line x = 100, z = 60.
  const TriangleMesh a =
      heightField(-50, -50, 20, 20, 15, [](double x, double) { return 10 + 0.5 * x; });
  TriangleMesh b = heightField(-100, -50, 20, 20, 15, [](double, double) { return 0.0; });
  for (auto& p : b.vertices) p = Eigen::Vector3d(100, p.y(), p.x());
  const std::vector<Segment3> line = meshIntersection(a, b);
  ASSERT_FALSE(line.empty());
  double lo = 1e300, hi = -1e300, length = 0;
  for (const auto& s : line) {
    for (const auto& p : {s.a, s.b}) {
      EXPECT_NEAR(p.x(), 100, 1e-9);
      EXPECT_NEAR(p.z(), 60, 1e-9);
      lo = std::min(lo, p.y());
      hi = std::max(hi, p.y());
    }
    length += (s.b - s.a).norm();
  }
  EXPECT_NEAR(lo, -50, 1e-9);
  EXPECT_NEAR(hi, 250, 1e-9);
  EXPECT_GE(length, 300 - 1e-6);  // covers the line (shared edges may give it twice)
  const VolumeSpec s = box();
  const std::vector<float> d = segmentDistanceField(line, s);
  for (std::size_t k = 0; k < s.nz; ++k)
    for (std::size_t j = 0; j < s.ny; ++j)
      for (std::size_t i = 0; i < s.nx; ++i)
        EXPECT_NEAR(d[s.index(i, j, k)], std::hypot(s.centreX(i) - 100, s.centreZ(k) - 60), 1e-3);
  // Planes that do not reach each other do not cross.
  TriangleMesh far = b;
  for (auto& p : far.vertices) p.x() = 1000;
  EXPECT_TRUE(meshIntersection(a, far).empty());
  EXPECT_THROW(segmentDistanceField({}, s), DataError);
}

TEST(SurfaceShape, DepthBelowADemAndBelowAMesh) {
  const auto ground = [](double x, double y) { return 100 + 0.1 * x + 0.05 * y; };
  GridSpec g;
  g.width = 30;
  g.height = 30;
  g.geoTransform = {-100, 10, 0, 200, 0, -10};
  Raster dem(g);
  Band& band = dem.addBand("elevation");
  for (std::size_t r = 0; r < g.height; ++r)
    for (std::size_t c = 0; c < g.width; ++c)
      band.values[g.index(c, r)] = float(ground(g.centreX(double(c)), g.centreY(double(r))));
  // A flat DEM: depth is its elevation minus z.
  Raster flat(g);
  flat.addBand("elevation", 120.0f);
  VolumeSpec s = box();
  std::vector<std::uint8_t> active;
  const std::vector<float> dFlat = depthBelowSurface(flat, 0, s, active);
  for (std::size_t k = 0; k < s.nz; ++k)
    for (std::size_t j = 0; j < s.ny; ++j)
      for (std::size_t i = 0; i < s.nx; ++i) {
        EXPECT_EQ(active[s.index(i, j, k)], 1);
        EXPECT_NEAR(dFlat[s.index(i, j, k)], 120 - s.centreZ(k), 1e-4);
      }
  // A sloping DEM (bilinear interpolation is exact for a plane) and the same plane as a
  // mesh; the box reaches east beyond both (x > 200 and x > 250): inactive there.
  s.origin = {150, 0, -20};
  s.nx = 12;
  const TriangleMesh mesh = heightField(-50, -50, 25, 25, 12, ground);
  std::vector<std::uint8_t> activeMesh;
  const std::vector<float> dDem = depthBelowSurface(dem, 0, s, active);
  const std::vector<float> dMesh = depthBelowSurface(mesh, s, activeMesh);
  for (std::size_t k = 0; k < s.nz; ++k)
    for (std::size_t j = 0; j < s.ny; ++j)
      for (std::size_t i = 0; i < s.nx; ++i) {
        const std::size_t v = s.index(i, j, k);
        const double x = s.centreX(i), y = s.centreY(j), expected = ground(x, y) - s.centreZ(k);
        EXPECT_EQ(activeMesh[v], x < 250 ? 1 : 0);
        if (activeMesh[v]) {
          EXPECT_NEAR(dMesh[v], expected, 1e-4);
        }
        EXPECT_EQ(active[v], x < 200 ? 1 : 0);
        if (x < 195) {  // between cell centres
          EXPECT_NEAR(dDem[v], expected, 1e-3);
        }
      }
  // A nodata cell makes the columns next to it inactive.
  band.values[g.index(27, 15)] = dem.nodata();
  const std::vector<float> dHole = depthBelowSurface(dem, 0, s, active);
  const double x = g.centreX(27), y = g.centreY(15);
  const std::size_t i = std::size_t((x - s.origin[0]) / 10), j = std::size_t(y / 10);
  EXPECT_EQ(active[s.index(i, j, 0)], 0);
  EXPECT_EQ(active[s.index(0, 0, 0)], 1);
  EXPECT_EQ(dHole[s.index(i, j, 0)], 0.0f);
}
