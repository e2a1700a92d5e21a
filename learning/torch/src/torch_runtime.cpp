#include "orevox/learning/torch/torch_runtime.hpp"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <ATen/core/Generator.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Context.h>
#include <torch/version.h>

#include <limits>

#include "orevox/core/runtime.hpp"
#include "tensor_convert.hpp"

namespace orevox {

void configureTorch(int threads, std::uint64_t seed) {
  at::set_num_threads(threads > 0 ? threads : threadCount());
  // Equivalent of torch::manual_seed for the CPU generator, without the torch/ umbrella.
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_current_seed(seed);
}

TorchInfo torchInfo() {
  TorchInfo info;
  info.version = TORCH_VERSION;
  info.intraOpThreads = at::get_num_threads();
  const std::string parallel = at::get_parallel_info();
  info.parallelInfo = parallel.substr(0, parallel.find('\n'));
  info.cudaAvailable = at::globalContext().hasCUDA();
  return info;
}

std::vector<double> channelMeansTorch(const WindowBatch& batch) {
  const at::Tensor x = detail::windowsToTensor(batch).to(at::kDouble);   // N C k k
  const at::Tensor m = detail::maskToTensor(batch).to(at::kDouble);      // N 1 k k
  const at::Tensor sums = (x * m).sum({0, 2, 3});                        // C
  const double valid = m.sum().item<double>();
  std::vector<double> out(batch.channels, std::numeric_limits<double>::quiet_NaN());
  if (valid <= 0) return out;
  const at::Tensor means = sums / valid;
  for (std::size_t c = 0; c < batch.channels; ++c) out[c] = means[static_cast<int64_t>(c)].item<double>();
  return out;
}

}  // namespace orevox
