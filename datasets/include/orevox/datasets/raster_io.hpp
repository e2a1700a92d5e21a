#pragma once
/// \file raster_io.hpp
/// Raster files through GDAL: any GDAL-readable raster in, multi-band Float32 GeoTIFF out.

#include <string>

#include "orevox/geomodel/raster.hpp"

namespace orevox {

/// Reads every band of any GDAL raster (GeoTIFF, ESRI ASCII grid, GPKG tiles, ...) as float.
/// Band names come from the band descriptions, else "band1", "band2", ... (a repeated
/// description also falls back to "bandN"); units from the band unit type. Each band's
/// own nodata value and NaN become the Raster's nodata (kNodata = -9999), so a genuine
/// -9999 in the data also reads as nodata. CRS as WKT2 (empty when the file has none),
/// geotransform as stored; a south-up raster (gt[5] > 0, also the default of files without
/// georeferencing) is flipped so that row 0 is the north edge.
/// Throws IoError naming the file when it is missing, unreadable or truncated, DataError
/// for a rotated geotransform (gt[2] or gt[4] != 0) or a raster without bands.
Raster readRaster(const std::string& path);

/// Writes all bands as one Float32 GeoTIFF: band descriptions = band names, unit types =
/// band units, nodata -9999 on every band (the raster's nodata and NaN are written as
/// -9999), CRS and geotransform, DEFLATE compression with the floating-point predictor,
/// 256 x 256 tiles. Atomic: GDAL writes a temporary file that is renamed onto `path` when
/// complete, so a failed write leaves neither a partial file nor a changed old one.
/// DataError for a raster without bands, with band sizes that do not match its grid or with
/// a non north-up geotransform; IoError naming the file for write failures.
void writeGeoTiff(const Raster& raster, const std::string& path);

/// UsageError naming `option` unless `path` ends in .tif or .tiff (any case): what
/// writeGeoTiff checks, for commands to check before their work.
void checkGeoTiffPath(const std::string& path, const std::string& option = {});

}  // namespace orevox
