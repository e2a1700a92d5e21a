#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>

#include "orevox/geomodel/distance_field.hpp"
#include "orevox/core/error.hpp"
#include "orevox/geomodel/raster.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox {
namespace {

GridSpec squareGrid(std::size_t n, double cell) {
  GridSpec g;
  g.width = n;
  g.height = n;
  g.geoTransform = {0.0, cell, 0.0, double(n) * cell, 0.0, -cell};
  return g;
}

FaultNetwork randomFaults(std::size_t lines, double extent, std::uint64_t seed, int minVertices = 2,
                          int maxVertices = 6) {
  Rng rng = makeRng(seed);
  // Reaching a little beyond the grid, with short and long segments mixed.
  std::uniform_real_distribution<double> coord(-0.1 * extent, 1.1 * extent);
  std::uniform_real_distribution<double> step(-0.08 * extent, 0.08 * extent);
  std::uniform_int_distribution<int> vertices(minVertices, maxVertices);
  FaultNetwork f;
  for (std::size_t l = 0; l < lines; ++l) {
    Polyline p;
    Eigen::Vector2d v(coord(rng), coord(rng));
    const int nv = vertices(rng);
    for (int i = 0; i < nv; ++i) {
      p.points.push_back(v);
      v += Eigen::Vector2d(step(rng), step(rng));
    }
    f.lines.push_back(p);
  }
  return f;
}

float bruteForce(const FaultNetwork& f, const Eigen::Vector2d& p) {
  double best = std::numeric_limits<double>::infinity();
  for (const auto& l : f.lines) {
    for (std::size_t i = 1; i < l.points.size(); ++i) {
      best = std::min(best, distanceToSegment(p, l.points[i - 1], l.points[i]));
    }
  }
  return static_cast<float>(best);
}

TEST(DistanceField, EqualsBruteForceOnRandomSegments) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const GridSpec g = squareGrid(120, 100.0);
    const FaultNetwork f = randomFaults(seed == 3 ? 2 : 40, 12000.0, seed);  // seed 3: few faults, far cells
    const std::vector<float> d = distanceToLines(f, g);
    ASSERT_EQ(d.size(), g.size());
    std::size_t mismatches = 0;
    for (std::size_t row = 0; row < g.height; ++row) {
      for (std::size_t col = 0; col < g.width; ++col) {
        const Eigen::Vector2d p(g.centreX(double(col)), g.centreY(double(row)));
        if (d[g.index(col, row)] != bruteForce(f, p)) ++mismatches;
      }
    }
    EXPECT_EQ(mismatches, 0u) << "seed " << seed;
  }
}

TEST(DistanceField, HandValuesAndDegenerateSegments) {
  // One horizontal fault along y = 250 from x = 100 to x = 300, plus a zero-length one.
  FaultNetwork f;
  f.lines.push_back(Polyline{{Eigen::Vector2d(100, 250), Eigen::Vector2d(300, 250)}, "F1"});
  f.lines.push_back(Polyline{{Eigen::Vector2d(50, 50), Eigen::Vector2d(50, 50)}, "point"});
  f.lines.push_back(Polyline{{Eigen::Vector2d(0, 0)}, "single vertex, no segment"});
  const GridSpec g = squareGrid(4, 100.0);  // centres at 50, 150, 250, 350
  const std::vector<float> d = distanceToLines(f, g);
  EXPECT_FLOAT_EQ(d[g.index(1, 1)], 0.0f);                        // (150, 250) on the fault
  EXPECT_FLOAT_EQ(d[g.index(3, 0)], float(std::hypot(50, 100)));  // (350, 350) to (300, 250)
  EXPECT_FLOAT_EQ(d[g.index(0, 3)], 0.0f);                        // (50, 50) on the point fault
  EXPECT_FLOAT_EQ(d[g.index(2, 3)], float(std::hypot(200, 0)));  // (250, 50): 200 below F1
}

TEST(DistanceField, MaskAndErrors) {
  FaultNetwork f;
  f.lines.push_back(Polyline{{Eigen::Vector2d(0, 0), Eigen::Vector2d(100, 100)}, "F"});
  GridSpec g = squareGrid(5, 50.0);
  g.mask.assign(g.size(), 1);
  g.mask[7] = 0;
  const std::vector<float> d = distanceToLines(f, g);
  EXPECT_EQ(d[7], kNodata);
  EXPECT_NE(d[8], kNodata);
  EXPECT_THROW(distanceToLines(FaultNetwork{}, g), DataError);
}

TEST(DistanceField, LargeGridIsFastAndExactOnASample) {
  // 1000 x 1000 cells of 100 m and 750 traces of 4 segments: 3000 segments.
  const GridSpec g = squareGrid(1000, 100.0);
  const FaultNetwork f = randomFaults(750, 100000.0, 9, 5, 5);
  ASSERT_EQ(f.segmentCount(), 3000u);
  Stopwatch clock;
  const std::vector<float> d = distanceToLines(f, g);
  const double seconds = clock.seconds();
  RecordProperty("seconds", std::to_string(seconds));
  std::printf("distanceToLines 1000x1000 cells x %zu segments: %.3f s\n", f.segmentCount(), seconds);
  Rng rng = makeRng(10);
  std::uniform_int_distribution<std::size_t> cell(0, g.size() - 1);
  for (int i = 0; i < 2000; ++i) {
    const std::size_t c = cell(rng);
    const Eigen::Vector2d p(g.centreX(double(c % g.width)), g.centreY(double(c / g.width)));
    ASSERT_EQ(d[c], bruteForce(f, p)) << "cell " << c;
  }
}

TEST(RingBuffer, LevelsAtTheEdges) {
  const std::vector<float> d{0.0f, 500.0f, 500.5f, 1000.0f, 1499.0f, 2000.0f, 2500.0f, 2999.0f, 3000.0f, 3000.5f, 1e6f,
                             kNodata, std::nanf("")};
  const std::vector<float> level = ringBufferLevels(d);
  const std::vector<float> expected{6, 6, 5, 5, 4, 3, 2, 1, 1, 0, 0, kNodata, kNodata};
  EXPECT_EQ(level, expected);
  RingBufferOptions two;
  two.edges = {100.0, 200.0};
  EXPECT_EQ(ringBufferLevels({50.0f, 150.0f, 250.0f}, two), (std::vector<float>{2, 1, 0}));
  two.edges = {200.0, 100.0};
  EXPECT_THROW(ringBufferLevels({1.0f}, two), UsageError);
  EXPECT_THROW(ringBufferLevels({-1.0f}), DataError);
}

}  // namespace
}  // namespace orevox
