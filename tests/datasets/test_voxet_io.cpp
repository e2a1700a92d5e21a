// GOCAD Voxet: the hand-written fixture (tests/data/voxets, full-length axis vectors, W down,
// float32 and int8 properties with nodata and an offset) read value by value, the same
// binary files under a header of the other axis convention (unit vectors with world
// MIN/MAX, ZPOSITIVE Depth), a round trip, and the errors.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>

#include "orevox/core/error.hpp"
#include "orevox/datasets/volume_io.hpp"
#include "orevox/datasets/voxet_io.hpp"
#include "test_helpers.hpp"

namespace orevox {
namespace {

const std::string kVoxets = std::string(OREVOX_SOURCE_DIR) + "/tests/data/voxets/";

void writeText(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}

/// The fixture's content, as make_voxet_fixture.py writes it: element e = i + 3 j + 6 k of
/// the file's axes; grade 0.5 e (nodata at e = 5), rock e % 3 - 1 (nodata at e = 11).
/// World k = 1 - file k (W points down).
void expectFixtureContent(const VoxelModel& m) {
  const VolumeSpec& s = m.spec();
  ASSERT_EQ(s.nx, 3u);
  ASSERT_EQ(s.ny, 2u);
  ASSERT_EQ(s.nz, 2u);
  EXPECT_DOUBLE_EQ(s.spacing[0], 10.0);
  EXPECT_DOUBLE_EQ(s.spacing[1], 10.0);
  EXPECT_DOUBLE_EQ(s.spacing[2], 5.0);
  EXPECT_DOUBLE_EQ(s.origin[0], 95.0);   // first node x 100, half a voxel below
  EXPECT_DOUBLE_EQ(s.origin[1], 195.0);  // first node y 200
  EXPECT_DOUBLE_EQ(s.origin[2], -57.5);  // nodes at z -50 (file k 0) and -55 (file k 1)
  EXPECT_DOUBLE_EQ(s.centreZ(1), -50.0);
  ASSERT_TRUE(m.hasChannel("grade"));
  ASSERT_TRUE(m.hasChannel("rock"));
  EXPECT_EQ(m.units("grade"), "%");
  EXPECT_EQ(m.units("rock"), "");
  for (long fk = 0; fk < 2; ++fk)
    for (long j = 0; j < 2; ++j)
      for (long i = 0; i < 3; ++i) {
        const long e = i + 3 * j + 6 * fk, k = 1 - fk;
        EXPECT_EQ(m.isActive("grade", i, j, k), e != 5) << e;
        if (e != 5) {
          EXPECT_FLOAT_EQ(m.value("grade", i, j, k), 0.5f * float(e)) << e;
        }
        EXPECT_EQ(m.isActive("rock", i, j, k), e != 11) << e;
        if (e != 11) {
          EXPECT_FLOAT_EQ(m.value("rock", i, j, k), float(e % 3 - 1)) << e;
        }
      }
  EXPECT_EQ(m.activeVoxelCount("grade"), 11u);
  EXPECT_EQ(m.activeVoxelCount("rock"), 11u);
}

TEST(Voxet, ReadsHandWrittenFixture) {
  expectFixtureContent(readVoxet(kVoxets + "fixture.vo"));
  expectFixtureContent(readVolume(kVoxets + "fixture.vo"));
}

TEST(Voxet, UnitVectorConventionWithDepthReadsTheSameGrid) {
  test::TempDir dir;
  // Unit vectors, MIN/MAX in world units; z as depth: 50 and 55 below datum = -50, -55.
  writeText(dir.file("depth.vo"),
            "GOCAD Voxet 1\r\nHEADER {name:depth}\r\nGOCAD_ORIGINAL_COORDINATE_SYSTEM\r\n"
            "NAME Default\r\nZPOSITIVE Depth\r\nEND_ORIGINAL_COORDINATE_SYSTEM\r\n"
            "AXIS_O 0 0 0\r\nAXIS_U 1 0 0\r\nAXIS_V 0 1 0\r\nAXIS_W 0 0 1\r\n"
            "AXIS_MIN 100 200 50\r\nAXIS_MAX 120 210 55\r\nAXIS_N 3 2 2\r\n"
            "PROPERTY 1 \"grade\"\r\nPROP_UNIT 1 \"%\"\r\nPROP_NO_DATA_VALUE 1 -99999\r\n"
            "PROP_ESIZE 1 4\r\nPROP_FILE 1 " +
                kVoxets +
                "fixture_grade@@\r\nPROPERTY 2 rock\r\nPROP_NO_DATA_VALUE 2 -128\r\n"
                "PROP_ESIZE 2 1\r\nPROP_ETYPE 2 Octet\r\nPROP_OFFSET 2 4\r\nPROP_FILE 2 " +
                kVoxets + "fixture_rock@@\r\nEND\r\n");
  expectFixtureContent(readVoxet(dir.file("depth.vo")));
}

TEST(Voxet, RoundTripKeepsValuesActivityUnitsCrsAndTypes) {
  VolumeSpec spec;
  spec.nx = 4;
  spec.ny = 3;
  spec.nz = 2;
  spec.origin = {1000.5, -20.0, -300.0};
  spec.spacing = {2.5, 5.0, 1.25};
  spec.crsWkt = "LOCAL_CS[\"mine grid\",UNIT[\"metre\",1]]";
  VoxelModel model(spec);
  model.addChannel("CU grade", 0.0f, "%");
  model.addChannel("LITH", 0.0f);
  model.addChannel("dist", 0.0f, "m");
  for (std::size_t k = 0; k < 2; ++k)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t i = 0; i < 4; ++i) {
        const std::size_t e = spec.index(i, j, k);
        if (e % 5 != 0) model.setValue("CU grade", i, j, k, 0.013f * float(e) + 1e-4f);
        if (e % 7 != 3) model.setValue("LITH", i, j, k, float(int(e % 4) - 1));
        model.setValue("dist", i, j, k,
                       e == 2 ? -99999.0f : float(e) - 0.5f);  // clashes with nodata
      }
  test::TempDir dir;
  writeVoxet(model, dir.file("m.vo"));
  EXPECT_EQ(dir.entries(),
            (std::vector<std::string>{"m.vo", "m_CU_grade@@", "m_LITH@@", "m_dist@@"}));
  std::ifstream lith(dir.file("m_LITH@@"), std::ios::binary | std::ios::ate);
  EXPECT_EQ(std::size_t(lith.tellg()), spec.size());  // int8
  const VoxelModel back = readVoxet(dir.file("m.vo"));
  EXPECT_TRUE(back.spec().sameGrid(spec, 1e-9));
  EXPECT_EQ(back.spec().crsWkt, spec.crsWkt);
  EXPECT_EQ(back.channelNames(), model.channelNames());
  for (const auto& name : model.channelNames()) {
    EXPECT_EQ(back.units(name), model.units(name));
    EXPECT_EQ(back.activeMask(name), model.activeMask(name)) << name;
    EXPECT_EQ(back.denseChannel(name), model.denseChannel(name)) << name;
  }
  // Through writeVolume / readVolume as well.
  writeVolume(model, dir.file("again.vo"));
  EXPECT_EQ(readVolume(dir.file("again.vo")).denseChannel("dist"), model.denseChannel("dist"));
}

TEST(Voxet, FailedWriteLeavesNothingAndKeepsTheOldFile) {
  test::TempDir dir;
  VolumeSpec spec;
  spec.nx = spec.ny = spec.nz = 2;
  VoxelModel empty(spec);
  writeText(dir.file("old.vo"), "good");
  EXPECT_THROW(writeVoxet(empty, dir.file("old.vo")), DataError);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"old.vo"});
}

