#pragma once
/// \file random_field.hpp
/// Seeded, stationary Gaussian random fields (zero mean, unit variance, Gaussian
/// covariance C(h) = exp(-|h|^2 / (2 L^2)), L = correlation length in metres). They give the
/// synthetic districts their spatially correlated backgrounds, topography and noise.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "orevox/geomodel/grid.hpp"

namespace orevox {

/// A 2D Gaussian random field that can be evaluated exactly at any point, so irregular
/// sample sites and a raster of the same field agree to rounding.
///
/// Random Fourier features (spectral representation, Shinozuka & Deodatis 1991; Rahimi &
/// Recht 2007): f(p) = sqrt(2 / M) * sum_m cos(k_m . p + phi_m) with wave vectors
/// k_m ~ N(0, I / L^2) and phases phi_m ~ U(0, 2 pi). Its covariance is exactly
/// exp(-|h|^2 / (2 L^2)) in expectation over the draws, its marginal variance is 1, and its
/// finite-dimensional distributions tend to Gaussian as M grows (M = 256 by default).
class RandomField2D {
 public:
  static constexpr std::size_t kDefaultWaveCount = 256;

  /// Draws the M waves from makeRng(seed, stream). Throws UsageError unless
  /// correlationLength > 0 (metres) and waveCount >= 1.
  RandomField2D(double correlationLength, std::uint64_t seed, std::uint64_t stream = 0,
                std::size_t waveCount = kDefaultWaveCount);

  /// Field value at world point (x, y) in metres.
  double at(double x, double y) const;

  /// Values on the regular lattice x_i = x0 + i dx, y_j = y0 + j dy (i < nx, j < ny), row
  /// j at index j * nx + i. Equal to at(x_i, y_j) up to rounding; the cosine is split by
  /// the angle-sum identity so each cell costs two multiply-adds per wave.
  std::vector<float> sampleLattice(std::size_t nx, std::size_t ny, double x0, double y0, double dx,
                                   double dy) const;

  /// Values at the cell centres of `grid`, row-major with row 0 on the north edge (the
  /// Raster band layout).
  std::vector<float> sampleGrid(const GridSpec& grid) const;

  double correlationLength() const { return length_; }
  std::size_t waveCount() const { return kx_.size(); }

 private:
  double length_;
  double amplitude_;
  std::vector<double> kx_, ky_, phase_;
};

/// nx x ny values of RandomField2D(correlationLength, seed, stream) at the cell centres
/// ((i + 0.5) cell, (j + 0.5) cell), index j * nx + i (j grows northward). Cell and
/// correlation length in metres.
std::vector<float> gaussianRandomField(std::size_t nx, std::size_t ny, double cell,
                                       double correlationLength, std::uint64_t seed,
                                       std::uint64_t stream);

/// nx x ny x nz values of a 3D Gaussian random field on cubic voxels of `cell` metres, in
/// VolumeSpec order (k * ny + j) * nx + i, zero mean, unit variance, covariance close to
/// exp(-|h|^2 / (2 L^2)). Made by separable convolution of seeded white noise with a
/// discrete Gaussian kernel of standard deviation L / (sqrt 2 cell) voxels (truncated at 3
/// sigma, normalised so that the sum of squared weights is 1), on a grid padded by the
/// kernel radius so the edges are as random as the interior. The white noise is uniform
/// with unit variance when the kernel spans 5 or more voxels per axis (the sum of >= 125
/// weighted values is Gaussian by the central limit theorem) and Gaussian otherwise.
/// Cost O(N * kernel width); z-slices run in parallel with TBB; the result does not depend
/// on the thread count.
std::vector<float> gaussianRandomField3D(std::size_t nx, std::size_t ny, std::size_t nz,
                                         double cell, double correlationLength, std::uint64_t seed,
                                         std::uint64_t stream);

}  // namespace orevox
