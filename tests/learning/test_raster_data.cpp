#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/raster.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/learning/raster_data.hpp"
#include "orevox/voxel/spatial_index.hpp"

using namespace orevox;

namespace {

/// w x h grid of `cell` m cells with its north-west corner at (0, h * cell).
GridSpec makeGrid(std::size_t w, std::size_t h, double cell) {
  return GridSpec::fromExtent(Extent{0, 0, double(w) * cell, double(h) * cell, true}, cell);
}

/// A window batch of `count` windows, `channels` channels, k x k, values 1 + index, a few
/// masked cells (value 0).
WindowBatch patterned(std::size_t count, std::size_t channels, std::size_t k) {
  WindowBatch b;
  b.count = count;
  b.channels = channels;
  b.size = k;
  b.values.resize(count * channels * k * k);
  b.mask.assign(count * k * k, 1);
  for (std::size_t i = 0; i < b.values.size(); ++i) b.values[i] = float(1 + i);
  for (std::size_t n = 0; n < count; ++n) {
    b.mask[n * k * k + 1] = 0;  // row 0, col 1
    b.mask[n * k * k + k * k - 1] = 0;
    for (std::size_t c = 0; c < channels; ++c) {
      b.values[n * b.windowStride() + c * k * k + 1] = 0;
      b.values[n * b.windowStride() + c * k * k + k * k - 1] = 0;
    }
  }
  b.labels.assign(count, 1);
  for (std::size_t n = 0; n < count; ++n) b.centres.push_back({double(n), double(2 * n)});
  b.channelNames.clear();
  for (std::size_t c = 0; c < channels; ++c) b.channelNames.push_back("c" + std::to_string(c));
  return b;
}

/// The stack used by the sampling and split tests: 60 x 60 cells of 100 m; "log10_Au" high
/// in the east half, "fault_distance" to a north-south fault at x = 1500 m.
RasterStack samplingStack() {
  const GridSpec g = makeGrid(60, 60, 100.0);
  RasterStack s;
  s.raster = Raster(g);
  std::vector<float> au(g.size());
  for (std::size_t r = 0; r < g.height; ++r)
    for (std::size_t c = 0; c < g.width; ++c)
      au[g.index(c, r)] = float(c < 30 ? 0.1 * double(c % 5) : 3.0 + 0.1 * double(r % 7));
  s.raster.addBand("log10_Au", au);
  FaultNetwork f;
  Polyline line;
  line.points = {{1500.0, 0.0}, {1500.0, 6000.0}};
  f.lines.push_back(line);
  s.raster.addBand("fault_distance", distanceToLines(f, g), "m");
  return s;
}

double cellDistance(const GridSpec& g, const std::array<long, 2>& a, const std::array<long, 2>& b) {
  return std::hypot(g.centreX(double(a[0])) - g.centreX(double(b[0])),
                    g.centreY(double(a[1])) - g.centreY(double(b[1])));
}

}  // namespace

// ---- stacks ------------------------------------------------------------------------------------

TEST(RasterDataStack, GeochemStackLogsIdwAndFaultChannels) {
  const GridSpec g = makeGrid(4, 3, 100.0);
  SampleTable t;
  // One sample exactly on each cell centre of row 1: IDW returns it exactly there.
  for (std::size_t c = 0; c < 4; ++c) t.addPoint(g.centreX(double(c)), g.centreY(1.0));
  t.addColumn("Au", 0.0, "ppm").values = {0.01, 0.1, 1.0, 10.0};
  t.addColumn("As", 0.0, "ppm").values = {5, 5, 50, 500};
  FaultNetwork f;
  Polyline line;
  line.points = {{0.0, 0.0}, {0.0, 300.0}};  // the west edge
  f.lines.push_back(line);
  GeochemStackOptions o;
  o.elements = {"Au", "As"};
  const RasterStack s = geochemStack(t, f, g, o);
  EXPECT_EQ(s.channelNames(), (std::vector<std::string>{"log10_Au", "log10_As",
                                                        "fault_buffer_level", "fault_distance"}));
  EXPECT_NEAR(s.raster.band(0).values[g.index(2, 1)], 0.0, 1e-6);
  EXPECT_NEAR(s.raster.band(0).values[g.index(3, 1)], 1.0, 1e-6);
  EXPECT_NEAR(s.raster.band(1).values[g.index(3, 1)], std::log10(500.0), 1e-5);
  EXPECT_NEAR(s.raster.band(3).values[g.index(2, 0)], 250.0, 1e-3);
  EXPECT_FLOAT_EQ(s.raster.band(2).values[g.index(2, 0)], 6.0f);  // within 500 m: level 6

  o.transform = GeochemTransform::Clr;
  o.faultDistance = false;
  const RasterStack z = geochemStack(t, f, g, o);
  EXPECT_EQ(z.channelNames(), (std::vector<std::string>{"clr_Au", "clr_As", "fault_buffer_level"}));
  // clr of (1, 50): ln 1 - (ln 1 + ln 50) / 2.
  EXPECT_NEAR(z.raster.band(0).values[g.index(2, 1)], -0.5 * std::log(50.0), 1e-5);
  EXPECT_NEAR(z.raster.band(0).values[g.index(2, 1)] + z.raster.band(1).values[g.index(2, 1)], 0.0,
              1e-5);
  EXPECT_THROW(parseGeochemTransform("ln"), UsageError);
}

