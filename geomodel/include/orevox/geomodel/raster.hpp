#pragma once
/// \file raster.hpp
/// A Raster is a stack of named float bands on one GridSpec.

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "orevox/geomodel/grid.hpp"

namespace orevox {

/// Default nodata value of every raster orevox writes.
constexpr float kNodata = -9999.0f;

/// One band: row-major values (row 0 = north edge), `grid.size()` of them.
struct Band {
  std::string name;
  std::string units;  ///< e.g. "ppm", "m", "" when dimensionless
  std::vector<float> values;
};

/// Named float bands sharing one GridSpec and one nodata value.
class Raster {
 public:
  Raster() = default;
  explicit Raster(GridSpec grid, float nodata = kNodata);

  const GridSpec& grid() const { return grid_; }
  GridSpec& grid() { return grid_; }
  float nodata() const { return nodata_; }
  void setNodata(float nodata) { nodata_ = nodata; }

  std::size_t bandCount() const { return bands_.size(); }
  /// Adds a band filled with `fill`; throws UsageError if the name exists already.
  Band& addBand(const std::string& name, float fill = 0.0f, const std::string& units = {});
  /// Adds a band with given values; throws UsageError on a size mismatch.
  Band& addBand(const std::string& name, std::vector<float> values, const std::string& units = {});
  Band& band(std::size_t i) { return bands_.at(i); }
  const Band& band(std::size_t i) const { return bands_.at(i); }
  /// Band by name; throws UsageError naming the band and the ones available.
  const Band& band(const std::string& name) const;
  Band& band(const std::string& name);
  /// Index of a band by name, -1 when absent.
  long bandIndex(const std::string& name) const;
  const std::vector<Band>& bands() const { return bands_; }

  bool isNodata(float v) const { return std::isnan(v) || v == nodata_; }
  /// Value at the cell containing (x, y), or nodata when outside.
  float sample(std::size_t band, double x, double y) const;

 private:
  GridSpec grid_;
  float nodata_ = kNodata;
  std::vector<Band> bands_;
};

}  // namespace orevox
