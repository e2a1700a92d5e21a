// orevox graph: the ResGNN graph path (resgnn-pangxidong-2024). `graph` parses the graph
// study's options (declared by the library, graph_study.hpp), runs it and draws its charts
// (the alpha sweep, Fig. 5; the oversamplers' confusion matrices, Fig. 6); `graph predict`
// applies a saved graph network to a sample CSV.
#include <cmath>
#include <cstdlib>

#include "../command.hpp"
#include "orevox/learning/torch/graph_study.hpp"
#ifdef OREVOX_WITH_VIZ
#include "orevox/viz/charts.hpp"
#endif

namespace orevox::cli {

namespace {

#ifdef OREVOX_WITH_VIZ
/// The charts of a study with an output folder, when there is a display to draw them on.
void drawGraphCharts(const GraphStudyResult& res, const std::string& out,
                     const CommonOptions& common, RunReport& report) {
  const char* display = std::getenv("DISPLAY");
  if (!display || !*display) {
    if (res.alphas.size() > 1 || res.oversamplers.size() > 1)
      say(common, "  no display: charts skipped (run under xvfb-run -a to get them)");
    return;
  }
  if (res.alphas.size() > 1) {  // F1 (fold mean) and pooled AUC of each run per alpha
    std::vector<ChartSeries> series;
    for (const auto& [key, byAlpha] : res.sweep()) {
      ChartSeries f1{key + " F1", {}, {}}, auc{key + " AUC", {}, {}};
      for (const auto& [a, r] : byAlpha) {
        if (std::isfinite(r->mean.f1)) {
          f1.x.push_back(a);
          f1.y.push_back(r->mean.f1);
        }
        if (std::isfinite(r->pooled.auc)) {
          auc.x.push_back(a);
          auc.y.push_back(r->pooled.auc);
        }
      }
      for (auto* s : {&f1, &auc})
        if (!s->x.empty()) series.push_back(*s);
    }
    if (!series.empty()) {
      ChartOptions co;
      co.title = "Alpha sweep, " + res.name;
      co.xLabel = "alpha (edge if |r| > alpha)";
      co.yLabel = "F1 (fold mean), AUC (pooled)";
      co.yMin = 0.0;
      co.yMax = 1.0;
      writeLineChart(series, co, out + "/alpha_sweep.png");
      report.output(out + "/alpha_sweep.png");
    }
  }
  if (res.oversamplers.size() > 1) {  // the pooled confusion of every run
    for (const auto& r : res.runs) {
      const auto& c = r.pooled.confusion;
      const std::string png =
          out + "/confusion_" + r.model + "_" + oversamplerName(r.oversampler) + "_" +
          protocolName(r.protocol) +
          (res.modes.size() > 1 ? std::string("_") + graphModeName(r.graphMode) : "") +
          (res.alphas.size() > 1 ? "_a" + graphFixed(r.alpha, 1) : "") + ".png";
      writeConfusionMatrix({"barren (0)", "ore-bearing (1)"},
                           {{double(c.tn), double(c.fp)}, {double(c.fn), double(c.tp)}},
                           graphRunLabel(r) + ", " + oversamplerName(r.oversampler), png);
      report.output(png);
    }
  }
}
#endif

}  // namespace

void addGraphCommand(CLI::App& root, Command& command) {
  auto study = std::make_shared<GraphStudy>();
  command.app = root.add_subcommand(
      "graph",
      "ResGNN graph path: element-correlation graphs, ResGCN/ResGAT and baselines, "
      "cross-validated under the spatial or the paper protocol");
  study->declare(command.options);
  command.run = [study, &common = command.common](RunReport& report) {
    StudyContext context{common.threads, common.quiet,
                         [&common](const std::string& line) { say(common, line); }};
    std::function<void(const GraphStudyResult&)> charts;
#ifdef OREVOX_WITH_VIZ
    charts = [&](const GraphStudyResult& res) { drawGraphCharts(res, study->out, common, report); };
#endif
    runGraphStudy(*study, context, report, charts);
  };
}

void addGraphPredictCommand(CLI::App& root, Command& command) {
  auto predict = std::make_shared<GraphPredict>();
  command.app = root.get_subcommand("graph")->add_subcommand(
      "predict",
      "Apply a saved graph model (DIR/<model>.pt of 'graph --out DIR') to a sample CSV: "
      "P(ore-bearing) per sample, optionally prospect zones");
  predict->declare(command.options);
  command.run = [predict, &common = command.common](RunReport& report) {
    StudyContext context{common.threads, common.quiet,
                         [&common](const std::string& line) { say(common, line); }};
    runGraphPredict(*predict, context, report);
  };
}

}  // namespace orevox::cli
