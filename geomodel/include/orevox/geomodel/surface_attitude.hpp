#pragma once
/// \file surface_attitude.hpp
/// Predictors of 3D prospectivity from a surface (a fault, a contact): the dip and dip
/// direction of the surface at the point nearest to every voxel centre, as the Jiaodong
/// studies extract them from their ore-controlling fault models. The signed distance to the
/// surface (hanging wall positive) is voxel/mesh_volume.hpp's meshDistanceField with
/// DistanceSign::Side and SurfaceOrientation::Up.

#include <vector>

#include "orevox/geomodel/mesh.hpp"
#include "orevox/geomodel/volume.hpp"

namespace orevox {

/// Dip and dip direction per voxel (VolumeSpec::index order).
struct SurfaceAttitudeField {
  std::vector<float> dip;           ///< degrees from horizontal, 0-90
  std::vector<float> dipDirection;  ///< degrees clockwise from north (y), 0-360; 0 where flat
};

/// Dip and dip direction of a surface at the point nearest to each voxel centre, from the
/// normal of the triangle holding that point (exact closest point, MeshDistance), taken
/// pointing up: dip = acos(n_z), dip direction = atan2(n_x, n_y) (the azimuth the surface
/// descends towards). DataError naming the mesh for a mesh without triangles. Threads: TBB.
SurfaceAttitudeField surfaceAttitude(const TriangleMesh& surface, const VolumeSpec& spec);

/// Dip and dip direction (degrees) of a plane with normal `n` (either sense).
void dipAndDirection(const Eigen::Vector3d& n, double& dip, double& dipDirection);

}  // namespace orevox
