#include "orevox/voxel/spatial_index.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <nanoflann.hpp>
#include <sstream>
#include <tuple>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// nanoflann dataset adaptor over a flat array of Dim-vectors.
template <int Dim>
struct PointCloud {
  const double* pts = nullptr;
  std::size_t n = 0;
  std::size_t kdtree_get_point_count() const { return n; }
  double kdtree_get_pt(std::size_t idx, std::size_t dim) const { return pts[idx * Dim + dim]; }
  template <class Box>
  bool kdtree_get_bbox(Box&) const {
    return false;
  }
};

template <int Dim>
using KdTree =
    nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, PointCloud<Dim>>,
                                        PointCloud<Dim>, Dim, std::size_t>;

bool byDistance(const Neighbor& a, const Neighbor& b) {
  return a.distance < b.distance || (a.distance == b.distance && a.index < b.index);
}

// Points and their kd-tree. The tree refers to `cloud`, so a PointSet never moves.
template <int Dim>
class PointSet {
 public:
  explicit PointSet(std::vector<double> coords) : coords_(std::move(coords)) {
    cloud_.pts = coords_.data();
    cloud_.n = coords_.size() / Dim;
    tree_ =
        std::make_unique<KdTree<Dim>>(Dim, cloud_, nanoflann::KDTreeSingleIndexAdaptorParams(16));
  }
  PointSet(const PointSet&) = delete;
  PointSet& operator=(const PointSet&) = delete;

  std::size_t size() const { return cloud_.n; }
  const double* point(std::size_t i) const { return coords_.data() + i * Dim; }

  // Squared distance summed in axis order, the oracle every query result is checked by.
  double dist2(const double* q, std::size_t i) const {
    double s = 0.0;
    for (int d = 0; d < Dim; ++d) {
      const double t = q[d] - coords_[i * Dim + std::size_t(d)];
      s += t * t;
    }
    return s;
  }

  // k nearest points of q, `exclude` (a node's own index, or size()) left out.
  std::vector<Neighbor> nearest(const double* q, std::size_t k, std::size_t exclude) const {
    std::vector<Neighbor> out;
    if (k == 0 || size() == 0) return out;
    const std::size_t want = std::min(size(), k + (exclude < size() ? 1 : 0));
    std::vector<std::size_t> idx(want);
    std::vector<double> d2(want);
    nanoflann::KNNResultSet<double, std::size_t> result(want);
    result.init(idx.data(), d2.data());
    tree_->findNeighbors(result, q, nanoflann::SearchParams());
    for (std::size_t n = 0; n < result.size(); ++n) {
      if (idx[n] == exclude) continue;
      out.push_back(Neighbor{idx[n], std::sqrt(dist2(q, idx[n]))});
    }
    std::sort(out.begin(), out.end(), byDistance);
    if (out.size() > k) out.resize(k);
    return out;
  }

  // Every point with dist2 <= r2 (up to nanoflann's strict bound, widened here), unsorted.
  std::vector<std::size_t> candidates(const double* q, double r2) const {
    std::vector<std::size_t> out;
    if (size() == 0) return out;
    std::vector<std::pair<std::size_t, double>> hits;
    nanoflann::SearchParams params;
    params.sorted = false;
    tree_->radiusSearch(q, r2 * (1.0 + 1e-9) + 1e-12, hits, params);
    out.reserve(hits.size());
    for (const auto& h : hits) out.push_back(h.first);
    return out;
  }

  std::vector<Neighbor> withinRadius(const double* q, double r, std::size_t exclude) const {
    std::vector<Neighbor> out;
    const double r2 = r * r;
    for (std::size_t i : candidates(q, r2)) {
      if (i == exclude) continue;
      const double d2 = dist2(q, i);
      if (d2 <= r2) out.push_back(Neighbor{i, std::sqrt(d2)});
    }
    std::sort(out.begin(), out.end(), byDistance);
    return out;
  }

 private:
  std::vector<double> coords_;
  PointCloud<Dim> cloud_;
  std::unique_ptr<KdTree<Dim>> tree_;
};

// WKT compared without whitespace, so pretty-printed and one-line forms of one CRS agree.
std::string squeezeWkt(const std::string& wkt) {
  std::string out;
  for (char c : wkt) {
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  }
  return out;
}

std::string firstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.size() > 100) line = line.substr(0, 100) + "...";
  return line;
}

std::string describeGrid(const GridSpec& g) {
  std::ostringstream s;
  s << g.width << " x " << g.height << " cells of " << g.cellWidth() << " x " << g.cellHeight()
    << " m from (" << g.originX() << ", " << g.originY() << ")";
  return s.str();
}

std::string joinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

// First offset of a window of `size` cells around its centre cell (size/2 before it).
long windowStart(long centre, int size) { return centre - size / 2; }

