// Mesh <-> voxels: inside masks and distances against hand-computed and brute-force values,
// distances signed by side for faults, OpenVDB's narrow band against the exact distances,
// and isosurfaces back to meshes.
#include <gtest/gtest.h>

#include <cmath>

#include "error_message.hpp"
#include "geomodel/mesh_fixtures.hpp"
#include "orevox/core/error.hpp"
#include "orevox/geomodel/mesh.hpp"
#include "orevox/voxel/mesh_volume.hpp"
#include "orevox/voxel/voxel_model.hpp"

using orevox_test::messageOf;

using namespace orevox;
using orevox_test::bruteForceDistance;
using orevox_test::icosphere;
using orevox_test::tetrahedron;
using orevox_test::unitCube;

namespace {

VolumeSpec box(std::size_t nx, std::size_t ny, std::size_t nz, Eigen::Vector3d origin,
               Eigen::Vector3d spacing) {
  VolumeSpec s;
  s.nx = nx;
  s.ny = ny;
  s.nz = nz;
  s.origin = {origin.x(), origin.y(), origin.z()};
  s.spacing = {spacing.x(), spacing.y(), spacing.z()};
  return s;
}

Eigen::Vector3d centre(const VolumeSpec& s, std::size_t i, std::size_t j, std::size_t k) {
  return {s.centreX(i), s.centreY(j), s.centreZ(k)};
}

}  // namespace

TEST(MeshInsideMask, CubeByHand) {
  // Centres at -0.375, -0.125, 0.125, ..., 1.375: inside the unit cube for 4 of 8 per axis.
  const VolumeSpec s = box(8, 8, 8, {-0.5, -0.5, -0.5}, {0.25, 0.25, 0.25});
  const std::vector<std::uint8_t> mask = meshInsideMask(unitCube(), s);
  std::size_t count = 0;
  for (std::size_t k = 0; k < 8; ++k)
    for (std::size_t j = 0; j < 8; ++j)
      for (std::size_t i = 0; i < 8; ++i) {
        const bool expected = i >= 2 && i < 6 && j >= 2 && j < 6 && k >= 2 && k < 6;
        EXPECT_EQ(mask[s.index(i, j, k)], expected ? 1 : 0) << i << " " << j << " " << k;
        count += mask[s.index(i, j, k)];
      }
  EXPECT_EQ(count, 64u);
  // Centres on the face diagonals of the triangulation (0.5, 0.5): one crossing per face.
  const VolumeSpec d = box(1, 1, 3, {0.25, 0.25, -0.25}, {0.5, 0.5, 0.5});  // z = 0, 0.5, 1.0
  const auto m = meshInsideMask(unitCube(), d);
  EXPECT_EQ(m[1], 1);
}

TEST(MeshInsideMask, TetrahedronByHand) {
  const VolumeSpec s = box(12, 11, 10, {-0.21, -0.17, -0.23}, {0.13, 0.131, 0.137});
  const std::vector<std::uint8_t> mask = meshInsideMask(tetrahedron(), s);
  std::size_t inside = 0;
  for (std::size_t k = 0; k < s.nz; ++k)
    for (std::size_t j = 0; j < s.ny; ++j)
      for (std::size_t i = 0; i < s.nx; ++i) {
        const Eigen::Vector3d p = centre(s, i, j, k);
        const bool expected = p.x() > 0 && p.y() > 0 && p.z() > 0 && p.sum() < 1.0;
        ASSERT_EQ(mask[s.index(i, j, k)], expected ? 1 : 0) << p.transpose();
        inside += expected;
      }
  EXPECT_GT(inside, 20u);
}

