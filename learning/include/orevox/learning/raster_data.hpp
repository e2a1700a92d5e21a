#pragma once
/// \file raster_data.hpp
/// The torch-free data side of the raster path (SSGSNet, ssgsnet-east-kunlun-2026): channel
/// stacks (IDW geochemistry + fault ring buffers, or structural evidence for Murchison),
/// per-channel standardisation fitted on the training area only, k x k windows of positives
/// (known deposits) and negatives (sec. 2.4: low-Au k-means clusters far from faults and
/// deposits, or random background), augmentation by the 8 symmetries of the square plus
/// noise, the `paper` / `spatial` window splits with a footprint-overlap checker, centre-cell
/// features for the random-forest baseline, target zones A/B/C from a probability raster and
/// the map metrics (success rate, capture in the top 5/10/20 % of area).
///
/// Typical flow (as in raster_experiment.cpp):
///   stack = geochemStack(samples, faults, grid, opts)          // or structureStack(...)
///   positives = depositCells(grid, known.x, known.y, known.ids)
///   negatives = sampleNegativeCells(stack, positives, n, negOpts)
///   labelled = positives + negatives (concatLabelledCells)
///   split = protocolSplit(Protocol::..., labelled, stack.grid(), k, splitOpts, seed)
///   raw = drawCellWindows(stackIndex(stack.raster), labelled, k)
///   for each fold f:
///     z = StackStandardisation::fit(stack.raster, trainingArea(split, f, stack))
///     w = raw; z.apply(w); [train, test] = foldBatches(split, f, w)
///     (the map to predict: z.applied(stack.raster))
/// Masked cells of a window hold 0, which after standardisation is the training-area mean.

#include <Eigen/Core>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "orevox/core/options.hpp"
#include "orevox/geomodel/compositional.hpp"
#include "orevox/geomodel/distance_field.hpp"
#include "orevox/geomodel/geometry.hpp"
#include "orevox/geomodel/grid.hpp"
#include "orevox/geomodel/idw.hpp"
#include "orevox/geomodel/raster.hpp"
#include "orevox/geomodel/samples.hpp"
#include "orevox/learning/classical.hpp"
#include "orevox/learning/metrics.hpp"
#include "orevox/learning/splits.hpp"
#include "orevox/learning/window_batch.hpp"

namespace orevox {

class SpatialIndex;

// ---- 1. channel stacks -------------------------------------------------------------------

/// How element concentrations are transformed (per sample, BEFORE IDW, so the IDW
/// interpolates the transformed values).
enum class GeochemTransform {
  Log10,  ///< log10 of the concentration (after censored/zero replacement)
  Clr,    ///< centred log-ratio over the chosen elements (Aitchison 1986)
};
/// "log10" or "clr".
const NameTable<GeochemTransform>& geochemTransformNames();
const char* geochemTransformName(GeochemTransform transform);
/// UsageError naming `option` and the value when `text` is neither.
GeochemTransform parseGeochemTransform(const std::string& text,
                                       const std::string& option = "--transform");

/// A channel stack: one band per channel of `raster`, all on one GridSpec, nodata = kNodata
/// (or the raster's nodata). Channel names are the band names.
struct RasterStack {
  Raster raster;
  /// Censored values and zeros replaced before the transform (geochemStack only).
  ReplacementReport replacement;

  const GridSpec& grid() const { return raster.grid(); }
  std::size_t channels() const { return raster.bandCount(); }
  std::vector<std::string> channelNames() const;
  /// 1 for each cell inside grid.mask with data in every channel (row-major).
  std::vector<std::uint8_t> validCells() const;
};

/// Options of geochemStack. IDW defaults are those of the demo (12 neighbours, power 2,
/// 3 km radius).
struct GeochemStackOptions {
  std::vector<std::string> elements;  ///< sample columns to grid, in channel order
  GeochemTransform transform = GeochemTransform::Log10;
  double censoredFactor = kDetectionLimitFactor;  ///< replaceCensored factor (x detection limit)
  double censoredTotal = 1e6;    ///< replaceCensored total (1e6 = values in ppm)
  IdwOptions idw = stackIdw();
  RingBufferOptions rings;    ///< SSGSNet sec. 2.3: 6 rings, 500 .. 3000 m
  bool faultBuffer = true;    ///< add "fault_buffer_level" (ringBufferLevels)
  bool faultDistance = true;  ///< add "fault_distance" (m, distanceToLines)

