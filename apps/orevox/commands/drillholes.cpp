// orevox drillholes desurvey: collars, surveys and interval files -> desurveyed (and
// optionally composited) intervals, 3D traces and the validation table.
#include "../command.hpp"
#include "orevox/datasets/drillhole_io.hpp"

namespace orevox::cli {

namespace {
struct DesurveyArgs {
  DrillholeDesurveyJob job;
};
}  // namespace

void addDrillholesDesurveyCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<DesurveyArgs>();
  CLI::App& group =
      commandGroup(root, "drillholes", "Drillhole databases: desurvey, composite, grid");
  auto* app = group.add_subcommand(
      "desurvey",
      "Validate collars, surveys and interval files, desurvey (and composite) the intervals: "
      "DIR/intervals.csv, DIR/traces.vtp, DIR/validation.csv");
  command.app = app;
  args->job.declare(command.options);

  command.run = [args, &common = command.common](RunReport& report) {
    const DrillholeDesurveyJob& job = args->job;
    DrillholeDesurveyResult result;
    report.timed("run", [&] { result = runDrillholeDesurvey(job); });
    report.input("collars", job.collars);
    if (!job.surveys.empty()) report.input("surveys", job.surveys);
    report.input("intervals", job.intervals);
    report.json()["parameters"].update(report.json()["options"]);
    for (const auto& [step, seconds] : result.seconds) report.json()["timings_s"][step] = seconds;
    report.result("drillholes", result.toJson());
    for (const auto& path : result.outputs) report.output(path);
    say(common, result.summaryText() + "wrote " + job.out +
                    "/intervals.csv, traces.vtp, validation.csv" +
                    (job.gpkg ? ", traces.gpkg" : ""));
  };
}

}  // namespace orevox::cli
