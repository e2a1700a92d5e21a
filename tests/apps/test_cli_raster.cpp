// CLI tests of orevox raster (in-process, see cli_test_helpers.hpp). Tiny stacks, windows of
// 16 cells, one epoch: the point is the plumbing (reports, maps on the input grid, zones,
// predict = train's map, protocol bookkeeping, errors), not the skill of the networks.
// One thread: on a loaded 2-core machine two spinning OpenMP pools (LibTorch, xgboost)
// made the same run ~15x slower.
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_test_helpers.hpp"
#include "orevox/datasets/crs.hpp"
#include "orevox/datasets/raster_io.hpp"

using namespace orevox_test;

namespace {

/// A 48 x 48 stack of 250 m cells (12 km square) with three channels: "signal" peaks at the
/// deposits, "trend" rises eastwards, "noise" is a fixed pattern. One cell is nodata in
/// every channel. Deposits: 6 known in the west half, 2 hidden (label 0). No CRS unless
/// `crsWkt` is given; `unit` = 0.001 writes the same map in kilometres (every coordinate a
/// multiple of 1/8, exact in binary, so both maps cut into the same cells and blocks).
void writeStack(const std::string& tif, const std::string& csv, double unit = 1.0,
                const std::string& crsWkt = {}) {
  orevox::GridSpec g;
  g.width = 48;
  g.height = 48;
  g.geoTransform = {500000.0 * unit, 250.0 * unit, 0.0, 7000000.0 * unit, 0.0, -250.0 * unit};
  g.crsWkt = crsWkt;
  const double dep[8][2] = {{1500, 1500}, {1800, 6000}, {2600, 9800}, {3400, 3600},
                            {4200, 8000}, {2200, 4800}, {3000, 2500}, {1200, 10400}};
  orevox::Raster r(g);
  std::vector<float> signal(g.size()), trend(g.size()), noise(g.size());
  for (std::size_t row = 0; row < g.height; ++row)
    for (std::size_t col = 0; col < g.width; ++col) {
      const double x = (double(col) + 0.5) * 250.0, y = 12000.0 - (double(row) + 0.5) * 250.0;
      double s = 0.0;
      for (const auto& d : dep)
        s += std::exp(-((x - d[0]) * (x - d[0]) + (y - d[1]) * (y - d[1])) / (2 * 600.0 * 600.0));
      const std::size_t i = g.index(col, row);
      signal[i] = float(s);
      trend[i] = float(x / 12000.0);
      noise[i] = float(std::sin(0.7 * double(col)) * std::cos(1.3 * double(row)));
    }
  const std::size_t hole = g.index(40, 5);
  signal[hole] = trend[hole] = noise[hole] = orevox::kNodata;
  r.addBand("signal", signal);
  r.addBand("trend", trend);
  r.addBand("noise", noise);
  orevox::writeGeoTiff(r, tif);
  std::ofstream out(csv);
  out << "id,x,y,label\n";
  for (int i = 0; i < 8; ++i)
    out << "D" << i + 1 << "," << (500000.0 + dep[i][0]) * unit << ","
        << (7000000.0 - 12000.0 + dep[i][1]) * unit << "," << (i < 6 ? 1 : 0) << "\n";
}

nlohmann::json readJson(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

std::vector<std::string> tinyTrain(const std::string& stack, const std::string& deposits,
                                   const std::string& out, const std::string& report) {
  return {"raster",         "train",      "--stack",     stack,  "--deposits",     deposits,
          "--model",        "ssgsnet,rf", "--window",    "16",   "--epochs",       "1",
          "--copies",       "1",          "--protocol",  "both", "--folds",        "2",
          "--block-size",   "6000",       "--stride",    "3",    "--shap-windows", "2",
          "--shap-samples", "4",          "--bootstrap", "20",   "--zones-by",     "percentiles",
          "--out",          out,          "--report",    report, "--threads",      "1",
          "--quiet"};
}

/// `again` has the cells of `map`: nodata at the same cells, values within 1e-5.
void expectSameMap(const orevox::Raster& map, const orevox::Raster& again) {
  double maxDiff = 0.0;
  for (std::size_t i = 0; i < map.grid().size(); ++i) {
    const float a = map.band(0).values[i], b = again.band(0).values[i];
    ASSERT_EQ(map.isNodata(a), again.isNodata(b)) << "cell " << i;
    if (!map.isNodata(a)) maxDiff = std::max(maxDiff, double(std::abs(a - b)));
  }
  EXPECT_LT(maxDiff, 1e-5);
}

}  // namespace

TEST_F(CliTest, RasterTrainWritesReportMapZonesAndPredictMatches) {
  writeStack(path("stack.tif"), path("deposits.csv"));
  const auto r =
      run(tinyTrain(path("stack.tif"), path("deposits.csv"), path("out"), path("r.json")));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto report = readJson(path("r.json"));
  const auto& models = report["results"]["models"];
  ASSERT_EQ(models.size(), 4u);  // 2 models x 2 protocols
  std::size_t spatialOverlaps = 0, paperOverlaps = 0;
  for (const auto& m : models) {
    EXPECT_EQ(m["seed"], 1);
    const double auc = m["metrics"]["auc"], capture = m["metrics"]["capture_top10"];
    EXPECT_GE(auc, 0.0);
    EXPECT_LE(auc, 1.0);
    EXPECT_GE(capture, 0.0);
    EXPECT_LE(capture, 1.0);
    EXPECT_EQ(m["metrics"]["capture_of"], "hidden deposits");
    (m["protocol"] == "spatial" ? spatialOverlaps : paperOverlaps) +=
        m["train_test_deposit_overlaps"].get<std::size_t>();
  }
  // Spatial: no test-deposit window shares a cell with a training window; paper: copies of
  // the same deposit windows sit on both sides of the random split.
  EXPECT_EQ(spatialOverlaps, 0u);
  EXPECT_GT(paperOverlaps, 0u);

  // The out-of-fold map (spatial runs only): its AUC, recomputed here by brute force from
  // the map file and the 8 deposits (known and hidden), equals the report's.
  std::size_t oofRuns = 0;
  for (const auto& m : models) {
    if (m["protocol"] != "spatial") {
      EXPECT_FALSE(m["metrics"].contains("oof_map_auc")) << m;
      continue;
    }
    ++oofRuns;
    const orevox::Raster oof = orevox::readRaster(m["metrics"]["oof_map_file"]);
    const auto& v = oof.band(0).values;
    std::vector<std::uint8_t> deposit(v.size(), 0);
    std::ifstream dep(path("deposits.csv"));
    std::string line;
    std::getline(dep, line);
    while (std::getline(dep, line)) {
      const auto c1 = line.find(','), c2 = line.find(',', c1 + 1), c3 = line.find(',', c2 + 1);
      const double x = std::stod(line.substr(c1 + 1, c2 - c1 - 1));
      const double y = std::stod(line.substr(c2 + 1, c3 - c2 - 1));
      const auto col = std::size_t((x - 500000.0) / 250.0),
                 row = std::size_t((7000000.0 - y) / 250.0);
      deposit[row * 48 + col] = 1;
    }
    double wins = 0, pairs = 0;
    std::size_t cells = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (oof.isNodata(v[i])) continue;
      ++cells;
      if (!deposit[i]) continue;
      for (std::size_t j = 0; j < v.size(); ++j)
        if (!deposit[j] && !oof.isNodata(v[j])) {
          pairs += 1;
          wins += v[i] > v[j] ? 1.0 : (v[i] == v[j] ? 0.5 : 0.0);
        }
    }
    EXPECT_EQ(cells, 48u * 48u - 1u);  // every valid cell scored
    EXPECT_EQ(m["metrics"]["oof_map_cells"], cells);
    EXPECT_EQ(m["metrics"]["oof_map_deposit_cells"], 8u);
    EXPECT_NEAR(m["metrics"]["oof_map_auc"].get<double>(), wins / pairs, 1e-6) << m["model"];
    const auto& ci = m["metrics"]["oof_map_auc_ci95"];
    EXPECT_LE(ci[0].get<double>(), m["metrics"]["oof_map_auc"].get<double>());
  }
  EXPECT_EQ(oofRuns, 2u);

