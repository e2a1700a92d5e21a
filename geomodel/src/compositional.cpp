#include "orevox/geomodel/compositional.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "orevox/core/error.hpp"

namespace orevox {

namespace {

std::string formatValue(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

[[noreturn]] void badPart(Eigen::Index row, Eigen::Index col, double value, const std::string& why) {
  SourceLocation where;
  where.value = formatValue(value);
  throw DataError("matrix row " + std::to_string(row) + ", column " + std::to_string(col) +
                      " (0-based): " + why,
                  where);
}

void checkTotal(double total) {
  if (!(total > 0.0) || !std::isfinite(total)) {
    throw UsageError("closure total must be a positive number, got " + formatValue(total));
  }
}

void checkPositive(const Eigen::MatrixXd& x) {
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      const double v = x(i, j);
      if (!(v > 0.0) || !std::isfinite(v)) {
        badPart(i, j, v,
                "log-ratio transforms need positive, finite parts; replace zeros and censored "
                "values first (replaceCensored)");
      }
    }
  }
}

}  // namespace

Eigen::MatrixXd closure(const Eigen::MatrixXd& x, double total) {
  checkTotal(total);
  Eigen::MatrixXd out(x.rows(), x.cols());
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    double sum = 0.0;
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      const double v = x(i, j);
      if (!(v >= 0.0) || !std::isfinite(v)) badPart(i, j, v, "closure needs non-negative, finite parts");
      sum += v;
    }
    if (!(sum > 0.0) || !std::isfinite(sum)) {
      SourceLocation where;
      where.value = formatValue(sum);
      throw DataError("matrix row " + std::to_string(i) + " (0-based): row sum must be positive for closure", where);
    }
    out.row(i) = x.row(i) * (total / sum);
  }
  return out;
}

Eigen::MatrixXd clr(const Eigen::MatrixXd& x) {
  checkPositive(x);
  Eigen::MatrixXd out = x.array().log().matrix();
  if (x.cols() == 0) return out;
  const Eigen::VectorXd mean = out.rowwise().mean();
  out.colwise() -= mean;
  return out;
}

Eigen::MatrixXd clrInverse(const Eigen::MatrixXd& y, double total) {
  checkTotal(total);
  // Subtracting the row maximum before exp avoids overflow; closure removes the factor.
  Eigen::MatrixXd shifted = y;
  for (Eigen::Index i = 0; i < y.rows(); ++i) {
    if (y.cols() > 0) shifted.row(i).array() -= y.row(i).maxCoeff();
  }
  return closure(shifted.array().exp().matrix(), total);
}

Eigen::MatrixXd alr(const Eigen::MatrixXd& x, int reference) {
  if (x.cols() < 2) throw UsageError("alr needs at least 2 parts, got " + std::to_string(x.cols()));
  if (reference < 0 || reference >= x.cols()) {
    throw UsageError("alr reference part " + std::to_string(reference) + " is outside 0.." +
                     std::to_string(x.cols() - 1));
  }
  checkPositive(x);
  const Eigen::MatrixXd logs = x.array().log().matrix();
  Eigen::MatrixXd out(x.rows(), x.cols() - 1);
  Eigen::Index c = 0;
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    if (j == reference) continue;
    out.col(c++) = logs.col(j) - logs.col(reference);
  }
  return out;
}

Eigen::MatrixXd alrInverse(const Eigen::MatrixXd& y, int reference, double total) {
  const Eigen::Index parts = y.cols() + 1;
  if (reference < 0 || reference >= parts) {
    throw UsageError("alr reference part " + std::to_string(reference) + " is outside 0.." +
                     std::to_string(parts - 1));
  }
  Eigen::MatrixXd full(y.rows(), parts);
  Eigen::Index c = 0;
  for (Eigen::Index j = 0; j < parts; ++j) {
    if (j == reference) {
      full.col(j).setZero();
    } else {
      full.col(j) = y.col(c++);
    }
  }
  // exp of alr coordinates with the reference at 0 is the composition up to scale, which
  // is exactly what clrInverse closes.
  return clrInverse(full, total);
}

Eigen::MatrixXd pivotBasis(int parts) {
  if (parts < 2) throw UsageError("pivot (ilr) coordinates need at least 2 parts, got " + std::to_string(parts));
  const int d = parts;
  Eigen::MatrixXd v = Eigen::MatrixXd::Zero(d, d - 1);
  for (int i = 1; i < d; ++i) {  // 1-based pivot index as in the formula
    const double rest = double(d - i);
    v(i - 1, i - 1) = std::sqrt(rest / (rest + 1.0));
    const double below = -1.0 / std::sqrt(rest * (rest + 1.0));
    for (int r = i; r < d; ++r) v(r, i - 1) = below;
  }
  return v;
}

