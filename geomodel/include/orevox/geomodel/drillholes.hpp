#pragma once
/// \file drillholes.hpp
/// Drillhole databases: collars, downhole surveys and interval tables (assays, logged
/// geology), their validation, desurvey (minimum curvature or tangent) and compositing.
///
/// The typical flow (datasets/drillhole_io.hpp reads the CSV files and writes the results):
///   1. CollarTable, SurveyTable and IntervalTables as read, each row with its source line;
///   2. buildDrillholeDatabase: every check of docs/drillholes.md; an error throws a
///      DataError naming file, line, column and value, a warning becomes a ValidationRow;
///   3. mergeIntervalTables: one interval set per hole with every field (split at the
///      union of the tables' boundaries), then optionally compositeIntervals;
///   4. HoleTrajectory (one per hole) gives the position at any depth along the hole;
///      desurveyIntervals gives x, y, z at each interval's from, middle and to, and
///      drillholeTraces the 3D polylines for display.
/// Depths are along the hole, in the file's length unit (m or ft); coordinates stay in the
/// collar file's unit and CRS. Azimuths are degrees clockwise from grid north (+y), dips
/// degrees from the horizontal, stored positive downward once the file's convention is
/// known. Everything is double precision: projected coordinates in feet or metres lose
/// whole units in float32.

#include <Eigen/Core>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "orevox/core/error.hpp"
#include "orevox/core/options.hpp"

namespace orevox {

/// Unit of downhole depths and (by assumption) of the collar coordinates. Reported and
/// carried into outputs; nothing is converted.
enum class LengthUnit { Metre, Foot };
/// "m", "ft".
const NameTable<LengthUnit>& lengthUnitNames();

/// Sign convention of the survey file's dip column.
enum class DipConvention {
  Auto,          ///< decided per file by the majority sign of its non-zero dips
  DownNegative,  ///< -90 = vertically down (most mining software)
  DownPositive   ///< +90 = vertically down (e.g. Babbitt, Thalanga)
};
/// "auto", "down-negative", "down-positive".
const NameTable<DipConvention>& dipConventionNames();

/// How positions between survey stations are computed.
enum class DesurveyMethod {
  MinimumCurvature,  ///< circular arc between stations (direction by slerp)
  Tangent            ///< straight along the upper station's direction down to the next
};
/// "minimum-curvature", "tangent".
const NameTable<DesurveyMethod>& desurveyMethodNames();

/// What happens to the last piece of a compositing run shorter than the composite length.
enum class ResidualRule {
  Drop,  ///< not written (its length is reported)
  Keep,  ///< written as a short composite
  Merge  ///< added to the run's previous composite (kept alone when the run has none)
};
/// "drop", "keep", "merge".
const NameTable<ResidualRule>& residualRuleNames();

constexpr double kNotAssayed = std::numeric_limits<double>::quiet_NaN();

/// One field of an interval table: a numeric assay (value per row, NaN = not assayed,
/// below-detection rows flagged with the detection limit as value) or a categorical log
/// (a code per row into `categories`, -1 = not logged).
struct IntervalField {
  std::string name;
  bool categorical = false;
  long column = 0;  ///< 1-based column in the source file, 0 = made by orevox
  // numeric
  std::vector<double> values;
  std::vector<std::uint8_t> belowDetection;  ///< empty = none; else 1 = value is a detection limit
  // categorical
  std::vector<std::int32_t> codes;
  std::vector<std::string> categories;

  std::size_t size() const { return categorical ? codes.size() : values.size(); }
  bool isBelowDetection(std::size_t row) const {
    return !belowDetection.empty() && belowDetection[row] != 0;
  }
  bool isMissing(std::size_t row) const {
    return categorical ? codes[row] < 0 : values[row] != values[row];
  }
  /// The category text of `row` ("" when not logged); numeric fields: "".
  const std::string& category(std::size_t row) const;
  /// Appends row `row` of `other` (a field of the same kind), remapping categories by name.
  void appendFrom(const IntervalField& other, std::size_t row);
  /// Code of `name`, added when new.
  std::int32_t codeOf(const std::string& name);
  /// An empty field with the same name, kind and column.
  IntervalField emptyLike() const;
};

/// Rows of an interval file (or intervals derived from them). After buildDrillholeDatabase
/// the rows are sorted by hole (in collar order), then by depth; `hole` then holds the
/// index of the hole in DrillholeDatabase::holes.
struct IntervalTable {
  std::string file;  ///< source path (for messages)
  std::string name;  ///< short name (the file stem)
  std::vector<std::string> holeIds;
  std::vector<std::size_t> hole;  ///< index into DrillholeDatabase::holes (validated tables)
  std::vector<double> from, to;   ///< depths along the hole
  std::vector<long> lines;        ///< source line of each row, 0 = made by orevox
  std::vector<IntervalField> fields;
  long holeColumn = 0, fromColumn = 0, toColumn = 0;  ///< 1-based source columns
  std::string holeName, fromName, toName;             ///< the columns' names

