#include <gtest/gtest.h>

#include <filesystem>

#include "orevox/datasets/block_model.hpp"
#include "orevox/datasets/volume_io.hpp"
#include "orevox/core/error.hpp"
#include "test_helpers.hpp"

namespace orevox {
namespace {

using test::TempDir;

TEST(BlockModel, InfersSpacingOriginAndActiveBlocks) {
  TempDir dir;
  // 10 x 20 x 5 m blocks; x has a missing column of blocks (105, 115, 135: index 0, 1, 3).
  test::writeFile(dir.file("bm.csv"),
                  "x,y,z,Au,rock\n"
                  "105,210,-2.5,1.5,granite\n"
                  "115,210,-2.5,2.5,granite\n"
                  "135,230,-7.5,3.5,granite\n"
                  "105,230,-7.5,,granite\n");
  const VoxelModel m = readBlockModelCsv(dir.file("bm.csv"));
  const VolumeSpec& s = m.spec();
  EXPECT_EQ(s.nx, 4u);
  EXPECT_EQ(s.ny, 2u);
  EXPECT_EQ(s.nz, 2u);
  EXPECT_DOUBLE_EQ(s.spacing[0], 10.0);
  EXPECT_DOUBLE_EQ(s.spacing[1], 20.0);
  EXPECT_DOUBLE_EQ(s.spacing[2], 5.0);
  EXPECT_DOUBLE_EQ(s.origin[0], 100.0);  // first centre - half a block
  EXPECT_DOUBLE_EQ(s.origin[1], 200.0);
  EXPECT_DOUBLE_EQ(s.origin[2], -10.0);
  EXPECT_EQ(m.channelNames(), std::vector<std::string>{"Au"});
  EXPECT_EQ(m.activeVoxelCount("Au"), 3u);        // the empty value leaves its block inactive
  EXPECT_FLOAT_EQ(m.value("Au", 0, 0, 1), 1.5f);  // z = -2.5 is the upper layer k = 1
  EXPECT_FLOAT_EQ(m.value("Au", 1, 0, 1), 2.5f);
  EXPECT_FLOAT_EQ(m.value("Au", 3, 1, 0), 3.5f);
  EXPECT_FALSE(m.isActive("Au", 0, 1, 0));
}

TEST(BlockModel, IrregularLatticeAndRepeatedBlocksAreDataErrors) {
  TempDir dir;
  const std::string path = dir.file("bad.csv");
  // Gaps 10 and 4, as common: block size 4 (the smaller), and 10 and 14 share a phase that
  // 0 does not.
  test::writeFile(path, "x,y,z,Au\n0,0,0,1\n10,0,0,1\n14,0,0,1\n");
  EXPECT_EQ(
      test::errorMessage<DataError>([&] { readBlockModelCsv(path); }),
      path +
          ":2:1: column 'x': value '0': block centre is not on the regular lattice (block size 4 "
          "through 10, the most common gap and the centres most blocks share)");
  // One centre 2.5 m off a 10 m lattice is that centre's error, not a 2.5 m lattice.
  test::writeFile(path, "x,y,z,Au\n0,0,0,1\n10,0,0,1\n20,0,0,1\n30,0,0,1\n12.5,0,0,1\n");
  EXPECT_EQ(test::errorMessage<DataError>([&] { readBlockModelCsv(path); }),
            path +
                ":6:1: column 'x': value '12.5': block centre is not on the regular lattice (block "
                "size 10 "
                "through 0, the most common gap and the centres most blocks share)");
  test::writeFile(path, "x,y,z,Au\n0,0,0,1\n10,0,0,1\n0,0,0,2\n");
  EXPECT_EQ(test::errorMessage<DataError>([&] { readBlockModelCsv(path); }),
            path + ":4:1: column 'x': value '0': repeated block (same centre as line 2)");
  test::writeFile(path, "x,y,z,Au\n0,0,0,1\n");
  EXPECT_EQ(test::errorMessage<DataError>([&] { readBlockModelCsv(path); }),
            path + ": cannot infer the block size from a single block");
  test::writeFile(path, "x,y,Au\n0,0,1\n1,0,1\n");
  EXPECT_EQ(test::errorMessage<DataError>([&] { readBlockModelCsv(path); }),
            path + ":1: column 'z': missing column (available: x, y, Au)");
}

VoxelModel sampleModel() {
  VolumeSpec spec;
  spec.nx = 3;
  spec.ny = 2;
  spec.nz = 2;
  spec.origin = {1000.0, 2000.0, -100.0};
  spec.spacing = {25.0, 25.0, 10.0};
  VoxelModel m(spec);
  m.addChannel("Au", 0.0f, "ppm");
  m.addChannel("dist", 0.0f, "m");
  m.setValue("Au", 0, 0, 0, 0.1f);
  m.setValue("Au", 2, 1, 1, 7.25f);
  m.setValue("dist", 0, 0, 0, 12.0f);
  m.setValue("dist", 1, 0, 1, -30.0f);  // signed distance: block values need not be positive
  return m;
}

TEST(BlockModel, WriteReadRoundTrip) {
  TempDir dir;
  const VoxelModel m = sampleModel();
  writeBlockModelCsv(m, dir.file("bm.csv"));
  const std::string text = test::readFile(dir.file("bm.csv"));
  EXPECT_EQ(text,
            "x,y,z,Au,dist\n"
            "1012.5,2012.5,-95,0.1,12\n"
            "1037.5,2012.5,-85,,-30\n"
            "1062.5,2037.5,-85,7.25,\n");
  const VoxelModel back = readBlockModelCsv(dir.file("bm.csv"));
  EXPECT_EQ(back.spec().nx, 3u);
  EXPECT_EQ(back.spec().ny, 2u);
  EXPECT_EQ(back.spec().nz, 2u);
  for (std::size_t a = 0; a < 3; ++a) {
    EXPECT_DOUBLE_EQ(back.spec().origin[a], m.spec().origin[a]);
    EXPECT_DOUBLE_EQ(back.spec().spacing[a], m.spec().spacing[a]);
  }
  for (const std::string ch : {"Au", "dist"}) {
    EXPECT_EQ(back.activeMask(ch), m.activeMask(ch)) << ch;
    EXPECT_EQ(back.denseChannel(ch), m.denseChannel(ch)) << ch;
  }
}

TEST(VolumeIo, DispatchesByExtension) {
  TempDir dir;
  const VoxelModel m = sampleModel();
  for (const std::string ext : {".vdb", ".vti", ".csv"}) {
    const std::string path = dir.file("m" + ext);
    writeVolume(m, path);
    const VoxelModel back = readVolume(path);
    EXPECT_EQ(back.spec().nx, 3u) << ext;
    EXPECT_NEAR(back.spec().origin[0], 1000.0, 1e-9) << ext;
    EXPECT_EQ(back.activeMask("Au"), m.activeMask("Au")) << ext;
    EXPECT_EQ(back.denseChannel("dist"), m.denseChannel("dist")) << ext;
  }
  EXPECT_THROW(writeVolume(m, dir.file("m.nc")), UsageError);
  EXPECT_THROW(readVolume(dir.file("m.xyz")), UsageError);
}

}  // namespace
}  // namespace orevox
