#include "orevox/datasets/constraint_io.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>

#include "csv_reader.hpp"
#include "orevox/core/error.hpp"
#include "text_file.hpp"

namespace orevox {

namespace {

using detail::Cell;
using detail::CellKind;

}  // namespace

ConstraintSet readConstraintTable(const std::string& path) {
  detail::DelimitedTable table = detail::readDelimitedTable(path);
  const bool decimalComma = table.decimalComma;
  std::vector<detail::Record>& records = table.records;
  const std::vector<std::string>& header = records.front().fields;
  const long headerLine = records.front().line;

  // Column lookup: exact name, else a unique case-insensitive match.
  auto column = [&](const std::string& name) { return detail::findColumn(header, name); };
  long cf = column("feature_name");
  // map2loop's contact and orientation tables name the unit in `name` / `formation`.
  if (cf < 0) cf = column("name");
  if (cf < 0) cf = column("formation");
  const long cx = column("X"), cy = column("Y"), cz = column("Z");
  for (const auto& [c, name] :
       {std::pair<long, const char*>{cx, "X"}, {cy, "Y"}, {cz, "Z"}, {cf, "feature_name"}}) {
    if (c < 0)
      throw DataError("missing column '" + std::string(name) +
                          "' (a constraint table needs X, Y, Z, feature_name; has " +
                          detail::joinNames(header) + ")",
                      SourceLocation{path, headerLine, 0, {}, {}});
  }
  const long cv = column("val");
  const std::array<long, 3> cn{column("nx"), column("ny"), column("nz")};
  const std::array<long, 3> cg{column("gx"), column("gy"), column("gz")};
  const long cdip = column("dip"), caz = column("azimuth"), cpol = column("polarity");
  for (const auto* triple : {&cn, &cg}) {
    const int present = ((*triple)[0] >= 0) + ((*triple)[1] >= 0) + ((*triple)[2] >= 0);
    if (present != 0 && present != 3)
      throw DataError(std::string("the header has only some of ") +
                          (triple == &cn ? "nx, ny, nz" : "gx, gy, gz"),
                      SourceLocation{path, headerLine, 0, {}, {}});
  }
  if ((cdip >= 0) != (caz >= 0))
    throw DataError("the header has only one of dip, azimuth",
                    SourceLocation{path, headerLine, 0, {}, {}});
  if (records.size() == 1)
    throw DataError("no data rows after the header", SourceLocation{path, headerLine, 0, {}, {}});

  ConstraintSet set;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const detail::Record& rec = records[r];
    detail::requireHeaderWidth(rec, header, path);
    // A number of column c: nothing when blank/NA, a DataError when not a finite number.
    auto number = [&](long c) -> std::optional<double> {
      if (c < 0) return std::nullopt;
      const Cell cell = detail::parseCell(rec.fields[std::size_t(c)], decimalComma);
      if (cell.kind == CellKind::Missing) return std::nullopt;
      if (cell.kind != CellKind::Number || !std::isfinite(cell.value))
        throw DataError("not a number",
                        SourceLocation{path, rec.line, c + 1, header[std::size_t(c)],
                                       rec.fields[std::size_t(c)]});
      return cell.value;
    };
    auto required = [&](long c) {
      const std::optional<double> v = number(c);
      if (!v)
        throw DataError("missing coordinate",
                        SourceLocation{path, rec.line, c + 1, header[std::size_t(c)], {}});
      return *v;
    };
    const Eigen::Vector3d p(required(cx), required(cy), required(cz));
    const std::string name = detail::trim(rec.fields[std::size_t(cf)]);
    if (name.empty())
      throw DataError("empty feature_name",
                      SourceLocation{path, rec.line, cf + 1, header[std::size_t(cf)], {}});

    // The orientation of this row, from the first form that is filled.
    std::optional<Eigen::Vector3d> normal;
    auto vector = [&](const std::array<long, 3>& cols) -> std::optional<Eigen::Vector3d> {
      const std::optional<double> a = number(cols[0]), b = number(cols[1]), c = number(cols[2]);
      const int filled = bool(a) + bool(b) + bool(c);
      if (filled == 0) return std::nullopt;
      for (int i = 0; i < 3; ++i) {
        if (!(i == 0 ? a : i == 1 ? b : c))
          throw DataError("incomplete vector: " + header[std::size_t(cols[0])] + ", " +
                              header[std::size_t(cols[1])] + ", " + header[std::size_t(cols[2])] +
                              " must all be given",
                          SourceLocation{path,
                                         rec.line,
                                         cols[std::size_t(i)] + 1,
                                         header[std::size_t(cols[std::size_t(i)])],
                                         {}});
      }
      const Eigen::Vector3d v(*a, *b, *c);
      if (!(v.norm() > 1e-12))
        throw DataError("zero vector",
                        SourceLocation{path, rec.line, cols[0] + 1, header[std::size_t(cols[0])],
                                       rec.fields[std::size_t(cols[0])]});
      return v.normalized();
    };
    if (cn[0] >= 0) normal = vector(cn);
    if (!normal && cg[0] >= 0) normal = vector(cg);
    if (!normal && cdip >= 0) {
      const std::optional<double> dip = number(cdip), az = number(caz);
      if (dip || az) {
        if (!dip || !az)
          throw DataError("dip and azimuth must both be given",
                          SourceLocation{path,
                                         rec.line,
                                         (dip ? caz : cdip) + 1,
                                         header[std::size_t(dip ? caz : cdip)],
                                         {}});
        // GemPy's tables hold negative dips: the same formula, dipping towards azimuth + 180.
        if (*dip < -180 || *dip > 180)
          throw DataError("dip must be in [-180, 180] degrees",
                          SourceLocation{path, rec.line, cdip + 1, header[std::size_t(cdip)],
                                         rec.fields[std::size_t(cdip)]});
        double polarity = 1.0;
        if (const std::optional<double> pol = number(cpol)) {
          if (*pol != 1.0 && *pol != -1.0 && *pol != 0.0)
            throw DataError("polarity must be 1 (upright) or -1 (overturned)",
                            SourceLocation{path, rec.line, cpol + 1, header[std::size_t(cpol)],
                                           rec.fields[std::size_t(cpol)]});
          polarity = *pol == -1.0 ? -1.0 : 1.0;
        }
        normal = normalFromDipAzimuth(*dip, *az, polarity);
      }
    }
    std::optional<double> value = number(cv);
    // A table without a val column: the rows without an orientation are contact points
    // whose value is their horizon's in the stratigraphy (NaN until then).
    if (cv < 0 && !normal) value = std::numeric_limits<double>::quiet_NaN();
    if (!value && !normal)
      throw DataError(
          "row has neither a value (val) nor an orientation (nx,ny,nz; gx,gy,gz; dip,azimuth)",
          SourceLocation{path, rec.line, 0, {}, {}});

    auto it = std::find_if(set.features.begin(), set.features.end(),
                           [&](const FeatureConstraints& f) { return f.name == name; });
    if (it == set.features.end()) {
      set.features.push_back({});
      set.features.back().name = name;
      set.features.back().source = path;
      it = set.features.end() - 1;
    }
    if (value) it->values.push_back({p, *value, rec.line});
    if (normal) it->orientations.push_back({p, *normal, rec.line});
  }
  return set;
}

}  // namespace orevox
