// TriangleMesh checks (closed, manifold, oriented, degenerate), orientation repair, area and
// volume, and the exact distance queries of MeshDistance against brute force.
#include <gtest/gtest.h>

#include <random>

#include "error_message.hpp"
#include "geomodel/mesh_fixtures.hpp"
#include "orevox/core/error.hpp"
#include "orevox/geomodel/mesh.hpp"
#include "orevox/geomodel/mesh_distance.hpp"

using orevox_test::messageOf;

using namespace orevox;
using orevox_test::boxMesh;
using orevox_test::bruteForceDistance;
using orevox_test::icosphere;
using orevox_test::referenceDistance;
using orevox_test::tetrahedron;
using orevox_test::unitCube;

TEST(TriangleMesh, CubeIsClosedManifoldOrientedWithUnitVolume) {
  const TriangleMesh cube = unitCube();
  const MeshCheck c = checkMesh(cube);
  EXPECT_EQ(c.vertices, 8u);
  EXPECT_EQ(c.triangles, 12u);
  EXPECT_EQ(c.edges, 18u);  // 12 cube edges + 6 face diagonals
  EXPECT_EQ(c.boundaryEdges, 0u);
  EXPECT_EQ(c.nonManifoldEdges, 0u);
  EXPECT_EQ(c.nonManifoldVertices, 0u);
  EXPECT_EQ(c.inconsistentEdges, 0u);
  EXPECT_EQ(c.degenerateTriangles, 0u);
  EXPECT_EQ(c.components, 1u);
  EXPECT_TRUE(c.closed());
  EXPECT_TRUE(c.manifold());
  EXPECT_TRUE(c.oriented());
  EXPECT_DOUBLE_EQ(c.area, 6.0);
  EXPECT_DOUBLE_EQ(c.volume, 1.0);
  for (std::size_t t = 0; t < cube.triangleCount(); ++t)
    EXPECT_NEAR(cube.faceNormal(t).norm(), 1.0, 1e-15);
}

TEST(TriangleMesh, VolumeKeepsPrecisionAtStatePlaneCoordinates) {
  // A 3 x 2 x 1 ft box at Babbitt-like coordinates (2.3 million ft).
  const Eigen::Vector3d lo(2289334.25, 415146.5, -646.0);
  const TriangleMesh box = boxMesh(lo, lo + Eigen::Vector3d(3, 2, 1));
  EXPECT_NEAR(box.signedVolume(), 6.0, 1e-9);
  EXPECT_NEAR(box.area(), 2 * (6 + 3 + 2), 1e-6);
  const MeshBounds b = box.bounds();
  EXPECT_FALSE(b.empty);
  EXPECT_EQ(b.min, lo);
  EXPECT_EQ(b.max, lo + Eigen::Vector3d(3, 2, 1));
}

TEST(TriangleMesh, TetrahedronVolumeAndArea) {
  const TriangleMesh t = tetrahedron(Eigen::Vector3d(1, 2, 3), 2.0);
  EXPECT_NEAR(t.signedVolume(), 8.0 / 6.0, 1e-14);
  // Three right triangles of area 2 and an equilateral one of side 2 sqrt 2.
  EXPECT_NEAR(t.area(), 3 * 2.0 + std::sqrt(3.0) / 4.0 * 8.0, 1e-13);
  EXPECT_TRUE(checkMesh(t).closed());
}

TEST(TriangleMesh, IcosphereIsClosedAndOutward) {
  const TriangleMesh s = icosphere(Eigen::Vector3d(10, 20, 30), 5.0, 2);
  const MeshCheck c = checkMesh(s);
  EXPECT_EQ(c.triangles, 320u);
  EXPECT_EQ(c.vertices, 162u);
  EXPECT_TRUE(c.closed());
  EXPECT_TRUE(c.manifold());
  EXPECT_TRUE(c.oriented());
  EXPECT_GT(c.volume, 0.9 * 4.0 / 3.0 * M_PI * 125.0);
  EXPECT_LT(c.volume, 4.0 / 3.0 * M_PI * 125.0);
}

