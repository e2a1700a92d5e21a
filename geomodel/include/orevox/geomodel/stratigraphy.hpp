#pragma once
/// \file stratigraphy.hpp
/// The stratigraphic column of a structural model: ordered series, each the level sets of
/// one implicit field (implicit_field.hpp) holding several horizons, and how each series
/// meets the older one (it erodes it, or it onlaps it). From the fields of its series the
/// column gives every point its unit id.
///
/// Conventions (those of LoopStructural and map2loop):
/// - a series' field increases towards younger rocks, so within a series a younger horizon
///   has a larger value;
/// - a horizon is the base of the unit of the same name: unit `h` of a series lies between
///   horizon `h` and the next younger horizon of that series, the youngest unit of a series
///   reaches up to the base of the next younger series;
/// - `Erode`: the series' lowest horizon is an erosion surface of its own field: where the
///   series' field is at or above that value, the older series are cut away;
/// - `Onlap`: the series rests on the top of the next older series: its base is that older
///   series' highest horizon (in the older field); the older series' highest horizon is
///   then a surface only, with no unit above it in the older series, and the younger
///   series' lowest unit fills down to it.
/// Unit ids count up from 1 for the lowest unit of the oldest series; 0 is below the
/// oldest series' lowest horizon.
///
/// Typical flow: readStratigraphicColumn (datasets/stratigraphy_io.hpp) -> one field per
/// series (interpolateFdi) -> unitAt per voxel.

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "orevox/core/options.hpp"
#include "orevox/geomodel/implicit_field.hpp"

namespace orevox {

/// How a series meets the next older one (see the file comment).
enum class SeriesRelation { Erode, Onlap };

/// "erode", "onlap".
const NameTable<SeriesRelation>& seriesRelationNames();

/// One horizon: a level set of its series' field.
struct StratigraphicHorizon {
  std::string name;
  double value = 0.0;  ///< the series' field value of the horizon
  long order = 0;      ///< position in the column, 1 = youngest
  long line = 0;       ///< source line (1-based) for messages; 0 = none
};

/// One series: the horizons of one field.
struct StratigraphicSeries {
  std::string name;
  SeriesRelation relation = SeriesRelation::Erode;
  std::vector<StratigraphicHorizon> horizons;  ///< youngest first (values descending)

  double lowestValue() const { return horizons.back().value; }
  double highestValue() const { return horizons.front().value; }
};

/// A unit of the column: between two horizons of one series.
struct StratigraphicUnit {
  int id = 0;          ///< 1 = the lowest unit of the oldest series, counting up
  std::string name;    ///< the horizon at its base
  std::string series;  ///< its series
  double base = 0.0;   ///< the field value of its base
  double top = std::numeric_limits<double>::infinity();  ///< the next younger horizon's value
};

/// One row of a stratigraphy table (see StratigraphicColumn::build).
struct StratigraphicRow {
  std::string series, horizon;
  double value = std::numeric_limits<double>::quiet_NaN();  ///< NaN: missing
  long order = 0;
  SeriesRelation relation = SeriesRelation::Erode;
  bool relationGiven = false;
  long line = 0;
};

/// The column: series youngest first.
class StratigraphicColumn {
 public:
  StratigraphicColumn() = default;

  /// Builds the column from one row per horizon and checks it; DataError naming `source`,
  /// the row's line and the value for: a horizon without a value, two rows of one order or
  /// of one horizon name, a horizon named like a series, a series whose horizons are not
  /// consecutive in the order, a younger horizon of a series whose value is not above the
  /// older's (contradictory order), rows of one series with different relations.
  static StratigraphicColumn build(std::vector<StratigraphicRow> rows, const std::string& source);

  const std::string& source() const { return source_; }
  const std::vector<StratigraphicSeries>& series() const { return series_; }
  /// Index of the series named `name`, or npos.
  std::size_t findSeries(const std::string& name) const;
  /// The horizon named `name` (and the index of its series), or nullptr.
  const StratigraphicHorizon* findHorizon(const std::string& name,
                                          std::size_t* seriesIndex = nullptr) const;
  /// Every unit, oldest first (id = position + 1).
  const std::vector<StratigraphicUnit>& units() const { return units_; }

  /// The index of the series whose rocks are at a point where series i's field takes
  /// `fieldValues[i]`: the youngest series whose base lies below the point (the oldest
  /// series when none does).
  std::size_t seriesAt(const float* fieldValues) const;
  /// The unit id at a point where series i's field takes `fieldValues[i]` (one value per
  /// series, in series() order); 0 below the lowest horizon of the oldest series.
  int unitAt(const float* fieldValues) const;

 private:
  std::string source_;
  std::vector<StratigraphicSeries> series_;
  std::vector<StratigraphicUnit> units_;
  /// Per series: the horizons' values ascending and the unit id above each (0: none).
  std::vector<std::vector<double>> ascending_;
  std::vector<std::vector<int>> unitAbove_;
};

/// The fields to interpolate: with a column, one feature per series (in series() order,
/// named after the series) gathering the constraints named after the series (their own
/// values) and after its horizons (interface points take the horizon's value, orientations
/// count for the series), then every other feature of `constraints` in its order. Without
/// a column (nullptr) the features as they are. DataError naming the file, the line and
/// the value for an interface point without a value that names no horizon (a table
/// without a val column), for a horizon's point whose val differs from the horizon's
/// value, and, naming the stratigraphy's file and line, for a series without constraints.
std::vector<FeatureConstraints> modelFeatures(const ConstraintSet& constraints,
                                              const StratigraphicColumn* column);

}  // namespace orevox
