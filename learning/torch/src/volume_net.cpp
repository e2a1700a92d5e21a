#include "volume_net.hpp"

#include <ATen/Functions.h>
#include <ATen/Parallel.h>
#include <ATen/TensorOperators.h>
#include <ATen/core/grad_mode.h>
#include <torch/csrc/autograd/custom_function.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "orevox/core/error.hpp"

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
  // ReLU in place on each convolution's fresh output (a convolution's backward pass needs its
  // input, not its output, and ReLU's needs only its result): one pass and one allocation
  // fewer per layer.
  at::Tensor h = conv1_->forward(x).relu_();
  h = conv2_->forward(h).relu_();
  return conv3_->forward(h).relu_();
}

HeadOutput VolumeNetImpl::head(const at::Tensor& maps) {
  HeadOutput out;
  at::Tensor x = maps;
  const int64_t n = x.size(0);
  if (attention_) {
    // Channel attention: 3D squeeze-excitation over the patch's m^3 map.
    out.channelGate = at::sigmoid(se2_->forward(at::relu(se1_->forward(x.mean({2, 3, 4})))));
    // Gates multiply in place when no backward pass is recorded (scoring); x is the trunk's
    // fresh output, used nowhere else.
    const bool inPlace = !at::GradMode::is_enabled();
    x = inPlace ? x.mul_(out.channelGate.view({n, kTrunkChannels, 1, 1, 1}))
                : x * out.channelGate.view({n, kTrunkChannels, 1, 1, 1});
    // Spatial attention over the m^3 positions (CBAM style: channel mean and max).
    const at::Tensor pooled = at::cat({x.mean(1, true), std::get<0>(x.max(1, true))}, 1);
    out.spatialGate = at::sigmoid(spatialConv_->forward(pooled));
    x = inPlace ? x.mul_(out.spatialGate) : x * out.spatialGate;
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

at::Tensor VolumeNetImpl::denseFeatures(const at::Tensor& maps) {
  const int64_t m = mapSize_, m3 = m * m * m, c = kTrunkChannels;
  const int64_t d = maps.size(1) - m + 1, h = maps.size(2) - m + 1, w = maps.size(3) - m + 1, p = d * h * w;
  if (!attention_) {
    // Without gates, fc over every window (weight 64 x 32 m^3, ordered (channel, z, y, x) as
    // x.flatten(1)) is one valid conv3d of the map with that weight as an m^3 kernel.
    const at::Tensor kernel = fc_->weight.view({kFeatureSize, c, m, m, m});
    return at::relu(at::conv3d(maps.unsqueeze(0), kernel, fc_->bias)[0].reshape({kFeatureSize, p}).t());
  }
  // The gates depend on the voxel, so fc needs each voxel's gated window. Reading windows
  // from a channels-last copy of the map, the elementwise parts of head() run in two fused
  // passes over raw memory (torch's strided elementwise ops were 4x slower than the
  // matrix products here), and fc is one matrix product over P x 32 m^3 rows.
  const at::Tensor map = maps.permute({1, 2, 3, 0}).contiguous();  // D' x H' x W' x 32
  const float* src = map.data_ptr<float>();
  const int64_t rowStride = maps.size(3) * c, sliceStride = maps.size(2) * rowStride;
  std::vector<int64_t> shift(static_cast<std::size_t>(m3));  // window position q (z, y, x) -> offset
  for (int64_t q = 0; q < m3; ++q) {
    shift[std::size_t(q)] = (q / (m * m)) * sliceStride + ((q / m) % m) * rowStride + (q % m) * c;
  }
  auto corner = [&](int64_t v) { return src + (v / (h * w)) * sliceStride + ((v / w) % h) * rowStride + (v % w) * c; };
  constexpr int64_t kGrain = 256;  // voxels per parallel task

  // Channel attention (3D squeeze-excitation): the window mean per channel, then the FCs.
  at::Tensor windowMean = at::empty({p, c}, maps.options());
  float* meanOut = windowMean.data_ptr<float>();
  at::parallel_for(0, p, kGrain, [&](int64_t v0, int64_t v1) {
    for (int64_t v = v0; v < v1; ++v) {
      float* out = meanOut + v * c;
      std::fill(out, out + c, 0.0f);
      const float* base = corner(v);
      for (int64_t q = 0; q < m3; ++q) {
        const float* in = base + shift[std::size_t(q)];
        for (int64_t k = 0; k < c; ++k) out[k] += in[k];
      }
      for (int64_t k = 0; k < c; ++k) out[k] /= float(m3);
    }
  });
  const at::Tensor channelGate = at::sigmoid(se2_->forward(at::relu(se1_->forward(windowMean)))).contiguous();
  // Gated windows, position-major (q, channel), and their channel mean and max per
  // position (the spatial attention's input, (mean, max) x m^3 as the conv's 2 x m^3).
  at::Tensor gated = at::empty({p, m3 * c}, maps.options());
  at::Tensor pooled = at::empty({p, 2 * m3}, maps.options());
  float* gatedOut = gated.data_ptr<float>();
  float* pooledOut = pooled.data_ptr<float>();
  const float* gate = channelGate.data_ptr<float>();
  at::parallel_for(0, p, kGrain, [&](int64_t v0, int64_t v1) {
    for (int64_t v = v0; v < v1; ++v) {
      const float* g = gate + v * c;
      const float* base = corner(v);
      for (int64_t q = 0; q < m3; ++q) {
        const float* in = base + shift[std::size_t(q)];
        float* out = gatedOut + (v * m3 + q) * c;
        float sum = 0.0f, max = -std::numeric_limits<float>::infinity();
        for (int64_t k = 0; k < c; ++k) {
          out[k] = in[k] * g[k];
          sum += out[k];
          max = std::max(max, out[k]);
        }
        pooledOut[v * 2 * m3 + q] = sum / float(c);
        pooledOut[v * 2 * m3 + m3 + q] = max;
      }
    }
  });
  // Spatial attention: the 3x3x3 conv (2 -> 1, padding 1) over an m^3 window is a linear
  // map of its 2 m^3 inputs to m^3 outputs, written out as a (2 m^3) x m^3 matrix.
  const at::Tensor conv = spatialConv_->weight.detach().contiguous();  // 1 x 2 x 3 x 3 x 3
  at::Tensor spatialMatrix = at::zeros({2 * m3, m3}, maps.options());
  float* sm = spatialMatrix.data_ptr<float>();
  const float* cw = conv.data_ptr<float>();
  for (int64_t q = 0; q < m3; ++q) {
    for (int64_t r = 0; r < m3; ++r) {
      const int64_t dz = r / (m * m) - q / (m * m) + 1, dy = (r / m) % m - (q / m) % m + 1, dx = r % m - q % m + 1;
      if (dz < 0 || dz > 2 || dy < 0 || dy > 2 || dx < 0 || dx > 2) continue;
      for (int64_t ch = 0; ch < 2; ++ch) sm[(ch * m3 + r) * m3 + q] = cw[((ch * 3 + dz) * 3 + dy) * 3 + dx];
    }
  }
  const at::Tensor spatialGate = at::sigmoid(at::addmm(spatialConv_->bias, pooled, spatialMatrix)).contiguous();
  const float* sg = spatialGate.data_ptr<float>();
  at::parallel_for(0, p, kGrain, [&](int64_t v0, int64_t v1) {
    for (int64_t v = v0; v < v1; ++v) {
      for (int64_t q = 0; q < m3; ++q) {
        float* row = gatedOut + (v * m3 + q) * c;
        const float s = sg[v * m3 + q];
        for (int64_t k = 0; k < c; ++k) row[k] *= s;
      }
    }
  });
  // fc over the flattened window, its weight reordered from (channel, position) to
  // (position, channel) to match the rows.
  const at::Tensor weight = fc_->weight.view({kFeatureSize, c, m3}).transpose(1, 2).reshape({kFeatureSize, m3 * c});
  const at::Tensor f = at::relu(at::addmm(fc_->bias, gated, weight.t()));
  // Feature-level attention on f, per row.
  return f * at::sigmoid(fa2_->forward(at::relu(fa1_->forward(f))));
}

at::Tensor VolumeNetImpl::label(const at::Tensor& f) {
  return label2_->forward(at::relu(label1_->forward(f))).squeeze(1);
}

at::Tensor VolumeNetImpl::domain(const at::Tensor& f, double lambda) {
  return domain2_->forward(at::relu(domain1_->forward(gradientReversal(f, lambda)))).squeeze(1);
}

namespace {

/// Writes patch n of the batch (C channels, then the mask as 0/1) to out[0, (C+1) k^3).
void writePatch(const PatchBatch& batch, std::size_t n, float* out) {
  const std::size_t vol = batch.patchVolume();
  std::memcpy(out, batch.values.data() + n * batch.patchStride(), batch.patchStride() * sizeof(float));
  const std::uint8_t* m = batch.mask.data() + n * vol;
  for (std::size_t v = 0; v < vol; ++v) out[batch.patchStride() + v] = m[v] ? 1.0f : 0.0f;
}

}  // namespace

at::Tensor patchesToTensor(const PatchBatch& batch, const std::vector<std::size_t>& rows) {
  batch.validate();
  const auto c = int64_t(batch.channels), s = int64_t(batch.size);
  at::Tensor t = at::empty({int64_t(rows.size()), c + 1, s, s, s}, at::kFloat);
  float* dst = t.data_ptr<float>();
  const std::size_t stride = (batch.channels + 1) * batch.patchVolume();
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (rows[r] >= batch.count) throw UsageError("patch row out of range");
    writePatch(batch, rows[r], dst + r * stride);
  }
  return t;
}

void forEachPatchChunk(const PatchBatch& batch, std::size_t chunk, const std::function<void(const at::Tensor&)>& fn) {
  batch.validate();
  if (batch.count == 0) return;
  if (chunk == 0) throw UsageError("forEachPatchChunk: chunk must be positive");
  const auto c = int64_t(batch.channels), s = int64_t(batch.size);
  const std::size_t rows = std::min(chunk, batch.count), stride = (batch.channels + 1) * batch.patchVolume();
  const at::Tensor buffer = at::empty({int64_t(rows), c + 1, s, s, s}, at::kFloat);
  float* dst = buffer.data_ptr<float>();
  for (std::size_t b0 = 0; b0 < batch.count; b0 += rows) {
    const std::size_t n = std::min(rows, batch.count - b0);
    at::parallel_for(0, int64_t(n), 16, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) writePatch(batch, b0 + std::size_t(r), dst + std::size_t(r) * stride);
    });
    fn(n == rows ? buffer : buffer.narrow(0, 0, int64_t(n)));
  }
}

at::Tensor patchesToTensor(const PatchBatch& batch) {
  std::vector<std::size_t> rows(batch.count);
  for (std::size_t n = 0; n < rows.size(); ++n) rows[n] = n;
  return patchesToTensor(batch, rows);
}

}  // namespace detail

const NameTable<VolumeModelKind>& volumeModelNames() {
  static const NameTable<VolumeModelKind> names = {{"dann-cta", VolumeModelKind::DannCta},
                                                   {"dann", VolumeModelKind::Dann},
                                                   {"cnn3d", VolumeModelKind::Cnn3d}};
  return names;
}

const char* volumeModelName(VolumeModelKind kind) { return nameOf(volumeModelNames(), kind).c_str(); }

VolumeModelKind parseVolumeModel(const std::string& text, const std::string& option) {
  return parseName(volumeModelNames(), text, option);
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

double annealedLearningRate(double baseRate, double progress) {
  return baseRate / std::pow(1.0 + 10.0 * progress, 0.75);
}

}  // namespace orevox