TEST(TriangleMesh, MissingTriangleLeavesThreeBoundaryEdges) {
  TriangleMesh open = unitCube();
  open.triangles.pop_back();
  const MeshCheck c = checkMesh(open);
  EXPECT_EQ(c.boundaryEdges, 3u);
  EXPECT_FALSE(c.closed());
  EXPECT_TRUE(c.manifold());
  EXPECT_TRUE(c.oriented());
  open.source = "/data/ore.stl";
  const std::string m = messageOf([&] { requireClosedMesh(open, "the inside mask"); });
  EXPECT_EQ(m,
            "/data/ore.stl: the mesh is not closed: 3 boundary edges; the inside mask needs a "
            "closed mesh");
  EXPECT_NO_THROW(requireClosedMesh(unitCube(), "x"));
}

TEST(TriangleMesh, EdgeOfThreeTrianglesIsNonManifold) {
  TriangleMesh m;
  m.vertices = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}};
  m.triangles = {{0, 1, 2}, {1, 0, 3}, {0, 1, 4}};
  const MeshCheck c = checkMesh(m);
  EXPECT_EQ(c.nonManifoldEdges, 1u);
  EXPECT_EQ(c.boundaryEdges, 6u);
  EXPECT_FALSE(c.manifold());
  EXPECT_FALSE(c.closed());
  const std::string msg = messageOf([&] { requireClosedMesh(m, "the signed distance"); });
  EXPECT_EQ(
      msg,
      "the mesh: the mesh is not closed: 6 boundary edges and 1 edges shared by an odd number "
      "of triangles above two; the signed distance needs a closed mesh");
}

TEST(TriangleMesh, HolesOfAFewEdgesAreFilledConsistently) {
  TriangleMesh m = unitCube();
  m.faceProperties.push_back({"domain", 1, std::vector<double>(12, 3.0)});
  m.triangles.erase(m.triangles.begin() + 2, m.triangles.begin() + 4);  // the whole top face
  m.faceProperties[0].values.resize(10);
  EXPECT_EQ(checkMesh(m).boundaryEdges, 4u);
  HoleFilling f = fillHoles(m, 3);
  EXPECT_EQ(f.holes, 1u);
  EXPECT_EQ(f.filled, 0u);
  EXPECT_EQ(f.largestLeft, 4u);
  EXPECT_EQ(m.triangleCount(), 10u);
  f = fillHoles(m, 4);
  EXPECT_EQ(f.filled, 1u);
  EXPECT_EQ(f.trianglesAdded, 2u);
  const MeshCheck c = checkMesh(m);
  EXPECT_TRUE(c.closed());
  EXPECT_TRUE(c.oriented());
  EXPECT_DOUBLE_EQ(c.volume, 1.0);
  ASSERT_EQ(m.faceProperties[0].values.size(), 12u);
  EXPECT_TRUE(std::isnan(m.faceProperties[0].values[11]));
  EXPECT_EQ(fillHoles(m, 10).holes, 0u);
}

TEST(TriangleMesh, TwoCubesTouchingAlongAnEdgeAreWatertightNotClosed) {
  TriangleMesh m = unitCube();
  const TriangleMesh other = boxMesh(Eigen::Vector3d(1, 1, 0), Eigen::Vector3d(2, 2, 1));
  // Shares the vertical edge x = 1, y = 1 (vertices 3 and 7 of the first cube).
  std::vector<std::uint32_t> id(8);
  for (std::uint32_t v = 0; v < 8; ++v) {
    if (other.vertices[v] == m.vertices[3]) {
      id[v] = 3;
    } else if (other.vertices[v] == m.vertices[7]) {
      id[v] = 7;
    } else {
      id[v] = std::uint32_t(m.vertices.size());
      m.vertices.push_back(other.vertices[v]);
    }
  }
  for (const auto& t : other.triangles) m.triangles.push_back({id[t[0]], id[t[1]], id[t[2]]});
  const MeshCheck c = checkMesh(m);
  EXPECT_EQ(c.nonManifoldEdges, 1u);  // four triangles on the shared edge
  EXPECT_EQ(c.oddEdges, 0u);
  EXPECT_FALSE(c.closed());
  EXPECT_TRUE(c.watertight());
  EXPECT_DOUBLE_EQ(c.volume, 2.0);
  EXPECT_NO_THROW(requireClosedMesh(m, "x"));
  const MeshDistance tree(m);
  EXPECT_TRUE(tree.contains({0.5, 0.5, 0.5}));
  EXPECT_TRUE(tree.contains({1.5, 1.5, 0.5}));
  EXPECT_FALSE(tree.contains({1.5, 0.5, 0.5}));
}