Extent boxExtent(const VolumeSpec& v) {
  Extent e;
  e.expand(v.origin[0], v.origin[1]);
  e.expand(v.origin[0] + double(v.nx) * v.spacing[0], v.origin[1] + double(v.ny) * v.spacing[1]);
  return e;
}

}  // namespace

const char* layerKindName(LayerKind kind) {
  switch (kind) {
    case LayerKind::Grid2D:
      return "grid";
    case LayerKind::Samples:
      return "samples";
    case LayerKind::Voxels:
      return "voxels";
  }
  return "unknown";
}

struct SpatialIndex::GridLayer {
  std::string name;
  std::string units;
  std::vector<float> values;        // grid row-major
  std::vector<std::uint8_t> valid;  // 1 = inside the mask and not nodata
  std::size_t validCount = 0;
};

struct SpatialIndex::SampleLayer {
  SampleLayer(std::string layerName, SampleTable samples, std::vector<double> planCoords,
              std::vector<double> coords3)
      : name(std::move(layerName)), table(std::move(samples)), plan(std::move(planCoords)) {
    if (!coords3.empty()) full = std::make_unique<PointSet<3>>(std::move(coords3));
  }
  std::string name;
  SampleTable table;
  PointSet<2> plan;                   // (x, y) of every node
  std::unique_ptr<PointSet<3>> full;  // (x, y, z) when the table has z

  std::size_t size() const { return plan.size(); }
  void checkNode(std::size_t node) const {
    if (node >= size()) {
      throw UsageError("sample layer '" + name + "' has " + std::to_string(size()) +
                       " nodes, no node " + std::to_string(node));
    }
  }
  // Neighbour queries of nodes use 3D distance when the layer has z.
  std::vector<Neighbor> nearestOfNode(std::size_t node, std::size_t k) const {
    checkNode(node);
    return full ? full->nearest(full->point(node), k, node)
                : plan.nearest(plan.point(node), k, node);
  }
};

// ---- building ------------------------------------------------------------------------------

void SpatialIndex::checkNewName(const std::string& name) const {
  if (name.empty()) throw UsageError("layer name is empty");
  bool taken = false;
  for (const auto& g : grids_) taken = taken || g->name == name;
  for (const auto& s : samples_) taken = taken || s->name == name;
  for (const auto& v : voxels_) taken = taken || v.name == name;
  if (taken) throw UsageError("the spatial index already has a layer named '" + name + "'");
}

std::string SpatialIndex::mergedCrs(const std::string& layer, const std::string& wkt,
                                    const std::string& source) const {
  if (wkt.empty()) return crsWkt_;
  if (crsWkt_.empty()) return wkt;
  if (squeezeWkt(wkt) != squeezeWkt(crsWkt_)) {
    throw DataError("layer '" + layer + "' is in CRS '" + firstLine(wkt) +
                        "' but the index is in CRS '" + firstLine(crsWkt_) + "' (set by layer '" +
                        crsLayer_ + "'); reproject it first",
                    SourceLocation{source, 0, 0, {}, {}});
  }
  return crsWkt_;
}

void SpatialIndex::adoptCrs(const std::string& crs, const std::string& layer) {
  if (crs == crsWkt_) return;
  crsWkt_ = crs;
  crsLayer_ = layer;
  grid_.crsWkt = crs;
}

void SpatialIndex::addGrid(const Raster& raster, const std::string& prefix) {
  const GridSpec& g = raster.grid();
  if (raster.bandCount() == 0) throw UsageError("raster has no band to add to the spatial index");
  const std::string first = prefix + raster.band(0).name;  // names the raster in messages
  const auto& gt = g.geoTransform;
  if (g.width == 0 || g.height == 0 || gt[2] != 0.0 || gt[4] != 0.0 || !(gt[1] > 0.0) ||
      !(gt[5] < 0.0)) {
    throw DataError("2D layer '" + first +
                    "': the grid must be non-empty, north-up and not rotated (" + describeGrid(g) +
                    ")");
  }
  if (hasGrid_) {
    // Size and geotransform only: the CRS is checked below, masks may differ per raster.
    auto geometry = [](const GridSpec& s) {
      GridSpec out;
      out.width = s.width;
      out.height = s.height;
      out.geoTransform = s.geoTransform;
      return out;
    };
    if (!geometry(g).sameGrid(geometry(grid_))) {
      throw DataError("2D layer '" + first + "' is on a grid of " + describeGrid(g) +
                      " but the index grid is " + describeGrid(grid_) + "; resample it first");
    }
  }
  const std::string crs = mergedCrs(first, g.crsWkt, {});
  std::vector<std::shared_ptr<GridLayer>> added;
  for (const auto& band : raster.bands()) {
    const std::string name = prefix + band.name;
    checkNewName(name);
    for (const auto& a : added) {
      if (a->name == name) throw UsageError("the raster has two bands named '" + band.name + "'");
    }
    if (band.values.size() != g.size() || (!g.mask.empty() && g.mask.size() != g.size())) {
      throw DataError("2D layer '" + name + "' holds " + std::to_string(band.values.size()) +
                      " values and " + std::to_string(g.mask.size()) +
                      " mask flags for a grid of " + std::to_string(g.size()) + " cells");
    }
    auto layer = std::make_shared<GridLayer>();
    layer->name = name;
    layer->units = band.units;
    layer->values = band.values;
    layer->valid.resize(g.size());
    for (std::size_t c = 0; c < g.size(); ++c) {
      layer->valid[c] = (g.valid(c) && !raster.isNodata(band.values[c])) ? 1 : 0;
      layer->validCount += layer->valid[c];
    }
    added.push_back(std::move(layer));
  }
  if (!hasGrid_) {
    grid_ = g;
    grid_.crsWkt = crs;
    hasGrid_ = true;
  }
  adoptCrs(crs, first);
  for (auto& a : added) grids_.push_back(std::move(a));
}

