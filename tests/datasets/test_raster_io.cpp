#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "orevox/datasets/crs.hpp"
#include "orevox/datasets/raster_io.hpp"
#include "orevox/core/error.hpp"
#include "test_helpers.hpp"

namespace orevox {
namespace {

using test::TempDir;

/// 5 x 4 raster, 10 m x 20 m cells, two bands with a nodata cell each.
Raster sampleRaster() {
  GridSpec grid;
  grid.width = 5;
  grid.height = 4;
  grid.geoTransform = {1000.0, 10.0, 0.0, 5000.0, 0.0, -20.0};
  grid.crsWkt = crsFromUserInput("EPSG:28992");
  Raster raster(grid);
  std::vector<float> au(20), dist(20);
  for (std::size_t i = 0; i < 20; ++i) {
    au[i] = 0.25f * float(i);
    dist[i] = 100.0f - float(i);
  }
  au[7] = kNodata;
  dist[3] = std::numeric_limits<float>::quiet_NaN();
  raster.addBand("Au", au, "ppb");
  raster.addBand("dist", dist, "m");
  return raster;
}

TEST(RasterIo, GeoTiffRoundTripKeepsValuesNodataNamesCrsAndGeotransform) {
  TempDir dir;
  const Raster original = sampleRaster();
  writeGeoTiff(original, dir.file("grid.tif"));
  const Raster back = readRaster(dir.file("grid.tif"));

  ASSERT_EQ(back.bandCount(), 2u);
  EXPECT_EQ(back.band(0).name, "Au");
  EXPECT_EQ(back.band(1).name, "dist");
  EXPECT_EQ(back.band(0).units, "ppb");
  EXPECT_EQ(back.band(1).units, "m");
  EXPECT_EQ(back.grid().width, 5u);
  EXPECT_EQ(back.grid().height, 4u);
  for (std::size_t i = 0; i < 6; ++i)
    EXPECT_DOUBLE_EQ(back.grid().geoTransform[i], original.grid().geoTransform[i]);
  EXPECT_TRUE(sameCrs(back.grid().crsWkt, original.grid().crsWkt));
  EXPECT_EQ(crsEpsg(back.grid().crsWkt), 28992);
  EXPECT_EQ(back.nodata(), kNodata);
  for (std::size_t i = 0; i < 20; ++i) {
    if (i == 7) {
      EXPECT_EQ(back.band(0).values[i], kNodata);
    } else {
      EXPECT_EQ(back.band(0).values[i], 0.25f * float(i));
    }
    if (i == 3) {
      EXPECT_EQ(back.band(1).values[i], kNodata);  // NaN is written as nodata
    } else {
      EXPECT_EQ(back.band(1).values[i], 100.0f - float(i));
    }
  }
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"grid.tif"});  // no temporary left
}

TEST(RasterIo, AsciiGridNodataAndGeotransformFromHeader) {
  TempDir dir;
  // xll 100, yll 200, 10 m cells, 2 rows: north edge at 220.
  test::writeFile(dir.file("a.asc"),
                  "ncols 3\nnrows 2\nxllcorner 100\nyllcorner 200\ncellsize 10\nNODATA_value -1\n"
                  "1 2 -1\n4 5 6\n");
  const Raster r = readRaster(dir.file("a.asc"));
  ASSERT_EQ(r.bandCount(), 1u);
  EXPECT_EQ(r.band(0).name, "band1");
  const std::array<double, 6> gt{100.0, 10.0, 0.0, 220.0, 0.0, -10.0};
  EXPECT_EQ(r.grid().geoTransform, gt);
  EXPECT_TRUE(r.grid().crsWkt.empty());
  const std::vector<float> expected{1, 2, kNodata, 4, 5, 6};
  EXPECT_EQ(r.band(0).values, expected);
}

TEST(RasterIo, SouthUpRasterIsFlippedNorthUp) {
  TempDir dir;
  test::writeFile(dir.file("a.asc"),
                  "ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2\n3 4\n");
  // A VRT over it with a positive row step: row 0 of the file is the south edge.
  test::writeFile(
      dir.file("s.vrt"),
      "<VRTDataset rasterXSize=\"2\" rasterYSize=\"2\"><GeoTransform>0, 1, 0, 0, 0, "
      "1</GeoTransform>"
      "<VRTRasterBand dataType=\"Float32\" band=\"1\"><SimpleSource>"
      "<SourceFilename relativeToVRT=\"1\">a.asc</SourceFilename><SourceBand>1</SourceBand>"
      "</SimpleSource></VRTRasterBand></VRTDataset>");
  const Raster r = readRaster(dir.file("s.vrt"));
  const std::array<double, 6> gt{0.0, 1.0, 0.0, 2.0, 0.0, -1.0};
  EXPECT_EQ(r.grid().geoTransform, gt);
  EXPECT_EQ(r.band(0).values, (std::vector<float>{3, 4, 1, 2}));
}

