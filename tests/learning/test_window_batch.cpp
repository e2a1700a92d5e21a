#include <gtest/gtest.h>

#include <cmath>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/raster.hpp"
#include "orevox/learning/window_batch.hpp"
#include "orevox/voxel/spatial_index.hpp"

using namespace orevox;

namespace {
WindowBatch twoByTwo() {
  // 2 windows, 2 channels, k = 2; window 0 has one masked cell.
  WindowBatch b;
  b.count = 2;
  b.channels = 2;
  b.size = 2;
  b.values = {1, 2, 3, 0,   /* w0 c0 */ 10, 20, 30, 0, /* w0 c1 */
              4, 4, 4, 4,   /* w1 c0 */ 0, 0, 0, 0};   /* w1 c1 */
  b.mask = {1, 1, 1, 0, 1, 1, 1, 1};
  return b;
}
}  // namespace

TEST(WindowBatch, ChannelMeansSkipMaskedCells) {
  const auto means = twoByTwo().channelMeans();
  ASSERT_EQ(means.size(), 2u);
  EXPECT_DOUBLE_EQ(means[0], (1 + 2 + 3 + 4 * 4) / 7.0);
  EXPECT_DOUBLE_EQ(means[1], (10 + 20 + 30) / 7.0);
}

TEST(WindowBatch, ValidateRejectsInconsistentSizes) {
  WindowBatch b = twoByTwo();
  b.mask.pop_back();
  EXPECT_THROW(b.validate(), UsageError);
  b = twoByTwo();
  b.labels = {1};
  EXPECT_THROW(b.validate(), UsageError);
}

TEST(WindowBatch, DrawWindowsMatchesRasterCellsAndMasksOutside) {
  // 5 x 4 grid, 10 m cells, two bands with value = 100 * band + index.
  Raster r(GridSpec::fromExtent(Extent{0, 0, 50, 40, true}, 10.0));
  for (int bnd = 0; bnd < 2; ++bnd) {
    std::vector<float> v(r.grid().size());
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = float(100 * bnd + i);
    r.addBand("b" + std::to_string(bnd), v);
  }
  r.band(1).values[r.grid().index(1, 1)] = kNodata;
  SpatialIndex index;
  index.addGrid(r);
  // Centres: cell (1,1) (x=15, y=25) and the north-west corner cell (0,0) (x=5, y=35).
  const WindowBatch b = drawWindows(index, {{15.0, 25.0}, {5.0, 35.0}}, 3);
  ASSERT_EQ(b.count, 2u);
  ASSERT_EQ(b.channels, 2u);
  ASSERT_EQ(b.size, 3u);
  ASSERT_NO_THROW(b.validate());
  EXPECT_EQ(b.channelNames, (std::vector<std::string>{"b0", "b1"}));
  // Window 0 covers cols 0..2, rows 0..2; its centre (1,1) is nodata in b1 -> masked, 0.
  for (int dr = 0; dr < 3; ++dr) {
    for (int dc = 0; dc < 3; ++dc) {
      const std::size_t cell = std::size_t(dr * 3 + dc);
      const std::size_t src = r.grid().index(std::size_t(dc), std::size_t(dr));
      if (dr == 1 && dc == 1) {
        EXPECT_EQ(b.mask[cell], 0);
        EXPECT_EQ(b.values[cell], 0.0f);
      } else {
        EXPECT_EQ(b.mask[cell], 1);
        EXPECT_EQ(b.values[cell], float(src));
        EXPECT_EQ(b.values[9 + cell], float(100 + src));
      }
    }
  }
  // Window 1 at the corner: first row and first column fall outside the grid.
  const std::size_t w1 = b.windowStride();
  const std::size_t m1 = 9;
  for (int dr = 0; dr < 3; ++dr) {
    for (int dc = 0; dc < 3; ++dc) {
      const std::size_t cell = std::size_t(dr * 3 + dc);
      const bool outside = dr == 0 || dc == 0;
      const bool nodata = dr == 2 && dc == 2;  // cell (1,1) again
      EXPECT_EQ(b.mask[m1 + cell], (outside || nodata) ? 0 : 1) << dr << "," << dc;
      if (!outside && !nodata) {
        EXPECT_EQ(b.values[w1 + cell], float(r.grid().index(std::size_t(dc - 1), std::size_t(dr - 1))));
      }
    }
  }
}
