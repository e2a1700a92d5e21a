#pragma once
// Matrix products of the graph networks by oneDNN's sgemm (Debian libdnnl-dev, the library
// LibTorch itself uses for convolutions). LibTorch 1.13 sends fp32 matrix products to the
// system BLAS. On one core of the test machine the ResGCN shapes ([4096 x 64] x [64 x 64],
// [4096 x 17] x [17 x 64], [16 x 16] x [16 x 16384]) ran at 27-76 GFLOP/s through OpenBLAS
// 0.3.21 (its AVX-512 kernels or the AVX2 ones OPENBLAS_CORETYPE=Haswell selects) against
// 65-127 GFLOP/s through dnnl_sgemm. Both functions are differentiable (custom autograd
// functions whose backward products are oneDNN's too) and take float tensors.

#include <ATen/core/Tensor.h>

namespace orevox::detail {

/// y = x w^T + b over the last dimension of x (any leading shape), as at::linear:
/// x [..., K], w [N, K], b [N] or undefined. Differentiable in x, w and b.
at::Tensor denseLinear(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b);

/// y = op h for a constant operator: op [N, N] with node-major h [N, ...] (one product over
/// all trailing columns), or per-graph operators op [B, N, N] with h [B, N, ...] (one product
/// per graph; LibTorch's batched matmul took twice as long on 16-node graphs). Differentiable
/// in h; op gets no gradient.
at::Tensor denseLeftMultiply(const at::Tensor& op, const at::Tensor& h);

}  // namespace orevox::detail