TEST(RasterIo, RotatedGeotransformIsADataError) {
  TempDir dir;
  test::writeFile(dir.file("a.asc"),
                  "ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2\n3 4\n");
  test::writeFile(
      dir.file("r.vrt"),
      "<VRTDataset rasterXSize=\"2\" rasterYSize=\"2\"><GeoTransform>0, 1, 0.5, 10, 0.2, "
      "-1</GeoTransform>"
      "<VRTRasterBand dataType=\"Float32\" band=\"1\"><SimpleSource>"
      "<SourceFilename relativeToVRT=\"1\">a.asc</SourceFilename><SourceBand>1</SourceBand>"
      "</SimpleSource></VRTRasterBand></VRTDataset>");
  const std::string msg = test::errorMessage<DataError>([&] { readRaster(dir.file("r.vrt")); });
  EXPECT_EQ(msg, dir.file("r.vrt") +
                     ": column 'geotransform': value '0 1 0.5 10 0.2 -1': "
                     "rotated geotransform is not supported");
}

TEST(RasterIo, MissingGarbageAndTruncatedFilesAreIoErrorsNamingTheFile) {
  TempDir dir;
  EXPECT_EQ(test::errorMessage<IoError>([&] { readRaster(dir.file("none.tif")); }),
            dir.file("none.tif") + ": file not found");

  test::writeFile(dir.file("garbage.tif"), std::string(4096, '\x5a'));
  const std::string garbage =
      test::errorMessage<IoError>([&] { readRaster(dir.file("garbage.tif")); });
  EXPECT_EQ(garbage.rfind(dir.file("garbage.tif") + ": cannot open raster: ", 0), 0u) << garbage;
  EXPECT_EQ(garbage.find('\n'), std::string::npos);

  // A real GeoTIFF cut in half: the header opens, the tiles are gone.
  GridSpec grid;
  grid.width = 300;
  grid.height = 300;
  grid.geoTransform = {0, 1, 0, 300, 0, -1};
  Raster big(grid);
  std::vector<float> noise(grid.size());
  std::uint32_t state = 12345;
  for (float& v : noise) {
    state = state * 1664525u + 1013904223u;  // incompressible values
    v = float(state >> 8);
  }
  big.addBand("noise", noise);
  writeGeoTiff(big, dir.file("full.tif"));
  const std::string bytes = test::readFile(dir.file("full.tif"));
  test::writeFile(dir.file("cut.tif"), bytes.substr(0, bytes.size() / 2));
  const std::string cut = test::errorMessage<IoError>([&] { readRaster(dir.file("cut.tif")); });
  EXPECT_EQ(cut.rfind(dir.file("cut.tif") + ": ", 0), 0u) << cut;
  EXPECT_EQ(cut.find('\n'), std::string::npos);
}

TEST(RasterIo, FailedWritesLeaveNoFileAndKeepAnExistingOne) {
  TempDir dir;
  // Into a missing folder: nothing is created.
  const std::string missing = dir.file("nofolder/grid.tif");
  EXPECT_EQ(test::errorMessage<IoError>([&] { writeGeoTiff(sampleRaster(), missing); }),
            dir.file("nofolder") + ": output folder does not exist");
  EXPECT_FALSE(std::filesystem::exists(missing));

  // An invalid raster over a good file: the good file stays byte for byte.
  const std::string path = dir.file("grid.tif");
  writeGeoTiff(sampleRaster(), path);
  const std::string before = test::readFile(path);
  Raster empty(sampleRaster().grid());
  EXPECT_EQ(test::errorMessage<DataError>([&] { writeGeoTiff(empty, path); }),
            path + ": cannot write a raster without bands");
  Raster wrongSize(sampleRaster().grid());
  wrongSize.addBand("a", 0.0f).values.resize(3);
  EXPECT_EQ(test::errorMessage<DataError>([&] { writeGeoTiff(wrongSize, path); }),
            path + ": column 'a': band has 3 values, grid has 20 cells");
  Raster badCrs = sampleRaster();
  badCrs.grid().crsWkt = "not a crs";
  EXPECT_THROW(writeGeoTiff(badCrs, path), DataError);
  EXPECT_EQ(test::readFile(path), before);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"grid.tif"});
}

}  // namespace
}  // namespace orevox
