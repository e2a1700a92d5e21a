// Drillhole CSV readers and writers, and the desurvey run (orevox drillholes desurvey).
#include "orevox/datasets/drillhole_io.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "csv_reader.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/datasets/crs.hpp"
#include "orevox/datasets/embedded.hpp"
#include "orevox/datasets/vector_io.hpp"
#include "orevox/datasets/vtp_io.hpp"
#include "text_file.hpp"

namespace orevox {

namespace fs = std::filesystem;

void DrillholeColumns::declare(OptionSet& set) {
  auto column = [&](const char* name, std::string& field, const char* help) {
    set.add(name, field, help).placeholder("NAME").group("columns");
  };
  column("collar-hole", collarHole,
         "Hole id column of the collar file (default: HOLEID, BHID, HOLE_ID, Drillhole ID, ...)");
  column("collar-x", collarX,
         "Easting column of the collar file (default: X, XCOLLAR, EAST, EASTING, X_MGA, ...)");
  column("collar-y", collarY,
         "Northing column of the collar file (default: Y, YCOLLAR, NORTH, NORTHING, Y_MGA, ...)");
  column("collar-z", collarZ,
         "Elevation column of the collar file (default: Z, ZCOLLAR, RL, ELEV, Z_MGA, ...)");
  column(
      "collar-depth", collarDepth,
      "Total depth column of the collar file (default: DEPTH, MAX_DEPTH, TD, EOH, ...; optional)");
  column("survey-hole", surveyHole, "Hole id column of the survey file");
  column("survey-depth", surveyDepth,
         "Depth column of the survey file (default: DEPTH, AT, MD, DISTANCE, ...)");
  column("survey-azimuth", surveyAzimuth,
         "Azimuth column of the survey file (default: AZIMUTH, AZ, AZI, BEARING, ...)");
  column("survey-dip", surveyDip,
         "Dip column of the survey file (default: DIP, INCLINATION, INCL, ...)");
  column("interval-hole", intervalHole, "Hole id column of the interval files");
  column("interval-from", intervalFrom,
         "From column of the interval files (default: FROM, DEPTH_FROM, ...)");
  column("interval-to", intervalTo, "To column of the interval files (default: TO, DEPTH_TO, ...)");
  set.add("numeric", numeric, "Interval columns to read as numbers whatever they hold")
      .group("columns");
  set.add("categorical", categorical,
          "Interval columns to read as categories (e.g. numeric lithology codes)")
      .group("columns");
  set.add("skip-columns", skip, "Interval columns not to read").group("columns");
}

void DrillholeDesurveyJob::declare(OptionSet& set) {
  set.add("collars", collars, "Collar CSV: hole id, x, y, z[, total depth]")
      .required()
      .placeholder("FILE");
  set.add("surveys", surveys,
          "Survey CSV: hole id, depth, azimuth, dip (without it every hole is vertical, with a "
          "warning)")
      .placeholder("FILE");
  set.add("intervals", intervals,
          "Interval CSVs (assays, geology logs), comma separated; their fields are merged on one "
          "set of intervals per hole")
      .required()
      .placeholder("A.csv[,L.csv]");
  set.add("length-unit", unit, lengthUnitNames(),
          "Unit of the depths (and collar coordinates): reported and written to the outputs, "
          "nothing is converted");
  set.add("crs", crs, "CRS of the collar coordinates (e.g. EPSG:28355), written to the traces")
      .placeholder("CRS");
  set.add("method", method, desurveyMethodNames(), "Desurvey method");
  validation.declare(set);
  composite.declare(set);
  set.add("gpkg", gpkg, "Also write DIR/traces.gpkg (LineStringZ, one feature per interval)");
  columns.declare(set);
  set.add("out", out, "Output folder: intervals.csv, traces.vtp, validation.csv")
      .required()
      .placeholder("DIR");
}

namespace {

using detail::Cell;
using detail::CellKind;
using detail::Record;

/// A delimited file split into header and records.
struct CsvFile {
  std::string path;
  std::vector<std::string> header;
  long headerLine = 1;
  std::vector<Record> rows;
  bool decimalComma = false;
};

CsvFile loadCsv(const std::string& path) {
  CsvFile f;
  f.path = path;
  detail::DelimitedTable table = detail::readDelimitedTable(path);
  f.decimalComma = table.decimalComma;
  std::vector<Record>& records = table.records;
  f.header = records.front().fields;
  f.headerLine = records.front().line;
  for (std::size_t c = 0; c < f.header.size(); ++c) {
    if (f.header[c].empty())
      throw DataError("empty column name in the header",
                      SourceLocation{path, f.headerLine, long(c) + 1, {}, {}});
    for (std::size_t d = 0; d < c; ++d)
      if (f.header[d] == f.header[c])
        throw DataError("duplicate column name in the header",
                        SourceLocation{path, f.headerLine, long(c) + 1, f.header[c], {}});
  }
  if (records.size() == 1)
    throw DataError("no data rows after the header", SourceLocation{path, f.headerLine, 0, {}, {}});
  for (std::size_t r = 1; r < records.size(); ++r) {
    if (records[r].fields.size() != f.header.size()) {
      throw DataError("row has " + std::to_string(records[r].fields.size()) +
                          " fields, the header has " + std::to_string(f.header.size()),
                      SourceLocation{path, records[r].line, 0, {}, {}});
    }
  }
  records.erase(records.begin());
  f.rows = std::move(records);
  return f;
}

/// Lower case, letters and digits only: "Drillhole ID" -> "drillholeid", "X_MGA" -> "xmga".
std::string normalised(const std::string& name) {
  std::string out;
  for (unsigned char c : name)
    if (std::isalnum(c)) out += char(std::tolower(c));
  return out;
}

// The common spellings, in order of preference (normalised).
const std::vector<std::string> kHoleNames{
    "holeid", "bhid",       "hole",     "drillholeid", "drillhole", "dhid",   "holename",
    "holeno", "holenumber", "holecode", "boreholeid",  "borehole",  "wellid", "well"};
const std::vector<std::string> kXNames{
    "x",       "xcollar", "collarx",     "east", "easting", "eastings", "xmga",
    "mgaeast", "mgae",    "eastmga",     "xutm", "utmx",    "utme",     "utmeast",
    "eastutm", "xcoord",  "xcoordinate", "xloc", "locx",    "xlocal",   "localx"};
const std::vector<std::string> kYNames{
    "y",        "ycollar", "collary",     "north", "northing", "northings", "ymga",
    "mganorth", "mgan",    "northmga",    "yutm",  "utmy",     "utmn",      "utmnorth",
    "northutm", "ycoord",  "ycoordinate", "yloc",  "locy",     "ylocal",    "localy"};
const std::vector<std::string> kZNames{
    "z",           "zcollar", "collarz", "rl",     "collarrl", "rlcollar", "elev",
    "elevation",   "zmga",    "mgarl",   "rlmga",  "zutm",     "height",   "zcoord",
    "zcoordinate", "zloc",    "locz",    "zlocal", "localz",   "ahd",      "rlahd"};
const std::vector<std::string> kCollarDepthNames{"depth",  "maxdepth",   "totaldepth", "td",
                                                 "eoh",    "eohdepth",   "holedepth",  "holelength",
                                                 "length", "finaldepth", "enddepth"};
const std::vector<std::string> kSurveyDepthNames{"depth",    "at",   "surveydepth", "md",
                                                 "distance", "dist", "surveyat"};
const std::vector<std::string> kAzimuthNames{
    "azimuth",     "az",         "azi",        "azim",  "bearing",     "brg",        "azimuthgrid",
    "gridazimuth", "azimuthmga", "mgaazimuth", "azmga", "azimuthtrue", "trueazimuth"};
const std::vector<std::string> kDipNames{"dip", "inclination", "incl", "inc", "dipangle"};
const std::vector<std::string> kFromNames{"from",       "fromm", "depthfrom",
                                          "fromdepth",  "mfrom", "sampfrom",
                                          "samplefrom", "start", "startdepth"};
const std::vector<std::string> kToNames{"to",     "tom",      "depthto", "todepth", "mto",
                                        "sampto", "sampleto", "end",     "enddepth"};

std::string spellings(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < 6; ++i) out += (i ? ", " : "") + names[i];
  return out + (names.size() > 6 ? ", ..." : "");
}

/// The 0-based column for `given` (an option's value) or, when it is empty, for the first
/// spelling in `names` that some column has. -1 when `optional` and nothing matches;
/// DataError otherwise, and when two columns match.
long resolveColumn(const CsvFile& f, const std::string& given,
                   const std::vector<std::string>& names, const std::string& what,
                   const std::string& option, bool optional = false) {
  if (!given.empty()) {
    const long c = detail::findColumn(f.header, given);
    if (c < 0)
      throw DataError(
          "missing " + what + " column (available: " + detail::joinNames(f.header) + ")",
          SourceLocation{f.path, f.headerLine, 0, given, {}});
    return c;
  }
  std::vector<long> matches;
  for (std::size_t c = 0; c < f.header.size(); ++c) {
    const std::string n = normalised(f.header[c]);
    if (std::find(names.begin(), names.end(), n) != names.end()) matches.push_back(long(c));
  }
  if (matches.size() > 1) {
    throw DataError(
        "columns '" + f.header[std::size_t(matches[0])] + "' and '" +
            f.header[std::size_t(matches[1])] + "' both look like the " + what +
            "; name one with " + option,
        SourceLocation{
            f.path, f.headerLine, matches[1] + 1, f.header[std::size_t(matches[1])], {}});
  }
  if (matches.empty()) {
    if (optional) return -1;
    throw DataError("no " + what + " column (looked for " + spellings(names) +
                        "; available: " + detail::joinNames(f.header) + "); name it with " + option,
                    SourceLocation{f.path, f.headerLine, 0, {}, {}});
  }
  return matches.front();
}

SourceLocation cellAt(const CsvFile& f, std::size_t r, long c) {
  return SourceLocation{f.path, f.rows[r].line, c + 1, f.header[std::size_t(c)],
                        f.rows[r].fields[std::size_t(c)]};
}

/// A key number (coordinate, depth, angle): NaN when blank, DataError for text.
double keyNumber(const CsvFile& f, std::size_t r, long c) {
  const Cell cell = detail::parseCell(f.rows[r].fields[std::size_t(c)], f.decimalComma);
  if (cell.kind == CellKind::Missing) return std::numeric_limits<double>::quiet_NaN();
  if (cell.kind != CellKind::Number) throw DataError("not a number", cellAt(f, r, c));
  return cell.value;
}

std::string holeId(const CsvFile& f, std::size_t r, long c) {
  return detail::trim(f.rows[r].fields[std::size_t(c)]);
}

std::string stem(const std::string& path) { return fs::path(path).stem().string(); }

bool listed(const std::vector<std::string>& names, const std::string& column) {
  for (const auto& n : names)
    if (n == column || detail::lower(n) == detail::lower(column)) return true;
  return false;
}

}  // namespace

