#pragma once
/// \file distance_field.hpp
/// Distance-to-structure fields and the fault ring buffers of the SSGSNet raster path.

#include <vector>

#include "orevox/geomodel/geometry.hpp"
#include "orevox/geomodel/grid.hpp"

namespace orevox {

/// Euclidean distance in metres from each cell centre (GridSpec::centreX / centreY) to the
/// nearest segment of the 2D fault traces, row-major, grid.size() values. Equal to the
/// brute-force minimum of distanceToSegment over all segments (bit for bit): a kd-tree over
/// points sampled along the segments only selects the candidate segments. Cells outside
/// grid.mask are kNodata. Parallel over rows (TBB).
/// Throws DataError when the network has no 2D segment, UsageError for an empty grid.
std::vector<float> distanceToLines(const FaultNetwork& faults, const GridSpec& grid);

/// Outer edges of the buffer rings, metres, strictly increasing.
struct RingBufferOptions {
  std::vector<double> edges{500, 1000, 1500, 2000, 2500, 3000};
};

/// Reclassifies a distance field into fault influence levels, the multi-ring buffer of
/// SSGSNet (East Kunlun, 2026, section 2.2: faults and shear zones buffered in 6 rings from
/// 500 to 3000 m, "reclassified to quantify the degree of structural influence"). The paper
/// gives the rings but not the level values; orevox uses the natural reading, influence
/// decreasing away from the fault: with N edges e_1 < ... < e_N, a distance d gets
/// level N for d <= e_1, N - i for e_i < d <= e_{i+1}, and 0 for d > e_N
/// (defaults: 6 within 500 m, 5 within 1000 m, ..., 1 within 3000 m, 0 beyond).
/// kNodata and NaN inputs stay kNodata.
/// Throws UsageError for empty or not strictly increasing positive edges, DataError (with
/// the cell index) for a negative distance.
std::vector<float> ringBufferLevels(const std::vector<float>& distance, const RingBufferOptions& options = {});

}  // namespace orevox
