#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <filesystem>

#include "orevox/datasets/crs.hpp"
#include "orevox/datasets/vector_io.hpp"
#include "orevox/core/error.hpp"
#include "test_helpers.hpp"

namespace orevox {
namespace {

using test::TempDir;

FaultNetwork sampleFaults() {
  FaultNetwork f;
  f.crsWkt = crsFromUserInput("EPSG:28992");
  f.lines.push_back(Polyline{{{100.0, 200.0}, {150.5, 260.25}, {300.0, 260.0}}, "Main"});
  f.lines.push_back(
      Polyline{{{0.0, 0.0}, {10.0, 0.0}, {10.0, 10.0}, {0.0, 0.0}}, ""});  // closed loop
  return f;
}

/// A 10 x 10 square with a 2 x 2 hole (area 96) and a right triangle (area 50).
PolygonSet samplePolygons() {
  Polygon square;
  square.rings.push_back({{0, 0}, {10, 0}, {10, 10}, {0, 10}});
  square.rings.push_back({{4, 4}, {4, 6}, {6, 6}, {6, 4}});
  square.name = "block A";
  square.value = 3.0;
  Polygon triangle;
  triangle.rings.push_back({{20, 0}, {30, 0}, {20, 10}});
  triangle.name = "B";
  triangle.value = 7.5;
  return {square, triangle};
}

SampleTable samplePoints(bool is3D) {
  SampleTable t;
  t.crsWkt = crsFromUserInput("EPSG:28992");
  for (int i = 0; i < 4; ++i) {
    if (is3D) {
      t.addPoint(1000.0 + i, 2000.0 - 2 * i, -50.0 * i);
    } else {
      t.addPoint(1000.0 + i, 2000.0 - 2 * i);
    }
  }
  t.addColumn("Au", 0.0, "ppb");
  t.addColumn("Cu", 0.0, "ppm");
  t.column("Au").values = {0.5, 1.25, std::nan(""), 4.0};
  t.column("Cu").values = {10, 20, 30, 40};
  t.ids = {"s1", "s2", "s3", "s4"};
  t.labels = {1, 0, 0, 1};
  return t;
}

class VectorRoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(VectorRoundTrip, Lines) {
  TempDir dir;
  const std::string path = dir.file("faults" + GetParam());
  const FaultNetwork original = sampleFaults();
  writeLines(original, path);
  const FaultNetwork back = readLines(path);
  ASSERT_EQ(back.lines.size(), 2u);
  for (std::size_t l = 0; l < 2; ++l) {
    EXPECT_EQ(back.lines[l].name, original.lines[l].name);
    ASSERT_EQ(back.lines[l].points.size(), original.lines[l].points.size());
    for (std::size_t p = 0; p < original.lines[l].points.size(); ++p) {
      EXPECT_NEAR((back.lines[l].points[p] - original.lines[l].points[p]).norm(), 0.0, 1e-9);
    }
  }
  EXPECT_EQ(crsEpsg(back.crsWkt), 28992);
  EXPECT_NEAR(back.totalLength(), original.totalLength(), 1e-9);
}

TEST_P(VectorRoundTrip, PolygonsWithHolesAndAttributes) {
  TempDir dir;
  const std::string path = dir.file("zones" + GetParam());
  writePolygons(samplePolygons(), path, {{"area", {96.0, 50.0}}, {"prob", {0.9, 0.1}}},
                crsFromUserInput("EPSG:28992"));
  std::string crs;
  const PolygonSet back = readPolygons(path, {}, "value", &crs);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].name, "block A");
  EXPECT_EQ(back[1].name, "B");
  EXPECT_EQ(back[0].value, 3.0);
  EXPECT_EQ(back[1].value, 7.5);
  ASSERT_EQ(back[0].rings.size(), 2u);  // the hole is kept
  EXPECT_EQ(back[0].rings[0].size(), 4u);
  EXPECT_EQ(back[0].rings[1].size(), 4u);
  EXPECT_DOUBLE_EQ(back[0].area(), 96.0);
  EXPECT_DOUBLE_EQ(back[1].area(), 50.0);
  EXPECT_FALSE(back[0].contains(5.0, 5.0));  // inside the hole
  EXPECT_TRUE(back[0].contains(1.0, 1.0));
  EXPECT_EQ(crsEpsg(crs), 28992);
  // Text attributes (GeoJSON and GeoPackage; ogrinfo from gdal-bin lists the fields).
  if (GetParam() != ".shp") {
    const std::string text = dir.file("text" + GetParam());
    writePolygons(samplePolygons(), text, {{"area", {96.0, 50.0}}}, {},
                  {{"deposits", {"D1;D7", ""}}});
    const std::string listing = dir.file("listing.txt");
    ASSERT_EQ(std::system(("ogrinfo -ro -al -q " + text + " > " + listing).c_str()), 0);
    std::ifstream in(listing);
    const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(all.find("deposits (String) = D1;D7"), std::string::npos) << all;
    EXPECT_THROW(writePolygons(samplePolygons(), text, {}, {}, {{"deposits", {"D1"}}}), UsageError);
  }
  // The extra attributes are there as real fields.
  const PolygonSet byArea = readPolygons(path, {}, "area");
  EXPECT_EQ(byArea[0].value, 96.0);
  EXPECT_EQ(byArea[1].value, 50.0);
}

