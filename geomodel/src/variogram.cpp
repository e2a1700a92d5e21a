#include "orevox/geomodel/variogram.hpp"

#include <tbb/blocked_range.h>
#include <tbb/combinable.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "neighbour_search.hpp"
#include "orevox/core/error.hpp"

namespace orevox {

const NameTable<VariogramShape>& variogramShapeNames() {
  static const NameTable<VariogramShape> names{{"spherical", VariogramShape::Spherical},
                                               {"exponential", VariogramShape::Exponential}};
  return names;
}

namespace {

double shapeValue(VariogramShape shape, double r) {
  if (shape == VariogramShape::Spherical) return r >= 1.0 ? 1.0 : 1.5 * r - 0.5 * r * r * r;
  return 1.0 - std::exp(-3.0 * r);
}

}  // namespace

double VariogramModel::gamma(double h) const {
  if (h <= 0.0) return 0.0;
  return nugget + sill * shapeValue(shape, h / range);
}

double VariogramModel::covariance(double h) const { return nugget + sill - gamma(h); }

void VariogramOptions::declare(OptionSet& set) {
  set.add("variogram", shape, variogramShapeNames(),
          "Variogram model fitted for kriging (with a nugget)");
  set.add("lags", lags, "Lag classes of the experimental variograms").positive();
  set.add("max-lag", maxLag,
          "Largest lag of the experimental variograms (0 = the ellipsoid's major range, else a "
          "third of "
          "the composites' box diagonal)")
      .units("CRS unit")
      .nonNegative();
  set.add("angle-tolerance", angleTolerance, "Half-angle of the directional variograms' cones")
      .units("degrees")
      .range(0.0, 90.0);
}

std::vector<ExperimentalVariogram> experimentalVariograms(
    const std::vector<Eigen::Vector3d>& points, const std::vector<double>& values,
    const VariogramOptions& options, const Eigen::Matrix3d* rotation,
    const Eigen::Vector3d& ranges) {
  if (options.lags == 0) throw UsageError("--lags: '0' is not a number > 0");
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < points.size(); ++r)
    if (!std::isnan(values[r]) && points[r].allFinite()) rows.push_back(r);
  double maxLag = options.maxLag;
  if (!(maxLag > 0.0)) {
    if (rotation) {
      maxLag = ranges[0];
    } else {
      Eigen::Vector3d lo = Eigen::Vector3d::Constant(std::numeric_limits<double>::infinity()),
                      hi = -lo;
      for (std::size_t r : rows) {
        lo = lo.cwiseMin(points[r]);
        hi = hi.cwiseMax(points[r]);
      }
      maxLag = rows.empty() ? 1.0 : (hi - lo).norm() / 3.0;
    }
  }
  if (!(maxLag > 0.0)) maxLag = 1.0;
  const std::size_t nl = options.lags;
  const double width = maxLag / double(nl);
  const double cosTolerance = std::cos(options.angleTolerance * 3.14159265358979323846 / 180.0);

  // Variogram v: 0 omni, 1..3 axes, 4 anisotropic. Sums per lag class.
  const std::size_t nv = rotation ? 5 : 1;
  struct Sums {
    std::vector<double> d, g;
    std::vector<std::size_t> n;
  };
  auto empty = [&] {
    Sums s;
    s.d.assign(nv * nl, 0.0);
    s.g.assign(nv * nl, 0.0);
    s.n.assign(nv * nl, 0);
    return s;
  };
  tbb::combinable<Sums> partial(empty);
  std::vector<std::size_t> zeroHoles(rows.size(), 0);
  // Euclidean pairs within maxLag (omni and axes), then anisotropic pairs within maxLag.
  for (int pass = 0; pass < (rotation ? 2 : 1); ++pass) {
    Eigen::Matrix3d transform = Eigen::Matrix3d::Identity();
    if (pass == 1) {
      transform = *rotation;
      for (int a = 0; a < 3; ++a) transform.row(a) *= ranges[0] / ranges[a];  // h = r1 |M d|
    }
    detail::PointCloud3 cloud;
    for (std::size_t r : rows) cloud.points.push_back(transform * points[r]);
    detail::KdTree3 tree(3, cloud, nanoflann::KDTreeSingleIndexAdaptorParams(10));
    tree.buildIndex();
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, rows.size(), 64),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        Sums& s = partial.local();
                        std::vector<std::pair<std::uint32_t, double>> found;
                        nanoflann::SearchParams params;
                        params.sorted = false;
                        for (std::size_t a = range.begin(); a != range.end(); ++a) {
                          found.clear();
                          tree.radiusSearch(cloud.points[a].data(), maxLag * maxLag, found, params);
                          const double za = values[rows[a]];
                          for (const auto& [b, d2] : found) {
                            if (b <= a) continue;  // each pair once
                            const double h = std::sqrt(d2);
                            if (!(h > 0.0)) continue;
                            const std::size_t c = std::size_t(h / width);
                            if (c >= nl) continue;
                            const double dz = za - values[rows[b]];
                            const double g = 0.5 * dz * dz;
                            if (pass == 1) {
                              s.d[4 * nl + c] += h;
                              s.g[4 * nl + c] += g;
                              ++s.n[4 * nl + c];
                              continue;
                            }
                            s.d[c] += h;
                            s.g[c] += g;
                            ++s.n[c];
                            if (!rotation) continue;
                            const Eigen::Vector3d sep = (cloud.points[b] - cloud.points[a]) / h;
                            for (int axis = 0; axis < 3; ++axis) {
                              if (std::abs(rotation->row(axis).dot(sep)) >= cosTolerance) {
                                const std::size_t at = std::size_t(1 + axis) * nl + c;
                                s.d[at] += h;
                                s.g[at] += g;
                                ++s.n[at];
                              }
                            }
                          }
                        }
                      });
  }
  Sums total = empty();
  partial.combine_each([&](const Sums& s) {
    for (std::size_t i = 0; i < total.n.size(); ++i) {
      total.d[i] += s.d[i];
      total.g[i] += s.g[i];
      total.n[i] += s.n[i];
    }
  });
  static const char* const names[] = {"omni", "major", "semi", "minor", "anisotropic"};
  std::vector<ExperimentalVariogram> out(nv);
  for (std::size_t v = 0; v < nv; ++v) {
    out[v].direction = names[v];
    if (v >= 1 && v <= 3) out[v].axis = rotation->row(int(v - 1)).transpose();
    for (std::size_t c = 0; c < nl; ++c) {
      const std::size_t n = total.n[v * nl + c];
      if (n == 0) continue;
      out[v].distance.push_back(total.d[v * nl + c] / double(n));
      out[v].gamma.push_back(total.g[v * nl + c] / double(n));
      out[v].pairs.push_back(n);
    }
  }
  return out;
}

