#include "orevox/datasets/embedded.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "orevox/datasets/crs.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/datasets/raster_io.hpp"
#include "orevox/datasets/vector_io.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/geomodel/synth2d.hpp"
#include "orevox/geomodel/synth3d.hpp"
#include "text_file.hpp"

namespace fs = std::filesystem;

namespace orevox {
namespace {

/// Folder of the real data: $OREVOX_DATA_DIR, else the source tree's datasets/data.
fs::path dataFolder() {
  const char* env = std::getenv("OREVOX_DATA_DIR");
  const fs::path dir = (env != nullptr && *env != '\0') ? fs::path(env) : fs::path(OREVOX_DATA_DIR);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw IoError(
        "dataset folder not found; set the environment variable OREVOX_DATA_DIR to the folder "
        "holding "
        "murchison/, meuse/ and jura/",
        SourceLocation{dir.string(), 0, 0, {}, {}});
  }
  return dir;
}

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open for reading", SourceLocation{path.string(), 0, 0, {}, {}});
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void setUnits(SampleTable& table, const std::string& units) {
  for (auto& column : table.columns) column.units = units;
}

/// Bands of several single-band rasters on one grid, named as given.
Raster stackBands(const std::vector<std::pair<std::string, fs::path>>& files) {
  Raster stack;
  for (const auto& [name, path] : files) {
    Raster one = readRaster(path.string());
    if (stack.bandCount() == 0) {
      stack = Raster(one.grid(), kNodata);
    } else if (!stack.grid().sameGrid(one.grid())) {
      throw DataError("grid differs from the first band's",
                      SourceLocation{path.string(), 0, 0, {}, {}});
    }
    stack.addBand(name, std::move(one.band(0).values), one.band(0).units);
  }
  return stack;
}

Dataset loadMurchison(const fs::path& dir) {
  Dataset ds;
  ds.name = "murchison";
  ds.description =
      "Murchison Province (Western Australia) gold: 255 MINEDEX gold deposits (all labelled known "
      "= 1), "
      "3 252 mapped fault segments, greenstone belts and the study window (polygons 'greenstone', "
      "'window'). "
      "Coordinates in metres; the source states no projection (UTM/AMG zone 50 inferred in "
      "PROVENANCE), "
      "so no CRS is set.";
  ds.provenance = readText(dir / "PROVENANCE.md");
  ds.deposits = readSamplesCsv((dir / "gold_deposits.csv").string());
  ds.deposits.labels.assign(ds.deposits.size(), 1);
  ds.deposits.labelName = "known";
  ds.faults = readLines((dir / "faults.geojson").string());
  ds.polygons.emplace_back("greenstone", readPolygons((dir / "greenstone.geojson").string()));
  ds.polygons.emplace_back("window", readPolygons((dir / "window.geojson").string()));
  return ds;
}

Dataset loadMeuse(const fs::path& dir) {
  Dataset ds;
  ds.name = "meuse";
  ds.description =
      "Meuse floodplain (Stein, NL) topsoil heavy metals: 155 samples with Cd, Cu, Pb, Zn in ppm "
      "(mg/kg); "
      "40 m grid with dist (distance to the river, normalised 0-1), ffreq (flooding frequency "
      "class 1-3) and "
      "soil (class 1-3); the river outline as polygon 'river'. CRS EPSG:28992 (RD New), metres.";
  ds.provenance = readText(dir / "PROVENANCE.md");
  ds.crsWkt = crsFromUserInput("EPSG:28992");
  CsvOptions options;
  options.idColumn = "sample";
  options.columns = {"cadmium", "copper", "lead", "zinc"};
  ds.samples = readSamplesCsv((dir / "meuse.csv").string(), options);
  const char* symbols[] = {"Cd", "Cu", "Pb", "Zn"};
  for (std::size_t c = 0; c < 4; ++c) ds.samples.columns[c].name = symbols[c];
  setUnits(ds.samples, "ppm");
  ds.samples.crsWkt = ds.crsWkt;
  ds.samples.source = "meuse";
  ds.grid = stackBands({{"dist", dir / "meuse_grid_dist.asc"},
                        {"ffreq", dir / "meuse_grid_ffreq.asc"},
                        {"soil", dir / "meuse_grid_soil.asc"}});
  ds.grid.grid().crsWkt = ds.crsWkt;
  ds.polygons.emplace_back("river", readPolygons((dir / "meuse_riv.geojson").string()));
  return ds;
}

Dataset loadJura(const fs::path& dir) {
  Dataset ds;
  ds.name = "jura";
  ds.provenance = readText(dir / "PROVENANCE.md");
  ds.description =
      "Swiss Jura topsoil heavy metals (Goovaerts 1997): 259 samples with Cd, Co, Cr, Cu, Ni, Pb, "
      "Zn in ppm "
      "(mg/kg); grid bands rock and landuse (50 m). The source's local km coordinates are "
      "converted to metres "
      "(x 1000); local grid, no CRS. Grid codes:\n" +
      readText(dir / "jura_grid_codes.txt");
  CsvOptions options;
  options.xColumn = "Xloc";
  options.yColumn = "Yloc";
  options.idColumn = "id";
  options.columns = {"Cd", "Co", "Cr", "Cu", "Ni", "Pb", "Zn"};
  ds.samples = readSamplesCsv((dir / "jura_pred.csv").string(), options);
  for (auto& v : ds.samples.x) v *= 1000.0;
  for (auto& v : ds.samples.y) v *= 1000.0;
  setUnits(ds.samples, "ppm");
  ds.samples.source = "jura";
  ds.grid = stackBands(
      {{"rock", dir / "jura_grid_rock.asc"}, {"landuse", dir / "jura_grid_landuse.asc"}});
  auto& gt = ds.grid.grid().geoTransform;
  for (std::size_t i : {0, 1, 3, 5}) gt[i] *= 1000.0;
  return ds;
}

}  // namespace

