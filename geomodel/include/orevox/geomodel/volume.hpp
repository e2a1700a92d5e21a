#pragma once
/// \file volume.hpp
/// A dense, regular 3D grid of named float channels. geomodel's algorithms (e.g. the
/// synthetic 3D district) produce DenseVolume; the voxel module turns it into a sparse
/// OpenVDB VoxelModel.

#include <array>
#include <string>
#include <vector>

namespace orevox {

/// Regular 3D grid: nx x ny x nz voxels of size dx x dy x dz metres. `origin` is the
/// minimum corner of the box; voxel (i, j, k) is centred at origin + (i + 0.5) * d.
/// z is elevation (up positive), so depth below surface = surface elevation - z.
struct VolumeSpec {
  std::size_t nx = 0, ny = 0, nz = 0;
  std::array<double, 3> origin{0.0, 0.0, 0.0};
  std::array<double, 3> spacing{1.0, 1.0, 1.0};
  std::string crsWkt;

  std::size_t size() const { return nx * ny * nz; }
  /// Linear index, x fastest: (k * ny + j) * nx + i.
  std::size_t index(std::size_t i, std::size_t j, std::size_t k) const { return (k * ny + j) * nx + i; }
  double centreX(std::size_t i) const { return origin[0] + (double(i) + 0.5) * spacing[0]; }
  double centreY(std::size_t j) const { return origin[1] + (double(j) + 0.5) * spacing[1]; }
  double centreZ(std::size_t k) const { return origin[2] + (double(k) + 0.5) * spacing[2]; }
  bool sameGrid(const VolumeSpec& other, double tolerance = 1e-6) const;
};

/// One named channel of a DenseVolume, `spec.size()` values in VolumeSpec::index order.
struct VolumeChannel {
  std::string name;
  std::string units;
  std::vector<float> values;
};

/// Dense named channels on one VolumeSpec.
class DenseVolume {
 public:
  DenseVolume() = default;
  explicit DenseVolume(VolumeSpec spec) : spec_(std::move(spec)) {}

  const VolumeSpec& spec() const { return spec_; }
  std::size_t channelCount() const { return channels_.size(); }
  /// Adds a channel filled with `fill`; throws UsageError if the name exists.
  VolumeChannel& addChannel(const std::string& name, float fill = 0.0f, const std::string& units = {});
  VolumeChannel& channel(std::size_t i) { return channels_.at(i); }
  const VolumeChannel& channel(std::size_t i) const { return channels_.at(i); }
  /// Channel by name; throws UsageError naming the channel and those available.
  const VolumeChannel& channel(const std::string& name) const;
  VolumeChannel& channel(const std::string& name);
  long channelIndex(const std::string& name) const;
  const std::vector<VolumeChannel>& channels() const { return channels_; }

 private:
  VolumeSpec spec_;
  std::vector<VolumeChannel> channels_;
};

}  // namespace orevox
