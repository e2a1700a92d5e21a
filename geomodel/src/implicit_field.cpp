#include "orevox/geomodel/implicit_field.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <Eigen/Dense>
#include <Eigen/LU>
#include <Eigen/SparseCore>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <sstream>

#include "orevox/core/error.hpp"
#include "orevox/core/text.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox {

namespace {

std::string text(double v) { return numberText(v); }

std::string pointText(const Eigen::Vector3d& p) {
  return text(p.x()) + "," + text(p.y()) + "," + text(p.z());
}

/// One regular grid of nodes at voxel centres: origin = minimum corner, node i of an axis at
/// origin + (i + 0.5) h.
struct NodeGrid {
  std::array<std::size_t, 3> n{0, 0, 0};
  std::array<double, 3> origin{0, 0, 0};
  std::array<double, 3> h{1, 1, 1};
  std::size_t size() const { return n[0] * n[1] * n[2]; }
  std::size_t index(std::size_t i, std::size_t j, std::size_t k) const {
    return (k * n[1] + j) * n[0] + i;
  }
  double centre(int axis, std::size_t i) const {
    return origin[axis] + (double(i) + 0.5) * h[axis];
  }
  double cellVolume() const { return h[0] * h[1] * h[2]; }

  static NodeGrid of(const VolumeSpec& spec) {
    NodeGrid g;
    g.n = {spec.nx, spec.ny, spec.nz};
    g.origin = spec.origin;
    g.h = spec.spacing;
    return g;
  }
  /// Half the resolution over the same box (the last node may reach half a fine voxel past it).
  NodeGrid coarser() const {
    NodeGrid g = *this;
    for (int a = 0; a < 3; ++a) {
      g.n[a] = (n[a] + 1) / 2;
      g.h[a] = 2.0 * h[a];
    }
    return g;
  }
};

/// The 8 nodes and trilinear weights (and their derivatives) of a point.
struct Stencil {
  std::array<std::size_t, 8> node{};
  std::array<double, 8> w{};
  std::array<std::array<double, 8>, 3> dw{};  ///< d weight / d x, y, z (per world unit)
};

Stencil stencilAt(const NodeGrid& g, const Eigen::Vector3d& p) {
  std::array<std::size_t, 3> i0{};
  std::array<double, 3> t{};
  for (int a = 0; a < 3; ++a) {
    const double u = (p[a] - g.origin[a]) / g.h[a] - 0.5;
    double f = std::floor(u);
    f = std::clamp(f, 0.0, double(g.n[a]) - 2.0);
    i0[a] = std::size_t(f);
    t[a] = u - f;  // outside [0, 1] beyond the outermost centres: linear extrapolation
  }
  Stencil s;
  for (int c = 0; c < 8; ++c) {
    const int bx = c & 1, by = (c >> 1) & 1, bz = (c >> 2) & 1;
    const double wx = bx ? t[0] : 1.0 - t[0];
    const double wy = by ? t[1] : 1.0 - t[1];
    const double wz = bz ? t[2] : 1.0 - t[2];
    const double dx = (bx ? 1.0 : -1.0) / g.h[0];
    const double dy = (by ? 1.0 : -1.0) / g.h[1];
    const double dz = (bz ? 1.0 : -1.0) / g.h[2];
    s.node[c] = g.index(i0[0] + bx, i0[1] + by, i0[2] + bz);
    s.w[c] = wx * wy * wz;
    s.dw[0][c] = dx * wy * wz;
    s.dw[1][c] = wx * dy * wz;
    s.dw[2][c] = wx * wy * dz;
  }
  return s;
}

/// One second-derivative operator: a symmetric stencil (offsets and coefficients), applied at
/// the nodes where it fits (one node in from the faces along its axes), with a weight.
struct SecondDerivative {
  std::array<int, 3> axes{0, 0, 0};  ///< 1 on the axes it differentiates
  std::vector<std::array<int, 3>> offsets;
  std::vector<double> coeffs;
  double weight = 0;
};

std::vector<SecondDerivative> secondDerivatives(const NodeGrid& g, double lambda, double h0) {
  std::vector<SecondDerivative> ops;
  for (int a = 0; a < 3; ++a) {
    if (g.n[a] < 3) continue;
    SecondDerivative d;
    d.axes[a] = 1;
    std::array<int, 3> minus{0, 0, 0}, plus{0, 0, 0};
    minus[a] = -1;
    plus[a] = 1;
    d.offsets = {minus, {0, 0, 0}, plus};
    d.coeffs = {1.0, -2.0, 1.0};
    const double scale = h0 * h0 / (g.h[a] * g.h[a]);  // f_aa in field units per fine cell^2
    d.weight = lambda * scale * scale;
    ops.push_back(d);
  }
  for (int a = 0; a < 3; ++a) {
    for (int b = a + 1; b < 3; ++b) {
      if (g.n[a] < 3 || g.n[b] < 3) continue;
      SecondDerivative d;
      d.axes[a] = d.axes[b] = 1;
      for (int sa : {-1, 1}) {
        for (int sb : {-1, 1}) {
          std::array<int, 3> o{0, 0, 0};
          o[a] = sa;
          o[b] = sb;
          d.offsets.push_back(o);
          d.coeffs.push_back(double(sa * sb));
        }
      }
      const double scale = h0 * h0 / (4.0 * g.h[a] * g.h[b]);
      d.weight = 2.0 * lambda * scale * scale;  // f_ab and f_ba: the Hessian's two entries
      ops.push_back(d);
    }
  }
  return ops;
}

/// Deterministic sum over fixed blocks (independent of the thread count).
template <class F>
double blockSum(std::size_t n, F&& term) {
  constexpr std::size_t kBlock = 1 << 15;
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<double> partial(blocks, 0.0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t b = r.begin(); b != r.end(); ++b) {
                        double s = 0;
                        const std::size_t end = std::min(n, (b + 1) * kBlock);
                        for (std::size_t i = b * kBlock; i < end; ++i) s += term(i);
                        partial[b] = s;
                      }
                    });
  double total = 0;
  for (double p : partial) total += p;
  return total;
}

