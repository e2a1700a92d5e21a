#pragma once
// Shared plumbing of the CLI commands: common options, the JSON run report, parsing of
// lists. Private to apps/.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "orevox/core/atomic_file.hpp"
#include "orevox/core/options.hpp"
#include "orevox/core/run_report.hpp"
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

/// "drillholes desurvey": a command's name with its groups, as messages and reports say it.
std::string commandPath(const CLI::App* app);

/// A study `orevox run STUDY.json` runs: the name a study file gives under "study" and the
/// command whose declared options the file's keys are (commands/run.cpp holds the table,
/// one line per study).
struct StudyCommand {
  std::string study;    ///< "raster", "graph", ...
  std::string command;  ///< "raster train", "graph", ...
};
const std::vector<StudyCommand>& studyCommands();
/// `orevox run`: needs the other commands (their options and runs), hence the list.
void addRunCommand(CLI::App& root, Command& command, std::list<Command>& commands);

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
