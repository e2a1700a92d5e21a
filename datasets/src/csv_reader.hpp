#pragma once
// Private: the CSV tokenizer and cell parser shared by orevox::datasets' CSV readers, and the
// sample reader with the source line of every row, for the block-model reader's messages.

#include <limits>
#include <string>
#include <vector>

#include "orevox/datasets/csv_io.hpp"

namespace orevox::detail {

/// One record of a delimited file: its fields and the 1-based line where it starts.
struct Record {
  long line = 0;
  std::vector<std::string> fields;
};

/// The delimiter that occurs most often (outside quotes) on the first line; ',' on a tie.
char sniffDelimiter(const std::string& text);
/// Splits the text into records (RFC 4180 quoting; unquoted fields trimmed; blank lines
/// skipped); DataError naming `path` for an unterminated quote.
std::vector<Record> splitRecords(const std::string& text, char delim, const std::string& path);

/// How a cell reads as a number: empty / NA / N/A / NaN, a finite number, `<DL` (below
/// detection, value = DL > 0), or anything else.
enum class CellKind { Missing, Number, Censored, Invalid };
struct Cell {
  CellKind kind = CellKind::Invalid;
  double value = std::numeric_limits<double>::quiet_NaN();
};
/// With `decimalComma`, "1,5" reads as 1.5 (';'-delimited files).
Cell parseCell(const std::string& text, bool decimalComma);
/// A delimited file read whole (a UTF-8 byte-order mark dropped, the delimiter sniffed):
/// its records, the header first, and whether numbers use a decimal comma (';'-delimited).
/// DataError "file is empty" naming `path` when it holds no record.
struct DelimitedTable {
  std::vector<Record> records;
  bool decimalComma = false;
};
DelimitedTable readDelimitedTable(const std::string& path);

/// DataError "row has N fields, the header has M" at `record`'s line of `path` when the
/// record's width differs from the header's.
void requireHeaderWidth(const Record& record, const std::vector<std::string>& header,
                        const std::string& path);
/// Column index by exact name, else by a unique case-insensitive match; -1 when absent.
long findColumn(const std::vector<std::string>& header, const std::string& name);
/// `s` without leading and trailing spaces, tabs and carriage returns.
std::string trim(const std::string& s);
std::string lower(std::string s);

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
