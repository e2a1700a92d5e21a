#include "orevox/learning/raster_data.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <map>
#include <numeric>
#include <queue>
#include <random>
#include <sstream>
#include <type_traits>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/kmeans.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/learning/prospect_zones.hpp"
#include "orevox/voxel/spatial_index.hpp"
#include "square_symmetry.hpp"

namespace orevox {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string joinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string gridText(const GridSpec& g) {
  std::ostringstream s;
  s << g.width << " x " << g.height << " cells, origin (" << g.originX() << ", " << g.originY()
    << "), cell " << g.cellWidth() << " x " << g.cellHeight() << " m";
  return s.str();
}

/// kNodata values of a geomodel field become `nodata` (a raster may use another value).
std::vector<float> withNodata(std::vector<float> values, float nodata) {
  if (nodata != kNodata) {
    for (auto& v : values)
      if (v == kNodata) v = nodata;
  }
  return values;
}

/// First column of the footprint of a k-window centred on column c: SpatialIndex::window
/// puts k/2 cells before the centre (even k: k/2 - 1 after it).
long footprintStart(long c, int k) { return c - long(k / 2); }

long bandOrThrow(const Raster& raster, const std::string& name, const std::string& what) {
  const long b = raster.bandIndex(name);
  if (b < 0) {
    std::vector<std::string> names;
    for (const auto& band : raster.bands()) names.push_back(band.name);
    throw UsageError(what + ": the stack has no channel '" + name +
                     "' (channels: " + joinNames(names) + ")");
  }
  return b;
}

void checkCells(const LabelledCells& cells) {
  if (cells.labels.size() != cells.cells.size()) {
    throw UsageError("labelled cells: " + std::to_string(cells.labels.size()) + " labels for " +
                     std::to_string(cells.cells.size()) + " cells");
  }
  if (!cells.ids.empty() && cells.ids.size() != cells.cells.size()) {
    throw UsageError("labelled cells: " + std::to_string(cells.ids.size()) + " ids for " +
                     std::to_string(cells.cells.size()) + " cells");
  }
}

}  // namespace

// ---- 1. channel stacks ---------------------------------------------------------------------

const NameTable<GeochemTransform>& geochemTransformNames() {
  static const NameTable<GeochemTransform> names = {{"log10", GeochemTransform::Log10},
                                                    {"clr", GeochemTransform::Clr}};
  return names;
}

const char* geochemTransformName(GeochemTransform transform) {
  return nameOf(geochemTransformNames(), transform).c_str();
}

GeochemTransform parseGeochemTransform(const std::string& text, const std::string& option) {
  return parseName(geochemTransformNames(), text, option);
}

std::vector<std::string> RasterStack::channelNames() const {
  std::vector<std::string> names;
  for (const auto& b : raster.bands()) names.push_back(b.name);
  return names;
}

std::vector<std::uint8_t> RasterStack::validCells() const {
  const GridSpec& g = raster.grid();
  std::vector<std::uint8_t> valid(g.size(), 0);
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (!g.valid(i)) continue;
    bool ok = true;
    for (const auto& b : raster.bands()) ok = ok && !raster.isNodata(b.values[i]);
    valid[i] = ok ? 1 : 0;
  }
  return valid;
}

RasterStack geochemStack(const SampleTable& samples, const FaultNetwork& faults,
                         const GridSpec& grid, const GeochemStackOptions& options) {
  if (options.elements.empty()) throw UsageError("geochemical stack: no elements chosen");
  RasterStack stack;
  // Log-ratios and logs need positive parts: censored values and zeros are replaced first,
  // explicitly and reported (never silently), as in the demo's compositional step.
  SampleTable table = samples;
  stack.replacement =
      replaceCensored(table, options.elements, options.censoredFactor, options.censoredTotal);
  const Eigen::MatrixXd raw = table.matrix(options.elements);
  Eigen::MatrixXd transformed = Eigen::MatrixXd::Constant(raw.rows(), raw.cols(), kNaN);
  std::vector<std::string> names;
  const std::string prefix = options.transform == GeochemTransform::Clr ? "clr_" : "log10_";
  for (const auto& e : options.elements) names.push_back(prefix + e);
  if (options.transform == GeochemTransform::Log10) {
    for (Eigen::Index r = 0; r < raw.rows(); ++r)
      for (Eigen::Index c = 0; c < raw.cols(); ++c)
        if (std::isfinite(raw(r, c))) transformed(r, c) = std::log10(raw(r, c));
  } else {
    // clr needs the whole composition: a sample missing any chosen element gets NaN in every
    // clr band, which idwGrid then skips for each field.
    std::vector<Eigen::Index> complete;
    for (Eigen::Index r = 0; r < raw.rows(); ++r)
      if (raw.row(r).allFinite()) complete.push_back(r);
    Eigen::MatrixXd sub(Eigen::Index(complete.size()), raw.cols());
    for (std::size_t i = 0; i < complete.size(); ++i)
      sub.row(Eigen::Index(i)) = raw.row(complete[i]);
    const Eigen::MatrixXd z = clr(sub);
    for (std::size_t i = 0; i < complete.size(); ++i)
      transformed.row(complete[i]) = z.row(Eigen::Index(i));
  }
  SampleTable gridded = table.locationsOnly();
  gridded.setMatrix(names, transformed, options.transform == GeochemTransform::Clr ? "" : "log10");
  stack.raster = idwGrid(gridded, names, grid, options.idw);
  if (options.faultBuffer || options.faultDistance) {
    const std::vector<float> distance = distanceToLines(faults, grid);
    const float nodata = stack.raster.nodata();
    // Channel 15 of the paper (sec. 2.3): 6 rings 500-3000 m reclassified to influence levels.
    if (options.faultBuffer)
      stack.raster.addBand("fault_buffer_level",
                           withNodata(ringBufferLevels(distance, options.rings), nodata));
    if (options.faultDistance)
      stack.raster.addBand("fault_distance", withNodata(distance, nodata), "m");
  }
  return stack;
}