template <class F>
void parallelFor(std::size_t n, F&& body) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1 << 14),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i != r.end(); ++i) body(i);
                    });
}

/// The normal equations (lambda R^T R + A^T W A) x = A^T W b of one grid, applied
/// matrix-free.
class NormalEquations {
 public:
  NormalEquations(const NodeGrid& g, std::vector<SecondDerivative> ops,
                  Eigen::SparseMatrix<double, Eigen::RowMajor> a, Eigen::VectorXd rhs)
      : g_(g), ops_(std::move(ops)), a_(std::move(a)), rhs_(std::move(rhs)), u_(g.size(), 0.0) {}

  std::size_t size() const { return g_.size(); }

  /// y = M x.
  void apply(const std::vector<double>& x, std::vector<double>& y) {
    const std::size_t nx = g_.n[0], ny = g_.n[1], nz = g_.n[2];
    std::fill(y.begin(), y.end(), 0.0);
    for (const SecondDerivative& d : ops_) {
      long lo[3], hi[3];
      for (int a = 0; a < 3; ++a) {
        lo[a] = d.axes[a];
        hi[a] = long(g_.n[a]) - d.axes[a];
      }
      std::vector<long> off;
      for (const auto& o : d.offsets) off.push_back(o[0] + long(nx) * (o[1] + long(ny) * o[2]));
      // u = D x on the operator's domain, 0 elsewhere.
      tbb::parallel_for(
          tbb::blocked_range<std::size_t>(0, nz), [&](const tbb::blocked_range<std::size_t>& r) {
            for (std::size_t k = r.begin(); k != r.end(); ++k) {
              for (std::size_t j = 0; j < ny; ++j) {
                double* u = u_.data() + g_.index(0, j, k);
                std::fill(u, u + nx, 0.0);
                if (long(k) < lo[2] || long(k) >= hi[2] || long(j) < lo[1] || long(j) >= hi[1])
                  continue;
                const double* xr = x.data() + g_.index(0, j, k);
                for (std::size_t e = 0; e < off.size(); ++e) {
                  const double c = d.coeffs[e];
                  const double* xs = xr + off[e];
                  for (long i = lo[0]; i < hi[0]; ++i) u[i] += c * xs[i];
                }
              }
            }
          });
      // y += w D^T u (the stencil is symmetric: D^T has the same offsets and coefficients).
      tbb::parallel_for(
          tbb::blocked_range<std::size_t>(0, nz), [&](const tbb::blocked_range<std::size_t>& r) {
            for (std::size_t k = r.begin(); k != r.end(); ++k) {
              for (std::size_t j = 0; j < ny; ++j) {
                double* yr = y.data() + g_.index(0, j, k);
                for (std::size_t e = 0; e < off.size(); ++e) {
                  const auto& o = d.offsets[e];
                  const long jj = long(j) + o[1], kk = long(k) + o[2];
                  if (jj < lo[1] || jj >= hi[1] || kk < lo[2] || kk >= hi[2]) continue;
                  const double c = d.weight * d.coeffs[e];
                  const double* us = u_.data() + g_.index(0, std::size_t(jj), std::size_t(kk));
                  const long i0 = std::max(lo[0] - o[0], 0L), i1 = std::min(hi[0] - o[0], long(nx));
                  for (long i = i0; i < i1; ++i) yr[i] += c * us[i + o[0]];
                }
              }
            }
          });
    }
    // Constraint rows: y += A^T (A x).
    for (Eigen::Index row = 0; row < a_.outerSize(); ++row) {
      double t = 0;
      for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(a_, row); it; ++it)
        t += it.value() * x[it.col()];
      for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(a_, row); it; ++it)
        y[it.col()] += it.value() * t;
    }
  }

  /// The diagonal of M (the Jacobi preconditioner).
  std::vector<double> diagonal() const {
    std::vector<double> diag(g_.size(), 0.0);
    for (const SecondDerivative& d : ops_) {
      // Node m is in the stencil of n = m - offset for each offset; count those in the domain.
      parallelFor(g_.n[2], [&](std::size_t k) {
        for (std::size_t j = 0; j < g_.n[1]; ++j) {
          for (std::size_t i = 0; i < g_.n[0]; ++i) {
            const long m[3] = {long(i), long(j), long(k)};
            double s = 0;
            for (std::size_t e = 0; e < d.offsets.size(); ++e) {
              bool inside = true;
              for (int a = 0; a < 3; ++a) {
                const long c = m[a] - d.offsets[e][a];
                if (c < d.axes[a] || c >= long(g_.n[a]) - d.axes[a]) inside = false;
              }
              if (inside) s += d.coeffs[e] * d.coeffs[e];
            }
            diag[g_.index(i, j, k)] += d.weight * s;
          }
        }
      });
    }
    for (Eigen::Index row = 0; row < a_.outerSize(); ++row)
      for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(a_, row); it; ++it)
        diag[it.col()] += it.value() * it.value();
    for (double& v : diag)
      if (!(v > 0)) v = 1.0;  // a node no equation touches (cannot happen with >= 3 nodes per axis)
    return diag;
  }

  /// A^T W b.
  std::vector<double> rightHandSide() const {
    std::vector<double> b(g_.size(), 0.0);
    for (Eigen::Index row = 0; row < a_.outerSize(); ++row)
      for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(a_, row); it; ++it)
        b[it.col()] += it.value() * rhs_[row];
    return b;
  }

 private:
  NodeGrid g_;
  std::vector<SecondDerivative> ops_;
  Eigen::SparseMatrix<double, Eigen::RowMajor> a_;
  Eigen::VectorXd rhs_;
  std::vector<double> u_;
};

