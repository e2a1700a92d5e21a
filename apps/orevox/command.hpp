#pragma once
// Shared plumbing of the CLI commands: common options, the JSON run report, parsing of
// lists. Private to apps/.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "orevox/datasets/csv_io.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox::cli {

/// Options every command takes, declared once (help text + default).
struct CommonOptions {
  std::string reportPath;  ///< --report FILE
  int threads = 0;         ///< --threads N (0 = all cores)
  bool quiet = false;      ///< --quiet
};

/// The JSON report of one run: inputs, parameters, effective seed, timings, outputs.
class RunReport {
 public:
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
  /// Times `fn` under `step` in the report's "timings_s".
  void timed(const std::string& step, const std::function<void()>& fn);
  nlohmann::json& json() { return json_; }
  /// Adds the total time and writes the report atomically (no-op when path is empty).
  void write(const std::string& path, int threads);

 private:
  nlohmann::json json_;
  Stopwatch total_;
};

/// A CLI subcommand: declares its options on `app` and returns the function that runs it.
using CommandRunner = std::function<void(RunReport&)>;
struct Command {
  CLI::App* app = nullptr;
  CommonOptions common;
  CommandRunner run;
};

/// Option checks with one-line messages ("--epochs: '-1' is not a number > 0"); CLI11's own
/// PositiveNumber and Range print the whole double range instead.
CLI::Validator positive();
CLI::Validator nonNegative();
CLI::Validator inRange(double lo, double hi);

/// Declares --report, --threads and --quiet on a subcommand.
void addCommonOptions(CLI::App* app, CommonOptions& options);

/// The sample CSV a command reads: --samples, --x, --y, --fields, --delimiter.
struct SampleCsvArgs {
  std::string samples, x = "x", y = "y", fields, delimiter;
  /// Declares the five options on `app`; `fieldsHelp` says what the fields are for.
  void declare(CLI::App* app, const std::string& fieldsHelp);
  /// Options for readSamplesCsv: the columns split from --fields, the delimiter parsed.
  CsvOptions csvOptions() const;
};

/// Splits "a,b,c" into trimmed items; empty items are a UsageError naming `option`.
std::vector<std::string> splitList(const std::string& text, const std::string& option);
/// Parses "1,2,3" into numbers; UsageError naming `option` and the bad item.
std::vector<double> parseNumbers(const std::string& text, const std::string& option);

/// `v` with `digits` decimals (fixed notation); `missing` for NaN and infinities.
std::string fixed(double v, int digits = 3, const std::string& missing = "n/a");

/// Prints a line to stdout unless quiet.
void say(const CommonOptions& common, const std::string& line);

/// The group subcommand `name` of `root` ("drillholes", "model"), created on first use with
/// `description`; commands of a group are declared on it (`orevox drillholes desurvey`).
CLI::App& commandGroup(CLI::App& root, const std::string& name, const std::string& description);

// One function per command (commands/<name>.cpp). Each declares its options on a new
// subcommand of `root` and fills `command.run`.
void addInfoCommand(CLI::App& root, Command& command);
void addSynthCommand(CLI::App& root, Command& command);
void addGridCommand(CLI::App& root, Command& command);
void addTransformCommand(CLI::App& root, Command& command);
void addBufferCommand(CLI::App& root, Command& command);
void addIndexCommand(CLI::App& root, Command& command);
void addDemoCommand(CLI::App& root, Command& command);
void addTransferCommand(CLI::App& root, Command& command);
void addGraphCommand(CLI::App& root, Command& command);
void addRasterCommand(CLI::App& root, Command& command);  // commands/raster.cpp
void addDrillholesDesurveyCommand(CLI::App& root, Command& command);  // commands/drillholes.cpp
void addModelBuildCommand(CLI::App& root, Command& command);  // commands/model.cpp
void addModelFeaturesCommand(CLI::App& root, Command& command);  // commands/model.cpp
#ifdef OREVOX_WITH_VIZ
void addRenderCommand(CLI::App& root, Command& command);  // commands/render.cpp
void addViewCommand(CLI::App& root, Command& command);    // commands/view.cpp
#endif

}  // namespace orevox::cli
