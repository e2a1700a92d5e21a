// orevox view: the interactive viewer. `--script orbit:N` orbits the camera N frames, prints
// the frame rate and exits (for tests and benchmarks under xvfb-run).
#ifdef OREVOX_WITH_VIZ
#include <sstream>

#include "../command.hpp"
#include "orevox/core/error.hpp"
#include "scene_args.hpp"

namespace orevox::cli {

void addViewCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<SceneArgs>();
  auto size = std::make_shared<std::string>("1280x960");
  auto script = std::make_shared<std::string>();
  auto lod = std::make_shared<int>(2);
  auto* app = root.add_subcommand(
      "view", "Open a volume or map in the interactive 3D viewer (keys: h for help)");
  command.app = app;
  OptionSet& set = command.options;
  declareSceneOptions(set, *args);
  set.add("size", *size, "Window size").placeholder("WIDTHxHEIGHT");
  set.add("lod", *lod, "Down-sampling of the volume while the camera moves (1 = none)").range(1, 16);
  set.add("script", *script, "Scripted run instead of interaction: orbit:N (N frames, then exit)")
      .internal();  // for tests and benchmarks
  command.run = [args, size, script, lod, &common = command.common](RunReport& report) {
    ViewerOptions options;
    options.scene = sceneOptions(*args);
    options.scene.defaultIso = true;
    if (args->slices.empty()) options.scene.slices = {0.5, 0.5, -1.0};
    const auto wh = parseImageSize(*size);
    options.scene.width = wh[0];
    options.scene.height = wh[1];
    options.interactiveShrink = *lod;
    if (!script->empty()) {
      const std::string prefix = "orbit:";
      std::size_t used = 0;
      int frames = 0;
      try {
        if (script->rfind(prefix, 0) != 0) throw std::invalid_argument("prefix");
        frames = std::stoi(script->substr(prefix.size()), &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != script->size() - prefix.size() || frames < 1 || frames > 100000)
        throw UsageError("--script: expected orbit:N with N = 1..100000, got '" + *script + "'");
      options.orbitFrames = frames;
    }
    LoadedScene loaded;
    report.timed("read", [&] { loadScene(*args, loaded, report); });
    const ViewerStats stats = runViewer(loaded.data, options);
    report.result("channel", stats.scene.channel);
    report.result("iso_levels", stats.scene.isoLevels);
    if (options.orbitFrames > 0) {
      report.result("orbit", {{"frames", stats.frames},
                              {"seconds", stats.seconds},
                              {"fps", stats.fps},
                              {"still_frame_s", stats.stillSeconds},
                              {"lod_shrink", *lod}});
      std::ostringstream line;
      line.precision(3);
      line << "orevox view: orbit of " << stats.frames << " frames in " << stats.seconds
           << " s: " << stats.fps << " fps (volume down-sampled x" << *lod
           << " while moving); full-resolution frame " << stats.stillSeconds << " s";
      say(common, line.str());
    }
  };
}

}  // namespace orevox::cli
#endif
