#include "dense_gemm.hpp"

#include <ATen/Functions.h>
#include <ATen/Parallel.h>
#include <oneapi/dnnl/dnnl.h>
#include <torch/csrc/autograd/custom_function.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "orevox/core/error.hpp"

namespace orevox::detail {

namespace {

/// C [M, N] = alpha op(A) op(B) + beta C, row-major, 'N' or 'T' per operand.
void sgemm(char transA, char transB, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
           int64_t ldb, float beta, float* c, int64_t ldc) {
  if (m == 0 || n == 0) return;
  const dnnl_status_t status = dnnl_sgemm(transA, transB, m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc);
  if (status != dnnl_success) throw Error("oneDNN sgemm failed with status " + std::to_string(int(status)));
}

at::Tensor floatContiguous(const at::Tensor& t, const char* what) {
  if (t.scalar_type() != at::kFloat) throw UsageError(std::string("dense GEMM: ") + what + " must be float32");
  return t.contiguous();
}

struct LinearFunction : torch::autograd::Function<LinearFunction> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& input, const at::Tensor& weight,
                            const at::Tensor& bias) {
    const at::Tensor x = floatContiguous(input, "input"), w = floatContiguous(weight, "weight");
    const int64_t k = w.size(1), n = w.size(0), m = x.numel() / std::max<int64_t>(k, 1);
    if (x.size(-1) != k) throw UsageError("dense GEMM: input width does not match the weight");
    std::vector<int64_t> shape(x.sizes().begin(), x.sizes().end());
    shape.back() = n;
    at::Tensor y = at::empty(shape, x.options());
    float beta = 0.0f;
    const bool hasBias = bias.numel() > 0;  // an empty tensor stands for "no bias" (see denseLinear)
    if (hasBias) {  // rows start as the bias, then the product is added (beta = 1)
      const at::Tensor b = floatContiguous(bias, "bias");
      float* out = y.data_ptr<float>();
      for (int64_t r = 0; r < m; ++r) std::memcpy(out + r * n, b.data_ptr<float>(), sizeof(float) * std::size_t(n));
      beta = 1.0f;
    }
    sgemm('N', 'T', m, n, k, x.data_ptr<float>(), k, w.data_ptr<float>(), k, beta, y.data_ptr<float>(), n);
    ctx->save_for_backward({x, w});
    ctx->saved_data["bias"] = hasBias;
    return y;
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const at::Tensor& x = saved[0];
    const at::Tensor& w = saved[1];
    const at::Tensor dy = grads[0].contiguous();
    const int64_t k = w.size(1), n = w.size(0), m = x.numel() / std::max<int64_t>(k, 1);
    at::Tensor dx = at::empty(x.sizes(), x.options()), dw = at::empty(w.sizes(), w.options());
    sgemm('N', 'N', m, k, n, dy.data_ptr<float>(), n, w.data_ptr<float>(), k, 0.0f, dx.data_ptr<float>(), k);  // dy w
    sgemm('T', 'N', n, k, m, dy.data_ptr<float>(), n, x.data_ptr<float>(), k, 0.0f, dw.data_ptr<float>(), k);  // dy^T x
    at::Tensor db = ctx->saved_data["bias"].toBool() ? dy.view({m, n}).sum(0) : at::Tensor();
    return {dx, dw, db};
  }
};

/// y_g = op_g h_g for every graph g: op [N, N] with node-major h [N, ...] (one product), or
/// op [B, N, N] with h [B, N, ...] (one product per graph). `transpose` uses op_g^T.
at::Tensor leftMultiply(const at::Tensor& a, const at::Tensor& h, bool transpose) {
  const bool batched = a.dim() == 3;
  const int64_t graphs = batched ? a.size(0) : 1, n = a.size(-1);
  const int64_t cols = h.numel() / std::max<int64_t>(graphs * n, 1);
  at::Tensor y = at::empty(h.sizes(), h.options());
  const float* ap = a.data_ptr<float>();
  const float* hp = h.data_ptr<float>();
  float* yp = y.data_ptr<float>();
  if (!batched) {
    sgemm(transpose ? 'T' : 'N', 'N', n, cols, n, ap, n, hp, cols, 0.0f, yp, cols);
    return y;
  }
  // Graphs split over the intra-op threads; oneDNN runs each small product on its caller's thread.
  at::parallel_for(0, graphs, 32, [&](int64_t g0, int64_t g1) {
    for (int64_t g = g0; g < g1; ++g) {
      sgemm(transpose ? 'T' : 'N', 'N', n, cols, n, ap + g * n * n, n, hp + g * n * cols, cols, 0.0f, yp + g * n * cols,
            cols);
    }
  });
  return y;
}

struct LeftMultiplyFunction : torch::autograd::Function<LeftMultiplyFunction> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& op, const at::Tensor& input) {
    const at::Tensor a = floatContiguous(op, "operator"), h = floatContiguous(input, "features");
    const bool batched = a.dim() == 3;
    const int64_t n = a.size(-1);
    const bool shapesMatch = (a.dim() == 2 || batched) && a.size(-2) == n && h.dim() >= (batched ? 2 : 1) &&
                             (batched ? h.size(0) == a.size(0) && h.size(1) == n : h.size(0) == n);
    if (!shapesMatch) throw UsageError("dense GEMM: operator and features do not match");
    ctx->saved_data["op"] = a;
    return leftMultiply(a, h, false);
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    return {at::Tensor(), leftMultiply(ctx->saved_data["op"].toTensor(), grads[0].contiguous(), true)};  // op^T dy
  }
};

}  // namespace

at::Tensor denseLinear(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b) {
  // Custom autograd functions take defined tensors only: no bias travels as an empty one.
  return LinearFunction::apply(x, w, b.defined() ? b : at::empty({0}, w.options()));
}

at::Tensor denseLeftMultiply(const at::Tensor& op, const at::Tensor& h) {
  return LeftMultiplyFunction::apply(op, h);
}

}  // namespace orevox::detail
