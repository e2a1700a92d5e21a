#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <thread>
#include <tuple>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/voxel/spatial_index.hpp"

namespace orevox {
namespace {

const char* const kCrsA = "PROJCRS[\"GDA94 / MGA zone 50\",\n    BASEGEOGCRS[\"GDA94\"]]";
const char* const kCrsB = "PROJCRS[\"WGS 84 / UTM zone 50S\",\n    BASEGEOGCRS[\"WGS 84\"]]";

// ---- brute-force oracles -------------------------------------------------------------------

double dist(const SampleTable& t, std::size_t a, const double* q, bool use3D) {
  double s = (t.x[a] - q[0]) * (t.x[a] - q[0]) + (t.y[a] - q[1]) * (t.y[a] - q[1]);
  if (use3D) s += (t.z[a] - q[2]) * (t.z[a] - q[2]);
  return std::sqrt(s);
}

std::vector<Neighbor> bruteNearest(const SampleTable& t, const double* q, std::size_t k, bool use3D,
                                   std::size_t exclude) {
  std::vector<Neighbor> all;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (i != exclude) all.push_back(Neighbor{i, dist(t, i, q, use3D)});
  }
  std::sort(all.begin(), all.end(), [](const Neighbor& a, const Neighbor& b) {
    return a.distance < b.distance || (a.distance == b.distance && a.index < b.index);
  });
  if (all.size() > k) all.resize(k);
  return all;
}

std::vector<Neighbor> bruteRadius(const SampleTable& t, std::size_t node, double r) {
  const double q[3] = {t.x[node], t.y[node], t.is3D() ? t.z[node] : 0.0};
  std::vector<Neighbor> out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const double d = dist(t, i, q, t.is3D());
    if (i != node && d <= r) out.push_back(Neighbor{i, d});
  }
  std::sort(out.begin(), out.end(), [](const Neighbor& a, const Neighbor& b) {
    return a.distance < b.distance || (a.distance == b.distance && a.index < b.index);
  });
  return out;
}

void expectSameNeighbours(const std::vector<Neighbor>& got, const std::vector<Neighbor>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t n = 0; n < got.size(); ++n) {
    EXPECT_EQ(got[n].index, want[n].index) << "rank " << n;
    EXPECT_NEAR(got[n].distance, want[n].distance, 1e-9) << "rank " << n;
  }
}

// ---- fixtures ------------------------------------------------------------------------------

SampleTable randomSamples(std::size_t n, bool with3D, std::uint64_t seed) {
  Rng rng = makeRng(seed);
  std::uniform_real_distribution<double> ux(500000.0, 502000.0), uy(7000000.0, 7001500.0),
      uz(-300.0, 0.0);
  SampleTable t;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = ux(rng), y = uy(rng);
    if (with3D) {
      t.addPoint(x, y, uz(rng));
    } else {
      t.addPoint(x, y);
    }
  }
  t.crsWkt = kCrsA;
  t.source = "random.csv";
  return t;
}

// 9 x 7 cells of 10 m from (1000, 2070): x in [1000, 1090], y in [2000, 2070].
GridSpec smallGrid() {
  GridSpec g;
  g.width = 9;
  g.height = 7;
  g.geoTransform = {1000.0, 10.0, 0.0, 2070.0, 0.0, -10.0};
  g.crsWkt = kCrsA;
  return g;
}

// Two bands, "Au" = 100 * row + col and "Cu" = -(100 * row + col), with nodata holes and
// a mask that excludes the north-east corner cell.
Raster smallRaster() {
  GridSpec g = smallGrid();
  g.mask.assign(g.size(), 1);
  g.mask[g.index(8, 0)] = 0;
  Raster r(g);
  std::vector<float> au(g.size()), cu(g.size());
  for (std::size_t row = 0; row < g.height; ++row) {
    for (std::size_t col = 0; col < g.width; ++col) {
      au[g.index(col, row)] = float(100 * row + col);
      cu[g.index(col, row)] = -float(100 * row + col);
    }
  }
  au[g.index(3, 3)] = r.nodata();
  cu[g.index(0, 6)] = std::nanf("");
  r.addBand("Au", au, "ppb");
  r.addBand("Cu", cu, "ppm");
  return r;
}

// Direct read of a raster band: the oracle for windows and features.
bool rasterValue(const Raster& r, std::size_t band, long col, long row, float& v) {
  const GridSpec& g = r.grid();
  if (col < 0 || row < 0 || col >= long(g.width) || row >= long(g.height)) return false;
  const std::size_t idx = g.index(std::size_t(col), std::size_t(row));
  if (!g.valid(idx) || r.isNodata(r.band(band).values[idx])) return false;
  v = r.band(band).values[idx];
  return true;
}

