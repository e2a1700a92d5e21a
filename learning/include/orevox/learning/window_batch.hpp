#pragma once
/// \file window_batch.hpp
/// Batches of k x k windows of a 2D channel stack: the input of the raster (SSGSNet) path.
/// Torch-free: the torch bridge turns a WindowBatch into tensors without copying twice.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace orevox {

/// N windows of C channels and k x k cells, stored N x C x k x k (C-contiguous, the
/// layout of a torch NCHW tensor), row 0 of each window = north. `mask` is N x k x k,
/// 1 where the cell is inside the grid and holds data in every channel; masked cells
/// hold 0 in `values`.
struct WindowBatch {
  std::size_t count = 0;
  std::size_t channels = 0;
  std::size_t size = 0;  ///< k
  std::vector<float> values;
  std::vector<std::uint8_t> mask;
  std::vector<std::string> channelNames;
  std::vector<std::array<double, 2>> centres;  ///< world (x, y) of each window's centre cell
  std::vector<int> labels;                     ///< optional, one per window

  std::size_t windowStride() const { return channels * size * size; }
  /// Mean of each channel over the unmasked cells of all windows (NaN for an empty channel).
  std::vector<double> channelMeans() const;
  /// Checks sizes are consistent; throws UsageError otherwise.
  void validate() const;
};

class SpatialIndex;

/// Draws one k x k window of the index's 2D stack per centre (all 2D layers when `layers`
/// is empty), padded and masked at grid edges and nodata.
WindowBatch drawWindows(const SpatialIndex& index, const std::vector<std::array<double, 2>>& centres,
                        int k, const std::vector<std::string>& layers = {});

}  // namespace orevox
