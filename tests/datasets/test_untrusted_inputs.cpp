// Untrusted sizes and values in input files: checked against the data present and against
// the memory available before anything is allocated; nothing a file says can make a
// message span lines.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "orevox/core/error.hpp"
#include "orevox/datasets/block_model.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/datasets/raster_io.hpp"
#include "orevox/datasets/vti_io.hpp"
#include "test_helpers.hpp"

namespace orevox {
namespace {

using test::TempDir;

const std::string kHead =
    "<VTKFile type=\"ImageData\"><ImageData WholeExtent=\"0 1 0 0 0 0\"><Piece Extent=\"0 1 0 0 0 "
    "0\"><PointData>";
const std::string kTail = "</PointData></Piece></ImageData></VTKFile>";

std::string vtiMessage(const TempDir& dir, const std::string& content) {
  const std::string path = dir.file("x.vti");
  test::writeFile(path, content);
  return test::errorMessage<DataError>([&] { readVti(path); });
}

TEST(UntrustedVti, DocumentTypeDeclarationsAreRefused) {
  TempDir dir;
  // The "billion laughs": nested entities that would expand to gigabytes.
  const std::string laughs =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
      "\"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>";
  EXPECT_EQ(
      vtiMessage(
          dir, laughs + kHead +
                   "<DataArray type=\"Float32\" Name=\"v\" format=\"ascii\">&lol2; 1</DataArray>" +
                   kTail),
      dir.file("x.vti") +
          ": XML document type declarations (<!DOCTYPE, <!ENTITY, <![CDATA[) are not accepted in a "
          "VTK XML file");
}

TEST(UntrustedVti, ExtentsLargerThanTheFileAreRefusedBeforeAllocating) {
  TempDir dir;
  // 2e9 x 2e9 x 1 voxels declared, two values present.
  const std::string huge =
      "<VTKFile type=\"ImageData\"><ImageData WholeExtent=\"0 1999999999 0 1999999999 0 0\"><Piece "
      "Extent=\"0 1999999999 0 1999999999 0 0\"><PointData>"
      "<DataArray type=\"Float32\" Name=\"v\" format=\"ascii\">1 2</DataArray>" +
      kTail;
  EXPECT_EQ(vtiMessage(dir, huge), dir.file("x.vti") +
                                       ": WholeExtent value '1999999999' is not a whole number "
                                       "within +-1e9");
  const std::string big =
      "<VTKFile type=\"ImageData\"><ImageData WholeExtent=\"0 99999 0 99999 0 0\"><Piece "
      "Extent=\"0 99999 0 99999 0 0\"><PointData>"
      "<DataArray type=\"Float32\" Name=\"v\" format=\"ascii\">1 2</DataArray>" +
      kTail;
  const std::string message = vtiMessage(dir, big);
  EXPECT_EQ(message, dir.file("x.vti") +
                         ": WholeExtent declares 10000000000 voxels but the file holds only " +
                         std::to_string(big.size()) + " bytes (truncated, or a wrong extent)");
  EXPECT_EQ(
      vtiMessage(
          dir,
          "<VTKFile type=\"ImageData\"><ImageData WholeExtent=\"0 1 0 0 0 0\" Spacing=\"inf 1 "
          "1\"><Piece Extent=\"0 1 0 0 0 0\"><PointData>"
          "<DataArray type=\"Float32\" Name=\"v\" format=\"ascii\">1 2</DataArray>" +
              kTail),
      dir.file("x.vti") + ": spacing must be a positive finite number");
}

TEST(UntrustedCsv, ExtremeCoordinatesAndValuesAreRefusedWithTheirCell) {
  TempDir dir;
  const std::string path = dir.file("s.csv");
  test::writeFile(path, "x,y,Au\n0,0,1\n1e15,5,2\n");
  EXPECT_EQ(
      test::errorMessage<DataError>([&] { readSamplesCsv(path, CsvOptions{}); }),
      path + ":3:1: column 'x': value '1e15': coordinate beyond +-1e10 (a typing or unit error?)");
  test::writeFile(path, "x,y,Au\n0,0,1\n1,5,1e308\n");
  EXPECT_EQ(
      test::errorMessage<DataError>([&] { readSamplesCsv(path, CsvOptions{}); }),
      path +
          ":3:3: column 'Au': value '1e308': value beyond the single-precision range (+-3.4e38) of "
          "orevox's grids and volumes");
}

TEST(UntrustedCsv, AFolderGivenAsAFileIsSaidSo) {
  TempDir dir;
  EXPECT_EQ(test::errorMessage<IoError>([&] { readSamplesCsv(dir.path().string(), CsvOptions{}); }),
            dir.path().string() + ": expected a file, found a folder");
  EXPECT_EQ(
      test::errorMessage<IoError>([&] { readSamplesCsv(dir.file("none.csv"), CsvOptions{}); }),
      dir.file("none.csv") + ": file not found");
}

TEST(UntrustedRaster, HeaderSizesBeyondTheMemoryAreRefusedUpFront) {
  TempDir dir;
  GridSpec g;
  g.width = 20;
  g.height = 10;
  g.geoTransform = {0, 1, 0, 10, 0, -1};
  Raster r(g);
  r.addBand("a", std::vector<float>(g.size(), 1.0f));
  writeGeoTiff(r, dir.file("r.tif"));
  ::setenv("OREVOX_MAX_MEMORY", "1K", 1);
  const std::string message = test::errorMessage<DataError>([&] { readRaster(dir.file("r.tif")); });
  ::unsetenv("OREVOX_MAX_MEMORY");
  // 20 x 10 cells x (1 band + 1 buffer) x 4 bytes = 1600 B.
  EXPECT_EQ(message,
            dir.file("r.tif") +
                ": reading 20 x 10 cells x 1 band(s) needs 1.56 KiB of memory, more than the "
                "1.00 KiB this process may use (crop or resample it first, e.g. with "
                "gdal_translate)");
  EXPECT_EQ(readRaster(dir.file("r.tif")).grid().width, 20u);
}

TEST(UntrustedRaster, TheExtensionOfAnOutputMustMatchItsFormat) {
  TempDir dir;
  GridSpec g;
  g.width = g.height = 2;
  g.geoTransform = {0, 1, 0, 2, 0, -1};
  Raster r(g);
  r.addBand("a", std::vector<float>(4, 1.0f));
  EXPECT_EQ(test::errorMessage<UsageError>([&] { writeGeoTiff(r, dir.file("map.png")); }),
            "GeoTIFF output '" + dir.file("map.png") + "' must end in .tif or .tiff");
  EXPECT_TRUE(dir.entries().empty());
  EXPECT_NO_THROW(writeGeoTiff(r, dir.file("map.TIFF")));
}

}  // namespace
}  // namespace orevox