// 10 x 8 x 6 voxels of 10 x 10 x 5 m from (1005, 2000, -30); active where k <= 3 (rock
// below a flat surface) except a hole at i == 4, j == 2.
VoxelModel smallVoxels() {
  VolumeSpec s;
  s.nx = 10;
  s.ny = 8;
  s.nz = 6;
  s.origin = {1005.0, 2000.0, -30.0};
  s.spacing = {10.0, 10.0, 5.0};
  s.crsWkt = kCrsA;
  VoxelModel m(s);
  std::vector<float> grade(s.size()), dist(s.size());
  std::vector<std::uint8_t> active(s.size(), 0);
  for (std::size_t k = 0; k < s.nz; ++k) {
    for (std::size_t j = 0; j < s.ny; ++j) {
      for (std::size_t i = 0; i < s.nx; ++i) {
        const std::size_t n = s.index(i, j, k);
        grade[n] = float(i + 10 * j + 100 * k);
        dist[n] = float(i) * 0.5f;
        active[n] = (k <= 3 && !(i == 4 && j == 2)) ? 1 : 0;
      }
    }
  }
  m.setChannel("grade", grade, &active, "g/t", -1.0f);
  m.setChannel("dist", dist, &active, "m", 0.0f);
  return m;
}

// ---- neighbours ----------------------------------------------------------------------------

TEST(SpatialIndex, NearestAndRadiusEqualBruteForce2D) {
  const SampleTable t = randomSamples(400, false, 11);
  SpatialIndex index;
  index.addSamples("soil", t);
  for (std::size_t node = 0; node < t.size(); ++node) {
    const double q[2] = {t.x[node], t.y[node]};
    expectSameNeighbours(index.nearest("soil", node, 7), bruteNearest(t, q, 7, false, node));
    expectSameNeighbours(index.withinRadius("soil", node, 120.0), bruteRadius(t, node, 120.0));
  }
  Rng rng = makeRng(12);
  std::uniform_real_distribution<double> ux(499500.0, 502500.0), uy(6999500.0, 7002000.0);
  for (int n = 0; n < 100; ++n) {
    const double q[2] = {ux(rng), uy(rng)};
    expectSameNeighbours(index.nearestToPoint("soil", q[0], q[1], 5),
                         bruteNearest(t, q, 5, false, t.size()));
  }
  // More neighbours asked than exist; k = 0; radius 0 holds only coincident points.
  EXPECT_EQ(index.nearest("soil", 0, 1000).size(), t.size() - 1);
  EXPECT_TRUE(index.nearest("soil", 0, 0).empty());
  EXPECT_TRUE(index.withinRadius("soil", 0, 0.0).empty());
  EXPECT_THROW(index.nearest("soil", t.size(), 3), UsageError);
  EXPECT_THROW(index.withinRadius("soil", 0, -1.0), UsageError);
  EXPECT_THROW(index.nearest("rock", 0, 3), UsageError);
}

TEST(SpatialIndex, NearestAndRadiusEqualBruteForce3D) {
  const SampleTable t = randomSamples(300, true, 13);
  SpatialIndex index;
  index.addSamples("drill", t);
  for (std::size_t node = 0; node < t.size(); ++node) {
    const double q[3] = {t.x[node], t.y[node], t.z[node]};
    expectSameNeighbours(index.nearest("drill", node, 6), bruteNearest(t, q, 6, true, node));
    expectSameNeighbours(index.withinRadius("drill", node, 150.0), bruteRadius(t, node, 150.0));
  }
  Rng rng = makeRng(14);
  std::uniform_real_distribution<double> ux(500000.0, 502000.0), uy(7000000.0, 7001500.0),
      uz(-400.0, 100.0);
  for (int n = 0; n < 100; ++n) {
    const double q[3] = {ux(rng), uy(rng), uz(rng)};
    expectSameNeighbours(index.nearestToPoint("drill", q[0], q[1], q[2], 4),
                         bruteNearest(t, q, 4, true, t.size()));
    // The (x, y) form ranks by plan distance even on a 3D layer.
    expectSameNeighbours(index.nearestToPoint("drill", q[0], q[1], 4),
                         bruteNearest(t, q, 4, false, t.size()));
  }
}

TEST(SpatialIndex, RadiusIsInclusiveAndSelfExcludedAmongDuplicates) {
  SampleTable t;
  t.addPoint(0.0, 0.0);
  t.addPoint(3.0, 4.0);  // exactly 5 m away
  t.addPoint(0.0, 0.0);  // coincides with node 0
  t.addPoint(6.0, 8.0);  // exactly 10 m away
  SpatialIndex index;
  index.addSamples("p", t);
  const auto r = index.withinRadius("p", 0, 5.0);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].index, 2u);
  EXPECT_EQ(r[0].distance, 0.0);
  EXPECT_EQ(r[1].index, 1u);
  EXPECT_EQ(r[1].distance, 5.0);
  const auto nb = index.nearest("p", 2, 3);
  ASSERT_EQ(nb.size(), 3u);
  EXPECT_EQ(nb[0].index, 0u);
  EXPECT_EQ(nb[1].index, 1u);
  EXPECT_EQ(nb[2].index, 3u);
  EXPECT_EQ(nb[2].distance, 10.0);
}

