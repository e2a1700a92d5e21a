// The raster networks (SSGSNet, ssgsnet-east-kunlun-2026 sec. 1.1 and Table 1; its
// baselines) and the small torch helpers the raster trainers share.
#include "raster_nets.hpp"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <ATen/core/grad_mode.h>

#include <cmath>
#include <cstring>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox {

namespace detail {

using torch::nn::Conv2dOptions;

ChannelAttentionImpl::ChannelAttentionImpl(int channels, int reduction) {
  const int hidden = std::max(1, channels / reduction);
  fc1_ = register_module("fc1", torch::nn::Linear(channels, hidden));  // W_1 in R^{C/r x C}
  fc2_ = register_module("fc2", torch::nn::Linear(hidden, channels));  // W_2 in R^{C x C/r}
}

at::Tensor ChannelAttentionImpl::forward(const at::Tensor& x, at::Tensor* gate) {
  const at::Tensor z = x.mean({2, 3});                                          // squeeze, eq. 1
  const at::Tensor s = at::sigmoid(fc2_->forward(at::relu(fc1_->forward(z))));  // excitation, eq. 2
  if (gate) *gate = s;
  return x * s.view({x.size(0), x.size(1), 1, 1});  // scale, eq. 3
}

SpatialAttentionImpl::SpatialAttentionImpl() {
  conv_ = register_module("conv", torch::nn::Conv2d(Conv2dOptions(2, 1, 7).padding(3)));
}

at::Tensor SpatialAttentionImpl::forward(const at::Tensor& x, at::Tensor* gate) {
  // A_avg (eq. 4) and A_max (eq. 5) over the channels, concatenated, 7x7 conv, sigmoid.
  const at::Tensor pooled = at::cat({x.mean(1, true), std::get<0>(x.max(1, true))}, 1);
  const at::Tensor m = at::sigmoid(conv_->forward(pooled));
  if (gate) *gate = m;
  return x * m;  // X_s = M_s . X
}

ResidualBlockImpl::ResidualBlockImpl(int in, int out, int stride, bool attention, int reduction) {
  conv1_ = register_module(
      "conv1", torch::nn::Conv2d(Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(false)));
  bn1_ = register_module("bn1", torch::nn::BatchNorm2d(out));
  conv2_ = register_module(
      "conv2", torch::nn::Conv2d(Conv2dOptions(out, out, 3).stride(1).padding(1).bias(false)));
  bn2_ = register_module("bn2", torch::nn::BatchNorm2d(out));
  if (attention) {
    ca_ = register_module("ca", ChannelAttention(out, reduction));
    sa_ = register_module("sa", SpatialAttention());
  }
  if (stride != 1 || in != out) {  // Table 1: Shortcut(Conv3+BN), 1x1, stride 2
    shortcutConv_ = register_module(
        "shortcut", torch::nn::Conv2d(Conv2dOptions(in, out, 1).stride(stride).bias(false)));
    shortcutBn_ = register_module("shortcut_bn", torch::nn::BatchNorm2d(out));
  }
}

at::Tensor ResidualBlockImpl::forward(const at::Tensor& x, BlockGates* gates) {
  // ReLU in place on fresh BN outputs (BN's backward needs its input, ReLU's its result), as
  // torchvision's ReLU(inplace=True): one allocation and pass fewer per layer.
  at::Tensor h = bn1_->forward(conv1_->forward(x)).relu_();  // Conv1+BN+ReLU
  h = bn2_->forward(conv2_->forward(h));                       // Conv2+BN
  if (ca_) {
    h = ca_->forward(h, gates ? &gates->channel : nullptr);  // CA
    h = sa_->forward(h, gates ? &gates->spatial : nullptr);  // SA
  }
  const at::Tensor s = shortcutConv_ ? shortcutBn_->forward(shortcutConv_->forward(x)) : x;
  return (h + s).relu_();  // Shortcut + ReLU
}

ResNetBranchImpl::ResNetBranchImpl(int inputChannels, bool attention, int reduction) {
  // CIFAR-style stem: 3x3 stride 1 (no 7x7/2 conv and max-pool on 32-cell windows).
  stem_ = register_module(
      "stem", torch::nn::Conv2d(Conv2dOptions(inputChannels, 64, 3).padding(1).bias(false)));
  stemBn_ = register_module("stem_bn", torch::nn::BatchNorm2d(64));
  const int widths[4] = {64, 128, 256, 512};
  int in = 64;
  for (int layer = 0; layer < 4; ++layer) {
    for (int b = 0; b < 2; ++b) {
      const int stride = (layer > 0 && b == 0) ? 2 : 1;
      blocks_.push_back(
          register_module("block" + std::to_string(2 * layer + b),
                          ResidualBlock(in, widths[layer], stride, attention, reduction)));
      in = widths[layer];
    }
  }
}

at::Tensor ResNetBranchImpl::forward(const at::Tensor& x, std::vector<BlockGates>* gates) {
  at::Tensor h = stemBn_->forward(stem_->forward(x)).relu_();
  if (gates) gates->assign(blocks_.size(), BlockGates{});
  for (std::size_t b = 0; b < blocks_.size(); ++b)
    h = blocks_[b]->forward(h, gates ? &(*gates)[b] : nullptr);
  return h.mean({2, 3});  // global average pool -> N x 512
}

TransformerBlockImpl::TransformerBlockImpl(int dim, int heads, int mlp) : heads_(heads) {
  ln1_ = register_module("ln1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
  qkv_ = register_module("qkv", torch::nn::Linear(dim, 3 * dim));
  proj_ = register_module("proj", torch::nn::Linear(dim, dim));
  ln2_ = register_module("ln2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
  mlp1_ = register_module("mlp1", torch::nn::Linear(dim, mlp));
  mlp2_ = register_module("mlp2", torch::nn::Linear(mlp, dim));
}

at::Tensor TransformerBlockImpl::forward(const at::Tensor& x) {
  const int64_t n = x.size(0), t = x.size(1), dim = x.size(2), dk = dim / heads_;
  // Q, K, V by one linear projection, split into heads: 3 x N x h x T x d_k.
  const at::Tensor qkv =
      qkv_->forward(ln1_->forward(x)).view({n, t, 3, heads_, dk}).permute({2, 0, 3, 1, 4});
  const at::Tensor q = qkv[0], k = qkv[1], v = qkv[2];
  // Eq. 6: Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V, per head.
  const at::Tensor a = at::softmax(at::matmul(q, k.transpose(-2, -1)) / std::sqrt(double(dk)), -1);
  const at::Tensor heads = at::matmul(a, v).transpose(1, 2).reshape({n, t, dim});
  at::Tensor h = x + proj_->forward(heads);
  return h + mlp2_->forward(at::gelu(mlp1_->forward(ln2_->forward(h))));
}

VitBranchImpl::VitBranchImpl(int inputChannels, int k, const RasterNetOptions& o) {
  const int tokens = (k / o.patch) * (k / o.patch);
  // Non-overlapping patch embedding: a p x p convolution with stride p.
  embed_ = register_module(
      "embed", torch::nn::Conv2d(Conv2dOptions(inputChannels, o.vitDim, o.patch).stride(o.patch)));
  cls_ = register_parameter("cls", at::randn({1, 1, o.vitDim}) * 0.02);
  pos_ = register_parameter("pos", at::randn({1, tokens + 1, o.vitDim}) * 0.02);
  for (int b = 0; b < o.vitDepth; ++b) {
    blocks_.push_back(register_module("block" + std::to_string(b),
                                      TransformerBlock(o.vitDim, o.vitHeads, o.vitMlp)));
  }
  norm_ = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({o.vitDim})));
}

at::Tensor VitBranchImpl::forward(const at::Tensor& x) {
  const int64_t n = x.size(0);
  at::Tensor h = embed_->forward(x).flatten(2).transpose(1, 2);  // N x T x dim
  h = at::cat({cls_.expand({n, 1, cls_.size(2)}), h}, 1) + pos_;
  for (auto& b : blocks_) h = b->forward(h);
  return norm_->forward(h.select(1, 0));  // the CLS token
}

RasterNetImpl::RasterNetImpl(RasterModelKind kind, int dataChannels, int k,
                             const RasterNetOptions& o)
    : kind_(kind) {
  const int in = dataChannels + 1;  // + mask channel
  switch (kind) {
    case RasterModelKind::Ssgsnet:
      encoder_ = register_module("encoder", ResNetBranch(in, true, o.reduction));
      vit_ = register_module("vit", VitBranch(in, k, o));
      fss_ = register_module("fss", torch::nn::Linear(kEncoderWidth, kBranchFeature));
      fsc_ = register_module("fsc", torch::nn::Linear(o.vitDim, kBranchFeature));
      gateSs1_ = register_module("gate_ss1", torch::nn::Linear(kBranchFeature, kFusionHidden));
      gateSs2_ = register_module("gate_ss2", torch::nn::Linear(kFusionHidden, kBranchFeature));
      gateSc1_ = register_module("gate_sc1", torch::nn::Linear(kBranchFeature, kFusionHidden));
      gateSc2_ = register_module("gate_sc2", torch::nn::Linear(kFusionHidden, kBranchFeature));
      classifier_ = register_module("classifier", torch::nn::Linear(2 * kBranchFeature, 1));
      break;
    case RasterModelKind::Resnet:
      encoder_ = register_module("encoder", ResNetBranch(in, false, o.reduction));
      classifier_ = register_module("classifier", torch::nn::Linear(kEncoderWidth, 1));
      break;
    case RasterModelKind::Vit:
      vit_ = register_module("vit", VitBranch(in, k, o));
      classifier_ = register_module("classifier", torch::nn::Linear(o.vitDim, 1));
      break;
    case RasterModelKind::DualBranch:
      dbConv1_ = register_module("conv1", torch::nn::Conv2d(Conv2dOptions(in, 32, 3).padding(1)));
      dbConv2_ = register_module("conv2", torch::nn::Conv2d(Conv2dOptions(32, 64, 3).padding(1)));
      dbMlp1_ = register_module("mlp1", torch::nn::Linear(in, 64));
      dbMlp2_ = register_module("mlp2", torch::nn::Linear(64, 64));
      dbFc1_ = register_module("fc1", torch::nn::Linear(128, 64));
      dbFc2_ = register_module("fc2", torch::nn::Linear(64, 1));
      break;
  }
  if (encoder_) probeHead_ = register_module("probe", torch::nn::Linear(kEncoderWidth, 1));
}

RasterForward RasterNetImpl::run(const at::Tensor& x, bool gates) {
  RasterForward out;
  if (probe_) {
    out.logit = probeHead_->forward(encoder_->forward(x)).squeeze(1);
    return out;
  }
  switch (kind_) {
    case RasterModelKind::Ssgsnet: {
      const at::Tensor fss = fss_->forward(encoder_->forward(x, gates ? &out.blocks : nullptr));
      const at::Tensor fsc = fsc_->forward(vit_->forward(x));
      const at::Tensor ass =
          at::sigmoid(gateSs2_->forward(at::relu(gateSs1_->forward(fss))));  // eq. 7
      const at::Tensor asc =
          at::sigmoid(gateSc2_->forward(at::relu(gateSc1_->forward(fsc))));  // eq. 8
      const at::Tensor fused = at::cat({fss * ass, fsc * asc}, 1);           // eqs. 9-11
      out.logit = classifier_->forward(fused).squeeze(1);
      if (gates) {
        out.fusionSs = ass;
        out.fusionSc = asc;
      }
      break;
    }
    case RasterModelKind::Resnet:
      out.logit = classifier_->forward(encoder_->forward(x)).squeeze(1);
      break;
    case RasterModelKind::Vit:
      out.logit = classifier_->forward(vit_->forward(x)).squeeze(1);
      break;
    case RasterModelKind::DualBranch: {
      // Spatial: two conv layers, each with 2x2 max-pooling, then global average pooling.
      at::Tensor s = at::max_pool2d(at::relu(dbConv1_->forward(x)), {2, 2});
      s = at::max_pool2d(at::relu(dbConv2_->forward(s)), {2, 2}).mean({2, 3});
      // Spectral: the channels globally average-pooled, then an MLP on the element mix.
      const at::Tensor c = at::relu(dbMlp2_->forward(at::relu(dbMlp1_->forward(x.mean({2, 3})))));
      out.logit = dbFc2_->forward(at::relu(dbFc1_->forward(at::cat({s, c}, 1)))).squeeze(1);
      break;
    }
  }
  return out;
}

namespace {

double conv(double in, double out, double kernel, double outSize) {
  return 2.0 * in * out * kernel * kernel * outSize * outSize;
}
double linear(double in, double out) { return 2.0 * in * out; }

double resnetFlops(int in, int k, bool attention, int reduction) {
  double f = conv(in, 64, 3, k);
  const int widths[4] = {64, 128, 256, 512};
  int c = 64, s = k;
  for (int layer = 0; layer < 4; ++layer) {
    for (int b = 0; b < 2; ++b) {
      const int stride = (layer > 0 && b == 0) ? 2 : 1;
      const int out = widths[layer], so = (s + stride - 1) / stride;
      f += conv(c, out, 3, so) + conv(out, out, 3, so);
      if (stride != 1 || c != out) f += conv(c, out, 1, so);
      if (attention) f += linear(out, std::max(1, out / reduction)) * 2 + conv(2, 1, 7, so);
      c = out;
      s = so;
    }
  }
  return f;
}

double vitFlops(int in, int k, const RasterNetOptions& o) {
  const double t = double((k / o.patch) * (k / o.patch) + 1), d = o.vitDim;
  double f = conv(in, d, o.patch, k / o.patch);
  // Per block: QKV, Q K^T, A V, output projection, MLP.
  f += o.vitDepth * (t * linear(d, 3 * d) + 2.0 * t * t * d * 2 + t * linear(d, d) +
                     t * (linear(d, o.vitMlp) + linear(o.vitMlp, d)));
  return f;
}

}  // namespace

double rasterFlops(RasterModelKind kind, int dataChannels, int k, const RasterNetOptions& o) {
  const int in = dataChannels + 1;
  switch (kind) {
    case RasterModelKind::Ssgsnet:
      return resnetFlops(in, k, true, o.reduction) + vitFlops(in, k, o) +
             linear(kEncoderWidth, kBranchFeature) + linear(o.vitDim, kBranchFeature) +
             4 * linear(kBranchFeature, kFusionHidden) + linear(512, 1);
    case RasterModelKind::Resnet:
      return resnetFlops(in, k, false, o.reduction) + linear(kEncoderWidth, 1);
    case RasterModelKind::Vit:
      return vitFlops(in, k, o) + linear(o.vitDim, 1);
    case RasterModelKind::DualBranch:
      return conv(in, 32, 3, k) + conv(32, 64, 3, k / 2) + linear(in, 64) + linear(64, 64) +
             linear(128, 64) + linear(64, 1);
  }
  return 0.0;
}

at::Tensor windowsInput(const WindowBatch& batch, const std::vector<std::size_t>& rows) {
  const int64_t n = int64_t(rows.size()), c = int64_t(batch.channels), k = int64_t(batch.size);
  at::Tensor t = at::empty({n, c + 1, k, k}, at::kFloat);
  float* dst = t.data_ptr<float>();
  const std::size_t cells = batch.size * batch.size, stride = batch.windowStride();
  for (std::size_t r = 0; r < rows.size(); ++r) {
    float* w = dst + r * (stride + cells);
    std::memcpy(w, batch.values.data() + rows[r] * stride, stride * sizeof(float));
    const std::uint8_t* m = batch.mask.data() + rows[r] * cells;
    for (std::size_t i = 0; i < cells; ++i) w[stride + i] = m[i] ? 1.0f : 0.0f;
  }
  return t;
}

at::Tensor windowsInput(const WindowBatch& batch) {
  std::vector<std::size_t> rows(batch.count);
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return windowsInput(batch, rows);
}

void checkWindows(const RasterModel::Impl& m, const WindowBatch& batch) {
  batch.validate();
  if (batch.size != std::size_t(m.k) || batch.channelNames != m.channels) {
    throw UsageError("window batch does not match the raster model (k = " + std::to_string(m.k) +
                     ", " + std::to_string(m.channels.size()) +
                     " channels; got k = " + std::to_string(batch.size) + ", " +
                     std::to_string(batch.channels) + " channels)");
  }
}

at::Tensor randomSymmetry(const at::Tensor& x, const std::vector<int>& which) {
  std::vector<at::Tensor> out;
  out.reserve(which.size());
  for (std::size_t n = 0; n < which.size(); ++n) {
    at::Tensor w = x[int64_t(n)];
    const int s = which[n];
    if (s & 4) w = at::flip(w, {2});
    if (s & 3) w = at::rot90(w, s & 3, {1, 2});
    out.push_back(w);
  }
  return at::stack(out, 0).contiguous();
}

}  // namespace detail

