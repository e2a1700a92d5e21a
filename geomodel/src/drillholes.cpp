// Drillhole database: name tables, interval fields, validation (buildDrillholeDatabase) and
// the merge of several interval tables onto one set of intervals.
#include "orevox/geomodel/drillholes.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <set>
#include <unordered_map>

#include "orevox/core/error.hpp"

namespace orevox {

const NameTable<LengthUnit>& lengthUnitNames() {
  static const NameTable<LengthUnit> names{{"m", LengthUnit::Metre}, {"ft", LengthUnit::Foot}};
  return names;
}

const NameTable<DipConvention>& dipConventionNames() {
  static const NameTable<DipConvention> names{{"auto", DipConvention::Auto},
                                              {"down-negative", DipConvention::DownNegative},
                                              {"down-positive", DipConvention::DownPositive}};
  return names;
}

const NameTable<DesurveyMethod>& desurveyMethodNames() {
  static const NameTable<DesurveyMethod> names{
      {"minimum-curvature", DesurveyMethod::MinimumCurvature},
      {"tangent", DesurveyMethod::Tangent}};
  return names;
}

const NameTable<ResidualRule>& residualRuleNames() {
  static const NameTable<ResidualRule> names{
      {"drop", ResidualRule::Drop}, {"keep", ResidualRule::Keep}, {"merge", ResidualRule::Merge}};
  return names;
}

// ------------------------------------------------------------------ fields and tables

const std::string& IntervalField::category(std::size_t row) const {
  static const std::string empty;
  if (!categorical || codes[row] < 0) return empty;
  return categories[std::size_t(codes[row])];
}

std::int32_t IntervalField::codeOf(const std::string& name) {
  for (std::size_t c = 0; c < categories.size(); ++c)
    if (categories[c] == name) return std::int32_t(c);
  categories.push_back(name);
  return std::int32_t(categories.size() - 1);
}

void IntervalField::appendFrom(const IntervalField& other, std::size_t row) {
  if (categorical) {
    codes.push_back(other.codes[row] < 0 ? -1 : codeOf(other.category(row)));
    return;
  }
  values.push_back(other.values[row]);
  if (other.isBelowDetection(row)) {
    belowDetection.resize(values.size() - 1, 0);
    belowDetection.push_back(1);
  } else if (!belowDetection.empty()) {
    belowDetection.push_back(0);
  }
}

IntervalField IntervalField::emptyLike() const {
  IntervalField f;
  f.name = name;
  f.categorical = categorical;
  f.column = column;
  if (categorical) f.categories = categories;
  return f;
}

long IntervalTable::fieldIndex(const std::string& name) const {
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name) return long(i);
  return -1;
}

long DrillholeDatabase::holeIndex(const std::string& id) const {
  const auto it = holeById.find(id);
  return it == holeById.end() ? -1 : long(it->second);
}

void ValidationLog::warn(const SourceLocation& where, const std::string& hole,
                         const std::string& check, const std::string& action, bool changesData,
                         std::size_t rowCount, std::size_t skipped, const std::string& value) {
  if (strict && changesData) {
    throw DataError(check + (hole.empty() ? std::string() : " in hole '" + hole + "'") +
                        " (an error with --strict; without it: " + action + ")",
                    where);
  }
  ValidationRow row;
  row.file = where.file;
  row.line = where.line;
  row.column = where.field;
  row.hole = hole;
  row.check = check;
  row.value = value.empty() ? where.value : value;
  row.action = action;
  row.rows = rowCount;
  row.skipped = skipped;
  rows.push_back(std::move(row));
}

std::map<std::string, std::size_t> ValidationLog::rowsByCheck() const {
  std::map<std::string, std::size_t> out;
  for (const auto& r : rows) out[r.check] += r.rows;
  return out;
}

