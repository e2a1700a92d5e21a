// orevox graph: the ResGNN graph path (resgnn-pangxidong-2024): element-correlation graphs,
// ResGCN/ResGAT and baselines cross-validated under the paper or the spatial protocol,
// a JSON report, Markdown tables, the alpha sweep (Fig. 5), the oversampler comparison with
// confusion matrices (Fig. 6) and prospect zones (GeoPackage, sec. 5.3).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

#include "../command.hpp"
#include "graph_path.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/datasets/embedded.hpp"
#include "orevox/datasets/vector_io.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"
#ifdef OREVOX_WITH_VIZ
#include "orevox/viz/charts.hpp"
#endif

namespace orevox::cli {

namespace {

/// `graph`: the samples, the swept lists (models, graph modes, alphas, oversamplers) and
/// the experiment's options (declared by the library).
struct GraphArgs {
  std::string dataset, samples, label, x = "x", y = "y", deposits, out;
  std::vector<std::string> elements, models{"resgcn"}, oversample{"gan"};
  std::string graph = "global", alpha = "0.6", folds = "10", buffer = "auto";
  GraphExperimentOptions experiment;
  ProspectZoneOptions zones;
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
  OptionSet& set = command.options;
  GraphArgs& a = *args;
  set.add("dataset", a.dataset, "Embedded dataset").choices({"synth2d"});
  set.add("samples", a.samples, "Sample CSV (x, y, element columns in ppm, a 0/1 label)")

      .placeholder("FILE");
  set.add("label", a.label, "Label column of --samples (1 = ore-bearing)");
  set.add("elements", a.elements, "Element columns (the graph nodes)");
  set.add("x", a.x, "Easting column of --samples and --deposits");
  set.add("y", a.y, "Northing column of --samples and --deposits");
  set.add("deposits", a.deposits, "Known-deposit CSV (x, y) for --folds lodo with --samples")

      .placeholder("FILE");
  set.add("model", a.models, "Models, a comma list; all = every model under both protocols")
      .choices(graphExperimentModels(), {"all"});
  set.add("graph", a.graph,
          "Graph mode: global (one topology from the training samples), local (each sample's "
          "k-nearest-neighbour correlation) or both")
      .choices({"global", "local", "both"});
  set.add("alpha", a.alpha,
          "Edge threshold |r| > alpha: a value or comma list in [0, 1), 'auto' (largest grid "
          "alpha keeping the graph connected) or 'sweep' (0.2..0.8, the paper's Fig. 5)")
      .check([](const std::string& text) {
        if (text == "auto" || text == "sweep") return std::string();
        std::size_t start = 0;
        while (start <= text.size()) {
          const std::size_t comma = std::min(text.find(',', start), text.size());
          const std::string item = text.substr(start, comma - start);
          char* end = nullptr;
          const double v = std::strtod(item.c_str(), &end);
          if (item.empty() || *end != '\0' || !(v >= 0 && v < 1))
            return std::string("is not a list of values in [0, 1), auto or sweep");
          start = comma + 1;
        }
        return std::string();
      });
  set.add("oversample", a.oversample, "Oversamplers, a comma list")
      .choices(
          [] {
            std::vector<std::string> names;
            for (const auto& entry : oversamplerNames()) names.push_back(entry.first);
            return names;
          }(),
          {"all"});
  set.add("protocol", a.experiment.protocol, protocolNames(),
          "spatial (honest: spatial folds, oversampling inside training folds) or paper "
          "(oversample then random folds: leaky)");
  set.add("folds", a.folds,
          "Cross-validation folds (2-100), or 'lodo': buffered leave-one-deposit-out folds "
          "(spatial protocol)")
      .check([](const std::string& text) {
        if (text == "lodo") return std::string();
        char* end = nullptr;
        const long k = std::strtol(text.c_str(), &end, 10);
        return !text.empty() && *end == '\0' && k >= 2 && k <= 100
                   ? std::string()
                   : std::string("is not a fold count in [2, 100] or lodo");
      });
  set.add("buffer", a.buffer,
          "lodo: metres between any test sample and every training sample, or 'auto' (the label "
          "variogram range)")
      .check([](const std::string& text) {
        if (text == "auto") return std::string();
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        return !text.empty() && *end == '\0' && v >= 0
                   ? std::string()
                   : std::string("is not a distance >= 0 or auto");
      });
  a.experiment.declare(set);
  a.zones.declare(set);
  set.add("out", a.out, "Output folder (tables, charts, zones)").placeholder("DIR");

