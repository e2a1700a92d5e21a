#pragma once
// Pieces of `orevox graph` that `orevox demo` reuses for its graph path (defined in graph.cpp).
// Private to apps/.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "orevox/geomodel/samples.hpp"
#include "orevox/learning/prospect_zones.hpp"
#include "orevox/learning/torch/graph_experiment.hpp"

namespace orevox::cli {

/// One run as the report holds it: model, protocol, graph mode, alpha, oversampler, seed,
/// fold scheme, `metrics` (fold means: accuracy, sensitivity, specificity, precision, f1, auc),
/// `metrics_sd`, `pooled` (with the AUC interval and confusion), per-fold metrics.
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

}  // namespace orevox::cli
