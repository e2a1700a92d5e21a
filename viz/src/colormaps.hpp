#pragma once
// Colour maps shared by quick looks, scenes, map figures and charts. Private to viz.

#include <vtkColorTransferFunction.h>
#include <vtkLookupTable.h>
#include <vtkSmartPointer.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "orevox/viz/quicklook.hpp"

namespace orevox::vizdetail {

/// viridis at 0, 0.25, 0.5, 0.75, 1 (matplotlib's control values).
inline void addViridis(vtkColorTransferFunction* f, double lo, double hi) {
  const double pts[5][3] = {{0.267, 0.005, 0.329},
                            {0.229, 0.322, 0.546},
                            {0.128, 0.567, 0.551},
                            {0.369, 0.789, 0.383},
                            {0.993, 0.906, 0.144}};
  for (int i = 0; i < 5; ++i)
    f->AddRGBPoint(lo + (hi - lo) * i / 4.0, pts[i][0], pts[i][1], pts[i][2]);
}

/// Tableau 10 and its light tints (tab20): distinct, print-friendly colours for integer classes.
inline void categoricalColour(long cls, double rgb[3]) {
  // tab10, then tab20's light tints of the same hues: 20 distinct classes before a repeat
  // (a stratigraphic column easily has more than 10 units).
  static const double tab[20][3] = {
      {0.122, 0.467, 0.706}, {1.0, 0.498, 0.055},   {0.173, 0.627, 0.173}, {0.839, 0.153, 0.157},
      {0.580, 0.404, 0.741}, {0.549, 0.337, 0.294}, {0.890, 0.467, 0.761}, {0.498, 0.498, 0.498},
      {0.737, 0.741, 0.133}, {0.090, 0.745, 0.812}, {0.682, 0.780, 0.910}, {1.0, 0.733, 0.471},
      {0.596, 0.875, 0.541}, {1.0, 0.596, 0.588},   {0.773, 0.690, 0.835}, {0.769, 0.612, 0.580},
      {0.969, 0.714, 0.824}, {0.780, 0.780, 0.780}, {0.859, 0.859, 0.553}, {0.620, 0.855, 0.898}};
  const long i = ((cls % 20) + 20) % 20;
  std::copy(tab[i], tab[i] + 3, rgb);
}

/// q-quantile by nth_element (index floor(q * (n - 1))); 0 for an empty vector.
inline double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0.0;
  const std::size_t k = static_cast<std::size_t>(q * double(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + long(k), v.end());
  return v[k];
}

/// Colour transfer function of a sequential or diverging map on [lo, hi] (clamped).
/// Categorical maps get one node per integer class in [lo, hi] (at most 64 classes).
inline vtkSmartPointer<vtkColorTransferFunction> colourFunction(ColorMap map, double lo,
                                                                double hi) {
  auto f = vtkSmartPointer<vtkColorTransferFunction>::New();
  if (map == ColorMap::Prospectivity) {
    addViridis(f, lo, hi);
  } else if (map == ColorMap::Diverging) {
    f->AddRGBPoint(lo, 0.230, 0.299, 0.754);
    f->AddRGBPoint(0.5 * (lo + hi), 0.865, 0.865, 0.865);
    f->AddRGBPoint(hi, 0.706, 0.016, 0.150);
  } else {
    const long a = std::lround(lo), b = std::min(std::lround(hi), a + 63);
    for (long c = a; c <= b; ++c) {
      double rgb[3];
      categoricalColour(c, rgb);
      f->AddRGBSegment(double(c) - 0.45, rgb[0], rgb[1], rgb[2], double(c) + 0.45, rgb[0], rgb[1],
                       rgb[2]);
    }
  }
  f->ClampingOn();
  return f;
}

/// A 256-entry lookup table sampled from colourFunction (categorical: one entry per class).
inline vtkSmartPointer<vtkLookupTable> lookupTable(ColorMap map, double lo, double hi) {
  auto f = colourFunction(map, lo, hi);
  auto lut = vtkSmartPointer<vtkLookupTable>::New();
  const int n =
      map == ColorMap::Categorical ? int(std::max(1L, std::lround(hi) - std::lround(lo) + 1)) : 256;
  lut->SetNumberOfTableValues(n);
  const double a = map == ColorMap::Categorical ? double(std::lround(lo)) - 0.5 : lo;
  const double b = map == ColorMap::Categorical ? double(std::lround(hi)) + 0.5 : hi;
  lut->SetRange(a, b);
  for (int i = 0; i < n; ++i) {
    double rgb[3];
    f->GetColor(a + (b - a) * (i + 0.5) / n, rgb);
    lut->SetTableValue(i, rgb[0], rgb[1], rgb[2], 1.0);
  }
  lut->SetNanColor(0, 0, 0, 0);
  lut->Build();
  return lut;
}

/// Colour range of a set of finite values, as writeQuicklookPng documents it: 2nd-98th
/// percentiles (Diverging: symmetric at the 98th percentile of |v|; Categorical: min-max).
inline std::pair<double, double> autoRange(ColorMap map, const std::vector<double>& valid) {
  if (map == ColorMap::Diverging) {
    std::vector<double> a(valid.size());
    for (std::size_t i = 0; i < valid.size(); ++i) a[i] = std::abs(valid[i]);
    const double hi = std::max(percentile(a, 0.98), 1e-12);
    return {-hi, hi};
  }
  if (map == ColorMap::Categorical && !valid.empty()) {
    const auto [mn, mx] = std::minmax_element(valid.begin(), valid.end());
    return {std::round(*mn), std::round(*mx)};
  }
  double lo = percentile(valid, 0.02), hi = percentile(valid, 0.98);
  if (!(hi > lo)) hi = lo + 1.0;
  return {lo, hi};
}

}  // namespace orevox::vizdetail
