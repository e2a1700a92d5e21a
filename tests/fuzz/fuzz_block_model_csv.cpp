// libFuzzer target: block-model CSV (readBlockModelCsv: lattice inference)
#include <cstddef>
#include <cstdint>

#include "fuzz_input.hpp"
#include "orevox/datasets/block_model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return orevox_fuzz::readAsFile(data, size, ".csv",
                                 [](const std::string& path) { orevox::readBlockModelCsv(path); });
}
