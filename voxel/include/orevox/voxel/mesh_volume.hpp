#pragma once
/// \file mesh_volume.hpp
/// Meshes and voxels: the distance from a mesh to every voxel centre of a box (signed for
/// closed meshes and for oriented open surfaces such as faults), the inside/outside mask
/// of a closed mesh (ore solids as label channels), and isosurfaces of a channel as
/// meshes (horizons and faults of an implicit model). OpenVDB stays behind this header.
///
/// Typical use:
/// \code
///   TriangleMesh ore = readMesh("Mpz.stl");                    // datasets/mesh_io.hpp
///   addMeshInsideChannel(model, "orebody", ore);                // 1 inside, 0 outside
///   MeshDistanceOptions d;                                      // signed, every voxel
///   d.units = "ft";
///   addMeshDistanceChannel(model, "ore_distance", ore, d);     // < 0 inside the solid
///   MeshDistanceOptions f;  f.sign = DistanceSign::Side;  f.orient = SurfaceOrientation::Up;
///   addMeshDistanceChannel(model, "fault_distance", fault, f);  // hanging wall +
///   TriangleMesh horizon = isosurface(model, "field", 0.5);
/// \endcode

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "orevox/core/options.hpp"
#include "orevox/geomodel/mesh.hpp"
#include "orevox/geomodel/volume.hpp"
#include "orevox/voxel/voxel_model.hpp"

namespace orevox {

/// The sign a mesh distance carries.
enum class DistanceSign {
  /// Closed meshes: negative inside, positive outside (the level-set convention). Inside
  /// is decided by vertical-ray parity (MeshDistance::verticalCrossings), so it needs a
  /// closed mesh (MeshCheck::watertight: every edge of an even number of triangles) but
  /// not a consistent orientation. DataError naming the file and the count of boundary
  /// edges for an open mesh (fillHoles closes the small gaps of real wireframes).
  Inside,
  /// Surfaces such as faults and contacts (open or closed): positive on the side the
  /// triangles' normals point to, negative on the other, by the angle-weighted
  /// pseudonormal of the closest feature (MeshClosestPoint::side). Beyond the edge of an
  /// open surface the side is that of the boundary's triangles extended. With
  /// SurfaceOrientation::Up (normals up) the hanging wall of any non-vertical fault is
  /// positive and the footwall negative; `flip` reverses the sign.
  Side,
  None  ///< unsigned distance
};

/// "inside", "side", "none".
const NameTable<DistanceSign>& distanceSignNames();

/// How a surface is oriented before DistanceSign::Side takes sides.
enum class SurfaceOrientation {
  /// As in the file, made consistent first where it is not (each component keeps the
  /// orientation of the larger share of its area; orientConsistently, Majority).
  Given,
  /// Normals pointing up on average (orientConsistently, Up): the hanging wall side of a
  /// fault, the side above a horizon.
  Up
};

/// "given", "up".
const NameTable<SurfaceOrientation>& surfaceOrientationNames();

/// How distances are computed.
enum class MeshDistanceMethod {
  /// Exact closest-point distances in double precision from a bounding-volume hierarchy
  /// (MeshDistance), any voxel spacing, any band (also unlimited), threaded.
  Exact,
  /// OpenVDB's meshToSignedDistanceField / meshToUnsignedDistanceField: the voxels the
  /// triangles cut, then a band grown one voxel layer at a time, each new voxel measured
  /// to the triangles its neighbours found closest (so far from the mesh not always the
  /// closest one), in single precision. Needs cubic voxels; no Side sign; the band is
  /// bounded by the box's diagonal.
  OpenVdb
};

/// "exact", "openvdb".
const NameTable<MeshDistanceMethod>& meshDistanceMethodNames();

/// Settings of a mesh-to-voxel distance.
struct MeshDistanceOptions {
  DistanceSign sign = DistanceSign::Inside;
  /// Voxels whose centre is farther than this from the mesh stay inactive (world units,
  /// e.g. metres); 0 = unlimited: every voxel of the box gets its distance.
  double band = 0.0;
  SurfaceOrientation orient = SurfaceOrientation::Given;  ///< for DistanceSign::Side
  bool flip = false;  ///< reverses the sign (Inside: positive inside)
  /// Closes holes of up to this many edges first (fillHoles; 0 = none): real wireframes
  /// have small gaps (Babbitt's Mpz.stl misses one triangle: 3). Reported in the result.
  std::size_t fillHoles = 0;
  MeshDistanceMethod method = MeshDistanceMethod::Exact;
  std::string units;  ///< units of the channel written (the CRS's linear unit)