using Preconditioner = std::function<void(const std::vector<double>& r, std::vector<double>& z)>;

/// Flexible preconditioned conjugate gradients on M x = b from the given x (Polak-Ribiere
/// beta, so the preconditioner may be a multigrid cycle with an inexact coarse solve).
/// Returns the iterations; `relative` receives |r| / |b|.
std::size_t conjugateGradients(NormalEquations& m, const std::vector<double>& b,
                               std::vector<double>& x, const Preconditioner& precondition,
                               double tolerance, std::size_t maxIterations, double& relative,
                               Progress* progress) {
  const std::size_t n = m.size();
  std::vector<double> r(n), z(n), p(n), q(n);
  const double bnorm = std::sqrt(blockSum(n, [&](std::size_t i) { return b[i] * b[i]; }));
  if (!(bnorm > 0)) {
    std::fill(x.begin(), x.end(), 0.0);
    relative = 0;
    return 0;
  }
  m.apply(x, q);
  parallelFor(n, [&](std::size_t i) { r[i] = b[i] - q[i]; });
  relative = std::sqrt(blockSum(n, [&](std::size_t i) { return r[i] * r[i]; })) / bnorm;
  if (relative <= tolerance) return 0;
  precondition(r, z);
  p = z;
  double rz = blockSum(n, [&](std::size_t i) { return r[i] * z[i]; });
  std::size_t it = 0;
  while (it < maxIterations) {
    m.apply(p, q);
    const double pq = blockSum(n, [&](std::size_t i) { return p[i] * q[i]; });
    if (!(pq > 0)) break;
    const double alpha = rz / pq;
    parallelFor(n, [&](std::size_t i) {
      x[i] += alpha * p[i];
      r[i] -= alpha * q[i];
    });
    ++it;
    if (progress) progress->advance();
    relative = std::sqrt(blockSum(n, [&](std::size_t i) { return r[i] * r[i]; })) / bnorm;
    if (relative <= tolerance) break;
    const double rzOld = blockSum(n, [&](std::size_t i) { return r[i] * z[i]; });
    precondition(r, z);
    const double rzNew = blockSum(n, [&](std::size_t i) { return r[i] * z[i]; });
    const double beta = (rzNew - rzOld) / rz;
    rz = rzNew;
    parallelFor(n, [&](std::size_t i) { p[i] = z[i] + beta * p[i]; });
  }
  return it;
}

/// Trilinear prolongation from a grid to the next finer one, separable per axis: fine
/// node i takes weights w0[i], w1[i] of coarse nodes c0[i], c0[i] + 1 (the trilinear
/// interpolant of the coarse values at the fine centres, as stencilAt computes it).
struct AxisTransfer {
  std::vector<std::size_t> c0;
  std::vector<double> w0, w1;
  /// For each coarse node: (fine node, weight) pairs that use it (the transpose).
  std::vector<std::vector<std::pair<std::size_t, double>>> users;

  AxisTransfer(const NodeGrid& fine, const NodeGrid& coarse, int a) {
    const std::size_t nf = fine.n[a], nc = coarse.n[a];
    c0.resize(nf);
    w0.resize(nf);
    w1.resize(nf);
    users.resize(nc);
    for (std::size_t i = 0; i < nf; ++i) {
      const double u = (fine.centre(a, i) - coarse.origin[a]) / coarse.h[a] - 0.5;
      const double f = std::clamp(std::floor(u), 0.0, double(nc) - 2.0);
      const double t = u - f;
      c0[i] = std::size_t(f);
      w0[i] = 1.0 - t;
      w1[i] = t;
      users[c0[i]].push_back({i, w0[i]});
      users[c0[i] + 1].push_back({i, w1[i]});
    }
  }
};

/// One grid of the multigrid hierarchy: its normal equations, Jacobi smoother, transfer
/// to the next coarser grid and work vectors.
struct Level {
  NodeGrid g;
  std::unique_ptr<NormalEquations> op;
  std::vector<double> diag;
  double omega = 0.5;  ///< damping of the Jacobi smoother, over the diagonal
  std::vector<AxisTransfer>
      transfer;  ///< to the next coarser grid (x, y, z); empty on the coarsest
  std::vector<double> x, b, r;
};

