#include "orevox/datasets/csv_io.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "csv_reader.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "text_file.hpp"

namespace orevox {
namespace detail {
// The tokenizer and cell parser are shared with the other CSV readers (csv_reader.hpp).

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return s.substr(b, e - b);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

/// The delimiter that occurs most often (outside quotes) on the first line; ',' on a tie.
char sniffDelimiter(const std::string& text) {
  std::size_t comma = 0, semicolon = 0, tab = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') break;
    comma += c == ',';
    semicolon += c == ';';
    tab += c == '\t';
  }
  if (semicolon > comma && semicolon >= tab) return ';';
  if (tab > comma && tab > semicolon) return '\t';
  return ',';
}

/// Splits the text into records (RFC 4180 quoting; unquoted fields trimmed).
std::vector<Record> splitRecords(const std::string& text, char delim, const std::string& path) {
  std::vector<Record> records;
  Record current;
  std::string field;
  bool quoted = false;       // inside a quoted field
  bool wasQuoted = false;    // the current field was quoted (keep its spaces)
  bool lineHasText = false;  // the current record has any non-blank character
  long line = 1;
  current.line = 1;
  auto endField = [&]() {
    current.fields.push_back(wasQuoted ? field : trim(field));
    field.clear();
    wasQuoted = false;
  };
  auto endRecord = [&]() {
    endField();
    if (lineHasText) records.push_back(std::move(current));
    current = Record{};
    lineHasText = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && trim(field).empty()) {
      quoted = true;
      wasQuoted = true;
      lineHasText = true;
      field.clear();
    } else if (c == delim) {
      lineHasText = true;
      endField();
    } else if (c == '\n') {
      endRecord();
      ++line;
      current.line = line;
    } else if (c != '\r') {
      if (c != ' ' && c != '\t') lineHasText = true;
      if (!wasQuoted) field += c;  // text after a closing quote is dropped with the spaces
    }
  }
  if (quoted)
    throw DataError("unterminated quoted field",
                    SourceLocation{path, current.line, long(current.fields.size()) + 1, {}, {}});
  endRecord();
  return records;
}

constexpr double kMaxCoordinate = 1e10;
constexpr double kMaxFloatValue = 3.4028234663852886e38;  // FLT_MAX

static bool parseNumber(std::string s, bool decimalComma, double& out) {
  if (decimalComma && s.find(',') != std::string::npos && s.find('.') == std::string::npos) {
    std::replace(s.begin(), s.end(), ',', '.');
  }
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  if (begin != end && *begin == '+') ++begin;
  if (begin == end) return false;
  const auto result = std::from_chars(begin, end, out);
  return result.ec == std::errc() && result.ptr == end && std::isfinite(out);
}

Cell parseCell(const std::string& text, bool decimalComma) {
  Cell cell;
  const std::string s = trim(text);
  const std::string l = lower(s);
  if (s.empty() || l == "na" || l == "n/a" || l == "nan") {
    cell.kind = CellKind::Missing;
    return cell;
  }
  if (s[0] == '<') {
    double dl = 0.0;
    if (parseNumber(trim(s.substr(1)), decimalComma, dl) && dl > 0.0) {
      cell.kind = CellKind::Censored;
      cell.value = dl;
    }
    return cell;
  }
  if (parseNumber(s, decimalComma, cell.value)) cell.kind = CellKind::Number;
  return cell;
}

/// Column index by exact name, else by a unique case-insensitive match; -1 when absent.
long findColumn(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return long(i);
  long found = -1;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (lower(header[i]) == lower(name)) {
      if (found >= 0) return -1;
      found = long(i);
    }
  }
  return found;
}

DelimitedTable readDelimitedTable(const std::string& path) {
  std::string text = readWholeFile(path);
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  const char delim = sniffDelimiter(text);
  DelimitedTable table;
  table.decimalComma = delim == ';';
  table.records = splitRecords(text, delim, path);
  if (table.records.empty()) throw DataError("file is empty", SourceLocation{path, 0, 0, {}, {}});
  return table;
}

void requireHeaderWidth(const Record& record, const std::vector<std::string>& header,
                        const std::string& path) {
  if (record.fields.size() != header.size())
    throw DataError("row has " + std::to_string(record.fields.size()) + " fields, the header has " +
                        std::to_string(header.size()),
                    SourceLocation{path, record.line, 0, {}, {}});
}

std::string formatNumber(double v) {
  if (std::isnan(v)) return {};
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), v);
  return std::string(buffer, result.ptr);
}

