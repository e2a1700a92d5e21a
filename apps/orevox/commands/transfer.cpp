// orevox transfer train|predict: cross-deposit transfer on voxel models (DANN-CTA and its
// baselines, dann-cta-jiaodong-2026) and streamed prediction of a target volume.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "../command.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/datasets/crs.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/datasets/embedded.hpp"
#include "orevox/datasets/raster_io.hpp"
#include "orevox/datasets/volume_io.hpp"
#include "orevox/learning/torch/volume_models.hpp"
#include "orevox/voxel/spatial_index.hpp"

namespace orevox::cli {

namespace {

/// `transfer train`: the source/target pair, the study's repeats and the transfer options
/// (declared by the library).
struct TransferTrainArgs {
  std::string dataset, source, target, out;
  std::vector<std::string> models{"dann-cta"};
  std::vector<long> size{128, 128, 64};
  int repeats = 1;
  std::uint64_t seed = 1;
  double shift = Synth3dOptions().shift;
  std::vector<std::string> drape;
  std::string drapeMap, drapeSamples;
  TransferOptions transfer;
};

/// `transfer predict`: a saved model applied to a volume.
struct TransferPredictArgs {
  std::string model, volume, out, vti, zones;
  std::vector<double> zoneFractions{0.01, 0.05, 0.10};
  std::size_t minZoneVoxels = kDefaultMinZoneVoxels;
  std::vector<std::string> drape;
  std::string drapeMap, drapeSamples;
  VolumePredictOptions predict;
};

/// Declares --drape (train and predict).
void declareDrape(OptionSet& set, std::vector<std::string>& drape, const std::string& where) {
  set.addRepeated("drape", drape,
                  "2D raster FILE.tif[:band,...] (names or numbers from 1) draped down the voxel "
                  "columns of " +
                      where +
                      " as channels surface_<band>; repeatable, the rasters share one grid")
      .placeholder("FILE[:BAND,...]");
}

/// Declares --drape-map and --drape-samples: the 2D paths' results as voxel channels.
void declareDrapeResults(OptionSet& set, std::string& map, std::string& samples,
                         const std::string& where) {
  set.add("drape-map", map,
          "2D prospectivity map FILE.tif[:band] (e.g. of 'raster predict') draped down the voxel "
          "columns of " +
              where + " as channel " + kSurfaceSsgsnetChannel)
      .placeholder("FILE[:BAND]");
  set.add("drape-samples", samples,
          "Per-sample probabilities FILE.csv[:column] (x, y and p_ore unless named, e.g. of 'graph "
          "predict'), interpolated from the sample nodes onto the voxel columns of " +
              where + " (IDW, 12 nearest, power 2) as channel " + kSurfaceResgnnChannel)
      .placeholder("FILE[:COLUMN]");
}

/// FILE[:suffix]: the suffix follows the last ':' after the last '/' (empty when none).
std::pair<std::string, std::string> splitSpec(const std::string& spec) {
  const std::size_t slash = spec.find_last_of('/'), colon = spec.find_last_of(':');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash))
    return {spec, {}};
  return {spec.substr(0, colon), spec.substr(colon + 1)};
}

/// One --drape FILE.tif[:band,...]: the raster and the bands to drape (all when none named).
struct DrapeLayer {
  std::string path;
  Raster raster;
  std::vector<std::size_t> bands;
  std::string option = "--drape";  ///< the option that named it (for messages)
  std::string channel;             ///< the channel of its one band; empty = surface_<band>
};

