// Options declared once: parsing, checks and their one-line messages, JSON in and out,
// the docs table.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "orevox/core/options.hpp"

using namespace orevox;

namespace {

enum class Method { Idw, Kriging };

NameTable<Method> methodNames() { return {{"idw", Method::Idw}, {"kriging", Method::Kriging}}; }

struct Settings {
  double cell = 0;
  int neighbors = 16;
  std::uint64_t seed = 1;
  std::size_t patch = 9;
  bool verbose = false;
  std::string out;
  std::vector<std::string> models = {"dann-cta"};
  Method method = Method::Idw;
  std::vector<double> extent;
  std::vector<std::string> fields = {"CU"};
  std::vector<long> size = {64, 64, 32};

  void declare(OptionSet& set) {
    set.add("cell", cell, "Cell size").units("m").required().positive();
    set.add("neighbors", neighbors, "Samples per estimate").positive();
    set.add("seed", seed, "Seed");
    set.add("patch", patch, "Patch edge").range(7, 99).odd().units("voxels");
    set.add("verbose", verbose, "Say more");
    set.add("out", out, "Output file").placeholder("FILE");
    set.add("model", models, "Models").choices({"dann-cta", "dann", "cnn3d"}, {"all"});
    set.add("method", method, methodNames(), "Estimator");
    set.add("extent", extent, "Box").counts({4, 6});
    set.add("fields", fields, "Fields");
    set.add("size", size, "Voxels").counts({3}).positive();
  }
};

std::string messageOf(OptionSet& set, const std::string& name, const std::string& text) {
  try {
    set.set(name, text);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST(Options, DefaultsAreTheFieldsValuesAndParsesAssign) {
  Settings s;
  OptionSet set("drillholes grid");
  s.declare(set);
  EXPECT_EQ(set.find("neighbors")->defaultText(), "16");
  EXPECT_EQ(set.find("method")->defaultText(), "idw");
  EXPECT_EQ(set.find("size")->defaultText(), "64,64,32");
  EXPECT_EQ(set.find("fields")->defaultText(), "CU");
  EXPECT_EQ(set.find("cell")->defaultText(), "0");
  double twenty = 20, small = 1e-5, share = 0.65;  // shortest forms that read back
  set.add("twenty", twenty, "");
  set.add("small", small, "");
  set.add("share", share, "");
  EXPECT_EQ(set.find("twenty")->defaultText(), "20");
  EXPECT_EQ(set.find("small")->defaultText(), "1e-05");
  EXPECT_EQ(set.find("share")->defaultText(), "0.65");
  set.set("cell", "2.5");
  set.set("method", "kriging");
  set.set("extent", "0, 0, 10,10");
  set.set("fields", "CU,NI,LITH");
  set.set("verbose", "true");
  set.set("seed", "18446744073709551615");
  set.set("model", "all");
  EXPECT_DOUBLE_EQ(s.cell, 2.5);
  EXPECT_EQ(s.method, Method::Kriging);
  EXPECT_EQ(s.extent, (std::vector<double>{0, 0, 10, 10}));
  EXPECT_EQ(s.fields, (std::vector<std::string>{"CU", "NI", "LITH"}));
  EXPECT_TRUE(s.verbose);
  EXPECT_EQ(s.seed, 18446744073709551615ull);
  EXPECT_EQ(s.models, (std::vector<std::string>{"all"}));
  EXPECT_TRUE(set.find("cell")->wasSet());
  EXPECT_FALSE(set.find("neighbors")->wasSet());
}

TEST(Options, ChecksGiveOneLineMessagesNamingOptionAndValue) {
  Settings s;
  OptionSet set("drillholes grid");
  s.declare(set);
  EXPECT_EQ(messageOf(set, "cell", "-1"), "--cell: '-1' is not a number > 0");
  EXPECT_EQ(messageOf(set, "cell", "abc"), "--cell: 'abc' is not a number");
  EXPECT_EQ(messageOf(set, "cell", "1e400"), "--cell: '1e400' is not a number");  // overflow
  EXPECT_EQ(messageOf(set, "cell", "inf"), "--cell: 'inf' is not a number");
  EXPECT_EQ(messageOf(set, "cell", "nan"), "--cell: 'nan' is not a number");
  EXPECT_EQ(messageOf(set, "neighbors", "0"), "--neighbors: '0' is not a whole number > 0");
  EXPECT_EQ(messageOf(set, "neighbors", "1.5"), "--neighbors: '1.5' is not a whole number in [-2147483648, 2147483647]");
  // Unsigned options do not wrap (a seed of -1 was read as 2^64 - 1).
  EXPECT_EQ(messageOf(set, "seed", "-1"), "--seed: '-1' is not a whole number in [0, 18446744073709551615]");
  EXPECT_EQ(messageOf(set, "seed", "18446744073709551616"),
            "--seed: '18446744073709551616' is not a whole number in [0, 18446744073709551615]");
  EXPECT_EQ(messageOf(set, "patch", "8"), "--patch: '8' is not a whole number that is odd");
  EXPECT_EQ(messageOf(set, "patch", "101"), "--patch: '101' is not a whole number in [7, 99]");
  EXPECT_EQ(messageOf(set, "method", "idx"), "--method: 'idx' is not one of idw, kriging");
  EXPECT_EQ(messageOf(set, "model", "dann,rf"), "--model: 'rf' is not one of dann-cta, dann, cnn3d, all");
  EXPECT_EQ(messageOf(set, "extent", "0,0,1"), "--extent: '0,0,1' has 3 items, expected 4 or 6");
  EXPECT_EQ(messageOf(set, "extent", "0,,1,2"), "--extent: '0,,1,2' has an empty item");
  EXPECT_EQ(messageOf(set, "size", "64,0,32"), "--size: '0' is not a whole number > 0");
  EXPECT_EQ(messageOf(set, "verbose", "maybe"), "--verbose: 'maybe' is not true or false");
  EXPECT_EQ(messageOf(set, "nosuch", "1"), "'nosuch' is not an option of drillholes grid");
  // A huge or multi-line value is echoed short, on one line.
  const std::string huge(500000, '9');
  const std::string m = messageOf(set, "neighbors", huge);
  EXPECT_LT(m.size(), 200u);
  EXPECT_NE(m.find("(500000 characters)"), std::string::npos) << m;
  EXPECT_EQ(messageOf(set, "cell", "1\n2").find('\n'), std::string::npos);
  // A failed parse leaves the field as it was.
  EXPECT_DOUBLE_EQ(s.cell, 0);
  EXPECT_EQ(s.neighbors, 16);
  EXPECT_THROW(set.checkRequired(), UsageError);
  set.set("cell", "1");
  EXPECT_NO_THROW(set.checkRequired());
}

TEST(Options, JsonRoundTripReproducesTheSettings) {
  Settings a;
  OptionSet setA("drillholes grid");
  a.declare(setA);
  setA.set("cell", "5");
  setA.set("method", "kriging");
  setA.set("extent", "1,2,3,4,5,6");
  setA.set("seed", "7");
  setA.set("verbose", "on");
  const nlohmann::json j = setA.toJson();
  EXPECT_EQ(j["cell"], 5.0);
  EXPECT_EQ(j["method"], "kriging");
  EXPECT_EQ(j["seed"], 7u);
  EXPECT_EQ(j["verbose"], true);
  EXPECT_EQ(j["size"], nlohmann::json::array({64, 64, 32}));
  EXPECT_EQ(j["extent"], nlohmann::json::array({1.0, 2.0, 3.0, 4.0, 5.0, 6.0}));

  Settings b;
  OptionSet setB("drillholes grid");
  b.declare(setB);
  setB.fromJson(j, "study.json");
  EXPECT_EQ(setB.toJson(), j);
  EXPECT_EQ(b.method, Method::Kriging);
  EXPECT_EQ(b.extent, a.extent);
  EXPECT_TRUE(b.verbose);

  Settings c;
  OptionSet setC("drillholes grid");
  c.declare(setC);
  try {
    setC.fromJson(nlohmann::json{{"cell", -2}}, "study.json");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "study.json: --cell: '-2' is not a number > 0");
  }
  try {
    setC.fromJson(nlohmann::json{{"cells", 2}}, "study.json");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("study.json: 'cells' is not an option of drillholes grid", 0), 0u) << e.what();
  }
}

TEST(Options, MarkdownTableListsEveryOptionWithDefaultsAndUnits) {
  Settings s;
  OptionSet set("drillholes grid");
  s.declare(set);
  const std::string md = set.markdownTable();
  EXPECT_NE(md.find("| `--cell NUMBER` | (required) | m | Cell size |"), std::string::npos) << md;
  EXPECT_NE(md.find("| `--method NAME` | `idw` |  | Estimator (one of: idw, kriging) |"), std::string::npos) << md;
  EXPECT_NE(md.find("| `--out FILE` |  |  | Output file |"), std::string::npos) << md;
  EXPECT_NE(md.find("| `--verbose` | `false` |"), std::string::npos) << md;
  EXPECT_THROW(set.add("cell", s.cell, "again"), UsageError);
}

TEST(Options, NameTablesNameAndParse) {
  EXPECT_EQ(nameOf(methodNames(), Method::Kriging), "kriging");
  EXPECT_EQ(listNames(methodNames()), "idw, kriging");
  EXPECT_EQ(parseName(methodNames(), "idw", "--method"), Method::Idw);
  EXPECT_THROW(parseName(methodNames(), "x", "--method"), UsageError);
}
