// orevox graph: the ResGNN graph path (resgnn-pangxidong-2024): element-correlation graphs,
// ResGCN/ResGAT and baselines cross-validated under the paper or the spatial protocol,
// a JSON report, a Markdown table (--model all) and prospect zones (GeoPackage).
#include <cmath>
#include <fstream>

#include "../command.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/datasets/embedded.hpp"
#include "orevox/datasets/vector_io.hpp"
#include "orevox/geomodel/atomic_file.hpp"
#include "orevox/geomodel/error.hpp"
#include "orevox/learning/prospect_zones.hpp"
#include "orevox/learning/torch/graph_experiment.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"

namespace orevox::cli {

namespace {

struct GraphArgs {
  std::string dataset, samples, label, elements, x = "x", y = "y";
  std::string model = "resgcn", graph = "global", alpha = "0.6", oversample = "gan", protocol = "spatial";
  std::string out;
  int folds = 10, epochs = 30, bootstrap = 200;
  std::uint64_t seed = 1;
  double blockSize = 0.0, zoneCell = 250.0, zoneRadius = 1000.0;
  std::size_t localK = 24;
};

nlohmann::json metricsJson(const BinaryMetrics& m) {
  auto num = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
  return {{"accuracy", num(m.accuracy)},       {"sensitivity", num(m.sensitivity)},
          {"specificity", num(m.specificity)}, {"precision", num(m.precision)},
          {"f1", num(m.f1)},                   {"auc", num(m.auc)}};
}

nlohmann::json runJson(const ModelRun& r) {
  nlohmann::json j;
  j["model"] = r.model;
  j["protocol"] = protocolName(r.protocol);
  j["leaky"] = r.leaky;
  j["graph_mode"] = graphModeName(r.graphMode);
  j["alpha"] = r.alpha;
  j["oversampler"] = oversamplerName(r.oversampler);
  j["seed"] = r.seed;
  j["folds"] = r.folds;
  if (r.protocol == Protocol::Spatial) j["block_size_m"] = r.blockSize;
  j["metrics"] = metricsJson(r.mean);
  j["metrics_sd"] = metricsJson(r.sd);
  nlohmann::json pooled = metricsJson(r.pooled);
  pooled["auc_ci95"] = {r.pooled.aucLow, r.pooled.aucHigh};
  const auto& c = r.pooled.confusion;
  pooled["confusion"] = {{"tp", c.tp}, {"fn", c.fn}, {"tn", c.tn}, {"fp", c.fp}};
  j["pooled"] = pooled;
  nlohmann::json folds = nlohmann::json::array();
  for (const auto& m : r.foldMetrics) {
    nlohmann::json f = metricsJson(m);
    f["confusion"] = {{"tp", m.confusion.tp}, {"fn", m.confusion.fn}, {"tn", m.confusion.tn}, {"fp", m.confusion.fp}};
    folds.push_back(f);
  }
  j["per_fold"] = folds;
  j["synthetic_rows"] = r.syntheticRows;
  if (!r.firstFoldLoss.empty()) j["fold0_epoch_loss"] = r.firstFoldLoss;
  j["seconds"] = r.seconds;
  return j;
}

}  // namespace

void addGraphCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<GraphArgs>();
  auto* app = root.add_subcommand("graph", "ResGNN graph path: element-correlation graphs, ResGCN/ResGAT and baselines, "
                                           "cross-validated under the spatial or the paper protocol");
  command.app = app;
  app->add_option("--dataset", args->dataset, "Embedded dataset (synth2d)");
  app->add_option("--samples", args->samples, "Sample CSV (x, y, element columns in ppm, a 0/1 label)")
      ->check(CLI::ExistingFile);
  app->add_option("--label", args->label, "Label column of --samples (1 = ore-bearing)");
  app->add_option("--elements", args->elements, "Element columns, comma separated (the graph nodes)");
  app->add_option("--x", args->x, "Easting column of --samples")->capture_default_str();
  app->add_option("--y", args->y, "Northing column of --samples")->capture_default_str();
  app->add_option("--model", args->model,
                  "resgcn, resgat, gcn, gat, gin, sage, diffpool, svm, rf, xgb, knn, kmeans, ae or all")
      ->capture_default_str();
  app->add_option("--graph", args->graph, "Graph mode: global (one topology from the training samples) or local "
                                          "(each sample's k-nearest-neighbour correlation)")
      ->capture_default_str()->check(CLI::IsMember({"global", "local"}));
  app->add_option("--alpha", args->alpha, "Edge threshold |r| > alpha, or 'auto' (largest grid alpha keeping the "
                                          "graph connected)")->capture_default_str();
  app->add_option("--oversample", args->oversample, "gan, vae, smote, noise, weights or none")
      ->capture_default_str()->check(CLI::IsMember({"gan", "vae", "smote", "noise", "weights", "none"}));
  app->add_option("--protocol", args->protocol, "spatial (honest: block folds, oversampling inside training folds) "
                                                "or paper (oversample then random folds: leaky)")
      ->capture_default_str()->check(CLI::IsMember({"spatial", "paper"}));
  app->add_option("--folds", args->folds, "Cross-validation folds")->capture_default_str()->check(CLI::Range(2, 100));
  app->add_option("--seed", args->seed, "Seed of data, splits, oversampling and training")->capture_default_str();
  app->add_option("--epochs", args->epochs, "Training epochs of the graph networks (generators: 10x)")
      ->capture_default_str()->check(CLI::Range(1, 100000));
  app->add_option("--block-size", args->blockSize,
                  "Spatial block side in metres (0 = max(label variogram range, 5000))")->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app->add_option("--local-k", args->localK, "Neighbours of the local graph mode")->capture_default_str();
  app->add_option("--bootstrap", args->bootstrap, "Bootstrap replicates of the AUC interval")->capture_default_str();
  app->add_option("--zone-cell", args->zoneCell, "Prospect-zone grid cell (m)")->capture_default_str();
  app->add_option("--zone-radius", args->zoneRadius, "Prospect-zone density radius (m)")->capture_default_str();
  app->add_option("--out", args->out, "Output folder (table, zones, scores)");

