// The HTML report: links only files that exist, relative links, escaping, no network.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "orevox/core/error.hpp"
#include "orevox/viz/html_report.hpp"

using namespace orevox;
namespace fs = std::filesystem;

TEST(HtmlReport, LinksOnlyExistingFilesRelatively) {
  const fs::path dir = fs::path(OREVOX_BINARY_DIR) / "test_output" / "viz" / "report";
  fs::remove_all(dir);
  fs::create_directories(dir / "figures");
  std::ofstream(dir / "figures" / "map.png") << "png";
  std::ofstream(dir / "table.csv") << "a,b\n";

  ReportSection s1;
  s1.title = "Synthetic district <2D>";
  s1.paragraphs = {"Known & hidden deposits."};
  s1.tables.push_back({"Scores", {"model", "AUC"}, {{"ResGNN", "0.91"}, {"<script>", "x"}}});
  ReportFigure f1;
  f1.path = "figures/map.png";
  f1.caption = "Truth map";
  f1.data = "synth2d";
  f1.model = "ground truth";
  f1.seed = 7;
  f1.hasSeed = true;
  ReportFigure f2 = f1;
  f2.path = "figures/missing.png";
  ReportFigure f3 = f1;
  f3.path = (dir / "figures" / "map.png").string();  // absolute: linked relatively
  s1.figures = {f1, f2, f3};
  s1.links = {{(dir / "table.csv").string(), "scores table"}, {"nothing.json", ""}};
  ReportSection s2;
  s2.title = "Volumes";
  const HtmlReportResult res = writeHtmlReport(dir.string(), "orevox demo", {s1, s2});

  EXPECT_EQ(res.path, (dir / "index.html").string());
  EXPECT_EQ(res.linked,
            (std::vector<std::string>{"figures/map.png", "figures/map.png", "table.csv"}));
  EXPECT_EQ(res.missing, (std::vector<std::string>{"figures/missing.png", "nothing.json"}));

  std::ifstream in(dir / "index.html");
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string html = buf.str();
  // Every href / src is relative and names an existing file (or an in-page anchor).
  const std::regex attr(R"((href|src)=\"([^\"]*)\")");
  int links = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), attr); it != std::sregex_iterator();
       ++it) {
    const std::string target = (*it)[2];
    if (!target.empty() && target[0] == '#') continue;
    ++links;
    EXPECT_FALSE(fs::path(target).is_absolute()) << target;
    EXPECT_TRUE(fs::exists(dir / target)) << target;
  }
  EXPECT_EQ(links, 5);                              // 2 figures x (a + img) + 1 file
  EXPECT_EQ(html.find("http"), std::string::npos);  // nothing fetched from a network
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("Synthetic district &lt;2D&gt;"), std::string::npos);
  EXPECT_NE(html.find("figure not produced: figures/missing.png"), std::string::npos);
  EXPECT_NE(html.find("Data: synth2d. Model: ground truth. Protocol: none. Seed: 7."),
            std::string::npos);
  EXPECT_EQ(htmlEscape("a&b\"'"), "a&amp;b&quot;&#39;");

  EXPECT_THROW(writeHtmlReport((dir / "no_such_dir").string(), "x", {}), IoError);
}