TEST(TriangleMesh, TwoTetrahedraSharingAVertexAreClosedButNotManifold) {
  TriangleMesh m = tetrahedron();
  // A second tetrahedron mirrored through the origin, so that they share vertex 0 only.
  TriangleMesh second;
  second.vertices = {{0, 0, 0}, {-1, 0, 0}, {0, -1, 0}, {0, 0, -1}};
  second.triangles = {{0, 1, 2}, {0, 3, 1}, {0, 2, 3}, {1, 3, 2}};
  EXPECT_GT(second.signedVolume(), 0.0);
  const std::uint32_t offset = std::uint32_t(m.vertices.size()) - 1;  // shared vertex 0
  for (std::size_t v = 1; v < 4; ++v) m.vertices.push_back(second.vertices[v]);
  for (auto t : second.triangles) {
    for (auto& v : t) v = v == 0 ? 0 : v + offset;
    m.triangles.push_back(t);
  }
  const MeshCheck c = checkMesh(m);
  EXPECT_TRUE(c.closed());
  EXPECT_EQ(c.nonManifoldVertices, 1u);
  EXPECT_FALSE(c.manifold());
  EXPECT_EQ(c.components, 2u);
  EXPECT_NEAR(c.volume, 2.0 / 6.0, 1e-15);
}

TEST(TriangleMesh, DegenerateTrianglesAreCounted) {
  TriangleMesh m = unitCube();
  m.vertices.push_back({2, 0, 0});
  m.triangles.push_back({0, 0, 1});  // repeated index
  m.triangles.push_back({0, 1, 8});  // collinear corners
  const MeshCheck c = checkMesh(m);
  EXPECT_EQ(c.degenerateTriangles, 2u);
  EXPECT_EQ(c.unusedVertices, 0u);
}

TEST(TriangleMesh, OrientationIsRepairedOutwards) {
  TriangleMesh m = unitCube();
  std::swap(m.triangles[3][1], m.triangles[3][2]);
  std::swap(m.triangles[7][1], m.triangles[7][2]);
  // Triangles 3 (top) and 7 (y = 1) share edge 6-7, which stays consistent between them.
  EXPECT_EQ(checkMesh(m).inconsistentEdges, 4u);
  const OrientationResult r = orientConsistently(m);
  EXPECT_EQ(r.flippedTriangles, 2u);
  EXPECT_EQ(r.components, 1u);
  EXPECT_TRUE(r.orientable);
  EXPECT_TRUE(checkMesh(m).oriented());
  EXPECT_DOUBLE_EQ(m.signedVolume(), 1.0);

  // Inside out: every triangle turns.
  TriangleMesh inverted = unitCube();
  inverted.flipOrientation();
  EXPECT_DOUBLE_EQ(inverted.signedVolume(), -1.0);
  EXPECT_EQ(orientConsistently(inverted, OrientationRule::Outward).flippedTriangles, 12u);
  EXPECT_DOUBLE_EQ(inverted.signedVolume(), 1.0);
  // Majority keeps the inverted cube as it is.
  inverted.flipOrientation();
  EXPECT_EQ(orientConsistently(inverted, OrientationRule::Majority).flippedTriangles, 0u);
}

TEST(TriangleMesh, UpRuleTurnsAFaultTowardsItsHangingWall) {
  // A plane dipping 45 degrees to the east, triangles facing down-west (footwall).
  TriangleMesh fault =
      orevox_test::heightField(0, 0, 10, 10, 4, [](double x, double) { return -x; });
  fault.flipOrientation();
  EXPECT_LT(fault.faceNormal(0).z(), 0.0);
  const OrientationResult r = orientConsistently(fault, OrientationRule::Up);
  EXPECT_EQ(r.flippedTriangles, fault.triangleCount());
  for (std::size_t t = 0; t < fault.triangleCount(); ++t) {
    EXPECT_NEAR(fault.faceNormal(t).z(), std::sqrt(0.5), 1e-12);
    EXPECT_NEAR(fault.faceNormal(t).x(), std::sqrt(0.5),
                1e-12);  // towards the hanging wall (east, up)
  }
}

