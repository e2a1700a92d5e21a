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

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

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

