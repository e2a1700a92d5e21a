// orevox demo: the main job on the embedded default. It generates the synthetic districts,
// grids their geochemistry, builds fault buffers, indexes everything, draws training
// windows into LibTorch tensors and writes voxel models, maps and a summary.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <limits>
#include <sstream>

#include "../command.hpp"
#include "demo_paths.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/datasets/embedded.hpp"
#include "orevox/datasets/raster_io.hpp"
#include "orevox/datasets/vti_io.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/geomodel/compositional.hpp"
#include "orevox/geomodel/correlation.hpp"
#include "orevox/geomodel/distance_field.hpp"
#include "orevox/core/error.hpp"
#include "orevox/geomodel/geometry.hpp"
#include "orevox/geomodel/idw.hpp"
#include "orevox/geomodel/synth2d.hpp"
#include "orevox/geomodel/synth3d.hpp"
#include "orevox/learning/metrics.hpp"
#include "orevox/learning/raster_data.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"
#include "orevox/learning/window_batch.hpp"
#include "orevox/voxel/spatial_index.hpp"
#ifdef OREVOX_WITH_VIZ
#include "orevox/viz/charts.hpp"
#include "orevox/viz/html_report.hpp"
#include "orevox/viz/map_figure.hpp"
#include "orevox/viz/quicklook.hpp"
#include "orevox/viz/scene.hpp"
#endif

namespace fs = std::filesystem;