CollarTable readCollarCsv(const std::string& path, const DrillholeColumns& columns) {
  const CsvFile f = loadCsv(path);
  const long hole = resolveColumn(f, columns.collarHole, kHoleNames, "hole id", "--collar-hole");
  const long x = resolveColumn(f, columns.collarX, kXNames, "easting (x)", "--collar-x");
  const long y = resolveColumn(f, columns.collarY, kYNames, "northing (y)", "--collar-y");
  const long z = resolveColumn(f, columns.collarZ, kZNames, "elevation (z)", "--collar-z");
  const long depth = resolveColumn(f, columns.collarDepth, kCollarDepthNames, "total depth",
                                   "--collar-depth", true);
  CollarTable t;
  t.file = path;
  t.holeColumn = hole + 1;
  t.xColumn = x + 1;
  t.yColumn = y + 1;
  t.zColumn = z + 1;
  t.depthColumn = depth + 1;
  t.holeName = f.header[std::size_t(hole)];
  t.xName = f.header[std::size_t(x)];
  t.yName = f.header[std::size_t(y)];
  t.zName = f.header[std::size_t(z)];
  if (depth >= 0) t.depthName = f.header[std::size_t(depth)];
  for (std::size_t r = 0; r < f.rows.size(); ++r) {
    t.holeIds.push_back(holeId(f, r, hole));
    t.x.push_back(keyNumber(f, r, x));
    t.y.push_back(keyNumber(f, r, y));
    t.z.push_back(keyNumber(f, r, z));
    t.depth.push_back(depth >= 0 ? keyNumber(f, r, depth) : kNotAssayed);
    t.lines.push_back(f.rows[r].line);
  }
  return t;
}

