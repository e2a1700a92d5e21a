#include "orevox/geomodel/grid.hpp"

#include <cmath>
#include <sstream>

#include "orevox/core/error.hpp"

namespace orevox {

void Extent::expand(double x, double y) {
  if (!initialised) {
    xmin = xmax = x;
    ymin = ymax = y;
    initialised = true;
    return;
  }
  xmin = std::min(xmin, x);
  xmax = std::max(xmax, x);
  ymin = std::min(ymin, y);
  ymax = std::max(ymax, y);
}

GridSpec GridSpec::fromExtent(const Extent& extent, double cell, std::string crsWkt) {
  if (!(cell > 0.0) || !std::isfinite(cell)) {
    throw UsageError("cell size must be a positive number of metres, got " + std::to_string(cell));
  }
  if (extent.empty()) {
    std::ostringstream s;
    s << "empty extent " << extent.xmin << "," << extent.ymin << "," << extent.xmax << ","
      << extent.ymax << " (need xmin < xmax and ymin < ymax)";
    throw UsageError(s.str());
  }
  GridSpec g;
  g.width = static_cast<std::size_t>(std::ceil(extent.width() / cell - 1e-9));
  g.height = static_cast<std::size_t>(std::ceil(extent.height() / cell - 1e-9));
  g.width = std::max<std::size_t>(g.width, 1);
  g.height = std::max<std::size_t>(g.height, 1);
  g.geoTransform = {extent.xmin, cell, 0.0, extent.ymax, 0.0, -cell};
  g.crsWkt = std::move(crsWkt);
  return g;
}

Extent GridSpec::extent() const {
  Extent e;
  e.xmin = geoTransform[0];
  e.xmax = geoTransform[0] + double(width) * geoTransform[1];
  e.ymax = geoTransform[3];
  e.ymin = geoTransform[3] + double(height) * geoTransform[5];
  e.initialised = true;
  return e;
}

bool GridSpec::cellOf(double x, double y, long& col, long& row) const {
  const double px = std::floor(pixelX(x));
  const double py = std::floor(pixelY(y));
  if (px < 0 || py < 0 || px >= double(width) || py >= double(height)) return false;
  col = static_cast<long>(px);
  row = static_cast<long>(py);
  return true;
}

bool GridSpec::sameGrid(const GridSpec& other, double tolerance) const {
  if (width != other.width || height != other.height) return false;
  const double cell = std::max(std::abs(geoTransform[1]), std::abs(geoTransform[5]));
  for (int i = 0; i < 6; ++i) {
    if (std::abs(geoTransform[i] - other.geoTransform[i]) > tolerance * cell) return false;
  }
  return crsWkt == other.crsWkt;
}

}  // namespace orevox