TEST(RasterDataStack, StructureStackGreenstoneMaskAndContactDistance) {
  const GridSpec g = makeGrid(10, 10, 100.0);
  Polygon square;
  square.rings = {{{200, 200}, {600, 200}, {600, 600}, {200, 600}}};
  FaultNetwork f;
  Polyline line;
  line.points = {{0.0, 950.0}, {1000.0, 950.0}};
  f.lines.push_back(line);
  const RasterStack s = structureStack(f, {square}, g);
  EXPECT_EQ(s.channelNames(),
            (std::vector<std::string>{"fault_distance", "fault_buffer_level", "greenstone",
                                      "greenstone_contact_distance"}));
  // Cell (col 3, row 6) is centred at (350, 350): inside, 150 m from the contact.
  EXPECT_FLOAT_EQ(s.raster.band("greenstone").values[g.index(3, 6)], 1.0f);
  EXPECT_NEAR(s.raster.band("greenstone_contact_distance").values[g.index(3, 6)], 150.0, 1e-3);
  // Cell (col 8, row 1) at (850, 850): outside, 250 m east and north of the corner (600, 600).
  EXPECT_FLOAT_EQ(s.raster.band("greenstone").values[g.index(8, 1)], 0.0f);
  EXPECT_NEAR(s.raster.band("greenstone_contact_distance").values[g.index(8, 1)],
              std::hypot(250.0, 250.0), 1e-3);
  EXPECT_NEAR(s.raster.band("fault_distance").values[g.index(8, 1)], 100.0, 1e-3);
  EXPECT_THROW(structureStack(f, {}, g), DataError);
}

TEST(RasterDataStack, AppendChannelsChecksTheGrid) {
  const GridSpec g = makeGrid(4, 3, 100.0);
  RasterStack s;
  s.raster = Raster(g);
  s.raster.addBand("a", 1.0f);
  Raster ev(g, -1.0f);
  ev.addBand("mag", std::vector<float>{1, 2, 3, -1, 5, 6, 7, 8, 9, 10, 11, 12});
  appendChannels(s, ev, "mag.tif", "ev_");
  ASSERT_EQ(s.channels(), 2u);
  EXPECT_EQ(s.raster.band(1).name, "ev_mag");
  EXPECT_TRUE(s.raster.isNodata(s.raster.band(1).values[3]));  // evidence nodata -> stack nodata
  EXPECT_EQ(s.validCells()[3], 0);
  EXPECT_THROW(appendChannels(s, ev, "mag.tif", "ev_"), UsageError);  // duplicate name
  Raster wrong(makeGrid(5, 3, 100.0));
  wrong.addBand("x", 0.0f);
  try {
    appendChannels(s, wrong, "wrong.tif");
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("wrong.tif"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("5 x 3"), std::string::npos);
  }
  Raster shifted(makeGrid(4, 3, 50.0));
  shifted.addBand("x", 0.0f);
  EXPECT_THROW(appendChannels(s, shifted, "shifted.tif"), DataError);
  EXPECT_EQ(s.channels(), 2u);
}

// ---- standardisation
// ------------------------------------------------------------------------------

TEST(RasterDataStandardisation, UsesTrainingAreaStatisticsOnly) {
  const GridSpec g = makeGrid(4, 2, 10.0);
  Raster r(g);
  r.addBand("a", std::vector<float>{1, 2, 100, 200, 3, kNodata, 300, 400});
  r.addBand("b", std::vector<float>{5, 5, 9, 9, 5, 7, 9, 9});
  // Training area = the two west columns; cell (1,1) is nodata in "a" and does not count.
  const std::vector<std::uint8_t> area{1, 1, 0, 0, 1, 1, 0, 0};
  const StackStandardisation z = StackStandardisation::fit(r, area);
  EXPECT_EQ(z.cells, 3u);
  EXPECT_NEAR(z.mean[0], 2.0, 1e-12);
  EXPECT_NEAR(z.sd[0], std::sqrt(2.0 / 3.0), 1e-9);  // population sd of {1, 2, 3}
  EXPECT_NEAR(z.mean[1], 5.0, 1e-12);
  EXPECT_EQ(z.sd[1], 1.0);  // constant in the training area
  const Raster s = z.applied(r);
  EXPECT_NEAR(s.band(0).values[2], (100.0 - 2.0) / std::sqrt(2.0 / 3.0),
              1e-3);  // held-out cell, training stats
  EXPECT_TRUE(s.isNodata(s.band(0).values[5]));
  EXPECT_FLOAT_EQ(s.band(1).values[2], 4.0f);
  // Statistics of the whole map would differ: the held-out values never reach them.
  const StackStandardisation all = StackStandardisation::fit(r, {});
  EXPECT_GT(all.mean[0], 100.0);
  EXPECT_THROW(StackStandardisation::fit(r, std::vector<std::uint8_t>(8, 0)), DataError);
  Raster other(g);
  other.addBand("c", 0.0f);
  EXPECT_THROW(z.apply(other), UsageError);

  // On windows: unmasked cells only.
  WindowBatch w = patterned(1, 2, 2);
  w.channelNames = {"a", "b"};
  z.apply(w);
  EXPECT_NEAR(w.values[0], (1.0 - 2.0) / std::sqrt(2.0 / 3.0), 1e-5);
  EXPECT_EQ(w.values[1], 0.0f);  // masked stays 0
}

