#include "orevox/viz/charts.hpp"

#include <vtkAxis.h>
#include <vtkBrush.h>
#include <vtkChartLegend.h>
#include <vtkChartXY.h>
#include <vtkContext2D.h>
#include <vtkContextItem.h>
#include <vtkContextScene.h>
#include <vtkContextView.h>
#include <vtkDoubleArray.h>
#include <vtkNew.h>
#include <vtkObjectFactory.h>
#include <vtkPen.h>
#include <vtkPlot.h>
#include <vtkPlotBar.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkStringArray.h>
#include <vtkTable.h>
#include <vtkTextProperty.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "figure_png.hpp"
#include "orevox/core/error.hpp"

namespace orevox {

namespace {

// Tableau 10 in 0-255, the series colours.
const unsigned char kSeries[10][3] = {
    {31, 119, 180}, {255, 127, 14},  {44, 160, 44},   {214, 39, 40},  {148, 103, 189},
    {140, 86, 75},  {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}};

void checkSize(int w, int h) {
  if (w < 100 || h < 100 || w > 8000 || h > 8000)
    throw UsageError("chart: size must be 100..8000 pixels, got " + std::to_string(w) + "x" +
                     std::to_string(h));
}

void styleText(vtkTextProperty* t, int size, bool bold = false) {
  t->SetFontSize(size);
  t->SetColor(0.1, 0.1, 0.1);
  t->SetBold(bold);
  t->ItalicOff();
}

struct ChartView {
  vtkNew<vtkContextView> view;
  vtkNew<vtkChartXY> chart;
  ChartView(int w, int h, const std::string& title) {
    checkSize(w, h);
    view->GetRenderWindow()->SetOffScreenRendering(1);
    view->GetRenderWindow()->SetMultiSamples(0);
    view->GetRenderWindow()->SetSize(w, h);
    view->GetRenderer()->SetBackground(1.0, 1.0, 1.0);
    view->GetScene()->AddItem(chart);
    chart->SetTitle(title);
    styleText(chart->GetTitleProperties(), 20, true);
    chart->SetShowLegend(true);
    chart->GetLegend()->GetLabelProperties()->SetFontSize(15);
    for (int a = 0; a < 4; ++a) {
      styleText(chart->GetAxis(a)->GetTitleProperties(), 16, true);
      styleText(chart->GetAxis(a)->GetLabelProperties(), 14);
    }
  }
  void axes(const ChartOptions& o) {
    chart->GetAxis(vtkAxis::BOTTOM)->SetTitle(o.xLabel);
    chart->GetAxis(vtkAxis::LEFT)->SetTitle(o.yLabel);
    if (o.xMax > o.xMin) {
      chart->GetAxis(vtkAxis::BOTTOM)->SetBehavior(vtkAxis::FIXED);
      chart->GetAxis(vtkAxis::BOTTOM)->SetRange(o.xMin, o.xMax);
    }
    if (o.yMax > o.yMin) {
      chart->GetAxis(vtkAxis::LEFT)->SetBehavior(vtkAxis::FIXED);
      chart->GetAxis(vtkAxis::LEFT)->SetRange(o.yMin, o.yMax);
    }
  }
  vtkPlot* addLine(const ChartSeries& s, std::size_t colour, float width, int corner = 0) {
    if (s.x.size() != s.y.size() || s.x.empty())
      throw UsageError("chart: series '" + s.name +
                       "' needs as many x as y values and at least one (x " +
                       std::to_string(s.x.size()) + ", y " + std::to_string(s.y.size()) + ")");
    vtkNew<vtkTable> table;
    vtkNew<vtkDoubleArray> xs, ys;
    xs->SetName("x");
    ys->SetName(s.name.c_str());
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      xs->InsertNextValue(s.x[i]);
      ys->InsertNextValue(s.y[i]);
    }
    table->AddColumn(xs);
    table->AddColumn(ys);
    vtkPlot* line = chart->AddPlot(vtkChart::LINE);
    line->SetInputData(table, 0, 1);
    line->SetLabel(s.name);
    const auto* c = kSeries[colour % 10];
    line->SetColor(c[0], c[1], c[2], 255);
    line->SetWidth(width);
    if (corner != 0) chart->SetPlotCorner(line, corner);
    return line;
  }
  void diagonal() {
    vtkPlot* d = addLine({"random", {0.0, 1.0}, {0.0, 1.0}}, 7, 1.5f);
    d->GetPen()->SetLineType(vtkPen::DASH_LINE);
    d->SetColor(120, 120, 120, 255);
  }
  ChartSummary summary() const {
    ChartSummary s;
    for (vtkIdType i = 0; i < chart->GetNumberOfPlots(); ++i) {
      vtkPlot* p = chart->GetPlot(i);
      s.series.push_back(p->GetLabel() ? p->GetLabel().c_str() : "");
      s.points.push_back(p->GetInput() ? std::size_t(p->GetInput()->GetNumberOfRows()) : 0);
    }
    return s;
  }
  ChartSummary write(const std::string& path) {
    vizdetail::writeWindowPng(view->GetRenderWindow(), path);
    return summary();
  }
};

}  // namespace