namespace orevox::cli {

namespace {

struct DemoArgs {
  std::string out;
  std::uint64_t seed = 1;
  double cell = 100.0;
  int window = 32;
  std::string size3d = "128,128,64";
  std::vector<std::string> paths{"graph", "raster", "volume"};
  bool quick = false;
};

/// Fault distance and ring-buffer levels of `faults` on `grid`.
Raster faultBuffers(const FaultNetwork& faults, const GridSpec& grid) {
  Raster out(grid);
  out.grid().mask.clear();
  out.addBand("fault_distance", distanceToLines(faults, grid), "m");
  out.addBand("fault_buffer_level", ringBufferLevels(out.band(0).values));
  return out;
}

/// Share of deposits within `distance` metres of a fault, and share of the grid's area.
std::pair<double, double> nearFaultShares(const SampleTable& deposits, const Raster& buffers,
                                          double distance) {
  std::size_t near = 0, cells = 0;
  for (std::size_t i = 0; i < deposits.size(); ++i) {
    const float d = buffers.sample(0, deposits.x[i], deposits.y[i]);
    if (!buffers.isNodata(d) && d <= distance) ++near;
  }
  for (float d : buffers.band(0).values) cells += (!buffers.isNodata(d) && d <= distance) ? 1 : 0;
  return {double(near) / double(std::max<std::size_t>(1, deposits.size())),
          double(cells) / double(std::max<std::size_t>(1, buffers.grid().size()))};
}

/// A vertical east-west section (row 0 = top) through voxel row j of a model: rock type,
/// with orebody voxels as class 4 and air as nodata.
Raster sectionRockOrebody(const VoxelModel& model, std::size_t j) {
  const VolumeSpec& s = model.spec();
  GridSpec g;
  g.width = s.nx;
  g.height = s.nz;
  g.geoTransform = {s.origin[0], s.spacing[0], 0.0, s.origin[2] + double(s.nz) * s.spacing[2],
                    0.0,         -s.spacing[2]};
  Raster r(g);
  auto& band = r.addBand("rock_orebody", kNodata);
  for (std::size_t k = 0; k < s.nz; ++k) {
    for (std::size_t i = 0; i < s.nx; ++i) {
      const long ii = long(i), jj = long(j), kk = long(k);
      if (!model.isActive("rock_type", ii, jj, kk)) continue;
      const float ore = model.value("orebody", ii, jj, kk);
      band.values[g.index(i, s.nz - 1 - k)] =
          ore > 0.5f ? 4.0f : model.value("rock_type", ii, jj, kk);
    }
  }
  return r;
}

/// Success-rate curve of ranking the cells of `band` (multiplied by `sign`, so that -1
/// ranks small distances first) against the deposits whose label is `label` (-1 = all).
SuccessRateCurve evidenceCurve(const Raster& raster, std::size_t band, double sign,
                               const SampleTable& deposits, int label) {
  const GridSpec& g = raster.grid();
  std::vector<double> scores(g.size());
  for (std::size_t i = 0; i < g.size(); ++i) {
    const float v = raster.band(band).values[i];
    scores[i] = raster.isNodata(v) ? std::numeric_limits<double>::quiet_NaN() : sign * double(v);
  }
  std::vector<std::size_t> cells;
  for (std::size_t i = 0; i < deposits.size(); ++i) {
    if (label >= 0 && deposits.labels[i] != label) continue;
    long col = 0, row = 0;
    if (g.cellOf(deposits.x[i], deposits.y[i], col, row))
      cells.push_back(g.index(std::size_t(col), std::size_t(row)));
  }
  return successRateCurve(scores, cells);
}

}  // namespace

void addDemoCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<DemoArgs>();
  auto* app =
      root.add_subcommand("demo",
                          "The main job on the embedded default: synthetic districts, gridded "
                          "stacks, fault buffers, spatial index, training windows, voxel models");
  command.app = app;
  OptionSet& set = command.options;
  set.add("out", args->out, "Output folder (created when missing)").required().placeholder("DIR");
  set.add("seed", args->seed, "Seed of the synthetic districts and of LibTorch");
  set.add("cell", args->cell, "Cell size of the gridded stacks").units("m").positive();
  set.add("window", args->window, "Window size k (cells) of the training windows").range(3, 129);
  set.add("size3d", args->size3d, "Voxels nx,ny,nz of each synth3d deposit (each >= 8)")
      .placeholder("nx,ny,nz")
      .check([](const std::string& text) {
        std::size_t n = 0, start = 0;
        while (start <= text.size()) {
          const std::size_t comma = std::min(text.find(',', start), text.size());
          const std::string item = text.substr(start, comma - start);
          if (item.empty() || item.find_first_not_of("0123456789") != std::string::npos ||
              std::stol(item) < 8)
            return std::string("is not nx,ny,nz, each a whole number >= 8");
          ++n;
          start = comma + 1;
        }
        return n == 3 ? std::string() : std::string("is not nx,ny,nz, each a whole number >= 8");
      });
  set.add("paths", args->paths, "Learning paths to run after the data steps")
      .choices({"graph", "raster", "volume", "none"});
  set.add("quick", args->quick, "Tiny learning runs (a smoke test of every path, not meaningful figures)");

