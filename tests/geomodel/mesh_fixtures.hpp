#pragma once
// Small meshes built by hand for the mesh tests of geomodel, voxel and datasets.

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "orevox/geomodel/mesh.hpp"

namespace orevox_test {

/// Axis-aligned box [lo, hi], 8 vertices, 12 triangles, normals outwards.
inline orevox::TriangleMesh boxMesh(const Eigen::Vector3d& lo, const Eigen::Vector3d& hi) {
  orevox::TriangleMesh m;
  for (int k = 0; k < 2; ++k)
    for (int j = 0; j < 2; ++j)
      for (int i = 0; i < 2; ++i)
        m.vertices.emplace_back(i ? hi.x() : lo.x(), j ? hi.y() : lo.y(), k ? hi.z() : lo.z());
  // vertex id = i + 2 j + 4 k
  m.triangles = {{0, 2, 1}, {1, 2, 3},   // bottom (z = lo), normal -z
                 {4, 5, 6}, {5, 7, 6},   // top, +z
                 {0, 1, 4}, {1, 5, 4},   // y = lo, -y
                 {2, 6, 3}, {3, 6, 7},   // y = hi, +y
                 {0, 4, 2}, {2, 4, 6},   // x = lo, -x
                 {1, 3, 5}, {3, 7, 5}};  // x = hi, +x
  m.name = "box";
  return m;
}

inline orevox::TriangleMesh unitCube() {
  return boxMesh(Eigen::Vector3d(0, 0, 0), Eigen::Vector3d(1, 1, 1));
}

/// Tetrahedron with corners o, o + a x, o + a y, o + a z; normals outwards.
inline orevox::TriangleMesh tetrahedron(const Eigen::Vector3d& o = Eigen::Vector3d::Zero(),
                                        double a = 1.0) {
  orevox::TriangleMesh m;
  m.vertices = {o, o + Eigen::Vector3d(a, 0, 0), o + Eigen::Vector3d(0, a, 0),
                o + Eigen::Vector3d(0, 0, a)};
  m.triangles = {{0, 2, 1}, {0, 1, 3}, {0, 3, 2}, {1, 2, 3}};
  m.name = "tetrahedron";
  return m;
}

/// Icosphere: an icosahedron subdivided `levels` times, vertices on the sphere; outwards.
inline orevox::TriangleMesh icosphere(const Eigen::Vector3d& centre, double radius, int levels) {
  orevox::TriangleMesh m;
  const double t = (1.0 + std::sqrt(5.0)) / 2.0;
  std::vector<Eigen::Vector3d> v = {{-1, t, 0}, {1, t, 0}, {-1, -t, 0}, {1, -t, 0},
                                    {0, -1, t}, {0, 1, t}, {0, -1, -t}, {0, 1, -t},
                                    {t, 0, -1}, {t, 0, 1}, {-t, 0, -1}, {-t, 0, 1}};
  for (auto& p : v) p.normalize();
  std::vector<std::array<std::uint32_t, 3>> f = {
      {0, 11, 5},  {0, 5, 1},  {0, 1, 7},  {0, 7, 10}, {0, 10, 11}, {1, 5, 9}, {5, 11, 4},
      {11, 10, 2}, {10, 7, 6}, {7, 1, 8},  {3, 9, 4},  {3, 4, 2},   {3, 2, 6}, {3, 6, 8},
      {3, 8, 9},   {4, 9, 5},  {2, 4, 11}, {6, 2, 10}, {8, 6, 7},   {9, 8, 1}};
  for (int l = 0; l < levels; ++l) {
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> mid;
    auto middle = [&](std::uint32_t a, std::uint32_t b) {
      const auto key = std::make_pair(std::min(a, b), std::max(a, b));
      const auto it = mid.find(key);
      if (it != mid.end()) return it->second;
      v.push_back((v[a] + v[b]).normalized());
      return mid[key] = std::uint32_t(v.size() - 1);
    };
    std::vector<std::array<std::uint32_t, 3>> next;
    for (const auto& tri : f) {
      const std::uint32_t a = middle(tri[0], tri[1]), b = middle(tri[1], tri[2]),
                          c = middle(tri[2], tri[0]);
      next.push_back({tri[0], a, c});
      next.push_back({tri[1], b, a});
      next.push_back({tri[2], c, b});
      next.push_back({a, b, c});
    }
    f = std::move(next);
  }
  for (const auto& p : v) m.vertices.push_back(centre + radius * p);
  m.triangles = f;
  m.name = "icosphere";
  return m;
}

/// Open height-field surface z = f(x, y) over [x0, x0 + n dx] x [y0, y0 + n dy], normals up.
/// `alternate`: the quads' diagonals alternate like a chequerboard, so that with n even the
/// triangulation is mirror-symmetric about both mid-lines.
template <typename F>
orevox::TriangleMesh heightField(double x0, double y0, double dx, double dy, int n, F&& f,
                                 bool alternate = false) {
  orevox::TriangleMesh m;
  for (int j = 0; j <= n; ++j)
    for (int i = 0; i <= n; ++i) {
      const double x = x0 + i * dx, y = y0 + j * dy;
      m.vertices.emplace_back(x, y, f(x, y));
    }
  auto id = [n](int i, int j) { return std::uint32_t(j * (n + 1) + i); };
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) {
      if (alternate && (i + j) % 2 == 1) {
        m.triangles.push_back({id(i, j), id(i + 1, j), id(i, j + 1)});
        m.triangles.push_back({id(i + 1, j), id(i + 1, j + 1), id(i, j + 1)});
        continue;
      }
      m.triangles.push_back({id(i, j), id(i + 1, j), id(i + 1, j + 1)});
      m.triangles.push_back({id(i, j), id(i + 1, j + 1), id(i, j + 1)});
    }
  m.name = "height field";
  return m;
}

/// Independent point-triangle distance (not Ericson's regions): the distance to the plane
/// when the projection falls inside the triangle (signed sub-areas), else the nearest of
/// the three edges.
inline double referenceDistance(const Eigen::Vector3d& p, const Eigen::Vector3d& a,
                                const Eigen::Vector3d& b, const Eigen::Vector3d& c) {
  auto segment = [&](const Eigen::Vector3d& u, const Eigen::Vector3d& v) {
    const Eigen::Vector3d d = v - u;
    double t = d.dot(p - u) / d.squaredNorm();
    t = std::min(1.0, std::max(0.0, t));
    return (p - (u + t * d)).norm();
  };
  const Eigen::Vector3d n = (b - a).cross(c - a);
  const Eigen::Vector3d unit = n.normalized();
  const Eigen::Vector3d q = p - unit * unit.dot(p - a);  // projection on the plane
  const double total = n.norm();
  const double wa = (b - q).cross(c - q).dot(unit), wb = (c - q).cross(a - q).dot(unit),
               wc = (a - q).cross(b - q).dot(unit);
  if (wa >= 0 && wb >= 0 && wc >= 0 && std::abs(wa + wb + wc - total) < 1e-9 * total)
    return std::abs(unit.dot(p - a));
  return std::min({segment(a, b), segment(b, c), segment(c, a)});
}

/// Distance from p to the mesh: referenceDistance to every triangle.
inline double bruteForceDistance(const orevox::TriangleMesh& m, const Eigen::Vector3d& p) {
  double best = std::numeric_limits<double>::infinity();
  for (const auto& t : m.triangles)
    best =
        std::min(best, referenceDistance(p, m.vertices[t[0]], m.vertices[t[1]], m.vertices[t[2]]));
  return best;
}

}  // namespace orevox_test
