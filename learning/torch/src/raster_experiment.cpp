// The raster-path experiment: window-level evaluation under the paper / spatial protocols,
// final maps from all known deposits, map metrics, SHAP and the pretraining comparison. No
// torch header here: the networks are reached through raster_models.hpp, the data side
// through raster_data.hpp.
#include "orevox/learning/torch/raster_experiment.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <numeric>
#include <optional>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/learning/metrics.hpp"
#include "orevox/voxel/spatial_index.hpp"

namespace orevox {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool isNetwork(const std::string& model) { return model != "rf"; }

/// Class weights {1, n_neg / n_pos} of a label vector (positives up-weighted to balance).
std::pair<double, double> balanceWeights(const std::vector<int>& labels) {
  const double pos = double(std::count(labels.begin(), labels.end(), 1));
  const double neg = double(labels.size()) - pos;
  return {1.0, pos > 0 ? std::max(1.0, neg / pos) : 1.0};
}

/// `count` distinct valid cells of the stack drawn uniformly with makeRng(seed, stream)
/// (label 0): the unlabelled windows of SimCLR and the SHAP background.
LabelledCells randomValidCells(const RasterStack& stack, std::size_t count, std::uint64_t seed,
                               std::uint64_t stream) {
  const auto valid = stack.validCells();
  std::vector<std::size_t> cells;
  for (std::size_t i = 0; i < valid.size(); ++i)
    if (valid[i]) cells.push_back(i);
  Rng rng = makeRng(seed, stream);
  count = std::min(count, cells.size());
  for (std::size_t i = 0; i < count; ++i) {  // partial Fisher-Yates
    std::uniform_int_distribution<std::size_t> pick(i, cells.size() - 1);
    std::swap(cells[i], cells[pick(rng)]);
  }
  LabelledCells out;
  const std::size_t width = stack.grid().width;
  for (std::size_t i = 0; i < count; ++i) {
    out.cells.push_back({long(cells[i] % width), long(cells[i] / width)});
    out.labels.push_back(0);
    out.ids.push_back("U" + std::to_string(i));
  }
  return out;
}

/// A stratified `fraction` of the distinct windows of a training batch (augmented copies
/// share their original's centre, so a window's copies are kept or dropped together: a
/// dropped label never comes back through a copy).
WindowBatch labelSubset(const WindowBatch& batch, double fraction, std::uint64_t seed) {
  if (fraction >= 1.0) return batch;
  std::map<std::pair<double, double>, std::vector<std::size_t>> byCentre;
  for (std::size_t i = 0; i < batch.count; ++i)
    byCentre[{batch.centres[i][0], batch.centres[i][1]}].push_back(i);
  std::vector<std::vector<std::size_t>> groups[2];
  for (auto& [centre, rows] : byCentre)
    groups[batch.labels[rows.front()] == 1 ? 1 : 0].push_back(rows);
  std::vector<std::size_t> keep;
  Rng rng = makeRng(seed, 7);
  for (auto& g : groups) {
    std::shuffle(g.begin(), g.end(), rng);
    const std::size_t n =
        g.empty() ? 0
                  : std::max<std::size_t>(1, std::size_t(std::lround(fraction * double(g.size()))));
    for (std::size_t i = 0; i < n; ++i) keep.insert(keep.end(), g[i].begin(), g[i].end());
  }
  std::sort(keep.begin(), keep.end());
  return selectWindows(batch, keep);
}

/// Probability raster (band "probability") from a predictMap result: NaN -> nodata.
Raster probabilityRaster(const GridSpec& grid, const RasterPrediction& p) {
  Raster r(grid);
  std::vector<float> values(p.probability.size(), kNodata);
  for (std::size_t i = 0; i < values.size(); ++i)
    if (p.valid[i] && std::isfinite(p.probability[i])) values[i] = p.probability[i];
  r.addBand("probability", std::move(values));
  return r;
}

RasterTrainOptions trainOptionsFor(const RasterExperimentOptions& o, std::uint64_t stream) {
  RasterTrainOptions t = o.train;
  t.seed = mixSeed(o.seed, stream);
  return t;
}

}  // namespace

std::size_t rasterMapStride(const GridSpec& grid, std::size_t requested, std::size_t maxWindows) {
  if (requested > 0) return requested;
  std::size_t s = std::max<std::size_t>(1, defaultMapStride(grid.size()));
  // Lattice columns 0, s, 2s, ... plus the last one (predictMap), rows alike.
  auto lattice = [&](std::size_t st) {
    return ((grid.width - 1) / st + 2) * ((grid.height - 1) / st + 2);
  };
  while (maxWindows > 0 && lattice(s) > maxWindows && s < std::max(grid.width, grid.height)) ++s;
  return s;
}

