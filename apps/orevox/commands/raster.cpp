// orevox raster train|predict: the SSGSNet raster path (ssgsnet-east-kunlun-2026): channel
// stacks from an embedded dataset or a GeoTIFF, window-level evaluation of SSGSNet and its
// baselines under the paper or the spatial protocol, full prospectivity maps, A/B/C target
// zones, SHAP rankings and the contrastive-pretraining comparison.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "../command.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/datasets/embedded.hpp"
#include "orevox/datasets/raster_io.hpp"
#include "orevox/datasets/vector_io.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/learning/torch/raster_experiment.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"
#include "orevox/voxel/spatial_index.hpp"
#include "raster_path.hpp"

namespace orevox::cli {

namespace {

namespace fs = std::filesystem;

struct RasterArgs {
  std::string action, dataset, stack, deposits, negatives = "auto", auChannel = "log10_Au";
  std::string model = "ssgsnet", pretrain = "none", protocol = "spatial", spatialFolds = "blocks";
  std::string elements, transform = "log10", labelFractions = "1,0.5,0.2", zonesBy = "thresholds";
  std::string out, zones, shap;
  int window = 32, epochs = 10, folds = 5, copies = 8, bootstrap = 200, pretrainEpochs = 0;
  std::uint64_t seed = 1;
  double cell = 0.0, blockSize = 10000.0, buffer = 0.0, negativeRatio = 1.0, learningRate = 1e-3;
  std::size_t stride = 0, mapWindows = 10000, shapWindows = 32, shapSamples = 64, unlabelled = 512;
};

nlohmann::json num(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

/// Deposits from CSV (x, y[, id][, label]) or a point layer (GeoJSON, GPKG, SHP).
SampleTable readDepositFile(const std::string& path) {
  const std::string ext = fs::path(path).extension().string();
  if (ext == ".csv" || ext == ".txt") {
    CsvOptions csv;
    csv.allowNegative = true;
    return readSamplesCsv(path, csv);
  }
  return readPoints(path);
}

nlohmann::json mapJson(const MapEvaluation& m) {
  return {{"deposits", m.deposits},
          {"outside", m.outside},
          {"curve_auc", num(m.curve.auc)},
          {"capture_top5", num(m.captureTop5)},
          {"capture_top10", num(m.captureTop10)},
          {"capture_top20", num(m.captureTop20)}};
}

}  // namespace

RasterPathOutputs writeRasterOutputs(const RasterExperimentResult& res,
                                     const RasterExperimentInputs& in, const std::string& crsWkt,
                                     const std::string& folder, ZoneRule zoneRule,
                                     RunReport& report, const std::string& reportKey) {
  const fs::path out(folder);
  RasterPathOutputs o;
  auto wrote = [&](const fs::path& p) {
    report.output(p.string());
    return p.string();
  };
  const RasterModelResult& best = res.models[res.best];
  // The comparison table with the paper's AUCs beside ours.
  {
    bool hidden = false;
    for (const auto& m : res.models) hidden = hidden || m.hasHidden;
    std::string md =
        "# Raster path on " + res.name + "\n\n" + std::to_string(res.channels.size()) +
        " channels, windows of " + std::to_string(res.window) + " x " + std::to_string(res.window) +
        " cells, " + std::to_string(res.positives) + " positive windows (known deposits), " +
        std::to_string(res.negatives) + " negatives (" + res.negativeRule + "), seed " +
        std::to_string(res.seed) +
        ". Window AUC: pooled test windows of every fold, percentile bootstrap interval. Capture: "
        "share "
        "of the " +
        std::string(
            hidden ? "HIDDEN deposits (never used in training)"
                   : "known deposits (the training deposits: a success rate, not a prediction)") +
        " in the top x % of the valid area of the map of a model trained on all known deposits. "
        "Paper rows (leaky) augment before the random 80/20 split, so copies of a test window are "
        "in "
        "training. The paper's AUCs (East Kunlun, its own data and leaky protocol) are quoted as a "
        "reference, not a target.\n\n" +
        rasterComparisonTable(res) +
        "\nSelected model (highest window AUC under the first protocol, "
        "networks only): " +
        best.model + ".\n";
    o.table = wrote(out / "comparison.md");
    writeTextFileAtomic(o.table, md);
  }
  if (!res.pretraining.empty()) {
    const std::string md =
        "# Contrastive pretraining on " + res.name +
        "\n\nSSGSNet: spectral-spatial encoder from scratch, SimCLR-pretrained encoder + linear "
        "probe, SimCLR-pretrained + fine-tuning; pooled window AUC.\n\n" +
        rasterPretrainTable(res);
    o.pretrainTable = wrote(out / "pretraining.md");
    writeTextFileAtomic(o.pretrainTable, md);
  }
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& m : res.models) {
    nlohmann::json map;
    if (m.hasMap) {
      const fs::path tif = out / ("prospectivity_" + m.model + ".tif");
      writeGeoTiff(m.probability, tif.string());
      o.maps.push_back(wrote(tif));
      map = {{"file", tif.string()},
             {"stride", m.stride},
             {"windows_scored", m.windowsScored},
             {"train_s", m.trainSeconds},
             {"predict_s", m.predictSeconds},
             {"success_known", mapJson(m.success)}};
      if (m.hasHidden) map["prediction_hidden"] = mapJson(m.prediction);
      if (!m.training.loss.empty()) map["final_training_loss"] = m.training.loss;
    }
    if (m.model != "rf" && m.hasMap) {
      const fs::path pt = out / (m.model + ".pt");
      m.network.save(pt.string());
      wrote(pt);
      map["model_file"] = pt.string();
    }
    for (const auto& e : m.evaluations) {
      const MapEvaluation& cap = m.hasHidden ? m.prediction : m.success;
      nlohmann::json metrics = {{"auc", num(e.metrics.auc)},
                                {"auc_ci95", {num(e.metrics.aucLow), num(e.metrics.aucHigh)}},
                                {"accuracy", num(e.metrics.accuracy)},
                                {"f1", num(e.metrics.f1)}};
      if (m.hasMap) {
        metrics["capture_top5"] = num(cap.captureTop5);
        metrics["capture_top10"] = num(cap.captureTop10);
        metrics["capture_top20"] = num(cap.captureTop20);
        metrics["capture_of"] = m.hasHidden ? "hidden deposits" : "known deposits";
        metrics["success_rate_auc"] = num(m.success.curve.auc);
        if (m.hasHidden) metrics["prediction_rate_auc"] = num(m.prediction.curve.auc);
      }
      runs.push_back({{"model", m.model},
                      {"protocol", protocolName(e.protocol)},
                      {"leaky", e.leaky},
                      {"seed", res.seed},
                      {"metrics", metrics},
                      {"paper_auc", num(paperReportedAuc(m.model))},
                      {"folds", e.folds},
                      {"train_windows", e.trainWindows},
                      {"test_windows", e.testWindows},
                      {"excluded_training_windows", e.excluded},
                      {"train_test_deposit_overlaps", e.overlaps},
                      {"seconds", e.seconds},
                      {"map", map}});
    }
  }
  report.result(reportKey, runs);
  // The selected model's map, network, zones and SHAP.
  nlohmann::json selected = {{"model", best.model}};
  if (best.hasMap) {
    o.selectedMap = wrote(out / "prospectivity.tif");
    writeGeoTiff(best.probability, o.selectedMap);
    if (best.model != "rf") {
      o.modelFile = wrote(out / "model.pt");
      best.network.save(o.modelFile);
      wrote(out / "model.json");
    }
    std::vector<double> dx = in.knownX, dy = in.knownY;
    std::vector<std::string> ids = in.knownIds;
    if (ids.size() != dx.size()) {
      ids.clear();
      for (std::size_t i = 0; i < dx.size(); ++i) ids.push_back("K" + std::to_string(i + 1));
    }
    for (std::size_t i = 0; i < in.hiddenX.size(); ++i) {
      dx.push_back(in.hiddenX[i]);
      dy.push_back(in.hiddenY[i]);
      ids.push_back(in.hiddenIds.size() == in.hiddenX.size() ? in.hiddenIds[i]
                                                             : "H" + std::to_string(i + 1));
    }
    RasterZoneOptions zo;
    zo.rule = zoneRule;
    const auto zones = rasterZones(best.probability, zo, dx, dy, ids);
    o.zones = zones.size();
    o.zonesCsv = wrote(out / "zones.csv");
    writeTextFileAtomic(o.zonesCsv, zonesCsv(zones));
    nlohmann::json zj = nlohmann::json::array();
    for (const auto& z : zones)
      zj.push_back({{"name", z.polygon.name},
                    {"class", std::string(1, z.zoneClass)},
                    {"cells", z.cells},
                    {"area_m2", z.area},
                    {"mean_probability", z.meanProbability},
                    {"max_probability", z.maxProbability},
                    {"deposits", z.deposits}});
    if (!zones.empty()) {
      o.zonesGpkg = wrote(out / "zones.gpkg");
      writePolygons(zonePolygons(zones), o.zonesGpkg, zoneAttributes(zones), crsWkt,
                    zoneDepositIds(zones));
    }
    const auto th = zoneThresholds(best.probability, zo);
    selected["zones"] = {
        {"rule", zoneRuleName(zoneRule)}, {"thresholds", {th[0], th[1], th[2]}}, {"zones", zj}};
    if (best.hasShap) {
      o.shapCsv = wrote(out / "shap.csv");
      writeTextFileAtomic(o.shapCsv, shapCsv(best.shap));
      nlohmann::json ranking = nlohmann::json::array();
      for (auto c : best.shap.ranking)
        ranking.push_back(
            {{"channel", best.shap.channels[c]}, {"mean_abs_shap", best.shap.meanAbs[c]}});
      selected["shap"] = {{"windows", best.shap.windows}, {"ranking", ranking}};
    }
  }
  report.result(reportKey == "models" ? "selected" : reportKey + "_selected", selected);
  if (!res.pretraining.empty()) {
    nlohmann::json pj = nlohmann::json::array();
    for (const auto& r : res.pretraining)
      pj.push_back({{"variant", r.variant},
                    {"label_fraction", r.labelFraction},
                    {"protocol", protocolName(r.protocol)},
                    {"labelled_windows", r.labelledWindows},
                    {"auc", num(r.metrics.auc)},
                    {"auc_ci95", {num(r.metrics.aucLow), num(r.metrics.aucHigh)}},
                    {"seconds", r.seconds}});
    report.result(reportKey == "models" ? "pretraining" : reportKey + "_pretraining",
                  {{"rows", pj},
                   {"simclr_loss", res.simclr.loss},
                   {"simclr_windows", res.simclr.windows},
                   {"simclr_s", res.simclr.seconds}});
  }
  return o;
}

RasterExperimentInputs synth2dRasterInputs(const Dataset& ds, double cell,
                                           const std::vector<std::string>& elements,
                                           GeochemTransform transform) {
  RasterExperimentInputs in;
  GeochemStackOptions g;
  g.elements = elements.empty() ? synth2dRasterElements() : elements;
  g.transform = transform;
  const GridSpec grid = GridSpec::fromExtent(ds.grid.grid().extent(), cell, ds.crsWkt);
  in.stack = geochemStack(ds.samples, ds.faults, grid, g);
  for (std::size_t i = 0; i < ds.deposits.size(); ++i) {
    const bool knownDeposit = ds.deposits.labels[i] == 1;  // 0 = hidden: evaluation only
    (knownDeposit ? in.knownX : in.hiddenX).push_back(ds.deposits.x[i]);
    (knownDeposit ? in.knownY : in.hiddenY).push_back(ds.deposits.y[i]);
    (knownDeposit ? in.knownIds : in.hiddenIds).push_back(ds.deposits.ids[i]);
  }
  in.name = "synth2d (seed " + std::to_string(ds.seed) + ")";
  return in;
}

std::vector<std::string> synth2dRasterElements() {
  // The paper's 14 elements are Au As Sb Hg Cu Pb Zn Bi Sn Mo W Co Li Ag: synth2d has 12 of
  // them; B and F stand in for Co and Li, which synth2d does not generate.
  return {"Au", "As", "Sb", "Hg", "Cu", "Pb", "Zn", "Bi", "Sn", "Mo", "W", "Ag", "B", "F"};
}

RasterExperimentInputs murchisonRasterInputs(const Dataset& ds, double cell) {
  const PolygonSet* greenstone = nullptr;
  for (const auto& [name, polys] : ds.polygons)
    if (name == "greenstone") greenstone = &polys;
  if (!greenstone) {
    SourceLocation where;
    where.file = ds.name;
    throw DataError("the dataset has no greenstone polygons", where);
  }
  RasterExperimentInputs in;
  const GridSpec grid = GridSpec::fromExtent(ds.faults.extent(), cell, ds.crsWkt);
  in.stack = structureStack(ds.faults, *greenstone, grid);
  in.knownX = ds.deposits.x;
  in.knownY = ds.deposits.y;
  in.knownIds = ds.deposits.ids;
  in.name = ds.name;
  return in;
}

std::vector<std::string> rasterSummaryLines(const RasterExperimentResult& res) {
  std::vector<std::string> lines;
  for (const auto& m : res.models) {
    // The paper's figure is a window AUC (its leaky split), so it stands beside ours.
    const double paperAuc = paperReportedAuc(m.model);
    const std::string paper =
        std::isfinite(paperAuc) ? " (paper: " + fixed(paperAuc, 4) + ")" : std::string();
    for (const auto& e : m.evaluations)
      lines.push_back(res.name + " " + m.model + " [" + protocolName(e.protocol) +
                      (e.leaky ? ", leaky" : "") + "]: window AUC " + fixed(e.metrics.auc) + " [" +
                      fixed(e.metrics.aucLow) + ", " + fixed(e.metrics.aucHigh) + "]" + paper +
                      (m.hasMap ? std::string(", capture top 10% of ") +
                                      (m.hasHidden ? "hidden" : "known") + " deposits " +
                                      fixed(m.captureTop10())
                                : std::string()));
  }
  for (const auto& r : res.pretraining)
    lines.push_back(res.name + " pretraining " + r.variant + " at " +
                    fixed(100 * r.labelFraction, 0) + "% labels: window AUC " +
                    fixed(r.metrics.auc) + " [" + fixed(r.metrics.aucLow) + ", " +
                    fixed(r.metrics.aucHigh) + "]");
  return lines;
}

namespace {

void runTrain(const RasterArgs& a, const CommonOptions& common, RunReport& report) {
  if (a.out.empty()) throw UsageError("--out: raster train needs an output folder");
  if (a.dataset.empty() == a.stack.empty())
    throw UsageError(
        "raster train: give either --dataset synth2d|murchison or --stack STACK.tif with "
        "--deposits");
  if (!a.stack.empty() && a.deposits.empty())
    throw UsageError("--stack needs --deposits FILE (known deposits)");
  if (!a.dataset.empty() && a.dataset != "synth2d" && a.dataset != "murchison")
    throw UsageError("--dataset: expected synth2d or murchison, got '" + a.dataset + "'");

  RasterExperimentOptions o;
  o.models.clear();
  const auto names = rasterExperimentModels();
  for (const auto& m : a.model == "all" ? names : splitList(a.model, "--model")) {
    if (std::find(names.begin(), names.end(), m) == names.end())
      throw UsageError("--model: unknown model '" + m +
                       "' (expected ssgsnet, resnet, vit, dualbranch, rf or all)");
    o.models.push_back(m);
  }
  if (a.protocol == "both") {
    o.protocols = {Protocol::Spatial, Protocol::Paper};
  } else {
    o.protocols = {parseProtocol(a.protocol)};
  }
  if (a.window < 16)
    throw UsageError("--window: " + std::to_string(a.window) + " is below the minimum of 16 cells");
  if (a.window % o.net.patch != 0)
    throw UsageError("--window: " + std::to_string(a.window) +
                     " is not a multiple of the ViT patch (" + std::to_string(o.net.patch) +
                     " cells)");
  o.window = a.window;
  o.seed = a.seed;
  o.train.epochs = a.epochs;
  o.train.learningRate = a.learningRate;
  o.split.augment.copies = a.copies;
  o.split.spatialFolds = parseSpatialFolds(a.spatialFolds, "--spatial-folds");
  o.split.folds = a.folds;
  o.split.blockSize = a.blockSize;
  o.split.buffer = a.buffer;
  o.bootstrap = a.bootstrap;
  o.classical.threads = common.threads;
  o.negativeRatio = a.negativeRatio;
  o.stride = a.stride;
  o.mapWindows = a.mapWindows;
  o.shapWindows = a.shapWindows;
  o.shap.samples = a.shapSamples;
  o.progress = !common.quiet;
  if (a.pretrain != "none" && a.pretrain != "simclr")
    throw UsageError("--pretrain: expected none or simclr, got '" + a.pretrain + "'");
  o.pretrain = a.pretrain == "simclr";
  o.labelFractions = parseNumbers(a.labelFractions, "--label-fractions");
  for (double f : o.labelFractions)
    if (!(f > 0 && f <= 1))
      throw UsageError("--label-fractions: " + std::to_string(f) + " is not in (0, 1]");
  o.simclr.epochs = a.pretrainEpochs > 0 ? a.pretrainEpochs : a.epochs;
  o.unlabelledWindows = a.unlabelled;
  const ZoneRule zoneRule = parseZoneRule(a.zonesBy, "--zones-by");
  const bool negativesFromFile =
      a.negatives != "auto" && a.negatives != "kmeans" && a.negatives != "random";

  // Every output path is checked before the long work starts.
  OutputFolder folder(a.out);  // removed again if the run fails
  const fs::path out(a.out);
  std::vector<std::string> planned{"comparison.md", "prospectivity.tif", "zones.gpkg", "zones.csv",
                                   "shap.csv",      "model.pt",          "model.json"};
  if (o.pretrain) planned.push_back("pretraining.md");
  for (const auto& m : o.models) {
    planned.push_back("prospectivity_" + m + ".tif");
    if (m != "rf") planned.push_back(m + ".pt");
  }
  for (const auto& f : planned) checkOutputPath((out / f).string());
  configureTorch(common.threads, a.seed);

  RasterExperimentInputs in;
  std::string crs;
  report.timed("stack", [&] {
    if (a.dataset == "synth2d") {
      const Dataset ds = loadDataset("synth2d", a.seed);
      const auto elements =
          a.elements.empty() ? std::vector<std::string>{} : splitList(a.elements, "--elements");
      in = synth2dRasterInputs(ds, a.cell > 0 ? a.cell : 100.0, elements,
                               parseGeochemTransform(a.transform, "--transform"));
      crs = ds.crsWkt;
      report.input("dataset", "synth2d");
      report.parameter("transform", a.transform);
    } else if (a.dataset == "murchison") {
      const Dataset ds = loadDataset("murchison");
      in = murchisonRasterInputs(ds, a.cell > 0 ? a.cell : 500.0);
      crs = ds.crsWkt;
      report.input("dataset", "murchison");
    } else {
      in.stack.raster = readRaster(a.stack);
      const SampleTable deposits = readDepositFile(a.deposits);
      for (std::size_t i = 0; i < deposits.size(); ++i) {
        // A label column splits known (1) from hidden (0, evaluation only) deposits.
        const bool knownDeposit = !deposits.hasLabels() || deposits.labels[i] != 0;
        (knownDeposit ? in.knownX : in.hiddenX).push_back(deposits.x[i]);
        (knownDeposit ? in.knownY : in.hiddenY).push_back(deposits.y[i]);
        if (!deposits.ids.empty())
          (knownDeposit ? in.knownIds : in.hiddenIds).push_back(deposits.ids[i]);
      }
      if (in.knownIds.size() != in.knownX.size()) in.knownIds.clear();
      if (in.hiddenIds.size() != in.hiddenX.size()) in.hiddenIds.clear();
      in.name = a.stack;
      crs = in.stack.raster.grid().crsWkt;
      report.input("stack", a.stack);
      report.input("deposits", a.deposits);
    }
    if (negativesFromFile) {
      const SampleTable neg = readDepositFile(a.negatives);
      in.negativeX = neg.x;
      in.negativeY = neg.y;
      report.input("negatives", a.negatives);
    }
  });
  const std::size_t cols = in.stack.grid().width, rows = in.stack.grid().height;
  if (std::size_t(a.window) > std::min(cols, rows))
    throw UsageError("--window: " + std::to_string(a.window) + " cells does not fit the stack (" +
                     std::to_string(cols) + " x " + std::to_string(rows) + " cells)");
  const auto channels = in.stack.channelNames();
  const bool hasAu = std::find(channels.begin(), channels.end(), a.auChannel) != channels.end();
  if (!negativesFromFile) {
    const std::string method = a.negatives == "auto" ? (hasAu ? "kmeans" : "random") : a.negatives;
    o.negatives.method = parseNegativeSampling(method, "--negatives");
    if (o.negatives.method == NegativeSampling::KMeans && !hasAu)
      throw UsageError("--negatives kmeans: the stack has no channel '" + a.auChannel +
                       "' (see --au-channel)");
    o.negatives.auChannel = a.auChannel;
    if (std::find(channels.begin(), channels.end(), o.negatives.faultDistanceChannel) ==
        channels.end())
      o.negatives.faultDistanceChannel.clear();
  }
  report.seed(a.seed);
  report.parameter("channels", channels);
  report.parameter("grid", {{"cols", in.stack.grid().width},
                            {"rows", in.stack.grid().height},
                            {"cell_m", in.stack.grid().cellWidth()}});
  report.parameter("models", o.models);
  report.parameter("protocols", a.protocol == "both" ? std::vector<std::string>{"spatial", "paper"}
                                                     : std::vector<std::string>{a.protocol});
  report.parameter("window", a.window);
  report.parameter("epochs", a.epochs);
  report.parameter("augment_copies", a.copies);
  report.parameter("spatial_folds", a.spatialFolds);
  report.parameter("folds", a.folds);
  report.parameter("block_size_m", a.blockSize);
  report.parameter("buffer_m", a.buffer);
  report.parameter("learning_rate", a.learningRate);
  report.parameter("standardisation",
                   "per channel, mean and sd of each fold's training area; maps: every valid cell");
  say(common, "raster: " + in.name + ", " + std::to_string(channels.size()) + " channels on " +
                  std::to_string(in.stack.grid().width) + " x " +
                  std::to_string(in.stack.grid().height) + " cells; " +
                  std::to_string(in.knownX.size()) + " known, " +
                  std::to_string(in.hiddenX.size()) + " hidden deposits");

  RasterExperimentResult res;
  report.timed("experiment", [&] { res = runRasterExperiment(in, o); });
  report.parameter("negatives", {{"rule", res.negativeRule},
                                 {"count", res.negatives},
                                 {"eligible_cells", res.negativeReport.eligible}});
  report.parameter("known_deposits_outside_grid", res.knownOutside);

  RasterPathOutputs outputs;
  report.timed("write",
               [&] { outputs = writeRasterOutputs(res, in, crs, out.string(), zoneRule, report); });
  for (const auto& line : rasterSummaryLines(res)) say(common, line);
  say(common, "raster: selected " + res.models[res.best].model + "; outputs in " + a.out);
  folder.keep();
}

void runPredict(const RasterArgs& a, const CommonOptions& common, RunReport& report) {
  if (a.model.empty() || a.stack.empty() || a.out.empty())
    throw UsageError(
        "raster predict needs --model DIR/model.pt, --stack STACK.tif and --out MAP.tif");
  checkOutputPath(a.out);
  if (!a.zones.empty()) checkOutputPath(a.zones);
  if (!a.shap.empty()) checkOutputPath(a.shap);
  const ZoneRule zoneRule = parseZoneRule(a.zonesBy, "--zones-by");
  configureTorch(common.threads, a.seed);
  RasterModel model;
  Raster stack;
  report.timed("load", [&] {
    model = RasterModel::load(a.model);
    stack = readRaster(a.stack);
  });
  report.input("model", a.model);
  report.input("stack", a.stack);
  for (const auto& c : model.channels())
    if (stack.bandIndex(c) < 0) {
      SourceLocation where;
      where.file = a.stack;
      where.value = c;
      throw DataError("the stack has no band '" + c + "' that the model was trained on", where);
    }
  Raster channels(stack.grid());  // the model's channels in its order, nothing else
  for (const auto& c : model.channels())
    channels.addBand(c, stack.band(c).values, stack.band(c).units);
  const SpatialIndex index = stackIndex(channels);
  RasterPredictOptions po;
  po.stride = rasterMapStride(stack.grid(), a.stride, a.mapWindows);
  po.progress = !common.quiet;
  RasterPrediction p;
  report.timed("predict", [&] { p = predictMap(model, index, model.channels(), po); });
  Raster prob(stack.grid());
  std::vector<float> values(p.probability.size(), kNodata);
  for (std::size_t i = 0; i < values.size(); ++i)
    if (p.valid[i] && std::isfinite(p.probability[i])) values[i] = p.probability[i];
  prob.addBand("probability", std::move(values));
  report.timed("write", [&] {
    writeGeoTiff(prob, a.out);
    report.output(a.out);
  });
  nlohmann::json result = {{"model", rasterModelName(model.kind())},
                           {"stride", po.stride},
                           {"windows", p.windows},
                           {"interpolated", p.interpolated},
                           {"seconds", p.seconds}};
  if (!a.zones.empty()) {
    RasterZoneOptions zo;
    zo.rule = zoneRule;
    const auto zones = rasterZones(prob, zo);
    writePolygons(zonePolygons(zones), a.zones, zoneAttributes(zones), stack.grid().crsWkt,
                  zoneDepositIds(zones));
    report.output(a.zones);
    result["zones"] = zones.size();
  }
  if (!a.shap.empty()) {
    // Windows of the highest-scoring cells against random valid-cell windows.
    const RasterShap shap =
        explainTopCells(model, index, prob, a.shapWindows, 16, a.seed, a.shapSamples);
    writeTextFileAtomic(a.shap, shapCsv(shap));
    report.output(a.shap);
    result["shap_ranking"] = nlohmann::json::array();
    for (auto c : shap.ranking)
      result["shap_ranking"].push_back(
          {{"channel", shap.channels[c]}, {"mean_abs", shap.meanAbs[c]}});
  }
  report.result("prediction", result);
  report.seed(a.seed);
  say(common, "predicted " + std::to_string(p.windows) + " windows (stride " +
                  std::to_string(po.stride) + ") in " + fixed(p.seconds, 1) + " s -> " +
                  a.out);
}

}  // namespace

void addRasterCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<RasterArgs>();
  auto* app = root.add_subcommand(
      "raster",
      "SSGSNet raster path: train SSGSNet and its baselines on windows of a channel stack (paper "
      "or spatial "
      "protocol), predict prospectivity maps, A/B/C target zones and SHAP rankings");
  command.app = app;
  app->add_option("action", args->action, "train or predict")
      ->required()
      ->check(CLI::IsMember({"train", "predict"}));
  app->add_option("--dataset", args->dataset,
                  "train: embedded data, synth2d (IDW geochemistry + fault buffers, "
                  "hidden deposits) or murchison (faults, greenstone, 255 gold deposits)");
  app->add_option("--stack", args->stack,
                  "train/predict: channel stack GeoTIFF (one band per channel)");
  app->add_option("--deposits", args->deposits,
                  "train with --stack: known deposits, CSV (x, y[, id][, label]) or "
                  "GeoJSON/GPKG points; label 0 = hidden (evaluation only)");
  app->add_option("--negatives", args->negatives,
                  "train: kmeans (paper sec. 2.4), random, auto (kmeans when the stack "
                  "has the Au channel) or a file of negative points")
      ->capture_default_str();
  app->add_option("--au-channel", args->auChannel, "train: the Au channel of kmeans negatives")
      ->capture_default_str();
  app->add_option("--model", args->model,
                  "train: ssgsnet, resnet, vit, dualbranch, rf, a comma list or all; "
                  "predict: the model file (DIR/model.pt)")
      ->capture_default_str();
  app->add_option("--pretrain", args->pretrain,
                  "train: simclr adds the contrastive-pretraining comparison (SSGSNet "
                  "encoder: scratch vs SimCLR probe vs fine-tuning at --label-fractions)")
      ->capture_default_str();
  app->add_option("--label-fractions", args->labelFractions,
                  "train: label shares of the pretraining comparison")
      ->capture_default_str();
  app->add_option("--pretrain-epochs", args->pretrainEpochs, "train: SimCLR epochs (0 = --epochs)")
      ->capture_default_str()
      ->check(nonNegative());
  app->add_option("--unlabelled", args->unlabelled,
                  "train: unlabelled windows of the stack for SimCLR")
      ->capture_default_str();
  app->add_option("--window", args->window,
                  "train: window size k in cells (>= 16, a multiple of 4)")
      ->capture_default_str();
  app->add_option("--protocol", args->protocol,
                  "train: spatial (honest: folds of whole areas, no test-deposit window "
                  "in training), paper (augment, then random 80/20: leaky) or both")
      ->capture_default_str()
      ->check(CLI::IsMember({"spatial", "paper", "both"}));
  app->add_option("--spatial-folds", args->spatialFolds,
                  "train: blocks (spatial blocks) or lodo "
                  "(leave one deposit out)")
      ->capture_default_str();
  app->add_option("--folds", args->folds, "train: spatial block folds")
      ->capture_default_str()
      ->check(inRange(2, 100));
  app->add_option("--block-size", args->blockSize, "train: spatial block side (m)")
      ->capture_default_str()
      ->check(positive());
  app->add_option("--buffer", args->buffer,
                  "train: spatial: training windows within this gap (m) of a test window "
                  "are dropped")
      ->capture_default_str()
      ->check(nonNegative());
  app->add_option("--copies", args->copies,
                  "train: augmented copies per window (8 symmetries + noise)")
      ->capture_default_str()
      ->check(inRange(1, 64));
  app->add_option("--negative-ratio", args->negativeRatio, "train: drawn negatives per positive")
      ->capture_default_str()
      ->check(positive());
  app->add_option("--epochs", args->epochs, "train: epochs")
      ->capture_default_str()
      ->check(inRange(1, 100000));
  app->add_option("--lr", args->learningRate, "train: Adam learning rate")
      ->capture_default_str()
      ->check(positive());
  app->add_option("--bootstrap", args->bootstrap, "train: bootstrap replicates of the AUC interval")
      ->capture_default_str()
      ->check(inRange(0, 100000));
  app->add_option("--seed", args->seed, "Seed of data, negatives, splits, training and SHAP")
      ->capture_default_str();
  app->add_option("--cell", args->cell,
                  "train, dataset: stack cell size in m (0 = synth2d 100, murchison 500)")
      ->capture_default_str()
      ->check(nonNegative());
  app->add_option("--elements", args->elements,
                  "train, synth2d: elements of the stack (default: the paper's 14, B and "
                  "F standing in for Co and Li)");
  app->add_option("--transform", args->transform,
                  "train, synth2d: log10 or clr of the samples before IDW")
      ->capture_default_str();
  app->add_option("--stride", args->stride,
                  "map stride in cells (lattice scored, bilinear in between); 0 = auto")
      ->capture_default_str();
  app->add_option("--map-windows", args->mapWindows,
                  "auto stride: at most this many windows scored per map")
      ->capture_default_str()
      ->check(positive());
  app->add_option("--shap-windows", args->shapWindows, "windows explained by SHAP (0 = none)")
      ->capture_default_str();
  app->add_option("--shap-samples", args->shapSamples,
                  "expected-gradients draws per explained window")
      ->capture_default_str()
      ->check(positive());
  app->add_option("--zones-by", args->zonesBy,
                  "A/B/C zones: thresholds (paper: 0.95/0.90/0.85) or percentiles "
                  "(top 1/5/10 % of the area)")
      ->capture_default_str();
  app->add_option("--out", args->out, "train: output folder; predict: the prospectivity GeoTIFF");
  app->add_option("--zones", args->zones, "predict: A/B/C target zones (GeoPackage)");
  app->add_option("--shap", args->shap,
                  "predict: mean |SHAP| per channel of the top-scoring windows (CSV)");

  command.run = [args, &common = command.common](RunReport& report) {
    if (args->action == "train") {
      runTrain(*args, common, report);
    } else {
      runPredict(*args, common, report);
    }
  };
}

}  // namespace orevox::cli