// ---- windows
// ----------------------------------------------------------------------------------------

TEST(RasterDataWindows, EdgeWindowsArePaddedAndMasked) {
  const GridSpec g = makeGrid(6, 5, 100.0);
  Raster r(g);
  std::vector<float> v(g.size());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = float(10 + i);
  r.addBand("v", v);
  r.band(0).values[g.index(1, 1)] = kNodata;
  const SpatialIndex index = stackIndex(r);
  LabelledCells cells;
  cells.cells = {{0, 0}, {5, 4}};
  cells.labels = {1, 0};
  const WindowBatch b = drawCellWindows(index, cells, 4);
  ASSERT_EQ(b.count, 2u);
  EXPECT_EQ(b.labels, (std::vector<int>{1, 0}));
  // k = 4: the centre cell is at (2, 2), so window 0 covers cols/rows -2..1.
  for (std::size_t wr = 0; wr < 4; ++wr) {
    for (std::size_t wc = 0; wc < 4; ++wc) {
      const long col = long(wc) - 2, row = long(wr) - 2;
      const bool inside = col >= 0 && row >= 0 && !(col == 1 && row == 1);
      EXPECT_EQ(b.mask[wr * 4 + wc], inside ? 1 : 0) << wr << "," << wc;
      EXPECT_EQ(b.values[wr * 4 + wc],
                inside ? v[g.index(std::size_t(col), std::size_t(row))] : 0.0f);
    }
  }
  // Window 1 (south-east corner): rows/cols beyond the grid masked.
  EXPECT_EQ(b.mask[16 + 2 * 4 + 2], 1);
  EXPECT_EQ(b.values[16 + 2 * 4 + 2], v[g.index(5, 4)]);
  EXPECT_EQ(b.mask[16 + 3 * 4 + 3], 0);
  EXPECT_EQ(b.values[16 + 3 * 4 + 3], 0.0f);
  // Centre features = the centre cell values of the stack.
  const Eigen::MatrixXd x = centreFeatures(b);
  const Eigen::MatrixXd y = cellFeatures(r, cells.cells);
  EXPECT_DOUBLE_EQ(x(0, 0), y(0, 0));
  EXPECT_DOUBLE_EQ(x(1, 0), y(1, 0));
}

TEST(RasterDataWindows, DepositCellsOnePerCellOutsideSkipped) {
  const GridSpec g = makeGrid(10, 10, 100.0);
  std::size_t outside = 0;
  const LabelledCells d =
      depositCells(g, {150, 160, 550, 5000}, {950, 920, 50, 50}, {"a", "b", "c", "far"}, &outside);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d.cells[0], (std::array<long, 2>{1, 0}));
  EXPECT_EQ(d.ids[0], "a+b");
  EXPECT_EQ(d.cells[1], (std::array<long, 2>{5, 9}));
  EXPECT_EQ(outside, 1u);
}

