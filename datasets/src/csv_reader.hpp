#pragma once
// Private: the CSV sample reader with the source line of every row, for the block-model
// reader's error messages.

#include <string>
#include <vector>

#include "orevox/datasets/csv_io.hpp"

namespace orevox::detail {

/// Where each value of a table came from: source line per row and 1-based column number of
/// x, y and z (0 when absent).
struct CsvProvenance {
  std::vector<long> lines;
  long xColumn = 0, yColumn = 0, zColumn = 0;
};

SampleTable readSamplesCsv(const std::string& path, const CsvOptions& options,
                           CsvProvenance* provenance);

/// `s` as one CSV field: quoted when it holds a comma, a quote, a line break or edge spaces.
std::string quoteCsvField(const std::string& s);

/// Shortest text that reads back as exactly `v` ("" for NaN).
std::string formatNumber(double v);

}  // namespace orevox::detail
