#include "orevox/geomodel/distance_field.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <nanoflann.hpp>
#include <sstream>
#include <utility>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/raster.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox {

namespace {

struct Segment {
  Eigen::Vector2d a, b;
};

/// Points sampled along the segments, each remembering its segment.
struct SegmentSamples {
  std::vector<Eigen::Vector2d> points;
  std::vector<std::uint32_t> segment;
  std::size_t kdtree_get_point_count() const { return points.size(); }
  double kdtree_get_pt(std::size_t i, std::size_t dim) const { return points[i][int(dim)]; }
  template <class Box>
  bool kdtree_get_bbox(Box&) const { return false; }
};

using SampleTree = nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, SegmentSamples>,
                                                       SegmentSamples, 2, std::uint32_t>;

// Samples no further apart than `spacing` along each segment, endpoints included, so every
// point of a segment lies within spacing / 2 of one of its own samples.
SegmentSamples sampleSegments(const std::vector<Segment>& segments, double spacing) {
  SegmentSamples s;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Eigen::Vector2d& a = segments[i].a;
    const Eigen::Vector2d& b = segments[i].b;
    const double len = (b - a).norm();
    const std::size_t n = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(len / spacing)));
    for (std::size_t j = 0; j <= n; ++j) {
      const double t = double(j) / double(n);
      s.points.push_back(a + (b - a) * t);
      s.segment.push_back(static_cast<std::uint32_t>(i));
    }
  }
  return s;
}

}  // namespace

std::vector<float> distanceToLines(const FaultNetwork& faults, const GridSpec& grid) {
  if (grid.size() == 0) throw UsageError("distanceToLines: the grid has no cells");
  std::vector<Segment> segments;
  double totalLength = 0.0;
  for (const auto& line : faults.lines) {
    for (std::size_t i = 1; i < line.points.size(); ++i) {
      const Eigen::Vector2d& a = line.points[i - 1];
      const Eigen::Vector2d& b = line.points[i];
      if (!a.allFinite() || !b.allFinite()) {
        SourceLocation where;
        where.field = line.name;
        throw DataError("fault trace has a non-finite vertex (vertex " + std::to_string(i) + ")", where);
      }
      segments.push_back({a, b});
      totalLength += (b - a).norm();
    }
  }
  if (segments.empty()) throw DataError("fault network has no 2D line segment to measure distances to");

  // The sampling step trades kd-tree size against the number of candidate segments per
  // cell; about a cell keeps both small, capped so huge networks stay near 2 million points.
  const double cell = std::min(std::abs(grid.cellWidth()), std::abs(grid.cellHeight()));
  const double spacing = std::max({cell, totalLength / 2.0e6, 1e-9});
  const SegmentSamples samples = sampleSegments(segments, spacing);
  SampleTree tree(2, samples, nanoflann::KDTreeSingleIndexAdaptorParams(10));
  tree.buildIndex();

  std::vector<float> out(grid.size(), kNodata);
  Progress progress("distance to faults", grid.height);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, grid.height), [&](const tbb::blocked_range<std::size_t>& rows) {
    std::vector<std::pair<std::uint32_t, double>> matches;
    nanoflann::SearchParams params;
    params.sorted = false;
    // Last query that measured each segment, so a segment is measured once per cell.
    std::vector<std::size_t> seen(segments.size(), std::numeric_limits<std::size_t>::max());
    for (std::size_t row = rows.begin(); row != rows.end(); ++row) {
      const double y = grid.centreY(double(row));
      for (std::size_t col = 0; col < grid.width; ++col) {
        const std::size_t idx = grid.index(col, row);
        if (!grid.valid(idx)) continue;
        const Eigen::Vector2d p(grid.centreX(double(col)), y);
        std::uint32_t nearest = 0;
        double nearest2 = 0.0;
        tree.knnSearch(p.data(), 1, &nearest, &nearest2);
        const std::uint32_t firstSegment = samples.segment[nearest];
        double best = distanceToSegment(p, segments[firstSegment].a, segments[firstSegment].b);
        seen[firstSegment] = idx;
        // A segment closer than `best` has a sample within best + spacing / 2; the search
        // radius adds a margin on top of that so rounding cannot drop it.
        const double r = best + 0.75 * spacing;
        tree.radiusSearch(p.data(), r * r, matches, params);
        for (const auto& m : matches) {
          const std::uint32_t s = samples.segment[m.first];
          if (seen[s] == idx) continue;
          seen[s] = idx;
          best = std::min(best, distanceToSegment(p, segments[s].a, segments[s].b));
        }
        out[idx] = static_cast<float>(best);
      }
    }
    progress.advance(rows.size());
  });
  progress.finish();
  return out;
}

std::vector<float> ringBufferLevels(const std::vector<float>& distance, const RingBufferOptions& options) {
  const auto& edges = options.edges;
  if (edges.empty()) throw UsageError("ring buffer needs at least one ring edge");
  for (std::size_t i = 0; i < edges.size(); ++i) {
    if (!(edges[i] > 0.0) || !std::isfinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1]))) {
      std::ostringstream s;
      s << "ring buffer edges must be positive and strictly increasing metres; edge " << i << " is " << edges[i];
      throw UsageError(s.str());
    }
  }
  const float rings = static_cast<float>(edges.size());
  std::vector<float> out(distance.size(), kNodata);
  for (std::size_t i = 0; i < distance.size(); ++i) {
    const float d = distance[i];
    if (std::isnan(d) || d == kNodata) continue;
    if (d < 0.0f) {
      SourceLocation where;
      where.value = std::to_string(d);
      throw DataError("cell " + std::to_string(i) + ": negative distance", where);
    }
    // Index of the first edge with d <= edge; edges.size() when beyond the last one.
    const auto ring = std::lower_bound(edges.begin(), edges.end(), double(d)) - edges.begin();
    out[i] = rings - static_cast<float>(ring);
  }
  return out;
}

}  // namespace orevox