std::map<std::string, std::size_t> ValidationLog::skippedByCheck() const {
  std::map<std::string, std::size_t> out;
  for (const auto& r : rows)
    if (r.skipped > 0) out[r.check] += r.skipped;
  return out;
}

void DrillholeValidationOptions::declare(OptionSet& set) {
  set.add("dip", dip, dipConventionNames(),
          "Sign of the survey dips: auto decides by the majority sign of the file's non-zero dips "
          "(and says so); up-holes (the minority sign) stay valid");
  set.add("negative-as-bdl", negativeAsBelowDetection,
          "Read negative assays as below detection at |value| (legacy '-0.01 = <0.01' coding); "
          "without it they are kept as they are, with a warning");
  set.add("strict", strict,
          "Make every validation warning that removes or changes data an error (exit 1)");
  set.add("dogleg-warning", doglegWarning,
          "Warn where the direction changes by more than this between consecutive survey stations")
      .units("degrees")
      .range(0.0, 180.0);
}

void CompositeOptions::declare(OptionSet& set) {
  set.add("composite", length,
          "Composite the intervals to this downhole length (file unit; 0 = no compositing)")
      .nonNegative();
  set.add("residual", residual, residualRuleNames(),
          "Last piece of a run shorter than --composite: drop it, keep it short, or merge it "
          "into the previous composite");
  set.add("domain", domain,
          "Break composites where this interval field (e.g. a lithology code) changes")
      .placeholder("FIELD");
  set.add("min-coverage", minCoverage,
          "A numeric composite is left blank when less than this share of its length is assayed")
      .range(0.0, 1.0);
  set.add("bdl-factor", belowDetectionFactor,
          "Below-detection parts enter composite means at this fraction of their detection limit")
      .range(0.0, 1.0);
}

namespace {

constexpr double kPi = 3.14159265358979323846;

/// Depths within this of each other are the same depth.
double depthTolerance(double a, double b) {
  return 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)});
}

std::string number(double v) {
  if (std::isnan(v)) return "";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.10g", v);
  return buffer;
}

std::string lowerCase(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// Forwards to the log (a short name at the many call sites).
class Checker {
 public:
  explicit Checker(ValidationLog& log) : log_(log) {}
  void warn(const SourceLocation& where, const std::string& hole, const std::string& check,
            const std::string& action, bool changesData, std::size_t rows = 1,
            std::size_t skipped = 0, const std::string& value = {}) {
    log_.warn(where, hole, check, action, changesData, rows, skipped, value);
  }

 private:
  ValidationLog& log_;
};

/// Rows of one file that name a hole without a collar: counted per hole, one warning each.
struct Orphans {
  struct Entry {
    long firstLine = 0;
    std::size_t rows = 0;
  };
  std::vector<std::string> order;
  std::unordered_map<std::string, Entry> byHole;
  void add(const std::string& hole, long line) {
    auto [it, fresh] = byHole.try_emplace(hole);
    if (fresh) {
      order.push_back(hole);
      it->second.firstLine = line;
    }
    ++it->second.rows;
  }
};

bool sameFieldValues(const IntervalTable& t, std::size_t a, std::size_t b) {
  for (const auto& f : t.fields) {
    if (f.categorical) {
      if (f.codes[a] != f.codes[b]) return false;
    } else {
      const double x = f.values[a], y = f.values[b];
      if (!(x == y || (std::isnan(x) && std::isnan(y)))) return false;
      if (f.isBelowDetection(a) != f.isBelowDetection(b)) return false;
    }
  }
  return true;
}

/// The pending stations of one hole before the depth checks.
struct PendingHole {
  std::vector<SurveyStation> stations;
};

}  // namespace

Eigen::Vector3d holeDirection(double azimuthDeg, double dipDownDeg) {
  const double az = azimuthDeg * kPi / 180.0, dip = dipDownDeg * kPi / 180.0;
  return {std::sin(az) * std::cos(dip), std::cos(az) * std::cos(dip), -std::sin(dip)};
}