/// Estimate of the largest eigenvalue of D^-1 M (power iteration from a fixed vector).
double largestEigenvalue(Level& level) {
  const std::size_t n = level.g.size();
  std::vector<double> v(n), w(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = 1.0 + 0.5 * std::sin(double(i) * 0.7123);
  double lambda = 1.0;
  for (int it = 0; it < 12; ++it) {
    const double norm = std::sqrt(blockSum(n, [&](std::size_t i) { return v[i] * v[i]; }));
    parallelFor(n, [&](std::size_t i) { v[i] /= norm; });
    level.op->apply(v, w);
    parallelFor(n, [&](std::size_t i) { w[i] /= level.diag[i]; });
    lambda = blockSum(n, [&](std::size_t i) { return v[i] * w[i]; });
    std::swap(v, w);
  }
  return lambda;
}

/// One V-cycle of multigrid for M_l x = b (x starts at 0): damped Jacobi smoothing before
/// and after, the residual restricted by the transpose of the prolongation, the coarsest
/// grid solved by Jacobi-preconditioned CG.
void vCycle(std::vector<Level>& levels, std::size_t l, int smoothing) {
  Level& L = levels[l];
  const std::size_t n = L.g.size();
  std::fill(L.x.begin(), L.x.end(), 0.0);
  if (l + 1 == levels.size()) {
    double relative = 0;
    const std::vector<double>& diag = L.diag;
    conjugateGradients(
        *L.op, L.b, L.x,
        [&](const std::vector<double>& r, std::vector<double>& z) {
          parallelFor(r.size(), [&](std::size_t i) { z[i] = r[i] / diag[i]; });
        },
        1e-6, 2000, relative, nullptr);
    return;
  }
  auto smooth = [&](int steps) {
    for (int s = 0; s < steps; ++s) {
      L.op->apply(L.x, L.r);
      parallelFor(n, [&](std::size_t i) { L.x[i] += L.omega * (L.b[i] - L.r[i]) / L.diag[i]; });
    }
  };
  smooth(smoothing);
  L.op->apply(L.x, L.r);
  parallelFor(n, [&](std::size_t i) { L.r[i] = L.b[i] - L.r[i]; });
  // Restriction: coarse b = P^T r, one axis at a time.
  Level& C = levels[l + 1];
  const auto& tx = L.transfer[0];
  const auto& ty = L.transfer[1];
  const auto& tz = L.transfer[2];
  const std::size_t fx = L.g.n[0], fy = L.g.n[1], fz = L.g.n[2];
  const std::size_t cx = C.g.n[0], cy = C.g.n[1], cz = C.g.n[2];
  std::vector<double> t1(cx * fy * fz), t2(cx * cy * fz);
  parallelFor(fz, [&](std::size_t k) {
    for (std::size_t j = 0; j < fy; ++j)
      for (std::size_t I = 0; I < cx; ++I) {
        double s = 0;
        for (const auto& [i, w] : tx.users[I]) s += w * L.r[(k * fy + j) * fx + i];
        t1[(k * fy + j) * cx + I] = s;
      }
  });
  parallelFor(fz, [&](std::size_t k) {
    for (std::size_t J = 0; J < cy; ++J)
      for (std::size_t I = 0; I < cx; ++I) {
        double s = 0;
        for (const auto& [j, w] : ty.users[J]) s += w * t1[(k * fy + j) * cx + I];
        t2[(k * cy + J) * cx + I] = s;
      }
  });
  parallelFor(cz, [&](std::size_t K) {
    for (std::size_t J = 0; J < cy; ++J)
      for (std::size_t I = 0; I < cx; ++I) {
        double s = 0;
        for (const auto& [k, w] : tz.users[K]) s += w * t2[(k * cy + J) * cx + I];
        C.b[(K * cy + J) * cx + I] = s;
      }
  });
  vCycle(levels, l + 1, smoothing);
  // Prolongation: x += P x_coarse.
  parallelFor(fz, [&](std::size_t k) {
    for (std::size_t j = 0; j < fy; ++j)
      for (std::size_t i = 0; i < fx; ++i) {
        double s = 0;
        for (int c = 0; c < 8; ++c) {
          const int bx = c & 1, by = (c >> 1) & 1, bz = (c >> 2) & 1;
          const double w =
              (bx ? tx.w1[i] : tx.w0[i]) * (by ? ty.w1[j] : ty.w0[j]) * (bz ? tz.w1[k] : tz.w0[k]);
          s += w * C.x[((tz.c0[k] + bz) * cy + ty.c0[j] + by) * cx + tx.c0[i] + bx];
        }
        L.x[(k * fy + j) * fx + i] += s;
      }
  });
  smooth(smoothing);
}

/// Least-squares linear fit value = c + g . p over the value points: (c, g); false when
/// the points do not determine it (fewer than 4, or coplanar).
bool linearFit(const FeatureConstraints& f, double& c, Eigen::Vector3d& g) {
  const std::size_t n = f.values.size();
  if (n < 4) return false;
  Eigen::Vector3d mean = Eigen::Vector3d::Zero();
  double vmean = 0;
  for (const auto& v : f.values) {
    mean += v.position;
    vmean += v.value;
  }
  mean /= double(n);
  vmean /= double(n);
  Eigen::Matrix3d ata = Eigen::Matrix3d::Zero();
  Eigen::Vector3d atb = Eigen::Vector3d::Zero();
  for (const auto& v : f.values) {
    const Eigen::Vector3d d = v.position - mean;
    ata += d * d.transpose();
    atb += d * (v.value - vmean);
  }
  Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> eig(ata);
  const double largest = eig.eigenvalues().maxCoeff();
  if (!(eig.eigenvalues().minCoeff() > 1e-9 * largest)) return false;
  g = ata.ldlt().solve(atb);
  c = vmean - g.dot(mean);
  return true;
}

/// The spread of the value points: the square roots of the eigenvalues of their scatter
/// (ascending, metres).
Eigen::Vector3d pointSpread(const FeatureConstraints& f) {
  if (f.values.empty()) return Eigen::Vector3d::Zero();
  Eigen::Vector3d mean = Eigen::Vector3d::Zero();
  for (const auto& v : f.values) mean += v.position;
  mean /= double(f.values.size());
  Eigen::Matrix3d s = Eigen::Matrix3d::Zero();
  for (const auto& v : f.values) s += (v.position - mean) * (v.position - mean).transpose();
  s /= double(f.values.size());
  Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> eig(s);
  return eig.eigenvalues().cwiseMax(0.0).cwiseSqrt();
}

/// The gradient magnitude orientations ask for (the slope of a linear fit of the values,
/// else of the values along the mean normal, else 1) and a plane c + g . p that starts the
/// solve.
double trendOf(const FeatureConstraints& feature, double& c0, Eigen::Vector3d& g0) {
  double scale = 1.0;
  const bool fitted = feature.distinctValues().size() >= 2 && linearFit(feature, c0, g0);
  if (fitted) {
    scale = g0.norm();
  } else if (feature.distinctValues().size() >= 2 && !feature.orientations.empty()) {
    // Values in a plane (or too few): slope of the values along the mean normal.
    Eigen::Vector3d mean = Eigen::Vector3d::Zero();
    for (const auto& o : feature.orientations) mean += o.normal;
    mean.normalize();
    double sx = 0, sv = 0, sxx = 0, sxv = 0;
    const double n = double(feature.values.size());
    for (const auto& v : feature.values) {
      const double x = mean.dot(v.position);
      sx += x;
      sv += v.value;
      sxx += x * x;
      sxv += x * v.value;
    }
    const double var = sxx - sx * sx / n;
    const double slope = var > 0 ? (sxv - sx * sv / n) / var : 0.0;
    scale = std::abs(slope) > 0 ? std::abs(slope) : 1.0;
  }
  if (!fitted) {
    // Start from a plane through the mean value point along the mean normal (or flat).
    Eigen::Vector3d mean = Eigen::Vector3d::Zero();
    for (const auto& o : feature.orientations) mean += o.normal;
    g0 = mean.norm() > 0 ? Eigen::Vector3d(mean.normalized() * scale) : Eigen::Vector3d::Zero();
    Eigen::Vector3d pm = Eigen::Vector3d::Zero();
    double vm = 0;
    for (const auto& v : feature.values) {
      pm += v.position;
      vm += v.value;
    }
    pm /= double(feature.values.size());
    vm /= double(feature.values.size());
    c0 = vm - g0.dot(pm);
  }

  return scale;
}

}  // namespace

