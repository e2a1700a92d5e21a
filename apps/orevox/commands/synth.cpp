// orevox synth 2d|3d: synthetic districts with known truth, written in open formats.
#include "../command.hpp"
#include "orevox/datasets/drillhole_io.hpp"
#include "orevox/datasets/embedded.hpp"
#include "orevox/core/error.hpp"
#include "orevox/geomodel/synth2d.hpp"
#include "orevox/geomodel/synth3d.hpp"

namespace orevox::cli {

namespace {
struct SynthArgs {
  std::string kind, out;
  std::vector<long> size{long(Synth3dOptions().nx), long(Synth3dOptions().ny),
                         long(Synth3dOptions().nz)};
  std::uint64_t seed = 1;
  std::size_t samples = Synth2dOptions().sampleCount;
  double shift = Synth3dOptions().shift, cell = Synth3dOptions().cell,
         known = Synth2dOptions().knownFraction;
  SynthDrillholeOptions drillholes;
};
}  // namespace

void addSynthCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<SynthArgs>();
  auto* app = root.add_subcommand("synth", "Generate a synthetic district with known truth (2d: stream-sediment "
                                           "survey; 3d: fault-controlled gold, source and target deposits)");
  command.app = app;
  OptionSet& set = command.options;
  set.add("kind", args->kind, "2d or 3d").required().positional().choices({"2d", "3d"});
  set.add("seed", args->seed, "Random seed (the same seed gives the same district)");
  set.add("out", args->out, "Output folder (created when missing)").required().placeholder("DIR");
  set.add("samples", args->samples, "2d: number of sample sites").positive();
  set.add("known", args->known, "2d: share of deposits released as known (the rest are hidden)")
      .range(0.0, 1.0);
  set.add("size", args->size, "3d: voxels nx,ny,nz").counts({3}).range(8, 1 << 20).placeholder("nx,ny,nz");
  set.add("cell", args->cell, "3d: voxel edge").units("m").positive();
  set.add("shift", args->shift,
          "3d: how different the target deposit is from the source (0 = same law, 1 = strong "
          "covariate shift)")
      .range(0.0, 1.0);
  args->drillholes.declare(set);

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
      options.nx = std::size_t(args->size[0]);
      options.ny = std::size_t(args->size[1]);
      options.nz = std::size_t(args->size[2]);
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
