// libFuzzer target: samples CSV (readSamplesCsv: delimiters, quotes, censored values)
#include <cstddef>
#include <cstdint>

#include "fuzz_input.hpp"
#include "orevox/datasets/csv_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return orevox_fuzz::readAsFile(data, size, ".csv",
                                 [](const std::string& path) { orevox::readSamplesCsv(path); });
}
