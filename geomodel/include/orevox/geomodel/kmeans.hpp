#pragma once
/// \file kmeans.hpp
/// k-means clustering (e.g. of Au values to pick negative samples, SSGSNet fig. 5).

#include <cstdint>
#include <vector>

#include <Eigen/Core>

namespace orevox {

/// Result of kmeans.
struct KMeansResult {
  Eigen::MatrixXd centres;      ///< k x dims cluster centres
  std::vector<int> assignment;  ///< cluster of each point (row), 0 .. k-1
  double inertia = 0.0;         ///< sum of squared Euclidean distances to the assigned centre
  int iterations = 0;           ///< Lloyd iterations of the returned (best) restart
};

/// k-means on the rows of `data` (one point per row): k-means++ seeding (Arthur &
/// Vassilvitskii 2007) from makeRng(seed, restart), then Lloyd iterations until the
/// assignment no longer changes or `maxIterations`; the best of `restarts` runs by inertia
/// is returned. A cluster that loses all its points is re-seeded at the point farthest
/// from its centre. Deterministic for a seed, whatever the thread count.
/// Throws UsageError for k < 1, k > rows, maxIterations < 1 or restarts < 1; DataError
/// (naming row and column) for a non-finite value.
KMeansResult kmeans(const Eigen::MatrixXd& data, int k, std::uint64_t seed, int maxIterations = 100,
                    int restarts = 4);

}  // namespace orevox
