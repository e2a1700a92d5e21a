// The graph networks' oneDNN products (learning/torch/src/dense_gemm.hpp) against LibTorch's
// own at::linear / at::matmul: values and gradients, with and without a bias, for node-major
// and batched shapes. Compiled with LibTorch's headers (the only test that includes a torch
// source header of the bridge).
#include <gtest/gtest.h>

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <ATen/core/grad_mode.h>

#include "dense_gemm.hpp"

namespace {

double maxAbsDiff(const at::Tensor& a, const at::Tensor& b) { return (a - b).abs().max().item<double>(); }

struct Gradients {
  at::Tensor y, dx, dw, db;
};

template <class F>
Gradients run(F f, const at::Tensor& x0, const at::Tensor& w0, const at::Tensor& b0, const at::Tensor& probe) {
  at::Tensor x = x0.clone().set_requires_grad(true), w = w0.clone().set_requires_grad(true);
  at::Tensor b = b0.defined() ? b0.clone().set_requires_grad(true) : at::Tensor();
  Gradients g;
  g.y = f(x, w, b);
  (g.y * probe).sum().backward();  // a non-uniform upstream gradient
  g.dx = x.grad();
  g.dw = w.grad();
  if (b.defined()) g.db = b.grad();
  return g;
}

}  // namespace

TEST(DenseGemm, LinearMatchesAtLinearInValueAndGradient) {
  at::manual_seed(3);
  for (bool bias : {true, false}) {
    const at::Tensor x = at::randn({5, 7, 17}), w = at::randn({33, 17}), b = bias ? at::randn({33}) : at::Tensor();
    const at::Tensor probe = at::randn({5, 7, 33});
    const Gradients ours = run([](auto& xx, auto& ww, auto& bb) { return orevox::detail::denseLinear(xx, ww, bb); }, x,
                               w, b, probe);
    const Gradients ref = run([](auto& xx, auto& ww, auto& bb) { return at::linear(xx, ww, bb); }, x, w, b, probe);
    EXPECT_EQ(ours.y.sizes(), ref.y.sizes());
    EXPECT_LT(maxAbsDiff(ours.y, ref.y), 1e-4) << "bias " << bias;
    EXPECT_LT(maxAbsDiff(ours.dx, ref.dx), 1e-4);
    EXPECT_LT(maxAbsDiff(ours.dw, ref.dw), 1e-3);
    EXPECT_EQ(ours.db.defined(), bias);
    if (bias) {
      EXPECT_LT(maxAbsDiff(ours.db, ref.db), 1e-4);
    }
  }
}

TEST(DenseGemm, LeftMultiplyMatchesMatmulAndGivesTheOperatorNoGradient) {
  at::manual_seed(4);
  const at::Tensor op = at::rand({16, 16}), h0 = at::randn({16, 9, 64}), probe = at::randn({16, 9, 64});
  at::Tensor h = h0.clone().set_requires_grad(true), href = h0.clone().set_requires_grad(true);
  const at::Tensor y = orevox::detail::denseLeftMultiply(op, h);
  const at::Tensor yref = at::mm(op, href.reshape({16, -1})).view({16, 9, 64});
  EXPECT_LT(maxAbsDiff(y, yref), 1e-4);
  (y * probe).sum().backward();
  (yref * probe).sum().backward();
  EXPECT_LT(maxAbsDiff(h.grad(), href.grad()), 1e-4);
  EXPECT_FALSE(op.requires_grad());
}

TEST(DenseGemm, PerGraphOperatorsMatchBatchedMatmul) {
  at::manual_seed(5);
  const at::Tensor op = at::rand({6, 16, 16}), h0 = at::randn({6, 16, 17}), probe = at::randn({6, 16, 17});
  at::Tensor h = h0.clone().set_requires_grad(true), href = h0.clone().set_requires_grad(true);
  const at::Tensor y = orevox::detail::denseLeftMultiply(op, h), yref = at::matmul(op, href);
  EXPECT_LT(maxAbsDiff(y, yref), 1e-4);
  (y * probe).sum().backward();
  (yref * probe).sum().backward();
  EXPECT_LT(maxAbsDiff(h.grad(), href.grad()), 1e-4);
}

TEST(DenseGemm, RejectsMismatchedShapesAndNonFloatInput) {
  at::NoGradGuard guard;
  EXPECT_ANY_THROW(orevox::detail::denseLinear(at::randn({4, 5}), at::randn({3, 6}), at::Tensor()));
  EXPECT_ANY_THROW(orevox::detail::denseLinear(at::randn({4, 5}, at::kDouble), at::randn({3, 5}, at::kDouble), at::Tensor()));
  EXPECT_ANY_THROW(orevox::detail::denseLeftMultiply(at::randn({4, 4}), at::randn({5, 3})));
  EXPECT_ANY_THROW(orevox::detail::denseLeftMultiply(at::randn({2, 4, 4}), at::randn({3, 4, 3})));
}