RasterStack structureStack(const FaultNetwork& faults, const PolygonSet& greenstone,
                           const GridSpec& grid, const StructureStackOptions& options) {
  if (!options.faultDistance && !options.faultBuffer && !options.greenstoneMask &&
      !options.contactDistance) {
    throw UsageError("structural stack: no channel enabled");
  }
  RasterStack stack;
  stack.raster = Raster(grid);
  if (options.faultDistance || options.faultBuffer) {
    const std::vector<float> distance = distanceToLines(faults, grid);
    if (options.faultDistance) stack.raster.addBand("fault_distance", distance, "m");
    if (options.faultBuffer)
      stack.raster.addBand("fault_buffer_level", ringBufferLevels(distance, options.rings));
  }
  if (options.greenstoneMask || options.contactDistance) {
    if (greenstone.empty()) throw DataError("structural stack: no greenstone polygon");
    if (options.greenstoneMask) {
      const std::vector<std::uint8_t> inside = rasterizePolygons(greenstone, grid);
      std::vector<float> values(grid.size());
      for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = grid.valid(i) ? float(inside[i]) : kNodata;
      stack.raster.addBand("greenstone", std::move(values));
    }
    if (options.contactDistance) {
      // The contact is every polygon ring (outer boundaries and holes) as a closed polyline,
      // so distanceToLines measures the exact distance to the nearest boundary segment.
      FaultNetwork contacts;
      for (const auto& polygon : greenstone) {
        for (const auto& ring : polygon.rings) {
          if (ring.size() < 2) continue;
          Polyline line;
          line.points = ring;
          line.points.push_back(ring.front());
          contacts.lines.push_back(std::move(line));
        }
      }
      stack.raster.addBand("greenstone_contact_distance", distanceToLines(contacts, grid), "m");
    }
  }
  return stack;
}

void appendChannels(RasterStack& stack, const Raster& evidence, const std::string& source,
                    const std::string& prefix) {
  const GridSpec& g = stack.grid();
  const GridSpec& e = evidence.grid();
  const SourceLocation where{source, 0, 0, {}, {}};
  if (g.width != e.width || g.height != e.height) {
    throw DataError("evidence raster is " + std::to_string(e.width) + " x " +
                        std::to_string(e.height) + " cells, the stack " + std::to_string(g.width) +
                        " x " + std::to_string(g.height),
                    where);
  }
  GridSpec probe = e;  // geotransform first, the CRS on its own for a clearer message
  probe.crsWkt = g.crsWkt;
  if (!g.sameGrid(probe)) {
    throw DataError(
        "evidence raster grid (" + gridText(e) + ") differs from the stack's (" + gridText(g) + ")",
        where);
  }
  if (!g.crsWkt.empty() && !e.crsWkt.empty() && g.crsWkt != e.crsWkt) {
    throw DataError("evidence raster CRS differs from the stack's", where);
  }
  for (const auto& b : evidence.bands()) {
    if (stack.raster.bandIndex(prefix + b.name) >= 0) {
      throw UsageError(source + ": channel '" + prefix + b.name + "' is already in the stack");
    }
  }
  for (const auto& b : evidence.bands()) {
    std::vector<float> values = b.values;
    for (auto& v : values)
      if (evidence.isNodata(v)) v = stack.raster.nodata();
    stack.raster.addBand(prefix + b.name, std::move(values), b.units);
  }
}

// ---- 2. standardisation --------------------------------------------------------------------

StackStandardisation StackStandardisation::fit(const Raster& stack,
                                               const std::vector<std::uint8_t>& trainingArea) {
  const GridSpec& g = stack.grid();
  if (!trainingArea.empty() && trainingArea.size() != g.size()) {
    throw UsageError("standardisation: training area has " + std::to_string(trainingArea.size()) +
                     " cells, the stack " + std::to_string(g.size()));
  }
  StackStandardisation out;
  const std::size_t c = stack.bandCount();
  for (const auto& b : stack.bands()) out.channels.push_back(b.name);
  std::vector<double> sum(c, 0.0), sum2(c, 0.0);
  std::vector<double> shift(c, kNaN);  // first value: shifted sums keep the variance accurate
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (!g.valid(i) || (!trainingArea.empty() && !trainingArea[i])) continue;
    bool ok = true;
    for (std::size_t b = 0; b < c && ok; ++b) ok = !stack.isNodata(stack.band(b).values[i]);
    if (!ok) continue;
    ++out.cells;
    for (std::size_t b = 0; b < c; ++b) {
      const double v = stack.band(b).values[i];
      if (std::isnan(shift[b])) shift[b] = v;
      sum[b] += v - shift[b];
      sum2[b] += (v - shift[b]) * (v - shift[b]);
    }
  }
  if (out.cells == 0)
    throw DataError("standardisation: the training area holds no cell with data in every channel");
  const double n = double(out.cells);
  for (std::size_t b = 0; b < c; ++b) {
    const double m = sum[b] / n;
    const double var = std::max(0.0, sum2[b] / n - m * m);  // population variance
    out.mean.push_back(shift[b] + m);
    const double sd = std::sqrt(var);
    out.sd.push_back(sd < 1e-12 ? 1.0 : sd);
  }
  return out;
}

void StackStandardisation::apply(Raster& stack) const {
  std::vector<std::string> names;
  for (const auto& b : stack.bands()) names.push_back(b.name);
  if (names != channels) {
    throw UsageError("standardisation fitted on channels [" + joinNames(channels) +
                     "] applied to [" + joinNames(names) + "]");
  }
  for (std::size_t b = 0; b < channels.size(); ++b) {
    for (auto& v : stack.band(b).values)
      if (!stack.isNodata(v)) v = float((v - mean[b]) / sd[b]);
  }
}

Raster StackStandardisation::applied(const Raster& stack) const {
  Raster out = stack;
  apply(out);
  return out;
}

void StackStandardisation::apply(WindowBatch& batch) const {
  batch.validate();
  if (batch.channelNames != channels) {
    throw UsageError("standardisation fitted on channels [" + joinNames(channels) +
                     "] applied to windows of [" + joinNames(batch.channelNames) + "]");
  }
  const std::size_t area = batch.size * batch.size;
  for (std::size_t n = 0; n < batch.count; ++n) {
    for (std::size_t c = 0; c < batch.channels; ++c) {
      float* v = batch.values.data() + n * batch.windowStride() + c * area;
      const std::uint8_t* m = batch.mask.data() + n * area;
      for (std::size_t i = 0; i < area; ++i)
        if (m[i]) v[i] = float((v[i] - mean[c]) / sd[c]);
    }
  }
}

std::vector<std::uint8_t> footprintMask(const GridSpec& grid,
                                        const std::vector<std::array<long, 2>>& cells, int k,
                                        double buffer) {
  if (k < 1) throw UsageError("window size must be at least 1 cell, got " + std::to_string(k));
  if (buffer < 0) throw UsageError("buffer must not be negative, got " + std::to_string(buffer));
  const long grow =
      buffer > 0 ? long(std::ceil(buffer / std::min(grid.cellWidth(), grid.cellHeight()) - 1e-9))
                 : 0;
  std::vector<std::uint8_t> mask(grid.size(), 0);
  const long w = long(grid.width), h = long(grid.height);
  for (const auto& cell : cells) {
    const long c0 = std::max(0L, footprintStart(cell[0], k) - grow);
    const long c1 = std::min(w - 1, footprintStart(cell[0], k) + k - 1 + grow);
    const long r0 = std::max(0L, footprintStart(cell[1], k) - grow);
    const long r1 = std::min(h - 1, footprintStart(cell[1], k) + k - 1 + grow);
    for (long r = r0; r <= r1; ++r)
      for (long c = c0; c <= c1; ++c) mask[std::size_t(r) * grid.width + std::size_t(c)] = 1;
  }
  return mask;
}