TEST(SpatialIndex, NeighbourGraphHasOneEdgePerKnnPair) {
  const SampleTable t = randomSamples(150, false, 15);
  SpatialIndex index;
  index.addSamples("soil", t);
  const std::size_t k = 4;
  std::set<std::pair<std::size_t, std::size_t>> want;
  for (std::size_t u = 0; u < t.size(); ++u) {
    const double q[2] = {t.x[u], t.y[u]};
    for (const auto& nb : bruteNearest(t, q, k, false, u))
      want.insert({std::min(u, nb.index), std::max(u, nb.index)});
  }
  const SampleGraph g = index.neighbourGraph("soil", k);
  EXPECT_EQ(boost::num_vertices(g), t.size());
  EXPECT_EQ(boost::num_edges(g), want.size());
  std::set<std::pair<std::size_t, std::size_t>> got;
  const auto weight = boost::get(boost::edge_weight, g);
  for (auto [e, end] = boost::edges(g); e != end; ++e) {
    const std::size_t a = boost::source(*e, g), b = boost::target(*e, g);
    got.insert({std::min(a, b), std::max(a, b)});
    const double q[2] = {t.x[a], t.y[a]};
    EXPECT_NEAR(boost::get(weight, *e), dist(t, b, q, false), 1e-9);
  }
  EXPECT_EQ(got, want);
  // Every vertex has at least its own k nearest as neighbours.
  for (std::size_t u = 0; u < t.size(); ++u) EXPECT_GE(boost::out_degree(u, g), k);
}

TEST(SpatialIndex, NodesInCellBoxAndVoxelEqualBruteForce) {
  SampleTable t = randomSamples(0, true, 0);
  Rng rng = makeRng(16);
  std::uniform_real_distribution<double> ux(990.0, 1100.0), uy(1990.0, 2080.0), uz(-35.0, 5.0);
  for (int n = 0; n < 600; ++n) t.addPoint(ux(rng), uy(rng), uz(rng));
  // Points on cell edges and corners, and on voxel faces.
  for (double x : {1000.0, 1010.0, 1040.0, 1090.0}) {
    for (double y : {2000.0, 2030.0, 2070.0}) t.addPoint(x, y, -10.0);
  }
  SpatialIndex index;
  index.addGrid(smallRaster());
  index.addSamples("pts", t);
  index.addVoxels("vox", smallVoxels());
  const GridSpec& g = index.grid();
  std::size_t total = 0;
  for (long row = 0; row < long(g.height); ++row) {
    for (long col = 0; col < long(g.width); ++col) {
      std::vector<std::size_t> want;
      for (std::size_t i = 0; i < t.size(); ++i) {
        long c = 0, r = 0;
        if (g.cellOf(t.x[i], t.y[i], c, r) && c == col && r == row) want.push_back(i);
      }
      EXPECT_EQ(index.nodesInCell("pts", col, row), want) << col << "," << row;
      total += want.size();
    }
  }
  EXPECT_GT(total, 300u);  // about 64% of the points fall on the grid
  EXPECT_THROW(index.nodesInCell("pts", 9, 0), UsageError);

  const Extent box{1012.5, 2020.0, 1060.0, 2055.0};
  std::vector<std::size_t> want;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (box.contains(t.x[i], t.y[i])) want.push_back(i);
  }
  EXPECT_EQ(index.nodesInBox("pts", box), want);
  EXPECT_FALSE(want.empty());

  const VoxelModel& m = index.voxels("vox");
  std::size_t inVoxels = 0;
  for (long k = 0; k < 6; ++k) {
    for (long j = 0; j < 8; ++j) {
      for (long i = 0; i < 10; ++i) {
        std::vector<std::size_t> expect;
        for (std::size_t n = 0; n < t.size(); ++n) {
          // Oracle: floor of the continuous voxel coordinate (faces go to the upper voxel).
          const double fi = std::floor((t.x[n] - 1005.0) / 10.0),
                       fj = std::floor((t.y[n] - 2000.0) / 10.0),
                       fk = std::floor((t.z[n] + 30.0) / 5.0);
          if (fi == double(i) && fj == double(j) && fk == double(k)) expect.push_back(n);
        }
        EXPECT_EQ(index.nodesInVoxel("pts", "vox", i, j, k), expect) << i << "," << j << "," << k;
        inVoxels += expect.size();
      }
    }
  }
  EXPECT_GT(inVoxels, 300u);
  EXPECT_THROW(index.nodesInVoxel("pts", "vox", 10, 0, 0), UsageError);
  (void)m;

  SpatialIndex flat;
  flat.addSamples("soil", randomSamples(10, false, 17));
  flat.addVoxels("vox", smallVoxels());
  EXPECT_THROW(flat.nodesInVoxel("soil", "vox", 0, 0, 0), UsageError);
  EXPECT_THROW(flat.nodesInCell("soil", 0, 0), UsageError);  // no grid
}

// ---- windows -------------------------------------------------------------------------------

