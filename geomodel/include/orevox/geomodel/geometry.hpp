#pragma once
/// \file geometry.hpp
/// Vector geometry of the domain: fault networks (2D polylines, 3D triangulated surfaces)
/// and polygons with holes.

#include <array>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "orevox/geomodel/grid.hpp"

namespace orevox {

/// A 2D polyline (e.g. one mapped fault trace), world coordinates in metres.
struct Polyline {
  std::vector<Eigen::Vector2d> points;
  std::string name;
  double length() const;
};

/// A triangulated 3D surface (e.g. a fault plane from a 3D model).
struct TriangleSurface {
  std::vector<Eigen::Vector3d> vertices;
  std::vector<std::array<int, 3>> triangles;
  std::string name;
};

/// Mapped faults: 2D traces and, where known, 3D surfaces, in one CRS.
struct FaultNetwork {
  std::vector<Polyline> lines;
  std::vector<TriangleSurface> surfaces;
  std::string crsWkt;

  std::size_t segmentCount() const;
  double totalLength() const;  ///< of the 2D traces, metres
  Extent extent() const;
};

/// A polygon: rings[0] is the outer boundary, the rest are holes. Rings are closed
/// implicitly (the last point need not repeat the first).
struct Polygon {
  std::vector<std::vector<Eigen::Vector2d>> rings;
  std::string name;
  double value = 0.0;  ///< an attribute carried along (e.g. a class code)

  /// Even-odd point-in-polygon over all rings (points on an edge count as inside or not
  /// arbitrarily).
  bool contains(double x, double y) const;
  /// Area in square metres (outer minus holes, orientation-independent).
  double area() const;
  Extent extent() const;
};

/// A collection of polygons (e.g. greenstone belts, lithology domains, target zones).
using PolygonSet = std::vector<Polygon>;

/// Euclidean distance from point p to segment ab (metres).
double distanceToSegment(const Eigen::Vector2d& p, const Eigen::Vector2d& a, const Eigen::Vector2d& b);

/// True when any polygon of the set contains (x, y).
bool containsPoint(const PolygonSet& polygons, double x, double y);

/// Rasterises polygons onto a grid: 1 where a cell centre is inside, else 0.
std::vector<std::uint8_t> rasterizePolygons(const PolygonSet& polygons, const GridSpec& grid);

}  // namespace orevox
