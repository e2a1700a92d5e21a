#include "flat_adam.hpp"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <ATen/core/grad_mode.h>

#include <cmath>

namespace orevox::detail {

FlatAdam::FlatAdam(const std::vector<at::Tensor>& parameters, double lr, double beta1, double beta2, double eps)
    : parameters_(parameters), lr_(lr), beta1_(beta1), beta2_(beta2), eps_(eps) {
  at::NoGradGuard guard;
  std::vector<at::Tensor> pieces;
  for (const at::Tensor& p : parameters_) pieces.push_back(p.detach().reshape({-1}));
  flat_ = pieces.empty() ? at::empty({0}, at::kFloat) : at::cat(pieces);
  int64_t offset = 0;
  for (at::Tensor& p : parameters_) {
    const int64_t n = p.numel();
    p.set_data(flat_.narrow(0, offset, n).view(p.sizes()));  // the module keeps the same tensor object
    offset += n;
  }
  m_ = at::zeros_like(flat_);
  v_ = at::zeros_like(flat_);
}

void FlatAdam::zeroGrad() {
  for (at::Tensor& p : parameters_) p.mutable_grad().reset();
}

void FlatAdam::step() {
  at::NoGradGuard guard;
  std::vector<at::Tensor> grads;
  grads.reserve(parameters_.size());
  for (const at::Tensor& p : parameters_) {
    grads.push_back(p.grad().defined() ? p.grad().reshape({-1}) : at::zeros({p.numel()}, flat_.options()));
  }
  const at::Tensor g = at::cat(grads);
  ++t_;
  const double correction1 = 1.0 - std::pow(beta1_, double(t_)), correction2 = 1.0 - std::pow(beta2_, double(t_));
  m_.mul_(beta1_).add_(g, 1.0 - beta1_);
  v_.mul_(beta2_).addcmul_(g, g, 1.0 - beta2_);
  const at::Tensor denominator = (v_.sqrt() / std::sqrt(correction2)).add_(eps_);
  flat_.addcdiv_(m_, denominator, -lr_ / correction1);
}

}  // namespace orevox::detail