  // The map is on the input grid, nodata kept where the stack has none.
  const orevox::Raster stack = orevox::readRaster(path("stack.tif"));
  const orevox::Raster map = orevox::readRaster(path("out/prospectivity.tif"));
  ASSERT_TRUE(map.grid().sameGrid(stack.grid()));
  const std::size_t hole = stack.grid().index(40, 5);
  EXPECT_TRUE(map.isNodata(map.band(0).values[hole]));
  std::size_t valid = 0;
  for (std::size_t i = 0; i < map.grid().size(); ++i)
    if (!map.isNodata(map.band(0).values[i])) {
      ++valid;
      EXPECT_GE(map.band(0).values[i], 0.0f);
      EXPECT_LE(map.band(0).values[i], 1.0f);
    }
  EXPECT_EQ(valid, stack.grid().size() - 1);
  EXPECT_TRUE(fs::exists(path("out/zones.gpkg")));
  EXPECT_TRUE(fs::exists(path("out/model.pt")));
  EXPECT_TRUE(fs::exists(path("out/model.json")));
  EXPECT_TRUE(fs::exists(path("out/comparison.md")));
  EXPECT_TRUE(fs::exists(path("out/prospectivity_rf.tif")));
  std::ifstream shap(path("out/shap.csv"));
  std::string header;
  std::getline(shap, header);
  EXPECT_EQ(header, "rank,channel,mean_abs_shap");
  EXPECT_EQ(report["results"]["selected"]["model"], "ssgsnet");