TEST(MeshInsideMask, OpenMeshIsAOneLineError) {
  TriangleMesh open = unitCube();
  open.triangles.resize(10);
  open.source = "ore_open.ts";
  const VolumeSpec s = box(2, 2, 2, {0, 0, 0}, {1, 1, 1});
  EXPECT_EQ(
      messageOf([&] { meshInsideMask(open, s); }),
      "ore_open.ts: the mesh is not closed: 4 boundary edges; the inside mask needs a closed mesh");
  EXPECT_NE(messageOf([&] { meshDistanceField(open, s); }).find("4 boundary edges"),
            std::string::npos);
  // Closing the hole (the two missing triangles of the x = 1 face) first.
  HoleFilling filled;
  const auto mask = meshInsideMask(open, s, 4, &filled);
  EXPECT_EQ(filled.filled, 1u);
  EXPECT_EQ(filled.trianglesAdded, 2u);
  // Only the centre (0.5, 0.5, 0.5) lies inside; the others have a coordinate 1.5.
  EXPECT_EQ(mask, (std::vector<std::uint8_t>{1, 0, 0, 0, 0, 0, 0, 0}));
  MeshDistanceOptions fill;
  fill.fillHoles = 4;
  const MeshDistanceField f = meshDistanceField(open, s, fill);
  EXPECT_EQ(f.filled.filled, 1u);
  EXPECT_FLOAT_EQ(f.values[s.index(0, 0, 0)], -0.5f);  // (0.5, 0.5, 0.5), inside the cube
  EXPECT_NO_THROW(meshDistanceField(open, s, [] {
    MeshDistanceOptions o;
    o.sign = DistanceSign::None;
    return o;
  }()));
}

TEST(MeshDistanceField, SignedDistanceEqualsBruteForceEverywhere) {
  // An icosphere inside an anisotropic box; every voxel, no band.
  const TriangleMesh sphere = icosphere(Eigen::Vector3d(1.0, -0.5, 0.3), 1.2, 2);
  const VolumeSpec s = box(14, 12, 10, {-1.0, -2.4, -1.5}, {0.3, 0.32, 0.36});
  const MeshDistanceField f = meshDistanceField(sphere, s);
  EXPECT_EQ(f.activeCount, s.size());
  const std::vector<std::uint8_t> inside = meshInsideMask(sphere, s);
  std::size_t negative = 0;
  for (std::size_t k = 0; k < s.nz; ++k)
    for (std::size_t j = 0; j < s.ny; ++j)
      for (std::size_t i = 0; i < s.nx; ++i) {
        const std::size_t n = s.index(i, j, k);
        const Eigen::Vector3d p = centre(s, i, j, k);
        const double d = bruteForceDistance(sphere, p);
        ASSERT_NEAR(std::abs(f.values[n]), d, 1e-6 * (1.0 + d)) << p.transpose();
        // Inside the inscribed polyhedron: the distance to the centre is below the radius.
        const double r = (p - Eigen::Vector3d(1.0, -0.5, 0.3)).norm();
        if (r < 1.2 * 0.95) {
          ASSERT_LT(f.values[n], 0.0f) << p.transpose();
        }
        if (r > 1.2) {
          ASSERT_GT(f.values[n], 0.0f) << p.transpose();
        }
        ASSERT_EQ(f.values[n] < 0.0f, inside[n] == 1);
        negative += f.values[n] < 0.0f;
      }
  EXPECT_GT(negative, 50u);
}

TEST(MeshDistanceField, BandKeepsOnlyNearVoxelsWithTheSameValues) {
  const TriangleMesh sphere = icosphere(Eigen::Vector3d(0, 0, 0), 1.0, 2);
  const VolumeSpec s = box(16, 16, 16, {-2, -2, -2}, {0.25, 0.25, 0.25});
  const MeshDistanceField all = meshDistanceField(sphere, s);
  MeshDistanceOptions o;
  o.band = 0.3;
  const MeshDistanceField near = meshDistanceField(sphere, s, o);
  std::size_t expected = 0;
  for (std::size_t n = 0; n < s.size(); ++n) {
    const bool in = std::abs(double(all.values[n])) <= 0.3;
    expected += in;
    ASSERT_EQ(near.active[n], in ? 1 : 0);
    ASSERT_EQ(near.values[n], in ? all.values[n] : 0.0f);
  }
  EXPECT_EQ(near.activeCount, expected);
  EXPECT_GT(expected, 100u);
  EXPECT_LT(expected, s.size() / 2);
  o.flip = true;
  const MeshDistanceField flipped = meshDistanceField(sphere, s, o);
  for (std::size_t n = 0; n < s.size(); ++n) ASSERT_EQ(flipped.values[n], -near.values[n]);
}

