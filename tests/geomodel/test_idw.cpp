#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/idw.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox {
namespace {

SampleTable randomSamples(std::size_t n, std::uint64_t seed) {
  Rng rng = makeRng(seed);
  std::uniform_real_distribution<double> coord(0.0, 10000.0);
  std::lognormal_distribution<double> conc(3.0, 1.0);
  std::bernoulli_distribution missing(0.1);
  SampleTable t;
  t.source = "random.csv";
  for (std::size_t i = 0; i < n; ++i) t.addPoint(coord(rng), coord(rng));
  auto& cu = t.addColumn("Cu", 0.0, "ppm");
  auto& au = t.addColumn("Au", 0.0, "ppb");
  for (std::size_t i = 0; i < n; ++i) {
    cu.values[i] = conc(rng);
    au.values[i] = missing(rng) ? std::nan("") : conc(rng);
  }
  return t;
}

GridSpec testGrid() {
  GridSpec g;
  g.width = 40;
  g.height = 30;
  g.geoTransform = {0.0, 250.0, 0.0, 10000.0, 0.0, -250.0};  // 10 km x 7.5 km
  return g;
}

/// The textbook formula over all samples: sort by distance, keep the k nearest within the
/// radius, drop those whose value is NaN, weight by 1 / d^p; a sample on the node wins.
double bruteForce(const SampleTable& t, const std::string& field, double x, double y, const IdwOptions& o) {
  std::vector<std::pair<double, std::size_t>> byDistance;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const double dx = t.x[i] - x, dy = t.y[i] - y;
    byDistance.emplace_back(dx * dx + dy * dy, i);
  }
  std::sort(byDistance.begin(), byDistance.end());
  const auto& v = t.column(field).values;
  double num = 0.0, den = 0.0;
  for (std::size_t n = 0; n < std::min(o.neighbors, byDistance.size()); ++n) {
    const auto [d2, i] = byDistance[n];
    if (o.radius > 0.0 && d2 > o.radius * o.radius) break;
    if (std::isnan(v[i])) continue;
    if (d2 < 1e-13) return v[i];
    const double w = 1.0 / std::pow(std::sqrt(d2), o.power);
    num += w * v[i];
    den += w;
  }
  return den > 0.0 ? num / den : double(o.nodata);
}

void expectMatchesBruteForce(const SampleTable& t, const GridSpec& g, const IdwOptions& o, std::size_t& nodataCells) {
  const Raster r = idwGrid(t, {"Cu", "Au"}, g, o);
  ASSERT_EQ(r.bandCount(), 2u);
  nodataCells = 0;
  for (std::size_t b = 0; b < 2; ++b) {
    const std::string field = b == 0 ? "Cu" : "Au";
    for (std::size_t row = 0; row < g.height; ++row) {
      for (std::size_t col = 0; col < g.width; ++col) {
        const double expected = bruteForce(t, field, g.centreX(double(col)), g.centreY(double(row)), o);
        const float got = r.band(b).values[g.index(col, row)];
        if (expected == double(o.nodata)) {
          ++nodataCells;
          EXPECT_EQ(got, o.nodata) << field << " cell " << col << "," << row;
        } else {
          EXPECT_NEAR(got, expected, 1e-6 * std::abs(expected)) << field << " cell " << col << "," << row;
        }
      }
    }
  }
}

TEST(Idw, MatchesBruteForceUnlimitedRadius) {
  const SampleTable t = randomSamples(300, 1);
  std::size_t nodata = 0;
  expectMatchesBruteForce(t, testGrid(), IdwOptions{}, nodata);
  EXPECT_EQ(nodata, 0u);
}

TEST(Idw, MatchesBruteForceWithRadiusAndNodata) {
  const SampleTable t = randomSamples(60, 2);
  IdwOptions o;
  o.radius = 700.0;
  o.neighbors = 5;
  o.power = 3.0;
  o.nodata = -1.0f;
  std::size_t nodata = 0;
  expectMatchesBruteForce(t, testGrid(), o, nodata);
  EXPECT_GT(nodata, 100u);  // sparse samples and a short radius leave holes
}

