// libFuzzer target: OpenVDB files (readVolume -> VoxelModel::read)
#include <cstddef>
#include <cstdint>

#include "fuzz_input.hpp"
#include "orevox/datasets/volume_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return orevox_fuzz::readAsFile(data, size, ".vdb",
                                 [](const std::string& path) { orevox::readVolume(path); });
}
