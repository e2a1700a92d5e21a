#include "orevox/geomodel/random_field.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox {

namespace {
constexpr double kTwoPi = 6.283185307179586476925286766559;

// cos(x) to ~1e-12 without a libm call: at() is evaluated for every field at every sample
// site, where std::cos took most of the generation time. Reduce to [-pi, pi] with the
// 1.5 * 2^52 rounding trick (branch-free, so the wave loop vectorises), then Taylor in x^2
// to degree 22 (error below pi^24 / 24! = 1.4e-12).
inline double cosReduced(double a) {
  constexpr double kRound = 6755399441055744.0;
  double t = a * (1.0 / kTwoPi);
  t -= (t + kRound) - kRound;
  const double x = kTwoPi * t;
  const double x2 = x * x;
  double p = 1.0 / 1124000727777607680000.0;  // 1/22!
  p = -1.0 / 2432902008176640000.0 + x2 * p;  // 1/20!
  p = 1.0 / 6402373705728000.0 + x2 * p;
  p = -1.0 / 20922789888000.0 + x2 * p;
  p = 1.0 / 87178291200.0 + x2 * p;
  p = -1.0 / 479001600.0 + x2 * p;
  p = 1.0 / 3628800.0 + x2 * p;
  p = -1.0 / 40320.0 + x2 * p;
  p = 1.0 / 720.0 + x2 * p;
  p = -1.0 / 24.0 + x2 * p;
  p = 1.0 / 2.0 + x2 * p;
  return 1.0 - x2 * p;
}

void checkLength(double correlationLength) {
  if (!(correlationLength > 0.0) || !std::isfinite(correlationLength)) {
    throw UsageError("random field correlation length must be a positive number of metres, got " +
                     std::to_string(correlationLength));
  }
}
}  // namespace

RandomField2D::RandomField2D(double correlationLength, std::uint64_t seed, std::uint64_t stream,
                             std::size_t waveCount)
    : length_(correlationLength) {
  checkLength(correlationLength);
  if (waveCount == 0) throw UsageError("random field needs at least one wave");
  amplitude_ = std::sqrt(2.0 / double(waveCount));
  Rng rng = makeRng(seed, stream);
  std::normal_distribution<double> normal(0.0, 1.0 / correlationLength);
  std::uniform_real_distribution<double> uniform(0.0, kTwoPi);
  kx_.resize(waveCount);
  ky_.resize(waveCount);
  phase_.resize(waveCount);
  for (std::size_t m = 0; m < waveCount; ++m) {
    kx_[m] = normal(rng);
    ky_[m] = normal(rng);
    phase_[m] = uniform(rng);
  }
}

double RandomField2D::at(double x, double y) const {
  double sum = 0.0;
  for (std::size_t m = 0; m < kx_.size(); ++m)
    sum += cosReduced(kx_[m] * x + ky_[m] * y + phase_[m]);
  return amplitude_ * sum;
}

std::vector<float> RandomField2D::sampleLattice(std::size_t nx, std::size_t ny, double x0,
                                                double y0, double dx, double dy) const {
  const std::size_t waves = kx_.size();
  std::vector<float> out(nx * ny);
  if (out.empty()) return out;
  // cos(a + b) = cos a cos b - sin a sin b with a = kx x (per column), b = ky y + phi (per row).
  std::vector<double> cx(waves * nx), sx(waves * nx);
  for (std::size_t m = 0; m < waves; ++m) {
    for (std::size_t i = 0; i < nx; ++i) {
      const double a = kx_[m] * (x0 + double(i) * dx);
      cx[m * nx + i] = std::cos(a);
      sx[m * nx + i] = std::sin(a);
    }
  }
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, ny),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      std::vector<double> row(nx);
                      for (std::size_t j = r.begin(); j != r.end(); ++j) {
                        std::fill(row.begin(), row.end(), 0.0);
                        const double y = y0 + double(j) * dy;
                        for (std::size_t m = 0; m < waves; ++m) {
                          const double b = ky_[m] * y + phase_[m];
                          const double cb = std::cos(b), sb = std::sin(b);
                          const double* cxm = &cx[m * nx];
                          const double* sxm = &sx[m * nx];
                          for (std::size_t i = 0; i < nx; ++i) row[i] += cxm[i] * cb - sxm[i] * sb;
                        }
                        for (std::size_t i = 0; i < nx; ++i)
                          out[j * nx + i] = static_cast<float>(amplitude_ * row[i]);
                      }
                    });
  return out;
}

std::vector<float> RandomField2D::sampleGrid(const GridSpec& grid) const {
  return sampleLattice(grid.width, grid.height, grid.centreX(0.0), grid.centreY(0.0),
                       grid.geoTransform[1], grid.geoTransform[5]);
}

std::vector<float> gaussianRandomField(std::size_t nx, std::size_t ny, double cell,
                                       double correlationLength, std::uint64_t seed,
                                       std::uint64_t stream) {
  if (!(cell > 0.0))
    throw UsageError("random field cell size must be positive, got " + std::to_string(cell));
  return RandomField2D(correlationLength, seed, stream)
      .sampleLattice(nx, ny, 0.5 * cell, 0.5 * cell, cell, cell);
}