TEST(RasterDataWindows, EightSymmetriesFormTheDihedralGroup) {
  for (std::size_t k : {std::size_t(4), std::size_t(5)}) {
    const WindowBatch base = patterned(1, 2, k);
    auto apply = [&](WindowBatch b, std::initializer_list<int> ops) {
      for (int op : ops) transformWindow(b, 0, op);
      return b;
    };
    // rot90^4 = identity, mirror^2 = identity.
    EXPECT_EQ(apply(base, {1, 1, 1, 1}).values, base.values);
    EXPECT_EQ(apply(base, {1, 1, 1, 1}).mask, base.mask);
    EXPECT_EQ(apply(base, {4, 4}).values, base.values);
    // op q = q quarter turns; op 4 + q = mirror then q quarter turns.
    for (int q = 0; q < 4; ++q) {
      WindowBatch turns = base;
      for (int i = 0; i < q; ++i) transformWindow(turns, 0, 1);
      EXPECT_EQ(apply(base, {q}).values, turns.values);
      WindowBatch m = apply(base, {4});
      for (int i = 0; i < q; ++i) transformWindow(m, 0, 1);
      EXPECT_EQ(apply(base, {4 + q}).values, m.values);
      EXPECT_EQ(apply(base, {4 + q}).mask, m.mask);
    }
    // All 8 are distinct, and masks move with the values (masked cells stay 0).
    std::set<std::vector<float>> distinct;
    for (int op = 0; op < 8; ++op) {
      const WindowBatch t = apply(base, {op});
      distinct.insert(t.values);
      for (std::size_t c = 0; c < 2; ++c)
        for (std::size_t i = 0; i < k * k; ++i)
          if (!t.mask[i]) {
            EXPECT_EQ(t.values[c * k * k + i], 0.0f);
          }
      EXPECT_EQ(std::count(t.mask.begin(), t.mask.end(), 0), 2);
    }
    EXPECT_EQ(distinct.size(), 8u);
  }
  // Quarter turn counter-clockwise, north up: the east edge goes to the north edge.
  WindowBatch b = patterned(1, 1, 3);
  const float east = b.values[1 * 3 + 2];  // row 1, col 2
  transformWindow(b, 0, 1);
  EXPECT_EQ(b.values[0 * 3 + 1], east);  // row 0, col 1
  EXPECT_THROW(transformWindow(b, 0, 8), UsageError);
}

TEST(RasterDataWindows, AugmentationCopiesSymmetriesAndNoiseDeterministically) {
  const WindowBatch base = patterned(2, 2, 4);
  AugmentOptions o;
  o.copies = 10;
  o.noiseSd = 0.0;
  std::vector<std::size_t> origin;
  const WindowBatch a = augmentWindows(base, o, 7, 0, &origin);
  ASSERT_EQ(a.count, 20u);
  EXPECT_EQ(origin[13], 1u);
  EXPECT_EQ(a.labels.size(), 20u);
  EXPECT_EQ(a.centres[13], base.centres[1]);
  for (std::size_t j = 0; j < 10; ++j) {
    WindowBatch expect = selectWindows(base, {1});
    if (j > 0) transformWindow(expect, 0, int(j % 8));
    EXPECT_EQ(selectWindows(a, {10 + j}).values, expect.values) << j;
  }
  o.noiseSd = 0.1;
  const WindowBatch n1 = augmentWindows(base, o, 7);
  const WindowBatch n2 = augmentWindows(base, o, 7);
  const WindowBatch n3 = augmentWindows(base, o, 8);
  EXPECT_EQ(n1.values, n2.values);
  EXPECT_NE(n1.values, n3.values);
  setThreadCount(1);  // one engine per output window: the thread count does not matter
  const WindowBatch single = augmentWindows(base, o, 7);
  setThreadCount(0);
  EXPECT_EQ(single.values, n1.values);
  EXPECT_EQ(selectWindows(n1, {0}).values, selectWindows(base, {0}).values);  // copy 0 untouched
  double diff = 0;
  const WindowBatch copy8 = selectWindows(n1, {8});  // op 0 + noise
  for (std::size_t i = 0; i < copy8.values.size(); ++i) {
    if (!copy8.mask[i % 16]) {
      EXPECT_EQ(copy8.values[i], 0.0f);
    }
    diff += std::abs(copy8.values[i] - base.values[i]);
  }
  EXPECT_GT(diff, 0.0);
}

// ---- negatives
// --------------------------------------------------------------------------------------

TEST(RasterDataNegatives, AnAllNodataStackIsSaidSoNotBlamedOnDistances) {
  RasterStack s = samplingStack();
  for (std::size_t b = 0; b < s.raster.bandCount(); ++b)
    for (float& v : s.raster.band(b).values) v = std::nanf("");
  const LabelledCells dep = depositCells(s.grid(), {4050}, {3050});
  for (NegativeSampling method : {NegativeSampling::KMeans, NegativeSampling::Random}) {
    NegativeOptions o;
    o.method = method;
    try {
      sampleNegativeCells(s, dep, 10, o);
      FAIL() << "accepted an all-nodata stack";
    } catch (const DataError& e) {
      EXPECT_STREQ(e.what(),
                   "negatives: no cell of the stack has data in every channel (all nodata or NaN)");
    }
  }
}