namespace {

/// Nugget and sill >= 0 minimising sum w (gamma - n - s f)^2 for a fixed range; returns the
/// weighted squared error.
double fitLinear(const ExperimentalVariogram& v, VariogramShape shape, double range, double& nugget,
                 double& sill) {
  const std::size_t m = v.distance.size();
  std::vector<double> w(m), f(m);
  for (std::size_t i = 0; i < m; ++i) {
    w[i] = double(v.pairs[i]) / (v.distance[i] * v.distance[i]);
    f[i] = shapeValue(shape, v.distance[i] / range);
  }
  auto sse = [&](double n, double s) {
    double e = 0.0;
    for (std::size_t i = 0; i < m; ++i) {
      const double r = v.gamma[i] - n - s * f[i];
      e += w[i] * r * r;
    }
    return e;
  };
  // Unconstrained normal equations.
  double sw = 0, sf = 0, sff = 0, sg = 0, sfg = 0;
  for (std::size_t i = 0; i < m; ++i) {
    sw += w[i];
    sf += w[i] * f[i];
    sff += w[i] * f[i] * f[i];
    sg += w[i] * v.gamma[i];
    sfg += w[i] * f[i] * v.gamma[i];
  }
  const double det = sw * sff - sf * sf;
  double best = std::numeric_limits<double>::infinity();
  auto consider = [&](double n, double s) {
    if (!(n >= 0.0) || !(s >= 0.0)) return;
    const double e = sse(n, s);
    if (e < best) {
      best = e;
      nugget = n;
      sill = s;
    }
  };
  if (std::abs(det) > 1e-300) consider((sff * sg - sf * sfg) / det, (sw * sfg - sf * sg) / det);
  if (sff > 0) consider(0.0, std::max(0.0, sfg / sff));  // pure structure
  consider(std::max(0.0, sg / sw), 0.0);                 // pure nugget
  return best;
}

}  // namespace

VariogramModel fitVariogram(const ExperimentalVariogram& v, VariogramShape shape) {
  if (v.distance.size() < 2)
    throw DataError("too few lag classes with pairs to fit a variogram (" +
                    std::to_string(v.distance.size()) + "; more composites or a larger --max-lag)");
  const double lo = v.distance.front() * 0.5, hi = v.distance.back() * 3.0;
  VariogramModel model;
  model.shape = shape;
  double bestRange = lo, bestError = std::numeric_limits<double>::infinity();
  constexpr int kScan = 200;
  for (int i = 0; i <= kScan; ++i) {
    const double range = lo * std::pow(hi / lo, double(i) / kScan);
    double n = 0, s = 0;
    const double e = fitLinear(v, shape, range, n, s);
    if (e < bestError) {
      bestError = e;
      bestRange = range;
    }
  }
  // Golden-section refinement between the neighbouring scan points.
  const double step = std::pow(hi / lo, 1.0 / kScan);
  double a = std::log(bestRange / step), b = std::log(bestRange * step);
  const double phi = 0.5 * (std::sqrt(5.0) - 1.0);
  auto error = [&](double logRange) {
    double n = 0, s = 0;
    return fitLinear(v, shape, std::exp(logRange), n, s);
  };
  double c = b - phi * (b - a), d = a + phi * (b - a);
  double fc = error(c), fd = error(d);
  for (int it = 0; it < 60; ++it) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - phi * (b - a);
      fc = error(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + phi * (b - a);
      fd = error(d);
    }
  }
  double range = std::exp(0.5 * (a + b));
  if (error(std::log(range)) > bestError) range = bestRange;
  model.range = range;
  fitLinear(v, shape, range, model.nugget, model.sill);
  return model;
}

}  // namespace orevox
