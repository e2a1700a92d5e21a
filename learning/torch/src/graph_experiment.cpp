// Cross-validated runs of the graph path under the paper and spatial protocols. No torch
// header here: the models are reached through graph_models.hpp.
#include "orevox/learning/torch/graph_experiment.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

#include "orevox/geomodel/correlation.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/voxel/spatial_index.hpp"

namespace orevox {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Eigen::MatrixXd rowsOf(const Eigen::MatrixXd& m, const std::vector<std::size_t>& rows) {
  Eigen::MatrixXd out(Eigen::Index(rows.size()), m.cols());
  for (std::size_t i = 0; i < rows.size(); ++i)
    out.row(Eigen::Index(i)) = m.row(Eigen::Index(rows[i]));
  return out;
}

std::vector<int> pick(const std::vector<int>& v, const std::vector<std::size_t>& rows) {
  std::vector<int> out;
  out.reserve(rows.size());
  for (auto r : rows) out.push_back(v[r]);
  return out;
}

/// Graphs of all real samples with the topology of this fold (global: from `topologyRows`).
ElementGraphs realGraphs(const GraphData& data, GraphMode mode,
                         const std::vector<std::size_t>& topologyRows) {
  std::vector<std::size_t> all(data.labels.size());
  std::iota(all.begin(), all.end(), 0);
  if (mode == GraphMode::Local)
    return localGraphs(data.clr, data.labels, all, data.localAdjacency, data.elements);
  const Eigen::MatrixXd r = pearsonRows(data.clr, topologyRows);
  return globalGraphs(data.clr, data.labels, all, adjacencyMatrix(r, data.alpha), data.elements);
}

enum class Family { Graph, Classical, Autoencoder };

void summarise(ModelRun& run) {
  auto field = [&](auto member) {
    std::vector<double> v;
    for (const auto& m : run.foldMetrics) v.push_back(m.*member);
    const auto [mean, sd] = meanSd(v);
    run.mean.*member = mean;
    run.sd.*member = sd;
  };
  field(&BinaryMetrics::accuracy);
  field(&BinaryMetrics::sensitivity);
  field(&BinaryMetrics::specificity);
  field(&BinaryMetrics::precision);
  field(&BinaryMetrics::f1);
  field(&BinaryMetrics::auc);
  for (const auto& m : run.foldMetrics) run.mean.confusion += m.confusion;
  run.mean.aucLow = run.mean.aucHigh = run.sd.aucLow = run.sd.aucHigh = kNaN;
}

}  // namespace

std::vector<std::string> graphExperimentModels() {
  std::vector<std::string> names{"svm", "rf", "xgb", "kmeans", "knn", "ae"};
  for (auto k : allGraphModels()) names.push_back(graphModelName(k));
  return names;
}

GraphData prepareGraphData(const SampleTable& samples, const std::vector<std::string>& elements,
                           const GraphExperimentOptions& options, const std::string& name) {
  samples.validate();
  if (!samples.hasLabels()) {
    SourceLocation where;
    where.file = samples.source;
    throw DataError("graph path: the samples have no label column", where);
  }
  for (std::size_t i = 0; i < samples.labels.size(); ++i) {
    if (samples.labels[i] != 0 && samples.labels[i] != 1) {
      SourceLocation where;
      where.file = samples.source;
      where.field = samples.labelName;
      where.value = std::to_string(samples.labels[i]);
      throw DataError(
          "graph path: labels must be 0 or 1 (sample row " + std::to_string(i + 1) + ")", where);
    }
  }
  const std::size_t positives = std::size_t(std::count(samples.labels.begin(), samples.labels.end(), 1));
  if (positives == 0 || positives == samples.labels.size()) {
    SourceLocation where;
    where.file = samples.source;
    where.field = samples.labelName;
    throw DataError(std::string("graph path: every sample is labelled ") + (positives == 0 ? "0" : "1") +
                        "; training and evaluating a classifier needs both positive (1) and negative (0) samples",
                    where);
  }
  if (!(options.alpha >= 0 && options.alpha < 1))
    throw UsageError("--alpha: must be in [0, 1), got " + std::to_string(options.alpha));
  GraphData d;
  d.name = name;
  d.elements = elements;
  d.clr = clrFeatures(samples, elements, options.dlFactor);
  d.labels = samples.labels;
  d.x = samples.x;
  d.y = samples.y;
  std::vector<std::size_t> all(samples.size());
  std::iota(all.begin(), all.end(), 0);
  d.alpha = options.autoAlpha ? adaptiveAlpha(pearsonRows(d.clr, all)) : options.alpha;
  // Correlation range of the label (an indicator variogram), for the spatial block size.
  const Extent e = samples.extent();
  std::vector<double> lab(d.labels.begin(), d.labels.end());
  const Variogram v = empiricalVariogram(d.x, d.y, lab, 0.5 * std::min(e.width(), e.height()), 30,
                                         2500, mixSeed(options.seed, 5));
  d.labelRange = practicalRange(v);
  d.blockSize =
      options.blockSize > 0 ? options.blockSize : std::max(d.labelRange, options.minBlockSize);
  if (options.graphMode == GraphMode::Local) {
    SpatialIndex index;
    SampleTable points;
    points.x = samples.x;
    points.y = samples.y;
    points.crsWkt = samples.crsWkt;
    index.addSamples("samples", std::move(points));
    d.localAdjacency = localAdjacency(index, "samples", d.clr, options.localK, d.alpha);
  }
  return d;
}

