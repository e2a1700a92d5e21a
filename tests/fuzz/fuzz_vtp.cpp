// libFuzzer target: VTK PolyData drillhole traces (readTracesVtp)
#include <cstddef>
#include <cstdint>

#include "fuzz_input.hpp"
#include "orevox/datasets/vtp_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return orevox_fuzz::readAsFile(data, size, ".vtp",
                                 [](const std::string& path) { orevox::readTracesVtp(path); });
}
