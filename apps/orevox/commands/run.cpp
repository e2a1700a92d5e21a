// orevox run STUDY.json: a study from a JSON file, in the spirit of PDAL pipelines. The file
// names the study and gives its options by their declared names; the one JSON adapter
// (OptionSet::fromJson) maps them onto the study command's own declarations, so a study
// file, the CLI and the report's "options" are one set of names. A run's report (or the
// report of the CLI command) is itself a study file: `orevox run REPORT.json` runs it again.
#include <fstream>
#include <sstream>

#include "../command.hpp"
#include "orevox/core/error.hpp"

namespace orevox::cli {

const std::vector<StudyCommand>& studyCommands() {
  // One line per study: the name a study file gives under "study", the command it runs.
  static const std::vector<StudyCommand> table{
      {"raster", "raster train"},
      {"graph", "graph"},
  };
  return table;
}

namespace {

std::string studyNames() {
  std::string names;
  for (const auto& s : studyCommands()) names += (names.empty() ? "" : ", ") + s.study;
  return names;
}

/// The study file, parsed; IoError when it cannot be read, DataError (file, line, column)
/// when it is not JSON.
nlohmann::json readStudyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  SourceLocation where;
  where.file = path;
  if (!in) throw IoError("cannot read the study file", where);
  std::stringstream text;
  text << in.rdbuf();
  const std::string body = text.str();
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    // The line and column of the byte the parser stopped at.
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < body.size(); ++i) {
      if (body[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    where.line = long(line);
    where.column = long(column);
    throw DataError("not a JSON study file", where);
  }
}

void runStudy(const std::string& path, std::list<Command>& commands, const CommonOptions& common,
              RunReport& report) {
  const nlohmann::json file = readStudyFile(path);
  if (!file.is_object())
    throw UsageError(path + ": a study file is a JSON object {\"study\": NAME, options...}");
  // The study: "study" (a study file, or the report of `orevox run`), else the report of the
  // study's CLI command ("command": "raster train").
  const StudyCommand* study = nullptr;
  if (file.contains("study")) {
    if (!file["study"].is_string())
      throw UsageError(path + ": 'study' must be text, one of " + studyNames());
    const std::string name = file["study"].get<std::string>();
    for (const auto& s : studyCommands())
      if (s.study == name) study = &s;
    if (!study)
      throw UsageError(path + ": study '" + echoValue(name) + "' is not one of " + studyNames());
  } else if (file.contains("command") && file["command"].is_string()) {
    const std::string name = file["command"].get<std::string>();
    for (const auto& s : studyCommands())
      if (s.command == name) study = &s;
    if (!study)
      throw UsageError(path + ": the report of 'orevox " + echoValue(name) +
                       "' is not a study (studies: " + studyNames() + ")");
  } else {
    throw UsageError(path + ": no 'study' key (expected one of " + studyNames() + ")");
  }
  Command* target = nullptr;
  for (Command& c : commands)
    if (c.app && commandPath(c.app) == study->command) target = &c;
  if (!target) throw UsageError("study '" + study->study + "': no command " + study->command);

  // Options: a report's "options" object, else every key of the file but "study".
  nlohmann::json options;
  if (file.contains("options")) {
    options = file["options"];
  } else {
    options = file;
    options.erase("study");
  }
  // A report writes options left at an empty default as "" or []: they were not given.
  if (options.is_object())
    for (auto it = options.begin(); it != options.end();) {
      const Option* o = target->options.find(it.key());
      const bool empty =
          (it->is_string() && it->get<std::string>().empty()) || (it->is_array() && it->empty());
      if (o && empty && o->defaultText().empty())
        it = options.erase(it);
      else
        ++it;
    }
  target->options.fromJson(options, path);
  try {
    target->options.checkRequired();
  } catch (const UsageError& e) {
    throw UsageError(path + ": " + e.what());
  }
  target->common.threads = common.threads;
  target->common.quiet = common.quiet;
  report.json()["command"] = study->command;
  report.json()["study"] = study->study;
  report.json()["options"] = target->options.toJson();
  report.input("study_file", path);
  target->run(report);
}

}  // namespace

void addRunCommand(CLI::App& root, Command& command, std::list<Command>& commands) {
  command.app = root.add_subcommand(
      "run",
      "Run a study from a JSON file ({\"study\": NAME, options by their names...}; "
      "studies: " +
          studyNames() + "), or run the report of an earlier study again");
  auto file = std::make_shared<std::string>();
  command.options.add("study", *file, "The study file (or a study's JSON report)")
      .positional()
      .required()
      .placeholder("STUDY.json");
  command.run = [file, &commands, &common = command.common](RunReport& report) {
    runStudy(*file, commands, common, report);
  };
}

}  // namespace orevox::cli