std::vector<DrapeLayer> readDrapeLayers(const std::vector<std::string>& specs,
                                        const std::string& option = "--drape") {
  std::vector<DrapeLayer> out;
  for (const std::string& spec : specs) {
    DrapeLayer d;
    d.option = option;
    // FILE[:band,...]: the band list follows the last ':' after the last '/'.
    const std::size_t slash = spec.find_last_of('/'), colon = spec.find_last_of(':');
    const bool hasBands = colon != std::string::npos && (slash == std::string::npos || colon > slash);
    d.path = hasBands ? spec.substr(0, colon) : spec;
    d.raster = readRaster(d.path);
    if (hasBands) {
      std::string rest = spec.substr(colon + 1);
      std::size_t start = 0;
      while (start <= rest.size()) {
        const std::size_t comma = std::min(rest.find(',', start), rest.size());
        const std::string name = rest.substr(start, comma - start);
        long band = d.raster.bandIndex(name);
        if (band < 0 && !name.empty() && name.find_first_not_of("0123456789") == std::string::npos) {
          band = std::stol(name) - 1;  // 1-based band number
        }
        if (band < 0 || std::size_t(band) >= d.raster.bandCount()) {
          throw UsageError(option + ": " + d.path + " has no band '" + name + "' (" +
                           std::to_string(d.raster.bandCount()) +
                           " bands; give names or numbers from 1)");
        }
        d.bands.push_back(std::size_t(band));
        start = comma + 1;
      }
    } else {
      for (std::size_t b = 0; b < d.raster.bandCount(); ++b) d.bands.push_back(b);
    }
    out.push_back(std::move(d));
  }
  return out;
}

std::string coordinate(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", v);
  return buffer;
}

/// Drapes every band of `layers` down the voxel columns of `voxelLayers` as channel
/// "surface_<band>" (SpatialIndex::drapeToVoxels). One raster must cover every box's column
/// centres (DataError naming the file and both extents otherwise) and share the index's CRS
/// and, with other --drape rasters, one grid. Nodata cells leave their columns inactive in
/// that channel, so those voxels are not scored.
void drape(SpatialIndex& index, const std::vector<DrapeLayer>& layers, const std::vector<std::string>& voxelLayers) {
  for (const DrapeLayer& d : layers) {
    const GridSpec& g = d.raster.grid();
    bool sameSpelling = false;
    // The same CRS may be spelt differently (GDAL rewrites WKT): compare meanings, then let
    // the index see its own spelling.
    if (!g.crsWkt.empty() && !index.crsWkt().empty()) {
      if (!sameCrs(g.crsWkt, index.crsWkt())) {
        throw DataError(d.option + ": the raster is in CRS '" + crsName(g.crsWkt) +
                            "' but the volumes are in '" + crsName(index.crsWkt()) +
                            "'; reproject it first",
                        SourceLocation{d.path, 0, 0, {}, {}});
      }
      sameSpelling = true;
    }
    for (const std::string& layer : voxelLayers) {
      const VolumeSpec& v = index.voxels(layer).spec();
      long col = 0, row = 0;
      const bool covered = g.cellOf(v.centreX(0), v.centreY(0), col, row) &&
                           g.cellOf(v.centreX(v.nx - 1), v.centreY(v.ny - 1), col, row);
      if (!covered) {
        const Extent e = g.extent();
        throw DataError(d.option + ": the raster (x " + coordinate(e.xmin) + " to " +
                            coordinate(e.xmax) + ", y " + coordinate(e.ymin) + " to " +
                            coordinate(e.ymax) + ") does not cover the " + layer +
                            " volume's columns (x " + coordinate(v.origin[0]) + " to " +
                            coordinate(v.origin[0] + double(v.nx) * v.spacing[0]) + ", y " +
                            coordinate(v.origin[1]) + " to " +
                            coordinate(v.origin[1] + double(v.ny) * v.spacing[1]) + ")",
                        SourceLocation{d.path, 0, 0, {}, {}});
      }
    }
    Raster picked(g, d.raster.nodata());
    if (sameSpelling) picked.grid().crsWkt = index.crsWkt();
    for (std::size_t b : d.bands) {
      const Band& band = d.raster.band(b);
      picked.addBand(d.channel.empty() ? "surface_" + band.name : d.channel, band.values,
                     band.units);
    }
    try {
      index.addGrid(picked);
    } catch (const DataError& e) {  // CRS or grid mismatch: name the file
      throw DataError(d.option + ": " + e.message(), SourceLocation{d.path, 0, 0, {}, {}});
    }
    for (const Band& band : picked.bands()) {
      for (const std::string& layer : voxelLayers) index.drapeToVoxels(band.name, layer, band.name);
    }
  }
}

