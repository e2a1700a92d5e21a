#pragma once
/// \file graph_experiment.hpp
/// Cross-validated runs of the graph path (resgnn-pangxidong-2024): element graphs from a
/// sample table, every model (graph networks, classical baselines, autoencoder) under either
/// protocol, per-fold and pooled metrics and out-of-fold scores for maps and prospect zones.
/// Torch-free header (the library entry point the CLI and the demo call).

#include <Eigen/Core>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "orevox/geomodel/samples.hpp"
#include "orevox/learning/classical.hpp"
#include "orevox/learning/element_graph.hpp"
#include "orevox/learning/metrics.hpp"
#include "orevox/learning/oversample.hpp"
#include "orevox/learning/splits.hpp"
#include "orevox/learning/torch/graph_models.hpp"

namespace orevox {

/// Options of a graph-path experiment. Defaults: the paper's choices where it states them
/// (alpha 0.6, GAN oversampling, 10 folds) and the honest protocol.
struct GraphExperimentOptions {
  GraphMode graphMode = GraphMode::Global;
  double alpha = 0.6;      ///< |r| > alpha makes an edge
  bool autoAlpha = false;  ///< alpha = adaptiveAlpha of the clr correlation of all samples
                           ///< (label-free, so no label leaks)
  Oversampler oversampler = Oversampler::Gan;
  Protocol protocol = Protocol::Spatial;
  int folds = 10;
  std::uint64_t seed = 1;
  double blockSize = 0.0;  ///< metres; 0 = max(estimated label correlation range, minBlockSize)
  double minBlockSize = 5000.0;  ///< metres
  bool lodo = false;             ///< spatial protocol: buffered leave-one-deposit-out folds
                                 ///< (bufferedDepositFolds over GraphData's deposits), not blocks
  double lodoRadius = 3000.0;    ///< metres: a fold tests the samples this close to its deposit
                                 ///< (beyond synth2d's 1 km label radius, so barren ones too)
  double lodoBuffer = -1.0;      ///< metres: training keeps this far from every test sample;
                                 ///< < 0 = the label variogram range
  std::size_t localK = 24;       ///< neighbours of the `local` graph mode
  int bootstrap = 200;           ///< replicates of the pooled AUC interval
  double dlFactor = kDetectionLimitFactor;  ///< censored values -> factor x DL before clr
  GraphTrainOptions train;       ///< graph networks (epochs, layers, hidden, ...)
  GeneratorOptions generator;    ///< VAE / GAN / autoencoder
  ClassicalOptions classical;

