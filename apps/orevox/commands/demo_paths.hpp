#pragma once
// The three learning paths of `orevox demo`, one file each (demo_graph.cpp, demo_raster.cpp,
// demo_volume.cpp). demo.cpp generates the districts and the evidence layers, then calls each
// path with a DemoContext; a path writes into its own folder under DemoContext::out, adds
// lines to the summary, results to the run report and (with VTK) a section to index.html.
// Private to apps/.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "../command.hpp"
#include "orevox/datasets/embedded.hpp"
#ifdef OREVOX_WITH_VIZ
#include "orevox/viz/html_report.hpp"
#endif

namespace orevox::cli {

/// What demo.cpp hands to each path.
struct DemoContext {
  const CommonOptions& common;
  RunReport& report;
  std::filesystem::path out;   ///< the demo's output folder; a path writes to out/<path name>/
  std::filesystem::path figs;  ///< out/figures: PNGs referenced by index.html
  std::uint64_t seed = 1;
  int window = 32;             ///< --window of the demo (raster path windows)
  bool quick = false;          ///< --quick: tiny runs (tests); otherwise the full demo sizes
  bool canRender = false;      ///< a display is available (VTK charts, map figures, 3D renders)
  const Dataset& synth2d;      ///< the embedded synth2d district of the demo's seed
  const Dataset& synth3d;      ///< the synth3d source/target pair of the demo's seed
  std::vector<std::string>& summary;  ///< one line per result, printed and put in summary.md
  std::vector<std::string>& files;    ///< produced files, relative to `out`, linked in index.html
  /// Prints "[i/n] what" (a path calls it once per stage it announces).
  std::function<void(const std::string&)> stage;
#ifdef OREVOX_WITH_VIZ
  std::vector<ReportSection>& sections;  ///< a path appends its own section(s)
#endif
};

/// Stages each path announces through DemoContext::stage (demo.cpp counts them).
constexpr int kDemoGraphStages = 1;
constexpr int kDemoRasterStages = 1;
constexpr int kDemoVolumeStages = 1;

/// ResGNN graph path on synth2d (issue: graph path).
void runDemoGraphPath(DemoContext& context);
/// SSGSNet raster path on synth2d and murchison (issue: raster path).
void runDemoRasterPath(DemoContext& context);
/// DANN-CTA volume path on the synth3d pair (issue: volume path).
void runDemoVolumePath(DemoContext& context);

}  // namespace orevox::cli