TEST_P(VectorRoundTrip, Points3D) {
  TempDir dir;
  const std::string path = dir.file("samples" + GetParam());
  const SampleTable original = samplePoints(true);
  writePoints(original, path);
  const SampleTable back = readPoints(path);
  ASSERT_EQ(back.size(), 4u);
  ASSERT_TRUE(back.is3D());
  EXPECT_EQ(back.x, original.x);
  EXPECT_EQ(back.y, original.y);
  EXPECT_EQ(back.z, original.z);
  EXPECT_EQ(back.ids, original.ids);
  EXPECT_EQ(back.labels, original.labels);
  EXPECT_EQ(back.columnNames(), (std::vector<std::string>{"Au", "Cu"}));
  EXPECT_EQ(back.column("Au").values[0], 0.5);
  EXPECT_EQ(back.column("Au").values[1], 1.25);
  EXPECT_TRUE(std::isnan(back.column("Au").values[2]));
  EXPECT_EQ(back.column("Cu").values, original.column("Cu").values);
  EXPECT_EQ(crsEpsg(back.crsWkt), 28992);
}

TEST_P(VectorRoundTrip, WrongGeometryTypeNamesFileAndFeature) {
  TempDir dir;
  const std::string path = dir.file("pts" + GetParam());
  writePoints(samplePoints(false), path);
  EXPECT_EQ(test::errorMessage<DataError>([&] { readLines(path); }),
            path + ": feature 1: geometry is Point, expected LineString or MultiLineString");
  EXPECT_EQ(test::errorMessage<DataError>([&] { readPolygons(path); }),
            path + ": feature 1: geometry is Point, expected Polygon or MultiPolygon");
}

TEST_P(VectorRoundTrip, FailedWriteKeepsTheOldFile) {
  TempDir dir;
  const std::string path = dir.file("zones" + GetParam());
  writePolygons(samplePolygons(), path);
  const auto before = dir.entries();
  const std::string bytes = test::readFile(path);
  PolygonSet bad = samplePolygons();
  bad[1].rings[0].resize(2);  // no longer a polygon
  EXPECT_EQ(test::errorMessage<DataError>([&] { writePolygons(bad, path); }),
            path + ": polygon 2 has no outer ring of 3 or more vertices");
  EXPECT_EQ(test::readFile(path), bytes);
  EXPECT_EQ(dir.entries(), before);
  EXPECT_THROW(writePolygons(samplePolygons(), dir.file("missing/zones" + GetParam())), IoError);
  EXPECT_EQ(dir.entries(), before);
}

TEST_P(VectorRoundTrip, NoCrsReadsBackEmpty) {
  TempDir dir;
  FaultNetwork f = sampleFaults();
  f.crsWkt.clear();
  writeLines(f, dir.file("f" + GetParam()));
  EXPECT_TRUE(readLines(dir.file("f" + GetParam())).crsWkt.empty());
  writePolygons(samplePolygons(), dir.file("p" + GetParam()));
  std::string crs = "unset";
  readPolygons(dir.file("p" + GetParam()), {}, {}, &crs);
  EXPECT_TRUE(crs.empty()) << crs;
}

INSTANTIATE_TEST_SUITE_P(Formats, VectorRoundTrip, ::testing::Values(".geojson", ".gpkg", ".shp"),
                         [](const auto& info) { return info.param.substr(1); });

