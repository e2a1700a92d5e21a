// The graph path's study: options, inputs, the sweep, the output folder and the report (see
// graph_study.hpp). No torch header: the networks are reached through graph_experiment.hpp.
#include "orevox/learning/torch/graph_study.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/datasets/embedded.hpp"
#include "orevox/datasets/vector_io.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"

namespace orevox {

namespace {

nlohmann::json metricsJson(const BinaryMetrics& m) {
  auto num = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
  return {{"accuracy", num(m.accuracy)},
          {"sensitivity", num(m.sensitivity)},
          {"specificity", num(m.specificity)},
          {"precision", num(m.precision)},
          {"f1", num(m.f1)},
          {"auc", num(m.auc)}};
}

/// "0.5,0.6": the alphas of --alpha (already checked by its declaration).
std::vector<double> parseAlphas(const std::string& text) {
  std::vector<double> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    out.push_back(std::strtod(text.substr(start, comma - start).c_str(), nullptr));
    start = comma + 1;
  }
  return out;
}

}  // namespace

std::string graphRunLabel(const ModelRun& r) {
  return r.model + " [" + protocolName(r.protocol) + (r.lodo ? " LODO" : "") +
         (r.leaky ? ", leaky" : "") + "]";
}

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
  j["metrics"]["oof_map_auc"] =
      std::isfinite(r.oofMap.auc) ? nlohmann::json(r.oofMap.auc) : nlohmann::json(nullptr);
  j["metrics"]["oof_map_auc_ci95"] = {r.oofMap.low, r.oofMap.high};
  j["metrics"]["oof_map_nodes"] = r.oofMap.cells;
  j["metrics"]["oof_map_ore_nodes"] = r.oofMap.positives;
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

std::vector<std::pair<std::string, std::map<double, const ModelRun*>>> GraphStudyResult::sweep()
    const {
  std::vector<std::pair<std::string, std::map<double, const ModelRun*>>> out;
  for (const auto& r : runs) {
    const std::string key =
        graphRunLabel(r) + (modes.size() > 1 ? std::string(" ") + graphModeName(r.graphMode) : "") +
        (oversamplers.size() > 1 ? std::string(" ") + oversamplerName(r.oversampler) : "");
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& e) { return e.first == key; });
    if (it == out.end()) {
      out.emplace_back(key, std::map<double, const ModelRun*>{});
      it = out.end() - 1;
    }
    it->second[r.alpha] = &r;
  }
  return out;
}

