#include "cli.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <functional>
#include <iostream>
#include <list>
#include <optional>
#include <thread>

#include "command.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/resources.hpp"
#include "orevox/core/text.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"

namespace orevox::cli {

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

namespace {

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

/// A check that `text` is a finite number accepted by `ok`; the message names the rule.
CLI::Validator numberCheck(std::function<bool(double)> ok, const std::string& rule) {
  return CLI::Validator(
      [ok, rule](std::string& text) -> std::string {
        const std::optional<double> v = wholeNumber(text);
        if (!v || !std::isfinite(*v) || !ok(*v)) return "'" + text + "' is not a number " + rule;
        return std::string();
      },
      rule);
}

std::string shortNumber(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", v);
  return buffer;
}

}  // namespace

CLI::Validator positive() {
  return numberCheck([](double v) { return v > 0; }, "> 0");
}

CLI::Validator nonNegative() {
  return numberCheck([](double v) { return v >= 0; }, ">= 0");
}

CLI::Validator inRange(double lo, double hi) {
  return numberCheck([lo, hi](double v) { return v >= lo && v <= hi; },
                     "in [" + shortNumber(lo) + ", " + shortNumber(hi) + "]");
}

void addCommonOptions(CLI::App* app, CommonOptions& options) {
  app->add_option("--report", options.reportPath,
                  "Write a JSON report (inputs, parameters, seed, timings, outputs) to FILE");
  // More threads than 4 per core only slows the work down (a 6 s run took over 60 s with
  // 1000 threads on 2 cores): refused.
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  app->add_option("--threads", options.threads,
                  "Worker threads (0 = all cores; at most 4 per core, " +
                      std::to_string(4 * cores) + " here)")
      ->check(inRange(0, 4.0 * cores))
      ->default_val(0);
  app->add_flag("--quiet", options.quiet, "No progress bars or messages on success");
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

void SampleCsvArgs::declare(CLI::App* app, const std::string& fieldsHelp) {
  app->add_option("--samples", samples, "Sample CSV file")->required()->check(CLI::ExistingFile);
  app->add_option("--x", x, "Easting column")->capture_default_str();
  app->add_option("--y", y, "Northing column")->capture_default_str();
  app->add_option("--fields", fields, fieldsHelp)->required();
  app->add_option("--delimiter", delimiter, "CSV delimiter (default: sniffed from , ; tab)");
}

CsvOptions SampleCsvArgs::csvOptions() const {
  CsvOptions csv;
  csv.xColumn = x;
  csv.yColumn = y;
  csv.columns = splitList(fields, "--fields");
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

namespace {

/// "drillholes desurvey": a command's name with its groups, as messages and reports say it.
std::string commandPath(const CLI::App* app) {
  std::string path = app->get_name();
  for (const CLI::App* p = app->get_parent(); p && p->get_parent(); p = p->get_parent()) path = p->get_name() + " " + path;
  return path;
}

}  // namespace

int runCli(const std::vector<std::string>& args) {
  CLI::App root{"orevox: mineral prospectivity mapping in 2D and 3D", "orevox"};
  root.require_subcommand(1);
  root.set_version_flag("--version", "orevox 0.1.0");
  // Stable addresses: each Command is captured by its subcommand's callback.
  std::list<Command> commands;
  auto add = [&](void (*declare)(CLI::App&, Command&)) {
    commands.emplace_back();
    declare(root, commands.back());
    addCommonOptions(commands.back().app, commands.back().common);
  };
  add(addInfoCommand);
  add(addSynthCommand);
  add(addGridCommand);
  add(addTransformCommand);
  add(addBufferCommand);
  add(addIndexCommand);
  add(addDemoCommand);
  add(addTransferCommand);
  add(addGraphCommand);
  add(addRasterCommand);
  add(addDrillholesDesurveyCommand);
#ifdef OREVOX_WITH_VIZ
  add(addRenderCommand);
  add(addViewCommand);
#endif

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
      for (const CLI::App* sub : root.get_subcommands({})) known += (known.empty() ? "" : ", ") + sub->get_name();
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
    if (!command.app->parsed()) continue;
    try {
      setThreadCount(command.common.threads);
      Progress::setEnabled(!command.common.quiet);
      RunReport report(commandPath(command.app));
      report.parameter("threads", threadCount());
      command.run(report);
      report.write(command.common.reportPath, threadCount());
      if (!command.common.reportPath.empty())
        say(command.common, "report: " + command.common.reportPath);
      return 0;
    } catch (const Error& e) {
      std::cerr << oneLine("orevox " + commandPath(command.app) + ": error: " + e.what())
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
                           ": error: " + what.substr(0, what.find('\n')))
                << std::endl;
      return 1;
    }
  }
  return 2;
}

}  // namespace orevox::cli
