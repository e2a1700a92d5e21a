#pragma once
/// \file faults.hpp
/// Faults of a structural model: each fault is the level set of its own implicit field
/// (implicit_field.hpp) through its interface points; the side above it is the hanging
/// wall. A fault with a displacement moves its hanging wall as a block along its slip
/// vector; the other features are interpolated in restored space (every constraint moved
/// back by the displacements of the faults whose hanging wall it is in) and read back at
/// each voxel's restored position, so a horizon is offset across the fault by the
/// displacement. Faults without a displacement cut the box into blocks whose features are
/// interpolated each from their own constraints. Either way the fault is a discontinuity.
///
/// Typical flow: interpolateFdi(fault) -> FaultModel::make -> FaultSet::blockAt /
/// FaultSet::restore per voxel and per constraint -> interpolate in restored space ->
/// sampleTrilinear at restored voxel centres.

#include <Eigen/Core>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "orevox/geomodel/implicit_field.hpp"
#include "orevox/geomodel/volume.hpp"

namespace orevox {

/// The displacement of one fault (a row of a displacement table).
struct FaultDisplacement {
  std::string fault;
  /// Metres along the slip vector; > 0 moves the hanging wall along it (down-dip by
  /// default: a normal fault), < 0 against it.
  double displacement = 0.0;
  /// A finite fault: the displacement falls from `displacement` at the fault's centre (the
  /// mean of its interface points) to 0 at this distance from it, measured in the fault's
  /// plane, as (1 - (r / radius)^2)^2; beyond it the fault has no hanging wall (its surface
  /// and distance stop there too). Infinity: the fault crosses the whole box.
  double radius = std::numeric_limits<double>::infinity();
  /// The direction in which the hanging wall moves (unit); zero = down the dip of the
  /// fault's mean plane.
  Eigen::Vector3d slip{0.0, 0.0, 0.0};
  long line = 0;  ///< source line, for messages
};

/// One modelled fault.
struct FaultModel {
  std::string name;
  double value = 0.0;  ///< the field value of the fault surface (its interface points' mean)
  Eigen::Vector3d centre{0, 0, 0};  ///< mean of its interface points
  /// Unit normal of the mean plane (the mean orientation, else the field's mean gradient),
  /// pointing into the hanging wall: up, or along the given normals for a vertical fault.
  Eigen::Vector3d normal{0, 0, 1};
  double sideSign = 1.0;           ///< +1 when the field increases into the hanging wall, else -1
  Eigen::Vector3d slip{0, 0, -1};  ///< unit: the hanging wall's motion
  bool hasDisplacement = false;
  double displacement = 0.0;
  double radius = std::numeric_limits<double>::infinity();
  VolumeSpec spec;
  std::vector<float> field;  ///< the fault's field on `spec`

  /// The fault from its constraints, its field on `spec` and its displacement (nullptr:
  /// none: blocks are interpolated separately). DataError naming the displacement's line for
  /// a slip vector in the fault's normal direction (it would open the fault).
  static FaultModel make(const FeatureConstraints& constraints, const VolumeSpec& spec,
                         std::vector<float> field, const FaultDisplacement* displacement,
                         const std::string& displacementSource = {});

  /// The displacement's share at a point: 0 beyond the radius, else (1 - (r/R)^2)^2.
  double taper(const Eigen::Vector3d& p) const;
  /// True when `fieldValue` (this fault's field at p) is on the hanging-wall side and p is
  /// within the radius.
  bool hangingWall(const Eigen::Vector3d& p, double fieldValue) const;
};

/// Every fault of a model, applied together.
class FaultSet {
 public:
  FaultSet() = default;
  explicit FaultSet(std::vector<FaultModel> faults);

  const std::vector<FaultModel>& faults() const { return faults_; }
  bool empty() const { return faults_.empty(); }

  /// The block of a point: bit f set when the point is in fault f's hanging wall (within
  /// its radius). `fieldValues[f]` is fault f's field at the point.
  std::uint32_t blockAt(const Eigen::Vector3d& p, const double* fieldValues) const;
  /// The same, sampling the fault fields at p (trilinear).
  std::uint32_t blockAt(const Eigen::Vector3d& p) const;
  /// The part of a block that decides which constraints interpolate it: the bits of the
  /// faults without a displacement.
  std::uint32_t separation(std::uint32_t block) const { return block & separateMask_; }
  /// The position of p before the faults of `block` moved it: p - sum over faults f of the
  /// block with a displacement of D_f taper_f(p) slip_f.
  Eigen::Vector3d restore(const Eigen::Vector3d& p, std::uint32_t block) const;
  /// The largest distance restore() moves a point (sum of |D_f|; metres).
  double largestShift() const;
  /// "hanging wall of A, footwall of B" for messages.
  std::string describe(std::uint32_t separation) const;

 private:
  std::vector<FaultModel> faults_;
  std::uint32_t separateMask_ = 0;
};

}  // namespace orevox
