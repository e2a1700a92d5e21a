#pragma once
// Private to the torch bridge: the raster networks (SSGSNet, ResNet-18, ViT, DualBranchNet;
// architecture in raster_models.hpp) and the state behind orevox::RasterModel. Narrow
// torch headers.

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

#include <cstddef>
#include <vector>

#include "orevox/learning/torch/raster_models.hpp"

namespace orevox::detail {

constexpr int kEncoderWidth = 512;   // pooled output of the spectral-spatial branch
constexpr int kBranchFeature = 256;  // f_ss and f_sc (eqs. 7-8)
constexpr int kFusionHidden = 32;    // W_ss1 in R^{256x32}

/// Gates of one improved residual block (set when asked for).
struct BlockGates {
  at::Tensor channel;  // N x C
  at::Tensor spatial;  // N x 1 x H x W
};

/// Channel attention, squeeze-excitation (eqs. 1-3).
struct ChannelAttentionImpl : torch::nn::Module {
  ChannelAttentionImpl(int channels, int reduction);
  at::Tensor forward(const at::Tensor& x, at::Tensor* gate = nullptr);
  torch::nn::Linear fc1_{nullptr}, fc2_{nullptr};
};
TORCH_MODULE(ChannelAttention);

/// Spatial attention: channel mean and max (eqs. 4-5) -> 7x7 conv -> sigmoid -> scale.
struct SpatialAttentionImpl : torch::nn::Module {
  SpatialAttentionImpl();
  at::Tensor forward(const at::Tensor& x, at::Tensor* gate = nullptr);
  torch::nn::Conv2d conv_{nullptr};
};
TORCH_MODULE(SpatialAttention);

/// Residual block of Table 1 (with CA + SA: "improved"), or a plain ResNet basic block.
struct ResidualBlockImpl : torch::nn::Module {
  ResidualBlockImpl(int in, int out, int stride, bool attention, int reduction);
  at::Tensor forward(const at::Tensor& x, BlockGates* gates = nullptr);
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr}, shortcutConv_{nullptr};
  torch::nn::BatchNorm2d bn1_{nullptr}, bn2_{nullptr}, shortcutBn_{nullptr};
  ChannelAttention ca_{nullptr};
  SpatialAttention sa_{nullptr};
};
TORCH_MODULE(ResidualBlock);

/// Stem + 4 layers x 2 blocks + global average pool: N x (C+1) x k x k -> N x 512.
struct ResNetBranchImpl : torch::nn::Module {
  ResNetBranchImpl(int inputChannels, bool attention, int reduction);
  at::Tensor forward(const at::Tensor& x, std::vector<BlockGates>* gates = nullptr);
  torch::nn::Conv2d stem_{nullptr};
  torch::nn::BatchNorm2d stemBn_{nullptr};
  std::vector<ResidualBlock> blocks_;
};
TORCH_MODULE(ResNetBranch);

/// Pre-norm transformer encoder block: x + MSA(LN(x)), then + MLP(LN(.)).
struct TransformerBlockImpl : torch::nn::Module {
  TransformerBlockImpl(int dim, int heads, int mlp);
  at::Tensor forward(const at::Tensor& x);
  int heads_ = 1;
  torch::nn::LayerNorm ln1_{nullptr}, ln2_{nullptr};
  torch::nn::Linear qkv_{nullptr}, proj_{nullptr}, mlp1_{nullptr}, mlp2_{nullptr};
};
TORCH_MODULE(TransformerBlock);

/// ViT branch: patch embedding, CLS, position embedding, encoder, final LN -> CLS (N x dim).
struct VitBranchImpl : torch::nn::Module {
  VitBranchImpl(int inputChannels, int k, const RasterNetOptions& o);
  at::Tensor forward(const at::Tensor& x);
  torch::nn::Conv2d embed_{nullptr};
  at::Tensor cls_, pos_;
  std::vector<TransformerBlock> blocks_;
  torch::nn::LayerNorm norm_{nullptr};
};
TORCH_MODULE(VitBranch);

/// Everything one forward pass can report.
struct RasterForward {
  at::Tensor logit;                // N
  std::vector<BlockGates> blocks;  // SSGSNet, when asked
  at::Tensor fusionSs, fusionSc;   // N x 256, SSGSNet
};

/// One class for the four kinds; see raster_models.hpp.
struct RasterNetImpl : torch::nn::Module {
  RasterNetImpl(RasterModelKind kind, int dataChannels, int k, const RasterNetOptions& o);
  /// Logits (N) of N x (C+1) x k x k inputs; with probe set, through encoder + probe head.
  at::Tensor forward(const at::Tensor& x) { return run(x, false).logit; }
  RasterForward run(const at::Tensor& x, bool gates);
  /// N x 512 pooled encoder output (kinds with an encoder).
  at::Tensor encode(const at::Tensor& x) { return encoder_->forward(x); }

  RasterModelKind kind_;
  bool probe_ = false;
  ResNetBranch encoder_{nullptr};
  VitBranch vit_{nullptr};
  torch::nn::Linear fss_{nullptr}, fsc_{nullptr}, gateSs1_{nullptr}, gateSs2_{nullptr},
      gateSc1_{nullptr}, gateSc2_{nullptr}, classifier_{nullptr}, probeHead_{nullptr};
  torch::nn::LayerNorm vitNorm_{nullptr};
  // DualBranchNet
  torch::nn::Conv2d dbConv1_{nullptr}, dbConv2_{nullptr};
  torch::nn::Linear dbMlp1_{nullptr}, dbMlp2_{nullptr}, dbFc1_{nullptr}, dbFc2_{nullptr};
};
TORCH_MODULE(RasterNet);

/// Analytic FLOPs (2 x multiply-adds) of one window through the conv, linear and attention
/// matrix products of the network (BN, activations and pooling not counted).
double rasterFlops(RasterModelKind kind, int dataChannels, int k, const RasterNetOptions& o);

/// N x (C+1) x k x k float tensor of windows `rows` of a batch: the C channels then the mask.
at::Tensor windowsInput(const WindowBatch& batch, const std::vector<std::size_t>& rows);
at::Tensor windowsInput(const WindowBatch& batch);

/// UsageError unless the batch matches the model (channel names, k).
void checkWindows(const RasterModel::Impl& m, const WindowBatch& batch);

/// Random symmetry of the square (one of 8) applied to an N x C x k x k tensor per window.
at::Tensor randomSymmetry(const at::Tensor& x, const std::vector<int>& which);

}  // namespace orevox::detail

namespace orevox {

struct RasterModel::Impl {
  RasterModelKind kind = RasterModelKind::Ssgsnet;
  std::vector<std::string> channels;
  int k = 32;
  RasterNetOptions options;
  RasterStandardisation standardisation;
  detail::RasterNet net{nullptr};
};

}  // namespace orevox
