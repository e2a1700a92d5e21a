// CLI tests of orevox graph (in-process, see cli_test_helpers.hpp): report keys, the model
// table, sweeps, buffered leave-one-deposit-out folds, bad option values, determinism. A
// tiny 4-element survey keeps each run to about a second.
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "cli_test_helpers.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/learning/torch/graph_experiment.hpp"

using namespace orevox_test;

namespace {

/// 240 samples on a 12 x 20 grid of 500 m; samples within 1 km of the two deposits are
/// ore-bearing and carry more of element A (and less of D).
std::string surveyCsv() {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> n(0, 0.25);
  std::ostringstream csv;
  csv << "x,y,A,B,C,D,ore\n";
  const double dx[2] = {2000, 7000}, dy[2] = {3000, 4000};
  for (int i = 0; i < 20; ++i) {
    for (int j = 0; j < 12; ++j) {
      const double x = 250 + 500.0 * i, y = 250 + 500.0 * j;
      int ore = 0;
      for (int d = 0; d < 2; ++d) ore |= std::hypot(x - dx[d], y - dy[d]) <= 1000 ? 1 : 0;
      const double a = std::exp(3 + n(rng) + (ore ? 1.2 : 0.0)), b = std::exp(4 + n(rng)),
                   c = std::exp(2 + n(rng) + 0.5 * std::log(b)),
                   d = std::exp(5 + n(rng) - (ore ? 0.8 : 0.0));
      csv << x << "," << y << "," << a << "," << b << "," << c << "," << d << "," << ore << "\n";
    }
  }
  return csv.str();
}

nlohmann::json readJson(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

}  // namespace

class CliGraph : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    write("s.csv", surveyCsv());
    write("d.csv", "x,y\n2000,3000\n7000,4000\n");
  }
  std::vector<std::string> base() const {
    return {"graph",   "--samples",    path("s.csv"), "--label",     "ore", "--elements",
            "A,B,C,D", "--epochs",     "2",           "--folds",     "3",   "--block-size",
            "2000",    "--oversample", "smote",       "--bootstrap", "20",  "--threads",
            "1",       "--quiet"};
  }
  /// base() with `extra` (option, value pairs) replacing or adding options.
  std::vector<std::string> with(std::vector<std::string> extra) const {
    const std::vector<std::string> b = base();
    std::vector<std::string> a{b.front()};
    for (std::size_t i = 1; i < b.size(); ++i) {
      const bool flag = i + 1 == b.size() || b[i + 1].rfind("--", 0) == 0;
      if (std::find(extra.begin(), extra.end(), b[i]) == extra.end()) {
        a.push_back(b[i]);
        if (!flag) a.push_back(b[i + 1]);
      }
      if (!flag) ++i;
    }
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
};

TEST_F(CliGraph, ReportHoldsMetricsInUnitRangeAndTheRunSettings) {
  const auto r = run(
      with({"--model", "resgcn", "--seed", "3", "--report", path("r.json"), "--out", path("out")}));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto report = readJson(path("r.json"));
  ASSERT_EQ(report["results"]["runs"].size(), 1u);
  const auto& runJson = report["results"]["runs"][0];
  for (const char* key : {"accuracy", "sensitivity", "specificity", "f1", "auc"}) {
    for (const auto& m : {runJson["metrics"], report["metrics"]}) {
      ASSERT_TRUE(m[key].is_number()) << key;
      EXPECT_GE(m[key].get<double>(), 0.0) << key;
      EXPECT_LE(m[key].get<double>(), 1.0) << key;
    }
  }
  EXPECT_EQ(runJson["protocol"], "spatial");
  EXPECT_EQ(runJson["graph_mode"], "global");
  EXPECT_DOUBLE_EQ(runJson["alpha"].get<double>(), 0.6);
  EXPECT_EQ(runJson["oversampler"], "smote");
  EXPECT_EQ(runJson["seed"], 3);
  EXPECT_EQ(runJson["fold_scheme"], "spatial blocks");
  EXPECT_EQ(runJson["per_fold"].size(), 3u);
  EXPECT_TRUE(fs::exists(path("out/graph_table.md")));
}

TEST_F(CliGraph, ModelAllWritesTheTableOfEveryModelUnderBothProtocols) {
  const auto r = run(with({"--model", "all", "--epochs", "1", "--out", path("out")}));
  ASSERT_EQ(r.code, 0) << r.err;
  std::ifstream in(path("out/graph_table.md"));
  std::stringstream text;
  text << in.rdbuf();
  const std::string t = text.str();
  for (const char* m : {"svm", "rf", "xgb", "kmeans", "knn", "ae", "gcn", "gat", "gin", "diffpool",
                        "sage", "resgcn", "resgat"}) {
    EXPECT_NE(t.find("| " + std::string(m) + " | spatial |"), std::string::npos) << m;
    EXPECT_NE(t.find("| " + std::string(m) + " | paper (leaky) |"), std::string::npos) << m;
  }
}

TEST_F(CliGraph, SweepsWriteTheAlphaAndOversamplerTables) {
  const auto r = run(with({"--model", "gcn", "--alpha", "0.3,0.6", "--oversample", "none,weights",
                           "--report", path("r.json"), "--out", path("out")}));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(readJson(path("r.json"))["results"]["runs"].size(), 4u);
  std::ifstream sweep(path("out/alpha_sweep.md")), over(path("out/oversample_table.md"));
  std::stringstream a, o;
  a << sweep.rdbuf();
  o << over.rdbuf();
  EXPECT_NE(a.str().find("| 0.3 |"), std::string::npos);
  EXPECT_NE(a.str().find("| 0.6 |"), std::string::npos);
  EXPECT_NE(o.str().find("| weights |"), std::string::npos);
  EXPECT_NE(o.str().find("| none |"), std::string::npos);
}