/// The 2D paths' results of --drape-map / --drape-samples, read once.
struct DrapeResults {
  std::vector<DrapeLayer> map;  ///< at most one layer of one band, channel surface_ssgsnet
  SampleTable nodes;            ///< --drape-samples: x, y and the probability column
  std::string samplesPath, column;
  std::vector<std::string> channels;  ///< the channels they add
};

DrapeResults readDrapeResults(const std::string& map, const std::string& samples) {
  DrapeResults r;
  if (!map.empty()) {
    r.map = readDrapeLayers({map}, "--drape-map");
    if (r.map[0].bands.size() != 1) {
      throw UsageError("--drape-map: " + r.map[0].path + " has " +
                       std::to_string(r.map[0].bands.size()) +
                       " bands; name the prospectivity band (FILE.tif:band)");
    }
    r.map[0].channel = kSurfaceSsgsnetChannel;
    r.channels.push_back(kSurfaceSsgsnetChannel);
  }
  if (!samples.empty()) {
    const auto [path, column] = splitSpec(samples);
    r.samplesPath = path;
    r.column = column.empty() ? "p_ore" : column;
    CsvOptions csv;
    csv.columns = {r.column};
    csv.allowNegative = true;
    r.nodes = readSamplesCsv(path, csv);
    r.channels.push_back(kSurfaceResgnnChannel);
  }
  return r;
}

