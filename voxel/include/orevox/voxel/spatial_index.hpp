#pragma once
/// \file spatial_index.hpp
/// SpatialIndex: the one index over a world frame that joins 2D grid layers, sample point
/// layers (graph nodes) and voxel layers. The graph (ResGNN), raster (SSGSNet windows),
/// volume (DANN-CTA patches) and tiled prediction paths all draw their data through it.

#include <boost/graph/adjacency_list.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "orevox/geomodel/grid.hpp"
#include "orevox/geomodel/idw.hpp"
#include "orevox/geomodel/raster.hpp"
#include "orevox/geomodel/samples.hpp"
#include "orevox/voxel/voxel_model.hpp"

namespace orevox {

/// What a layer of the index holds.
enum class LayerKind {
  Grid2D,   ///< one band of a 2D raster, on the index's GridSpec
  Samples,  ///< sample points (x, y[, z]) that are graph nodes
  Voxels,   ///< a VoxelModel (named channels on its own box)
};

/// "grid", "samples" or "voxels".
const char* layerKindName(LayerKind kind);

/// A neighbouring sample: its row in the layer's SampleTable and its Euclidean distance
/// in metres (3D for layers with z, plan distance otherwise).
struct Neighbor {
  std::size_t index = 0;
  double distance = 0.0;
};

/// Undirected sample-neighbour graph: vertex v = row v of the layer's SampleTable, one
/// edge per k-nearest-neighbour pair, edge_weight = distance in metres.
using SampleGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                          boost::property<boost::edge_weight_t, double>>;

/// One value of the feature vector at a point (see SpatialIndex::featuresAt).
struct Feature {
  LayerKind kind = LayerKind::Grid2D;
  std::string layer;   ///< layer name
  std::string name;    ///< 2D: the layer name; voxels: the channel; samples: "nearest_distance"
  double value = 0.0;  ///< NaN when !valid
  bool valid = false;  ///< false outside the grid / box, at nodata, inactive voxels, empty layers
};

/// A k x k window of 2D layers. `values` is channel-major C x k x k, row 0 = north, col 0 =
/// west. `mask` is k x k, 1 where the cell is inside the grid and holds data in every
/// channel; masked cells hold 0 in every channel.
struct Window {
  int channels = 0;
  int size = 0;
  std::vector<float> values;
  std::vector<std::uint8_t> mask;
  std::vector<std::string> names;  ///< one layer name per channel
};

/// An s x s x s patch of voxel channels. `values` is C x s x s x s with index order
/// (c, k, j, i), i (east) fastest, j increasing north, k increasing up: the N x C x D x H x W
/// layout of a 3D convolution. `mask` is s^3, 1 where the voxel is inside the box and
/// active in every channel; masked voxels hold 0 in every channel.
struct Patch {
  int channels = 0;
  int size = 0;
  std::vector<float> values;
  std::vector<std::uint8_t> mask;
  std::vector<std::string> names;  ///< one channel name per channel
};

/// A rectangle of grid cells: columns [col0, col0 + cols), rows [row0, row0 + rows).
struct CellRect {
  std::size_t col0 = 0, row0 = 0, cols = 0, rows = 0;
};

/// A tile of the 2D grid for streaming prediction: predict on `halo`, keep `core`.
/// The cores of all tiles partition the grid.
struct Tile2D {
  CellRect core;
  CellRect halo;  ///< core grown by the halo width, clipped to the grid
};

/// A box of voxels: [i0, i0 + ni) x [j0, j0 + nj) x [k0, k0 + nk).
struct VoxelRange {
  std::size_t i0 = 0, j0 = 0, k0 = 0, ni = 0, nj = 0, nk = 0;
};

/// A tile of a voxel box for streaming prediction: predict on `halo`, keep `core`.
struct Tile3D {
  VoxelRange core;
  VoxelRange halo;  ///< core grown by the halo width, clipped to the box
};

/// One line of IndexSummary.
struct LayerSummary {
  std::string name;
  LayerKind kind = LayerKind::Grid2D;
  std::string units;                      ///< 2D layers
  std::size_t size = 0;                   ///< cells (2D), points (samples), voxels in the box
  std::size_t validCount = 0;             ///< 2D: cells with data; samples: points
  bool is3D = false;                      ///< samples with z, and voxel layers
  Extent extent;                          ///< plan extent (grid, points' bounds, voxel box)
  VolumeSpec volume;                      ///< voxel layers: the box
  std::vector<std::string> channels;      ///< voxel layers: channel names
  std::vector<std::size_t> activeVoxels;  ///< voxel layers: active voxels per channel
};

/// What the index holds (the CLI `orevox index` prints `text()`).
struct IndexSummary {
  std::string crsWkt;  ///< the index's CRS, empty when unknown
  bool hasGrid = false;
  GridSpec grid;                     ///< the shared 2D grid (without a mask) when hasGrid
  std::vector<LayerSummary> layers;  ///< 2D layers, then sample layers, then voxel layers
  /// Human-readable, one line per layer.
  std::string text() const;
};

/// One index over one world frame (one CRS, coordinates in metres). Layer names are unique
/// across all kinds. Building (add*, drapeToVoxels) needs exclusive access; every const
/// query is thread-safe for concurrent readers.
///
/// Copies are cheap and share the layers' data, which is immutable once added; only
/// drapeToVoxels changes a layer, and it gives the index it is called on its own model
/// whenever another copy still shares it.
class SpatialIndex {
 public:
  // ---- building -------------------------------------------------------------------------