// ---- 3. windows ----------------------------------------------------------------------------

LabelledCells depositCells(const GridSpec& grid, const std::vector<double>& x,
                           const std::vector<double>& y, const std::vector<std::string>& ids,
                           std::size_t* outside) {
  if (x.size() != y.size() || (!ids.empty() && ids.size() != x.size())) {
    throw UsageError("deposits: " + std::to_string(x.size()) + " x, " + std::to_string(y.size()) +
                     " y and " + std::to_string(ids.size()) + " ids");
  }
  LabelledCells out;
  std::map<std::pair<long, long>, std::size_t> seen;
  std::size_t off = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    long col = 0, row = 0;
    if (!grid.cellOf(x[i], y[i], col, row)) {
      ++off;
      continue;
    }
    const std::string id = ids.empty() ? "D" + std::to_string(i) : ids[i];
    const auto it = seen.find({col, row});
    if (it != seen.end()) {
      out.ids[it->second] += "+" + id;  // one window per cell
      continue;
    }
    seen[{col, row}] = out.cells.size();
    out.cells.push_back({col, row});
    out.labels.push_back(1);
    out.ids.push_back(id);
  }
  if (outside) *outside = off;
  return out;
}

LabelledCells concatLabelledCells(const LabelledCells& a, const LabelledCells& b) {
  checkCells(a);
  checkCells(b);
  LabelledCells out = a;
  out.cells.insert(out.cells.end(), b.cells.begin(), b.cells.end());
  out.labels.insert(out.labels.end(), b.labels.begin(), b.labels.end());
  if (a.ids.empty() && b.ids.empty()) return out;
  out.ids.resize(a.cells.size());
  std::vector<std::string> idsB = b.ids;
  idsB.resize(b.cells.size());
  out.ids.insert(out.ids.end(), idsB.begin(), idsB.end());
  return out;
}

const NameTable<NegativeSampling>& negativeSamplingNames() {
  static const NameTable<NegativeSampling> names = {{"kmeans", NegativeSampling::KMeans},
                                                    {"random", NegativeSampling::Random}};
  return names;
}

const char* negativeSamplingName(NegativeSampling method) {
  return nameOf(negativeSamplingNames(), method).c_str();
}

NegativeSampling parseNegativeSampling(const std::string& text, const std::string& option) {
  return parseName(negativeSamplingNames(), text, option);
}

double gridCellSize(const GridSpec& grid) {
  return std::max(std::abs(grid.cellWidth()), std::abs(grid.cellHeight()));
}

double NegativeOptions::depositDistance(const GridSpec& grid) const {
  return minDepositDistance > 0 ? minDepositDistance : kAutoDepositCells * gridCellSize(grid);
}

double NegativeOptions::faultDistance(const GridSpec& grid) const {
  return minFaultDistance > 0 ? minFaultDistance : kAutoFaultCells * gridCellSize(grid);
}

double WindowSplitOptions::blockSide(const GridSpec& grid) const {
  if (blockSize > 0) return blockSize;
  const double shorter = std::min(double(grid.width) * std::abs(grid.cellWidth()),
                                  double(grid.height) * std::abs(grid.cellHeight()));
  return std::min(kAutoBlockCells * gridCellSize(grid), 0.25 * shorter);
}

