// The command line with meshes: `orevox info` on a mesh file, `orevox render --mesh`.
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_test_helpers.hpp"

using namespace orevox_test;

namespace {
const std::string kMeshes = std::string(OREVOX_SOURCE_DIR) + "/tests/data/meshes/";
}

TEST_F(CliTest, InfoDescribesAMeshFile) {
  const auto r = run({"info", kMeshes + "pyramid_quad.obj", "--report", path("r.json"), "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::ifstream in(path("r.json"));
  const auto report = nlohmann::json::parse(in);
  const auto& d = report["results"]["description"];
  EXPECT_EQ(d["kind"], "mesh");
  EXPECT_EQ(d["triangles"], 6);
  EXPECT_EQ(d["closed"], true);
  EXPECT_DOUBLE_EQ(d["volume"].get<double>(), 4.0);
  // A broken mesh: exit 1 and one line naming the file, line and value.
  write("bad.obj", "v 0 0 0\nv 1 0 0\nf 1 2 3\n");
  const auto bad = run({"info", path("bad.obj")});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find(path("bad.obj") + ":3: value '3': face corner refers to vertex 3 of 2"),
            std::string::npos)
      << bad.err;
  EXPECT_EQ(lineCount(bad.err), 1);
}

#ifdef OREVOX_WITH_VIZ
TEST_F(CliTest, RenderDrawsMeshesWithTheirColours) {
  EXPECT_EQ(run({"render", kMeshes + "pyramid_quad.obj", "--mesh", kMeshes + "cube_ascii.stl:mauve",
                 "--out", path("m.png")})
                .code,
            2);
  EXPECT_EQ(run({"render", kMeshes + "pyramid_quad.obj", "--mesh", path("missing.stl"), "--out",
                 path("m.png")})
                .code,
            1);
  EXPECT_FALSE(fs::exists(path("m.png")));
  const char* display = std::getenv("DISPLAY");
  if (!(display && *display)) GTEST_SKIP() << "rendering needs a display (run under xvfb-run -a)";
  const auto r =
      run({"render", kMeshes + "pyramid_quad.obj", "--mesh", kMeshes + "cube_ascii.stl:0.2,0.6,0.2",
           "--mesh", kMeshes + "fault_depth_crlf.ts", "--out", path("m.png"), "--size", "320x240",
           "--report", path("r.json"), "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_GT(fs::file_size(path("m.png")), 1000u);
  std::ifstream in(path("r.json"));
  const auto report = nlohmann::json::parse(in);
  EXPECT_EQ(report["results"]["mesh_triangles"], 6 + 12 + 2);
  EXPECT_EQ(report["inputs"]["meshes"].size(), 2u);
}
#endif
