// Offscreen scene renders: a known volume and a known map against stored reference images
// (tests/viz/data), hand-computed pixel colours, determinism and option errors.
// Run under xvfb-run (Debian's VTK renders offscreen through an X display).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "image_compare.hpp"
#include "orevox/core/error.hpp"
#include "orevox/viz/scene.hpp"

using namespace orevox;
namespace fs = std::filesystem;

namespace {

using test::kData;
using test::outPath;
// 40 x 32 x 24 voxels of 25 m at UTM-sized coordinates; a Gaussian prospectivity blob
// (sigma 150 m) centred at voxel (24, 14, 10); the top 3 layers are air (inactive).
VoxelModel blobModel() {
  VolumeSpec s;
  s.nx = 40;
  s.ny = 32;
  s.nz = 24;
  s.origin = {500000.0, 4100000.0, -600.0};
  s.spacing = {25.0, 25.0, 25.0};
  std::vector<float> v(s.size());
  std::vector<std::uint8_t> active(s.size());
  for (std::size_t k = 0; k < s.nz; ++k)
    for (std::size_t j = 0; j < s.ny; ++j)
      for (std::size_t i = 0; i < s.nx; ++i) {
        const double dx = s.centreX(i) - s.centreX(24), dy = s.centreY(j) - s.centreY(14),
                     dz = s.centreZ(k) - s.centreZ(10);
        v[s.index(i, j, k)] =
            float(std::exp(-(dx * dx + dy * dy + dz * dz) / (2.0 * 150.0 * 150.0)));
        active[s.index(i, j, k)] = k < s.nz - 3;
      }
  VoxelModel m(s);
  m.setChannel("prospectivity", v, &active, "probability");
  return m;
}

}  // namespace

TEST(Scene, VolumeRenderMatchesReference) {
  const VoxelModel model = blobModel();
  SceneData data;
  data.volume = &model;
  SampleTable deposits;
  deposits.addPoint(500000.0 + 24.5 * 25, 4100000.0 + 14.5 * 25, -600.0 + 10.5 * 25);
  deposits.addPoint(500000.0 + 5.5 * 25, 4100000.0 + 25.5 * 25, -600.0 + 18.5 * 25);
  deposits.labels = {1, 0};
  data.deposits = &deposits;
  SceneOptions o;
  o.width = 480;
  o.height = 360;
  o.isoLevels = {0.5};
  o.slices = {-1.0, -1.0, 0.2};
  o.lo = 0.0;
  o.hi = 1.0;
  const std::string out = outPath("scene_volume.png");
  const SceneSummary s = renderScenePng(data, o, out);
  EXPECT_EQ(s.channel, "prospectivity");
  EXPECT_EQ(s.units, "probability");
  ASSERT_EQ(s.isoTriangles.size(), 1u);
  EXPECT_GT(s.isoTriangles[0], 100u);
  EXPECT_EQ(s.deposits, 2u);
  EXPECT_DOUBLE_EQ(s.bounds[0], 500000.0);
  EXPECT_DOUBLE_EQ(s.bounds[1], 501000.0);
  EXPECT_DOUBLE_EQ(s.bounds[3], 4100800.0);
  EXPECT_DOUBLE_EQ(s.bounds[5], 0.0);
  const std::string msg = test::checkAgainstReference(out, kData + "scene_volume.png", 3.0, 0.02);
  EXPECT_TRUE(msg.empty()) << msg;

  // The same inputs give the same image.
  const std::string again = outPath("scene_volume_again.png");
  renderScenePng(data, o, again);
  const auto d = test::compareImages(test::readPng(out), test::readPng(again));
  EXPECT_TRUE(d.sameSize);
  EXPECT_EQ(d.meanAbs, 0.0) << out << " vs " << again;
}

TEST(Scene, DefaultIsoLevelsArePercentiles) {
  const VoxelModel model = blobModel();
  SceneData data;
  data.volume = &model;
  SceneOptions o;
  o.width = 64;
  o.height = 48;
  o.defaultIso = true;
  o.axes = o.legend = o.scalarBar = false;
  const SceneSummary s = renderScenePng(data, o, outPath("scene_default_iso.png"));
  // Brute force: the 99th / 95th / 90th percentiles (nth_element index floor(q (n - 1))).
  std::vector<double> v;
  model.forEachActive("prospectivity",
                      [&](std::size_t, std::size_t, std::size_t, float x) { v.push_back(x); });
  std::sort(v.begin(), v.end());
  ASSERT_EQ(s.isoLevels.size(), 3u);
  EXPECT_DOUBLE_EQ(s.isoLevels[0], v[std::size_t(0.99 * double(v.size() - 1))]);
  EXPECT_DOUBLE_EQ(s.isoLevels[1], v[std::size_t(0.95 * double(v.size() - 1))]);
  EXPECT_DOUBLE_EQ(s.isoLevels[2], v[std::size_t(0.90 * double(v.size() - 1))]);
  // A (the highest level) encloses the fewest voxels: the smallest surface.
  EXPECT_LT(s.isoTriangles[0], s.isoTriangles[2]);
}

