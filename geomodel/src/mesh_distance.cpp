#include "orevox/geomodel/mesh_distance.hpp"

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "mesh_edges.hpp"

namespace orevox {

namespace {

constexpr std::uint32_t kLeafSize = 4;

/// A triangle in leaf order, with what the queries need next to each other.
struct PackedTriangle {
  Eigen::Vector3d corner[3];
  std::uint32_t vertex[3];  ///< mesh vertex indices (for the shared-edge fill rule)
  std::uint32_t index;      ///< triangle index in the mesh
};

/// A node of the hierarchy: its box, and either two children (at `first` and `first` + 1)
/// or, when count > 0, the packed triangles [first, first + count).
struct Node {
  double lo[3], hi[3];
  std::uint32_t first = 0, count = 0;
};

double boxDistanceSquared(const Node& n, const Eigen::Vector3d& p) {
  double d2 = 0.0;
  for (int a = 0; a < 3; ++a) {
    const double below = n.lo[a] - p[a], above = p[a] - n.hi[a];
    const double d = below > 0.0 ? below : above > 0.0 ? above : 0.0;
    d2 += d * d;
  }
  return d2;
}

/// Region of the closest point: 0-2 a vertex (corner), 3-5 an edge (corner c to c + 1),
/// 6 the face.
enum Region : int { kVertex0 = 0, kEdge0 = 3, kFace = 6 };

double segmentDistanceSquared(const Eigen::Vector3d& p, const Eigen::Vector3d& a,
                              const Eigen::Vector3d& b, Eigen::Vector3d& closest, double& t) {
  const Eigen::Vector3d ab = b - a;
  const double len2 = ab.squaredNorm();
  t = len2 > 0.0 ? std::clamp((p - a).dot(ab) / len2, 0.0, 1.0) : 0.0;
  closest = a + t * ab;
  return (p - closest).squaredNorm();
}

/// Ericson, Real-Time Collision Detection (2005), 5.1.5 ClosestPtPointTriangle, with the
/// Voronoi region it ends in. Collinear triangles fall back to their three edges.
double closestOnTriangle(const Eigen::Vector3d& p, const Eigen::Vector3d& a,
                         const Eigen::Vector3d& b, const Eigen::Vector3d& c,
                         Eigen::Vector3d& closest, int& region) {
  const Eigen::Vector3d ab = b - a, ac = c - a, ap = p - a;
  const double d1 = ab.dot(ap), d2 = ac.dot(ap);
  if (d1 <= 0.0 && d2 <= 0.0) {
    closest = a;
    region = kVertex0;
    return ap.squaredNorm();
  }
  const Eigen::Vector3d bp = p - b;
  const double d3 = ab.dot(bp), d4 = ac.dot(bp);
  if (d3 >= 0.0 && d4 <= d3) {
    closest = b;
    region = kVertex0 + 1;
    return bp.squaredNorm();
  }
  const double vc = d1 * d4 - d3 * d2;
  if (vc <= 0.0 && d1 >= 0.0 && d3 <= 0.0) {
    const double v = d1 / (d1 - d3);
    closest = a + v * ab;
    region = kEdge0;
    return (p - closest).squaredNorm();
  }
  const Eigen::Vector3d cp = p - c;
  const double d5 = ab.dot(cp), d6 = ac.dot(cp);
  if (d6 >= 0.0 && d5 <= d6) {
    closest = c;
    region = kVertex0 + 2;
    return cp.squaredNorm();
  }
  const double vb = d5 * d2 - d1 * d6;
  if (vb <= 0.0 && d2 >= 0.0 && d6 <= 0.0) {
    const double w = d2 / (d2 - d6);
    closest = a + w * ac;
    region = kEdge0 + 2;
    return (p - closest).squaredNorm();
  }
  const double va = d3 * d6 - d5 * d4;
  if (va <= 0.0 && (d4 - d3) >= 0.0 && (d5 - d6) >= 0.0) {
    const double w = (d4 - d3) / ((d4 - d3) + (d5 - d6));
    closest = b + w * (c - b);
    region = kEdge0 + 1;
    return (p - closest).squaredNorm();
  }
  const double sum = va + vb + vc;
  if (!(sum > 0.0)) {  // collinear corners: the nearest of the three segments
    const Eigen::Vector3d* corners[3] = {&a, &b, &c};
    double best = std::numeric_limits<double>::infinity();
    for (int e = 0; e < 3; ++e) {
      Eigen::Vector3d q;
      double t = 0.0;
      const double d = segmentDistanceSquared(p, *corners[e], *corners[(e + 1) % 3], q, t);
      if (d < best) {
        best = d;
        closest = q;
        region = t <= 0.0 ? kVertex0 + e : t >= 1.0 ? kVertex0 + (e + 1) % 3 : kEdge0 + e;
      }
    }
    return best;
  }
  const double v = vb / sum, w = vc / sum;
  closest = a + ab * v + ac * w;
  region = kFace;
  return (p - closest).squaredNorm();
}

}  // namespace

double pointTriangleDistanceSquared(const Eigen::Vector3d& p, const Eigen::Vector3d& a,
                                    const Eigen::Vector3d& b, const Eigen::Vector3d& c,
                                    Eigen::Vector3d* closest) {
  Eigen::Vector3d q;
  int region = 0;
  const double d2 = closestOnTriangle(p, a, b, c, q, region);
  if (closest) *closest = q;
  return d2;
}

struct MeshDistance::Impl {
  std::vector<Node> nodes;
  std::vector<PackedTriangle> triangles;      // leaf order
  std::vector<std::uint32_t> packedOf;        // mesh triangle -> packed position (or kNone)
  std::vector<Eigen::Vector3d> faceNormal;    // per packed triangle, unit (zero if degenerate)
  std::vector<Eigen::Vector3d> edgeNormal;    // per packed triangle x 3 edges
  std::vector<Eigen::Vector3d> vertexNormal;  // per mesh vertex, angle-weighted
  MeshBounds bounds;

