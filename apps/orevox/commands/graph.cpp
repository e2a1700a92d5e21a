// orevox graph: the ResGNN graph path (resgnn-pangxidong-2024): element-correlation graphs,
// ResGCN/ResGAT and baselines cross-validated under the paper or the spatial protocol,
// a JSON report, Markdown tables, the alpha sweep (Fig. 5), the oversampler comparison with
// confusion matrices (Fig. 6) and prospect zones (GeoPackage, sec. 5.3).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "../command.hpp"
#include "graph_path.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/datasets/embedded.hpp"
#include "orevox/datasets/vector_io.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"
#ifdef OREVOX_WITH_VIZ
#include "orevox/viz/charts.hpp"
#endif

namespace orevox::cli {

namespace {

struct GraphArgs {
  std::string dataset, samples, label, elements, x = "x", y = "y", deposits;
  std::string model = "resgcn", graph = "global", alpha = "0.6", oversample = "gan",
              protocol = "spatial";
  std::string folds = "10", buffer = "auto";
  std::string out;
  int epochs = 30, bootstrap = 200;
  std::uint64_t seed = 1;
  double blockSize = 0.0, lodoRadius = 3000.0, zoneCell = 250.0, zoneRadius = 1000.0;
  std::size_t localK = 24;
};

nlohmann::json metricsJson(const BinaryMetrics& m) {
  auto num = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
  return {{"accuracy", num(m.accuracy)},
          {"sensitivity", num(m.sensitivity)},
          {"specificity", num(m.specificity)},
          {"precision", num(m.precision)},
          {"f1", num(m.f1)},
          {"auc", num(m.auc)}};
}

std::string runLabel(const ModelRun& r) {
  return r.model + " [" + protocolName(r.protocol) + (r.lodo ? " LODO" : "") +
         (r.leaky ? ", leaky" : "") + "]";
}

#ifdef OREVOX_WITH_VIZ
bool haveDisplay() {
  const char* display = std::getenv("DISPLAY");
  return display && *display;
}
#endif

}  // namespace

std::string graphFixed(double value, int digits) {
  if (!std::isfinite(value)) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

nlohmann::json graphRunJson(const ModelRun& r) {
  nlohmann::json j;
  j["model"] = r.model;
  j["protocol"] = protocolName(r.protocol);
  j["leaky"] = r.leaky;
  j["graph_mode"] = graphModeName(r.graphMode);
  j["alpha"] = r.alpha;
  j["oversampler"] = oversamplerName(r.oversampler);
  j["seed"] = r.seed;
  j["folds"] = r.folds;
  j["fold_scheme"] = r.protocol == Protocol::Paper ? "stratified random"
                     : r.lodo                      ? "buffered leave-one-deposit-out"
                                                   : "spatial blocks";
  if (r.protocol == Protocol::Spatial && !r.lodo) j["block_size_m"] = r.blockSize;
  if (r.lodo) {
    j["lodo_radius_m"] = r.lodoRadius;
    j["lodo_buffer_m"] = r.lodoBuffer;
  }
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
    f["confusion"] = {{"tp", m.confusion.tp},
                      {"fn", m.confusion.fn},
                      {"tn", m.confusion.tn},
                      {"fp", m.confusion.fp}};
    folds.push_back(f);
  }
  j["per_fold"] = folds;
  j["synthetic_rows"] = r.syntheticRows;
  if (!r.firstFoldLoss.empty()) j["fold0_epoch_loss"] = r.firstFoldLoss;
  j["seconds"] = r.seconds;
  return j;
}

GraphZones graphProspectZones(const ModelRun& run, const SampleTable& samples,
                              const SampleTable& deposits, const ProspectZoneOptions& options,
                              const std::string& gpkg) {
  GraphZones g;
  std::vector<int> predicted;
  for (double s : run.scores) predicted.push_back(!std::isnan(s) && s >= 0.5 ? 1 : 0);
  g.zones = prospectZones(samples.x, samples.y, predicted, samples.extent(), options, deposits.x,
                          deposits.y, deposits.ids);
  std::vector<double> area, density, count, ndep;
  std::vector<std::string> ids;  // deposit ids per zone, joined with ";"
  nlohmann::json zj = nlohmann::json::array();
  for (std::size_t i = 0; i < deposits.size(); ++i)
    g.hidden += deposits.hasLabels() && deposits.labels[i] == 0;
  for (const auto& z : g.zones) {
    g.polygons.push_back(z.polygon);
    area.push_back(z.area);
    density.push_back(z.peakDensity);
    count.push_back(double(z.predictedSamples));
    ndep.push_back(double(z.deposits.size()));
    ids.emplace_back();
    for (const auto& id : z.deposits) ids.back() += (ids.back().empty() ? "" : ";") + id;
    zj.push_back({{"name", z.polygon.name},
                  {"class", std::string(1, z.zoneClass)},
                  {"area_m2", z.area},
                  {"peak_density_per_km2", z.peakDensity},
                  {"predicted_samples", z.predictedSamples},
                  {"deposits", z.deposits}});
    for (const auto& id : z.deposits)
      for (std::size_t i = 0; i < deposits.size(); ++i)
        if (deposits.ids[i] == id && deposits.hasLabels() && deposits.labels[i] == 0)
          ++g.hiddenInside;
  }
  if (!g.polygons.empty()) {
    writePolygons(
        g.polygons, gpkg,
        {{"area_m2", area}, {"peak_density", density}, {"predicted", count}, {"deposits", ndep}},
        samples.crsWkt, {{"deposit_ids", ids}});
  }
  g.json = {{"model", run.model},
            {"zones", zj},
            {"hidden_deposits", g.hidden},
            {"hidden_deposits_in_zones", g.hiddenInside}};
  return g;
}

void addGraphCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<GraphArgs>();
  auto* app = root.add_subcommand(
      "graph",
      "ResGNN graph path: element-correlation graphs, ResGCN/ResGAT and baselines, "
      "cross-validated under the spatial or the paper protocol");
  command.app = app;
  app->add_option("--dataset", args->dataset, "Embedded dataset (synth2d)");
  app->add_option("--samples", args->samples,
                  "Sample CSV (x, y, element columns in ppm, a 0/1 label)")
      ->check(CLI::ExistingFile);
  app->add_option("--label", args->label, "Label column of --samples (1 = ore-bearing)");
  app->add_option("--elements", args->elements,
                  "Element columns, comma separated (the graph nodes)");
  app->add_option("--x", args->x, "Easting column of --samples and --deposits")
      ->capture_default_str();
  app->add_option("--y", args->y, "Northing column of --samples and --deposits")
      ->capture_default_str();
  app->add_option("--deposits", args->deposits,
                  "Known-deposit CSV (x, y) for --folds lodo with --samples")
      ->check(CLI::ExistingFile);
  app->add_option("--model", args->model,
                  "resgcn, resgat, gcn, gat, gin, sage, diffpool, svm, rf, xgb, knn, kmeans, ae, a "
                  "comma list, or all "
                  "(every model under both protocols)")
      ->capture_default_str();
  app->add_option("--graph", args->graph,
                  "Graph mode: global (one topology from the training samples), local "
                  "(each sample's k-nearest-neighbour correlation) or both")
      ->capture_default_str()
      ->check(CLI::IsMember({"global", "local", "both"}));
  app->add_option("--alpha", args->alpha,
                  "Edge threshold |r| > alpha: a value or comma list in [0, 1), 'auto' "
                  "(largest grid alpha keeping the graph connected) or 'sweep' (0.2..0.8, "
                  "the paper's Fig. 5)")
      ->capture_default_str();
  app->add_option("--oversample", args->oversample,
                  "gan, vae, smote, noise, weights, none, a comma list, or all")
      ->capture_default_str();
  app->add_option("--protocol", args->protocol,
                  "spatial (honest: spatial folds, oversampling inside training folds) "
                  "or paper (oversample then random folds: leaky)")
      ->capture_default_str()
      ->check(CLI::IsMember({"spatial", "paper"}));
  app->add_option("--folds", args->folds,
                  "Cross-validation folds (2-100), or 'lodo': buffered leave-one-deposit-out "
                  "folds (spatial protocol)")
      ->capture_default_str();
  app->add_option(
         "--lodo-radius", args->lodoRadius,
         "lodo: test samples lie within this many metres of the deposit (larger than the label "
         "radius, so that barren samples are tested too)")
      ->capture_default_str()
      ->check(positive());
  app->add_option("--buffer", args->buffer,
                  "lodo: metres between any test sample and every training sample, or "
                  "'auto' (the label variogram range)")
      ->capture_default_str();
  app->add_option("--seed", args->seed, "Seed of data, splits, oversampling and training")
      ->capture_default_str();
  app->add_option("--epochs", args->epochs,
                  "Training epochs of the graph networks (generators: 10x)")
      ->capture_default_str()
      ->check(inRange(1, 100000));
  app->add_option("--block-size", args->blockSize,
                  "Spatial block side in metres (0 = max(label variogram range, 5000))")
      ->capture_default_str()
      ->check(nonNegative());
  app->add_option("--local-k", args->localK, "Neighbours of the local graph mode")
      ->capture_default_str();
  app->add_option("--bootstrap", args->bootstrap, "Bootstrap replicates of the AUC interval")
      ->capture_default_str();
  app->add_option("--zone-cell", args->zoneCell, "Prospect-zone grid cell (m)")
      ->capture_default_str();
  app->add_option("--zone-radius", args->zoneRadius, "Prospect-zone density radius (m)")
      ->capture_default_str();
  app->add_option("--out", args->out, "Output folder (tables, charts, zones)");

