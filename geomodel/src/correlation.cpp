#include "orevox/geomodel/correlation.hpp"

#include "matrix_checks.hpp"

#include <boost/graph/connected_components.hpp>

#include <cmath>
#include <sstream>
#include <vector>

#include "orevox/core/error.hpp"

namespace orevox {

namespace {

void checkSquare(const Eigen::MatrixXd& r) {
  if (r.rows() != r.cols()) {
    throw UsageError("correlation matrix must be square, got " + std::to_string(r.rows()) + " x " +
                     std::to_string(r.cols()));
  }
}

bool isEdge(const Eigen::MatrixXd& r, Eigen::Index i, Eigen::Index j, double alpha) {
  return i != j && std::abs(r(i, j)) > alpha;
}

bool connected(const Eigen::MatrixXd& r, double alpha) {
  if (r.rows() <= 1) return true;
  const CorrelationGraph g = correlationGraph(r, alpha);
  std::vector<int> component(boost::num_vertices(g));
  return boost::connected_components(g, component.data()) == 1;
}

}  // namespace

Eigen::MatrixXd pearson(const Eigen::MatrixXd& data) {
  if (data.rows() < 2) {
    throw DataError("Pearson correlation needs at least 2 samples, got " + std::to_string(data.rows()));
  }
  detail::requireFinite(data, "Pearson correlation");
  Eigen::MatrixXd centred = data.rowwise() - data.colwise().mean();
  const Eigen::VectorXd norms = centred.colwise().norm();
  for (Eigen::Index j = 0; j < data.cols(); ++j) {
    // Relative to the column's magnitude, so a constant column is caught despite rounding.
    const double scale = data.col(j).cwiseAbs().maxCoeff();
    if (!(norms(j) > 1e-12 * scale * std::sqrt(double(data.rows())))) {
      throw DataError("Pearson correlation: column " + std::to_string(j) +
                      " (0-based) is constant, its correlation is undefined");
    }
    centred.col(j) /= norms(j);
  }
  Eigen::MatrixXd r = centred.transpose() * centred;
  for (Eigen::Index j = 0; j < r.rows(); ++j) r(j, j) = 1.0;
  // Rounding can push |r| a hair beyond 1.
  return r.cwiseMax(-1.0).cwiseMin(1.0);
}

CorrelationGraph correlationGraph(const Eigen::MatrixXd& r, double alpha) {
  checkSquare(r);
  CorrelationGraph g(static_cast<std::size_t>(r.rows()));
  for (Eigen::Index i = 0; i < r.rows(); ++i) {
    for (Eigen::Index j = i + 1; j < r.cols(); ++j) {
      if (isEdge(r, i, j, alpha)) boost::add_edge(std::size_t(i), std::size_t(j), r(i, j), g);
    }
  }
  return g;
}

Eigen::MatrixXd adjacencyMatrix(const Eigen::MatrixXd& r, double alpha) {
  checkSquare(r);
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(r.rows(), r.cols());
  for (Eigen::Index i = 0; i < r.rows(); ++i) {
    for (Eigen::Index j = 0; j < r.cols(); ++j) {
      if (isEdge(r, i, j, alpha)) a(i, j) = 1.0;
    }
  }
  return a;
}

double adaptiveAlpha(const Eigen::MatrixXd& r, double lo, double hi, double step) {
  checkSquare(r);
  if (!(step > 0.0)) throw UsageError("adaptive alpha: step must be positive");
  if (!(lo <= hi)) throw UsageError("adaptive alpha: lo must not exceed hi");
  // Integer steps avoid drift from repeated addition (0.2 + 12 * 0.05 must reach 0.8).
  const int steps = static_cast<int>(std::floor((hi - lo) / step + 1e-9));
  double best = lo;
  for (int i = 0; i <= steps; ++i) {
    // Rounded to 12 decimals so grid values are the nearest doubles to 0.45, 0.5, ...
    const double alpha = std::round((lo + i * step) * 1e12) / 1e12;
    if (!connected(r, alpha)) break;
    best = alpha;
  }
  return best;
}

}  // namespace orevox