  void build(std::vector<std::uint32_t>& order, const std::vector<Eigen::Vector3d>& centroid,
             const std::vector<std::array<Eigen::Vector3d, 3>>& corners) {
    nodes.reserve(2 * order.size() / kLeafSize + 2);
    nodes.push_back(Node{});
    struct Task {
      std::uint32_t node, first, count;
    };
    std::vector<Task> stack{{0, 0, std::uint32_t(order.size())}};
    while (!stack.empty()) {
      const Task task = stack.back();
      stack.pop_back();
      Node& node = nodes[task.node];
      Eigen::Vector3d lo = Eigen::Vector3d::Constant(std::numeric_limits<double>::infinity());
      Eigen::Vector3d hi = -lo;
      Eigen::Vector3d clo = lo, chi = hi;
      for (std::uint32_t i = task.first; i < task.first + task.count; ++i) {
        for (const auto& v : corners[order[i]]) {
          lo = lo.cwiseMin(v);
          hi = hi.cwiseMax(v);
        }
        clo = clo.cwiseMin(centroid[order[i]]);
        chi = chi.cwiseMax(centroid[order[i]]);
      }
      for (int a = 0; a < 3; ++a) {
        node.lo[a] = lo[a];
        node.hi[a] = hi[a];
      }
      if (task.count <= kLeafSize) {
        node.first = task.first;
        node.count = task.count;
        continue;
      }
      int axis = 0;
      const Eigen::Vector3d extent = chi - clo;
      if (extent[1] > extent[axis]) axis = 1;
      if (extent[2] > extent[axis]) axis = 2;
      const std::uint32_t half = task.count / 2;
      auto begin = order.begin() + std::ptrdiff_t(task.first);
      std::nth_element(
          begin, begin + half, begin + std::ptrdiff_t(task.count),
          [&](std::uint32_t x, std::uint32_t y) { return centroid[x][axis] < centroid[y][axis]; });
      const std::uint32_t left = std::uint32_t(nodes.size());
      node.first = left;
      node.count = 0;
      nodes.push_back(Node{});  // invalidates `node`
      nodes.push_back(Node{});
      stack.push_back({left, task.first, half});
      stack.push_back({left + 1, task.first + half, task.count - half});
    }
  }

  // The side of p against the pseudonormal of the closest feature.
  int sideOf(const Eigen::Vector3d& p, const Eigen::Vector3d& closest, std::uint32_t packed,
             int region) const {
    const Eigen::Vector3d& n =
        region == kFace    ? faceNormal[packed]
        : region >= kEdge0 ? edgeNormal[std::size_t(packed) * 3 + std::size_t(region - kEdge0)]
                           : vertexNormal[triangles[packed].vertex[region - kVertex0]];
    const double s = (p - closest).dot(n);
    return s > 0.0 ? 1 : s < 0.0 ? -1 : 0;
  }
};

MeshDistance::MeshDistance(const TriangleMesh& mesh) : impl_(std::make_unique<Impl>()) {
  mesh.validate();
  Impl& m = *impl_;
  m.bounds = mesh.bounds();
  const std::size_t nt = mesh.triangles.size();
  std::vector<std::uint32_t> order;
  std::vector<Eigen::Vector3d> centroid(nt);
  std::vector<std::array<Eigen::Vector3d, 3>> corners(nt);
  for (std::size_t t = 0; t < nt; ++t) {
    const auto& tri = mesh.triangles[t];
    if (meshdetail::repeatsIndex(tri)) continue;
    corners[t] = {mesh.vertices[tri[0]], mesh.vertices[tri[1]], mesh.vertices[tri[2]]};
    centroid[t] = (corners[t][0] + corners[t][1] + corners[t][2]) / 3.0;
    order.push_back(std::uint32_t(t));
  }
  if (!order.empty()) m.build(order, centroid, corners);
  m.triangles.resize(order.size());
  m.packedOf.assign(nt, MeshClosestPoint::kNone);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::uint32_t t = order[i];
    PackedTriangle& p = m.triangles[i];
    for (int c = 0; c < 3; ++c) {
      p.corner[c] = corners[t][std::size_t(c)];
      p.vertex[c] = mesh.triangles[t][std::size_t(c)];
    }
    p.index = t;
    m.packedOf[t] = std::uint32_t(i);
  }

