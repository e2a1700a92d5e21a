#include "orevox/learning/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
double ratio(double a, double b) { return b > 0 ? a / b : kNaN; }
}  // namespace

ConfusionMatrix confusionMatrix(const std::vector<int>& labels, const std::vector<double>& scores, double threshold) {
  if (labels.size() != scores.size()) throw UsageError("confusionMatrix: labels and scores differ in size");
  ConfusionMatrix c;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const bool predicted = scores[i] >= threshold;
    if (labels[i] == 1) {
      (predicted ? c.tp : c.fn) += 1;
    } else {
      (predicted ? c.fp : c.tn) += 1;
    }
  }
  return c;
}

BinaryMetrics metricsFromConfusion(const ConfusionMatrix& c) {
  BinaryMetrics m;
  const double tp = double(c.tp), fp = double(c.fp), tn = double(c.tn), fn = double(c.fn);
  m.accuracy = ratio(tp + tn, tp + fp + tn + fn);
  m.sensitivity = ratio(tp, tp + fn);
  m.specificity = ratio(tn, tn + fp);
  m.precision = ratio(tp, tp + fp);
  // F1 = 2PR/(P+R) = 2TP / (2TP + FP + FN); 0 when there are positives but none found.
  m.f1 = ratio(2 * tp, 2 * tp + fp + fn);
  m.auc = m.aucLow = m.aucHigh = kNaN;
  m.confusion = c;
  return m;
}

double rocAuc(const std::vector<int>& labels, const std::vector<double>& scores) {
  if (labels.size() != scores.size()) throw UsageError("rocAuc: labels and scores differ in size");
  std::vector<std::size_t> order(labels.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  double rankSumPos = 0.0;
  std::size_t nPos = 0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
    const double midRank = 0.5 * double(i + 1 + j);  // ranks i+1 .. j
    for (std::size_t t = i; t < j; ++t) {
      if (labels[order[t]] == 1) {
        rankSumPos += midRank;
        ++nPos;
      }
    }
    i = j;
  }
  const std::size_t nNeg = labels.size() - nPos;
  if (nPos == 0 || nNeg == 0) return kNaN;
  return (rankSumPos - double(nPos) * double(nPos + 1) / 2.0) / (double(nPos) * double(nNeg));
}

void rocCurve(const std::vector<int>& labels, const std::vector<double>& scores,
              std::vector<double>& fpr, std::vector<double>& tpr) {
  if (labels.size() != scores.size())
    throw UsageError("rocCurve: labels and scores differ in size");
  fpr.clear();
  tpr.clear();
  std::vector<std::size_t> order;
  std::size_t pos = 0, neg = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (std::isnan(scores[i])) continue;
    order.push_back(i);
    (labels[i] == 1 ? pos : neg) += 1;
  }
  if (pos == 0 || neg == 0) return;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  std::size_t tp = 0, fp = 0;
  fpr.push_back(0.0);
  tpr.push_back(0.0);
  for (std::size_t k = 0; k < order.size(); ++k) {
    (labels[order[k]] == 1 ? tp : fp) += 1;
    if (k + 1 == order.size() || scores[order[k + 1]] != scores[order[k]]) {
      fpr.push_back(double(fp) / double(neg));
      tpr.push_back(double(tp) / double(pos));
    }
  }
}

std::pair<double, double> bootstrapAucInterval(const std::vector<int>& labels, const std::vector<double>& scores,
                                               int replicates, std::uint64_t seed, double level) {
  if (labels.size() != scores.size()) throw UsageError("bootstrapAucInterval: size mismatch");
  if (!(level > 0 && level < 1)) throw UsageError("bootstrapAucInterval: level must be in (0, 1)");
  std::vector<std::size_t> pos, neg;
  for (std::size_t i = 0; i < labels.size(); ++i) (labels[i] == 1 ? pos : neg).push_back(i);
  if (replicates < 1 || pos.empty() || neg.empty()) return {kNaN, kNaN};
  Rng rng = makeRng(seed, 3);
  std::vector<double> aucs;
  aucs.reserve(std::size_t(replicates));
  // The rows sorted once, in groups of tied scores; a replicate is a count per row (how often
  // the resample drew it), and its AUC one pass over the groups: each drawn positive beats
  // the drawn negatives of lower score and ties half of those of its own score, the
  // Mann-Whitney statistic of the resample (rocAuc of the resampled rows, without sorting).
  std::vector<std::size_t> order(labels.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  std::vector<std::size_t> groupEnd;  // end (in `order`) of each group of tied scores
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
    groupEnd.push_back(j);
    i = j;
  }
  std::vector<std::uint32_t> drawn(labels.size());
  const double pairs = double(pos.size()) * double(neg.size());
  for (int r = 0; r < replicates; ++r) {
    std::fill(drawn.begin(), drawn.end(), 0u);
    for (const auto* cls : {&pos, &neg}) {  // stratified: each class resampled to its size
      std::uniform_int_distribution<std::size_t> pick(0, cls->size() - 1);
      for (std::size_t i = 0; i < cls->size(); ++i) ++drawn[(*cls)[pick(rng)]];
    }
    double u = 0.0, negBelow = 0.0;
    std::size_t start = 0;
    for (std::size_t end : groupEnd) {
      double p = 0.0, n = 0.0;
      for (std::size_t t = start; t < end; ++t)
        (labels[order[t]] == 1 ? p : n) += double(drawn[order[t]]);
      u += p * (negBelow + 0.5 * n);
      negBelow += n;
      start = end;
    }
    aucs.push_back(u / pairs);
  }
  std::sort(aucs.begin(), aucs.end());
  auto quantile = [&](double q) {
    const double p = q * double(aucs.size() - 1);
    const auto lo = std::size_t(std::floor(p));
    const auto hi = std::min(lo + 1, aucs.size() - 1);
    return aucs[lo] + (p - double(lo)) * (aucs[hi] - aucs[lo]);
  };
  return {quantile((1 - level) / 2), quantile(1 - (1 - level) / 2)};
}

