// orevox transfer train|predict: cross-deposit transfer on voxel models (DANN-CTA and its
// baselines, dann-cta-jiaodong-2026) and streamed prediction of a target volume.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "../command.hpp"
#include "orevox/datasets/crs.hpp"
#include "orevox/datasets/embedded.hpp"
#include "orevox/datasets/raster_io.hpp"
#include "orevox/datasets/volume_io.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/learning/torch/volume_models.hpp"
#include "orevox/voxel/spatial_index.hpp"

namespace orevox::cli {

namespace {

struct TransferArgs {
  std::string action, dataset, source, target, labelChannel = "orebody", model = "dann-cta", out, size = "128,128,64";
  std::string volume, vti, zones, zoneFractions = "0.01,0.05,0.10", domainWeights = "prior", lrSchedule = "dann";
  int patch = 9, epochs = 10, repeats = 1;
  std::uint64_t seed = 1;
  double shift = 0.5;
  std::size_t positives = 1500, tile = 64, targetLabels = 0, mmdPatches = 300;
  std::size_t minZoneVoxels = kDefaultMinZoneVoxels;
  std::vector<std::string> drape;
};

/// One --drape FILE.tif[:band,...]: the raster and the bands to drape (all when none named).
struct DrapeLayer {
  std::string path;
  Raster raster;
  std::vector<std::size_t> bands;
};

std::vector<DrapeLayer> readDrapeLayers(const std::vector<std::string>& specs) {
  std::vector<DrapeLayer> out;
  for (const std::string& spec : specs) {
    DrapeLayer d;
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
          throw UsageError("--drape: " + d.path + " has no band '" + name + "' (" +
                           std::to_string(d.raster.bandCount()) + " bands; give names or numbers from 1)");
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
        throw DataError("--drape: the raster is in CRS '" + crsName(g.crsWkt) + "' but the volumes are in '" +
                            crsName(index.crsWkt()) + "'; reproject it first",
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
        throw DataError("--drape: the raster (x " + coordinate(e.xmin) + " to " + coordinate(e.xmax) + ", y " +
                            coordinate(e.ymin) + " to " + coordinate(e.ymax) + ") does not cover the " + layer +
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
      picked.addBand("surface_" + band.name, band.values, band.units);
    }
    try {
      index.addGrid(picked);
    } catch (const DataError& e) {  // CRS or grid mismatch: name the file
      throw DataError("--drape: " + e.message(), SourceLocation{d.path, 0, 0, {}, {}});
    }
    for (const Band& band : picked.bands()) {
      for (const std::string& layer : voxelLayers) index.drapeToVoxels(band.name, layer, band.name);
    }
  }
}

nlohmann::json meanSd(const std::vector<double>& v) {
  double m = 0, s = 0;
  for (double x : v) m += x;
  m /= double(v.size());
  for (double x : v) s += (x - m) * (x - m);
  return {{"mean", m}, {"sd", v.size() > 1 ? std::sqrt(s / double(v.size() - 1)) : 0.0}, {"runs", v}};
}

nlohmann::json finiteOrNull(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

void runTrain(const TransferArgs& a, const CommonOptions& common, RunReport& report) {
  if (a.out.empty()) throw UsageError("--out: transfer train needs an output folder for the models");
  if (a.dataset.empty() == (a.source.empty() || a.target.empty())) {
    throw UsageError("transfer train: give either --dataset synth3d or both --source and --target");
  }
  if (!a.dataset.empty() && a.dataset != "synth3d") {
    throw UsageError("--dataset: only 'synth3d' holds a source/target volume pair, got '" + a.dataset + "'");
  }
  if (a.repeats < 1) throw UsageError("--repeats must be at least 1");
  if (a.repeats > 1 && a.dataset.empty()) throw UsageError("--repeats needs --dataset synth3d (one seed per run)");
  TransferOptions options;
  options.models.clear();
  if (a.model == "all") {
    options.models = {VolumeModelKind::DannCta, VolumeModelKind::Dann, VolumeModelKind::Cnn3d};
    options.randomForest = true;
  } else {
    for (const std::string& m : splitList(a.model, "--model")) {
      if (m == "rf") {
        options.randomForest = true;
        continue;
      }
      if (m != "dann-cta" && m != "dann" && m != "cnn3d")
        throw UsageError("--model: '" + m + "' is not a model (dann-cta, dann, cnn3d, rf, or all)");
      const VolumeModelKind kind = parseVolumeModel(m, "--model");
      if (std::find(options.models.begin(), options.models.end(), kind) == options.models.end())
        options.models.push_back(kind);
    }
  }
  options.labelChannel = a.labelChannel;
  options.train.patch = a.patch;
  options.train.epochs = a.epochs;
  options.train.positives = a.positives;
  options.targetLabels = a.targetLabels;
  options.mmdPatches = a.mmdPatches;
  options.priorWeightedDomain = a.domainWeights == "prior";
  options.train.annealLearningRate = a.lrSchedule == "dann";
  options.predict.tile = a.tile;
  const std::vector<DrapeLayer> drapeLayers = readDrapeLayers(a.drape);
  OutputFolder folder(a.out);  // removed again if the run fails
  checkOutputPath(a.out + "/probe.pt");

  Synth3dOptions synth;
  if (!a.dataset.empty()) {
    const auto n = parseNumbers(a.size, "--size");
    if (n.size() != 3 || n[0] < 8 || n[1] < 8 || n[2] < 8) {
      throw UsageError("--size: expected nx,ny,nz, each at least 8, got '" + a.size + "'");
    }
    synth.nx = std::size_t(n[0]);
    synth.ny = std::size_t(n[1]);
    synth.nz = std::size_t(n[2]);
    synth.shift = a.shift;
    report.input("dataset", "synth3d");
    report.parameter("size", {synth.nx, synth.ny, synth.nz});
    report.parameter("shift", a.shift);
  } else {
    report.input("source", a.source);
    report.input("target", a.target);
  }
  report.seed(a.seed);
  report.parameter("models", a.model);
  report.parameter("patch", a.patch);
  report.parameter("epochs", a.epochs);
  report.parameter("positives", a.positives);
  report.parameter("repeats", a.repeats);
  report.parameter("label_channel", a.labelChannel);
  report.parameter("target_labels", a.targetLabels);
  report.parameter("mmd_patches", a.mmdPatches);
  report.parameter("domain_weights",
                   a.domainWeights == "prior"
                       ? "source patches weighted back to the source's ore share in the domain loss"
                       : "none (balanced source patches against randomly drawn target patches)");
  report.parameter("lr_schedule", a.lrSchedule == "dann" ? "mu_0 / (1 + 10 p)^0.75 (DANN)" : "constant");
  if (!a.drape.empty()) report.parameter("drape", a.drape);
  report.parameter("standardisation", "per-domain (each volume with its own channel mean and sd)");
  report.parameter("protocol", a.targetLabels > 0
                                   ? "source labels for every model but cnn3d-target, which trains on " +
                                         std::to_string(a.targetLabels) +
                                         " labelled target patches only (their centres are left out of the "
                                         "target scores); fixed epochs, no model selection"
                                   : std::string("source labels only; target truth used for evaluation only; fixed "
                                                 "epochs, no model selection"));

  nlohmann::json models = nlohmann::json::object();
  std::map<std::string, std::map<std::string, std::vector<double>>> figures;
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
    });
    options.train.seed = seed;
    TransferResult result;
    report.timed("run_" + std::to_string(r), [&] { result = runTransfer(index, "source", "target", options); });
    mmdInput.push_back(result.mmdInput);
    oreShares.push_back(result.sourceOreShare);
    if (r == 0) report.result("channels", result.channels);
    if (a.targetLabels > 0) {
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
        run["capture_top5"] = m.captureTop5;
        run["capture_top10"] = m.captureTop10;
        run["success_curve"] = m.successCurve;
        f["target_auc"].push_back(m.targetAuc);
        f["capture_top5"].push_back(m.captureTop5);
        f["capture_top10"].push_back(m.captureTop10);
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
                      (m.hasTargetTruth ? "target AUC " + fixed(m.targetAuc) + ", capture top 10% " +
                                              fixed(m.captureTop10)
                                        : std::string("no target truth")) +
                      (std::isfinite(m.mmdAfter) ? ", MMD^2 " + fixed(m.mmdBefore, 4) + " -> " +
                                                       fixed(m.mmdAfter, 4)
                                                 : std::string()));
    }
  }
  for (auto& [name, f] : figures) {
    nlohmann::json metrics = nlohmann::json::object(), sd = nlohmann::json::object();
    for (const char* key : {"target_auc", "capture_top5", "capture_top10"}) {
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

void runPredict(const TransferArgs& a, const CommonOptions& common, RunReport& report) {
  if (a.model.empty() || a.volume.empty() || a.out.empty()) {
    throw UsageError("transfer predict needs --model FILE.pt, --volume TGT and --out PROSPECT.vdb");
  }
  checkOutputPath(a.out);
  if (!a.vti.empty()) checkOutputPath(a.vti);
  if (!a.zones.empty()) checkOutputPath(a.zones);
  const std::vector<double> fractions = parseNumbers(a.zoneFractions, "--zone-fractions");
  VolumeModel model;
  SpatialIndex index;
  report.timed("load", [&] {
    model = VolumeModel::load(a.model);
    index.addVoxels("target", readVolume(a.volume));
    drape(index, readDrapeLayers(a.drape), {"target"});
  });
  if (!a.drape.empty()) report.parameter("drape", a.drape);
  report.input("model", a.model);
  report.input("volume", a.volume);
  report.parameter("tile", a.tile);
  VolumePredictOptions po;
  po.tile = a.tile;
  VolumePrediction p;
  report.timed("predict", [&] { p = predictVolume(model, index, "target", po); });
  VoxelModel out = index.voxels("target");
  out.setChannel("prospectivity", p.probability, &p.valid, "probability");
  report.timed("write", [&] {
    writeVolume(out, a.out);
    report.output(a.out);
    if (!a.vti.empty()) {
      writeVolume(out, a.vti);
      report.output(a.vti);
    }
  });
  nlohmann::json result = {{"model", volumeModelName(model.kind())}, {"tiles", p.tiles}, {"voxels", p.voxels},
                           {"voxels_per_s", double(p.voxels) / std::max(p.seconds, 1e-9)}};
  if (!a.zones.empty()) {
    const std::vector<TargetZone> zones = targetZones(out, "prospectivity", fractions, a.minZoneVoxels);
    writeTextFileAtomic(a.zones, targetZonesCsv(zones));
    report.output(a.zones);
    report.parameter("min_zone_voxels", a.minZoneVoxels);
    result["zones"] = zones.size();
  }
  report.result("prediction", result);
  say(common, "predicted " + std::to_string(p.voxels) + " voxels in " + fixed(p.seconds, 1) + " s -> " + a.out);
}

}  // namespace

void addTransferCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<TransferArgs>();
  auto* app = root.add_subcommand("transfer",
                                  "Cross-deposit transfer on voxel models (DANN-CTA, DANN, CNN3D, RF): train on a "
                                  "labelled source and an unlabelled target, or predict a target volume");
  command.app = app;
  app->add_option("action", args->action, "train or predict")->required()->check(CLI::IsMember({"train", "predict"}));
  app->add_option("--dataset", args->dataset, "train: embedded source/target pair (synth3d)");
  app->add_option("--source", args->source, "train: labelled source volume (.vdb, .vti, block-model .csv)");
  app->add_option("--target", args->target, "train: unlabelled target volume (.vdb, .vti, .csv)");
  app->add_option("--label-channel", args->labelChannel, "train: 0/1 ore channel of the source")->capture_default_str();
  app->add_option("--model", args->model,
                  "train: dann-cta, dann, cnn3d, rf, a comma list of them, or all; predict: the model file (DIR/<model>.pt)")
      ->capture_default_str();
  app->add_option("--patch", args->patch, "train: patch edge in voxels (odd, >= 7)")->capture_default_str();
  app->add_option("--epochs", args->epochs, "train: epochs")->capture_default_str()->check(positive());
  app->add_option("--positives", args->positives, "train: ore patches drawn from the source (plus as many barren)")
      ->capture_default_str()->check(positive());
  app->add_option("--seed", args->seed, "train: seed of the data generator, sampling and training")->capture_default_str();
  app->add_option("--repeats", args->repeats, "train, synth3d: runs with seeds seed, seed+1, ... (mean and sd)")
      ->capture_default_str();
  app->add_option("--shift", args->shift, "train, synth3d: domain gap (0 = same law, 1 = strong covariate shift)")
      ->capture_default_str()->check(inRange(0.0, 1.0));
  app->add_option("--size", args->size, "train, synth3d: voxels nx,ny,nz")->capture_default_str();
  app->add_option("--out", args->out, "train: output folder of the models; predict: the prospectivity volume (.vdb)");
  app->add_option("--volume", args->volume, "predict: the volume to score (.vdb, .vti, .csv)");
  app->add_option("--vti", args->vti, "predict: also write the volume with prospectivity as .vti");
  app->add_option("--zones", args->zones, "predict: 3D target zones (A/B/C connected bodies) as CSV");
  app->add_option("--zone-fractions", args->zoneFractions, "predict: shares of the volume above the A,B,C thresholds")
      ->capture_default_str();
  app->add_option("--min-zone-voxels", args->minZoneVoxels,
                  "predict: smallest body listed as a zone, in voxels (smaller ones are score noise)")
      ->capture_default_str()
      ->check(positive());
  app->add_option("--domain-weights", args->domainWeights,
                  "train: prior (the domain loss weights the balanced source patches back to the source's ore "
                  "share, so the discriminator compares rock with rock) or none (plain DANN: balanced source "
                  "against random target patches, which pulls barren target rock towards ore)")
      ->capture_default_str()
      ->check(CLI::IsMember({"prior", "none"}));
  app->add_option("--lr-schedule", args->lrSchedule,
                  "train: dann (Adam's rate annealed as mu_0 / (1 + 10 p)^0.75, Ganin et al. 2016; without it "
                  "the adversarial game diverged on synth3d) or constant")
      ->capture_default_str()
      ->check(CLI::IsMember({"dann", "constant"}));
  app->add_option("--mmd-patches", args->mmdPatches,
                  "train: held-out unlabelled patches per domain for the MMD figures (before/after adaptation)")
      ->capture_default_str()->check(inRange(2, 100000));
  app->add_option("--target-labels", args->targetLabels,
                  "train: also cnn3d-target, a CNN3D trained only on this many labelled target patches (needs the "
                  "label channel in the target; their centres are left out of every score)")
      ->capture_default_str();
  app->add_option("--drape", args->drape,
                  "2D raster FILE.tif[:band,...] (names or numbers from 1) draped down the voxel columns of source and "
                  "target (train) or the volume (predict) as channels surface_<band>; one raster covers both boxes; "
                  "repeatable, the rasters share one grid; predict needs the same --drape as train")
      ->allow_extra_args(false);
  app->add_option("--tile", args->tile, "tile edge in voxels for streamed prediction")->capture_default_str()
      ->check(positive());

  command.run = [args, &common = command.common](RunReport& report) {
    if (args->action == "train") {
      runTrain(*args, common, report);
    } else {
      runPredict(*args, common, report);
    }
  };
}

}  // namespace orevox::cli