SampleTable readSamplesCsv(const std::string& path, const CsvOptions& options,
                           CsvProvenance* provenance) {
  std::string text = readWholeFile(path);
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  const SourceLocation fileOnly{path, 0, 0, {}, {}};
  if (trim(text).find_first_not_of("\r\n") == std::string::npos)
    throw DataError("file is empty", fileOnly);
  const char delim = options.delimiter != 0 ? options.delimiter : sniffDelimiter(text);
  const bool decimalComma = delim == ';';
  std::vector<Record> records = splitRecords(text, delim, path);
  if (records.empty()) throw DataError("file is empty", fileOnly);

  const Record& headerRecord = records.front();
  const std::vector<std::string>& header = headerRecord.fields;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c].empty()) {
      throw DataError("empty column name in the header",
                      SourceLocation{path, headerRecord.line, long(c) + 1, {}, {}});
    }
    for (std::size_t d = 0; d < c; ++d) {
      if (header[d] == header[c]) {
        throw DataError("duplicate column name in the header",
                        SourceLocation{path, headerRecord.line, long(c) + 1, header[c], {}});
      }
    }
  }
  if (records.size() == 1)
    throw DataError("no data rows after the header",
                    SourceLocation{path, headerRecord.line, 0, {}, {}});
  for (std::size_t r = 1; r < records.size(); ++r) {
    if (records[r].fields.size() != header.size()) {
      throw DataError("row has " + std::to_string(records[r].fields.size()) +
                          " fields, the header has " + std::to_string(header.size()),
                      SourceLocation{path, records[r].line, 0, {}, {}});
    }
  }

  auto require = [&](const std::string& name) {
    const long c = findColumn(header, name);
    if (c < 0) {
      throw DataError("missing column (available: " + joinNames(header) + ")",
                      SourceLocation{path, headerRecord.line, 0, name, {}});
    }
    return c;
  };
  const long xCol = require(options.xColumn);
  const long yCol = require(options.yColumn);
  const long zCol = options.zColumn.empty() ? -1 : require(options.zColumn);
  const long idCol =
      options.idColumn.empty() ? findColumn(header, "id") : require(options.idColumn);
  long labelCol =
      options.labelColumn.empty() ? findColumn(header, "label") : require(options.labelColumn);
  if (options.labelColumn.empty() && labelCol >= 0) {
    // An unrequested "label" column that is not all integers is an ordinary column.
    for (std::size_t r = 1; r < records.size() && labelCol >= 0; ++r) {
      const Cell cell = parseCell(records[r].fields[std::size_t(labelCol)], decimalComma);
      if (cell.kind != CellKind::Number || cell.value != std::floor(cell.value)) labelCol = -1;
    }
  }
  auto reserved = [&](long c) {
    return c == xCol || c == yCol || c == zCol || c == idCol || c == labelCol;
  };

  std::vector<long> valueCols;
  if (!options.columns.empty()) {
    for (const auto& name : options.columns) valueCols.push_back(require(name));
  } else {
    for (long c = 0; c < long(header.size()); ++c) {
      if (reserved(c)) continue;
      std::size_t numbers = 0, others = 0;
      for (std::size_t r = 1; r < records.size(); ++r) {
        const CellKind kind = parseCell(records[r].fields[std::size_t(c)], decimalComma).kind;
        numbers += kind == CellKind::Number || kind == CellKind::Censored;
        others += kind == CellKind::Invalid;
      }
      if (numbers > others) valueCols.push_back(c);
    }
  }

  SampleTable table;
  table.source = path;
  const std::size_t rows = records.size() - 1;
  auto where = [&](std::size_t r, long c) {
    return SourceLocation{path, records[r].line, c + 1, header[std::size_t(c)],
                          records[r].fields[std::size_t(c)]};
  };
  auto coordinate = [&](std::size_t r, long c) {
    const Cell cell = parseCell(records[r].fields[std::size_t(c)], decimalComma);
    if (cell.kind == CellKind::Missing) throw DataError("missing coordinate", where(r, c));
    if (cell.kind != CellKind::Number) throw DataError("coordinate is not a number", where(r, c));
    // No coordinate reference system reaches 1e10 (metres, feet or degrees): such a value is
    // a typing or unit error, and would stretch every extent into an ungriddable one.
    if (std::fabs(cell.value) > kMaxCoordinate)
      throw DataError("coordinate beyond +-1e10 (a typing or unit error?)", where(r, c));
    return cell.value;
  };
  table.x.reserve(rows);
  table.y.reserve(rows);
  for (std::size_t r = 1; r <= rows; ++r) {
    table.x.push_back(coordinate(r, xCol));
    table.y.push_back(coordinate(r, yCol));
    if (zCol >= 0) table.z.push_back(coordinate(r, zCol));
    if (idCol >= 0) table.ids.push_back(trim(records[r].fields[std::size_t(idCol)]));
    if (labelCol >= 0) {
      const Cell cell = parseCell(records[r].fields[std::size_t(labelCol)], decimalComma);
      if (cell.kind != CellKind::Number || cell.value != std::floor(cell.value) ||
          std::fabs(cell.value) > 1e9) {
        throw DataError("label must be an integer", where(r, labelCol));
      }
      table.labels.push_back(int(cell.value));
    }
  }
  if (labelCol >= 0) table.labelName = header[std::size_t(labelCol)];

  for (long c : valueCols) {
    SampleColumn column;
    column.name = header[std::size_t(c)];
    column.values.resize(rows, kNaN);
    for (std::size_t r = 1; r <= rows; ++r) {
      const Cell cell = parseCell(records[r].fields[std::size_t(c)], decimalComma);
      switch (cell.kind) {
        case CellKind::Missing:
          break;
        case CellKind::Invalid:
          throw DataError("not a number", where(r, c));
        case CellKind::Censored:
          if (column.censored.empty()) column.censored.assign(rows, 0);
          column.censored[r - 1] = 1;
          column.detectionLimit = std::max(column.detectionLimit, cell.value);
          column.values[r - 1] = cell.value;
          break;
        case CellKind::Number:
          if (std::fabs(cell.value) > kMaxFloatValue)
            throw DataError(
                "value beyond the single-precision range (+-3.4e38) of orevox's grids and volumes",
                where(r, c));
          if (cell.value < 0.0 && !options.allowNegative)
            throw DataError("negative concentration", where(r, c));
          column.values[r - 1] = cell.value;
          break;
      }
    }
    table.columns.push_back(std::move(column));
  }

  if (provenance != nullptr) {
    provenance->lines.clear();
    for (std::size_t r = 1; r <= rows; ++r) provenance->lines.push_back(records[r].line);
    provenance->xColumn = xCol + 1;
    provenance->yColumn = yCol + 1;
    provenance->zColumn = zCol + 1;
  }
  table.validate();
  return table;
}

}  // namespace detail

