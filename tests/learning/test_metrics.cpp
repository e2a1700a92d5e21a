// The evaluation module (metrics.hpp): ROC AUC, its bootstrap interval, confusion metrics,
// success-rate curves and capture at area or volume shares, for every path. Expected values
// by hand or by brute force.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <set>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/learning/metrics.hpp"

using namespace orevox;

namespace {

double bruteAuc(const std::vector<int>& y, const std::vector<double>& s) {
  double wins = 0, pairs = 0;
  for (std::size_t i = 0; i < y.size(); ++i)
    for (std::size_t j = 0; j < y.size(); ++j)
      if (y[i] == 1 && y[j] == 0) {
        pairs += 1;
        wins += s[i] > s[j] ? 1.0 : (s[i] == s[j] ? 0.5 : 0.0);
      }
  return wins / pairs;
}

}  // namespace

TEST(GraphMetrics, AucMatchesBruteForceWithTies) {
  Rng rng = makeRng(7, 0);
  std::uniform_int_distribution<int> coarse(0, 9);
  for (int trial = 0; trial < 5; ++trial) {
    std::vector<int> y;
    std::vector<double> s;
    for (int i = 0; i < 200; ++i) {
      y.push_back(i % 4 == 0 ? 1 : 0);
      s.push_back(coarse(rng) / 10.0 + (y.back() ? 0.1 : 0.0));  // many ties
    }
    EXPECT_NEAR(rocAuc(y, s), bruteAuc(y, s), 1e-12);
  }
  EXPECT_DOUBLE_EQ(rocAuc({0, 0, 1, 1}, {0.1, 0.2, 0.3, 0.4}), 1.0);
  EXPECT_DOUBLE_EQ(rocAuc({0, 1}, {0.5, 0.5}), 0.5);
  EXPECT_TRUE(std::isnan(rocAuc({1, 1}, {0.1, 0.2})));
}

TEST(GraphMetrics, ConfusionAndPaperEquations) {
  // TP = 2, FN = 1, TN = 3, FP = 1.
  const std::vector<int> y{1, 1, 1, 0, 0, 0, 0};
  const std::vector<double> s{0.9, 0.6, 0.2, 0.1, 0.4, 0.3, 0.7};
  const BinaryMetrics m = evaluateBinary(y, s, 0.5, 0);
  EXPECT_EQ(m.confusion.tp, 2u);
  EXPECT_EQ(m.confusion.fn, 1u);
  EXPECT_EQ(m.confusion.tn, 3u);
  EXPECT_EQ(m.confusion.fp, 1u);
  EXPECT_DOUBLE_EQ(m.accuracy, 5.0 / 7.0);
  EXPECT_DOUBLE_EQ(m.sensitivity, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.specificity, 3.0 / 4.0);
  const double p = 2.0 / 3.0, r = 2.0 / 3.0;
  EXPECT_NEAR(m.f1, 2 * p * r / (p + r), 1e-12);
  EXPECT_DOUBLE_EQ(m.auc, bruteAuc(y, s));
}

TEST(GraphMetrics, BootstrapIntervalIsSeededAndBracketsAuc) {
  std::vector<int> y;
  std::vector<double> s;
  Rng rng = makeRng(3, 0);
  std::normal_distribution<double> n(0, 1);
  for (int i = 0; i < 300; ++i) {
    y.push_back(i % 5 == 0);
    s.push_back(n(rng) + (y.back() ? 1.0 : 0.0));
  }
  const auto a = bootstrapAucInterval(y, s, 200, 11);
  const auto b = bootstrapAucInterval(y, s, 200, 11);
  EXPECT_EQ(a, b);
  const double auc = rocAuc(y, s);
  EXPECT_LT(a.first, auc);
  EXPECT_GT(a.second, auc);
}

