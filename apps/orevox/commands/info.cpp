// orevox info: describes an embedded dataset or any file orevox reads.
#include <algorithm>
#include <iostream>

#include "../command.hpp"
#include "orevox/datasets/embedded.hpp"

namespace orevox::cli {

namespace {
/// Prints JSON as indented "key: value" lines, short arrays of scalars on one line.
void printTree(const nlohmann::json& j, int indent, std::ostream& out) {
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  auto scalar = [](const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
  auto flat = [](const nlohmann::json& v) {
    return v.is_array() && v.size() <= 8 &&
           std::all_of(v.begin(), v.end(), [](const nlohmann::json& e) { return e.is_primitive(); });
  };
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string key = j.is_object() ? it.key() : "-";
    const auto& v = it.value();
    if (v.is_primitive()) {
      out << pad << key << ": " << scalar(v) << "\n";
    } else if (flat(v)) {
      out << pad << key << ": " << v.dump() << "\n";
    } else {
      out << pad << key << ":\n";
      printTree(v, indent + 1, out);
    }
  }
}
}  // namespace

void addInfoCommand(CLI::App& root, Command& command) {
  auto target = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto* app = root.add_subcommand("info", "Describe an embedded dataset (" + [] {
    std::string names;
    for (const auto& n : datasetNames()) names += (names.empty() ? "" : ", ") + n;
    return names;
  }() + ") or a file (GeoTIFF, GeoJSON/GPKG/SHP, CSV, VDB, VTI, meshes: TS, OBJ, PLY, STL)");
  command.app = app;
  command.options.add("target", *target, "Dataset name or file path").required().positional();
  command.options.add("json", *json, "Print JSON instead of text");

  command.run = [target, json](RunReport& report) {
    const auto names = datasetNames();
    nlohmann::json description;
    if (std::find(names.begin(), names.end(), *target) != names.end()) {
      description = describeDataset(loadDataset(*target));
      report.input("dataset", *target);
    } else {
      description = describeFile(*target);
      report.input("file", *target);
    }
    report.result("description", description);
    if (*json) {
      std::cout << description.dump(2) << std::endl;
    } else {
      printTree(description, 0, std::cout);
    }
  };
}

}  // namespace orevox::cli