  /// IdwOptions' defaults (12 neighbours, power 2) within 3 km of a cell centre.
  static IdwOptions stackIdw() {
    IdwOptions o;
    o.radius = 3000.0;
    return o;
  }
};

/// The SSGSNet stack (sec. 2.3): the chosen elements, censored values and zeros replaced
/// explicitly (replaceCensored, reported in `replacement`), transformed per sample (bands
/// "log10_<el>" or "clr_<el>"), gridded by idwGrid; then "fault_buffer_level" (6 rings) and
/// "fault_distance" (m) when enabled. Cells outside grid.mask and without IDW support are
/// nodata. UsageError for no elements; DataError from the geomodel functions (missing
/// column, no fault segment).
RasterStack geochemStack(const SampleTable& samples, const FaultNetwork& faults,
                         const GridSpec& grid, const GeochemStackOptions& options);

/// Options of structureStack (Murchison-like inputs: faults and greenstone belts).
struct StructureStackOptions {
  RingBufferOptions rings;
  bool faultDistance = true;    ///< "fault_distance", m
  bool faultBuffer = true;      ///< "fault_buffer_level", ring levels
  bool greenstoneMask = true;   ///< "greenstone", 1 inside a polygon, 0 outside
  bool contactDistance = true;  ///< "greenstone_contact_distance", m to the nearest ring edge
};

/// Structural evidence channels from a fault network and a set of polygons (e.g.
/// greenstone belts): the distance to and ring-buffer level of the faults, the greenstone
/// mask (rasterizePolygons) and the distance to the greenstone contact, i.e. to the nearest
/// polygon boundary (outer rings and holes; unsigned, the mask gives the side). Cells
/// outside grid.mask are nodata. DataError for no fault segment (when a fault channel is
/// asked for) or no polygon (when a greenstone channel is asked for); UsageError when no
/// channel is enabled.
RasterStack structureStack(const FaultNetwork& faults, const PolygonSet& greenstone,
                           const GridSpec& grid, const StructureStackOptions& options = {});

/// Appends every band of `evidence` as a channel named prefix + band name. Its nodata
/// values become the stack's nodata. DataError naming `source` (the file) and the mismatch
/// (size, geotransform, CRS) when the grid differs from the stack's; UsageError for a
/// duplicate channel name. Nothing is appended when an error is thrown.
void appendChannels(RasterStack& stack, const Raster& evidence, const std::string& source,
                    const std::string& prefix = {});

// ---- 2. standardisation --------------------------------------------------------------------

/// Per-channel z = (v - mean) / sd with mean and population sd over the valid cells of the
/// TRAINING AREA only (cells with data in every channel and trainingArea[cell] != 0), so
/// no statistic of a held-out area reaches the inputs. A channel with sd < 1e-12 gets sd = 1.
/// Plain vectors so the caller can write them to JSON and re-apply them at prediction.
struct StackStandardisation {
  std::vector<std::string> channels;
  std::vector<double> mean, sd;
  std::size_t cells = 0;  ///< training cells the statistics were computed on