Dataset synth2dDataset(const Synth2dOptions& options) {
  Synth2dDistrict district = generateSynth2d(options);
  Dataset ds;
  ds.name = "synth2d";
  ds.seed = options.seed;
  ds.description =
      "Synthetic 2D district with known truth: compositional stream-sediment geochemistry over "
      "lithology domains, fault-controlled deposits (labels 1 known, 0 hidden) and the truth "
      "raster (mineralisation, lithology).";
  ds.provenance = "generateSynth2d (orevox geomodel, synth2d.hpp): seed " + std::to_string(options.seed) +
                  ", " + std::to_string(options.sampleCount) + " samples, " + std::to_string(options.width) +
                  " x " + std::to_string(options.height) + " m, known fraction " +
                  std::to_string(options.knownFraction) + ", label radius " +
                  std::to_string(options.labelRadius) + " m\n";
  ds.crsWkt = district.samples.crsWkt;
  ds.samples = std::move(district.samples);
  ds.deposits = std::move(district.deposits);
  ds.faults = std::move(district.faults);
  ds.polygons.emplace_back("lithology", std::move(district.lithology));
  ds.grid = std::move(district.truth);
  return ds;
}

Dataset synth3dDataset(const Synth3dOptions& options) {
  Synth3dPair pair = generateSynth3d(options);
  const std::string size = std::to_string(options.nx) + " x " + std::to_string(options.ny) + " x " +
                           std::to_string(options.nz);
  Dataset ds;
  ds.name = "synth3d";
  ds.seed = options.seed;
  ds.description =
      "Synthetic 3D fault-controlled gold: a labelled source deposit and an unlabelled target "
      "deposit with covariate shift, " + size + " voxels each, plus their main fault surfaces.";
  ds.provenance = "generateSynth3d (orevox geomodel, synth3d.hpp): seed " + std::to_string(options.seed) +
                  ", " + size + " voxels of " + std::to_string(options.cell) + " m, shift " +
                  std::to_string(options.shift) + "\n";
  ds.crsWkt = pair.source.volume.spec().crsWkt;
  ds.faults.crsWkt = ds.crsWkt;
  for (auto* deposit : {&pair.source, &pair.target}) {
    TriangleSurface fault = deposit->mainFault;
    if (fault.name.empty()) fault.name = deposit->name + " main fault";
    ds.faults.surfaces.push_back(std::move(fault));
  }
  ds.volumes.emplace_back("source", VoxelModel::fromDense(pair.source.volume, &pair.source.active));
  ds.volumes.emplace_back("target", VoxelModel::fromDense(pair.target.volume, &pair.target.active));
  return ds;
}

std::vector<std::string> datasetNames() {
  return {"synth2d", "synth3d", "murchison", "meuse", "jura"};
}

Dataset loadDataset(const std::string& name, std::uint64_t seed) {
  if (name == "synth2d") {
    Synth2dOptions options;
    options.seed = seed;
    return synth2dDataset(options);
  }
  if (name == "synth3d") {
    // A reduced box so that the default dataset loads in seconds.
    Synth3dOptions options;
    options.nx = 128;
    options.ny = 128;
    options.nz = 64;
    options.seed = seed;
    return synth3dDataset(options);
  }
  if (name == "murchison") return loadMurchison(dataFolder() / "murchison");
  if (name == "meuse") return loadMeuse(dataFolder() / "meuse");
  if (name == "jura") return loadJura(dataFolder() / "jura");
  throw UsageError("unknown dataset '" + name + "' (datasets: " + detail::joinNames(datasetNames()) + ")");
}

void writeDataset(const Dataset& dataset, const std::string& folder) {
  makeDirectories(folder);
  const fs::path dir(folder);
  if (dataset.samples.size() > 0) writeSamplesCsv(dataset.samples, (dir / "samples.csv").string());
  if (dataset.deposits.size() > 0) {
    const SampleTable& deposits = dataset.deposits;
    if (deposits.hasLabels()) {
      std::vector<std::size_t> known, hidden;
      for (std::size_t i = 0; i < deposits.size(); ++i)
        (deposits.labels[i] != 0 ? known : hidden).push_back(i);
      // An empty file would not read back (a CSV needs data rows), so none is written.
      if (!known.empty())
        writeSamplesCsv(deposits.subset(known), (dir / "deposits_known.csv").string());
      if (!hidden.empty())
        writeSamplesCsv(deposits.subset(hidden), (dir / "deposits_hidden.csv").string());
    } else {
      writeSamplesCsv(deposits, (dir / "deposits.csv").string());
    }
  }
  if (!dataset.faults.lines.empty() || !dataset.faults.surfaces.empty()) {
    FaultNetwork faults = dataset.faults;
    if (faults.crsWkt.empty()) faults.crsWkt = dataset.crsWkt;
    writeLines(faults, (dir / "faults.geojson").string());
  }
  for (const auto& [name, polygons] : dataset.polygons) {
    writePolygons(polygons, (dir / (name + ".gpkg")).string(), {}, dataset.crsWkt);
  }
  if (dataset.grid.bandCount() > 0) {
    // synth2d's grid is its truth raster: named for what it is.
    const std::string file = dataset.name == "synth2d" ? "truth.tif" : "grid.tif";
    writeGeoTiff(dataset.grid, (dir / file).string());
  }
  for (const auto& [name, model] : dataset.volumes) model.write((dir / (name + ".vdb")).string());
  if (!dataset.provenance.empty())
    writeTextFileAtomic((dir / "PROVENANCE.md").string(), dataset.provenance);
}

}  // namespace orevox
