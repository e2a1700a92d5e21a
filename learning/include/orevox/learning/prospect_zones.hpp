#pragma once
/// \file prospect_zones.hpp
/// Prospect zones from predicted ore-bearing samples, resgnn-pangxidong-2024 sec. 5.3: the
/// density of samples predicted ore-bearing is mapped on a grid; connected areas where it is
/// non-zero are zones, class A where the density exceeds 5, class B otherwise.

#include <cstddef>
#include <string>
#include <vector>

#include "orevox/core/options.hpp"
#include "orevox/geomodel/geometry.hpp"
#include "orevox/geomodel/grid.hpp"

namespace orevox {

/// Parameters of prospectZones. The paper does not state the density's unit or support;
/// orevox counts predicted ore-bearing samples within `radius` of a cell centre per km2.
struct ProspectZoneOptions {
  double cellSize = 250.0;        ///< metres
  double radius = 1000.0;         ///< metres, search radius of the density
  std::size_t minSamples = 2;     ///< a cell is in a zone when at least this many predicted
                                  ///< ore-bearing samples lie within `radius`
  double classADensity = 5.0;     ///< samples per km2: class A when a zone's peak exceeds it

  /// Declares --zone-cell and --zone-radius.
  void declare(OptionSet& set) {
    set.add("zone-cell", cellSize, "Prospect-zone grid cell").units("m").positive();
    set.add("zone-radius", radius, "Prospect-zone density radius").units("m").positive();
  }
};

/// One zone: its outline (cells merged, holes kept), class and contents.
struct ProspectZone {
  Polygon polygon;                    ///< name "A1", "B3", ...; value 1 = class A, 2 = class B
  char zoneClass = 'B';
  double area = 0.0;                  ///< m2
  double peakDensity = 0.0;           ///< predicted ore-bearing samples per km2
  std::size_t predictedSamples = 0;   ///< predicted ore-bearing samples inside the outline
  std::vector<std::string> deposits;  ///< ids of the deposits inside the outline
};

/// Zones from the samples predicted ore-bearing (`predicted`[i] != 0 at (x[i], y[i])) over
/// `extent`, numbered by decreasing peak density within each class (A first). Deposits
/// (ids may be empty: then "D<row>") are listed with the zone containing them. Cells are
/// 4-connected. UsageError for size mismatches, a non-positive cell size or radius.
std::vector<ProspectZone> prospectZones(const std::vector<double>& x, const std::vector<double>& y,
                                        const std::vector<int>& predicted, const Extent& extent,
                                        const ProspectZoneOptions& options, const std::vector<double>& depositX = {},
                                        const std::vector<double>& depositY = {},
                                        const std::vector<std::string>& depositIds = {});

/// Outline rings of a set of cells on a cols x rows grid of square cells of `cellSize` with
/// lower-left corner (x0, y0): `inside`[row * cols + col] (row 0 = south). Rings trace cell
/// edges with the region on the left (outer rings counter-clockwise, holes clockwise),
/// collinear vertices removed; cells touching only at a corner stay in separate rings.
/// Sorted by decreasing signed area: the largest outer ring first, holes last (the order a
/// Polygon's rings take).
std::vector<std::vector<Eigen::Vector2d>> cellOutlines(const std::vector<std::uint8_t>& inside, std::size_t cols,
                                                       std::size_t rows, double x0, double y0, double cellSize);

}  // namespace orevox
