#include "orevox/viz/map_figure.hpp"

#include <vtkBrush.h>
#include <vtkContext2D.h>
#include <vtkContextItem.h>
#include <vtkContextScene.h>
#include <vtkContextView.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkObjectFactory.h>
#include <vtkPen.h>
#include <vtkPointData.h>
#include <vtkPoints2D.h>
#include <vtkRect.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkTextProperty.h>
#include <vtkUnsignedCharArray.h>
#include <vtkVector.h>

#include <cmath>
#include <cstdio>

#include "colormaps.hpp"
#include "figure_png.hpp"
#include "orevox/core/error.hpp"

namespace orevox {

namespace {

/// 1, 2 or 5 times a power of ten, the largest not above `v`.
double niceBelow(double v) {
  const double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {5.0, 2.0, 1.0})
    if (m * p <= v) return m * p;
  return p;
}

std::string metres(double m) {
  char buf[32];
  if (m >= 1000.0)
    std::snprintf(buf, sizeof buf, "%g km", m / 1000.0);
  else
    std::snprintf(buf, sizeof buf, "%g m", m);
  return buf;
}

class MapItem : public vtkContextItem {
 public:
  static MapItem* New();
  vtkTypeMacro(MapItem, vtkContextItem);
  const Raster* raster = nullptr;
  std::size_t band = 0;
  MapFigureOptions options;
  MapFigureLayout layout;
  vtkSmartPointer<vtkImageData> image, bar;
  Extent extent;

  // World -> context coordinates (origin bottom left).
  float px(double x) const { return float(layout.x0 + (x - extent.xmin) * layout.scale); }
  float py(double y) const {
    return float(options.height - (layout.y0 + (extent.ymax - y) * layout.scale));
  }

  void text(vtkContext2D* p, float x, float y, const std::string& s, int size, int hj,
            bool bold = false) {
    auto* t = p->GetTextProp();
    t->SetFontSize(size);
    t->SetBold(bold);
    t->SetColor(0.1, 0.1, 0.1);
    t->SetVerticalJustificationToCentered();
    if (hj < 0)
      t->SetJustificationToLeft();
    else if (hj > 0)
      t->SetJustificationToRight();
    else
      t->SetJustificationToCentered();
    p->DrawString(x, y, s);
  }

  void polyline(vtkContext2D* p, const std::vector<Eigen::Vector2d>& pts, bool closed) {
    if (pts.size() < 2) return;
    std::vector<float> xy;
    for (const auto& q : pts) {
      xy.push_back(px(q.x()));
      xy.push_back(py(q.y()));
    }
    if (closed) {
      xy.push_back(xy[0]);
      xy.push_back(xy[1]);
    }
    p->DrawPoly(xy.data(), int(xy.size() / 2));
  }

