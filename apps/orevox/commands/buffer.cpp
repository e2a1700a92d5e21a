// orevox buffer: distance to fault lines and SSGSNet ring-buffer influence levels on a grid.
#include "../command.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/datasets/crs.hpp"
#include "orevox/datasets/raster_io.hpp"
#include "orevox/datasets/vector_io.hpp"
#include "orevox/geomodel/distance_field.hpp"

namespace orevox::cli {

namespace {
struct BufferArgs {
  std::string faults, like, out;
  std::vector<double> extent, rings = RingBufferOptions().edges;
  double cell = 0;
};
}  // namespace

void addBufferCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<BufferArgs>();
  auto* app = root.add_subcommand(
      "buffer", "Distance to lines (faults) and multi-ring buffer levels on a grid");
  command.app = app;
  OptionSet& set = command.options;
  set.add("faults", args->faults, "Line features (GeoJSON, GeoPackage, Shapefile)")
      .required()

      .placeholder("FILE");
  set.add("like", args->like, "Take the grid (extent, cell, CRS) from this raster")
      .placeholder("FILE");
  set.add("cell", args->cell, "Cell size (with --extent or the lines' extent); 0 = --like")
      .units("m")
      .nonNegative();
  set.add("extent", args->extent, "xmin,ymin,xmax,ymax (default: the lines' extent)")
      .counts({4})
      .placeholder("xmin,ymin,xmax,ymax");
  set.add("rings", args->rings, "Ring outer edges, increasing").units("m").positive();
  set.add("out", args->out, "Output GeoTIFF: band 1 distance (m), band 2 influence level")
      .required()
      .placeholder("FILE");

  command.run = [args, &common = command.common](RunReport& report) {
    checkGeoTiffPath(args->out, "--out");
    report.outputs().addInput(args->faults, "--faults");
    report.outputs().addInput(args->like, "--like");
    const std::string outPath = report.outputs().add(args->out, "--out");
    FaultNetwork faults = readLines(args->faults);
    if (faults.segmentCount() == 0)
      throw DataError("no line segments", SourceLocation{args->faults, 0, 0, {}, {}});
    requireLinearCrs(faults.crsWkt, "fault buffers", args->faults);
    report.input("faults", args->faults);
    report.input("segments", faults.segmentCount());

    GridSpec grid;
    if (!args->like.empty()) {
      if (args->cell > 0 || !args->extent.empty())
        throw UsageError("--like cannot be combined with --cell or --extent");
      grid = readRaster(args->like).grid();
      grid.mask.clear();
      report.input("like", args->like);
    } else {
      if (!(args->cell > 0))
        throw UsageError("give --cell (with optional --extent) or --like RASTER");
      if (!args->extent.empty()) {
        const std::vector<double>& v = args->extent;
        grid =
            GridSpec::fromExtent(Extent{v[0], v[1], v[2], v[3], true}, args->cell, faults.crsWkt);
      } else {
        grid = gridOverData(faults.extent(), args->cell, faults.crsWkt, args->faults);
      }
    }
    if (!faults.crsWkt.empty() && !grid.crsWkt.empty() && faults.crsWkt != grid.crsWkt) {
      throw DataError("the lines' CRS differs from the grid's CRS of " + args->like,
                      SourceLocation{args->faults, 0, 0, {}, {}});
    }
    RingBufferOptions rings;
    rings.edges = args->rings;
    for (std::size_t i = 1; i < rings.edges.size(); ++i) {
      if (rings.edges[i] <= rings.edges[i - 1]) {
        throw UsageError("--rings: edges must be increasing, got " + fixed(rings.edges[i - 1], 0) +
                         " then " + fixed(rings.edges[i], 0));
      }
    }
    Raster out(grid);
    report.timed("distance",
                 [&] { out.addBand("fault_distance", distanceToLines(faults, grid), "m"); });
    out.addBand("fault_buffer_level", ringBufferLevels(out.band(0).values, rings));
    report.timed("write", [&] { writeGeoTiff(out, outPath); });
    report.parameter("rings_m", rings.edges);
    report.result("grid",
                  {{"width", grid.width}, {"height", grid.height}, {"cell_m", grid.cellWidth()}});
    report.output(args->out);
    say(common, "wrote " + args->out + ": distance and " + std::to_string(rings.edges.size()) +
                    "-ring buffer levels on " + std::to_string(grid.width) + " x " +
                    std::to_string(grid.height) + " cells");
  };
}

}  // namespace orevox::cli
