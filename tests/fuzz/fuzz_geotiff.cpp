// libFuzzer target: GeoTIFF through orevox's raster reader (readRaster)
#include <cstddef>
#include <cstdint>

#include "fuzz_input.hpp"
#include "orevox/datasets/raster_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return orevox_fuzz::readAsFile(data, size, ".tif",
                                 [](const std::string& path) { orevox::readRaster(path); });
}