  command.run = [args, &common = command.common](RunReport& report) {
    if (args->dataset.empty() == args->samples.empty()) throw UsageError("graph: give exactly one of --dataset and --samples");
    if (!args->out.empty()) makeDirectories(args->out);
    GraphExperimentOptions o;
    o.graphMode = parseGraphMode(args->graph);
    if (args->alpha == "auto") {
      o.autoAlpha = true;
    } else {
      const auto a = parseNumbers(args->alpha, "--alpha");
      if (a.size() != 1 || !(a[0] >= 0 && a[0] < 1)) throw UsageError("--alpha: '" + args->alpha + "' is not in [0, 1) or auto");
      o.alpha = a[0];
    }
    o.oversampler = parseOversampler(args->oversample);
    o.protocol = parseProtocol(args->protocol);
    o.folds = args->folds;
    o.seed = args->seed;
    o.blockSize = args->blockSize;
    o.localK = args->localK;
    o.bootstrap = args->bootstrap;
    o.train.epochs = args->epochs;
    o.generator.epochs = 10 * args->epochs;
    o.classical.threads = common.threads;
    configureTorch(common.threads, args->seed);

    SampleTable samples, deposits;
    std::vector<std::string> elements;
    std::string name;
    if (!args->dataset.empty()) {
      if (args->dataset != "synth2d") throw UsageError("--dataset: only synth2d carries ore-bearing labels, got '" + args->dataset + "'");
      const Dataset ds = loadDataset(args->dataset, args->seed);
      samples = ds.samples;
      deposits = ds.deposits;
      elements = {"Au", "B", "Sn", "Cu", "Ag", "Ba", "Mn", "Pb", "Zn", "As", "Sb", "Bi", "Hg", "Mo", "W", "F"};
      name = "synth2d (seed " + std::to_string(args->seed) + ")";
      report.input("dataset", args->dataset);
    } else {
      if (args->label.empty() || args->elements.empty()) throw UsageError("--samples needs --label and --elements");
      CsvOptions csv;
      csv.xColumn = args->x;
      csv.yColumn = args->y;
      csv.labelColumn = args->label;
      csv.columns = splitList(args->elements, "--elements");
      samples = readSamplesCsv(args->samples, csv);
      elements = csv.columns;
      name = args->samples;
      report.input("samples", args->samples);
    }
    GraphData data;
    report.timed("prepare", [&] { data = prepareGraphData(samples, elements, o, name); });
    report.parameter("elements", elements);
    report.parameter("graph_mode", args->graph);
    report.parameter("alpha", data.alpha);
    report.parameter("alpha_rule", o.autoAlpha ? "adaptive (largest grid alpha keeping the graph connected)" : "fixed");
    report.parameter("oversampler", args->oversample);
    report.parameter("protocol", args->protocol);
    report.parameter("folds", args->folds);
    report.parameter("epochs", args->epochs);
    report.parameter("label_variogram_range_m", data.labelRange);
    report.parameter("block_size_m", data.blockSize);
    report.seed(args->seed);

    std::vector<std::string> models;
    if (args->model == "all") {
      models = graphExperimentModels();
    } else {
      models = splitList(args->model, "--model");
    }
    std::vector<Protocol> protocols{o.protocol};
    if (args->model == "all") protocols = {Protocol::Spatial, Protocol::Paper};
    std::vector<ModelRun> runs;
    nlohmann::json runsJson = nlohmann::json::array();
    for (Protocol p : protocols) {
      GraphExperimentOptions po = o;
      po.protocol = p;
      for (const auto& m : models) {
        ModelRun run = runGraphModel(data, m, po);
        say(common, std::string("graph ") + m + " [" + protocolName(p) + (run.leaky ? ", leaky" : "") + "]: accuracy " +
                        std::to_string(run.mean.accuracy) + ", sensitivity " + std::to_string(run.mean.sensitivity) +
                        ", specificity " + std::to_string(run.mean.specificity) + ", F1 " + std::to_string(run.mean.f1) +
                        ", AUC " + std::to_string(run.pooled.auc) + " (" + std::to_string(run.seconds) + " s)");
        runsJson.push_back(runJson(run));
        runs.push_back(std::move(run));
      }
    }
    report.result("runs", runsJson);
    if (runs.size() == 1) report.json()["metrics"] = runsJson[0]["metrics"];

    if (!args->out.empty()) {
      const std::string table = "# Graph path on " + name + "\n\nFold mean ± sd (%); " + std::to_string(o.folds) +
                                " folds; spatial blocks of " + std::to_string(data.blockSize) +
                                " m (label variogram range " + std::to_string(data.labelRange) +
                                " m). Paper rows oversample before splitting (leaky).\n\n" + graphRunsTable(runs);
      writeTextFileAtomic(args->out + "/graph_table.md", table);
      report.output(args->out + "/graph_table.md");
      // Prospect zones (ResGNN sec. 5.3) from the out-of-fold predictions of the first
      // spatial run of the preferred model (resgat, resgcn, else the first).
      const ModelRun* zoneRun = nullptr;
      for (const char* pref : {"resgat", "resgcn"})
        for (const auto& r : runs)
          if (!zoneRun && r.model == pref && r.protocol == Protocol::Spatial) zoneRun = &r;
      for (const auto& r : runs)
        if (!zoneRun && r.protocol == Protocol::Spatial) zoneRun = &r;
      if (zoneRun) {
        std::vector<int> predicted;
        for (double s : zoneRun->scores) predicted.push_back(!std::isnan(s) && s >= 0.5 ? 1 : 0);
        ProspectZoneOptions zo;
        zo.cellSize = args->zoneCell;
        zo.radius = args->zoneRadius;
        const auto zones = prospectZones(samples.x, samples.y, predicted, samples.extent(), zo, deposits.x, deposits.y,
                                         deposits.ids);
        PolygonSet polys;
        std::vector<double> area, density, count, ndep;
        nlohmann::json zj = nlohmann::json::array();
        std::size_t hiddenIn = 0, hidden = 0;
        for (std::size_t i = 0; i < deposits.size(); ++i) hidden += deposits.hasLabels() && deposits.labels[i] == 0;
        for (const auto& z : zones) {
          polys.push_back(z.polygon);
          area.push_back(z.area);
          density.push_back(z.peakDensity);
          count.push_back(double(z.predictedSamples));
          ndep.push_back(double(z.deposits.size()));
          zj.push_back({{"name", z.polygon.name}, {"class", std::string(1, z.zoneClass)}, {"area_m2", z.area},
                        {"peak_density_per_km2", z.peakDensity}, {"predicted_samples", z.predictedSamples},
                        {"deposits", z.deposits}});
          for (const auto& id : z.deposits)
            for (std::size_t i = 0; i < deposits.size(); ++i)
              if (deposits.ids[i] == id && deposits.hasLabels() && deposits.labels[i] == 0) ++hiddenIn;
        }
        if (!polys.empty()) {
          writePolygons(polys, args->out + "/prospect_zones.gpkg",
                        {{"area_m2", area}, {"peak_density", density}, {"predicted", count}, {"deposits", ndep}},
                        samples.crsWkt);
          report.output(args->out + "/prospect_zones.gpkg");
        }
        report.result("zones", {{"model", zoneRun->model}, {"zones", zj}, {"hidden_deposits", hidden},
                                {"hidden_deposits_in_zones", hiddenIn}});
        say(common, "prospect zones from " + zoneRun->model + ": " + std::to_string(zones.size()) + " zones, " +
                        std::to_string(hiddenIn) + " of " + std::to_string(hidden) + " hidden deposits inside");
      }
    }
  };
}

}  // namespace orevox::cli
