#include "tensor_convert.hpp"

#include <ATen/Functions.h>

namespace orevox::detail {

at::Tensor windowsToTensor(const WindowBatch& batch) {
  batch.validate();
  const auto n = static_cast<int64_t>(batch.count);
  const auto c = static_cast<int64_t>(batch.channels);
  const auto k = static_cast<int64_t>(batch.size);
  // from_blob does not own the memory: clone so the tensor outlives the batch.
  return at::from_blob(const_cast<float*>(batch.values.data()), {n, c, k, k}, at::kFloat).clone();
}

at::Tensor maskToTensor(const WindowBatch& batch) {
  batch.validate();
  const auto n = static_cast<int64_t>(batch.count);
  const auto k = static_cast<int64_t>(batch.size);
  return at::from_blob(const_cast<std::uint8_t*>(batch.mask.data()), {n, 1, k, k}, at::kByte)
      .to(at::kFloat);
}

}  // namespace orevox::detail
