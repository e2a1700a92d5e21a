#pragma once
// What `orevox raster train` and the demo's raster path share: writing a raster experiment's
// outputs into a folder (and the run report) and its summary lines. Private to apps/.

#include <string>
#include <vector>

#include "../command.hpp"
#include "orevox/datasets/embedded.hpp"
#include "orevox/learning/torch/raster_experiment.hpp"

namespace orevox::cli {

/// Files written by writeRasterOutputs (absolute or relative to the working folder; empty
/// when not written).
struct RasterPathOutputs {
  std::string table, pretrainTable, selectedMap, zonesGpkg, zonesCsv, shapCsv, modelFile;
  std::vector<std::string> maps;  ///< prospectivity_<model>.tif, in model order
  std::size_t zones = 0;
};

/// Writes into `folder`: comparison.md (the model comparison with the paper's AUCs),
/// prospectivity_<model>.tif per model (on the stack's grid, nodata kept), <network>.pt
/// (+ .json) per network, and for the selected model (RasterExperimentResult::best)
/// prospectivity.tif, model.pt (+ model.json), zones.gpkg + zones.csv (A/B/C by `zoneRule`,
/// deposits = known and hidden), shap.csv; pretraining.md when the comparison ran. Adds the
/// per-model results ("models": model, protocol, seed, metrics with auc and capture_top10,
/// ...) and the outputs to `report`.
RasterPathOutputs writeRasterOutputs(const RasterExperimentResult& result,
                                     const RasterExperimentInputs& inputs,
                                     const std::string& crsWkt, const std::string& folder,
                                     ZoneRule zoneRule, RunReport& report,
                                     const std::string& reportKey = "models");

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

/// One line per model and protocol (window AUC with interval, capture at 10 %), one per
/// pretraining row.
std::vector<std::string> rasterSummaryLines(const RasterExperimentResult& result);

}  // namespace orevox::cli
