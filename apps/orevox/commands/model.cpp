// orevox model build: constraint tables -> implicit fields on a voxel box (one channel per
// feature) and their interfaces as surfaces.
#include "../command.hpp"
#include "orevox/datasets/model_features.hpp"
#include "orevox/datasets/structural_model.hpp"

namespace orevox::cli {

namespace {
struct ModelBuildArgs {
  ModelBuildJob job;
};
}  // namespace

void addModelBuildCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<ModelBuildArgs>();
  CLI::App& group =
      commandGroup(root, "model", "Structural 3D models: implicit fields, surfaces, predictors");
  auto* app = group.add_subcommand(
      "build",
      "Interpolate one scalar field per feature of constraint tables (LoopStructural layout) on a "
      "voxel box: MODEL.vdb with a channel per feature, DIR/<feature>_<value>.ts and .vtp per "
      "interface");
  command.app = app;
  args->job.declare(command.options);
  // --points P.csv --points Q.csv and --points P.csv,Q.csv alike.
  command.afterOptions = [](CLI::App& cli) {
    cli.get_option("--points")->delimiter(',')->multi_option_policy(CLI::MultiOptionPolicy::Join);
  };

  command.run = [args, &common = command.common](RunReport& report) {
    const ModelBuildJob& job = args->job;
    ModelBuildResult result;
    report.timed("run", [&] { result = runModelBuild(job); });
    report.input("points", job.points);
    if (!job.like.empty()) report.input("like", job.like);
    report.json()["parameters"].update(report.json()["options"]);
    report.result("model", result.toJson());
    for (const auto& path : result.outputs) report.output(path);
    say(common, result.summaryText() + "wrote " + job.out +
                    (job.vti.empty() ? "" : ", " + job.vti) +
                    (job.surfaces.empty() ? "" : " and the surfaces in " + job.surfaces));
  };
}

namespace {
struct ModelFeaturesArgs {
  ModelFeaturesJob job;
};
}  // namespace

void addModelFeaturesCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<ModelFeaturesArgs>();
  CLI::App& group =
      commandGroup(root, "model", "Structural 3D models: implicit fields, surfaces, predictors");
  auto* app = group.add_subcommand("features",
                                   "Predictors from surfaces on a model's voxel box: per "
                                   "surface <name>_distance (hanging wall +), _dip, "
                                   "_dip_direction, _dip_change, _undulation, _curvature; "
                                   "<name>_line_distance per intersection; depth below "
                                   "the topography");
  command.app = app;
  args->job.declare(command.options);
  // --surface A.ts --surface B.ts and --surface A.ts,B.ts alike.
  command.afterOptions = [](CLI::App& cli) {
    cli.get_option("--surface")->delimiter(',')->multi_option_policy(CLI::MultiOptionPolicy::Join);
  };

  command.run = [args, &common = command.common](RunReport& report) {
    const ModelFeaturesJob& job = args->job;
    ModelFeaturesResult result;
    report.timed("run", [&] { result = runModelFeatures(job); });
    report.json()["parameters"].update(report.json()["options"]);
    report.result("features", result.toJson());
    report.output(job.out);
    say(common, "wrote " + std::to_string(result.channels.size()) + " channels to " + job.out);
  };
}

}  // namespace orevox::cli
