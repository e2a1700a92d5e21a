#pragma once
/// \file mesh.hpp
/// TriangleMesh: a triangulated surface or solid as GOCAD, SKUA, Leapfrog and CAD tools
/// exchange them (ore wireframes, fault and horizon surfaces), in double precision world
/// coordinates (projected coordinates in feet or metres lose whole units in float32).
///
/// Typical flow: `readMesh` (datasets/mesh_io.hpp) -> `checkMesh` (closed? manifold?
/// oriented?) -> `orientConsistently` where needed -> `MeshDistance` (mesh_distance.hpp) or
/// the voxel module's mesh_volume.hpp (signed distance, inside mask, isosurfaces) ->
/// `writeMesh`.

#include <Eigen/Core>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace orevox {

/// A named attribute of the vertices or the faces of a mesh: `components` numbers per
/// element (1 for a scalar, 3 for a vector), element after element.
struct MeshProperty {
  std::string name;
  std::size_t components = 1;
  std::vector<double> values;  ///< size = elements * components
};

/// Axis-aligned box of a mesh's vertices (world units).
struct MeshBounds {
  Eigen::Vector3d min{0.0, 0.0, 0.0};
  Eigen::Vector3d max{0.0, 0.0, 0.0};
  bool empty = true;  ///< no vertex
};

/// A triangle mesh. Triangles index `vertices` (0-based); a triangle's normal follows the
/// right-hand rule (counter-clockwise seen from the side it points to). Coordinates are in
/// the CRS `crsWkt` (empty = unknown/local), z up (elevation).
struct TriangleMesh {
  std::vector<Eigen::Vector3d> vertices;
  std::vector<std::array<std::uint32_t, 3>> triangles;
  std::vector<MeshProperty> vertexProperties;  ///< one value (tuple) per vertex
  std::vector<MeshProperty> faceProperties;    ///< one value (tuple) per triangle
  std::string name;                            ///< e.g. the GOCAD header name; may be empty
  std::string crsWkt;  ///< coordinate reference system as WKT; empty = unknown
  std::string source;  ///< the file it was read from (for messages); may be empty

  std::size_t vertexCount() const { return vertices.size(); }
  std::size_t triangleCount() const { return triangles.size(); }
  /// "'<source>'" or "mesh '<name>'" or "the mesh": how messages name this mesh.
  std::string label() const;

  MeshBounds bounds() const;
  /// Total area of the triangles (square world units).
  double area() const;
  /// Signed volume enclosed by the triangles, sum over faces of (a . (b x c)) / 6
  /// (divergence theorem): positive for a closed mesh whose normals point outwards, the
  /// enclosed volume in cubic world units. Computed relative to the bounds' centre, so UTM-
  /// sized coordinates lose no precision. Meaningless for open meshes.
  double signedVolume() const;
  /// Unit normal of triangle `t` (zero for a degenerate triangle).
  Eigen::Vector3d faceNormal(std::size_t t) const;
  /// Reverses every triangle (normals point the other way).
  void flipOrientation();

  const MeshProperty* vertexProperty(const std::string& name) const;
  const MeshProperty* faceProperty(const std::string& name) const;

  /// Structural validity: every index < vertexCount(), every coordinate finite, every
  /// property's size = elements * components (components >= 1). DataError naming
  /// `label()`, the triangle or vertex and the value otherwise.
  void validate() const;
};

/// Topology and shape of a mesh (checkMesh). An edge is an unordered pair of vertex
/// indices; triangles that repeat an index are degenerate and have no edges.
struct MeshCheck {
  std::size_t vertices = 0, triangles = 0;
  std::size_t edges = 0;                ///< distinct edges
  std::size_t boundaryEdges = 0;        ///< edges of exactly one triangle
  std::size_t nonManifoldEdges = 0;     ///< edges of three or more triangles
  std::size_t oddEdges = 0;             ///< edges of an odd number of triangles (1, 3, ...)
  std::size_t inconsistentEdges = 0;    ///< two-triangle edges both traversed the same way
  std::size_t nonManifoldVertices = 0;  ///< vertices whose triangles form several fans
  std::size_t degenerateTriangles = 0;  ///< repeated index, or area <= 1e-12 x longest edge^2
  std::size_t unusedVertices = 0;       ///< vertices of no triangle
  std::size_t components = 0;           ///< groups of triangles connected through edges
  double area = 0.0;                    ///< square world units
  double volume = 0.0;                  ///< signedVolume(): meaningful only when closed()