TEST(TriangleMesh, MoebiusStripIsNotOrientable) {
  TriangleMesh m;
  const int n = 12;
  for (int i = 0; i < n; ++i) {
    const double a = 2 * M_PI * i / n, h = 0.3 * std::cos(a / 2), r = 0.3 * std::sin(a / 2);
    const double radius = 1.0 + h;
    m.vertices.emplace_back(radius * std::cos(a), radius * std::sin(a), r);
    const double radius2 = 1.0 - h;
    m.vertices.emplace_back(radius2 * std::cos(a), radius2 * std::sin(a), -r);
  }
  for (int i = 0; i < n; ++i) {
    const std::uint32_t a0 = std::uint32_t(2 * i), a1 = a0 + 1;
    std::uint32_t b0 = std::uint32_t(2 * ((i + 1) % n)), b1 = b0 + 1;
    if (i == n - 1) std::swap(b0, b1);  // the half twist
    m.triangles.push_back({a0, b0, a1});
    m.triangles.push_back({a1, b0, b1});
  }
  const MeshCheck c = checkMesh(m);
  EXPECT_TRUE(c.manifold());
  EXPECT_FALSE(c.closed());
  EXPECT_FALSE(orientConsistently(m).orientable);
}

TEST(TriangleMesh, DuplicateVerticesMergeByExactPosition) {
  const TriangleMesh cube = unitCube();
  TriangleMesh soup;  // as STL stores it: three vertices per triangle
  for (const auto& t : cube.triangles) {
    std::array<std::uint32_t, 3> tri{};
    for (int c = 0; c < 3; ++c) {
      tri[std::size_t(c)] = std::uint32_t(soup.vertices.size());
      soup.vertices.push_back(cube.vertices[t[std::size_t(c)]]);
    }
    soup.triangles.push_back(tri);
  }
  soup.vertices.push_back({0.5, 0.5, 0.5 + 1e-12});  // near but not equal: kept (unused)
  EXPECT_EQ(checkMesh(soup).boundaryEdges, 36u);
  EXPECT_EQ(mergeDuplicateVertices(soup), 28u);
  EXPECT_EQ(soup.vertexCount(), 9u);
  const MeshCheck c = checkMesh(soup);
  EXPECT_TRUE(c.closed());
  EXPECT_TRUE(c.oriented());
  EXPECT_EQ(c.unusedVertices, 1u);
  EXPECT_DOUBLE_EQ(c.volume, 1.0);
  EXPECT_EQ(soup.vertices[0], cube.vertices[cube.triangles[0][0]]);  // first occurrence order
}

TEST(TriangleMesh, ValidateNamesTheBadIndexAndValue) {
  TriangleMesh m = unitCube();
  m.source = "ore.ts";
  m.triangles[4][2] = 9;
  EXPECT_EQ(messageOf([&] { m.validate(); }),
            "ore.ts: value '9': triangle 5 refers to vertex index 9 of 8 (0-based)");
  m = unitCube();
  m.vertices[2].y() = std::nan("");
  EXPECT_NE(messageOf([&] { checkMesh(m); }).find("vertex 3 has a coordinate that is not finite"),
            std::string::npos);
  m = unitCube();
  m.vertexProperties.push_back({"grade", 1, {1.0, 2.0}});
  EXPECT_NE(messageOf([&] { m.validate(); }).find("vertex property 'grade' holds 2 values for 8"),
            std::string::npos);
}

// ------------------------------------------------------------------ MeshDistance

TEST(MeshDistance, PointTriangleDistanceMatchesAnIndependentFormula) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-2.0, 2.0);
  for (int trial = 0; trial < 20000; ++trial) {
    const Eigen::Vector3d a(u(rng), u(rng), u(rng)), b(u(rng), u(rng), u(rng)),
        c(u(rng), u(rng), u(rng)), p(u(rng), u(rng), u(rng));
    Eigen::Vector3d q;
    const double d = std::sqrt(pointTriangleDistanceSquared(p, a, b, c, &q));
    ASSERT_NEAR(d, referenceDistance(p, a, b, c), 1e-9) << trial;
    ASSERT_NEAR((p - q).norm(), d, 1e-12);
  }
  // Collinear corners: the distance to the segment.
  EXPECT_NEAR(std::sqrt(pointTriangleDistanceSquared({0.5, 1, 0}, {0, 0, 0}, {1, 0, 0}, {2, 0, 0})),
              1.0, 1e-15);
}

