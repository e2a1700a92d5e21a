#pragma once
/// \file csv_io.hpp
/// Sample tables as delimited text: geochemical surveys (x, y[, z], element columns in
/// ppm, censored values written `<DL`) and deposit lists (id, x, y[, label]).

#include <string>
#include <vector>

#include "orevox/geomodel/samples.hpp"

namespace orevox {

/// How to read a sample CSV. Column names match exactly, else case-insensitively when
/// that match is unique.
struct CsvOptions {
  std::string xColumn = "x";  ///< easting (metres in a projected CRS)
  std::string yColumn = "y";  ///< northing
  std::string zColumn;        ///< elevation; empty = 2D samples
  /// Row identifiers; empty = a column named "id" when there is one.
  std::string idColumn;
  /// Integer class labels (e.g. 1 deposit / 0 barren); empty = a column named "label"
  /// when there is one.
  std::string labelColumn;
  /// Value columns to read; empty = every numeric column except x/y/z/id/label. A column
  /// counts as numeric when more of its filled cells are numbers (or `<DL`) than not;
  /// its other cells are then errors. Text columns (e.g. land use) are skipped.
  std::vector<std::string> columns;
  char delimiter = 0;  ///< 0 = sniff ',' ';' or tab from the header line
  /// Accept negative values in value columns (e.g. log-ratios, z-scores); by default a
  /// negative concentration is an error. Coordinates may always be negative.
  bool allowNegative = false;
};

/// Reads a sample table from a delimited file with a header row. Fields may be quoted
/// ("a,b", "" for a quote, line breaks inside quotes); blank lines are skipped; a UTF-8
/// byte-order mark and CRLF line ends are accepted; with ';' as delimiter a decimal comma
/// is accepted. Cell values:
///  - `<0.5` (also `< 0.5`) is below detection: value 0.5, censored flag 1; the column's
///    detectionLimit is the largest limit seen in it;
///  - an empty cell, NA, N/A or NaN is missing and reads as NaN (never in x/y/z/label);
///  - anything else must be a finite number.
/// The CRS is left empty (CSV carries none); units are left empty.
/// Every error is a DataError with one line naming the file, line, column (number and
/// name) and value, e.g. `s.csv:12:4: column 'Au': value '-3': negative concentration`:
/// a missing x/y/z/id/label/selected column (listing the available ones), a non-numeric
/// value, a negative concentration, a row with the wrong number of fields, an empty file,
/// a file with a header but no data rows. IoError when the file cannot be read.
SampleTable readSamplesCsv(const std::string& path, const CsvOptions& options = {});

/// Writes a sample table as comma-separated text: id (when the table has ids), x, y, z
/// (3D), the label column (named labelName, "label" when unnamed), then every value column.
/// Numbers are written in the shortest form that reads back exactly; NaN as an empty cell;
/// censored values as `<DL`. Atomic (temporary file renamed into place).
void writeSamplesCsv(const SampleTable& samples, const std::string& path);

}  // namespace orevox
