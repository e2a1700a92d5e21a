#pragma once
/// \file volume_io.hpp
/// Voxel models in any supported file format, chosen by the extension.

#include <cstddef>
#include <string>
#include <vector>

#include "orevox/core/options.hpp"

#include "orevox/voxel/voxel_model.hpp"

namespace orevox {

/// Reads .vdb (VoxelModel::read), .vti (readVti), .vo (readVoxet) or .csv (readBlockModelCsv, default
/// options: columns x, y, z). UsageError for any other extension.
VoxelModel readVolume(const std::string& path);

/// Writes .vdb (VoxelModel::write), .vti (writeVti), .vo (writeVoxet, a header and one file
/// per channel) or .csv (writeBlockModelCsv); atomic
/// in every case. UsageError for any other extension.
void writeVolume(const VoxelModel& model, const std::string& path);

/// UsageError (naming `option` when given) unless `path` ends in an extension writeVolume
/// writes; with `only` (".vti"), unless it ends in that one: for commands to check before
/// their work.
void checkVolumePath(const std::string& path, const std::string& option = {},
                     const std::string& only = {});

/// `orevox convert IN OUT`: one volume file to another format (.vdb, .vti, .vo, block-model
/// .csv), channels, activity, units and (where the format holds it) CRS kept.
struct VolumeConversion {
  std::string in, out;
  std::vector<std::string> channels;  ///< channels to keep; empty = all

  void declare(OptionSet& set);
};

/// What convertVolume read and wrote.
struct VolumeConversionResult {
  std::size_t nx = 0, ny = 0, nz = 0;
  std::vector<std::string> channels;
  std::size_t activeVoxels = 0;  ///< active in any written channel
};

/// Reads job.in, keeps job.channels, writes job.out (atomic). UsageError for an unknown
/// extension, the same path twice or a channel the input lacks (listing those it has).
VolumeConversionResult convertVolume(const VolumeConversion& job);

}  // namespace orevox
