#pragma once
// Private: the edges of a TriangleMesh as sorted half-edges, shared by mesh.cpp (checks,
// orientation) and mesh_distance.cpp (pseudonormals).

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "orevox/geomodel/mesh.hpp"

namespace orevox::meshdetail {

/// One side of an edge: the triangle, its corner where the edge starts (edge c runs from
/// corner c to corner c + 1), and whether it runs from the lower to the higher index.
struct HalfEdge {
  std::uint32_t lo, hi;
  std::uint32_t triangle;
  std::uint8_t corner;
  bool forward;  ///< the triangle traverses lo -> hi
  bool operator<(const HalfEdge& o) const {
    return lo != o.lo ? lo < o.lo : hi != o.hi ? hi < o.hi : triangle < o.triangle;
  }
};

inline bool repeatsIndex(const std::array<std::uint32_t, 3>& t) {
  return t[0] == t[1] || t[1] == t[2] || t[0] == t[2];
}

/// Half-edges of every triangle without a repeated index, sorted so that the sides of one
/// edge are adjacent.
inline std::vector<HalfEdge> sortedHalfEdges(const TriangleMesh& mesh) {
  std::vector<HalfEdge> edges;
  edges.reserve(mesh.triangles.size() * 3);
  for (std::size_t t = 0; t < mesh.triangles.size(); ++t) {
    const auto& tri = mesh.triangles[t];
    if (repeatsIndex(tri)) continue;
    for (int c = 0; c < 3; ++c) {
      const std::uint32_t a = tri[std::size_t(c)], b = tri[std::size_t((c + 1) % 3)];
      edges.push_back({std::min(a, b), std::max(a, b), std::uint32_t(t), std::uint8_t(c), a < b});
    }
  }
  std::sort(edges.begin(), edges.end());
  return edges;
}

/// Calls fn(first, last) for each run of half-edges [first, last) of one edge.
template <typename Fn>
void forEachEdge(const std::vector<HalfEdge>& edges, Fn&& fn) {
  for (std::size_t i = 0; i < edges.size();) {
    std::size_t j = i + 1;
    while (j < edges.size() && edges[j].lo == edges[i].lo && edges[j].hi == edges[i].hi) ++j;
    fn(i, j);
    i = j;
  }
}

}  // namespace orevox::meshdetail