  /// Empty `trainingArea` = every cell. UsageError on a size mismatch; DataError when the
  /// training area holds no valid cell.
  static StackStandardisation fit(const Raster& stack,
                                  const std::vector<std::uint8_t>& trainingArea);
  /// Standardises every non-nodata value of every band (whole map); nodata stays nodata.
  /// UsageError when the band names differ from `channels` (names listed).
  void apply(Raster& stack) const;
  /// A standardised copy.
  Raster applied(const Raster& stack) const;
  /// Standardises the unmasked cells of drawn windows in place (masked cells stay 0, i.e.
  /// the training mean). UsageError when the batch's channel names differ from `channels`.
  void apply(WindowBatch& batch) const;
};

/// Cells covered by the k x k footprints of windows centred on `cells` (col, row), grown by
/// `buffer` metres (ceil(buffer / cell size) cells on each side), as a row-major 0/1 mask.
/// The training area of a split is validCells() minus footprintMask(test cells).
std::vector<std::uint8_t> footprintMask(const GridSpec& grid,
                                        const std::vector<std::array<long, 2>>& cells, int k,
                                        double buffer = 0.0);

// ---- 3. windows ---------------------------------------------------------------------------

/// Grid cells with labels: the centres of windows. `ids` name the deposit (or "N<i>" for a
/// negative); empty or one per cell.
struct LabelledCells {
  std::vector<std::array<long, 2>> cells;  ///< (col, row), row 0 = north
  std::vector<int> labels;                 ///< 1 deposit, 0 negative
  std::vector<std::string> ids;
  std::size_t size() const { return cells.size(); }
};

/// Positives: the cell containing each deposit (x[i], y[i]), labelled 1. Deposits outside
/// the grid are skipped (counted in `outside` when given); two deposits in one cell give one
/// window (ids joined with '+'). `ids` may be empty ("D<row>"). UsageError on size mismatch.
LabelledCells depositCells(const GridSpec& grid, const std::vector<double>& x,
                           const std::vector<double>& y, const std::vector<std::string>& ids = {},
                           std::size_t* outside = nullptr);

/// Concatenates a and b (a first).
LabelledCells concatLabelledCells(const LabelledCells& a, const LabelledCells& b);

/// Negative sampling method.
enum class NegativeSampling {
  KMeans,  ///< SSGSNet sec. 2.4: low-Au k-means clusters, far from faults and deposits
  Random,  ///< uniform background cells, far from deposits
};
/// "kmeans" or "random".
const NameTable<NegativeSampling>& negativeSamplingNames();
const char* negativeSamplingName(NegativeSampling method);
/// UsageError naming `option` and the value otherwise.
NegativeSampling parseNegativeSampling(const std::string& text,
                                       const std::string& option = "--negatives");

/// Options of sampleNegativeCells.
struct NegativeOptions {
  NegativeSampling method = NegativeSampling::KMeans;
  /// kmeans: the Au channel of the stack ("clr_Au" for a clr stack).
  std::string auChannel = "log10_Au";
  int clusters = 5;          ///< kmeans: k (the paper's Fig. 5 shows 5 clusters)
  int negativeClusters = 3;  ///< kmeans: the lowest-Au clusters eligible (paper: 1-3 of 5)
  /// kmeans: the fault-distance channel (in the grid's CRS unit); empty = no fault rule.
  std::string faultDistanceChannel = "fault_distance";
  /// kmeans: eligible when farther from a fault, in the grid's CRS unit; 0 = automatic,
  /// kAutoFaultCells cells (1000 m at 100 m cells). See faultDistance().
  double minFaultDistance = 0.0;
  /// Both methods: eligible when farther from every deposit cell centre, in the grid's CRS
  /// unit; 0 = automatic, kAutoDepositCells cells (3000 m at 100 m cells, the figure orevox
  /// used before distances followed the grid; the paper gives none). See depositDistance().
  double minDepositDistance = 0.0;
  static constexpr double kAutoFaultCells = 10.0;
  static constexpr double kAutoDepositCells = 30.0;
  std::size_t kmeansSampleCells = 200000;  ///< kmeans fitted on at most this many valid cells
  std::uint64_t seed = 1;
  std::uint64_t stream = 0;