TEST(VectorIo, FaultSurfacesRoundTripThroughGeoJson) {
  TempDir dir;
  FaultNetwork f = sampleFaults();
  TriangleSurface s;
  s.name = "main fault";
  s.vertices = {{0, 0, 0}, {100, 0, -10}, {100, 50, -200}, {0, 50, -190}};
  s.triangles = {{0, 1, 2}, {0, 2, 3}};
  f.surfaces.push_back(s);
  writeLines(f, dir.file("f.geojson"));
  const FaultNetwork back = readLines(dir.file("f.geojson"));
  EXPECT_EQ(back.lines.size(), 2u);
  ASSERT_EQ(back.surfaces.size(), 1u);
  EXPECT_EQ(back.surfaces[0].name, "main fault");
  EXPECT_EQ(back.surfaces[0].vertices.size(), 4u);  // shared vertices merged again
  ASSERT_EQ(back.surfaces[0].triangles.size(), 2u);
  for (std::size_t t = 0; t < 2; ++t)
    for (std::size_t v = 0; v < 3; ++v) {
      const auto& a = back.surfaces[0].vertices[std::size_t(back.surfaces[0].triangles[t][v])];
      const auto& b = s.vertices[std::size_t(s.triangles[t][v])];
      EXPECT_EQ(a, b);
    }
  EXPECT_THROW(writeLines(f, dir.file("f.shp")), UsageError);
}

TEST(VectorIo, GeoJsonWithoutCrsMemberHasEmptyCrsAndMultiPartsSplit) {
  TempDir dir;
  test::writeFile(dir.file("m.geojson"),
                  R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"f1"},"geometry":{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[2,2],[3,3],[4,2]]]}},
{"type":"Feature","properties":{"name":"f2"},"geometry":null},
{"type":"Feature","properties":{"name":"f3"},"geometry":{"type":"LineString","coordinates":[[5,5],[6,6]]}}]})");
  const FaultNetwork f = readLines(dir.file("m.geojson"));
  EXPECT_TRUE(f.crsWkt.empty());
  ASSERT_EQ(f.lines.size(), 3u);  // two parts of f1, the null geometry skipped, f3
  EXPECT_EQ(f.lines[0].name, "f1");
  EXPECT_EQ(f.lines[1].name, "f1");
  EXPECT_EQ(f.lines[1].points.size(), 3u);
  EXPECT_EQ(f.lines[2].name, "f3");
  EXPECT_EQ(f.segmentCount(), 4u);

  test::writeFile(dir.file("mixed.geojson"),
                  R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}},
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]})");
  EXPECT_EQ(test::errorMessage<DataError>([&] { readLines(dir.file("mixed.geojson")); }),
            dir.file("mixed.geojson") +
                ": feature 2: geometry is Polygon, expected LineString or MultiLineString");
}

TEST(VectorIo, UnknownExtensionLayerAndFieldErrors) {
  TempDir dir;
  EXPECT_THROW(writeLines(sampleFaults(), dir.file("f.kml")), UsageError);
  EXPECT_THROW(readLines(dir.file("f.kml")), UsageError);
  EXPECT_EQ(test::errorMessage<IoError>([&] { readLines(dir.file("none.geojson")); }),
            dir.file("none.geojson") + ": file not found");
  writePolygons(samplePolygons(), dir.file("z.gpkg"));
  EXPECT_EQ(test::errorMessage<DataError>([&] { readPolygons(dir.file("z.gpkg"), "other"); }),
            dir.file("z.gpkg") + ": no layer 'other' (layers: z)");
  EXPECT_EQ(test::errorMessage<DataError>([&] { readPolygons(dir.file("z.gpkg"), "z", "grade"); }),
            dir.file("z.gpkg") + ": no attribute 'grade' (attributes: name, value)");
  EXPECT_EQ(test::errorMessage<DataError>([&] { readPolygons(dir.file("z.gpkg"), "z", "name"); }),
            dir.file("z.gpkg") + ": attribute 'name' is not numeric");
}

TEST(VectorIo, ShapefileSidecarsAreReplacedTogether) {
  TempDir dir;
  const std::string path = dir.file("f.shp");
  writeLines(sampleFaults(), path);  // with CRS: .prj written
  EXPECT_TRUE(std::filesystem::exists(dir.file("f.prj")));
  FaultNetwork noCrs = sampleFaults();
  noCrs.crsWkt.clear();
  noCrs.lines.pop_back();
  writeLines(noCrs, path);
  EXPECT_FALSE(std::filesystem::exists(dir.file("f.prj")));  // the stale .prj is gone
  const FaultNetwork back = readLines(path);
  EXPECT_EQ(back.lines.size(), 1u);
  EXPECT_TRUE(back.crsWkt.empty());
  for (const auto& name : dir.entries())
    EXPECT_EQ(name.rfind("f.", 0), 0u) << name;  // no temp folder left
}

}  // namespace
}  // namespace orevox