void expectWindowMatchesRaster(const Window& w, const Raster& r,
                               const std::vector<std::size_t>& bands, long col, long row, int k) {
  ASSERT_EQ(w.size, k);
  ASSERT_EQ(w.channels, int(bands.size()));
  const std::size_t area = std::size_t(k) * std::size_t(k);
  ASSERT_EQ(w.values.size(), bands.size() * area);
  ASSERT_EQ(w.mask.size(), area);
  for (int dr = 0; dr < k; ++dr) {
    for (int dc = 0; dc < k; ++dc) {
      const long c = col - k / 2 + dc, rr = row - k / 2 + dr;
      bool ok = true;
      std::vector<float> v(bands.size(), 0.0f);
      for (std::size_t b = 0; b < bands.size(); ++b)
        ok = rasterValue(r, bands[b], c, rr, v[b]) && ok;
      const std::size_t at = std::size_t(dr * k + dc);
      EXPECT_EQ(w.mask[at], ok ? 1 : 0) << "cell " << c << "," << rr;
      for (std::size_t b = 0; b < bands.size(); ++b) {
        EXPECT_EQ(w.values[b * area + at], ok ? v[b] : 0.0f)
            << "band " << b << " cell " << c << "," << rr;
      }
    }
  }
}

TEST(SpatialIndex, WindowsEqualRasterReadsWithPaddingAndMask) {
  const Raster r = smallRaster();
  SpatialIndex index;
  index.addGrid(r, "soil_");
  EXPECT_EQ(index.gridLayers(), (std::vector<std::string>{"soil_Au", "soil_Cu"}));
  const GridSpec& g = r.grid();
  for (int k : {1, 3, 4, 5, 12}) {
    for (long row = -2; row <= long(g.height) + 1; ++row) {
      for (long col = -2; col <= long(g.width) + 1; ++col) {
        const Window w = index.windowAtCell(col, row, k);
        EXPECT_EQ(w.names, (std::vector<std::string>{"soil_Au", "soil_Cu"}));
        expectWindowMatchesRaster(w, r, {0, 1}, col, row, k);
      }
    }
  }
  // One layer, by world point: the cell holding the point is the centre.
  const Window w = index.window(1035.0, 2041.0, 3, {"soil_Cu"});  // cell (3, 2)
  expectWindowMatchesRaster(w, r, {1}, 3, 2, 3);
  EXPECT_EQ(w.names, std::vector<std::string>{"soil_Cu"});
  // Layer order follows the request.
  const Window swapped = index.windowAtCell(4, 4, 3, {"soil_Cu", "soil_Au"});
  expectWindowMatchesRaster(swapped, r, {1, 0}, 4, 4, 3);
  // Even k: the centre cell sits at (k/2, k/2).
  const Window even = index.windowAtCell(4, 4, 4, {"soil_Au"});
  EXPECT_EQ(even.values[2 * 4 + 2], 404.0f);
  EXPECT_EQ(even.values[0], 202.0f);
  // A point outside the grid gives an all-masked window.
  const Window outside = index.window(0.0, 0.0, 3);
  EXPECT_EQ(std::count(outside.mask.begin(), outside.mask.end(), 1), 0);
  EXPECT_THROW(index.windowAtCell(0, 0, 0), UsageError);
  EXPECT_THROW(index.windowAtCell(0, 0, 3, {"Zn"}), UsageError);
  SpatialIndex empty;
  EXPECT_THROW(empty.window(0.0, 0.0, 3), UsageError);
}

// ---- patches -------------------------------------------------------------------------------

TEST(SpatialIndex, PatchesEqualVoxelReadsWithEdgePadding) {
  SpatialIndex index;
  index.addVoxels("vox", smallVoxels());
  const VoxelModel& m = index.voxels("vox");
  for (int s : {1, 3, 4}) {
    for (long k : {-1L, 0L, 2L, 3L, 5L, 6L}) {
      for (long j : {0L, 2L, 7L}) {
        for (long i : {-2L, 0L, 4L, 9L, 10L}) {
          const Patch p = index.patch("vox", i, j, k, s);
          ASSERT_EQ(p.names, (std::vector<std::string>{"grade", "dist"}));
          ASSERT_EQ(p.channels, 2);
          ASSERT_EQ(p.size, s);
          const std::size_t vol = std::size_t(s * s * s);
          ASSERT_EQ(p.values.size(), 2 * vol);
          std::size_t n = 0;
          for (int dk = 0; dk < s; ++dk) {
            for (int dj = 0; dj < s; ++dj) {
              for (int di = 0; di < s; ++di, ++n) {
                const long a = i - s / 2 + di, b = j - s / 2 + dj, c = k - s / 2 + dk;
                const bool on = m.isActive("grade", a, b, c) && m.isActive("dist", a, b, c);
                ASSERT_EQ(p.mask[n], on ? 1 : 0) << a << "," << b << "," << c;
                ASSERT_EQ(p.values[n], on ? m.value("grade", a, b, c) : 0.0f);
                ASSERT_EQ(p.values[vol + n], on ? m.value("dist", a, b, c) : 0.0f);
              }
            }
          }
        }
      }
    }
  }
  // By hand: voxel (1, 1, 1) has grade 1 + 10 + 100; a 3^3 patch has it at the centre.
  const Patch p = index.patch("vox", 1, 1, 1, 3, {"grade"});
  EXPECT_EQ(p.values[13], 111.0f);
  EXPECT_EQ(p.values[0], 0.0f);  // voxel (0, 0, 0): grade 0, active
  EXPECT_EQ(p.mask[0], 1);
  // World point in voxel (2, 3, 1): x 1025..1035, y 2030..2040, z -25..-20.
  const Patch q = index.patchAt("vox", 1030.0, 2035.0, -22.0, 1, {"grade"});
  EXPECT_EQ(q.values[0], 132.0f);
  EXPECT_THROW(index.patch("vox", 0, 0, 0, 0), UsageError);
  EXPECT_THROW(index.patch("vox", 0, 0, 0, 3, {"Au"}), UsageError);
}

