#pragma once
/// \file surface_shape.hpp
/// The shape predictors of 3D prospectivity studies from a fault or contact surface, per
/// voxel at the voxel's nearest surface point (Jiaodong-type ore-controlling fault models):
/// dip and dip direction, dip change down dip, undulation (the surface's departure from a
/// second-order trend surface) and mean curvature; the distance to the intersection line of
/// two surfaces; the depth below a topographic surface.
///
/// Typical use (datasets/model_features.hpp runs this for `orevox model features`):
/// \code
///   TriangleMesh fault = readMesh("fault.ts");
///   orientConsistently(fault, OrientationRule::Up);          // hanging wall side up
///   SurfacePredictorField p = surfacePredictors(fault, spec);  // dip, dip change, ...
///   auto line = meshIntersection(fault, contact);              // segments
///   std::vector<float> d = segmentDistanceField(line, spec);
/// \endcode

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "orevox/geomodel/mesh.hpp"
#include "orevox/geomodel/raster.hpp"
#include "orevox/geomodel/volume.hpp"

namespace orevox {

/// Settings of the local shape fits.
struct SurfaceShapeOptions {
  /// The quadric fitted at each vertex uses the vertices reached from it along mesh edges
  /// that lie within this distance (world units); 0 = its two rings of neighbours. Always
  /// at least the two rings (a smaller radius widens to them).
  double fitRadius = 0.0;
};

/// Per-vertex shape from a quadric w = a u^2 + b u v + c v^2 + d u + e v fitted by least
/// squares to the vertex's neighbours in a frame (u, v, w) whose w is the surface normal
/// (fitted twice: the second frame's w is the first fit's normal at the vertex). Normals
/// are the mesh's (orient it first; orientConsistently with OrientationRule::Up turns them
/// up, towards the hanging wall).
struct VertexShape {
  /// Mean curvature (k1 + k2) / 2 (1/m, world units^-1) with respect to the oriented
  /// normal: positive where the surface bends towards its normal (with normals up: concave
  /// up, a trough or synform), negative where it bends away (convex up: a ridge, antiform
  /// or dome). A plane gives 0, a sphere of radius R seen from outside -1/R, a cylinder of
  /// radius R seen from inside +1/(2R).
  std::vector<double> meanCurvature;
  /// Rate of change of the dip (degrees per 100 m of distance along the surface) going down
  /// dip: positive where the surface steepens with depth, negative where it flattens (a
  /// listric fault). 0 where the surface is horizontal (no down-dip direction).
  std::vector<double> dipChange;
};

/// VertexShape of every vertex. Vertices of no triangle, or whose neighbours do not
/// determine the quadric (fewer than five, as on a plane of two triangles), get NaN.
VertexShape vertexShape(const TriangleMesh& mesh, const SurfaceShapeOptions& options = {});

/// A second-order trend surface of a mesh: in the frame of its area-weighted best-fit plane
/// (centre, u, v in the plane, w its normal turned towards the mesh's area-weighted mean
/// normal), w = c0 + c1 u + c2 v + c3 u^2 + c4 u v + c5 v^2, fitted by least squares to the
/// vertices weighted by their areas (a third of their triangles' areas).
struct TrendSurface {
  Eigen::Vector3d centre{0, 0, 0}, u{1, 0, 0}, v{0, 1, 0}, w{0, 0, 1};
  double c[6] = {0, 0, 0, 0, 0, 0};
  /// Height of `p` above the trend along w: (p - centre) . w - q((p - centre) . u, (p -
  /// centre) . v). For a point on the mesh, its undulation: positive where the surface lies
  /// on the side of its normals (above, the hanging-wall side) of the trend.
  double offset(const Eigen::Vector3d& p) const;
};

/// The trend surface of a mesh; the best-fit plane (c3 = c4 = c5 = 0) when the vertices do
/// not determine a quadratic (a mesh of a few triangles). DataError naming the mesh when it
/// has no triangles, no area or all its vertices in a line.
TrendSurface fitTrendSurface(const TriangleMesh& mesh);

/// Area of each vertex: a third of the areas of its triangles.
std::vector<double> vertexAreas(const TriangleMesh& mesh);

/// The predictors of a surface per voxel (VolumeSpec::index order), each at the voxel
/// centre's exact nearest surface point (MeshDistance).
struct SurfacePredictorField {
  std::vector<float> dip;           ///< degrees, 0-90, of the triangle there (surfaceAttitude)
  std::vector<float> dipDirection;  ///< degrees clockwise from north, 0 where flat
  /// degrees per 100 m down dip (VertexShape, interpolated from the triangle's vertices by
  /// barycentric weights; 0 where no vertex of the triangle has a fit)
  std::vector<float> dipChange;
  std::vector<float> undulation;     ///< world units: TrendSurface::offset of the point
  std::vector<float> meanCurvature;  ///< 1/world unit (VertexShape, likewise)
};

/// All of SurfacePredictorField for a mesh whose normals are as wanted (see VertexShape).
/// DataError naming the mesh for a mesh without triangles. Threads: TBB.
SurfacePredictorField surfacePredictors(const TriangleMesh& mesh, const VolumeSpec& spec,
                                        const SurfaceShapeOptions& options = {});

/// A straight segment.
struct Segment3 {
  Eigen::Vector3d a{0, 0, 0}, b{0, 0, 0};
};

/// The intersection of two meshes as segments: for every pair of triangles (one of each)
/// that cross, the overlap of their two chords along the line where their planes meet.
/// Coplanar triangle pairs are skipped (no line). Empty when the meshes do not cross.
std::vector<Segment3> meshIntersection(const TriangleMesh& a, const TriangleMesh& b);

/// The exact distance from every voxel centre to the nearest of `segments` (world units).
/// DataError when `segments` is empty.
std::vector<float> segmentDistanceField(const std::vector<Segment3>& segments,
                                        const VolumeSpec& spec);

/// Depth of every voxel centre below a topographic surface: the elevation of its highest
/// crossing with the vertical line through the voxel centre, minus the centre's z
/// (positive below the surface, negative above it). `active` receives 1 where the column
/// crosses the surface, 0 (depth 0) elsewhere.
std::vector<float> depthBelowSurface(const TriangleMesh& topography, const VolumeSpec& spec,
                                     std::vector<std::uint8_t>& active);

/// The same below a DEM (band `band` of `dem`, in the voxels' CRS): the elevation
/// interpolated bilinearly between the four nearest cell centres (nearest cells at the
/// edge); columns outside the DEM or next to a nodata cell are inactive.
std::vector<float> depthBelowSurface(const Raster& dem, std::size_t band, const VolumeSpec& spec,
                                     std::vector<std::uint8_t>& active);

}  // namespace orevox
