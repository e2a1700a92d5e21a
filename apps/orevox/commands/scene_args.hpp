#pragma once
// Options shared by `orevox render` and `orevox view`: the scene file and its overlays,
// read with the datasets readers and handed to viz as domain types. Private to apps/.
#ifdef OREVOX_WITH_VIZ
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../command.hpp"
#include "orevox/geomodel/geometry.hpp"
#include "orevox/geomodel/mesh.hpp"
#include "orevox/geomodel/raster.hpp"
#include "orevox/geomodel/samples.hpp"
#include "orevox/viz/scene.hpp"
#include "orevox/voxel/voxel_model.hpp"

namespace orevox::cli {

struct SceneArgs {
  std::string scene, channel, isoChannel, deposits, faults, zones, traces,
      camera = "iso", preset = "auto", iso, slices, clip, range, classes;
  double ve = 1.0;
  double elevation = std::numeric_limits<double>::quiet_NaN();
  bool noVolume = false;
  std::vector<std::string> meshes;  ///< --mesh F[:colour], several
};

/// Loaded inputs; SceneData points into it.
struct LoadedScene {
  std::optional<VoxelModel> volume;
  std::optional<Raster> map;
  std::optional<SampleTable> deposits;
  std::optional<FaultNetwork> faults;
  std::optional<PolygonSet> zones;
  std::optional<std::vector<SceneMarker>> markers;
  std::optional<DrillholeTraces> traces;
  std::vector<TriangleMesh> meshes;  ///< the scene file when it is a mesh, then each --mesh
  SceneData data;
};

void declareSceneOptions(OptionSet& set, SceneArgs& args);
/// Reads the scene and overlays (UsageError for an unknown extension).
void loadScene(const SceneArgs& args, LoadedScene& loaded, RunReport& report);
/// Scene options from the parsed arguments.
SceneOptions sceneOptions(const SceneArgs& args);

}  // namespace orevox::cli
#endif
