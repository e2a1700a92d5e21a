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

#include "orevox/core/atomic_file.hpp"
#include "orevox/core/options.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/geomodel/grid.hpp"

namespace orevox::cli {

/// Options every command takes, declared once (help text + default).
struct CommonOptions {
  std::string reportPath;  ///< --report FILE
  int threads = 0;         ///< --threads N (0 = all cores)
  bool quiet = false;      ///< --quiet
  /// Declares --report, --threads and --quiet.
  void declare(OptionSet& set);
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

/// GridSpec::fromExtent for an extent taken from data (the bounding box of the points or
/// lines of `source`): a box without area (one point, every point on one line) or with an
/// infinite side is a DataError naming `source` (exit 1: the data's fault, not the
/// options'), with the advice to give --extent.
GridSpec gridOverData(const Extent& extent, double cell, const std::string& crsWkt,
                      const std::string& source);

/// A CLI subcommand: its options, declared once in `options` (the CLI11 options, --help,
/// docs/cli.md and the report's "options" come from it), and the function that runs it.
using CommandRunner = std::function<void(RunReport&)>;
struct Command {
  CLI::App* app = nullptr;
  OptionSet options;  ///< the command's own options (runCli adds them to `app`)
  CommonOptions common;
  OptionSet commonOptions;  ///< --report, --threads, --quiet
  CommandRunner run;
  /// Optional: adjusts the CLI11 options once runCli has added `options` (e.g. a list option
  /// that may also be repeated: `--points P.csv --points Q.csv`).
  std::function<void(CLI::App&)> afterOptions;
};

/// The sample CSV a command reads: --samples, --x, --y, --fields, --delimiter.
struct SampleCsvArgs {
  std::string samples, x = "x", y = "y", delimiter;
  std::vector<std::string> fields;
  /// Declares the five options; `fieldsHelp` says what the fields are for.
  void declare(OptionSet& set, const std::string& fieldsHelp);
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

// One function per command (commands/<name>.cpp). Each creates its subcommand of `root`,
// declares its options in `command.options` and fills `command.run`.
void addInfoCommand(CLI::App& root, Command& command);
void addSynthCommand(CLI::App& root, Command& command);
void addGridCommand(CLI::App& root, Command& command);
void addTransformCommand(CLI::App& root, Command& command);
void addBufferCommand(CLI::App& root, Command& command);
void addIndexCommand(CLI::App& root, Command& command);
void addDemoCommand(CLI::App& root, Command& command);
void addTransferTrainCommand(CLI::App& root, Command& command);    // commands/transfer.cpp
void addTransferPredictCommand(CLI::App& root, Command& command);  // commands/transfer.cpp
void addGraphCommand(CLI::App& root, Command& command);
void addGraphPredictCommand(CLI::App& root, Command& command);  // commands/graph.cpp
void addRasterTrainCommand(CLI::App& root, Command& command);    // commands/raster.cpp
void addRasterPredictCommand(CLI::App& root, Command& command);  // commands/raster.cpp
void addDrillholesDesurveyCommand(CLI::App& root, Command& command);  // commands/drillholes.cpp
void addModelBuildCommand(CLI::App& root, Command& command);  // commands/model.cpp
void addDrillholesGridCommand(CLI::App& root, Command& command);     // commands/drillholes.cpp
void addConvertCommand(CLI::App& root, Command& command);             // commands/convert.cpp
void addSampleCommand(CLI::App& root, Command& command);              // commands/sample.cpp
void addModelFeaturesCommand(CLI::App& root, Command& command);  // commands/model.cpp
#ifdef OREVOX_WITH_VIZ
void addRenderCommand(CLI::App& root, Command& command);  // commands/render.cpp
void addViewCommand(CLI::App& root, Command& command);    // commands/view.cpp
#endif

}  // namespace orevox::cli