  /// The distances in use on `grid`: the option when positive, else the automatic multiple
  /// of the cell size (gridLength), so that a map in kilometres gets kilometres.
  double depositDistance(const GridSpec& grid) const;
  double faultDistance(const GridSpec& grid) const;
  /// Declares --min-deposit-distance and --min-fault-distance.
  void declare(OptionSet& set) {
    set.add("min-deposit-distance", minDepositDistance,
            "Drawn negatives lie farther than this from every known deposit (0 = 30 cells)")
        .units("CRS unit")
        .nonNegative();
    set.add("min-fault-distance", minFaultDistance,
            "kmeans negatives lie farther than this from a fault (0 = 10 cells)")
        .units("CRS unit")
        .nonNegative();
  }
};

/// The cell size of `grid` in its CRS unit (the larger of the cell width and height): the
/// scale of the automatic distances of the raster path.
double gridCellSize(const GridSpec& grid);

/// What sampleNegativeCells found.
struct NegativeReport {
  std::size_t eligible = 0;               ///< cells meeting every rule
  std::vector<double> clusterCentres;     ///< kmeans: Au centre of each cluster, ascending
  std::vector<std::size_t> clusterCells;  ///< kmeans: valid cells per cluster (same order)
};

/// `count` negative cells (label 0, ids "N0", "N1", ...) drawn without replacement with
/// makeRng(seed, stream) among the eligible valid cells, in drawing order:
///  - kmeans (SSGSNet sec. 2.4): k-means (geomodel kmeans, `clusters`, seed) of the Au
///    channel over valid cells; clusters ranked by centre; cells of the `negativeClusters`
///    lowest-Au clusters are eligible when farther than minFaultDistance from a fault (by
///    `faultDistanceChannel`) and farther than minDepositDistance from every deposit;
///  - random: every valid cell farther than minDepositDistance from every deposit.
/// Fewer than `count` when fewer cells are eligible (report->eligible says how many).
/// UsageError for an unknown channel or bad k; DataError when no cell is eligible.
LabelledCells sampleNegativeCells(const RasterStack& stack, const LabelledCells& deposits,
                                  std::size_t count, const NegativeOptions& options,
                                  NegativeReport* report = nullptr);

/// A SpatialIndex holding the stack's bands as 2D layers (nodata and grid.mask masked).
SpatialIndex stackIndex(const Raster& stack);

/// World centres of cells (GridSpec::centreX / centreY).
std::vector<std::array<double, 2>> cellCentres(const GridSpec& grid,
                                               const std::vector<std::array<long, 2>>& cells);

/// k x k windows of every 2D layer of `index` centred on `cells` (drawWindows: padded with
/// 0 and masked outside the grid and at nodata), with labels. k even: the centre cell is at
/// (k/2, k/2). UsageError for k < 1 or a size mismatch.
WindowBatch drawCellWindows(const SpatialIndex& index, const LabelledCells& cells, int k);

/// The windows at `rows` (in that order) with their labels and centres.
WindowBatch selectWindows(const WindowBatch& batch, const std::vector<std::size_t>& rows);

/// The 8 symmetries of the square (dihedral group D4) applied in place to window n (values
/// of every channel and mask): op = 0..7, optional mirror col -> k-1-col for op >= 4, then
/// (op % 4) quarter turns counter-clockwise, each (row, col) -> (k-1-col, row) with row 0
/// north. For even k the centre cell (k/2, k/2) moves by one cell under some ops (no cell
/// is the exact centre of an even window). UsageError for a bad op or n.
void transformWindow(WindowBatch& batch, std::size_t n, int op);

/// Options of augmentWindows (SSGSNet sec. 2.5: "copying, rotation, adding random noise").
struct AugmentOptions {
  int copies = 8;         ///< output windows per input window (>= 1)
  double noiseSd = 0.05;  ///< sd of the Gaussian noise (standardised units) on unmasked cells
};

/// Returns `copies` windows per input window, window-major: copy 0 is the window unchanged,
/// copy j >= 1 is transformWindow(op = j % 8) plus N(0, noiseSd) noise on unmasked cells
/// (masked cells stay 0). Labels and centres are copied; `origin` (when given) receives the
/// input row of every output window. Deterministic for (seed, stream) whatever the thread
/// count. Apply to training windows only.
WindowBatch augmentWindows(const WindowBatch& batch, const AugmentOptions& options,
                           std::uint64_t seed, std::uint64_t stream = 0,
                           std::vector<std::size_t>* origin = nullptr);

// ---- 4. protocol splits ---------------------------------------------------------------------

/// True when the k x k footprints of windows centred on cells a and b share a cell, or,
/// for buffer > 0, when the gap between the footprints is below `buffer` metres
/// (Euclidean distance between the two cell rectangles).
bool windowsOverlap(const GridSpec& grid, const std::array<long, 2>& a,
                    const std::array<long, 2>& b, int k, double buffer = 0.0);

/// Pairs (train window, test window) of `fold` whose footprints overlap (windowsOverlap);
/// `cells` are the window centres indexed like the fold; only test windows with label 1
/// when `positivesOnly`. 0 = "no test-deposit window in training".
std::size_t countTrainTestOverlaps(const GridSpec& grid,
                                   const std::vector<std::array<long, 2>>& cells,
                                   const std::vector<int>& labels, const Fold& fold, int k,
                                   double buffer = 0.0, bool positivesOnly = true);

/// How `spatial` folds are formed.
enum class SpatialFolds {
  LeaveOneDepositOut,  ///< fold i tests positive i (negatives dealt round-robin to folds)
  Blocks,              ///< spatialBlockFolds of the window centres (splits.hpp)
};
/// "lodo" or "blocks".
const NameTable<SpatialFolds>& spatialFoldsNames();
const char* spatialFoldsName(SpatialFolds folds);
SpatialFolds parseSpatialFolds(const std::string& text, const std::string& option = "--folds");

/// Options of protocolSplit.
struct WindowSplitOptions {
  double testShare = 0.2;  ///< paper: held-out share (stratified, 80/20)
  AugmentOptions augment;  ///< paper: all windows before the split; spatial:
                           ///< training windows of each fold after it
  SpatialFolds spatialFolds = SpatialFolds::Blocks;
  int folds = 5;  ///< spatial blocks: k
  /// Spatial block side in the grid's CRS unit; 0 = automatic (blockSide).
  double blockSize = 0.0;
  double buffer = 0.0;  ///< CRS unit, spatial: training windows within this gap of a
                        ///< test window's footprint are excluded
  static constexpr double kAutoBlockCells = 100.0;