  /// Declares mesh-distance-sign, mesh-distance-band, orient, flip-side, fill-holes,
  /// mesh-distance-method.
  void declare(OptionSet& set);
};

/// One float per voxel (VolumeSpec::index order) and its activity flag.
struct MeshDistanceField {
  std::vector<float> values;         ///< world units; 0 where inactive
  std::vector<std::uint8_t> active;  ///< 1 within the band
  std::size_t activeCount = 0;
  HoleFilling filled;  ///< what MeshDistanceOptions::fillHoles closed
};

/// The distance from `mesh` to every voxel centre of `spec` (see MeshDistanceOptions).
/// DataError naming the mesh's file for an open mesh with DistanceSign::Inside, for a
/// non-orientable surface with DistanceSign::Side, for a mesh without triangles;
/// UsageError for options the method cannot honour.
MeshDistanceField meshDistanceField(const TriangleMesh& mesh, const VolumeSpec& spec,
                                    const MeshDistanceOptions& options = {});

/// meshDistanceField on the model's box written as channel `channel` (replaced when
/// present; voxels beyond the band inactive, background 0).
void addMeshDistanceChannel(VoxelModel& model, const std::string& channel, const TriangleMesh& mesh,
                            const MeshDistanceOptions& options = {});

/// 1 for every voxel whose centre lies inside the closed `mesh`, else 0 (vertical-ray
/// parity over the voxel columns, exact for centres not on the surface). DataError naming
/// the file and the count of boundary edges when the mesh is not closed (not
/// MeshCheck::watertight; fillHoles closes small gaps such as a missing triangle).
/// `fillHoles` > 0 first closes holes of up to that many edges (on a copy), and `filled`
/// (when not null) receives what was closed.
std::vector<std::uint8_t> meshInsideMask(const TriangleMesh& mesh, const VolumeSpec& spec,
                                         std::size_t fillHoles = 0, HoleFilling* filled = nullptr);

/// meshInsideMask as a label channel of `model`: every voxel active, 1 inside, 0 outside
/// (replaced when present). Returns what `fillHoles` closed.
HoleFilling addMeshInsideChannel(VoxelModel& model, const std::string& channel,
                                 const TriangleMesh& mesh, std::size_t fillHoles = 0);

/// Settings of isosurface.
struct IsosurfaceOptions {
  /// OpenVDB's adaptivity 0..1: 0 keeps one or two triangles per voxel cell, larger values
  /// merge flat regions into fewer triangles.
  double adaptivity = 0.0;
};

/// The surface where channel `channel` crosses `value` (OpenVDB volumeToMesh, a dual
/// method: one point per cell of eight neighbouring voxel centres whose values straddle
/// `value`, quads split into two triangles), in world coordinates (double precision:
/// positions are computed relative to the box and shifted back), named
/// "<channel>=<value>", with the model's CRS. Triangles face the side where the channel is
/// above `value`. Cells with an inactive corner, or reaching outside the box, are not
/// meshed, so inactive voxels and the box's outside make no spurious walls: a surface cut
/// by the box is open and ends at the outermost cells' points, between half and one voxel
/// inside the outermost voxel centres. Empty (no triangles) when the channel never crosses
/// `value` in the active cells.
TriangleMesh isosurface(const VoxelModel& model, const std::string& channel, double value,
                        const IsosurfaceOptions& options = {});

}  // namespace orevox
