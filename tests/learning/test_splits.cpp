// Splits (splits.hpp): stratified and spatial-block folds, buffered leave-one-deposit-out
// and the variogram range that sizes the blocks. Expected values by hand or brute force.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <set>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/geomodel/correlation.hpp"
#include "orevox/learning/splits.hpp"
#include "orevox/voxel/spatial_index.hpp"

using namespace orevox;

TEST(GraphSplits, StratifiedFoldsKeepClassShares) {
  std::vector<int> y(103, 0);
  for (int i = 0; i < 23; ++i) y[std::size_t(i * 4)] = 1;
  const auto folds = stratifiedKFold(y, 10, 5);
  std::vector<int> seen(y.size(), 0);
  for (const auto& f : folds) {
    std::size_t pos = 0;
    for (auto r : f.test) {
      seen[r] += 1;
      pos += std::size_t(y[r]);
    }
    EXPECT_TRUE(pos == 2 || pos == 3);
    EXPECT_EQ(f.train.size() + f.test.size(), y.size());
  }
  for (int v : seen) EXPECT_EQ(v, 1);
  EXPECT_EQ(stratifiedKFold(y, 10, 5)[3].test, folds[3].test);
}

TEST(GraphSplits, SpatialFoldsNeverShareABlock) {
  Rng rng = makeRng(9, 0);
  std::uniform_real_distribution<double> u(0, 20000);
  std::vector<double> x, y;
  std::vector<int> labels;
  for (int i = 0; i < 800; ++i) {
    x.push_back(u(rng));
    y.push_back(u(rng));
    labels.push_back(x.back() < 3000 || y.back() > 18000 ? 1 : 0);
  }
  std::vector<long> block;
  const auto folds = spatialBlockFolds(x, y, labels, 5, 2500.0, 3, &block);
  ASSERT_EQ(folds.size(), 5u);
  std::vector<int> tested(x.size(), 0);
  for (const auto& f : folds) {
    std::set<long> trainBlocks, testBlocks;
    for (auto r : f.train) trainBlocks.insert(block[r]);
    for (auto r : f.test) {
      testBlocks.insert(block[r]);
      tested[r] += 1;
    }
    for (long b : testBlocks)
      EXPECT_EQ(trainBlocks.count(b), 0u) << "block " << b << " on both sides";
    // Block id is floor((x - xmin) / 2500), floor((y - ymin) / 2500): recompute by brute force.
    const double x0 = *std::min_element(x.begin(), x.end()),
                 y0 = *std::min_element(y.begin(), y.end());
    std::set<std::pair<long, long>> trainCells;
    for (auto t : f.train)
      trainCells.insert(
          {long(std::floor((x[t] - x0) / 2500)), long(std::floor((y[t] - y0) / 2500))});
    for (auto r : f.test) {
      EXPECT_EQ(trainCells.count(
                    {long(std::floor((x[r] - x0) / 2500)), long(std::floor((y[r] - y0) / 2500))}),
                0u)
          << "row " << r << " shares a block with the training fold";
    }
    std::size_t pos = 0;
    for (auto r : f.test) pos += std::size_t(labels[r]);
    EXPECT_GT(pos, 0u);  // positives spread over the folds
  }
  for (int v : tested) EXPECT_EQ(v, 1);
  EXPECT_THROW(spatialBlockFolds(x, y, labels, 5, 1e6, 3), UsageError);
}

TEST(GraphSplits, BufferedLeaveOneDepositOutKeepsTrainingOutOfTheBuffer) {
  Rng rng = makeRng(11, 0);
  std::uniform_real_distribution<double> u(0, 20000);
  std::vector<double> x, y;
  for (int i = 0; i < 1500; ++i) {
    x.push_back(u(rng));
    y.push_back(u(rng));
  }
  // Two deposits 1.5 km apart (their test discs overlap) and one far away; one off the map.
  const std::vector<double> dx{5000, 6500, 15000, 90000}, dy{5000, 5000, 12000, 90000};
  const double radius = 1000, buffer = 1200;
  const auto folds = bufferedDepositFolds(x, y, dx, dy, radius, buffer);
  ASSERT_EQ(folds.size(), 3u);  // the deposit without samples gives no fold
  std::vector<int> tested(x.size(), 0);
  for (std::size_t f = 0; f < folds.size(); ++f) {
    ASSERT_FALSE(folds[f].test.empty());
    for (auto t : folds[f].test) {
      tested[t] += 1;
      // Within the radius of the fold's deposit, and nearer to it than to any other deposit.
      const double own = std::hypot(x[t] - dx[f], y[t] - dy[f]);
      EXPECT_LE(own, radius);
      for (std::size_t d = 0; d < dx.size(); ++d)
        EXPECT_LE(own, std::hypot(x[t] - dx[d], y[t] - dy[d]));
    }
    // Brute force: no training sample within the buffer of any test sample, and every
    // sample outside the buffer (and not tested) is trained on.
    std::set<std::size_t> train(folds[f].train.begin(), folds[f].train.end()),
        test(folds[f].test.begin(), folds[f].test.end());
    for (std::size_t i = 0; i < x.size(); ++i) {
      double nearest = 1e300;
      for (auto t : folds[f].test)
        nearest = std::min(nearest, std::hypot(x[i] - x[t], y[i] - y[t]));
      if (test.count(i)) {
        EXPECT_EQ(train.count(i), 0u);
      } else {
        EXPECT_EQ(train.count(i) == 1, nearest > buffer)
            << "fold " << f << " row " << i << " at " << nearest << " m";
      }
    }
  }
  for (std::size_t i = 0; i < x.size(); ++i)
    EXPECT_LE(tested[i], 1) << "row " << i << " tested twice";
  EXPECT_THROW(bufferedDepositFolds(x, y, {90000}, {90000}, radius, buffer), UsageError);
  EXPECT_THROW(bufferedDepositFolds(x, y, dx, dy, 0.0, buffer), UsageError);
  EXPECT_THROW(bufferedDepositFolds(x, y, dx, dy, radius, -1.0), UsageError);
}

TEST(GraphSplits, VariogramRangeOfAStepField) {
  // Values on a line: v = sin(2 pi x / 8000) -> gamma reaches the sill near a quarter period.
  std::vector<double> x, y, v;
  for (int i = 0; i < 400; ++i) {
    x.push_back(i * 50.0);
    y.push_back(0.0);
    v.push_back(std::sin(2 * M_PI * x.back() / 8000.0));
  }
  const Variogram vg = empiricalVariogram(x, y, v, 8000, 40, 1000, 1);
  const double range = practicalRange(vg);
  // gamma(h) = 1/2 (1 - cos(2 pi h / 8000)) * 2 var ... reaches 0.95 var near h ~ 1870 m.
  EXPECT_GT(range, 1500);
  EXPECT_LT(range, 2300);
}
