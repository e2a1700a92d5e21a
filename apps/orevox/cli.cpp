#include "cli.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <iostream>
#include <list>
#include <optional>
#include <sstream>
#include <thread>

#include "command.hpp"
#include "options_cli.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/resources.hpp"
#include "orevox/core/text.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"

namespace orevox::cli {

namespace {

/// `message` with every output's temporary path turned into its final one: OutputBatch
/// writes an output as `DIR/.orevox-staging-<pid>-XXXXXX/NAME` (atomic_file.hpp) and a
/// writer's error names the path it was given, while the user knows `DIR/NAME`.
std::string finalPaths(std::string message) {
  static const std::string marker = ".orevox-staging-";
  for (std::size_t at = message.find(marker); at != std::string::npos;
       at = message.find(marker, at)) {
    const std::size_t slash = message.find('/', at);
    if (slash == std::string::npos) break;
    message.erase(at, slash + 1 - at);
  }
  return message;
}

/// `text` read as a number when the whole of it is one (std::stod), else nothing.
std::optional<double> wholeNumber(const std::string& text) {
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used != text.size()) return std::nullopt;
  return v;
}

}  // namespace

GridSpec gridOverData(const Extent& extent, double cell, const std::string& crsWkt,
                      const std::string& source) {
  const bool finite = std::isfinite(extent.xmin) && std::isfinite(extent.ymin) &&
                      std::isfinite(extent.xmax) && std::isfinite(extent.ymax) &&
                      std::isfinite(extent.width()) && std::isfinite(extent.height());
  if (!finite || extent.empty()) {
    std::ostringstream s;
    s << "the data's bounding box " << extent.xmin << "," << extent.ymin << "," << extent.xmax
      << "," << extent.ymax
      << (finite ? " has no area (one point, or every point on one line)"
                 : " is not finite (coordinates too far apart)")
      << ": give --extent xmin,ymin,xmax,ymax";
    throw DataError(s.str(), SourceLocation{source, 0, 0, {}, {}});
  }
  return GridSpec::fromExtent(extent, cell, crsWkt);
}

void CommonOptions::declare(OptionSet& set) {
  set.add("report", reportPath,
          "Write a JSON report (inputs, options, parameters, seed, timings, outputs) to FILE")
      .placeholder("FILE")
      .internal();
  // More threads than 4 per core only slows the work down (a 6 s run took over 60 s with
  // 1000 threads on 2 cores): refused.
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  set.add("threads", threads,
          "Worker threads (0 = all cores; at most 4 per core, " + std::to_string(4 * cores) +
              " here)")
      .range(0, 4.0 * cores)
      .internal();
  set.add("quiet", quiet, "No progress bars or messages on success").internal();
}

std::vector<std::string> splitList(const std::string& text, const std::string& option) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto b = item.find_first_not_of(" \t");
    const auto e = item.find_last_not_of(" \t");
    item = b == std::string::npos ? std::string() : item.substr(b, e - b + 1);
    if (item.empty()) throw UsageError(option + ": empty item in list '" + text + "'");
    items.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

std::vector<double> parseNumbers(const std::string& text, const std::string& option) {
  std::vector<double> out;
  for (const auto& item : splitList(text, option)) {
    const std::optional<double> v = wholeNumber(item);
    if (!v) throw UsageError(option + ": '" + item + "' is not a number");
    out.push_back(*v);
  }
  return out;
}

void SampleCsvArgs::declare(OptionSet& set, const std::string& fieldsHelp) {
  set.add("samples", samples, "Sample CSV file").required().placeholder("FILE");
  set.add("x", x, "Easting column");
  set.add("y", y, "Northing column");
  set.add("fields", fields, fieldsHelp).required();
  set.add("delimiter", delimiter, "CSV delimiter (default: sniffed from , ; tab)");
}

CsvOptions SampleCsvArgs::csvOptions() const {
  CsvOptions csv;
  csv.xColumn = x;
  csv.yColumn = y;
  csv.columns = fields;
  if (delimiter == "tab" || delimiter == "\\t") {
    csv.delimiter = '\t';
  } else if (delimiter.size() == 1) {
    csv.delimiter = delimiter[0];
  } else if (!delimiter.empty()) {
    throw UsageError("--delimiter: expected one character or 'tab', got '" + delimiter + "'");
  }
  return csv;
}

std::string fixed(double v, int digits, const std::string& missing) {
  if (!std::isfinite(v)) return missing;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
}

void say(const CommonOptions& common, const std::string& line) {
  if (!common.quiet) std::cout << line << std::endl;
}

CLI::App& commandGroup(CLI::App& root, const std::string& name, const std::string& description) {
  for (CLI::App* sub : root.get_subcommands({}))
    if (sub->get_name() == name) return *sub;
  CLI::App* group = root.add_subcommand(name, description);
  group->require_subcommand(1);
  return *group;
}

std::string commandPath(const CLI::App* app) {
  std::string path = app->get_name();
  for (const CLI::App* p = app->get_parent(); p && p->get_parent(); p = p->get_parent())
    path = p->get_name() + " " + path;
  return path;
}

