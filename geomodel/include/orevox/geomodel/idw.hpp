#pragma once
/// \file idw.hpp
/// Inverse-distance-weighted gridding of point samples (e.g. stream-sediment geochemistry
/// to the element rasters of the SSGSNet raster path), on a kd-tree of the samples.

#include <cstddef>
#include <string>
#include <vector>

#include "orevox/core/options.hpp"
#include "orevox/geomodel/grid.hpp"
#include "orevox/geomodel/raster.hpp"
#include "orevox/geomodel/samples.hpp"

namespace orevox {

/// Parameters of idwGrid.
struct IdwOptions {
  double power = 2.0;         ///< distance exponent p of the weights 1 / d^p (> 0)
  std::size_t neighbors = 12; ///< at most this many nearest samples per cell (> 0)
  double radius = 0.0;        ///< search radius in metres (samples with d <= radius); 0 = unlimited
  float nodata = kNodata;     ///< value of cells without any sample within the radius

  /// Declares --power, --neighbors and --radius (the one declaration behind the CLI, study
  /// files, reports and docs).
  void declare(OptionSet& set) {
    set.add("power", power, "IDW distance exponent p of the weights 1 / d^p").positive();
    set.add("neighbors", neighbors, "Nearest samples per cell").positive();
    set.add("radius", radius, "Search radius (0 = unlimited); cells with no sample within it get nodata -9999")
        .units("m")
        .nonNegative();
  }
};

/// Inverse distance weighting, Z = sum(z_i / d_i^p) / sum(1 / d_i^p), over the `neighbors`
/// nearest samples within `radius` of each cell centre (GridSpec::centreX / centreY).
/// Band i of the result is `fields[i]` (its name; units from the sample column).
///
/// This reproduces `gdal_grid -a invdistnn:power=p:max_points=k:radius=r:nodata=v` (GDAL
/// 3.6), which evaluates at pixel centres (xmin + (col + 0.5) * dx) and keeps samples with
/// d^2 <= r^2 (inclusive), with one refinement: a sample whose value of a field is NaN is
/// dropped from that field's sum only (the other fields still use it), so that field uses
/// fewer than k neighbours in that cell rather than reaching further out. As in GDAL, a
/// sample closer than about 3e-7 m (d^2 < 1e-13 m^2) to a cell centre gives its value exactly; with
/// several such samples the nearest wins. Cells outside `grid.mask` and cells with no
/// usable sample are `nodata`. Only x and y are used for 3D samples.
///
/// One kd-tree query per cell is shared by all fields; rows run in parallel (TBB) and the
/// result does not depend on the thread count.
///
/// Throws UsageError for power <= 0, neighbors == 0, radius < 0, no fields or an empty
/// grid; DataError naming table.source and the field for a missing field, and for an empty
/// table.
Raster idwGrid(const SampleTable& samples, const std::vector<std::string>& fields,
               const GridSpec& grid, const IdwOptions& options = {});

}  // namespace orevox
