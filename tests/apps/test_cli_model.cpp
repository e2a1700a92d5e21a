// `orevox model build`: a linear field from two constraint tables, its channel and its
// interfaces checked against the plane they came from; bad input exits with one line and
// writes nothing.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_test_helpers.hpp"
#include "orevox/datasets/mesh_io.hpp"
#include "orevox/datasets/volume_io.hpp"
#include "orevox/geomodel/implicit_field.hpp"
#include "shared_datasets.hpp"

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

namespace {

/// Two series on a 100 x 80 x 100 m box: `lower` (field z; horizons A at 20 and B at 40,
/// given as contact points named after the horizons, without val) and `upper` (field
/// z - 0.4 x; horizons C at 30 and D at 60, with val).
std::pair<std::string, std::string> twoSeries() {
  std::ostringstream lower, upper;
  lower << "X,Y,Z,name\n";
  upper << "X,Y,Z,feature_name,val\n";
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 8; ++j) {
      const double x = 5 + 10 * i, y = 5 + 10 * j;
      lower << x << "," << y << ",20,A\n" << x << "," << y << ",40,B\n";
      upper << x << "," << y << "," << 30 + 0.4 * x << ",upper,30\n"
            << x << "," << y << "," << 60 + 0.4 * x << ",upper,60\n";
    }
  return {lower.str(), upper.str()};
}

}  // namespace

TEST_F(CliTest, ModelBuildStratigraphyGivesUnitsOfErodingAndOnlappingSeries) {
  write("lower.csv", twoSeries().first);
  write("upper.csv", twoSeries().second);
  for (const char* relation : {"erode", "onlap"}) {
    const bool erode = std::string(relation) == "erode";
    write("s.csv", std::string("series,horizon,value,order,relation\n") + "upper,D,60,1," +
                       relation + "\nupper,C,30,2,\nlower,B,40,3,\nlower,A,20,4,\n");
    const auto r = run({"model",          "build",
                        "--points",       path("lower.csv"),
                        "--points",       path("upper.csv"),
                        "--stratigraphy", path("s.csv"),
                        "--cell",         "10",
                        "--extent",       "0,0,0,100,80,100",
                        "--cg-tolerance", "1e-9",
                        "--out",          path("m.vdb"),
                        "--surfaces",     path("surfaces"),
                        "--report",       path("r.json"),
                        "--quiet"});
    ASSERT_EQ(r.code, 0) << r.err;
    const orevox::VoxelModel model = orevox::readVolume(path("m.vdb"));
    const orevox::VolumeSpec& s = model.spec();
    const std::vector<float> unit = model.denseChannel("unit");
    std::size_t wrong = 0, count[5] = {0, 0, 0, 0, 0};
    for (std::size_t k = 0; k < s.nz; ++k)
      for (std::size_t j = 0; j < s.ny; ++j)
        for (std::size_t i = 0; i < s.nx; ++i) {
          const double x = s.centreX(i), z = s.centreZ(k), u = z - 0.4 * x;
          // By hand: ids count up from the oldest unit (A = 1). Erode: the upper series
          // where its field reaches C (30); C = 3, D = 4. Onlap: the upper series above the
          // lower's top horizon B (z = 40), which then bounds no unit; C = 2, D = 3.
          int expected;
          if (erode ? u >= 30 : z >= 40)
            expected = (u >= 60 ? 4 : 3) - (erode ? 0 : 1);
          else
            expected = z >= 40 ? 2 : z >= 20 ? 1 : 0;
          const int got = int(unit[s.index(i, j, k)]);
          ++count[std::min(got, 4)];
          if (got != expected) ++wrong;
        }
    EXPECT_EQ(wrong, 0u) << relation;
    EXPECT_GT(count[erode ? 2 : 1], 0u);
    std::ifstream in(path("r.json"));
    const auto report = nlohmann::json::parse(in);
    const auto& units = report["results"]["model"]["units"];
    ASSERT_EQ(units.size(), erode ? 5u : 4u) << units.dump();
    EXPECT_EQ(units[1]["name"], "A");
    EXPECT_EQ(units[erode ? 3 : 2]["name"], "C");
    for (std::size_t id = 0; id < units.size(); ++id)
      EXPECT_EQ(units[id]["voxels"].get<std::size_t>(), count[id]) << relation << " unit " << id;
    // The eroded horizon B is meshed only where the upper series does not cut it (x > 25:
    // z - 0.4 x < 30 at z = 40); the onlap surface B is kept whole.
    const orevox::TriangleMesh b = orevox::readMesh(path("surfaces/lower_40.ts"));
    ASSERT_GT(b.triangleCount(), 0u);
    double xmin = 1e9, xmax = -1e9;
    for (const auto& v : b.vertices) {
      xmin = std::min(xmin, v.x());
      xmax = std::max(xmax, v.x());
      EXPECT_NEAR(v.z(), 40.0, 1e-3);
    }
    EXPECT_LT(xmax, 100.0);
    if (erode) {
      EXPECT_GT(xmin, 25.0 - 10.0);
      EXPECT_LT(xmin, 25.0 + 10.0);
    } else {
      EXPECT_LE(xmin, 10.0 + 1e-6);  // the isosurface ends within the outermost voxels
    }
    EXPECT_EQ(orevox::readMesh(path("surfaces/upper_60.ts")).name, "D");
    fs::remove_all(path("surfaces"));
  }
}

