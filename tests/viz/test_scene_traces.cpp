// Drillhole traces in the scene: colours of a known field seen from above, a stored
// reference image, traces over a volume with a categorical field, and option errors.
// Run under xvfb-run (Debian's VTK renders offscreen through an X display).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "image_compare.hpp"
#include "orevox/core/error.hpp"
#include "orevox/viz/scene.hpp"

using namespace orevox;

namespace {

using test::kData;
using test::outPath;

/// Three horizontal holes heading east from x = 600000 at UTM-sized coordinates, 100 m
/// apart north-south, ten 100 m intervals each: the northern one not assayed (NaN), the
/// middle one CU = 0, 1/9, ..., 1 eastward, the southern one CU = 1.
DrillholeTraces flatTraces() {
  DrillholeTraces t;
  t.holeIds = {"N", "M", "S"};
  IntervalField cu;
  cu.name = "CU";
  for (std::size_t h = 0; h < 3; ++h) {
    const double y = 7000200.0 - 100.0 * double(h);
    for (int i = 0; i < 10; ++i) {
      t.hole.push_back(h);
      t.from.push_back(100.0 * i);
      t.to.push_back(100.0 * (i + 1));
      t.offsets.push_back(t.points.size());
      t.points.push_back({600000.0 + 100.0 * i, y, 250.0});
      t.points.push_back({600000.0 + 100.0 * (i + 1), y, 250.0});
      cu.values.push_back(h == 0 ? std::nan("") : h == 1 ? i / 9.0 : 1.0);
    }
  }
  t.offsets.push_back(t.points.size());
  t.fields = {cu};
  return t;
}

/// Holes curving from 60 degrees down toward the east to steeper, with a lithology log.
DrillholeTraces curvedTraces() {
  DrillholeTraces t;
  IntervalField grade, lith;
  grade.name = "CU";
  lith.name = "LITH";
  lith.categorical = true;
  lith.categories = {"gabbro", "troctolite", "sulphide"};
  for (int h = 0; h < 6; ++h) {
    t.holeIds.push_back("H" + std::to_string(h));
    const double x0 = 2294000.0 + 150.0 * h, y0 = 420000.0 + 40.0 * (h % 3);
    double x = x0, z = 1600.0, dip = 55.0 + 3.0 * h;
    for (int i = 0; i < 25; ++i) {
      t.hole.push_back(std::size_t(h));
      t.from.push_back(20.0 * i);
      t.to.push_back(20.0 * (i + 1));
      t.offsets.push_back(t.points.size());
      t.points.push_back({x, y0, z});
      const double d = dip * 3.14159265358979 / 180.0;
      x += 20.0 * std::cos(d);
      z -= 20.0 * std::sin(d);
      dip += 1.0;
      t.points.push_back({x, y0, z});
      const double depth = 20.0 * i + 10.0;
      grade.values.push_back(i < 3 ? std::nan("")
                                   : std::exp(-std::pow((depth - 250.0 - 20.0 * h) / 80.0, 2)));
      lith.codes.push_back(i < 3 ? -1 : std::int32_t(i < 10 ? 0 : i < 18 ? 1 : 2));
    }
  }
  t.offsets.push_back(t.points.size());
  t.unit = LengthUnit::Foot;
  t.fields = {grade, lith};
  return t;
}

std::size_t countPixels(const std::string& path,
                        const std::function<bool(const std::array<int, 3>&)>& is) {
  const auto img = test::readPng(path);
  int dims[3];
  img->GetDimensions(dims);
  std::size_t n = 0;
  for (int r = 0; r < dims[1]; ++r)
    for (int c = 0; c < dims[0]; ++c) n += is(test::rgbAt(img, c, r));
  return n;
}

}  // namespace

