#pragma once
// Private input checks shared by geomodel's matrix algorithms.

#include <Eigen/Core>

#include <cmath>
#include <sstream>
#include <string>

#include "orevox/core/error.hpp"

namespace orevox::detail {

/// Throws DataError naming `what`, the (0-based) row and column and the value of the first
/// NaN or infinite entry of `data`.
inline void requireFinite(const Eigen::MatrixXd& data, const std::string& what) {
  if (data.allFinite()) return;
  for (Eigen::Index i = 0; i < data.rows(); ++i) {
    for (Eigen::Index j = 0; j < data.cols(); ++j) {
      if (std::isfinite(data(i, j))) continue;
      std::ostringstream v;
      v << data(i, j);
      SourceLocation where;
      where.value = v.str();
      throw DataError(what + ": row " + std::to_string(i) + ", column " + std::to_string(j) + " (0-based) is not finite",
                      where);
    }
  }
}

}  // namespace orevox::detail
