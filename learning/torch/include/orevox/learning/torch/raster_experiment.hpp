#pragma once
/// \file raster_experiment.hpp
/// One run of the raster path (SSGSNet, ssgsnet-east-kunlun-2026) on a channel stack: every
/// requested model (SSGSNet, ResNet-18, ViT, DualBranchNet, the centre-cell random forest)
/// evaluated at the window level under the `paper` and/or `spatial` protocol, then trained
/// on ALL known deposits to predict the full map, scored against the known deposits
/// (success rate) and the hidden ones (prediction rate, capture in the top 5/10/20 % of the
/// area), with SHAP attribution and, on request, the contrastive-pretraining comparison
/// (ssl-contrastive-malanyu-2024) at several label fractions. Torch-free header: the library
/// entry point the CLI and the demo call.

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "orevox/learning/classical.hpp"
#include "orevox/learning/metrics.hpp"
#include "orevox/learning/raster_data.hpp"
#include "orevox/learning/splits.hpp"
#include "orevox/learning/torch/raster_models.hpp"

namespace orevox {

/// What the experiment runs on.
struct RasterExperimentInputs {
  std::string name;   ///< data set name for reports, e.g. "synth2d (seed 1)"
  RasterStack stack;  ///< RAW channels (standardised inside, with training-area statistics)
  /// Known deposits: the positives. ids may be empty.
  std::vector<double> knownX, knownY;
  std::vector<std::string> knownIds;
  /// Hidden deposits: evaluation of the maps only, never a training label (may be empty).
  std::vector<double> hiddenX, hiddenY;
  std::vector<std::string> hiddenIds;
  /// User negatives (points); empty = drawn by RasterExperimentOptions::negatives.
  std::vector<double> negativeX, negativeY;
};

/// Options of runRasterExperiment.
struct RasterExperimentOptions {
  /// Any of "ssgsnet", "resnet", "vit", "dualbranch", "rf" (rasterExperimentModels()).
  std::vector<std::string> models{"ssgsnet"};
  /// Window-level evaluations, in order; the first one selects the best network.
  std::vector<Protocol> protocols{Protocol::Spatial};
  int window = 32;  ///< k
  std::uint64_t seed = 1;
  NegativeOptions negatives;   ///< seed/stream set from `seed`
  double negativeRatio = 1.0;  ///< negatives per positive (drawn ones)
  WindowSplitOptions split;    ///< augmentation copies, folds, buffer, test share
  RasterNetOptions net;
  RasterTrainOptions train;    ///< epochs etc.; seed set from `seed`
  ClassicalOptions classical;  ///< the random forest
  int bootstrap = 200;         ///< replicates of the window-AUC interval
  bool maps = true;            ///< train on all known deposits and predict the map
  /// Map stride: 0 = automatic, the smallest stride >= defaultMapStride(cells) whose lattice
  /// holds at most `mapWindows` windows.
  std::size_t stride = 0;
  std::size_t mapWindows = 10000;
  std::size_t shapWindows = 32;     ///< SHAP: known-deposit windows explained (0 = no SHAP)
  std::size_t shapBackground = 16;  ///< SHAP: random valid-cell windows as the baseline
  RasterShapOptions shap{64};  ///< 64 expected-gradient draws per window (the CLI default)
  /// Contrastive pretraining comparison (SSGSNet's encoder): scratch vs SimCLR linear
  /// probe vs SimCLR fine-tuning, each at every label fraction, under protocols[0].
  bool pretrain = false;
  std::vector<double> labelFractions{1.0, 0.5, 0.2};
  SimclrOptions simclr;
  std::size_t unlabelledWindows = 512;  ///< SimCLR: random valid-cell windows of the whole stack
  bool progress = true;                 ///< progress bars on long steps