LabelledCells sampleNegativeCells(const RasterStack& stack, const LabelledCells& deposits,
                                  std::size_t count, const NegativeOptions& options,
                                  NegativeReport* report) {
  checkCells(deposits);
  const GridSpec& g = stack.grid();
  std::vector<std::uint8_t> eligible = stack.validCells();
  if (std::find(eligible.begin(), eligible.end(), std::uint8_t(1)) == eligible.end()) {
    // Said as what it is, not as "no cell > 3000 m from deposits".
    throw DataError(
        "negatives: no cell of the stack has data in every channel (all nodata or NaN)");
  }
  NegativeReport rep;
  const bool kmeansRule = options.method == NegativeSampling::KMeans;
  if (options.minDepositDistance < 0 || options.minFaultDistance < 0) {
    throw UsageError("negatives: distances must not be negative");
  }
  const double depositDistance = options.depositDistance(g);
  const double faultDistance = options.faultDistance(g);

  if (kmeansRule) {
    // SSGSNet sec. 2.4: k-means of Au; the known deposits fall in the high-Au clusters (4, 5
    // of 5 in Fig. 5), so negatives come from the lowest-Au clusters (1-3), and among them
    // from cells far from faults (structural control) and from known deposits.
    if (options.clusters < 1 || options.negativeClusters < 1 ||
        options.negativeClusters > options.clusters) {
      throw UsageError("negatives: " + std::to_string(options.negativeClusters) +
                       " low-Au clusters of " + std::to_string(options.clusters));
    }
    const auto& au =
        stack.raster.band(std::size_t(bandOrThrow(stack.raster, options.auChannel, "negatives")));
    std::vector<std::size_t> valid;
    for (std::size_t i = 0; i < g.size(); ++i)
      if (eligible[i]) valid.push_back(i);
    if (valid.empty())
      throw DataError("negatives: the stack has no cell with data in every channel");
    // k-means on a random subset bounds the cost on large maps; every cell is then assigned
    // to its nearest centre (1D), the rule k-means itself applies.
    std::vector<std::size_t> fitCells = valid;
    if (fitCells.size() > options.kmeansSampleCells && options.kmeansSampleCells > 0) {
      Rng rng = makeRng(options.seed, mixSeed(options.stream, 0x6b6d65616e73ULL));
      for (std::size_t i = 0; i < options.kmeansSampleCells; ++i) {
        std::uniform_int_distribution<std::size_t> pick(i, fitCells.size() - 1);
        std::swap(fitCells[i], fitCells[pick(rng)]);
      }
      fitCells.resize(options.kmeansSampleCells);
      std::sort(fitCells.begin(), fitCells.end());
    }
    Eigen::MatrixXd data(Eigen::Index(fitCells.size()), 1);
    for (std::size_t i = 0; i < fitCells.size(); ++i)
      data(Eigen::Index(i), 0) = au.values[fitCells[i]];
    const KMeansResult km = kmeans(data, options.clusters, options.seed);
    std::vector<double> centres(std::size_t(km.centres.rows()));
    for (std::size_t c = 0; c < centres.size(); ++c) centres[c] = km.centres(Eigen::Index(c), 0);
    std::sort(centres.begin(), centres.end());
    rep.clusterCentres = centres;
    rep.clusterCells.assign(centres.size(), 0);
    const long faultBand =
        options.faultDistanceChannel.empty()
            ? -1
            : bandOrThrow(stack.raster, options.faultDistanceChannel, "negatives");
    for (std::size_t i : valid) {
      const double v = au.values[i];
      std::size_t best = 0;
      for (std::size_t c = 1; c < centres.size(); ++c)
        if (std::abs(v - centres[c]) < std::abs(v - centres[best])) best = c;
      ++rep.clusterCells[best];
      bool ok = best < std::size_t(options.negativeClusters);
      if (ok && faultBand >= 0)
        ok = stack.raster.band(std::size_t(faultBand)).values[i] > faultDistance;
      eligible[i] = ok ? 1 : 0;
    }
  }
  // Far from known deposits (both methods): strictly farther than minDepositDistance from
  // every deposit cell centre, so a deposit cell itself is never a negative.
  std::vector<std::array<double, 2>> dep = cellCentres(g, deposits.cells);
  const double d2min = depositDistance * depositDistance;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, g.height),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t row = r.begin(); row != r.end(); ++row) {
                        const double y = g.centreY(double(row));
                        for (std::size_t col = 0; col < g.width; ++col) {
                          const std::size_t i = row * g.width + col;
                          if (!eligible[i]) continue;
                          const double x = g.centreX(double(col));
                          for (const auto& d : dep) {
                            if ((x - d[0]) * (x - d[0]) + (y - d[1]) * (y - d[1]) <= d2min) {
                              eligible[i] = 0;
                              break;
                            }
                          }
                        }
                      }
                    });
  std::vector<std::size_t> pool;
  for (std::size_t i = 0; i < g.size(); ++i)
    if (eligible[i]) pool.push_back(i);
  rep.eligible = pool.size();
  if (pool.empty()) {
    std::ostringstream why;
    why << "negatives (" << negativeSamplingName(options.method) << "): no cell is eligible";
    if (kmeansRule) {
      why << " (lowest " << options.negativeClusters << " of " << options.clusters
          << " Au clusters";
      if (!options.faultDistanceChannel.empty()) why << ", > " << faultDistance << " from faults";
      why << ",";
    } else {
      why << " (";
    }
    // Lengths in the grid's CRS unit (whatever it is: metres, feet, kilometres).
    why << " > " << depositDistance << " from deposits, cells of " << gridCellSize(g)
        << "; see --min-deposit-distance)";
    throw DataError(why.str());
  }
  // Partial Fisher-Yates: draws without replacement in a seed-determined order.
  Rng rng = makeRng(options.seed, options.stream);
  const std::size_t n = std::min(count, pool.size());
  LabelledCells out;
  for (std::size_t i = 0; i < n; ++i) {
    std::uniform_int_distribution<std::size_t> pick(i, pool.size() - 1);
    std::swap(pool[i], pool[pick(rng)]);
    out.cells.push_back({long(pool[i] % g.width), long(pool[i] / g.width)});
    out.labels.push_back(0);
    out.ids.push_back("N" + std::to_string(i));
  }
  if (report) *report = std::move(rep);
  return out;
}

SpatialIndex stackIndex(const Raster& stack) {
  SpatialIndex index;
  index.addGrid(stack);
  return index;
}

std::vector<std::array<double, 2>> cellCentres(const GridSpec& grid,
                                               const std::vector<std::array<long, 2>>& cells) {
  std::vector<std::array<double, 2>> out;
  out.reserve(cells.size());
  for (const auto& c : cells)
    out.push_back({grid.centreX(double(c[0])), grid.centreY(double(c[1]))});
  return out;
}

WindowBatch drawCellWindows(const SpatialIndex& index, const LabelledCells& cells, int k) {
  checkCells(cells);
  WindowBatch batch = drawWindows(index, cellCentres(index.grid(), cells.cells), k);
  batch.labels = cells.labels;
  return batch;
}

WindowBatch selectWindows(const WindowBatch& batch, const std::vector<std::size_t>& rows) {
  batch.validate();
  WindowBatch out;
  out.count = rows.size();
  out.channels = batch.channels;
  out.size = batch.size;
  out.channelNames = batch.channelNames;
  const std::size_t stride = batch.windowStride(), area = batch.size * batch.size;
  out.values.resize(rows.size() * stride);
  out.mask.resize(rows.size() * area);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::size_t n = rows[i];
    if (n >= batch.count) {
      throw UsageError("window " + std::to_string(n) + " is out of range (" +
                       std::to_string(batch.count) + " windows)");
    }
    std::copy_n(batch.values.begin() + long(n * stride), stride,
                out.values.begin() + long(i * stride));
    std::copy_n(batch.mask.begin() + long(n * area), area, out.mask.begin() + long(i * area));
    if (!batch.centres.empty()) out.centres.push_back(batch.centres[n]);
    if (!batch.labels.empty()) out.labels.push_back(batch.labels[n]);
  }
  return out;
}

void transformWindow(WindowBatch& batch, std::size_t n, int op) {
  if (op < 0 || op > 7) throw UsageError("window symmetry must be 0..7, got " + std::to_string(op));
  if (n >= batch.count) throw UsageError("window " + std::to_string(n) + " is out of range");
  const std::size_t k = batch.size, area = k * k;
  const std::vector<std::size_t> dest = detail::squareSymmetry(k, op, true);  // window row 0 = north
  auto permute = [&](auto* data) {
    const std::vector<std::remove_cv_t<std::remove_reference_t<decltype(*data)>>> src(data,
                                                                                      data + area);
    for (std::size_t i = 0; i < area; ++i) data[dest[i]] = src[i];
  };
  for (std::size_t c = 0; c < batch.channels; ++c)
    permute(batch.values.data() + n * batch.windowStride() + c * area);
  permute(batch.mask.data() + n * area);
}

