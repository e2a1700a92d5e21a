// orevox demo: the raster path (see demo_paths.hpp). SSGSNet and its baselines on synth2d
// (geochemistry + faults, hidden deposits to score the maps) and on the real Murchison
// structure (faults, greenstone, 255 gold deposits), with small settings so that the demo
// stays a few minutes on 2 cores (seconds with --quick).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "demo_paths.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/datasets/vector_io.hpp"
#include "orevox/learning/torch/raster_study.hpp"
#ifdef OREVOX_WITH_VIZ
#include "orevox/viz/charts.hpp"
#include "orevox/viz/map_figure.hpp"
#endif

namespace fs = std::filesystem;

namespace orevox::cli {

namespace {

/// The demo's settings of one data set (full or quick).
struct DemoRasterRun {
  std::string name;   ///< folder and report key suffix
  double cell = 0.0;  ///< m
  RasterExperimentOptions options;
};

RasterExperimentOptions demoOptions(const DemoContext& c) {
  RasterExperimentOptions o;
  o.seed = c.seed;
  o.progress = !c.common.quiet;
  o.protocols = {Protocol::Spatial, Protocol::Paper};
  o.split.spatialFolds = SpatialFolds::Blocks;
  // The demo's figures were made with these metre distances, not the CLI's cell multiples.
  o.negatives.minDepositDistance = 3000.0;
  o.negatives.minFaultDistance = 1000.0;
  if (c.quick) {
    // A smoke test of every step, not meaningful figures.
    o.models = {"ssgsnet", "rf"};
    o.window = 16;
    o.train.epochs = 1;
    o.split.augment.copies = 1;
    o.split.folds = 2;
    o.bootstrap = 20;
    o.mapWindows = 300;
    o.shapWindows = 2;
    o.shapBackground = 2;
    o.shap.samples = 8;
    o.classical.forestTrees = 20;
  } else {
    o.models = {"ssgsnet", "resnet", "vit", "dualbranch", "rf"};
    o.window =
        std::max(16, c.window / 2);  // half the demo window keeps SSGSNet at ~0.3 GFLOP a window
    o.window -= o.window % 4;
    o.train.epochs = 3;
    o.split.augment.copies = 2;
    o.split.folds = 3;
    o.bootstrap = 200;
    o.mapWindows = 2500;
    o.shapWindows = 16;
    o.shapBackground = 8;
    o.shap.samples = 64;
  }
  return o;
}

}  // namespace

void runDemoRasterPath(DemoContext& c) {
  RasterExperimentOptions base = demoOptions(c);
  c.stage("raster path: SSGSNet and its baselines on synth2d and murchison (" +
          std::to_string(base.window) + " x " + std::to_string(base.window) +
          " windows, spatial and paper protocols)");
  const fs::path dir = c.out / "raster";
  makeDirectories(dir.string());
#ifdef OREVOX_WITH_VIZ
  ReportSection section{"Raster path (SSGSNet)", {}, {}, {}, {}};
  section.paragraphs.push_back(
      "SSGSNet (ssgsnet-east-kunlun-2026) and its baselines on k x k windows of a channel stack. "
      "Window AUC: pooled "
      "test windows of the folds (spatial: blocks, no test-deposit window in training; paper: "
      "augment then a random "
      "80/20 split, leaky). Maps come from each model trained on every known deposit; synth2d's "
      "hidden deposits, "
      "never used in training, score them (prediction rate); Murchison has no hidden deposits, so "
      "its capture "
      "figures are success rates on the training deposits. The paper's AUCs are quoted as a "
      "reference, not a "
      "target. Small demo settings: " +
      std::to_string(base.train.epochs) + " epochs, " + std::to_string(base.split.augment.copies) +
      " augmented copies per window.");
#endif
  // Cells, blocks and models per data set. Blocks span several windows, so that dropping
  // the training windows that overlap a test window leaves training data in every fold;
  // Murchison (325 x 402 km, 255 deposits) runs the cheaper models in the full demo.
  std::vector<DemoRasterRun> runs;
  runs.push_back({"synth2d", c.quick ? 250.0 : 200.0, base});
  runs.back().options.split.blockSize = 10000.0;
  runs.push_back({"murchison", c.quick ? 4000.0 : 2000.0, base});
  runs.back().options.split.blockSize = c.quick ? 150000.0 : 100000.0;
  if (!c.quick) {
    runs.back().options.models = {"ssgsnet", "dualbranch", "rf"};
    runs.back().options.train.epochs = 2;
    runs.back().options.split.augment.copies = 1;
  }
  const Dataset murchison = loadDataset("murchison");
  for (auto& run : runs) {
    const bool isSynth = run.name == "synth2d";
    RasterExperimentInputs in;
    c.report.timed("raster_" + run.name + "_stack", [&] {
      in = isSynth ? synth2dRasterInputs(c.synth2d, run.cell)
                   : murchisonRasterInputs(murchison, run.cell);
    });
    const bool hasAu = in.stack.raster.bandIndex(run.options.negatives.auChannel) >= 0;
    run.options.negatives.method = hasAu ? NegativeSampling::KMeans : NegativeSampling::Random;
    if (in.stack.raster.bandIndex(run.options.negatives.faultDistanceChannel) < 0)
      run.options.negatives.faultDistanceChannel.clear();
    RasterExperimentResult res;
    c.report.timed("raster_" + run.name, [&] { res = runRasterExperiment(in, run.options); });
    const fs::path folder = dir / run.name;
    makeDirectories(folder.string());
    const RasterPathOutputs outputs =
        writeRasterOutputs(res, in, isSynth ? c.synth2d.crsWkt : murchison.crsWkt, folder.string(),
                           ZoneRule::AreaPercentiles, c.report, "raster_" + run.name);
    for (const auto& f :
         {outputs.table, outputs.selectedMap, outputs.zonesGpkg, outputs.zonesCsv, outputs.shapCsv})
      if (!f.empty()) c.files.push_back(fs::relative(f, c.out).string());
    const RasterModelResult& best = res.models[res.best];
    c.summary.push_back("raster " + res.name + " (" + std::to_string(in.stack.grid().width) +
                        " x " + std::to_string(in.stack.grid().height) + " cells of " +
                        fixed(run.cell, 0) + " m, " + std::to_string(res.positives) +
                        " positive windows): selected " + best.model + ", capture of " +
                        (best.hasHidden ? "hidden" : "known") +
                        " deposits in the top 10% of area " + fixed(best.captureTop10()) + "; " +
                        std::to_string(outputs.zones) + " A/B/C zones");
    for (const auto& line : rasterSummaryLines(res)) c.summary.push_back("raster " + line);
#ifdef OREVOX_WITH_VIZ
    ReportTable table{res.name + ": window AUC and capture (" +
                          std::string(best.hasHidden ? "hidden" : "known") +
                          " deposits) with the paper's AUCs",
                      {"model", "protocol", "window AUC [95% CI]", "capture top 10%", "paper AUC"},
                      {}};
    for (const auto& m : res.models)
      for (const auto& e : m.evaluations)
        table.rows.push_back(
            {m.model, std::string(protocolName(e.protocol)) + (e.leaky ? " (leaky)" : ""),
             fixed(e.metrics.auc) + " [" + fixed(e.metrics.aucLow) + ", " +
                 fixed(e.metrics.aucHigh) + "]",
             m.hasMap ? fixed(m.captureTop10()) : "n/a", fixed(paperReportedAuc(m.model), 4)});
    section.tables.push_back(table);
    if (c.canRender && best.hasMap) {
      const std::string data = res.name + ", " + fixed(run.cell, 0) + " m cells, " +
                               std::to_string(res.window) + " x " + std::to_string(res.window) +
                               " windows";
      SampleTable deposits;  // known (1) and hidden (0) for the map legend
      for (std::size_t i = 0; i < in.knownX.size(); ++i) {
        deposits.x.push_back(in.knownX[i]);
        deposits.y.push_back(in.knownY[i]);
        deposits.labels.push_back(1);
      }
      for (std::size_t i = 0; i < in.hiddenX.size(); ++i) {
        deposits.x.push_back(in.hiddenX[i]);
        deposits.y.push_back(in.hiddenY[i]);
        deposits.labels.push_back(0);
      }
      const PolygonSet zones =
          outputs.zonesGpkg.empty() ? PolygonSet{} : readPolygons(outputs.zonesGpkg);
      MapFigureOptions mf;
      mf.title =
          res.name + ": " + best.model + " prospectivity (seed " + std::to_string(c.seed) + ")";
      mf.deposits = &deposits;
      mf.faults = isSynth ? &c.synth2d.faults : &murchison.faults;
      mf.zones = zones.empty() ? nullptr : &zones;
      mf.lo = 0.0;
      mf.hi = 1.0;
      const std::string mapName = "raster_" + run.name + "_prospectivity.png";
      writeMapFigure(best.probability, 0, (c.figs / mapName).string(), mf);
      c.report.output((c.figs / mapName).string());
      section.figures.push_back(
          {"figures/" + mapName,
           "Prospectivity of " + best.model +
               " trained on every known deposit, with faults, known (magenta) and hidden (cyan) "
               "deposits and the A/B/C zones (top 1/5/10 % of the area).",
           data, best.model, "final model, all known deposits", c.seed, true});
      std::vector<ChartSeries> roc, rate;
      for (const auto& m : res.models) {
        const auto& e = m.evaluations.front();
        if (!e.rocFpr.empty())
          roc.push_back({m.model + " (AUC " + fixed(e.metrics.auc) + ")", e.rocFpr, e.rocTpr});
        if (m.hasMap) {
          const MapEvaluation& me = m.hasHidden ? m.prediction : m.success;
          rate.push_back({m.model + " (AUC " + fixed(me.curve.auc) + ")", me.curve.areaFraction,
                          me.curve.depositFraction});
        }
      }
      const std::string rocName = "raster_" + run.name + "_roc.png";
      if (!roc.empty()) {
        writeRocChart(
            roc,
            res.name + ": window ROC, " + protocolName(run.options.protocols.front()) + " protocol",
            (c.figs / rocName).string());
        c.report.output((c.figs / rocName).string());
        section.figures.push_back(
            {"figures/" + rocName, "ROC curves of the pooled test windows of every fold.", data,
             "all raster models", protocolName(run.options.protocols.front()), c.seed, true});
      }
      const std::string rateName = "raster_" + run.name + "_rate.png";
      writeSuccessRateChart(
          rate,
          res.name + (best.hasHidden ? ": prediction-rate curves (hidden deposits)"
                                     : ": success-rate curves (known deposits)"),
          (c.figs / rateName).string());
      c.report.output((c.figs / rateName).string());
      section.figures.push_back(
          {"figures/" + rateName,
           std::string("Share of the ") + (best.hasHidden ? "hidden" : "known") +
               " deposits captured against the share of the area ranked by each model's map.",
           data, "all raster models", "final models", c.seed, true});
      if (best.hasShap) {
        std::vector<std::string> labels;
        std::vector<double> values;
        for (auto ch : best.shap.ranking) {
          labels.push_back(best.shap.channels[ch]);
          values.push_back(best.shap.meanAbs[ch]);
        }
        ChartOptions co;
        co.title = res.name + ": mean |SHAP| per channel (" + best.model + ")";
        co.yLabel = "mean |SHAP| (probability)";
        const std::string shapName = "raster_" + run.name + "_shap.png";
        writeBarChart(labels, values, co, (c.figs / shapName).string());
        c.report.output((c.figs / shapName).string());
        section.figures.push_back(
            {"figures/" + shapName,
             "Expected-gradients SHAP of the known-deposit windows, channels ranked (the "
             "paper's Fig. 9).",
             data, best.model, "final model", c.seed, true});
      }
    }
#endif
  }
#ifdef OREVOX_WITH_VIZ
  c.sections.push_back(section);
#endif
}

}  // namespace orevox::cli
