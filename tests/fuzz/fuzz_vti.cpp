// libFuzzer target: VTK ImageData (readVti: hand-written XML, base64, appended raw data)
#include <cstddef>
#include <cstdint>

#include "fuzz_input.hpp"
#include "orevox/datasets/vti_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return orevox_fuzz::readAsFile(data, size, ".vti",
                                 [](const std::string& path) { orevox::readVti(path); });
}
