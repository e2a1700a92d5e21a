// orevox sample: the value of every channel of a volume at the points of a CSV file.
#include "../command.hpp"
#include "orevox/datasets/volume_sample.hpp"

namespace orevox::cli {

namespace {
struct SampleArgs {
  VolumeSampling job;
};
}  // namespace

void addSampleCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<SampleArgs>();
  auto* app = root.add_subcommand(
      "sample",
      "Sample every channel of a volume at the points of a CSV file (nearest voxel or trilinear)");
  command.app = app;
  args->job.declare(command.options);

  command.run = [args, &common = command.common](RunReport& report) {
    VolumeSamplingResult result;
    report.timed("sample", [&] { result = runVolumeSampling(args->job); });
    report.input("volume", args->job.volume);
    report.input("points", args->job.points);
    report.json()["parameters"].update(report.json()["options"]);
    report.result("points", result.points);
    nlohmann::json channels = nlohmann::json::object();
    for (std::size_t c = 0; c < result.channels.size(); ++c)
      channels[result.channels[c]] = result.valuesPerChannel[c];
    report.result("points_with_a_value", channels);
    report.output(args->job.out);
    say(common, "wrote " + args->job.out + ": " + std::to_string(result.points) + " points, " +
                    std::to_string(result.channels.size()) + " channels");
  };
}

}  // namespace orevox::cli
