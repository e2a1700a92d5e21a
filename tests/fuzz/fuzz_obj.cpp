// libFuzzer target: Wavefront OBJ meshes (readMesh)
#include <cstddef>
#include <cstdint>

#include "fuzz_input.hpp"
#include "orevox/datasets/mesh_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return orevox_fuzz::readAsFile(data, size, ".obj",
                                 [](const std::string& path) { orevox::readMesh(path); });
}
