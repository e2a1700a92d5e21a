#include "orevox/datasets/volume_io.hpp"

#include <algorithm>
#include <filesystem>

#include "gdal_support.hpp"
#include "text_file.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/datasets/block_model.hpp"
#include "orevox/datasets/vti_io.hpp"
#include "orevox/datasets/voxet_io.hpp"
#include "orevox/core/error.hpp"

namespace orevox {
namespace {

[[noreturn]] void unknownExtension(const std::string& path) {
  throw UsageError("unsupported volume file '" + path + "' (use .vdb, .vti, .vo or .csv)");
}

}  // namespace

VoxelModel readVolume(const std::string& path) {
  const std::string ext = detail::lowerExtension(path);
  if (ext == ".vdb") return VoxelModel::read(path);
  if (ext == ".vti") return readVti(path);
  if (ext == ".vo") return readVoxet(path);
  if (ext == ".csv") return readBlockModelCsv(path);
  unknownExtension(path);
}

void checkVolumePath(const std::string& path, const std::string& option, const std::string& only) {
  const std::string ext = detail::lowerExtension(path);
  const std::string prefix = option.empty() ? std::string() : option + ": ";
  if (!only.empty()) {
    if (ext != only) throw UsageError(prefix + "'" + path + "' must end in " + only);
    return;
  }
  if (ext != ".vdb" && ext != ".vti" && ext != ".vo" && ext != ".csv")
    throw UsageError(prefix + "unsupported volume file '" + path +
                     "' (use .vdb, .vti, .vo or .csv)");
}

void writeVolume(const VoxelModel& model, const std::string& path) {
  const std::string ext = detail::lowerExtension(path);
  if (ext == ".vdb") {
    model.write(path);
  } else if (ext == ".vti") {
    writeVti(model, path);
  } else if (ext == ".vo") {
    writeVoxet(model, path);
  } else if (ext == ".csv") {
    writeBlockModelCsv(model, path);
  } else {
    unknownExtension(path);
  }
}

void VolumeConversion::declare(OptionSet& set) {
  set.add("channels", channels, "Channels to write, comma separated (default: all)").placeholder("A,B");
}

VolumeConversionResult convertVolume(const VolumeConversion& job) {
  for (const std::string* p : {&job.in, &job.out}) {
    const std::string ext = detail::lowerExtension(*p);
    if (ext != ".vdb" && ext != ".vti" && ext != ".vo" && ext != ".csv") unknownExtension(*p);
  }
  std::error_code ec;
  if (std::filesystem::equivalent(job.in, job.out, ec))
    throw UsageError("convert: input and output are the same file '" + job.in + "'");
  checkOutputPath(job.out);
  VoxelModel model = readVolume(job.in);
  if (!job.channels.empty()) {
    const std::vector<std::string> have = model.channelNames();
    for (const auto& name : job.channels)
      if (!model.hasChannel(name))
        throw UsageError("--channels: '" + name + "' is not a channel of " + job.in + " (it has " +
                         detail::joinNames(have) + ")");
    for (const auto& name : have)
      if (std::find(job.channels.begin(), job.channels.end(), name) == job.channels.end())
        model.removeChannel(name);
  }
  writeVolume(model, job.out);
  VolumeConversionResult result;
  result.nx = model.spec().nx;
  result.ny = model.spec().ny;
  result.nz = model.spec().nz;
  result.channels = model.channelNames();
  std::vector<std::uint8_t> any(model.spec().size(), 0);
  for (const auto& name : result.channels) {
    const auto mask = model.activeMask(name);
    for (std::size_t i = 0; i < any.size(); ++i) any[i] |= mask[i];
  }
  for (auto a : any) result.activeVoxels += a;
  return result;
}

}  // namespace orevox