  // Pseudonormals (Baerentzen and Aanaes 2005).
  m.faceNormal.resize(order.size());
  m.edgeNormal.assign(order.size() * 3, Eigen::Vector3d::Zero());
  m.vertexNormal.assign(mesh.vertices.size(), Eigen::Vector3d::Zero());
  for (std::size_t i = 0; i < order.size(); ++i) {
    const PackedTriangle& p = m.triangles[i];
    const Eigen::Vector3d n = (p.corner[1] - p.corner[0]).cross(p.corner[2] - p.corner[0]);
    const double len = n.norm();
    m.faceNormal[i] = len > 0.0 ? Eigen::Vector3d(n / len) : Eigen::Vector3d::Zero();
    for (int c = 0; c < 3; ++c) {
      const Eigen::Vector3d u = p.corner[(c + 1) % 3] - p.corner[c];
      const Eigen::Vector3d v = p.corner[(c + 2) % 3] - p.corner[c];
      const double angle = std::atan2(u.cross(v).norm(), u.dot(v));
      m.vertexNormal[p.vertex[c]] += angle * m.faceNormal[i];
    }
  }
  const std::vector<meshdetail::HalfEdge> edges = meshdetail::sortedHalfEdges(mesh);
  meshdetail::forEachEdge(edges, [&](std::size_t first, std::size_t last) {
    Eigen::Vector3d sum = Eigen::Vector3d::Zero();
    for (std::size_t e = first; e < last; ++e) sum += m.faceNormal[m.packedOf[edges[e].triangle]];
    for (std::size_t e = first; e < last; ++e)
      m.edgeNormal[std::size_t(m.packedOf[edges[e].triangle]) * 3 + edges[e].corner] = sum;
  });
}

MeshDistance::~MeshDistance() = default;
MeshDistance::MeshDistance(MeshDistance&&) noexcept = default;
MeshDistance& MeshDistance::operator=(MeshDistance&&) noexcept = default;

std::size_t MeshDistance::triangleCount() const { return impl_->triangles.size(); }
MeshBounds MeshDistance::bounds() const { return impl_->bounds; }

MeshClosestPoint MeshDistance::closest(const Eigen::Vector3d& p, double maxDistance,
                                       std::uint32_t hint) const {
  const Impl& m = *impl_;
  MeshClosestPoint out;
  if (m.nodes.empty()) return out;
  double best2 = maxDistance * maxDistance;  // infinity stays infinity
  std::uint32_t bestPacked = MeshClosestPoint::kNone;
  int bestRegion = kFace;
  Eigen::Vector3d bestPoint;
  auto test = [&](std::uint32_t packed) {
    const PackedTriangle& t = m.triangles[packed];
    Eigen::Vector3d q;
    int region = kFace;
    const double d2 = closestOnTriangle(p, t.corner[0], t.corner[1], t.corner[2], q, region);
    if (d2 < best2 || (bestPacked == MeshClosestPoint::kNone && d2 <= best2)) {
      best2 = d2;
      bestPacked = packed;
      bestRegion = region;
      bestPoint = q;
    }
  };
  if (hint < m.packedOf.size() && m.packedOf[hint] != MeshClosestPoint::kNone)
    test(m.packedOf[hint]);

  struct Entry {
    std::uint32_t node;
    double d2;
  };
  Entry stack[128];
  int top = 0;
  const double rootD2 = boxDistanceSquared(m.nodes[0], p);
  if (rootD2 <= best2) stack[top++] = {0, rootD2};
  while (top > 0) {
    const Entry e = stack[--top];
    if (e.d2 > best2) continue;
    const Node& n = m.nodes[e.node];
    if (n.count > 0) {
      for (std::uint32_t i = n.first; i < n.first + n.count; ++i) test(i);
      continue;
    }
    const double d0 = boxDistanceSquared(m.nodes[n.first], p);
    const double d1 = boxDistanceSquared(m.nodes[n.first + 1], p);
    // Nearer child on top of the stack, so it is searched first.
    if (d0 <= d1) {
      if (d1 <= best2) stack[top++] = {n.first + 1, d1};
      if (d0 <= best2) stack[top++] = {n.first, d0};
    } else {
      if (d0 <= best2) stack[top++] = {n.first, d0};
      if (d1 <= best2) stack[top++] = {n.first + 1, d1};
    }
  }
  if (bestPacked == MeshClosestPoint::kNone) return out;
  out.distance = std::sqrt(best2);
  out.point = bestPoint;
  out.triangle = m.triangles[bestPacked].index;
  out.feature = bestRegion == kFace    ? MeshFeature::Face
                : bestRegion >= kEdge0 ? MeshFeature::Edge
                                       : MeshFeature::Vertex;
  out.side = m.sideOf(p, bestPoint, bestPacked, bestRegion);
  return out;
}

