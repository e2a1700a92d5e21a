#pragma once
// Private to the torch bridge: the volume network (DANN-CTA and its ablations), the
// gradient reversal layer and the state behind orevox::VolumeModel. Narrow torch headers.

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <cstddef>
#include <functional>
#include <vector>

#include "orevox/learning/torch/volume_models.hpp"

namespace orevox::detail {

/// Gradient reversal layer (Ganin & Lempitsky 2015; dann-cta-jiaodong-2026): forward the
/// identity, backward -lambda * grad. A custom autograd Function.
at::Tensor gradientReversal(const at::Tensor& x, double lambda);

/// Feature width of the trunk and of the feature vector f.
constexpr int kTrunkChannels = 32;
constexpr int kFeatureSize = 64;

/// What the head computes for N patch maps.
struct HeadOutput {
  at::Tensor features;     ///< N x 64
  at::Tensor channelGate;  ///< N x 32 (undefined without attention)
  at::Tensor spatialGate;  ///< N x 1 x m x m x m
  at::Tensor featureGate;  ///< N x 64
};

/// The volume network; see volume_models.hpp for the architecture.
struct VolumeNetImpl : torch::nn::Module {
  VolumeNetImpl(int inputChannels, int patch, bool attention);

  /// Valid 3x3x3 convolutions: N x (C+1) x D x H x W -> N x 32 x (D-6) x (H-6) x (W-6).
  at::Tensor trunk(const at::Tensor& x);
  /// N x 32 x m x m x m maps -> feature vector f (with the attention gates). When no
  /// backward pass is recorded (scoring) the gates multiply `maps` in place: pass a fresh
  /// trunk output, as features() does.
  HeadOutput head(const at::Tensor& maps);
  /// The head densely over a trunk map: `maps` is 32 x (D+m-1) x (H+m-1) x (W+m-1) (one
  /// tile's trunk output), the result P x 64 with P = D H W, row (z H + y) W + x = head() on
  /// the m^3 window whose corner is (z, y, x). Same arithmetic as head(), reordered into
  /// large ops (see volume_net.cpp): exact up to float summation order.
  at::Tensor denseFeatures(const at::Tensor& maps);
  /// Trunk then head on N x (C+1) x k^3 patches.
  at::Tensor features(const at::Tensor& patches) { return head(trunk(patches)).features; }
  /// Ore logit per row of f (N).
  at::Tensor label(const at::Tensor& f);
  /// Domain logit per row of f (N) after the gradient reversal layer with `lambda`.
  at::Tensor domain(const at::Tensor& f, double lambda);

  int inputChannels_ = 0, patch_ = 0, mapSize_ = 0;
  bool attention_ = false;
  torch::nn::Conv3d conv1_{nullptr}, conv2_{nullptr}, conv3_{nullptr}, spatialConv_{nullptr};
  torch::nn::Linear se1_{nullptr}, se2_{nullptr}, fc_{nullptr}, fa1_{nullptr}, fa2_{nullptr};
  torch::nn::Linear label1_{nullptr}, label2_{nullptr}, domain1_{nullptr}, domain2_{nullptr};
};
TORCH_MODULE(VolumeNet);

/// N x (C+1) x k x k x k float tensor of the patches `rows` of a standardised batch: the C
/// channels then the mask as a 0/1 channel.
at::Tensor patchesToTensor(const PatchBatch& batch, const std::vector<std::size_t>& rows);
/// All patches of the batch.
at::Tensor patchesToTensor(const PatchBatch& batch);
/// Calls `fn` with consecutive runs of at most `chunk` patches of the batch as N x (C+1) x k^3
/// tensors, written in parallel into one buffer allocated once and reused (a fresh tensor
/// per chunk cost 10-30 % of inference throughput in page faults and copies). The tensor
/// passed to `fn` is overwritten by the next chunk: `fn` must not keep it.
void forEachPatchChunk(const PatchBatch& batch, std::size_t chunk, const std::function<void(const at::Tensor&)>& fn);

}  // namespace orevox::detail

namespace orevox {

struct VolumeModel::Impl {
  VolumeModelKind kind = VolumeModelKind::DannCta;
  std::vector<std::string> channels;
  int patch = 9;
  ChannelStandardisation sourceStandardisation;
  detail::VolumeNet net{nullptr};
};

}  // namespace orevox