void SpatialIndex::addSamples(const std::string& layer, SampleTable samples) {
  checkNewName(layer);
  samples.validate();
  const std::string crs = mergedCrs(layer, samples.crsWkt, samples.source);
  const std::size_t n = samples.size();
  std::vector<double> plan(2 * n), full(samples.is3D() ? 3 * n : 0);
  for (std::size_t r = 0; r < n; ++r) {
    const double c[3] = {samples.x[r], samples.y[r], samples.is3D() ? samples.z[r] : 0.0};
    for (int a = 0; a < (samples.is3D() ? 3 : 2); ++a) {
      if (!std::isfinite(c[a])) {
        throw DataError("sample layer '" + layer + "': row " + std::to_string(r + 1) +
                            " has a non-finite coordinate",
                        SourceLocation{samples.source, long(r + 1), 0,
                                       a == 0   ? "x"
                                       : a == 1 ? "y"
                                                : "z",
                                       std::to_string(c[a])});
      }
    }
    plan[2 * r] = c[0];
    plan[2 * r + 1] = c[1];
    if (!full.empty()) std::copy(c, c + 3, full.begin() + std::ptrdiff_t(3 * r));
  }
  auto added =
      std::make_shared<SampleLayer>(layer, std::move(samples), std::move(plan), std::move(full));
  adoptCrs(crs, layer);
  samples_.push_back(std::move(added));
}

void SpatialIndex::addVoxels(const std::string& layer, VoxelModel model) {
  checkNewName(layer);
  if (model.spec().size() == 0) throw UsageError("voxel layer '" + layer + "' has no box");
  const std::string crs = mergedCrs(layer, model.spec().crsWkt, {});
  adoptCrs(crs, layer);
  voxels_.push_back(VoxelLayer{layer, std::make_shared<VoxelModel>(std::move(model))});
}

void SpatialIndex::drapeToVoxels(const std::string& gridLayerName,
                                 const std::string& voxelLayerName, const std::string& channel) {
  const GridLayer& g = gridLayer(gridLayerName);
  const VolumeSpec& v = voxelLayer(voxelLayerName).model->spec();
  std::vector<double> column(v.nx * v.ny, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t j = 0; j < v.ny; ++j) {
    for (std::size_t i = 0; i < v.nx; ++i) {
      long col = 0, row = 0;
      if (!grid_.cellOf(v.centreX(i), v.centreY(j), col, row)) continue;
      const std::size_t cell = grid_.index(std::size_t(col), std::size_t(row));
      if (g.valid[cell]) column[j * v.nx + i] = double(g.values[cell]);
    }
  }
  drapeColumns(voxelLayerName, channel, column, g.units);
}

void SpatialIndex::drapeSamplesToVoxels(const std::string& sampleLayerName,
                                        const std::string& columnName,
                                        const std::string& voxelLayerName,
                                        const std::string& channel, const IdwOptions& idw) {
  const SampleTable& table = samples(sampleLayerName);
  const SampleColumn& values = table.column(columnName);  // UsageError naming an unknown column
  const VolumeSpec& v = voxelLayer(voxelLayerName).model->spec();
  if (idw.neighbors == 0 || !(idw.power > 0))
    throw UsageError("IDW needs a positive power and neighbour count");
  std::vector<double> column(v.nx * v.ny, std::numeric_limits<double>::quiet_NaN());
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, v.ny), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t j = r.begin(); j != r.end(); ++j) {
          for (std::size_t i = 0; i < v.nx; ++i) {
            double sum = 0, weights = 0;
            bool exact = false;
            for (const Neighbor& n :
                 nearestToPoint(sampleLayerName, v.centreX(i), v.centreY(j), idw.neighbors)) {
              const double z = values.values[n.index];
              if (std::isnan(z) || (idw.radius > 0 && n.distance > idw.radius)) continue;
              if (n.distance == 0.0) {  // on a node: its value
                sum = z;
                weights = 1;
                exact = true;
                break;
              }
              const double w = 1.0 / std::pow(n.distance, idw.power);
              sum += w * z;
              weights += w;
            }
            if (exact || weights > 0) column[j * v.nx + i] = sum / weights;
          }
        }
      });
  drapeColumns(voxelLayerName, channel, column, values.units);
}

