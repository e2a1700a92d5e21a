#pragma once
/// \file implicit_field.hpp
/// Implicit scalar fields of a structural model: each geological feature (a stratigraphic
/// series, a fault) is the level sets of one scalar field interpolated from interface
/// points (a value per horizon) and orientations (the direction in which the field
/// increases). The horizons are isosurfaces of the field (voxel/mesh_volume.hpp).
///
/// Typical flow: readConstraintTable (datasets/constraint_io.hpp) -> one FeatureConstraints
/// per `feature_name` -> interpolateFdi onto a VolumeSpec (one value per voxel centre) ->
/// a VoxelModel channel -> isosurface(model, feature, value) per horizon.
///
/// The `fdi` interpolator is LoopStructural's finite-difference interpolator (Grose et al.
/// 2021, "LoopStructural 1.0", GMD 14, 3915-3937, section 2.2.2; after Irakarama et al.
/// 2020): the unknowns are the field's values at the voxel centres; every constraint is one
/// linear equation of the trilinear interpolant (a value at a point, the gradient at a
/// point) and every voxel adds its second derivatives (f_xx, f_yy, f_zz and, counted twice,
/// f_xy, f_xz, f_yz) as smoothness equations; the least-squares solution of all of them is
/// found by conjugate gradients on the normal equations, matrix-free (the regularisation is
/// a stencil, the constraint rows an Eigen sparse matrix), preconditioned by a geometric
/// multigrid V-cycle: damped Jacobi smoothing, trilinear prolongation and its transpose, the
/// same equations re-discretised on grids of half the resolution (their smoothness weight
/// scaled with the voxel volume, so that each approximates the same continuous energy), the
/// coarsest solved by Jacobi-preconditioned CG.

#include <Eigen/Core>
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "orevox/core/options.hpp"
#include "orevox/geomodel/volume.hpp"

namespace orevox {

/// A point where a feature's field takes a given value (an interface point of a horizon).
struct ValueConstraint {
  Eigen::Vector3d position{0.0, 0.0, 0.0};  ///< world units (metres), z up
  double value = 0.0;                       ///< the field's value there (the horizon's value)
  long line = 0;                            ///< source line (1-based) for messages; 0 = none
};

/// An orientation: at `position` the field increases in direction `normal` (unit vector).
/// From nx,ny,nz or gx,gy,gz columns, or from dip, azimuth (dip direction) and polarity.
struct OrientationConstraint {
  Eigen::Vector3d position{0.0, 0.0, 0.0};
  Eigen::Vector3d normal{0.0, 0.0, 1.0};
  long line = 0;
};

/// The constraints of one feature (rows of one `feature_name`).
struct FeatureConstraints {
  std::string name;
  std::string source;  ///< the file they were read from (for messages)
  std::vector<ValueConstraint> values;
  std::vector<OrientationConstraint> orientations;

  std::size_t size() const { return values.size() + orientations.size(); }
  /// The distinct values, ascending (the horizons).
  std::vector<double> distinctValues() const;
};

/// Every feature of one or several constraint tables, in order of first appearance.
struct ConstraintSet {
  std::vector<FeatureConstraints> features;

  /// The feature named `name`, or nullptr.
  const FeatureConstraints* find(const std::string& name) const;
  /// Adds the other set's features (rows of a feature already present are appended).
  void merge(ConstraintSet other);
  /// Smallest box holding every constraint (min x, y, z then max x, y, z); empty set: zeros.
  std::array<double, 6> bounds() const;
};

/// Unit normal of a plane given as dip (degrees from horizontal, 0-90) and azimuth (dip
/// direction, degrees clockwise from north): (sin d sin a, sin d cos a, cos d), the upward
/// normal, times `polarity` (+1 upright, -1 overturned: the field increases downwards).
Eigen::Vector3d normalFromDipAzimuth(double dipDegrees, double azimuthDegrees,
                                     double polarity = 1.0);

/// Settings of the finite-difference interpolator (interpolateFdi).
struct FdiOptions {
  /// Weight of every voxel's smoothness equations (second derivatives of the field,
  /// expressed in field units per cell^2) against the constraints (weight 1): larger values
  /// give smoother surfaces that honour the points less closely.
  double regularisation = 0.1;
  double valueWeight = 1.0;     ///< weight of each interface-point equation
  double gradientWeight = 1.0;  ///< weight of each orientation's three gradient equations
  /// Conjugate gradients stop when |residual| / |right-hand side| falls below this.
  double tolerance = 1e-5;
  std::size_t maxIterations = 500;  ///< conjugate-gradient iterations at most
  /// Damped Jacobi sweeps before and after each coarse-grid correction of the multigrid
  /// preconditioner.
  int smoothing = 2;
  /// Multigrid: coarser grids of half the resolution while every axis keeps at least this
  /// many voxels (0 = no coarse grids: Jacobi-preconditioned CG on the fine grid alone).
  std::size_t coarsestVoxels = 8;

