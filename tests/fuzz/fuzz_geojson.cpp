// libFuzzer target: GeoJSON lines through orevox's OGR layer (readLines)
#include <cstddef>
#include <cstdint>

#include "fuzz_input.hpp"
#include "orevox/datasets/vector_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return orevox_fuzz::readAsFile(data, size, ".geojson",
                                 [](const std::string& path) { orevox::readLines(path); });
}