TEST(RasterDataNegatives, KMeansNegativesAreLowAuFarFromFaultsAndDeposits) {
  const RasterStack s = samplingStack();
  const GridSpec& g = s.grid();
  const LabelledCells dep = depositCells(g, {4050, 5050}, {3050, 1050});
  NegativeOptions o;
  o.minFaultDistance = 800.0;
  o.minDepositDistance = 1500.0;
  o.seed = 3;
  NegativeReport rep;
  const LabelledCells neg = sampleNegativeCells(s, dep, 40, o, &rep);
  ASSERT_EQ(neg.size(), 40u);
  ASSERT_EQ(rep.clusterCentres.size(), 5u);
  const double lowCut =
      0.5 * (rep.clusterCentres[2] + rep.clusterCentres[3]);  // clusters 1-3 lie below
  for (std::size_t i = 0; i < neg.size(); ++i) {
    const std::size_t idx = g.index(std::size_t(neg.cells[i][0]), std::size_t(neg.cells[i][1]));
    EXPECT_EQ(neg.labels[i], 0);
    EXPECT_LT(s.raster.band(0).values[idx], lowCut);
    EXPECT_GT(s.raster.band(1).values[idx], 800.0f);
    for (const auto& d : dep.cells) EXPECT_GT(cellDistance(g, neg.cells[i], d), 1500.0);
  }
  // Same seed, same cells; another seed, other cells.
  EXPECT_EQ(sampleNegativeCells(s, dep, 40, o).cells, neg.cells);
  o.seed = 4;
  EXPECT_NE(sampleNegativeCells(s, dep, 40, o).cells, neg.cells);

  // Random background: anywhere valid, still away from deposits.
  o.method = NegativeSampling::Random;
  const LabelledCells rnd = sampleNegativeCells(s, dep, 200, o);
  bool east = false;
  for (const auto& c : rnd.cells) {
    east = east || c[0] >= 30;
    for (const auto& d : dep.cells) EXPECT_GT(cellDistance(g, c, d), 1500.0);
  }
  EXPECT_TRUE(east);
  o.method = NegativeSampling::KMeans;
  o.minFaultDistance = 1e6;
  EXPECT_THROW(sampleNegativeCells(s, dep, 5, o), DataError);
  o.auChannel = "Au";
  EXPECT_THROW(sampleNegativeCells(s, dep, 5, o), UsageError);
}

// ---- units: the automatic distances scale with the cell (by hand)
TEST(RasterDataUnits, AutomaticDistancesScaleWithTheGrid) {
  for (const double unit : {1.0, 0.001}) {  // metres, then the same grid in kilometres
    GridSpec g;
    g.width = 48;
    g.height = 40;
    g.geoTransform = {500000.0 * unit, 250.0 * unit, 0.0, 7000000.0 * unit, 0.0, -250.0 * unit};
    NegativeOptions n;
    EXPECT_DOUBLE_EQ(n.depositDistance(g), 30 * 250.0 * unit);
    EXPECT_DOUBLE_EQ(n.faultDistance(g), 10 * 250.0 * unit);
    n.minDepositDistance = 1234.0;
    EXPECT_DOUBLE_EQ(n.depositDistance(g), 1234.0);
    WindowSplitOptions w;
    // 100 cells = 25 km, but a quarter of the shorter side (40 cells = 10 km) is 2.5 km.
    EXPECT_DOUBLE_EQ(w.blockSide(g), 0.25 * 40 * 250.0 * unit);
    g.width = g.height = 500;  // 125 km square: 100 cells
    EXPECT_DOUBLE_EQ(w.blockSide(g), 100 * 250.0 * unit);
    w.blockSize = 777.0;
    EXPECT_DOUBLE_EQ(w.blockSide(g), 777.0);
  }
  // A block so small that the block indices overflow is refused, not cast (undefined).
  EXPECT_THROW(spatialBlockFolds({0, 10000, 5000}, {0, 10000, 2000}, {1, 0, 1}, 2, 1e-300, 1),
               UsageError);
}

// ---- splits
// -----------------------------------------------------------------------------------------

namespace {

/// Five deposit cells, (10, 10) and (14, 12) with overlapping k = 8 footprints, and 15
/// random negatives at least 300 m from them: the windows of the split tests.
LabelledCells splitCells(const RasterStack& s) {
  LabelledCells pos;
  pos.cells = {{10, 10}, {14, 12}, {40, 40}, {45, 20}, {25, 50}};
  pos.labels.assign(5, 1);
  NegativeOptions no;
  no.method = NegativeSampling::Random;
  no.minDepositDistance = 300.0;
  return concatLabelledCells(pos, sampleNegativeCells(s, pos, 15, no));
}

}  // namespace