  /// The block side in use on `grid`: blockSize when positive, else kAutoBlockCells cells
  /// (10 km at 100 m cells, the figure orevox used before) but at most a quarter of the
  /// grid's shorter side, so that a small map still cuts into at least 4 x 4 blocks.
  double blockSide(const GridSpec& grid) const;

  /// Declares --spatial-folds, --folds, --block-size, --buffer and --copies.
  void declare(OptionSet& set) {
    set.add("spatial-folds", spatialFolds, spatialFoldsNames(),
            "Spatial protocol folds: blocks (spatial blocks) or lodo (leave one deposit out)");
    set.add("folds", folds, "Spatial block folds").range(2, 100);
    set.add("block-size", blockSize,
            "Spatial block side (0 = 100 cells, at most a quarter of the shorter side)")
        .units("CRS unit")
        .nonNegative();
    set.add("buffer", buffer,
            "Spatial protocol: training windows within this gap of a test window are dropped")
        .units("CRS unit")
        .nonNegative();
    set.add("copies", augment.copies, "Augmented copies per window (8 symmetries + noise)")
        .range(1, 64);
  }
};

/// The windows of a protocol and its folds (indices only; foldBatches makes the batches).
struct WindowSplit {
  Protocol protocol = Protocol::Spatial;
  int k = 32;  ///< window size
  WindowSplitOptions options;
  std::uint64_t seed = 1;
  std::size_t inputs = 0;             ///< number of input cells (windows drawn by the caller)
  LabelledCells cells;                ///< one entry per window the folds index
  std::vector<std::size_t> origin;    ///< per window: row of the input cells it copies
  std::vector<Fold> folds;            ///< indices into `cells`
  std::vector<std::size_t> excluded;  ///< per fold: training windows dropped by the overlap rule
};

/// Folds of a protocol over labelled window centres:
///  - Paper (leaky by design, for comparability with the paper): every window is augmented
///    first (options.augment.copies copies each, window-major, `origin` = the input row),
///    then ONE stratified random split holds out testShare of the copies (stratifiedKFold
///    with round(1 / testShare) folds, fold 0). Copies of one deposit window land on both
///    sides: countTrainTestOverlaps > 0.
///  - Spatial: folds over the original windows (leave-one-deposit-out, or spatial blocks of
///    blockSize m); then every training window overlapping (or within `buffer` m of) ANY test
///    window of the fold is removed from training (counted in `excluded`). foldBatches
///    augments the training windows only, after the split.
/// UsageError for testShare outside (0, 0.5], k < 1, too few windows or classes for the folds.
WindowSplit protocolSplit(Protocol protocol, const LabelledCells& cells, const GridSpec& grid,
                          int k, const WindowSplitOptions& options, std::uint64_t seed);

/// The training and test batches of fold `fold`. `windows` are the (standardised) windows
/// drawn on the INPUT cells of protocolSplit, in their order (drawCellWindows). Paper: the
/// windows are augmented with augmentWindows(options.augment, seed, stream 0) as the split
/// assumed, then selected. Spatial: test = the fold's test windows unchanged, train =
/// augmentWindows(selected training windows, options.augment, seed, stream 1 + fold).
/// UsageError when `windows` does not match the split's input cells.
std::pair<WindowBatch, WindowBatch> foldBatches(const WindowSplit& split, std::size_t fold,
                                                const WindowBatch& windows);

/// The cells whose values may feed the standardisation statistics of fold `fold`: the
/// stack's valid cells minus, under `spatial`, the footprints (grown by options.buffer) of
/// the fold's test windows; under `paper` the whole valid map (leaky by design).
std::vector<std::uint8_t> trainingArea(const WindowSplit& split, std::size_t fold,
                                       const RasterStack& stack);

/// The fold whose model scores each cell of the out-of-fold map of a `spatial` split (grid
/// order, one entry per cell of `grid`): with spatial blocks the fold of the cell's block (the
/// blocks of spatialBlockFolds over the window centres, anchored at their minimum x and y; a
/// block without a window takes the fold of the nearest block that has one, by block
/// distance, first in row order on a tie), so no cell is scored by a model trained on a
/// window centred in its block; with leave-one-deposit-out the fold that held out the
/// nearest deposit window. Empty for the paper protocol (one leaky split, no map).
std::vector<int> outOfFoldCells(const WindowSplit& split, const GridSpec& grid);

// ---- 5. random-forest baseline --------------------------------------------------------------

/// N x C matrix of each window's centre cell (row k/2, col k/2) values (0 where masked).
Eigen::MatrixXd centreFeatures(const WindowBatch& batch);

/// cells.size() x C matrix of the stack's values at `cells` (NaN at nodata).
Eigen::MatrixXd cellFeatures(const Raster& stack, const std::vector<std::array<long, 2>>& cells);

/// Fits `model` (classical.hpp, e.g. ClassicalModel::RandomForest) on (trainX, trainY) and
/// scores every valid cell of `stack` (data in every band, inside grid.mask) in the same
/// call (fitPredictClassical fits and predicts at once). Returns a one-band raster
/// "probability" on the stack's grid, nodata elsewhere. Memory: valid cells x channels
/// doubles.
Raster scoreStackClassical(ClassicalModel model, const Eigen::MatrixXd& trainX,
                           const std::vector<int>& trainY, const Raster& stack,
                           const ClassicalOptions& options, std::uint64_t seed,
                           std::pair<double, double> classWeights = {1.0, 1.0});

// ---- 6. target zones ------------------------------------------------------------------------

/// How cells are classed A/B/C.
enum class ZoneRule {
  Thresholds,       ///< SSGSNet sec. 3.1: A p >= 0.95, B 0.90 <= p < 0.95, C 0.85 <= p < 0.90
  AreaPercentiles,  ///< A the top 1 % of valid area, B the next to 5 %, C the next to 10 %
};
/// "thresholds" or "percentiles".
const NameTable<ZoneRule>& zoneRuleNames();
const char* zoneRuleName(ZoneRule rule);
ZoneRule parseZoneRule(const std::string& text, const std::string& option = "--zones-by");

/// Options of rasterZones.
struct RasterZoneOptions {
  ZoneRule rule = ZoneRule::Thresholds;
  std::array<double, 3> thresholds{0.95, 0.90, 0.85};  ///< lower bounds of A, B, C (decreasing)
  std::array<double, 3> topShares{0.01, 0.05, 0.10};  ///< cumulative valid-area shares (increasing)
  std::size_t minCells = 1;                           ///< smaller components are dropped
};

/// One zone: a 4-connected component of the cells of one class.
struct RasterZone {
  Polygon polygon;  ///< name "A1", "B2", ...; value 1 = A, 2 = B, 3 = C
  char zoneClass = 'A';
  std::size_t cells = 0;
  double area = 0.0;  ///< m2 (cells x cell area)
  double meanProbability = 0.0;
  double maxProbability = 0.0;
  std::vector<std::string> deposits;  ///< ids of the deposits whose cell is in the zone
};

/// The class thresholds actually used. Percentiles: the probability of the last cell within
/// each share of the valid cells (floor(share x cells), at least one, as captureInTopArea
/// counts); cells tied with it are included, so a class may cover a little more.
std::array<double, 3> zoneThresholds(const Raster& probability, const RasterZoneOptions& options);

/// Zones of band 0 of `probability` (nodata excluded): cells classed A/B/C by
/// zoneThresholds (compared in float, the raster's precision), 4-connected components per class
/// outlined by cellOutlines (holes kept), ordered A, B, C and by decreasing max probability within
/// a class. Deposits (ids may be empty: "D<row>") are listed with the zone holding their cell.
/// UsageError for non-square cells, bad thresholds or shares, size mismatches.
std::vector<RasterZone> rasterZones(const Raster& probability, const RasterZoneOptions& options,
                                    const std::vector<double>& depositX = {},
                                    const std::vector<double>& depositY = {},
                                    const std::vector<std::string>& depositIds = {});

/// The zones' polygons, for writePolygons.
PolygonSet zonePolygons(const std::vector<RasterZone>& zones);
/// The numeric attributes for writePolygons: "class" (1 A, 2 B, 3 C), "cells", "area_m2",
/// "mean_prob", "max_prob", "deposits" (count). Deposit ids do not fit writePolygons'
/// numeric attributes: see zonesCsv.
std::vector<std::pair<std::string, std::vector<double>>> zoneAttributes(
    const std::vector<RasterZone>& zones);
/// The ids of the deposits in each zone joined with ';' (text attribute "deposit_ids").
std::vector<std::pair<std::string, std::vector<std::string>>> zoneDepositIds(
    const std::vector<RasterZone>& zones);
/// CSV text: zone,class,cells,area_m2,mean_prob,max_prob,deposits (ids joined with ';').
std::string zonesCsv(const std::vector<RasterZone>& zones);

// ---- 7. map evaluation ----------------------------------------------------------------------

/// Success-rate (or, with hidden deposits, prediction-rate) figures of a probability map.
struct MapEvaluation {
  SuccessRateCurve curve;
  double captureTop5 = 0, captureTop10 = 0, captureTop20 = 0;  ///< fractions of deposits
  std::size_t deposits = 0;                                    ///< deposits on the grid (evaluated)
  std::size_t outside = 0;  ///< deposits outside the grid (not evaluated)
};

/// Cell scores of band `band` (NaN at nodata and outside grid.mask) for metrics.hpp.
std::vector<double> mapScores(const Raster& probability, std::size_t band = 0);

/// successRateCurve and captureInTopArea at 5/10/20 % of the valid area (nodata excluded)
/// for deposits at (x, y); deposits outside the grid are counted in `outside` only; a
/// deposit on a nodata cell counts as never captured. DataError when no deposit is on the
/// grid.
MapEvaluation evaluateMap(const Raster& probability, const std::vector<double>& x,
                          const std::vector<double>& y, std::size_t band = 0);

}  // namespace orevox
