#include <gtest/gtest.h>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/geometry.hpp"
#include "orevox/geomodel/raster.hpp"
#include "orevox/geomodel/samples.hpp"

using namespace orevox;

TEST(GridSpec, FromExtentTilesExtentWithCellCentres) {
  const GridSpec g = GridSpec::fromExtent(Extent{0, 0, 1000, 500, true}, 100.0);
  EXPECT_EQ(g.width, 10u);
  EXPECT_EQ(g.height, 5u);
  EXPECT_DOUBLE_EQ(g.centreX(0), 50.0);
  EXPECT_DOUBLE_EQ(g.centreY(0), 450.0);  // row 0 is the north edge
  EXPECT_DOUBLE_EQ(g.centreY(4), 50.0);
  long c = 0, r = 0;
  ASSERT_TRUE(g.cellOf(999.0, 1.0, c, r));
  EXPECT_EQ(c, 9);
  EXPECT_EQ(r, 4);
  EXPECT_FALSE(g.cellOf(1000.5, 1.0, c, r));
}

TEST(GridSpec, FromExtentRoundsPartialCellsUp) {
  const GridSpec g = GridSpec::fromExtent(Extent{0, 0, 1050, 100, true}, 100.0);
  EXPECT_EQ(g.width, 11u);
  EXPECT_EQ(g.height, 1u);
}

TEST(GridSpec, EmptyExtentIsAUsageError) {
  EXPECT_THROW(GridSpec::fromExtent(Extent{5, 0, 5, 10, true}, 1.0), UsageError);
  EXPECT_THROW(GridSpec::fromExtent(Extent{0, 0, 5, 10, true}, 0.0), UsageError);
}

TEST(Raster, BandsByNameAndSampling) {
  Raster r(GridSpec::fromExtent(Extent{0, 0, 30, 20, true}, 10.0));
  auto& b = r.addBand("Au", 0.0f, "ppb");
  b.values[r.grid().index(2, 1)] = 7.0f;  // cell x 20..30, y 0..10
  EXPECT_FLOAT_EQ(r.sample(0, 25.0, 5.0), 7.0f);
  EXPECT_FLOAT_EQ(r.sample(0, 99.0, 5.0), kNodata);
  EXPECT_THROW(r.addBand("Au"), UsageError);
  EXPECT_THROW(r.band("Cu"), UsageError);
  EXPECT_THROW(r.addBand("Cu", std::vector<float>(3)), UsageError);
}

TEST(SampleTable, MissingColumnNamesSourceAndColumn) {
  SampleTable t;
  t.source = "survey.csv";
  t.addColumn("Au");
  try {
    t.column("Cu");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("survey.csv"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("'Cu'"), std::string::npos);
  }
}

TEST(SampleTable, SubsetKeepsRowsAndMatrix) {
  SampleTable t;
  t.addColumn("a");
  for (int i = 0; i < 4; ++i) {
    t.addPoint(i, 10 + i);
    t.column("a").values.back() = i * 2.0;
  }
  t.labels = {0, 1, 0, 1};
  const SampleTable s = t.subset({1, 3});
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s.labels, (std::vector<int>{1, 1}));
  const Eigen::MatrixXd m = s.matrix({"a"});
  EXPECT_DOUBLE_EQ(m(0, 0), 2.0);
  EXPECT_DOUBLE_EQ(m(1, 0), 6.0);
  EXPECT_NO_THROW(s.validate());
  const SampleTable bare = t.locationsOnly();
  EXPECT_EQ(bare.x, t.x);
  EXPECT_EQ(bare.labels, t.labels);
  EXPECT_TRUE(bare.columns.empty());
  EXPECT_NO_THROW(bare.validate());
}

TEST(Polygon, ContainsAndAreaWithHole) {
  Polygon p;
  p.rings.push_back({{0, 0}, {10, 0}, {10, 10}, {0, 10}});
  p.rings.push_back({{4, 4}, {6, 4}, {6, 6}, {4, 6}});
  EXPECT_DOUBLE_EQ(p.area(), 96.0);
  EXPECT_TRUE(p.contains(1, 1));
  EXPECT_FALSE(p.contains(5, 5));
  EXPECT_FALSE(p.contains(11, 5));
  const GridSpec g = GridSpec::fromExtent(Extent{0, 0, 10, 10, true}, 1.0);
  const auto mask = rasterizePolygons({p}, g);
  std::size_t inside = 0;
  for (auto v : mask) inside += v;
  EXPECT_EQ(inside, 96u);  // 100 cells minus the 2x2 hole
}

TEST(FaultNetwork, LengthAndSegments) {
  FaultNetwork f;
  f.lines.push_back(Polyline{{{0, 0}, {3, 4}, {3, 10}}, "F1"});
  EXPECT_EQ(f.segmentCount(), 2u);
  EXPECT_DOUBLE_EQ(f.totalLength(), 11.0);
}
