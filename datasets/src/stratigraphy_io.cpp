#include "orevox/datasets/stratigraphy_io.hpp"

#include <cmath>
#include <limits>

#include "csv_reader.hpp"
#include "orevox/core/error.hpp"
#include "text_file.hpp"

namespace orevox {

StratigraphicColumn readStratigraphicColumn(const std::string& path) {
  const detail::DelimitedTable table = detail::readDelimitedTable(path);
  const bool decimalComma = table.decimalComma;
  const std::vector<detail::Record>& records = table.records;
  const std::vector<std::string>& header = records.front().fields;
  const long headerLine = records.front().line;
  auto column = [&](const std::string& name) { return detail::findColumn(header, name); };
  long ch = column("horizon");
  if (ch < 0) ch = column("unit");
  if (ch < 0) ch = column("name");
  const long cs = column("series"), cv = column("value"), co = column("order"),
             cr = column("relation");
  for (const auto& [c, name] :
       {std::pair<long, const char*>{cs, "series"}, {ch, "horizon"}, {cv, "value"}, {co, "order"}})
    if (c < 0)
      throw DataError("missing column '" + std::string(name) +
                          "' (a stratigraphy table needs series, horizon, value, order; has " +
                          detail::joinNames(header) + ")",
                      SourceLocation{path, headerLine, 0, {}, {}});
  if (records.size() == 1)
    throw DataError("no data rows after the header", SourceLocation{path, headerLine, 0, {}, {}});

  std::vector<StratigraphicRow> rows;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const detail::Record& rec = records[r];
    detail::requireHeaderWidth(rec, header, path);
    auto where = [&](long c) {
      return SourceLocation{path, rec.line, c + 1, header[std::size_t(c)],
                            rec.fields[std::size_t(c)]};
    };
    StratigraphicRow row;
    row.line = rec.line;
    row.series = detail::trim(rec.fields[std::size_t(cs)]);
    row.horizon = detail::trim(rec.fields[std::size_t(ch)]);
    if (row.series.empty()) throw DataError("empty series name", where(cs));
    if (row.horizon.empty()) throw DataError("empty horizon name", where(ch));
    const detail::Cell value = detail::parseCell(rec.fields[std::size_t(cv)], decimalComma);
    if (value.kind == detail::CellKind::Missing)
      throw DataError("horizon '" + row.horizon + "' has no value", where(cv));
    if (value.kind != detail::CellKind::Number || !std::isfinite(value.value))
      throw DataError("not a number", where(cv));
    row.value = value.value;
    const detail::Cell order = detail::parseCell(rec.fields[std::size_t(co)], decimalComma);
    if (order.kind != detail::CellKind::Number || !(order.value >= 1) ||
        order.value != std::floor(order.value) || order.value > 1e9)
      throw DataError("order must be a whole number >= 1 (1 = youngest)", where(co));
    row.order = long(order.value);
    if (cr >= 0) {
      const std::string relation = detail::lower(detail::trim(rec.fields[std::size_t(cr)]));
      if (!relation.empty()) {
        bool known = false;
        for (const auto& [name, value] : seriesRelationNames())
          if (name == relation) {
            row.relation = value;
            known = true;
          }
        if (!known) throw DataError("relation must be erode or onlap", where(cr));
        row.relationGiven = true;
      }
    }
    rows.push_back(row);
  }
  return StratigraphicColumn::build(std::move(rows), path);
}

std::vector<FaultDisplacement> readFaultDisplacements(const std::string& path) {
  const detail::DelimitedTable table = detail::readDelimitedTable(path);
  const bool decimalComma = table.decimalComma;
  const std::vector<detail::Record>& records = table.records;
  const std::vector<std::string>& header = records.front().fields;
  const long headerLine = records.front().line;
  auto column = [&](const std::string& name) { return detail::findColumn(header, name); };
  const long cf = column("fault"), cd = column("displacement"), cr = column("radius");
  const long cs[3] = {column("sx"), column("sy"), column("sz")};
  for (const auto& [c, name] : {std::pair<long, const char*>{cf, "fault"}, {cd, "displacement"}})
    if (c < 0)
      throw DataError("missing column '" + std::string(name) +
                          "' (a displacement table needs fault, displacement; has " +
                          detail::joinNames(header) + ")",
                      SourceLocation{path, headerLine, 0, {}, {}});
  const int slipColumns = (cs[0] >= 0) + (cs[1] >= 0) + (cs[2] >= 0);
  if (slipColumns != 0 && slipColumns != 3)
    throw DataError("the header has only some of sx, sy, sz",
                    SourceLocation{path, headerLine, 0, {}, {}});
  std::vector<FaultDisplacement> out;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const detail::Record& rec = records[r];
    detail::requireHeaderWidth(rec, header, path);
    auto where = [&](long c) {
      return SourceLocation{path, rec.line, c + 1, header[std::size_t(c)],
                            rec.fields[std::size_t(c)]};
    };
    auto number = [&](long c, bool required) -> double {
      const detail::Cell cell = detail::parseCell(rec.fields[std::size_t(c)], decimalComma);
      if (cell.kind == detail::CellKind::Missing) {
        if (required) throw DataError("missing value", where(c));
        return std::numeric_limits<double>::quiet_NaN();
      }
      if (cell.kind != detail::CellKind::Number || !std::isfinite(cell.value))
        throw DataError("not a number", where(c));
      return cell.value;
    };
    FaultDisplacement d;
    d.line = rec.line;
    d.fault = detail::trim(rec.fields[std::size_t(cf)]);
    if (d.fault.empty()) throw DataError("empty fault name", where(cf));
    for (const auto& e : out)
      if (e.fault == d.fault)
        throw DataError(
            "fault '" + d.fault + "' is listed twice (also line " + std::to_string(e.line) + ")",
            where(cf));
    d.displacement = number(cd, true);
    if (cr >= 0) {
      const double radius = number(cr, false);
      if (!std::isnan(radius)) {
        if (!(radius > 0)) throw DataError("the radius must be > 0 (blank: infinite)", where(cr));
        d.radius = radius;
      }
    }
    if (cs[0] >= 0) {
      const double v[3] = {number(cs[0], false), number(cs[1], false), number(cs[2], false)};
      const int given = !std::isnan(v[0]) + !std::isnan(v[1]) + !std::isnan(v[2]);
      if (given != 0 && given != 3)
        throw DataError("incomplete slip vector: sx, sy, sz must all be given", where(cs[0]));
      if (given == 3) {
        d.slip = Eigen::Vector3d(v[0], v[1], v[2]);
        if (!(d.slip.norm() > 1e-12)) throw DataError("zero slip vector", where(cs[0]));
      }
    }
    out.push_back(d);
  }
  if (out.empty())
    throw DataError("no data rows after the header", SourceLocation{path, headerLine, 0, {}, {}});
  return out;
}

}  // namespace orevox
