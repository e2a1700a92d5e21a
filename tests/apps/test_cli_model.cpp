// `orevox model build`: a linear field from two constraint tables, its channel and its
// interfaces checked against the plane they came from; bad input exits with one line and
// writes nothing.
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_test_helpers.hpp"
#include "orevox/datasets/mesh_io.hpp"
#include "orevox/datasets/volume_io.hpp"

using namespace orevox_test;

namespace {

/// The field the constraints sample: f = 0.05 (z - 0.2 x + 0.1 y); horizons f = 1 and 3.
double field(double x, double y, double z) { return 0.05 * (z - 0.2 * x + 0.1 * y); }

std::string horizonTable(bool outside) {
  std::ostringstream s;
  s << ",X,Y,Z,val,feature_name\n";
  int row = 0;
  for (int h : {1, 3}) {
    for (int i = 0; i < 10; ++i) {
      for (int j = 0; j < 8; ++j) {
        const double x = 5 + 20 * i, y = 5 + 18 * j, z = 20.0 * h + 0.2 * x - 0.1 * y;
        s << row++ << "," << x << "," << y << "," << z << "," << h << ",strati\n";
      }
    }
  }
  if (outside) s << row << ",100,75,130,3,strati\n";
  return s.str();
}

/// Largest |channel - field| over the voxel centres of a model file.
double worstMisfit(const std::string& path, const char* channel) {
  const orevox::VoxelModel model = orevox::readVolume(path);
  const orevox::VolumeSpec& s = model.spec();
  const std::vector<float> values = model.denseChannel(channel);
  double worst = 0;
  for (std::size_t k = 0; k < s.nz; ++k)
    for (std::size_t j = 0; j < s.ny; ++j)
      for (std::size_t i = 0; i < s.nx; ++i)
        worst = std::max(worst, std::abs(values[s.index(i, j, k)] -
                                         field(s.centreX(i), s.centreY(j), s.centreZ(k))));
  return worst;
}

}  // namespace

