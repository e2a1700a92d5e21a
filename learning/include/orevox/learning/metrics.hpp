#pragma once
/// \file metrics.hpp
/// Binary classification metrics of the graph path (resgnn-pangxidong-2024 eqs. 6-9) plus
/// ROC AUC with a bootstrap confidence interval, and the map metrics of prospectivity
/// (success-rate curve, share of deposits captured in the top x % of area).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace orevox {

/// Counts of a 2 x 2 confusion matrix (class 1 = ore-bearing = positive).
struct ConfusionMatrix {
  std::size_t tp = 0, fp = 0, tn = 0, fn = 0;
  ConfusionMatrix& operator+=(const ConfusionMatrix& o) {
    tp += o.tp; fp += o.fp; tn += o.tn; fn += o.fn;
    return *this;
  }
};

/// Metrics of one evaluation; fractions in [0, 1] (NaN when undefined, e.g. sensitivity
/// without positives).
struct BinaryMetrics {
  double accuracy = 0;     ///< (TP + TN) / all, ResGNN eq. 6
  double sensitivity = 0;  ///< TP / (TP + FN), eq. 7
  double specificity = 0;  ///< TN / (TN + FP), eq. 8
  double precision = 0;    ///< TP / (TP + FP)
  double f1 = 0;           ///< 2 P R / (P + R), eq. 9
  double auc = 0;          ///< ROC AUC (Mann-Whitney U / (n+ n-), ties count 1/2)
  double aucLow = 0, aucHigh = 0;  ///< bootstrap percentile interval of the AUC
  ConfusionMatrix confusion;
};

/// Confusion matrix of scores thresholded at `threshold` (score >= threshold = positive).
/// UsageError on a size mismatch.
ConfusionMatrix confusionMatrix(const std::vector<int>& labels, const std::vector<double>& scores,
                                double threshold = 0.5);

/// Accuracy, sensitivity, specificity, precision and F1 of a confusion matrix (ResGNN
/// eqs. 6-9); auc fields left at NaN.
BinaryMetrics metricsFromConfusion(const ConfusionMatrix& c);

/// Exact ROC AUC by the Mann-Whitney statistic with mid-ranks for ties:
/// AUC = (R+ - n+(n+ + 1)/2) / (n+ n-), R+ = sum of the positives' ranks. NaN when a class
/// is absent. O(n log n).
double rocAuc(const std::vector<int>& labels, const std::vector<double>& scores);

/// ROC curve of scores (NaN entries skipped): points (false-positive rate, true-positive
/// rate) from (0, 0) to (1, 1), one per distinct score (ties enter together). Empty when a
/// class is absent.
void rocCurve(const std::vector<int>& labels, const std::vector<double>& scores,
              std::vector<double>& fpr, std::vector<double>& tpr);

/// Percentile bootstrap interval of the AUC: `replicates` resamples of the rows with
/// replacement, stratified by class (so both classes are always present), drawn with
/// makeRng(seed, 3); returns {low, high} at `level` (e.g. 0.95).
std::pair<double, double> bootstrapAucInterval(const std::vector<int>& labels, const std::vector<double>& scores,
                                               int replicates, std::uint64_t seed, double level = 0.95);

/// All metrics of one set of scores: the confusion at `threshold`, the AUC and its bootstrap
/// interval (skipped, NaN, when replicates = 0).
BinaryMetrics evaluateBinary(const std::vector<int>& labels, const std::vector<double>& scores,
                             double threshold = 0.5, int bootstrapReplicates = 200, std::uint64_t seed = 1);

/// (label, score) pairs of one evaluation, as rocAuc and bootstrapAucInterval take them.
struct ScoredLabels {
  std::vector<int> labels;     ///< 1 = positive (ore, deposit), 0 = negative
  std::vector<double> scores;  ///< in the same order
};

/// The entries of voxel- or cell-sized arrays with use[n] != 0 (all when `use` is empty):
/// `truth` 0/1, `scores` the map's values. UsageError when the sizes differ.
ScoredLabels scoredLabels(const std::vector<float>& scores, const std::vector<std::uint8_t>& truth,
                          const std::vector<std::uint8_t>& use = {});

/// rocAuc of scored labels.
inline double rocAuc(const ScoredLabels& s) { return rocAuc(s.labels, s.scores); }

/// The out-of-fold map AUC (design.md "Honest evaluation"): the cell- (2D), voxel- (3D) or
/// node-level ROC AUC of a map in which every entry was scored by the fold model that did not
/// train on its block, against deposit (ore) presence. Unlike window or patch AUCs it does not
/// depend on how negatives were drawn, so a simple reference computed outside orevox can be
/// held against it.
struct OutOfFoldAuc {
  double auc = 0, low = 0, high = 0;  ///< AUC and its bootstrap percentile interval (NaN: none)
  std::size_t cells = 0;              ///< entries scored out of fold
  std::size_t positives = 0;          ///< of them, holding a deposit (ore)
};

/// outOfFoldAuc of `scores` (NaN = not scored, skipped) against `presence` (non-zero = holds a
/// deposit): rocAuc of the scored entries and bootstrapAucInterval(`replicates`, `seed`).
/// UsageError when the sizes differ.
OutOfFoldAuc outOfFoldAuc(const std::vector<double>& scores, const std::vector<std::uint8_t>& presence,
                          int replicates, std::uint64_t seed);

/// Mean and sample standard deviation of a list (NaN entries skipped).
std::pair<double, double> meanSd(const std::vector<double>& values);

/// Success-rate curve of a map: cells sorted by decreasing score; point i is
/// (share of cells with a score at least the i-th highest, share of deposits in those cells).
struct SuccessRateCurve {
  std::vector<double> areaFraction;     ///< 0 .. 1, increasing
  std::vector<double> depositFraction;  ///< 0 .. 1, non-decreasing
  double auc = 0;                       ///< area under the curve (trapezoids), 0.5 = random
};

/// Success-rate (or prediction-rate, with hidden deposits) curve: `cellScores` over the map
/// (NaN = outside, ignored), `depositCells` the cell index of each deposit (one entry per
/// deposit; a deposit on a NaN cell counts as never captured). Tied scores enter together.
/// UsageError for a deposit cell out of range or a map without valid cells.
SuccessRateCurve successRateCurve(const std::vector<double>& cellScores, const std::vector<std::size_t>& depositCells);

/// Share of deposits whose cell is among the top `areaShare` (e.g. 0.1) of valid cells by
/// score (cells tied with the cut-off score are included).
double captureInTopArea(const std::vector<double>& cellScores, const std::vector<std::size_t>& depositCells,
                        double areaShare = 0.1);

}  // namespace orevox
