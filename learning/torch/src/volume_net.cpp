#include "volume_net.hpp"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <torch/csrc/autograd/custom_function.h>

#include <cmath>
#include <cstring>

#include "orevox/geomodel/error.hpp"

namespace orevox {
namespace detail {

namespace {

struct GradientReversalFunction : torch::autograd::Function<GradientReversalFunction> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x, double lambda) {
    ctx->saved_data["lambda"] = lambda;
    return x.clone();  // identity (a copy, so autograd owns a fresh output)
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const double lambda = ctx->saved_data["lambda"].toDouble();
    // d(out)/d(x) is reversed and scaled; lambda itself gets no gradient.
    return {grads[0] * (-lambda), at::Tensor()};
  }
};

}  // namespace

at::Tensor gradientReversal(const at::Tensor& x, double lambda) {
  return GradientReversalFunction::apply(x, lambda);
}

VolumeNetImpl::VolumeNetImpl(int inputChannels, int patch, bool attention)
    : inputChannels_(inputChannels), patch_(patch), mapSize_(patch - 6), attention_(attention) {
  using torch::nn::Conv3dOptions;
  using torch::nn::LinearOptions;
  const int f = kTrunkChannels, m3 = mapSize_ * mapSize_ * mapSize_;
  conv1_ = register_module("conv1", torch::nn::Conv3d(Conv3dOptions(inputChannels + 1, 16, 3)));
  conv2_ = register_module("conv2", torch::nn::Conv3d(Conv3dOptions(16, f, 3)));
  conv3_ = register_module("conv3", torch::nn::Conv3d(Conv3dOptions(f, f, 3)));
  if (attention_) {
    se1_ = register_module("se1", torch::nn::Linear(f, f / 4));
    se2_ = register_module("se2", torch::nn::Linear(f / 4, f));
    spatialConv_ = register_module("spatial", torch::nn::Conv3d(Conv3dOptions(2, 1, 3).padding(1)));
    fa1_ = register_module("fa1", torch::nn::Linear(kFeatureSize, kFeatureSize / 4));
    fa2_ = register_module("fa2", torch::nn::Linear(kFeatureSize / 4, kFeatureSize));
  }
  fc_ = register_module("fc", torch::nn::Linear(f * m3, kFeatureSize));
  label1_ = register_module("label1", torch::nn::Linear(kFeatureSize, 32));
  label2_ = register_module("label2", torch::nn::Linear(32, 1));
  domain1_ = register_module("domain1", torch::nn::Linear(kFeatureSize, 32));
  domain2_ = register_module("domain2", torch::nn::Linear(32, 1));
}

at::Tensor VolumeNetImpl::trunk(const at::Tensor& x) {
  at::Tensor h = at::relu(conv1_->forward(x));
  h = at::relu(conv2_->forward(h));
  return at::relu(conv3_->forward(h));
}

HeadOutput VolumeNetImpl::head(const at::Tensor& maps) {
  HeadOutput out;
  at::Tensor x = maps;
  const int64_t n = x.size(0);
  if (attention_) {
    // Channel attention: 3D squeeze-excitation over the patch's m^3 map.
    out.channelGate = at::sigmoid(se2_->forward(at::relu(se1_->forward(x.mean({2, 3, 4})))));
    x = x * out.channelGate.view({n, kTrunkChannels, 1, 1, 1});
    // Spatial attention over the m^3 positions (CBAM style: channel mean and max).
    const at::Tensor pooled = at::cat({x.mean(1, true), std::get<0>(x.max(1, true))}, 1);
    out.spatialGate = at::sigmoid(spatialConv_->forward(pooled));
    x = x * out.spatialGate;
  }
  at::Tensor f = at::relu(fc_->forward(x.flatten(1)));
  if (attention_) {
    // Feature-level attention on the flattened feature vector.
    out.featureGate = at::sigmoid(fa2_->forward(at::relu(fa1_->forward(f))));
    f = f * out.featureGate;
  }
  out.features = f;
  return out;
}

at::Tensor VolumeNetImpl::label(const at::Tensor& f) {
  return label2_->forward(at::relu(label1_->forward(f))).squeeze(1);
}

at::Tensor VolumeNetImpl::domain(const at::Tensor& f, double lambda) {
  return domain2_->forward(at::relu(domain1_->forward(gradientReversal(f, lambda)))).squeeze(1);
}

at::Tensor patchesToTensor(const PatchBatch& batch, const std::vector<std::size_t>& rows) {
  batch.validate();
  const auto c = int64_t(batch.channels), s = int64_t(batch.size);
  const std::size_t vol = batch.patchVolume();
  at::Tensor t = at::empty({int64_t(rows.size()), c + 1, s, s, s}, at::kFloat);
  float* dst = t.data_ptr<float>();
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::size_t n = rows[r];
    if (n >= batch.count) throw UsageError("patch row out of range");
    float* out = dst + r * (batch.channels + 1) * vol;
    std::memcpy(out, batch.values.data() + n * batch.patchStride(), batch.patchStride() * sizeof(float));
    const std::uint8_t* m = batch.mask.data() + n * vol;
    for (std::size_t v = 0; v < vol; ++v) out[batch.patchStride() + v] = m[v] ? 1.0f : 0.0f;
  }
  return t;
}

at::Tensor patchesToTensor(const PatchBatch& batch) {
  std::vector<std::size_t> rows(batch.count);
  for (std::size_t n = 0; n < rows.size(); ++n) rows[n] = n;
  return patchesToTensor(batch, rows);
}

}  // namespace detail

const char* volumeModelName(VolumeModelKind kind) {
  switch (kind) {
    case VolumeModelKind::DannCta: return "dann-cta";
    case VolumeModelKind::Dann: return "dann";
    case VolumeModelKind::Cnn3d: return "cnn3d";
  }
  return "?";
}

VolumeModelKind parseVolumeModel(const std::string& text, const std::string& option) {
  for (auto k : {VolumeModelKind::DannCta, VolumeModelKind::Dann, VolumeModelKind::Cnn3d}) {
    if (text == volumeModelName(k)) return k;
  }
  throw UsageError(option + ": unknown volume model '" + text + "' (dann-cta, dann, cnn3d)");
}

GradientReversalProbe probeGradientReversal(const std::vector<double>& x, const std::vector<double>& w,
                                            double lambda) {
  if (x.size() != w.size() || x.empty()) throw UsageError("probeGradientReversal: x and w must be non-empty and equal");
  at::Tensor xt = at::tensor(x, at::kDouble).set_requires_grad(true);
  const at::Tensor y = detail::gradientReversal(xt, lambda);
  const at::Tensor loss = (at::tensor(w, at::kDouble) * at::tanh(y)).sum();
  loss.backward();
  GradientReversalProbe probe;
  const at::Tensor yd = y.detach().contiguous(), g = xt.grad().contiguous();
  probe.forward.assign(yd.data_ptr<double>(), yd.data_ptr<double>() + yd.numel());
  probe.gradient.assign(g.data_ptr<double>(), g.data_ptr<double>() + g.numel());
  return probe;
}

double gradientReversalLambda(double progress, double gamma) {
  return 2.0 / (1.0 + std::exp(-gamma * progress)) - 1.0;
}

}  // namespace orevox
