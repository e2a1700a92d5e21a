// orevox grid: IDW of CSV sample columns onto a multi-band Float32 GeoTIFF.
#include "../command.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/datasets/raster_io.hpp"
#include "orevox/core/error.hpp"
#include "orevox/geomodel/idw.hpp"

namespace orevox::cli {

namespace {
struct GridArgs {
  SampleCsvArgs csv;
  std::string extent, out;
  double cell = 0, power = 2, radius = 0, censoredFactor = 0.65;
  std::size_t neighbors = 12;
  bool signedValues = false;
};
}  // namespace

void addGridCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<GridArgs>();
  auto* app = root.add_subcommand("grid", "Inverse-distance weighting of sample columns onto a GeoTIFF grid");
  command.app = app;
  args->csv.declare(app, "Columns to grid, comma separated (band i = field i)");
  app->add_option("--cell", args->cell, "Cell size in metres")->required()->check(positive());
  app->add_option("--extent", args->extent, "xmin,ymin,xmax,ymax (default: the samples' bounding box)");
  app->add_option("--power", args->power, "IDW distance exponent")->capture_default_str()->check(positive());
  app->add_option("--neighbors", args->neighbors, "Nearest samples per cell")->capture_default_str()->check(positive());
  app->add_option("--radius", args->radius, "Search radius in metres (0 = unlimited); cells with no sample within it get nodata -9999")
      ->capture_default_str()->check(nonNegative());
  app->add_option("--censored-factor", args->censoredFactor,
                  "Below-detection values ('<DL') are gridded as this fraction of their detection limit")
      ->capture_default_str()->check(inRange(0.0, 1.0));
  app->add_flag("--signed", args->signedValues,
                "Accept negative values: log-ratios (as 'orevox transform' writes), z-scores, elevations. "
                "Without it a negative value is an error, as legacy files write below-detection as -DL");
  app->add_option("--out", args->out, "Output GeoTIFF")->required();

  command.run = [args, &common = command.common](RunReport& report) {
    checkOutputPath(args->out);
    CsvOptions csv = args->csv.csvOptions();
    csv.allowNegative = args->signedValues;
    SampleTable samples;
    report.timed("read", [&] {
      try {
        samples = readSamplesCsv(args->csv.samples, csv);
      } catch (const DataError& e) {
        if (csv.allowNegative || e.message() != "negative concentration") throw;
        throw DataError(e.message() + " (--signed accepts signed values such as log-ratios)", e.where());
      }
    });
    report.parameter("signed_values", csv.allowNegative);
    report.input("samples", args->csv.samples);
    report.input("sample_count", samples.size());

    std::size_t censored = 0;
    for (const auto& name : csv.columns) {
      auto& column = samples.column(name);
      for (std::size_t i = 0; i < samples.size(); ++i) {
        if (column.isCensored(i)) {
          column.values[i] *= args->censoredFactor;
          ++censored;
        }
      }
    }

    Extent extent;
    if (args->extent.empty()) {
      extent = samples.extent();
    } else {
      const auto v = parseNumbers(args->extent, "--extent");
      if (v.size() != 4) throw UsageError("--extent: expected xmin,ymin,xmax,ymax, got '" + args->extent + "'");
      extent = Extent{v[0], v[1], v[2], v[3], true};
    }
    const GridSpec grid = GridSpec::fromExtent(extent, args->cell, samples.crsWkt);
    IdwOptions idw;
    idw.power = args->power;
    idw.neighbors = args->neighbors;
    idw.radius = args->radius;
    Raster raster;
    report.timed("idw", [&] { raster = idwGrid(samples, csv.columns, grid, idw); });
    report.timed("write", [&] { writeGeoTiff(raster, args->out); });

    report.parameter("fields", csv.columns);
    report.parameter("cell_m", args->cell);
    report.parameter("extent", {extent.xmin, extent.ymin, extent.xmax, extent.ymax});
    report.parameter("power", idw.power);
    report.parameter("neighbors", idw.neighbors);
    report.parameter("radius_m", idw.radius);
    report.parameter("censored_factor", args->censoredFactor);
    report.result("censored_values", censored);
    report.result("grid", {{"width", grid.width}, {"height", grid.height}});
    report.output(args->out);
    say(common, "wrote " + args->out + ": " + std::to_string(grid.width) + " x " + std::to_string(grid.height) +
                    " cells, " + std::to_string(raster.bandCount()) + " bands (" +
                    std::to_string(samples.size()) + " samples)");
  };
}

}  // namespace orevox::cli