SurveyTable readSurveyCsv(const std::string& path, const DrillholeColumns& columns) {
  const CsvFile f = loadCsv(path);
  const long hole = resolveColumn(f, columns.surveyHole, kHoleNames, "hole id", "--survey-hole");
  const long depth =
      resolveColumn(f, columns.surveyDepth, kSurveyDepthNames, "survey depth", "--survey-depth");
  const long az =
      resolveColumn(f, columns.surveyAzimuth, kAzimuthNames, "azimuth", "--survey-azimuth");
  const long dip = resolveColumn(f, columns.surveyDip, kDipNames, "dip", "--survey-dip");
  SurveyTable t;
  t.file = path;
  t.holeColumn = hole + 1;
  t.depthColumn = depth + 1;
  t.azimuthColumn = az + 1;
  t.dipColumn = dip + 1;
  t.holeName = f.header[std::size_t(hole)];
  t.depthName = f.header[std::size_t(depth)];
  t.azimuthName = f.header[std::size_t(az)];
  t.dipName = f.header[std::size_t(dip)];
  for (std::size_t r = 0; r < f.rows.size(); ++r) {
    t.holeIds.push_back(holeId(f, r, hole));
    t.depth.push_back(keyNumber(f, r, depth));
    t.azimuth.push_back(keyNumber(f, r, az));
    t.dip.push_back(keyNumber(f, r, dip));
    t.lines.push_back(f.rows[r].line);
  }
  return t;
}

