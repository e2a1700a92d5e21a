#include "orevox/geomodel/grid.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "orevox/core/error.hpp"
#include "orevox/core/resources.hpp"

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
  if (!std::isfinite(extent.xmin) || !std::isfinite(extent.ymin) || !std::isfinite(extent.xmax) ||
      !std::isfinite(extent.ymax) || !std::isfinite(extent.width()) ||
      !std::isfinite(extent.height())) {
    std::ostringstream s;
    s << "extent " << extent.xmin << "," << extent.ymin << "," << extent.xmax << "," << extent.ymax
      << " is not finite (an infinite bound, or coordinates so far apart that their difference "
         "overflows)";
    throw UsageError(s.str());
  }
  if (extent.empty()) {
    std::ostringstream s;
    s << "empty extent " << extent.xmin << "," << extent.ymin << "," << extent.xmax << ","
      << extent.ymax << " (need xmin < xmax and ymin < ymax)";
    throw UsageError(s.str());
  }
  // Sizes computed in double first: a tiny cell on a wide extent must not wrap around size_t.
  const double w = std::max(1.0, std::ceil(extent.width() / cell - 1e-9));
  const double h = std::max(1.0, std::ceil(extent.height() / cell - 1e-9));
  if (cell > std::max(extent.width(), extent.height())) {
    std::ostringstream s;
    s << "cell size " << cell << " is larger than the extent (" << extent.width() << " x "
      << extent.height() << "): the grid would be a single cell";
    throw UsageError(s.str());
  }
  std::ostringstream what;
  what << "a grid of " << w << " x " << h << " cells of " << cell;
  // One float band and its mask per cell is the least any grid costs.
  requireMemory(w * h * 5.0, what.str(), Blame::Option, "a larger cell size or a smaller extent");
  GridSpec g;
  g.width = static_cast<std::size_t>(w);
  g.height = static_cast<std::size_t>(h);
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
  // Written so that NaN (a NaN query point or a degenerate geotransform) is outside too.
  if (!(px >= 0 && py >= 0 && px < double(width) && py < double(height))) return false;
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