void GraphStudy::declare(OptionSet& set) {
  set.add("dataset", dataset, "Embedded dataset").choices({"synth2d"});
  set.add("samples", samples, "Sample CSV (x, y, element columns in ppm, a 0/1 label)")

      .placeholder("FILE");
  set.add("label", label, "Label column of --samples (1 = ore-bearing)");
  set.add("elements", elements, "Element columns (the graph nodes)");
  set.add("x", x, "Easting column of --samples and --deposits");
  set.add("y", y, "Northing column of --samples and --deposits");
  set.add("deposits", deposits, "Known-deposit CSV (x, y) for --folds lodo with --samples")

      .placeholder("FILE");
  set.add("model", models, "Models, a comma list; all = every model under both protocols")
      .choices(graphExperimentModels(), {"all"});
  set.add("graph", graph,
          "Graph mode: global (one topology from the training samples), local (each sample's "
          "k-nearest-neighbour correlation) or both")
      .choices({"global", "local", "both"});
  set.add("alpha", alpha,
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
  set.add("oversample", oversample, "Oversamplers, a comma list")
      .choices(
          [] {
            std::vector<std::string> names;
            for (const auto& entry : oversamplerNames()) names.push_back(entry.first);
            return names;
          }(),
          {"all"});
  set.add("protocol", experiment.protocol, protocolNames(),
          "spatial (honest: spatial folds, oversampling inside training folds) or paper "
          "(oversample then random folds: leaky)");
  set.add("folds", folds,
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
  set.add("buffer", buffer,
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
  experiment.declare(set);
  zones.declare(set);
  set.add("out", out, "Output folder (tables, charts, zones)").placeholder("DIR");
}

GraphStudyResult runGraphStudy(const GraphStudy& s, const StudyContext& context, RunReport& report,
                               const std::function<void(const GraphStudyResult&)>& extra) {
  if (s.dataset.empty() == s.samples.empty())
    throw UsageError("graph: give exactly one of --dataset and --samples");
  GraphExperimentOptions o = s.experiment;
  // Every swept dimension is a list: graph modes, alphas, oversamplers, protocols, models.
  std::vector<GraphMode> modes;
  if (s.graph == "both")
    modes = {GraphMode::Global, GraphMode::Local};
  else
    modes = {parseGraphMode(s.graph)};
  std::vector<double> alphas;
  if (s.alpha == "auto") {
    o.autoAlpha = true;
    alphas = {0.0};
  } else if (s.alpha == "sweep") {
    alphas = alphaGrid();
  } else {
    alphas = parseAlphas(s.alpha);
  }
  std::vector<Oversampler> oversamplers;
  for (const auto& name : s.oversample) {
    if (name == "all") {
      oversamplers = {Oversampler::None, Oversampler::Noise, Oversampler::Smote,
                      Oversampler::Vae,  Oversampler::Gan,   Oversampler::Weights};
      break;
    }
    oversamplers.push_back(parseOversampler(name));
  }
  if (s.folds == "lodo") {
    o.lodo = true;
  } else {
    o.folds = std::stoi(s.folds);
  }
  if (s.buffer != "auto") o.lodoBuffer = std::stod(s.buffer);
  o.generator.epochs = 10 * o.train.epochs;
  o.classical.threads = context.threads;
  std::vector<std::string> models;
  std::vector<Protocol> protocols{o.protocol};
  const bool allModels = std::find(s.models.begin(), s.models.end(), "all") != s.models.end();
  if (allModels) {
    models = graphExperimentModels();
    protocols = {Protocol::Spatial, Protocol::Paper};
  } else {
    models = s.models;
  }
  if (o.lodo && std::find(protocols.begin(), protocols.end(), Protocol::Spatial) == protocols.end())
    throw UsageError(std::string("--folds lodo: needs the spatial protocol, got --protocol ") +
                     protocolName(o.protocol));
  OutputFolder folder(s.out);  // removed again if the run fails
  configureTorch(context.threads, o.seed);

  SampleTable samples, deposits;
  std::vector<std::string> elements;
  std::string name;
  if (!s.dataset.empty()) {
    if (s.dataset != "synth2d")
      throw UsageError("--dataset: only synth2d carries ore-bearing labels, got '" + s.dataset +
                       "'");
    const Dataset ds = loadDataset(s.dataset, o.seed);
    samples = ds.samples;
    deposits = ds.deposits;
    elements = {"Au", "B",  "Sn", "Cu", "Ag", "Ba", "Mn", "Pb",
                "Zn", "As", "Sb", "Bi", "Hg", "Mo", "W",  "F"};
    name = "synth2d (seed " + std::to_string(o.seed) + ")";
    report.input("dataset", s.dataset);
  } else {
    if (s.label.empty() || s.elements.empty())
      throw UsageError("--samples needs --label and --elements");
    CsvOptions csv;
    csv.xColumn = s.x;
    csv.yColumn = s.y;
    csv.labelColumn = s.label;
    csv.columns = s.elements;
    samples = readSamplesCsv(s.samples, csv);
    elements = csv.columns;
    name = s.samples;
    report.input("samples", s.samples);
    if (!s.deposits.empty()) {
      CsvOptions dcsv;
      dcsv.xColumn = s.x;
      dcsv.yColumn = s.y;
      deposits = readSamplesCsv(s.deposits, dcsv);
      deposits.labels.assign(deposits.size(), 1);  // listed deposits are known ones
      report.input("deposits", s.deposits);
    }
  }
  if (o.lodo && deposits.size() == 0)
    throw UsageError("--folds lodo: needs known deposits (--deposits FILE with --samples)");
  report.parameter("elements", elements);
  report.parameter("graph_mode", s.graph);
  report.parameter("alpha", s.alpha);
  report.parameter("alpha_rule", o.autoAlpha
                                     ? "adaptive (largest grid alpha keeping the graph connected)"
                                 : alphas.size() > 1 ? "sweep"
                                                     : "fixed");
  report.parameter("oversampler", report.json()["options"]["oversample"]);
  report.parameter(
      "protocol", allModels ? std::string("spatial,paper") : std::string(protocolName(o.protocol)));
  report.parameter("folds", s.folds);
  report.parameter("epochs", o.train.epochs);
  report.seed(o.seed);

  GraphStudyResult res;
  res.name = name;
  res.modes = modes;
  res.alphas = alphas;
  res.oversamplers = oversamplers;
  std::vector<ModelRun>& runs = res.runs;
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
            context.tell("graph " + graphRunLabel(run) + " " + graphModeName(mode) + " alpha " +
                         graphFixed(run.alpha, 2) + " " + oversamplerName(over) + ": accuracy " +
                         graphFixed(run.mean.accuracy) + ", sensitivity " +
                         graphFixed(run.mean.sensitivity) + ", specificity " +
                         graphFixed(run.mean.specificity) + ", F1 " + graphFixed(run.mean.f1) +
                         ", AUC " + graphFixed(run.pooled.auc) + ", out-of-fold node AUC " +
                         graphFixed(run.oofMap.auc) + " [" + graphFixed(run.oofMap.low) + ", " +
                         graphFixed(run.oofMap.high) + "] (" + graphFixed(run.seconds, 1) + " s)");
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
  if (s.out.empty()) return res;

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
  res.scheme = scheme;
  const std::string table = "# Graph path on " + name + "\n\nFold mean ± sd (%); " + scheme + "; " +
                            std::to_string(o.train.epochs) +
                            " epochs. Paper rows oversample before splitting (leaky).\n\n" +
                            graphRunsTable(runs);
  writeTextFileAtomic(s.out + "/graph_table.md", table);
  report.output(s.out + "/graph_table.md");

  // The alpha sweep (ResGNN Fig. 5): F1 (fold mean) and pooled AUC of each model per alpha.
  if (alphas.size() > 1) {
    const auto sweep = res.sweep();
    std::string md = "# Alpha sweep on " + name +
                     " (ResGNN Fig. 5)\n\nF1 (fold mean) / pooled AUC per alpha; " + scheme + "; " +
                     std::to_string(o.train.epochs) + " epochs.\n\n| alpha |";
    for (const auto& k : sweep) md += " " + k.first + " |";
    md += "\n|---|";
    for (std::size_t i = 0; i < sweep.size(); ++i) md += "---|";
    md += "\n";
    for (double a : alphas) {
      md += "| " + graphFixed(a, 1) + " |";
      for (const auto& k : sweep) {
        const auto it = k.second.find(a);
        md += it == k.second.end() ? " - |"
                                   : " " + graphFixed(it->second->mean.f1) + " / " +
                                         graphFixed(it->second->pooled.auc) + " |";
      }
      md += "\n";
    }
    writeTextFileAtomic(s.out + "/alpha_sweep.md", md);
    report.output(s.out + "/alpha_sweep.md");
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
      md += "| " + graphRunLabel(r) + " | " + oversamplerName(r.oversampler) + " | " +
            std::to_string(c.tp) + " | " + std::to_string(c.fn) + " | " + std::to_string(c.tn) +
            " | " + std::to_string(c.fp) + " | " + graphFixed(r.pooled.sensitivity) + " | " +
            graphFixed(r.pooled.specificity) + " | " + graphFixed(r.pooled.f1) + " | " +
            graphFixed(r.pooled.auc) + " |\n";
    }
    writeTextFileAtomic(s.out + "/oversample_table.md", md);
    report.output(s.out + "/oversample_table.md");
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
    const std::string file = s.out + "/" + m + ".pt";
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
    const ProspectZoneOptions& zo = s.zones;
    const GraphZones zones =
        graphProspectZones(*zoneRun, samples, deposits, zo, s.out + "/prospect_zones.gpkg");
    if (!zones.polygons.empty()) report.output(s.out + "/prospect_zones.gpkg");
    report.result("zones", zones.json);
    context.tell(
        "prospect zones from " + zoneRun->model + ": " + std::to_string(zones.zones.size()) +
        " zones" +
        (zones.hidden > 0 ? ", " + std::to_string(zones.hiddenInside) + " of " +
                                std::to_string(zones.hidden) + " hidden deposits inside"
                          : std::string(" (no hidden deposits to check them against)")) +
        (zones.polygons.empty() ? std::string() : " -> " + s.out + "/prospect_zones.gpkg"));
  }
  if (extra) extra(res);
  folder.keep();
  return res;
}

void GraphPredict::declare(OptionSet& set) {
  set.add("model", model, "The model file of 'graph --out DIR' (DIR/resgcn.pt)")
      .required()
      .placeholder("FILE");
  set.add("samples", samples, "Sample CSV holding the model's element columns (ppm)")
      .required()
      .placeholder("FILE");
  set.add("x", x, "Easting column of --samples");
  set.add("y", y, "Northing column of --samples");
  set.add("out", out,
          "Output CSV: the samples' id, coordinates, label and numeric columns plus p_ore")
      .required()
      .placeholder("FILE");
  set.add("zones", zones, "Prospect zones of the samples with p_ore >= 0.5 (GeoPackage)")
      .placeholder("FILE");
  zoneOptions.declare(set);
}

void runGraphPredict(const GraphPredict& a, const StudyContext& context, RunReport& report) {
  checkOutputPath(a.out);
  if (!a.zones.empty()) checkOutputPath(a.zones);
  if (a.zones == a.out) throw UsageError("--zones: the same path as --out");
  configureTorch(context.threads, 1);
  GraphInputs inputs;
  std::optional<GraphClassifier> model;
  SampleTable samples;
  report.timed("load", [&] {
    model.emplace(GraphClassifier::load(a.model, inputs));
    CsvOptions csv;
    csv.xColumn = a.x;
    csv.yColumn = a.y;
    csv.allowNegative = true;  // other numeric columns (elevations, log-ratios) pass through
    samples = readSamplesCsv(a.samples, csv);
  });
  report.input("model", a.model);
  report.input("samples", a.samples);
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
    writeSamplesCsv(out, a.out);
    report.output(a.out);
    if (!a.zones.empty()) {
      ModelRun run;
      run.model = graphModelName(model->kind());
      run.scores = p;
      const GraphZones zones =
          graphProspectZones(run, samples, SampleTable(), a.zoneOptions, a.zones);
      if (!zones.polygons.empty()) report.output(a.zones);
      result["zones"] = zones.zones.size();
    }
  });
  report.result("prediction", result);
  context.tell("predicted " + std::to_string(samples.size()) + " samples (" + std::to_string(ore) +
               " with p_ore >= 0.5) -> " + a.out);
}

}  // namespace orevox