IntervalTable readIntervalCsv(const std::string& path, const DrillholeColumns& columns,
                              const DrillholeValidationOptions& options, ValidationLog& log) {
  const CsvFile f = loadCsv(path);
  const long hole =
      resolveColumn(f, columns.intervalHole, kHoleNames, "hole id", "--interval-hole");
  const long from = resolveColumn(f, columns.intervalFrom, kFromNames, "from", "--interval-from");
  const long to = resolveColumn(f, columns.intervalTo, kToNames, "to", "--interval-to");
  IntervalTable t;
  t.file = path;
  t.name = stem(path);
  t.holeColumn = hole + 1;
  t.fromColumn = from + 1;
  t.toColumn = to + 1;
  t.holeName = f.header[std::size_t(hole)];
  t.fromName = f.header[std::size_t(from)];
  t.toName = f.header[std::size_t(to)];
  const std::size_t n = f.rows.size();
  for (std::size_t r = 0; r < n; ++r) {
    t.holeIds.push_back(holeId(f, r, hole));
    t.from.push_back(keyNumber(f, r, from));
    t.to.push_back(keyNumber(f, r, to));
    t.lines.push_back(f.rows[r].line);
  }
  for (long c = 0; c < long(f.header.size()); ++c) {
    if (c == hole || c == from || c == to) continue;
    const std::string& name = f.header[std::size_t(c)];
    if (listed(columns.skip, name)) continue;
    IntervalField field;
    field.name = name;
    field.column = c + 1;
    bool categorical = listed(columns.categorical, name);
    if (!categorical && !listed(columns.numeric, name)) {
      std::size_t numbers = 0, others = 0;
      for (std::size_t r = 0; r < n; ++r) {
        const CellKind kind =
            detail::parseCell(f.rows[r].fields[std::size_t(c)], f.decimalComma).kind;
        numbers += kind == CellKind::Number || kind == CellKind::Censored;
        others += kind == CellKind::Invalid;
      }
      categorical = others > numbers;
    }
    field.categorical = categorical;
    if (categorical) {
      std::unordered_map<std::string, std::int32_t> codes;
      field.codes.reserve(n);
      for (std::size_t r = 0; r < n; ++r) {
        const std::string text = detail::trim(f.rows[r].fields[std::size_t(c)]);
        if (text.empty()) {
          field.codes.push_back(-1);
          continue;
        }
        auto [it, fresh] = codes.try_emplace(text, std::int32_t(field.categories.size()));
        if (fresh) field.categories.push_back(text);
        field.codes.push_back(it->second);
      }
      t.fields.push_back(std::move(field));
      continue;
    }
    field.values.assign(n, kNotAssayed);
    std::size_t invalid = 0, negative = 0;
    long firstInvalid = 0, firstNegative = 0;
    std::vector<std::string> examples;
    for (std::size_t r = 0; r < n; ++r) {
      const std::string& text = f.rows[r].fields[std::size_t(c)];
      const Cell cell = detail::parseCell(text, f.decimalComma);
      switch (cell.kind) {
        case CellKind::Missing:
          break;
        case CellKind::Invalid:
          if (invalid++ == 0) firstInvalid = f.rows[r].line;
          if (examples.size() < 3 &&
              std::find(examples.begin(), examples.end(), detail::trim(text)) == examples.end())
            examples.push_back(detail::trim(text));
          break;
        case CellKind::Censored:
          if (field.belowDetection.empty()) field.belowDetection.assign(n, 0);
          field.belowDetection[r] = 1;
          field.values[r] = cell.value;
          break;
        case CellKind::Number:
          field.values[r] = cell.value;
          if (cell.value < 0.0) {
            if (negative++ == 0) firstNegative = f.rows[r].line;
            if (options.negativeAsBelowDetection) {
              if (field.belowDetection.empty()) field.belowDetection.assign(n, 0);
              field.belowDetection[r] = 1;
              field.values[r] = -cell.value;
            }
          }
          break;
      }
    }
    if (invalid > 0) {
      std::string shown;
      for (const auto& e : examples) shown += (shown.empty() ? "" : "; ") + e;
      log.warn(SourceLocation{path, firstInvalid, c + 1, name, {}}, "", "non_numeric_value",
               "read as not assayed", true, invalid, 0, shown);
    }
    if (negative > 0) {
      if (options.negativeAsBelowDetection) {
        log.warn(SourceLocation{path, firstNegative, c + 1, name, {}}, "", "negative_as_bdl",
                 "read as below detection at |value| (--negative-as-bdl)", false, negative, 0,
                 std::to_string(negative) + " negative values");
      } else {
        log.warn(SourceLocation{path, firstNegative, c + 1, name, {}}, "", "negative_value",
                 "kept as they are (--negative-as-bdl reads them as below detection)", false,
                 negative, 0, std::to_string(negative) + " negative values");
      }
    }
    t.fields.push_back(std::move(field));
  }
  return t;
}