TEST(Scene, ZoneMarkersAreDrawnAndLabelled) {
  const VoxelModel model = blobModel();
  SceneData data;
  data.volume = &model;
  SceneOptions o;
  o.width = 320;
  o.height = 240;
  o.volumeRendering = false;
  o.axes = o.legend = o.scalarBar = false;
  o.title = " ";
  const std::string bare = outPath("scene_markers_bare.png");
  renderScenePng(data, o, bare);
  // Two zones at the blob's centre and near a corner: grade A (red) and grade C (yellow).
  const std::vector<SceneMarker> markers{
      {{500000.0 + 24.5 * 25, 4100000.0 + 14.5 * 25, -600.0 + 10.5 * 25}, "A1", 'A'},
      {{500000.0 + 5.5 * 25, 4100000.0 + 25.5 * 25, -600.0 + 18.5 * 25}, "C1", 'C'}};
  data.markers = &markers;
  const std::string marked = outPath("scene_markers.png");
  const SceneSummary s = renderScenePng(data, o, marked);
  EXPECT_EQ(s.markers, 2u);
  // Grade colours: red (A) and yellow (C) pixels appear only with the markers.
  auto count = [](const std::string& path, auto isColour) {
    const auto img = test::readPng(path);
    int dims[3];
    img->GetDimensions(dims);
    std::size_t n = 0;
    for (int r = 0; r < dims[1]; ++r)
      for (int c = 0; c < dims[0]; ++c) n += isColour(test::rgbAt(img, c, r));
    return n;
  };
  auto red = [](const std::array<int, 3>& p) { return p[0] > 170 && p[1] < 90 && p[2] < 90; };
  auto yellow = [](const std::array<int, 3>& p) { return p[0] > 200 && p[1] > 170 && p[2] < 110; };
  EXPECT_EQ(count(bare, red), 0u);
  EXPECT_EQ(count(bare, yellow), 0u);
  EXPECT_GT(count(marked, red), 50u);
  EXPECT_GT(count(marked, yellow), 50u);
}

TEST(Scene, MapFromAboveShowsItsColours) {
  // 20 x 10 cells of 100 m: west half 0, east half 1; viridis ends are (68,1,84) and (253,231,37).
  Raster r(GridSpec::fromExtent(Extent{300000, 200000, 302000, 201000, true}, 100.0));
  auto& b = r.addBand("prospectivity", 0.0f, "probability");
  for (std::size_t row = 0; row < 10; ++row)
    for (std::size_t col = 10; col < 20; ++col) b.values[r.grid().index(col, row)] = 1.0f;
  SceneData data;
  data.map = &r;
  SceneOptions o;
  o.camera = CameraPreset::Top;
  o.width = 400;
  o.height = 300;
  o.lo = 0.0;
  o.hi = 1.0;
  o.axes = o.legend = o.scalarBar = false;
  o.title = " ";
  const std::string bare = outPath("scene_map_bare.png");
  renderScenePng(data, o, bare);
  auto img = test::readPng(bare);
  // The camera looks straight down at the map's centre: the image centre is its middle.
  EXPECT_EQ(test::rgbAt(img, 200 - 40, 150), (std::array<int, 3>{68, 1, 84}));
  EXPECT_EQ(test::rgbAt(img, 200 + 40, 150), (std::array<int, 3>{253, 231, 37}));
  EXPECT_EQ(test::rgbAt(img, 2, 2), (std::array<int, 3>{255, 255, 255}));  // background

  // With axes, scalar bar, faults, zones and deposits: compare with the reference.
  FaultNetwork faults;
  faults.lines.push_back(
      {{Eigen::Vector2d(300100, 200100), Eigen::Vector2d(301900, 200900)}, "F1"});
  PolygonSet zones(1);
  zones[0].rings = {{{301200, 200200}, {301800, 200200}, {301800, 200600}, {301200, 200600}}};
  SampleTable dep;
  dep.addPoint(300500, 200500);
  dep.addPoint(301500, 200400);
  dep.labels = {1, 0};
  data.faults = &faults;
  data.zones = &zones;
  data.deposits = &dep;
  o.axes = o.legend = o.scalarBar = true;
  o.title.clear();
  o.camera = CameraPreset::Iso;
  o.width = 480;
  o.height = 360;
  const std::string full = outPath("scene_map.png");
  const SceneSummary s = renderScenePng(data, o, full);
  EXPECT_EQ(s.channel, "prospectivity");
  EXPECT_EQ(s.faultLines, 1u);
  EXPECT_EQ(s.zones, 1u);
  const std::string msg = test::checkAgainstReference(full, kData + "scene_map.png", 3.0, 0.02);
  EXPECT_TRUE(msg.empty()) << msg;
}

