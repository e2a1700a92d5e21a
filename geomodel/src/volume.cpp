#include "orevox/geomodel/volume.hpp"

#include <cmath>

#include "orevox/core/error.hpp"

namespace orevox {

bool VolumeSpec::sameGrid(const VolumeSpec& other, double tolerance) const {
  if (nx != other.nx || ny != other.ny || nz != other.nz) return false;
  for (int a = 0; a < 3; ++a) {
    if (std::abs(spacing[a] - other.spacing[a]) > tolerance * spacing[a]) return false;
    if (std::abs(origin[a] - other.origin[a]) > tolerance * spacing[a]) return false;
  }
  return crsWkt == other.crsWkt;
}

VolumeChannel& DenseVolume::addChannel(const std::string& name, float fill, const std::string& units) {
  if (channelIndex(name) >= 0) throw UsageError("volume already has a channel named '" + name + "'");
  channels_.push_back(VolumeChannel{name, units, std::vector<float>(spec_.size(), fill)});
  return channels_.back();
}

long DenseVolume::channelIndex(const std::string& name) const {
  for (std::size_t i = 0; i < channels_.size(); ++i) {
    if (channels_[i].name == name) return static_cast<long>(i);
  }
  return -1;
}

const VolumeChannel& DenseVolume::channel(const std::string& name) const {
  const long i = channelIndex(name);
  if (i < 0) {
    std::string names;
    for (const auto& c : channels_) names += (names.empty() ? "" : ", ") + c.name;
    throw UsageError("no channel named '" + name + "' (channels: " + names + ")");
  }
  return channels_[static_cast<std::size_t>(i)];
}

VolumeChannel& DenseVolume::channel(const std::string& name) {
  return const_cast<VolumeChannel&>(static_cast<const DenseVolume&>(*this).channel(name));
}

}  // namespace orevox