void SpatialIndex::drapeColumns(const std::string& voxelLayerName, const std::string& channel,
                                const std::vector<double>& columnValues, const std::string& units) {
  voxelLayer(voxelLayerName);  // throws the message listing the voxel layers
  VoxelLayer& target = *std::find_if(voxels_.begin(), voxels_.end(),
                                     [&](const VoxelLayer& v) { return v.name == voxelLayerName; });
  const VoxelModel& source = *target.model;
  if (source.hasChannel(channel)) {
    throw UsageError("voxel layer '" + voxelLayerName + "' already has a channel named '" +
                     channel + "'");
  }
  const VolumeSpec& v = source.spec();
  std::vector<std::uint8_t> rock(v.size(), 0);  // active in any channel
  for (const auto& name : source.channelNames()) {
    source.forEachActive(name, [&](std::size_t i, std::size_t j, std::size_t k, float) {
      rock[v.index(i, j, k)] = 1;
    });
  }
  std::vector<float> values(v.size(), 0.0f);
  std::vector<std::uint8_t> active(v.size(), 0);
  for (std::size_t j = 0; j < v.ny; ++j) {
    for (std::size_t i = 0; i < v.nx; ++i) {
      const double value = columnValues[j * v.nx + i];
      if (std::isnan(value)) continue;
      for (std::size_t k = 0; k < v.nz; ++k) {
        const std::size_t idx = v.index(i, j, k);
        if (!rock[idx]) continue;
        values[idx] = float(value);
        active[idx] = 1;
      }
    }
  }
  // Another index copy may share the model: give this index its own before changing it.
  if (target.model.use_count() > 1) target.model = std::make_shared<VoxelModel>(source);
  target.model->setChannel(channel, values, &active, units, 0.0f);
}

// ---- layers --------------------------------------------------------------------------------

const std::string& SpatialIndex::crsWkt() const { return crsWkt_; }
bool SpatialIndex::hasGrid() const { return hasGrid_; }

const GridSpec& SpatialIndex::grid() const {
  if (!hasGrid_) throw UsageError("the spatial index has no 2D grid layer");
  return grid_;
}

std::vector<std::string> SpatialIndex::gridLayers() const {
  std::vector<std::string> out;
  for (const auto& g : grids_) out.push_back(g->name);
  return out;
}

std::vector<std::string> SpatialIndex::sampleLayers() const {
  std::vector<std::string> out;
  for (const auto& s : samples_) out.push_back(s->name);
  return out;
}

std::vector<std::string> SpatialIndex::voxelLayers() const {
  std::vector<std::string> out;
  for (const auto& v : voxels_) out.push_back(v.name);
  return out;
}

const SpatialIndex::GridLayer& SpatialIndex::gridLayer(const std::string& name) const {
  for (const auto& g : grids_) {
    if (g->name == name) return *g;
  }
  throw UsageError("the spatial index has no 2D layer named '" + name +
                   "' (2D layers: " + joinNames(gridLayers()) + ")");
}

const SpatialIndex::SampleLayer& SpatialIndex::sampleLayer(const std::string& name) const {
  for (const auto& s : samples_) {
    if (s->name == name) return *s;
  }
  throw UsageError("the spatial index has no sample layer named '" + name +
                   "' (sample layers: " + joinNames(sampleLayers()) + ")");
}

const SpatialIndex::VoxelLayer& SpatialIndex::voxelLayer(const std::string& name) const {
  for (const auto& v : voxels_) {
    if (v.name == name) return v;
  }
  throw UsageError("the spatial index has no voxel layer named '" + name +
                   "' (voxel layers: " + joinNames(voxelLayers()) + ")");
}

const SampleTable& SpatialIndex::samples(const std::string& layer) const {
  return sampleLayer(layer).table;
}
const VoxelModel& SpatialIndex::voxels(const std::string& layer) const {
  return *voxelLayer(layer).model;
}

bool SpatialIndex::gridValue(const std::string& layer, long col, long row, float& value) const {
  const GridLayer& g = gridLayer(layer);
  if (col < 0 || row < 0 || std::size_t(col) >= grid_.width || std::size_t(row) >= grid_.height)
    return false;
  const std::size_t cell = grid_.index(std::size_t(col), std::size_t(row));
  if (!g.valid[cell]) return false;
  value = g.values[cell];
  return true;
}

// ---- sample neighbours ---------------------------------------------------------------------