  command.run = [args, &common = command.common](RunReport& report) {
    report.seed(args->seed);
    configureTorch(threadCount(), args->seed);
    const TorchInfo torch = torchInfo();
    report.parameter("torch",
                     {{"version", torch.version}, {"intra_op_threads", torch.intraOpThreads}});
    report.parameter("cell_m", args->cell);
    report.parameter("window", args->window);

    const fs::path out(args->out);
    const fs::path d2 = out / "synth2d", d3 = out / "synth3d", dm = out / "murchison",
                   figs = out / "figures";
    bool runGraph = false, runRaster = false, runVolume = false;
    for (const auto& p : args->paths) {
      runGraph = runGraph || p == "graph";
      runRaster = runRaster || p == "raster";
      runVolume = runVolume || p == "volume";
    }
    OutputFolder folder(args->out);  // removed again if the demo fails
    for (const auto& d : {d2, d3, dm, figs}) makeDirectories(d.string());
    std::vector<std::string> summary;
    const int steps = 7 + (runGraph ? kDemoGraphStages : 0) + (runRaster ? kDemoRasterStages : 0) +
                      (runVolume ? kDemoVolumeStages : 0);  // the stage() calls below
    int step = 0;
    auto stage = [&](const std::string& what) {
      say(common, "[" + std::to_string(++step) + "/" + std::to_string(steps) + "] " + what);
    };
    auto wrote = [&](const fs::path& p) { report.output(p.string()); };
#ifdef OREVOX_WITH_VIZ
    auto figure = [&](const Raster& r, std::size_t band, const std::string& name,
                      QuicklookOptions opt) {
      const fs::path p = figs / name;
      writeQuicklookPng(r, band, p.string(), opt);
      wrote(p);
    };
#endif

    // 1. The 2D district.
    stage("synth2d: generating the stream-sediment district (seed " + std::to_string(args->seed) +
          ")");
    Synth2dOptions o2;
    o2.seed = args->seed;
    Dataset ds2;
    report.timed("synth2d_generate", [&] { ds2 = synth2dDataset(o2); });
    report.timed("synth2d_write", [&] { writeDataset(ds2, d2.string()); });
    wrote(d2);
    const std::vector<std::string> elements = [&] {
      std::vector<std::string> e;
      for (const auto& c : ds2.samples.columns)
        if (c.units == "ppm" && c.name != "rest") e.push_back(c.name);
      return e;
    }();
    std::size_t known = 0;
    for (int l : ds2.deposits.labels) known += l == 1;
    summary.push_back("synth2d: " + std::to_string(ds2.samples.size()) + " samples x " +
                      std::to_string(elements.size()) + " elements, " +
                      std::to_string(ds2.faults.lines.size()) + " fault traces, " +
                      std::to_string(ds2.deposits.size()) + " deposits (" + std::to_string(known) +
                      " known, " + std::to_string(ds2.deposits.size() - known) + " hidden)");

    // 2. Compositional step: explicit replacement of censored values, then clr.
    stage("synth2d: replacing below-detection values and computing clr coordinates");
    SampleTable samples = ds2.samples;
    const ReplacementReport replaced = replaceCensored(samples, elements, kDetectionLimitFactor, 1e6);
    std::size_t replacedTotal = 0;
    nlohmann::json replacedJson = nlohmann::json::object();
    for (std::size_t i = 0; i < replaced.columns.size(); ++i) {
      replacedJson[replaced.columns[i]] = replaced.replaced[i];
      replacedTotal += replaced.replaced[i];
    }
    report.result("censored_replaced", replacedJson);
    const Eigen::MatrixXd clrValues = clr(samples.matrix(elements));
    {
      SampleTable clrTable = samples.locationsOnly();
      std::vector<std::string> names;
      for (const auto& e : elements) names.push_back("clr_" + e);
      clrTable.setMatrix(names, clrValues);
      writeSamplesCsv(clrTable, (d2 / "samples_clr.csv").string());
      wrote(d2 / "samples_clr.csv");
    }
    // The ResGNN global element graph: Pearson r of clr values, adaptive alpha.
    const Eigen::MatrixXd r = pearson(clrValues);
    const double alpha = adaptiveAlpha(r);
    const Eigen::MatrixXd adjacency = adjacencyMatrix(r, alpha);
    const std::size_t edges = static_cast<std::size_t>(adjacency.sum() / 2.0);
    {
      std::ostringstream csv;
      csv << "element";
      for (const auto& e : elements) csv << "," << e;
      csv << "\n";
      for (Eigen::Index i = 0; i < r.rows(); ++i) {
        csv << elements[std::size_t(i)];
        for (Eigen::Index j = 0; j < r.cols(); ++j) csv << "," << fixed(r(i, j), 4, "nan");
        csv << "\n";
      }
      writeTextFileAtomic((d2 / "clr_correlation.csv").string(), csv.str());
      wrote(d2 / "clr_correlation.csv");
    }
    report.result("element_graph", {{"alpha", alpha},
                                    {"edges", edges},
                                    {"rule", "largest alpha keeping the graph connected"}});
    summary.push_back("compositional: " + std::to_string(replacedTotal) +
                      " below-detection values replaced at " + fixed(kDetectionLimitFactor, 2) + " x DL; clr "
                      "element graph at adaptive alpha " +
                      fixed(alpha, 2) + " has " + std::to_string(edges) + " edges");

    // 3. Gridded geochemical stack and fault buffers on one grid.
    stage("synth2d: IDW stack of " + std::to_string(elements.size()) +
          " elements and fault ring buffers at " + fixed(args->cell, 0) + " m");
    const GridSpec grid = GridSpec::fromExtent(ds2.grid.grid().extent(), args->cell, ds2.crsWkt);
    const IdwOptions idw = GeochemStackOptions::stackIdw();
    Raster stack;
    report.timed("synth2d_idw", [&] { stack = idwGrid(samples, elements, grid, idw); });
    writeGeoTiff(stack, (d2 / "geochem_idw.tif").string());
    wrote(d2 / "geochem_idw.tif");
    Raster buffers;
    report.timed("synth2d_buffers", [&] { buffers = faultBuffers(ds2.faults, grid); });
    writeGeoTiff(buffers, (d2 / "fault_buffers.tif").string());
    wrote(d2 / "fault_buffers.tif");
    const auto [depNear, areaNear] = nearFaultShares(ds2.deposits, buffers, 1000.0);
    summary.push_back("grids: " + std::to_string(grid.width) + " x " + std::to_string(grid.height) +
                      " cells; " + fixed(100 * depNear, 0) +
                      "% of deposits lie within 1 km of a fault, which covers " +
                      fixed(100 * areaNear, 0) + "% of the area");

    // 4. One spatial index; training windows around known deposits into LibTorch tensors.
    stage("index: grids + samples + deposits; " + std::to_string(args->window) + "x" +
          std::to_string(args->window) + " windows around known deposits as tensors");
    SpatialIndex index;
    index.addGrid(stack);
    index.addGrid(buffers);
    index.addSamples("samples", samples);
    index.addSamples("deposits", ds2.deposits);
    std::vector<std::array<double, 2>> centres;
    for (std::size_t i = 0; i < ds2.deposits.size(); ++i)
      if (ds2.deposits.labels[i] == 1) centres.push_back({ds2.deposits.x[i], ds2.deposits.y[i]});
    const WindowBatch batch = drawWindows(index, centres, args->window);
    const auto meansCore = batch.channelMeans();
    const auto meansTorch = channelMeansTorch(batch);
    double maxDiff = 0.0;
    for (std::size_t c = 0; c < meansCore.size(); ++c)
      maxDiff = std::max(
          maxDiff, std::abs(meansCore[c] - meansTorch[c]) / std::max(1.0, std::abs(meansCore[c])));
    if (maxDiff > 1e-5)
      throw Error("torch bridge check failed: tensor channel means differ by " +
                  std::to_string(maxDiff));
    std::size_t maskedCells = 0;
    for (auto m : batch.mask) maskedCells += m == 0;
    const SampleGraph graph = index.neighbourGraph("samples", 8);
    report.result("windows", {{"count", batch.count},
                              {"channels", batch.channels},
                              {"size", batch.size},
                              {"masked_share", double(maskedCells) / double(std::max<std::size_t>(
                                                                         1, batch.mask.size()))},
                              {"torch_vs_core_max_rel_diff", maxDiff}});
    report.result("sample_graph", {{"k", 8}, {"edges", boost::num_edges(graph)}});
    summary.push_back(
        "index: " + std::to_string(index.summary().layers.size()) + " layers; " +
        std::to_string(batch.count) + " windows -> tensor [" + std::to_string(batch.count) + ", " +
        std::to_string(batch.channels) + ", " + std::to_string(batch.size) + ", " +
        std::to_string(batch.size) + "] (LibTorch " + torch.version + ", " +
        std::to_string(torch.intraOpThreads) +
        " threads; channel means equal the torch-free ones to " + fixed(maxDiff * 1e6, 3) +
        "e-6); kNN sample graph (k = 8): " + std::to_string(boost::num_edges(graph)) + " edges");

    // 5. The 3D pair.
    stage("synth3d: generating the source and target deposits (" + args->size3d + " voxels each)");
    Synth3dOptions o3;
    o3.seed = args->seed;
    {
      const auto n = parseNumbers(args->size3d, "--size3d");
      if (n.size() != 3 || n[0] < 8 || n[1] < 8 || n[2] < 8)
        throw UsageError("--size3d: expected nx,ny,nz, each at least 8");
      o3.nx = std::size_t(n[0]);
      o3.ny = std::size_t(n[1]);
      o3.nz = std::size_t(n[2]);
    }
    Dataset ds3;
    report.timed("synth3d_generate", [&] { ds3 = synth3dDataset(o3); });
    report.timed("synth3d_write", [&] {
      writeDataset(ds3, d3.string());
      for (const auto& [name, model] : ds3.volumes)
        writeVti(model, (d3 / (name + ".vti")).string());
    });
    wrote(d3);
    for (const auto& [name, model] : ds3.volumes) {
      const std::size_t active = model.activeVoxelCount("rock_type");
      const std::size_t ore = [&] {
        std::size_t n = 0;
        for (float v : model.denseChannel("orebody")) n += v > 0.5f;
        return n;
      }();
      summary.push_back(
          "synth3d " + name + ": " + std::to_string(active) + " rock voxels (" +
          fixed(100.0 * double(active) / double(model.spec().size()), 0) + "% of the box), ore " +
          fixed(100.0 * double(ore) / double(std::max<std::size_t>(1, active)), 2) + "% of rock; " +
          std::to_string(model.channelNames().size()) + " channels; " +
          fixed(double(model.memoryBytes()) / 1048576.0, 1) + " MiB in OpenVDB");
    }

    // 6. Real data: Murchison gold, faults and greenstone.
    stage("murchison: fault distance, ring buffers and greenstone mask at 500 m");
    const Dataset mur = loadDataset("murchison");
    const PolygonSet* greenstone = nullptr;
    for (const auto& [name, polys] : mur.polygons)
      if (name == "greenstone") greenstone = &polys;
    const GridSpec mgrid = GridSpec::fromExtent(mur.faults.extent(), 500.0, mur.crsWkt);
    Raster mraster;
    report.timed("murchison_buffers", [&] { mraster = faultBuffers(mur.faults, mgrid); });
    if (greenstone) {
      const auto mask = rasterizePolygons(*greenstone, mgrid);
      mraster.addBand("greenstone", std::vector<float>(mask.begin(), mask.end()));
    }
    writeGeoTiff(mraster, (dm / "evidence.tif").string());
    wrote(dm / "evidence.tif");
    const auto [mNear, mArea] = nearFaultShares(mur.deposits, mraster, 1000.0);
    summary.push_back("murchison: " + std::to_string(mur.deposits.size()) + " gold deposits, " +
                      std::to_string(mur.faults.segmentCount()) + " fault segments; " +
                      fixed(100 * mNear, 0) + "% of deposits within 1 km of a fault, which covers " +
                      fixed(100 * mArea, 1) + "% of the grid");
    report.result("murchison_near_fault_1km", {{"deposits", mNear}, {"area", mArea}});

    // 7. Figures, the HTML report and the summary.
    stage("figures, renders and the HTML report");
#ifdef OREVOX_WITH_VIZ
    const std::string seedText = std::to_string(args->seed);
    std::vector<ReportFigure> maps2d, maps3d, charts;
    auto fig = [&](std::vector<ReportFigure>& list, const std::string& name,
                   const std::string& caption, const std::string& data, const std::string& model) {
      wrote(figs / name);
      list.push_back(ReportFigure{"figures/" + name, caption, data, model, "", args->seed, true});
    };
    const std::string data2d = "synth2d (seed " + seedText + "), 41 x 41 km";
    QuicklookOptions seq;
    QuicklookOptions cat;
    cat.colorMap = ColorMap::Categorical;
    // Map figures, charts and 3D renders draw through VTK's X window (xvfb-run where there
    // is no display); quick looks and the report need none.
    const char* display = std::getenv("DISPLAY");
    const bool canRender = display && *display;
    if (!canRender)
      say(common,
          "  no display: map figures, charts and 3D renders skipped (run under xvfb-run -a to get "
          "them)");
    figure(ds2.grid, std::size_t(ds2.grid.bandIndex("lithology")), "synth2d_lithology.png", cat);
    fig(maps2d, "synth2d_lithology.png",
        "Lithology domains (quick look, north up): 1 granite, 2 sandstone, 3 carbonate, 4 "
        "volcanic, 5 shale.",
        data2d, "ground truth");
    figure(buffers, 1, "synth2d_fault_buffer_level.png", seq);
    fig(maps2d, "synth2d_fault_buffer_level.png",
        "Fault ring-buffer influence levels (quick look): 6 within 500 m of a fault, down to 1 at "
        "2.5-3 km, 0 beyond.",
        data2d, "SSGSNet ring buffers");
    if (canRender) {
      MapFigureOptions mf;
      mf.faults = &ds2.faults;
      mf.deposits = &ds2.deposits;
      mf.title = "synth2d truth: mineralisation intensity (seed " + seedText + ")";
      writeMapFigure(ds2.grid, std::size_t(ds2.grid.bandIndex("mineralisation")),
                     (figs / "synth2d_truth_map.png").string(), mf);
      fig(maps2d, "synth2d_truth_map.png",
          "True mineralisation intensity (what a perfect model would find) with faults and the "
          "known and hidden deposits.",
          data2d + ", " + fixed(ds2.grid.grid().cellWidth(), 0) + " m cells", "ground truth");
      MapFigureOptions au;
      au.faults = &ds2.faults;
      au.deposits = &ds2.deposits;
      au.title = "synth2d: Au by IDW (ppm, 12 neighbours, power 2)";
      writeMapFigure(stack, std::size_t(stack.bandIndex("Au")),
                     (figs / "synth2d_idw_Au_map.png").string(), au);
      fig(maps2d, "synth2d_idw_Au_map.png",
          "Au of the stream-sediment samples gridded by IDW: the halos of the Au-As-Sb-Hg deposits "
          "and the false anomalies.",
          data2d + ", " + fixed(args->cell, 0) + " m cells", "IDW");
      MapFigureOptions mm;
      mm.faults = &mur.faults;
      mm.deposits = &mur.deposits;
      mm.title = "Murchison: distance to the nearest fault (m) and gold deposits";
      writeMapFigure(mraster, 0, (figs / "murchison_fault_distance_map.png").string(), mm);
      fig(maps2d, "murchison_fault_distance_map.png",
          "Distance to mapped faults with the 255 MINEDEX gold deposits (real data, Watkins & "
          "Hickman 1990 / GSWA).",
          "murchison, 500 m cells", "distance field");
    }
    // Prediction-rate curves of single evidence layers: the baseline every model must beat.
    {
      const auto truthCurve = evidenceCurve(
          ds2.grid, std::size_t(ds2.grid.bandIndex("mineralisation")), 1.0, ds2.deposits, 0);
      const auto faultCurve = evidenceCurve(buffers, 0, -1.0, ds2.deposits, 0);
      const auto auCurve =
          evidenceCurve(stack, std::size_t(stack.bandIndex("Au")), 1.0, ds2.deposits, 0);
      const auto murCurve = evidenceCurve(mraster, 0, -1.0, mur.deposits, -1);
      if (canRender) {
        writeSuccessRateChart({{"true intensity (AUC " + fixed(truthCurve.auc, 2) + ")",
                                truthCurve.areaFraction, truthCurve.depositFraction},
                               {"fault proximity (AUC " + fixed(faultCurve.auc, 2) + ")",
                                faultCurve.areaFraction, faultCurve.depositFraction},
                               {"IDW Au (AUC " + fixed(auCurve.auc, 2) + ")", auCurve.areaFraction,
                                auCurve.depositFraction}},
                              "synth2d: prediction-rate curves of single layers (hidden deposits)",
                              (figs / "synth2d_prediction_rate.png").string());
        fig(charts, "synth2d_prediction_rate.png",
            "Share of the hidden deposits captured against the share of the area, ranking cells by "
            "one layer: the "
            "true intensity (the ceiling), proximity to faults and IDW Au. Models must beat the "
            "single layers.",
            data2d, "single evidence layers");
        writeSuccessRateChart({{"fault proximity (AUC " + fixed(murCurve.auc, 2) + ")",
                                murCurve.areaFraction, murCurve.depositFraction}},
                              "Murchison: success-rate curve of fault proximity (255 deposits)",
                              (figs / "murchison_success_rate.png").string());
        fig(charts, "murchison_success_rate.png",
            "Share of the Murchison gold deposits captured against the share of the area ranked by "
            "proximity to faults.",
            "murchison, 500 m cells", "single evidence layer");
      }
      report.result("evidence_auc", {{"synth2d_truth_hidden", truthCurve.auc},
                                     {"synth2d_fault_proximity_hidden", faultCurve.auc},
                                     {"synth2d_idw_au_hidden", auCurve.auc},
                                     {"murchison_fault_proximity", murCurve.auc}});
      summary.push_back("prediction-rate AUC on the hidden synth2d deposits: true intensity " +
                        fixed(truthCurve.auc, 2) + ", fault proximity " + fixed(faultCurve.auc, 2) +
                        ", IDW Au " + fixed(auCurve.auc, 2) + "; Murchison fault proximity " +
                        fixed(murCurve.auc, 2));
    }
    if (canRender) {
      for (const auto& [name, model] : ds3.volumes) {
        FaultNetwork own;
        for (const auto& surface : ds3.faults.surfaces)
          if (surface.name.rfind(name, 0) == 0) own.surfaces.push_back(surface);
        SceneData sd;
        sd.volume = &model;
        sd.channel = "halo";
        sd.faults = &own;
        SceneOptions so;
        so.isoChannel = "orebody";
        so.isoLevels = {0.5};
        so.slices = {0.5, -1, -1};
        so.width = 1200;
        so.height = 900;
        so.title = "synth3d " + name + ": Au halo (log10 ppm), true orebody in red";
        const std::string haloName = "synth3d_" + name + "_halo_orebody.png";
        report.timed("render_" + name, [&] { renderScenePng(sd, so, (figs / haloName).string()); });
        fig(maps3d, haloName,
            "The " + name +
                " deposit: geochemical halo volume, the detachment fault surface and the true "
                "orebodies "
                "(isosurface at 0.5).",
            "synth3d " + name + " (seed " + seedText + "), " + args->size3d + " voxels",
            "ground truth");
      }
    }
    QuicklookOptions section = cat;
    section.scale = 4;
    for (const auto& [name, model] : ds3.volumes) {
      figure(sectionRockOrebody(model, model.spec().ny / 2), 0, "synth3d_" + name + "_section.png",
             section);
      fig(maps3d, "synth3d_" + name + "_section.png",
          "East-west section through the middle of the " + name +
              " box: 1 granite (footwall), 2 metamorphic "
              "(hanging wall), 3 alteration zone, 4 orebody; air transparent.",
          "synth3d " + name + " (seed " + seedText + ")", "ground truth");
    }
#endif

    // 8. The learning paths, each in its own folder and report section.
    std::vector<std::string> pathFiles;
#ifdef OREVOX_WITH_VIZ
    std::vector<ReportSection> pathSections;
#endif
    {
      const char* pathDisplay = std::getenv("DISPLAY");
      DemoContext context{common,     report,       out,      figs,    args->seed,
                          args->window, args->quick, pathDisplay && *pathDisplay,
                          ds2,        ds3,          summary,  pathFiles, stage
#ifdef OREVOX_WITH_VIZ
                          ,
                          pathSections
#endif
      };
      if (runGraph) runDemoGraphPath(context);
      if (runRaster) runDemoRasterPath(context);
      if (runVolume) runDemoVolumePath(context);
    }

    std::ostringstream md;
    md << "# orevox demo\n\nSeed " << args->seed << ", " << threadCount()
       << " threads. What was made:\n\n";
    for (const auto& line : summary) md << "- " << line << "\n";
    md << "\nFolders: `synth2d/` (samples, deposits known/hidden, faults, lithology, truth raster, "
          "clr table, IDW "
          "stack, fault buffers), `synth3d/` (source and target VoxelModels as .vdb and .vti), "
          "`murchison/` "
          "(evidence rasters from real data), `figures/` (quick-look PNGs: north up, one pixel per "
          "cell; "
          "categorical colours: 1 granite, 2 metamorphic, 3 alteration zone, 4 orebody in the 3D "
          "sections).\n";
    writeTextFileAtomic((out / "summary.md").string(), md.str());
    wrote(out / "summary.md");
#ifdef OREVOX_WITH_VIZ
    std::vector<ReportSection> sections;
    ReportSection intro{"What the demo made", {}, {}, {}, {}};
    intro.paragraphs.push_back(
        "Seed " + seedText + ", " + std::to_string(threadCount()) + " threads, LibTorch " +
        torch.version +
        ". Synthetic districts are generated by orevox with known truth; "
        "Murchison is real public data (see murchison's PROVENANCE in datasets/data).");
    ReportTable facts{"Steps and results", {"result"}, {}};
    for (const auto& line : summary) facts.rows.push_back({line});
    intro.tables.push_back(facts);
    ReportTable times{"Timings", {"step", "seconds"}, {}};
    for (auto it = report.json()["timings_s"].begin(); it != report.json()["timings_s"].end(); ++it)
      times.rows.push_back({it.key(), fixed(it.value().get<double>(), 2)});
    intro.tables.push_back(times);
    sections.push_back(intro);
    sections.push_back(ReportSection{"2D maps", {}, {}, maps2d, {}});
    sections.push_back(ReportSection{"Evidence layers against deposits", {}, {}, charts, {}});
    sections.push_back(ReportSection{"3D deposits (synth3d)", {}, {}, maps3d, {}});
    for (auto& section : pathSections) sections.push_back(std::move(section));
    ReportSection files{
        "Data written",
        {"Open formats: GeoTIFF, CSV, GeoJSON, GeoPackage, OpenVDB and VTK image data."},
        {},
        {},
        {}};
    for (const char* f :
         {"synth2d/samples.csv", "synth2d/deposits_known.csv", "synth2d/deposits_hidden.csv",
          "synth2d/faults.geojson", "synth2d/lithology.gpkg", "synth2d/truth.tif",
          "synth2d/geochem_idw.tif", "synth2d/fault_buffers.tif", "synth2d/samples_clr.csv",
          "synth2d/clr_correlation.csv", "synth3d/source.vdb", "synth3d/target.vdb",
          "synth3d/source.vti", "synth3d/target.vti", "murchison/evidence.tif", "summary.md"})
      files.links.push_back(ReportLink{f, {}});
    for (const auto& f : pathFiles) files.links.push_back(ReportLink{f, {}});
    sections.push_back(files);
    const HtmlReportResult html = writeHtmlReport(out.string(), "orevox demo", sections);
    wrote(html.path);
    if (!html.missing.empty())
      say(common, "  report: " + std::to_string(html.missing.size()) + " files not produced");
#endif
    report.result("summary", summary);
    for (const auto& line : summary) say(common, "  " + line);
    say(common, "orevox demo: done; see " + (out / "summary.md").string());
    folder.keep();
  };
}

}  // namespace orevox::cli