  /// Declares the experiment's numeric settings: --window, --seed, --negative-ratio,
  /// --bootstrap, the map and SHAP sizes, the pretraining label fractions and windows, the
  /// training options (--epochs, --lr) and the split (--spatial-folds, --folds, ...). The
  /// models, protocols and inputs are the study's.
  void declare(OptionSet& set) {
    set.add("window", window, "Window size k in cells (>= 16, a multiple of 4)").range(16, 4096);
    set.add("seed", seed, "Seed of data, negatives, splits, training and SHAP");
    set.add("negative-ratio", negativeRatio, "Drawn negatives per positive").positive();
    set.add("bootstrap", bootstrap, "Bootstrap replicates of the AUC interval").range(0, 100000);
    train.declare(set);
    split.declare(set);
    negatives.declare(set);
    set.add("stride", stride, "Map stride in cells (lattice scored, bilinear in between); 0 = auto");
    set.add("map-windows", mapWindows, "Auto stride: at most this many windows scored per map")
        .positive();
    set.add("shap-windows", shapWindows, "Windows explained by SHAP (0 = none)");
    set.add("shap-samples", shap.samples, "Expected-gradients draws per explained window")
        .positive();
    set.add("label-fractions", labelFractions, "Label shares of the pretraining comparison")
        .check([](const std::string& item) {
          const double f = std::strtod(item.c_str(), nullptr);
          return f > 0 && f <= 1 ? std::string() : std::string("is not in (0, 1]");
        });
    set.add("unlabelled", unlabelledWindows, "Unlabelled windows of the stack for SimCLR");
  }
};

/// Every model name runRasterExperiment accepts: the four networks, then "rf".
std::vector<std::string> rasterExperimentModels();

/// Window-level evaluation of one model under one protocol.
struct RasterEvaluation {
  Protocol protocol = Protocol::Spatial;
  bool leaky = false;  ///< paper: augmented copies of a window on both sides
  std::size_t folds = 0;
  std::size_t trainWindows = 0;        ///< summed over folds (after augmentation)
  std::size_t testWindows = 0;         ///< summed over folds
  std::size_t excluded = 0;            ///< training windows dropped by the overlap rule
  std::size_t overlaps = 0;            ///< (train, test-deposit) window pairs sharing cells
  BinaryMetrics metrics;               ///< pooled test windows: AUC with bootstrap interval
  std::vector<double> rocFpr, rocTpr;  ///< the pooled ROC curve
  /// Spatial protocol, maps on: the out-of-fold map (grid order, NaN where not valid), each
  /// cell scored by the model of the fold outOfFoldCells gives it (map stride), and its
  /// cell-level AUC against deposit presence (cells holding a known or hidden deposit).
  /// Empty scores and oofMap.cells = 0 otherwise.
  std::vector<double> oofScores;
  OutOfFoldAuc oofMap;
  double seconds = 0.0;
};

/// One model: its evaluations and its map.
struct RasterModelResult {
  std::string model;
  std::vector<RasterEvaluation> evaluations;  ///< one per protocol, in options order
  bool hasMap = false;
  RasterModel network;        ///< final network (none for "rf")
  RasterTrainStats training;  ///< final training (networks)
  Raster probability;         ///< band "probability" on the stack's grid, nodata kept
  std::size_t stride = 1, windowsScored = 0;
  MapEvaluation success;  ///< against the known deposits (training: success rate)
  bool hasHidden = false;
  MapEvaluation prediction;  ///< against the hidden deposits (prediction rate)
  bool hasShap = false;
  RasterShap shap;  ///< known-deposit windows against random background
  double trainSeconds = 0.0, predictSeconds = 0.0;
  /// capture at 10 % of the area: hidden deposits when there are any, else known ones.
  double captureTop10() const;
};

/// One row of the pretraining comparison.
struct RasterPretrainRow {
  std::string variant;         ///< "scratch", "simclr-probe", "simclr-finetune"
  double labelFraction = 1.0;  ///< share of the training windows' labels used
  Protocol protocol = Protocol::Spatial;
  std::size_t labelledWindows = 0;  ///< training windows with labels (summed over folds)
  BinaryMetrics metrics;            ///< pooled test windows
  double seconds = 0.0;
};

struct RasterExperimentResult {
  std::string name;
  std::vector<std::string> channels;
  int window = 32;
  std::uint64_t seed = 1;
  std::size_t positives = 0, negatives = 0, knownOutside = 0;
  std::string negativeRule;  ///< "kmeans", "random" or "file"
  NegativeReport negativeReport;
  StackStandardisation standardisation;  ///< of the final maps (every valid cell)
  std::vector<RasterModelResult> models;
  std::size_t best = 0;  ///< index of the selected model (see runRasterExperiment)
  std::vector<RasterPretrainRow> pretraining;
  SimclrStats simclr;
};

/// Runs the experiment (see the file comment). Per protocol the split, the standardisation
/// (fitted on each fold's training area: trainingArea()) and the augmentation come from
/// raster_data.hpp; every model sees the same folds. The final maps use a standardisation
/// fitted on every valid cell (label-free) and windows of every known deposit plus the
/// negatives, augmented like training windows. Selected model (`best`): the network with the
/// highest pooled window AUC under protocols[0] ("rf" only when no network was run: it has
/// no model file to predict with).
/// UsageError for an unknown model, no protocol, a bad window; DataError for no known
/// deposit on the grid.
RasterExperimentResult runRasterExperiment(const RasterExperimentInputs& inputs,
                                           const RasterExperimentOptions& options);

/// The map stride: `requested` when > 0, else the smallest stride >= defaultMapStride(cells)
/// whose lattice holds at most `maxWindows` windows (0 = no limit).
std::size_t rasterMapStride(const GridSpec& grid, std::size_t requested, std::size_t maxWindows);

/// SHAP of the `windows` highest-probability valid cells of `probability` (band 0) against
/// `background` random valid-cell windows (makeRng(seed, 14)), drawn from `index` (raw
/// layers named like the model's channels) and standardised with the model's statistics;
/// `samples` expected-gradient draws per window.
RasterShap explainTopCells(const RasterModel& model, const SpatialIndex& index,
                           const Raster& probability, std::size_t windows, std::size_t background,
                           std::uint64_t seed, std::size_t samples = 64);

/// The paper's validation AUC of a model (ResNet 0.9008, ViT 0.9372, DualBranchNet 0.6369,
/// SSGSNet 0.9453; ssgsnet-east-kunlun-2026 Fig. 10), NaN for models it did not test.
double paperReportedAuc(const std::string& model);

/// Markdown table of the model comparison: per model and protocol the pooled window AUC
/// [95 % CI], capture of hidden (or known) deposits in the top 5/10/20 % of the area, the
/// success-rate AUC and the paper's AUC quoted beside as a reference.
std::string rasterComparisonTable(const RasterExperimentResult& result);

/// Markdown table of the pretraining comparison (variant x label fraction).
std::string rasterPretrainTable(const RasterExperimentResult& result);

/// CSV "rank,channel,mean_abs_shap" of a SHAP result, ranked.
std::string shapCsv(const RasterShap& shap);

/// The model-side copy of a stack standardisation (same names, means and sds).
RasterStandardisation toModelStandardisation(const StackStandardisation& s);

}  // namespace orevox
