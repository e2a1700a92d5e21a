#include "orevox/geomodel/idw.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <nanoflann.hpp>
#include <sstream>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox {

namespace {

/// nanoflann dataset adaptor over the x / y vectors of a SampleTable.
struct PointCloud2 {
  const std::vector<double>& x;
  const std::vector<double>& y;
  std::size_t kdtree_get_point_count() const { return x.size(); }
  double kdtree_get_pt(std::size_t i, std::size_t dim) const { return dim == 0 ? x[i] : y[i]; }
  template <class Box>
  bool kdtree_get_bbox(Box&) const { return false; }
};

using KdTree2 = nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, PointCloud2>,
                                                    PointCloud2, 2, std::uint32_t>;

// gdal_grid's threshold for "the sample sits on the node" (squared metres).
constexpr double kExactHit2 = 1e-13;

std::string text(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

Raster idwGrid(const SampleTable& samples, const std::vector<std::string>& fields, const GridSpec& grid,
               const IdwOptions& options) {
  if (!(options.power > 0.0) || !std::isfinite(options.power)) {
    throw UsageError("IDW power must be positive, got " + text(options.power));
  }
  if (options.neighbors == 0) throw UsageError("IDW needs at least 1 neighbour");
  if (!(options.radius >= 0.0)) throw UsageError("IDW radius must be >= 0 metres (0 = unlimited), got " + text(options.radius));
  if (fields.empty()) throw UsageError("IDW: no fields to grid");
  if (grid.size() == 0) throw UsageError("IDW: the output grid has no cells");

  // Look every field up first: a missing one is a DataError naming the source.
  std::vector<const SampleColumn*> columns;
  for (const auto& f : fields) columns.push_back(&samples.column(f));
  if (samples.size() == 0) {
    SourceLocation where;
    where.file = samples.source;
    where.field = fields.front();
    throw DataError("no samples to interpolate", where);
  }
  samples.validate();
  for (std::size_t i = 0; i < samples.size(); ++i) {
    if (!std::isfinite(samples.x[i]) || !std::isfinite(samples.y[i])) {
      SourceLocation where;
      where.file = samples.source;
      where.value = text(samples.x[i]) + " " + text(samples.y[i]);
      throw DataError("row " + std::to_string(i + 1) + ": sample coordinates are not finite", where);
    }
  }
  if (samples.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw UsageError("IDW: too many samples for one kd-tree");
  }

  const std::size_t nf = fields.size();
  const std::size_t ns = samples.size();
  // Sample-major copy so one neighbour's values for all fields are adjacent in memory.
  std::vector<double> values(ns * nf);
  for (std::size_t s = 0; s < ns; ++s) {
    for (std::size_t f = 0; f < nf; ++f) values[s * nf + f] = columns[f]->values[s];
  }

  PointCloud2 cloud{samples.x, samples.y};
  KdTree2 tree(2, cloud, nanoflann::KDTreeSingleIndexAdaptorParams(10));
  tree.buildIndex();

  const std::size_t k = std::min(options.neighbors, ns);
  const double radius2 = options.radius > 0.0 ? options.radius * options.radius
                                              : std::numeric_limits<double>::infinity();
  const bool squarePower = options.power == 2.0;
  const double halfPower = options.power / 2.0;
  const float nodata = options.nodata;

  Raster out(grid, nodata);
  std::vector<float*> bands;
  for (std::size_t f = 0; f < nf; ++f) {
    bands.push_back(out.addBand(fields[f], nodata, columns[f]->units).values.data());
  }

  Progress progress("IDW", grid.height);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, grid.height), [&](const tbb::blocked_range<std::size_t>& rows) {
    std::vector<std::uint32_t> idx(k);
    std::vector<double> dist2(k);
    std::vector<double> num(nf), den(nf), hit(nf);
    std::vector<std::uint8_t> hasHit(nf);
    for (std::size_t row = rows.begin(); row != rows.end(); ++row) {
      const double cy = grid.centreY(double(row));
      for (std::size_t col = 0; col < grid.width; ++col) {
        const std::size_t cell = grid.index(col, row);
        if (!grid.valid(cell)) continue;
        const double query[2] = {grid.centreX(double(col)), cy};
        const std::size_t found = tree.knnSearch(query, k, idx.data(), dist2.data());
        std::fill(num.begin(), num.end(), 0.0);
        std::fill(den.begin(), den.end(), 0.0);
        std::fill(hasHit.begin(), hasHit.end(), 0);
        // Neighbours come sorted by distance, as gdal_grid sums them. For p != 2 the weights
        // are taken relative to the nearest one, (d0/d)^p, which cancels in the ratio but
        // cannot overflow: with 1/d^p a large p (1000) made every weight 0 or inf.
        double nearest2 = 0.0;
        for (std::size_t n = 0; n < found; ++n) {
          const double d2 = dist2[n];
          if (!(d2 <= radius2)) break;
          const double* v = &values[std::size_t(idx[n]) * nf];
          if (d2 < kExactHit2) {
            for (std::size_t f = 0; f < nf; ++f) {
              if (!std::isnan(v[f]) && !hasHit[f]) {
                hit[f] = v[f];
                hasHit[f] = 1;
              }
            }
            continue;
          }
          if (nearest2 == 0.0) nearest2 = d2;
          const double w = squarePower ? 1.0 / d2 : std::pow(nearest2 / d2, halfPower);
          for (std::size_t f = 0; f < nf; ++f) {
            if (std::isnan(v[f])) continue;
            num[f] += w * v[f];
            den[f] += w;
          }
        }
        for (std::size_t f = 0; f < nf; ++f) {
          if (hasHit[f]) {
            bands[f][cell] = static_cast<float>(hit[f]);
          } else if (den[f] > 0.0) {
            bands[f][cell] = static_cast<float>(num[f] / den[f]);
          }
        }
      }
    }
    progress.advance(rows.size());
  });
  progress.finish();
  return out;
}

}  // namespace orevox