  /// Adds each band of `raster` as a 2D layer named prefix + band name (plain
  /// concatenation: pass "soil_" to get "soil_Au"). All 2D layers share one GridSpec:
  /// DataError naming the layer when the grid differs (size, or geotransform beyond 1e-6 of
  /// a cell), is rotated or not north-up. Cells outside the grid's mask or holding nodata
  /// are masked. DataError on a CRS that differs from the index's; UsageError on a
  /// duplicate layer name. Nothing is added when an error is thrown.
  void addGrid(const Raster& raster, const std::string& prefix = {});
  /// Adds a sample layer: row r of `samples` is node r. Builds a kd-tree on (x, y) and, when
  /// the table has z, one on (x, y, z). Takes the table by value (move it in to avoid a
  /// copy); samples(layer) returns it. DataError on non-finite coordinates or another CRS.
  void addSamples(const std::string& layer, SampleTable samples);
  /// Adds a voxel layer. The index takes ownership of `model` (move it in to avoid a deep
  /// copy); voxels(layer) returns it. Voxel layers may have different boxes (e.g. a source
  /// and a target deposit) but share the index's CRS (DataError otherwise).
  void addVoxels(const std::string& layer, VoxelModel model);
  /// Drapes a 2D layer down the voxel columns: adds `channel` to the voxel layer, active in
  /// every voxel that is active in any existing channel and whose column centre (x, y)
  /// falls on a grid cell with data, with that cell's value; other voxels stay inactive.
  /// Lets surface geochemistry feed 3D models. UsageError if the channel exists.
  /// References from voxels(voxelLayer) taken before may be invalidated.
  void drapeToVoxels(const std::string& gridLayer, const std::string& voxelLayer,
                     const std::string& channel);
  /// Drapes a column of a sample layer down the voxel columns by inverse distance
  /// weighting: each column centre (x, y) gets sum(z_n / d_n^p) / sum(1 / d_n^p) over its
  /// `idw.neighbors` nearest nodes (plan distance, nearestToPoint) within `idw.radius`
  /// (0 = unlimited; a node at distance 0 gives its own value), NaN values skipped; the
  /// channel is active where drapeToVoxels would make it active and the column has a value.
  /// Lets per-sample results (e.g. ResGNN probabilities at graph nodes) feed 3D models.
  /// DataError for an unknown column, UsageError for an existing channel.
  void drapeSamplesToVoxels(const std::string& sampleLayer, const std::string& column,
                            const std::string& voxelLayer, const std::string& channel,
                            const IdwOptions& idw = {});

  // ---- layers ---------------------------------------------------------------------------

  /// The index's CRS (the first non-empty CRS added), empty when unknown.
  const std::string& crsWkt() const;
  bool hasGrid() const;
  /// The shared 2D grid (its mask is the first raster's, its CRS the index's); UsageError
  /// when there is none.
  const GridSpec& grid() const;
  std::vector<std::string> gridLayers() const;
  std::vector<std::string> sampleLayers() const;
  std::vector<std::string> voxelLayers() const;
  const SampleTable& samples(const std::string& layer) const;
  const VoxelModel& voxels(const std::string& layer) const;
  /// Value of a 2D layer at cell (col, row) into `value`; false (value untouched) outside
  /// the grid, at nodata or outside the mask.
  bool gridValue(const std::string& layer, long col, long row, float& value) const;

  // ---- sample neighbours ----------------------------------------------------------------

  /// The k nearest other nodes of `node` (itself excluded), sorted by distance then index.
  /// Distances are 3D for layers with z. Fewer than k when the layer is small.
  std::vector<Neighbor> nearest(const std::string& layer, std::size_t node, std::size_t k) const;
  /// The k nearest nodes of a world point, by plan (x, y) distance even for 3D layers.
  std::vector<Neighbor> nearestToPoint(const std::string& layer, double x, double y,
                                       std::size_t k) const;
  /// The k nearest nodes of a 3D point (3D distance; plan distance for layers without z).
  std::vector<Neighbor> nearestToPoint(const std::string& layer, double x, double y, double z,
                                       std::size_t k) const;
  /// Every other node within `radius` metres of `node` (distance <= radius), sorted by
  /// distance then index. UsageError on a negative radius.
  std::vector<Neighbor> withinRadius(const std::string& layer, std::size_t node,
                                     double radius) const;
  /// Nodes whose (x, y) lie in 2D grid cell (col, row) by GridSpec::cellOf, ascending.
  /// UsageError when there is no grid or the cell is outside it.
  std::vector<std::size_t> nodesInCell(const std::string& layer, long col, long row) const;
  /// Nodes (of a layer with z) inside voxel (i, j, k) of a voxel layer by
  /// VoxelModel::worldToVoxel, ascending. UsageError for a 2D layer or outside the box.
  std::vector<std::size_t> nodesInVoxel(const std::string& layer, const std::string& voxelLayer,
                                        long i, long j, long k) const;
  /// Nodes whose (x, y) lie in the closed rectangle `box` (Extent::contains), ascending.
  std::vector<std::size_t> nodesInBox(const std::string& layer, const Extent& box) const;
  /// k-nearest-neighbour graph of a sample layer: an edge {u, v} when v is among u's k
  /// nearest or u among v's (each pair once), weight = distance in metres. The topology of
  /// the ResGNN `local` graph mode.
  SampleGraph neighbourGraph(const std::string& layer, std::size_t k) const;