Eigen::MatrixXd ilr(const Eigen::MatrixXd& x) {
  const Eigen::MatrixXd v = pivotBasis(int(x.cols()));
  return clr(x) * v;
}

Eigen::MatrixXd ilrInverse(const Eigen::MatrixXd& z, double total) {
  const Eigen::MatrixXd v = pivotBasis(int(z.cols()) + 1);
  return clrInverse(z * v.transpose(), total);
}

ReplacementReport replaceCensored(SampleTable& table, const std::vector<std::string>& columns,
                                  double factor, double total) {
  if (!(factor > 0.0 && factor < 1.0)) {
    throw UsageError("replacement factor must lie in (0, 1) of the detection limit, got " + formatValue(factor));
  }
  if (!(total > 0.0) || !std::isfinite(total)) {
    throw UsageError("replacement total must be positive (1e6 for ppm), got " + formatValue(total));
  }
  if (columns.empty()) throw UsageError("replaceCensored: no columns given");
  table.validate();

  const std::size_t rows = table.size();
  std::vector<SampleColumn*> cols;
  for (const auto& name : columns) {
    SampleColumn* c = &table.column(name);
    for (const SampleColumn* seen : cols) {
      if (seen == c) throw UsageError("replaceCensored: column '" + name + "' is listed twice");
    }
    cols.push_back(c);
  }

  auto rowText = [&](std::size_t r) {
    std::string s = "row " + std::to_string(r + 1);
    if (!table.ids.empty()) s += " (sample '" + table.ids[r] + "')";
    return s;
  };

  // Validate everything before changing anything, so a failure leaves the table intact.
  std::vector<double> fallback(cols.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t j = 0; j < cols.size(); ++j) {
    const SampleColumn& c = *cols[j];
    double smallest = std::numeric_limits<double>::infinity();
    for (std::size_t r = 0; r < rows; ++r) {
      const double v = c.values[r];
      if (v < 0.0 || std::isinf(v)) {
        SourceLocation where;
        where.file = table.source;
        where.field = c.name;
        where.value = formatValue(v);
        throw DataError(rowText(r) + ": " + (v < 0.0 ? "negative concentration" : "infinite concentration"), where);
      }
      if (v > 0.0 && !c.isCensored(r)) smallest = std::min(smallest, v);
    }
    if (std::isfinite(smallest)) fallback[j] = smallest;
  }

  ReplacementReport report;
  report.columns = columns;
  report.replaced.assign(cols.size(), 0);
  report.factor = factor;
  report.total = total;

  std::vector<double> delta(cols.size());
  std::vector<std::uint8_t> replace(cols.size());
  std::vector<std::vector<double>> newValues(cols.size());
  for (std::size_t j = 0; j < cols.size(); ++j) newValues[j] = cols[j]->values;

  for (std::size_t r = 0; r < rows; ++r) {
    double sum = 0.0;
    for (std::size_t j = 0; j < cols.size(); ++j) {
      const SampleColumn& c = *cols[j];
      const double v = c.values[r];
      replace[j] = 0;
      if (std::isnan(v)) continue;
      if (!(c.isCensored(r) || v == 0.0)) continue;
      double dl = c.detectionLimit;
      if (!(dl > 0.0)) dl = c.isCensored(r) && v > 0.0 ? v : fallback[j];
      if (!(dl > 0.0)) {
        SourceLocation where;
        where.file = table.source;
        where.field = c.name;
        where.value = formatValue(v);
        throw DataError(rowText(r) +
                            ": zero with no detection limit and no positive value in the column to derive one from",
                        where);
      }
      delta[j] = factor * dl;
      replace[j] = 1;
      sum += delta[j];
    }
    if (sum == 0.0) continue;
    const double scale = 1.0 - sum / total;
    if (!(scale > 0.0)) {
      SourceLocation where;
      where.file = table.source;
      where.value = formatValue(sum);
      throw DataError(rowText(r) + ": replacements add up to the whole total " + formatValue(total) +
                          " (are the columns in the units of the total?)",
                      where);
    }
    for (std::size_t j = 0; j < cols.size(); ++j) {
      if (replace[j]) {
        newValues[j][r] = delta[j];
        ++report.replaced[j];
      } else {
        newValues[j][r] = cols[j]->values[r] * scale;
      }
    }
  }

  for (std::size_t j = 0; j < cols.size(); ++j) {
    cols[j]->values = std::move(newValues[j]);
    cols[j]->censored.clear();
  }
  return report;
}

}  // namespace orevox
