#pragma once
/// \file variogram.hpp
/// Experimental semivariograms of 3D samples (omnidirectional, along the axes of a search
/// ellipsoid, and in the ellipsoid's anisotropy-corrected distance), and spherical or
/// exponential models with a nugget fitted to them by weighted least squares: the
/// variography behind ordinary kriging (estimation.hpp).

#include <Eigen/Core>
#include <cstddef>
#include <string>
#include <vector>

#include "orevox/core/options.hpp"

namespace orevox {

/// Shape of a variogram model.
enum class VariogramShape {
  Spherical,   ///< 1.5 h/a - 0.5 (h/a)^3 up to the range a, then 1
  Exponential  ///< 1 - exp(-3 h / a) (a: the practical range, 95 % of the sill)
};
/// "spherical", "exponential".
const NameTable<VariogramShape>& variogramShapeNames();

/// gamma(h) = nugget + sill * shape(h / range) for h > 0, gamma(0) = 0. `sill` is the
/// partial sill (the total sill is nugget + sill). Distances in the CRS unit (with an
/// ellipsoid: the anisotropy-corrected distance, h = r1 |M d|, equal to the Euclidean one
/// along the major axis).
struct VariogramModel {
  VariogramShape shape = VariogramShape::Spherical;
  double nugget = 0.0, sill = 1.0, range = 1.0;

  double gamma(double h) const;
  /// Covariance C(h) = nugget + sill - gamma(h); C(0) = nugget + sill.
  double covariance(double h) const;
};

/// Settings of the experimental variograms and the fit.
struct VariogramOptions {
  VariogramShape shape = VariogramShape::Spherical;
  std::size_t lags = 12;  ///< number of lag classes
  double maxLag = 0.0;    ///< largest lag; 0 = the ellipsoid's major range, else a third of the
                          ///< samples' box diagonal
  double angleTolerance = 22.5;  ///< directional variograms: half-angle of the cone, degrees

  void declare(OptionSet& set);
};

/// One experimental variogram: per lag class, the mean pair distance, the pair count and
/// gamma = sum (z_i - z_j)^2 / (2 N). Classes without pairs are left out.
struct ExperimentalVariogram {
  std::string direction;  ///< "omni", "major", "semi", "minor", "anisotropic"
  Eigen::Vector3d axis = Eigen::Vector3d::Zero();  ///< unit direction (zero for omni / anisotropic)
  std::vector<double> distance, gamma;
  std::vector<std::size_t> pairs;
};

/// Experimental variograms of `values` (NaN rows skipped) at `points`: "omni" (Euclidean
/// lags); with an ellipsoid (its GSLIB rotation and ranges, estimation.hpp's
/// SearchEllipsoid::rotation()) also "major", "semi", "minor" (pairs within
/// angleTolerance of the axis, either way) and "anisotropic" (lags r1 |M d|, the variogram
/// the model is fitted to). Lag class c (0 .. lags - 1) holds the pairs with a distance in
/// [c w, (c + 1) w), w = maxLag / lags; coincident pairs (distance 0) are left out.
/// Pairs are found with a kd-tree (radius maxLag); threaded.
std::vector<ExperimentalVariogram> experimentalVariograms(
    const std::vector<Eigen::Vector3d>& points, const std::vector<double>& values,
    const VariogramOptions& options, const Eigen::Matrix3d* rotation = nullptr,
    const Eigen::Vector3d& ranges = Eigen::Vector3d::Ones());

/// Weighted least squares fit of nugget, sill and range to `v` (weights N_h / h^2, gstat's
/// fit.method 7): for each candidate range (a fine logarithmic scan, then golden-section
/// refinement) nugget and sill solve a 2 x 2 weighted linear least squares with both
/// kept >= 0. DataError when `v` has fewer than 2 lag classes.
VariogramModel fitVariogram(const ExperimentalVariogram& v, VariogramShape shape);

}  // namespace orevox
