#pragma once
/// \file voxel_model.hpp
/// VoxelModel: several named float channels stored as sparse OpenVDB grids on one shared
/// transform. OpenVDB stays behind a pimpl: this header includes no OpenVDB header.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "orevox/geomodel/volume.hpp"

namespace orevox {

/// Named float channels on one index box (VolumeSpec: nx x ny x nz voxels, voxel size,
/// origin = minimum corner, voxel (i, j, k) centred at origin + (i + 0.5) * spacing).
/// Only active voxels are stored (OpenVDB trees); inactive voxels read as the channel's
/// background value. Every channel shares the same transform.
class VoxelModel {
 public:
  VoxelModel();
  explicit VoxelModel(VolumeSpec spec);
  ~VoxelModel();
  VoxelModel(VoxelModel&&) noexcept;
  VoxelModel& operator=(VoxelModel&&) noexcept;
  VoxelModel(const VoxelModel&);             ///< deep copy
  VoxelModel& operator=(const VoxelModel&);  ///< deep copy

  const VolumeSpec& spec() const;

  std::vector<std::string> channelNames() const;
  bool hasChannel(const std::string& name) const;
  /// Adds an empty (all inactive) channel; UsageError if the name exists.
  void addChannel(const std::string& name, float background = 0.0f, const std::string& units = {});
  void removeChannel(const std::string& name);
  std::string units(const std::string& channel) const;
  float background(const std::string& channel) const;

  /// Sets and activates one voxel; UsageError outside the box or for an unknown channel.
  void setValue(const std::string& channel, std::size_t i, std::size_t j, std::size_t k, float v);
  /// Value of a voxel (background when inactive or outside the box).
  float value(const std::string& channel, long i, long j, long k) const;
  bool isActive(const std::string& channel, long i, long j, long k) const;
  std::size_t activeVoxelCount(const std::string& channel) const;
  /// Bytes used by all channel trees (OpenVDB memUsage).
  std::size_t memoryBytes() const;

  /// Fills a channel from dense values (VolumeSpec::index order). With `active` (one flag
  /// per voxel) only flagged voxels are stored; otherwise every voxel is.
  void setChannel(const std::string& name, const std::vector<float>& values,
                  const std::vector<std::uint8_t>* active = nullptr, const std::string& units = {},
                  float background = 0.0f);
  /// Dense copy of one channel (inactive voxels = background).
  std::vector<float> denseChannel(const std::string& name) const;
  /// Dense activity flags of one channel.
  std::vector<std::uint8_t> activeMask(const std::string& name) const;

  /// Every channel of a DenseVolume, all voxels active unless `active` is given.
  static VoxelModel fromDense(const DenseVolume& volume, const std::vector<std::uint8_t>* active = nullptr);
  /// Dense copy of the named channels (all when empty).
  DenseVolume toDense(const std::vector<std::string>& channels = {}) const;

  /// Voxel containing a world point; false when outside the box.
  bool worldToVoxel(double x, double y, double z, long& i, long& j, long& k) const;

  /// Writes all channels to an OpenVDB file (atomic: temp name, then rename). The box,
  /// units and CRS travel as file/grid metadata.
  void write(const std::string& path) const;
  /// Reads a .vdb written by orevox or any float-grid .vdb (box from the active bounds).
  /// IoError / DataError naming the file when unreadable or holding no float grid.
  static VoxelModel read(const std::string& path);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace orevox
