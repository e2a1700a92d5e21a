// orevox raster train|predict: the SSGSNet raster path (ssgsnet-east-kunlun-2026). `train`
// parses the raster study's options (declared by the library, raster_study.hpp) and runs it;
// `predict` applies a saved model to a channel stack: prospectivity map, zones, SHAP.
#include <cmath>

#include "../command.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/datasets/raster_io.hpp"
#include "orevox/learning/torch/raster_study.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"
#include "orevox/voxel/spatial_index.hpp"

namespace orevox::cli {

namespace {

/// `raster predict`: a saved model applied to a stack.
struct RasterPredictArgs {
  std::string model, stack, out, zones, shap, zonesBy = "thresholds";
  std::uint64_t seed = 1;
  std::size_t stride = 0, mapWindows = 10000, shapWindows = 32, shapSamples = 64;
};

void runPredict(const RasterPredictArgs& a, const CommonOptions& common, RunReport& report) {
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
    writeRasterZones(zones, prob, zo, stack.grid().crsWkt, a.zones, "");
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

void addRasterTrainCommand(CLI::App& root, Command& command) {
  auto study = std::make_shared<RasterStudy>();
  CLI::App& group = commandGroup(
      root, "raster",
      "SSGSNet raster path: train SSGSNet and its baselines on windows of a channel stack, "
      "predict prospectivity maps, A/B/C target zones and SHAP rankings");
  command.app = group.add_subcommand(
      "train",
      "Train SSGSNet and its baselines on windows of a channel stack (paper or spatial "
      "protocol): window AUCs, out-of-fold map AUC, prospectivity maps, A/B/C target zones, "
      "SHAP rankings");
  study->declare(command.options);
  command.run = [study, &common = command.common](RunReport& report) {
    StudyContext context{common.threads, common.quiet,
                         [&common](const std::string& line) { say(common, line); }};
    runRasterStudy(*study, context, report);
  };
}

void addRasterPredictCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<RasterPredictArgs>();
  CLI::App& group = commandGroup(root, "raster", "");
  command.app = group.add_subcommand(
      "predict", "Apply a saved raster model to a channel stack: prospectivity map, zones, SHAP");
  OptionSet& set = command.options;
  RasterPredictArgs& a = *args;
  set.add("model", a.model, "The model file of 'raster train' (DIR/model.pt)")
      .required()
      .placeholder("FILE");
  set.add("stack", a.stack, "Channel stack GeoTIFF holding the model's channels")
      .required()
      .placeholder("FILE");
  set.add("out", a.out, "The prospectivity GeoTIFF").required().placeholder("FILE");
  set.add("zones", a.zones, "A/B/C target zones (GeoPackage)").placeholder("FILE");
  set.add("zones-by", a.zonesBy,
          "A/B/C zones: thresholds (paper: 0.95/0.90/0.85) or percentiles (top 1/5/10 % of the "
          "area)")
      .choices({"thresholds", "percentiles"});
  set.add("shap", a.shap, "Mean |SHAP| per channel of the top-scoring windows (CSV)")
      .placeholder("FILE");
  set.add("seed", a.seed, "Seed of the SHAP background windows");
  set.add("stride", a.stride, "Map stride in cells (lattice scored, bilinear in between); 0 = auto");
  set.add("map-windows", a.mapWindows, "Auto stride: at most this many windows scored per map")
      .positive();
  set.add("shap-windows", a.shapWindows, "Windows explained by SHAP");
  set.add("shap-samples", a.shapSamples, "Expected-gradients draws per explained window").positive();
  command.run = [args, &common = command.common](RunReport& report) {
    runPredict(*args, common, report);
  };
}

}  // namespace orevox::cli