  // predict with the saved model at the same stride reproduces train's map.
  const auto p = run({"raster",         "predict",
                      "--model",        path("out/model.pt"),
                      "--stack",        path("stack.tif"),
                      "--out",          path("p.tif"),
                      "--stride",       "3",
                      "--zones",        path("pz.gpkg"),
                      "--shap",         path("ps.csv"),
                      "--shap-windows", "2",
                      "--shap-samples", "4",
                      "--threads",      "1",
                      "--quiet"});
  ASSERT_EQ(p.code, 0) << p.err;
  const orevox::Raster again = orevox::readRaster(path("p.tif"));
  ASSERT_TRUE(again.grid().sameGrid(stack.grid()));
  expectSameMap(map, again);
  EXPECT_TRUE(fs::exists(path("ps.csv")));
}

// Distances follow the map's unit (issue 17, "Units"): the same map in kilometres with no
// CRS (older survey data) trains like the metre map, with the automatic distances scaled
// by the cell: negatives > 30 cells from deposits (7500 m = 7.5 km) and blocks of
// min(100 cells, a quarter of the shorter side) = 3000 m = 3 km. The fixed 3000 m and
// 10 km of before left no eligible cell and one block on the kilometre map.
TEST_F(CliTest, RasterTrainDistancesFollowTheMapUnit) {
  const std::vector<std::string> common{
      "--model",        "rf", "--protocol",  "spatial", "--window",    "16",     "--folds",  "2",
      "--copies",       "1",  "--bootstrap", "20",      "--negatives", "random", "--stride", "3",
      "--shap-windows", "0",  "--threads",   "1",       "--quiet"};
  nlohmann::json reports[2];
  for (int km = 0; km < 2; ++km) {
    const std::string tag = km ? "km" : "m";
    writeStack(path(tag + ".tif"), path(tag + ".csv"), km ? 0.001 : 1.0);
    std::vector<std::string> args{
        "raster",           "train", "--stack",          path(tag + ".tif"), "--deposits",
        path(tag + ".csv"), "--out", path("out_" + tag), "--report",         path(tag + ".json")};
    args.insert(args.end(), common.begin(), common.end());
    const auto r = run(args);
    ASSERT_EQ(r.code, 0) << tag << ": " << r.err;
    reports[km] = readJson(path(tag + ".json"));
  }
  const auto& pm = reports[0]["parameters"];
  const auto& pk = reports[1]["parameters"];
  EXPECT_DOUBLE_EQ(pm["block_size_m"].get<double>(), 3000.0);
  EXPECT_DOUBLE_EQ(pk["block_size_m"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(pm["min_deposit_distance"].get<double>(), 7500.0);
  EXPECT_DOUBLE_EQ(pk["min_deposit_distance"].get<double>(), 7.5);
  // Same cells, same blocks, same seed: the same negatives and the same figures.
  const auto& mm = reports[0]["results"]["models"];
  const auto& mk = reports[1]["results"]["models"];
  ASSERT_EQ(mm.size(), 1u);
  ASSERT_EQ(mk.size(), 1u);
  EXPECT_EQ(mm[0]["metrics"]["auc"], mk[0]["metrics"]["auc"]);
  EXPECT_EQ(mm[0]["metrics"]["capture_top10"], mk[0]["metrics"]["capture_top10"]);
  EXPECT_EQ(pm["negatives"], pk["negatives"]);
  EXPECT_GT(pk["negatives"]["eligible_cells"].get<std::size_t>(), 0u);

  // A geographic CRS (degrees) is refused: a cell multiple of degrees is no length.
  writeStack(path("geo.tif"), path("geo.csv"), 0.00001, orevox::crsFromUserInput("EPSG:4326"));
  std::vector<std::string> args{"raster",     "train",         "--stack", path("geo.tif"),
                                "--deposits", path("geo.csv"), "--out",   path("out_geo")};
  args.insert(args.end(), common.begin(), common.end());
  const auto r = run(args);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(lineCount(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("geographic"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("geo.tif"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("out_geo")));
}

TEST_F(CliTest, RasterTrainRejectsBadInputsWithoutOutputs) {
  writeStack(path("stack.tif"), path("deposits.csv"));
  auto args = tinyTrain(path("missing.tif"), path("deposits.csv"), path("out1"), path("r1.json"));
  auto r = run(args);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(lineCount(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("missing.tif"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("r1.json")));
  EXPECT_FALSE(fs::exists(path("out1")));  // the folder the failed run created is gone

  args = tinyTrain(path("stack.tif"), path("deposits.csv"), path("out2"), path("r2.json"));
  args[7] = "ssgsnet,cnn";
  r = run(args);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(lineCount(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("--model"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cnn"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("out2")));

  args = tinyTrain(path("stack.tif"), path("deposits.csv"), path("out3"), path("r3.json"));
  args[9] = "8";
  r = run(args);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(lineCount(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("--window"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("out3")));

  r = run({"raster", "predict", "--model", path("nope/model.pt"), "--stack", path("stack.tif"),
           "--out", path("p.tif")});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(lineCount(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("model"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("p.tif")));
}

TEST_F(CliTest, RunReplaysAStudyFileAndAReport) {
  writeStack(path("stack.tif"), path("deposits.csv"));
  auto args = tinyTrain(path("stack.tif"), path("deposits.csv"), path("out"), path("r.json"));
  args[7] = "rf";        // the forest alone: quick
  args[15] = "spatial";  // --protocol
  ASSERT_EQ(run(args).code, 0);
  // The report re-runs as a study: the same options give the same table.
  auto report = readJson(path("r.json"));
  EXPECT_EQ(report["command"], "raster train");
  report["options"]["out"] = path("again");
  std::ofstream(path("replay.json")) << report.dump(2);
  auto r =
      run({"run", path("replay.json"), "--threads", "1", "--quiet", "--report", path("r2.json")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(slurp(path("again/comparison.md")), slurp(path("out/comparison.md")));
  const auto second = readJson(path("r2.json"));
  EXPECT_EQ(second["study"], "raster");
  EXPECT_EQ(second["command"], "raster train");
  EXPECT_EQ(second["options"]["model"], report["options"]["model"]);
  EXPECT_EQ(second["results"]["models"][0]["metrics"]["oof_map_auc"],
            report["results"]["models"][0]["metrics"]["oof_map_auc"]);

  // A hand-written study file: {"study": ..., options by their declared names}.
  nlohmann::json study = {{"study", "raster"},
                          {"stack", path("stack.tif")},
                          {"deposits", path("deposits.csv")},
                          {"model", "rf"},
                          {"window", 16},
                          {"copies", 1},
                          {"folds", 2},
                          {"block-size", 6000},
                          {"stride", 3},
                          {"bootstrap", 20},
                          {"shap-windows", 0},
                          {"out", path("hand")}};
  std::ofstream(path("study.json")) << study.dump();
  r = run({"run", path("study.json"), "--threads", "1", "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(slurp(path("hand/comparison.md")), slurp(path("out/comparison.md")));

  // Errors name the file and the key; nothing is written.
  auto failing = [&](nlohmann::json j, const std::string& needle, int code) {
    std::ofstream(path("bad.json")) << j.dump();
    const auto b = run({"run", path("bad.json"), "--quiet"});
    EXPECT_EQ(b.code, code) << b.err;
    EXPECT_EQ(lineCount(b.err), 1) << b.err;
    EXPECT_NE(b.err.find("bad.json"), std::string::npos) << b.err;
    EXPECT_NE(b.err.find(needle), std::string::npos) << b.err;
    EXPECT_FALSE(fs::exists(path("badout")));
  };
  nlohmann::json bad = study;
  bad["out"] = path("badout");
  bad["windw"] = 16;
  failing(bad, "windw", 2);
  bad.erase("windw");
  bad["window"] = "big";
  failing(bad, "--window", 2);
  bad["window"] = 16;
  bad["study"] = "rastr";
  failing(bad, "rastr", 2);
  bad.erase("study");
  failing(bad, "study", 2);
  bad["study"] = "raster";
  bad.erase("out");
  failing(bad, "--out", 2);
  std::ofstream(path("bad.json")) << "{\"study\": \"raster\",\n  \"window\": 16,,\n}";
  const auto b = run({"run", path("bad.json")});
  EXPECT_EQ(b.code, 1) << b.err;
  EXPECT_NE(b.err.find("bad.json:2:"), std::string::npos) << b.err;
}

TEST_F(CliTest, RasterTrainOnADatasetKeepsTheStackPredictAppliesTo) {
  // Murchison at 5 km cells: the structural stack is built by the run and written, so that
  // `raster predict` applies the model to it without rebuilding. (The paper protocol: at 5 km
  // the spatial folds' overlap rule leaves no training window.)
  auto r = run({"raster",      "train",   "--dataset",      "murchison", "--cell",   "5000",
                "--model",     "ssgsnet", "--window",       "16",        "--epochs", "1",
                "--copies",    "1",       "--protocol",     "paper",     "--stride", "2",
                "--bootstrap", "10",      "--shap-windows", "0",         "--out",    path("m"),
                "--threads",   "1",       "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  const orevox::Raster stack = orevox::readRaster(path("m/stack.tif"));
  const orevox::Raster map = orevox::readRaster(path("m/prospectivity.tif"));
  ASSERT_TRUE(stack.grid().sameGrid(map.grid()));
  EXPECT_EQ(stack.bandCount(), 4u);
  EXPECT_GE(stack.bandIndex("fault_distance"), 0);
  r = run({"raster", "predict", "--model", path("m/model.pt"), "--stack", path("m/stack.tif"),
           "--out", path("p.tif"), "--stride", "2", "--threads", "1", "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  const orevox::Raster again = orevox::readRaster(path("p.tif"));
  expectSameMap(map, again);
}
