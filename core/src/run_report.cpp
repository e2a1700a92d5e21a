#include "orevox/core/run_report.hpp"

#include <filesystem>
#include <system_error>

#include "orevox/core/atomic_file.hpp"

namespace orevox {

RunReport::RunReport(std::string command) {
  json_["command"] = std::move(command);
  json_["orevox_version"] = "0.1.0";
  json_["inputs"] = nlohmann::json::object();
  json_["parameters"] = nlohmann::json::object();
  json_["outputs"] = nlohmann::json::array();
  json_["timings_s"] = nlohmann::json::object();
}

void RunReport::output(const std::string& path) { json_["outputs"].push_back(path); }

void RunReport::timed(const std::string& step, const std::function<void()>& fn) {
  Stopwatch watch;
  fn();
  json_["timings_s"][step] = watch.seconds();
}

void RunReport::declare(const std::string& path) {
  if (path.empty()) return;
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (folder.empty() || std::filesystem::is_directory(folder, ec)) outputs_.add(path, "--report");
}

void RunReport::write(const std::string& path, int threads) {
  json_["threads"] = threads;
  json_["timings_s"]["total"] = total_.seconds();
  if (!path.empty()) {
    if (!outputs_.has(path)) outputs_.add(path, "--report");
    writeTextFileAtomic(outputs_.temp(path), json_.dump(2) + "\n");
  }
  outputs_.commit();
}

}  // namespace orevox