// ---- tiles ---------------------------------------------------------------------------------

TEST(SpatialIndex, Tiles2DCoverTheGridOnceByCore) {
  SpatialIndex index;
  index.addGrid(smallRaster());
  const GridSpec& g = index.grid();
  for (std::size_t size : {1u, 2u, 4u, 9u, 20u}) {
    for (std::size_t halo : {0u, 1u, 3u}) {
      std::vector<int> cover(g.size(), 0);
      for (const Tile2D& t : index.tiles2D(size, halo)) {
        EXPECT_LE(t.core.cols, size);
        EXPECT_LE(t.core.rows, size);
        for (std::size_t r = t.core.row0; r < t.core.row0 + t.core.rows; ++r) {
          for (std::size_t c = t.core.col0; c < t.core.col0 + t.core.cols; ++c)
            ++cover[g.index(c, r)];
        }
        // Halo = core grown by `halo` cells, clipped to the grid.
        const long hc0 = std::max(0L, long(t.core.col0) - long(halo));
        const long hr0 = std::max(0L, long(t.core.row0) - long(halo));
        const long hc1 = std::min(long(g.width), long(t.core.col0 + t.core.cols + halo));
        const long hr1 = std::min(long(g.height), long(t.core.row0 + t.core.rows + halo));
        EXPECT_EQ(long(t.halo.col0), hc0);
        EXPECT_EQ(long(t.halo.row0), hr0);
        EXPECT_EQ(long(t.halo.cols), hc1 - hc0);
        EXPECT_EQ(long(t.halo.rows), hr1 - hr0);
      }
      EXPECT_TRUE(std::all_of(cover.begin(), cover.end(), [](int c) { return c == 1; }))
          << size << "/" << halo;
    }
  }
  EXPECT_EQ(index.tiles2D(4, 1).size(), 3u * 2u);
  EXPECT_THROW(index.tiles2D(0, 1), UsageError);
}

TEST(SpatialIndex, Tiles3DSkipEmptyTilesAndCoverActiveVoxelsOnce) {
  SpatialIndex index;
  index.addVoxels("vox", smallVoxels());  // active only for k <= 3
  const VoxelModel& m = index.voxels("vox");
  const VolumeSpec& s = m.spec();
  const auto tiles = index.tiles3D("vox", 2, 1);
  // 5 x 4 x 3 tiles of 2^3; those with k0 = 4 hold no active voxel.
  EXPECT_EQ(tiles.size(), 5u * 4u * 2u);
  std::vector<int> cover(s.size(), 0);
  for (const Tile3D& t : tiles) {
    EXPECT_LT(t.core.k0, 4u);
    for (std::size_t k = t.core.k0; k < t.core.k0 + t.core.nk; ++k) {
      for (std::size_t j = t.core.j0; j < t.core.j0 + t.core.nj; ++j) {
        for (std::size_t i = t.core.i0; i < t.core.i0 + t.core.ni; ++i) ++cover[s.index(i, j, k)];
      }
    }
    EXPECT_EQ(t.halo.i0, t.core.i0 > 0 ? t.core.i0 - 1 : 0);
    EXPECT_EQ(t.halo.k0 + t.halo.nk, std::min<std::size_t>(s.nz, t.core.k0 + t.core.nk + 1));
  }
  const auto mask = m.activeMask("grade");
  for (std::size_t n = 0; n < s.size(); ++n) {
    EXPECT_LE(cover[n], 1);
    if (mask[n]) {
      EXPECT_EQ(cover[n], 1) << n;
    }
  }
  // Uneven tiling: 4^3 tiles over 10 x 8 x 6 -> 3 x 2 x 2, of which the upper layer
  // (k 4..5, above the rock) is skipped.
  const auto big = index.tiles3D("vox", 4, 0);
  ASSERT_EQ(big.size(), 6u);
  EXPECT_EQ(big.back().core.i0, 8u);
  EXPECT_EQ(big.back().core.ni, 2u);
  EXPECT_EQ(big.back().core.nj, 4u);
  EXPECT_EQ(big.back().core.nk, 4u);
}

// ---- draping and features ------------------------------------------------------------------

