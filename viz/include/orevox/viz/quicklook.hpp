#pragma once
/// \file quicklook.hpp
/// Quick-look images of rasters: `scale` x `scale` PNG pixels per cell, north up, colour-mapped, nodata
/// transparent. Written through VTK's imaging pipeline (no render window, no display).
/// The interactive viewer and the offscreen scene renders build on the same colour maps.

#include <cstddef>
#include <string>

#include "orevox/geomodel/raster.hpp"

namespace orevox {

/// Colour maps of orevox figures.
enum class ColorMap {
  Prospectivity,  ///< sequential dark blue -> green -> yellow (viridis control points)
  Diverging,      ///< blue -> white -> red, centred on zero (signed distances)
  Categorical     ///< one distinct colour per integer class (rock types)
};

/// Value range and colour map of a quick look.
struct QuicklookOptions {
  ColorMap colorMap = ColorMap::Prospectivity;
  /// Colour range; when lo >= hi, the band's 2nd-98th percentiles of valid cells are used
  /// (Diverging: symmetric around 0 at the 98th percentile of |value|).
  double lo = 0.0, hi = 0.0;
  bool logScale = false;  ///< map log10(value) (positive values only; others transparent)
  int scale = 1;          ///< PNG pixels per cell along each axis (nearest-neighbour blow-up)
};

/// Writes band `band` of `raster` as an RGBA PNG (atomically). Returns the range used.
std::pair<double, double> writeQuicklookPng(const Raster& raster, std::size_t band, const std::string& path,
                                            const QuicklookOptions& options = {});

}  // namespace orevox
