// Options declared once: docs/cli.md, --help, enumeration errors and the reports' "options"
// all come from the same declarations, and the library's defaults are the CLI's.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli.hpp"
#include "cli_test_helpers.hpp"
#include "orevox/learning/raster_data.hpp"
#include "orevox/learning/torch/graph_experiment.hpp"
#include "orevox/learning/torch/raster_experiment.hpp"
#include "orevox/learning/torch/volume_models.hpp"

using namespace orevox;
using namespace orevox_test;

namespace {

/// The stdout of `orevox args...` (for --help).
std::string helpOf(const std::vector<std::string>& args) {
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  orevox::cli::runCli(args);
  testing::internal::GetCapturedStderr();
  return testing::internal::GetCapturedStdout();
}

}  // namespace

TEST(CliReference, DocsCliMdIsUpToDate) {
#ifndef OREVOX_WITH_VIZ
  GTEST_SKIP() << "docs/cli.md documents render and view too: this build has no viz";
#endif
  const std::string expected = orevox::cli::cliReference();
  const std::string path = std::string(OREVOX_SOURCE_DIR) + "/docs/cli.md";
  const char* update = std::getenv("OREVOX_UPDATE_DOCS");
  if (update && std::string(update) == "1") std::ofstream(path) << expected;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(text.str() == expected)
      << "docs/cli.md is out of date: OREVOX_UPDATE_DOCS=1 ctest -R CliReference rewrites it";
}

TEST(CliReference, EveryDeclaredOptionIsInHelpAndDocs) {
  const std::string md = orevox::cli::cliReference();
  // One option of each library declaration, with the library's default.
  const std::string train = helpOf({"raster", "train", "--help"});
  for (const char* flag : {"--epochs", "--lr", "--spatial-folds", "--copies", "--window",
                           "--shap-samples", "--label-fractions", "--report", "--threads"})
    EXPECT_NE(train.find(flag), std::string::npos) << flag << "\n" << train;
  const std::string graph = helpOf({"graph", "--help"});
  for (const char* flag : {"--epochs", "--local-k", "--zone-cell", "--dl-factor", "--protocol"})
    EXPECT_NE(graph.find(flag), std::string::npos) << flag << "\n" << graph;
  const std::string transfer = helpOf({"transfer", "train", "--help"});
  for (const char* flag :
       {"--patch", "--lr-schedule", "--domain-weights", "--mmd-patches", "--tile"})
    EXPECT_NE(transfer.find(flag), std::string::npos) << flag << "\n" << transfer;
  EXPECT_NE(md.find("## orevox raster train"), std::string::npos);
  EXPECT_NE(md.find("## orevox transfer predict"), std::string::npos);
  EXPECT_NE(md.find("| `--epochs INT` | `" + std::to_string(RasterTrainOptions().epochs) + "` |"),
            std::string::npos);
}

TEST(CliReference, LibraryDefaultsAreTheReconciledOnes) {
  // The disagreements, settled once in the library (the CLI shows these values).
  EXPECT_EQ(RasterTrainOptions().epochs, 10);
  EXPECT_EQ(WindowSplitOptions().spatialFolds, SpatialFolds::Blocks);
  EXPECT_EQ(GraphExperimentOptions().dlFactor, kDetectionLimitFactor);
  EXPECT_EQ(GeochemStackOptions().censoredFactor, kDetectionLimitFactor);
  EXPECT_EQ(ReplacementReport().factor, 0.65);
  const IdwOptions idw;
  EXPECT_EQ(GeochemStackOptions().idw.neighbors, idw.neighbors);
  EXPECT_EQ(GeochemStackOptions().idw.power, idw.power);
  EXPECT_EQ(GeochemStackOptions().idw.radius, 3000.0);
  EXPECT_EQ(RasterExperimentOptions().shap.samples, 64u);
}

TEST_F(CliTest, EnumerationErrorsListTheNames) {
  auto r =
      run({"raster", "train", "--dataset", "synth2d", "--protocol", "leaky", "--out", path("o")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--protocol: 'leaky' is not one of spatial, paper, both"), std::string::npos)
      << r.err;
  r = run({"graph", "--dataset", "synth2d", "--oversample", "gan,smite"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(
      r.err.find("--oversample: 'smite' is not one of gan, vae, smote, noise, weights, none, all"),
      std::string::npos)
      << r.err;
  r = run(
      {"transfer", "train", "--dataset", "synth3d", "--lr-schedule", "cosine", "--out", path("o")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--lr-schedule: 'cosine' is not one of dann, constant"), std::string::npos)
      << r.err;
  EXPECT_EQ(lineCount(r.err), 1) << r.err;
  EXPECT_EQ(fileCount(), 0u);
}

TEST_F(CliTest, ReportRecordsEveryOptionTyped) {
  write("s.csv", "x,y,Au\n0,0,1\n100,0,2\n0,100,3\n100,100,4\n");
  const auto r = run({"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "50", "--out",
                      path("g.tif"), "--report", path("r.json"), "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::ifstream in(path("r.json"));
  const auto report = nlohmann::json::parse(in);
  const auto& o = report["options"];
  EXPECT_EQ(o["cell"], 50.0);
  EXPECT_EQ(o["neighbors"], 12);  // the IdwOptions default
  EXPECT_EQ(o["fields"], nlohmann::json::array({"Au"}));
  EXPECT_EQ(o["censored-factor"], 0.65);
  EXPECT_FALSE(o.contains("report"));  // run settings are not study options
}
