// orevox convert, orevox drillholes grid and orevox sample, run in-process: outputs checked
// against values computed by hand, exit codes, one-line messages, no output from a failed run.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_test_helpers.hpp"
#include "orevox/datasets/volume_io.hpp"

using namespace orevox;
namespace fs = std::filesystem;
using namespace orevox_test;

namespace {

/// A 3 x 2 x 2 model with a float channel (one inactive voxel), a code channel and units.
VoxelModel smallModel() {
  VolumeSpec spec;
  spec.nx = 3;
  spec.ny = 2;
  spec.nz = 2;
  spec.origin = {500.0, 1000.0, -40.0};
  spec.spacing = {10.0, 10.0, 5.0};
  VoxelModel m(spec);
  m.addChannel("cu", 0.0f, "%");
  m.addChannel("rock", 0.0f);
  for (std::size_t k = 0; k < 2; ++k)
    for (std::size_t j = 0; j < 2; ++j)
      for (std::size_t i = 0; i < 3; ++i) {
        const std::size_t e = spec.index(i, j, k);
        if (e != 4) m.setValue("cu", i, j, k, 0.25f * float(e) + 0.125f);
        m.setValue("rock", i, j, k, float(e % 3));
      }
  return m;
}

}  // namespace

TEST_F(CliTest, ConvertBetweenEveryVolumeFormatKeepsValues) {
  const VoxelModel model = smallModel();
  model.write(path("m.vdb"));
  std::string previous = path("m.vdb");
  for (const std::string name : {"m.vo", "m.vti", "m.csv", "back.vdb"}) {
    const auto r = run({"convert", previous, path(name), "--quiet"});
    ASSERT_EQ(r.code, 0) << name << ": " << r.err;
    const VoxelModel back = readVolume(path(name));
    EXPECT_TRUE(back.spec().sameGrid(model.spec(), 1e-9)) << name;
    for (const std::string channel : {"cu", "rock"}) {
      EXPECT_EQ(back.activeMask(channel), model.activeMask(channel)) << name << " " << channel;
      EXPECT_EQ(back.denseChannel(channel), model.denseChannel(channel)) << name << " " << channel;
    }
    previous = path(name);
  }
  const auto r = run({"convert", path("m.vdb"), path("cu.vo"), "--channels", "cu", "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(readVolume(path("cu.vo")).channelNames(), std::vector<std::string>{"cu"});
}

TEST_F(CliTest, ConvertErrorsAreOneLineAndKeepTheOldOutput) {
  smallModel().write(path("m.vdb"));
  write("old.vo", "good");
  auto r = run({"convert", path("m.vdb"), path("x.nc")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unsupported volume file"), std::string::npos) << r.err;
  r = run({"convert", path("m.vdb"), path("old.vo"), "--channels", "zn"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--channels: 'zn' is not a channel"), std::string::npos) << r.err;
  write("bad.vo", "GOCAD Voxet 1\nAXIS_N 2 2 q\n");
  r = run({"convert", path("bad.vo"), path("old.vo")});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(lineCount(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("bad.vo:2: value 'q': not a finite number"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(path("old.vo")), "good");
  EXPECT_EQ(fileCount(), 3u);  // m.vdb, old.vo, bad.vo: no temporary file left
}

namespace {

class GridCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    // Two composites 3 apart along x; the box 0..4 x 0..1 x 0..1 of 1 m voxels has centres
    // 0.5, 1.5, 2.5, 3.5: IDW (p = 2) gives 1, (1 + 3/4) / 1.25 = 1.4, 2.6 and 3.
    write("c.csv",
          "hole,from,to,x,y,z,CU,LITH\nA,0,1,0.5,0.5,0.5,1,MS\nB,0,1,3.5,0.5,0.5,3,VOLC\n");
  }
  std::vector<std::string> base() const {
    return {"drillholes", "grid",        "--intervals", path("c.csv"), "--fields",
            "CU,LITH",    "--cell",      "1",           "--extent",    "0,0,0,4,1,1",
            "--out",      path("g.vdb"), "--quiet"};
  }
};

}  // namespace

TEST_F(GridCli, IdwLabelsAndAllThreeFormatsByHand) {
  std::vector<std::string> args = base();
  const std::string cube = std::string(OREVOX_SOURCE_DIR) + "/tests/data/meshes/cube_ascii.stl";
  args.insert(args.end(), {"--label", "CU<2", "--label-mesh", cube, "--vti", path("g.vti"),
                           "--voxet", path("g.vo"), "--report", path("r.json")});
  const auto r = run(args);
  ASSERT_EQ(r.code, 0) << r.err;
  for (const std::string file : {"g.vdb", "g.vti", "g.vo"}) {
    const VoxelModel m = readVolume(path(file));
    ASSERT_EQ(m.spec().nx, 4u) << file;
    EXPECT_EQ(m.spec().ny * m.spec().nz, 1u);
    const std::vector<float> cu = m.denseChannel("CU");
    EXPECT_NEAR(cu[0], 1.0f, 1e-6);
    EXPECT_NEAR(cu[1], 1.4f, 1e-6);
    EXPECT_NEAR(cu[2], 2.6f, 1e-6);
    EXPECT_NEAR(cu[3], 3.0f, 1e-6);
    EXPECT_EQ(m.denseChannel("LITH"), (std::vector<float>{0, 0, 1, 1}))
        << file;                                            // 0 = MS, 1 = VOLC
    EXPECT_NEAR(m.denseChannel("LITH_MS")[1], 0.8f, 1e-6);  // 1 / 1.25
    EXPECT_EQ(m.denseChannel("label"), (std::vector<float>{1, 1, 0, 0})) << file;
    EXPECT_EQ(m.denseChannel("label_mesh"), (std::vector<float>{1, 0, 0, 0})) << file;
  }
  std::ifstream in(path("r.json"));
  const auto report = nlohmann::json::parse(in);
  EXPECT_EQ(report["command"], "drillholes grid");
  EXPECT_NEAR(report["results"]["grid"]["dice"].get<double>(), 2.0 / 3.0, 1e-12);
  EXPECT_EQ(report["results"]["grid"]["codes"]["LITH"], (std::vector<std::string>{"MS", "VOLC"}));
  EXPECT_EQ(report["outputs"].size(), 9u);  // .vdb, .vti, .vo and its 6 property files
}

TEST_F(GridCli, MaxDistanceLeavesVoxelsInactive) {
  std::vector<std::string> args = base();
  args.insert(args.end(), {"--max-distance", "0.9"});
  ASSERT_EQ(run(args).code, 0);
  const VoxelModel m = readVolume(path("g.vdb"));
  EXPECT_EQ(m.activeMask("CU"), (std::vector<std::uint8_t>{1, 0, 0, 1}));
}

TEST_F(GridCli, FailedRunsWriteNothingAndKeepOldFiles) {
  write("g.vdb", "old");
  std::vector<std::string> args = base();
  args.insert(args.end(), {"--vti", path("g.vti"), "--label-mesh", path("missing.stl")});
  auto r = run(args);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(lineCount(r.err), 1) << r.err;
  EXPECT_EQ(slurp(path("g.vdb")), "old");
  EXPECT_FALSE(fs::exists(path("g.vti")));
  args = base();
  args.insert(args.end(), {"--label", "ZN>=1"});
  r = run(args);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--label: 'ZN' is not one of --fields"), std::string::npos) << r.err;
  args = base();
  args.insert(args.end(), {"--ellipsoid", "0,0,0,10,0,5"});
  r = run(args);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--ellipsoid"), std::string::npos) << r.err;
  args = base();
  args[5] = "CU,AU";
  r = run(args);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--fields: 'AU' is not a field of"), std::string::npos) << r.err;
  write("bad.csv", "hole,from,to,x,y,z,CU\nA,0,1,0.5,,0.5,1\n");
  args = base();
  args[3] = path("bad.csv");
  args[5] = "CU";
  r = run(args);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(
      r.err.find("bad.csv:2:5: column 'y': value '(blank)': a composite without a coordinate"),
      std::string::npos)
      << r.err;
  EXPECT_EQ(slurp(path("g.vdb")), "old");
  // Outputs are declared before the estimation: one replacing the input, or a path given
  // for two outputs, is a usage error before any work.
  const std::string intervals = slurp(path("c.csv"));
  args = base();
  args.insert(args.end(), {"--method", "kriging", "--variograms", path("c.csv")});
  r = run(args);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--variograms"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("is the input --intervals"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(path("c.csv")), intervals);
  // A good run replaces the old output, with the Voxet's files in the same batch.
  args = base();
  args[5] = "CU";
  args.insert(args.end(), {"--voxet", path("g.vo")});
  r = run(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(slurp(path("g.vdb")), "old");
  EXPECT_EQ(fileCount(), 5u);  // c.csv, bad.csv, g.vdb, g.vo and its CU file
}

TEST_F(CliTest, KrigingIsExactAtCompositesAndWritesVariograms) {
  // 30 composites on the centres of a 6 x 5 x 1 box: kriging honours each (variance 0).
  std::string csv = "hole,from,to,x,y,z,AU\n";
  std::vector<double> values;
  for (int j = 0; j < 5; ++j)
    for (int i = 0; i < 6; ++i) {
      const double v = 1.0 + std::sin(0.9 * i) * std::cos(0.7 * j) + 0.05 * ((i * 7 + j * 3) % 5);
      values.push_back(v);
      std::ostringstream row;
      row.precision(17);
      row << "H" << i << "_" << j << ",0,1," << i + 0.5 << "," << j + 0.5 << ",0.5," << v << "\n";
      csv += row.str();
    }
  write("c.csv", csv);
  std::vector<std::string> args = {
      "drillholes", "grid",        "--intervals", path("c.csv"), "--fields",     "AU",
      "--cell",     "1",           "--extent",    "0,0,0,6,5,1", "--method",     "kriging",
      "--lags",     "4",           "--max-lag",   "4",           "--variograms", path("v.csv"),
      "--out",      path("k.vdb"), "--quiet"};
#ifdef OREVOX_WITH_VIZ
  args.insert(args.end(), {"--variogram-figure", path("v.png")});
#endif
  const auto r = run(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const VoxelModel m = readVolume(path("k.vdb"));
  const auto au = m.denseChannel("AU"), var = m.denseChannel("AU_variance");
  ASSERT_EQ(au.size(), values.size());
  for (std::size_t v = 0; v < values.size(); ++v) {
    EXPECT_NEAR(au[v], values[v], 1e-5);
    EXPECT_NEAR(var[v], 0.0, 1e-5);
  }
  const std::string table = slurp(path("v.csv"));
  EXPECT_EQ(table.rfind("field,direction,lag,distance,pairs,gamma,model_gamma\nAU,omni,1,", 0), 0u)
      << table;
  EXPECT_NE(table.find("\nAU,model,spherical,"), std::string::npos) << table;
#ifdef OREVOX_WITH_VIZ
  EXPECT_TRUE(fs::exists(path("v.png")));
#endif
  // --variograms needs kriging.
  args = {"drillholes", "grid", "--intervals",  path("c.csv"), "--fields", "AU",
          "--cell",     "1",    "--variograms", path("w.csv"), "--out",    path("i.vdb")};
  EXPECT_EQ(run(args).code, 2);
  EXPECT_FALSE(fs::exists(path("i.vdb")));
}

TEST_F(CliTest, SampleNearestAndLinearByHand) {
  smallModel().write(path("m.vdb"));
  // Centres x 505, 515, 525; y 1005, 1015; z -37.5, -32.5; cu = 0.25 e + 0.125 (e = 4
  // inactive), rock = e % 3, e = i + 3 j + 6 k.
  write("p.csv",
        "id,X,Y,Z,cu,note\n"
        "a,505,1005,-37.5,9,\"first, exact\"\n"
        "b,510,1005,-37.5,9,halfway\n"
        "c,499,1005,-37.5,9,outside\n"
        "d,515,1015,-37.5,9,inactive cu\n"
        "e,520,1010,-35,9,middle of 8\n");
  auto r = run({"sample", "--volume", path("m.vdb"), "--points", path("p.csv"), "--x", "X", "--y",
                "Y", "--z", "Z", "--out", path("n.csv"), "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(slurp(path("n.csv")),
            "id,X,Y,Z,cu,note,cu_sampled,rock\n"
            "a,505,1005,-37.5,9,\"first, exact\",0.125,0\n"
            "b,510,1005,-37.5,9,halfway,0.375,1\n"
            "c,499,1005,-37.5,9,outside,,\n"
            "d,515,1015,-37.5,9,inactive cu,,1\n"
            "e,520,1010,-35,9,middle of 8,2.875,2\n");
  r = run({"sample", "--volume", path("m.vdb"), "--points", path("p.csv"), "--x", "X", "--y", "Y",
           "--z", "Z", "--interp", "linear", "--out", path("l.csv"), "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(slurp(path("l.csv")),
            "id,X,Y,Z,cu,note,cu_sampled,rock\n"
            "a,505,1005,-37.5,9,\"first, exact\",0.125,0\n"
            "b,510,1005,-37.5,9,halfway,0.25,0.5\n"
            "c,499,1005,-37.5,9,outside,,\n"
            "d,515,1015,-37.5,9,inactive cu,,1\n"
            "e,520,1010,-35,9,middle of 8,,1.5\n");
  write("bad.csv", "X,Y,Z\n1,2,3\n4,x,6\n");
  write("old.csv", "good");
  r = run({"sample", "--volume", path("m.vdb"), "--points", path("bad.csv"), "--x", "X", "--y", "Y",
           "--z", "Z", "--out", path("old.csv")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("bad.csv:3:2: column 'Y': value 'x': coordinate is not a number"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(slurp(path("old.csv")), "good");
  r = run({"sample", "--volume", path("m.vdb"), "--points", path("p.csv"), "--x", "east", "--out",
           path("x.csv")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--x: 'east' is not a column of"), std::string::npos) << r.err;
}
