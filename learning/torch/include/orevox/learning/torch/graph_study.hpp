#pragma once
/// \file graph_study.hpp
/// The graph path's study (ResGNN, resgnn-pangxidong-2024) as one library object: its inputs
/// (the embedded synth2d, or a labelled sample CSV and known deposits), the swept lists
/// (models, graph modes, alphas, oversamplers, protocols), the experiment's options
/// (graph_experiment.hpp), the output folder and its layout (tables, saved graph networks,
/// prospect zones) and the JSON report that records the whole study. `orevox graph` parses
/// its options into a GraphStudy and calls runGraphStudy; `orevox run` does the same from a
/// JSON study file. Torch-free header.

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "orevox/core/options.hpp"
#include "orevox/core/run_report.hpp"
#include "orevox/geomodel/samples.hpp"
#include "orevox/learning/prospect_zones.hpp"
#include "orevox/learning/torch/graph_experiment.hpp"

namespace orevox {

/// The settings of one graph study.
struct GraphStudy {
  std::string dataset;  ///< "synth2d", or empty with `samples`
  std::string samples;  ///< sample CSV (x, y, element columns in ppm, a 0/1 label)
  std::string label;    ///< label column of `samples`
  std::string x = "x", y = "y";
  std::string deposits;  ///< known-deposit CSV (x, y) for lodo folds with `samples`
  std::string out;       ///< output folder; empty = report only
  std::vector<std::string> elements, models{"resgcn"}, oversample{"gan"};
  std::string graph = "global", alpha = "0.6", folds = "10", buffer = "auto";
  GraphExperimentOptions experiment;
  ProspectZoneOptions zones;

  /// Declares every option of the study (`graph`'s options, a study file's keys).
  void declare(OptionSet& set);
};

/// What runGraphStudy ran: the swept lists and every run (the CLI draws its charts from it).
struct GraphStudyResult {
  std::string name;    ///< data set name
  std::string scheme;  ///< the fold scheme in words, as the tables state it
  std::vector<GraphMode> modes;
  std::vector<double> alphas;
  std::vector<Oversampler> oversamplers;
  std::vector<ModelRun> runs;
  /// The alpha sweep (ResGNN Fig. 5): per run key (model, protocol, and graph mode or
  /// oversampler when those are swept too), in first-seen order, its runs by alpha.
  std::vector<std::pair<std::string, std::map<double, const ModelRun*>>> sweep() const;
};

/// Runs the study: every model under every swept setting (runGraphModel), the report's
/// "runs" (graphRunJson; a single run's metrics also at the top), and with `out`:
/// graph_table.md, alpha_sweep.md (several alphas), oversample_table.md (several
/// oversamplers), the graph networks trained on every sample (<model>.pt + .json, for
/// `orevox graph predict`) and the prospect zones of the preferred spatial run
/// (prospect_zones.gpkg). `extra` (may be empty) adds outputs of the caller (the CLI's
/// charts) before the folder is kept; the folder is removed again when the run fails.
/// UsageError for contradicting options, DataError / IoError for bad inputs.
GraphStudyResult runGraphStudy(const GraphStudy& study, const StudyContext& context,
                               RunReport& report,
                               const std::function<void(const GraphStudyResult&)>& extra = {});

/// `orevox graph predict`: a saved graph network (DIR/<model>.pt of a graph study) applied
/// to a sample CSV.
struct GraphPredict {
  std::string model, samples, x = "x", y = "y", out, zones;
  ProspectZoneOptions zoneOptions;
  /// Declares --model, --samples, --x, --y, --out, --zones and the zone options.
  void declare(OptionSet& set);
};

/// Writes `out`: the samples' id, coordinates, label and numeric columns plus p_ore, and with
/// `zones` the prospect zones of the samples with p_ore >= 0.5 (GeoPackage); the report
/// gets the model, its graph mode and alpha and the count predicted ore-bearing.
void runGraphPredict(const GraphPredict& predict, const StudyContext& context, RunReport& report);

/// "resgcn [spatial LODO, leaky]": a run as tables and messages name it.
std::string graphRunLabel(const ModelRun& run);

/// One run as the report holds it: model, protocol, graph mode, alpha, oversampler, seed,
/// fold scheme, `metrics` (fold means: accuracy, sensitivity, specificity, precision, f1, auc;
/// oof_map_auc, its interval and node counts), `metrics_sd`, `pooled` (with the AUC interval
/// and confusion), per-fold metrics.
nlohmann::json graphRunJson(const ModelRun& run);

/// Prospect zones (ResGNN sec. 5.3) of a run's out-of-fold predictions (score >= 0.5).
struct GraphZones {
  std::vector<ProspectZone> zones;
  PolygonSet polygons;
  std::size_t hidden = 0, hiddenInside = 0;  ///< hidden deposits (label 0), and those inside a zone
  nlohmann::json json;                       ///< the report's "zones" result
};
/// Computes the zones and, when there are any, writes them as GeoPackage polygons to `gpkg`.
GraphZones graphProspectZones(const ModelRun& run, const SampleTable& samples,
                              const SampleTable& deposits, const ProspectZoneOptions& options,
                              const std::string& gpkg);

/// "0.123" (3 decimals) or "-" for NaN.
std::string graphFixed(double value, int digits = 3);

}  // namespace orevox
