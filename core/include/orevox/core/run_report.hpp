#pragma once
/// \file run_report.hpp
/// The JSON report of one run (a CLI command, a study of `orevox run`, a library study):
/// the inputs, every option's value under "options", parameters, effective seed, timings,
/// outputs and results. A study's report is itself a study file: `orevox run REPORT.json`
/// runs it again from its "options".

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "orevox/core/atomic_file.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox {

class RunReport {
 public:
  /// `command`: the command or study as the CLI names it ("raster train").
  explicit RunReport(std::string command);
  void input(const std::string& key, const nlohmann::json& value) { json_["inputs"][key] = value; }
  void parameter(const std::string& key, const nlohmann::json& value) {
    json_["parameters"][key] = value;
  }
  void seed(std::uint64_t seed) { json_["seed"] = seed; }
  void output(const std::string& path);
  void result(const std::string& key, const nlohmann::json& value) {
    json_["results"][key] = value;
  }
  /// Times `fn` under `step` in the report's "timings_s" (seconds).
  void timed(const std::string& step, const std::function<void()>& fn);
  nlohmann::json& json() { return json_; }
  /// The run's outputs, committed together with the report at the end (all or none). A
  /// command declares its inputs (addInput) and outputs (add, which returns the temporary
  /// path to write) before its work, so that an output over an input or over another
  /// output (the report included) is refused before anything is computed.
  OutputBatch& outputs() { return outputs_; }
  /// Declares the report's path in outputs() now when its folder exists (a folder the
  /// command itself creates is declared at write()): an unwritable report is then refused
  /// before the work, not after the outputs were written.
  void declare(const std::string& path);
  /// Adds the total time, writes the report (when path is not empty) and commits every
  /// output of outputs() with it.
  void write(const std::string& path, int threads);

 private:
  nlohmann::json json_;
  Stopwatch total_;
  OutputBatch outputs_;
};

/// How a study runs (what the CLI's common options set).
struct StudyContext {
  int threads = 0;     ///< 0 = all cores
  bool quiet = false;  ///< no progress bars and no messages
  /// A line for the user (the CLI prints it to stdout); may be empty.
  std::function<void(const std::string&)> say;
  void tell(const std::string& line) const {
    if (!quiet && say) say(line);
  }
};

}  // namespace orevox