  command.run = [args, &common = command.common](RunReport& report) {
    if (args->dataset.empty() == args->samples.empty())
      throw UsageError("graph: give exactly one of --dataset and --samples");
    GraphExperimentOptions o = args->experiment;
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
    }
    std::vector<Oversampler> oversamplers;
    for (const auto& name : args->oversample) {
      if (name == "all") {
        oversamplers = {Oversampler::None, Oversampler::Noise, Oversampler::Smote,
                        Oversampler::Vae,  Oversampler::Gan,   Oversampler::Weights};
        break;
      }
      oversamplers.push_back(parseOversampler(name));
    }
    if (args->folds == "lodo") {
      o.lodo = true;
    } else {
      o.folds = std::stoi(args->folds);
    }
    if (args->buffer != "auto") o.lodoBuffer = std::stod(args->buffer);
    o.generator.epochs = 10 * o.train.epochs;
    o.classical.threads = common.threads;
    std::vector<std::string> models;
    std::vector<Protocol> protocols{o.protocol};
    const bool allModels =
        std::find(args->models.begin(), args->models.end(), "all") != args->models.end();
    if (allModels) {
      models = graphExperimentModels();
      protocols = {Protocol::Spatial, Protocol::Paper};
    } else {
      models = args->models;
    }
    if (o.lodo &&
        std::find(protocols.begin(), protocols.end(), Protocol::Spatial) == protocols.end())
      throw UsageError(std::string("--folds lodo: needs the spatial protocol, got --protocol ") +
                       protocolName(o.protocol));
    OutputFolder folder(args->out);  // removed again if the run fails
    configureTorch(common.threads, o.seed);