DrillholeDatabase buildDrillholeDatabase(const CollarTable& collars, const SurveyTable* surveys,
                                         const std::vector<IntervalTable>& intervals,
                                         const DrillholeValidationOptions& options,
                                         ValidationLog& log) {
  log.strict = options.strict;
  Checker check(log);
  DrillholeDatabase db;

  // ---- collars
  {
    ValidationLog::FileCount count{collars.file, "collars", collars.size(), 0, 0};
    const std::size_t firstRow = log.rows.size();
    auto at = [&](std::size_t r, long column, const std::string& name, const std::string& value) {
      return SourceLocation{collars.file, collars.lines[r], column, name, value};
    };
    for (std::size_t r = 0; r < collars.size(); ++r) {
      const std::string& id = collars.holeIds[r];
      if (id.empty()) {
        check.warn(at(r, collars.holeColumn, collars.holeName, ""), "", "missing_hole_id",
                   "row skipped", true, 1, 1);
        continue;
      }
      const double xyz[3] = {collars.x[r], collars.y[r], collars.z[r]};
      const long columns[3] = {collars.xColumn, collars.yColumn, collars.zColumn};
      const std::string* names[3] = {&collars.xName, &collars.yName, &collars.zName};
      int missing = -1;
      for (int a = 2; a >= 0; --a)
        if (std::isnan(xyz[a])) missing = a;
      if (missing >= 0) {
        check.warn(at(r, columns[missing], *names[missing], ""), id, "missing_coordinate",
                   "collar skipped (its surveys and intervals count as without collar)", true, 1,
                   1);
        continue;
      }
      double depth = collars.depth.empty() ? kNotAssayed : collars.depth[r];
      if (!std::isnan(depth) && !(depth > 0.0)) {
        check.warn(at(r, collars.depthColumn, collars.depthName, number(depth)), id,
                   "invalid_collar_depth", "depth ignored (taken from the intervals)", true);
        depth = kNotAssayed;
      }
      const long existing = db.holeIndex(id);
      if (existing >= 0) {
        const Drillhole& first = db.holes[std::size_t(existing)];
        const bool sameDepth =
            (std::isnan(first.collarDepth) && std::isnan(depth)) || first.collarDepth == depth;
        if (first.x == xyz[0] && first.y == xyz[1] && first.z == xyz[2] && sameDepth) {
          check.warn(at(r, collars.holeColumn, collars.holeName, id), id, "duplicate_collar",
                     "identical repeat of line " + std::to_string(first.line) + " skipped", false,
                     1, 1);
          continue;
        }
        throw DataError("duplicate collar: hole '" + id + "' is also at line " +
                            std::to_string(first.line) + " with other coordinates or depth",
                        at(r, collars.holeColumn, collars.holeName, id));
      }
      Drillhole hole;
      hole.id = id;
      hole.x = xyz[0];
      hole.y = xyz[1];
      hole.z = xyz[2];
      hole.collarDepth = depth;
      hole.line = collars.lines[r];
      db.holeById[id] = db.holes.size();
      db.holes.push_back(std::move(hole));
    }
    if (db.holes.empty())
      throw DataError("no usable collar (every row was skipped)",
                      SourceLocation{collars.file, 0, 0, {}, {}});
    for (std::size_t i = firstRow; i < log.rows.size(); ++i) count.skipped += log.rows[i].skipped;
    log.files.push_back(count);
  }
  const std::size_t holeCount = db.holes.size();

  // ---- surveys: convention, row checks; depth checks wait for the hole depths
  std::vector<PendingHole> pending(holeCount);
  std::size_t surveyFile = 0;
  if (surveys != nullptr) {
    const SurveyTable& s = *surveys;
    ValidationLog::FileCount count{s.file, "surveys", s.size(), 0, 0};
    const std::size_t firstRow = log.rows.size();
    auto at = [&](std::size_t r, long column, const std::string& name, const std::string& value) {
      return SourceLocation{s.file, s.lines[r], column, name, value};
    };
    for (double dip : s.dip) {
      if (std::isnan(dip)) continue;
      log.positiveDips += dip > 0.0;
      log.negativeDips += dip < 0.0;
      log.zeroDips += dip == 0.0;
    }
    DipConvention convention = options.dip;
    if (convention == DipConvention::Auto) {
      log.dipDecidedByMajority = true;
      if (log.positiveDips == log.negativeDips && log.positiveDips > 0) {
        throw DataError("cannot decide the dip convention: " + std::to_string(log.positiveDips) +
                            " positive and as many negative dips; give --dip down-negative or "
                            "--dip down-positive",
                        SourceLocation{s.file, 0, s.dipColumn, s.dipName, {}});
      }
      // No non-zero dip at all: every hole is horizontal, the convention does not matter.
      convention = log.positiveDips > log.negativeDips ? DipConvention::DownPositive
                                                       : DipConvention::DownNegative;
    }
    log.dipConvention = convention;
    const double sign = convention == DipConvention::DownPositive ? 1.0 : -1.0;

    Orphans orphans;
    for (std::size_t r = 0; r < s.size(); ++r) {
      const std::string& id = s.holeIds[r];
      if (id.empty()) {
        check.warn(at(r, s.holeColumn, s.holeName, ""), "", "missing_hole_id", "row skipped", true,
                   1, 1);
        continue;
      }
      const long h = db.holeIndex(id);
      if (h < 0) {
        orphans.add(id, s.lines[r]);
        continue;
      }
      const double v[3] = {s.depth[r], s.azimuth[r], s.dip[r]};
      const long columns[3] = {s.depthColumn, s.azimuthColumn, s.dipColumn};
      const std::string* names[3] = {&s.depthName, &s.azimuthName, &s.dipName};
      int missing = -1;
      for (int a = 2; a >= 0; --a)
        if (std::isnan(v[a])) missing = a;
      if (missing >= 0) {
        check.warn(at(r, columns[missing], *names[missing], ""), id, "missing_survey_value",
                   "row skipped", true, 1, 1);
        continue;
      }
      if (v[2] < -90.0 || v[2] > 90.0)
        throw DataError("dip outside [-90, 90] degrees",
                        at(r, s.dipColumn, s.dipName, number(v[2])));
      if (v[0] < 0.0) {
        check.warn(at(r, s.depthColumn, s.depthName, number(v[0])), id, "negative_survey_depth",
                   "row skipped", true, 1, 1);
        continue;
      }
      double azimuth = v[1];
      if (azimuth < 0.0 || azimuth > 360.0) {
        azimuth = std::fmod(azimuth, 360.0);
        if (azimuth < 0.0) azimuth += 360.0;
        check.warn(at(r, s.azimuthColumn, s.azimuthName, number(v[1])), id, "azimuth_out_of_range",
                   "read as " + number(azimuth) + " degrees", true);
      }
      if (azimuth >= 360.0) azimuth -= 360.0;  // 360 = north
      pending[std::size_t(h)].stations.push_back({v[0], azimuth, sign * v[2], s.lines[r]});
    }
    for (const auto& id : orphans.order) {
      const auto& e = orphans.byHole.at(id);
      check.warn(SourceLocation{s.file, e.firstLine, s.holeColumn, s.holeName, id}, id,
                 "survey_without_collar", std::to_string(e.rows) + " rows skipped", true, e.rows,
                 e.rows);
    }
    // Repeated depths: an identical repeat is dropped quietly-but-logged, a conflicting one
    // loses to the first row of the file.
    for (std::size_t h = 0; h < holeCount; ++h) {
      auto& st = pending[h].stations;
      std::stable_sort(st.begin(), st.end(), [](const SurveyStation& a, const SurveyStation& b) {
        return a.depth < b.depth;
      });
      std::vector<SurveyStation> kept;
      for (const auto& station : st) {
        if (!kept.empty() &&
            station.depth - kept.back().depth <= depthTolerance(station.depth, kept.back().depth)) {
          const SurveyStation& first = kept.back();
          const bool same = first.azimuth == station.azimuth && first.dip == station.dip;
          check.warn(SourceLocation{s.file, station.line, s.depthColumn, s.depthName,
                                    number(station.depth)},
                     db.holes[h].id, same ? "duplicate_survey" : "conflicting_survey",
                     (same ? "identical repeat of line " : "row skipped; line ") +
                         std::to_string(first.line) + (same ? " skipped" : " kept"),
                     !same, 1, 1);
          continue;
        }
        kept.push_back(station);
      }
      st = std::move(kept);
    }
    for (std::size_t i = firstRow; i < log.rows.size(); ++i) count.skipped += log.rows[i].skipped;
    surveyFile = log.files.size();
    log.files.push_back(count);
  }

  // ---- intervals: row checks, then per hole sorting and overlaps
  for (const IntervalTable& t : intervals) {
    ValidationLog::FileCount count{t.file, "intervals", t.size(), 0, 0};
    const std::size_t firstRow = log.rows.size();
    auto at = [&](std::size_t r, long column, const std::string& name, const std::string& value) {
      return SourceLocation{t.file, t.lines[r], column, name, value};
    };
    const std::string& fromName = t.fromName;
    const std::string& toName = t.toName;
    std::vector<std::vector<std::size_t>> rowsOf(holeCount);
    Orphans orphans;
    for (std::size_t r = 0; r < t.size(); ++r) {
      const std::string& id = t.holeIds[r];
      if (id.empty()) {
        check.warn(at(r, t.holeColumn, t.holeName, ""), "", "missing_hole_id", "row skipped", true,
                   1, 1);
        continue;
      }
      const long h = db.holeIndex(id);
      if (h < 0) {
        orphans.add(id, t.lines[r]);
        continue;
      }
      const double from = t.from[r], to = t.to[r];
      if (std::isnan(from) || std::isnan(to)) {
        const bool f = std::isnan(from);
        check.warn(at(r, f ? t.fromColumn : t.toColumn, f ? fromName : toName, ""), id,
                   "missing_from_to", "row skipped", true, 1, 1);
        continue;
      }
      if (from < 0.0) {
        check.warn(at(r, t.fromColumn, fromName, number(from)), id, "negative_from", "row skipped",
                   true, 1, 1);
        continue;
      }
      if (from >= to) {
        check.warn(at(r, t.toColumn, toName, number(to)), id,
                   from == to ? "zero_length_interval" : "from_after_to", "row skipped", true, 1, 1,
                   "from " + number(from) + " to " + number(to));
        continue;
      }
      rowsOf[std::size_t(h)].push_back(r);
    }
    for (const auto& id : orphans.order) {
      const auto& e = orphans.byHole.at(id);
      check.warn(SourceLocation{t.file, e.firstLine, t.holeColumn, t.holeName, id}, id,
                 "interval_without_collar", std::to_string(e.rows) + " rows skipped", true, e.rows,
                 e.rows);
    }

    IntervalTable out;
    out.file = t.file;
    out.name = t.name;
    out.holeColumn = t.holeColumn;
    out.fromColumn = t.fromColumn;
    out.toColumn = t.toColumn;
    out.holeName = t.holeName;
    out.fromName = t.fromName;
    out.toName = t.toName;
    for (const auto& f : t.fields) out.fields.push_back(f.emptyLike());
    for (std::size_t h = 0; h < holeCount; ++h) {
      auto& rows = rowsOf[h];
      std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
        return t.from[a] < t.from[b] || (t.from[a] == t.from[b] && t.to[a] < t.to[b]);
      });
      double reach = -1.0;      // deepest end kept so far
      std::size_t reacher = 0;  // the row that reaches it
      for (std::size_t r : rows) {
        if (reach > 0.0 && t.from[r] < reach - depthTolerance(t.from[r], reach)) {
          const bool same = t.from[r] == t.from[reacher] && t.to[r] == t.to[reacher] &&
                            sameFieldValues(t, r, reacher);
          check.warn(
              at(r, t.fromColumn, fromName, number(t.from[r])), db.holes[h].id,
              same ? "duplicate_interval" : "overlapping_interval",
              same ? "identical repeat of line " + std::to_string(t.lines[reacher]) + " skipped"
                   : "row skipped (overlaps " + number(t.from[reacher]) + "-" +
                         number(t.to[reacher]) + " at line " + std::to_string(t.lines[reacher]) +
                         ")",
              !same, 1, 1, number(t.from[r]) + "-" + number(t.to[r]));
          continue;
        }
        reach = t.to[r];
        reacher = r;
        out.holeIds.push_back(t.holeIds[r]);
        out.hole.push_back(h);
        out.from.push_back(t.from[r]);
        out.to.push_back(t.to[r]);
        out.lines.push_back(t.lines[r]);
        for (std::size_t f = 0; f < t.fields.size(); ++f) {
          const IntervalField& src = t.fields[f];
          IntervalField& dst = out.fields[f];
          if (src.categorical) {
            dst.codes.push_back(src.codes[r]);  // same categories: copied by emptyLike
          } else {
            dst.appendFrom(src, r);
          }
        }
      }
    }
    for (auto& f : out.fields)
      if (!f.categorical && !f.belowDetection.empty()) f.belowDetection.resize(f.values.size(), 0);
    for (std::size_t i = firstRow; i < log.rows.size(); ++i) count.skipped += log.rows[i].skipped;
    log.files.push_back(count);
    db.tables.push_back(std::move(out));
  }

  // ---- hole depths: the collar's, extended to the deepest interval
  std::vector<double> deepest(holeCount, -1.0);
  for (std::size_t ti = 0; ti < db.tables.size(); ++ti) {
    const IntervalTable& t = db.tables[ti];
    for (std::size_t r = 0; r < t.size(); ++r)
      deepest[t.hole[r]] = std::max(deepest[t.hole[r]], t.to[r]);
  }
  for (std::size_t ti = 0; ti < db.tables.size(); ++ti) {
    const IntervalTable& t = db.tables[ti];
    for (std::size_t r = 0; r < t.size(); ++r) {
      const Drillhole& hole = db.holes[t.hole[r]];
      if (!std::isnan(hole.collarDepth) &&
          t.to[r] > hole.collarDepth + depthTolerance(t.to[r], hole.collarDepth)) {
        check.warn(SourceLocation{t.file, t.lines[r], t.toColumn, t.toName, number(t.to[r])},
                   hole.id, "interval_beyond_depth",
                   "kept; hole depth " + number(hole.collarDepth) + " extended to " +
                       number(deepest[t.hole[r]]),
                   true);
      }
    }
  }
  for (std::size_t h = 0; h < holeCount; ++h) {
    Drillhole& hole = db.holes[h];
    if (!std::isnan(hole.collarDepth)) {
      hole.depth = std::max(hole.collarDepth, deepest[h]);
    } else if (deepest[h] > 0.0) {
      hole.depth = deepest[h];
    } else if (!pending[h].stations.empty()) {
      hole.depth = pending[h].stations.back().depth;
    }
  }

  // ---- survey depth checks, holes without survey, sign mixtures, doglegs
  if (surveys != nullptr) {
    const SurveyTable& s = *surveys;
    const std::size_t firstRow = log.rows.size();
    for (std::size_t h = 0; h < holeCount; ++h) {
      const Drillhole& hole = db.holes[h];
      auto& st = pending[h].stations;
      if (std::isnan(hole.depth)) continue;
      std::vector<SurveyStation> kept;
      for (const auto& station : st) {
        if (station.depth > hole.depth + depthTolerance(station.depth, hole.depth)) {
          const std::string origin =
              std::isnan(hole.collarDepth) ? "deepest interval end " : "collar depth ";
          check.warn(SourceLocation{s.file, station.line, s.depthColumn, s.depthName,
                                    number(station.depth)},
                     hole.id, "survey_beyond_depth",
                     "row skipped (hole depth: " + origin + number(hole.depth) + ")", true, 1, 1);
          continue;
        }
        kept.push_back(station);
      }
      st = std::move(kept);
    }
    for (std::size_t i = firstRow; i < log.rows.size(); ++i) {
      log.files[surveyFile].skipped += log.rows[i].skipped;
    }
  }
  for (auto& f : log.files) f.kept = f.read - f.skipped;

  const double cosLimit = std::cos(options.doglegWarning * kPi / 180.0);
  for (std::size_t h = 0; h < holeCount; ++h) {
    Drillhole& hole = db.holes[h];
    hole.stations = std::move(pending[h].stations);
    if (hole.stations.empty()) {
      hole.surveyed = false;
      hole.stations.push_back({0.0, 0.0, 90.0, 0});
      check.warn(
          SourceLocation{collars.file, hole.line, collars.holeColumn, collars.holeName, hole.id},
          hole.id, "no_survey", "vertical (straight down) hole assumed", false, 1, 0);
      continue;
    }
    hole.surveyed = true;
    std::size_t down = 0, up = 0;
    for (const auto& station : hole.stations) {
      down += station.dip > 0.0;
      up += station.dip < 0.0;
    }
    if (down > 0 && up > 0) {
      check.warn(
          SourceLocation{
              surveys->file, hole.stations.front().line, surveys->dipColumn, surveys->dipName, {}},
          hole.id, "mixed_dip_sign", "kept", false, hole.stations.size(), 0,
          std::to_string(down) + (down == 1 ? " station" : " stations") + " down, " +
              std::to_string(up) + " up");
    }
    for (std::size_t i = 1; i < hole.stations.size(); ++i) {
      const SurveyStation& a = hole.stations[i - 1];
      const SurveyStation& b = hole.stations[i];
      const double c = holeDirection(a.azimuth, a.dip).dot(holeDirection(b.azimuth, b.dip));
      if (c < cosLimit) {
        const double angle = std::acos(std::clamp(c, -1.0, 1.0)) * 180.0 / kPi;
        check.warn(SourceLocation{surveys->file, b.line, surveys->dipColumn, surveys->dipName, {}},
                   hole.id, "dogleg", "kept", false, 1, 0,
                   number(std::round(angle * 10.0) / 10.0) + " degrees between depths " +
                       number(a.depth) + " and " + number(b.depth));
      }
    }
  }
  return db;
}