// ------------------------------------------------------------------ writers

namespace {

std::string numberText(double v) { return detail::formatNumber(v); }

std::string fieldText(const IntervalField& f, std::size_t r) {
  if (f.categorical) return detail::quoteCsvField(f.category(r));
  const double v = f.values[r];
  if (std::isnan(v)) return {};
  return (f.isBelowDetection(r) ? "<" : "") + numberText(v);
}

}  // namespace

void writeIntervalsCsv(const IntervalTable& table, const DesurveyedIntervals& positions,
                       const std::string& path) {
  if (positions.middle.size() != table.size())
    throw UsageError("writeIntervalsCsv: positions do not match the intervals");
  std::string text = "hole,from,to,x,y,z,x_from,y_from,z_from,x_to,y_to,z_to";
  for (const auto& f : table.fields) text += "," + detail::quoteCsvField(f.name);
  text += '\n';
  auto xyz = [&](const Eigen::Vector3d& p) {
    return numberText(p.x()) + "," + numberText(p.y()) + "," + numberText(p.z());
  };
  for (std::size_t r = 0; r < table.size(); ++r) {
    text += detail::quoteCsvField(table.holeIds[r]) + "," + numberText(table.from[r]) + "," +
            numberText(table.to[r]) + "," + xyz(positions.middle[r]) + "," +
            xyz(positions.from[r]) + "," + xyz(positions.to[r]);
    for (const auto& f : table.fields) text += "," + fieldText(f, r);
    text += '\n';
  }
  writeTextFileAtomic(path, text);
}

void writeValidationCsv(const ValidationLog& log, const std::string& path) {
  std::string text = "file,line,column,hole,check,value,action,rows,skipped\n";
  for (const auto& r : log.rows) {
    text += detail::quoteCsvField(r.file) + "," + (r.line > 0 ? std::to_string(r.line) : "") + "," +
            detail::quoteCsvField(r.column) + "," + detail::quoteCsvField(r.hole) + "," + r.check +
            "," + detail::quoteCsvField(r.value) + "," + detail::quoteCsvField(r.action) + "," +
            std::to_string(r.rows) + "," + std::to_string(r.skipped) + "\n";
  }
  writeTextFileAtomic(path, text);
}