TEST_F(CliTest, ModelBuildBadStratigraphyIsOneLineAndWritesNothing) {
  write("lower.csv", twoSeries().first);
  write("upper.csv", twoSeries().second);
  auto fails = [&](const std::string& table, const std::string& message) {
    write("s.csv", "series,horizon,value,order,relation\n" + table);
    const auto r =
        run({"model", "build", "--points", path("lower.csv"), "--points", path("upper.csv"),
             "--stratigraphy", path("s.csv"), "--cell", "10", "--extent", "0,0,0,100,80,100",
             "--out", path("m.vdb"), "--surfaces", path("surfaces")});
    EXPECT_EQ(r.code, 1) << table;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_EQ(lineCount(r.err), 1) << r.err;
    EXPECT_FALSE(fs::exists(path("m.vdb")));
    EXPECT_FALSE(fs::exists(path("surfaces")));
  };
  // B is younger than A (order 3 before 4) but has the smaller value.
  fails("upper,D,60,1,erode\nupper,C,30,2,\nlower,B,10,3,\nlower,A,20,4,\n",
        path("s.csv") + ":5: column 'value': value '20': contradictory order: horizon 'A' " +
            "(order 4) is older than 'B' (order 3) but its value is not below 10");
  fails("upper,D,60,1,erode\nupper,C,30,2,\nlower,B,,3,\nlower,A,20,4,\n",
        path("s.csv") + ":4:3: column 'value': horizon 'B' has no value");
  fails("upper,D,60,1,erode\nlower,B,40,2,\nupper,C,30,3,\nlower,A,20,4,\n",
        "contradictory order: series 'upper' is split by horizon 'B' of series 'lower'");
  fails("upper,D,60,1,erode\nupper,C,30,1,\nlower,B,40,3,\nlower,A,20,4,\n",
        ":3: column 'order': value '1': contradictory order: horizons 'D' (line 2) and 'C' have "
        "the same order");
  // A series named nowhere in the constraint tables.
  fails("upper,D,60,1,erode\nupper,C,30,2,\nlower,B,40,3,\nlower,A,20,4,\nbasement,Z,0,5,\n",
        path("s.csv") +
            ":6: column 'series': value 'basement': series 'basement' has no "
            "constraint");
  // Too few constraints: the lower series from the points of one horizon only (A), flat.
  write("lower.csv", "X,Y,Z,name\n5,5,20,A\n95,5,20,A\n5,75,20,A\n");
  fails("upper,D,60,1,erode\nupper,C,30,2,\nlower,B,40,3,\nlower,A,20,4,\n",
        "feature 'lower' has 3 points of one value and no orientation: its field is undetermined");
}