namespace {

/// Edge function of the directed edge u -> v at p (positive when p is left of it),
/// evaluated from the lower vertex index so that both triangles of an edge get exactly
/// opposite values.
double edgeFunction(const PackedTriangle& t, int u, int v, double x, double y) {
  const bool swap = t.vertex[u] > t.vertex[v];
  const Eigen::Vector3d& a = t.corner[swap ? v : u];
  const Eigen::Vector3d& b = t.corner[swap ? u : v];
  const double f = (b.x() - a.x()) * (y - a.y()) - (b.y() - a.y()) * (x - a.x());
  return swap ? -f : f;
}

/// Top-left rule for a counter-clockwise triangle (y up): an edge owns the points on it
/// when it runs downwards, or horizontally to the left.
bool ownsBoundary(const Eigen::Vector3d& from, const Eigen::Vector3d& to) {
  return to.y() < from.y() || (to.y() == from.y() && to.x() < from.x());
}

}  // namespace

void MeshDistance::verticalCrossings(double x, double y, std::vector<double>& z) const {
  z.clear();
  const Impl& m = *impl_;
  if (m.nodes.empty()) return;
  std::uint32_t stack[128];
  int top = 0;
  stack[top++] = 0;
  while (top > 0) {
    const Node& n = m.nodes[stack[--top]];
    if (x < n.lo[0] || x > n.hi[0] || y < n.lo[1] || y > n.hi[1]) continue;
    if (n.count == 0) {
      stack[top++] = n.first;
      stack[top++] = n.first + 1;
      continue;
    }
    for (std::uint32_t i = n.first; i < n.first + n.count; ++i) {
      const PackedTriangle& t = m.triangles[i];
      // Edge functions of the edges opposite corners 0, 1, 2.
      double f[3] = {edgeFunction(t, 1, 2, x, y), edgeFunction(t, 2, 0, x, y),
                     edgeFunction(t, 0, 1, x, y)};
      double area = f[0] + f[1] + f[2];  // twice the projected area at any (x, y)
      // Orientation of the projection, from the same edge functions at corner 0.
      const double orient = edgeFunction(t, 1, 2, t.corner[0].x(), t.corner[0].y());
      if (orient == 0.0) continue;  // vertical triangle
      const double s = orient > 0.0 ? 1.0 : -1.0;
      bool inside = true;
      for (int e = 0; e < 3 && inside; ++e) {
        const double g = s * f[e];
        if (g > 0.0) continue;
        if (g < 0.0) {
          inside = false;
          break;
        }
        // On the edge opposite corner e: from corner e+1 to e+2 in the triangle's order,
        // reversed when the projection is clockwise.
        const Eigen::Vector3d& from = t.corner[(e + 1) % 3];
        const Eigen::Vector3d& to = t.corner[(e + 2) % 3];
        inside = s > 0.0 ? ownsBoundary(from, to) : ownsBoundary(to, from);
      }
      if (!inside) continue;
      area = s * area;
      if (!(area > 0.0)) continue;
      const double l1 = s * f[1] / area, l2 = s * f[2] / area;
      z.push_back(t.corner[0].z() + l1 * (t.corner[1].z() - t.corner[0].z()) +
                  l2 * (t.corner[2].z() - t.corner[0].z()));
    }
  }
  std::sort(z.begin(), z.end());
}

bool MeshDistance::contains(const Eigen::Vector3d& p) const {
  std::vector<double> z;
  verticalCrossings(p.x(), p.y(), z);
  const auto above = z.end() - std::upper_bound(z.begin(), z.end(), p.z());
  return above % 2 == 1;
}

}  // namespace orevox