TEST(MeshDistanceField, FaultHangingWallIsPositive) {
  // A fault plane dipping 45 degrees east (z = -x), larger than the box, its triangles
  // facing down-west (footwall) as drawn. The hanging wall lies above it: z > -x.
  TriangleMesh fault =
      orevox_test::heightField(-3, -3, 0.75, 0.75, 8, [](double x, double) { return -x; });
  fault.flipOrientation();
  fault.source = "fault.ts";
  const VolumeSpec s = box(10, 6, 10, {-1.3, -1.0, -1.2}, {0.25, 0.3, 0.27});
  MeshDistanceOptions o;
  o.sign = DistanceSign::Side;
  o.orient = SurfaceOrientation::Up;
  const MeshDistanceField up = meshDistanceField(fault, s, o);
  o.orient = SurfaceOrientation::Given;
  const MeshDistanceField given = meshDistanceField(fault, s, o);
  o.orient = SurfaceOrientation::Up;
  o.flip = true;
  const MeshDistanceField flipped = meshDistanceField(fault, s, o);
  for (std::size_t k = 0; k < s.nz; ++k)
    for (std::size_t j = 0; j < s.ny; ++j)
      for (std::size_t i = 0; i < s.nx; ++i) {
        const std::size_t n = s.index(i, j, k);
        const Eigen::Vector3d p = centre(s, i, j, k);
        const double expected = (p.z() + p.x()) / std::sqrt(2.0);  // signed distance to the plane
        ASSERT_NEAR(up.values[n], expected, 1e-6) << p.transpose();
        ASSERT_EQ(given.values[n], -up.values[n]);
        ASSERT_EQ(flipped.values[n], -up.values[n]);
      }
  // Unsigned: the absolute values.
  o = MeshDistanceOptions{};
  o.sign = DistanceSign::None;
  const MeshDistanceField none = meshDistanceField(fault, s, o);
  for (std::size_t n = 0; n < s.size(); ++n) ASSERT_EQ(none.values[n], std::abs(up.values[n]));
}

TEST(MeshDistanceField, SideBeyondTheEdgeOfAFiniteFault) {
  // A small horizontal square fault at z = 0 (normals up): beyond its edge the distance is
  // to the edge and the sign follows the side of the plane extended.
  TriangleMesh square;
  square.vertices = {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}};
  square.triangles = {{0, 1, 2}, {0, 2, 3}};
  const VolumeSpec s =
      box(1, 1, 2, {2.5, 0.25, -1.0}, {1, 0.5, 1});  // (3, 0.5, -0.5), (3, 0.5, 0.5)
  MeshDistanceOptions o;
  o.sign = DistanceSign::Side;
  const MeshDistanceField f = meshDistanceField(square, s, o);
  EXPECT_NEAR(f.values[0], -std::sqrt(4.0 + 0.25), 1e-6);
  EXPECT_NEAR(f.values[1], std::sqrt(4.0 + 0.25), 1e-6);
}

TEST(MeshDistanceField, OpenVdbAgreesNearTheSurface) {
  const TriangleMesh sphere = icosphere(Eigen::Vector3d(0.1, 0.05, -0.02), 1.0, 3);
  const VolumeSpec s = box(24, 24, 24, {-1.5, -1.5, -1.5}, {0.125, 0.125, 0.125});
  const MeshDistanceField exact = meshDistanceField(sphere, s);
  MeshDistanceOptions o;
  o.method = MeshDistanceMethod::OpenVdb;
  const MeshDistanceField vdb = meshDistanceField(sphere, s, o);
  EXPECT_EQ(vdb.activeCount, s.size());
  double worstNear = 0.0, worstFar = 0.0, worstSignFlip = 0.0;
  std::size_t signFlips = 0;
  for (std::size_t n = 0; n < s.size(); ++n) {
    const double e = std::abs(double(vdb.values[n]) - double(exact.values[n]));
    const bool near = std::abs(exact.values[n]) < 3 * 0.125;
    if (near)
      worstNear = std::max(worstNear, e);
    else
      worstFar = std::max(worstFar, e);
    if ((vdb.values[n] < 0.0f) != (exact.values[n] < 0.0f)) {
      ++signFlips;
      worstSignFlip = std::max(worstSignFlip, double(std::abs(exact.values[n])));
    }
  }
  // OpenVDB is not exact: single precision, a renormalisation near the surface, and far
  // voxels measured to the triangles their neighbours found closest. What this sphere shows
  // (measured): about 0.1 voxel near the surface, 0.3 voxel farther out, signs differing
  // only on the surface itself.
  EXPECT_LT(worstNear, 0.15 * 0.125);
  EXPECT_LT(worstFar, 0.5 * 0.125);
  EXPECT_LE(signFlips, 2u);
  EXPECT_LT(worstSignFlip, 1e-3 * 0.125);
  // Non-cubic voxels and sides are the exact method's.
  EXPECT_THROW(meshDistanceField(sphere, box(4, 4, 4, {0, 0, 0}, {1, 1, 2}), o), UsageError);
  o.sign = DistanceSign::Side;
  EXPECT_THROW(meshDistanceField(sphere, s, o), UsageError);
}