const char* rasterModelName(RasterModelKind kind) {
  switch (kind) {
    case RasterModelKind::Ssgsnet:
      return "ssgsnet";
    case RasterModelKind::Resnet:
      return "resnet";
    case RasterModelKind::Vit:
      return "vit";
    case RasterModelKind::DualBranch:
      return "dualbranch";
  }
  return "?";
}

RasterModelKind parseRasterModel(const std::string& text, const std::string& option) {
  for (RasterModelKind k : {RasterModelKind::Ssgsnet, RasterModelKind::Resnet, RasterModelKind::Vit,
                            RasterModelKind::DualBranch}) {
    if (text == rasterModelName(k)) return k;
  }
  throw UsageError(option + ": unknown raster model '" + text +
                   "' (ssgsnet, resnet, vit, dualbranch)");
}

bool rasterModelHasEncoder(RasterModelKind kind) {
  return kind == RasterModelKind::Ssgsnet || kind == RasterModelKind::Resnet;
}

void RasterStandardisation::apply(WindowBatch& batch) const {
  if (empty()) return;
  if (batch.channelNames != channels || mean.size() != channels.size() ||
      sd.size() != channels.size()) {
    throw UsageError("standardisation channels do not match the window batch's channels");
  }
  const std::size_t cells = batch.size * batch.size;
  for (std::size_t n = 0; n < batch.count; ++n) {
    const std::uint8_t* m = batch.mask.data() + n * cells;
    for (std::size_t c = 0; c < batch.channels; ++c) {
      float* v = batch.values.data() + n * batch.windowStride() + c * cells;
      const double s = sd[c] > 1e-12 ? sd[c] : 1.0;
      for (std::size_t i = 0; i < cells; ++i)
        v[i] = m[i] ? float((double(v[i]) - mean[c]) / s) : 0.0f;
    }
  }
}

ResidualBlockProbe probeResidualBlock(int in, int out, int stride, int size, bool attention,
                                      int reduction, std::uint64_t seed) {
  at::manual_seed(seed);
  detail::ResidualBlock block(in, out, stride, attention, reduction);
  block->eval();
  at::NoGradGuard guard;
  detail::BlockGates gates;
  const at::Tensor y = block->forward(at::randn({2, in, size, size}), &gates);
  ResidualBlockProbe p;
  for (int d = 0; d < 4; ++d) p.outputShape[std::size_t(d)] = y.size(d);
  auto copy = [](const at::Tensor& t) {
    const at::Tensor c = t.contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
  };
  if (attention) {
    p.channelGate = copy(gates.channel);
    p.spatialGate = copy(gates.spatial);
  }
  return p;
}

}  // namespace orevox
