#pragma once
/// \file grid.hpp
/// Georeferenced 2D grids: extents, GridSpec (geotransform, CRS, pixel centres, mask).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace orevox {

/// Axis-aligned rectangle in world coordinates (metres in a projected CRS).
struct Extent {
  double xmin = 0, ymin = 0, xmax = 0, ymax = 0;
  double width() const { return xmax - xmin; }
  double height() const { return ymax - ymin; }
  bool empty() const { return !(xmax > xmin) || !(ymax > ymin); }
  bool contains(double x, double y) const { return x >= xmin && x <= xmax && y >= ymin && y <= ymax; }
  /// Grows the extent to include (x, y); an `empty()` default extent becomes the point.
  void expand(double x, double y);
  bool initialised = false;  ///< false until the first expand()
};

/// A north-up grid of `width` x `height` cells with a GDAL geotransform:
/// x = gt[0] + col * gt[1], y = gt[3] + row * gt[5] (gt[5] < 0, row 0 is the north edge).
/// Values belong to cell centres: cell (col, row) is centred at (col + 0.5, row + 0.5) in
/// pixel coordinates. Rotated geotransforms (gt[2], gt[4] != 0) are rejected by readers.
struct GridSpec {
  std::size_t width = 0;   ///< number of columns (x)
  std::size_t height = 0;  ///< number of rows (y)
  std::array<double, 6> geoTransform{0.0, 1.0, 0.0, 0.0, 0.0, -1.0};
  std::string crsWkt;      ///< coordinate reference system as WKT; empty = unknown/local
  /// Optional valid-area mask, row-major, 1 = inside the study area. Empty = all valid.
  std::vector<std::uint8_t> mask;

  /// Grid whose cells tile `extent` exactly from its north-west corner, `cell` metres wide.
  /// width = ceil(extent.width / cell - 1e-9), likewise height. Throws UsageError on an
  /// empty extent or non-positive cell size.
  static GridSpec fromExtent(const Extent& extent, double cell, std::string crsWkt = {});

  std::size_t size() const { return width * height; }
  double cellWidth() const { return geoTransform[1]; }
  double cellHeight() const { return -geoTransform[5]; }
  double originX() const { return geoTransform[0]; }  ///< west edge
  double originY() const { return geoTransform[3]; }  ///< north edge
  Extent extent() const;
  /// World x of the centre of column `col`.
  double centreX(double col) const { return geoTransform[0] + (col + 0.5) * geoTransform[1]; }
  /// World y of the centre of row `row`.
  double centreY(double row) const { return geoTransform[3] + (row + 0.5) * geoTransform[5]; }
  /// Continuous pixel coordinates of a world point (cell centres at integer + 0.5).
  double pixelX(double x) const { return (x - geoTransform[0]) / geoTransform[1]; }
  double pixelY(double y) const { return (y - geoTransform[3]) / geoTransform[5]; }
  /// Cell containing (x, y); false when outside the grid.
  bool cellOf(double x, double y, long& col, long& row) const;
  std::size_t index(std::size_t col, std::size_t row) const { return row * width + col; }
  bool valid(std::size_t idx) const { return mask.empty() || mask[idx] != 0; }
  /// Same size and geotransform (to `tolerance` of a cell) and same CRS text.
  bool sameGrid(const GridSpec& other, double tolerance = 1e-6) const;
};

}  // namespace orevox