  bool Paint(vtkContext2D* p) override {
    const float W = float(options.width), H = float(options.height);
    const float mx0 = px(extent.xmin), mx1 = px(extent.xmax), my0 = py(extent.ymin),
                my1 = py(extent.ymax);
    p->DrawImage(vtkRectf(mx0, my0, mx1 - mx0, my1 - my0), image);

    // Zones, faults, deposits.
    if (options.zones) {
      p->GetPen()->SetColor(220, 20, 20);
      p->GetPen()->SetWidth(3.0f);
      for (const auto& poly : *options.zones)
        for (const auto& ring : poly.rings) polyline(p, ring, true);
    }
    if (options.faults) {
      p->GetPen()->SetColor(20, 20, 20);
      p->GetPen()->SetWidth(1.8f);
      for (const auto& l : options.faults->lines) polyline(p, l.points, false);
    }
    const float r = 6.0f;
    if (options.deposits) {
      const SampleTable& d = *options.deposits;
      p->GetPen()->SetColor(0, 0, 0);
      p->GetPen()->SetWidth(1.5f);
      for (std::size_t i = 0; i < d.size(); ++i) {
        const bool known = !d.hasLabels() || d.labels[i] != 0;
        const float x = px(d.x[i]), y = py(d.y[i]);
        if (known) {
          p->GetBrush()->SetColor(217, 0, 217);
          p->DrawEllipse(x, y, r, r);
        } else {
          p->GetBrush()->SetColor(0, 191, 217);
          p->DrawRect(x - r, y - r, 2 * r, 2 * r);
        }
      }
    }

    // Frame and coordinate ticks.
    p->GetPen()->SetColor(40, 40, 40);
    p->GetPen()->SetWidth(1.5f);
    p->GetBrush()->SetOpacity(0);
    p->DrawRect(mx0, my0, mx1 - mx0, my1 - my0);
    p->GetBrush()->SetOpacity(255);
    const double step = niceBelow(std::max(extent.width(), extent.height()) / 4.0);
    for (double x = std::ceil(extent.xmin / step) * step; x <= extent.xmax + 1e-9; x += step) {
      p->DrawLine(px(x), my0, px(x), my0 - 6);
      text(p, px(x), my0 - 18, std::to_string(long(std::llround(x))), 13, 0);
    }
    for (double y = std::ceil(extent.ymin / step) * step; y <= extent.ymax + 1e-9; y += step) {
      p->DrawLine(mx0, py(y), mx0 - 6, py(y));
      text(p, mx0 - 9, py(y), std::to_string(long(std::llround(y))), 13, 1);
    }
    text(p, 0.5f * (mx0 + mx1), my0 - 40, "Easting (m)", 14, 0);
    p->GetTextProp()->SetOrientation(90);
    text(p, 18, 0.5f * (my0 + my1), "Northing (m)", 14, 0);
    p->GetTextProp()->SetOrientation(0);

    // Title.
    const Band& b = raster->band(band);
    const std::string title = options.title.empty()
                                  ? b.name + (b.units.empty() ? "" : " (" + b.units + ")")
                                  : options.title;
    text(p, 0.5f * (mx0 + mx1), H - 28, title, 20, 0, true);

    // Scale bar: four alternating segments under the map's left half.
    {
      const double len = layout.scaleBarMetres;
      const float x0 = mx0, y0 = my0 - 70, w = float(len * layout.scale);
      p->GetPen()->SetColor(0, 0, 0);
      p->GetPen()->SetWidth(1.0f);
      for (int s = 0; s < 4; ++s) {
        p->GetBrush()->SetColor(s % 2 ? 255 : 0, s % 2 ? 255 : 0, s % 2 ? 255 : 0);
        p->DrawRect(x0 + w * float(s) / 4, y0, w / 4, 8);
      }
      text(p, x0, y0 - 12, "0", 13, 0);
      text(p, x0 + w, y0 - 12, metres(len), 13, 0);
    }

    // North arrow, top right of the map.
    {
      const float cx = mx1 - 30, cy = my1 - 55;
      float tri[6] = {cx, cy + 28, cx - 12, cy - 12, cx + 12, cy - 12};
      p->GetPen()->SetColor(0, 0, 0);
      p->GetPen()->SetWidth(1.5f);
      p->GetBrush()->SetColor(255, 255, 255);
      p->GetBrush()->SetOpacity(220);
      p->DrawRect(cx - 22, cy - 22, 44, 70);
      p->GetBrush()->SetOpacity(255);
      p->GetBrush()->SetColor(0, 0, 0);
      p->DrawPolygon(tri, 3);
      text(p, cx, cy + 38, "N", 16, 0, true);
    }

    // Colour bar right of the map.
    const float bx = mx1 + 40, bw = 26, bh = std::min(320.0f, 0.45f * (my1 - my0)), by = my1 - bh;
    p->DrawImage(vtkRectf(bx, by, bw, bh), bar);
    p->GetPen()->SetColor(0, 0, 0);
    p->GetBrush()->SetOpacity(0);
    p->DrawRect(bx, by, bw, bh);
    p->GetBrush()->SetOpacity(255);
    const bool cat = options.colorMap == ColorMap::Categorical;
    const int ticks = cat ? int(std::lround(layout.hi - layout.lo)) + 1 : 5;
    for (int t = 0; t < ticks; ++t) {
      const double f = cat ? (t + 0.5) / ticks : double(t) / (ticks - 1);
      const double v = cat ? layout.lo + t : layout.lo + f * (layout.hi - layout.lo);
      const float y = by + float(f) * bh;
      p->DrawLine(bx + bw, y, bx + bw + 5, y);
      char buf[32];
      std::snprintf(buf, sizeof buf, cat ? "%.0f" : "%.3g", v);
      text(p, bx + bw + 8, y, buf, 13, -1);
    }
    text(p, bx, my1 + 24, b.name + (b.units.empty() ? "" : " (" + b.units + ")"), 14, -1, true);

    // Legend below the colour bar.
    float ly = by - 40;
    auto entry = [&](int kind, const std::string& label) {
      const float x = bx + 8;
      p->GetPen()->SetColor(0, 0, 0);
      p->GetPen()->SetWidth(1.5f);
      if (kind == 0) {
        p->GetBrush()->SetColor(217, 0, 217);
        p->DrawEllipse(x, ly, r, r);
      } else if (kind == 1) {
        p->GetBrush()->SetColor(0, 191, 217);
        p->DrawRect(x - r, ly - r, 2 * r, 2 * r);
      } else {
        p->GetPen()->SetColor(kind == 2 ? 20 : 220, 20, 20);
        p->GetPen()->SetWidth(kind == 2 ? 1.8f : 3.0f);
        p->DrawLine(x - 10, ly, x + 10, ly);
      }
      text(p, x + 18, ly, label, 13, -1);
      ly -= 26;
    };
    if (layout.knownDeposits)
      entry(0, "known deposit (" + std::to_string(layout.knownDeposits) + ")");
    if (layout.hiddenDeposits)
      entry(1, "hidden deposit (" + std::to_string(layout.hiddenDeposits) + ")");
    if (options.faults && !options.faults->lines.empty()) entry(2, "fault");
    if (options.zones && !options.zones->empty()) entry(3, "target zone");
    (void)W;
    return true;
  }
};
vtkStandardNewMacro(MapItem);

}  // namespace

