// libFuzzer target: JSON study files and parameters read through OptionSet::fromJson (the
// same path as model sidecars' and reports' parameters).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "orevox/core/error.hpp"
#include "orevox/core/options.hpp"
#include "orevox/geomodel/idw.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  orevox::IdwOptions idw;
  double cell = 100;
  std::string out;
  std::vector<std::string> fields;
  orevox::OptionSet set("grid");
  idw.declare(set);
  set.add("cell", cell, "Cell size").positive();
  set.add("out", out, "Output");
  set.add("fields", fields, "Fields");
  try {
    set.fromJson(j, "study.json");
  } catch (const orevox::Error&) {
  }
  return 0;
}