std::vector<std::string> rasterExperimentModels() {
  return {"ssgsnet", "resnet", "vit", "dualbranch", "rf"};
}

double RasterModelResult::captureTop10() const {
  return hasHidden ? prediction.captureTop10 : success.captureTop10;
}

double paperReportedAuc(const std::string& model) {
  // ssgsnet-east-kunlun-2026 sec. 3.2.1 and Fig. 10 (validation set of the random 80/20
  // split of augmented windows).
  if (model == "resnet") return 0.9008;
  if (model == "vit") return 0.9372;
  if (model == "dualbranch") return 0.6369;
  if (model == "ssgsnet") return 0.9453;
  return kNaN;
}

RasterStandardisation toModelStandardisation(const StackStandardisation& s) {
  RasterStandardisation r;
  r.channels = s.channels;
  r.mean = s.mean;
  r.sd = s.sd;
  return r;
}

RasterShap explainTopCells(const RasterModel& model, const SpatialIndex& index,
                           const Raster& probability, std::size_t windows, std::size_t background,
                           std::uint64_t seed, std::size_t samples) {
  const GridSpec& grid = probability.grid();
  const auto& p = probability.band(0).values;
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!probability.isNodata(p[i])) order.push_back(i);
  if (order.empty())
    throw DataError("SHAP: the probability map has no valid cell", SourceLocation{});
  windows = std::min(windows, order.size());
  std::partial_sort(
      order.begin(), order.begin() + long(windows), order.end(),
      [&](std::size_t a, std::size_t b) { return p[a] > p[b] || (p[a] == p[b] && a < b); });
  LabelledCells top, back;
  for (std::size_t i = 0; i < windows; ++i) {
    top.cells.push_back({long(order[i] % grid.width), long(order[i] / grid.width)});
    top.labels.push_back(1);
    top.ids.push_back("T" + std::to_string(i));
  }
  Rng rng = makeRng(seed, 14);
  std::shuffle(order.begin(), order.end(), rng);
  for (std::size_t i = 0; i < std::min(background, order.size()); ++i) {
    back.cells.push_back({long(order[i] % grid.width), long(order[i] / grid.width)});
    back.labels.push_back(0);
    back.ids.push_back("U" + std::to_string(i));
  }
  WindowBatch x = drawCellWindows(index, top, model.windowSize());
  WindowBatch b = drawCellWindows(index, back, model.windowSize());
  model.standardisation().apply(x);
  model.standardisation().apply(b);
  RasterShapOptions so;
  so.seed = mixSeed(seed, 15);
  so.samples = samples;
  return explainWindows(model, x, b, so);
}

