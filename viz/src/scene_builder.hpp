#pragma once
// The VTK side of a scene: built once, then rendered offscreen (scene.cpp) or driven by the
// interactive viewer (viewer.cpp). Private to viz.

#include <vtkActor.h>
#include <vtkCubeAxesActor.h>
#include <vtkImageActor.h>
#include <vtkImageData.h>
#include <vtkLODProp3D.h>
#include <vtkPlanes.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <vtkTextActor.h>

#include <array>
#include <vector>

#include "orevox/viz/scene.hpp"

namespace orevox::vizdetail {

/// Scene frame: local = ((x - offset.x), (y - offset.y), (z - offset.z) * ve). Rendering in
/// a local frame keeps UTM-sized coordinates out of single-precision OpenGL.
struct SceneFrame {
  std::array<double, 3> offset{0, 0, 0};
  double ve = 1.0;
  double x(double wx) const { return wx - offset[0]; }
  double y(double wy) const { return wy - offset[1]; }
  double z(double wz) const { return (wz - offset[2]) * ve; }
};

struct BuiltScene {
  vtkSmartPointer<vtkRenderer> renderer;  ///< the 3D view
  vtkSmartPointer<vtkRenderer>
      overlay;  ///< strip right of it with the colour bar (null without one)
  SceneFrame frame;
  SceneSummary summary;
  std::array<double, 6> localBounds{};  ///< scene bounds in the local frame
  // Volume (null when the scene is a map only).
  vtkSmartPointer<vtkImageData> image;   ///< channel for volume rendering (air = below range)
  vtkSmartPointer<vtkLODProp3D> volume;  ///< LOD 0: full resolution, LOD 1: down-sampled
  int fullLod = -1, coarseLod = -1;
  std::vector<vtkSmartPointer<vtkActor>> isoActors;  ///< A, B, C
  std::array<vtkSmartPointer<vtkImageActor>, 3> sliceActors;
  std::array<int, 3> sliceIndex{0, 0, 0};
  std::array<int, 3> dims{0, 0, 0};
  std::vector<vtkSmartPointer<vtkActor>> clippable;  ///< actors whose mappers take the clip planes
  vtkSmartPointer<vtkTextActor> help;
  vtkSmartPointer<vtkCubeAxesActor> axes;

  void setSlice(int axis, int index);     ///< clamps; index < 0 hides the slice
  void setClipPlanes(vtkPlanes* planes);  ///< null = no clipping
  void setCamera(CameraPreset preset);
};

/// Builds every prop of the scene into a new renderer. `interactiveShrink` > 1 adds a
/// down-sampled LOD of the volume.
BuiltScene buildScene(const SceneData& data, const SceneOptions& options, int interactiveShrink);

}  // namespace orevox::vizdetail
