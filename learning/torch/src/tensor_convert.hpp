#pragma once
// Private to the torch bridge: WindowBatch <-> tensors. Narrow ATen headers only.

#include <ATen/core/Tensor.h>

#include "orevox/learning/window_batch.hpp"

namespace orevox::detail {

/// N x C x k x k float32 tensor sharing no memory with the batch (a copy, so the batch
/// may go away).
at::Tensor windowsToTensor(const WindowBatch& batch);
/// N x 1 x k x k float32 mask tensor (1 = valid cell).
at::Tensor maskToTensor(const WindowBatch& batch);

}  // namespace orevox::detail