TEST(RasterDataSplits, SpatialNeverTrainsOnATestDepositWindowPaperLeaks) {
  const RasterStack s = samplingStack();
  const GridSpec& g = s.grid();
  const int k = 8;
  // Deposits at cells (10, 10), (14, 12) (their footprints overlap), (40, 40), (45, 20), (25, 50).
  const LabelledCells cells = splitCells(s);
  ASSERT_EQ(cells.size(), 20u);

  WindowSplitOptions o;
  o.augment.copies = 4;
  for (SpatialFolds scheme : {SpatialFolds::LeaveOneDepositOut, SpatialFolds::Blocks}) {
    o.spatialFolds = scheme;
    o.folds = 3;
    o.blockSize = 2000.0;
    const WindowSplit sp = protocolSplit(Protocol::Spatial, cells, g, k, o, 11);
    std::size_t excluded = 0;
    for (std::size_t f = 0; f < sp.folds.size(); ++f) {
      EXPECT_EQ(countTrainTestOverlaps(g, sp.cells.cells, sp.cells.labels, sp.folds[f], k), 0u);
      EXPECT_EQ(
          countTrainTestOverlaps(g, sp.cells.cells, sp.cells.labels, sp.folds[f], k, 0.0, false),
          0u);
      excluded += sp.excluded[f];
      // The training area excludes the test footprints.
      const auto area = trainingArea(sp, f, s);
      for (std::size_t t : sp.folds[f].test) {
        const auto c = sp.cells.cells[t];
        EXPECT_EQ(area[g.index(std::size_t(c[0]), std::size_t(c[1]))], 0);
      }
    }
    if (scheme == SpatialFolds::LeaveOneDepositOut) {
      EXPECT_EQ(sp.folds.size(), 5u);
      EXPECT_GT(excluded, 0u);  // the two overlapping deposits exclude each other
    }
  }
  // A buffer widens the exclusion: footprints 2 cells apart conflict with a 250 m buffer.
  EXPECT_FALSE(windowsOverlap(g, {0, 0}, {10, 0}, k));
  EXPECT_TRUE(windowsOverlap(g, {0, 0}, {7, 7}, k));
  EXPECT_TRUE(windowsOverlap(g, {0, 0}, {10, 0}, k, 250.0));
  EXPECT_FALSE(windowsOverlap(g, {0, 0}, {10, 0}, k, 200.0));
  o.spatialFolds = SpatialFolds::LeaveOneDepositOut;
  o.buffer = 250.0;
  const WindowSplit buffered = protocolSplit(Protocol::Spatial, cells, g, k, o, 11);
  for (const auto& f : buffered.folds)
    EXPECT_EQ(
        countTrainTestOverlaps(g, buffered.cells.cells, buffered.cells.labels, f, k, 250.0, false),
        0u);

  // Determinism: the same seed gives the same folds.
  const WindowSplit again = protocolSplit(Protocol::Spatial, cells, g, k, o, 11);
  ASSERT_EQ(again.folds.size(), buffered.folds.size());
  for (std::size_t f = 0; f < again.folds.size(); ++f) {
    EXPECT_EQ(again.folds[f].train, buffered.folds[f].train);
    EXPECT_EQ(again.folds[f].test, buffered.folds[f].test);
  }

  // `paper`: copies of one deposit window on both sides of the split (the documented leak).
  o.buffer = 0.0;
  const WindowSplit paper = protocolSplit(Protocol::Paper, cells, g, k, o, 11);
  ASSERT_EQ(paper.folds.size(), 1u);
  EXPECT_EQ(paper.cells.size(), 80u);
  EXPECT_EQ(paper.folds[0].test.size(), 16u);
  EXPECT_GT(countTrainTestOverlaps(g, paper.cells.cells, paper.cells.labels, paper.folds[0], k),
            0u);

  // Batches: spatial augments training only; paper selects from the augmented pool.
  const WindowBatch windows = drawCellWindows(stackIndex(s.raster), cells, k);
  const WindowSplit sp = protocolSplit(Protocol::Spatial, cells, g, k, o, 11);
  const auto [train, test] = foldBatches(sp, 0, windows);
  EXPECT_EQ(train.count, sp.folds[0].train.size() * 4);
  EXPECT_EQ(test.count, sp.folds[0].test.size());
  EXPECT_EQ(test.values, selectWindows(windows, sp.folds[0].test).values);
  const auto [ptrain, ptest] = foldBatches(paper, 0, windows);
  EXPECT_EQ(ptrain.count, 64u);
  EXPECT_EQ(ptest.count, 16u);
  EXPECT_THROW(foldBatches(sp, 0, selectWindows(windows, {0, 1})), UsageError);
}

