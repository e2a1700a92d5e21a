#pragma once
// Drillhole traces in a scene: polylines coloured by one interval field. Private to viz.

#include <vtkActor.h>
#include <vtkLookupTable.h>
#include <vtkSmartPointer.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "orevox/viz/quicklook.hpp"
#include "orevox/viz/scene.hpp"
#include "scene_builder.hpp"

namespace orevox::vizdetail {

/// The traces' actor and how it is coloured.
struct TraceLayer {
  vtkSmartPointer<vtkActor> actor;
  vtkSmartPointer<vtkLookupTable> lut;  ///< null when the traces have no field
  ColorMap map = ColorMap::Prospectivity;
  std::string field;
  double lo = 0.0, hi = 0.0;
  std::vector<std::pair<long, std::string>> classNames;  ///< categorical: code -> category
};

/// World bounds {xmin, xmax, ymin, ymax, zmin, zmax} of every trace point.
std::array<double, 6> traceBounds(const DrillholeTraces& traces);

/// Lines of `traces` in the scene frame, coloured by `field` (see SceneData::traces);
/// `range` (lo < hi) replaces the automatic range of a numeric field. UsageError for an
/// unknown field (listing the fields) or traces without points.
TraceLayer traceLayer(const DrillholeTraces& traces, const std::string& field,
                      const SceneFrame& frame, std::pair<double, double> range, double lineWidth);

}  // namespace orevox::vizdetail