BinaryMetrics evaluateBinary(const std::vector<int>& labels, const std::vector<double>& scores, double threshold,
                             int bootstrapReplicates, std::uint64_t seed) {
  BinaryMetrics m = metricsFromConfusion(confusionMatrix(labels, scores, threshold));
  m.auc = rocAuc(labels, scores);
  if (bootstrapReplicates > 0) {
    const auto ci = bootstrapAucInterval(labels, scores, bootstrapReplicates, seed);
    m.aucLow = ci.first;
    m.aucHigh = ci.second;
  }
  return m;
}

ScoredLabels scoredLabels(const std::vector<float>& scores, const std::vector<std::uint8_t>& truth,
                          const std::vector<std::uint8_t>& use) {
  if (truth.size() != scores.size() || (!use.empty() && use.size() != scores.size()))
    throw UsageError("scoredLabels: scores, truth and use flags differ in length");
  ScoredLabels out;
  for (std::size_t n = 0; n < scores.size(); ++n) {
    if (!use.empty() && !use[n]) continue;
    out.labels.push_back(truth[n] ? 1 : 0);
    out.scores.push_back(double(scores[n]));
  }
  return out;
}

OutOfFoldAuc outOfFoldAuc(const std::vector<double>& scores,
                          const std::vector<std::uint8_t>& presence, int replicates,
                          std::uint64_t seed) {
  if (scores.size() != presence.size())
    throw UsageError("outOfFoldAuc: " + std::to_string(scores.size()) + " scores for " +
                     std::to_string(presence.size()) + " presence flags");
  std::vector<int> labels;
  std::vector<double> scored;
  for (std::size_t n = 0; n < scores.size(); ++n) {
    if (std::isnan(scores[n])) continue;
    labels.push_back(presence[n] ? 1 : 0);
    scored.push_back(scores[n]);
  }
  OutOfFoldAuc out;
  out.cells = scored.size();
  out.positives = std::size_t(std::count(labels.begin(), labels.end(), 1));
  out.auc = rocAuc(labels, scored);
  const auto ci = bootstrapAucInterval(labels, scored, replicates, seed);
  out.low = ci.first;
  out.high = ci.second;
  return out;
}

std::pair<double, double> meanSd(const std::vector<double>& values) {
  double sum = 0;
  std::size_t n = 0;
  for (double v : values)
    if (!std::isnan(v)) {
      sum += v;
      ++n;
    }
  if (n == 0) return {kNaN, kNaN};
  const double mean = sum / double(n);
  double ss = 0;
  for (double v : values)
    if (!std::isnan(v)) ss += (v - mean) * (v - mean);
  return {mean, n > 1 ? std::sqrt(ss / double(n - 1)) : 0.0};
}

SuccessRateCurve successRateCurve(const std::vector<double>& cellScores, const std::vector<std::size_t>& depositCells) {
  std::vector<std::size_t> perCell(cellScores.size(), 0);
  for (auto c : depositCells) {
    if (c >= cellScores.size()) throw UsageError("successRateCurve: deposit cell " + std::to_string(c) + " out of range");
    perCell[c] += 1;
  }
  std::vector<std::size_t> valid;
  for (std::size_t i = 0; i < cellScores.size(); ++i)
    if (!std::isnan(cellScores[i])) valid.push_back(i);
  if (valid.empty()) throw UsageError("successRateCurve: the map has no valid cell");
  std::sort(valid.begin(), valid.end(), [&](std::size_t a, std::size_t b) { return cellScores[a] > cellScores[b]; });
  SuccessRateCurve curve;
  curve.areaFraction.push_back(0.0);
  curve.depositFraction.push_back(0.0);
  const double nDep = double(depositCells.size());
  std::size_t captured = 0;
  for (std::size_t i = 0; i < valid.size();) {
    std::size_t j = i;
    while (j < valid.size() && cellScores[valid[j]] == cellScores[valid[i]]) captured += perCell[valid[j++]];
    curve.areaFraction.push_back(double(j) / double(valid.size()));
    curve.depositFraction.push_back(nDep > 0 ? double(captured) / nDep : kNaN);
    i = j;
  }
  for (std::size_t i = 1; i < curve.areaFraction.size(); ++i) {
    curve.auc += (curve.areaFraction[i] - curve.areaFraction[i - 1]) *
                 0.5 * (curve.depositFraction[i] + curve.depositFraction[i - 1]);
  }
  return curve;
}

double captureInTopArea(const std::vector<double>& cellScores, const std::vector<std::size_t>& depositCells,
                        double areaShare) {
  if (!(areaShare > 0 && areaShare <= 1)) throw UsageError("captureInTopArea: share must be in (0, 1]");
  std::vector<double> valid;
  for (double s : cellScores)
    if (!std::isnan(s)) valid.push_back(s);
  if (valid.empty()) throw UsageError("captureInTopArea: the map has no valid cell");
  if (depositCells.empty()) return kNaN;
  std::sort(valid.begin(), valid.end(), std::greater<double>());
  const auto topCount = std::max<std::size_t>(1, std::size_t(std::floor(areaShare * double(valid.size()))));
  const double cut = valid[topCount - 1];
  std::size_t captured = 0;
  for (auto c : depositCells) {
    if (c >= cellScores.size()) throw UsageError("captureInTopArea: deposit cell out of range");
    if (!std::isnan(cellScores[c]) && cellScores[c] >= cut) ++captured;
  }
  return double(captured) / double(depositCells.size());
}

}  // namespace orevox