ModelRun runGraphModel(const GraphData& data, const std::string& model,
                       const GraphExperimentOptions& options) {
  Stopwatch watch;
  Family family = Family::Graph;
  GraphModelKind graphKind = GraphModelKind::ResGcn;
  ClassicalModel classical = ClassicalModel::Svm;
  if (model == "ae") {
    family = Family::Autoencoder;
  } else if (parseClassicalModel(model, classical)) {
    family = Family::Classical;
  } else if (!parseGraphModel(model, graphKind)) {
    throw UsageError("--model: '" + model +
                     "' is not a model (resgcn, resgat, gcn, gat, gin, sage, diffpool, svm, rf, "
                     "xgb, knn, kmeans, ae, all)");
  }
  ModelRun run;
  run.model = model;
  run.protocol = options.protocol;
  run.leaky = options.protocol == Protocol::Paper;
  run.graphMode = options.graphMode;
  run.alpha = data.alpha;
  run.oversampler = options.oversampler;
  run.seed = options.seed;
  run.folds = options.folds;
  run.scores.assign(data.labels.size(), kNaN);
  const MinorityGenerator generator = minorityGenerator(options.oversampler, options.generator);
  std::vector<std::size_t> all(data.labels.size());
  std::iota(all.begin(), all.end(), 0);

  // The training / test sets of each fold as feature rows, labels, adjacency sources and the
  // real sample each test row stands for (or none for synthetic rows).
  struct FoldData {
    OversampledSet train;
    Eigen::MatrixXd testX;
    std::vector<int> testY;
    std::vector<std::size_t> testSource;
    std::vector<std::uint8_t> testSynthetic;
  };
  std::vector<FoldData> foldData;
  std::vector<ElementGraphs> foldGraphs;  // all real samples with the fold's topology
  if (options.protocol == Protocol::Paper) {
    // The paper's order: oversample everything, then split at random (leaky).
    const OversampledSet augmented =
        oversample(data.clr, data.labels, all, options.oversampler, options.seed, generator);
    run.syntheticRows =
        std::size_t(std::count(augmented.synthetic.begin(), augmented.synthetic.end(), 1));
    const auto folds = stratifiedKFold(augmented.labels, options.folds, options.seed);
    for (const auto& f : folds) {
      FoldData fd;
      fd.train.features = rowsOf(augmented.features, f.train);
      fd.train.labels = pick(augmented.labels, f.train);
      for (auto r : f.train) {
        fd.train.source.push_back(augmented.source[r]);
        fd.train.synthetic.push_back(augmented.synthetic[r]);
      }
      fd.train.classWeights = options.oversampler == Oversampler::Weights
                                  ? balancedClassWeights(fd.train.labels)
                                  : std::make_pair(1.0, 1.0);
      fd.testX = rowsOf(augmented.features, f.test);
      fd.testY = pick(augmented.labels, f.test);
      for (auto r : f.test) {
        fd.testSource.push_back(augmented.source[r]);
        fd.testSynthetic.push_back(augmented.synthetic[r]);
      }
      foldData.push_back(std::move(fd));
    }
    if (family == Family::Graph) foldGraphs.assign(1, realGraphs(data, options.graphMode, all));
  } else {
    std::vector<Fold> folds;
    if (options.lodo) {
      run.lodo = true;
      run.lodoRadius = options.lodoRadius;
      run.lodoBuffer = options.lodoBuffer >= 0 ? options.lodoBuffer : data.labelRange;
      if (data.depositX.empty()) throw UsageError("--folds lodo: no known deposits to leave out");
      folds = bufferedDepositFolds(data.x, data.y, data.depositX, data.depositY, run.lodoRadius,
                                   run.lodoBuffer);
      run.folds = int(folds.size());
    } else {
      run.blockSize = data.blockSize;
      folds = spatialBlockFolds(data.x, data.y, data.labels, options.folds, data.blockSize,
                                options.seed);
    }
    for (std::size_t fi = 0; fi < folds.size(); ++fi) {
      const auto& f = folds[fi];
      FoldData fd;
      // Oversampling sees the training fold only.
      fd.train = oversample(data.clr, data.labels, f.train, options.oversampler,
                            mixSeed(options.seed, fi), generator);
      run.syntheticRows +=
          std::size_t(std::count(fd.train.synthetic.begin(), fd.train.synthetic.end(), 1));
      fd.testX = rowsOf(data.clr, f.test);
      fd.testY = pick(data.labels, f.test);
      fd.testSource = f.test;
      fd.testSynthetic.assign(f.test.size(), 0);
      if (family == Family::Graph)
        foldGraphs.push_back(realGraphs(data, options.graphMode, f.train));
      foldData.push_back(std::move(fd));
    }
  }

  Progress progress("graph " + model + " (" + protocolName(options.protocol) + ")",
                    foldData.size());
  std::vector<int> pooledY;
  std::vector<double> pooledS;
  for (std::size_t fi = 0; fi < foldData.size(); ++fi) {
    const FoldData& fd = foldData[fi];
    const std::uint64_t foldSeed = mixSeed(options.seed, 100 + fi);
    std::vector<double> scores;
    if (family == Family::Graph) {
      const ElementGraphs& base = foldGraphs.size() == 1 ? foldGraphs[0] : foldGraphs[fi];
      const ElementGraphs train =
          graphsLike(base, fd.train.features, fd.train.source, fd.train.labels);
      const ElementGraphs test = graphsLike(base, fd.testX, fd.testSource, fd.testY);
      GraphTrainOptions to = options.train;
      to.seed = foldSeed;
      to.classWeights = fd.train.classWeights;
      GraphClassifier classifier(graphKind, base.nodes, base.featureDim, to);
      const GraphTrainLog log = classifier.fit(train);
      if (fi == 0) run.firstFoldLoss = log.epochLoss;
      scores = classifier.predict(test);
    } else if (family == Family::Classical) {
      scores = fitPredictClassical(classical, fd.train.features, fd.train.labels, fd.testX,
                                   options.classical, foldSeed, fd.train.classWeights);
    } else {
      scores = autoencoderScores(fd.train.features, fd.train.labels, fd.testX, foldSeed,
                                 options.generator);
    }
    run.foldMetrics.push_back(evaluateBinary(fd.testY, scores, 0.5, 0, foldSeed));
    for (std::size_t i = 0; i < scores.size(); ++i) {
      if (!fd.testSynthetic[i]) run.scores[fd.testSource[i]] = scores[i];
    }
    pooledY.insert(pooledY.end(), fd.testY.begin(), fd.testY.end());
    pooledS.insert(pooledS.end(), scores.begin(), scores.end());
    progress.advance();
  }
  progress.finish();
  summarise(run);
  run.pooled = evaluateBinary(pooledY, pooledS, 0.5, options.bootstrap, options.seed);
  run.oofMap =
      outOfFoldAuc(run.scores, std::vector<std::uint8_t>(data.labels.begin(), data.labels.end()),
                   options.bootstrap, options.seed);
  run.seconds = watch.seconds();
  return run;
}