  // ---- features, windows, patches, tiles -------------------------------------------------

  /// Every 2D layer's value at the cell holding (x, y), then each sample layer's distance
  /// from (x, y) to its nearest node (plan distance). Voxel layers need z: use the 3D form.
  std::vector<Feature> featuresAt(double x, double y) const;
  /// 2D layers at (x, y), then every channel of every voxel layer at the voxel holding
  /// (x, y, z) (valid when active), then each sample layer's nearest-node distance (3D for
  /// layers with z).
  std::vector<Feature> featuresAt(double x, double y, double z) const;
  /// k x k window of 2D layers (all, in the order added, when `layers` is empty) centred on
  /// the cell holding world point (x, y); the point may lie outside the grid. Even k: the
  /// centre cell is at (row k/2, col k/2), i.e. k/2 cells before it and k/2 - 1 after.
  /// UsageError for k < 1, an unknown layer or no grid.
  Window window(double x, double y, int k, const std::vector<std::string>& layers = {}) const;
  /// The same window centred on cell (col, row), which may lie outside the grid.
  Window windowAtCell(long col, long row, int k, const std::vector<std::string>& layers = {}) const;
  /// size^3 patch of voxel channels (all when empty) centred on voxel (i, j, k), which may
  /// lie outside the box; even sizes centre like windows (size/2 voxels before the centre).
  /// UsageError for size < 1, an unknown channel or a layer without channels.
  Patch patch(const std::string& voxelLayer, long i, long j, long k, int size,
              const std::vector<std::string>& channels = {}) const;
  /// The same patch centred on the voxel holding world point (x, y, z) (the voxel index is
  /// extended beyond the box when the point lies outside it).
  Patch patchAt(const std::string& voxelLayer, double x, double y, double z, int size,
                const std::vector<std::string>& channels = {}) const;
  /// Tiles of tileSize x tileSize cells over the 2D grid, row-major from the north-west
  /// corner (edge tiles smaller); halo cells on each side, clipped to the grid.
  std::vector<Tile2D> tiles2D(std::size_t tileSize, std::size_t halo) const;
  /// Cubic tiles of tileSize voxels over a voxel layer's box (i fastest, then j, then k),
  /// skipping tiles whose core holds no voxel active in any channel.
  std::vector<Tile3D> tiles3D(const std::string& voxelLayer, std::size_t tileSize,
                              std::size_t halo) const;

  /// Layer names, kinds, sizes, extents and counts.
  IndexSummary summary() const;

 private:
  struct GridLayer;    // values + validity flags of one band
  struct SampleLayer;  // the table and its kd-trees
  struct VoxelLayer {
    std::string name;
    std::shared_ptr<VoxelModel> model;  // shared by copies until drapeToVoxels
  };

  const GridLayer& gridLayer(const std::string& name) const;
  const SampleLayer& sampleLayer(const std::string& name) const;
  const VoxelLayer& voxelLayer(const std::string& name) const;
  void checkNewName(const std::string& name) const;
  /// The index CRS after adding a layer with `wkt`; DataError when they differ.
  std::string mergedCrs(const std::string& layer, const std::string& wkt,
                        const std::string& source) const;
  /// Sets the index CRS (and the grid's) when `layer` brings the first one.
  void adoptCrs(const std::string& crs, const std::string& layer);
  std::vector<const GridLayer*> pickGridLayers(const std::vector<std::string>& names) const;
  void gridFeatures(double x, double y, std::vector<Feature>& out) const;
  /// Sets `channel` of voxel layer `voxelLayer` from one value per voxel column (NaN = none):
  /// active in the rock (voxels active in any channel) of the columns with a value.
  void drapeColumns(const std::string& voxelLayer, const std::string& channel,
                    const std::vector<double>& columnValues, const std::string& units);

  std::string crsWkt_;
  std::string crsLayer_;  // the layer that set crsWkt_, for messages
  bool hasGrid_ = false;
  GridSpec grid_;
  std::vector<std::shared_ptr<const GridLayer>> grids_;
  std::vector<std::shared_ptr<const SampleLayer>> samples_;
  std::vector<VoxelLayer> voxels_;
};

}  // namespace orevox