namespace {

/// A fault dipping 60 degrees east (azimuth 90) through (100, y, 100): normal n = (sin 60,
/// 0, cos 60), hanging wall where n . (p - p0) > 0. Horizons of `strati` at z = 100 (val
/// 100) and z = 50 (val 50) in the footwall, moved by 40 m down the dip, (20, 0, -34.64),
/// in the hanging wall.
const double kSin60 = std::sqrt(3.0) / 2.0, kThrow = 40.0 * kSin60;

double faultSide(double x, double z) { return (x - 100.0) * kSin60 + (z - 100.0) * 0.5; }

std::string faultedTables() {
  std::ostringstream s;
  s << "X,Y,Z,feature_name,val,dip,azimuth\n";
  for (double z : {30.0, 60.0, 90.0, 120.0, 150.0, 180.0})
    for (double y : {10.0, 50.0, 90.0})
      s << 100.0 - (z - 100.0) * 0.5 / kSin60 << "," << y << "," << z << ",fault_a,0,,\n";
  s << "100,50,100,fault_a,,60,90\n";
  for (double y : {10.0, 30.0, 50.0, 70.0, 90.0}) {
    for (double x : {5.0, 25.0, 45.0, 65.0, 85.0})
      s << x << "," << y << ",100,strati,100,,\n" << x << "," << y << ",50,strati,50,,\n";
    for (double x : {145.0, 165.0, 185.0})
      s << x << "," << y << "," << 100 - kThrow << ",strati,100,,\n";
    for (double x : {165.0, 185.0}) s << x << "," << y << "," << 50 - kThrow << ",strati,50,,\n";
  }
  return s.str();
}

}  // namespace

TEST_F(CliTest, ModelBuildOffsetsAHorizonAcrossAFault) {
  write("points.csv", faultedTables());
  write("d.csv", "fault,displacement\nfault_a,40\n");
  // With the displacement: one field in restored space; without: each block its own.
  for (const bool displaced : {true, false}) {
    std::vector<std::string> args = {"model",          "build",
                                     "--points",       path("points.csv"),
                                     "--faults",       displaced ? "auto" : "fault_a",
                                     "--cell",         "10",
                                     "--extent",       "0,0,0,200,100,200",
                                     "--cg-tolerance", "1e-9",
                                     "--out",          path("m.vdb"),
                                     "--surfaces",     path("surfaces"),
                                     "--report",       path("r.json"),
                                     "--quiet"};
    if (displaced) {
      args.push_back("--fault-displacement");
      args.push_back(path("d.csv"));
    }
    const auto r = run(args);
    ASSERT_EQ(r.code, 0) << r.err;
    // The horizon at 100 on each side, away from the fault (x 100 to 120 at these depths).
    const orevox::TriangleMesh h = orevox::readMesh(path("surfaces/strati_100.ts"));
    std::size_t foot = 0, hanging = 0;
    for (const auto& v : h.vertices) {
      if (v.x() < 85) {
        EXPECT_NEAR(v.z(), 100.0, 0.5) << v.transpose();
        ++foot;
      } else if (v.x() > 135) {
        EXPECT_NEAR(v.z(), 100.0 - kThrow, 0.5) << v.transpose();
        ++hanging;
      }
    }
    EXPECT_GT(foot, 50u);
    EXPECT_GT(hanging, 30u);
    // The fault's signed distance (hanging wall +) is n . (p - p0) inside the box, and
    // the report counts the hanging-wall voxels by the same test.
    const orevox::VoxelModel model = orevox::readVolume(path("m.vdb"));
    const orevox::VolumeSpec& s = model.spec();
    const std::vector<float> d = model.denseChannel("fault_a_distance");
    std::size_t hangingVoxels = 0, checked = 0;
    for (std::size_t k = 0; k < s.nz; ++k)
      for (std::size_t j = 0; j < s.ny; ++j)
        for (std::size_t i = 0; i < s.nx; ++i) {
          const double x = s.centreX(i), y = s.centreY(j), z = s.centreZ(k);
          const double expected = faultSide(x, z);
          if (expected > 0) ++hangingVoxels;
          if (y < 25 || y > 75 || z < 40 || z > 160 || std::abs(expected) > 30) continue;
          EXPECT_NEAR(d[s.index(i, j, k)], expected, 0.05) << x << " " << y << " " << z;
          ++checked;
        }
    EXPECT_GT(checked, 100u);
    std::ifstream in(path("r.json"));
    const auto report = nlohmann::json::parse(in);
    const auto& fault = report["results"]["model"]["faults"][0];
    EXPECT_EQ(fault["name"], "fault_a");
    EXPECT_EQ(fault["hanging_wall_voxels"].get<std::size_t>(), hangingVoxels);
    if (displaced) {
      EXPECT_EQ(fault["displacement"], 40.0);
      EXPECT_NEAR(fault["slip"][0].get<double>(), 0.5, 1e-9);
      EXPECT_NEAR(fault["slip"][2].get<double>(), -kSin60, 1e-9);
    } else {
      EXPECT_EQ(report["results"]["model"]["features"][1]["fault_blocks"], 2);
    }
    EXPECT_TRUE(fs::exists(path("surfaces/fault_a_0.ts")));
    fs::remove_all(path("surfaces"));
  }
}