  std::size_t size() const { return from.size(); }
  long fieldIndex(const std::string& name) const;
};

/// The collar file as read: one row per line (NaN for a blank number).
struct CollarTable {
  std::string file;
  std::vector<std::string> holeIds;
  std::vector<double> x, y, z;
  std::vector<double> depth;  ///< total depth; NaN when blank or when there is no such column
  std::vector<long> lines;
  long holeColumn = 0, xColumn = 0, yColumn = 0, zColumn = 0, depthColumn = 0;
  std::string holeName, xName, yName, zName, depthName;  ///< the columns' names
  std::size_t size() const { return holeIds.size(); }
};

/// The survey file as read (NaN for a blank number); dips in the file's own convention.
struct SurveyTable {
  std::string file;
  std::vector<std::string> holeIds;
  std::vector<double> depth, azimuth, dip;
  std::vector<long> lines;
  long holeColumn = 0, depthColumn = 0, azimuthColumn = 0, dipColumn = 0;
  std::string holeName, depthName, azimuthName, dipName;
  std::size_t size() const { return holeIds.size(); }
};

/// One survey station: depth along the hole, azimuth (degrees clockwise from +y, in
/// [0, 360)), dip (degrees from horizontal, positive DOWN: 90 = vertically down,
/// negative = an up-hole).
struct SurveyStation {
  double depth = 0.0, azimuth = 0.0, dip = 90.0;
  long line = 0;  ///< source line, 0 = assumed (hole without survey)
};

/// A validated hole.
struct Drillhole {
  std::string id;
  double x = 0.0, y = 0.0, z = 0.0;  ///< collar
  /// Total depth: the collar's, extended to the deepest interval; without a collar depth the
  /// deepest interval end, else the deepest survey station; NaN when none of them exists.
  double depth = kNotAssayed;
  double collarDepth = kNotAssayed;     ///< as given in the collar file (NaN = none)
  std::vector<SurveyStation> stations;  ///< sorted by depth, never empty
  bool surveyed = false;                ///< false = no survey rows: vertical down assumed
  long line = 0;                        ///< collar line
};

/// One anomaly found by validation, kept or fixed (written to validation.csv). Errors are
/// not rows: they throw.
struct ValidationRow {
  std::string file;
  long line = 0;       ///< first affected line, 0 = whole file
  std::string column;  ///< column name, "" when not one column
  std::string hole;
  std::string check;        ///< e.g. "survey_beyond_depth" (docs/drillholes.md lists them)
  std::string value;        ///< the offending value(s), verbatim where possible
  std::string action;       ///< what was done: "row skipped", "kept", ...
  std::size_t rows = 1;     ///< input rows concerned
  std::size_t skipped = 0;  ///< of which removed from the data
};

/// What validation found: the warning rows and, per input file, the row counts.
struct ValidationLog {
  struct FileCount {
    std::string file, role;  ///< role: "collars", "surveys", "intervals"
    std::size_t read = 0, kept = 0, skipped = 0;
  };
  std::vector<ValidationRow> rows;
  std::vector<FileCount> files;
  /// The survey file's dip convention as decided, and the signs counted for it.
  DipConvention dipConvention = DipConvention::Auto;
  bool dipDecidedByMajority = false;
  std::size_t positiveDips = 0, negativeDips = 0, zeroDips = 0;

  /// With `strict`, warn() throws for a warning that removes or changes data.
  bool strict = false;