TEST(SpatialIndex, DrapeEqualsTheGridValueDownEachColumn) {
  const Raster r = smallRaster();
  SpatialIndex index;
  index.addGrid(r);
  index.addVoxels("vox", smallVoxels());
  const SpatialIndex before = index;  // shares the voxel layer until the drape
  index.drapeToVoxels("Au", "vox", "Au_surface");
  const VoxelModel& m = index.voxels("vox");
  const VolumeSpec& s = m.spec();
  EXPECT_EQ(m.units("Au_surface"), "ppb");
  std::size_t draped = 0;
  for (std::size_t j = 0; j < s.ny; ++j) {
    for (std::size_t i = 0; i < s.nx; ++i) {
      long col = 0, row = 0;
      float v = 0.0f;
      const bool hasValue =
          r.grid().cellOf(s.centreX(i), s.centreY(j), col, row) && rasterValue(r, 0, col, row, v);
      for (std::size_t k = 0; k < s.nz; ++k) {
        const bool rock = m.isActive("grade", long(i), long(j), long(k));
        const bool on = m.isActive("Au_surface", long(i), long(j), long(k));
        ASSERT_EQ(on, rock && hasValue) << i << "," << j << "," << k;
        if (on) {
          EXPECT_EQ(m.value("Au_surface", long(i), long(j), long(k)), v);
          ++draped;
        }
      }
    }
  }
  // The box reaches 15 m east of the grid (columns i = 8, 9) and the nodata cell (3, 3)
  // sits over column (2, 3): both stay inactive, as does the rock hole at (4, 2).
  EXPECT_GT(draped, 100u);
  EXPECT_FALSE(m.isActive("Au_surface", 9, 0, 0));
  EXPECT_FALSE(m.isActive("Au_surface", 2, 3, 0));
  EXPECT_TRUE(m.isActive("Au_surface", 2, 2, 0));
  EXPECT_FALSE(m.isActive("Au_surface", 4, 2, 0));
  // Column (1, 5) is centred at (1020, 2055): cell (2, 1), Au = 102.
  EXPECT_EQ(m.value("Au_surface", 1, 5, 2), 102.0f);
  // The copy taken before still has the old model.
  EXPECT_FALSE(before.voxels("vox").hasChannel("Au_surface"));
  // A second drape, now on a model this index owns alone.
  index.drapeToVoxels("Cu", "vox", "Cu_surface");
  EXPECT_EQ(index.voxels("vox").value("Cu_surface", 1, 5, 2), -102.0f);
  EXPECT_EQ(index.voxels("vox").channelNames(),
            (std::vector<std::string>{"grade", "dist", "Au_surface", "Cu_surface"}));
  EXPECT_THROW(index.drapeToVoxels("Au", "vox", "Au_surface"), UsageError);
  EXPECT_THROW(index.drapeToVoxels("Zn", "vox", "x"), UsageError);
  EXPECT_THROW(index.drapeToVoxels("Au", "box", "x"), UsageError);
}

TEST(SpatialIndex, SampleDrapeIsInverseDistanceWeightingOfTheNodesDownEachColumn) {
  // Five nodes with a probability; every column centre gets the IDW (power 2) of its 3
  // nearest nodes within 40 m, computed here by brute force over all nodes.
  SampleTable nodes;
  const double xs[5] = {1003.0, 1047.0, 1021.0, 1090.0, 1015.0};
  const double ys[5] = {2004.0, 2031.0, 2058.0, 2072.0, 2015.0};
  const double ps[5] = {0.9, 0.1, 0.5, 0.3, std::nan("")};  // the NaN node is skipped
  for (int n = 0; n < 5; ++n) nodes.addPoint(xs[n], ys[n]);
  auto& p = nodes.addColumn("p_ore", 0.0, "probability");
  p.values.assign(ps, ps + 5);
  SpatialIndex index;
  index.addSamples("nodes", nodes);
  index.addVoxels("vox", smallVoxels());
  IdwOptions idw;
  idw.neighbors = 3;
  idw.radius = 40.0;
  index.drapeSamplesToVoxels("nodes", "p_ore", "vox", "surface_resgnn", idw);
  const VoxelModel& m = index.voxels("vox");
  const VolumeSpec& s = m.spec();
  EXPECT_EQ(m.units("surface_resgnn"), "probability");
  std::size_t withValue = 0;
  for (std::size_t j = 0; j < s.ny; ++j) {
    for (std::size_t i = 0; i < s.nx; ++i) {
      // The 3 nearest nodes by plan distance (NaN node included in the count, then skipped).
      std::vector<std::pair<double, int>> d;
      for (int n = 0; n < 5; ++n)
        d.push_back({std::hypot(s.centreX(i) - xs[n], s.centreY(j) - ys[n]), n});
      std::sort(d.begin(), d.end());
      double sum = 0, weights = 0;
      for (int q = 0; q < 3; ++q) {
        if (std::isnan(ps[d[q].second]) || d[q].first > 40.0) continue;
        sum += ps[d[q].second] / (d[q].first * d[q].first);
        weights += 1.0 / (d[q].first * d[q].first);
      }
      for (std::size_t k = 0; k < s.nz; ++k) {
        const bool rock = m.isActive("grade", long(i), long(j), long(k));
        const bool on = m.isActive("surface_resgnn", long(i), long(j), long(k));
        ASSERT_EQ(on, rock && weights > 0) << i << "," << j << "," << k;
        if (on) {
          EXPECT_NEAR(m.value("surface_resgnn", long(i), long(j), long(k)), sum / weights, 1e-6);
          ++withValue;
        }
      }
    }
  }
  EXPECT_GT(withValue, 50u);
  EXPECT_THROW(index.drapeSamplesToVoxels("nodes", "p_ore", "vox", "surface_resgnn"), UsageError);
  EXPECT_THROW(index.drapeSamplesToVoxels("nodes", "Au", "vox", "x"), DataError);
}