  command.run = [args, &common = command.common](RunReport& report) {
    if (args->dataset.empty() == args->samples.empty())
      throw UsageError("graph: give exactly one of --dataset and --samples");
    GraphExperimentOptions o;
    // Every swept dimension is a list: graph modes, alphas, oversamplers, protocols, models.
    std::vector<GraphMode> modes;
    if (args->graph == "both")
      modes = {GraphMode::Global, GraphMode::Local};
    else
      modes = {parseGraphMode(args->graph)};
    std::vector<double> alphas;
    if (args->alpha == "auto") {
      o.autoAlpha = true;
      alphas = {0.0};
    } else if (args->alpha == "sweep") {
      alphas = alphaGrid();
    } else {
      alphas = parseNumbers(args->alpha, "--alpha");
      for (double a : alphas)
        if (!(a >= 0 && a < 1))
          throw UsageError("--alpha: '" + args->alpha + "' is not in [0, 1), auto or sweep");
    }
    std::vector<Oversampler> oversamplers;
    if (args->oversample == "all") {
      oversamplers = {Oversampler::None, Oversampler::Noise, Oversampler::Smote,
                      Oversampler::Vae,  Oversampler::Gan,   Oversampler::Weights};
    } else {
      for (const auto& name : splitList(args->oversample, "--oversample"))
        oversamplers.push_back(parseOversampler(name));
    }
    o.protocol = parseProtocol(args->protocol);
    if (args->folds == "lodo") {
      o.lodo = true;
    } else {
      char* end = nullptr;
      const long k = std::strtol(args->folds.c_str(), &end, 10);
      if (args->folds.empty() || *end != '\0' || k < 2 || k > 100)
        throw UsageError("--folds: '" + args->folds + "' is not a fold count in [2, 100] or lodo");
      o.folds = int(k);
    }
    if (args->buffer != "auto") {
      const auto b = parseNumbers(args->buffer, "--buffer");
      if (b.size() != 1 || !(b[0] >= 0))
        throw UsageError("--buffer: '" + args->buffer + "' is not a distance >= 0 or auto");
      o.lodoBuffer = b[0];
    }
    o.lodoRadius = args->lodoRadius;
    o.seed = args->seed;
    o.blockSize = args->blockSize;
    o.localK = args->localK;
    o.bootstrap = args->bootstrap;
    o.train.epochs = args->epochs;
    o.generator.epochs = 10 * args->epochs;
    o.classical.threads = common.threads;
    std::vector<std::string> models;
    std::vector<Protocol> protocols{o.protocol};
    if (args->model == "all") {
      models = graphExperimentModels();
      protocols = {Protocol::Spatial, Protocol::Paper};
    } else {
      models = splitList(args->model, "--model");
      const auto known = graphExperimentModels();
      for (const auto& m : models)
        if (std::find(known.begin(), known.end(), m) == known.end())
          throw UsageError("--model: '" + m +
                           "' is not a model (resgcn, resgat, gcn, gat, gin, sage, diffpool, svm, "
                           "rf, xgb, knn, kmeans, ae, all)");
    }
    if (o.lodo &&
        std::find(protocols.begin(), protocols.end(), Protocol::Spatial) == protocols.end())
      throw UsageError("--folds lodo: needs the spatial protocol, got --protocol " +
                       args->protocol);
    OutputFolder folder(args->out);  // removed again if the run fails
    configureTorch(common.threads, args->seed);

    SampleTable samples, deposits;
    std::vector<std::string> elements;
    std::string name;
    if (!args->dataset.empty()) {
      if (args->dataset != "synth2d")
        throw UsageError("--dataset: only synth2d carries ore-bearing labels, got '" +
                         args->dataset + "'");
      const Dataset ds = loadDataset(args->dataset, args->seed);
      samples = ds.samples;
      deposits = ds.deposits;
      elements = {"Au", "B",  "Sn", "Cu", "Ag", "Ba", "Mn", "Pb",
                  "Zn", "As", "Sb", "Bi", "Hg", "Mo", "W",  "F"};
      name = "synth2d (seed " + std::to_string(args->seed) + ")";
      report.input("dataset", args->dataset);
    } else {
      if (args->label.empty() || args->elements.empty())
        throw UsageError("--samples needs --label and --elements");
      CsvOptions csv;
      csv.xColumn = args->x;
      csv.yColumn = args->y;
      csv.labelColumn = args->label;
      csv.columns = splitList(args->elements, "--elements");
      samples = readSamplesCsv(args->samples, csv);
      elements = csv.columns;
      name = args->samples;
      report.input("samples", args->samples);
      if (!args->deposits.empty()) {
        CsvOptions dcsv;
        dcsv.xColumn = args->x;
        dcsv.yColumn = args->y;
        deposits = readSamplesCsv(args->deposits, dcsv);
        deposits.labels.assign(deposits.size(), 1);  // listed deposits are known ones
        report.input("deposits", args->deposits);
      }
    }
    if (o.lodo && deposits.size() == 0)
      throw UsageError("--folds lodo: needs known deposits (--deposits FILE with --samples)");
    report.parameter("elements", elements);
    report.parameter("graph_mode", args->graph);
    report.parameter("alpha", args->alpha);
    report.parameter("alpha_rule", o.autoAlpha
                                       ? "adaptive (largest grid alpha keeping the graph connected)"
                                   : alphas.size() > 1 ? "sweep"
                                                       : "fixed");
    report.parameter("oversampler", args->oversample);
    report.parameter("protocol",
                     args->model == "all" ? std::string("spatial,paper") : args->protocol);
    report.parameter("folds", args->folds);
    report.parameter("epochs", args->epochs);
    report.seed(args->seed);

    std::vector<ModelRun> runs;
    nlohmann::json runsJson = nlohmann::json::array();
    GraphData first;
    for (GraphMode mode : modes) {
      for (double alpha : alphas) {
        GraphExperimentOptions go = o;
        go.graphMode = mode;
        if (!o.autoAlpha) go.alpha = alpha;
        GraphData data;
        report.timed("prepare", [&] { data = prepareGraphData(samples, elements, go, name); });
        for (std::size_t i = 0; i < deposits.size(); ++i) {
          if (deposits.hasLabels() && deposits.labels[i] != 1)
            continue;  // hidden deposits are never left out
          data.depositX.push_back(deposits.x[i]);
          data.depositY.push_back(deposits.y[i]);
        }
        if (runs.empty()) first = data;
        for (Oversampler over : oversamplers) {
          for (Protocol p : protocols) {
            GraphExperimentOptions po = go;
            po.protocol = p;
            po.oversampler = over;
            po.lodo = o.lodo && p == Protocol::Spatial;
            for (const auto& m : models) {
              ModelRun run = runGraphModel(data, m, po);
              say(common, "graph " + runLabel(run) + " " + graphModeName(mode) + " alpha " +
                              graphFixed(run.alpha, 2) + " " + oversamplerName(over) +
                              ": accuracy " + graphFixed(run.mean.accuracy) + ", sensitivity " +
                              graphFixed(run.mean.sensitivity) + ", specificity " +
                              graphFixed(run.mean.specificity) + ", F1 " + graphFixed(run.mean.f1) +
                              ", AUC " + graphFixed(run.pooled.auc) + " (" +
                              graphFixed(run.seconds, 1) + " s)");
              runsJson.push_back(graphRunJson(run));
              runs.push_back(std::move(run));
            }
          }
        }
      }
    }
    report.parameter("label_variogram_range_m", first.labelRange);
    report.parameter("block_size_m", first.blockSize);
    report.result("runs", runsJson);
    if (runs.size() == 1) report.json()["metrics"] = runsJson[0]["metrics"];
    if (args->out.empty()) return;

    const std::string scheme =
        o.lodo ? "buffered leave-one-deposit-out folds (test: samples within " +
                     graphFixed(o.lodoRadius, 0) +
                     " m of a known deposit; training: samples farther than " +
                     (o.lodoBuffer >= 0 ? graphFixed(o.lodoBuffer, 0)
                                        : graphFixed(first.labelRange, 0)) +
                     " m from every test sample)"
               : std::to_string(o.folds) + " folds; spatial blocks of " +
                     graphFixed(first.blockSize, 0) + " m (label variogram range " +
                     graphFixed(first.labelRange, 0) + " m)";
    const std::string table = "# Graph path on " + name + "\n\nFold mean ± sd (%); " + scheme +
                              "; " + std::to_string(args->epochs) +
                              " epochs. Paper rows oversample before splitting (leaky).\n\n" +
                              graphRunsTable(runs);
    writeTextFileAtomic(args->out + "/graph_table.md", table);
    report.output(args->out + "/graph_table.md");
#ifdef OREVOX_WITH_VIZ
    const bool render = haveDisplay();
    if (!render && (alphas.size() > 1 || oversamplers.size() > 1))
      say(common, "  no display: charts skipped (run under xvfb-run -a to get them)");
#endif

    // The alpha sweep (ResGNN Fig. 5): F1 (fold mean) and pooled AUC of each model per alpha.
    if (alphas.size() > 1) {
      std::vector<std::string> keys;
      std::map<std::string, std::map<double, const ModelRun*>> byKey;
      for (const auto& r : runs) {
        const std::string key =
            runLabel(r) + (modes.size() > 1 ? std::string(" ") + graphModeName(r.graphMode) : "") +
            (oversamplers.size() > 1 ? std::string(" ") + oversamplerName(r.oversampler) : "");
        if (!byKey.count(key)) keys.push_back(key);
        byKey[key][r.alpha] = &r;
      }
      std::string md = "# Alpha sweep on " + name +
                       " (ResGNN Fig. 5)\n\nF1 (fold mean) / pooled AUC per alpha; " + scheme +
                       "; " + std::to_string(args->epochs) + " epochs.\n\n| alpha |";
      for (const auto& k : keys) md += " " + k + " |";
      md += "\n|---|";
      for (std::size_t i = 0; i < keys.size(); ++i) md += "---|";
      md += "\n";
      for (double a : alphas) {
        md += "| " + graphFixed(a, 1) + " |";
        for (const auto& k : keys) {
          const auto it = byKey[k].find(a);
          md += it == byKey[k].end() ? " - |"
                                     : " " + graphFixed(it->second->mean.f1) + " / " +
                                           graphFixed(it->second->pooled.auc) + " |";
        }
        md += "\n";
      }
      writeTextFileAtomic(args->out + "/alpha_sweep.md", md);
      report.output(args->out + "/alpha_sweep.md");
#ifdef OREVOX_WITH_VIZ
      if (render) {
        std::vector<ChartSeries> series;
        for (const auto& k : keys) {
          ChartSeries f1{k + " F1", {}, {}}, auc{k + " AUC", {}, {}};
          for (const auto& [a, r] : byKey[k]) {
            if (std::isfinite(r->mean.f1)) {
              f1.x.push_back(a);
              f1.y.push_back(r->mean.f1);
            }
            if (std::isfinite(r->pooled.auc)) {
              auc.x.push_back(a);
              auc.y.push_back(r->pooled.auc);
            }
          }
          for (auto* s : {&f1, &auc})
            if (!s->x.empty()) series.push_back(*s);
        }
        if (!series.empty()) {
          ChartOptions co;
          co.title = "Alpha sweep, " + name;
          co.xLabel = "alpha (edge if |r| > alpha)";
          co.yLabel = "F1 (fold mean), AUC (pooled)";
          co.yMin = 0.0;
          co.yMax = 1.0;
          writeLineChart(series, co, args->out + "/alpha_sweep.png");
          report.output(args->out + "/alpha_sweep.png");
        }
      }
#endif
    }

    // The oversampler comparison (ResGNN Fig. 6): pooled confusion of every run.
    if (oversamplers.size() > 1) {
      std::string md = "# Oversamplers on " + name +
                       " (ResGNN Fig. 6)\n\nPooled out-of-fold confusion; " + scheme + "; " +
                       std::to_string(args->epochs) +
                       " epochs.\n\n| model | oversampler | TP | FN | TN | FP | sensitivity | "
                       "specificity | F1 | AUC |\n"
                       "|---|---|---|---|---|---|---|---|---|---|\n";
      for (const auto& r : runs) {
        const auto& c = r.pooled.confusion;
        md += "| " + runLabel(r) + " | " + oversamplerName(r.oversampler) + " | " +
              std::to_string(c.tp) + " | " + std::to_string(c.fn) + " | " + std::to_string(c.tn) +
              " | " + std::to_string(c.fp) + " | " + graphFixed(r.pooled.sensitivity) + " | " +
              graphFixed(r.pooled.specificity) + " | " + graphFixed(r.pooled.f1) + " | " +
              graphFixed(r.pooled.auc) + " |\n";
#ifdef OREVOX_WITH_VIZ
        if (render) {
          const std::string png =
              args->out + "/confusion_" + r.model + "_" + oversamplerName(r.oversampler) + "_" +
              protocolName(r.protocol) +
              (modes.size() > 1 ? std::string("_") + graphModeName(r.graphMode) : "") +
              (alphas.size() > 1 ? "_a" + graphFixed(r.alpha, 1) : "") + ".png";
          writeConfusionMatrix({"barren (0)", "ore-bearing (1)"},
                               {{double(c.tn), double(c.fp)}, {double(c.fn), double(c.tp)}},
                               runLabel(r) + ", " + oversamplerName(r.oversampler), png);
          report.output(png);
        }
#endif
      }
      writeTextFileAtomic(args->out + "/oversample_table.md", md);
      report.output(args->out + "/oversample_table.md");
    }

    // Prospect zones (ResGNN sec. 5.3) from the out-of-fold predictions of the first spatial
    // run of the preferred model (resgat, resgcn, else the first).
    const ModelRun* zoneRun = nullptr;
    for (const char* pref : {"resgat", "resgcn"})
      for (const auto& r : runs)
        if (!zoneRun && r.model == pref && r.protocol == Protocol::Spatial) zoneRun = &r;
    for (const auto& r : runs)
      if (!zoneRun && r.protocol == Protocol::Spatial) zoneRun = &r;
    if (zoneRun) {
      ProspectZoneOptions zo;
      zo.cellSize = args->zoneCell;
      zo.radius = args->zoneRadius;
      const GraphZones zones =
          graphProspectZones(*zoneRun, samples, deposits, zo, args->out + "/prospect_zones.gpkg");
      if (!zones.polygons.empty()) report.output(args->out + "/prospect_zones.gpkg");
      report.result("zones", zones.json);
      say(common, "prospect zones from " + zoneRun->model + ": " +
                      std::to_string(zones.zones.size()) + " zones" +
                      (zones.hidden > 0 ? ", " + std::to_string(zones.hiddenInside) + " of " +
                                              std::to_string(zones.hidden) + " hidden deposits inside"
                                        : std::string(" (no hidden deposits to check them against)")) +
                      (zones.polygons.empty() ? std::string() : " -> " + args->out + "/prospect_zones.gpkg"));
    }
    folder.keep();
  };
}

}  // namespace orevox::cli
