#include "orevox/datasets/volume_io.hpp"

#include "gdal_support.hpp"
#include "orevox/datasets/block_model.hpp"
#include "orevox/datasets/vti_io.hpp"
#include "orevox/core/error.hpp"

namespace orevox {
namespace {

[[noreturn]] void unknownExtension(const std::string& path) {
  throw UsageError("unsupported volume file '" + path + "' (use .vdb, .vti or .csv)");
}

}  // namespace

VoxelModel readVolume(const std::string& path) {
  const std::string ext = detail::lowerExtension(path);
  if (ext == ".vdb") return VoxelModel::read(path);
  if (ext == ".vti") return readVti(path);
  if (ext == ".csv") return readBlockModelCsv(path);
  unknownExtension(path);
}

void writeVolume(const VoxelModel& model, const std::string& path) {
  const std::string ext = detail::lowerExtension(path);
  if (ext == ".vdb") {
    model.write(path);
  } else if (ext == ".vti") {
    writeVti(model, path);
  } else if (ext == ".csv") {
    writeBlockModelCsv(model, path);
  } else {
    unknownExtension(path);
  }
}

}  // namespace orevox