TEST(SpatialIndex, FeaturesAtAPoint) {
  const Raster r = smallRaster();
  SampleTable pts;
  pts.addPoint(1020.0, 2040.0);
  pts.addPoint(1060.0, 2010.0);
  SampleTable holes;
  holes.addPoint(1020.0, 2040.0, -10.0);
  SpatialIndex index;
  index.addGrid(r);
  index.addSamples("soil", pts);
  index.addSamples("drill", holes);
  index.addVoxels("vox", smallVoxels());

  // (1023, 2044): cell (2, 2) -> Au 202, Cu -202; voxel (1, 4, 2) at z = -18.
  const auto f2 = index.featuresAt(1023.0, 2044.0);
  ASSERT_EQ(f2.size(), 4u);
  EXPECT_EQ(f2[0].layer, "Au");
  EXPECT_TRUE(f2[0].valid);
  EXPECT_EQ(f2[0].value, 202.0);
  EXPECT_EQ(f2[1].value, -202.0);
  EXPECT_EQ(f2[2].kind, LayerKind::Samples);
  EXPECT_EQ(f2[2].name, "nearest_distance");
  EXPECT_DOUBLE_EQ(f2[2].value, 5.0);  // 3-4-5 to (1020, 2040)
  EXPECT_DOUBLE_EQ(f2[3].value, 5.0);  // plan distance for the 3D layer

  const auto f3 = index.featuresAt(1023.0, 2044.0, -18.0);
  ASSERT_EQ(f3.size(), 6u);
  EXPECT_EQ(f3[2].kind, LayerKind::Voxels);
  EXPECT_EQ(f3[2].layer, "vox");
  EXPECT_EQ(f3[2].name, "grade");
  EXPECT_TRUE(f3[2].valid);
  EXPECT_EQ(f3[2].value, 1.0 + 40.0 + 200.0);
  EXPECT_EQ(f3[3].name, "dist");
  EXPECT_EQ(f3[3].value, 0.5);
  EXPECT_DOUBLE_EQ(f3[4].value, 5.0);
  EXPECT_DOUBLE_EQ(f3[5].value, std::sqrt(25.0 + 64.0));  // 3D: dz = 8

  // The nodata cell (3, 3) and the masked corner (8, 0) are invalid; so is a voxel above
  // the rock surface and anything outside the grid.
  const auto hole = index.featuresAt(1035.0, 2035.0, -2.0);
  EXPECT_FALSE(hole[0].valid);
  EXPECT_TRUE(std::isnan(hole[0].value));
  EXPECT_TRUE(hole[1].valid);
  EXPECT_FALSE(hole[2].valid);
  EXPECT_FALSE(index.featuresAt(1085.0, 2065.0)[0].valid);
  EXPECT_FALSE(index.featuresAt(5000.0, 2065.0)[1].valid);
  // NaN and infinite points are outside every layer (a NaN cell index was a segfault).
  const double nan = std::nan("");
  for (const auto& f : index.featuresAt(nan, nan)) EXPECT_FALSE(f.valid) << f.layer;
  for (const auto& f : index.featuresAt(nan, 2044.0, -18.0)) EXPECT_FALSE(f.valid) << f.layer;
  for (const auto& f : index.featuresAt(1023.0, 2044.0, nan)) {
    if (f.kind != LayerKind::Samples || f.layer == "drill") {
      EXPECT_EQ(f.valid, f.kind == LayerKind::Grid2D) << f.layer;
    }
  }
  EXPECT_TRUE(index.nearestToPoint("soil", nan, 2044.0, 3).empty());
  EXPECT_TRUE(index.nearestToPoint("soil", 1e300 * 1e300, 2044.0, 3).empty());
  float v = 0.0f;
  EXPECT_TRUE(index.gridValue("Cu", 2, 2, v));
  EXPECT_EQ(v, -202.0f);
  EXPECT_FALSE(index.gridValue("Au", 3, 3, v));
  EXPECT_FALSE(index.gridValue("Au", -1, 3, v));
}

// ---- consistency checks --------------------------------------------------------------------