TEST_F(CliGraph, LeaveOneDepositOutRunsOneFoldPerDeposit) {
  const auto r = run(with({"--model", "knn", "--folds", "lodo", "--deposits", path("d.csv"),
                           "--buffer", "600", "--report", path("r.json")}));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto report = readJson(path("r.json"));
  const auto& runJson = report["results"]["runs"][0];
  EXPECT_EQ(runJson["fold_scheme"], "buffered leave-one-deposit-out");
  EXPECT_EQ(runJson["folds"], 2);
  EXPECT_DOUBLE_EQ(runJson["lodo_buffer_m"].get<double>(), 600.0);
  // Without deposits there is nothing to leave out.
  const auto bad = run(with({"--model", "knn", "--folds", "lodo"}));
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("--folds lodo"), std::string::npos) << bad.err;
}

TEST_F(CliGraph, BadValuesExitTwoNamingTheOption) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--alpha", "1.5"}, "--alpha"},
      {{"--alpha", "x"}, "--alpha"},
      {{"--folds", "1"}, "--folds"},
      {{"--folds", "abc"}, "--folds"},
      {{"--oversample", "magic"}, "--oversample"},
      {{"--model", "resnet"}, "--model"},
      {{"--graph", "mesh"}, "--graph"},
      {{"--buffer", "-3"}, "--buffer"},
      {{"--protocol", "leaky"}, "--protocol"},
  };
  for (const auto& [extra, option] : cases) {
    const auto r = run(with(extra));
    EXPECT_EQ(r.code, 2) << extra[0] << " " << extra[1] << ": " << r.err;
    EXPECT_NE(r.err.find(option), std::string::npos) << r.err;
    EXPECT_EQ(lineCount(r.err), 1) << r.err;
  }
  EXPECT_EQ(fileCount(), 2u);  // s.csv, d.csv: nothing written
}

TEST_F(CliGraph, SameSeedSameMetrics) {
  const auto a = run(with({"--model", "resgat", "--seed", "4", "--report", path("a.json")}));
  const auto b = run(with({"--model", "resgat", "--seed", "4", "--report", path("b.json")}));
  ASSERT_EQ(a.code, 0) << a.err;
  ASSERT_EQ(b.code, 0) << b.err;
  const auto ja = readJson(path("a.json"))["results"]["runs"][0],
             jb = readJson(path("b.json"))["results"]["runs"][0];
  EXPECT_EQ(ja["metrics"], jb["metrics"]);
  EXPECT_EQ(ja["per_fold"], jb["per_fold"]);
  EXPECT_EQ(ja["pooled"], jb["pooled"]);
}

TEST_F(CliGraph, SavedModelPredictsNewSamplesAsTheLibraryDoes) {
  ASSERT_EQ(run(with({"--model", "resgcn", "--out", path("out")})).code, 0);
  ASSERT_TRUE(fs::exists(path("out/resgcn.pt")));
  ASSERT_TRUE(fs::exists(path("out/resgcn.json")));
  // New samples: the survey with a site id and an extra numeric column that passes through.
  std::istringstream in(surveyCsv());
  std::ostringstream csv;
  std::string line;
  std::getline(in, line);
  csv << "id," << line << ",elev\n";
  for (int i = 0; std::getline(in, line); ++i) csv << "S" << i << "," << line << "," << -10.5 * i << "\n";
  write("new.csv", csv.str());
  const auto p = run({"graph", "predict", "--model", path("out/resgcn.pt"), "--samples",
                      path("new.csv"), "--out", path("p.csv"), "--zones", path("z.gpkg"),
                      "--report", path("r.json"), "--quiet"});
  ASSERT_EQ(p.code, 0) << p.err;
  orevox::GraphInputs inputs;
  const orevox::GraphClassifier model = orevox::GraphClassifier::load(path("out/resgcn.pt"), inputs);
  EXPECT_EQ(inputs.elements, (std::vector<std::string>{"A", "B", "C", "D"}));
  orevox::CsvOptions options;
  options.allowNegative = true;
  const orevox::SampleTable samples = orevox::readSamplesCsv(path("new.csv"), options);
  const std::vector<double> expected = orevox::predictGraphSamples(model, inputs, samples);
  options.idColumn = "id";
  const orevox::SampleTable out = orevox::readSamplesCsv(path("p.csv"), options);
  ASSERT_EQ(out.size(), 240u);
  EXPECT_EQ(out.ids[7], "S7");
  EXPECT_DOUBLE_EQ(out.column("elev").values[7], -73.5);
  EXPECT_DOUBLE_EQ(out.column("A").values[3], samples.column("A").values[3]);
  for (std::size_t i = 0; i < 240; ++i) EXPECT_NEAR(out.column("p_ore").values[i], expected[i], 1e-12) << i;
  EXPECT_EQ(readJson(path("r.json"))["results"]["prediction"]["samples"], 240);
  // A survey without one of the model's elements: one line naming it, no output.
  write("short.csv", "x,y,A,B,C\n0,0,1,2,3\n500,0,2,3,4\n");
  const auto bad = run({"graph", "predict", "--model", path("out/resgcn.pt"), "--samples",
                        path("short.csv"), "--out", path("q.csv")});
  EXPECT_EQ(bad.code, 1);
  EXPECT_EQ(lineCount(bad.err), 1) << bad.err;
  EXPECT_NE(bad.err.find("'D'"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(path("q.csv")));
}