TEST(RasterDataSplits, OutOfFoldCellsNeverGoToAModelTrainedInTheirBlock) {
  const RasterStack s = samplingStack();
  const GridSpec& g = s.grid();
  const int k = 8;
  const LabelledCells cells = splitCells(s);
  WindowSplitOptions o;
  o.folds = 3;
  o.blockSize = 1500.0;
  const WindowSplit blocks = protocolSplit(Protocol::Spatial, cells, g, k, o, 11);
  const std::vector<int> fold = outOfFoldCells(blocks, g);
  ASSERT_EQ(fold.size(), g.size());
  // Brute force: the blocks of spatialBlockFolds, anchored at the window centres' minimum.
  const auto centres = cellCentres(g, cells.cells);
  double x0 = 1e300, y0 = 1e300;
  for (const auto& c : centres) {
    x0 = std::min(x0, c[0]);
    y0 = std::min(y0, c[1]);
  }
  auto block = [&](double x, double y) {
    return std::make_pair(std::floor((x - x0) / 1500.0), std::floor((y - y0) / 1500.0));
  };
  std::size_t withWindows = 0;
  for (std::size_t row = 0; row < g.height; ++row)
    for (std::size_t col = 0; col < g.width; ++col) {
      const int f = fold[g.index(col, row)];
      ASSERT_GE(f, 0);
      ASSERT_LT(std::size_t(f), blocks.folds.size());
      const auto b = block(g.centreX(double(col)), g.centreY(double(row)));
      for (std::size_t t : blocks.folds[std::size_t(f)].train)
        ASSERT_NE(block(centres[t][0], centres[t][1]), b) << col << "," << row;
      bool own = false;  // a block with test windows goes to their fold
      for (std::size_t t : blocks.folds[std::size_t(f)].test)
        own = own || block(centres[t][0], centres[t][1]) == b;
      withWindows += own ? 1 : 0;
    }
  EXPECT_GT(withWindows, 0u);
  EXPECT_LT(withWindows, g.size());  // some blocks hold no window: nearest block's fold
  for (std::size_t f = 0; f < blocks.folds.size(); ++f)
    for (std::size_t t : blocks.folds[f].test) {
      const auto c = cells.cells[t];
      EXPECT_EQ(fold[g.index(std::size_t(c[0]), std::size_t(c[1]))], int(f));
    }

  // Leave one deposit out: the fold that held out the nearest deposit window.
  o.spatialFolds = SpatialFolds::LeaveOneDepositOut;
  const WindowSplit lodo = protocolSplit(Protocol::Spatial, cells, g, k, o, 11);
  const std::vector<int> near = outOfFoldCells(lodo, g);
  for (std::size_t i = 0; i < g.size(); i += 7) {
    const double x = g.centreX(double(i % g.width)), y = g.centreY(double(i / g.width));
    std::size_t best = 0;
    for (std::size_t d = 1; d < 5; ++d)
      if (std::hypot(centres[d][0] - x, centres[d][1] - y) <
          std::hypot(centres[best][0] - x, centres[best][1] - y))
        best = d;
    const auto& test = lodo.folds[std::size_t(near[i])].test;
    EXPECT_TRUE(std::find(test.begin(), test.end(), best) != test.end()) << i;
  }
  EXPECT_TRUE(outOfFoldCells(protocolSplit(Protocol::Paper, cells, g, k, o, 11), g).empty());
}

// ---- classical map ------------------------------------------------------------------------------

TEST(RasterDataClassical, ForestScoresEveryValidCell) {
  const GridSpec g = makeGrid(8, 8, 100.0);
  Raster r(g);
  std::vector<float> a(g.size()), b(g.size());
  for (std::size_t i = 0; i < g.size(); ++i) {
    a[i] = float(i % 8);  // column: the signal
    b[i] = float((i * 7) % 5);
  }
  a[5] = kNodata;
  r.addBand("a", a);
  r.addBand("b", b);
  LabelledCells cells;
  for (long row : {3L, 6L}) {
    for (long c = 0; c < 8; ++c) {
      cells.cells.push_back({c, row});
      cells.labels.push_back(c >= 4 ? 1 : 0);
    }
  }
  const Eigen::MatrixXd x = cellFeatures(r, cells.cells);
  ClassicalOptions co;
  co.forestTrees = 20;
  co.threads = 1;  // OpenMP workers spin on a loaded 2-core machine
  const Raster p = scoreStackClassical(ClassicalModel::RandomForest, x, cells.labels, r, co, 1);
  ASSERT_EQ(p.bandCount(), 1u);
  EXPECT_TRUE(p.isNodata(p.band(0).values[5]));
  EXPECT_GT(p.band(0).values[g.index(7, 0)], p.band(0).values[g.index(0, 0)]);
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (i == 5) continue;
    EXPECT_GE(p.band(0).values[i], 0.0f);
    EXPECT_LE(p.band(0).values[i], 1.0f);
  }
}

// ---- zones and map metrics ----------------------------------------------------------------------