TEST(MeshVolumeChannels, InsideAndDistanceChannelsInAVoxelModel) {
  VolumeSpec s = box(8, 8, 8, {-0.5, -0.5, -0.5}, {0.25, 0.25, 0.25});
  VoxelModel model(s);
  addMeshInsideChannel(model, "orebody", unitCube());
  EXPECT_EQ(model.activeVoxelCount("orebody"), s.size());
  EXPECT_EQ(model.value("orebody", 3, 3, 3), 1.0f);
  EXPECT_EQ(model.value("orebody", 1, 3, 3), 0.0f);
  MeshDistanceOptions o;
  o.units = "m";
  o.band = 0.3;
  addMeshDistanceChannel(model, "ore_distance", unitCube(), o);
  EXPECT_EQ(model.units("ore_distance"), "m");
  EXPECT_FLOAT_EQ(model.value("ore_distance", 1, 3, 3), 0.125f);   // x = -0.125
  EXPECT_FLOAT_EQ(model.value("ore_distance", 2, 3, 3), -0.125f);  // x = 0.125, inside
  EXPECT_FALSE(model.isActive("ore_distance", 0, 0, 0));           // corner: 0.65 away
  addMeshDistanceChannel(model, "ore_distance", unitCube());       // replaced, unlimited
  EXPECT_NEAR(model.value("ore_distance", 0, 0, 0), std::sqrt(3 * 0.375 * 0.375), 1e-6);
}

TEST(Isosurface, PlaneOfALinearFieldEndsAtTheOutermostCells) {
  VolumeSpec s = box(6, 5, 7, {100.0, 200.0, 50.0}, {2.0, 3.0, 1.5});
  VoxelModel model(s);
  std::vector<float> z(s.size());
  for (std::size_t k = 0; k < s.nz; ++k)
    for (std::size_t j = 0; j < s.ny; ++j)
      for (std::size_t i = 0; i < s.nx; ++i) z[s.index(i, j, k)] = float(s.centreZ(k));
  model.setChannel("elevation", z, nullptr, "m", -1000.0f);
  const TriangleMesh plane = isosurface(model, "elevation", 55.2);
  ASSERT_GT(plane.triangleCount(), 0u);
  EXPECT_EQ(plane.name, "elevation=55.2");
  // Points sit in the middle of the cells between voxel centres: the plane spans from the
  // middle of the first cell to the middle of the last, 4 x 3 cells of 2 x 3 m, at 55.2 m;
  // the -1000 background outside the box makes no walls.
  const MeshBounds b = plane.bounds();
  EXPECT_NEAR(b.min.x(), s.centreX(0) + 1.0, 1e-4);
  EXPECT_NEAR(b.max.x(), s.centreX(s.nx - 1) - 1.0, 1e-4);
  EXPECT_NEAR(b.min.y(), s.centreY(0) + 1.5, 1e-4);
  EXPECT_NEAR(b.max.y(), s.centreY(s.ny - 1) - 1.5, 1e-4);
  EXPECT_NEAR(b.min.z(), 55.2, 1e-4);
  EXPECT_NEAR(b.max.z(), 55.2, 1e-4);
  EXPECT_NEAR(plane.area(), 8.0 * 9.0, 1e-3);
  EXPECT_EQ(plane.triangleCount(), 2u * 4u * 3u);
  for (std::size_t t = 0; t < plane.triangleCount(); ++t)
    ASSERT_NEAR(plane.faceNormal(t).z(), 1.0, 1e-6);  // towards larger values
  const MeshCheck c = checkMesh(plane);
  EXPECT_EQ(c.boundaryEdges, 2u * (4 + 3));
  EXPECT_EQ(c.unusedVertices, 0u);
  EXPECT_TRUE(c.oriented());
  // A value the field never takes: no triangles.
  EXPECT_EQ(isosurface(model, "elevation", 500.0).triangleCount(), 0u);
}

