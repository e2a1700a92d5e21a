#include "orevox/geomodel/raster.hpp"

#include "orevox/core/error.hpp"

namespace orevox {

Raster::Raster(GridSpec grid, float nodata) : grid_(std::move(grid)), nodata_(nodata) {}

Band& Raster::addBand(const std::string& name, float fill, const std::string& units) {
  return addBand(name, std::vector<float>(grid_.size(), fill), units);
}

Band& Raster::addBand(const std::string& name, std::vector<float> values, const std::string& units) {
  if (bandIndex(name) >= 0) throw UsageError("raster already has a band named '" + name + "'");
  if (values.size() != grid_.size()) {
    throw UsageError("band '" + name + "' has " + std::to_string(values.size()) +
                     " values, the grid has " + std::to_string(grid_.size()) + " cells");
  }
  bands_.push_back(Band{name, units, std::move(values)});
  return bands_.back();
}

long Raster::bandIndex(const std::string& name) const {
  for (std::size_t i = 0; i < bands_.size(); ++i) {
    if (bands_[i].name == name) return static_cast<long>(i);
  }
  return -1;
}

const Band& Raster::band(const std::string& name) const {
  const long i = bandIndex(name);
  if (i < 0) {
    std::string names;
    for (const auto& b : bands_) names += (names.empty() ? "" : ", ") + b.name;
    throw UsageError("no band named '" + name + "' (bands: " + names + ")");
  }
  return bands_[static_cast<std::size_t>(i)];
}

Band& Raster::band(const std::string& name) {
  return const_cast<Band&>(static_cast<const Raster&>(*this).band(name));
}

float Raster::sample(std::size_t b, double x, double y) const {
  long col = 0, row = 0;
  if (!grid_.cellOf(x, y, col, row)) return nodata_;
  return bands_.at(b).values[grid_.index(std::size_t(col), std::size_t(row))];
}

}  // namespace orevox