MapFigureLayout writeMapFigure(const Raster& raster, std::size_t band, const std::string& path,
                               const MapFigureOptions& options) {
  if (band >= raster.bandCount())
    throw UsageError("map figure: band " + std::to_string(band) + " out of range (raster has " +
                     std::to_string(raster.bandCount()) + ")");
  if (options.width < 400 || options.height < 300 || options.width > 8000 || options.height > 8000)
    throw UsageError("map figure: size must be at least 400x300 and at most 8000x8000, got " +
                     std::to_string(options.width) + "x" + std::to_string(options.height));
  vtkNew<MapItem> item;
  item->raster = &raster;
  item->band = band;
  item->options = options;
  const GridSpec& g = raster.grid();
  item->extent = g.extent();
  const Extent& e = item->extent;

  // Colour range as the quick look chooses it.
  std::vector<double> valid;
  const auto& v = raster.band(band).values;
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!raster.isNodata(v[i]) && std::isfinite(v[i])) valid.push_back(v[i]);
  auto range = vizdetail::autoRange(options.colorMap, valid);
  if (options.hi > options.lo) range = {options.lo, options.hi};
  MapFigureLayout& L = item->layout;
  L.lo = range.first;
  L.hi = range.second;

  // Layout: margins for ticks (left, bottom), title (top), colour bar and legend (right).
  const double left = 100, right = 260, top = 60, bottom = 110;
  L.scale = std::min((options.width - left - right) / e.width(),
                     (options.height - top - bottom) / e.height());
  // Crop the figure's height to the map (keeping room for the colour bar and legend).
  item->options.height = std::min(
      options.height, int(std::ceil(std::max(top + bottom + e.height() * L.scale, 600.0))));
  L.x0 = left;
  L.y0 = top;
  L.scaleBarMetres = niceBelow(0.3 * e.width());
  if (options.deposits)
    for (std::size_t i = 0; i < options.deposits->size(); ++i)
      (!options.deposits->hasLabels() || options.deposits->labels[i] != 0 ? L.knownDeposits
                                                                          : L.hiddenDeposits)++;

  // Raster and colour bar images (row 0 = bottom in VTK).
  auto f = vizdetail::colourFunction(options.colorMap, L.lo, L.hi);
  item->image = vtkSmartPointer<vtkImageData>::New();
  item->image->SetDimensions(int(g.width), int(g.height), 1);
  vtkNew<vtkUnsignedCharArray> rgba;
  rgba->SetNumberOfComponents(4);
  rgba->SetNumberOfTuples(vtkIdType(g.size()));
  for (std::size_t row = 0; row < g.height; ++row)
    for (std::size_t col = 0; col < g.width; ++col) {
      unsigned char px[4] = {235, 235, 235, 255};  // nodata: light grey
      const float x = v[g.index(col, row)];
      if (!raster.isNodata(x) && std::isfinite(x)) {
        double rgb[3];
        if (options.colorMap == ColorMap::Categorical)
          vizdetail::categoricalColour(std::lround(x), rgb);
        else
          f->GetColor(double(x), rgb);
        for (int c = 0; c < 3; ++c) px[c] = static_cast<unsigned char>(std::lround(rgb[c] * 255.0));
      }
      rgba->SetTypedTuple(vtkIdType((g.height - 1 - row) * g.width + col), px);
    }
  item->image->GetPointData()->SetScalars(rgba);
  item->bar = vtkSmartPointer<vtkImageData>::New();
  const int levels =
      options.colorMap == ColorMap::Categorical ? int(std::lround(L.hi - L.lo)) + 1 : 256;
  item->bar->SetDimensions(1, levels, 1);
  vtkNew<vtkUnsignedCharArray> barRgba;
  barRgba->SetNumberOfComponents(4);
  barRgba->SetNumberOfTuples(levels);
  for (int i = 0; i < levels; ++i) {
    double rgb[3];
    if (options.colorMap == ColorMap::Categorical)
      vizdetail::categoricalColour(std::lround(L.lo) + i, rgb);
    else
      f->GetColor(L.lo + (L.hi - L.lo) * (i + 0.5) / levels, rgb);
    unsigned char px[4] = {static_cast<unsigned char>(std::lround(rgb[0] * 255)),
                           static_cast<unsigned char>(std::lround(rgb[1] * 255)),
                           static_cast<unsigned char>(std::lround(rgb[2] * 255)), 255};
    barRgba->SetTypedTuple(i, px);
  }
  item->bar->GetPointData()->SetScalars(barRgba);

  vtkNew<vtkContextView> view;
  view->GetRenderWindow()->SetOffScreenRendering(1);
  view->GetRenderWindow()->SetMultiSamples(0);
  view->GetRenderWindow()->SetSize(item->options.width, item->options.height);
  view->GetRenderer()->SetBackground(1.0, 1.0, 1.0);
  view->GetScene()->AddItem(item);
  vizdetail::writeWindowPng(view->GetRenderWindow(), path);
  return L;
}

}  // namespace orevox