std::vector<Neighbor> SpatialIndex::nearest(const std::string& layer, std::size_t node,
                                            std::size_t k) const {
  return sampleLayer(layer).nearestOfNode(node, k);
}

std::vector<Neighbor> SpatialIndex::nearestToPoint(const std::string& layer, double x, double y,
                                                   std::size_t k) const {
  const SampleLayer& s = sampleLayer(layer);
  if (!std::isfinite(x) || !std::isfinite(y)) return {};  // no sample is near a NaN point
  const double q[2] = {x, y};
  return s.plan.nearest(q, k, s.size());
}

std::vector<Neighbor> SpatialIndex::nearestToPoint(const std::string& layer, double x, double y,
                                                   double z, std::size_t k) const {
  const SampleLayer& s = sampleLayer(layer);
  if (!std::isfinite(x) || !std::isfinite(y) || (s.full && !std::isfinite(z))) return {};
  const double q[3] = {x, y, z};
  return s.full ? s.full->nearest(q, k, s.size()) : s.plan.nearest(q, k, s.size());
}

std::vector<Neighbor> SpatialIndex::withinRadius(const std::string& layer, std::size_t node,
                                                 double radius) const {
  if (!(radius >= 0.0))
    throw UsageError("search radius must be >= 0 m, got " + std::to_string(radius));
  const SampleLayer& s = sampleLayer(layer);
  s.checkNode(node);
  return s.full ? s.full->withinRadius(s.full->point(node), radius, node)
                : s.plan.withinRadius(s.plan.point(node), radius, node);
}

std::vector<std::size_t> SpatialIndex::nodesInCell(const std::string& layer, long col,
                                                   long row) const {
  const SampleLayer& s = sampleLayer(layer);
  const GridSpec& g = grid();
  if (col < 0 || row < 0 || std::size_t(col) >= g.width || std::size_t(row) >= g.height) {
    throw UsageError("cell (" + std::to_string(col) + ", " + std::to_string(row) +
                     ") is outside the " + std::to_string(g.width) + " x " +
                     std::to_string(g.height) + " grid");
  }
  const double q[2] = {g.centreX(double(col)), g.centreY(double(row))};
  const double r2 = 0.25 * (g.cellWidth() * g.cellWidth() + g.cellHeight() * g.cellHeight());
  std::vector<std::size_t> out;
  for (std::size_t i : s.plan.candidates(q, r2 * 1.001)) {
    long c = 0, r = 0;
    if (g.cellOf(s.plan.point(i)[0], s.plan.point(i)[1], c, r) && c == col && r == row)
      out.push_back(i);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::size_t> SpatialIndex::nodesInVoxel(const std::string& layer,
                                                    const std::string& voxelLayerName, long i,
                                                    long j, long k) const {
  const SampleLayer& s = sampleLayer(layer);
  const VoxelModel& model = voxels(voxelLayerName);
  if (!s.full)
    throw UsageError("sample layer '" + layer + "' has no z, so its nodes are not in voxels");
  const VolumeSpec& v = model.spec();
  if (i < 0 || j < 0 || k < 0 || std::size_t(i) >= v.nx || std::size_t(j) >= v.ny ||
      std::size_t(k) >= v.nz) {
    throw UsageError("voxel (" + std::to_string(i) + ", " + std::to_string(j) + ", " +
                     std::to_string(k) + ") is outside the box of voxel layer '" + voxelLayerName +
                     "'");
  }
  const double q[3] = {v.centreX(std::size_t(i)), v.centreY(std::size_t(j)),
                       v.centreZ(std::size_t(k))};
  const double r2 = 0.25 * (v.spacing[0] * v.spacing[0] + v.spacing[1] * v.spacing[1] +
                            v.spacing[2] * v.spacing[2]);
  std::vector<std::size_t> out;
  for (std::size_t n : s.full->candidates(q, r2 * 1.001)) {
    const double* p = s.full->point(n);
    long a = 0, b = 0, c = 0;
    if (model.worldToVoxel(p[0], p[1], p[2], a, b, c) && a == i && b == j && c == k)
      out.push_back(n);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::size_t> SpatialIndex::nodesInBox(const std::string& layer,
                                                  const Extent& box) const {
  const SampleLayer& s = sampleLayer(layer);
  std::vector<std::size_t> out;
  if (!(box.xmax >= box.xmin) || !(box.ymax >= box.ymin)) return out;
  const double q[2] = {0.5 * (box.xmin + box.xmax), 0.5 * (box.ymin + box.ymax)};
  const double r2 = 0.25 * (box.width() * box.width() + box.height() * box.height());
  for (std::size_t n : s.plan.candidates(q, r2 * 1.001)) {
    if (box.contains(s.plan.point(n)[0], s.plan.point(n)[1])) out.push_back(n);
  }
  std::sort(out.begin(), out.end());
  return out;
}

SampleGraph SpatialIndex::neighbourGraph(const std::string& layer, std::size_t k) const {
  const SampleLayer& s = sampleLayer(layer);
  const std::size_t n = s.size();
  std::vector<std::vector<Neighbor>> knn(n);
  Progress progress("neighbour graph " + layer, n);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 256),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t u = r.begin(); u != r.end(); ++u)
                        knn[u] = s.nearestOfNode(u, k);
                      progress.advance(r.size());
                    });
  progress.finish();
  std::vector<std::tuple<std::size_t, std::size_t, double>> edges;
  for (std::size_t u = 0; u < n; ++u) {
    for (const auto& nb : knn[u])
      edges.emplace_back(std::min(u, nb.index), std::max(u, nb.index), nb.distance);
  }
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end(),
                          [](const auto& a, const auto& b) {
                            return std::get<0>(a) == std::get<0>(b) &&
                                   std::get<1>(a) == std::get<1>(b);
                          }),
              edges.end());
  SampleGraph graph(n);
  for (const auto& e : edges)
    boost::add_edge(std::get<0>(e), std::get<1>(e), std::get<2>(e), graph);
  return graph;
}