void writeDrillholeCsvs(const CollarTable& collars, const SurveyTable& surveys,
                        const IntervalTable& intervals, const std::string& collarPath,
                        const std::string& surveyPath, const std::string& intervalPath) {
  const bool depth = !collars.depth.empty();
  std::string c = depth ? "HOLEID,X,Y,Z,DEPTH\n" : "HOLEID,X,Y,Z\n";
  for (std::size_t r = 0; r < collars.size(); ++r) {
    c += detail::quoteCsvField(collars.holeIds[r]) + "," + numberText(collars.x[r]) + "," +
         numberText(collars.y[r]) + "," + numberText(collars.z[r]);
    if (depth) c += "," + numberText(collars.depth[r]);
    c += '\n';
  }
  std::string s = "HOLEID,AT,AZ,DIP\n";
  for (std::size_t r = 0; r < surveys.size(); ++r) {
    s += detail::quoteCsvField(surveys.holeIds[r]) + "," + numberText(surveys.depth[r]) + "," +
         numberText(surveys.azimuth[r]) + "," + numberText(surveys.dip[r]) + "\n";
  }
  std::string i = "HOLEID,FROM,TO";
  for (const auto& f : intervals.fields) i += "," + detail::quoteCsvField(f.name);
  i += '\n';
  for (std::size_t r = 0; r < intervals.size(); ++r) {
    i += detail::quoteCsvField(intervals.holeIds[r]) + "," + numberText(intervals.from[r]) + "," +
         numberText(intervals.to[r]);
    for (const auto& f : intervals.fields) i += "," + fieldText(f, r);
    i += '\n';
  }
  writeTextFileAtomic(collarPath, c);
  writeTextFileAtomic(surveyPath, s);
  writeTextFileAtomic(intervalPath, i);
}

// ------------------------------------------------------------------ the desurvey run

namespace {

void writeTracesGpkg(const DrillholeTraces& traces, const std::string& path) {
  std::vector<std::vector<std::array<double, 3>>> lines(traces.size());
  for (std::size_t i = 0; i < traces.size(); ++i)
    lines[i].assign(traces.points.begin() + std::ptrdiff_t(traces.offsets[i]),
                    traces.points.begin() + std::ptrdiff_t(traces.offsets[i + 1]));
  std::vector<VectorAttribute> attributes(3);
  attributes[0].name = "hole";
  attributes[0].text = true;
  attributes[0].texts.resize(traces.size());
  for (std::size_t i = 0; i < traces.size(); ++i)
    attributes[0].texts[i] = traces.holeIds[traces.hole[i]];
  attributes[1].name = "from";
  attributes[1].reals = traces.from;
  attributes[2].name = "to";
  attributes[2].reals = traces.to;
  for (const auto& f : traces.fields) {
    VectorAttribute a;
    a.name = f.name;
    if (f.categorical) {
      a.text = true;
      a.texts.resize(traces.size());
      for (std::size_t i = 0; i < traces.size(); ++i) a.texts[i] = f.category(i);
    } else {
      a.reals = f.values;  // below detection: the limit (a GeoPackage field has no flag)
    }
    attributes.push_back(std::move(a));
  }
  writeLinesZ(lines, path, attributes, traces.crsWkt);
}

}  // namespace

