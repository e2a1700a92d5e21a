#pragma once
// Private helpers shared by the GDAL/OGR readers and writers of orevox::datasets.
// This header includes GDAL and must never be included from a public header.

#include <cpl_error.h>
#include <ogr_spatialref.h>

#include <string>

class GDALDataset;
class OGRLayer;

namespace orevox::detail {

/// Registers every GDAL/OGR driver, once per process.
void ensureGdal();

/// While alive, GDAL errors raised on this thread are recorded but not printed
/// (GDAL's handler stack is per thread), and the last error starts cleared.
class GdalErrorScope {
 public:
  GdalErrorScope();
  ~GdalErrorScope();
  GdalErrorScope(const GdalErrorScope&) = delete;
  GdalErrorScope& operator=(const GdalErrorScope&) = delete;
};

/// GDAL's last error message on this thread, or `fallback` when GDAL recorded none.
std::string gdalMessage(const std::string& fallback);
/// True when GDAL recorded a CE_Failure or CE_Fatal since the last reset.
bool gdalFailed();

/// The CRS as single-line WKT2 (empty for a null or empty CRS).
std::string wktOf(const OGRSpatialReference* srs);
/// Parses WKT (or "EPSG:n", PROJ strings) into `srs` with traditional GIS axis order;
/// false when GDAL cannot understand it.
bool parseCrs(const std::string& text, OGRSpatialReference& srs);

/// True when the JSON document at `path` has a top-level "crs" member (legacy GeoJSON).
bool geoJsonHasCrsMember(const std::string& path);
/// The CRS of a vector layer as WKT. GDAL gives GeoJSON without a "crs" member WGS 84
/// (RFC 7946); orevox reads that as unknown (empty) instead, because such files here hold
/// projected or local coordinates far more often than longitudes and latitudes. GeoPackage's
/// "Undefined geographic / Cartesian SRS" placeholders are empty too.
std::string vectorLayerCrs(GDALDataset& ds, OGRLayer& layer, const std::string& path);

/// Extension of `path` in lower case, with the dot (".tif"), "" when none.
std::string lowerExtension(const std::string& path);
/// Throws IoError naming `path` when it is not an existing regular file.
void requireReadableFile(const std::string& path);

}  // namespace orevox::detail
