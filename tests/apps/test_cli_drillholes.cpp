// orevox drillholes desurvey and orevox synth 3d --drillholes, run in-process: outputs,
// the report, exit codes and one-line messages, and no output from a failed run.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_test_helpers.hpp"
#include "orevox/datasets/vtp_io.hpp"

using namespace orevox;
namespace fs = std::filesystem;
using namespace orevox_test;

namespace {

class DrillholesCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    // One vertical hole (no survey) and one inclined to the east at 60 degrees down.
    write("c.csv", "BHID,XCOLLAR,YCOLLAR,ZCOLLAR\nV,1000,2000,100\nI,1100,2000,100\n");
    write("s.csv", "BHID,AT,AZ,DIP\nI,0,90,60\nI,90000,90,60\n");
    write("a.csv", "BHID,FROM,TO,CU\nV,0,10,0.5\nV,10,20,1.5\nI,0,20,2\n");
  }
  std::vector<std::string> base() const {
    return {"drillholes",  "desurvey",    "--collars",   path("c.csv"),   "--surveys",
            path("s.csv"), "--intervals", path("a.csv"), "--length-unit", "ft",
            "--out",       path("out"),   "--quiet"};
  }
};

}  // namespace

TEST_F(DrillholesCli, DesurveyWritesPositionsByHandAndAReport) {
  std::vector<std::string> args = base();
  args.insert(args.end(), {"--report", path("r.json")});
  const auto r = run(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string csv = slurp(path("out/intervals.csv"));
  // V 0-10: straight down, middle at z = 95. I 0-20: direction (sin 60 ... ) = (0.5, 0, -0.866):
  // middle (1105, 2000, 100 - 10 sin 60), ends at 0 and 20.
  EXPECT_NE(csv.find("\nV,0,10,1000,2000,95,1000,2000,100,1000,2000,90,0.5\n"), std::string::npos)
      << csv;
  const double z = 100.0 - 10.0 * std::sqrt(3.0) / 2.0;
  std::ostringstream row;
  row.precision(17);
  row << "\nI,0,20,1105,2000,";
  EXPECT_NE(csv.find(row.str()), std::string::npos) << csv;
  const std::size_t at = csv.find(row.str()) + row.str().size();
  EXPECT_NEAR(std::stod(csv.substr(at)), z, 1e-12);
  std::ifstream in(path("r.json"));
  const auto report = nlohmann::json::parse(in);
  EXPECT_EQ(report["command"], "drillholes desurvey");
  EXPECT_EQ(report["parameters"]["length-unit"], "ft");
  EXPECT_EQ(report["results"]["drillholes"]["dip"]["convention"], "down-positive");
  EXPECT_EQ(report["results"]["drillholes"]["checks"]["survey_beyond_depth"]["rows_skipped"], 1);
  EXPECT_EQ(report["results"]["drillholes"]["checks"]["no_survey"]["warnings"], 1);
  EXPECT_EQ(report["outputs"].size(), 3u);
  const DrillholeTraces t = readTracesVtp(path("out/traces.vtp"));
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(t.unit, LengthUnit::Foot);
}

TEST_F(DrillholesCli, CompositeOptionAndTangentMethod) {
  std::vector<std::string> args = base();
  args.insert(args.end(), {"--composite", "20", "--method", "tangent", "--gpkg"});
  const auto r = run(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string csv = slurp(path("out/intervals.csv"));
  EXPECT_NE(csv.find("\nV,0,20,1000,2000,90,1000,2000,100,1000,2000,80,1\n"), std::string::npos)
      << csv;
  EXPECT_TRUE(fs::exists(path("out/traces.gpkg")));
}

TEST_F(DrillholesCli, BadInputIsOneLineExitOneAndWritesNothing) {
  ASSERT_EQ(run(base()).code, 0);
  const std::string before = slurp(path("out/intervals.csv"));
  write("a.csv", "BHID,FROM,TO,CU\nV,0,10,0.5\nV,10,x,1.5\n");
  auto r = run(base());
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(lineCount(r.err), 1) << r.err;
  EXPECT_EQ(r.err, "orevox drillholes desurvey: error: " + path("a.csv") +
                       ":3:3: column 'TO': value 'x': not a number\n");
  EXPECT_EQ(slurp(path("out/intervals.csv")), before);
  // --strict turns a skipped row into an error at its place.
  write("a.csv", "BHID,FROM,TO,CU\nV,0,10,0.5\nV,10,10,1.5\n");
  std::vector<std::string> strict = base();
  strict.push_back("--strict");
  r = run(strict);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(":3:3: column 'TO': value '10': zero_length_interval in hole 'V'"),
            std::string::npos)
      << r.err;
  // Usage errors: exit 2.
  std::vector<std::string> bad = base();
  bad.insert(bad.end(), {"--dip", "sideways"});
  r = run(bad);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--dip: 'sideways' is not one of auto, down-negative, down-positive"),
            std::string::npos)
      << r.err;
  bad = base();
  bad.insert(bad.end(), {"--composite", "-5"});
  EXPECT_EQ(run(bad).code, 2);
  EXPECT_EQ(slurp(path("out/intervals.csv")), before);
}

