#include "orevox/learning/window_batch.hpp"

#include <limits>

#include "orevox/core/error.hpp"

namespace orevox {

void WindowBatch::validate() const {
  const std::size_t cells = count * size * size;
  if (values.size() != cells * channels) {
    throw UsageError("window batch holds " + std::to_string(values.size()) + " values, expected " +
                     std::to_string(cells * channels));
  }
  if (mask.size() != cells) {
    throw UsageError("window batch mask holds " + std::to_string(mask.size()) + " flags, expected " +
                     std::to_string(cells));
  }
  if (!channelNames.empty() && channelNames.size() != channels) {
    throw UsageError("window batch names " + std::to_string(channelNames.size()) + " channels, holds " +
                     std::to_string(channels));
  }
  if (!labels.empty() && labels.size() != count) throw UsageError("window batch labels do not match its count");
}

std::vector<double> WindowBatch::channelMeans() const {
  validate();
  std::vector<double> sums(channels, 0.0);
  std::size_t valid = 0;
  const std::size_t area = size * size;
  for (std::size_t n = 0; n < count; ++n) {
    for (std::size_t cell = 0; cell < area; ++cell) {
      if (!mask[n * area + cell]) continue;
      ++valid;
      for (std::size_t c = 0; c < channels; ++c) sums[c] += values[n * windowStride() + c * area + cell];
    }
  }
  std::vector<double> out(channels, std::numeric_limits<double>::quiet_NaN());
  if (valid == 0) return out;
  for (std::size_t c = 0; c < channels; ++c) out[c] = sums[c] / double(valid);
  return out;
}

}  // namespace orevox