RasterExperimentResult runRasterExperiment(const RasterExperimentInputs& in,
                                           const RasterExperimentOptions& o) {
  if (o.models.empty()) throw UsageError("--model: no model given");
  const auto known = rasterExperimentModels();
  for (const auto& m : o.models)
    if (std::find(known.begin(), known.end(), m) == known.end())
      throw UsageError("--model: unknown model '" + m +
                       "' (expected ssgsnet, resnet, vit, dualbranch, rf or all)");
  if (o.protocols.empty()) throw UsageError("--protocol: no protocol given");
  if (o.window < 16)
    throw UsageError("--window: " + std::to_string(o.window) + " is below the minimum of 16 cells");
  if (o.window % o.net.patch != 0)
    throw UsageError("--window: " + std::to_string(o.window) +
                     " is not divisible by the ViT patch " + std::to_string(o.net.patch));
  for (double f : o.labelFractions)
    if (!(f > 0 && f <= 1))
      throw UsageError("--label-fractions: " + std::to_string(f) + " is not in (0, 1]");

  const RasterStack& stack = in.stack;
  const GridSpec& grid = stack.grid();
  const int k = o.window;
  RasterExperimentResult res;
  res.name = in.name;
  res.channels = stack.channelNames();
  res.window = k;
  res.seed = o.seed;

  // Positives: the cell of each known deposit; negatives: user points or drawn (sec. 2.4).
  const LabelledCells positives =
      depositCells(grid, in.knownX, in.knownY, in.knownIds, &res.knownOutside);
  if (positives.size() == 0) {
    SourceLocation where;
    where.file = in.name;
    throw DataError("raster path: no known deposit lies on the stack's grid", where);
  }
  LabelledCells negatives;
  if (!in.negativeX.empty()) {
    negatives = depositCells(grid, in.negativeX, in.negativeY);
    for (std::size_t i = 0; i < negatives.size(); ++i) {
      negatives.labels[i] = 0;
      negatives.ids[i] = "N" + std::to_string(i);
    }
    res.negativeRule = "file";
  } else {
    NegativeOptions no = o.negatives;
    no.seed = o.seed;
    no.stream = 11;
    const auto count = std::size_t(std::lround(o.negativeRatio * double(positives.size())));
    negatives = sampleNegativeCells(stack, positives, std::max<std::size_t>(1, count), no,
                                    &res.negativeReport);
    res.negativeRule = negativeSamplingName(no.method);
  }
  if (negatives.size() == 0) {
    SourceLocation where;
    where.file = in.name;
    throw DataError("raster path: no negative cell on the stack's grid", where);
  }
  res.positives = positives.size();
  res.negatives = negatives.size();
  const LabelledCells labelled = concatLabelledCells(positives, negatives);
  const SpatialIndex index = stackIndex(stack.raster);
  const WindowBatch raw = drawCellWindows(index, labelled, k);

  for (const auto& m : o.models) {
    RasterModelResult r;
    r.model = m;
    res.models.push_back(std::move(r));
  }

  // Deposit presence of the out-of-fold maps: cells holding a known or hidden deposit.
  std::vector<std::uint8_t> presence(grid.size(), 0);
  for (const auto* xy : {&in.knownX, &in.hiddenX}) {
    const bool hidden = xy == &in.hiddenX;
    const LabelledCells d = depositCells(grid, *xy, hidden ? in.hiddenY : in.knownY);
    for (const auto& c : d.cells) presence[grid.index(std::size_t(c[0]), std::size_t(c[1]))] = 1;
  }
  const std::size_t mapStride = rasterMapStride(grid, o.stride, o.mapWindows);
  const std::vector<std::uint8_t> validCells = stack.validCells();

  // ---- window-level evaluation, per protocol; every model sees the same folds ----
  for (std::size_t pi = 0; pi < o.protocols.size(); ++pi) {
    const Protocol p = o.protocols[pi];
    const WindowSplit split = protocolSplit(p, labelled, grid, k, o.split, o.seed);
    // The out-of-fold map: each fold's model scores the valid cells of its own blocks.
    const std::vector<int> cellFold = o.maps ? outOfFoldCells(split, grid) : std::vector<int>{};
    std::vector<std::vector<double>> oof(
        o.models.size(), std::vector<double>(cellFold.empty() ? 0 : grid.size(), kNaN));
    std::vector<std::vector<int>> labels(o.models.size());
    std::vector<std::vector<double>> scores(o.models.size());
    std::vector<RasterEvaluation> evals(o.models.size());
    std::vector<Stopwatch> clocks(o.models.size());
    std::vector<double> seconds(o.models.size(), 0.0);
    std::optional<Progress> progress;
    if (o.progress)
      progress.emplace(std::string("raster ") + protocolName(p) + " folds",
                       split.folds.size() * o.models.size());
    for (std::size_t f = 0; f < split.folds.size(); ++f) {
      const StackStandardisation z =
          StackStandardisation::fit(stack.raster, trainingArea(split, f, stack));
      WindowBatch w = raw;
      z.apply(w);
      const auto [train, test] = foldBatches(split, f, w);
      const std::size_t overlaps =
          countTrainTestOverlaps(grid, split.cells.cells, split.cells.labels, split.folds[f], k);
      std::vector<std::uint8_t> foldCells;  // the valid cells this fold's models score
      std::vector<std::array<long, 2>> foldCellList;
      if (!cellFold.empty()) {
        foldCells.assign(grid.size(), 0);
        for (std::size_t i = 0; i < grid.size(); ++i)
          if (validCells[i] && cellFold[i] == int(f)) {
            foldCells[i] = 1;
            foldCellList.push_back({long(i % grid.width), long(i / grid.width)});
          }
      }
      Raster standardised;  // the random forest's cells of the out-of-fold map
      for (std::size_t mi = 0; mi < o.models.size(); ++mi) {
        Stopwatch clock;
        const std::string& m = o.models[mi];
        std::vector<double> s;
        if (!isNetwork(m)) {
          Eigen::MatrixXd x = centreFeatures(test);
          if (!foldCellList.empty()) {  // the same forest scores the fold's map cells
            if (standardised.bandCount() == 0) standardised = z.applied(stack.raster);
            const Eigen::MatrixXd cells = cellFeatures(standardised, foldCellList);
            Eigen::MatrixXd both(x.rows() + cells.rows(), x.cols());
            both << x, cells;
            x = std::move(both);
          }
          s = fitPredictClassical(ClassicalModel::RandomForest, centreFeatures(train), train.labels,
                                  x, o.classical, mixSeed(o.seed, 200 + f),
                                  balanceWeights(train.labels));
          for (std::size_t c = 0; c < foldCellList.size(); ++c)
            oof[mi][grid.index(std::size_t(foldCellList[c][0]), std::size_t(foldCellList[c][1]))] =
                double(float(s[test.count + c]));  // the map's precision, as the file keeps it
          s.resize(test.count);
        } else {
          RasterModel net = RasterModel::create(parseRasterModel(m), res.channels, k, o.net,
                                                mixSeed(o.seed, 300 + 16 * f + mi));
          net.train(train, trainOptionsFor(o, 400 + 16 * f + mi));
          for (float v : net.predictWindows(test)) s.push_back(double(v));
          if (!foldCellList.empty()) {
            net.standardisation() = toModelStandardisation(z);
            RasterPredictOptions po;
            po.stride = mapStride;
            po.progress = false;
            po.cells = foldCells;
            const RasterPrediction map = predictMap(net, index, {}, po);
            for (std::size_t i = 0; i < grid.size(); ++i)
              if (foldCells[i] && std::isfinite(map.probability[i]))
                oof[mi][i] = double(map.probability[i]);
          }
        }
        labels[mi].insert(labels[mi].end(), test.labels.begin(), test.labels.end());
        scores[mi].insert(scores[mi].end(), s.begin(), s.end());
        evals[mi].trainWindows += train.count;
        evals[mi].testWindows += test.count;
        evals[mi].overlaps += overlaps;
        seconds[mi] += clock.seconds();
        if (progress) progress->advance();
      }
    }
    if (progress) progress->finish();
    for (std::size_t mi = 0; mi < o.models.size(); ++mi) {
      RasterEvaluation& e = evals[mi];
      e.protocol = p;
      e.leaky = p == Protocol::Paper;
      e.folds = split.folds.size();
      for (auto x : split.excluded) e.excluded += x;
      e.metrics = evaluateBinary(labels[mi], scores[mi], 0.5, o.bootstrap, o.seed);
      rocCurve(labels[mi], scores[mi], e.rocFpr, e.rocTpr);
      if (!cellFold.empty()) {
        e.oofMap = outOfFoldAuc(oof[mi], presence, o.bootstrap, o.seed);
        e.oofScores = std::move(oof[mi]);
      }
      e.seconds = seconds[mi];
      res.models[mi].evaluations.push_back(e);
    }
  }

  // ---- final models on every known deposit, full maps, map metrics, SHAP ----
  res.standardisation = StackStandardisation::fit(stack.raster, {});
  WindowBatch all = raw;
  res.standardisation.apply(all);
  const WindowBatch trainAll = augmentWindows(all, o.split.augment, o.seed, 99);
  const std::size_t stride = mapStride;
  WindowBatch shapWindows, shapBackground;
  if (o.shapWindows > 0) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < all.count && rows.size() < o.shapWindows; ++i)
      if (all.labels[i] == 1) rows.push_back(i);
    shapWindows = selectWindows(all, rows);
    shapBackground =
        drawCellWindows(index, randomValidCells(stack, o.shapBackground, o.seed, 12), k);
    res.standardisation.apply(shapBackground);
  }
  if (o.maps) {
    Raster standardisedStack;  // the random forest scores every cell of it
    for (std::size_t mi = 0; mi < o.models.size(); ++mi) {
      RasterModelResult& r = res.models[mi];
      Stopwatch clock;
      if (!isNetwork(r.model)) {
        if (standardisedStack.bandCount() == 0)
          standardisedStack = res.standardisation.applied(stack.raster);
        r.probability = scoreStackClassical(ClassicalModel::RandomForest, centreFeatures(trainAll),
                                            trainAll.labels, standardisedStack, o.classical,
                                            mixSeed(o.seed, 500), balanceWeights(trainAll.labels));
        r.trainSeconds = clock.seconds();
        r.stride = 1;
        for (float v : r.probability.band(0).values)
          r.windowsScored += r.probability.isNodata(v) ? 0 : 1;
      } else {
        r.network = RasterModel::create(parseRasterModel(r.model), res.channels, k, o.net,
                                        mixSeed(o.seed, 600 + mi));
        r.network.train(trainAll, trainOptionsFor(o, 700 + mi), &r.training);
        r.network.standardisation() = toModelStandardisation(res.standardisation);
        r.trainSeconds = clock.seconds();
        Stopwatch predictClock;
        RasterPredictOptions po;
        po.stride = stride;
        po.progress = o.progress;
        const RasterPrediction p = predictMap(r.network, index, {}, po);
        r.probability = probabilityRaster(grid, p);
        r.stride = stride;
        r.windowsScored = p.windows;
        r.predictSeconds = predictClock.seconds();
        if (shapWindows.count > 0 && shapBackground.count > 0) {
          RasterShapOptions so = o.shap;
          so.seed = mixSeed(o.seed, 800 + mi);
          r.shap = explainWindows(r.network, shapWindows, shapBackground, so);
          r.hasShap = true;
        }
      }
      r.success = evaluateMap(r.probability, in.knownX, in.knownY);
      if (!in.hiddenX.empty()) {
        r.prediction = evaluateMap(r.probability, in.hiddenX, in.hiddenY);
        r.hasHidden = r.prediction.deposits > 0;
      }
      r.hasMap = true;
    }
  }
  // The selected model: the network with the highest pooled window AUC under the first
  // protocol (rf only when it ran alone).
  for (std::size_t mi = 1; mi < res.models.size(); ++mi) {
    const auto& cand = res.models[mi];
    const auto& cur = res.models[res.best];
    if (!isNetwork(cand.model)) continue;
    const double a = cand.evaluations.front().metrics.auc, b = cur.evaluations.front().metrics.auc;
    if (!isNetwork(cur.model) || (std::isfinite(a) && (!std::isfinite(b) || a > b))) res.best = mi;
  }

  // ---- pretraining comparison: SSGSNet from scratch vs SimCLR probe vs fine-tuning ----
  if (o.pretrain) {
    WindowBatch unlabelled =
        drawCellWindows(index, randomValidCells(stack, o.unlabelledWindows, o.seed, 13), k);
    // Label-free, so the whole-map standardisation leaks no label into pretraining.
    res.standardisation.apply(unlabelled);
    SimclrOptions so = o.simclr;
    so.seed = mixSeed(o.seed, 900);
    const RasterModel pretrained =
        pretrainSimclr(RasterModelKind::Ssgsnet, unlabelled, k, o.net, so, &res.simclr);
    // Copies of a RasterModel share the network: each probe / fine-tuning starts from a
    // fresh copy read back from this file.
    const std::string encoderPath =
        (std::filesystem::temp_directory_path() /
         ("orevox_simclr_" +
          std::to_string(mixSeed(o.seed, std::uint64_t(std::hash<std::string>{}(in.name)))) +
          ".pt"))
            .string();
    pretrained.save(encoderPath);
    const Protocol p = o.protocols.front();
    const WindowSplit split = protocolSplit(p, labelled, grid, k, o.split, o.seed);
    const char* variants[] = {"scratch", "simclr-probe", "simclr-finetune"};
    std::vector<RasterPretrainRow> rows;
    std::vector<std::vector<int>> labels;
    std::vector<std::vector<double>> scores;
    for (double fraction : o.labelFractions)
      for (const char* v : variants) {
        RasterPretrainRow row;
        row.variant = v;
        row.labelFraction = fraction;
        row.protocol = p;
        rows.push_back(row);
        labels.emplace_back();
        scores.emplace_back();
      }
    std::optional<Progress> progress;
    if (o.progress)
      progress.emplace("raster pretraining comparison", split.folds.size() * rows.size());
    for (std::size_t f = 0; f < split.folds.size(); ++f) {
      const StackStandardisation z =
          StackStandardisation::fit(stack.raster, trainingArea(split, f, stack));
      WindowBatch w = raw;
      z.apply(w);
      const auto [train, test] = foldBatches(split, f, w);
      for (std::size_t ri = 0; ri < rows.size(); ++ri) {
        Stopwatch clock;
        RasterPretrainRow& row = rows[ri];
        const WindowBatch sub = labelSubset(train, row.labelFraction, mixSeed(o.seed, 1000 + f));
        RasterTrainOptions t = trainOptionsFor(o, 1100 + 16 * f + ri);
        RasterModel net;
        if (row.variant == "scratch") {
          net = RasterModel::create(RasterModelKind::Ssgsnet, res.channels, k, o.net,
                                    mixSeed(o.seed, 1200 + f));
        } else {
          net = RasterModel::load(encoderPath);
          t.linearProbe = row.variant == "simclr-probe";
        }
        net.train(sub, t);
        for (float s : net.predictWindows(test)) scores[ri].push_back(double(s));
        labels[ri].insert(labels[ri].end(), test.labels.begin(), test.labels.end());
        row.labelledWindows += sub.count;
        row.seconds += clock.seconds();
        if (progress) progress->advance();
      }
    }
    if (progress) progress->finish();
    std::error_code ec;
    std::filesystem::remove(encoderPath, ec);
    std::filesystem::remove(std::filesystem::path(encoderPath).replace_extension(".json"), ec);
    for (std::size_t ri = 0; ri < rows.size(); ++ri) {
      rows[ri].metrics = evaluateBinary(labels[ri], scores[ri], 0.5, o.bootstrap, o.seed);
      res.pretraining.push_back(rows[ri]);
    }
  }
  return res;
}