ChartSummary writeLineChart(const std::vector<ChartSeries>& series, const ChartOptions& options,
                            const std::string& path) {
  if (series.empty()) throw UsageError("chart '" + options.title + "': no series");
  ChartView v(options.width, options.height, options.title);
  v.axes(options);
  for (std::size_t i = 0; i < series.size(); ++i) v.addLine(series[i], i, 2.5f);
  if (options.diagonal) {
    v.diagonal();
    // Curves above the diagonal leave the bottom-right corner free for the legend.
    v.chart->GetLegend()->SetVerticalAlignment(vtkChartLegend::BOTTOM);
  }
  return v.write(path);
}

namespace {
/// Both axes on [0, 1] with the chance diagonal: ROC and success-rate plots.
ChartOptions unitSquareChart(const std::string& title, const std::string& xLabel, const std::string& yLabel) {
  ChartOptions o;
  o.title = title;
  o.xLabel = xLabel;
  o.yLabel = yLabel;
  o.xMin = o.yMin = 0.0;
  o.xMax = o.yMax = 1.0;
  o.diagonal = true;
  return o;
}
}  // namespace

ChartSummary writeRocChart(const std::vector<ChartSeries>& curves, const std::string& title,
                           const std::string& path) {
  return writeLineChart(curves,
                        unitSquareChart(title, "False-positive rate (1 - specificity)", "True-positive rate (sensitivity)"),
                        path);
}

ChartSummary writeSuccessRateChart(const std::vector<ChartSeries>& curves, const std::string& title,
                                   const std::string& path) {
  return writeLineChart(
      curves, unitSquareChart(title, "Share of area, ranked by decreasing prospectivity", "Share of deposits captured"),
      path);
}

ChartSummary writeTrainingCurves(const std::vector<ChartSeries>& losses,
                                 const std::vector<ChartSeries>& accuracies,
                                 const std::string& title, const std::string& path) {
  if (losses.empty() && accuracies.empty())
    throw UsageError("training curves '" + title + "': no series");
  ChartView v(1000, 750, title);
  v.chart->GetAxis(vtkAxis::BOTTOM)->SetTitle("Epoch");
  v.chart->GetAxis(vtkAxis::LEFT)->SetTitle("Loss (solid)");
  std::size_t colour = 0;
  for (const auto& s : losses) v.addLine(s, colour++, 2.5f);
  colour = 0;
  for (const auto& s : accuracies) {
    vtkPlot* p = v.addLine(s, colour++, 2.0f, 1);  // corner 1: bottom-right axes
    p->GetPen()->SetLineType(vtkPen::DASH_LINE);
  }
  if (!accuracies.empty()) {
    vtkAxis* right = v.chart->GetAxis(vtkAxis::RIGHT);
    right->SetTitle("Accuracy (dashed)");
    right->SetBehavior(vtkAxis::FIXED);
    right->SetRange(0.0, 1.0);
  }
  return v.write(path);
}

ChartSummary writeBarChart(const std::vector<std::string>& labels,
                           const std::vector<double>& values, const ChartOptions& options,
                           const std::string& path) {
  if (labels.empty() || labels.size() != values.size())
    throw UsageError("bar chart '" + options.title + "': " + std::to_string(labels.size()) +
                     " labels for " + std::to_string(values.size()) + " values");
  ChartView v(options.width, options.height, options.title);
  v.axes(options);
  v.chart->SetShowLegend(false);
  vtkNew<vtkTable> table;
  vtkNew<vtkDoubleArray> xs, ys;
  xs->SetName("position");
  ys->SetName(options.yLabel.empty() ? "value" : options.yLabel.c_str());
  vtkNew<vtkDoubleArray> ticks;
  vtkNew<vtkStringArray> names;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    xs->InsertNextValue(double(i + 1));
    ys->InsertNextValue(values[i]);
    ticks->InsertNextValue(double(i + 1));
    names->InsertNextValue(labels[i]);
  }
  table->AddColumn(xs);
  table->AddColumn(ys);
  auto* bars = vtkPlotBar::SafeDownCast(v.chart->AddPlot(vtkChart::BAR));
  bars->SetInputData(table, 0, 1);
  bars->SetLabel(options.yLabel.empty() ? "value" : options.yLabel);
  bars->SetColor(kSeries[0][0], kSeries[0][1], kSeries[0][2], 255);
  vtkAxis* x = v.chart->GetAxis(vtkAxis::BOTTOM);
  x->SetCustomTickPositions(ticks, names);
  x->SetBehavior(vtkAxis::FIXED);
  x->SetRange(0.4, double(labels.size()) + 0.6);
  if (labels.size() > 8) x->GetLabelProperties()->SetOrientation(45.0);
  vtkAxis* y = v.chart->GetAxis(vtkAxis::LEFT);
  if (!(options.yMax > options.yMin)) {
    const double top = *std::max_element(values.begin(), values.end());
    const double bottom = std::min(0.0, *std::min_element(values.begin(), values.end()));
    y->SetBehavior(vtkAxis::FIXED);
    y->SetRange(bottom, top > bottom ? top * 1.08 : bottom + 1.0);
  }
  return v.write(path);
}

