// `orevox model features` with a fault mesh, a modelled contact, their intersection line
// and a flat DEM: every channel checked at every voxel against the planes they came from.
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_test_helpers.hpp"
#include "orevox/datasets/raster_io.hpp"
#include "orevox/datasets/volume_io.hpp"

using namespace orevox_test;

namespace {

/// The model: `strati` = 0.05 (z + 0.2 x), whose value 4 is the contact plane z = 80 - 0.2 x,
/// and a `unit` channel (1 above the contact, 0 below), on 20 x 15 x 10 voxels of 10 m.
orevox::VoxelModel contactModel() {
  orevox::VolumeSpec s;
  s.nx = 20;
  s.ny = 15;
  s.nz = 10;
  s.spacing = {10, 10, 10};
  orevox::VoxelModel m(s);
  std::vector<float> strati(s.size()), unit(s.size());
  for (std::size_t k = 0; k < s.nz; ++k)
    for (std::size_t j = 0; j < s.ny; ++j)
      for (std::size_t i = 0; i < s.nx; ++i) {
        const double f = 0.05 * (s.centreZ(k) + 0.2 * s.centreX(i));
        strati[s.index(i, j, k)] = float(f);
        unit[s.index(i, j, k)] = f > 4 ? 1.0f : 0.0f;
      }
  m.setChannel("strati", strati);
  m.setChannel("unit", unit);
  return m;
}

}  // namespace