WindowBatch augmentWindows(const WindowBatch& batch, const AugmentOptions& options,
                           std::uint64_t seed, std::uint64_t stream,
                           std::vector<std::size_t>* origin) {
  batch.validate();
  if (options.copies < 1)
    throw UsageError("augmentation: copies must be at least 1, got " +
                     std::to_string(options.copies));
  if (!(options.noiseSd >= 0)) throw UsageError("augmentation: noise sd must not be negative");
  const std::size_t copies = std::size_t(options.copies);
  std::vector<std::size_t> rows(batch.count * copies);
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i / copies;
  WindowBatch out = selectWindows(batch, rows);
  const std::size_t area = out.size * out.size;
  const float sd = float(options.noiseSd);
  auto augmentOne = [&](std::size_t i) {
    const std::size_t j = i % copies;
    if (j == 0) return;  // copy 0: the window as drawn
    transformWindow(out, i, int(j % 8));
    if (sd == 0) return;
    // One engine per output window: the noise does not depend on the thread count.
    Rng rng = makeRng(seed, mixSeed(stream, i));
    std::normal_distribution<float> noise(0.0f, sd);
    const std::uint8_t* m = out.mask.data() + i * area;
    for (std::size_t c = 0; c < out.channels; ++c) {
      float* v = out.values.data() + i * out.windowStride() + c * area;
      for (std::size_t cell = 0; cell < area; ++cell)
        if (m[cell]) v[cell] += noise(rng);
    }
  };
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, out.count),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i != r.end(); ++i) augmentOne(i);
                    });
  if (origin) *origin = std::move(rows);
  return out;
}

// ---- 4. protocol splits ------------------------------------------------------------------

bool windowsOverlap(const GridSpec& grid, const std::array<long, 2>& a,
                    const std::array<long, 2>& b, int k, double buffer) {
  const long dc = std::abs(a[0] - b[0]), dr = std::abs(a[1] - b[1]);
  if (dc < k && dr < k) return true;  // the two k x k footprints share a cell
  if (buffer <= 0) return false;
  // Gap between the footprints' rectangles: (|d| - k) whole cells along each axis.
  const double gx = double(std::max(0L, dc - k)) * grid.cellWidth();
  const double gy = double(std::max(0L, dr - k)) * grid.cellHeight();
  return std::hypot(gx, gy) < buffer;
}

std::size_t countTrainTestOverlaps(const GridSpec& grid,
                                   const std::vector<std::array<long, 2>>& cells,
                                   const std::vector<int>& labels, const Fold& fold, int k,
                                   double buffer, bool positivesOnly) {
  if (labels.size() != cells.size())
    throw UsageError("overlap check: labels and cells differ in size");
  std::size_t pairs = 0;
  for (std::size_t t : fold.test) {
    if (t >= cells.size())
      throw UsageError("overlap check: test window " + std::to_string(t) + " out of range");
    if (positivesOnly && labels[t] != 1) continue;
    for (std::size_t i : fold.train) {
      if (i >= cells.size())
        throw UsageError("overlap check: training window " + std::to_string(i) + " out of range");
      if (windowsOverlap(grid, cells[i], cells[t], k, buffer)) ++pairs;
    }
  }
  return pairs;
}

const NameTable<SpatialFolds>& spatialFoldsNames() {
  static const NameTable<SpatialFolds> names = {{"blocks", SpatialFolds::Blocks},
                                                {"lodo", SpatialFolds::LeaveOneDepositOut}};
  return names;
}

const char* spatialFoldsName(SpatialFolds folds) { return nameOf(spatialFoldsNames(), folds).c_str(); }

SpatialFolds parseSpatialFolds(const std::string& text, const std::string& option) {
  return parseName(spatialFoldsNames(), text, option);
}

WindowSplit protocolSplit(Protocol protocol, const LabelledCells& cells, const GridSpec& grid,
                          int k, const WindowSplitOptions& options, std::uint64_t seed) {
  checkCells(cells);
  if (k < 1) throw UsageError("window size must be at least 1 cell, got " + std::to_string(k));
  if (options.buffer < 0)
    throw UsageError("--buffer: must not be negative, got " + std::to_string(options.buffer));
  WindowSplit split;
  split.protocol = protocol;
  split.k = k;
  split.options = options;
  split.seed = seed;
  split.inputs = cells.size();
  if (protocol == Protocol::Paper) {
    if (!(options.testShare > 0 && options.testShare <= 0.5)) {
      throw UsageError("test share must be in (0, 0.5], got " + std::to_string(options.testShare));
    }
    if (options.augment.copies < 1) throw UsageError("augmentation: copies must be at least 1");
    // Augment first (copy j of window n is row n * copies + j, as augmentWindows lays them
    // out), then one stratified random split: the paper's 80/20 (sec. 2.5).
    const std::size_t copies = std::size_t(options.augment.copies);
    for (std::size_t n = 0; n < cells.size(); ++n) {
      for (std::size_t j = 0; j < copies; ++j) {
        split.cells.cells.push_back(cells.cells[n]);
        split.cells.labels.push_back(cells.labels[n]);
        if (!cells.ids.empty()) split.cells.ids.push_back(cells.ids[n]);
        split.origin.push_back(n);
      }
    }
    const int folds = std::max(2, int(std::lround(1.0 / options.testShare)));
    split.folds.push_back(stratifiedKFold(split.cells.labels, folds, seed).front());
    split.excluded.push_back(0);
    return split;
  }

  split.cells = cells;
  split.origin.resize(cells.size());
  std::iota(split.origin.begin(), split.origin.end(), std::size_t(0));
  std::vector<Fold> folds;
  if (options.spatialFolds == SpatialFolds::LeaveOneDepositOut) {
    std::vector<std::size_t> pos, neg;
    for (std::size_t i = 0; i < cells.size(); ++i) (cells.labels[i] == 1 ? pos : neg).push_back(i);
    if (pos.size() < 2) {
      throw UsageError("leave-one-deposit-out needs at least 2 deposit windows, got " +
                       std::to_string(pos.size()));
    }
    // Fold f tests deposit f; negatives are shuffled and dealt round-robin so every fold
    // also scores some negatives (pooled out-of-fold scores then give a ROC AUC).
    Rng rng = makeRng(seed, 4);
    std::shuffle(neg.begin(), neg.end(), rng);
    std::vector<std::vector<std::size_t>> tests(pos.size());
    for (std::size_t f = 0; f < pos.size(); ++f) tests[f].push_back(pos[f]);
    for (std::size_t i = 0; i < neg.size(); ++i) tests[i % pos.size()].push_back(neg[i]);
    for (auto& t : tests) {
      std::sort(t.begin(), t.end());
      Fold fold;
      fold.test = t;
      for (std::size_t i = 0; i < cells.size(); ++i)
        if (!std::binary_search(t.begin(), t.end(), i)) fold.train.push_back(i);
      folds.push_back(std::move(fold));
    }
  } else {
    const auto centres = cellCentres(grid, cells.cells);
    std::vector<double> x, y;
    for (const auto& c : centres) {
      x.push_back(c[0]);
      y.push_back(c[1]);
    }
    folds = spatialBlockFolds(x, y, cells.labels, options.folds, options.blockSide(grid), seed);
  }
  // The buffer rule: a training window whose footprint overlaps (or comes within `buffer`
  // of) any test window's footprint would show the model test cells; it is dropped.
  for (auto& fold : folds) {
    std::vector<std::size_t> kept;
    for (std::size_t i : fold.train) {
      bool clash = false;
      for (std::size_t t : fold.test) {
        if (windowsOverlap(grid, cells.cells[i], cells.cells[t], k, options.buffer)) {
          clash = true;
          break;
        }
      }
      if (!clash) kept.push_back(i);
    }
    split.excluded.push_back(fold.train.size() - kept.size());
    fold.train = std::move(kept);
  }
  split.folds = std::move(folds);
  return split;
}

