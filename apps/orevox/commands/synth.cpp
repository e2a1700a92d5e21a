// orevox synth 2d|3d: synthetic districts with known truth, written in open formats.
#include "../command.hpp"
#include "../options_cli.hpp"
#include "orevox/datasets/drillhole_io.hpp"
#include "orevox/datasets/embedded.hpp"
#include "orevox/core/error.hpp"
#include "orevox/geomodel/synth2d.hpp"
#include "orevox/geomodel/synth3d.hpp"

namespace orevox::cli {

namespace {
struct SynthArgs {
  std::string kind, out, size;
  std::uint64_t seed = 1;
  std::size_t samples = 7000;
  double shift = 0.5, cell = 10.0, known = 0.6;
  SynthDrillholeOptions drillholes;
  OptionSet drillholeOptions{"synth"};
};
}  // namespace

void addSynthCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<SynthArgs>();
  auto* app = root.add_subcommand("synth", "Generate a synthetic district with known truth (2d: stream-sediment "
                                           "survey; 3d: fault-controlled gold, source and target deposits)");
  command.app = app;
  app->add_option("kind", args->kind, "2d or 3d")->required()->check(CLI::IsMember({"2d", "3d"}));
  app->add_option("--seed", args->seed, "Random seed (the same seed gives the same district)")->capture_default_str();
  app->add_option("--out", args->out, "Output folder (created when missing)")->required();
  app->add_option("--samples", args->samples, "2d: number of sample sites")->capture_default_str()->check(positive());
  app->add_option("--known", args->known, "2d: share of deposits released as known (the rest are hidden)")
      ->capture_default_str()->check(inRange(0.0, 1.0));
  app->add_option("--size", args->size, "3d: voxels nx,ny,nz (default 256,256,128)");
  app->add_option("--cell", args->cell, "3d: voxel edge in metres")->capture_default_str()->check(positive());
  app->add_option("--shift", args->shift, "3d: how different the target deposit is from the source (0 = same law, 1 = strong covariate shift)")
      ->capture_default_str()->check(inRange(0.0, 1.0));
  args->drillholes.declare(args->drillholeOptions);
  addOptions(app, args->drillholeOptions);

  command.run = [args, &common = command.common](RunReport& report) {
    if (args->drillholes.holes > 0 && args->kind != "3d") throw UsageError("--drillholes: only with 'synth 3d'");
    report.seed(args->seed);
    Dataset dataset;
    if (args->kind == "2d") {
      Synth2dOptions options;
      options.seed = args->seed;
      options.sampleCount = args->samples;
      options.knownFraction = args->known;
      report.timed("generate", [&] { dataset = synth2dDataset(options); });
      report.parameter("samples", options.sampleCount);
      report.parameter("known_fraction", options.knownFraction);
    } else {
      Synth3dOptions options;
      options.seed = args->seed;
      options.cell = args->cell;
      options.shift = args->shift;
      if (!args->size.empty()) {
        const auto n = parseNumbers(args->size, "--size");
        if (n.size() != 3 || n[0] < 8 || n[1] < 8 || n[2] < 8) {
          throw UsageError("--size: expected nx,ny,nz, each at least 8, got '" + args->size + "'");
        }
        options.nx = std::size_t(n[0]);
        options.ny = std::size_t(n[1]);
        options.nz = std::size_t(n[2]);
      }
      report.timed("generate", [&] { dataset = synth3dDataset(options); });
      report.parameter("size", {options.nx, options.ny, options.nz});
      report.parameter("cell_m", options.cell);
      report.parameter("shift", options.shift);
    }
    report.timed("write", [&] { writeDataset(dataset, args->out); });
    if (args->drillholes.holes > 0) {
      args->drillholes.seed = args->seed;
      report.timed("drillholes", [&] {
        for (const auto& [volume, counts] : writeSynth3dDrillholes(dataset, args->drillholes, args->out))
          report.result(volume + "_drillholes", {{"holes", counts.first}, {"intervals", counts.second}});
      });
    }
    report.result("dataset", describeDataset(dataset));
    report.output(args->out);
    say(common, "wrote synthetic district " + dataset.name + " (seed " + std::to_string(args->seed) + ") to " + args->out);
  };
}

}  // namespace orevox::cli
