#include "orevox/geomodel/samples.hpp"

#include <cmath>
#include <limits>

#include "orevox/core/error.hpp"

namespace orevox {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

void SampleTable::addPoint(double px, double py) {
  if (is3D()) throw UsageError("cannot add a 2D point to a 3D sample table");
  x.push_back(px);
  y.push_back(py);
  for (auto& c : columns) {
    c.values.push_back(kNaN);
    if (!c.censored.empty()) c.censored.push_back(0);
  }
}

void SampleTable::addPoint(double px, double py, double pz) {
  if (!is3D() && size() > 0) throw UsageError("cannot add a 3D point to a 2D sample table");
  x.push_back(px);
  y.push_back(py);
  z.push_back(pz);
  for (auto& c : columns) {
    c.values.push_back(kNaN);
    if (!c.censored.empty()) c.censored.push_back(0);
  }
}

SampleColumn& SampleTable::addColumn(const std::string& name, double fill, const std::string& units) {
  if (columnIndex(name) >= 0) throw UsageError("sample table already has a column '" + name + "'");
  columns.push_back(SampleColumn{name, units, std::vector<double>(size(), fill), {}, 0.0});
  return columns.back();
}

long SampleTable::columnIndex(const std::string& name) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return static_cast<long>(i);
  }
  return -1;
}

const SampleColumn& SampleTable::column(const std::string& name) const {
  const long i = columnIndex(name);
  if (i < 0) {
    std::string names;
    for (const auto& c : columns) names += (names.empty() ? "" : ", ") + c.name;
    SourceLocation where;
    where.file = source;
    where.field = name;
    throw DataError("no such column (columns: " + names + ")", where);
  }
  return columns[static_cast<std::size_t>(i)];
}

SampleColumn& SampleTable::column(const std::string& name) {
  return const_cast<SampleColumn&>(static_cast<const SampleTable&>(*this).column(name));
}

std::vector<std::string> SampleTable::columnNames() const {
  std::vector<std::string> out;
  out.reserve(columns.size());
  for (const auto& c : columns) out.push_back(c.name);
  return out;
}

Eigen::MatrixXd SampleTable::matrix(const std::vector<std::string>& names) const {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(size()), static_cast<Eigen::Index>(names.size()));
  for (std::size_t j = 0; j < names.size(); ++j) {
    const auto& c = column(names[j]);
    for (std::size_t i = 0; i < size(); ++i) m(Eigen::Index(i), Eigen::Index(j)) = c.values[i];
  }
  return m;
}

void SampleTable::setMatrix(const std::vector<std::string>& names, const Eigen::MatrixXd& values,
                            const std::string& units) {
  if (values.rows() != Eigen::Index(size()) || values.cols() != Eigen::Index(names.size())) {
    throw UsageError("setMatrix: matrix shape does not match the table");
  }
  for (std::size_t j = 0; j < names.size(); ++j) {
    if (columnIndex(names[j]) < 0) addColumn(names[j], 0.0, units);
    auto& c = column(names[j]);
    for (std::size_t i = 0; i < size(); ++i) c.values[i] = values(Eigen::Index(i), Eigen::Index(j));
  }
}

Extent SampleTable::extent() const {
  Extent e;
  for (std::size_t i = 0; i < size(); ++i) e.expand(x[i], y[i]);
  return e;
}

void SampleTable::validate() const {
  const std::size_t n = size();
  auto bad = [&](const std::string& what, std::size_t got) {
    SourceLocation where;
    where.file = source;
    throw DataError(what + " has " + std::to_string(got) + " rows, expected " + std::to_string(n), where);
  };
  if (y.size() != n) bad("y", y.size());
  if (!z.empty() && z.size() != n) bad("z", z.size());
  if (!ids.empty() && ids.size() != n) bad("ids", ids.size());
  if (!labels.empty() && labels.size() != n) bad("labels", labels.size());
  for (const auto& c : columns) {
    if (c.values.size() != n) bad("column '" + c.name + "'", c.values.size());
    if (!c.censored.empty() && c.censored.size() != n) bad("censor flags of '" + c.name + "'", c.censored.size());
  }
}

SampleTable SampleTable::locationsOnly() const {
  SampleTable out;
  out.x = x;
  out.y = y;
  out.z = z;
  out.ids = ids;
  out.labels = labels;
  out.labelName = labelName;
  out.crsWkt = crsWkt;
  out.source = source;
  return out;
}

SampleTable SampleTable::subset(const std::vector<std::size_t>& rows) const {
  SampleTable out;
  out.crsWkt = crsWkt;
  out.source = source;
  out.labelName = labelName;
  auto pick = [&](const auto& from, auto& to) {
    if (from.empty()) return;
    to.reserve(rows.size());
    for (auto r : rows) to.push_back(from.at(r));
  };
  pick(x, out.x);
  pick(y, out.y);
  pick(z, out.z);
  pick(ids, out.ids);
  pick(labels, out.labels);
  for (const auto& c : columns) {
    SampleColumn nc{c.name, c.units, {}, {}, c.detectionLimit};
    pick(c.values, nc.values);
    pick(c.censored, nc.censored);
    out.columns.push_back(std::move(nc));
  }
  return out;
}

}  // namespace orevox