std::pair<WindowBatch, WindowBatch> foldBatches(const WindowSplit& split, std::size_t fold,
                                                const WindowBatch& windows) {
  if (fold >= split.folds.size()) {
    throw UsageError("fold " + std::to_string(fold) + " of a split with " +
                     std::to_string(split.folds.size()) + " folds");
  }
  windows.validate();
  if (windows.count != split.inputs) {
    throw UsageError("the split was made on " + std::to_string(split.inputs) + " windows, got " +
                     std::to_string(windows.count));
  }
  const Fold& f = split.folds[fold];
  if (split.protocol == Protocol::Paper) {
    const WindowBatch all = augmentWindows(windows, split.options.augment, split.seed, 0);
    return {selectWindows(all, f.train), selectWindows(all, f.test)};
  }
  return {
      augmentWindows(selectWindows(windows, f.train), split.options.augment, split.seed, 1 + fold),
      selectWindows(windows, f.test)};
}

std::vector<std::uint8_t> trainingArea(const WindowSplit& split, std::size_t fold,
                                       const RasterStack& stack) {
  if (fold >= split.folds.size()) {
    throw UsageError("fold " + std::to_string(fold) + " of a split with " +
                     std::to_string(split.folds.size()) + " folds");
  }
  std::vector<std::uint8_t> area = stack.validCells();
  if (split.protocol == Protocol::Paper) return area;
  std::vector<std::array<long, 2>> test;
  for (std::size_t t : split.folds[fold].test) test.push_back(split.cells.cells[t]);
  const std::vector<std::uint8_t> held =
      footprintMask(stack.grid(), test, split.k, split.options.buffer);
  for (std::size_t i = 0; i < area.size(); ++i)
    if (held[i]) area[i] = 0;
  return area;
}

std::vector<int> outOfFoldCells(const WindowSplit& split, const GridSpec& grid) {
  if (split.protocol == Protocol::Paper) return {};
  const auto centres = cellCentres(grid, split.cells.cells);
  std::vector<int> foldOfWindow(centres.size(), -1);
  for (std::size_t f = 0; f < split.folds.size(); ++f)
    for (std::size_t t : split.folds[f].test) foldOfWindow[t] = int(f);
  std::vector<int> out(grid.size(), -1);
  auto cellCentre = [&](std::size_t col, std::size_t row) {
    return std::array<double, 2>{grid.centreX(double(col)), grid.centreY(double(row))};
  };
  if (split.options.spatialFolds == SpatialFolds::LeaveOneDepositOut) {
    std::vector<std::size_t> deposits;
    for (std::size_t i = 0; i < centres.size(); ++i)
      if (split.cells.labels[i] == 1 && foldOfWindow[i] >= 0) deposits.push_back(i);
    if (deposits.empty()) return out;
    tbb::parallel_for(std::size_t(0), grid.height, [&](std::size_t row) {
      for (std::size_t col = 0; col < grid.width; ++col) {
        const auto c = cellCentre(col, row);
        double best = std::numeric_limits<double>::infinity();
        for (std::size_t d : deposits) {
          const double dx = centres[d][0] - c[0], dy = centres[d][1] - c[1];
          if (dx * dx + dy * dy < best) {
            best = dx * dx + dy * dy;
            out[grid.index(col, row)] = foldOfWindow[d];
          }
        }
      }
    });
    return out;
  }
  // Blocks, as spatialBlockFolds cuts them: (floor((x - x0) / B), floor((y - y0) / B)).
  const double size = split.options.blockSize;
  double x0 = std::numeric_limits<double>::infinity(), y0 = x0;
  for (const auto& c : centres) {
    x0 = std::min(x0, c[0]);
    y0 = std::min(y0, c[1]);
  }
  auto blockOf = [&](const std::array<double, 2>& c) {
    return std::pair<long, long>{long(std::floor((c[0] - x0) / size)),
                                 long(std::floor((c[1] - y0) / size))};
  };
  std::map<std::pair<long, long>, int> foldOfBlock;
  for (std::size_t i = 0; i < centres.size(); ++i)
    if (foldOfWindow[i] >= 0) foldOfBlock[blockOf(centres[i])] = foldOfWindow[i];
  if (foldOfBlock.empty()) return out;
  std::map<std::pair<long, long>, int> resolved;  // every block of the grid's cells
  for (std::size_t row = 0; row < grid.height; ++row)
    for (std::size_t col = 0; col < grid.width; ++col) {
      const auto b = blockOf(cellCentre(col, row));
      auto it = resolved.find(b);
      if (it == resolved.end()) {
        int fold = -1;
        const auto own = foldOfBlock.find(b);
        if (own != foldOfBlock.end()) {
          fold = own->second;
        } else {
          double best = std::numeric_limits<double>::infinity();
          for (const auto& [other, f] : foldOfBlock) {
            const double dx = double(other.first - b.first), dy = double(other.second - b.second);
            if (dx * dx + dy * dy < best) {
              best = dx * dx + dy * dy;
              fold = f;
            }
          }
        }
        it = resolved.emplace(b, fold).first;
      }
      out[grid.index(col, row)] = it->second;
    }
  return out;
}

// ---- 5. random-forest baseline -------------------------------------------------------------

Eigen::MatrixXd centreFeatures(const WindowBatch& batch) {
  batch.validate();
  const std::size_t k = batch.size, area = k * k, centre = (k / 2) * k + k / 2;
  Eigen::MatrixXd x(Eigen::Index(batch.count), Eigen::Index(batch.channels));
  for (std::size_t n = 0; n < batch.count; ++n)
    for (std::size_t c = 0; c < batch.channels; ++c)
      x(Eigen::Index(n), Eigen::Index(c)) =
          batch.values[n * batch.windowStride() + c * area + centre];
  return x;
}