TEST_F(CliTest, ModelBuildBadFaultsAreOneLineAndWriteNothing) {
  write("points.csv", faultedTables());
  write("d.csv", "fault,displacement\nfault_a,40\nfault_b,10\n");
  const auto r = run({"model", "build", "--points", path("points.csv"), "--faults", "fault_a",
                      "--fault-displacement", path("d.csv"), "--cell", "10", "--extent",
                      "0,0,0,200,100,200", "--out", path("m.vdb"), "--surfaces", path("surfaces")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(path("d.csv") + ":3: column 'fault': value 'fault_b': fault 'fault_b' is "
                                       "not one of the model's faults (--faults)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(lineCount(r.err), 1);
  EXPECT_FALSE(fs::exists(path("m.vdb")));
  EXPECT_FALSE(fs::exists(path("surfaces")));
  write("d.csv", "fault,displacement,radius\nfault_a,,100\n");
  const auto r2 = run({"model", "build", "--points", path("points.csv"), "--faults", "auto",
                       "--fault-displacement", path("d.csv"), "--cell", "10", "--extent",
                       "0,0,0,200,100,200", "--out", path("m.vdb")});
  EXPECT_EQ(r2.code, 1);
  EXPECT_NE(r2.err.find(path("d.csv") + ":2:2: column 'displacement': missing value"),
            std::string::npos)
      << r2.err;
  EXPECT_EQ(run({"model", "build", "--points", path("points.csv"), "--faults", "nofault", "--cell",
                 "10", "--extent", "0,0,0,200,100,200", "--out", path("m.vdb")})
                .code,
            2);
  EXPECT_FALSE(fs::exists(path("m.vdb")));
}

namespace {

/// The comma-separated fields of every line of a small CSV (header included).
std::vector<std::vector<std::string>> csvRows(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> fields;
    std::stringstream s(line);
    std::string field;
    while (std::getline(s, field, ',')) fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

}  // namespace

TEST_F(CliTest, ModelBuildHamersleyFaultedStratigraphy) {
  OREVOX_SHARED_DATASET(contacts,
                        "loopstructural_datasets/geological_map_data_hamersley/contacts.csv");
  const std::string dir = fs::path(contacts).parent_path().string() + "/";
  // The stratigraphy table from LoopStructural's order and thickness files: a horizon's
  // value is the summed thickness of the units below it (map2loop's convention).
  std::map<std::string, double> thickness;
  for (const auto& r : csvRows(dir + "stratigraphic_thickness.csv"))
    if (r.size() == 2 && !r[0].empty()) thickness[r[0]] = std::atof(r[1].c_str());
  std::vector<std::string> order;  // youngest first
  for (const auto& r : csvRows(dir + "stratigraphic_order.csv"))
    if (r.size() == 3 && r[0] != "group") order.push_back(r[2]);
  ASSERT_EQ(order.size(), 12u);
  std::map<std::string, double> value;
  double sum = 0;
  for (std::size_t i = order.size(); i-- > 0;) {
    value[order[i]] = sum;
    sum += thickness.at(order[i]);
  }
  std::ostringstream strat;
  strat << "series,horizon,value,order\n";
  for (std::size_t i = 0; i < order.size(); ++i)
    strat << "hamersley," << order[i] << "," << value[order[i]] << "," << i + 1 << "\n";
  write("s.csv", strat.str());
  const auto r = run({"model",
                      "build",
                      "--points",
                      contacts + "," + dir + "stratigraphic_orientations.csv," + dir +
                          "fault_locations.csv," + dir + "fault_orientations.csv",
                      "--stratigraphy",
                      path("s.csv"),
                      "--faults",
                      "auto",
                      "--fault-displacement",
                      dir + "fault_displacement.csv",
                      "--cell",
                      "1000,500",
                      "--coarsest-voxels",
                      "4",
                      "--extent",
                      "519000,7489000,-4800,555000,7517000,1600",
                      "--out",
                      path("h.vdb"),
                      "--surfaces",
                      path("surfaces"),
                      "--report",
                      path("r.json"),
                      "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::ifstream in(path("r.json"));
  const auto report = nlohmann::json::parse(in)["results"]["model"];
  // Every fault of the displacement file, with its displacement.
  std::size_t faults = 0;
  for (const auto& row : csvRows(dir + "fault_displacement.csv")) {
    if (row.size() != 2 || row[0] == "Fault") continue;
    bool found = false;
    for (const auto& f : report["faults"])
      if (f["name"] == row[0]) {
        found = true;
        EXPECT_NEAR(f["displacement"].get<double>(), std::atof(row[1].c_str()), 1e-9);
        EXPECT_GT(f["hanging_wall_voxels"].get<std::size_t>(), 0u);
        EXPECT_TRUE(fs::exists(path("surfaces/" + row[0] + "_0.ts")));
      }
    EXPECT_TRUE(found) << row[0];
    ++faults;
  }
  EXPECT_EQ(faults, 6u);
  EXPECT_EQ(report["units"].size(), 13u);
  // The series' field at the 656 contact points against their horizons' values (metres of
  // stratigraphic thickness): measured median 82 m at these cells (54 m at 500 m cells);
  // the thinnest unit is 152 m thick.
  const orevox::VoxelModel model = orevox::readVolume(path("h.vdb"));
  const std::vector<float> field = model.denseChannel("hamersley");
  std::vector<double> misfit;
  for (const auto& row : csvRows(contacts)) {
    if (row.size() != 4 || row[0] == "X") continue;
    const Eigen::Vector3d p(std::atof(row[0].c_str()), std::atof(row[1].c_str()),
                            std::atof(row[2].c_str()));
    misfit.push_back(std::abs(orevox::sampleTrilinear(model.spec(), field, p) - value.at(row[3])));
  }
  ASSERT_EQ(misfit.size(), 656u);
  std::nth_element(misfit.begin(), misfit.begin() + 328, misfit.end());
  EXPECT_LT(misfit[328], 120.0);
}
