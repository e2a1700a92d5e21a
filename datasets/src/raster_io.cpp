#include "orevox/datasets/raster_io.hpp"

#include <gdal_priv.h>

#include <charconv>
#include <cmath>
#include <memory>
#include <set>

#include "gdal_support.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/resources.hpp"

namespace orevox {
namespace {

struct DatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(GDALDataset::ToHandle(ds)); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

std::string geoTransformText(const double* gt) {
  std::string out;
  for (int i = 0; i < 6; ++i) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), gt[i]);
    out += (i ? " " : "") + std::string(buffer, result.ptr);
  }
  return out;
}

}  // namespace

Raster readRaster(const std::string& path) {
  // GDAL virtual paths (/vsizip/..., NETCDF:"f.nc":var) are not plain files: GDAL checks them.
  if (path.rfind("/vsi", 0) != 0 && path.find(':') == std::string::npos)
    detail::requireReadableFile(path);
  detail::GdalErrorScope quiet;
  const SourceLocation where{path, 0, 0, {}, {}};
  DatasetPtr ds(GDALDataset::FromHandle(
      GDALOpenEx(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
  if (!ds)
    throw IoError("cannot open raster: " + detail::gdalMessage("not a raster GDAL can read"),
                  where);
  const int width = ds->GetRasterXSize();
  const int height = ds->GetRasterYSize();
  const int bandCount = ds->GetRasterCount();
  if (bandCount <= 0) throw DataError("raster has no bands", where);
  if (width <= 0 || height <= 0) throw DataError("raster has no cells", where);

  // The header's size decides the allocation: refused up front when it cannot fit (a sparse
  // or tiny file can declare 200,000 x 200,000 cells).
  requireMemory(double(width) * double(height) * (double(bandCount) + 1.0) * sizeof(float),
                "reading " + std::to_string(width) + " x " + std::to_string(height) + " cells x " +
                    std::to_string(bandCount) + " band(s)",
                Blame::Input, "crop or resample it first, e.g. with gdal_translate", where);
  double gt[6] = {0.0, 1.0, 0.0, 0.0, 0.0, 1.0};
  ds->GetGeoTransform(gt);  // on failure GDAL leaves the pixel-coordinate default
  CPLErrorReset();
  if (gt[2] != 0.0 || gt[4] != 0.0) {
    throw DataError("rotated geotransform is not supported",
                    SourceLocation{path, 0, 0, "geotransform", geoTransformText(gt)});
  }
  if (!(gt[1] > 0.0) || gt[5] == 0.0 || !std::isfinite(gt[1]) || !std::isfinite(gt[5]) ||
      !std::isfinite(gt[0]) || !std::isfinite(gt[3])) {
    throw DataError("geotransform must have positive cell width and non-zero cell height",
                    SourceLocation{path, 0, 0, "geotransform", geoTransformText(gt)});
  }
  const bool southUp = gt[5] > 0.0;

  GridSpec grid;
  grid.width = std::size_t(width);
  grid.height = std::size_t(height);
  grid.geoTransform = {gt[0], gt[1], 0.0, gt[3], 0.0, gt[5]};
  if (southUp) {
    grid.geoTransform[3] = gt[3] + double(height) * gt[5];
    grid.geoTransform[5] = -gt[5];
  }
  grid.crsWkt = detail::wktOf(ds->GetSpatialRef());

  Raster raster(grid, kNodata);
  std::set<std::string> names;
  for (int b = 1; b <= bandCount; ++b) {
    GDALRasterBand* band = ds->GetRasterBand(b);
    std::vector<float> values(grid.size());
    CPLErrorReset();
    if (band->RasterIO(GF_Read, 0, 0, width, height, values.data(), width, height, GDT_Float32, 0,
                       0, nullptr) != CE_None) {
      throw IoError("cannot read band " + std::to_string(b) + ": " +
                        detail::gdalMessage("read failed (truncated file?)"),
                    where);
    }
    int hasNodata = 0;
    const double nodata = band->GetNoDataValue(&hasNodata);
    const float nodataF = float(nodata);
    const bool nodataIsNan = hasNodata && std::isnan(nodata);
    for (float& v : values) {
      if (std::isnan(v) || (hasNodata && !nodataIsNan && v == nodataF)) v = kNodata;
    }
    if (southUp) {
      for (int row = 0; row < height / 2; ++row) {
        std::swap_ranges(values.begin() + std::ptrdiff_t(row) * width,
                         values.begin() + std::ptrdiff_t(row + 1) * width,
                         values.begin() + std::ptrdiff_t(height - 1 - row) * width);
      }
    }
    std::string name = band->GetDescription();
    if (name.empty() || names.count(name)) name = "band" + std::to_string(b);
    while (names.count(name)) name += "_";
    names.insert(name);
    const char* units = band->GetUnitType();
    raster.addBand(name, std::move(values), units ? units : "");
  }
  return raster;
}

void checkGeoTiffPath(const std::string& path, const std::string& option) {
  const std::string ext = detail::lowerExtension(path);
  if (ext != ".tif" && ext != ".tiff")  // a map named out.png must not hold GeoTIFF bytes
    throw UsageError((option.empty() ? std::string() : option + ": ") + "GeoTIFF output '" + path +
                     "' must end in .tif or .tiff");
}

void writeGeoTiff(const Raster& raster, const std::string& path) {
  const GridSpec& grid = raster.grid();
  const SourceLocation where{path, 0, 0, {}, {}};
  if (raster.bandCount() == 0) throw DataError("cannot write a raster without bands", where);
  if (grid.width == 0 || grid.height == 0)
    throw DataError("cannot write a raster without cells", where);
  if (grid.width > std::size_t(INT32_MAX) || grid.height > std::size_t(INT32_MAX)) {
    throw DataError("raster too large for GDAL (more than 2^31 columns or rows)", where);
  }
  const auto& gt = grid.geoTransform;
  if (gt[2] != 0.0 || gt[4] != 0.0 || !(gt[1] > 0.0) || !(gt[5] < 0.0)) {
    throw DataError("geotransform must be north-up (gt[1] > 0, gt[5] < 0, no rotation)",
                    SourceLocation{path, 0, 0, "geotransform", geoTransformText(gt.data())});
  }
  for (const Band& band : raster.bands()) {
    if (band.values.size() != grid.size()) {
      throw DataError("band has " + std::to_string(band.values.size()) + " values, grid has " +
                          std::to_string(grid.size()) + " cells",
                      SourceLocation{path, 0, 0, band.name, {}});
    }
  }

  checkGeoTiffPath(path);
  AtomicOutput out(path);
  detail::GdalErrorScope quiet;
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
  if (driver == nullptr) throw IoError("GDAL has no GTiff driver", where);
  const int width = int(grid.width);
  const int height = int(grid.height);
  const char* options[] = {"TILED=YES",   "BLOCKXSIZE=256",   "BLOCKYSIZE=256", "COMPRESS=DEFLATE",
                           "PREDICTOR=3", "BIGTIFF=IF_SAFER", nullptr};
  {
    DatasetPtr ds(driver->Create(out.tempPath().c_str(), width, height, int(raster.bandCount()),
                                 GDT_Float32, const_cast<char**>(options)));
    if (!ds) throw IoError("cannot create GeoTIFF: " + detail::gdalMessage("GDAL refused"), where);
    double gtCopy[6] = {gt[0], gt[1], gt[2], gt[3], gt[4], gt[5]};
    if (ds->SetGeoTransform(gtCopy) != CE_None) {
      throw IoError("cannot set the geotransform: " + detail::gdalMessage("GDAL refused"), where);
    }
    if (!grid.crsWkt.empty()) {
      OGRSpatialReference srs;
      if (!detail::parseCrs(grid.crsWkt, srs)) {
        throw DataError("raster CRS is not valid WKT: " + detail::gdalMessage("unparsable"), where);
      }
      if (ds->SetSpatialRef(&srs) != CE_None) {
        throw IoError("cannot set the CRS: " + detail::gdalMessage("GDAL refused"), where);
      }
    }
    std::vector<float> buffer(grid.size());
    for (std::size_t b = 0; b < raster.bandCount(); ++b) {
      const Band& src = raster.band(b);
      for (std::size_t i = 0; i < buffer.size(); ++i)
        buffer[i] = raster.isNodata(src.values[i]) ? kNodata : src.values[i];
      GDALRasterBand* band = ds->GetRasterBand(int(b) + 1);
      band->SetDescription(src.name.c_str());
      if (!src.units.empty()) band->SetUnitType(src.units.c_str());
      band->SetNoDataValue(double(kNodata));
      if (band->RasterIO(GF_Write, 0, 0, width, height, buffer.data(), width, height, GDT_Float32,
                         0, 0, nullptr) != CE_None) {
        throw IoError(
            "cannot write band '" + src.name + "': " + detail::gdalMessage("write failed"), where);
      }
    }
    CPLErrorReset();
    // Closing flushes the tiles to disk: errors (a full disk, ...) surface only here.
  }
  if (detail::gdalFailed())
    throw IoError("cannot write GeoTIFF: " + detail::gdalMessage("flush failed"), where);
  out.commit();
}

}  // namespace orevox