  /// Declares --seed, --epochs, --block-size, --lodo-radius, --local-k, --bootstrap and
  /// --dl-factor (the graph mode, alpha, oversampler, protocol and folds are swept lists:
  /// the study declares them).
  void declare(OptionSet& set) {
    set.add("seed", seed, "Seed of data, splits, oversampling and training");
    set.add("epochs", train.epochs, "Training epochs of the graph networks (generators: 10x)")
        .range(1, 100000);
    set.add("block-size", blockSize,
            "Spatial block side (0 = max(label variogram range, 5000 m))")
        .units("m")
        .nonNegative();
    set.add("lodo-radius", lodoRadius,
            "lodo: test samples lie within this distance of the deposit (larger than the label "
            "radius, so that barren samples are tested too)")
        .units("m")
        .positive();
    set.add("local-k", localK, "Neighbours of the local graph mode").positive();
    set.add("bootstrap", bootstrap, "Bootstrap replicates of the AUC interval").range(0, 100000);
    set.add("dl-factor", dlFactor,
            "Below-detection values are replaced by this fraction of their detection limit")
        .range(0.01, 1.0);
  }
};

/// Data prepared once for all models: clr features, labels, coordinates, local adjacency.
struct GraphData {
  std::string name;  ///< data set name for reports
  std::vector<std::string> elements;
  Eigen::MatrixXd clr;  ///< samples x elements
  std::vector<int> labels;
  std::vector<double> x, y;
  double alpha = 0.6;                      ///< the alpha in use (after the adaptive rule)
  std::vector<float> localAdjacency;       ///< local mode: samples x N x N
  double labelRange = 0.0;                 ///< metres, practical range of the label's variogram
  double blockSize = 0.0;                  ///< metres, spatial block side in use
  std::vector<double> depositX, depositY;  ///< known deposits: one fold each under `lodo`
};

/// Builds GraphData from a labelled sample table (labels 0 / 1) and its element columns (ppm):
/// multiplicative replacement + clr, adaptive alpha when asked, the label variogram range and
/// block size, and the local adjacency in local mode. UsageError / DataError on bad input.
GraphData prepareGraphData(const SampleTable& samples, const std::vector<std::string>& elements,
                           const GraphExperimentOptions& options,
                           const std::string& name = "samples");

/// A graph network trained on every sample of a GraphData: what `orevox graph --out DIR`
/// saves as DIR/<model>.pt and `orevox graph predict` applies.
struct TrainedGraphModel {
  GraphClassifier classifier;
  GraphInputs inputs;  ///< elements, graph mode, alpha, topology, censored-value factor
  GraphTrainLog log;
};

/// Trains graph network `model` (resgcn, resgat, gcn, gat, gin, sage, diffpool) on every
/// sample: oversampled as options.oversampler says (the minority of all samples), the global
/// topology from all samples, options.train with class weights as in the folds. Seeds: named
/// streams of options.seed. UsageError for a model that is not a graph network.
TrainedGraphModel trainGraphModel(const GraphData& data, const std::string& model,
                                  const GraphExperimentOptions& options);

/// P(ore-bearing) of every row of `samples` by a saved model: the clr values of its elements
/// (censored values replaced at inputs.dlFactor x DL), graphs with the saved topology
/// (global) or each sample's correlation with its inputs.localK nearest rows of `samples`
/// (local). DataError when an element column is missing.
std::vector<double> predictGraphSamples(const GraphClassifier& model, const GraphInputs& inputs,
                                        const SampleTable& samples);

/// Every model name accepted by runGraphModel: the classical baselines, "ae", then the graph
/// networks, in the order of ResGNN Table 2.
std::vector<std::string> graphExperimentModels();

/// One cross-validated run of one model.
struct ModelRun {
  std::string model;
  Protocol protocol = Protocol::Spatial;
  bool leaky = false;  ///< true for the paper protocol (oversampled before the split)
  GraphMode graphMode = GraphMode::Global;
  double alpha = 0.0;
  Oversampler oversampler = Oversampler::None;
  std::uint64_t seed = 0;
  int folds = 0;           ///< folds run (under `lodo`: deposits with test samples)
  bool lodo = false;       ///< spatial protocol with leave-one-deposit-out folds
  double blockSize = 0.0;  ///< spatial protocol with blocks only
  double lodoRadius = 0.0, lodoBuffer = 0.0;  ///< metres, `lodo` only
  std::vector<BinaryMetrics> foldMetrics;
  BinaryMetrics mean, sd;      ///< over folds (NaN folds skipped), as the paper reports
  BinaryMetrics pooled;        ///< all test predictions together, AUC with bootstrap interval
  std::vector<double> scores;  ///< out-of-fold P(ore) of each real sample (NaN if never tested)
  /// The out-of-fold map at the sample nodes: AUC of `scores` (samples scored by the fold
  /// model that did not train on their block or deposit) against the samples' labels, with
  /// the bootstrap interval; real samples only, so under `spatial` no synthetic row counts.
  OutOfFoldAuc oofMap;
  std::vector<double> firstFoldLoss;  ///< per-epoch training loss of fold 0 (graph models)
  double seconds = 0.0;
  std::size_t syntheticRows = 0;  ///< synthetic minority rows made (all folds)
};

/// Runs `model` (a name of graphExperimentModels) under options.protocol:
///  - paper: oversample all samples to balance, then stratified random k-fold over the
///    augmented set (synthetic rows can be in test folds: leaky, reported as such);
///  - spatial: spatial-block folds (or, with options.lodo, buffered leave-one-deposit-out
///    folds); the global topology and the oversampling use the training fold only; the test
///    fold holds real samples only.
/// UsageError for an unknown model.
ModelRun runGraphModel(const GraphData& data, const std::string& model,
                       const GraphExperimentOptions& options);

}  // namespace orevox

namespace orevox {

/// Markdown table of runs in the layout of ResGNN Table 2: one row per model and protocol,
/// accuracy / sensitivity / specificity / F1 / AUC in percent as fold mean +/- sd, the pooled
/// AUC with its bootstrap interval, the summed confusion matrix and a "leaky" mark for the
/// paper protocol.
std::string graphRunsTable(const std::vector<ModelRun>& runs);

}  // namespace orevox