TEST(SpatialIndex, CrsMismatchIsDataErrorNamingLayerAndBothCrs) {
  SpatialIndex index;
  index.addGrid(smallRaster());
  // The same CRS printed on one line is the same CRS.
  SampleTable sameCrs = randomSamples(5, false, 18);
  sameCrs.crsWkt = "PROJCRS[\"GDA94 / MGA zone 50\", BASEGEOGCRS[\"GDA94\"]]";
  index.addSamples("same", sameCrs);
  SampleTable other = randomSamples(5, false, 19);
  other.crsWkt = kCrsB;
  try {
    index.addSamples("wgs", other);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'wgs'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("PROJCRS[\"WGS 84 / UTM zone 50S\","), std::string::npos) << msg;
    EXPECT_NE(msg.find("PROJCRS[\"GDA94 / MGA zone 50\","), std::string::npos) << msg;
  }
  EXPECT_EQ(index.sampleLayers(), std::vector<std::string>{"same"});
  VoxelModel vox = smallVoxels();
  VolumeSpec spec = vox.spec();
  spec.crsWkt = kCrsB;
  EXPECT_THROW(index.addVoxels("vox", VoxelModel(spec)), DataError);
  // A layer without a CRS joins any index.
  SampleTable unknown = randomSamples(5, false, 20);
  unknown.crsWkt.clear();
  index.addSamples("local", unknown);
  EXPECT_EQ(index.crsWkt(), kCrsA);
  // An index whose first layer has no CRS takes the first one that comes, grid included.
  SpatialIndex late;
  Raster local = smallRaster();
  local.grid().crsWkt.clear();
  late.addGrid(local);
  EXPECT_TRUE(late.crsWkt().empty());
  late.addSamples("soil", randomSamples(5, false, 25));
  EXPECT_EQ(late.crsWkt(), kCrsA);
  EXPECT_EQ(late.grid().crsWkt, kCrsA);
  SampleTable wgs = randomSamples(5, false, 26);
  wgs.crsWkt = kCrsB;
  EXPECT_THROW(late.addSamples("wgs", wgs), DataError);
}

TEST(SpatialIndex, GridMismatchIsDataErrorAndDuplicateNamesUsageErrors) {
  SpatialIndex index;
  index.addGrid(smallRaster());
  GridSpec shifted = smallGrid();
  shifted.geoTransform[0] += 5.0;
  Raster other(shifted);
  other.addBand("Zn");
  try {
    index.addGrid(other);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("'Zn'"), std::string::npos) << e.what();
  }
  GridSpec wider = smallGrid();
  wider.width = 10;
  Raster third(wider);
  third.addBand("Pb");
  EXPECT_THROW(index.addGrid(third), DataError);
  EXPECT_THROW(index.addGrid(smallRaster()), UsageError);  // Au, Cu exist
  index.addGrid(smallRaster(), "b_");                      // with a prefix they do not
  EXPECT_EQ(index.gridLayers().size(), 4u);
  EXPECT_THROW(index.addSamples("Au", randomSamples(3, false, 21)), UsageError);
  // A failed add leaves nothing behind.
  Raster partial(smallGrid());
  partial.addBand("new");
  partial.addBand("Cu");
  EXPECT_THROW(index.addGrid(partial), UsageError);
  EXPECT_EQ(index.gridLayers().size(), 4u);
  SampleTable bad = randomSamples(3, false, 22);
  bad.y[1] = std::nan("");
  EXPECT_THROW(index.addSamples("bad", bad), DataError);
}

TEST(SpatialIndex, SummaryListsLayers) {
  SpatialIndex index;
  index.addGrid(smallRaster());
  index.addSamples("soil", randomSamples(12, false, 23));
  index.addVoxels("vox", smallVoxels());
  const IndexSummary s = index.summary();
  EXPECT_EQ(s.crsWkt, kCrsA);
  EXPECT_TRUE(s.hasGrid);
  ASSERT_EQ(s.layers.size(), 4u);
  EXPECT_EQ(s.layers[0].name, "Au");
  EXPECT_EQ(s.layers[0].size, 63u);
  EXPECT_EQ(s.layers[0].validCount, 61u);  // nodata cell and masked corner
  EXPECT_EQ(s.layers[1].validCount, 61u);  // NaN cell and masked corner
  EXPECT_EQ(s.layers[2].kind, LayerKind::Samples);
  EXPECT_EQ(s.layers[2].size, 12u);
  EXPECT_EQ(s.layers[3].kind, LayerKind::Voxels);
  EXPECT_EQ(s.layers[3].size, 480u);
  EXPECT_EQ(s.layers[3].channels, (std::vector<std::string>{"grade", "dist"}));
  EXPECT_EQ(s.layers[3].activeVoxels[0], 4u * 80u - 4u);
  const std::string text = s.text();
  for (const char* part :
       {"GDA94 / MGA zone 50", "Au", "Cu", "soil", "vox", "grade (316 active)", "9 x 7 cells"}) {
    EXPECT_NE(text.find(part), std::string::npos) << part << "\n" << text;
  }
}

TEST(SpatialIndex, ConcurrentReadersSeeTheSameAnswers) {
  SpatialIndex index;
  const SampleTable t = randomSamples(2000, true, 24);
  index.addSamples("drill", t);
  std::vector<std::vector<Neighbor>> serial(t.size());
  for (std::size_t n = 0; n < t.size(); ++n) serial[n] = index.nearest("drill", n, 5);
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      for (std::size_t n = std::size_t(w); n < t.size(); n += 4) {
        const auto got = index.nearest("drill", n, 5);
        for (std::size_t r = 0; r < got.size(); ++r)
          mismatches[std::size_t(w)] += got[r].index != serial[n][r].index;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace
}  // namespace orevox
