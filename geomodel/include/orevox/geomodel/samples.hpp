#pragma once
/// \file samples.hpp
/// SampleTable: point samples (x, y, optional z) with named numeric columns and an optional
/// class label, e.g. a geochemical survey in ppm or a set of deposit locations.

#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "orevox/geomodel/grid.hpp"

namespace orevox {

/// One numeric column. Censored values (read as "<DL" or flagged below detection) keep
/// their detection limit in `values` and 1 in `censored`; they are replaced explicitly by
/// `replaceCensored` (compositional.hpp), never silently.
struct SampleColumn {
  std::string name;
  std::string units;                   ///< e.g. "ppm", "ppb", "%"
  std::vector<double> values;
  std::vector<std::uint8_t> censored;  ///< empty, or one flag per row (1 = below detection)
  double detectionLimit = 0.0;         ///< > 0 when known for the whole column

  bool isCensored(std::size_t row) const { return !censored.empty() && censored[row] != 0; }
};

/// Point samples in one CRS. All per-row vectors have `size()` entries.
class SampleTable {
 public:
  std::vector<double> x, y;
  std::vector<double> z;             ///< empty for 2D samples
  std::vector<std::string> ids;      ///< optional sample identifiers (empty or size())
  std::vector<SampleColumn> columns;
  std::vector<int> labels;           ///< optional class label per row (empty = unlabelled)
  std::string labelName;             ///< name of the label column when read from a file
  std::string crsWkt;
  std::string source;                ///< file or dataset it came from, for messages

  std::size_t size() const { return x.size(); }
  bool is3D() const { return !z.empty(); }
  bool hasLabels() const { return !labels.empty(); }

  /// Appends a point; columns get NaN for this row until set.
  void addPoint(double px, double py);
  void addPoint(double px, double py, double pz);
  /// Adds a column filled with `fill` (size() rows); throws UsageError if it exists.
  SampleColumn& addColumn(const std::string& name, double fill = 0.0, const std::string& units = {});
  /// Column index by name, -1 when absent.
  long columnIndex(const std::string& name) const;
  /// Column by name; throws DataError naming the column, the source and what is available.
  const SampleColumn& column(const std::string& name) const;
  SampleColumn& column(const std::string& name);
  std::vector<std::string> columnNames() const;
  /// rows x names.size() matrix of the named columns (for compositional transforms).
  Eigen::MatrixXd matrix(const std::vector<std::string>& names) const;
  /// Writes matrix columns back into the named columns (adds them when missing).
  void setMatrix(const std::vector<std::string>& names, const Eigen::MatrixXd& values,
                 const std::string& units = {});
  Extent extent() const;
  /// Checks that every per-row vector has size() entries; throws DataError otherwise.
  void validate() const;
  /// The same points, z, ids, labels, CRS and source with no columns: the start of a
  /// derived table (e.g. log-ratio coordinates) that keeps the samples' identity.
  SampleTable locationsOnly() const;
  /// A table with the given rows only (all columns, labels and ids kept).
  SampleTable subset(const std::vector<std::size_t>& rows) const;
};

}  // namespace orevox
