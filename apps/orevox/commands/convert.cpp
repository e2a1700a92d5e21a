// orevox convert IN OUT: a volume from one format to another (.vdb, .vti, .vo, block-model .csv).
#include "../command.hpp"
#include "orevox/datasets/volume_io.hpp"

namespace orevox::cli {

namespace {
struct ConvertArgs {
  VolumeConversion job;
};
}  // namespace

void addConvertCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<ConvertArgs>();
  auto* app = root.add_subcommand(
      "convert", "Convert a volume between .vdb, .vti, GOCAD Voxet .vo and block-model .csv");
  command.app = app;
  command.options.add("in", args->job.in, "Input volume (.vdb, .vti, .vo, .csv)")
      .required()
      .positional()
      .placeholder("IN");
  command.options.add("out", args->job.out, "Output volume (.vdb, .vti, .vo, .csv)")
      .required()
      .positional()
      .placeholder("OUT");
  args->job.declare(command.options);

  command.run = [args, &common = command.common](RunReport& report) {
    VolumeConversionResult result;
    report.timed("convert", [&] { result = convertVolume(args->job); });
    report.input("volume", args->job.in);
    report.json()["parameters"].update(report.json()["options"]);
    report.result("voxels", {result.nx, result.ny, result.nz});
    report.result("channels", result.channels);
    report.result("active_voxels", result.activeVoxels);
    report.output(args->job.out);
    say(common, "wrote " + args->job.out + ": " + std::to_string(result.nx) + " x " +
                    std::to_string(result.ny) + " x " + std::to_string(result.nz) + " voxels, " +
                    std::to_string(result.channels.size()) + " channels, " +
                    std::to_string(result.activeVoxels) + " active voxels");
  };
}

}  // namespace orevox::cli