TEST(Scene, OptionErrors) {
  SceneData none;
  EXPECT_THROW(renderScenePng(none, {}, outPath("x.png")), UsageError);
  const VoxelModel model = blobModel();
  SceneData data;
  data.volume = &model;
  data.channel = "nope";
  SceneOptions o;
  o.width = 64;
  o.height = 48;
  EXPECT_THROW(renderScenePng(data, o, outPath("x.png")), UsageError);
  data.channel.clear();
  o.verticalExaggeration = 0.0;
  EXPECT_THROW(renderScenePng(data, o, outPath("x.png")), UsageError);
  o.verticalExaggeration = 1.0;
  EXPECT_THROW(renderScenePng(data, o, "/nonexistent/dir/x.png"), IoError);

  EXPECT_EQ(parseImageSize("1600x1200"), (std::array<int, 2>{1600, 1200}));
  EXPECT_THROW(parseImageSize("1600"), UsageError);
  EXPECT_THROW(parseImageSize("1600x12"), UsageError);
  EXPECT_THROW(parseImageSize("16ax100"), UsageError);
  EXPECT_EQ(parseCameraPreset("N"), CameraPreset::North);
  EXPECT_EQ(parseCameraPreset("top"), CameraPreset::Top);
  EXPECT_THROW(parseCameraPreset("up"), UsageError);
}

TEST(Viewer, ScriptedOrbitReportsFrames) {
  const VoxelModel model = blobModel();
  SceneData data;
  data.volume = &model;
  ViewerOptions o;
  o.scene.width = 320;
  o.scene.height = 240;
  o.scene.defaultIso = true;
  o.scene.slices = {0.5, 0.5, -1.0};
  o.orbitFrames = 12;
  const ViewerStats s = runViewer(data, o);
  EXPECT_EQ(s.frames, 12);
  EXPECT_GT(s.seconds, 0.0);
  EXPECT_NEAR(s.fps, 12.0 / s.seconds, 1e-9);
  EXPECT_EQ(s.scene.isoLevels.size(), 3u);
  EXPECT_NE(viewerKeyHelp().find("toggle isosurfaces A B C"), std::string::npos);
}

TEST(Scene, IsosurfacesOnAnotherChannel) {
  VoxelModel model = blobModel();
  // Truth orebody: the voxels where the blob exceeds 0.5 (a ball of radius ~177 m).
  const auto v = model.denseChannel("prospectivity");
  std::vector<float> ore(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) ore[i] = v[i] > 0.5f ? 1.0f : 0.0f;
  model.setChannel("orebody", ore, nullptr, "");
  SceneData data;
  data.volume = &model;
  SceneOptions o;
  o.width = 64;
  o.height = 48;
  o.isoChannel = "orebody";
  o.isoLevels = {0.5};
  const SceneSummary s = renderScenePng(data, o, outPath("scene_iso_channel.png"));
  EXPECT_EQ(s.channel, "prospectivity");
  EXPECT_EQ(s.isoChannel, "orebody");
  ASSERT_EQ(s.isoTriangles.size(), 1u);
  EXPECT_GT(s.isoTriangles[0], 50u);
  o.isoChannel = "missing";
  EXPECT_THROW(renderScenePng(data, o, outPath("scene_iso_channel.png")), UsageError);
}

TEST(Scene, NoDisplayIsAnErrorNotACrash) {
  const char* display = std::getenv("DISPLAY");
  const std::string saved = display ? display : "";
  unsetenv("DISPLAY");
  const VoxelModel model = blobModel();
  SceneData data;
  data.volume = &model;
  EXPECT_THROW(renderScenePng(data, {}, outPath("no_display.png")), Error);
  ViewerOptions v;
  v.orbitFrames = 1;
  EXPECT_THROW(runViewer(data, v), Error);
  if (!saved.empty()) setenv("DISPLAY", saved.c_str(), 1);
  EXPECT_FALSE(fs::exists(outPath("no_display.png")));
}