std::vector<float> gaussianRandomField3D(std::size_t nx, std::size_t ny, std::size_t nz,
                                         double cell, double correlationLength, std::uint64_t seed,
                                         std::uint64_t stream) {
  checkLength(correlationLength);
  if (!(cell > 0.0))
    throw UsageError("random field cell size must be positive, got " + std::to_string(cell));
  if (nx == 0 || ny == 0 || nz == 0) return {};
  // White noise convolved with a Gaussian of sd s has covariance exp(-h^2 / (4 s^2)), so
  // s = L / sqrt(2) gives the same covariance as RandomField2D.
  const double sigma = correlationLength / (std::sqrt(2.0) * cell);
  const std::size_t radius = sigma < 0.25 ? 0 : static_cast<std::size_t>(std::ceil(3.0 * sigma));
  std::vector<float> kernel(2 * radius + 1, 1.0f);
  if (radius > 0) {
    double sumSq = 0.0;
    std::vector<double> w(2 * radius + 1);
    for (std::size_t t = 0; t < w.size(); ++t) {
      const double d = double(t) - double(radius);
      w[t] = std::exp(-d * d / (2.0 * sigma * sigma));
      sumSq += w[t] * w[t];
    }
    for (std::size_t t = 0; t < w.size(); ++t)
      kernel[t] = static_cast<float>(w[t] / std::sqrt(sumSq));
  }
  const std::size_t px = nx + 2 * radius, py = ny + 2 * radius, pz = nz + 2 * radius;
  const std::size_t taps = kernel.size();
  const std::uint64_t sliceSeed = mixSeed(seed, stream);

  // White noise on the padded grid, one engine per padded z-slice (thread-count independent).
  // Where the kernel is wide, uniform noise of unit variance (two values per 64-bit draw) is
  // as good as Gaussian: each output sums at least 5^3 weighted inputs, so the field is
  // Gaussian by the central limit theorem, at a fraction of the cost of normal deviates.
  const bool wide = radius >= 2;
  std::vector<float> noise(px * py * pz);
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, pz), [&](const tbb::blocked_range<std::size_t>& r) {
        std::normal_distribution<float> normal(0.0f, 1.0f);
        constexpr float kUnit = float(3.4641016151377544 / 4294967296.0);  // 2 sqrt(3) / 2^32
        for (std::size_t k = r.begin(); k != r.end(); ++k) {
          Rng rng = makeRng(sliceSeed, k);
          float* slice = &noise[k * px * py];
          const std::size_t count = px * py;
          if (!wide) {
            for (std::size_t n = 0; n < count; ++n) slice[n] = normal(rng);
            continue;
          }
          for (std::size_t n = 0; n < count; n += 2) {
            const std::uint64_t bits = rng();
            slice[n] = float(bits & 0xffffffffu) * kUnit - 1.7320508f;
            if (n + 1 < count) slice[n + 1] = float(bits >> 32) * kUnit - 1.7320508f;
          }
        }
      });
  if (radius == 0) return noise;

  // x pass: px*py*pz -> nx*py*pz
  std::vector<float> bufX(nx * py * pz);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, pz),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t k = r.begin(); k != r.end(); ++k) {
                        for (std::size_t j = 0; j < py; ++j) {
                          const float* in = &noise[(k * py + j) * px];
                          float* out = &bufX[(k * py + j) * nx];
                          std::fill(out, out + nx, 0.0f);
                          for (std::size_t t = 0; t < taps; ++t) {
                            const float w = kernel[t];
                            const float* shifted = in + t;
                            for (std::size_t i = 0; i < nx; ++i) out[i] += w * shifted[i];
                          }
                        }
                      }
                    });
  noise.clear();
  noise.shrink_to_fit();

  // y pass: nx*py*pz -> nx*ny*pz
  std::vector<float> bufY(nx * ny * pz, 0.0f);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, pz),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t k = r.begin(); k != r.end(); ++k) {
                        for (std::size_t j = 0; j < ny; ++j) {
                          float* out = &bufY[(k * ny + j) * nx];
                          for (std::size_t t = 0; t < taps; ++t) {
                            const float* in = &bufX[(k * py + j + t) * nx];
                            const float w = kernel[t];
                            for (std::size_t i = 0; i < nx; ++i) out[i] += w * in[i];
                          }
                        }
                      }
                    });
  bufX.clear();
  bufX.shrink_to_fit();

  // z pass: nx*ny*pz -> nx*ny*nz
  const std::size_t plane = nx * ny;
  std::vector<float> result(plane * nz, 0.0f);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nz),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t k = r.begin(); k != r.end(); ++k) {
                        float* out = &result[k * plane];
                        for (std::size_t t = 0; t < taps; ++t) {
                          const float* in = &bufY[(k + t) * plane];
                          const float w = kernel[t];
                          for (std::size_t n = 0; n < plane; ++n) out[n] += w * in[n];
                        }
                      }
                    });
  return result;
}

}  // namespace orevox
