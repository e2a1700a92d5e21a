#pragma once
/// \file mesh_distance.hpp
/// Exact point-to-mesh queries on a bounding-volume hierarchy of the triangles: closest
/// point and distance (double precision, no band limit), the side of an oriented surface,
/// and vertical-ray crossings for inside/outside tests of closed meshes. The voxel module
/// (mesh_volume.hpp) runs these over every voxel centre of a box.

#include <Eigen/Core>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "orevox/geomodel/mesh.hpp"

namespace orevox {

/// Which part of a triangle the closest point lies on.
enum class MeshFeature : std::uint8_t { Face, Edge, Vertex };

/// Result of MeshDistance::closest.
struct MeshClosestPoint {
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  double distance = std::numeric_limits<double>::infinity();  ///< world units
  Eigen::Vector3d point{0.0, 0.0, 0.0};                       ///< closest point on the mesh
  std::uint32_t triangle = kNone;  ///< index (in the mesh given) of the triangle holding it
  MeshFeature feature = MeshFeature::Face;
  /// +1 when the query point lies on the side the surface's normals point to, -1 on the
  /// other side, 0 on the surface: the sign of (p - point) . n, with n the angle-weighted
  /// pseudonormal of the closest feature (Baerentzen and Aanaes 2005, "Signed distance
  /// computation using the angle weighted pseudonormal", IEEE TVCG 11(3), eq. 1 and
  /// Theorem 1): the face normal on a face, the sum of the two face normals on an edge, the
  /// angle-weighted sum of the incident face normals at a vertex. For a closed, manifold,
  /// consistently oriented mesh with outward normals this is +1 outside and -1 inside.
  int side = 0;
  bool found() const { return triangle != kNone; }
};

/// Closest-point and ray queries on a fixed mesh. The constructor copies the geometry it
/// needs (the mesh may be destroyed afterwards) and builds the hierarchy in O(T log T).
/// Triangles that repeat a vertex index are ignored. Const queries may run concurrently.
class MeshDistance {
 public:
  /// DataError (via TriangleMesh::validate) for out-of-range indices or non-finite
  /// coordinates.
  explicit MeshDistance(const TriangleMesh& mesh);
  ~MeshDistance();
  MeshDistance(MeshDistance&&) noexcept;
  MeshDistance& operator=(MeshDistance&&) noexcept;

  /// The exact closest point of the mesh to `p` (Ericson, Real-Time Collision Detection,
  /// 5.1.5, per triangle; branch and bound over the hierarchy). Points farther than
  /// `maxDistance` return a result with found() false, which is much faster: use it for
  /// narrow bands. `hint`, a triangle index near the answer (e.g. the previous voxel's),
  /// only speeds the search up; the result does not depend on it.
  MeshClosestPoint closest(const Eigen::Vector3d& p,
                           double maxDistance = std::numeric_limits<double>::infinity(),
                           std::uint32_t hint = MeshClosestPoint::kNone) const;

  /// Elevations of the crossings of the vertical line through (x, y) with the triangles,
  /// ascending, into `z` (cleared first). A line through a shared edge or vertex counts
  /// it once (the top-left fill rule of rasterisers, on edge functions evaluated the same
  /// way by both triangles of an edge), so the parity of the crossings above a point is
  /// exact for a closed mesh; vertical triangles are not crossed.
  void verticalCrossings(double x, double y, std::vector<double>& z) const;

  /// True when `p` is inside a closed mesh: an odd number of crossings above it (ray
  /// parity, independent of the triangles' orientation). Meaningless for open meshes.
  bool contains(const Eigen::Vector3d& p) const;

  std::size_t triangleCount() const;
  MeshBounds bounds() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// Squared distance from p to triangle abc and the closest point (Ericson 5.1.5), by brute
/// force over one triangle; exposed for tests and reference computations.
double pointTriangleDistanceSquared(const Eigen::Vector3d& p, const Eigen::Vector3d& a,
                                    const Eigen::Vector3d& b, const Eigen::Vector3d& c,
                                    Eigen::Vector3d* closest = nullptr);

}  // namespace orevox