  /// Records a warning at `where` (file, line, column number and name, value). `check` is
  /// the check's id, `action` what was done; `changesData`: it removes rows or changes
  /// values, which `strict` makes a DataError naming the same place. `value` replaces
  /// where.value in the row when given.
  void warn(const SourceLocation& where, const std::string& hole, const std::string& check,
            const std::string& action, bool changesData, std::size_t rows = 1,
            std::size_t skipped = 0, const std::string& value = {});
  /// Sum of `rows` per check.
  std::map<std::string, std::size_t> rowsByCheck() const;
  /// Sum of `skipped` per check.
  std::map<std::string, std::size_t> skippedByCheck() const;
};

/// Checks and conventions of buildDrillholeDatabase.
struct DrillholeValidationOptions {
  DipConvention dip = DipConvention::Auto;
  /// Negative numbers in numeric interval fields are below-detection values at |v| (the
  /// legacy "-0.01 = <0.01" coding). Without it they are kept as they are, with a warning.
  bool negativeAsBelowDetection = false;
  /// Every warning that removes or changes data becomes an error (exit 1).
  bool strict = false;
  /// A change of direction between consecutive survey stations larger than this gets a
  /// "dogleg" warning (the stations are kept).
  double doglegWarning = 20.0;

  void declare(OptionSet& set);
};

/// A validated database: holes in collar-file order, each interval table sorted.
struct DrillholeDatabase {
  std::vector<Drillhole> holes;
  std::vector<IntervalTable> tables;
  LengthUnit unit = LengthUnit::Metre;
  std::string crsWkt;  ///< CRS of the collar coordinates ("" = unknown)

  std::map<std::string, std::size_t> holeById;  ///< id -> index into holes

  /// Index of hole `id`, -1 when absent.
  long holeIndex(const std::string& id) const;
};

/// Validates and assembles the database (checks and their outcome in docs/drillholes.md);
/// sets log.strict from `options`.
/// Errors (DataError with file, line, column, value; exit 1): a duplicate collar with other
/// coordinates, a dip outside [-90, 90], an undecidable dip convention, no usable collar;
/// and with `strict`, every warning that removes or changes data. Warnings go to `log`.
DrillholeDatabase buildDrillholeDatabase(const CollarTable& collars, const SurveyTable* surveys,
                                         const std::vector<IntervalTable>& intervals,
                                         const DrillholeValidationOptions& options,
                                         ValidationLog& log);

/// Unit vector of a hole direction: azimuth degrees clockwise from +y, dip degrees positive
/// down: (sin az cos dip, cos az cos dip, -sin dip).
Eigen::Vector3d holeDirection(double azimuthDeg, double dipDownDeg);

/// The path of one hole: position and direction at any depth. Between two stations the
/// minimum-curvature path is the circular arc whose direction is the spherical linear
/// interpolation (slerp) of the stations' directions, in closed form:
///   p(m1 + t L) = p1 + L [2 sin((2-t)b/2) sin(tb/2) d1 + 2 sin^2(tb/2) d2] / (b sin b),
/// b the dogleg angle, L the station spacing (written without cancellation; the series
/// p1 + L [(t - t^2/2) d1 + t^2/2 d2] for b < 1e-7). Above the first station the hole runs
/// straight from the collar along the first station's direction, beyond the last straight
/// on along the last's. Tangent: each stretch runs along its upper station's direction.
/// Stations 180 degrees apart (no unique arc) are joined like the tangent method.
class HoleTrajectory {
 public:
  HoleTrajectory() = default;
  HoleTrajectory(const Drillhole& hole, DesurveyMethod method);
  /// World position at `depth` (>= 0; negative depths extend above the collar).
  Eigen::Vector3d position(double depth) const;
  /// Unit direction at `depth`.
  Eigen::Vector3d direction(double depth) const;
  /// Points along the hole from `from` to `to`: both ends and every station in between.
  std::vector<Eigen::Vector3d> path(double from, double to) const;
  const std::vector<double>& stationDepths() const { return md_; }

