#pragma once
/// \file drillhole_grid.hpp
/// `orevox drillholes grid`: desurveyed composites (the intervals.csv that `orevox drillholes
/// desurvey` writes) estimated onto voxels (geomodel/estimation.hpp), with optional ore
/// labels from a grade cutoff and from a closed mesh, written as .vdb and optionally .vti
/// and GOCAD Voxet together.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "orevox/core/options.hpp"
#include "orevox/geomodel/estimation.hpp"

namespace orevox {

class OutputBatch;  // orevox/core/atomic_file.hpp

/// Reads composites from a CSV with a hole column, x, y, z (the interval's middle, as in
/// intervals.csv) and fields: numeric (blank = not assayed, `<DL` below detection) or
/// categorical (text; `categorical` forces a column to be read as categories). The
/// columns hole, from, to (required, their common spellings recognised as in
/// readIntervalCsv) and the ends x_from ... z_to are not fields. DataError naming file, line,
/// column and value for a bad row or a missing x, y, z.
EstimationSamples readCompositesCsv(const std::string& path,
                                    const std::vector<std::string>& categorical = {});

/// `orevox drillholes grid` as one library call.
struct DrillholeGridJob {
  std::string intervals;                 ///< composites CSV (intervals.csv)
  std::vector<std::string> fields;       ///< fields to estimate
  std::vector<std::string> categorical;  ///< columns read as categories
  std::vector<double> cell;              ///< C or C,CZ
  std::vector<double> extent;  ///< xmin,ymin,zmin,xmax,ymax,zmax; empty = the composites' box
  EstimationOptions estimation;
  double belowDetectionFactor = 0.5;
  std::string label;          ///< "CU>=0.5": channel "label"
  std::string labelMesh;      ///< closed mesh: channel "label_mesh", 1 inside
  std::size_t fillHoles = 0;  ///< close holes of up to this many edges in the label mesh first
  std::string crs;            ///< CRS of the coordinates (EPSG:n, WKT, ...)
  std::string out, vti, voxet;
  std::string variograms;  ///< kriging: the experimental variograms and models as CSV

  void declare(OptionSet& set);
};

/// What runDrillholeGrid read, estimated and wrote.
struct DrillholeGridResult {
  VolumeSpec spec;
  std::size_t composites = 0, holes = 0;
  EstimationResult estimate;  ///< channels emptied after writing (counts and legends kept)
  std::vector<std::pair<std::string, std::size_t>> activeVoxels;  ///< per channel written
  /// Labels: voxels with 1 in each label channel, their volume (voxel count x voxel
  /// volume, CRS unit cubed) and, with both a cutoff and a mesh, the Dice coefficient
  /// 2 |A n B| / (|A| + |B|) over the voxels where the cutoff label is active.
  std::size_t labelVoxels = 0, meshVoxels = 0, bothVoxels = 0;
  double labelVolume = 0.0, meshVolume = 0.0, dice = 0.0;
  bool hasLabel = false, hasMesh = false;
  std::size_t meshHolesFilled = 0;
  std::vector<std::pair<std::string, double>> seconds;
  std::vector<std::string> outputs;

  nlohmann::json toJson() const;
  std::string summaryText() const;
};

/// The variogram table: field, direction, lag class, mean distance, pairs, experimental
/// gamma and the fitted model's gamma at that distance; then one row per field with
/// direction "model" holding shape, nugget, sill and range in the columns lag, distance,
/// pairs, gamma (named in the header: model rows use shape,nugget,sill,range).
std::string variogramTableCsv(const EstimationResult& estimate);

/// Reads the composites, builds the box (the extent's cells of `cell`, nx = ceil((xmax -
/// xmin) / C), ...), estimates, labels, and writes job.out (.vdb) with job.vti and job.voxet
/// when given: every file under a temporary name, renamed into place together once all are
/// written, so a failed run writes none and leaves existing files as they were. UsageError
/// for bad options (output extensions, a cutoff on an unknown field, ...), DataError /
/// IoError for the data. With kriging and job.variograms, the variogram table
/// (variogramTableCsv) is written in the same batch.
DrillholeGridResult runDrillholeGrid(const DrillholeGridJob& job);
/// The same into a run's `outputs`, declared before the estimation (with job.intervals and
/// job.labelMesh as inputs) and left for the caller's outputs.commit(), so that the
/// caller's own outputs (a report, figures) land together with them, all or none.
DrillholeGridResult runDrillholeGrid(const DrillholeGridJob& job, OutputBatch& outputs);

}  // namespace orevox