namespace {

/// Declares every command on `root` (each with its options and the common ones).
void declareCommands(CLI::App& root, std::list<Command>& commands) {
  root.require_subcommand(1);
  root.set_version_flag("--version", "orevox 0.1.0");
  auto add = [&](const std::function<void(CLI::App&, Command&)>& declare) {
    commands.emplace_back();
    Command& command = commands.back();
    declare(root, command);
    command.common.declare(command.commonOptions);
    addOptions(command.app, command.options);
    addOptions(command.app, command.commonOptions);
    if (command.afterOptions) command.afterOptions(*command.app);
  };
  add(addInfoCommand);
  add(addSynthCommand);
  add(addGridCommand);
  add(addTransformCommand);
  add(addBufferCommand);
  add(addIndexCommand);
  add(addDemoCommand);
  add(addTransferTrainCommand);
  add(addTransferPredictCommand);
  add(addGraphCommand);
  add(addGraphPredictCommand);
  add(addRasterTrainCommand);
  add(addRasterPredictCommand);
  add(addDrillholesDesurveyCommand);
  add(addModelBuildCommand);
  add(addDrillholesGridCommand);
  add(addConvertCommand);
  add(addSampleCommand);
  add(addModelFeaturesCommand);
  add([&commands](CLI::App& r, Command& c) { addRunCommand(r, c, commands); });
#ifdef OREVOX_WITH_VIZ
  add(addRenderCommand);
  add(addViewCommand);
#endif
}

}  // namespace

std::string cliReference() {
  CLI::App root{"orevox: mineral prospectivity mapping in 2D and 3D", "orevox"};
  std::list<Command> commands;
  declareCommands(root, commands);
  std::string md =
      "# orevox command reference\n\n"
      "Generated from the commands' option declarations (`OptionSet`, "
      "core/include/orevox/core/options.hpp): the same declarations build each command's "
      "`--help`, read study files and write the reports' `options`. Do not edit by hand: "
      "`OREVOX_UPDATE_DOCS=1 ctest -R CliReference` rewrites it.\n\n"
      "## Options of every command\n\n" +
      commands.front().commonOptions.markdownTable();
  for (const Command& command : commands) {
    md += "\n## orevox " + commandPath(command.app) + "\n\n" + command.app->get_description() +
          ".\n\n";
    md += command.options.options().empty() ? std::string("No options of its own.\n")
                                            : command.options.markdownTable();
  }
  return md;
}

int runCli(const std::vector<std::string>& args) {
  CLI::App root{"orevox: mineral prospectivity mapping in 2D and 3D", "orevox"};
  // Stable addresses: each Command is captured by its subcommand's callback.
  std::list<Command> commands;
  declareCommands(root, commands);

  try {
    std::vector<std::string> reversed(args.rbegin(),
                                      args.rend());  // CLI11 parses a reversed vector
    root.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    return root.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return root.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return root.exit(e);
  } catch (const CLI::ParseError& e) {
    if (root.get_subcommands().empty() && !args.empty() && args.front().rfind("-", 0) != 0) {
      std::string known;  // CLI11 would only say that a subcommand is required
      for (const CLI::App* sub : root.get_subcommands({}))
        known += (known.empty() ? "" : ", ") + sub->get_name();
      std::cerr << oneLine("orevox: error: '" + args.front() + "' is not a command (" + known + ")")
                << std::endl;
      return 2;
    }
    std::string name = "orevox";  // with the subcommand (and its group) the error belongs to
    for (const CLI::App* sub = &root; !sub->get_subcommands().empty();) {
      sub = sub->get_subcommands().front();
      name += " " + sub->get_name();
    }
    std::cerr << oneLine(name + ": error: " + e.what() + " (see '" + name + " --help')")
              << std::endl;
    // A missing or unreadable input file is an I/O error (exit 1) wherever it is found,
    // here by CLI11's ExistingFile check or later by a reader.
    const std::string what = e.what();
    if (dynamic_cast<const CLI::ValidationError*>(&e) != nullptr &&
        (what.find("File does not exist") != std::string::npos ||
         what.find("Path does not exist") != std::string::npos ||
         what.find("is actually a directory") != std::string::npos))
      return 1;
    return 2;
  }

  for (auto& command : commands) {
    // A command with a parsed subcommand (graph, for graph predict) leaves it the run.
    if (!command.app->parsed() || !command.app->get_subcommands().empty()) continue;
    try {
      setThreadCount(command.common.threads);
      Progress::setEnabled(!command.common.quiet);
      RunReport report(commandPath(command.app));
      report.json()["options"] = command.options.toJson();
      report.parameter("threads", threadCount());
      report.declare(command.common.reportPath);
      command.run(report);
      report.write(command.common.reportPath, threadCount());
      if (!command.common.reportPath.empty())
        say(command.common, "report: " + command.common.reportPath);
      return 0;
    } catch (const Error& e) {
      std::cerr << oneLine("orevox " + commandPath(command.app) +
                           ": error: " + finalPaths(e.what()))
                << std::endl;
      return e.exitCode();
    } catch (const std::bad_alloc&) {
      std::cerr
          << "orevox " << commandPath(command.app)
          << ": error: out of memory: the options and inputs asked for more than the "
          << formatBytes(double(usableMemoryBytes()))
          << " this process may use (a finer --cell, a larger --window or --patch, a larger input?)"
          << std::endl;
      return 1;
    } catch (const std::exception& e) {
      // Foreign exceptions (LibTorch appends its C++ stack trace on further lines): the first
      // line is the message.
      const std::string what = e.what();
      std::cerr << oneLine("orevox " + commandPath(command.app) +
                           ": error: " + finalPaths(what.substr(0, what.find('\n'))))
                << std::endl;
      return 1;
    }
  }
  return 2;
}

}  // namespace orevox::cli