TEST_F(CliTest, ModelFeaturesFromAFaultAContactTheirLineAndTopography) {
  // Fault z = 50 + 0.5 x (dips 26.57 degrees towards 270); it meets the contact
  // z = 80 - 0.2 x along the line x = 300 / 7, z = 50 + 150 / 7, parallel to y.
  write("fault.ts",
        "GOCAD TSurf 1\nHEADER {\nname:fault\n}\nTFACE\nVRTX 1 -100 -100 0\nVRTX 2 300 -100 200\n"
        "VRTX 3 300 300 200\nVRTX 4 -100 300 0\nTRGL 1 2 3\nTRGL 1 3 4\nEND\n");
  contactModel().write(path("m.vdb"));
  orevox::GridSpec g;
  g.width = 30;
  g.height = 30;
  g.geoTransform = {-50, 10, 0, 250, 0, -10};
  orevox::Raster dem(g);
  dem.addBand("elevation", 150.0f, "m");
  orevox::writeGeoTiff(dem, path("dem.tif"));

  const auto r =
      run({"model", "features", "--model", path("m.vdb"), "--surface", path("fault.ts") + ":f1",
           "--contact", "strati=4:top", "--intersection", "f1,top", "--topography", path("dem.tif"),
           "--out", path("feat.vdb"), "--report", path("r.json"), "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  const orevox::VoxelModel feat = orevox::readVolume(path("feat.vdb"));
  EXPECT_TRUE(feat.hasChannel("unit"));  // the model's channels are kept
  const orevox::VolumeSpec& s = feat.spec();
  auto channel = [&](const char* name) { return feat.denseChannel(name); };
  const auto fd = channel("f1_distance"), fdip = channel("f1_dip"), fc = channel("f1_curvature"),
             fu = channel("f1_undulation"), fg = channel("f1_dip_change");
  const auto td = channel("top_distance"), tdip = channel("top_dip"),
             tdir = channel("top_dip_direction"), tc = channel("top_curvature"),
             tu = channel("top_undulation"), tg = channel("top_dip_change");
  const auto line = channel("f1_top_line_distance"), depth = channel("depth");
  const double lineX = 300.0 / 7, lineZ = 50 + 150.0 / 7;
  const double contactDip = std::atan(0.2) * 180 / M_PI;
  std::size_t interiorChecked = 0;
  for (std::size_t k = 0; k < s.nz; ++k)
    for (std::size_t j = 0; j < s.ny; ++j)
      for (std::size_t i = 0; i < s.nx; ++i) {
        const std::size_t n = s.index(i, j, k);
        const double x = s.centreX(i), z = s.centreZ(k);
        EXPECT_NEAR(fd[n], (z - 50 - 0.5 * x) / std::sqrt(1.25), 1e-3);
        EXPECT_NEAR(fdip[n], std::atan(0.5) * 180 / M_PI, 1e-3);
        EXPECT_NEAR(fc[n], 0, 1e-9);
        EXPECT_NEAR(fu[n], 0, 1e-3);
        EXPECT_NEAR(fg[n], 0, 1e-6);
        // The contact's isosurface lies on its plane: attitude and shape everywhere.
        EXPECT_NEAR(tdip[n], contactDip, 1e-2);
        EXPECT_NEAR(tdir[n], 90, 1e-2);
        EXPECT_NEAR(tc[n], 0, 1e-5);
        EXPECT_NEAR(tu[n], 0, 1e-3);
        EXPECT_NEAR(tg[n], 0, 0.05);
        EXPECT_NEAR(depth[n], 150 - z, 1e-4);
        // Distances where the foot point (and the line's) lies inside the mesh, which ends
        // up to one voxel inside the outermost voxel centres.
        const double d = (z - 80 + 0.2 * x) / std::sqrt(1.04);
        const double footX = x - d * 0.2 / std::sqrt(1.04), footZ = z - d / std::sqrt(1.04);
        if (footX > 20 && footX < 180 && footZ > 20 && footZ < 80 && j > 1 && j + 2 < s.ny) {
          EXPECT_NEAR(td[n], d, 1e-3);
          EXPECT_NEAR(line[n], std::hypot(x - lineX, z - lineZ), 1e-3);
          ++interiorChecked;
        }
      }
  EXPECT_GT(interiorChecked, 500u);
  EXPECT_EQ(feat.units("f1_dip_change"), "degrees/100m");
  EXPECT_EQ(feat.units("top_curvature"), "1/m");
  EXPECT_EQ(feat.units("depth"), "m");
  std::ifstream in(path("r.json"));
  const auto report = nlohmann::json::parse(in);
  const auto& result = report["results"]["features"];
  EXPECT_EQ(result["channels"].size(), 6u * 2 + 2);
  EXPECT_EQ(result["lines"][0]["name"], "f1_top");
  EXPECT_EQ(result["topography_voxels"], s.size());

  // --keep alone selects channels of the model.
  ASSERT_EQ(run({"model", "features", "--model", path("m.vdb"), "--keep", "unit", "--out",
                 path("k.vdb"), "--quiet"})
                .code,
            0);
  EXPECT_EQ(orevox::readVolume(path("k.vdb")).channelNames(), std::vector<std::string>{"unit"});

  // Bad input: one line, the right exit code, no output.
  for (const auto& [args, code] : std::vector<std::pair<std::vector<std::string>, int>>{
           {{"--surface", path("fault.ts") + ":f1", "--intersection", "f1,nope"}, 2},
           {{"--contact", "strati=99"}, 1},
           {{"--contact", "strati"}, 2},
           {{"--contact", "nothing=1"}, 2},
           {{"--keep", "unit,nothing"}, 2},
           {{"--surface", path("fault.ts") + ":strati"}, 0},  // strati_distance: a new name
           {{"--surface", path("fault.ts") + ":a", "--surface", path("fault.ts") + ":a"}, 2}}) {
    std::vector<std::string> cmd = {"model", "features", "--model", path("m.vdb")};
    cmd.insert(cmd.end(), args.begin(), args.end());
    cmd.insert(cmd.end(), {"--out", path("bad.vdb"), "--quiet"});
    const auto b = run(cmd);
    EXPECT_EQ(b.code, code) << args.back() << ": " << b.err;
    if (code != 0) {
      EXPECT_FALSE(fs::exists(path("bad.vdb"))) << args.back();
      EXPECT_EQ(std::count(b.err.begin(), b.err.end(), '\n'), 1) << b.err;
    }
    fs::remove(path("bad.vdb"));
  }
}