namespace {
/// Random streams of the final model (mixSeed(seed, stream)); the folds use 0..99 and
/// 100 + fold, the adaptive alpha 5.
enum FinalModelStream : std::uint64_t { kFinalOversample = 9000, kFinalTraining = 9001 };
}  // namespace

TrainedGraphModel trainGraphModel(const GraphData& data, const std::string& model,
                                  const GraphExperimentOptions& options) {
  GraphModelKind kind = GraphModelKind::ResGcn;
  if (!parseGraphModel(model, kind)) {
    std::string names;
    for (GraphModelKind k : allGraphModels()) names += (names.empty() ? "" : ", ") + std::string(graphModelName(k));
    throw UsageError("--model: '" + model + "' is not a graph network (" + names + ")");
  }
  std::vector<std::size_t> all(data.labels.size());
  std::iota(all.begin(), all.end(), 0);
  const MinorityGenerator generator = minorityGenerator(options.oversampler, options.generator);
  const OversampledSet train = oversample(data.clr, data.labels, all, options.oversampler,
                                          mixSeed(options.seed, kFinalOversample), generator);
  const ElementGraphs base = realGraphs(data, options.graphMode, all);
  GraphTrainOptions to = options.train;
  to.seed = mixSeed(options.seed, kFinalTraining);
  to.classWeights = train.classWeights;
  GraphClassifier classifier(kind, base.nodes, base.featureDim, to);
  const GraphTrainLog log =
      classifier.fit(graphsLike(base, train.features, train.source, train.labels));
  GraphInputs inputs;
  inputs.elements = data.elements;
  inputs.mode = options.graphMode;
  inputs.alpha = data.alpha;
  inputs.localK = options.localK;
  inputs.dlFactor = options.dlFactor;
  if (options.graphMode == GraphMode::Global) inputs.adjacency = base.adjacency;
  return TrainedGraphModel{std::move(classifier), std::move(inputs), log};
}

