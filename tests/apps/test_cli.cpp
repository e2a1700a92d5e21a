#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_test_helpers.hpp"
#include "cli.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/datasets/raster_io.hpp"

using namespace orevox;
namespace fs = std::filesystem;

using namespace orevox_test;

TEST_F(CliTest, GridMatchesBruteForceIdwAndWritesReport) {
  write("s.csv", "id,x,y,Au,Cu\n1,0,0,1,10\n2,100,0,<0.2,20\n3,0,100,3,30\n4,100,100,4,40\n");
  const auto r = run({"grid", "--samples", path("s.csv"), "--x", "x", "--y", "y", "--fields", "Au,Cu", "--cell", "50",
                      "--extent", "0,0,100,100", "--power", "2", "--neighbors", "3", "--out", path("g.tif"),
                      "--report", path("r.json"), "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  const Raster g = readRaster(path("g.tif"));
  ASSERT_EQ(g.grid().width, 2u);
  ASSERT_EQ(g.bandCount(), 2u);
  EXPECT_EQ(g.band(0).name, "Au");
  // Cell (0,0): centre (25, 75). Its 3 nearest samples are 3 (0,100), 1 (0,0), 4 (100,100).
  const double xs[4] = {0, 100, 0, 100}, ys[4] = {0, 0, 100, 100};
  const double au[4] = {1, 0.2 * 0.65, 3, 4};  // '<0.2' gridded at 0.65 x DL
  std::vector<std::pair<double, int>> d;
  for (int i = 0; i < 4; ++i) d.push_back({std::hypot(25 - xs[i], 75 - ys[i]), i});
  std::sort(d.begin(), d.end());
  double num = 0, den = 0;
  for (int i = 0; i < 3; ++i) {
    num += au[d[i].second] / (d[i].first * d[i].first);
    den += 1 / (d[i].first * d[i].first);
  }
  EXPECT_NEAR(g.band(0).values[0], num / den, 1e-5);
  std::ifstream in(path("r.json"));
  const auto report = nlohmann::json::parse(in);
  EXPECT_EQ(report["command"], "grid");
  EXPECT_EQ(report["results"]["censored_values"], 1);
  EXPECT_TRUE(report["timings_s"].contains("idw"));
  EXPECT_EQ(report["outputs"][0], path("g.tif"));
}

TEST_F(CliTest, GridMissingColumnIsOneLineDataErrorAndNoOutput) {
  write("s.csv", "x,y,Au\n0,0,1\n1,1,2\n");
  const auto r = run({"grid", "--samples", path("s.csv"), "--fields", "Au,Cu", "--cell", "1", "--out", path("g.tif")});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(lineCount(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("s.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Cu"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("g.tif")));
  EXPECT_EQ(fileCount(), 1u);  // only the input
}

TEST_F(CliTest, GridNegativeConcentrationNamesLineColumnAndValue) {
  write("s.csv", "x,y,Au\n0,0,1\n1,1,-3\n");
  const auto r = run({"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "1", "--out", path("g.tif")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(":3"), std::string::npos) << r.err;  // line 3
  EXPECT_NE(r.err.find("-3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Au"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--signed"), std::string::npos) << r.err;  // the way out is named
  EXPECT_EQ(lineCount(r.err), 1) << r.err;
  EXPECT_FALSE(fs::exists(path("g.tif")));
}

TEST_F(CliTest, GridSignedGridsTheLogRatiosTransformWrites) {
  write("s.csv", "x,y,Au,Cu\n0,0,0.01,50\n100,0,0.02,40\n0,100,0.5,30\n100,100,1,20\n");
  ASSERT_EQ(run({"transform", "--samples", path("s.csv"), "--fields", "Au,Cu", "--method", "clr", "--out",
                 path("clr.csv")}).code,
            0);
  const std::vector<std::string> grid{"grid", "--samples", path("clr.csv"), "--fields", "clr_Au", "--cell", "50",
                                      "--out", path("g.tif")};
  EXPECT_EQ(run(grid).code, 1);  // clr values are negative: refused as concentrations
  auto withSigned = grid;
  withSigned.push_back("--signed");
  const auto r = run(withSigned);
  EXPECT_EQ(r.code, 0) << r.err;
  // Every cell lies between the smallest and the largest clr_Au (IDW is a weighted mean).
  const SampleTable clr = readSamplesCsv(path("clr.csv"), [] {
    CsvOptions o;
    o.allowNegative = true;
    return o;
  }());
  const auto& au = clr.column("clr_Au").values;
  const double lo = *std::min_element(au.begin(), au.end()), hi = *std::max_element(au.begin(), au.end());
  ASSERT_LT(lo, 0.0);
  const Raster g = readRaster(path("g.tif"));
  for (float v : g.band(0).values) {
    EXPECT_GE(v, lo - 1e-5);
    EXPECT_LE(v, hi + 1e-5);
  }
}

TEST_F(CliTest, FailedRunDoesNotOverwriteAGoodOutput) {
  write("s.csv", "x,y,Au\n0,0,1\n10,10,2\n");
  ASSERT_EQ(run({"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "5", "--out", path("g.tif"), "--quiet"}).code, 0);
  const auto before = fs::file_size(path("g.tif"));
  write("bad.csv", "x,y,Au\n0,0,abc\n");
  EXPECT_EQ(run({"grid", "--samples", path("bad.csv"), "--fields", "Au", "--cell", "5", "--out", path("g.tif")}).code, 1);
  EXPECT_EQ(fs::file_size(path("g.tif")), before);
  EXPECT_EQ(readRaster(path("g.tif")).grid().width, 2u);
}

TEST_F(CliTest, MissingOutputFolderIsReportedBeforeWork) {
  write("s.csv", "x,y,Au\n0,0,1\n10,10,2\n");
  const auto r = run({"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "5", "--out",
                      path("nodir/g.tif"), "--report", path("r.json")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("output folder does not exist"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("r.json")));
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  write("s.csv", "x,y,Au\n0,0,1\n");
  auto r0 = run({"nosuchcommand"});
  EXPECT_EQ(r0.code, 2);
  EXPECT_NE(r0.err.find("'nosuchcommand' is not a command (info, synth"), std::string::npos) << r0.err;
  // Range checks name the command, the option and the value in one short line.
  r0 = run({"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "-1", "--out", path("g.tif")});
  EXPECT_EQ(r0.code, 2);
  EXPECT_EQ(r0.err, "orevox grid: error: --cell: '-1' is not a number > 0 (see 'orevox grid --help')\n");
  r0 = run({"synth", "3d", "--shift", "abc", "--out", path("t.vdb")});
  EXPECT_EQ(r0.code, 2);
  EXPECT_NE(r0.err.find("--shift: 'abc' is not a number in [0, 1]"), std::string::npos) << r0.err;
  const auto r = run({"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "1", "--extent", "0,0,1",
                      "--out", path("g.tif")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--extent"), std::string::npos) << r.err;
  EXPECT_EQ(run({"transform", "--samples", path("s.csv"), "--fields", "Au", "--method", "xyz", "--out", path("t.csv")}).code, 2);
}

TEST_F(CliTest, TransformClrRowsSumToZero) {
  write("s.csv", "x,y,A,B,C\n0,0,1,2,3\n1,1,10,0,5\n");
  const auto r = run({"transform", "--samples", path("s.csv"), "--fields", "A,B,C", "--method", "clr", "--out",
                      path("t.csv"), "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  const SampleTable t = readSamplesCsv(path("t.csv"), CsvOptions{"x", "y", "", "", "", {}, 0, true});
  ASSERT_EQ(t.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    double sum = 0;
    for (const auto& c : t.columns) sum += c.values[i];
    EXPECT_NEAR(sum, 0.0, 1e-9);
  }
  EXPECT_NEAR(t.column("clr_A").values[0], std::log(1.0) - (std::log(1.0) + std::log(2.0) + std::log(3.0)) / 3, 1e-9);
}

TEST_F(CliTest, BufferDistancesFromGeoJson) {
  write("f.geojson",
        R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":)"
        R"({"type":"LineString","coordinates":[[0,0],[0,1000]]}}]})");
  const auto r = run({"buffer", "--faults", path("f.geojson"), "--cell", "100", "--extent", "0,0,1000,1000", "--out",
                      path("b.tif"), "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  const Raster b = readRaster(path("b.tif"));
  ASSERT_EQ(b.bandCount(), 2u);
  EXPECT_NEAR(b.band(0).values[b.grid().index(0, 5)], 50.0, 1e-3);   // centre x = 50
  EXPECT_NEAR(b.band(0).values[b.grid().index(9, 5)], 950.0, 1e-3);  // centre x = 950
  EXPECT_EQ(b.band(1).values[b.grid().index(0, 5)], 6.0f);           // inside the 500 m ring
}

TEST_F(CliTest, InfoAndIndexOnEmbeddedData) {
  EXPECT_EQ(run({"info", "murchison", "--quiet"}).code, 0);
  EXPECT_EQ(run({"info", path("missing.tif")}).code, 1);
  EXPECT_EQ(run({"index", "--dataset", "meuse", "--query", "179500,331000", "--quiet"}).code, 0);
  EXPECT_EQ(run({"index", "--dataset", "nosuch"}).code, 2);
}

TEST_F(CliTest, SynthIsReproducibleFromTheSeed) {
  ASSERT_EQ(run({"synth", "2d", "--seed", "5", "--samples", "500", "--out", path("a"), "--quiet"}).code, 0);
  ASSERT_EQ(run({"synth", "2d", "--seed", "5", "--samples", "500", "--out", path("b"), "--quiet"}).code, 0);
  std::ifstream a(path("a/samples.csv")), b(path("b/samples.csv"));
  const std::string ta((std::istreambuf_iterator<char>(a)), {}), tb((std::istreambuf_iterator<char>(b)), {});
  EXPECT_FALSE(ta.empty());
  EXPECT_EQ(ta, tb);
  ASSERT_EQ(run({"synth", "3d", "--seed", "5", "--size", "32,32,16", "--out", path("v"), "--quiet"}).code, 0);
  EXPECT_TRUE(fs::exists(path("v/source.vdb")));
  EXPECT_TRUE(fs::exists(path("v/target.vdb")));
}

TEST_F(CliTest, DemoWritesItsOutputs) {
  // --quick: every learning path runs, with tiny settings (a smoke test, not figures).
  const auto r = run({"demo", "--out", path("demo"), "--size3d", "48,48,24", "--cell", "400", "--window", "16",
                      "--quick", "--report", path("demo/report.json"), "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* f : {"summary.md", "report.json", "synth2d/samples.csv", "synth2d/geochem_idw.tif",
                        "synth2d/fault_buffers.tif", "synth2d/truth.tif", "synth3d/source.vdb", "synth3d/target.vti",
                        "murchison/evidence.tif", "index.html", "figures/synth2d_lithology.png"}) {
    EXPECT_TRUE(fs::exists(path(std::string("demo/") + f))) << f;
  }
  std::ifstream in(path("demo/report.json"));
  const auto report = nlohmann::json::parse(in);
  EXPECT_EQ(report["seed"], 1);
  EXPECT_LT(report["results"]["windows"]["torch_vs_core_max_rel_diff"].get<double>(), 1e-5);
  EXPECT_GT(report["results"]["windows"]["count"].get<int>(), 0);
  const double murchisonAuc = report["results"]["evidence_auc"]["murchison_fault_proximity"].get<double>();
  EXPECT_GT(murchisonAuc, 0.8);  // deposits cluster near faults (41% within 1 km on 5% of the area)
  EXPECT_LE(murchisonAuc, 1.0);
  // index.html links only files that exist.
  std::ifstream html(path("demo/index.html"));
  const std::string text((std::istreambuf_iterator<char>(html)), {});
  std::size_t links = 0;
  for (std::size_t at = text.find("src=\""); at != std::string::npos; at = text.find("src=\"", at + 1)) {
    const std::size_t end = text.find('"', at + 5);
    EXPECT_TRUE(fs::exists(path("demo/" + text.substr(at + 5, end - at - 5)))) << text.substr(at + 5, end - at - 5);
    ++links;
  }
  // Rendered figures need a display (CTest runs under xvfb-run); quick looks do not.
  const char* display = std::getenv("DISPLAY");
  EXPECT_GE(links, display && *display ? 11u : 4u);
  if (display && *display) {
    EXPECT_TRUE(fs::exists(path("demo/figures/synth2d_truth_map.png")));
    EXPECT_TRUE(fs::exists(path("demo/figures/synth2d_prediction_rate.png")));
    EXPECT_TRUE(fs::exists(path("demo/figures/synth3d_target_halo_orebody.png")));
  }
}

#ifdef OREVOX_WITH_VIZ
TEST_F(CliTest, RenderWritesAPngOfAMapAndRejectsBadOptions) {
  write("s.csv", "x,y,Au\n0,0,1\n100,0,2\n0,100,3\n100,100,4\n");
  ASSERT_EQ(run({"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "10", "--out", path("g.tif"), "--quiet"}).code, 0);
  EXPECT_EQ(run({"render", path("g.tif"), "--out", path("r.png"), "--size", "0x10"}).code, 2);
  EXPECT_FALSE(fs::exists(path("r.png")));
  const char* display = std::getenv("DISPLAY");
  if (!(display && *display)) GTEST_SKIP() << "rendering needs a display (run under xvfb-run -a)";
  const auto r = run({"render", path("g.tif"), "--out", path("r.png"), "--size", "400x300", "--camera", "top", "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_GT(fs::file_size(path("r.png")), 1000u);
}
#endif