TEST_F(DrillholesCli, SynthDrillholesDesurveyCleanly) {
  auto r = run({"synth", "3d", "--size", "24,24,12", "--cell", "25", "--seed", "3", "--drillholes",
                "5", "--out", path("synth"), "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* f :
       {"source_collars.csv", "source_surveys.csv", "source_intervals.csv", "target_collars.csv"})
    EXPECT_TRUE(fs::exists(path(std::string("synth/") + f))) << f;
  r = run({"drillholes", "desurvey", "--collars", path("synth/source_collars.csv"), "--surveys",
           path("synth/source_surveys.csv"), "--intervals", path("synth/source_intervals.csv"),
           "--crs", "EPSG:32651", "--out", path("dh"), "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  // No anomaly in generated data: validation.csv holds the header and the note that halo
  // (log10 ppm) has negative values, kept as they are.
  const std::string v = slurp(path("dh/validation.csv"));
  EXPECT_EQ(lineCount(v), 2) << v;
  EXPECT_NE(v.find(",halo,,negative_value,"), std::string::npos) << v;
  r = run({"synth", "2d", "--drillholes", "5", "--out", path("s2"), "--quiet"});
  EXPECT_EQ(r.code, 2);
}

#ifdef OREVOX_WITH_VIZ
TEST_F(DrillholesCli, RenderDrawsTheTracesAloneOrOverAVolume) {
  ASSERT_EQ(run(base()).code, 0);
  // Option errors come before any rendering: an unknown field, traces given twice.
  const char* display = std::getenv("DISPLAY");
  if (!(display && *display)) GTEST_SKIP() << "rendering needs a display (run under xvfb-run -a)";
  auto r = run({"render", path("out/traces.vtp"), "--channel", "AU", "--out", path("t.png"), "--quiet"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--traces: no field 'AU' (fields: CU)"), std::string::npos) << r.err;
  r = run({"render", path("out/traces.vtp"), "--traces", path("out/traces.vtp"), "--out", path("t.png"), "--quiet"});
  EXPECT_EQ(r.code, 2);
  EXPECT_FALSE(fs::exists(path("t.png")));
  r = run({"render", path("out/traces.vtp"), "--channel", "CU", "--size", "320x240", "--out", path("t.png"),
           "--report", path("t.json"), "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_GT(fs::file_size(path("t.png")), 1000u);
  std::ifstream in(path("t.json"));
  const auto report = nlohmann::json::parse(in);
  EXPECT_EQ(report["results"]["traces"]["intervals"], 3);
  EXPECT_EQ(report["results"]["traces"]["field"], "CU");
}
#endif