TEST(GraphMetrics, SuccessRateAndTopAreaCapture) {
  // 10 cells, scores 9..0; deposits in cells with scores 9 and 5 and one in a NaN cell.
  std::vector<double> scores{9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
  scores.push_back(std::nan(""));
  const std::vector<std::size_t> deposits{0, 4, 10};
  EXPECT_NEAR(captureInTopArea(scores, deposits, 0.1), 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(captureInTopArea(scores, deposits, 0.5), 2.0 / 3.0, 1e-12);
  const SuccessRateCurve c = successRateCurve(scores, deposits);
  ASSERT_EQ(c.areaFraction.size(), 11u);
  EXPECT_DOUBLE_EQ(c.areaFraction[1], 0.1);
  EXPECT_NEAR(c.depositFraction[1], 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(c.depositFraction[10], 2.0 / 3.0, 1e-12);
}

namespace {

/// The bootstrap as it was first written: each replicate materialises the resampled rows
/// (stratified, with replacement, the same draws of makeRng(seed, 3)) and sorts them
/// through rocAuc. The counting version must give the same interval.
std::pair<double, double> resamplingInterval(const std::vector<int>& labels,
                                             const std::vector<double>& scores, int replicates,
                                             std::uint64_t seed) {
  std::vector<std::size_t> pos, neg;
  for (std::size_t i = 0; i < labels.size(); ++i) (labels[i] == 1 ? pos : neg).push_back(i);
  Rng rng = makeRng(seed, 3);
  std::vector<double> aucs;
  std::vector<int> l;
  std::vector<double> s;
  for (int r = 0; r < replicates; ++r) {
    l.clear();
    s.clear();
    for (const auto* cls : {&pos, &neg}) {
      std::uniform_int_distribution<std::size_t> pick(0, cls->size() - 1);
      for (std::size_t i = 0; i < cls->size(); ++i) {
        const std::size_t row = (*cls)[pick(rng)];
        l.push_back(labels[row]);
        s.push_back(scores[row]);
      }
    }
    aucs.push_back(rocAuc(l, s));
  }
  std::sort(aucs.begin(), aucs.end());
  auto quantile = [&](double q) {
    const double p = q * double(aucs.size() - 1);
    const auto lo = std::size_t(std::floor(p));
    const auto hi = std::min(lo + 1, aucs.size() - 1);
    return aucs[lo] + (p - double(lo)) * (aucs[hi] - aucs[lo]);
  };
  return {quantile(0.025), quantile(0.975)};
}

}  // namespace

TEST(Metrics, BootstrapByCountsEqualsResamplingTheRows) {
  Rng rng = makeRng(5, 0);
  std::uniform_int_distribution<int> coarse(0, 6);
  for (int trial = 0; trial < 3; ++trial) {
    std::vector<int> y;
    std::vector<double> s;
    for (int i = 0; i < 150 + 50 * trial; ++i) {
      y.push_back(i % (3 + trial) == 0 ? 1 : 0);
      s.push_back(coarse(rng) + (y.back() ? 1.5 : 0.0));  // ties within and across classes
    }
    const auto fast = bootstrapAucInterval(y, s, 100, 17 + std::uint64_t(trial));
    const auto slow = resamplingInterval(y, s, 100, 17 + std::uint64_t(trial));
    EXPECT_NEAR(fast.first, slow.first, 1e-12) << trial;
    EXPECT_NEAR(fast.second, slow.second, 1e-12) << trial;
  }
}

TEST(Metrics, ScoredLabelsKeepTheUsedEntries) {
  // Voxel- or cell-sized arrays: the AUC over the used entries only.
  EXPECT_DOUBLE_EQ(rocAuc(scoredLabels({0.1f, 0.4f, 0.35f, 0.8f}, {0, 0, 1, 1})), 0.75);
  EXPECT_DOUBLE_EQ(rocAuc(scoredLabels({0.5f, 0.5f}, {1, 0})), 0.5);
  // Entry 0 (a high-scoring negative) is not used: 0.1 and 0.5 against 0.3.
  EXPECT_DOUBLE_EQ(rocAuc(scoredLabels({0.9f, 0.1f, 0.5f, 0.3f}, {0, 1, 1, 0}, {0, 1, 1, 1})), 0.5);
  EXPECT_TRUE(std::isnan(rocAuc(scoredLabels({0.9f, 0.1f, 0.5f}, {0, 1, 1}, {0, 1, 1}))));
  EXPECT_THROW(scoredLabels({0.1f, 0.2f}, {0}), UsageError);
  const ScoredLabels used = scoredLabels({0.2f, 0.7f, 0.4f}, {1, 0, 1}, {1, 0, 1});
  EXPECT_EQ(used.labels, (std::vector<int>{1, 1}));
  EXPECT_EQ(used.scores, (std::vector<double>{double(0.2f), double(0.4f)}));
}

TEST(Metrics, OutOfFoldAucSkipsUnscoredCellsAndMatchesBruteForce) {
  // A 9 x 7 map with unscored (NaN) cells, tied scores and 6 deposit cells.
  std::mt19937 gen(41);
  std::uniform_int_distribution<int> level(0, 5);
  std::vector<double> scores(63);
  std::vector<std::uint8_t> presence(63, 0);
  for (std::size_t i = 0; i < scores.size(); ++i)
    scores[i] = i % 10 == 3 ? std::nan("") : 0.2 * level(gen);
  for (std::size_t c : {4u, 11u, 13u, 30u, 41u, 62u}) presence[c] = 1;
  presence[23] = 1;  // a deposit on an unscored cell: left out with its cell
  std::vector<int> y;
  std::vector<double> s;
  for (std::size_t i = 0; i < scores.size(); ++i)
    if (!std::isnan(scores[i])) {
      y.push_back(presence[i]);
      s.push_back(scores[i]);
    }
  const OutOfFoldAuc a = outOfFoldAuc(scores, presence, 300, 5);
  EXPECT_EQ(a.cells, 57u);
  EXPECT_EQ(a.positives, 5u);  // cells 13 and 23 hold deposits but are unscored
  EXPECT_NEAR(a.auc, bruteAuc(y, s), 1e-12);
  const auto ci = bootstrapAucInterval(y, s, 300, 5);
  EXPECT_DOUBLE_EQ(a.low, ci.first);
  EXPECT_DOUBLE_EQ(a.high, ci.second);
  EXPECT_LE(a.low, a.auc);
  EXPECT_GE(a.high, a.auc);
  // No deposit among the scored cells: no AUC, no interval.
  std::vector<std::uint8_t> none(63, 0);
  none[23] = 1;
  const OutOfFoldAuc b = outOfFoldAuc(scores, none, 300, 5);
  EXPECT_TRUE(std::isnan(b.auc));
  EXPECT_TRUE(std::isnan(b.low));
  EXPECT_THROW(outOfFoldAuc(scores, std::vector<std::uint8_t>(5, 0), 10, 1), UsageError);
}
