// The same data written twice gives the same bytes, so that a checksum tells a changed
// result: GeoPackages (no wall-clock last_change) and OpenVDB files (no random UUID).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "orevox/datasets/vector_io.hpp"
#include "orevox/datasets/volume_io.hpp"
#include "test_helpers.hpp"

namespace orevox {
namespace {

using test::TempDir;

PolygonSet square() {
  Polygon p;
  p.rings.push_back({{0, 0}, {100, 0}, {100, 100}, {0, 100}});
  p.name = "A1";
  p.value = 1;
  return {p};
}

VoxelModel smallModel(float value) {
  VolumeSpec spec;
  spec.nx = spec.ny = spec.nz = 8;
  spec.spacing = {10, 10, 5};
  VoxelModel m(spec);
  m.addChannel("p");
  m.setValue("p", 1, 2, 3, value);
  return m;
}

TEST(ReproducibleBytes, GeoPackagesCarryNoWallClockTime) {
  TempDir dir;
  // The same file name in two folders (the layer is named after the file).
  for (const char* sub : {"x", "y", "z"}) std::filesystem::create_directories(dir.path() / sub);
  writePolygons(square(), dir.file("x/zones.gpkg"), {{"area", {1e4}}});
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // a later second
  writePolygons(square(), dir.file("y/zones.gpkg"), {{"area", {1e4}}});
  const std::string a = test::readFile(dir.file("x/zones.gpkg"));
  EXPECT_TRUE(a == test::readFile(dir.file("y/zones.gpkg"))) << "the bytes differ";
  EXPECT_NE(a.find("1970-01-01T00:00:00.000Z"), std::string::npos);
  // SOURCE_DATE_EPOCH chooses the date (2023-11-14T22:13:20Z).
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  writePolygons(square(), dir.file("z/zones.gpkg"), {{"area", {1e4}}});
  ::unsetenv("SOURCE_DATE_EPOCH");
  EXPECT_NE(test::readFile(dir.file("z/zones.gpkg")).find("2023-11-14T22:13:20.000Z"), std::string::npos);
}

TEST(ReproducibleBytes, VdbFilesGetAUuidFromTheirContent) {
  TempDir dir;
  writeVolume(smallModel(2.5f), dir.file("a.vdb"));
  writeVolume(smallModel(2.5f), dir.file("b.vdb"));
  writeVolume(smallModel(3.5f), dir.file("c.vdb"));
  const std::string a = test::readFile(dir.file("a.vdb")), c = test::readFile(dir.file("c.vdb"));
  EXPECT_TRUE(a == test::readFile(dir.file("b.vdb"))) << "the bytes differ";
  // The header's UUID (36 characters at byte 21) is a version-5 UUID and differs with the content.
  const std::string uuidA = a.substr(21, 36), uuidC = c.substr(21, 36);
  EXPECT_EQ(uuidA[8], '-');
  EXPECT_EQ(uuidA[14], '5');
  EXPECT_NE(uuidA, uuidC);
  // Still a valid OpenVDB file with the same values.
  const VoxelModel back = readVolume(dir.file("a.vdb"));
  EXPECT_EQ(back.value("p", 1, 2, 3), 2.5f);
}

}  // namespace
}  // namespace orevox
