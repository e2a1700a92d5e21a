#include "orevox/learning/prospect_zones.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <queue>

#include "orevox/core/error.hpp"
#include "orevox/core/resources.hpp"

namespace orevox {

namespace {
double signedArea(const std::vector<Eigen::Vector2d>& ring) {
  double a = 0;
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const auto& p = ring[i];
    const auto& q = ring[(i + 1) % ring.size()];
    a += p.x() * q.y() - q.x() * p.y();
  }
  return 0.5 * a;
}
}  // namespace

std::vector<std::vector<Eigen::Vector2d>> cellOutlines(const std::vector<std::uint8_t>& inside, std::size_t cols,
                                                       std::size_t rows, double x0, double y0, double cellSize) {
  if (inside.size() != cols * rows) throw UsageError("cellOutlines: mask size differs from cols x rows");
  auto in = [&](long c, long r) {
    return c >= 0 && r >= 0 && c < long(cols) && r < long(rows) && inside[std::size_t(r) * cols + std::size_t(c)] != 0;
  };
  // Directed boundary edges with the region on the left; direction 0 E, 1 N, 2 W, 3 S.
  const long vcols = long(cols) + 1;
  auto vid = [&](long vx, long vy) { return vy * vcols + vx; };
  std::map<long, std::vector<int>> out;  // vertex -> outgoing directions (unused)
  const long dx[4] = {1, 0, -1, 0}, dy[4] = {0, 1, 0, -1};
  for (long r = 0; r < long(rows); ++r) {
    for (long c = 0; c < long(cols); ++c) {
      if (!in(c, r)) continue;
      if (!in(c, r - 1)) out[vid(c, r)].push_back(0);
      if (!in(c + 1, r)) out[vid(c + 1, r)].push_back(1);
      if (!in(c, r + 1)) out[vid(c + 1, r + 1)].push_back(2);
      if (!in(c - 1, r)) out[vid(c, r + 1)].push_back(3);
    }
  }
  std::vector<std::vector<Eigen::Vector2d>> rings;
  while (!out.empty()) {
    auto start = out.begin();
    const long v0 = start->first;
    int dir = start->second.back();
    start->second.pop_back();
    if (start->second.empty()) out.erase(start);
    std::vector<std::pair<long, long>> pts{{v0 % vcols, v0 / vcols}};
    long vx = v0 % vcols + dx[dir], vy = v0 / vcols + dy[dir];
    while (vid(vx, vy) != v0 || out.count(v0)) {
      auto it = out.find(vid(vx, vy));
      if (it == out.end()) break;  // closed ring
      // Prefer the left turn, then straight, then right: keeps corner-touching cells apart.
      int chosen = -1;
      for (int turn : {1, 0, 3}) {
        const int want = (dir + turn) % 4;
        auto f = std::find(it->second.begin(), it->second.end(), want);
        if (f != it->second.end()) {
          chosen = want;
          it->second.erase(f);
          break;
        }
      }
      if (chosen < 0) break;
      if (it->second.empty()) out.erase(it);
      pts.emplace_back(vx, vy);
      dir = chosen;
      vx += dx[dir];
      vy += dy[dir];
      if (vid(vx, vy) == v0) break;
    }
    // Drop collinear vertices (cyclically).
    std::vector<Eigen::Vector2d> ring;
    const std::size_t n = pts.size();
    for (std::size_t i = 0; i < n; ++i) {
      const auto& a = pts[(i + n - 1) % n];
      const auto& b = pts[i];
      const auto& c = pts[(i + 1) % n];
      const long cross = (b.first - a.first) * (c.second - b.second) - (b.second - a.second) * (c.first - b.first);
      if (cross != 0) ring.emplace_back(x0 + double(b.first) * cellSize, y0 + double(b.second) * cellSize);
    }
    rings.push_back(std::move(ring));
  }
  // Largest outer ring first (counter-clockwise = positive area), holes last.
  std::stable_sort(rings.begin(), rings.end(),
                   [](const auto& a, const auto& b) { return signedArea(a) > signedArea(b); });
  return rings;
}

