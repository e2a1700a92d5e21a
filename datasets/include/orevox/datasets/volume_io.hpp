#pragma once
/// \file volume_io.hpp
/// Voxel models in any supported file format, chosen by the extension.

#include <string>

#include "orevox/voxel/voxel_model.hpp"

namespace orevox {

/// Reads .vdb (VoxelModel::read), .vti (readVti) or .csv (readBlockModelCsv, default
/// options: columns x, y, z). UsageError for any other extension.
VoxelModel readVolume(const std::string& path);

/// Writes .vdb (VoxelModel::write), .vti (writeVti) or .csv (writeBlockModelCsv); atomic
/// in every case. UsageError for any other extension.
void writeVolume(const VoxelModel& model, const std::string& path);

}  // namespace orevox
