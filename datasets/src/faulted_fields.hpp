#pragma once
// Private: the fields of a model's features across its faults (geomodel/faults.hpp) on a
// voxel box, and their isosurfaces meshed block by block, for runModelBuild.

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "orevox/geomodel/faults.hpp"
#include "orevox/geomodel/implicit_field.hpp"
#include "orevox/geomodel/mesh.hpp"
#include "orevox/voxel/voxel_model.hpp"

namespace orevox::detail {

/// One field on a box: fdi or rbf, as the job says.
using FieldSolver = std::function<ImplicitField(const FeatureConstraints&, const VolumeSpec&)>;

/// A feature's field across faults.
struct FaultedField {
  VolumeSpec restoredSpec;  ///< the box grown by the largest restoration shift
  /// Restored-space field of each group of blocks that share constraints
  /// (FaultSet::separation), on restoredSpec.
  std::map<std::uint32_t, std::vector<float>> fields;
  std::vector<float> values;  ///< the model's field at every voxel of the box
  FieldSolveStats stats;      ///< of the largest solve; seconds: all solves
};

/// The block (FaultSet::blockAt) of every voxel centre of `spec`.
std::vector<std::uint32_t> voxelBlocks(const FaultSet& faults, const VolumeSpec& spec);

/// Interpolates `feature` in restored space, one field per separation group present in
/// `blocks`, each from the constraints of that group moved back (FaultSet::restore), and
/// samples it at every voxel's restored centre. A group without enough constraints is a
/// DataError naming the feature and the fault blocks.
FaultedField interpolateFaulted(const FeatureConstraints& feature, const FaultSet& faults,
                                const VolumeSpec& spec, const std::vector<std::uint32_t>& blocks,
                                const FieldSolver& solve);

/// The isosurfaces of a faulted field at `values`, meshed block by block (each block's
/// field on the block grown by one voxel, triangles kept whose centroid is in the block)
/// and merged; `keep(h, centroid)` may drop more triangles of horizon h.
std::vector<TriangleMesh> faultedIsosurfaces(
    const FaultedField& field, const FaultSet& faults, const VolumeSpec& spec,
    const std::vector<std::uint32_t>& blocks, const std::vector<double>& values,
    const std::function<bool(std::size_t, const Eigen::Vector3d&)>& keep);

/// Removes the triangles for which `drop(centroid)` holds and the vertices left unused.
void dropTriangles(TriangleMesh& mesh, const std::function<bool(const Eigen::Vector3d&)>& drop);

}  // namespace orevox::detail
