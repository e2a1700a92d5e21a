// orevox drillholes desurvey: collars, surveys and interval files -> desurveyed (and
// optionally composited) intervals, 3D traces and the validation table.
// orevox drillholes grid: composites -> estimated voxels with labels (.vdb, .vti, .vo).
#include "../command.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/datasets/drillhole_grid.hpp"
#include "orevox/datasets/drillhole_io.hpp"
#ifdef OREVOX_WITH_VIZ
#include <cstdlib>
#include <filesystem>

#include "orevox/viz/charts.hpp"
#endif

namespace orevox::cli {

namespace {
struct DesurveyArgs {
  DrillholeDesurveyJob job;
};
struct GridArgs {
  DrillholeGridJob job;
  std::string figure;
};

#ifdef OREVOX_WITH_VIZ
/// One PNG per kriged field: its experimental variograms and the fitted model.
/// Each figure is declared in `outputs` and written to its temporary name.
std::vector<std::string> writeVariogramFigures(const EstimationResult& estimate,
                                               const std::string& path, OutputBatch& outputs) {
  std::vector<std::string> written;
  for (const auto& v : estimate.variography) {
    std::vector<ChartSeries> series;
    double longest = 0.0;
    for (const auto& e : v.experimental) {
      if (e.distance.empty()) continue;
      series.push_back({e.direction, e.distance, e.gamma});
      longest = std::max(longest, e.distance.back());
    }
    ChartSeries model{nameOf(variogramShapeNames(), v.model.shape) + " model", {}, {}};
    for (int i = 0; i <= 100; ++i) {
      const double h = longest * i / 100.0;
      model.x.push_back(h);
      model.y.push_back(v.model.gamma(h));
    }
    series.push_back(model);
    ChartOptions options;
    options.title = v.field + ": nugget " + fixed(v.model.nugget, 4) + ", sill " +
                    fixed(v.model.sill, 4) + ", range " + fixed(v.model.range, 1);
    options.xLabel = "lag distance";
    options.yLabel = "semivariance";
    std::filesystem::path out(path);
    if (estimate.variography.size() > 1)
      out.replace_filename(out.stem().string() + "_" + v.field + out.extension().string());
    writeLineChart(series, options, outputs.add(out.string(), "--variogram-figure"));
    written.push_back(out.string());
  }
  return written;
}
#endif
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

void addDrillholesGridCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<GridArgs>();
  CLI::App& group =
      commandGroup(root, "drillholes", "Drillhole databases: desurvey, composite, grid");
  auto* app = group.add_subcommand(
      "grid",
      "Estimate composites onto voxels (IDW with a search ellipsoid; categorical proportions), "
      "with ore labels from a cutoff or a closed mesh: G.vdb [G.vti] [G.vo]");
  command.app = app;
  args->job.declare(command.options);
  command.options
      .add("variogram-figure", args->figure,
           "Kriging: the experimental variograms and the fitted model as a PNG (one per field: "
           "F_FIELD.png when several), written with the volumes (all or none)")
      .placeholder("F.png");

  command.run = [args, &common = command.common](RunReport& report) {
    const DrillholeGridJob& job = args->job;
    if (!args->figure.empty()) {
#ifdef OREVOX_WITH_VIZ
      checkOutputPath(args->figure);
      if (job.estimation.method != EstimationMethod::Kriging)
        throw UsageError("--variogram-figure: needs --method kriging");
      const char* display = std::getenv("DISPLAY");  // checked before the work, not after it
      if (!display || !*display)
        throw UsageError(
            "--variogram-figure: no X display (DISPLAY is not set); VTK renders through X "
            "here: run under 'xvfb-run -a'");
#else
      throw UsageError("--variogram-figure: this orevox was built without the viz module");
#endif
    }
    // The volumes, tables, figures and the report land together (runCli commits them).
    OutputBatch& outputs = report.outputs();
    DrillholeGridResult result;
    report.timed("run", [&] { result = runDrillholeGrid(job, outputs); });
    report.input("intervals", job.intervals);
    if (!job.labelMesh.empty()) report.input("label_mesh", job.labelMesh);
    report.json()["parameters"].update(report.json()["options"]);
    for (const auto& [step, seconds] : result.seconds) report.json()["timings_s"][step] = seconds;
    report.result("grid", result.toJson());
    for (const auto& path : result.outputs) report.output(path);
#ifdef OREVOX_WITH_VIZ
    if (!args->figure.empty())
      for (const auto& path : writeVariogramFigures(result.estimate, args->figure, outputs))
        report.output(path);
#endif
    say(common, result.summaryText() + "wrote " + job.out +
                    (job.vti.empty() ? "" : ", " + job.vti) +
                    (job.voxet.empty() ? "" : ", " + job.voxet));
  };
}

}  // namespace orevox::cli
