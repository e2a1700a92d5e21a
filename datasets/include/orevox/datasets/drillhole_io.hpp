#pragma once
/// \file drillhole_io.hpp
/// Drillhole databases from CSV exports (collar, survey and any number of interval files),
/// the desurvey run behind `orevox drillholes desurvey`, and the CSV writers of its outputs.
///
/// Typical use: fill a DrillholeDesurveyJob (its declare() gives the command's options) and
/// call runDrillholeDesurvey, which reads, validates, merges, optionally composites,
/// desurveys and writes DIR/intervals.csv, DIR/traces.vtp, DIR/validation.csv (and
/// DIR/traces.gpkg) together: a failed run writes nothing and leaves an existing folder's
/// files as they were. The readers and writers are also usable on their own.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "orevox/core/options.hpp"
#include "orevox/geomodel/drillholes.hpp"
#include "orevox/geomodel/drillholes_synth.hpp"

namespace orevox {

struct Dataset;

/// Column names of the drillhole files. An empty name = recognised by its common spellings,
/// compared case-insensitively and ignoring spaces, '_', '-' and '.' ("Drillhole ID" =
/// DRILLHOLE_ID = drillholeid): docs/drillholes.md lists them. A name given here matches
/// exactly, else case-insensitively when that match is unique.
struct DrillholeColumns {
  std::string collarHole, collarX, collarY, collarZ, collarDepth;
  std::string surveyHole, surveyDepth, surveyAzimuth, surveyDip;
  std::string intervalHole, intervalFrom, intervalTo;
  /// Interval columns read as numbers / as categories whatever they hold (a column is
  /// numeric by default when more of its filled cells are numbers than not).
  std::vector<std::string> numeric, categorical;
  /// Interval columns not read at all (free-text comments, ...).
  std::vector<std::string> skip;

  void declare(OptionSet& set);
};

/// Reads a collar file: hole id, x, y, z and, when there is such a column, the total depth.
/// Blank numbers read as NaN (buildDrillholeDatabase reports them); any other text in a
/// number column is a DataError naming file, line, column and value. A UTF-8 byte-order
/// mark, quoted fields, CRLF line ends and ',' ';' or tab delimiters are accepted (the
/// datasets CSV tokenizer). DataError for a missing or ambiguous column (listing the
/// available ones and the option that names it), an empty file, a row with the wrong
/// number of fields.
CollarTable readCollarCsv(const std::string& path, const DrillholeColumns& columns = {});

/// Reads a survey file: hole id, depth, azimuth, dip (dips as in the file). Same rules.
SurveyTable readSurveyCsv(const std::string& path, const DrillholeColumns& columns = {});

/// Reads an interval file: hole id, from, to, then every other column as a field. Numeric
/// fields: blank / NA / N/A / NaN = not assayed (NaN, never zero), `<DL` = below detection
/// at DL, text in a numeric column = not assayed with a "non_numeric_value" warning per
/// column, negative values: below detection at |v| with `negativeAsBelowDetection` (logged
/// as "negative_as_bdl"), else kept with a "negative_value" warning. Categorical fields:
/// trimmed text, blank = not logged. From / to: as collar numbers. The table's name is the
/// file stem.
IntervalTable readIntervalCsv(const std::string& path, const DrillholeColumns& columns,
                              const DrillholeValidationOptions& options, ValidationLog& log);

/// Writes the desurveyed intervals: hole, from, to, x, y, z (the interval's middle),
/// x_from, y_from, z_from, x_to, y_to, z_to, then every field in order. Numbers in the
/// shortest form that reads back exactly, not assayed as an empty cell, below detection as
/// `<DL`, categories as text (quoted where needed). Atomic.
void writeIntervalsCsv(const IntervalTable& table, const DesurveyedIntervals& positions,
                       const std::string& path);

/// Writes the validation rows: file, line, column, hole, check, value, action, rows,
/// skipped. Atomic.
void writeValidationCsv(const ValidationLog& log, const std::string& path);

/// Writes the three tables as CSV files (collars HOLEID,X,Y,Z,DEPTH; surveys
/// HOLEID,AT,AZ,DIP; intervals HOLEID,FROM,TO,<fields>). Atomic, each file.
void writeDrillholeCsvs(const CollarTable& collars, const SurveyTable& surveys,
                        const IntervalTable& intervals, const std::string& collarPath,
                        const std::string& surveyPath, const std::string& intervalPath);

/// `orevox drillholes desurvey` as one library call.
struct DrillholeDesurveyJob {
  std::string collars, surveys, out, crs;
  std::vector<std::string> intervals;
  LengthUnit unit = LengthUnit::Metre;
  DesurveyMethod method = DesurveyMethod::MinimumCurvature;
  bool gpkg = false;  ///< also DIR/traces.gpkg (LineStringZ)
  DrillholeColumns columns;
  DrillholeValidationOptions validation;
  CompositeOptions composite;

  void declare(OptionSet& set);
};

/// What a run read, kept, fixed and wrote.
struct DrillholeDesurveyResult {
  ValidationLog log;
  std::string crsWkt;
  std::size_t holes = 0, holesWithIntervals = 0, holesWithoutSurvey = 0;
  std::size_t mergedIntervals = 0;  ///< intervals after merging the tables
  std::size_t outputIntervals = 0;  ///< rows of intervals.csv (composites when compositing)
  std::vector<std::pair<std::string, std::string>> renamedFields;
  std::vector<std::string> numericFields, categoricalFields;
  bool composited = false;
  CompositeSummary composite;
  std::vector<std::pair<std::string, double>> seconds;  ///< step -> wall time
  std::vector<std::string> outputs;

  /// The report's "results": counts per file and check, dip decision, composite summary.
  nlohmann::json toJson() const;
  /// A few lines for the terminal: rows read / kept / skipped and why, per file.
  std::string summaryText() const;
};

/// Reads, validates, merges, composites (when job.composite.length > 0), desurveys and
/// writes DIR/intervals.csv, DIR/traces.vtp, DIR/validation.csv (and DIR/traces.gpkg): all
/// written under temporary names inside DIR, then renamed into place together (OutputBatch), so a
/// failure leaves no partial output and never replaces an existing good file; DIR is
/// created when missing (and removed again when the run fails). UsageError for bad
/// options (e.g. a --numeric column no file has), DataError / IoError for the data.
DrillholeDesurveyResult runDrillholeDesurvey(const DrillholeDesurveyJob& job);

/// Drills `options.holes` holes into each volume of a synth3d dataset ("source", "target")
/// and writes <folder>/<volume>_collars.csv, _surveys.csv and _intervals.csv (see
/// synth3dDrillholes). Returns the number of holes and intervals written per volume.
std::vector<std::pair<std::string, std::pair<std::size_t, std::size_t>>> writeSynth3dDrillholes(
    const Dataset& dataset, const SynthDrillholeOptions& options, const std::string& folder);

}  // namespace orevox
