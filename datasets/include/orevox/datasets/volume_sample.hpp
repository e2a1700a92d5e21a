#pragma once
/// \file volume_sample.hpp
/// `orevox sample`: the value of every channel of a volume at the points of a CSV file
/// (drillhole composites, geochemical samples, deposit locations), nearest voxel or
/// trilinear.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "orevox/core/options.hpp"
#include "orevox/voxel/voxel_model.hpp"

namespace orevox {

/// How a channel is read between voxel centres.
enum class VolumeInterpolation {
  Nearest,  ///< the voxel containing the point
  Linear    ///< trilinear between the 8 surrounding voxel centres
};
/// "nearest", "linear".
const NameTable<VolumeInterpolation>& volumeInterpolationNames();

/// The value of `channel` at world point (x, y, z); empty outside the box (half-open, as
/// VoxelModel::worldToVoxel) or where a voxel the value needs is inactive. Nearest: the
/// voxel containing the point. Linear: trilinear between the voxel centres around the
/// point, the fractional voxel coordinate clamped to the first and last centre (so a point
/// between the outermost centre and the box's face takes the outermost layer's values);
/// corners with weight 0 need not be active. `values` and `active` are the channel's
/// dense values and activity flags (VoxelModel::denseChannel / activeMask).
std::optional<double> sampleVolume(const VolumeSpec& spec, const std::vector<float>& values,
                                   const std::vector<std::uint8_t>& active, double x, double y,
                                   double z, VolumeInterpolation interpolation);

/// `orevox sample` as one library call.
struct VolumeSampling {
  std::string volume, points, out;
  std::string x = "x", y = "y", z = "z";  ///< coordinate columns of the points file
  VolumeInterpolation interpolation = VolumeInterpolation::Nearest;
  std::vector<std::string> channels;  ///< empty = every channel

  void declare(OptionSet& set);
};

/// What runVolumeSampling read and wrote.
struct VolumeSamplingResult {
  std::size_t points = 0;
  std::vector<std::string> channels;          ///< as written (column names)
  std::vector<std::size_t> valuesPerChannel;  ///< points with a value
};

/// Reads the volume and the points CSV (any delimiter, quoted fields, BOM, CRLF), writes
/// job.out: the input columns as they were (re-quoted, comma-delimited), then one column
/// per channel named after it (suffixed "_sampled" when an input column has that name),
/// empty where sampleVolume gives nothing. Atomic. DataError naming file, line, column and
/// value for a coordinate that is not a number or a row with the wrong number of fields;
/// UsageError for a missing coordinate column (listing the columns) or an unknown channel.
VolumeSamplingResult runVolumeSampling(const VolumeSampling& job);

}  // namespace orevox
