// orevox index: builds the SpatialIndex over grids, samples and voxels, describes it and
// answers point queries.
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "../command.hpp"
#include "orevox/core/error.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/datasets/embedded.hpp"
#include "orevox/datasets/raster_io.hpp"
#include "orevox/datasets/volume_io.hpp"
#include "orevox/voxel/spatial_index.hpp"

namespace orevox::cli {

namespace {
struct IndexArgs {
  std::string dataset, samples, x = "x", y = "y", z;
  std::vector<double> query;
  std::vector<std::string> grids, volumes;
  std::size_t knn = 5;
  std::uint64_t seed = 1;
};

}  // namespace

void addIndexCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<IndexArgs>();
  auto* app = root.add_subcommand(
      "index", "Build the spatial index over grids, samples and voxels, describe it, query it");
  command.app = app;
  OptionSet& set = command.options;
  set.add("dataset", args->dataset, "Embedded dataset to index").choices(datasetNames());
  set.add("seed", args->seed, "Seed of a synthetic dataset");
  set.addRepeated("grid", args->grids,
                  "Raster file added as 2D layers (repeatable; all on one grid)")

      .placeholder("FILE");
  set.add("samples", args->samples, "Sample CSV added as a node layer").placeholder("FILE");
  set.add("x", args->x, "Easting column of --samples");
  set.add("y", args->y, "Northing column of --samples");
  set.add("z", args->z, "Elevation column of --samples (3D nodes)");
  set.addRepeated("volume", args->volumes,
                  "Voxel model (.vdb, .vti, block-model .csv) added as a voxel layer (repeatable)")

      .placeholder("FILE");
  set.add("query", args->query, "Print every feature at this point and the nearest nodes")
      .counts({2, 3})
      .placeholder("x,y[,z]");
  set.add("knn", args->knn, "Nearest nodes listed per sample layer with --query").positive();

  command.run = [args](RunReport& report) {
    SpatialIndex index;
    report.timed("build", [&] {
      if (!args->dataset.empty()) {
        const Dataset ds = loadDataset(args->dataset, args->seed);
        report.input("dataset", args->dataset);
        report.seed(args->seed);
        if (ds.grid.bandCount() > 0) index.addGrid(ds.grid);
        if (ds.samples.size() > 0) index.addSamples("samples", ds.samples);
        if (ds.deposits.size() > 0) index.addSamples("deposits", ds.deposits);
        for (const auto& [name, model] : ds.volumes) index.addVoxels(name, model);
      }
      for (const auto& path : args->grids) {
        index.addGrid(readRaster(path));
        report.input("grid", path);
      }
      if (!args->samples.empty()) {
        CsvOptions csv;
        csv.xColumn = args->x;
        csv.yColumn = args->y;
        csv.zColumn = args->z;
        index.addSamples("samples", readSamplesCsv(args->samples, csv));
        report.input("samples", args->samples);
      }
      for (const auto& path : args->volumes) {
        index.addVoxels(std::filesystem::path(path).stem().string(), readVolume(path));
        report.input("volume", path);
      }
    });
    const IndexSummary summary = index.summary();
    if (summary.layers.empty())
      throw UsageError("nothing to index: give --dataset, --grid, --samples or --volume");
    std::cout << summary.text();
    report.result("summary", summary.text());

    if (args->query.empty()) return;
    const std::vector<double>& q = args->query;
    const auto features =
        q.size() == 2 ? index.featuresAt(q[0], q[1]) : index.featuresAt(q[0], q[1], q[2]);
    nlohmann::json fj = nlohmann::json::array();
    std::cout << "features at " << q[0] << "," << q[1]
              << (q.size() == 3 ? "," + std::to_string(q[2]) : "") << ":\n";
    for (const auto& f : features) {
      std::cout << "  " << f.layer << (f.name != f.layer ? "/" + f.name : "") << ": "
                << (f.valid ? fixed(f.value, 4) : std::string("(no data)")) << "\n";
      fj.push_back({{"layer", f.layer},
                    {"name", f.name},
                    {"value", f.valid ? nlohmann::json(f.value) : nlohmann::json()}});
    }
    report.result("features", fj);
    for (const auto& layer : index.sampleLayers()) {
      const auto& table = index.samples(layer);
      const auto near = (q.size() == 3 && table.is3D())
                            ? index.nearestToPoint(layer, q[0], q[1], q[2], args->knn)
                            : index.nearestToPoint(layer, q[0], q[1], args->knn);
      std::cout << "nearest " << layer << ":\n";
      for (const auto& n : near) {
        const std::string id =
            table.ids.empty() ? "#" + std::to_string(n.index) : table.ids[n.index];
        std::cout << "  " << id << " at " << fixed(n.distance, 1) << " m\n";
      }
    }
  };
}

}  // namespace orevox::cli
