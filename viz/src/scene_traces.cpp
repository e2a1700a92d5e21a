// Drillhole traces in a scene: polylines with cell scalars through a lookup table.
#include "scene_traces.hpp"

#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkDoubleArray.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>

#include <cmath>
#include <limits>

#include "colormaps.hpp"
#include "orevox/core/error.hpp"

namespace orevox::vizdetail {

std::array<double, 6> traceBounds(const DrillholeTraces& traces) {
  if (traces.points.empty()) throw UsageError("scene: the drillhole traces have no points");
  const double inf = std::numeric_limits<double>::infinity();
  std::array<double, 6> b{inf, -inf, inf, -inf, inf, -inf};
  for (const auto& p : traces.points) {
    for (int a = 0; a < 3; ++a) {
      b[std::size_t(2 * a)] = std::min(b[std::size_t(2 * a)], p[std::size_t(a)]);
      b[std::size_t(2 * a + 1)] = std::max(b[std::size_t(2 * a + 1)], p[std::size_t(a)]);
    }
  }
  return b;
}

TraceLayer traceLayer(const DrillholeTraces& traces, const std::string& field,
                      const SceneFrame& frame, std::pair<double, double> range, double lineWidth) {
  if (traces.points.empty()) throw UsageError("scene: the drillhole traces have no points");
  TraceLayer layer;
  long index = -1;
  if (!field.empty()) {
    index = traces.fieldIndex(field);
    if (index < 0) {
      std::string names;
      for (const auto& f : traces.fields) names += (names.empty() ? "" : ", ") + f.name;
      throw UsageError("--traces: no field '" + field +
                       "' (fields: " + (names.empty() ? "none" : names) + ")");
    }
  } else {
    for (std::size_t i = 0; i < traces.fields.size() && index < 0; ++i)
      if (!traces.fields[i].categorical) index = long(i);
    if (index < 0 && !traces.fields.empty()) index = 0;
  }

  auto points = vtkSmartPointer<vtkPoints>::New();
  points->SetDataTypeToDouble();
  points->SetNumberOfPoints(vtkIdType(traces.points.size()));
  for (std::size_t i = 0; i < traces.points.size(); ++i) {
    const auto& p = traces.points[i];
    points->SetPoint(vtkIdType(i), frame.x(p[0]), frame.y(p[1]), frame.z(p[2]));
  }
  auto lines = vtkSmartPointer<vtkCellArray>::New();
  for (std::size_t i = 0; i < traces.size(); ++i) {
    const std::size_t a = traces.offsets[i], b = traces.offsets[i + 1];
    lines->InsertNextCell(vtkIdType(b - a));
    for (std::size_t k = a; k < b; ++k) lines->InsertCellPoint(vtkIdType(k));
  }
  auto poly = vtkSmartPointer<vtkPolyData>::New();
  poly->SetPoints(points);
  poly->SetLines(lines);
  auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
  mapper->SetInputData(poly);
  layer.actor = vtkSmartPointer<vtkActor>::New();
  layer.actor->SetMapper(mapper);
  layer.actor->GetProperty()->SetLineWidth(float(lineWidth));
  layer.actor->GetProperty()->LightingOff();

  if (index < 0) {  // no field: one colour
    mapper->ScalarVisibilityOff();
    layer.actor->GetProperty()->SetColor(0.15, 0.15, 0.15);
    return layer;
  }
  const IntervalField& f = traces.fields[std::size_t(index)];
  layer.field = f.name;
  auto scalars = vtkSmartPointer<vtkDoubleArray>::New();
  scalars->SetName(f.name.c_str());
  scalars->SetNumberOfTuples(vtkIdType(traces.size()));
  std::vector<double> valid;
  for (std::size_t i = 0; i < traces.size(); ++i) {
    double v = std::numeric_limits<double>::quiet_NaN();
    if (f.categorical) {
      if (f.codes[i] >= 0) v = double(f.codes[i]);
    } else {
      v = f.values[i];
    }
    scalars->SetValue(vtkIdType(i), v);
    if (std::isfinite(v)) valid.push_back(v);
  }
  poly->GetCellData()->SetScalars(scalars);
  if (f.categorical) {
    layer.map = ColorMap::Categorical;
    layer.lo = 0.0;
    layer.hi = double(std::max<std::size_t>(f.categories.size(), 1) - 1);
    for (std::size_t c = 0; c < f.categories.size(); ++c)
      layer.classNames.emplace_back(long(c), f.categories[c]);
  } else {
    layer.map = ColorMap::Prospectivity;
    const auto r =
        valid.empty() ? std::pair<double, double>{0.0, 1.0} : autoRange(layer.map, valid);
    layer.lo = r.first;
    layer.hi = r.second;
    if (range.second > range.first) {
      layer.lo = range.first;
      layer.hi = range.second;
    }
  }
  layer.lut = lookupTable(layer.map, layer.lo, layer.hi);
  layer.lut->SetNanColor(0.72, 0.72, 0.72, 1.0);  // not assayed: light grey
  layer.lut->BuildSpecialColors();                // (Build() would reset the table)
  mapper->SetLookupTable(layer.lut);
  mapper->SetScalarModeToUseCellData();
  mapper->UseLookupTableScalarRangeOn();
  mapper->ScalarVisibilityOn();
  return layer;
}

}  // namespace orevox::vizdetail
