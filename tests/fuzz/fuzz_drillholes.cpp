// libFuzzer target: drillhole tables (collar, survey and interval CSV exports).
#include <cstddef>
#include <cstdint>

#include "fuzz_input.hpp"
#include "orevox/datasets/drillhole_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The first byte picks the table, the rest is the file.
  if (size == 0) return 0;
  const int table = data[0] % 3;
  return orevox_fuzz::readAsFile(data + 1, size - 1, ".csv", [table](const std::string& path) {
    if (table == 0) {
      orevox::readCollarCsv(path);
    } else if (table == 1) {
      orevox::readSurveyCsv(path);
    } else {
      orevox::ValidationLog log;
      orevox::readIntervalCsv(path, {}, {}, log);
    }
  });
}