    SampleTable samples, deposits;
    std::vector<std::string> elements;
    std::string name;
    if (!args->dataset.empty()) {
      if (args->dataset != "synth2d")
        throw UsageError("--dataset: only synth2d carries ore-bearing labels, got '" +
                         args->dataset + "'");
      const Dataset ds = loadDataset(args->dataset, o.seed);
      samples = ds.samples;
      deposits = ds.deposits;
      elements = {"Au", "B",  "Sn", "Cu", "Ag", "Ba", "Mn", "Pb",
                  "Zn", "As", "Sb", "Bi", "Hg", "Mo", "W",  "F"};
      name = "synth2d (seed " + std::to_string(o.seed) + ")";
      report.input("dataset", args->dataset);
    } else {
      if (args->label.empty() || args->elements.empty())
        throw UsageError("--samples needs --label and --elements");
      CsvOptions csv;
      csv.xColumn = args->x;
      csv.yColumn = args->y;
      csv.labelColumn = args->label;
      csv.columns = args->elements;
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
    report.parameter("oversampler", report.json()["options"]["oversample"]);
    report.parameter("protocol", allModels ? std::string("spatial,paper")
                                           : std::string(protocolName(o.protocol)));
    report.parameter("folds", args->folds);
    report.parameter("epochs", o.train.epochs);
    report.seed(o.seed);

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
                              "; " + std::to_string(o.train.epochs) +
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
                       "; " + std::to_string(o.train.epochs) + " epochs.\n\n| alpha |";
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
                       std::to_string(o.train.epochs) +
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

    // The graph networks trained on every sample, for `orevox graph predict`: one per model,
    // with the first graph mode, alpha and oversampler of the run.
    for (const auto& m : models) {
      GraphModelKind kind;
      if (!parseGraphModel(m, kind)) continue;
      GraphExperimentOptions fo = o;
      fo.graphMode = modes.front();
      fo.oversampler = oversamplers.front();
      TrainedGraphModel trained = [&] {
        GraphExperimentOptions go = fo;
        if (!o.autoAlpha) go.alpha = alphas.front();
        const GraphData data = prepareGraphData(samples, elements, go, name);
        return trainGraphModel(data, m, go);
      }();
      const std::string file = args->out + "/" + m + ".pt";
      trained.classifier.save(file, trained.inputs);
      report.output(file);
      report.output(file.substr(0, file.size() - 3) + ".json");
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
      const ProspectZoneOptions& zo = args->zones;
      const GraphZones zones =
          graphProspectZones(*zoneRun, samples, deposits, zo, args->out + "/prospect_zones.gpkg");
      if (!zones.polygons.empty()) report.output(args->out + "/prospect_zones.gpkg");
      report.result("zones", zones.json);
      say(common,
          "prospect zones from " + zoneRun->model + ": " + std::to_string(zones.zones.size()) +
              " zones" +
              (zones.hidden > 0 ? ", " + std::to_string(zones.hiddenInside) + " of " +
                                      std::to_string(zones.hidden) + " hidden deposits inside"
                                : std::string(" (no hidden deposits to check them against)")) +
              (zones.polygons.empty() ? std::string()
                                      : " -> " + args->out + "/prospect_zones.gpkg"));
    }
    folder.keep();
  };
}

void addGraphPredictCommand(CLI::App& root, Command& command) {
  struct PredictArgs {
    std::string model, samples, x = "x", y = "y", out, zones;
    ProspectZoneOptions zoneOptions;
  };
  auto args = std::make_shared<PredictArgs>();
  CLI::App* graph = root.get_subcommand("graph");
  command.app = graph->add_subcommand(
      "predict",
      "Apply a saved graph model (DIR/<model>.pt of 'graph --out DIR') to a sample CSV: "
      "P(ore-bearing) per sample, optionally prospect zones");
  OptionSet& set = command.options;
  set.add("model", args->model, "The model file of 'graph --out DIR' (DIR/resgcn.pt)")
      .required()
      .placeholder("FILE");
  set.add("samples", args->samples, "Sample CSV holding the model's element columns (ppm)")
      .required()
      .placeholder("FILE");
  set.add("x", args->x, "Easting column of --samples");
  set.add("y", args->y, "Northing column of --samples");
  set.add("out", args->out,
          "Output CSV: the samples' id, coordinates, label and numeric columns plus p_ore")
      .required()
      .placeholder("FILE");
  set.add("zones", args->zones, "Prospect zones of the samples with p_ore >= 0.5 (GeoPackage)")
      .placeholder("FILE");
  args->zoneOptions.declare(set);

  command.run = [args, &common = command.common](RunReport& report) {
    checkOutputPath(args->out);
    if (!args->zones.empty()) checkOutputPath(args->zones);
    if (args->zones == args->out) throw UsageError("--zones: the same path as --out");
    configureTorch(common.threads, 1);
    GraphInputs inputs;
    std::optional<GraphClassifier> model;
    SampleTable samples;
    report.timed("load", [&] {
      model.emplace(GraphClassifier::load(args->model, inputs));
      CsvOptions csv;
      csv.xColumn = args->x;
      csv.yColumn = args->y;
      csv.allowNegative = true;  // other numeric columns (elevations, log-ratios) pass through
      samples = readSamplesCsv(args->samples, csv);
    });
    report.input("model", args->model);
    report.input("samples", args->samples);
    std::vector<double> p;
    report.timed("predict", [&] { p = predictGraphSamples(*model, inputs, samples); });
    SampleTable out = samples;
    Eigen::MatrixXd column(Eigen::Index(p.size()), 1);
    for (std::size_t i = 0; i < p.size(); ++i) column(Eigen::Index(i), 0) = p[i];
    out.setMatrix({"p_ore"}, column);
    nlohmann::json result = {{"model", graphModelName(model->kind())},
                             {"graph_mode", graphModeName(inputs.mode)},
                             {"alpha", inputs.alpha},
                             {"samples", samples.size()}};
    std::size_t ore = 0;
    for (double v : p) ore += v >= 0.5;
    result["predicted_ore_bearing"] = ore;
    report.timed("write", [&] {
      writeSamplesCsv(out, args->out);
      report.output(args->out);
      if (!args->zones.empty()) {
        ModelRun run;
        run.model = graphModelName(model->kind());
        run.scores = p;
        const GraphZones zones =
            graphProspectZones(run, samples, SampleTable(), args->zoneOptions, args->zones);
        if (!zones.polygons.empty()) report.output(args->zones);
        result["zones"] = zones.zones.size();
      }
    });
    report.result("prediction", result);
    say(common, "predicted " + std::to_string(samples.size()) + " samples (" + std::to_string(ore) +
                    " with p_ore >= 0.5) -> " + args->out);
  };
}

}  // namespace orevox::cli
