#pragma once
/// \file torch_runtime.hpp
/// The torch-free face of the LibTorch bridge target (orevox::learning_torch). Callers
/// (the CLI, torch-free modules) include only this; the models and trainers that need
/// torch types live inside the bridge target.

#include <cstdint>
#include <string>
#include <vector>

#include "orevox/learning/window_batch.hpp"

namespace orevox {

/// Build and runtime facts of the LibTorch in use.
struct TorchInfo {
  std::string version;      ///< e.g. "1.13.1"
  int intraOpThreads = 0;   ///< at::get_num_threads()
  std::string parallelInfo; ///< at::get_parallel_info(), first line
  bool cudaAvailable = false;
};

/// Sets LibTorch's intra-op thread pool (LibTorch starts with one thread on these machines;
/// 0 = orevox::threadCount()) and seeds torch's generator (torch::manual_seed).
void configureTorch(int threads, std::uint64_t seed);
TorchInfo torchInfo();

/// Per-channel means of a window batch computed by LibTorch on the NCHW tensor made from
/// the batch (masked cells excluded). Used to prove the tensor conversion end to end: it
/// must equal WindowBatch::channelMeans.
std::vector<double> channelMeansTorch(const WindowBatch& batch);

}  // namespace orevox
