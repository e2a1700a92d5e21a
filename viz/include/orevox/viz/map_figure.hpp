#pragma once
/// \file map_figure.hpp
/// A 2D map figure for reports: a raster band (e.g. a prospectivity GeoTIFF) with a colour
/// bar, fault traces, deposits (known and hidden marked differently), target-zone outlines,
/// coordinate ticks, a scale bar, a north arrow and a legend. Rendered offscreen through
/// VTK's 2D context (Xvfb where there is no display); VTK-free header.

#include <string>

#include "orevox/geomodel/geometry.hpp"
#include "orevox/geomodel/raster.hpp"
#include "orevox/geomodel/samples.hpp"
#include "orevox/viz/quicklook.hpp"

namespace orevox {

/// Content and look of a map figure. Pointers are borrowed and may be null.
struct MapFigureOptions {
  std::string title;  ///< empty = band name (units)
  ColorMap colorMap = ColorMap::Prospectivity;
  double lo = 0.0, hi = 0.0;  ///< colour range; lo >= hi = as writeQuicklookPng chooses it
  const FaultNetwork* faults = nullptr;
  const SampleTable* deposits =
      nullptr;  ///< labels 1 = known (filled magenta circles), 0 = hidden (cyan squares)
  const PolygonSet* zones = nullptr;  ///< target-zone outlines (red)
  int width = 1200, height = 1000;    ///< pixels; the height is cropped to the map (at least 600)
};

/// Where the map landed in the image, for tests and overlays: pixel x = x0 + (easting -
/// xmin) * scale, pixel row from the top = y0 + (ymax - northing) * scale.
struct MapFigureLayout {
  double x0 = 0, y0 = 0, scale = 0;  ///< pixels per metre
  double lo = 0, hi = 0;             ///< colour range used
  double scaleBarMetres = 0;         ///< length the scale bar stands for
  std::size_t knownDeposits = 0, hiddenDeposits = 0;
};

/// Writes the figure of band `band` as an RGB PNG (atomically). UsageError for a bad band
/// or size, IoError when the PNG cannot be written.
MapFigureLayout writeMapFigure(const Raster& raster, std::size_t band, const std::string& path,
                               const MapFigureOptions& options = {});

}  // namespace orevox