std::vector<double> FeatureConstraints::distinctValues() const {
  std::vector<double> out;
  for (const auto& v : values) out.push_back(v.value);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

const FeatureConstraints* ConstraintSet::find(const std::string& name) const {
  for (const auto& f : features)
    if (f.name == name) return &f;
  return nullptr;
}

void ConstraintSet::merge(ConstraintSet other) {
  for (auto& f : other.features) {
    auto it = std::find_if(features.begin(), features.end(),
                           [&](const FeatureConstraints& g) { return g.name == f.name; });
    if (it == features.end()) {
      features.push_back(std::move(f));
    } else {
      it->values.insert(it->values.end(), f.values.begin(), f.values.end());
      it->orientations.insert(it->orientations.end(), f.orientations.begin(), f.orientations.end());
    }
  }
}

std::array<double, 6> ConstraintSet::bounds() const {
  constexpr double inf = std::numeric_limits<double>::infinity();
  std::array<double, 6> b{inf, inf, inf, -inf, -inf, -inf};
  bool any = false;
  auto add = [&](const Eigen::Vector3d& p) {
    any = true;
    for (int a = 0; a < 3; ++a) {
      b[a] = std::min(b[a], p[a]);
      b[a + 3] = std::max(b[a + 3], p[a]);
    }
  };
  for (const auto& f : features) {
    for (const auto& v : f.values) add(v.position);
    for (const auto& o : f.orientations) add(o.position);
  }
  if (!any) return {0, 0, 0, 0, 0, 0};
  return b;
}

Eigen::Vector3d normalFromDipAzimuth(double dipDegrees, double azimuthDegrees, double polarity) {
  const double d = dipDegrees * M_PI / 180.0, a = azimuthDegrees * M_PI / 180.0;
  return polarity *
         Eigen::Vector3d(std::sin(d) * std::sin(a), std::sin(d) * std::cos(a), std::cos(d));
}

void FdiOptions::declare(OptionSet& set) {
  set.add("regularisation", regularisation,
          "fdi: weight of the smoothness equations (second derivatives at every voxel) against the "
          "constraints; larger = smoother surfaces that honour the points less closely")
      .positive()
      .group("fdi");
  set.add("value-weight", valueWeight, "fdi: weight of each interface-point equation")
      .positive()
      .group("fdi");
  set.add("gradient-weight", gradientWeight, "fdi: weight of each orientation's gradient equations")
      .nonNegative()
      .group("fdi");
  set.add("cg-tolerance", tolerance,
          "fdi: conjugate gradients stop at this relative residual on the finest grid")
      .positive()
      .group("fdi");
  set.add("cg-max-iterations", maxIterations,
          "fdi: most conjugate-gradient iterations per grid level")
      .positive()
      .group("fdi");
  set.add("smoothing", smoothing,
          "fdi: damped Jacobi sweeps before and after each coarse-grid correction of the multigrid "
          "cycle")
      .positive()
      .group("fdi");
  set.add("coarsest-voxels", coarsestVoxels,
          "fdi: solve coarser grids first (each half the resolution) while every axis keeps at "
          "least "
          "this many voxels (0 = the fine grid alone)")
      .group("fdi");
}

void checkFeatureConstraints(const FeatureConstraints& feature, const VolumeSpec& spec) {
  const std::array<std::size_t, 3> n{spec.nx, spec.ny, spec.nz};
  auto check = [&](const Eigen::Vector3d& p, long line) {
    SourceLocation where{feature.source, line, 0, {}, pointText(p)};
    if (!p.allFinite())
      throw DataError("feature '" + feature.name + "': a coordinate is not a number", where);
    for (int a = 0; a < 3; ++a) {
      const double lo = spec.origin[a], hi = spec.origin[a] + double(n[a]) * spec.spacing[a];
      const double slack = 0.5 * spec.spacing[a];
      if (p[a] < lo - slack || p[a] > hi + slack) {
        throw DataError("feature '" + feature.name + "': constraint outside the model box (" +
                            std::string("xyz")[a] + " " + text(lo) + " to " + text(hi) + ")",
                        where);
      }
    }
  };
  for (const auto& v : feature.values) {
    check(v.position, v.line);
    if (!std::isfinite(v.value))
      throw DataError("feature '" + feature.name + "': the value is not a number",
                      SourceLocation{feature.source, v.line, 0, "val", text(v.value)});
  }
  for (const auto& o : feature.orientations) {
    check(o.position, o.line);
    if (!o.normal.allFinite() || !(o.normal.norm() > 0.5))
      throw DataError("feature '" + feature.name + "': the orientation is not a unit vector",
                      SourceLocation{feature.source, o.line, 0, {}, pointText(o.normal)});
  }
  const SourceLocation fileOnly{feature.source, 0, 0, {}, {}};
  if (feature.values.empty()) {
    throw DataError("feature '" + feature.name +
                        "' has no interface point (a value is needed to place its surfaces)",
                    fileOnly);
  }
  const std::size_t distinct = feature.distinctValues().size();
  if (feature.orientations.empty()) {
    if (distinct < 2) {
      throw DataError("feature '" + feature.name + "' has " +
                          std::to_string(feature.values.size()) +
                          " points of one value and no orientation: its field is undetermined",
                      fileOnly);
    }
    const Eigen::Vector3d spread = pointSpread(feature);
    if (!(spread[0] > 1e-6 * std::max(spread[2], 1e-300))) {
      throw DataError(
          "feature '" + feature.name + "': its " + std::to_string(feature.values.size()) +
              " points lie in one plane and it has no orientation: its field is undetermined",
          fileOnly);
    }
  }
}

double sampleTrilinear(const VolumeSpec& spec, const std::vector<float>& values,
                       const Eigen::Vector3d& point) {
  const NodeGrid g = NodeGrid::of(spec);
  const Stencil s = stencilAt(g, point);
  double v = 0;
  for (int c = 0; c < 8; ++c) v += s.w[c] * double(values[s.node[c]]);
  return v;
}

ImplicitField interpolateFdi(const FeatureConstraints& feature, const VolumeSpec& spec,
                             const FdiOptions& options) {
  Stopwatch watch;
  if (spec.nx < 2 || spec.ny < 2 || spec.nz < 2)
    throw UsageError("fdi: the model box needs at least 2 voxels along each axis, got " +
                     std::to_string(spec.nx) + " x " + std::to_string(spec.ny) + " x " +
                     std::to_string(spec.nz));
  if (!(options.regularisation > 0) || !(options.valueWeight > 0) ||
      !(options.gradientWeight >= 0) || !(options.tolerance > 0) || options.maxIterations == 0)
    throw UsageError(
        "fdi: regularisation, value weight and tolerance must be > 0, gradient weight >= 0");
  checkFeatureConstraints(feature, spec);

  ImplicitField result;
  FieldSolveStats& stats = result.stats;

  // The gradient magnitude orientations ask for, and a starting field.
  double c0 = 0;
  Eigen::Vector3d g0 = Eigen::Vector3d::Zero();
  stats.gradientScale = trendOf(feature, c0, g0);

  // Grid levels, fine first.
  std::vector<NodeGrid> grids{NodeGrid::of(spec)};
  if (options.coarsestVoxels > 0) {
    while (true) {
      const NodeGrid c = grids.back().coarser();
      const std::size_t least = std::max<std::size_t>(options.coarsestVoxels, 3);
      if (c.n[0] < least || c.n[1] < least || c.n[2] < least) break;
      grids.push_back(c);
    }
  }
  const double h0 = std::cbrt(grids[0].cellVolume());
  const double v0 = grids[0].cellVolume();
  stats.unknowns = grids[0].size();
  stats.levels = grids.size();
  stats.equations = feature.values.size() + 3 * feature.orientations.size();

  std::vector<Level> levels(grids.size());
  for (std::size_t l = 0; l < grids.size(); ++l) {
    const NodeGrid& g = grids[l];
    // Constraint rows on this grid: the same physical equations on every level.
    using Triplet = Eigen::Triplet<double>;
    std::vector<Triplet> triplets;
    Eigen::VectorXd rhs(Eigen::Index(stats.equations));
    Eigen::Index row = 0;
    const double wv = std::sqrt(options.valueWeight);
    for (const auto& v : feature.values) {
      const Stencil s = stencilAt(g, v.position);
      for (int c = 0; c < 8; ++c) triplets.emplace_back(row, Eigen::Index(s.node[c]), wv * s.w[c]);
      rhs[row++] = wv * v.value;
    }
    const double wg =
        std::sqrt(options.gradientWeight) * h0;  // gradient in field units per fine cell
    for (const auto& o : feature.orientations) {
      const Stencil s = stencilAt(g, o.position);
      const Eigen::Vector3d target = o.normal.normalized() * stats.gradientScale;
      for (int a = 0; a < 3; ++a) {
        for (int c = 0; c < 8; ++c)
          triplets.emplace_back(row, Eigen::Index(s.node[c]), wg * s.dw[a][c]);
        rhs[row++] = wg * target[a];
      }
    }
    Eigen::SparseMatrix<double, Eigen::RowMajor> a(Eigen::Index(stats.equations),
                                                   Eigen::Index(g.size()));
    a.setFromTriplets(triplets.begin(), triplets.end());
    // Regularisation weighted so that every level approximates the same continuous energy
    // (then the coarse operators approximate P^T M P of the finer ones).
    const double lambda = options.regularisation * g.cellVolume() / v0;
    Level& L = levels[l];
    L.g = g;
    L.op = std::make_unique<NormalEquations>(g, secondDerivatives(g, lambda, h0), std::move(a),
                                             std::move(rhs));
    L.diag = L.op->diagonal();
    L.x.resize(g.size());
    L.b.resize(g.size());
    if (l + 1 < grids.size()) {
      L.r.resize(g.size());
      for (int ax = 0; ax < 3; ++ax) L.transfer.emplace_back(g, grids[l + 1], ax);
      L.omega = 1.5 / largestEigenvalue(L);
    }
  }

  // Starting field: the linear fit (or the plane along the mean normal).
  std::vector<double> x(grids[0].size());
  const NodeGrid& g = grids[0];
  parallelFor(g.n[2], [&](std::size_t k) {
    for (std::size_t j = 0; j < g.n[1]; ++j)
      for (std::size_t i = 0; i < g.n[0]; ++i)
        x[g.index(i, j, k)] =
            c0 + g0.dot(Eigen::Vector3d(g.centre(0, i), g.centre(1, j), g.centre(2, k)));
  });
  const std::vector<double> b = levels[0].op->rightHandSide();
  Preconditioner precondition;
  if (levels.size() == 1) {
    const std::vector<double>& diag = levels[0].diag;
    precondition = [&](const std::vector<double>& r, std::vector<double>& z) {
      parallelFor(r.size(), [&](std::size_t i) { z[i] = r[i] / diag[i]; });
    };
  } else {
    precondition = [&](const std::vector<double>& r, std::vector<double>& z) {
      Level& top = levels[0];
      top.b = r;  // the cycle solves M z = r from z = 0
      vCycle(levels, 0, options.smoothing);
      z = top.x;
    };
  }
  Progress progress("fdi " + feature.name, options.maxIterations);
  double relative = 0;
  stats.iterations = conjugateGradients(*levels[0].op, b, x, precondition, options.tolerance,
                                        options.maxIterations, relative, &progress);
  progress.finish();
  stats.relativeResidual = relative;
  stats.converged = relative <= options.tolerance;
  result.values.resize(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) result.values[i] = float(x[i]);
  stats.seconds = watch.seconds();
  return result;
}

const NameTable<RbfKernel>& rbfKernelNames() {
  static const NameTable<RbfKernel> names = {{"cubic", RbfKernel::Cubic},
                                             {"gaussian", RbfKernel::Gaussian}};
  return names;
}

void RbfOptions::declare(OptionSet& set) {
  set.add("rbf-kernel", kernel, rbfKernelNames(), "rbf: radial kernel (cubic r^3, or gaussian)")
      .group("rbf");
  set.add("rbf-range", range,
          "rbf: range of the gaussian kernel (0 = a quarter of the constraints' box diagonal)")
      .units("m")
      .nonNegative()
      .group("rbf");
  set.add("rbf-smoothing", smoothing,
          "rbf: added to the diagonal of the value equations (0 = interpolate the values exactly)")
      .nonNegative()
      .group("rbf");
}

namespace {

/// phi'(r) / r and (phi''(r) - phi'(r) / r) / r^2 of a kernel: the gradient of phi(|d|) is
/// a d and its Hessian a I + b d d^T.
struct KernelTerms {
  double phi, a, b;
};

KernelTerms kernelTerms(RbfKernel kernel, double epsilon, double r) {
  if (kernel == RbfKernel::Cubic) return {r * r * r, 3.0 * r, r > 0 ? 3.0 / r : 0.0};
  const double e2 = epsilon * epsilon;
  const double phi = std::exp(-r * r / e2);
  return {phi, -2.0 / e2 * phi, 4.0 / (e2 * e2) * phi};
}

}  // namespace

RbfInterpolant RbfInterpolant::fit(const FeatureConstraints& feature, const RbfOptions& options) {
  const std::size_t nv = feature.values.size(), ng = feature.orientations.size();
  const std::size_t n = nv + 3 * ng;
  if (n > options.maxEquations)
    throw UsageError("rbf: feature '" + feature.name + "' has " + std::to_string(n) +
                     " equations, more than " + std::to_string(options.maxEquations) +
                     " (the dense solve grows as n^3): use the fdi interpolator");
  if (!(options.smoothing >= 0) || !(options.range >= 0))
    throw UsageError("rbf: smoothing and range must be >= 0");
  RbfInterpolant f;
  f.kernel_ = options.kernel;
  double c0 = 0;
  Eigen::Vector3d g0;
  f.gradientScale_ = trendOf(feature, c0, g0);
  // Centre and scale: the box of the constraints to about unit size.
  Eigen::Vector3d lo = Eigen::Vector3d::Constant(std::numeric_limits<double>::infinity()), hi = -lo;
  for (const auto& v : feature.values) {
    lo = lo.cwiseMin(v.position);
    hi = hi.cwiseMax(v.position);
  }
  for (const auto& o : feature.orientations) {
    lo = lo.cwiseMin(o.position);
    hi = hi.cwiseMax(o.position);
  }
  f.centre_ = 0.5 * (lo + hi);
  f.scale_ = std::max((hi - lo).norm(), 1e-9);
  f.epsilon_ = options.range > 0 ? options.range / f.scale_ : 0.25;
  for (const auto& v : feature.values)
    f.valueCentres_.push_back((v.position - f.centre_) / f.scale_);
  for (const auto& o : feature.orientations)
    f.gradientCentres_.push_back((o.position - f.centre_) / f.scale_);

  const Eigen::Index m = Eigen::Index(n + 4);
  Eigen::MatrixXd k = Eigen::MatrixXd::Zero(m, m);
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(m);
  const auto& pv = f.valueCentres_;
  const auto& pg = f.gradientCentres_;
  const Eigen::Index gv = Eigen::Index(nv), dr = Eigen::Index(n);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nv),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i != r.end(); ++i) {
                        for (std::size_t j = 0; j < nv; ++j)
                          k(Eigen::Index(i), Eigen::Index(j)) =
                              kernelTerms(f.kernel_, f.epsilon_, (pv[i] - pv[j]).norm()).phi;
                        for (std::size_t j = 0; j < ng; ++j) {
                          const Eigen::Vector3d d = pv[i] - pg[j];
                          const KernelTerms t = kernelTerms(f.kernel_, f.epsilon_, d.norm());
                          for (int c = 0; c < 3; ++c) {
                            // value row i, gradient column (j, c): d phi(p_i - q_j) / d q_jc = -a
                            // d_c
                            k(Eigen::Index(i), gv + Eigen::Index(3 * j + c)) = -t.a * d[c];
                            k(gv + Eigen::Index(3 * j + c), Eigen::Index(i)) = -t.a * d[c];
                          }
                        }
                      }
                    });
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, ng), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) {
          for (std::size_t j = 0; j < ng; ++j) {
            const Eigen::Vector3d d = pg[i] - pg[j];
            const KernelTerms t = kernelTerms(f.kernel_, f.epsilon_, d.norm());
            for (int a = 0; a < 3; ++a)
              for (int b = 0; b < 3; ++b)  // d/dx_a of d phi(x - q_j) / d q_jb = -H_ab
                k(gv + Eigen::Index(3 * i + a), gv + Eigen::Index(3 * j + b)) =
                    -(t.a * (a == b ? 1.0 : 0.0) + t.b * d[a] * d[b]);
          }
        }
      });
  for (std::size_t i = 0; i < nv; ++i) {
    k(Eigen::Index(i), Eigen::Index(i)) += options.smoothing;
    rhs[Eigen::Index(i)] = feature.values[i].value;
    k(Eigen::Index(i), dr) = k(dr, Eigen::Index(i)) = 1.0;
    for (int c = 0; c < 3; ++c)
      k(Eigen::Index(i), dr + 1 + c) = k(dr + 1 + c, Eigen::Index(i)) = pv[i][c];
  }
  for (std::size_t j = 0; j < ng; ++j) {
    const Eigen::Vector3d target =
        feature.orientations[j].normal.normalized() * f.gradientScale_ * f.scale_;
    for (int c = 0; c < 3; ++c) {
      const Eigen::Index row = gv + Eigen::Index(3 * j + c);
      rhs[row] = target[c];
      k(row, dr + 1 + c) = k(dr + 1 + c, row) = 1.0;
    }
  }
  Eigen::PartialPivLU<Eigen::MatrixXd> lu(k);
  f.weights_ = lu.solve(rhs);
  const double err = (k * f.weights_ - rhs).norm() / std::max(rhs.norm(), 1e-300);
  if (!f.weights_.allFinite() || !(err < 1e-6))
    throw DataError(
        "rbf: feature '" + feature.name +
            "': the interpolation system is singular (repeated points with different values?)",
        SourceLocation{feature.source, 0, 0, {}, {}});
  return f;
}

