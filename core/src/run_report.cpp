#include "orevox/core/run_report.hpp"

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

void RunReport::write(const std::string& path, int threads) {
  json_["threads"] = threads;
  json_["timings_s"]["total"] = total_.seconds();
  if (path.empty()) return;
  writeTextFileAtomic(path, json_.dump(2) + "\n");
}

}  // namespace orevox