std::vector<double> predictGraphSamples(const GraphClassifier& model, const GraphInputs& inputs,
                                        const SampleTable& samples) {
  const Eigen::MatrixXd clrValues = clrFeatures(samples, inputs.elements, inputs.dlFactor);
  std::vector<std::size_t> all(samples.size());
  std::iota(all.begin(), all.end(), 0);
  const std::size_t n = inputs.elements.size();
  if (inputs.mode == GraphMode::Global) {
    Eigen::MatrixXd adjacency(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        adjacency(Eigen::Index(i), Eigen::Index(j)) = inputs.adjacency[i * n + j];
    return model.predict(globalGraphs(clrValues, {}, all, adjacency, inputs.elements));
  }
  SpatialIndex index;
  index.addSamples("samples", samples.locationsOnly());
  return model.predict(localGraphs(clrValues, {}, all,
                                   localAdjacency(index, "samples", clrValues, inputs.localK, inputs.alpha),
                                   inputs.elements));
}

}  // namespace orevox

namespace orevox {

std::string graphRunsTable(const std::vector<ModelRun>& runs) {
  auto pct = [](double mean, double sd) {
    if (std::isnan(mean)) return std::string("n/a");
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f ± %.1f", 100 * mean, std::isnan(sd) ? 0.0 : 100 * sd);
    return std::string(buf);
  };
  std::string out =
      "| model | protocol | graph | alpha | oversampler | accuracy | sensitivity | specificity | "
      "F1 | AUC (folds) | "
      "AUC pooled [95% CI] | TP / FN / TN / FP |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : runs) {
    char auc[96], alpha[16];
    std::snprintf(auc, sizeof auc, "%.3f [%.3f, %.3f]", r.pooled.auc, r.pooled.aucLow,
                  r.pooled.aucHigh);
    std::snprintf(alpha, sizeof alpha, "%.2f", r.alpha);
    const auto& c = r.pooled.confusion;
    out += "| " + r.model + " | " + protocolName(r.protocol) + (r.leaky ? " (leaky)" : "") +
           (r.lodo ? " (LODO)" : "") + " | " + graphModeName(r.graphMode) + " | " + alpha + " | " +
           oversamplerName(r.oversampler) + " | " + pct(r.mean.accuracy, r.sd.accuracy) + " | " +
           pct(r.mean.sensitivity, r.sd.sensitivity) + " | " +
           pct(r.mean.specificity, r.sd.specificity) + " | " + pct(r.mean.f1, r.sd.f1) + " | " +
           pct(r.mean.auc, r.sd.auc) + " | " + auc + " | " + std::to_string(c.tp) + " / " +
           std::to_string(c.fn) + " / " + std::to_string(c.tn) + " / " + std::to_string(c.fp) +
           " |\n";
  }
  return out;
}

}  // namespace orevox