double RbfInterpolant::value(const Eigen::Vector3d& p) const {
  const Eigen::Vector3d x = (p - centre_) / scale_;
  const std::size_t nv = valueCentres_.size(), ng = gradientCentres_.size();
  double v = 0;
  for (std::size_t i = 0; i < nv; ++i)
    v += weights_[Eigen::Index(i)] *
         kernelTerms(kernel_, epsilon_, (x - valueCentres_[i]).norm()).phi;
  for (std::size_t j = 0; j < ng; ++j) {
    const Eigen::Vector3d d = x - gradientCentres_[j];
    const KernelTerms t = kernelTerms(kernel_, epsilon_, d.norm());
    for (int c = 0; c < 3; ++c)
      v -= weights_[Eigen::Index(nv + 3 * j + std::size_t(c))] * t.a * d[c];
  }
  const Eigen::Index dr = Eigen::Index(nv + 3 * ng);
  return v + weights_[dr] + weights_.segment<3>(dr + 1).dot(x);
}

Eigen::Vector3d RbfInterpolant::gradient(const Eigen::Vector3d& p) const {
  const Eigen::Vector3d x = (p - centre_) / scale_;
  const std::size_t nv = valueCentres_.size(), ng = gradientCentres_.size();
  Eigen::Vector3d g = Eigen::Vector3d::Zero();
  for (std::size_t i = 0; i < nv; ++i) {
    const Eigen::Vector3d d = x - valueCentres_[i];
    g += weights_[Eigen::Index(i)] * kernelTerms(kernel_, epsilon_, d.norm()).a * d;
  }
  for (std::size_t j = 0; j < ng; ++j) {
    const Eigen::Vector3d d = x - gradientCentres_[j];
    const KernelTerms t = kernelTerms(kernel_, epsilon_, d.norm());
    const Eigen::Vector3d w = weights_.segment<3>(Eigen::Index(nv + 3 * j));
    g -= t.a * w + t.b * d * d.dot(w);
  }
  const Eigen::Index dr = Eigen::Index(nv + 3 * ng);
  g += weights_.segment<3>(dr + 1);
  return g / scale_;
}

ImplicitField interpolateRbf(const FeatureConstraints& feature, const VolumeSpec& spec,
                             const RbfOptions& options) {
  Stopwatch watch;
  checkFeatureConstraints(feature, spec);
  const RbfInterpolant f = RbfInterpolant::fit(feature, options);
  ImplicitField result;
  result.values.resize(spec.size());
  Progress progress("rbf " + feature.name, spec.nz);
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, spec.nz), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t k = r.begin(); k != r.end(); ++k) {
          for (std::size_t j = 0; j < spec.ny; ++j)
            for (std::size_t i = 0; i < spec.nx; ++i)
              result.values[spec.index(i, j, k)] = float(
                  f.value(Eigen::Vector3d(spec.centreX(i), spec.centreY(j), spec.centreZ(k))));
          progress.advance();
        }
      });
  progress.finish();
  result.stats.unknowns = spec.size();
  result.stats.equations = f.equations();
  result.stats.gradientScale = f.gradientScale();
  result.stats.converged = true;
  result.stats.seconds = watch.seconds();
  return result;
}

}  // namespace orevox
