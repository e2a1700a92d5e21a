#pragma once
/// \file embedded.hpp
/// The datasets orevox ships: two synthetic districts generated from a seed (with known
/// truth) and three real public ones read from `datasets/data` (each with its PROVENANCE).
/// Also one-call descriptions of datasets and files, and a writer of a whole dataset.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "orevox/geomodel/geometry.hpp"
#include "orevox/geomodel/raster.hpp"
#include "orevox/geomodel/samples.hpp"
#include "orevox/geomodel/synth2d.hpp"
#include "orevox/geomodel/synth3d.hpp"
#include "orevox/voxel/voxel_model.hpp"

namespace orevox {

/// Names accepted by loadDataset: {"synth2d", "synth3d", "murchison", "meuse", "jura"}.
std::vector<std::string> datasetNames();

/// Everything one dataset holds; parts a dataset lacks stay empty.
struct Dataset {
  std::string name, description;
  /// Text of the dataset's PROVENANCE.md (real data, verbatim), or the generator, its
  /// options and seed (synthetic data).
  std::string provenance;
  std::string crsWkt;    ///< empty = local or unknown coordinates (said in description)
  SampleTable samples;   ///< geochemistry (ppm), may be empty
  SampleTable deposits;  ///< deposit locations, labels 1 = known, 0 = hidden; may be empty
  FaultNetwork faults;
  std::vector<std::pair<std::string, PolygonSet>> polygons;  ///< e.g. {"greenstone", ...}
  Raster grid;  ///< covariate / truth rasters (may have no bands)
  std::vector<std::pair<std::string, VoxelModel>> volumes;  ///< synth3d: "source", "target"
  std::uint64_t seed = 0;                                   ///< synthetic only
};

/// Loads a dataset by name. Synthetic ones are generated from `seed` (synth3d at a reduced
/// 128 x 128 x 64 voxel size so it loads in seconds); real ones ignore the seed. Real data
/// are read from the folder named by the environment variable OREVOX_DATA_DIR, else from
/// the source tree's datasets/data. UsageError listing the names for an unknown name;
/// IoError naming the folder and the variable when the data folder is missing.
///  - murchison: 255 gold deposits (all labelled known = 1), 3 252 fault segments, polygons
///    "greenstone" and "window"; metres, CRS not stated by the source (AMG zone 50
///    inferred), so crsWkt is empty.
///  - meuse: 155 topsoil samples, Cd Cu Pb Zn in ppm (mg/kg); grid bands dist, ffreq, soil
///    (40 m); polygon "river"; EPSG:28992.
///  - jura: 259 topsoil samples, Cd Co Cr Cu Ni Pb Zn in ppm; grid bands rock, landuse;
///    the local km coordinates are converted to metres (x 1000); no CRS.
Dataset loadDataset(const std::string& name, std::uint64_t seed = 1);

/// The synthetic districts as datasets, for any generator options (loadDataset uses the
/// defaults, synth3d at 128 x 128 x 64). The provenance records the options and the seed.
Dataset synth2dDataset(const Synth2dOptions& options);
Dataset synth3dDataset(const Synth3dOptions& options);

/// Summary as JSON: name, description, CRS name, provenance (first line), seed, and per
/// part counts and extents: samples/deposits (rows, columns with units and min / median /
/// max, labels), faults (traces, segments, length in m, surfaces), polygons (count, area in
/// m2), grid (size, cell, bands with stats), volumes (box, voxel size, channels, active).
nlohmann::json describeDataset(const Dataset& dataset);

/// Summary of any supported file, chosen by extension: rasters (.tif, .tiff, .asc, ...:
/// bands, size, cell, CRS, nodata share, band min/mean/max), vectors (.geojson, .json,
/// .gpkg, .shp: layers, geometry types, feature counts, CRS), sample CSV (.csv, .txt:
/// rows, columns with stats), volumes (.vdb, .vti: box, channels, active voxels), meshes
/// (.ts, .obj, .ply, .stl: vertices, triangles, closed / watertight / manifold / oriented
/// with the counts of offending edges, bounds, area, volume when watertight, properties,
/// CRS).
/// IoError / DataError naming the file when it cannot be read.
nlohmann::json describeFile(const std::string& path);

/// Writes every part of a dataset into `folder` (created when missing) in open formats:
/// samples.csv, deposits_known.csv and deposits_hidden.csv (split by label, each only when
/// non-empty; deposits.csv when unlabelled), faults.geojson (traces and 3D surfaces),
/// <name>.gpkg per polygon set, grid.tif with all grid bands (for synth2d, whose grid is
/// its truth raster, the file is truth.tif), <name>.vdb per volume, and PROVENANCE.md.
/// Only the parts the dataset has are written; each file is atomic. Throws IoError /
/// DataError on the first failure.
void writeDataset(const Dataset& dataset, const std::string& folder);

}  // namespace orevox