namespace {

std::string fmt(double v, const char* f = "%.3f") {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string aucCell(const BinaryMetrics& m) {
  return fmt(m.auc) + " [" + fmt(m.aucLow) + ", " + fmt(m.aucHigh) + "]";
}

}  // namespace

std::string rasterComparisonTable(const RasterExperimentResult& result) {
  bool hidden = false;
  for (const auto& m : result.models) hidden = hidden || m.hasHidden;
  const std::string target = hidden ? "hidden" : "known";
  std::string out = "| model | protocol | window AUC [95% CI] | capture " + target +
                    " top 5% | capture " + target + " top 10% | capture " + target +
                    " top 20% | out-of-fold map AUC [95% CI] | success-rate AUC (known) | " +
                    (hidden ? "prediction-rate AUC (hidden) | " : "") +
                    "paper AUC (East Kunlun, reference) |\n|---|---|---|---|---|---|---|---|" +
                    (hidden ? "---|" : "") + "---|\n";
  for (const auto& m : result.models)
    for (const auto& e : m.evaluations) {
      const MapEvaluation& map = m.hasHidden ? m.prediction : m.success;
      out += "| " + m.model + " | " + protocolName(e.protocol) + (e.leaky ? " (leaky)" : "") +
             " | " + aucCell(e.metrics) + " | " + (m.hasMap ? fmt(map.captureTop5) : "n/a") +
             " | " + (m.hasMap ? fmt(map.captureTop10) : "n/a") + " | " +
             (m.hasMap ? fmt(map.captureTop20) : "n/a") + " | " +
             (e.oofMap.cells > 0
                  ? fmt(e.oofMap.auc) + " [" + fmt(e.oofMap.low) + ", " + fmt(e.oofMap.high) + "]"
                  : std::string("n/a")) +
             " | " + (m.hasMap ? fmt(m.success.curve.auc) : "n/a") + " | " +
             (hidden ? (m.hasHidden ? fmt(m.prediction.curve.auc) : "n/a") + " | " : "") +
             fmt(paperReportedAuc(m.model), "%.4f") + " |\n";
    }
  return out;
}

std::string rasterPretrainTable(const RasterExperimentResult& result) {
  std::string out =
      "| encoder | labels | protocol | labelled training windows | window AUC [95% CI] | seconds "
      "|\n"
      "|---|---|---|---|---|---|\n";
  for (const auto& r : result.pretraining)
    out += "| " + r.variant + " | " + fmt(100 * r.labelFraction, "%.0f%%") + " | " +
           protocolName(r.protocol) + " | " + std::to_string(r.labelledWindows) + " | " +
           aucCell(r.metrics) + " | " + fmt(r.seconds, "%.1f") + " |\n";
  return out;
}

std::string shapCsv(const RasterShap& shap) {
  std::string out = "rank,channel,mean_abs_shap\n";
  for (std::size_t i = 0; i < shap.ranking.size(); ++i) {
    const std::size_t c = shap.ranking[i];
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.8g", shap.meanAbs[c]);
    out += std::to_string(i + 1) + "," + shap.channels[c] + "," + buf + "\n";
  }
  return out;
}

}  // namespace orevox
