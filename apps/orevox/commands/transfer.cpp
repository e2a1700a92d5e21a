// orevox transfer train|predict: cross-deposit transfer on voxel models (DANN-CTA and its
// baselines, dann-cta-jiaodong-2026) and streamed prediction of a target volume.
#include <cmath>
#include <filesystem>
#include <map>

#include "../command.hpp"
#include "orevox/datasets/embedded.hpp"
#include "orevox/datasets/volume_io.hpp"
#include "orevox/geomodel/atomic_file.hpp"
#include "orevox/geomodel/error.hpp"
#include "orevox/learning/torch/volume_models.hpp"
#include "orevox/voxel/spatial_index.hpp"

namespace orevox::cli {

namespace {

struct TransferArgs {
  std::string action, dataset, source, target, labelChannel = "orebody", model = "dann-cta", out, size = "128,128,64";
  std::string volume, vti, zones, zoneFractions = "0.01,0.05,0.10";
  int patch = 9, epochs = 10, repeats = 1;
  std::uint64_t seed = 1;
  double shift = 0.5;
  std::size_t positives = 1500, tile = 32;
};

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
  } else if (a.model == "rf") {
    options.randomForest = true;
  } else {
    options.models = {parseVolumeModel(a.model)};
  }
  options.labelChannel = a.labelChannel;
  options.train.patch = a.patch;
  options.train.epochs = a.epochs;
  options.train.positives = a.positives;
  options.predict.tile = a.tile;
  makeDirectories(a.out);
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
  report.parameter("standardisation", "per-domain (each volume with its own channel mean and sd)");
  report.parameter("protocol", "source labels only; target truth used for evaluation only; fixed epochs, no model selection");

  nlohmann::json models = nlohmann::json::object();
  std::map<std::string, std::map<std::string, std::vector<double>>> figures;
  std::vector<double> mmdInput;
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
    });
    options.train.seed = seed;
    TransferResult result;
    report.timed("run_" + std::to_string(r), [&] { result = runTransfer(index, "source", "target", options); });
    mmdInput.push_back(result.mmdInput);
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
      if (r == 0 && m.name != "rf") {
        const std::string path = a.out + "/" + m.name + ".pt";
        m.model.save(path);
        report.output(path);
        models[m.name]["model_file"] = path;
      }
      models[m.name]["runs"].push_back(run);
      say(common, m.name + " (seed " + std::to_string(seed) + "): " +
                      (m.hasTargetTruth ? "target AUC " + std::to_string(m.targetAuc) + ", capture top 10% " +
                                              std::to_string(m.captureTop10)
                                        : std::string("no target truth")) +
                      (std::isfinite(m.mmdAfter) ? ", MMD^2 " + std::to_string(m.mmdBefore) + " -> " +
                                                       std::to_string(m.mmdAfter)
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
  });
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
    const std::vector<TargetZone> zones = targetZones(out, "prospectivity", fractions);
    writeTextFileAtomic(a.zones, targetZonesCsv(zones));
    report.output(a.zones);
    result["zones"] = zones.size();
  }
  report.result("prediction", result);
  say(common, "predicted " + std::to_string(p.voxels) + " voxels in " + std::to_string(p.seconds) + " s -> " + a.out);
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
                  "train: dann-cta, dann, cnn3d, rf or all; predict: the model file (DIR/<model>.pt)")
      ->capture_default_str();
  app->add_option("--patch", args->patch, "train: patch edge in voxels (odd, >= 7)")->capture_default_str();
  app->add_option("--epochs", args->epochs, "train: epochs")->capture_default_str()->check(CLI::PositiveNumber);
  app->add_option("--positives", args->positives, "train: ore patches drawn from the source (plus as many barren)")
      ->capture_default_str()->check(CLI::PositiveNumber);
  app->add_option("--seed", args->seed, "train: seed of the data generator, sampling and training")->capture_default_str();
  app->add_option("--repeats", args->repeats, "train, synth3d: runs with seeds seed, seed+1, ... (mean and sd)")
      ->capture_default_str();
  app->add_option("--shift", args->shift, "train, synth3d: domain gap (0 = same law, 1 = strong covariate shift)")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  app->add_option("--size", args->size, "train, synth3d: voxels nx,ny,nz")->capture_default_str();
  app->add_option("--out", args->out, "train: output folder of the models; predict: the prospectivity volume (.vdb)");
  app->add_option("--volume", args->volume, "predict: the volume to score (.vdb, .vti, .csv)");
  app->add_option("--vti", args->vti, "predict: also write the volume with prospectivity as .vti");
  app->add_option("--zones", args->zones, "predict: 3D target zones (A/B/C connected bodies) as CSV");
  app->add_option("--zone-fractions", args->zoneFractions, "predict: shares of the volume above the A,B,C thresholds")
      ->capture_default_str();
  app->add_option("--tile", args->tile, "tile edge in voxels for streamed prediction")->capture_default_str()
      ->check(CLI::PositiveNumber);

  command.run = [args, &common = command.common](RunReport& report) {
    if (args->action == "train") {
      runTrain(*args, common, report);
    } else {
      runPredict(*args, common, report);
    }
  };
}

}  // namespace orevox::cli
