#pragma once
/// \file voxel_model.hpp
/// VoxelModel: several named float channels stored as sparse OpenVDB grids on one shared
/// transform. OpenVDB stays behind a pimpl: this header includes no OpenVDB header.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "orevox/geomodel/volume.hpp"

namespace orevox {

/// Named float channels on one index box (VolumeSpec: nx x ny x nz voxels, voxel size,
/// origin = minimum corner, voxel (i, j, k) centred at origin + (i + 0.5) * spacing).
/// Only active voxels are stored (OpenVDB trees); inactive voxels read as the channel's
/// background value. Every channel shares the same transform. Spacing may differ per axis
/// (an OpenVDB scale-translate map); it must be positive. The box is half-open: a point on
/// the maximum face of the box is outside it.
/// Const member functions may be called concurrently; mutation needs exclusive access.
class VoxelModel {
 public:
  /// An empty model without a box (assign a real one before use).
  VoxelModel();
  /// A model without channels on `spec`'s box; UsageError on an empty box, non-positive
  /// spacing or a box larger than 2^31 - 1 voxels along an axis.
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
  /// per voxel) only flagged voxels are stored; otherwise every voxel is. An existing
  /// channel of that name is replaced in place (keeping its units when `units` is empty).
  /// Uniform regions are stored as OpenVDB tiles (exact, no tolerance).
  void setChannel(const std::string& name, const std::vector<float>& values,
                  const std::vector<std::uint8_t>* active = nullptr, const std::string& units = {},
                  float background = 0.0f);
  /// Dense copy of one channel (inactive voxels = background).
  std::vector<float> denseChannel(const std::string& name) const;
  /// Dense activity flags of one channel.
  std::vector<std::uint8_t> activeMask(const std::string& name) const;
  /// Reads the ni x nj x nk block of voxels starting at (i0, j0, k0) into `values`
  /// (x fastest, like VolumeSpec::index) and, when not null, 1/0 activity flags into
  /// `active`. Voxels outside the box or inactive read as background with flag 0. Both
  /// buffers must hold ni * nj * nk entries. One cached tree walk: use it for patches.
  void copyBox(const std::string& channel, long i0, long j0, long k0, std::size_t ni,
               std::size_t nj, std::size_t nk, float* values, std::uint8_t* active = nullptr) const;
  /// Calls fn(i, j, k, value) once for every active voxel of a channel inside the box, in
  /// the tree's (deterministic) order.
  void forEachActive(
      const std::string& channel,
      const std::function<void(std::size_t, std::size_t, std::size_t, float)>& fn) const;

  /// Every channel of a DenseVolume, all voxels active unless `active` is given.
  static VoxelModel fromDense(const DenseVolume& volume,
                              const std::vector<std::uint8_t>* active = nullptr);
  /// Dense copy of the named channels (all when empty).
  DenseVolume toDense(const std::vector<std::string>& channels = {}) const;

  /// Voxel containing a world point (metres); false when outside the box. A point on a
  /// face shared by two voxels belongs to the one with the larger index.
  bool worldToVoxel(double x, double y, double z, long& i, long& j, long& k) const;

  /// Writes all channels to an OpenVDB file (atomic: temp name, then rename). The box,
  /// units and CRS travel as file/grid metadata.
  void write(const std::string& path) const;
  /// Reads a .vdb written by orevox or any float-grid .vdb (box from the active bounds).
  /// IoError / DataError naming the file when unreadable or holding no float grid.
  /// Grids of other value types are skipped. A foreign file's float grids must share one
  /// axis-aligned linear transform (DataError otherwise); its box is the union of their
  /// active bounding boxes, shifted so that its minimum voxel becomes (0, 0, 0). A model
  /// written without channels reads back as its box without channels.
  static VoxelModel read(const std::string& path);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace orevox