TEST(RasterDataZones, HandMadeProbabilityRaster) {
  // 6 x 4 cells of 10 m; row 0 north. Values:
  //  0.97 0.99 0.10 0.92 0.92 0.10
  //  0.96 0.98 0.10 0.92 nd   0.95
  //  0.10 0.10 0.10 0.10 0.10 0.10
  //  0.86 0.87 0.10 0.10 0.10 0.10
  const GridSpec g = makeGrid(6, 4, 10.0);
  Raster r(g);
  r.addBand("probability", std::vector<float>{0.97f, 0.99f, 0.1f, 0.92f, 0.92f,   0.1f,   //
                                              0.96f, 0.98f, 0.1f, 0.92f, kNodata, 0.95f,  //
                                              0.1f,  0.1f,  0.1f, 0.1f,  0.1f,    0.1f,   //
                                              0.86f, 0.87f, 0.1f, 0.1f,  0.1f,    0.1f});
  // Deposits: one in the A block (cell (1,1) at x 15, y 25), one in B (cell (3,0)), one in
  // background, one outside the grid.
  const auto zones =
      rasterZones(r, {}, {15, 35, 55, 500}, {25, 35, 15, 500}, {"d1", "d2", "d3", "d4"});
  ASSERT_EQ(zones.size(), 4u);
  EXPECT_EQ(zones[0].polygon.name, "A1");
  EXPECT_EQ(zones[0].cells, 4u);
  EXPECT_NEAR(zones[0].area, 400.0, 1e-9);
  EXPECT_NEAR(zones[0].meanProbability, (0.97 + 0.99 + 0.96 + 0.98) / 4, 1e-6);
  EXPECT_NEAR(zones[0].maxProbability, 0.99, 1e-6);
  EXPECT_EQ(zones[0].deposits, (std::vector<std::string>{"d1"}));
  EXPECT_NEAR(zones[0].polygon.area(), 400.0, 1e-6);
  EXPECT_TRUE(zones[0].polygon.contains(15, 25));
  EXPECT_EQ(zones[1].polygon.name, "A2");  // the single 0.95 cell
  EXPECT_EQ(zones[1].cells, 1u);
  EXPECT_EQ(zones[2].polygon.name, "B1");
  EXPECT_EQ(zones[2].cells, 3u);  // the nodata cell is not part of it
  EXPECT_NEAR(zones[2].meanProbability, 0.92, 1e-6);
  EXPECT_NEAR(zones[2].polygon.area(), 300.0, 1e-6);
  EXPECT_EQ(zones[2].deposits, (std::vector<std::string>{"d2"}));
  EXPECT_EQ(zones[3].polygon.name, "C1");
  EXPECT_EQ(zones[3].cells, 2u);
  EXPECT_DOUBLE_EQ(zones[3].polygon.value, 3.0);
  EXPECT_TRUE(zones[3].deposits.empty());
  const auto attrs = zoneAttributes(zones);
  EXPECT_EQ(attrs[2].first, "area_m2");
  EXPECT_EQ(attrs[5].second, (std::vector<double>{1, 0, 1, 0}));
  EXPECT_NE(zonesCsv(zones).find("B1,B,3,300.0,0.920000,0.920000,d2"), std::string::npos);
  const auto ids = zoneDepositIds(zones);
  EXPECT_EQ(ids[0].first, "deposit_ids");
  EXPECT_EQ(ids[0].second, (std::vector<std::string>{"d1", "", "d2", ""}));

  // By area: 23 valid cells; top 1 cell (A), to 3 cells (B), to 5 cells (C).
  RasterZoneOptions pct;
  pct.rule = ZoneRule::AreaPercentiles;
  pct.topShares = {1.0 / 23, 3.0 / 23, 5.0 / 23};
  const auto t = zoneThresholds(r, pct);
  EXPECT_NEAR(t[0], 0.99, 1e-6);
  EXPECT_NEAR(t[1], 0.97, 1e-6);
  EXPECT_NEAR(t[2], 0.95, 1e-6);
  const auto byArea = rasterZones(r, pct);
  std::size_t aCells = 0, cCells = 0;
  for (const auto& z : byArea) {
    if (z.zoneClass == 'A') aCells += z.cells;
    if (z.zoneClass == 'C') cCells += z.cells;
  }
  EXPECT_EQ(aCells, 1u);
  EXPECT_EQ(cCells, 2u);  // 0.96 and 0.95 (separate components)
  RasterZoneOptions bad;
  bad.thresholds = {0.9, 0.95, 0.85};
  EXPECT_THROW(rasterZones(r, bad), UsageError);
}

TEST(RasterDataMap, EvaluationExcludesNodataAndCountsOutside) {
  const GridSpec g = makeGrid(10, 1, 10.0);
  Raster r(g);
  std::vector<float> v(10);
  for (std::size_t i = 0; i < 10; ++i) v[i] = float(i) / 10.0f;
  v[0] = kNodata;
  r.addBand("p", v);
  // Deposits at cells 9 (highest score), 5, and 0 (nodata) plus one outside.
  const MapEvaluation e = evaluateMap(r, {95, 55, 5, 500}, {5, 5, 5, 5});
  EXPECT_EQ(e.deposits, 3u);
  EXPECT_EQ(e.outside, 1u);
  // 9 valid cells: the top 10 % (1 cell) holds deposit 9; the top 20 % (2 cells) no more.
  EXPECT_NEAR(e.captureTop10, 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(e.captureTop20, 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(e.captureTop5, 1.0 / 3.0, 1e-12);
  const auto scores = mapScores(r);
  EXPECT_TRUE(std::isnan(scores[0]));
  EXPECT_NEAR(e.curve.auc, successRateCurve(scores, {9, 5, 0}).auc, 1e-12);
  EXPECT_THROW(evaluateMap(r, {500}, {500}), DataError);
}