std::vector<ProspectZone> prospectZones(const std::vector<double>& x, const std::vector<double>& y,
                                        const std::vector<int>& predicted, const Extent& extent,
                                        const ProspectZoneOptions& options, const std::vector<double>& depositX,
                                        const std::vector<double>& depositY, const std::vector<std::string>& depositIds) {
  if (x.size() != y.size() || x.size() != predicted.size()) throw UsageError("prospectZones: size mismatch");
  if (depositX.size() != depositY.size() || (!depositIds.empty() && depositIds.size() != depositX.size())) {
    throw UsageError("prospectZones: deposit size mismatch");
  }
  if (!(options.cellSize > 0) || !(options.radius > 0) || !std::isfinite(options.cellSize) ||
      !std::isfinite(options.radius)) {
    throw UsageError(
        "prospect zones: the cell size (--zone-cell) and the radius (--zone-radius) must be "
        "positive, got " +
        std::to_string(options.cellSize) + " and " + std::to_string(options.radius) + " m");
  }
  if (extent.empty())
    throw DataError(
        "prospect zones: the samples span an empty extent (one point, or all in a line)");
  requireMemory(
      std::ceil(extent.width() / options.cellSize) * std::ceil(extent.height() / options.cellSize) *
          24.0,
      "a prospect-zone grid of " + std::to_string(options.cellSize) + " m cells over the samples",
      Blame::Option, "a larger --zone-cell");
  const auto cols = std::size_t(std::ceil(extent.width() / options.cellSize));
  const auto rows = std::size_t(std::ceil(extent.height() / options.cellSize));
  std::vector<double> px, py;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (predicted[i] != 0) {
      px.push_back(x[i]);
      py.push_back(y[i]);
    }
  const double r2 = options.radius * options.radius;
  const double areaKm2 = M_PI * r2 / 1e6;
  std::vector<double> density(cols * rows, 0.0);
  std::vector<std::uint8_t> zoneCell(cols * rows, 0);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      const double cx = extent.xmin + (double(c) + 0.5) * options.cellSize;
      const double cy = extent.ymin + (double(r) + 0.5) * options.cellSize;
      std::size_t n = 0;
      for (std::size_t i = 0; i < px.size(); ++i)
        if ((px[i] - cx) * (px[i] - cx) + (py[i] - cy) * (py[i] - cy) <= r2) ++n;
      density[r * cols + c] = double(n) / areaKm2;
      zoneCell[r * cols + c] = n >= std::max<std::size_t>(1, options.minSamples) ? 1 : 0;
    }
  }
  auto cellOf = [&](double wx, double wy, std::size_t& cell) {
    if (!extent.contains(wx, wy)) return false;
    const auto c = std::min(cols - 1, std::size_t((wx - extent.xmin) / options.cellSize));
    const auto r = std::min(rows - 1, std::size_t((wy - extent.ymin) / options.cellSize));
    cell = r * cols + c;
    return true;
  };
  // 4-connected components of zone cells.
  std::vector<long> component(cols * rows, -1);
  std::vector<ProspectZone> zones;
  for (std::size_t start = 0; start < cols * rows; ++start) {
    if (!zoneCell[start] || component[start] >= 0) continue;
    const long id = long(zones.size());
    std::vector<std::uint8_t> mask(cols * rows, 0);
    std::queue<std::size_t> q;
    q.push(start);
    component[start] = id;
    ProspectZone zone;
    std::size_t cells = 0;
    while (!q.empty()) {
      const std::size_t cell = q.front();
      q.pop();
      mask[cell] = 1;
      ++cells;
      zone.peakDensity = std::max(zone.peakDensity, density[cell]);
      const std::size_t c = cell % cols, r = cell / cols;
      const long nb[4][2] = {{long(c) + 1, long(r)}, {long(c) - 1, long(r)}, {long(c), long(r) + 1}, {long(c), long(r) - 1}};
      for (const auto& n : nb) {
        if (n[0] < 0 || n[1] < 0 || n[0] >= long(cols) || n[1] >= long(rows)) continue;
        const std::size_t nc = std::size_t(n[1]) * cols + std::size_t(n[0]);
        if (zoneCell[nc] && component[nc] < 0) {
          component[nc] = id;
          q.push(nc);
        }
      }
    }
    zone.polygon.rings = cellOutlines(mask, cols, rows, extent.xmin, extent.ymin, options.cellSize);
    zone.area = double(cells) * options.cellSize * options.cellSize;
    zone.zoneClass = zone.peakDensity > options.classADensity ? 'A' : 'B';
    zones.push_back(std::move(zone));
  }
  for (std::size_t i = 0; i < px.size(); ++i) {
    std::size_t cell = 0;
    if (cellOf(px[i], py[i], cell) && component[cell] >= 0) zones[std::size_t(component[cell])].predictedSamples += 1;
  }
  for (std::size_t i = 0; i < depositX.size(); ++i) {
    std::size_t cell = 0;
    if (cellOf(depositX[i], depositY[i], cell) && component[cell] >= 0) {
      zones[std::size_t(component[cell])].deposits.push_back(depositIds.empty() ? "D" + std::to_string(i) : depositIds[i]);
    }
  }
  std::stable_sort(zones.begin(), zones.end(), [](const ProspectZone& a, const ProspectZone& b) {
    if (a.zoneClass != b.zoneClass) return a.zoneClass < b.zoneClass;
    return a.peakDensity > b.peakDensity;
  });
  int countA = 0, countB = 0;
  for (auto& z : zones) {
    z.polygon.name = std::string(1, z.zoneClass) + std::to_string(z.zoneClass == 'A' ? ++countA : ++countB);
    z.polygon.value = z.zoneClass == 'A' ? 1.0 : 2.0;
  }
  return zones;
}

}  // namespace orevox
