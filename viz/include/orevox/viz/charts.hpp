#pragma once
/// \file charts.hpp
/// PNG charts of evaluation results through VTK's charting (vtkContextView + vtkChartXY,
/// rendered offscreen; Xvfb where there is no display). Data come in as plain vectors so
/// that the graph, raster and volume paths call them without VTK or LibTorch. Every
/// writer is atomic and returns what the chart holds, read back from the chart objects.

#include <cstddef>
#include <string>
#include <vector>

namespace orevox {

/// One named curve (e.g. a model's ROC curve: x = false-positive rate, y = true-positive rate).
struct ChartSeries {
  std::string name;  ///< legend text, e.g. "ResGNN (AUC 0.91)"
  std::vector<double> x, y;
};

/// Titles, axis labels, ranges and size of a chart. A range with min >= max is automatic.
struct ChartOptions {
  std::string title, xLabel, yLabel;
  double xMin = 0.0, xMax = 0.0, yMin = 0.0, yMax = 0.0;
  int width = 1000, height = 750;  ///< pixels
  bool diagonal = false;           ///< adds a dashed "random" y = x line over [0, 1]
};

/// What a written chart holds, read from the chart's plots (legend label, number of points)
/// or, for a confusion matrix, its rows (class, row total).
struct ChartSummary {
  std::vector<std::string> series;
  std::vector<std::size_t> points;
};

/// Lines of several series on one plot (alpha sweeps, any curve). UsageError when a series
/// has x and y of different sizes or no points, or there are none.
ChartSummary writeLineChart(const std::vector<ChartSeries>& series, const ChartOptions& options,
                            const std::string& path);
/// ROC curves of several models: FPR on x, TPR on y, both [0, 1], with the chance diagonal.
ChartSummary writeRocChart(const std::vector<ChartSeries>& curves, const std::string& title,
                           const std::string& path);
/// Success-rate (training deposits) and prediction-rate (held-out deposits) curves: share of
/// the area ranked by decreasing prospectivity on x, share of deposits captured on y, both
/// [0, 1], with the chance diagonal (Agterberg & Bonham-Carter 2005).
ChartSummary writeSuccessRateChart(const std::vector<ChartSeries>& curves, const std::string& title,
                                   const std::string& path);
/// Training curves: losses on the left axis, accuracies ([0, 1]) on the right axis, epoch on x.
ChartSummary writeTrainingCurves(const std::vector<ChartSeries>& losses,
                                 const std::vector<ChartSeries>& accuracies,
                                 const std::string& title, const std::string& path);
/// Vertical bars, one per label (e.g. mean |SHAP| per channel, AUC per alpha). UsageError
/// when labels and values differ in size or are empty.
ChartSummary writeBarChart(const std::vector<std::string>& labels,
                           const std::vector<double>& values, const ChartOptions& options,
                           const std::string& path);
/// Confusion matrix: counts[i][j] = samples of true class i predicted as class j, drawn
/// as shaded cells with the count and the row share (recall) in each. UsageError unless
/// counts is square with one row per label.
ChartSummary writeConfusionMatrix(const std::vector<std::string>& labels,
                                  const std::vector<std::vector<double>>& counts,
                                  const std::string& title, const std::string& path,
                                  int width = 800, int height = 700);

}  // namespace orevox