DrillholeDesurveyResult runDrillholeDesurvey(const DrillholeDesurveyJob& job) {
  if (job.collars.empty()) throw UsageError("--collars is required");
  if (job.intervals.empty()) throw UsageError("--intervals is required");
  if (job.out.empty()) throw UsageError("--out is required");
  if (!(job.composite.length >= 0.0)) throw UsageError("--composite: must be >= 0");
  DrillholeDesurveyResult result;
  result.crsWkt = crsFromUserInput(job.crs);
  if (fs::exists(job.out) && !fs::is_directory(job.out))
    throw IoError("the output folder is a file", SourceLocation{job.out, 0, 0, {}, {}});

  ValidationLog& log = result.log;
  log.strict = job.validation.strict;
  Progress progress("drillholes desurvey",
                    4 + job.intervals.size() + (job.surveys.empty() ? 0 : 1));
  Stopwatch watch;
  auto step = [&](const std::string& name) {
    result.seconds.emplace_back(name, watch.seconds());
    watch.restart();
    progress.advance();
  };

  const CollarTable collars = readCollarCsv(job.collars, job.columns);
  step("read_collars");
  SurveyTable surveys;
  if (!job.surveys.empty()) {
    surveys = readSurveyCsv(job.surveys, job.columns);
    step("read_surveys");
  }
  std::vector<IntervalTable> raw;
  for (const auto& path : job.intervals) {
    raw.push_back(readIntervalCsv(path, job.columns, job.validation, log));
    step("read_" + stem(path));
  }
  for (const auto* list : {&job.columns.numeric, &job.columns.categorical, &job.columns.skip}) {
    for (const auto& name : *list) {
      bool found = false;
      for (const auto& t : raw)
        for (std::size_t c = 0; c < t.fields.size() && !found; ++c)
          found = detail::lower(t.fields[c].name) == detail::lower(name);
      if (list == &job.columns.skip) found = true;  // skipped columns are not fields
      if (!found) {
        const std::string option = list == &job.columns.numeric ? "--numeric" : "--categorical";
        throw UsageError(option + ": no interval file has a column '" + name + "'");
      }
    }
  }

  // The readers' warnings (per column) come first; validation appends its own.
  DrillholeDatabase db = buildDrillholeDatabase(collars, job.surveys.empty() ? nullptr : &surveys,
                                                raw, job.validation, log);
  db.unit = job.unit;
  db.crsWkt = result.crsWkt;
  step("validate");

  std::size_t kept = 0;
  for (const auto& t : db.tables) kept += t.size();
  if (kept == 0) {
    std::string why;
    for (const auto& [check, n] : log.skippedByCheck())
      why += (why.empty() ? "" : ", ") + check + " " + std::to_string(n);
    throw DataError(
        "no interval left after validation (skipped: " + (why.empty() ? "none" : why) + ")",
        SourceLocation{job.intervals.front(), 0, 0, {}, {}});
  }
  result.holes = db.holes.size();
  {
    std::vector<char> has(db.holes.size(), 0);
    for (const auto& t : db.tables)
      for (std::size_t h : t.hole) has[h] = 1;
    result.holesWithIntervals = std::size_t(std::count(has.begin(), has.end(), 1));
    for (const auto& hole : db.holes) result.holesWithoutSurvey += !hole.surveyed;
  }

  IntervalTable merged = mergeIntervalTables(db, &result.renamedFields);
  for (const auto& [from, to] : result.renamedFields)
    log.warn(SourceLocation{{}, 0, 0, from, {}}, "", "renamed_field",
             "written as '" + to + "' (the name repeats or is an output column)", false, 0, 0,
             from);
  result.mergedIntervals = merged.size();
  for (const auto& f : merged.fields)
    (f.categorical ? result.categoricalFields : result.numericFields).push_back(f.name);
  IntervalTable output;
  if (job.composite.length > 0.0) {
    output = compositeIntervals(merged, job.composite, &result.composite);
    result.composited = true;
  } else {
    output = std::move(merged);
  }
  result.outputIntervals = output.size();
  const std::vector<HoleTrajectory> trajectories = desurveyHoles(db, job.method);
  const DesurveyedIntervals positions = desurveyIntervals(trajectories, output);
  const DrillholeTraces traces = drillholeTraces(db, trajectories, output);
  step("desurvey");

  OutputFolder folder(job.out);
  {
    OutputBatch outputs;
    outputs.addInput(job.collars, "--collars");
    outputs.addInput(job.surveys, "--surveys");
    for (const auto& f : job.intervals) outputs.addInput(f, "--intervals");
    const auto in = [&](const std::string& name) {
      return outputs.add((fs::path(job.out) / name).string(), "--out");
    };
    writeIntervalsCsv(output, positions, in("intervals.csv"));
    writeTracesVtp(traces, in("traces.vtp"));
    writeValidationCsv(log, in("validation.csv"));
    if (job.gpkg) writeTracesGpkg(traces, in("traces.gpkg"));
    result.outputs = outputs.commit();
  }
  folder.keep();
  step("write");
  progress.finish();
  return result;
}