Eigen::MatrixXd cellFeatures(const Raster& stack, const std::vector<std::array<long, 2>>& cells) {
  const GridSpec& g = stack.grid();
  Eigen::MatrixXd x(Eigen::Index(cells.size()), Eigen::Index(stack.bandCount()));
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const auto& c = cells[i];
    if (c[0] < 0 || c[1] < 0 || c[0] >= long(g.width) || c[1] >= long(g.height)) {
      throw UsageError("cell (" + std::to_string(c[0]) + ", " + std::to_string(c[1]) +
                       ") is outside the grid");
    }
    const std::size_t idx = g.index(std::size_t(c[0]), std::size_t(c[1]));
    for (std::size_t b = 0; b < stack.bandCount(); ++b) {
      const float v = stack.band(b).values[idx];
      x(Eigen::Index(i), Eigen::Index(b)) = stack.isNodata(v) ? kNaN : double(v);
    }
  }
  return x;
}

Raster scoreStackClassical(ClassicalModel model, const Eigen::MatrixXd& trainX,
                           const std::vector<int>& trainY, const Raster& stack,
                           const ClassicalOptions& options, std::uint64_t seed,
                           std::pair<double, double> classWeights) {
  if (std::size_t(trainX.cols()) != stack.bandCount()) {
    throw UsageError("classical map: " + std::to_string(trainX.cols()) +
                     " training features for a stack of " + std::to_string(stack.bandCount()) +
                     " channels");
  }
  RasterStack view;
  view.raster = stack;
  const std::vector<std::uint8_t> valid = view.validCells();
  std::vector<std::array<long, 2>> cells;
  const GridSpec& g = stack.grid();
  for (std::size_t i = 0; i < g.size(); ++i)
    if (valid[i]) cells.push_back({long(i % g.width), long(i / g.width)});
  // fitPredictClassical fits and predicts in one call: every valid cell goes in at once.
  const std::vector<double> scores = fitPredictClassical(
      model, trainX, trainY, cellFeatures(stack, cells), options, seed, classWeights);
  GridSpec grid = g;
  Raster out(grid, stack.nodata());
  Band& band = out.addBand("probability", stack.nodata());
  for (std::size_t i = 0; i < cells.size(); ++i)
    band.values[g.index(std::size_t(cells[i][0]), std::size_t(cells[i][1]))] = float(scores[i]);
  return out;
}

// ---- 6. target zones -----------------------------------------------------------------------

const NameTable<ZoneRule>& zoneRuleNames() {
  static const NameTable<ZoneRule> names = {{"thresholds", ZoneRule::Thresholds},
                                            {"percentiles", ZoneRule::AreaPercentiles}};
  return names;
}

const char* zoneRuleName(ZoneRule rule) { return nameOf(zoneRuleNames(), rule).c_str(); }

ZoneRule parseZoneRule(const std::string& text, const std::string& option) {
  return parseName(zoneRuleNames(), text, option);
}

std::array<double, 3> zoneThresholds(const Raster& probability, const RasterZoneOptions& options) {
  if (probability.bandCount() < 1)
    throw UsageError("target zones: the probability raster has no band");
  if (options.rule == ZoneRule::Thresholds) {
    const auto& t = options.thresholds;
    if (!(t[0] > t[1] && t[1] > t[2])) {
      throw UsageError("zone thresholds must decrease from A to C, got " + std::to_string(t[0]) +
                       ", " + std::to_string(t[1]) + ", " + std::to_string(t[2]));
    }
    return t;
  }
  const auto& s = options.topShares;
  if (!(s[0] > 0 && s[0] < s[1] && s[1] < s[2] && s[2] <= 1)) {
    throw UsageError("zone area shares must increase within (0, 1], got " + std::to_string(s[0]) +
                     ", " + std::to_string(s[1]) + ", " + std::to_string(s[2]));
  }
  std::vector<double> v;
  for (double x : mapScores(probability, 0))
    if (!std::isnan(x)) v.push_back(x);
  if (v.empty()) throw DataError("target zones: the probability raster has no valid cell");
  std::sort(v.begin(), v.end(), std::greater<>());
  std::array<double, 3> out{};
  for (int c = 0; c < 3; ++c) {
    // The score of the last cell within the share (floor, at least one cell, as
    // captureInTopArea counts the top area); cells tied with it are included.
    const std::size_t n = std::max<std::size_t>(
        1, std::size_t(std::floor(s[std::size_t(c)] * double(v.size()) + 1e-9)));
    out[std::size_t(c)] = v[std::min(n, v.size()) - 1];
  }
  return out;
}

