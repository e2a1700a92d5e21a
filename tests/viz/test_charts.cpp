// Charts and map figures: the series each chart holds (read back from the chart objects),
// hand-computed layout and pixels of a map figure, a reference image, and input errors.
#include <gtest/gtest.h>

#include <filesystem>

#include "image_compare.hpp"
#include "orevox/core/error.hpp"
#include "orevox/viz/charts.hpp"
#include "orevox/viz/map_figure.hpp"

using namespace orevox;
namespace fs = std::filesystem;

namespace {
using test::kData;
using test::outPath;
std::array<int, 2> pngSize(const std::string& path) {
  int d[3];
  test::readPng(path)->GetDimensions(d);
  return {d[0], d[1]};
}
}  // namespace

TEST(Charts, RocCurvesOfSeveralModels) {
  const std::vector<ChartSeries> curves = {
      {"ResGNN (AUC 0.91)", {0, 0.05, 0.1, 0.3, 1}, {0, 0.6, 0.8, 0.95, 1}},
      {"random forest (AUC 0.84)", {0, 0.1, 0.2, 0.5, 0.8, 1}, {0, 0.45, 0.7, 0.88, 0.97, 1}}};
  const std::string out = outPath("chart_roc.png");
  const ChartSummary s = writeRocChart(curves, "ROC, spatial 5-fold, synth2d seed 1", out);
  ASSERT_EQ(s.series.size(), 3u);
  EXPECT_EQ(s.series[0], "ResGNN (AUC 0.91)");
  EXPECT_EQ(s.series[1], "random forest (AUC 0.84)");
  EXPECT_EQ(s.series[2], "random");
  EXPECT_EQ(s.points, (std::vector<std::size_t>{5, 6, 2}));
  EXPECT_EQ(pngSize(out), (std::array<int, 2>{1000, 750}));
}

TEST(Charts, SuccessRateTrainingBarsAndConfusion) {
  auto s = writeSuccessRateChart({{"success rate (training)", {0, 0.1, 1}, {0, 0.7, 1}},
                                  {"prediction rate (hidden)", {0, 0.1, 1}, {0, 0.5, 1}}},
                                 "Success and prediction rates", outPath("chart_rates.png"));
  EXPECT_EQ(s.series, (std::vector<std::string>{"success rate (training)",
                                                "prediction rate (hidden)", "random"}));

  s = writeTrainingCurves({{"train loss", {1, 2, 3, 4}, {0.9, 0.6, 0.5, 0.45}},
                           {"val loss", {1, 2, 3, 4}, {1.0, 0.8, 0.7, 0.72}}},
                          {{"train acc", {1, 2, 3, 4}, {0.6, 0.75, 0.8, 0.83}}}, "Training, seed 1",
                          outPath("chart_training.png"));
  EXPECT_EQ(s.series, (std::vector<std::string>{"train loss", "val loss", "train acc"}));
  EXPECT_EQ(s.points, (std::vector<std::size_t>{4, 4, 4}));

  ChartOptions bars;
  bars.title = "Mean |SHAP| per channel";
  bars.yLabel = "mean |SHAP|";
  s = writeBarChart({"Au", "As", "Sb", "fault buffer"}, {0.31, 0.22, 0.12, 0.4}, bars,
                    outPath("chart_shap.png"));
  EXPECT_EQ(s.series, (std::vector<std::string>{"mean |SHAP|"}));
  EXPECT_EQ(s.points, (std::vector<std::size_t>{4}));

  s = writeConfusionMatrix({"barren", "ore"}, {{80, 20}, {5, 45}},
                           "Confusion matrix, threshold 0.5", outPath("chart_confusion.png"));
  EXPECT_EQ(s.series, (std::vector<std::string>{"barren", "ore"}));
  EXPECT_EQ(s.points, (std::vector<std::size_t>{100, 50}));
  EXPECT_EQ(pngSize(outPath("chart_confusion.png")), (std::array<int, 2>{800, 700}));
}

TEST(Charts, InputErrors) {
  EXPECT_THROW(writeLineChart({}, {}, outPath("x.png")), UsageError);
  EXPECT_THROW(writeRocChart({{"bad", {0, 1}, {0}}}, "t", outPath("x.png")), UsageError);
  EXPECT_THROW(writeBarChart({"a"}, {1, 2}, {}, outPath("x.png")), UsageError);
  EXPECT_THROW(writeConfusionMatrix({"a", "b"}, {{1, 2}}, "t", outPath("x.png")), UsageError);
  EXPECT_THROW(writeRocChart({{"ok", {0, 1}, {0, 1}}}, "t", "/nonexistent/dir/x.png"), IoError);
}

TEST(MapFigure, LayoutPixelsAndReference) {
  // 40 x 20 cells of 100 m (4 km x 2 km): west half 0, east half 1.
  Raster r(GridSpec::fromExtent(Extent{0, 0, 4000, 2000, true}, 100.0));
  auto& b = r.addBand("prospectivity", 0.0f, "probability");
  for (std::size_t row = 0; row < 20; ++row)
    for (std::size_t col = 20; col < 40; ++col) b.values[r.grid().index(col, row)] = 1.0f;
  FaultNetwork faults;
  faults.lines.push_back({{Eigen::Vector2d(200, 200), Eigen::Vector2d(3800, 1800)}, "F1"});
  PolygonSet zones(1);
  zones[0].rings = {{{2500, 500}, {3500, 500}, {3500, 1500}, {2500, 1500}}};
  SampleTable dep;
  dep.addPoint(1000, 1500);
  dep.addPoint(3000, 1000);
  dep.addPoint(3200, 400);
  dep.labels = {1, 0, 1};
  MapFigureOptions o;
  o.lo = 0.0;
  o.hi = 1.0;
  o.faults = &faults;
  o.zones = &zones;
  o.deposits = &dep;
  const std::string out = outPath("map_figure.png");
  const MapFigureLayout L = writeMapFigure(r, 0, out, o);
  // Map area 1200 - 100 - 260 = 840 px wide, 1000 - 60 - 110 = 830 px high: 840 / 4000 m limits.
  EXPECT_DOUBLE_EQ(L.scale, 0.21);
  EXPECT_DOUBLE_EQ(L.scaleBarMetres, 1000.0);  // largest 1-2-5 step under 30 % of 4 km
  EXPECT_EQ(L.knownDeposits, 2u);
  EXPECT_EQ(L.hiddenDeposits, 1u);
  auto img = test::readPng(out);
  // A cell centre away from every overlay: (500 m, 500 m) is west (0, dark viridis);
  // (3800 m, 300 m) is east (1, yellow).
  auto at = [&](double x, double y) {
    return test::rgbAt(img, int(L.x0 + x * L.scale), int(L.y0 + (2000 - y) * L.scale));
  };
  EXPECT_EQ(at(500, 1000), (std::array<int, 3>{68, 1, 84}));
  EXPECT_EQ(at(3800, 300), (std::array<int, 3>{253, 231, 37}));
  const std::string msg = test::checkAgainstReference(out, kData + "map_figure.png", 3.0, 0.02);
  EXPECT_TRUE(msg.empty()) << msg;
  EXPECT_THROW(writeMapFigure(r, 1, out, o), UsageError);
}
