#pragma once
/// \file compositional.hpp
/// Compositional data analysis (Aitchison geometry) for geochemical samples: closure, the
/// centred, additive and isometric log-ratio transforms and their inverses, and the explicit
/// replacement of censored values and zeros that must precede any log-ratio.
///
/// Matrices hold one sample per row and one part (element) per column.

#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "orevox/geomodel/samples.hpp"

namespace orevox {

/// Closure C(x): each row rescaled to sum to `total` (1 = proportions, 1e6 = ppm).
/// Throws DataError naming row and part for a negative or non-finite value and for a row
/// whose sum is not positive; UsageError for a non-positive total.
Eigen::MatrixXd closure(const Eigen::MatrixXd& x, double total = 1.0);

/// Centred log-ratio (Aitchison 1986): clr_i(x) = ln x_i - (1/D) sum_j ln x_j.
/// Rows of the result sum to zero. clr is scale invariant, so a subcomposition (e.g. a few
/// elements in ppm that do not sum to a constant) is accepted as it is.
/// Throws DataError naming row, part and value for x <= 0 or non-finite: zeros and censored
/// values must be replaced first (replaceCensored).
Eigen::MatrixXd clr(const Eigen::MatrixXd& x);

/// Inverse clr: C(exp(y)) closed to `total`. clrInverse(clr(x)) == closure(x).
Eigen::MatrixXd clrInverse(const Eigen::MatrixXd& y, double total = 1.0);

/// Additive log-ratio (Aitchison 1986): ln(x_j / x_reference) for every part j except the
/// 0-based `reference`, in column order; D - 1 columns. UsageError for a bad reference.
Eigen::MatrixXd alr(const Eigen::MatrixXd& x, int reference);

/// Inverse alr: the reference part is put back at column `reference` (as exp(0) = 1 before
/// closure) and the rows are closed to `total`. y has D - 1 columns.
Eigen::MatrixXd alrInverse(const Eigen::MatrixXd& y, int reference, double total = 1.0);

/// Orthonormal D x (D - 1) contrast matrix V of the pivot coordinates (Egozcue et al. 2003,
/// "Isometric logratio transformations for compositional data analysis"; pivot form of
/// Filzmoser, Hron & Reimann): with 1-based i,
///   z_i = sqrt((D - i) / (D - i + 1)) ln(x_i / gm(x_{i+1}, ..., x_D)),  i = 1 .. D - 1,
/// i.e. column i has sqrt((D-i)/(D-i+1)) in row i, -1/sqrt((D-i)(D-i+1)) below it and 0
/// above. V^T V = I and the columns are orthogonal to the vector of ones.
/// UsageError for parts < 2.
Eigen::MatrixXd pivotBasis(int parts);

/// Isometric log-ratio in pivot coordinates: ilr(x) = clr(x) V with V = pivotBasis(D).
/// Euclidean distances between ilr rows equal Aitchison (clr) distances.
Eigen::MatrixXd ilr(const Eigen::MatrixXd& x);

/// Inverse ilr: clrInverse(z V^T, total), D = z.cols() + 1.
Eigen::MatrixXd ilrInverse(const Eigen::MatrixXd& z, double total = 1.0);

/// The fraction of the detection limit a below-detection value is replaced by (0.65 x DL,
/// Martin-Fernandez et al. 2003): the one default of every path (grid, transform, the
/// graph and raster paths, the demo).
inline constexpr double kDetectionLimitFactor = 0.65;

/// What replaceCensored changed, for reports.
struct ReplacementReport {
  std::vector<std::string> columns;  ///< the parts considered, in the order given
  std::vector<std::size_t> replaced; ///< number of values replaced per column
  double factor = kDetectionLimitFactor;  ///< fraction of the detection limit used
  double total = 1e6;                ///< the whole the values are parts of (1e6 for ppm)
};

/// Multiplicative replacement of censored values and zeros (Martin-Fernandez, Barcelo-Vidal
/// & Pawlowsky-Glahn 2003), as an explicit, reported step before any log-ratio.
///
/// In each row, a censored value or a zero of one of `columns` becomes
/// delta = factor * DL, where DL is the column's `detectionLimit` when > 0, otherwise the
/// censored value itself (readers store the detection limit there), otherwise (a zero with
/// no known limit) the column's smallest positive value. The other listed parts of that
/// row are multiplied by (1 - sum of the row's deltas / total), which keeps the ratios among
/// unreplaced parts (and the row total, when the row was closed to `total`). Values are
/// taken in the unit of which `total` is the whole (ppm with 1e6). Missing values (NaN) are
/// left as they are. Censored flags of the listed columns are cleared afterwards.
///
/// Throws UsageError for factor outside (0, 1), total <= 0 or no columns; DataError (with
/// table.source, the column and the value, the row in the message) for a negative value, a
/// missing column, a zero in a column without any positive value, or replacements that
/// would use up a row's total.
ReplacementReport replaceCensored(SampleTable& table, const std::vector<std::string>& columns,
                                  double factor = kDetectionLimitFactor, double total = 1e6);

}  // namespace orevox