TEST_F(CliTest, ModelBuildInterpolatesAFieldAndWritesItsInterfaces) {
  write("horizons.csv", horizonTable(false));
  const double n = std::sqrt(0.04 + 0.01 + 1.0);
  std::ostringstream normals;
  normals << "X,Y,Z,feature_name,nx,ny,nz\n100,75,50,strati," << -0.2 / n << "," << 0.1 / n << ","
          << 1 / n << "\n";
  write("normals.csv", normals.str());
  const auto r = run({"model",          "build",
                      "--points",       path("horizons.csv"),
                      "--points",       path("normals.csv"),
                      "--cell",         "10",
                      "--extent",       "0,0,0,200,150,100",
                      "--cg-tolerance", "1e-9",
                      "--out",          path("m.vdb"),
                      "--surfaces",     path("surfaces"),
                      "--vti",          path("m.vti"),
                      "--report",       path("r.json"),
                      "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  const orevox::VoxelModel model = orevox::readVolume(path("m.vdb"));
  const orevox::VolumeSpec& s = model.spec();
  ASSERT_EQ(s.nx, 20u);
  ASSERT_EQ(s.ny, 15u);
  ASSERT_EQ(s.nz, 10u);
  const double worst = worstMisfit(path("m.vdb"), "strati");
  EXPECT_LT(worst, 1e-4);
  EXPECT_TRUE(fs::exists(path("m.vti")));
  for (int h : {1, 3}) {
    const std::string stem = path("surfaces/strati_" + std::to_string(h));
    ASSERT_TRUE(fs::exists(stem + ".vtp"));
    const orevox::TriangleMesh mesh = orevox::readMesh(stem + ".ts");
    ASSERT_GT(mesh.triangleCount(), 100u);
    double off = 0;
    for (const auto& v : mesh.vertices)
      off = std::max(off, std::abs(v.z() - (20.0 * h + 0.2 * v.x() - 0.1 * v.y())));
    EXPECT_LT(off, 1e-2) << stem;  // a plane's isosurface lies on the plane
  }
  std::ifstream in(path("r.json"));
  const auto report = nlohmann::json::parse(in);
  const auto& f = report["results"]["model"]["features"][0];
  EXPECT_EQ(f["name"], "strati");
  EXPECT_EQ(f["value_points"], 160);
  EXPECT_EQ(f["orientations"], 1);
  EXPECT_EQ(f["converged"], true);
  EXPECT_EQ(report["parameters"]["interpolator"], "fdi");
}

TEST_F(CliTest, ModelBuildBadInputIsOneLineAndWritesNothing) {
  write("horizons.csv", horizonTable(true));
  const auto r =
      run({"model", "build", "--points", path("horizons.csv"), "--cell", "10", "--extent",
           "0,0,0,200,150,100", "--out", path("m.vdb"), "--surfaces", path("surfaces")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(path("horizons.csv") + ":162: value '100,75,130': feature 'strati': "
                                              "constraint outside the model box (z 0 to 100)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(lineCount(r.err), 1);
  EXPECT_FALSE(fs::exists(path("m.vdb")));
  EXPECT_FALSE(fs::exists(path("surfaces")));
  EXPECT_EQ(run({"model", "build", "--points", path("horizons.csv"), "--out", path("m.vdb")}).code,
            2);
  EXPECT_EQ(run({"model", "build", "--points", path("horizons.csv"), "--cell", "0", "--out",
                 path("m.vdb")})
                .code,
            2);
  EXPECT_EQ(run({"model", "build", "--points", path("horizons.csv"), "--cell", "10", "--like",
                 path("horizons.csv"), "--out", path("m.vdb")})
                .code,
            2);
}

TEST_F(CliTest, ModelBuildWithRbfReproducesALinearField) {
  write("horizons.csv", horizonTable(false));
  for (const char* kernel : {"cubic", "gaussian"}) {
    const auto r = run({"model", "build", "--points", path("horizons.csv"), "--cell", "10",
                        "--extent", "0,0,0,200,150,100", "--interpolator", "rbf", "--rbf-kernel",
                        kernel, "--out", path("m.vdb"), "--report", path("r.json"), "--quiet"});
    ASSERT_EQ(r.code, 0) << r.err;
    const double worst = worstMisfit(path("m.vdb"), "strati");
    EXPECT_LT(worst, 1e-3) << kernel;
    std::ifstream in(path("r.json"));
    const auto report = nlohmann::json::parse(in);
    EXPECT_EQ(report["parameters"]["interpolator"], "rbf");
    EXPECT_EQ(report["parameters"]["rbf-kernel"], kernel);
  }
}

TEST_F(CliTest, ModelFeaturesGivesDistanceDipAndDipDirectionOfASurface) {
  // A fault plane z = 50 + 0.5 x (dips 26.57 degrees towards the west, 270) as a TSurf.
  write("fault.ts",
        "GOCAD TSurf 1\nHEADER {\nname:fault\n}\nTFACE\nVRTX 1 -100 -100 0\nVRTX 2 300 -100 200\n"
        "VRTX 3 300 300 200\nVRTX 4 -100 300 0\nTRGL 1 2 3\nTRGL 1 3 4\nEND\n");
  write("horizons.csv", horizonTable(false));
  ASSERT_EQ(run({"model", "build", "--points", path("horizons.csv"), "--cell", "10", "--extent",
                 "0,0,0,200,150,100", "--out", path("m.vdb"), "--quiet"})
                .code,
            0);
  const auto r =
      run({"model", "features", "--model", path("m.vdb"), "--surface", path("fault.ts") + ":f1",
           "--out", path("feat.vdb"), "--report", path("r.json"), "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  const orevox::VoxelModel feat = orevox::readVolume(path("feat.vdb"));
  EXPECT_TRUE(feat.hasChannel("strati"));  // the model's channels are kept
  const orevox::VolumeSpec& s = feat.spec();
  const std::vector<float> d = feat.denseChannel("f1_distance"), dip = feat.denseChannel("f1_dip"),
                           dir = feat.denseChannel("f1_dip_direction");
  const double expectedDip = std::atan(0.5) * 180 / M_PI;
  for (std::size_t k = 0; k < s.nz; ++k)
    for (std::size_t j = 0; j < s.ny; ++j)
      for (std::size_t i = 0; i < s.nx; ++i) {
        const std::size_t n = s.index(i, j, k);
        // Distance to the plane, positive above it (hanging wall).
        EXPECT_NEAR(d[n], (s.centreZ(k) - 50 - 0.5 * s.centreX(i)) / std::sqrt(1.25), 1e-3);
        EXPECT_NEAR(dip[n], expectedDip, 1e-3);
        EXPECT_NEAR(dir[n], 270.0, 1e-3);
      }
  EXPECT_EQ(feat.units("f1_dip"), "degrees");
  // --model and --like are exclusive; one is needed.
  EXPECT_EQ(run({"model", "features", "--surface", path("fault.ts"), "--out", path("x.vdb")}).code,
            2);
  EXPECT_FALSE(fs::exists(path("x.vdb")));
}