TEST(Voxet, BadHeadersAreOneLineDataErrors) {
  test::TempDir dir;
  const std::string grid =
      "GOCAD Voxet 1\nAXIS_O 0 0 0\nAXIS_U 1 0 0\nAXIS_V 0 1 0\nAXIS_W 0 0 1\n"
      "AXIS_MIN 0 0 0\nAXIS_MAX 2 1 1\n";
  auto expectError = [&](const std::string& text, const std::string& message) {
    writeText(dir.file("bad.vo"), text);
    try {
      readVoxet(dir.file("bad.vo"));
      FAIL() << "no error for " << message;
    } catch (const DataError& e) {
      EXPECT_EQ(std::string(e.what()), message);
    }
  };
  const std::string path = dir.file("bad.vo");
  expectError("GOCAD TSurf 1\n",
              path +
                  ":1: value 'GOCAD TSurf 1': not a GOCAD Voxet header (the first "
                  "line must be 'GOCAD Voxet 1')");
  expectError(grid + "AXIS_N 3 2 x\n", path + ":8: value 'x': not a finite number");
  expectError(grid + "AXIS_N 3 2 0\n",
              path + ":8: value '0': AXIS_N must hold three whole numbers >= 1");
  expectError(grid + "AXIS_N 3 2 2\nPROPERTY 1 a\nPROP_ESIZE 1 2\n",
              path + ":10: value '2': PROP_ESIZE must be 4 (float32) or 1 (8-bit integer)");
  expectError(grid + "AXIS_N 3 2 2\nPROP_FILE 3 a@@\n",
              path + ":9: value '3': PROP_FILE for a property not declared by PROPERTY");
  expectError(grid + "AXIS_N 3 2 2\n", path + ": no PROPERTY");
  expectError(
      "GOCAD Voxet 1\nAXIS_U 1 1 0\nAXIS_N 2 2 2\nPROPERTY 1 a\nPROP_FILE 1 a@@\n",
      path +
          ": value '1 1 0': rotated voxets are not supported: AXIS_U is not parallel to the x, "
          "y or z axis");
  writeText(dir.file("short@@"), std::string(10, '\0'));
  expectError(grid + "AXIS_N 3 2 2\nPROPERTY 1 a\nPROP_FILE 1 short@@\n",
              dir.file("short@@") +
                  ": column 'a': property file holds 10 bytes, the header needs 48 (offset + "
                  "12 x 4)");
}

}  // namespace
}  // namespace orevox