namespace {

/// Shaded cells with counts and row shares; true class down, predicted class across.
class ConfusionItem : public vtkContextItem {
 public:
  static ConfusionItem* New();
  vtkTypeMacro(ConfusionItem, vtkContextItem);
  std::vector<std::string> labels;
  std::vector<std::vector<double>> counts;
  std::string title;
  int width = 800, height = 700;

  bool Paint(vtkContext2D* p) override {
    const std::size_t n = labels.size();
    const float left = 170, bottom = 110, top = 80, right = 40;
    const float cell =
        std::min((width - left - right) / float(n), (height - bottom - top) / float(n));
    const float gx = left, gyTop = float(height) - top;
    p->GetTextProp()->SetColor(0.1, 0.1, 0.1);
    p->GetTextProp()->SetFontSize(20);
    p->GetTextProp()->SetBold(1);
    p->GetTextProp()->SetJustificationToCentered();
    p->GetTextProp()->SetVerticalJustificationToCentered();
    p->DrawString(float(width) / 2, float(height) - 35, title);
    p->GetTextProp()->SetBold(0);
    p->GetPen()->SetColor(255, 255, 255);
    p->GetPen()->SetWidth(2);
    for (std::size_t i = 0; i < n; ++i) {
      double rowTotal = 0;
      for (double c : counts[i]) rowTotal += c;
      for (std::size_t j = 0; j < n; ++j) {
        const double share = rowTotal > 0 ? counts[i][j] / rowTotal : 0.0;
        // white -> light blue by row share (recall on the diagonal); light enough for dark text
        const unsigned char r = static_cast<unsigned char>(std::lround(255 - share * (255 - 107)));
        const unsigned char g = static_cast<unsigned char>(std::lround(255 - share * (255 - 174)));
        const unsigned char b = static_cast<unsigned char>(std::lround(255 - share * (255 - 214)));
        p->GetBrush()->SetColor(r, g, b);
        const float x = gx + float(j) * cell, y = gyTop - float(i + 1) * cell;
        p->DrawRect(x, y, cell, cell);
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.0f", counts[i][j]);
        p->GetTextProp()->SetFontSize(22);
        p->DrawString(x + cell / 2, y + cell / 2 + 12, buf);
        std::snprintf(buf, sizeof buf, "%.1f%% of row", 100.0 * share);
        p->GetTextProp()->SetFontSize(14);
        p->DrawString(x + cell / 2, y + cell / 2 - 14, buf);
      }
    }
    p->GetTextProp()->SetColor(0.1, 0.1, 0.1);
    p->GetTextProp()->SetFontSize(16);
    for (std::size_t i = 0; i < n; ++i) {
      p->GetTextProp()->SetJustificationToRight();
      p->DrawString(gx - 10, gyTop - (float(i) + 0.5f) * cell, labels[i]);
      p->GetTextProp()->SetJustificationToCentered();
      p->DrawString(gx + (float(i) + 0.5f) * cell, gyTop - float(n) * cell - 22, labels[i]);
    }
    p->GetTextProp()->SetBold(1);
    p->DrawString(gx + float(n) * cell / 2, gyTop - float(n) * cell - 60, "Predicted class");
    p->GetTextProp()->SetOrientation(90);
    p->DrawString(40, gyTop - float(n) * cell / 2, "True class");
    p->GetTextProp()->SetOrientation(0);
    p->GetTextProp()->SetBold(0);
    return true;
  }
};
vtkStandardNewMacro(ConfusionItem);

}  // namespace

ChartSummary writeConfusionMatrix(const std::vector<std::string>& labels,
                                  const std::vector<std::vector<double>>& counts,
                                  const std::string& title, const std::string& path, int width,
                                  int height) {
  checkSize(width, height);
  if (labels.empty() || counts.size() != labels.size())
    throw UsageError("confusion matrix '" + title + "': " + std::to_string(counts.size()) +
                     " rows for " + std::to_string(labels.size()) + " classes");
  for (const auto& row : counts)
    if (row.size() != labels.size())
      throw UsageError("confusion matrix '" + title + "': a row has " + std::to_string(row.size()) +
                       " entries, expected " + std::to_string(labels.size()));
  vtkNew<vtkContextView> view;
  view->GetRenderWindow()->SetOffScreenRendering(1);
  view->GetRenderWindow()->SetMultiSamples(0);
  view->GetRenderWindow()->SetSize(width, height);
  view->GetRenderer()->SetBackground(1.0, 1.0, 1.0);
  vtkNew<ConfusionItem> item;
  item->labels = labels;
  item->counts = counts;
  item->title = title;
  item->width = width;
  item->height = height;
  view->GetScene()->AddItem(item);
  vizdetail::writeWindowPng(view->GetRenderWindow(), path);
  ChartSummary s;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    double total = 0;
    for (double c : counts[i]) total += c;
    s.series.push_back(labels[i]);
    s.points.push_back(std::size_t(std::lround(total)));
  }
  return s;
}

}  // namespace orevox
