#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>

#include "orevox/core/error.hpp"
#include "orevox/learning/window_batch.hpp"
#include "orevox/voxel/spatial_index.hpp"

namespace orevox {

WindowBatch drawWindows(const SpatialIndex& index, const std::vector<std::array<double, 2>>& centres, int k,
                        const std::vector<std::string>& layers) {
  if (k < 1) throw UsageError("window size must be at least 1 cell, got " + std::to_string(k));
  if (!index.hasGrid()) throw UsageError("the spatial index has no 2D grid layers to draw windows from");
  WindowBatch batch;
  batch.count = centres.size();
  batch.size = static_cast<std::size_t>(k);
  batch.centres = centres;
  // The first window fixes the channel list (all 2D layers when `layers` is empty).
  const Window first = index.window(centres.empty() ? index.grid().centreX(0) : centres[0][0],
                                    centres.empty() ? index.grid().centreY(0) : centres[0][1], k, layers);
  batch.channels = static_cast<std::size_t>(first.channels);
  batch.channelNames = first.names;
  batch.values.resize(batch.count * batch.windowStride());
  batch.mask.resize(batch.count * batch.size * batch.size);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, centres.size()), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t n = r.begin(); n != r.end(); ++n) {
      const Window w = index.window(centres[n][0], centres[n][1], k, layers);
      std::copy(w.values.begin(), w.values.end(), batch.values.begin() + long(n * batch.windowStride()));
      std::copy(w.mask.begin(), w.mask.end(), batch.mask.begin() + long(n * batch.size * batch.size));
    }
  });
  return batch;
}

}  // namespace orevox
