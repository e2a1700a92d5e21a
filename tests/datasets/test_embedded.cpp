#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "orevox/datasets/crs.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/datasets/embedded.hpp"
#include "orevox/datasets/raster_io.hpp"
#include "orevox/datasets/vector_io.hpp"
#include "orevox/datasets/vti_io.hpp"
#include "orevox/core/error.hpp"
#include "orevox/geomodel/synth2d.hpp"
#include "test_helpers.hpp"

namespace orevox {
namespace {

using test::TempDir;

TEST(Embedded, NamesAndUnknownName) {
  EXPECT_EQ(datasetNames(),
            (std::vector<std::string>{"synth2d", "synth3d", "murchison", "meuse", "jura"}));
  EXPECT_EQ(test::errorMessage<UsageError>([] { loadDataset("walker"); }),
            "unknown dataset 'walker' (datasets: synth2d, synth3d, murchison, meuse, jura)");
}

TEST(Embedded, Murchison) {
  const Dataset d = loadDataset("murchison");
  EXPECT_EQ(d.deposits.size(), 255u);
  EXPECT_EQ(d.deposits.labels, std::vector<int>(255, 1));
  EXPECT_EQ(d.deposits.ids.front(), "1");
  EXPECT_DOUBLE_EQ(d.deposits.x.front(), 515265.3);
  EXPECT_DOUBLE_EQ(d.deposits.y.front(), 6707801.0);
  EXPECT_EQ(d.faults.lines.size(), 3252u);  // PROVENANCE: 3 252 segments, 3 403 km
  EXPECT_NEAR(d.faults.totalLength() / 1000.0, 3403.0, 1.0);
  ASSERT_EQ(d.polygons.size(), 2u);
  EXPECT_EQ(d.polygons[0].first, "greenstone");
  double area = 0.0;
  std::size_t rings = 0;
  for (const auto& p : d.polygons[0].second) {
    area += p.area();
    rings += p.rings.size();
  }
  EXPECT_NEAR(area / 1e6, 12222.0, 1.0);  // PROVENANCE: 12 222 km2
  EXPECT_EQ(rings, 133u);                 // 115 outer + 18 holes
  EXPECT_TRUE(d.crsWkt.empty());
  EXPECT_NE(d.description.find("no CRS"), std::string::npos);
  EXPECT_EQ(d.provenance.rfind("# murchison_gold", 0), 0u);
  EXPECT_EQ(d.grid.bandCount(), 0u);
}

TEST(Embedded, Meuse) {
  const Dataset d = loadDataset("meuse");
  ASSERT_EQ(d.samples.size(), 155u);
  EXPECT_EQ(d.samples.columnNames(), (std::vector<std::string>{"Cd", "Cu", "Pb", "Zn"}));
  EXPECT_EQ(d.samples.column("Zn").units, "ppm");
  // First row of meuse.csv: 181072, 333611, Cd 11.7, Cu 85, Pb 299, Zn 1022.
  EXPECT_EQ(d.samples.x[0], 181072.0);
  EXPECT_EQ(d.samples.y[0], 333611.0);
  EXPECT_EQ(d.samples.column("Cd").values[0], 11.7);
  EXPECT_EQ(d.samples.column("Zn").values[0], 1022.0);
  EXPECT_EQ(d.samples.ids[0], "1");
  EXPECT_EQ(crsEpsg(d.crsWkt), 28992);
  EXPECT_EQ(crsEpsg(d.samples.crsWkt), 28992);
  ASSERT_EQ(d.grid.bandCount(), 3u);
  EXPECT_EQ(d.grid.band(0).name, "dist");
  EXPECT_EQ(d.grid.grid().width, 78u);
  EXPECT_EQ(d.grid.grid().height, 104u);
  EXPECT_EQ(d.grid.grid().cellWidth(), 40.0);
  EXPECT_EQ(crsEpsg(d.grid.grid().crsWkt), 28992);
  std::size_t valid = 0;
  for (float v : d.grid.band("soil").values) valid += !d.grid.isNodata(v);
  EXPECT_EQ(valid, 3103u);  // PROVENANCE: 3 103 grid cells
  ASSERT_EQ(d.polygons.size(), 1u);
  EXPECT_EQ(d.polygons[0].first, "river");
}

TEST(Embedded, JuraInMetres) {
  const Dataset d = loadDataset("jura");
  ASSERT_EQ(d.samples.size(), 259u);
  EXPECT_EQ(d.samples.columnNames(),
            (std::vector<std::string>{"Cd", "Co", "Cr", "Cu", "Ni", "Pb", "Zn"}));
  // First row: Xloc 2.386 km, Yloc 3.077 km, Cd 1.74.
  EXPECT_NEAR(d.samples.x[0], 2386.0, 1e-9);
  EXPECT_NEAR(d.samples.y[0], 3077.0, 1e-9);
  EXPECT_EQ(d.samples.column("Cd").values[0], 1.74);
  ASSERT_EQ(d.grid.bandCount(), 2u);
  EXPECT_EQ(d.grid.grid().width, 97u);
  EXPECT_EQ(d.grid.grid().height, 117u);
  EXPECT_NEAR(d.grid.grid().cellWidth(), 50.0, 1e-9);
  EXPECT_NEAR(d.grid.grid().originX(), 275.0, 1e-9);              // xllcorner 0.275 km
  EXPECT_NEAR(d.grid.grid().originY(), 75.0 + 117 * 50.0, 1e-9);  // yllcorner 0.075 km + rows
  EXPECT_TRUE(d.crsWkt.empty());
}

TEST(Embedded, MissingDataFolderNamesPathAndVariable) {
  const char* old = std::getenv("OREVOX_DATA_DIR");
  const std::string saved = old ? old : "";
  ::setenv("OREVOX_DATA_DIR", "/nonexistent/orevox-data", 1);
  const std::string msg = test::errorMessage<IoError>([] { loadDataset("meuse"); });
  if (old) {
    ::setenv("OREVOX_DATA_DIR", saved.c_str(), 1);
  } else {
    ::unsetenv("OREVOX_DATA_DIR");
  }
  EXPECT_EQ(msg.rfind("/nonexistent/orevox-data: dataset folder not found", 0), 0u) << msg;
  EXPECT_NE(msg.find("OREVOX_DATA_DIR"), std::string::npos);
}

TEST(Embedded, Synth2dCountsAndWriteDescribe) {
  const Dataset d = loadDataset("synth2d", 7);
  const Synth2dOptions defaults;
  EXPECT_EQ(d.seed, 7u);
  EXPECT_EQ(d.samples.size(), defaults.sampleCount);
  std::size_t known = 0;
  for (int l : d.deposits.labels) known += l == 1;
  EXPECT_GT(known, 0u);
  EXPECT_LT(known, d.deposits.size());  // some deposits are hidden
  EXPECT_GT(d.faults.lines.size(), 0u);
  ASSERT_EQ(d.polygons.size(), 1u);
  EXPECT_EQ(d.polygons[0].first, "lithology");
  EXPECT_GE(d.grid.bandIndex("mineralisation"), 0);
  EXPECT_EQ(crsEpsg(d.crsWkt), 32649);

  TempDir dir;
  writeDataset(d, dir.path().string());
  std::vector<std::string> expected{"PROVENANCE.md",  "deposits_hidden.csv", "deposits_known.csv",
                                    "faults.geojson", "lithology.gpkg",      "samples.csv",
                                    "truth.tif"};
  EXPECT_EQ(dir.entries(), expected);
  CsvOptions options;
  options.labelColumn = "known";
  const SampleTable knownBack = readSamplesCsv(dir.file("deposits_known.csv"), options);
  EXPECT_EQ(knownBack.size(), known);
  const Raster truth = readRaster(dir.file("truth.tif"));
  EXPECT_EQ(truth.bandCount(), d.grid.bandCount());
  EXPECT_EQ(truth.band("mineralisation").values, d.grid.band("mineralisation").values);
  EXPECT_EQ(readLines(dir.file("faults.geojson")).lines.size(), d.faults.lines.size());
  EXPECT_EQ(readPolygons(dir.file("lithology.gpkg")).size(), d.polygons[0].second.size());

  const nlohmann::json j = describeDataset(d);
  EXPECT_EQ(j["samples"]["rows"], defaults.sampleCount);
  EXPECT_EQ(j["deposits"]["labels"]["1"], known);
  EXPECT_EQ(j["crs"].get<std::string>().find("EPSG:32649") != std::string::npos, true);
}

TEST(Embedded, Synth3dVolumesAndFaultSurfaces) {
  const Dataset d = loadDataset("synth3d", 3);
  EXPECT_EQ(d.seed, 3u);
  ASSERT_EQ(d.volumes.size(), 2u);
  EXPECT_EQ(d.volumes[0].first, "source");
  EXPECT_EQ(d.volumes[1].first, "target");
  for (const auto& [name, model] : d.volumes) {
    EXPECT_EQ(model.spec().nx, 128u) << name;
    EXPECT_EQ(model.spec().ny, 128u) << name;
    EXPECT_EQ(model.spec().nz, 64u) << name;
    EXPECT_TRUE(model.hasChannel("orebody")) << name;
    // Air voxels above the topography are inactive: fewer active voxels than the box.
    EXPECT_LT(model.activeVoxelCount("orebody"), model.spec().size()) << name;
    EXPECT_GT(model.activeVoxelCount("orebody"), model.spec().size() / 2) << name;
  }
  EXPECT_EQ(d.faults.surfaces.size(), 2u);
  EXPECT_EQ(crsEpsg(d.crsWkt), 32651);
}

TEST(Embedded, DescribeDatasetAndFiles) {
  const Dataset meuse = loadDataset("meuse");
  const nlohmann::json j = describeDataset(meuse);
  EXPECT_EQ(j["name"], "meuse");
  EXPECT_EQ(j["samples"]["rows"], 155);
  EXPECT_EQ(j["samples"]["columns"][0]["name"], "Cd");
  EXPECT_EQ(j["samples"]["columns"][0]["units"], "ppm");
  EXPECT_EQ(j["provenance"],
            "# meuse_netherlands — Meuse floodplain topsoil heavy metals (Stein, NL)");
  EXPECT_NE(j["crs"].get<std::string>().find("EPSG:28992"), std::string::npos);
  // Cd median over the 155 samples, by brute force.
  std::vector<double> cd = meuse.samples.column("Cd").values;
  std::sort(cd.begin(), cd.end());
  EXPECT_DOUBLE_EQ(j["samples"]["columns"][0]["median"].get<double>(), cd[77]);
  EXPECT_DOUBLE_EQ(j["samples"]["columns"][0]["max"].get<double>(), cd.back());

  TempDir dir;
  writeDataset(meuse, dir.path().string());
  const nlohmann::json grid = describeFile(dir.file("grid.tif"));
  EXPECT_EQ(grid["kind"], "raster");
  EXPECT_EQ(grid["width"], 78);
  EXPECT_EQ(grid["bands"].size(), 3u);
  EXPECT_NEAR(grid["bands"][0]["nodata_share"].get<double>(), 1.0 - 3103.0 / (78.0 * 104.0), 1e-12);
  const nlohmann::json river = describeFile(dir.file("river.gpkg"));
  EXPECT_EQ(river["kind"], "vector");
  EXPECT_EQ(river["layers"][0]["features"], 1);
  EXPECT_EQ(river["layers"][0]["geometry_types"]["Polygon"], 1);
  const nlohmann::json samples = describeFile(dir.file("samples.csv"));
  EXPECT_EQ(samples["kind"], "samples");
  EXPECT_EQ(samples["rows"], 155);
  EXPECT_EQ(samples["dimensions"], 2);

  // A 3D table with signed values: described, not rejected; median of {-1, 2} = 0.5.
  test::writeFile(dir.file("s3.csv"), "x,y,z,v\n0,0,-5,-1\n1,1,-6,2\n");
  const nlohmann::json s3 = describeFile(dir.file("s3.csv"));
  EXPECT_EQ(s3["dimensions"], 3);
  EXPECT_EQ(s3["columns"][0]["min"], -1.0);
  EXPECT_EQ(s3["columns"][0]["median"], 0.5);
  EXPECT_EQ(s3["columns"][0]["max"], 2.0);

  VolumeSpec spec;
  spec.nx = 2;
  spec.ny = 2;
  spec.nz = 2;
  VoxelModel model(spec);
  model.addChannel("g");
  model.setValue("g", 1, 1, 1, 4.0f);
  model.setValue("g", 0, 0, 0, 1.0f);
  writeVti(model, dir.file("m.vti"));
  const nlohmann::json vti = describeFile(dir.file("m.vti"));
  EXPECT_EQ(vti["kind"], "volume");
  EXPECT_EQ(vti["channels"][0]["active_voxels"], 2);
  EXPECT_EQ(vti["channels"][0]["median"], 2.5);
}

}  // namespace
}  // namespace orevox