TEST(MeshDistance, ClosestEqualsBruteForceWithAndWithoutHints) {
  // A bumpy open surface plus a sphere: 2 components, 1,280 + 800 triangles.
  TriangleMesh m = orevox_test::heightField(
      -5, -5, 0.5, 0.5, 20, [](double x, double y) { return std::sin(x) * std::cos(0.7 * y); });
  const TriangleMesh s = icosphere(Eigen::Vector3d(0, 0, 4), 1.5, 3);
  const std::uint32_t offset = std::uint32_t(m.vertices.size());
  m.vertices.insert(m.vertices.end(), s.vertices.begin(), s.vertices.end());
  for (auto t : s.triangles) m.triangles.push_back({t[0] + offset, t[1] + offset, t[2] + offset});
  const MeshDistance tree(m);
  EXPECT_EQ(tree.triangleCount(), m.triangleCount());
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(-9.0, 9.0);
  std::uniform_int_distribution<std::uint32_t> anyTriangle(0, std::uint32_t(m.triangleCount() - 1));
  for (int trial = 0; trial < 3000; ++trial) {
    const Eigen::Vector3d p(u(rng), u(rng), u(rng));
    const double expected = bruteForceDistance(m, p);
    const MeshClosestPoint c = tree.closest(p);
    ASSERT_TRUE(c.found());
    ASSERT_NEAR(c.distance, expected, 1e-9) << trial;
    ASSERT_NEAR((c.point - p).norm(), c.distance, 1e-12);
    const auto& t = m.triangles[c.triangle];
    ASSERT_NEAR(referenceDistance(c.point, m.vertices[t[0]], m.vertices[t[1]], m.vertices[t[2]]),
                0.0, 1e-9);
    const MeshClosestPoint h =
        tree.closest(p, std::numeric_limits<double>::infinity(), anyTriangle(rng));
    ASSERT_EQ(h.distance, c.distance);
    // A band: found exactly when the distance is within it.
    const double band = 1.0;
    const MeshClosestPoint b = tree.closest(p, band);
    ASSERT_EQ(b.found(), expected <= band);
    if (b.found()) {
      ASSERT_EQ(b.distance, c.distance);
    }
  }
}

TEST(MeshDistance, SideIsOutsidePositiveNearEdgesAndCornersOfACube) {
  const MeshDistance cube(unitCube());
  struct Case {
    Eigen::Vector3d p;
    double distance;
    int side;
    MeshFeature feature;
  };
  const Case cases[] = {
      {{0.25, 0.5, 1.25}, 0.25, 1, MeshFeature::Face},
      {{0.3, 0.5, 0.9}, 0.1, -1, MeshFeature::Face},
      {{0.5, 0.5, 1.5}, 0.5, 1, MeshFeature::Edge},  // over the top face's diagonal,
      {{1.3, 0.5, 1.4}, 0.5, 1, MeshFeature::Edge},  // beyond the edge x = 1, z = 1
      {{1.3, -0.4, 1.0 + 1.2}, std::sqrt(0.09 + 0.16 + 1.44), 1, MeshFeature::Vertex},
      {{0.02, 0.5, 0.01}, 0.01, -1, MeshFeature::Face},  // inside, near an edge
      {{-0.1, 0.3, 0.5}, 0.1, 1, MeshFeature::Face}};
  for (const Case& c : cases) {
    const MeshClosestPoint r = cube.closest(c.p);
    EXPECT_NEAR(r.distance, c.distance, 1e-14) << c.p.transpose();
    EXPECT_EQ(r.side, c.side) << c.p.transpose();
    EXPECT_EQ(r.feature, c.feature) << c.p.transpose();
  }
}

