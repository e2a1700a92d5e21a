#pragma once
/// \file raster_study.hpp
/// The raster path's study (SSGSNet, ssgsnet-east-kunlun-2026) as one library object: its
/// inputs (an embedded dataset, or a channel stack and deposit points), the experiment's
/// options (raster_experiment.hpp), the output folder and its layout, and the JSON report
/// that records the whole study. `orevox raster train` parses its options into a RasterStudy
/// and calls runRasterStudy; `orevox run` does the same from a JSON study file (the same
/// declarations, see declare()); the demo calls the pieces (inputs, writeRasterOutputs).
///
/// Typical flow:
/// \code
///   RasterStudy study;  study.declare(set);  ... set parsed from the CLI or a study file ...
///   RunReport report("raster train");
///   runRasterStudy(study, StudyContext{threads, quiet, say}, report);
///   report.write(path, threads);
/// \endcode
/// Torch-free header.

#include <string>
#include <vector>

#include "orevox/core/options.hpp"
#include "orevox/core/run_report.hpp"
#include "orevox/datasets/embedded.hpp"
#include "orevox/learning/torch/raster_experiment.hpp"

namespace orevox {

/// The settings of one raster study: inputs, the experiment's options and the output folder.
struct RasterStudy {
  std::string dataset;             ///< "synth2d" or "murchison" (embedded); or empty with `stack`
  std::string stack;               ///< channel stack GeoTIFF (one band per channel)
  std::string deposits;            ///< with `stack`: CSV (x, y[, id][, label]) or a point layer
  std::string negatives = "auto";  ///< kmeans, random, auto or a file of points
  std::string auChannel = "log10_Au";
  std::vector<std::string> models{"ssgsnet"};  ///< names of rasterExperimentModels(), or "all"
  std::vector<std::string> elements;           ///< synth2d: elements of the stack
  std::string pretrain = "none";               ///< "none" or "simclr"
  std::string protocol = "spatial";            ///< "spatial", "paper" or "both"
  std::string zonesBy = "thresholds";          ///< "thresholds" or "percentiles"
  GeochemTransform transform = GeochemTransform::Log10;
  std::string out;  ///< output folder
  int pretrainEpochs = 0;
  double cell = 0.0;  ///< m; 0 = synth2d 100, murchison 500
  RasterExperimentOptions experiment;

  /// Declares every option of the study (`raster train`'s options, a study file's keys).
  void declare(OptionSet& set);
};

/// Runs the study: checks every option and output path before the long work, builds the
/// stack (from the dataset it names, written as DIR/stack.tif so `raster predict` applies to
/// it; or read from `stack`), runs runRasterExperiment and writes its outputs
/// (writeRasterOutputs) into `study.out`, which is removed again when the run fails. The
/// report records inputs, parameters, seed, per-model results and outputs.
/// UsageError for contradicting options, DataError / IoError for bad inputs.
void runRasterStudy(const RasterStudy& study, const StudyContext& context, RunReport& report);

/// Files written by writeRasterOutputs (empty when not written).
struct RasterPathOutputs {
  std::string table, pretrainTable, selectedMap, zonesGpkg, zonesCsv, shapCsv, modelFile;
  std::vector<std::string> maps;  ///< prospectivity_<model>.tif, in model order
  std::size_t zones = 0;
};

/// Writes into `folder`: comparison.md (the model comparison with the paper's AUCs),
/// prospectivity_<model>.tif per model (on the stack's grid, nodata kept), oof_<model>.tif
/// (the out-of-fold map of the spatial protocol), <network>.pt (+ .json) per network, and
/// for the selected model (RasterExperimentResult::best) prospectivity.tif, model.pt (+
/// model.json), zones.gpkg + zones.csv (A/B/C by `zoneRule`, deposits = known and hidden),
/// shap.csv; pretraining.md when the comparison ran. Adds the per-model results ("models":
/// model, protocol, seed, metrics with auc, oof_map_auc and capture_top10, ...) and the
/// outputs to `report`.
RasterPathOutputs writeRasterOutputs(const RasterExperimentResult& result,
                                     const RasterExperimentInputs& inputs,
                                     const std::string& crsWkt, const std::string& folder,
                                     ZoneRule zoneRule, RunReport& report,
                                     const std::string& reportKey = "models");

/// A/B/C zones of a probability map written as a GeoPackage (`gpkg`, skipped when empty or
/// when there is no zone) and a CSV (`csv`, skipped when empty); returns the zones as the
/// report lists them ({rule, thresholds, zones: [{name, class, cells, area_m2, ...}]}).
/// The one zone writer of the 2D paths (raster train, raster predict, the demo).
nlohmann::json writeRasterZones(const std::vector<RasterZone>& zones, const Raster& probability,
                                const RasterZoneOptions& options, const std::string& crsWkt,
                                const std::string& gpkg, const std::string& csv);

/// The synth2d stack (geochemStack: IDW of `elements`, default synth2dRasterElements(), plus
/// fault ring buffers and distance) at `cell` metres; known deposits (label 1) are the
/// positives, hidden ones (label 0) are kept for evaluation only.
RasterExperimentInputs synth2dRasterInputs(const Dataset& synth2d, double cell,
                                           const std::vector<std::string>& elements = {},
                                           GeochemTransform transform = GeochemTransform::Log10);
/// The paper's 14 elements as far as synth2d has them (B and F stand in for Co and Li).
std::vector<std::string> synth2dRasterElements();
/// The Murchison stack (structureStack: fault distance and buffer levels, greenstone mask,
/// distance to the greenstone contact) at `cell` metres over the faults' extent; all 255
/// gold deposits are known positives (there are no hidden ones).
RasterExperimentInputs murchisonRasterInputs(const Dataset& murchison, double cell);

/// One line per model and protocol (window AUC with interval, out-of-fold map AUC, capture
/// at 10 %), one per pretraining row.
std::vector<std::string> rasterSummaryLines(const RasterExperimentResult& result);

/// JSON number, null for NaN and infinities (a report's missing value).
nlohmann::json jsonNumber(double value);

}  // namespace orevox
