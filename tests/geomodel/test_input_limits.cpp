// Inputs a hostile or careless user can give the geomodel core: non-finite extents, cells
// larger than the extent, grids that cannot fit, NaN points, extreme IDW powers.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/grid.hpp"
#include "orevox/geomodel/idw.hpp"

namespace orevox {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string usageMessage(const Extent& e, double cell) {
  try {
    GridSpec::fromExtent(e, cell);
  } catch (const UsageError& error) {
    return error.what();
  }
  return "(accepted)";
}

TEST(GridLimits, NonFiniteExtentsAreRefused) {
  EXPECT_NE(usageMessage(Extent{0, 0, kInf, 10, true}, 1).find("is not finite"), std::string::npos);
  EXPECT_NE(usageMessage(Extent{-kInf, 0, 10, 10, true}, 1).find("is not finite"),
            std::string::npos);
  // Coordinates so far apart that their difference overflows.
  EXPECT_NE(usageMessage(Extent{-1.7e308, 0, 1.7e308, 10, true}, 1).find("is not finite"),
            std::string::npos);
  EXPECT_NE(usageMessage(Extent{0, 0, 10, 10, true}, kInf).find("cell size must be a positive"),
            std::string::npos);
}

TEST(GridLimits, ACellLargerThanTheExtentIsRefused) {
  EXPECT_EQ(
      usageMessage(Extent{0, 0, 100, 50, true}, 1e308),
      "cell size 1e+308 is larger than the extent (100 x 50): the grid would be a single cell");
  EXPECT_EQ(usageMessage(Extent{0, 0, 100, 50, true}, 100), "(accepted)");  // 1 x 1 exactly fits
}

TEST(GridLimits, GridsThatCannotFitAreRefusedWithTheMemoryTheyNeed) {
  ::setenv("OREVOX_MAX_MEMORY", "1G", 1);
  // 1e5 x 1e5 cells, 5 bytes each (one float band and its mask): 46.6 GiB.
  EXPECT_EQ(usageMessage(Extent{0, 0, 1e5, 1e5, true}, 1),
            "a grid of 100000 x 100000 cells of 1 needs 46.6 GiB of memory, more than the 1.00 GiB "
            "this process may "
            "use (a larger cell size or a smaller extent)");
  // The same extent at 0.01 m: 1e14 cells, far past size_t-safe products in float.
  EXPECT_NE(usageMessage(Extent{0, 0, 1e5, 1e5, true}, 0.01).find("needs 455 TiB"),
            std::string::npos);
  ::unsetenv("OREVOX_MAX_MEMORY");
}

TEST(GridLimits, NanPointsAreOutsideEveryGrid) {
  GridSpec g = GridSpec::fromExtent(Extent{0, 0, 100, 100, true}, 10);
  long col = -1, row = -1;
  EXPECT_FALSE(g.cellOf(std::nan(""), std::nan(""), col, row));
  EXPECT_FALSE(g.cellOf(std::nan(""), 50, col, row));
  EXPECT_FALSE(g.cellOf(50, std::nan(""), col, row));
  EXPECT_FALSE(g.cellOf(kInf, 50, col, row));
  EXPECT_TRUE(g.cellOf(55, 55, col, row));
  EXPECT_EQ(col, 5);
  EXPECT_EQ(row, 4);
}

TEST(IdwLimits, AHugePowerGivesTheNearestSampleNotNodata) {
  // With 1/d^p the weights of p = 1000 underflow to 0 (or overflow to inf) and every cell
  // became nodata; as (d0/d)^p the nearest sample takes all the weight.
  SampleTable t;
  t.source = "three.csv";
  t.addPoint(10, 10);
  t.addPoint(90, 10);
  t.addPoint(50, 90);
  auto& v = t.addColumn("Au");
  v.values = {1.0, 2.0, 3.0};
  const GridSpec g = GridSpec::fromExtent(Extent{0, 0, 100, 100, true}, 10);
  IdwOptions o;
  o.power = 1000;
  const Raster r = idwGrid(t, {"Au"}, g, o);
  for (std::size_t row = 0; row < g.height; ++row) {
    for (std::size_t col = 0; col < g.width; ++col) {
      const double x = g.centreX(double(col)), y = g.centreY(double(row));
      double best = kInf, expected = 0;
      bool tie = false;
      for (std::size_t i = 0; i < 3; ++i) {
        const double d = std::hypot(x - t.x[i], y - t.y[i]);
        if (std::abs(d - best) < 1e-9) tie = true;
        if (d < best - 1e-9) {
          best = d;
          expected = v.values[i];
          tie = false;
        }
      }
      const float got = r.band(0).values[g.index(col, row)];
      if (tie) {
        EXPECT_FALSE(r.isNodata(got));  // an average of the tied samples
        continue;
      }
      // (d0/d1)^1000 for the second-nearest is below 1e-3 unless d1/d0 < 1.007.
      EXPECT_NEAR(got, expected, 0.02) << "cell " << col << "," << row;
    }
  }
}

}  // namespace
}  // namespace orevox