  /// Declares regularisation, value-weight, gradient-weight, cg-tolerance,
  /// cg-max-iterations, smoothing, coarsest-voxels.
  void declare(OptionSet& set);
};

/// How a field was solved.
struct FieldSolveStats {
  std::size_t unknowns = 0;       ///< voxels of the finest grid
  std::size_t equations = 0;      ///< constraint equations (value + 3 per orientation)
  std::size_t levels = 0;         ///< grids of the multigrid hierarchy (1 = the fine grid alone)
  std::size_t iterations = 0;     ///< conjugate-gradient iterations on the fine grid
  double relativeResidual = 0.0;  ///< |r| / |b| on the finest grid when it stopped
  bool converged = false;
  /// The gradient magnitude the orientations ask for (field units per metre): the slope of
  /// a linear fit of the values where the feature has several, else 1.
  double gradientScale = 1.0;
  double seconds = 0.0;
};

/// A field on a VolumeSpec: one value per voxel centre (VolumeSpec::index order).
struct ImplicitField {
  std::vector<float> values;
  FieldSolveStats stats;
};

/// Checks that `feature` can define a field on `spec` and throws otherwise: a DataError
/// naming the file, the line and the value for a constraint with a non-finite coordinate
/// or outside the box (by more than half a voxel), and naming the feature when it has
/// fewer than one value point, a single value and no orientation, or value points that
/// all lie in one plane (a line, a point) without an orientation (the field would be
/// undetermined).
void checkFeatureConstraints(const FeatureConstraints& feature, const VolumeSpec& spec);

/// The finite-difference least-squares field of `feature` on the voxel centres of `spec`
/// (see the file comment). Orientations constrain the gradient to gradientScale x normal.
/// Runs checkFeatureConstraints first; UsageError for a box with fewer than 2 voxels along
/// an axis or bad options. Threads: TBB (core/runtime.hpp setThreadCount); the result does
/// not depend on the thread count.
ImplicitField interpolateFdi(const FeatureConstraints& feature, const VolumeSpec& spec,
                             const FdiOptions& options = {});

/// The trilinear interpolant of voxel-centre values at a world point: inside the hull of
/// the voxel centres the usual trilinear blend, beyond it (the outer half voxel) the
/// linear extrapolation of the outermost cell. Needs at least 2 voxels along each axis.
double sampleTrilinear(const VolumeSpec& spec, const std::vector<float>& values,
                       const Eigen::Vector3d& point);

/// Radial kernels of the rbf interpolator.
enum class RbfKernel {
  Cubic,    ///< phi(r) = r^3 (conditionally positive definite of order 2: needs the drift)
  Gaussian  ///< phi(r) = exp(-(r / range)^2)
};

/// "cubic", "gaussian".
const NameTable<RbfKernel>& rbfKernelNames();

/// Settings of the dual radial-basis interpolator (RbfInterpolant).
struct RbfOptions {
  RbfKernel kernel = RbfKernel::Cubic;
  /// Gaussian kernel: its range (world units); 0 = a quarter of the constraints' box diagonal.
  double range = 0.0;
  /// Added to the diagonal of the value-value block (field units^2): 0 interpolates the
  /// values exactly, more smooths noisy picks.
  double smoothing = 0.0;
  /// More equations than this are a UsageError (the dense solve grows as n^3: fdi is for
  /// large data).
  std::size_t maxEquations = 20000;

  /// Declares rbf-kernel, rbf-range, rbf-smoothing.
  void declare(OptionSet& set);
};

/// The dual (Hermite) radial-basis interpolant of a feature: f(x) = sum_i a_i phi(|x - p_i|)
/// + sum_j sum_c b_jc d phi(|x - q_j|) / d q_jc + c_0 + c . x, with a value centre p_i per
/// interface point and a gradient centre q_j per orientation (the field's gradient there is
/// gradientScale x normal, as for fdi); the weights solve the symmetric saddle-point system
/// of the value and gradient equations and the drift's orthogonality conditions (the
/// cokriging form of GemPy, de la Varga et al. 2019, GMD 12, 1-32, with a polynomial kernel
/// as in LoopStructural's surfe; dense LU). Coordinates are centred and scaled internally.
class RbfInterpolant {
 public:
  /// Checks the feature (no box: see checkFeatureConstraints' other rules) and solves for the
  /// weights. UsageError when there are more than options.maxEquations equations; DataError
  /// naming the feature when the system is singular (e.g. two points of different values at
  /// one place).
  static RbfInterpolant fit(const FeatureConstraints& feature, const RbfOptions& options = {});

  double value(const Eigen::Vector3d& p) const;
  Eigen::Vector3d gradient(const Eigen::Vector3d& p) const;
  std::size_t equations() const { return std::size_t(weights_.size()) - 4; }
  double gradientScale() const { return gradientScale_; }

 private:
  RbfKernel kernel_ = RbfKernel::Cubic;
  double epsilon_ = 1.0;  ///< Gaussian range in scaled units
  Eigen::Vector3d centre_{0, 0, 0};
  double scale_ = 1.0;                                           ///< world units per scaled unit
  std::vector<Eigen::Vector3d> valueCentres_, gradientCentres_;  ///< scaled
  Eigen::VectorXd weights_;  ///< values, gradients (3 per centre), drift (4)
  double gradientScale_ = 1.0;
};

/// RbfInterpolant::fit evaluated at every voxel centre of `spec` (threads: TBB). Runs
/// checkFeatureConstraints first. stats: equations, seconds, gradientScale.
ImplicitField interpolateRbf(const FeatureConstraints& feature, const VolumeSpec& spec,
                             const RbfOptions& options = {});

}  // namespace orevox
