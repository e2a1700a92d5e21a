// VolumeModel: creation, adversarial training (DANN / DANN-CTA) and source-only training
// (CNN3D), patch-by-patch inference, save/load, and the cross-deposit transfer study.
#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <ATen/core/grad_mode.h>
#include <torch/optim/adam.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>

#include "model_files.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/resources.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/learning/classical.hpp"
#include "orevox/learning/metrics.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"
#include "orevox/voxel/spatial_index.hpp"
#include "volume_net.hpp"

namespace orevox {

VolumeModel::VolumeModel() = default;
VolumeModel::~VolumeModel() = default;
VolumeModel::VolumeModel(const VolumeModel&) = default;
VolumeModel& VolumeModel::operator=(const VolumeModel&) = default;

VolumeModel::Impl& VolumeModel::impl() const {
  if (!impl_) throw UsageError("volume model is empty (create, train or load one first)");
  return *impl_;
}

VolumeModel VolumeModel::create(VolumeModelKind kind, const std::vector<std::string>& channels, int patch,
                                std::uint64_t seed) {
  if (patch < 7 || patch % 2 == 0) {
    throw UsageError("--patch: the volume networks need an odd patch of at least 7 voxels, got " +
                     std::to_string(patch));
  }
  if (channels.empty()) throw UsageError("volume model needs at least one input channel");
  VolumeModel model;
  model.impl_ = std::make_shared<Impl>();
  model.impl_->kind = kind;
  model.impl_->channels = channels;
  model.impl_->patch = patch;
  // Initial weights come from torch's generator, seeded here (configureTorch).
  configureTorch(threadCount(), mixSeed(seed, 0x766f6c));
  model.impl_->net = detail::VolumeNet(int(channels.size()), patch, kind == VolumeModelKind::DannCta);
  return model;
}

VolumeModelKind VolumeModel::kind() const { return impl().kind; }
int VolumeModel::patchSize() const { return impl().patch; }
const std::vector<std::string>& VolumeModel::channels() const { return impl().channels; }
ChannelStandardisation& VolumeModel::sourceStandardisation() { return impl().sourceStandardisation; }
const ChannelStandardisation& VolumeModel::sourceStandardisation() const { return impl().sourceStandardisation; }
std::size_t VolumeModel::featureSize() const { return std::size_t(detail::kFeatureSize); }

namespace {

void checkBatch(const VolumeModel::Impl& m, const PatchBatch& batch) {
  batch.validate();
  if (batch.size != std::size_t(m.patch) || batch.channelNames != m.channels) {
    throw UsageError("patch batch does not match the model (patch " + std::to_string(m.patch) + ", " +
                     std::to_string(m.channels.size()) + " channels)");
  }
}

std::vector<float> toVector(const at::Tensor& t) {
  const at::Tensor c = t.contiguous().to(at::kFloat);
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

constexpr std::size_t kInferenceChunk = 512;

}  // namespace

void VolumeModel::train(const PatchBatch& source, const PatchBatch& target, const VolumeTrainOptions& options,
                        VolumeTrainStats* stats) {
  Impl& m = impl();
  checkBatch(m, source);
  if (source.labels.size() != source.count || source.count == 0) {
    throw UsageError("training needs labelled source patches");
  }
  const bool adversarial = m.kind != VolumeModelKind::Cnn3d;
  if (adversarial) checkBatch(m, target);
  if (adversarial && target.count == 0) throw UsageError("adversarial training needs unlabelled target patches");
  if (options.epochs < 1 || options.batch < 2) throw UsageError("--epochs and the batch size must be positive");
  configureTorch(threadCount(), mixSeed(options.seed, 0x747261));
  Stopwatch watch;
  VolumeTrainStats local;
  VolumeTrainStats& st = stats ? *stats : local;
  st = VolumeTrainStats{};
  st.sourcePatches = source.count;
  st.targetPatches = adversarial ? target.count : 0;

  m.net->train();
  torch::optim::Adam optimiser(m.net->parameters(),
                               torch::optim::AdamOptions(options.learningRate).weight_decay(options.weightDecay));
  const std::size_t batch = std::min(options.batch, source.count);
  const std::size_t stepsPerEpoch = (source.count + batch - 1) / batch;
  const double totalSteps = double(stepsPerEpoch) * double(options.epochs);
  Rng rng = makeRng(options.seed, 0x6f7264);
  // Weights of the source patches in the domain loss (see VolumeTrainOptions::sourceOreShare).
  const std::array<double, 2> priorWeights =
      adversarial ? domainPriorWeights(source.labels, options.sourceOreShare) : std::array<double, 2>{1.0, 1.0};
  const double orePatchWeight = priorWeights[0], barrenPatchWeight = priorWeights[1];
  Progress progress("train " + std::string(volumeModelName(m.kind)), std::uint64_t(totalSteps));
  std::size_t step = 0;
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    // Augmentation of training data only (both domains are training data here).
    PatchBatch src = source, tgt = adversarial ? target : PatchBatch{};
    if (options.augment) {
      augmentPatches(src, options.seed, 1000 + std::uint64_t(epoch));
      if (adversarial) augmentPatches(tgt, options.seed, 2000 + std::uint64_t(epoch));
    }
    std::vector<std::size_t> order(src.count), torder(tgt.count);
    std::iota(order.begin(), order.end(), 0);
    std::iota(torder.begin(), torder.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    std::shuffle(torder.begin(), torder.end(), rng);
    double labelSum = 0, domainSum = 0, domainHits = 0, domainCount = 0;
    for (std::size_t s = 0; s < stepsPerEpoch; ++s, ++step) {
      const std::size_t b0 = s * batch, b1 = std::min(src.count, b0 + batch);
      std::vector<std::size_t> rows(order.begin() + long(b0), order.begin() + long(b1));
      at::Tensor xs = detail::patchesToTensor(src, rows);
      std::vector<float> y, domainWeight;
      for (std::size_t r : rows) {
        y.push_back(float(src.labels[r]));
        domainWeight.push_back(float(src.labels[r] == 1 ? orePatchWeight : barrenPatchWeight));
      }
      const at::Tensor ys = at::tensor(y, at::kFloat);
      const double lambda = gradientReversalLambda(double(step) / totalSteps, options.gamma);
      st.finalLambda = lambda;
      if (options.annealLearningRate) {
        const double rate = annealedLearningRate(options.learningRate, double(step) / totalSteps);
        for (auto& group : optimiser.param_groups())
          static_cast<torch::optim::AdamOptions&>(group.options()).lr(rate);
      }

      const at::Tensor fs = m.net->features(xs);
      // L_label: BCE of the ore logit on labelled SOURCE patches only.
      const at::Tensor labelLoss = at::binary_cross_entropy_with_logits(m.net->label(fs), ys);
      at::Tensor total = labelLoss;
      if (adversarial) {
        std::vector<std::size_t> trows;
        for (std::size_t r = 0; r < rows.size(); ++r) trows.push_back(torder[(b0 + r) % tgt.count]);
        const at::Tensor ft = m.net->features(detail::patchesToTensor(tgt, trows));
        // L_domain: BCE of the domain logit, source = 0, target = 1, on both domains. The
        // discriminator minimises it; the GRL inside domain() hands the feature extractor
        // -lambda * dL_domain/df, so the extractor MAXIMISES L_domain. Source patches carry
        // their prior weights, target patches weight 1.
        const at::Tensor d = m.net->domain(at::cat({fs, ft}, 0), lambda);
        const at::Tensor dy = at::cat({at::zeros({int64_t(rows.size())}), at::ones({int64_t(trows.size())})}, 0);
        const at::Tensor dw = at::cat({at::tensor(domainWeight, at::kFloat), at::ones({int64_t(trows.size())})}, 0);
        const at::Tensor domainLoss = at::binary_cross_entropy_with_logits(d, dy, dw);
        // total = L_label(source) + L_domain(source and target): both terms are minimised by
        // the optimiser; the sign flip for the extractor lives only in the GRL.
        total = labelLoss + domainLoss;
        domainSum += domainLoss.item<double>() * double(rows.size());
        domainHits += ((d > 0).to(at::kFloat) == dy).to(at::kFloat).sum().item<double>();
        domainCount += double(rows.size() + trows.size());
      }
      optimiser.zero_grad();
      total.backward();
      optimiser.step();
      labelSum += labelLoss.item<double>() * double(rows.size());
      progress.advance();
    }
    st.labelLoss.push_back(labelSum / double(src.count));
    if (adversarial) {
      st.domainLoss.push_back(domainSum / double(src.count));
      st.domainAccuracy.push_back(domainHits / domainCount);
    }
  }
  progress.finish();
  m.net->eval();
  st.steps = step;
  st.seconds = watch.seconds();
}

std::vector<float> VolumeModel::predictPatches(const PatchBatch& batch) const {
  Impl& m = impl();
  checkBatch(m, batch);
  at::NoGradGuard noGrad;
  std::vector<float> out;
  out.reserve(batch.count);
  detail::forEachPatchChunk(batch, kInferenceChunk, [&](const at::Tensor& x) {
    const std::vector<float> p = toVector(at::sigmoid(m.net->label(m.net->features(x))));
    out.insert(out.end(), p.begin(), p.end());
  });
  return out;
}

std::vector<float> VolumeModel::features(const PatchBatch& batch) const {
  Impl& m = impl();
  checkBatch(m, batch);
  at::NoGradGuard noGrad;
  std::vector<float> out;
  detail::forEachPatchChunk(batch, kInferenceChunk, [&](const at::Tensor& x) {
    const std::vector<float> f = toVector(m.net->features(x));
    out.insert(out.end(), f.begin(), f.end());
  });
  return out;
}

VolumeModel::AttentionGates VolumeModel::attentionGates(const PatchBatch& batch) const {
  Impl& m = impl();
  checkBatch(m, batch);
  at::NoGradGuard noGrad;
  AttentionGates g;
  if (!m.net->attention_) return g;
  const detail::HeadOutput h = m.net->head(m.net->trunk(detail::patchesToTensor(batch)));
  g.channel = toVector(h.channelGate);
  g.spatial = toVector(h.spatialGate);
  g.feature = toVector(h.featureGate);
  return g;
}

// ---- files ---------------------------------------------------------------------------------

void VolumeModel::save(const std::string& path) const {
  const Impl& m = impl();
  nlohmann::json j;
  j["format"] = "orevox-volume-model/1";
  j["model"] = volumeModelName(m.kind);
  j["channels"] = m.channels;
  j["patch"] = m.patch;
  j["trunk_channels"] = detail::kTrunkChannels;
  j["feature_size"] = detail::kFeatureSize;
  j["standardisation"] = {{"scheme", "per-domain: each volume is standardised with its own mean and sd over "
                                     "voxels active in every input channel"},
                          {"source_mean", m.sourceStandardisation.mean},
                          {"source_sd", m.sourceStandardisation.sd}};
  detail::saveModelFiles(*m.net, path, j);
}

VolumeModel VolumeModel::load(const std::string& path) {
  const std::string side = detail::modelSidecarPath(path);
  const nlohmann::json j = detail::readModelSidecar(path, "orevox-volume-model/1", "volume model",
                                                    " (written beside the model by 'transfer train')");
  VolumeModel model;
  try {
    model = create(parseVolumeModel(j.at("model").get<std::string>(), "model"),
                   j.at("channels").get<std::vector<std::string>>(), j.at("patch").get<int>(), 0);
    model.impl_->sourceStandardisation.channels = model.impl_->channels;
    model.impl_->sourceStandardisation.mean = j.at("standardisation").at("source_mean").get<std::vector<double>>();
    model.impl_->sourceStandardisation.sd = j.at("standardisation").at("source_sd").get<std::vector<double>>();
  } catch (const nlohmann::json::exception& e) {
    throw DataError(std::string("model sidecar is incomplete: ") + e.what(), SourceLocation{side, 0, 0, {}, {}});
  } catch (const c10::Error& e) {
    const std::string text = e.what_without_backtrace();
    throw DataError("model sidecar holds values its network cannot be built with: " +
                        text.substr(0, text.find('\n')),
                    SourceLocation{side, 0, 0, {}, {}});
  }
  detail::loadModelWeights(*model.impl_->net, path, "volume model");
  return model;
}

// ---- the transfer study --------------------------------------------------------------------

namespace {

/// Centre-voxel channel values (N x C) of a standardised batch.
std::vector<float> centreValues(const PatchBatch& b) {
  const std::size_t s = b.size, vol = b.patchVolume(), centre = ((s / 2) * s + s / 2) * s + s / 2;
  std::vector<float> out;
  for (std::size_t n = 0; n < b.count; ++n) {
    for (std::size_t c = 0; c < b.channels; ++c) out.push_back(b.values[n * b.patchStride() + c * vol + centre]);
  }
  return out;
}

/// Ore truth of the target (label > 0.5) and the voxels scored: `scored` and labelled.
void targetTruth(const VoxelModel& target, const std::string& labelChannel,
                 const std::vector<std::uint8_t>& scored, std::vector<std::uint8_t>& truth,
                 std::vector<std::uint8_t>& use) {
  const std::vector<float> label = target.denseChannel(labelChannel);
  const std::vector<std::uint8_t> labelled = target.activeMask(labelChannel);
  truth.assign(label.size(), 0);
  use.assign(label.size(), 0);
  for (std::size_t v = 0; v < label.size(); ++v) {
    truth[v] = label[v] > 0.5f;
    use[v] = scored[v] && labelled[v];
  }
}

void scoreTarget(TransferModelResult& r, const VoxelModel& target, const std::string& labelChannel,
                 const std::vector<std::uint8_t>& scored, int bootstrap, std::uint64_t seed) {
  if (!target.hasChannel(labelChannel)) return;
  r.hasTargetTruth = true;
  std::vector<std::uint8_t> truth, use;
  targetTruth(target, labelChannel, scored, truth, use);
  const ScoredLabels voxels = scoredLabels(r.probability, truth, use);
  r.targetAuc = rocAuc(voxels);
  const auto ci = bootstrapAucInterval(voxels.labels, voxels.scores, bootstrap, seed);
  r.targetAucLow = ci.first;
  r.targetAucHigh = ci.second;
  std::vector<double> q;
  for (int t = 0; t <= 20; ++t) q.push_back(t / 20.0);
  const std::vector<double> curve = volumeSuccessRate(r.probability, truth, use, q);
  for (std::size_t t = 0; t < q.size(); ++t) r.successCurve.push_back({q[t], curve[t]});
  r.captureTop5 = curve[1];
  r.captureTop10 = curve[2];
}

/// What the out-of-fold retraining needs of the main run.
struct OutOfFoldInputs {
  const SpatialIndex& index;
  const std::string& targetLayer;
  const TransferOptions& options;
  const std::vector<std::string>& channels;
  const PatchBatch& source;  ///< labelled, standardised source patches of the main run
  const ChannelStandardisation &srcStd, &tgtStd;
  std::size_t targetCount;  ///< unlabelled target patches per run
  double sourceOreShare;
};

/// Fills r.oofProbability (see TransferOptions::oofBlocks) and scores it over every valid
/// labelled target voxel.
void outOfFold(TransferModelResult& r, const OutOfFoldInputs& in, const std::vector<int>& folds,
               const std::vector<std::uint8_t>& targetValid) {
  const VoxelModel& target = in.index.voxels(in.targetLayer);
  const TransferOptions& options = in.options;
  const VolumeTrainOptions& t = options.train;
  const bool labelledTarget = r.name == "cnn3d-target";
  r.oofRetrained = labelledTarget || (r.name != "rf" && r.model.kind() != VolumeModelKind::Cnn3d);
  if (!r.oofRetrained) {
    r.oofProbability = r.probability;  // never saw the target: out-of-fold as it stands
  } else {
    r.oofProbability.assign(r.probability.size(), 0.0f);
    const int foldCount = options.oofBlocks * options.oofBlocks;
    for (int f = 0; f < foldCount; ++f) {
      const std::vector<std::uint8_t> eligible =
          outsideFoldBuffer(target.spec(), folds, f, t.patch / 2);
      VolumeTrainOptions to = t;
      VolumeModel m;
      if (labelledTarget) {  // as the main run's cnn3d-target, from the training blocks only
        PatchSamplingOptions ts;
        ts.size = t.patch;
        ts.positives = std::max<std::size_t>(1, options.targetLabels / 2);
        ts.seed = t.seed;
        ts.stream = 5;
        ts.eligible = eligible;
        const LabelledCentres c =
            sampleLabelledCentres(target, options.labelChannel, in.channels, ts);
        PatchBatch b = drawPatches(in.index, in.targetLayer, c.centres, t.patch, in.channels);
        b.labels = c.labels;
        in.tgtStd.apply(b);
        m = VolumeModel::create(VolumeModelKind::Cnn3d, in.channels, t.patch, t.seed);
        m.sourceStandardisation() = in.tgtStd;
        to.kind = VolumeModelKind::Cnn3d;
        m.train(b, PatchBatch{}, to);
      } else {  // as the main run, with unlabelled target patches from the training blocks only
        PatchBatch tgt =
            drawPatches(in.index, in.targetLayer,
                        sampleCentres(target, in.channels, in.targetCount, t.seed, 2, eligible),
                        t.patch, in.channels);
        in.tgtStd.apply(tgt);
        m = VolumeModel::create(r.model.kind(), in.channels, t.patch, t.seed);
        m.sourceStandardisation() = in.srcStd;
        to.kind = r.model.kind();
        to.sourceOreShare = options.priorWeightedDomain ? in.sourceOreShare : -1.0;
        m.train(in.source, tgt, to);
      }
      const VolumePrediction p = predictVolume(m, in.index, in.targetLayer, options.predict);
      for (std::size_t v = 0; v < folds.size(); ++v) {
        if (folds[v] == f) r.oofProbability[v] = p.probability[v];
      }
    }
  }
  std::vector<std::uint8_t> truth, use;
  targetTruth(target, options.labelChannel, targetValid, truth, use);
  const ScoredLabels voxels = scoredLabels(r.oofProbability, truth, use);
  r.oofMapAuc = rocAuc(voxels);
  const auto ci = bootstrapAucInterval(voxels.labels, voxels.scores, options.bootstrap, t.seed);
  r.oofMapAucLow = ci.first;
  r.oofMapAucHigh = ci.second;
}

}  // namespace

TransferResult runTransfer(const SpatialIndex& index, const std::string& sourceLayer, const std::string& targetLayer,
                           const TransferOptions& options) {
  const VoxelModel& source = index.voxels(sourceLayer);
  const VoxelModel& target = index.voxels(targetLayer);
  TransferResult result;
  result.channels = inputChannels(source, options.labelChannel);
  for (const std::string& c : options.excludeChannels) {
    result.channels.erase(std::remove(result.channels.begin(), result.channels.end(), c),
                          result.channels.end());
  }
  for (const std::string& c : options.compareWithout) {
    if (std::find(result.channels.begin(), result.channels.end(), c) == result.channels.end()) {
      throw UsageError("the study compares runs without channel '" + c +
                       "', which the source volume lacks");
    }
  }
  if (result.channels.empty()) throw UsageError("no input channel left for the volume models");
  for (const auto& c : result.channels) {
    if (!target.hasChannel(c)) throw DataError("the target volume has no channel '" + c + "' (the source has it)");
  }
  const VolumeTrainOptions& t = options.train;
  // Every model of the study, the centre-voxel random forest included, draws the same
  // patches: the networks' rule (odd, >= 7) holds for all, checked before any work.
  if (t.patch < 7 || t.patch % 2 == 0) {
    throw UsageError("--patch: the volume networks need an odd patch of at least 7 voxels, got " +
                     std::to_string(t.patch));
  }
  if (options.oofBlocks == 1) {
    throw UsageError("--oof-blocks: give 0 (off) or at least 2 (N x N column blocks), got 1");
  }
  if (options.oofBlocks > 1)
    (void)columnBlockFolds(target.spec(), options.oofBlocks);  // checks, before any work
  const double patchBytes =
      std::pow(double(t.patch), 3) * double(result.channels.size()) * sizeof(float);
  const std::size_t drawn = 2 * std::max<std::size_t>(1, t.positives);
  requireMemory(patchBytes * double(drawn),
                "drawing " + std::to_string(drawn) + " source patches of " +
                    std::to_string(t.patch) + "^3 voxels x " +
                    std::to_string(result.channels.size()) + " channels",
                Blame::Option, "a smaller --patch or fewer --positives");
  const ChannelStandardisation srcStd = ChannelStandardisation::fit(source, result.channels);
  const ChannelStandardisation tgtStd = ChannelStandardisation::fit(target, result.channels);

  PatchSamplingOptions sampling;
  sampling.size = t.patch;
  sampling.positives = t.positives;
  sampling.seed = t.seed;
  sampling.stream = 1;
  const LabelledCentres labelled = sampleLabelledCentres(source, options.labelChannel, result.channels, sampling);
  result.sourceOreShare = labelled.oreShare;  // the prior of the domain weights
  PatchBatch src = drawPatches(index, sourceLayer, labelled.centres, t.patch, result.channels);
  src.labels = labelled.labels;
  srcStd.apply(src);
  const std::size_t targetCount = t.targetPatches ? t.targetPatches : src.count;
  PatchBatch tgt = drawPatches(index, targetLayer, sampleCentres(target, result.channels, targetCount, t.seed, 2),
                               t.patch, result.channels);
  tgtStd.apply(tgt);
  // Held-out, unlabelled patches of both domains for the discrepancy figures.
  PatchBatch mmdSrc = drawPatches(index, sourceLayer, sampleCentres(source, result.channels, options.mmdPatches, t.seed, 3),
                                  t.patch, result.channels);
  PatchBatch mmdTgt = drawPatches(index, targetLayer, sampleCentres(target, result.channels, options.mmdPatches, t.seed, 4),
                                  t.patch, result.channels);
  srcStd.apply(mmdSrc);
  tgtStd.apply(mmdTgt);
  result.mmdInput = mmdGaussian(centreValues(mmdSrc), centreValues(mmdTgt), result.channels.size());
  result.targetValid = validVoxels(target, result.channels);
  // Voxels the target scores are computed on: the valid ones, less the centres of any
  // labelled target patches a model trained on.
  std::vector<std::uint8_t> scored = result.targetValid;
  PatchBatch targetLabelled;
  if (options.targetLabels > 0) {
    if (!target.hasChannel(options.labelChannel)) {
      throw DataError("--target-labels: the target volume has no label channel '" + options.labelChannel + "'");
    }
    PatchSamplingOptions ts = sampling;
    ts.positives = std::max<std::size_t>(1, options.targetLabels / 2);
    ts.stream = 5;
    const LabelledCentres c = sampleLabelledCentres(target, options.labelChannel, result.channels, ts);
    targetLabelled = drawPatches(index, targetLayer, c.centres, t.patch, result.channels);
    targetLabelled.labels = c.labels;
    tgtStd.apply(targetLabelled);
    for (const auto& centre : c.centres) {
      scored[target.spec().index(std::size_t(centre[0]), std::size_t(centre[1]), std::size_t(centre[2]))] = 0;
    }
    result.targetLabelPatches = targetLabelled.count;
  }

  for (VolumeModelKind kind : options.models) {
    TransferModelResult r;
    r.name = volumeModelName(kind);
    r.model = VolumeModel::create(kind, result.channels, t.patch, t.seed);
    r.model.sourceStandardisation() = srcStd;
    const std::size_t dim = r.model.featureSize();
    r.mmdBefore = mmdGaussian(r.model.features(mmdSrc), r.model.features(mmdTgt), dim);
    VolumeTrainOptions to = t;
    to.kind = kind;
    to.sourceOreShare = options.priorWeightedDomain ? result.sourceOreShare : -1.0;
    r.model.train(src, tgt, to, &r.training);
    r.mmdAfter = mmdGaussian(r.model.features(mmdSrc), r.model.features(mmdTgt), dim);
    VolumePrediction p = predictVolume(r.model, index, targetLayer, options.predict);
    r.probability = std::move(p.probability);
    r.predictSeconds = p.seconds;
    scoreTarget(r, target, options.labelChannel, scored, options.bootstrap, options.train.seed);
    result.models.push_back(std::move(r));
  }

  if (targetLabelled.count > 0) {
    // Target-only baseline: the CNN3D on the few labelled target patches, nothing else.
    TransferModelResult r;
    r.name = "cnn3d-target";
    r.model = VolumeModel::create(VolumeModelKind::Cnn3d, result.channels, t.patch, t.seed);
    r.model.sourceStandardisation() = tgtStd;  // its training domain is the target
    const std::size_t dim = r.model.featureSize();
    r.mmdBefore = mmdGaussian(r.model.features(mmdSrc), r.model.features(mmdTgt), dim);
    VolumeTrainOptions to = t;
    to.kind = VolumeModelKind::Cnn3d;
    r.model.train(targetLabelled, PatchBatch{}, to, &r.training);
    r.mmdAfter = mmdGaussian(r.model.features(mmdSrc), r.model.features(mmdTgt), dim);
    VolumePrediction p = predictVolume(r.model, index, targetLayer, options.predict);
    r.probability = std::move(p.probability);
    r.predictSeconds = p.seconds;
    scoreTarget(r, target, options.labelChannel, scored, options.bootstrap, options.train.seed);
    result.models.push_back(std::move(r));
  }

  if (options.randomForest) {
    // Centre-voxel channels (per-domain standardised) of the same labelled source centres.
    TransferModelResult r;
    r.name = "rf";
    r.mmdBefore = r.mmdAfter = std::numeric_limits<double>::quiet_NaN();
    Stopwatch watch;
    const std::vector<float> xs = centreValues(src);
    const std::size_t c = result.channels.size();
    Eigen::MatrixXd trainX(long(src.count), long(c));
    for (std::size_t n = 0; n < src.count; ++n) {
      for (std::size_t k = 0; k < c; ++k) trainX(long(n), long(k)) = xs[n * c + k];
    }
    std::vector<std::size_t> voxels;
    for (std::size_t v = 0; v < result.targetValid.size(); ++v) {
      if (result.targetValid[v]) voxels.push_back(v);
    }
    Eigen::MatrixXd testX(long(voxels.size()), long(c));
    for (std::size_t k = 0; k < c; ++k) {
      const std::vector<float> ch = target.denseChannel(result.channels[k]);
      for (std::size_t n = 0; n < voxels.size(); ++n) {
        testX(long(n), long(k)) = (ch[voxels[n]] - tgtStd.mean[k]) / tgtStd.sd[k];
      }
    }
    ClassicalOptions co;
    const std::vector<double> scores =
        fitPredictClassical(ClassicalModel::RandomForest, trainX, src.labels, testX, co, t.seed);
    r.probability.assign(result.targetValid.size(), 0.0f);
    for (std::size_t n = 0; n < voxels.size(); ++n) r.probability[voxels[n]] = float(scores[n]);
    r.training.sourcePatches = src.count;
    r.training.seconds = watch.seconds();
    scoreTarget(r, target, options.labelChannel, scored, options.bootstrap, options.train.seed);
    result.models.push_back(std::move(r));
  }

  if (options.oofBlocks > 1 && target.hasChannel(options.labelChannel)) {
    result.oofFolds = columnBlockFolds(target.spec(), options.oofBlocks);
    const OutOfFoldInputs in{index,  targetLayer, options,     result.channels,      src,
                             srcStd, tgtStd,      targetCount, result.sourceOreShare};
    for (TransferModelResult& r : result.models)
      outOfFold(r, in, result.oofFolds, result.targetValid);
  }
  if (!options.compareWithout.empty()) {
    TransferOptions reduced = options;
    reduced.excludeChannels.insert(reduced.excludeChannels.end(), options.compareWithout.begin(),
                                   options.compareWithout.end());
    reduced.compareWithout.clear();
    TransferResult w = runTransfer(index, sourceLayer, targetLayer, reduced);
    result.without = std::move(w.models);
    result.withoutChannels = std::move(w.channels);
  }
  return result;
}

}  // namespace orevox
