// CLI tests of orevox transfer (in-process, see cli_test_helpers.hpp).
#include <cmath>
#include <nlohmann/json.hpp>

#include "cli_test_helpers.hpp"
#include "orevox/datasets/crs.hpp"
#include "orevox/datasets/raster_io.hpp"
#include "orevox/datasets/volume_io.hpp"
#include "orevox/geomodel/synth3d.hpp"
#include "orevox/voxel/voxel_model.hpp"

using namespace orevox_test;
using namespace orevox;

namespace {

Extent box(double xmin, double ymin, double xmax, double ymax) {
  Extent e;
  e.xmin = xmin;
  e.ymin = ymin;
  e.xmax = xmax;
  e.ymax = ymax;
  return e;
}

nlohmann::json readJson(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

// A tiny synth3d pair: 20 x 20 x 12 voxels of 10 m, 7^3 patches, one epoch, 40 MMD patches.
const std::vector<std::string> kTiny{"--dataset", "synth3d", "--size", "20,20,12", "--seed", "3", "--patch", "7",
                                     "--epochs", "1", "--positives", "24", "--mmd-patches", "40", "--quiet"};

std::vector<std::string> trainArgs(std::vector<std::string> extra) {
  std::vector<std::string> args{"transfer", "train"};
  args.insert(args.end(), kTiny.begin(), kTiny.end());
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

TEST_F(CliTest, TransferTrainThenPredictReproducesTheTrainedPrediction) {
  ASSERT_EQ(run(trainArgs({"--model", "all", "--target-labels", "16", "--out", path("m"), "--report", path("r.json")}))
                .code,
            0);
  const auto report = readJson(path("r.json"));
  const auto& models = report["results"]["models"];
  for (const char* name : {"dann-cta", "dann", "cnn3d", "cnn3d-target", "rf"}) {
    ASSERT_TRUE(models.contains(name)) << name;
    for (const char* key : {"target_auc", "capture_top10", "oof_map_auc"}) {
      const double v = models[name]["metrics"][key].get<double>();
      EXPECT_GE(v, 0.0) << name << " " << key;
      EXPECT_LE(v, 1.0) << name << " " << key;
    }
    if (std::string(name) != "rf") {
      const auto& d = models[name]["domain_discrepancy"];
      EXPECT_GE(d["before"].get<double>(), 0.0) << name;
      EXPECT_GE(d["after"].get<double>(), 0.0) << name;
      EXPECT_TRUE(fs::exists(path(std::string("m/") + name + ".pt"))) << name;
    }
  }
  // The out-of-fold map: fold models for those that train on target patches, the target map
  // itself for the source-only ones; the interval around the figure.
  for (const char* name : {"dann-cta", "dann", "cnn3d-target"}) {
    EXPECT_TRUE(models[name]["runs"][0]["oof_retrained"].get<bool>()) << name;
  }
  for (const char* name : {"cnn3d", "rf"})
    EXPECT_FALSE(models[name]["runs"][0]["oof_retrained"].get<bool>()) << name;
  for (const char* name : {"dann-cta", "cnn3d", "rf"}) {
    const auto& run = models[name]["runs"][0];
    EXPECT_LE(run["oof_map_auc_ci95"][0].get<double>(), run["oof_map_auc"].get<double>()) << name;
    EXPECT_GE(run["oof_map_auc_ci95"][1].get<double>(), run["oof_map_auc"].get<double>()) << name;
  }
  EXPECT_NE(report["parameters"]["oof_map"].get<std::string>().find("2 x 2"), std::string::npos);
  EXPECT_EQ(report["parameters"]["target_labels"], 16);
  EXPECT_NE(report["parameters"]["protocol"].get<std::string>().find("cnn3d-target"), std::string::npos);

  // The same target volume from `synth 3d`, scored by the saved model, equals what train wrote.
  ASSERT_EQ(run({"synth", "3d", "--seed", "3", "--size", "20,20,12", "--out", path("v"), "--quiet"}).code, 0);
  const auto p = run({"transfer", "predict", "--model", path("m/dann-cta.pt"), "--volume", path("v/target.vdb"),
                      "--out", path("p.vdb"), "--vti", path("p.vti"), "--zones", path("z.csv"), "--quiet"});
  ASSERT_EQ(p.code, 0) << p.err;
  const VoxelModel predicted = readVolume(path("p.vdb")), trained = readVolume(path("m/dann-cta_target.vdb"));
  const std::vector<float> a = predicted.denseChannel("prospectivity"), b = trained.denseChannel("prospectivity");
  ASSERT_EQ(a.size(), b.size());
  double worst = 0;
  for (std::size_t v = 0; v < a.size(); ++v) worst = std::max(worst, double(std::abs(a[v] - b[v])));
  EXPECT_LT(worst, 1e-6);
  EXPECT_EQ(predicted.activeMask("prospectivity"), trained.activeMask("prospectivity"));
  EXPECT_TRUE(fs::exists(path("p.vti")));
  std::ifstream zones(path("z.csv"));
  std::string header;
  std::getline(zones, header);
  EXPECT_EQ(header.rfind("grade,id,voxels", 0), 0u);

  // The extension of --out is honoured (p2.vti holds VTK XML, the same values) or refused
  // before the work; two outputs on one path and an output over the input are refused too,
  // and nothing is written then.
  ASSERT_EQ(run({"transfer", "predict", "--model", path("m/dann-cta.pt"), "--volume",
                 path("v/target.vdb"), "--out", path("p2.vti"), "--quiet"})
                .code,
            0);
  EXPECT_NE(slurp(path("p2.vti")).substr(0, 200).find("<VTKFile"), std::string::npos);
  EXPECT_EQ(readVolume(path("p2.vti")).denseChannel("prospectivity"), a);
  const std::string input = slurp(path("v/target.vdb"));
  for (const auto& bad :
       std::vector<std::vector<std::string>>{{"--out", path("p3.png")},
                                             {"--out", path("p3.vdb"), "--vti", path("p3.vdb")},
                                             {"--out", path("p3.vdb"), "--vti", path("p3.vdb.csv")},
                                             {"--out", path("p3.vdb"), "--report", path("p3.vdb")},
                                             {"--out", path("v/target.vdb")}}) {
    std::vector<std::string> args{"transfer", "predict",           "--model", path("m/dann-cta.pt"),
                                  "--volume", path("v/target.vdb")};
    args.insert(args.end(), bad.begin(), bad.end());
    const auto r = run(args);
    EXPECT_EQ(r.code, 2) << bad[1] << ": " << r.err;
    EXPECT_EQ(lineCount(r.err), 1) << r.err;
    EXPECT_FALSE(fs::exists(path("p3.png")));
    EXPECT_FALSE(fs::exists(path("p3.vdb")));
  }
  EXPECT_EQ(slurp(path("v/target.vdb")), input);
}

TEST_F(CliTest, TransferDrapesASurfaceRasterOverBothBoxes) {
  // One raster over both deposits' columns (source at x 271000, target at x 278500).
  GridSpec g = GridSpec::fromExtent(box(270000, 4121000, 280000, 4139000), 500.0);
  g.crsWkt = kSynth3dCrsWkt;
  Raster soil(g);
  std::vector<float> au(g.width * g.height);
  for (std::size_t c = 0; c < au.size(); ++c) au[c] = float(c % 7);
  soil.addBand("Au", au, "ppb");
  soil.addBand("Cu", std::vector<float>(au.size(), 1.0f), "ppm");
  writeGeoTiff(soil, path("soil.tif"));
  ASSERT_EQ(run(trainArgs({"--model", "cnn3d", "--drape", path("soil.tif") + ":Au", "--out", path("m"), "--report",
                           path("r.json")}))
                .code,
            0);
  const auto channels = readJson(path("r.json"))["results"]["channels"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(channels.begin(), channels.end(), "surface_Au"), channels.end());
  EXPECT_EQ(std::find(channels.begin(), channels.end(), "surface_Cu"), channels.end());
  // predict needs the draped channel: without --drape it names it; with it, it runs.
  ASSERT_EQ(run({"synth", "3d", "--seed", "3", "--size", "20,20,12", "--out", path("v"), "--quiet"}).code, 0);
  const auto missing = run({"transfer", "predict", "--model", path("m/cnn3d.pt"), "--volume", path("v/target.vdb"),
                            "--out", path("p.vdb")});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("surface_Au"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(path("p.vdb")));
  EXPECT_EQ(run({"transfer", "predict", "--model", path("m/cnn3d.pt"), "--volume", path("v/target.vdb"), "--drape",
                 path("soil.tif") + ":1", "--out", path("p.vdb"), "--quiet"})
                .code,
            0);

  // A raster that misses the target box, in another CRS, or without the named band.
  Raster west(GridSpec::fromExtent(box(270000, 4121000, 275000, 4125000), 500.0, kSynth3dCrsWkt));
  west.addBand("Au", 1.0f);
  writeGeoTiff(west, path("west.tif"));
  Raster geographic(GridSpec::fromExtent(box(120, 37, 121, 38), 0.01, crsFromUserInput("EPSG:4326")));
  geographic.addBand("Au", 1.0f);
  writeGeoTiff(geographic, path("geo.tif"));
  for (const auto& [spec, code, needle] : std::vector<std::tuple<std::string, int, std::string>>{
           {path("west.tif"), 1, "does not cover the target"},
           {path("geo.tif"), 1, "CRS"},
           {path("soil.tif") + ":Zn", 2, "no band 'Zn'"},
           {path("nothing.tif"), 1, "nothing.tif"}}) {
    const auto r = run(trainArgs({"--model", "cnn3d", "--drape", spec, "--out", path("bad")}));
    EXPECT_EQ(r.code, code) << spec << ": " << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
    EXPECT_EQ(lineCount(r.err), 1) << r.err;
    EXPECT_FALSE(fs::exists(path("bad/cnn3d.pt"))) << spec;
  }
}

TEST_F(CliTest, TransferDrapesThe2DResultsAndReportsEveryFigureWithoutThem) {
  // An SSGSNet-like map over both boxes and ResGNN-like probabilities at nodes over each box.
  GridSpec g = GridSpec::fromExtent(box(270000, 4121000, 280000, 4139000), 500.0);
  g.crsWkt = kSynth3dCrsWkt;
  Raster map(g);
  std::vector<float> p(g.width * g.height);
  for (std::size_t c = 0; c < p.size(); ++c) p[c] = float(c % 5) / 5.0f;
  map.addBand("prospectivity", p, "probability");
  writeGeoTiff(map, path("map.tif"));
  map.addBand("other", p, "");
  writeGeoTiff(map, path("two.tif"));
  write("p.csv",
        "x,y,p_ore\n271050,4122050,0.9\n271150,4122150,0.2\n278550,4137550,0.7\n278650,4137650,0."
        "1\n");
  write("far.csv", "x,y,p_ore\n271050,4122050,0.9\n");  // over the source only
  ASSERT_EQ(run(trainArgs({"--model", "cnn3d,rf", "--drape-map", path("map.tif"), "--drape-samples",
                           path("p.csv"), "--out", path("m"), "--report", path("r.json")}))
                .code,
            0);
  const auto report = readJson(path("r.json"));
  const auto channels = report["results"]["channels"].get<std::vector<std::string>>();
  for (const char* c : {"surface_ssgsnet", "surface_resgnn"}) {
    EXPECT_NE(std::find(channels.begin(), channels.end(), c), channels.end()) << c;
  }
  for (const char* name : {"cnn3d", "rf"}) {
    const auto& without = report["results"]["models"][name]["without_2d"];
    const auto fewer = without["channels"].get<std::vector<std::string>>();
    EXPECT_EQ(fewer.size() + 2, channels.size()) << name;
    for (const char* c : {"surface_ssgsnet", "surface_resgnn"}) {
      EXPECT_EQ(std::find(fewer.begin(), fewer.end(), c), fewer.end()) << name << " " << c;
    }
    for (const char* key : {"target_auc", "oof_map_auc"}) {
      const double v = without["metrics"][key].get<double>();
      EXPECT_GE(v, 0.0) << name << " " << key;
      EXPECT_LE(v, 1.0) << name << " " << key;
    }
  }
  EXPECT_NE(report["parameters"]["without_2d"].get<std::string>().find("surface_resgnn"),
            std::string::npos);
  // predict drapes the same results onto the volume it scores.
  ASSERT_EQ(
      run({"synth", "3d", "--seed", "3", "--size", "20,20,12", "--out", path("v"), "--quiet"}).code,
      0);
  EXPECT_EQ(run({"transfer", "predict", "--model", path("m/cnn3d.pt"), "--volume",
                 path("v/target.vdb"), "--drape-map", path("map.tif"), "--drape-samples",
                 path("p.csv") + ":p_ore", "--out", path("p.vdb"), "--quiet"})
                .code,
            0);
  // Samples that miss the target box, a map of two bands without one named, a missing column.
  for (const auto& [option, value, code, needle] :
       std::vector<std::tuple<std::string, std::string, int, std::string>>{
           {"--drape-samples", path("far.csv"), 1, "no sample lies over the target"},
           {"--drape-map", path("two.tif"), 2, "name the prospectivity band"},
           {"--drape-samples", path("p.csv") + ":q", 1, "q"}}) {
    const auto r = run(trainArgs({"--model", "cnn3d", option, value, "--out", path("bad")}));
    EXPECT_EQ(r.code, code) << value << ": " << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
    EXPECT_EQ(lineCount(r.err), 1) << r.err;
    EXPECT_FALSE(fs::exists(path("bad"))) << value;
  }
}

TEST_F(CliTest, TransferRejectsBadInputsWithOneLineAndNoOutput) {
  write("broken.vdb", "not a vdb file\n");
  const std::vector<std::pair<std::vector<std::string>, int>> cases{
      {{"transfer", "train", "--dataset", "synth3d", "--model", "svm", "--out", path("o")}, 2},
      {{"transfer", "train", "--dataset", "synth3d", "--patch", "8", "--size", "20,20,12", "--out", path("o")}, 2},
      {{"transfer", "train", "--dataset", "jura", "--out", path("o")}, 2},
      {{"transfer", "train", "--source", path("broken.vdb"), "--target", path("broken.vdb"), "--out", path("o")}, 1},
      {{"transfer", "predict", "--model", path("none.pt"), "--volume", path("broken.vdb"), "--out", path("p.vdb")},
       1},
  };
  for (const auto& [args, code] : cases) {
    const auto r = run(args);
    EXPECT_EQ(r.code, code) << args[3] << ": " << r.err;
    EXPECT_EQ(lineCount(r.err), 1) << r.err;
    EXPECT_FALSE(fs::exists(path("o")));  // not even the output folder
    EXPECT_FALSE(fs::exists(path("p.vdb")));
  }
}