// ------------------------------------------------------------------ merging tables

IntervalTable mergeIntervalTables(const DrillholeDatabase& db,
                                  std::vector<std::pair<std::string, std::string>>* renamed) {
  IntervalTable out;
  out.name = "intervals";
  // Field names: unique (case-insensitive) and clear of the output columns.
  static const char* reserved[] = {"hole",   "from",   "to",     "x",    "y",    "z",
                                   "x_from", "y_from", "z_from", "x_to", "y_to", "z_to"};
  std::set<std::string> used;
  for (const char* r : reserved) used.insert(r);
  for (const auto& t : db.tables) {
    for (const auto& f : t.fields) {
      IntervalField g = f.emptyLike();
      if (used.count(lowerCase(g.name)) > 0) {
        std::string name = t.name + "_" + f.name;
        for (int n = 2; used.count(lowerCase(name)) > 0; ++n)
          name = t.name + "_" + f.name + "_" + std::to_string(n);
        if (renamed) renamed->emplace_back(f.name, name);
        g.name = name;
      }
      used.insert(lowerCase(g.name));
      out.fields.push_back(std::move(g));
    }
  }
  if (db.tables.size() == 1) {
    const IntervalTable& t = db.tables.front();
    out.file = t.file;
    out.holeIds = t.holeIds;
    out.hole = t.hole;
    out.from = t.from;
    out.to = t.to;
    out.lines = t.lines;
    for (std::size_t f = 0; f < t.fields.size(); ++f) {
      std::string name = out.fields[f].name;
      out.fields[f] = t.fields[f];
      out.fields[f].name = name;
    }
    return out;
  }

  // Rows of each table per hole (tables are sorted by hole, then depth).
  const std::size_t holes = db.holes.size();
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> range(
      db.tables.size(), std::vector<std::pair<std::size_t, std::size_t>>(holes, {0, 0}));
  for (std::size_t ti = 0; ti < db.tables.size(); ++ti) {
    const IntervalTable& t = db.tables[ti];
    for (std::size_t r = 0; r < t.size();) {
      std::size_t e = r;
      while (e < t.size() && t.hole[e] == t.hole[r]) ++e;
      range[ti][t.hole[r]] = {r, e};
      r = e;
    }
  }
  for (std::size_t h = 0; h < holes; ++h) {
    std::vector<double> cuts;
    for (std::size_t ti = 0; ti < db.tables.size(); ++ti) {
      const auto [b, e] = range[ti][h];
      for (std::size_t r = b; r < e; ++r) {
        cuts.push_back(db.tables[ti].from[r]);
        cuts.push_back(db.tables[ti].to[r]);
      }
    }
    if (cuts.empty()) continue;
    std::sort(cuts.begin(), cuts.end());
    std::vector<double> unique;
    for (double c : cuts)
      if (unique.empty() || c - unique.back() > depthTolerance(c, unique.back()))
        unique.push_back(c);
    std::vector<std::size_t> cursor(db.tables.size());
    for (std::size_t ti = 0; ti < db.tables.size(); ++ti) cursor[ti] = range[ti][h].first;
    for (std::size_t k = 0; k + 1 < unique.size(); ++k) {
      const double a = unique[k], b = unique[k + 1], mid = 0.5 * (a + b);
      std::vector<long> covering(db.tables.size(), -1);
      bool any = false;
      for (std::size_t ti = 0; ti < db.tables.size(); ++ti) {
        const IntervalTable& t = db.tables[ti];
        std::size_t& c = cursor[ti];
        const std::size_t e = range[ti][h].second;
        while (c < e && t.to[c] <= mid) ++c;
        if (c < e && t.from[c] <= mid) {
          covering[ti] = long(c);
          any = true;
        }
      }
      if (!any) continue;  // a gap in every table
      out.holeIds.push_back(db.holes[h].id);
      out.hole.push_back(h);
      out.from.push_back(a);
      out.to.push_back(b);
      out.lines.push_back(0);
      std::size_t f = 0;
      for (std::size_t ti = 0; ti < db.tables.size(); ++ti) {
        const IntervalTable& t = db.tables[ti];
        for (const auto& src : t.fields) {
          IntervalField& dst = out.fields[f++];
          if (covering[ti] >= 0 && dst.categorical) {
            dst.codes.push_back(src.codes[std::size_t(covering[ti])]);  // same categories
          } else if (covering[ti] >= 0) {
            dst.appendFrom(src, std::size_t(covering[ti]));
          } else if (dst.categorical) {
            dst.codes.push_back(-1);
          } else {
            dst.values.push_back(kNotAssayed);
            if (!dst.belowDetection.empty()) dst.belowDetection.push_back(0);
          }
        }
      }
    }
  }
  for (auto& f : out.fields)
    if (!f.categorical && !f.belowDetection.empty()) f.belowDetection.resize(f.values.size(), 0);
  return out;
}

}  // namespace orevox