// ---- features, windows, patches, tiles ------------------------------------------------------

void SpatialIndex::gridFeatures(double x, double y, std::vector<Feature>& out) const {
  long col = 0, row = 0;
  const bool inGrid = hasGrid_ && grid_.cellOf(x, y, col, row);
  for (const auto& g : grids_) {
    Feature f{LayerKind::Grid2D, g->name, g->name, kNaN, false};
    const std::size_t cell = inGrid ? grid_.index(std::size_t(col), std::size_t(row)) : 0;
    if (inGrid && g->valid[cell]) {
      f.value = g->values[cell];
      f.valid = true;
    }
    out.push_back(std::move(f));
  }
}

std::vector<Feature> SpatialIndex::featuresAt(double x, double y) const {
  std::vector<Feature> out;
  gridFeatures(x, y, out);
  for (const auto& s : samples_) {
    const auto nb = nearestToPoint(s->name, x, y, 1);
    out.push_back(Feature{LayerKind::Samples, s->name, "nearest_distance",
                          nb.empty() ? kNaN : nb[0].distance, !nb.empty()});
  }
  return out;
}

std::vector<Feature> SpatialIndex::featuresAt(double x, double y, double z) const {
  std::vector<Feature> out;
  gridFeatures(x, y, out);
  for (const auto& v : voxels_) {
    long i = 0, j = 0, k = 0;
    const bool inBox = v.model->worldToVoxel(x, y, z, i, j, k);
    for (const auto& name : v.model->channelNames()) {
      Feature f{LayerKind::Voxels, v.name, name, kNaN, false};
      if (inBox && v.model->isActive(name, i, j, k)) {
        f.value = v.model->value(name, i, j, k);
        f.valid = true;
      }
      out.push_back(std::move(f));
    }
  }
  for (const auto& s : samples_) {
    const auto nb = nearestToPoint(s->name, x, y, z, 1);
    out.push_back(Feature{LayerKind::Samples, s->name, "nearest_distance",
                          nb.empty() ? kNaN : nb[0].distance, !nb.empty()});
  }
  return out;
}

std::vector<const SpatialIndex::GridLayer*> SpatialIndex::pickGridLayers(
    const std::vector<std::string>& names) const {
  std::vector<const GridLayer*> out;
  if (names.empty()) {
    for (const auto& g : grids_) out.push_back(g.get());
  } else {
    for (const auto& n : names) out.push_back(&gridLayer(n));
  }
  return out;
}

Window SpatialIndex::window(double x, double y, int k,
                            const std::vector<std::string>& layers) const {
  const GridSpec& g = grid();
  if (!std::isfinite(x) || !std::isfinite(y))
    throw UsageError("window centre is not a finite point");
  return windowAtCell(long(std::floor(g.pixelX(x))), long(std::floor(g.pixelY(y))), k, layers);
}

Window SpatialIndex::windowAtCell(long col, long row, int k,
                                  const std::vector<std::string>& layers) const {
  const GridSpec& g = grid();
  if (k < 1) throw UsageError("window size must be >= 1 cell, got " + std::to_string(k));
  const auto picked = pickGridLayers(layers);
  const std::size_t side = std::size_t(k), area = side * side;
  Window w;
  w.channels = int(picked.size());
  w.size = k;
  w.values.assign(picked.size() * area, 0.0f);
  w.mask.assign(area, 0);
  for (const auto* p : picked) w.names.push_back(p->name);
  const long c0 = windowStart(col, k), r0 = windowStart(row, k);
  for (std::size_t dr = 0; dr < side; ++dr) {
    const long r = r0 + long(dr);
    if (r < 0 || std::size_t(r) >= g.height) continue;
    for (std::size_t dc = 0; dc < side; ++dc) {
      const long c = c0 + long(dc);
      if (c < 0 || std::size_t(c) >= g.width) continue;
      const std::size_t cell = g.index(std::size_t(c), std::size_t(r));
      bool ok = true;
      for (const auto* p : picked) ok = ok && p->valid[cell];
      if (!ok) continue;
      const std::size_t at = dr * side + dc;
      w.mask[at] = 1;
      for (std::size_t ch = 0; ch < picked.size(); ++ch)
        w.values[ch * area + at] = picked[ch]->values[cell];
    }
  }
  return w;
}

