#include "orevox/geomodel/mesh.hpp"

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <queue>

#include "mesh_edges.hpp"
#include "orevox/core/error.hpp"

namespace orevox {

namespace {

using meshdetail::forEachEdge;
using meshdetail::HalfEdge;
using meshdetail::repeatsIndex;
using meshdetail::sortedHalfEdges;

class DisjointSets {
 public:
  explicit DisjointSets(std::size_t n) : parent_(n) {
    std::iota(parent_.begin(), parent_.end(), std::size_t(0));
  }
  std::size_t find(std::size_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void unite(std::size_t a, std::size_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::size_t> parent_;
};

/// Corner of triangle t at vertex v (t must contain v).
std::size_t cornerOf(const TriangleMesh& mesh, std::uint32_t t, std::uint32_t v) {
  const auto& tri = mesh.triangles[t];
  return std::size_t(t) * 3 + (tri[0] == v ? 0 : tri[1] == v ? 1 : 2);
}

/// Twice the area vector of a triangle, computed relative to its first corner.
Eigen::Vector3d areaVector(const TriangleMesh& mesh, const std::array<std::uint32_t, 3>& t) {
  const Eigen::Vector3d& a = mesh.vertices[t[0]];
  return (mesh.vertices[t[1]] - a).cross(mesh.vertices[t[2]] - a);
}

bool isDegenerate(const TriangleMesh& mesh, const std::array<std::uint32_t, 3>& t) {
  if (repeatsIndex(t)) return true;
  const Eigen::Vector3d& a = mesh.vertices[t[0]];
  const Eigen::Vector3d& b = mesh.vertices[t[1]];
  const Eigen::Vector3d& c = mesh.vertices[t[2]];
  const double longest2 =
      std::max({(b - a).squaredNorm(), (c - b).squaredNorm(), (a - c).squaredNorm()});
  // Twice the area <= 2e-12 x longest^2: a needle or a point.
  return !(areaVector(mesh, t).norm() > 2e-12 * longest2);
}

std::string numberText(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

}  // namespace

std::string TriangleMesh::label() const {
  if (!source.empty()) return "'" + source + "'";
  if (!name.empty()) return "mesh '" + name + "'";
  return "the mesh";
}

MeshBounds TriangleMesh::bounds() const {
  MeshBounds b;
  for (const auto& v : vertices) {
    if (b.empty) {
      b.min = b.max = v;
      b.empty = false;
    } else {
      b.min = b.min.cwiseMin(v);
      b.max = b.max.cwiseMax(v);
    }
  }
  return b;
}

double TriangleMesh::area() const {
  double sum = 0.0;
  for (const auto& t : triangles) sum += 0.5 * areaVector(*this, t).norm();
  return sum;
}

double TriangleMesh::signedVolume() const {
  const MeshBounds b = bounds();
  if (b.empty) return 0.0;
  const Eigen::Vector3d centre = 0.5 * (b.min + b.max);
  double sum = 0.0;
  for (const auto& t : triangles) {
    const Eigen::Vector3d a = vertices[t[0]] - centre;
    const Eigen::Vector3d p = vertices[t[1]] - centre;
    const Eigen::Vector3d c = vertices[t[2]] - centre;
    sum += a.dot(p.cross(c));
  }
  return sum / 6.0;
}

Eigen::Vector3d TriangleMesh::faceNormal(std::size_t t) const {
  const Eigen::Vector3d n = areaVector(*this, triangles.at(t));
  const double len = n.norm();
  return len > 0.0 ? Eigen::Vector3d(n / len) : Eigen::Vector3d::Zero();
}

void TriangleMesh::flipOrientation() {
  for (auto& t : triangles) std::swap(t[1], t[2]);
}

const MeshProperty* TriangleMesh::vertexProperty(const std::string& n) const {
  for (const auto& p : vertexProperties)
    if (p.name == n) return &p;
  return nullptr;
}

const MeshProperty* TriangleMesh::faceProperty(const std::string& n) const {
  for (const auto& p : faceProperties)
    if (p.name == n) return &p;
  return nullptr;
}

void TriangleMesh::validate() const {
  const SourceLocation where{source, 0, 0, {}, {}};
  // The file, when known, leads the message already.
  const std::string who = source.empty() ? label() + ": " : std::string();
  for (std::size_t v = 0; v < vertices.size(); ++v) {
    for (int a = 0; a < 3; ++a) {
      if (!std::isfinite(vertices[v][a])) {
        SourceLocation w = where;
        w.value = numberText(vertices[v][a]);
        throw DataError(
            who + "vertex " + std::to_string(v + 1) + " has a coordinate that is not finite", w);
      }
    }
  }
  for (std::size_t t = 0; t < triangles.size(); ++t) {
    for (std::uint32_t index : triangles[t]) {
      if (index >= vertices.size()) {
        SourceLocation w = where;
        w.value = std::to_string(index);
        throw DataError(who + "triangle " + std::to_string(t + 1) + " refers to vertex index " +
                            std::to_string(index) + " of " + std::to_string(vertices.size()) +
                            " (0-based)",
                        w);
      }
    }
  }
  auto checkProperties = [&](const std::vector<MeshProperty>& props, std::size_t elements,
                             const char* kind) {
    for (const auto& p : props) {
      if (p.components == 0 || p.values.size() != elements * p.components) {
        throw DataError(who + kind + " property '" + p.name + "' holds " +
                            std::to_string(p.values.size()) + " values for " +
                            std::to_string(elements) + " elements of " +
                            std::to_string(p.components) + " components",
                        where);
      }
    }
  };
  checkProperties(vertexProperties, vertices.size(), "vertex");
  checkProperties(faceProperties, triangles.size(), "face");
}

MeshCheck checkMesh(const TriangleMesh& mesh) {
  mesh.validate();
  MeshCheck out;
  out.vertices = mesh.vertices.size();
  out.triangles = mesh.triangles.size();
  std::vector<std::uint8_t> used(mesh.vertices.size(), 0);
  for (const auto& t : mesh.triangles) {
    if (isDegenerate(mesh, t)) ++out.degenerateTriangles;
    for (std::uint32_t v : t) used[v] = 1;
  }
  out.unusedVertices = std::size_t(std::count(used.begin(), used.end(), std::uint8_t(0)));

  const std::vector<HalfEdge> edges = sortedHalfEdges(mesh);
  DisjointSets corners(mesh.triangles.size() * 3);
  DisjointSets faces(mesh.triangles.size());
  forEachEdge(edges, [&](std::size_t first, std::size_t last) {
    ++out.edges;
    const std::size_t count = last - first;
    if (count == 1) ++out.boundaryEdges;
    if (count > 2) ++out.nonManifoldEdges;
    if (count % 2 == 1) ++out.oddEdges;
    if (count == 2 && edges[first].forward == edges[first + 1].forward) ++out.inconsistentEdges;
    for (std::size_t e = first + 1; e < last; ++e) {
      faces.unite(edges[first].triangle, edges[e].triangle);
      for (std::uint32_t v : {edges[first].lo, edges[first].hi})
        corners.unite(cornerOf(mesh, edges[first].triangle, v),
                      cornerOf(mesh, edges[e].triangle, v));
    }
  });
  // Fans per vertex: distinct corner groups among the vertex's corners.
  std::vector<std::size_t> fanRoot(mesh.vertices.size(), std::size_t(-1));
  std::vector<std::uint8_t> flagged(mesh.vertices.size(), 0);
  for (std::size_t t = 0; t < mesh.triangles.size(); ++t) {
    const auto& tri = mesh.triangles[t];
    if (repeatsIndex(tri)) continue;
    for (int c = 0; c < 3; ++c) {
      const std::uint32_t v = tri[std::size_t(c)];
      const std::size_t root = corners.find(t * 3 + std::size_t(c));
      if (fanRoot[v] == std::size_t(-1)) {
        fanRoot[v] = root;
      } else if (fanRoot[v] != root && !flagged[v]) {
        flagged[v] = 1;
        ++out.nonManifoldVertices;
      }
    }
  }
  for (std::size_t t = 0; t < mesh.triangles.size(); ++t)
    if (!repeatsIndex(mesh.triangles[t]) && faces.find(t) == t) ++out.components;
  out.area = mesh.area();
  out.volume = mesh.signedVolume();
  return out;
}

void requireClosedMesh(const TriangleMesh& mesh, const std::string& what) {
  const MeshCheck check = checkMesh(mesh);
  if (check.watertight()) return;
  std::string message = mesh.source.empty() ? mesh.label() + ": " : std::string();
  if (check.triangles == 0) {
    message += "the mesh has no triangles";
  } else {
    message += "the mesh is not closed: " + std::to_string(check.boundaryEdges) + " boundary edges";
    if (check.oddEdges > check.boundaryEdges)
      message += " and " + std::to_string(check.oddEdges - check.boundaryEdges) +
                 " edges shared by an odd number of triangles above two";
  }
  throw DataError(message + "; " + what + " needs a closed mesh",
                  SourceLocation{mesh.source, 0, 0, {}, {}});
}

HoleFilling fillHoles(TriangleMesh& mesh, std::size_t maxEdges) {
  mesh.validate();
  HoleFilling out;
  const std::vector<HalfEdge> edges = sortedHalfEdges(mesh);
  // Boundary edges reversed (the way a filling triangle must run along them), by start.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> loopEdges;  // from, to
  forEachEdge(edges, [&](std::size_t first, std::size_t last) {
    if (last - first != 1) return;
    const HalfEdge& e = edges[first];
    const std::uint32_t a = e.forward ? e.lo : e.hi, b = e.forward ? e.hi : e.lo;  // a -> b
    loopEdges.push_back({b, a});
  });
  std::sort(loopEdges.begin(), loopEdges.end());
  std::vector<std::uint8_t> used(loopEdges.size(), 0);
  auto nextFrom = [&](std::uint32_t v) -> long {
    auto it =
        std::lower_bound(loopEdges.begin(), loopEdges.end(), std::make_pair(v, std::uint32_t(0)));
    for (; it != loopEdges.end() && it->first == v; ++it) {
      const std::size_t i = std::size_t(it - loopEdges.begin());
      if (!used[i]) return long(i);
    }
    return -1;
  };
  const std::size_t trianglesBefore = mesh.triangles.size();
  std::vector<std::uint32_t> loop;
  for (std::size_t start = 0; start < loopEdges.size(); ++start) {
    if (used[start]) continue;
    loop.clear();
    used[start] = 1;
    loop.push_back(loopEdges[start].first);
    std::uint32_t at = loopEdges[start].second;
    bool closed = false;
    while (true) {
      if (at == loop.front()) {
        closed = true;
        break;
      }
      const long e = nextFrom(at);
      if (e < 0) break;  // an open chain (non-manifold boundary vertex): not a hole
      used[std::size_t(e)] = 1;
      loop.push_back(at);
      at = loopEdges[std::size_t(e)].second;
    }
    if (!closed) continue;
    ++out.holes;
    if (loop.size() > maxEdges || loop.size() < 3) {
      out.largestLeft = std::max(out.largestLeft, loop.size());
      continue;
    }
    ++out.filled;
    for (std::size_t i = 1; i + 1 < loop.size(); ++i)
      mesh.triangles.push_back({loop[0], loop[i], loop[i + 1]});
  }
  out.trianglesAdded = mesh.triangles.size() - trianglesBefore;
  for (MeshProperty& p : mesh.faceProperties)
    p.values.resize(mesh.triangles.size() * p.components, std::numeric_limits<double>::quiet_NaN());
  return out;
}

OrientationResult orientConsistently(TriangleMesh& mesh, OrientationRule rule) {
  mesh.validate();
  OrientationResult result;
  const std::size_t n = mesh.triangles.size();
  const std::vector<HalfEdge> edges = sortedHalfEdges(mesh);
  // Neighbours across manifold edges: (neighbour, same traversal direction?).
  std::vector<std::vector<std::pair<std::uint32_t, bool>>> next(n);
  std::vector<std::uint8_t> onBoundary(n, 0);
  forEachEdge(edges, [&](std::size_t first, std::size_t last) {
    if (last - first == 2) {
      const HalfEdge& a = edges[first];
      const HalfEdge& b = edges[first + 1];
      const bool same = a.forward == b.forward;
      next[a.triangle].push_back({b.triangle, same});
      next[b.triangle].push_back({a.triangle, same});
    } else {
      for (std::size_t e = first; e < last; ++e) onBoundary[edges[e].triangle] = 1;
    }
  });
  std::vector<int> component(n, -1);
  std::vector<std::uint8_t> flip(n, 0);
  std::vector<std::uint32_t> members;
  for (std::size_t seed = 0; seed < n; ++seed) {
    if (component[seed] >= 0 || repeatsIndex(mesh.triangles[seed])) continue;
    const int id = int(result.components++);
    members.clear();
    std::queue<std::uint32_t> queue;
    queue.push(std::uint32_t(seed));
    component[seed] = id;
    bool closed = true;
    while (!queue.empty()) {
      const std::uint32_t t = queue.front();
      queue.pop();
      members.push_back(t);
      if (onBoundary[t]) closed = false;
      for (const auto& [u, same] : next[t]) {
        // Agreeing triangles traverse their shared edge in opposite directions.
        const std::uint8_t want = std::uint8_t(flip[t] ^ (same ? 1 : 0));
        if (component[u] < 0) {
          component[u] = id;
          flip[u] = want;
          queue.push(u);
        } else if (flip[u] != want) {
          result.orientable = false;
        }
      }
    }
    // Choose between the two orientations of the component.
    double keptArea = 0.0, flippedArea = 0.0, volume = 0.0;
    Eigen::Vector3d meanNormal = Eigen::Vector3d::Zero();
    double normalLength = 0.0;
    const Eigen::Vector3d centre = mesh.vertices[mesh.triangles[seed][0]];
    for (std::uint32_t t : members) {
      auto tri = mesh.triangles[t];
      if (flip[t]) std::swap(tri[1], tri[2]);
      const Eigen::Vector3d av = areaVector(mesh, tri);
      (flip[t] ? flippedArea : keptArea) += av.norm();
      meanNormal += av;
      normalLength += av.norm();
      volume += (mesh.vertices[tri[0]] - centre)
                    .dot((mesh.vertices[tri[1]] - centre).cross(mesh.vertices[tri[2]] - centre));
    }
    bool invert = flippedArea > keptArea;  // Majority
    if (rule == OrientationRule::Outward && closed && volume != 0.0) invert = volume < 0.0;
    if (rule == OrientationRule::Up && std::abs(meanNormal.z()) > 1e-9 * normalLength)
      invert = meanNormal.z() < 0.0;
    for (std::uint32_t t : members) {
      if (invert) flip[t] ^= 1;
      if (flip[t]) {
        std::swap(mesh.triangles[t][1], mesh.triangles[t][2]);
        ++result.flippedTriangles;
      }
    }
  }
  return result;
}

std::size_t mergeDuplicateVertices(TriangleMesh& mesh) {
  const std::size_t n = mesh.vertices.size();
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  auto less = [&](std::uint32_t a, std::uint32_t b) {
    const auto& p = mesh.vertices[a];
    const auto& q = mesh.vertices[b];
    if (p.x() != q.x()) return p.x() < q.x();
    if (p.y() != q.y()) return p.y() < q.y();
    if (p.z() != q.z()) return p.z() < q.z();
    return a < b;  // the first occurrence leads its group
  };
  std::sort(order.begin(), order.end(), less);
  std::vector<std::uint32_t> representative(n);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && mesh.vertices[order[j]] == mesh.vertices[order[i]]) ++j;
    for (std::size_t k = i; k < j; ++k) representative[order[k]] = order[i];
    i = j;
  }
  // Keep first occurrences in their original order.
  std::vector<std::uint32_t> newIndex(n, 0);
  std::vector<std::uint32_t> kept;
  kept.reserve(n);
  for (std::uint32_t v = 0; v < n; ++v) {
    if (representative[v] == v) {
      newIndex[v] = std::uint32_t(kept.size());
      kept.push_back(v);
    }
  }
  if (kept.size() == n) return 0;
  for (auto& t : mesh.triangles)
    for (auto& v : t) v = newIndex[representative[v]];
  std::vector<Eigen::Vector3d> vertices(kept.size());
  for (std::size_t i = 0; i < kept.size(); ++i) vertices[i] = mesh.vertices[kept[i]];
  for (auto& p : mesh.vertexProperties) {
    std::vector<double> values(kept.size() * p.components);
    for (std::size_t i = 0; i < kept.size(); ++i)
      for (std::size_t c = 0; c < p.components; ++c)
        values[i * p.components + c] = p.values[std::size_t(kept[i]) * p.components + c];
    p.values = std::move(values);
  }
  mesh.vertices = std::move(vertices);
  return n - kept.size();
}

}  // namespace orevox