  /// Every edge shared by exactly two triangles (a watertight surface).
  bool closed() const { return triangles > 0 && boundaryEdges == 0 && nonManifoldEdges == 0; }
  /// Every edge shared by an even number of triangles (two, or four where two sheets touch
  /// along an edge): the surface has no boundary (modulo 2), so it encloses volumes and
  /// vertical-ray parity tells inside from outside. What inside masks and signed distances
  /// need; weaker than closed().
  bool watertight() const { return triangles > 0 && oddEdges == 0; }
  /// No edge of more than two triangles and every vertex a single fan (disk or half-disk).
  bool manifold() const { return nonManifoldEdges == 0 && nonManifoldVertices == 0; }
  /// Every interior edge traversed in opposite directions by its two triangles.
  bool oriented() const { return inconsistentEdges == 0; }
};

/// Counts the properties above in O(T log T).
MeshCheck checkMesh(const TriangleMesh& mesh);

/// Throws DataError "<file>: the mesh is not closed: N boundary edges; <what> needs a
/// closed mesh" (with the count of other odd edges where there are some) unless
/// checkMesh(mesh).watertight(). `what` names the operation, e.g. "the inside mask".
void requireClosedMesh(const TriangleMesh& mesh, const std::string& what);

/// What fillHoles did.
struct HoleFilling {
  std::size_t holes = 0;   ///< boundary loops found
  std::size_t filled = 0;  ///< loops of at most maxEdges edges, closed
  std::size_t trianglesAdded = 0;
  std::size_t largestLeft = 0;  ///< edges of the largest loop left open (0 = none)
};

/// Closes the holes of at most `maxEdges` edges: each loop of boundary edges is fanned
/// from its first vertex into loop size - 2 triangles that traverse the loop's edges
/// against their triangles (so the orientation stays consistent). Meant for the small
/// gaps of real wireframes (a missing triangle), not for open surfaces. Face properties
/// get NaN for the new triangles.
HoleFilling fillHoles(TriangleMesh& mesh, std::size_t maxEdges);

/// What orientConsistently did.
struct OrientationResult {
  std::size_t flippedTriangles = 0;  ///< triangles reversed
  std::size_t components = 0;        ///< edge-connected groups of triangles
  bool orientable = true;            ///< false: some component is not orientable (e.g. a
                                     ///< Moebius strip); its conflicting edges stay inconsistent
};

/// How orientConsistently chooses between the two orientations of each component.
enum class OrientationRule {
  Majority,  ///< keep the orientation of the larger share of the component's area
  Outward,   ///< closed components: normals point out (positive volume); open ones: Majority
  Up         ///< normals point up on average (area-weighted mean normal z > 0; for a fault,
             ///< towards the hanging wall); a vertical component keeps Majority
};

/// Makes the triangles of each edge-connected component agree across their shared
/// manifold edges (breadth-first over edges of exactly two triangles), then chooses each
/// component's orientation by `rule`. Degenerate triangles and edges of three or more
/// triangles are not crossed.
OrientationResult orientConsistently(TriangleMesh& mesh,
                                     OrientationRule rule = OrientationRule::Outward);

/// Merges vertices with exactly equal coordinates (STL stores each triangle's corners
/// separately), keeping the first occurrence; triangles are re-indexed. Vertex properties
/// of merged vertices keep the first vertex's values. Returns the number of vertices removed.
std::size_t mergeDuplicateVertices(TriangleMesh& mesh);

}  // namespace orevox
