#include "orevox/geomodel/geometry.hpp"

#include <algorithm>
#include <cmath>

namespace orevox {

double Polyline::length() const {
  double len = 0.0;
  for (std::size_t i = 1; i < points.size(); ++i) len += (points[i] - points[i - 1]).norm();
  return len;
}

std::size_t FaultNetwork::segmentCount() const {
  std::size_t n = 0;
  for (const auto& l : lines) n += l.points.size() > 1 ? l.points.size() - 1 : 0;
  return n;
}

double FaultNetwork::totalLength() const {
  double len = 0.0;
  for (const auto& l : lines) len += l.length();
  return len;
}

Extent FaultNetwork::extent() const {
  Extent e;
  for (const auto& l : lines)
    for (const auto& p : l.points) e.expand(p.x(), p.y());
  for (const auto& s : surfaces)
    for (const auto& v : s.vertices) e.expand(v.x(), v.y());
  return e;
}

bool Polygon::contains(double x, double y) const {
  bool inside = false;
  for (const auto& ring : rings) {
    const std::size_t n = ring.size();
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
      const auto& a = ring[i];
      const auto& b = ring[j];
      if (((a.y() > y) != (b.y() > y)) &&
          (x < (b.x() - a.x()) * (y - a.y()) / (b.y() - a.y()) + a.x())) {
        inside = !inside;
      }
    }
  }
  return inside;
}

namespace {
double ringArea(const std::vector<Eigen::Vector2d>& ring) {
  double a = 0.0;
  const std::size_t n = ring.size();
  for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
    a += (ring[j].x() + ring[i].x()) * (ring[j].y() - ring[i].y());
  }
  return std::abs(a) * 0.5;
}
}  // namespace

double Polygon::area() const {
  if (rings.empty()) return 0.0;
  double a = ringArea(rings[0]);
  for (std::size_t r = 1; r < rings.size(); ++r) a -= ringArea(rings[r]);
  return a;
}

Extent Polygon::extent() const {
  Extent e;
  for (const auto& ring : rings)
    for (const auto& p : ring) e.expand(p.x(), p.y());
  return e;
}

double distanceToSegment(const Eigen::Vector2d& p, const Eigen::Vector2d& a, const Eigen::Vector2d& b) {
  const Eigen::Vector2d ab = b - a;
  const double len2 = ab.squaredNorm();
  if (len2 <= 0.0) return (p - a).norm();
  const double t = std::clamp((p - a).dot(ab) / len2, 0.0, 1.0);
  return (p - (a + t * ab)).norm();
}

bool containsPoint(const PolygonSet& polygons, double x, double y) {
  for (const auto& p : polygons) {
    if (p.contains(x, y)) return true;
  }
  return false;
}

std::vector<std::uint8_t> rasterizePolygons(const PolygonSet& polygons, const GridSpec& grid) {
  std::vector<std::uint8_t> out(grid.size(), 0);
  // Scanline fill per polygon: for each row's centre line, collect edge crossings of all
  // rings (even-odd) and fill cell centres between pairs.
  std::vector<double> xs;
  for (const auto& poly : polygons) {
    const Extent e = poly.extent();
    if (!e.initialised) continue;
    for (std::size_t row = 0; row < grid.height; ++row) {
      const double y = grid.centreY(double(row));
      if (y < e.ymin || y > e.ymax) continue;
      xs.clear();
      for (const auto& ring : poly.rings) {
        const std::size_t n = ring.size();
        for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
          const auto& a = ring[i];
          const auto& b = ring[j];
          if ((a.y() > y) != (b.y() > y)) {
            xs.push_back((b.x() - a.x()) * (y - a.y()) / (b.y() - a.y()) + a.x());
          }
        }
      }
      std::sort(xs.begin(), xs.end());
      for (std::size_t k = 0; k + 1 < xs.size(); k += 2) {
        // cells whose centre x lies in [xs[k], xs[k+1])
        const double c0 = std::ceil(grid.pixelX(xs[k]) - 0.5);
        const double c1 = std::ceil(grid.pixelX(xs[k + 1]) - 0.5);
        const long from = std::max(0L, static_cast<long>(c0));
        const long to = std::min(static_cast<long>(grid.width), static_cast<long>(c1));
        for (long col = from; col < to; ++col) out[grid.index(std::size_t(col), row)] = 1;
      }
    }
  }
  return out;
}

}  // namespace orevox