TEST(Isosurface, ZeroLevelOfASignedDistanceIsAClosedOutwardSurface) {
  // State Plane-sized coordinates: positions must come back to the same place.
  const Eigen::Vector3d c(2295000.0, 420000.0, 500.0);
  const TriangleMesh sphere = icosphere(c, 100.0, 3);
  VolumeSpec s = box(30, 30, 30, c - Eigen::Vector3d(150, 150, 150), {10, 10, 10});
  s.crsWkt = "LOCAL_CS[\"test\"]";
  VoxelModel model(s);
  addMeshDistanceChannel(model, "d", sphere);
  const TriangleMesh back = isosurface(model, "d", 0.0);
  const MeshCheck check = checkMesh(back);
  EXPECT_TRUE(check.closed());
  EXPECT_TRUE(check.oriented());
  EXPECT_GT(back.signedVolume(), 0.0);  // normals face the positive (outside) values
  EXPECT_NEAR(back.signedVolume() / sphere.signedVolume(), 1.0, 0.02);
  EXPECT_EQ(back.crsWkt, s.crsWkt);
  const MeshBounds b = back.bounds();
  EXPECT_NEAR(b.min.x(), c.x() - 100.0, 1.5);
  EXPECT_NEAR(b.max.z(), c.z() + 100.0, 1.5);
  // Every vertex within a small fraction of a voxel of the original surface.
  double worst = 0.0;
  for (const auto& v : back.vertices) worst = std::max(worst, bruteForceDistance(sphere, v));
  EXPECT_LT(worst, 1.0);
}

TEST(Isosurface, LabelChannelOfACubeComesBackAsACube) {
  VolumeSpec s = box(12, 12, 12, {-0.5, -0.5, -0.5}, {1.0 / 6, 1.0 / 6, 1.0 / 6});
  VoxelModel model(s);
  addMeshInsideChannel(model, "orebody", unitCube());
  const TriangleMesh back = isosurface(model, "orebody", 0.5);
  EXPECT_TRUE(checkMesh(back).closed());
  // Every point averages crossings half way between a 1 and a 0 centre, which lie on the
  // cube's faces: the surface stays inside the cube, its edges and corners cut off.
  for (const auto& v : back.vertices)
    for (int a = 0; a < 3; ++a) {
      ASSERT_GE(v[a], -1e-6);
      ASSERT_LE(v[a], 1.0 + 1e-6);
    }
  // Triangles face the values above 0.5, the 1s inside: the signed volume is negative.
  EXPECT_GE(back.signedVolume(), -1.0);
  EXPECT_LT(back.signedVolume(), -0.9);
  EXPECT_THROW(isosurface(model, "nope", 0.5), UsageError);
}

TEST(MeshDistanceOptions, DeclaredOnceForCliAndStudies) {
  MeshDistanceOptions o;
  OptionSet set("test");
  o.declare(set);
  set.set("mesh-distance-sign", "side");
  set.set("orient", "up");
  set.set("flip-side", "true");
  set.set("fill-holes", "3");
  set.set("mesh-distance-band", "250");
  set.set("mesh-distance-method", "openvdb");
  EXPECT_EQ(o.sign, DistanceSign::Side);
  EXPECT_EQ(o.orient, SurfaceOrientation::Up);
  EXPECT_TRUE(o.flip);
  EXPECT_EQ(o.fillHoles, 3u);
  EXPECT_EQ(o.band, 250.0);
  EXPECT_EQ(o.method, MeshDistanceMethod::OpenVdb);
  EXPECT_THROW(set.set("mesh-distance-band", "-1"), UsageError);
  EXPECT_EQ(messageOf([&] { set.set("mesh-distance-sign", "outside"); }),
            "--mesh-distance-sign: 'outside' is not one of inside, side, none");
}