TEST(Idw, BandsCarryNamesUnitsAndGrid) {
  const SampleTable t = randomSamples(50, 3);
  const Raster r = idwGrid(t, {"Au", "Cu"}, testGrid());
  EXPECT_EQ(r.band(0).name, "Au");
  EXPECT_EQ(r.band(0).units, "ppb");
  EXPECT_EQ(r.band(1).name, "Cu");
  EXPECT_EQ(r.band(1).units, "ppm");
  EXPECT_TRUE(r.grid().sameGrid(testGrid()));
  EXPECT_EQ(r.nodata(), kNodata);
}

TEST(Idw, SampleOnACellCentreGivesItsValue) {
  SampleTable t = randomSamples(40, 4);
  const GridSpec g = testGrid();
  t.addPoint(g.centreX(7), g.centreY(5));
  t.column("Cu").values.back() = 42.5;
  t.column("Au").values.back() = std::nan("");  // dropped for Au only
  const Raster r = idwGrid(t, {"Cu", "Au"}, g);
  EXPECT_EQ(r.band(0).values[g.index(7, 5)], 42.5f);
  const double au = bruteForce(t, "Au", g.centreX(7), g.centreY(5), IdwOptions{});
  EXPECT_NEAR(r.band(1).values[g.index(7, 5)], au, 1e-6 * au);
  EXPECT_NE(r.band(1).values[g.index(7, 5)], 42.5f);
}

TEST(Idw, NanValuesAreSkippedPerField) {
  // Two samples; the nearer one has no Au, so Au comes from the farther one alone while
  // Cu still weights both.
  SampleTable t;
  t.addPoint(100.0, 9900.0);
  t.addPoint(400.0, 9900.0);
  t.addColumn("Cu");
  t.addColumn("Au");
  t.column("Cu").values = {10.0, 20.0};
  t.column("Au").values = {std::nan(""), 7.0};
  GridSpec g = testGrid();
  const Raster r = idwGrid(t, {"Cu", "Au"}, g);
  // Cell (0, 0) centre (125, 9875): d1^2 = 25^2 + 25^2, d2^2 = 275^2 + 25^2.
  const double w1 = 1.0 / (625.0 + 625.0), w2 = 1.0 / (275.0 * 275.0 + 625.0);
  EXPECT_NEAR(r.band(0).values[0], (10.0 * w1 + 20.0 * w2) / (w1 + w2), 1e-5);
  EXPECT_FLOAT_EQ(r.band(1).values[0], 7.0f);
}

TEST(Idw, MaskedCellsAreNodata) {
  const SampleTable t = randomSamples(50, 5);
  GridSpec g = testGrid();
  g.mask.assign(g.size(), 1);
  g.mask[g.index(3, 4)] = 0;
  const Raster r = idwGrid(t, {"Cu"}, g);
  EXPECT_EQ(r.band(0).values[g.index(3, 4)], kNodata);
  EXPECT_NE(r.band(0).values[g.index(4, 4)], kNodata);
}

TEST(Idw, ResultDoesNotDependOnThreadCount) {
  const SampleTable t = randomSamples(500, 6);
  GridSpec g = testGrid();
  g.width = 200;
  g.height = 150;
  g.geoTransform[1] = 50.0;
  g.geoTransform[5] = -50.0;
  setThreadCount(1);
  const Raster one = idwGrid(t, {"Cu", "Au"}, g);
  setThreadCount(2);
  const Raster two = idwGrid(t, {"Cu", "Au"}, g);
  setThreadCount(0);
  EXPECT_EQ(one.band(0).values, two.band(0).values);
  EXPECT_EQ(one.band(1).values, two.band(1).values);
}

TEST(Idw, RejectsBadOptionsAndData) {
  const SampleTable t = randomSamples(20, 7);
  const GridSpec g = testGrid();
  IdwOptions o;
  o.power = 0.0;
  EXPECT_THROW(idwGrid(t, {"Cu"}, g, o), UsageError);
  o = {};
  o.neighbors = 0;
  EXPECT_THROW(idwGrid(t, {"Cu"}, g, o), UsageError);
  o = {};
  o.radius = -1.0;
  EXPECT_THROW(idwGrid(t, {"Cu"}, g, o), UsageError);
  EXPECT_THROW(idwGrid(t, {}, g), UsageError);
  try {
    idwGrid(t, {"Ni"}, g);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("random.csv"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Ni"), std::string::npos) << e.what();
  }
  SampleTable empty;
  empty.source = "empty.csv";
  empty.addColumn("Cu");
  try {
    idwGrid(empty, {"Cu"}, g);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("empty.csv"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Cu"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace orevox
