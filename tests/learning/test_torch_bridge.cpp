#include <gtest/gtest.h>

#include "orevox/core/runtime.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"

using namespace orevox;

TEST(TorchBridge, ChannelMeansThroughTensorsEqualTorchFreeMeans) {
  WindowBatch b;
  b.count = 3;
  b.channels = 4;
  b.size = 5;
  Rng rng = makeRng(7);
  std::uniform_real_distribution<float> u(-3.0f, 3.0f);
  b.values.resize(b.count * b.windowStride());
  b.mask.resize(b.count * b.size * b.size);
  for (auto& v : b.values) v = u(rng);
  for (std::size_t i = 0; i < b.mask.size(); ++i) b.mask[i] = (i % 7) != 0;
  // masked cells hold 0, as drawWindows guarantees
  for (std::size_t n = 0; n < b.count; ++n)
    for (std::size_t c = 0; c < b.channels; ++c)
      for (std::size_t cell = 0; cell < 25; ++cell)
        if (!b.mask[n * 25 + cell]) b.values[n * b.windowStride() + c * 25 + cell] = 0.0f;
  const auto expected = b.channelMeans();
  const auto got = channelMeansTorch(b);
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t c = 0; c < got.size(); ++c) EXPECT_NEAR(got[c], expected[c], 1e-6);
}

TEST(TorchBridge, ConfigureSetsThreadsAndReportsVersion) {
  configureTorch(2, 123);
  const TorchInfo info = torchInfo();
  EXPECT_EQ(info.intraOpThreads, 2);
  EXPECT_FALSE(info.version.empty());
  configureTorch(1, 123);
  EXPECT_EQ(torchInfo().intraOpThreads, 1);
}