 private:
  std::size_t segment(double depth) const;  // index i with md_[i] <= depth < md_[i + 1]
  DesurveyMethod method_ = DesurveyMethod::MinimumCurvature;
  std::vector<double> md_;            // station depths, md_[0] = 0 (the collar)
  std::vector<Eigen::Vector3d> dir_;  // unit direction at each station
  std::vector<Eigen::Vector3d> pos_;  // position at each station
  std::vector<double> angle_;         // dogleg angle of segment i (radians)
};

/// One trajectory per hole, built in parallel (TBB).
std::vector<HoleTrajectory> desurveyHoles(const DrillholeDatabase& db, DesurveyMethod method);

/// Positions at the interval ends and middle, one row per row of `table`.
struct DesurveyedIntervals {
  std::vector<Eigen::Vector3d> from, middle, to;
};
/// Positions of every row of `table` (a table of `db`, or one merged / composited from
/// them), computed in parallel.
DesurveyedIntervals desurveyIntervals(const std::vector<HoleTrajectory>& trajectories,
                                      const IntervalTable& table);

/// 3D polylines of intervals for display: cell i is row i of the interval table, from its
/// from to its to through every survey station in between.
struct DrillholeTraces {
  std::string crsWkt;
  LengthUnit unit = LengthUnit::Metre;
  std::vector<std::string> holeIds;  ///< all holes of the database
  std::vector<std::size_t> hole;     ///< per trace: index into holeIds
  std::vector<double> from, to;      ///< per trace
  std::vector<std::array<double, 3>> points;
  std::vector<std::size_t> offsets;   ///< trace i = points[offsets[i] .. offsets[i + 1])
  std::vector<IntervalField> fields;  ///< one value per trace

  std::size_t size() const { return hole.size(); }
  long fieldIndex(const std::string& name) const;
};
DrillholeTraces drillholeTraces(const DrillholeDatabase& db,
                                const std::vector<HoleTrajectory>& trajectories,
                                const IntervalTable& table);

/// Every table of `db` on one set of intervals per hole: the union of the tables'
/// boundaries splits them, each piece carries every table's fields (a table without an
/// interval there: not assayed / not logged). Values of a split interval are copied to
/// its pieces (grades are intensive). Field names that repeat across tables, or that are
/// output columns (hole, from, to, x, y, z, x_from, ...), are prefixed "<table name>_"
/// (returned in `renamed` as old -> new for the log). With one table this is a copy.
IntervalTable mergeIntervalTables(
    const DrillholeDatabase& db,
    std::vector<std::pair<std::string, std::string>>* renamed = nullptr);

/// Compositing to a fixed downhole length.
struct CompositeOptions {
  double length = 0.0;  ///< composite length (file unit); 0 = no compositing
  ResidualRule residual = ResidualRule::Merge;
  /// Break the composites at every change of this field (a domain or lithology code);
  /// empty = one run from each hole's first interval to its last.
  std::string domain;
  /// A numeric composite is left not assayed when its assayed length is below this share of
  /// the composite's length.
  double minCoverage = 0.5;
  /// Below-detection parts count as this fraction of their detection limit.
  double belowDetectionFactor = 0.5;

  void declare(OptionSet& set);
};

/// What compositing did (lengths in the file unit).
struct CompositeSummary {
  struct Field {
    std::string name;
    double assayedLength = 0.0;         ///< composited length with a value
    double belowDetectionLength = 0.0;  ///< of which below detection
    double notAssayedLength = 0.0;      ///< inside composites, without a value (excluded)
    std::size_t blankComposites = 0;    ///< written composites without a value for this field
  };
  std::size_t composites = 0, runs = 0;
  std::size_t residualsDropped = 0, residualsKept = 0, residualsMerged = 0;
  double droppedLength = 0.0;  ///< length of the dropped residuals
  /// Composites not written: over no interval at all, or without any value.
  std::size_t emptyComposites = 0;
  std::vector<Field> fields;
};

/// Composites of `merged` (one table with every field, e.g. from mergeIntervalTables):
/// per hole (per domain run when `domain` is set) from the first interval's top, pieces of
/// `length`; numeric fields get the length-weighted mean of their assayed parts (below
/// detection at belowDetectionFactor x DL; all parts below detection: below detection at
/// the largest limit), categorical fields the category with the longest total length
/// (ties: the one met first downhole). Not-assayed parts and gaps between intervals are
/// excluded from the means and reported. Composites without any value (over no interval, or
/// every field not assayed / not logged) are not written, only counted. UsageError for a length <=
/// 0, an unknown domain field, minCoverage outside [0, 1].
IntervalTable compositeIntervals(const IntervalTable& merged, const CompositeOptions& options,
                                 CompositeSummary* summary = nullptr);

}  // namespace orevox