Patch SpatialIndex::patch(const std::string& voxelLayerName, long i, long j, long k, int size,
                          const std::vector<std::string>& channels) const {
  const VoxelModel& model = voxels(voxelLayerName);
  if (size < 1) throw UsageError("patch size must be >= 1 voxel, got " + std::to_string(size));
  Patch p;
  p.names = channels.empty() ? model.channelNames() : channels;
  if (p.names.empty()) throw UsageError("voxel layer '" + voxelLayerName + "' has no channel");
  for (const auto& name : p.names) {
    if (!model.hasChannel(name)) {
      throw UsageError("voxel layer '" + voxelLayerName + "' has no channel named '" + name +
                       "' (channels: " + joinNames(model.channelNames()) + ")");
    }
  }
  const std::size_t s = std::size_t(size), volume = s * s * s;
  p.channels = int(p.names.size());
  p.size = size;
  p.values.resize(p.names.size() * volume);
  p.mask.assign(volume, 1);
  std::vector<std::uint8_t> on(volume);
  const long i0 = windowStart(i, size), j0 = windowStart(j, size), k0 = windowStart(k, size);
  for (std::size_t c = 0; c < p.names.size(); ++c) {
    model.copyBox(p.names[c], i0, j0, k0, s, s, s, p.values.data() + c * volume, on.data());
    for (std::size_t n = 0; n < volume; ++n) p.mask[n] = p.mask[n] && on[n];
  }
  for (std::size_t c = 0; c < p.names.size(); ++c) {
    for (std::size_t n = 0; n < volume; ++n) {
      if (!p.mask[n]) p.values[c * volume + n] = 0.0f;
    }
  }
  return p;
}

Patch SpatialIndex::patchAt(const std::string& voxelLayerName, double x, double y, double z,
                            int size, const std::vector<std::string>& channels) const {
  const VolumeSpec& v = voxels(voxelLayerName).spec();
  if (!std::isfinite(x) || !std::isfinite(y) || !std::isfinite(z)) {
    throw UsageError("patch centre is not a finite point");
  }
  long idx[3] = {0, 0, 0};
  const double w[3] = {x, y, z};
  for (int a = 0; a < 3; ++a) idx[a] = long(std::floor((w[a] - v.origin[a]) / v.spacing[a]));
  // Inside the box, defer to worldToVoxel so faces resolve exactly as everywhere else.
  long i = 0, j = 0, k = 0;
  if (voxels(voxelLayerName).worldToVoxel(x, y, z, i, j, k)) {
    idx[0] = i;
    idx[1] = j;
    idx[2] = k;
  }
  return patch(voxelLayerName, idx[0], idx[1], idx[2], size, channels);
}

std::vector<Tile2D> SpatialIndex::tiles2D(std::size_t tileSize, std::size_t halo) const {
  const GridSpec& g = grid();
  if (tileSize == 0) throw UsageError("tile size must be >= 1 cell");
  std::vector<Tile2D> out;
  for (std::size_t r0 = 0; r0 < g.height; r0 += tileSize) {
    for (std::size_t c0 = 0; c0 < g.width; c0 += tileSize) {
      Tile2D t;
      t.core =
          CellRect{c0, r0, std::min(tileSize, g.width - c0), std::min(tileSize, g.height - r0)};
      const std::size_t hc0 = c0 > halo ? c0 - halo : 0, hr0 = r0 > halo ? r0 - halo : 0;
      const std::size_t hc1 = std::min(g.width, c0 + t.core.cols + halo);
      const std::size_t hr1 = std::min(g.height, r0 + t.core.rows + halo);
      t.halo = CellRect{hc0, hr0, hc1 - hc0, hr1 - hr0};
      out.push_back(t);
    }
  }
  return out;
}