TEST(MeshDistance, PseudonormalSideAgreesWithRayParityOnASphere) {
  const TriangleMesh s = icosphere(Eigen::Vector3d(1, 2, 3), 2.0, 2);
  const MeshDistance tree(s);
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-1.5, 5.5);
  int inside = 0;
  for (int trial = 0; trial < 5000; ++trial) {
    const Eigen::Vector3d p(u(rng) - 1.0, u(rng), u(rng) + 1.0);
    const MeshClosestPoint c = tree.closest(p);
    const bool in = tree.contains(p);
    inside += in;
    ASSERT_EQ(c.side, in ? -1 : 1) << p.transpose();
  }
  EXPECT_GT(inside, 200);
}

TEST(MeshDistance, ContainsCubeAndTetrahedronByHand) {
  // Voxel-centre-like points on the cube's face diagonals and edges' vertical lines.
  const MeshDistance cube(unitCube());
  EXPECT_TRUE(cube.contains({0.5, 0.5, 0.5}));  // on the diagonals of the top and bottom faces
  EXPECT_TRUE(cube.contains({0.25, 0.25, 0.1}));
  EXPECT_TRUE(cube.contains({0.75, 0.25, 0.9}));
  EXPECT_FALSE(cube.contains({0.5, 0.5, 1.5}));
  EXPECT_FALSE(cube.contains({0.5, 0.5, -0.5}));
  EXPECT_FALSE(cube.contains({1.5, 0.5, 0.5}));
  std::vector<double> z;
  cube.verticalCrossings(0.5, 0.5, z);
  EXPECT_EQ(z, (std::vector<double>{0.0, 1.0}));  // one crossing per face, not two
  cube.verticalCrossings(0.0, 0.0, z);            // through a vertical edge: even
  EXPECT_EQ(z.size() % 2, 0u);

  const MeshDistance tet(tetrahedron(Eigen::Vector3d(0, 0, 0), 1.0));
  // Inside exactly when x, y, z > 0 and x + y + z < 1.
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(-0.2, 1.2);
  for (int trial = 0; trial < 4000; ++trial) {
    const Eigen::Vector3d p(u(rng), u(rng), u(rng));
    const bool expected = p.x() > 0 && p.y() > 0 && p.z() > 0 && p.sum() < 1;
    ASSERT_EQ(tet.contains(p), expected) << p.transpose();
  }
  // On a grid of quarter steps (points on edges' vertical planes and shared edges).
  for (int i = 1; i < 4; ++i)
    for (int j = 1; j < 4; ++j)
      for (int k = 1; k < 4; ++k) {
        const Eigen::Vector3d p(i / 8.0, j / 8.0, k / 8.0);
        const bool expected = p.sum() < 1.0;
        EXPECT_EQ(tet.contains(p), expected) << p.transpose();
      }
}

TEST(MeshDistance, VerticalLineThroughAVertexCountsOnce) {
  // An octahedron with its apexes on the vertical axis: four triangles meet at each apex.
  TriangleMesh m;
  m.vertices = {{1, 0, 0}, {0, 1, 0}, {-1, 0, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
  for (std::uint32_t i = 0; i < 4; ++i) {
    const std::uint32_t j = (i + 1) % 4;
    m.triangles.push_back({i, j, 4});
    m.triangles.push_back({j, i, 5});
  }
  ASSERT_TRUE(checkMesh(m).closed());
  ASSERT_GT(m.signedVolume(), 0.0);
  const MeshDistance tree(m);
  std::vector<double> z;
  tree.verticalCrossings(0.0, 0.0, z);
  EXPECT_EQ(z, (std::vector<double>{-1.0, 1.0}));
  tree.verticalCrossings(0.5, 0.0, z);  // through the edges from (1,0,0) to the apexes
  EXPECT_EQ(z, (std::vector<double>{-0.5, 0.5}));
  EXPECT_TRUE(tree.contains({0, 0, 0}));
  EXPECT_TRUE(tree.contains({0.25, 0.25, 0.25}));
  EXPECT_FALSE(tree.contains({0.5, 0.5, 0.1}));
}

TEST(MeshDistance, EmptyMeshFindsNothing) {
  const MeshDistance tree{TriangleMesh{}};
  EXPECT_FALSE(tree.closest({0, 0, 0}).found());
  EXPECT_FALSE(tree.contains({0, 0, 0}));
  EXPECT_TRUE(tree.bounds().empty);
}
