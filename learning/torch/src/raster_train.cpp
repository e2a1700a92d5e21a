// RasterModel: creation, supervised training (all kinds, and the linear probe), window
// inference, attention probes, save/load.
#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <ATen/core/grad_mode.h>
#include <c10/core/InferenceMode.h>
#include <torch/optim/adam.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>

#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"
#include "model_files.hpp"
#include "raster_nets.hpp"

namespace orevox {

RasterModel::RasterModel() = default;
RasterModel::~RasterModel() = default;
RasterModel::RasterModel(const RasterModel&) = default;
RasterModel& RasterModel::operator=(const RasterModel&) = default;

RasterModel::Impl& RasterModel::impl() const {
  if (!impl_) throw UsageError("raster model is empty (create, train or load one first)");
  return *impl_;
}

RasterModel RasterModel::create(RasterModelKind kind, const std::vector<std::string>& channels,
                                int k, const RasterNetOptions& options, std::uint64_t seed) {
  if (channels.empty()) throw UsageError("raster model needs at least one input channel");
  if (k < 16)
    throw UsageError("--window: the raster networks need k >= 16 cells, got " + std::to_string(k));
  if (options.patch < 1 || k % options.patch != 0) {
    throw UsageError("--window: k = " + std::to_string(k) +
                     " is not divisible by the ViT patch size " + std::to_string(options.patch));
  }
  if (options.reduction < 1) throw UsageError("squeeze-excitation reduction must be >= 1");
  if (options.vitDim < 1 || options.vitHeads < 1 || options.vitDim % options.vitHeads != 0 ||
      options.vitDepth < 1 || options.vitMlp < 1) {
    throw UsageError("ViT options: dim " + std::to_string(options.vitDim) +
                     " must be a positive multiple of heads " + std::to_string(options.vitHeads) +
                     ", depth and MLP width positive");
  }
  RasterModel model;
  model.impl_ = std::make_shared<Impl>();
  model.impl_->kind = kind;
  model.impl_->channels = channels;
  model.impl_->k = k;
  model.impl_->options = options;
  // Initial weights come from torch's generator, seeded here.
  configureTorch(threadCount(), mixSeed(seed, 0x726173));
  model.impl_->net = detail::RasterNet(kind, int(channels.size()), k, options);
  model.impl_->net->eval();
  return model;
}

RasterModelKind RasterModel::kind() const { return impl().kind; }
int RasterModel::windowSize() const { return impl().k; }
const std::vector<std::string>& RasterModel::channels() const { return impl().channels; }
const RasterNetOptions& RasterModel::options() const { return impl().options; }
bool RasterModel::probeMode() const { return impl().net->probe_; }
RasterStandardisation& RasterModel::standardisation() { return impl().standardisation; }
const RasterStandardisation& RasterModel::standardisation() const { return impl().standardisation; }
double RasterModel::flopsPerWindow() const {
  const Impl& m = impl();
  return detail::rasterFlops(m.kind, int(m.channels.size()), m.k, m.options);
}

namespace {

std::vector<float> toVector(const at::Tensor& t) {
  const at::Tensor c = t.contiguous().to(at::kFloat);
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

constexpr std::size_t kInferenceChunk = 64;

}  // namespace

void RasterModel::train(const WindowBatch& train, const RasterTrainOptions& options,
                        RasterTrainStats* stats) {
  Impl& m = impl();
  detail::checkWindows(m, train);
  if (train.labels.size() != train.count || train.count < 2) {
    throw UsageError("raster training needs at least 2 labelled windows");
  }
  if (options.epochs < 1 || options.batch < 2)
    throw UsageError("--epochs and the batch size must be positive (batch >= 2)");
  if (options.linearProbe && !m.net->encoder_) {
    throw UsageError(
        std::string("a linear probe needs a model with an encoder (ssgsnet, resnet), not ") +
        rasterModelName(m.kind));
  }
  configureTorch(threadCount(), mixSeed(options.seed, 0x747261));
  Stopwatch watch;
  RasterTrainStats local;
  RasterTrainStats& st = stats ? *stats : local;
  st = RasterTrainStats{};
  st.windows = train.count;
  for (int y : train.labels) st.positives += y == 1 ? 1 : 0;
  const double pos = double(st.positives), neg = double(train.count) - pos;
  // Class weights: positives weigh n_neg / n_pos, so both classes carry equal total weight.
  const double posWeight = options.balanced && pos > 0 && neg > 0 ? neg / pos : 1.0;

  detail::RasterNet& net = m.net;
  net->probe_ = options.linearProbe;
  std::vector<at::Tensor> params;
  if (options.linearProbe) {
    for (auto& p : net->encoder_->parameters()) p.set_requires_grad(false);
    params = net->probeHead_->parameters();
  } else {
    for (auto& p : net->parameters()) p.set_requires_grad(true);
    params = net->parameters();
  }
  torch::optim::Adam optimiser(
      params, torch::optim::AdamOptions(options.learningRate).weight_decay(options.weightDecay));
  const std::size_t batch = std::min(options.batch, train.count);
  // A last batch of one window would break batch normalisation: fold it into the previous.
  std::size_t steps = train.count / batch;
  if (steps == 0) steps = 1;
  Rng rng = makeRng(options.seed, 0x6f7264);
  std::uniform_int_distribution<int> symmetry(0, 7);
  Progress progress(std::string("train ") + rasterModelName(m.kind),
                    std::uint64_t(steps) * std::uint64_t(options.epochs));
  const at::Tensor allX = detail::windowsInput(train);
  const int64_t c = int64_t(train.channels);
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    net->train();
    if (options.linearProbe) net->encoder_->eval();  // frozen: batch-norm statistics too
    std::vector<std::size_t> order(train.count);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    double lossSum = 0, hits = 0;
    for (std::size_t s = 0; s < steps; ++s) {
      const std::size_t b0 = s * batch, b1 = s + 1 == steps ? train.count : b0 + batch;
      std::vector<int64_t> rows(order.begin() + long(b0), order.begin() + long(b1));
      at::Tensor x = allX.index_select(0, at::tensor(rows, at::kLong));
      std::vector<float> y, w;
      for (int64_t r : rows) {
        y.push_back(float(train.labels[std::size_t(r)]));
        w.push_back(train.labels[std::size_t(r)] == 1 ? float(posWeight) : 1.0f);
      }
      if (options.augment) {
        // Training windows only: a random symmetry of the square, then noise on data cells.
        std::vector<int> which(rows.size());
        for (int& v : which) v = symmetry(rng);
        x = detail::randomSymmetry(x, which);
        if (options.noise > 0) {
          const at::Tensor mask = x.narrow(1, c, 1);
          const at::Tensor data =
              x.narrow(1, 0, c) +
              at::randn({x.size(0), c, x.size(2), x.size(3)}) * options.noise * mask;
          x = at::cat({data, mask}, 1);
        }
      }
      const at::Tensor ys = at::tensor(y, at::kFloat), ws = at::tensor(w, at::kFloat);
      const at::Tensor logit = net->forward(x);
      const at::Tensor loss = at::binary_cross_entropy_with_logits(logit, ys, ws);
      optimiser.zero_grad();
      loss.backward();
      optimiser.step();
      lossSum += loss.item<double>() * double(rows.size());
      hits += ((logit.detach() > 0).to(at::kFloat) == ys).sum().item<double>();
      ++st.steps;
      progress.advance();
    }
    st.loss.push_back(lossSum / double(train.count));
    st.accuracy.push_back(hits / double(train.count));
  }
  progress.finish();
  for (auto& p : net->parameters()) p.set_requires_grad(true);
  net->eval();
  st.seconds = watch.seconds();
}

std::vector<float> RasterModel::predictWindows(const WindowBatch& batch) const {
  Impl& m = impl();
  detail::checkWindows(m, batch);
  c10::InferenceMode guard;
  m.net->eval();
  std::vector<float> out;
  out.reserve(batch.count);
  for (std::size_t b0 = 0; b0 < batch.count; b0 += kInferenceChunk) {
    std::vector<std::size_t> rows;
    for (std::size_t n = b0; n < std::min(batch.count, b0 + kInferenceChunk); ++n)
      rows.push_back(n);
    const std::vector<float> p =
        toVector(at::sigmoid(m.net->forward(detail::windowsInput(batch, rows))));
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

std::vector<float> RasterModel::encode(const WindowBatch& batch) const {
  Impl& m = impl();
  detail::checkWindows(m, batch);
  if (!m.net->encoder_)
    throw UsageError(std::string("model ") + rasterModelName(m.kind) + " has no encoder");
  c10::InferenceMode guard;
  m.net->eval();
  std::vector<float> out;
  for (std::size_t b0 = 0; b0 < batch.count; b0 += kInferenceChunk) {
    std::vector<std::size_t> rows;
    for (std::size_t n = b0; n < std::min(batch.count, b0 + kInferenceChunk); ++n)
      rows.push_back(n);
    const std::vector<float> f = toVector(m.net->encode(detail::windowsInput(batch, rows)));
    out.insert(out.end(), f.begin(), f.end());
  }
  return out;
}

RasterAttentionGates RasterModel::attentionGates(const WindowBatch& batch) const {
  Impl& m = impl();
  detail::checkWindows(m, batch);
  RasterAttentionGates g;
  if (m.kind != RasterModelKind::Ssgsnet) return g;
  c10::InferenceMode guard;
  m.net->eval();
  const bool probe = m.net->probe_;
  m.net->probe_ = false;  // the gates live on the full SSGSNet path
  const detail::RasterForward f = m.net->run(detail::windowsInput(batch), true);
  m.net->probe_ = probe;
  for (const detail::BlockGates& b : f.blocks) {
    g.channelWidth.push_back(std::size_t(b.channel.size(1)));
    g.spatialSize.push_back(std::size_t(b.spatial.size(2)));
    g.channel.push_back(toVector(b.channel));
    g.spatial.push_back(toVector(b.spatial));
  }
  g.fusionSs = toVector(f.fusionSs);
  g.fusionSc = toVector(f.fusionSc);
  return g;
}

RasterModel RasterModel::clone() const {
  const Impl& m = impl();
  RasterModel copy = create(m.kind, m.channels, m.k, m.options, 0);
  copy.impl_->standardisation = m.standardisation;
  copy.impl_->net->probe_ = m.net->probe_;
  at::NoGradGuard guard;
  const auto from = m.net->named_parameters(), to = copy.impl_->net->named_parameters();
  for (const auto& p : from) to[p.key()].copy_(p.value());
  const auto fromB = m.net->named_buffers(), toB = copy.impl_->net->named_buffers();
  for (const auto& b : fromB) toB[b.key()].copy_(b.value());
  return copy;
}

// ---- files ---------------------------------------------------------------------------------

namespace {

constexpr const char* kFormat = "orevox-raster-model/1";

SourceLocation fileLocation(const std::string& path) { return SourceLocation{path, 0, 0, {}, {}}; }

}  // namespace

void RasterModel::save(const std::string& path) const {
  const Impl& m = impl();
  nlohmann::json j;
  j["format"] = kFormat;
  j["model"] = rasterModelName(m.kind);
  j["channels"] = m.channels;
  j["window"] = m.k;
  j["input"] = "channels then the window mask as one more 0/1 channel";
  j["output"] = "one logit; probability = sigmoid(logit)";
  j["probe"] = m.net->probe_;
  j["options"] = {{"reduction", m.options.reduction}, {"patch", m.options.patch},
                  {"vit_dim", m.options.vitDim},      {"vit_depth", m.options.vitDepth},
                  {"vit_heads", m.options.vitHeads},  {"vit_mlp", m.options.vitMlp}};
  j["standardisation"] = {{"channels", m.standardisation.channels},
                          {"mean", m.standardisation.mean},
                          {"sd", m.standardisation.sd}};
  detail::saveModelFiles(*m.net, path, j);
}

RasterModel RasterModel::load(const std::string& path) {
  const std::string side = detail::modelSidecarPath(path);
  const nlohmann::json j =
      detail::readModelSidecar(path, kFormat, "raster model", " (written beside the model)");
  RasterModel model;
  try {
    RasterNetOptions o;
    const nlohmann::json& jo = j.at("options");
    o.reduction = jo.at("reduction").get<int>();
    o.patch = jo.at("patch").get<int>();
    o.vitDim = jo.at("vit_dim").get<int>();
    o.vitDepth = jo.at("vit_depth").get<int>();
    o.vitHeads = jo.at("vit_heads").get<int>();
    o.vitMlp = jo.at("vit_mlp").get<int>();
    model =
        create(parseRasterModel(j.at("model").get<std::string>(), "model"),
               j.at("channels").get<std::vector<std::string>>(), j.at("window").get<int>(), o, 0);
    RasterStandardisation& s = model.impl_->standardisation;
    s.channels = j.at("standardisation").at("channels").get<std::vector<std::string>>();
    s.mean = j.at("standardisation").at("mean").get<std::vector<double>>();
    s.sd = j.at("standardisation").at("sd").get<std::vector<double>>();
    if (s.mean.size() != s.channels.size() || s.sd.size() != s.channels.size()) {
      throw DataError("standardisation vectors differ in length", fileLocation(side));
    }
    model.impl_->net->probe_ = j.at("probe").get<bool>();
  } catch (const nlohmann::json::exception& e) {
    throw DataError(std::string("model sidecar is incomplete: ") + e.what(), fileLocation(side));
  } catch (const c10::Error& e) {
    const std::string text = e.what_without_backtrace();
    throw DataError("model sidecar holds values its network cannot be built with: " +
                        text.substr(0, text.find('\n')),
                    fileLocation(side));
  } catch (const UsageError& e) {
    throw DataError(std::string("model sidecar holds bad values: ") + e.what(), fileLocation(side));
  }
  detail::loadModelWeights(*model.impl_->net, path, "raster model");
  return model;
}

}  // namespace orevox
