// The raster path's study: options, inputs, the experiment, the output folder and the report
// (see raster_study.hpp). No torch header: the networks are reached through
// raster_experiment.hpp, files through the datasets module.
#include "orevox/learning/torch/raster_study.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/datasets/crs.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/datasets/raster_io.hpp"
#include "orevox/datasets/vector_io.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"

namespace orevox {

namespace {

namespace fs = std::filesystem;

std::string fixedText(double v, int digits = 3) {
  if (!std::isfinite(v)) return "n/a";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
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
          {"curve_auc", jsonNumber(m.curve.auc)},
          {"capture_top5", jsonNumber(m.captureTop5)},
          {"capture_top10", jsonNumber(m.captureTop10)},
          {"capture_top20", jsonNumber(m.captureTop20)}};
}

}  // namespace

nlohmann::json jsonNumber(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

void RasterStudy::declare(OptionSet& set) {
  set.add("dataset", dataset,
          "Embedded data: synth2d (IDW geochemistry + fault buffers, hidden deposits) or "
          "murchison (faults, greenstone, 255 gold deposits)")
      .choices({"synth2d", "murchison"});
  set.add("stack", stack, "Channel stack GeoTIFF (one band per channel)").placeholder("FILE");
  set.add("deposits", deposits,
          "With --stack: known deposits, CSV (x, y[, id][, label]) or GeoJSON/GPKG points; label "
          "0 = hidden (evaluation only)")
      .placeholder("FILE");
  set.add("negatives", negatives,
          "kmeans (paper sec. 2.4), random, auto (kmeans when the stack has the Au channel) or a "
          "file of negative points");
  set.add("au-channel", auChannel, "The Au channel of kmeans negatives");
  set.add("model", models, "Models to run, a comma list")
      .choices(rasterExperimentModels(), {"all"});
  set.add("pretrain", pretrain,
          "simclr adds the contrastive-pretraining comparison (SSGSNet encoder: scratch vs SimCLR "
          "probe vs fine-tuning at --label-fractions)")
      .choices({"none", "simclr"});
  set.add("pretrain-epochs", pretrainEpochs, "SimCLR epochs (0 = --epochs)").nonNegative();
  set.add("protocol", protocol,
          "spatial (honest: folds of whole areas, no test-deposit window in training), paper "
          "(augment, then random 80/20: leaky) or both")
      .choices({"spatial", "paper", "both"});
  experiment.declare(set);
  set.add("cell", cell, "Dataset: stack cell size (0 = synth2d 100, murchison 500)")
      .units("m")
      .nonNegative();
  set.add("elements", elements,
          "synth2d: elements of the stack (default: the paper's 14, B and F standing in for Co "
          "and Li)");
  set.add("transform", transform, geochemTransformNames(),
          "synth2d: transform of the samples before IDW");
  set.add("zones-by", zonesBy,
          "A/B/C zones: thresholds (paper: 0.95/0.90/0.85) or percentiles (top 1/5/10 % of the "
          "area)")
      .choices({"thresholds", "percentiles"});
  set.add("out", out, "Output folder").required().placeholder("DIR");
}

nlohmann::json writeRasterZones(const std::vector<RasterZone>& zones, const Raster& probability,
                                const RasterZoneOptions& options, const std::string& crsWkt,
                                const std::string& gpkg, const std::string& csv) {
  if (!csv.empty()) writeTextFileAtomic(csv, zonesCsv(zones));
  if (!gpkg.empty() && !zones.empty())
    writePolygons(zonePolygons(zones), gpkg, zoneAttributes(zones), crsWkt, zoneDepositIds(zones));
  nlohmann::json zj = nlohmann::json::array();
  for (const auto& z : zones)
    zj.push_back({{"name", z.polygon.name},
                  {"class", std::string(1, z.zoneClass)},
                  {"cells", z.cells},
                  {"area_m2", z.area},
                  {"mean_probability", z.meanProbability},
                  {"max_probability", z.maxProbability},
                  {"deposits", z.deposits}});
  const auto th = zoneThresholds(probability, options);
  return {
      {"rule", zoneRuleName(options.rule)}, {"thresholds", {th[0], th[1], th[2]}}, {"zones", zj}};
}

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
      nlohmann::json metrics = {
          {"auc", jsonNumber(e.metrics.auc)},
          {"auc_ci95", {jsonNumber(e.metrics.aucLow), jsonNumber(e.metrics.aucHigh)}},
          {"accuracy", jsonNumber(e.metrics.accuracy)},
          {"f1", jsonNumber(e.metrics.f1)}};
      if (e.oofMap.cells > 0) {
        // The out-of-fold map itself, so the figure can be checked outside orevox.
        const fs::path tif = out / ("oof_" + m.model + ".tif");
        Raster oof(m.probability.grid());
        std::vector<float> values(e.oofScores.size(), kNodata);
        for (std::size_t i = 0; i < values.size(); ++i)
          if (std::isfinite(e.oofScores[i])) values[i] = float(e.oofScores[i]);
        oof.addBand("oof_probability", std::move(values));
        writeGeoTiff(oof, tif.string());
        wrote(tif);
        metrics["oof_map_file"] = tif.string();
        metrics["oof_map_auc"] = jsonNumber(e.oofMap.auc);
        metrics["oof_map_auc_ci95"] = {jsonNumber(e.oofMap.low), jsonNumber(e.oofMap.high)};
        metrics["oof_map_cells"] = e.oofMap.cells;
        metrics["oof_map_deposit_cells"] = e.oofMap.positives;
      }
      if (m.hasMap) {
        metrics["capture_top5"] = jsonNumber(cap.captureTop5);
        metrics["capture_top10"] = jsonNumber(cap.captureTop10);
        metrics["capture_top20"] = jsonNumber(cap.captureTop20);
        metrics["capture_of"] = m.hasHidden ? "hidden deposits" : "known deposits";
        metrics["success_rate_auc"] = jsonNumber(m.success.curve.auc);
        if (m.hasHidden) metrics["prediction_rate_auc"] = jsonNumber(m.prediction.curve.auc);
      }
      runs.push_back({{"model", m.model},
                      {"protocol", protocolName(e.protocol)},
                      {"leaky", e.leaky},
                      {"seed", res.seed},
                      {"metrics", metrics},
                      {"paper_auc", jsonNumber(paperReportedAuc(m.model))},
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
    if (!zones.empty()) o.zonesGpkg = wrote(out / "zones.gpkg");
    selected["zones"] =
        writeRasterZones(zones, best.probability, zo, crsWkt, o.zonesGpkg, o.zonesCsv);
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
                    {"auc", jsonNumber(r.metrics.auc)},
                    {"auc_ci95", {jsonNumber(r.metrics.aucLow), jsonNumber(r.metrics.aucHigh)}},
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
        std::isfinite(paperAuc) ? " (paper: " + fixedText(paperAuc, 4) + ")" : std::string();
    for (const auto& e : m.evaluations)
      lines.push_back(
          res.name + " " + m.model + " [" + protocolName(e.protocol) + (e.leaky ? ", leaky" : "") +
          "]: window AUC " + fixedText(e.metrics.auc) + " [" + fixedText(e.metrics.aucLow) + ", " +
          fixedText(e.metrics.aucHigh) + "]" + paper +
          (e.oofMap.cells > 0 ? ", out-of-fold map AUC " + fixedText(e.oofMap.auc) + " [" +
                                    fixedText(e.oofMap.low) + ", " + fixedText(e.oofMap.high) + "]"
                              : std::string()) +
          (m.hasMap ? std::string(", capture top 10% of ") + (m.hasHidden ? "hidden" : "known") +
                          " deposits " + fixedText(m.captureTop10())
                    : std::string()));
  }
  for (const auto& r : res.pretraining)
    lines.push_back(res.name + " pretraining " + r.variant + " at " +
                    fixedText(100 * r.labelFraction, 0) + "% labels: window AUC " +
                    fixedText(r.metrics.auc) + " [" + fixedText(r.metrics.aucLow) + ", " +
                    fixedText(r.metrics.aucHigh) + "]");
  return lines;
}

void runRasterStudy(const RasterStudy& a, const StudyContext& common, RunReport& report) {
  if (a.dataset.empty() == a.stack.empty())
    throw UsageError(
        "raster train: give either --dataset synth2d|murchison or --stack STACK.tif with "
        "--deposits");
  if (!a.stack.empty() && a.deposits.empty())
    throw UsageError("--stack needs --deposits FILE (known deposits)");

  RasterExperimentOptions o = a.experiment;
  o.models.clear();
  const auto names = rasterExperimentModels();
  for (const auto& m : a.models) {
    if (m == "all") {
      o.models = names;
      break;
    }
    o.models.push_back(m);
  }
  if (a.protocol == "both") {
    o.protocols = {Protocol::Spatial, Protocol::Paper};
  } else {
    o.protocols = {parseProtocol(a.protocol)};
  }
  if (a.experiment.window % o.net.patch != 0)
    throw UsageError("--window: " + std::to_string(a.experiment.window) +
                     " is not a multiple of the ViT patch (" + std::to_string(o.net.patch) +
                     " cells)");
  o.classical.threads = common.threads;
  o.progress = !common.quiet;
  o.pretrain = a.pretrain == "simclr";
  o.simclr.epochs = a.pretrainEpochs > 0 ? a.pretrainEpochs : o.train.epochs;
  const ZoneRule zoneRule = parseZoneRule(a.zonesBy, "--zones-by");
  const bool negativesFromFile =
      a.negatives != "auto" && a.negatives != "kmeans" && a.negatives != "random";

  // Every output path is checked before the long work starts.
  OutputFolder folder(a.out);  // removed again if the run fails
  const fs::path out(a.out);
  std::vector<std::string> planned{"comparison.md", "prospectivity.tif", "zones.gpkg", "zones.csv",
                                   "shap.csv",      "model.pt",          "model.json"};
  if (o.pretrain) planned.push_back("pretraining.md");
  if (!a.dataset.empty()) planned.push_back("stack.tif");  // the stack the run built
  for (const auto& m : o.models) {
    planned.push_back("prospectivity_" + m + ".tif");
    planned.push_back("oof_" + m + ".tif");
    if (m != "rf") planned.push_back(m + ".pt");
  }
  for (const auto& f : planned) checkOutputPath((out / f).string());
  configureTorch(common.threads, o.seed);

  RasterExperimentInputs in;
  std::string crs;
  report.timed("stack", [&] {
    if (a.dataset == "synth2d") {
      const Dataset ds = loadDataset("synth2d", o.seed);
      in = synth2dRasterInputs(ds, a.cell > 0 ? a.cell : 100.0, a.elements, a.transform);
      crs = ds.crsWkt;
      report.input("dataset", "synth2d");
      report.parameter("transform", geochemTransformName(a.transform));
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
  // Distances are lengths in the stack's CRS unit (refused for degrees); the automatic ones
  // are resolved here, from its cells, so that the report gives the figures in use.
  requireLinearCrs(crs, "raster train's distances (negatives, spatial blocks)",
                   a.stack.empty() ? a.dataset : a.stack);
  o.split.blockSize = o.split.blockSide(in.stack.grid());
  o.negatives.minDepositDistance = o.negatives.depositDistance(in.stack.grid());
  o.negatives.minFaultDistance = o.negatives.faultDistance(in.stack.grid());
  const std::size_t cols = in.stack.grid().width, rows = in.stack.grid().height;
  if (std::size_t(o.window) > std::min(cols, rows))
    throw UsageError("--window: " + std::to_string(o.window) + " cells does not fit the stack (" +
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
  report.seed(o.seed);
  report.parameter("channels", channels);
  report.parameter("grid", {{"cols", in.stack.grid().width},
                            {"rows", in.stack.grid().height},
                            {"cell_m", in.stack.grid().cellWidth()}});
  report.parameter("models", o.models);
  report.parameter("protocols", a.protocol == "both" ? std::vector<std::string>{"spatial", "paper"}
                                                     : std::vector<std::string>{a.protocol});
  report.parameter("window", o.window);
  report.parameter("epochs", o.train.epochs);
  report.parameter("augment_copies", o.split.augment.copies);
  report.parameter("spatial_folds", spatialFoldsName(o.split.spatialFolds));
  report.parameter("folds", o.split.folds);
  report.parameter("block_size_m", o.split.blockSize);
  report.parameter("buffer_m", o.split.buffer);
  report.parameter("min_deposit_distance", o.negatives.minDepositDistance);
  report.parameter("learning_rate", o.train.learningRate);
  report.parameter("standardisation",
                   "per channel, mean and sd of each fold's training area; maps: every valid cell");
  common.tell("raster: " + in.name + ", " + std::to_string(channels.size()) + " channels on " +
              std::to_string(in.stack.grid().width) + " x " +
              std::to_string(in.stack.grid().height) + " cells; " +
              std::to_string(in.knownX.size()) + " known, " + std::to_string(in.hiddenX.size()) +
              " hidden deposits");

  if (!a.dataset.empty()) {
    // What the run built, kept: `raster predict --stack DIR/stack.tif` applies to it.
    const std::string stackFile = (out / "stack.tif").string();
    writeGeoTiff(in.stack.raster, stackFile);
    report.output(stackFile);
    report.parameter("stack_file", stackFile);
  }

  RasterExperimentResult res;
  report.timed("experiment", [&] { res = runRasterExperiment(in, o); });
  report.parameter("negatives", {{"rule", res.negativeRule},
                                 {"count", res.negatives},
                                 {"eligible_cells", res.negativeReport.eligible}});
  report.parameter("known_deposits_outside_grid", res.knownOutside);

  RasterPathOutputs outputs;
  report.timed("write",
               [&] { outputs = writeRasterOutputs(res, in, crs, out.string(), zoneRule, report); });
  for (const auto& line : rasterSummaryLines(res)) common.tell(line);
  common.tell("raster: selected " + res.models[res.best].model + "; outputs in " + a.out);
  folder.keep();
}

}  // namespace orevox
