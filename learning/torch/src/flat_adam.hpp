#pragma once
// Adam over all of a network's parameters at once. The parameters are moved into one
// contiguous buffer (each becomes a view of it), so a step is a handful of kernels over that
// buffer instead of about seven per parameter tensor: torch::optim::Adam spent more time on
// kernel launches than on arithmetic in the ResGCN benchmark's 219 small steps per epoch.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace orevox::detail {

class FlatAdam {
 public:
  /// Takes over `parameters` (their storage moves into the flat buffer; values unchanged).
  /// lr, beta1, beta2 and eps as torch::optim::AdamOptions; no weight decay, no amsgrad.
  explicit FlatAdam(const std::vector<at::Tensor>& parameters, double lr, double beta1 = 0.9, double beta2 = 0.999,
                    double eps = 1e-8);

  /// Drops the gradients (the next backward pass allocates them afresh).
  void zeroGrad();
  /// One Adam step (Kingma & Ba 2015, Algorithm 1, as torch::optim::Adam computes it):
  /// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
  /// theta -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
  /// A parameter without a gradient counts as a zero gradient (torch's Adam skips it).
  void step();

 private:
  std::vector<at::Tensor> parameters_;
  at::Tensor flat_, m_, v_;
  double lr_, beta1_, beta2_, eps_;
  std::int64_t t_ = 0;
};

}  // namespace orevox::detail