std::vector<Tile3D> SpatialIndex::tiles3D(const std::string& voxelLayerName, std::size_t tileSize,
                                          std::size_t halo) const {
  const VoxelModel& model = voxels(voxelLayerName);
  if (tileSize == 0) throw UsageError("tile size must be >= 1 voxel");
  const VolumeSpec& v = model.spec();
  const std::size_t n[3] = {v.nx, v.ny, v.nz};
  std::size_t tiles[3];
  for (int a = 0; a < 3; ++a) tiles[a] = (n[a] + tileSize - 1) / tileSize;
  std::vector<std::uint8_t> occupied(tiles[0] * tiles[1] * tiles[2], 0);
  for (const auto& name : model.channelNames()) {
    model.forEachActive(name, [&](std::size_t i, std::size_t j, std::size_t k, float) {
      occupied[((k / tileSize) * tiles[1] + j / tileSize) * tiles[0] + i / tileSize] = 1;
    });
  }
  std::vector<Tile3D> out;
  for (std::size_t tk = 0; tk < tiles[2]; ++tk) {
    for (std::size_t tj = 0; tj < tiles[1]; ++tj) {
      for (std::size_t ti = 0; ti < tiles[0]; ++ti) {
        if (!occupied[(tk * tiles[1] + tj) * tiles[0] + ti]) continue;
        std::size_t c0[3] = {ti * tileSize, tj * tileSize, tk * tileSize}, len[3], h0[3], hlen[3];
        for (int a = 0; a < 3; ++a) {
          len[a] = std::min(tileSize, n[a] - c0[a]);
          h0[a] = c0[a] > halo ? c0[a] - halo : 0;
          hlen[a] = std::min(n[a], c0[a] + len[a] + halo) - h0[a];
        }
        out.push_back(Tile3D{VoxelRange{c0[0], c0[1], c0[2], len[0], len[1], len[2]},
                             VoxelRange{h0[0], h0[1], h0[2], hlen[0], hlen[1], hlen[2]}});
      }
    }
  }
  return out;
}

// ---- summary -------------------------------------------------------------------------------

IndexSummary SpatialIndex::summary() const {
  IndexSummary s;
  s.crsWkt = crsWkt_;
  s.hasGrid = hasGrid_;
  if (hasGrid_) {
    s.grid = grid_;
    s.grid.mask.clear();
  }
  for (const auto& g : grids_) {
    LayerSummary l;
    l.name = g->name;
    l.kind = LayerKind::Grid2D;
    l.units = g->units;
    l.size = grid_.size();
    l.validCount = g->validCount;
    l.extent = grid_.extent();
    s.layers.push_back(std::move(l));
  }
  for (const auto& p : samples_) {
    LayerSummary l;
    l.name = p->name;
    l.kind = LayerKind::Samples;
    l.size = l.validCount = p->size();
    l.is3D = p->full != nullptr;
    l.extent = p->table.extent();
    s.layers.push_back(std::move(l));
  }
  for (const auto& v : voxels_) {
    LayerSummary l;
    l.name = v.name;
    l.kind = LayerKind::Voxels;
    l.is3D = true;
    l.volume = v.model->spec();
    l.size = l.volume.size();
    l.extent = boxExtent(l.volume);
    l.channels = v.model->channelNames();
    for (const auto& c : l.channels) l.activeVoxels.push_back(v.model->activeVoxelCount(c));
    s.layers.push_back(std::move(l));
  }
  return s;
}

std::string IndexSummary::text() const {
  std::ostringstream o;
  o << "CRS: " << (crsWkt.empty() ? std::string("unknown") : firstLine(crsWkt)) << "\n";
  if (hasGrid) {
    const Extent e = grid.extent();
    o << "2D grid: " << describeGrid(grid) << ", extent [" << e.xmin << ", " << e.ymin << ", "
      << e.xmax << ", " << e.ymax << "]\n";
  }
  o << layers.size() << " layer" << (layers.size() == 1 ? "" : "s") << "\n";
  for (const auto& l : layers) {
    o << "  " << layerKindName(l.kind) << "  " << l.name << ": ";
    switch (l.kind) {
      case LayerKind::Grid2D:
        o << l.validCount << " of " << l.size << " cells with data"
          << (l.units.empty() ? "" : ", " + l.units);
        break;
      case LayerKind::Samples:
        o << l.size << " points (" << (l.is3D ? "3D" : "2D") << ")";
        if (l.size > 0) {
          o << ", extent [" << l.extent.xmin << ", " << l.extent.ymin << ", " << l.extent.xmax
            << ", " << l.extent.ymax << "]";
        }
        break;
      case LayerKind::Voxels: {
        const VolumeSpec& v = l.volume;
        o << v.nx << " x " << v.ny << " x " << v.nz << " voxels of " << v.spacing[0] << " x "
          << v.spacing[1] << " x " << v.spacing[2] << " m from (" << v.origin[0] << ", "
          << v.origin[1] << ", " << v.origin[2] << "); channels:";
        if (l.channels.empty()) o << " none";
        for (std::size_t c = 0; c < l.channels.size(); ++c) {
          o << (c ? ", " : " ") << l.channels[c] << " (" << l.activeVoxels[c] << " active)";
        }
        break;
      }
    }
    o << "\n";
  }
  return o.str();
}

}  // namespace orevox