nlohmann::json DrillholeDesurveyResult::toJson() const {
  nlohmann::json j;
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : log.files) {
    nlohmann::json skippedBy = nlohmann::json::object();
    for (const auto& r : log.rows)
      if (r.file == f.file && r.skipped > 0) {
        skippedBy[r.check] = skippedBy.value(r.check, std::size_t(0)) + r.skipped;
      }
    files.push_back({{"file", f.file},
                     {"role", f.role},
                     {"rows_read", f.read},
                     {"rows_kept", f.kept},
                     {"rows_skipped", f.skipped},
                     {"skipped_by_check", skippedBy}});
  }
  j["files"] = files;
  nlohmann::json checks = nlohmann::json::object();
  const auto rows = log.rowsByCheck();
  const auto skipped = log.skippedByCheck();
  std::map<std::string, std::size_t> warnings;
  for (const auto& r : log.rows) ++warnings[r.check];
  for (const auto& [check, n] : rows) {
    checks[check] = {{"warnings", warnings[check]},
                     {"rows", n},
                     {"rows_skipped", skipped.count(check) ? skipped.at(check) : 0}};
  }
  j["checks"] = checks;
  j["dip"] = {{"convention", nameOf(dipConventionNames(), log.dipConvention)},
              {"decided_by_majority", log.dipDecidedByMajority},
              {"positive", log.positiveDips},
              {"negative", log.negativeDips},
              {"zero", log.zeroDips}};
  j["holes"] = {{"collars", holes},
                {"with_intervals", holesWithIntervals},
                {"without_survey", holesWithoutSurvey}};
  j["intervals"] = {{"merged", mergedIntervals}, {"written", outputIntervals}};
  j["fields"] = {{"numeric", numericFields}, {"categorical", categoricalFields}};
  if (composited) {
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& f : composite.fields)
      fields.push_back({{"name", f.name},
                        {"assayed_length", f.assayedLength},
                        {"below_detection_length", f.belowDetectionLength},
                        {"not_assayed_length", f.notAssayedLength},
                        {"blank_composites", f.blankComposites}});
    j["composite"] = {{"composites", composite.composites},
                      {"runs", composite.runs},
                      {"residuals_dropped", composite.residualsDropped},
                      {"residuals_kept", composite.residualsKept},
                      {"residuals_merged", composite.residualsMerged},
                      {"dropped_length", composite.droppedLength},
                      {"empty_composites", composite.emptyComposites},
                      {"fields", fields}};
  }
  return j;
}

std::string DrillholeDesurveyResult::summaryText() const {
  std::string out;
  for (const auto& f : log.files) {
    out += f.role + " " + f.file + ": " + std::to_string(f.read) + " rows read, " +
           std::to_string(f.kept) + " kept";
    if (f.skipped > 0) {
      std::map<std::string, std::size_t> why;
      for (const auto& r : log.rows)
        if (r.file == f.file && r.skipped > 0) why[r.check] += r.skipped;
      std::string list;
      for (const auto& [check, n] : why)
        list += (list.empty() ? "" : ", ") + check + " " + std::to_string(n);
      out += ", " + std::to_string(f.skipped) + " skipped (" + list + ")";
    }
    out += "\n";
    if (f.role == "surveys") {
      out += "  dip convention " + nameOf(dipConventionNames(), log.dipConvention) +
             (log.dipDecidedByMajority ? " (auto: " : " (given; ") +
             std::to_string(log.positiveDips) + " positive, " + std::to_string(log.negativeDips) +
             " negative, " + std::to_string(log.zeroDips) + " zero dips)\n";
    }
  }
  std::map<std::string, std::size_t> warnings;
  for (const auto& r : log.rows) ++warnings[r.check];
  if (!warnings.empty()) {
    std::string list;
    for (const auto& [check, n] : warnings)
      list += (list.empty() ? "" : ", ") + check + " " + std::to_string(n);
    out += "warnings (validation.csv): " + list + "\n";
  }
  out += std::to_string(holes) + " holes, " + std::to_string(holesWithIntervals) +
         " with intervals, " + std::to_string(holesWithoutSurvey) + " without survey; " +
         std::to_string(outputIntervals) + (composited ? " composites" : " intervals") +
         " written\n";
  return out;
}

std::vector<std::pair<std::string, std::pair<std::size_t, std::size_t>>> writeSynth3dDrillholes(
    const Dataset& dataset, const SynthDrillholeOptions& options, const std::string& folder) {
  std::vector<std::pair<std::string, std::pair<std::size_t, std::size_t>>> out;
  makeDirectories(folder);
  for (const auto& [name, model] : dataset.volumes) {
    const DenseVolume dense = model.toDense({"rock_type", "halo", "orebody"});
    const SynthDrillholes holes =
        synth3dDrillholes(dense, model.activeMask("halo"), options, name == "target");
    const fs::path dir(folder);
    writeDrillholeCsvs(
        holes.collars, holes.surveys, holes.intervals, (dir / (name + "_collars.csv")).string(),
        (dir / (name + "_surveys.csv")).string(), (dir / (name + "_intervals.csv")).string());
    out.push_back({name, {holes.collars.size(), holes.intervals.size()}});
  }
  return out;
}

}  // namespace orevox
