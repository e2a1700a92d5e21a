#pragma once
// Private to the torch bridge: the graph layers and networks of the ResGNN path on dense
// batches. Adjacency is [B, N, N] or one shared [N, N] (broadcast); features [B, N, F].

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "orevox/learning/torch/graph_models.hpp"

namespace orevox::detail {

/// Seeds torch's default CPU generator (as configureTorch, without touching threads).
void seedTorch(std::uint64_t seed);

/// D^-1/2 (A + I) D^-1/2 of a 0/1 (or weighted) adjacency [.., N, N] (Kipf & Welling eq. 2).
at::Tensor gcnNormalize(const at::Tensor& adjacency);
/// Softmax attention of GAT (Velickovic et al. eqs. 1-3) for z [.., N, h]:
/// alpha_ij = softmax_j(LeakyReLU(aL.z_i + aR.z_j)) over j with (A + I)_ij > 0.
at::Tensor gatCoefficients(const at::Tensor& adjacency, const at::Tensor& z,
                           const at::Tensor& aLeft, const at::Tensor& aRight);
/// The additive mask of gatCoefficients: 0 where (A + I)_ij > 0, -inf elsewhere.
at::Tensor gatMask(const at::Tensor& adjacency);
/// gatCoefficients with the mask computed once (gatMask).
at::Tensor gatCoefficientsMasked(const at::Tensor& mask, const at::Tensor& z,
                                 const at::Tensor& aLeft, const at::Tensor& aRight);

/// A network mapping (adjacency, features) to class logits [B, 2]. The adjacency enters
/// through `propagation`, computed once per data set (or inference chunk) rather than once
/// per batch: it depends on the graphs only, never on parameters.
struct GraphNet : torch::nn::Module {
  virtual ~GraphNet() = default;
  /// The operator of this family for 0/1 adjacency [.., N, N]: A^ (GCN), the -inf mask
  /// (GAT), A (GIN, DiffPool), D^-1 A (GraphSAGE). Same leading shape as `adjacency`.
  virtual at::Tensor propagation(const at::Tensor& adjacency) const = 0;
  /// Logits [B, 2] from `propagation` of the batch's adjacency ([N, N] shared or [B, N, N])
  /// and features [B, N, F]; `layers` (optional) receives H^(l) [B, N, h] after each layer.
  virtual at::Tensor forward(const at::Tensor& op, const at::Tensor& x,
                             std::vector<at::Tensor>* layers = nullptr) = 0;
  /// Auxiliary loss of the last forward (DiffPool), undefined otherwise.
  virtual at::Tensor auxLoss() const { return {}; }
  /// Zeroes the weights of graph layer `layer` (diagnostics).
  virtual void zeroLayer(int layer) = 0;
};

/// Builds the network of `kind`.
std::shared_ptr<GraphNet> makeGraphNet(GraphModelKind kind, std::int64_t nodes,
                                       std::int64_t featureDim, const GraphTrainOptions& options);

}  // namespace orevox::detail
