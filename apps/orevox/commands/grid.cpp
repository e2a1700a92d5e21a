// orevox grid: IDW of CSV sample columns onto a multi-band Float32 GeoTIFF.
#include "../command.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/datasets/raster_io.hpp"
#include "orevox/core/error.hpp"
#include "orevox/geomodel/compositional.hpp"
#include "orevox/geomodel/idw.hpp"

namespace orevox::cli {

namespace {
struct GridArgs {
  SampleCsvArgs csv;
  std::string out;
  std::vector<double> extent;
  double cell = 0, censoredFactor = kDetectionLimitFactor;
  IdwOptions idw;
  bool signedValues = false;
};
}  // namespace

void addGridCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<GridArgs>();
  auto* app = root.add_subcommand("grid", "Inverse-distance weighting of sample columns onto a GeoTIFF grid");
  command.app = app;
  OptionSet& set = command.options;
  args->csv.declare(set, "Columns to grid, comma separated (band i = field i)");
  set.add("cell", args->cell, "Cell size").units("m").required().positive();
  set.add("extent", args->extent, "xmin,ymin,xmax,ymax (default: the samples' bounding box)")
      .counts({4})
      .placeholder("xmin,ymin,xmax,ymax");
  args->idw.declare(set);
  set.add("censored-factor", args->censoredFactor,
          "Below-detection values ('<DL') are gridded as this fraction of their detection limit")
      .range(0.0, 1.0);
  set.add("signed", args->signedValues,
          "Accept negative values: log-ratios (as 'orevox transform' writes), z-scores, elevations. "
          "Without it a negative value is an error, as legacy files write below-detection as -DL");
  set.add("out", args->out, "Output GeoTIFF").required().placeholder("FILE");

  command.run = [args, &common = command.common](RunReport& report) {
    // Outputs declared before the work: an output over the samples or over the report, an
    // unwritable folder and a name that is not a GeoTIFF's are refused now.
    checkGeoTiffPath(args->out, "--out");
    report.outputs().addInput(args->csv.samples, "--samples");
    const std::string out = report.outputs().add(args->out, "--out");
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

    const std::vector<double>& v = args->extent;
    const Extent extent = v.empty() ? samples.extent() : Extent{v[0], v[1], v[2], v[3], true};
    const GridSpec grid = v.empty()
                              ? gridOverData(extent, args->cell, samples.crsWkt, args->csv.samples)
                              : GridSpec::fromExtent(extent, args->cell, samples.crsWkt);
    const IdwOptions& idw = args->idw;
    Raster raster;
    report.timed("idw", [&] { raster = idwGrid(samples, csv.columns, grid, idw); });
    report.timed("write", [&] { writeGeoTiff(raster, out); });

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
