#include "orevox/geomodel/kmeans.hpp"

#include "matrix_checks.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <sstream>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox {

namespace {

/// Assigns every point to its nearest centre (ties to the lower index) and stores the
/// squared distance; returns the number of points whose cluster changed.
std::size_t assignPoints(const Eigen::MatrixXd& data, const Eigen::MatrixXd& centres, std::vector<int>& assignment,
                         std::vector<double>& dist2) {
  const Eigen::Index n = data.rows();
  std::vector<std::uint8_t> changed(std::size_t(n), 0);
  tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, n), [&](const tbb::blocked_range<Eigen::Index>& r) {
    for (Eigen::Index i = r.begin(); i != r.end(); ++i) {
      int best = 0;
      double bestD2 = std::numeric_limits<double>::infinity();
      for (Eigen::Index c = 0; c < centres.rows(); ++c) {
        const double d2 = (data.row(i) - centres.row(c)).squaredNorm();
        if (d2 < bestD2) {
          bestD2 = d2;
          best = int(c);
        }
      }
      changed[std::size_t(i)] = assignment[std::size_t(i)] != best;
      assignment[std::size_t(i)] = best;
      dist2[std::size_t(i)] = bestD2;
    }
  });
  std::size_t count = 0;
  for (auto c : changed) count += c;
  return count;
}

/// k-means++ seeding: each next centre is drawn with probability proportional to the
/// squared distance to the nearest centre chosen so far.
Eigen::MatrixXd seedCentres(const Eigen::MatrixXd& data, int k, Rng& rng) {
  const Eigen::Index n = data.rows();
  Eigen::MatrixXd centres(k, data.cols());
  std::uniform_int_distribution<Eigen::Index> pickAny(0, n - 1);
  centres.row(0) = data.row(pickAny(rng));
  std::vector<double> minD2(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) minD2[std::size_t(i)] = (data.row(i) - centres.row(0)).squaredNorm();
  for (int c = 1; c < k; ++c) {
    double total = 0.0;
    for (double d : minD2) total += d;
    Eigen::Index chosen = n - 1;
    if (total > 0.0) {
      const double target = std::uniform_real_distribution<double>(0.0, total)(rng);
      double cumulative = 0.0;
      for (Eigen::Index i = 0; i < n; ++i) {
        if (!(minD2[std::size_t(i)] > 0.0)) continue;
        chosen = i;  // rounding can leave cumulative just below target: keep the last candidate
        cumulative += minD2[std::size_t(i)];
        if (cumulative > target) break;
      }
    } else {
      chosen = pickAny(rng);  // all points coincide with the centres so far
    }
    centres.row(c) = data.row(chosen);
    for (Eigen::Index i = 0; i < n; ++i) {
      minD2[std::size_t(i)] = std::min(minD2[std::size_t(i)], (data.row(i) - centres.row(c)).squaredNorm());
    }
  }
  return centres;
}

KMeansResult lloyd(const Eigen::MatrixXd& data, int k, Rng& rng, int maxIterations) {
  const Eigen::Index n = data.rows();
  KMeansResult result;
  result.centres = seedCentres(data, k, rng);
  result.assignment.assign(std::size_t(n), -1);
  std::vector<double> dist2(std::size_t(n), 0.0);
  for (int it = 1; it <= maxIterations; ++it) {
    result.iterations = it;
    if (assignPoints(data, result.centres, result.assignment, dist2) == 0) break;
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(k, data.cols());
    std::vector<Eigen::Index> counts(std::size_t(k), 0);
    for (Eigen::Index i = 0; i < n; ++i) {
      const int c = result.assignment[std::size_t(i)];
      sums.row(c) += data.row(i);
      ++counts[std::size_t(c)];
    }
    for (int c = 0; c < k; ++c) {
      if (counts[std::size_t(c)] > 0) {
        result.centres.row(c) = sums.row(c) / double(counts[std::size_t(c)]);
        continue;
      }
      // An empty cluster restarts at the worst-served point, which then counts as served.
      const auto far = std::max_element(dist2.begin(), dist2.end()) - dist2.begin();
      result.centres.row(c) = data.row(far);
      dist2[std::size_t(far)] = 0.0;
    }
  }
  // Final assignment against the final centres, so assignment and inertia match them.
  assignPoints(data, result.centres, result.assignment, dist2);
  result.inertia = 0.0;
  for (double d : dist2) result.inertia += d;
  return result;
}

}  // namespace

KMeansResult kmeans(const Eigen::MatrixXd& data, int k, std::uint64_t seed, int maxIterations, int restarts) {
  if (k < 1 || k > data.rows()) {
    throw UsageError("k-means: k = " + std::to_string(k) + " must lie in 1.." + std::to_string(data.rows()) +
                     " (the number of points)");
  }
  if (maxIterations < 1) throw UsageError("k-means: maxIterations must be >= 1");
  if (restarts < 1) throw UsageError("k-means: restarts must be >= 1");
  detail::requireFinite(data, "k-means");
  KMeansResult best;
  for (int r = 0; r < restarts; ++r) {
    Rng rng = makeRng(seed, std::uint64_t(r));
    KMeansResult run = lloyd(data, k, rng, maxIterations);
    if (r == 0 || run.inertia < best.inertia) best = std::move(run);
  }
  return best;
}

}  // namespace orevox