TEST(SceneTraces, FieldColoursSeenFromAbove) {
  const DrillholeTraces traces = flatTraces();
  SceneData data;
  data.traces = &traces;
  SceneOptions o;
  o.camera = CameraPreset::Top;
  o.width = 400;
  o.height = 300;
  o.lo = 0.0;
  o.hi = 1.0;
  o.axes = o.legend = o.scalarBar = false;
  o.title = " ";
  const std::string out = outPath("scene_traces_top.png");
  const SceneSummary s = renderScenePng(data, o, out);
  EXPECT_EQ(s.traces, 30u);
  EXPECT_EQ(s.traceField, "CU");
  EXPECT_DOUBLE_EQ(s.lo, 0.0);
  EXPECT_DOUBLE_EQ(s.hi, 1.0);
  EXPECT_DOUBLE_EQ(s.bounds[0], 600000.0);
  EXPECT_DOUBLE_EQ(s.bounds[3], 7000200.0);
  const auto img = test::readPng(out);
  // The middle hole runs through the image centre, west to east. The lookup table holds 256
  // viridis colours sampled at the middle of each bin: its first entry is viridis(0.5 / 256),
  // between the control points (0.267, 0.005, 0.329) and (0.229, 0.322, 0.546) at 1/128 of
  // the way: (0.2667, 0.0075, 0.3307) x 255 = (68, 2, 84); its last viridis(255.5 / 256) =
  // (0.9881, 0.9051, 0.1459) x 255 = (252, 231, 37).
  const int row = 150;
  int first = -1, last = -1;
  for (int c = 0; c < 400; ++c) {
    if (test::rgbAt(img, c, row) != std::array<int, 3>{255, 255, 255}) {
      if (first < 0) first = c;
      last = c;
    }
  }
  ASSERT_GE(first, 0);
  EXPECT_EQ(test::rgbAt(img, first + 1, row), (std::array<int, 3>{68, 2, 84}));
  EXPECT_EQ(test::rgbAt(img, last - 1, row), (std::array<int, 3>{252, 231, 37}));
  EXPECT_GT(last - first, 150);
  // Not assayed: grey (0.72 x 255 = 184); the southern hole all yellow.
  const auto grey = [](const std::array<int, 3>& p) {
    return p == std::array<int, 3>{184, 184, 184};
  };
  const auto yellow = [](const std::array<int, 3>& p) {
    return p == std::array<int, 3>{252, 231, 37};
  };
  EXPECT_GT(countPixels(out, grey), 200u);
  EXPECT_GT(countPixels(out, yellow), 200u + 20u);
}

TEST(SceneTraces, CurvedHolesMatchTheReference) {
  const DrillholeTraces traces = curvedTraces();
  SceneData data;
  data.traces = &traces;
  SceneOptions o;
  o.width = 480;
  o.height = 360;
  const std::string out = outPath("scene_traces.png");
  const SceneSummary s = renderScenePng(data, o, out);
  EXPECT_EQ(s.channel, "CU");
  EXPECT_EQ(s.traces, 150u);
  const std::string msg = test::checkAgainstReference(out, kData + "scene_traces.png", 3.0, 0.02);
  EXPECT_TRUE(msg.empty()) << msg;
  // Categorical field: one Tableau colour per category (gabbro blue, troctolite orange).
  data.traceField = "LITH";
  const std::string lith = outPath("scene_traces_lith.png");
  const SceneSummary c = renderScenePng(data, o, lith);
  EXPECT_EQ(c.traceField, "LITH");
  EXPECT_DOUBLE_EQ(c.traceLo, 0.0);
  EXPECT_DOUBLE_EQ(c.traceHi, 2.0);
  const auto blue = [](const std::array<int, 3>& p) {
    return std::abs(p[0] - 31) < 4 && std::abs(p[1] - 119) < 4 && std::abs(p[2] - 180) < 4;
  };
  const auto orange = [](const std::array<int, 3>& p) {
    return std::abs(p[0] - 255) < 4 && std::abs(p[1] - 127) < 4 && std::abs(p[2] - 14) < 4;
  };
  EXPECT_GT(countPixels(lith, blue), 100u);
  EXPECT_GT(countPixels(lith, orange), 100u);
}

TEST(SceneTraces, OverAVolumeAndErrors) {
  VolumeSpec spec;
  spec.nx = 20;
  spec.ny = 10;
  spec.nz = 6;
  spec.origin = {599950.0, 6999950.0, 100.0};
  spec.spacing = {60.0, 40.0, 50.0};
  std::vector<float> v(spec.size());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = float(i % 7) / 7.0f;
  VoxelModel model(spec);
  model.setChannel("prospectivity", v);
  const DrillholeTraces traces = flatTraces();
  SceneData data;
  data.volume = &model;
  data.traces = &traces;
  SceneOptions o;
  o.width = 320;
  o.height = 240;
  const SceneSummary s = renderScenePng(data, o, outPath("scene_traces_volume.png"));
  EXPECT_EQ(s.channel, "prospectivity");  // the volume keeps the main colour bar
  EXPECT_EQ(s.traces, 30u);
  EXPECT_EQ(s.traceField, "CU");
  data.traceField = "AU";
  try {
    renderScenePng(data, o, outPath("x.png"));
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "--traces: no field 'AU' (fields: CU)");
  }
}