SampleTable readSamplesCsv(const std::string& path, const CsvOptions& options) {
  return detail::readSamplesCsv(path, options, nullptr);
}

namespace detail {

std::string quoteCsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos &&
      (s.empty() || (s.front() != ' ' && s.back() != ' ')))
    return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace detail

void writeSamplesCsv(const SampleTable& samples, const std::string& path) {
  samples.validate();
  std::vector<std::string> header;
  if (!samples.ids.empty()) header.push_back("id");
  header.push_back("x");
  header.push_back("y");
  if (samples.is3D()) header.push_back("z");
  if (samples.hasLabels())
    header.push_back(samples.labelName.empty() ? "label" : samples.labelName);
  for (const auto& column : samples.columns) header.push_back(column.name);
  for (std::size_t c = 0; c < header.size(); ++c) {
    for (std::size_t d = 0; d < c; ++d) {
      if (header[c] == header[d]) {
        throw DataError("two columns would be named '" + header[c] + "'",
                        SourceLocation{path, 0, 0, {}, {}});
      }
    }
  }
  std::string text;
  for (std::size_t c = 0; c < header.size(); ++c)
    text += (c ? "," : "") + detail::quoteCsvField(header[c]);
  text += '\n';
  for (std::size_t r = 0; r < samples.size(); ++r) {
    if (!samples.ids.empty()) text += detail::quoteCsvField(samples.ids[r]) + ",";
    text += detail::formatNumber(samples.x[r]) + "," + detail::formatNumber(samples.y[r]);
    if (samples.is3D()) text += "," + detail::formatNumber(samples.z[r]);
    if (samples.hasLabels()) text += "," + std::to_string(samples.labels[r]);
    for (const auto& column : samples.columns) {
      text += ',';
      const double v = column.values[r];
      if (column.isCensored(r) && !std::isnan(v)) text += '<';
      text += detail::formatNumber(v);
    }
    text += '\n';
  }
  writeTextFileAtomic(path, text);
}

}  // namespace orevox