/// Drapes the 2D results onto `voxelLayers` of `index` (the map as drape() does; the sample
/// probabilities by IDW from the nodes through the index). DataError when no node lies over
/// a box (the samples belong elsewhere).
void drapeResults(SpatialIndex& index, const DrapeResults& r,
                  const std::vector<std::string>& voxelLayers) {
  drape(index, r.map, voxelLayers);
  if (r.nodes.size() == 0) return;
  index.addSamples("drape_samples", r.nodes);
  for (const std::string& layer : voxelLayers) {
    const VolumeSpec& v = index.voxels(layer).spec();
    Extent box;
    box.xmin = v.origin[0];
    box.ymin = v.origin[1];
    box.xmax = v.origin[0] + double(v.nx) * v.spacing[0];
    box.ymax = v.origin[1] + double(v.ny) * v.spacing[1];
    if (index.nodesInBox("drape_samples", box).empty()) {
      throw DataError("--drape-samples: no sample lies over the " + layer +
                          " volume's columns (x " + coordinate(box.xmin) + " to " +
                          coordinate(box.xmax) + ", y " + coordinate(box.ymin) + " to " +
                          coordinate(box.ymax) + ")",
                      SourceLocation{r.samplesPath, 0, 0, {}, {}});
    }
    index.drapeSamplesToVoxels("drape_samples", r.column, layer, kSurfaceResgnnChannel);
  }
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

nlohmann::json meanSd(const std::vector<double>& v) {
  double m = 0, s = 0;
  for (double x : v) m += x;
  m /= double(v.size());
  for (double x : v) s += (x - m) * (x - m);
  return {{"mean", m}, {"sd", v.size() > 1 ? std::sqrt(s / double(v.size() - 1)) : 0.0}, {"runs", v}};
}

nlohmann::json finiteOrNull(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

void runTrain(const TransferTrainArgs& a, const CommonOptions& common, RunReport& report) {
  if (a.dataset.empty() == (a.source.empty() || a.target.empty())) {
    throw UsageError("transfer train: give either --dataset synth3d or both --source and --target");
  }
  if (a.repeats > 1 && a.dataset.empty()) throw UsageError("--repeats needs --dataset synth3d (one seed per run)");
  TransferOptions options = a.transfer;
  options.models.clear();
  for (const std::string& m : a.models) {
    if (m == "all") {
      options.models.clear();
      for (const auto& entry : volumeModelNames()) options.models.push_back(entry.second);
      options.randomForest = true;
      break;
    }
    if (m == "rf") {
      options.randomForest = true;
      continue;
    }
    const VolumeModelKind kind = parseVolumeModel(m, "--model");
    if (std::find(options.models.begin(), options.models.end(), kind) == options.models.end())
      options.models.push_back(kind);
  }
  const std::vector<DrapeLayer> drapeLayers = readDrapeLayers(a.drape);
  const DrapeResults results2d = readDrapeResults(a.drapeMap, a.drapeSamples);
  options.compareWithout = results2d.channels;  // every figure also without the 2D results
  OutputFolder folder(a.out);  // removed again if the run fails
  checkOutputPath(a.out + "/probe.pt");

  Synth3dOptions synth;
  if (!a.dataset.empty()) {
    synth.nx = std::size_t(a.size[0]);
    synth.ny = std::size_t(a.size[1]);
    synth.nz = std::size_t(a.size[2]);
    synth.shift = a.shift;
    report.input("dataset", "synth3d");
    report.parameter("size", {synth.nx, synth.ny, synth.nz});
    report.parameter("shift", a.shift);
  } else {
    report.input("source", a.source);
    report.input("target", a.target);
  }
  report.seed(a.seed);
  report.parameter("models", report.json()["options"]["model"]);
  report.parameter("patch", options.train.patch);
  report.parameter("epochs", options.train.epochs);
  report.parameter("positives", options.train.positives);
  report.parameter("repeats", a.repeats);
  report.parameter("label_channel", options.labelChannel);
  report.parameter("target_labels", options.targetLabels);
  report.parameter("mmd_patches", options.mmdPatches);
  report.parameter("domain_weights",
                   options.priorWeightedDomain
                       ? "source patches weighted back to the source's ore share in the domain loss"
                       : "none (balanced source patches against randomly drawn target patches)");
  report.parameter("lr_schedule", options.train.annealLearningRate ? "mu_0 / (1 + 10 p)^0.75 (DANN)" : "constant");
  if (!a.drape.empty()) report.parameter("drape", a.drape);
  if (!a.drapeMap.empty()) report.parameter("drape_map", a.drapeMap);
  if (!a.drapeSamples.empty()) report.parameter("drape_samples", a.drapeSamples);
  if (!results2d.channels.empty()) {
    report.parameter("without_2d", "every model also trained and scored without " +
                                       joined(results2d.channels) + " (models.<name>.without_2d)");
  }
  if (options.oofBlocks > 1) {
    report.parameter("oof_map",
                     "target columns in " + std::to_string(options.oofBlocks) + " x " +
                         std::to_string(options.oofBlocks) +
                         " blocks; each block scored by models retrained on target patches that "
                         "reach no column of it (source-only models: their target map)");
  }
  report.parameter("standardisation", "per-domain (each volume with its own channel mean and sd)");
  report.parameter("protocol", options.targetLabels > 0
                                   ? "source labels for every model but cnn3d-target, which trains on " +
                                         std::to_string(options.targetLabels) +
                                         " labelled target patches only (their centres are left out of the "
                                         "target scores); fixed epochs, no model selection"
                                   : std::string("source labels only; target truth used for evaluation only; fixed "
                                                 "epochs, no model selection"));

  nlohmann::json models = nlohmann::json::object();
  std::map<std::string, std::map<std::string, std::vector<double>>> figures, figuresWithout;
  std::vector<double> mmdInput, oreShares;
  for (int r = 0; r < a.repeats; ++r) {
    const std::uint64_t seed = a.seed + std::uint64_t(r);
    SpatialIndex index;
    report.timed("load_" + std::to_string(r), [&] {
      if (!a.dataset.empty()) {
        synth.seed = seed;
        Dataset d = synth3dDataset(synth);
        for (auto& [name, volume] : d.volumes) index.addVoxels(name, std::move(volume));
      } else {
        index.addVoxels("source", readVolume(a.source));
        index.addVoxels("target", readVolume(a.target));
      }
      drape(index, drapeLayers, {"source", "target"});
      drapeResults(index, results2d, {"source", "target"});
    });
    options.train.seed = seed;
    TransferResult result;
    report.timed("run_" + std::to_string(r), [&] { result = runTransfer(index, "source", "target", options); });
    mmdInput.push_back(result.mmdInput);
    oreShares.push_back(result.sourceOreShare);
    if (r == 0) report.result("channels", result.channels);
    if (options.targetLabels > 0) {
      say(common, "target labels used in training (cnn3d-target only): " + std::to_string(result.targetLabelPatches) +
                      " patches");
    }
    for (const auto& m : result.models) {
      auto& f = figures[m.name];
      nlohmann::json run = {{"seed", seed},
                            {"train_s", m.training.seconds},
                            {"predict_s", m.predictSeconds},
                            {"label_loss", m.training.labelLoss},
                            {"domain_loss", m.training.domainLoss},
                            {"domain_accuracy", m.training.domainAccuracy},
                            {"mmd_before", finiteOrNull(m.mmdBefore)},
                            {"mmd_after", finiteOrNull(m.mmdAfter)}};
      if (m.hasTargetTruth) {
        run["target_auc"] = m.targetAuc;
        run["target_auc_ci95"] = {finiteOrNull(m.targetAucLow), finiteOrNull(m.targetAucHigh)};
        run["capture_top5"] = m.captureTop5;
        run["capture_top10"] = m.captureTop10;
        run["success_curve"] = m.successCurve;
        f["target_auc"].push_back(m.targetAuc);
        f["capture_top5"].push_back(m.captureTop5);
        f["capture_top10"].push_back(m.captureTop10);
      }
      if (!m.oofProbability.empty()) {
        run["oof_map_auc"] = m.oofMapAuc;
        run["oof_map_auc_ci95"] = {finiteOrNull(m.oofMapAucLow), finiteOrNull(m.oofMapAucHigh)};
        run["oof_retrained"] = m.oofRetrained;
        f["oof_map_auc"].push_back(m.oofMapAuc);
      }
      if (std::isfinite(m.mmdAfter)) {
        f["mmd_before"].push_back(m.mmdBefore);
        f["mmd_after"].push_back(m.mmdAfter);
      }
      if (r == 0) {
        // The first run's products: the model and its prospectivity of the target volume
        // (what `transfer predict` with that model writes for the same volume).
        if (m.name != "rf") {
          const std::string path = a.out + "/" + m.name + ".pt";
          m.model.save(path);
          report.output(path);
          models[m.name]["model_file"] = path;
        }
        VoxelModel prospect = index.voxels("target");
        prospect.setChannel("prospectivity", m.probability, &result.targetValid, "probability");
        const std::string path = a.out + "/" + m.name + "_target.vdb";
        writeVolume(prospect, path);
        report.output(path);
        models[m.name]["target_prospectivity"] = path;
      }
      models[m.name]["runs"].push_back(run);
      say(common, m.name + " (seed " + std::to_string(seed) + "): " +
                      (m.hasTargetTruth ? "target AUC " + fixed(m.targetAuc) +
                                              ", capture top 10% " + fixed(m.captureTop10)
                                        : std::string("no target truth")) +
                      (m.oofProbability.empty()
                           ? std::string()
                           : ", out-of-fold map AUC " + fixed(m.oofMapAuc) + " [" +
                                 fixed(m.oofMapAucLow) + ", " + fixed(m.oofMapAucHigh) + "]") +
                      (std::isfinite(m.mmdAfter)
                           ? ", MMD^2 " + fixed(m.mmdBefore, 4) + " -> " + fixed(m.mmdAfter, 4)
                           : std::string()));
    }
    for (const auto& m : result.without) {  // the same models without the 2D results
      auto& f = figuresWithout[m.name];
      nlohmann::json run = {{"seed", seed}};
      if (m.hasTargetTruth) {
        run["target_auc"] = m.targetAuc;
        run["target_auc_ci95"] = {finiteOrNull(m.targetAucLow), finiteOrNull(m.targetAucHigh)};
        f["target_auc"].push_back(m.targetAuc);
        f["capture_top10"].push_back(m.captureTop10);
      }
      if (!m.oofProbability.empty()) {
        run["oof_map_auc"] = m.oofMapAuc;
        run["oof_map_auc_ci95"] = {finiteOrNull(m.oofMapAucLow), finiteOrNull(m.oofMapAucHigh)};
        f["oof_map_auc"].push_back(m.oofMapAuc);
      }
      models[m.name]["without_2d"]["runs"].push_back(run);
      models[m.name]["without_2d"]["channels"] = result.withoutChannels;
      say(common, m.name + " without " + joined(results2d.channels) + ": target AUC " +
                      fixed(m.targetAuc) +
                      (m.oofProbability.empty() ? std::string()
                                                : ", out-of-fold map AUC " + fixed(m.oofMapAuc)));
    }
  }
  for (auto& [name, f] : figuresWithout) {
    nlohmann::json metrics = nlohmann::json::object();
    for (const auto& [key, values] : f) metrics[key] = meanSd(values)["mean"];
    models[name]["without_2d"]["metrics"] = metrics;
  }
  for (auto& [name, f] : figures) {
    nlohmann::json metrics = nlohmann::json::object(), sd = nlohmann::json::object();
    for (const char* key : {"target_auc", "capture_top5", "capture_top10", "oof_map_auc"}) {
      if (!f.count(key)) continue;
      const auto s = meanSd(f[key]);
      metrics[key] = s["mean"];
      sd[key] = s["sd"];
    }
    models[name]["metrics"] = metrics;
    models[name]["metrics_sd"] = sd;
    if (f.count("mmd_after")) {
      models[name]["domain_discrepancy"] = {{"measure", "MMD^2, Gaussian kernel, median heuristic, feature vectors"},
                                            {"before", meanSd(f["mmd_before"])["mean"]},
                                            {"after", meanSd(f["mmd_after"])["mean"]}};
    }
  }
  report.result("models", models);
  report.result("input_discrepancy", {{"measure", "MMD^2 of per-domain standardised centre-voxel channels"},
                                      {"value", meanSd(mmdInput)}});
  report.result("source_ore_share", meanSd(oreShares));
  folder.keep();
}

void runPredict(const TransferPredictArgs& a, const CommonOptions& common, RunReport& report) {
  // Every output declared before the work and committed together with the report: the
  // same path twice, an output over --model or --volume, a --vti that is not .vti, a
  // volume format orevox does not write, are refused now.
  OutputBatch& batch = report.outputs();
  batch.addInput(a.model, "--model");
  batch.addInput(a.volume, "--volume");
  checkVolumePath(a.out, "--out");
  if (!a.vti.empty()) checkVolumePath(a.vti, "--vti", ".vti");
  const std::string outPath = batch.add(a.out, "--out");
  const std::string vtiPath = a.vti.empty() ? std::string() : batch.add(a.vti, "--vti");
  const std::string zonesPath = a.zones.empty() ? std::string() : batch.add(a.zones, "--zones");
  const std::vector<double>& fractions = a.zoneFractions;
  VolumeModel model;
  SpatialIndex index;
  report.timed("load", [&] {
    model = VolumeModel::load(a.model);
    index.addVoxels("target", readVolume(a.volume));
    drape(index, readDrapeLayers(a.drape), {"target"});
    drapeResults(index, readDrapeResults(a.drapeMap, a.drapeSamples), {"target"});
  });
  if (!a.drape.empty()) report.parameter("drape", a.drape);
  report.input("model", a.model);
  report.input("volume", a.volume);
  report.parameter("tile", a.predict.tile);
  const VolumePredictOptions& po = a.predict;
  VolumePrediction p;
  report.timed("predict", [&] { p = predictVolume(model, index, "target", po); });
  VoxelModel out = index.voxels("target");
  out.setChannel("prospectivity", p.probability, &p.valid, "probability");
  report.timed("write", [&] {
    writeVolume(out, outPath);
    report.output(a.out);
    if (!a.vti.empty()) {
      writeVolume(out, vtiPath);
      report.output(a.vti);
    }
  });
  nlohmann::json result = {{"model", volumeModelName(model.kind())}, {"tiles", p.tiles}, {"voxels", p.voxels},
                           {"voxels_per_s", double(p.voxels) / std::max(p.seconds, 1e-9)}};
  if (!a.zones.empty()) {
    const std::vector<TargetZone> zones = targetZones(out, "prospectivity", fractions, a.minZoneVoxels);
    writeTextFileAtomic(zonesPath, targetZonesCsv(zones));
    report.output(a.zones);
    report.parameter("min_zone_voxels", a.minZoneVoxels);
    result["zones"] = zones.size();
  }
  report.result("prediction", result);
  say(common, "predicted " + std::to_string(p.voxels) + " voxels in " + fixed(p.seconds, 1) + " s -> " + a.out);
}

}  // namespace

void addTransferTrainCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<TransferTrainArgs>();
  CLI::App& group = commandGroup(
      root, "transfer",
      "Cross-deposit transfer on voxel models (DANN-CTA, DANN, CNN3D, RF): train on a labelled "
      "source and an unlabelled target, or predict a target volume");
  command.app = group.add_subcommand(
      "train", "Train the transfer models on a labelled source and an unlabelled target volume");
  OptionSet& set = command.options;
  TransferTrainArgs& a = *args;
  set.add("dataset", a.dataset, "Embedded source/target pair").choices({"synth3d"});
  set.add("source", a.source, "Labelled source volume (.vdb, .vti, block-model .csv)")
      .placeholder("FILE");
  set.add("target", a.target, "Unlabelled target volume (.vdb, .vti, .csv)")
      .placeholder("FILE");
  std::vector<std::string> models;
  for (const auto& entry : volumeModelNames()) models.push_back(entry.first);
  models.push_back("rf");
  set.add("model", a.models, "Models to train, a comma list").choices(models, {"all"});
  set.add("seed", a.seed, "Seed of the data generator, sampling and training");
  set.add("repeats", a.repeats, "synth3d: runs with seeds seed, seed+1, ... (mean and sd)")
      .range(1, 1000);
  set.add("shift", a.shift, "synth3d: domain gap (0 = same law, 1 = strong covariate shift)")
      .range(0.0, 1.0);
  set.add("size", a.size, "synth3d: voxels nx,ny,nz").counts({3}).range(8, 1 << 20).placeholder("nx,ny,nz");
  a.transfer.declare(set);
  declareDrape(set, a.drape, "source and target");
  declareDrapeResults(
      set, a.drapeMap, a.drapeSamples,
      "source and target (the volume path then also reports every figure without them)");
  set.add("out", a.out, "Output folder of the models").required().placeholder("DIR");
  command.run = [args, &common = command.common](RunReport& report) {
    runTrain(*args, common, report);
  };
}

void addTransferPredictCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<TransferPredictArgs>();
  CLI::App& group = commandGroup(root, "transfer", "");
  command.app = group.add_subcommand(
      "predict", "Score a volume with a saved transfer model: prospectivity volume and 3D zones");
  OptionSet& set = command.options;
  TransferPredictArgs& a = *args;
  set.add("model", a.model, "The model file of 'transfer train' (DIR/<model>.pt)")
      .required()
      .placeholder("FILE");
  set.add("volume", a.volume, "The volume to score (.vdb, .vti, .csv)")
      .required()
      .placeholder("FILE");
  set.add("out", a.out, "The prospectivity volume (.vdb, .vti, .vo or .csv, by the extension)")
      .required()
      .placeholder("FILE");
  set.add("vti", a.vti, "Also write the volume with prospectivity as .vti").placeholder("FILE");
  set.add("zones", a.zones, "3D target zones (A/B/C connected bodies) as CSV").placeholder("FILE");
  set.add("zone-fractions", a.zoneFractions, "Shares of the volume above the A,B,C thresholds")
      .range(0.0, 1.0);
  set.add("min-zone-voxels", a.minZoneVoxels,
          "Smallest body listed as a zone, in voxels (smaller ones are score noise)")
      .positive();
  declareDrape(set, a.drape, "the volume (the same --drape as train)");
  declareDrapeResults(set, a.drapeMap, a.drapeSamples, "the volume (the same as train)");
  a.predict.declare(set);
  command.run = [args, &common = command.common](RunReport& report) {
    runPredict(*args, common, report);
  };
}

}  // namespace orevox::cli