std::vector<RasterZone> rasterZones(const Raster& probability, const RasterZoneOptions& options,
                                    const std::vector<double>& depositX,
                                    const std::vector<double>& depositY,
                                    const std::vector<std::string>& depositIds) {
  const GridSpec& g = probability.grid();
  if (std::abs(g.cellWidth() - g.cellHeight()) > 1e-9 * g.cellWidth()) {
    throw UsageError("target zones need square cells, got " + std::to_string(g.cellWidth()) +
                     " x " + std::to_string(g.cellHeight()) + " m");
  }
  if (depositX.size() != depositY.size() ||
      (!depositIds.empty() && depositIds.size() != depositX.size())) {
    throw UsageError("target zones: deposit x, y and ids differ in size");
  }
  const std::array<double, 3> t = zoneThresholds(probability, options);
  const std::vector<double> p = mapScores(probability, 0);
  // Class of each cell: 1 A (p >= tA), 2 B (tB <= p < tA), 3 C (tC <= p < tB), 0 none.
  // Compared in float, the raster's precision: a cell holding 0.95f is class A at 0.95.
  std::vector<std::uint8_t> cls(g.size(), 0);
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (std::isnan(p[i])) continue;
    for (std::uint8_t c = 0; c < 3; ++c) {
      if (float(p[i]) >= float(t[c])) {
        cls[i] = std::uint8_t(c + 1);
        break;
      }
    }
  }
  std::vector<long> component(g.size(), -1);
  std::vector<RasterZone> zones;
  std::vector<long> zoneOf;  // component id -> index in zones (-1 when dropped)
  const double cellArea = g.cellWidth() * g.cellHeight();
  for (std::size_t start = 0; start < g.size(); ++start) {
    if (!cls[start] || component[start] >= 0) continue;
    const long id = long(zoneOf.size());
    std::vector<std::size_t> members;
    std::queue<std::size_t> q;
    component[start] = id;
    q.push(start);
    while (!q.empty()) {
      const std::size_t cell = q.front();
      q.pop();
      members.push_back(cell);
      const long col = long(cell % g.width), row = long(cell / g.width);
      const long nc[4] = {col - 1, col + 1, col, col}, nr[4] = {row, row, row - 1, row + 1};
      for (int d = 0; d < 4; ++d) {
        if (nc[d] < 0 || nr[d] < 0 || nc[d] >= long(g.width) || nr[d] >= long(g.height)) continue;
        const std::size_t n = std::size_t(nr[d]) * g.width + std::size_t(nc[d]);
        if (cls[n] != cls[start] || component[n] >= 0) continue;
        component[n] = id;
        q.push(n);
      }
    }
    if (members.size() < options.minCells) {
      zoneOf.push_back(-1);
      continue;
    }
    zoneOf.push_back(long(zones.size()));
    RasterZone zone;
    zone.zoneClass = char('A' + cls[start] - 1);
    zone.cells = members.size();
    zone.area = double(members.size()) * cellArea;
    double sum = 0, mx = -std::numeric_limits<double>::infinity();
    std::size_t c0 = g.width, c1 = 0, r0 = g.height, r1 = 0;
    for (std::size_t m : members) {
      sum += p[m];
      mx = std::max(mx, p[m]);
      c0 = std::min(c0, m % g.width);
      c1 = std::max(c1, m % g.width);
      r0 = std::min(r0, m / g.width);
      r1 = std::max(r1, m / g.width);
    }
    zone.meanProbability = sum / double(members.size());
    zone.maxProbability = mx;
    // cellOutlines wants row 0 = south: flip the component's bounding box.
    const std::size_t cols = c1 - c0 + 1, rows = r1 - r0 + 1;
    std::vector<std::uint8_t> inside(cols * rows, 0);
    for (std::size_t m : members) inside[(r1 - m / g.width) * cols + (m % g.width - c0)] = 1;
    zone.polygon.rings = cellOutlines(inside, cols, rows, g.originX() + double(c0) * g.cellWidth(),
                                      g.originY() - double(r1 + 1) * g.cellHeight(), g.cellWidth());
    zones.push_back(std::move(zone));
  }
  for (std::size_t i = 0; i < depositX.size(); ++i) {
    long col = 0, row = 0;
    if (!g.cellOf(depositX[i], depositY[i], col, row)) continue;
    const long c = component[g.index(std::size_t(col), std::size_t(row))];
    if (c >= 0 && zoneOf[std::size_t(c)] >= 0) {
      zones[std::size_t(zoneOf[std::size_t(c)])].deposits.push_back(
          depositIds.empty() ? "D" + std::to_string(i) : depositIds[i]);
    }
  }
  std::stable_sort(zones.begin(), zones.end(), [](const RasterZone& a, const RasterZone& b) {
    if (a.zoneClass != b.zoneClass) return a.zoneClass < b.zoneClass;
    if (a.maxProbability != b.maxProbability) return a.maxProbability > b.maxProbability;
    return a.cells > b.cells;
  });
  int counts[3] = {0, 0, 0};
  for (auto& z : zones) {
    const int c = z.zoneClass - 'A';
    z.polygon.name = std::string(1, z.zoneClass) + std::to_string(++counts[c]);
    z.polygon.value = double(c + 1);
  }
  return zones;
}

PolygonSet zonePolygons(const std::vector<RasterZone>& zones) {
  PolygonSet out;
  for (const auto& z : zones) out.push_back(z.polygon);
  return out;
}

std::vector<std::pair<std::string, std::vector<double>>> zoneAttributes(
    const std::vector<RasterZone>& zones) {
  std::vector<double> cls, cells, area, mean, mx, deps;
  for (const auto& z : zones) {
    cls.push_back(double(z.zoneClass - 'A' + 1));
    cells.push_back(double(z.cells));
    area.push_back(z.area);
    mean.push_back(z.meanProbability);
    mx.push_back(z.maxProbability);
    deps.push_back(double(z.deposits.size()));
  }
  return {{"class", cls},      {"cells", cells}, {"area_m2", area},
          {"mean_prob", mean}, {"max_prob", mx}, {"deposits", deps}};
}

namespace {
std::string joinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& d : ids) out += (out.empty() ? "" : ";") + d;
  return out;
}
}  // namespace

std::vector<std::pair<std::string, std::vector<std::string>>> zoneDepositIds(
    const std::vector<RasterZone>& zones) {
  std::vector<std::string> ids;
  for (const auto& z : zones) ids.push_back(joinIds(z.deposits));
  return {{"deposit_ids", ids}};
}

std::string zonesCsv(const std::vector<RasterZone>& zones) {
  std::ostringstream s;
  s << "zone,class,cells,area_m2,mean_prob,max_prob,deposits\n";
  for (const auto& z : zones) {
    const std::string ids = joinIds(z.deposits);
    s << z.polygon.name << ',' << z.zoneClass << ',' << z.cells << ',' << std::fixed
      << std::setprecision(1) << z.area << ',' << std::setprecision(6) << z.meanProbability << ','
      << z.maxProbability << ',' << ids << '\n';
    s.unsetf(std::ios::fixed);
  }
  return s.str();
}

// ---- 7. map evaluation ---------------------------------------------------------------------

std::vector<double> mapScores(const Raster& probability, std::size_t band) {
  const GridSpec& g = probability.grid();
  const auto& values = probability.band(band).values;
  std::vector<double> out(g.size(), kNaN);
  for (std::size_t i = 0; i < g.size(); ++i)
    if (g.valid(i) && !probability.isNodata(values[i])) out[i] = values[i];
  return out;
}

MapEvaluation evaluateMap(const Raster& probability, const std::vector<double>& x,
                          const std::vector<double>& y, std::size_t band) {
  if (x.size() != y.size()) throw UsageError("map evaluation: deposit x and y differ in size");
  const GridSpec& g = probability.grid();
  MapEvaluation out;
  std::vector<std::size_t> cells;
  for (std::size_t i = 0; i < x.size(); ++i) {
    long col = 0, row = 0;
    if (g.cellOf(x[i], y[i], col, row)) {
      cells.push_back(g.index(std::size_t(col), std::size_t(row)));
    } else {
      ++out.outside;
    }
  }
  if (cells.empty()) throw DataError("map evaluation: no deposit lies on the probability grid");
  out.deposits = cells.size();
  const std::vector<double> scores = mapScores(probability, band);
  out.curve = successRateCurve(scores, cells);
  out.captureTop5 = captureInTopArea(scores, cells, 0.05);
  out.captureTop10 = captureInTopArea(scores, cells, 0.10);
  out.captureTop20 = captureInTopArea(scores, cells, 0.20);
  return out;
}

}  // namespace orevox
