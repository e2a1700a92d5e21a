#pragma once
/// \file scene.hpp
/// The 3D prospectivity scene shared by `orevox render` (offscreen PNG) and `orevox view`
/// (interactive window): a voxel channel (volume rendering, A/B/C isosurfaces, three
/// orthogonal slices, a clip box) or a 2D map draped at an elevation, with deposits,
/// faults and target zones, axes in real coordinates, a scalar bar, a legend and camera
/// presets. VTK stays inside viz: this header is VTK-free.

#include <array>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "orevox/geomodel/drillholes.hpp"
#include "orevox/geomodel/geometry.hpp"
#include "orevox/geomodel/mesh.hpp"
#include "orevox/geomodel/raster.hpp"
#include "orevox/geomodel/samples.hpp"
#include "orevox/viz/quicklook.hpp"
#include "orevox/voxel/voxel_model.hpp"

namespace orevox {

/// A labelled point of the scene: the centroid of a 3D target zone (`transfer predict
/// --zones`), drawn as a diamond in its grade's colour (A red, B orange, C yellow) with
/// its label ("A1") beside it.
struct SceneMarker {
  std::array<double, 3> position{};  ///< world x, y, z (m)
  std::string label;                 ///< e.g. "A1"
  char grade = 'A';                  ///< 'A', 'B' or 'C'
};

/// A triangle mesh drawn in a scene (an ore solid, a fault or horizon surface), lit from
/// both sides, in one colour.
struct SceneMesh {
  const TriangleMesh* mesh = nullptr;  ///< borrowed
  std::array<double, 3> rgb{0.75, 0.55, 0.25};
  double opacity = 0.6;
  std::string label;  ///< legend text; empty = the mesh's name
};

/// The colour of the n-th mesh of a scene when none is given (a qualitative palette).
std::array<double, 3> defaultMeshColour(std::size_t n);
/// Parses a colour: a name (red, green, blue, orange, yellow, purple, grey, brown, pink,
/// cyan, black, white), "#rrggbb" or "r,g,b" with components 0..1; UsageError naming
/// `option` and the text otherwise.
std::array<double, 3> parseColour(const std::string& text, const std::string& option = "--mesh");

/// What a scene shows. Pointers are borrowed (must outlive the call) and may be null;
/// a scene needs a volume, a map, drillhole traces or a mesh (UsageError otherwise). All
/// geometry in the same CRS (metres: easting x, northing y, elevation z).
struct SceneData {
  const VoxelModel* volume = nullptr;
  std::string
      channel;  ///< channel of `volume` to show; empty = "prospectivity" if present, else the first
  const Raster* map = nullptr;
  std::string band;                       ///< band of `map` to drape; empty = the first band
  const SampleTable* deposits = nullptr;  ///< labels 1 = known, 0 = hidden (unlabelled = known)
  const FaultNetwork* faults = nullptr;   ///< 2D traces (drawn at the top) and 3D surfaces
  const PolygonSet* zones = nullptr;      ///< target-zone outlines (drawn at the top)
  /// 3D target-zone centroids; the first `kMaxMarkerLabels` are labelled (the zone CSV
  /// lists them by grade, then by decreasing volume).
  const std::vector<SceneMarker>* markers = nullptr;
  /// Desurveyed drillhole intervals (e.g. read from traces.vtp), drawn as lines coloured by
  /// `traceField`: numeric fields in viridis over their 2nd-98th percentiles (or the
  /// options' range when the traces are the whole scene), categorical fields one colour per
  /// category, not assayed / not logged in grey. Traces alone make a scene.
  const DrillholeTraces* traces = nullptr;
  std::string traceField;  ///< empty = the first numeric field, else the first categorical one
  /// Meshes drawn with the rest, in their colours (with a volume or a map, or alone).
  std::vector<SceneMesh> meshes;
};

/// How many markers carry their label text (more would cover the scene).
constexpr std::size_t kMaxMarkerLabels = 30;

/// Colour / opacity presets of the volume rendering and slices.
enum class TransferPreset {
  Auto,  ///< from the channel name: "*distance*" diverging, "rock*"/"lith*"/"*type*" categorical,
         ///< else prospectivity
  Prospectivity,  ///< viridis, transparent below the C threshold, opaque at the top
  Diverging,      ///< blue-white-red centred on 0 (signed distances), opaque near 0
  Categorical     ///< one colour per integer class (rock types), every class half-opaque
};

/// Camera presets: looking from the south-west and above (iso), straight down (top), or
/// horizontally from the north, south, east or west (sections).
enum class CameraPreset { Iso, Top, North, South, East, West };
/// Parses "iso", "top", "n"/"north", "s"/"south", "e"/"east", "w"/"west"; UsageError naming
/// `option`.
CameraPreset parseCameraPreset(const std::string& text, const std::string& option = "--camera");

/// How the scene is drawn.
struct SceneOptions {
  TransferPreset preset = TransferPreset::Auto;
  /// Value range of the colour map; lo >= hi = automatic (2nd-98th percentiles of the
  /// active voxels; diverging: symmetric; categorical: min-max class).
  double lo = 0.0, hi = 0.0;
  bool volumeRendering = true;
  /// Isosurface levels labelled A, B, C in this order (at most 3, channel units). Empty and
  /// `defaultIso` true = the 99th, 95th and 90th percentiles of the active voxels for
  /// sequential channels (the thresholds of the A/B/C target zones: top 1, 5, 10 % of the
  /// volume), 0 for diverging ones, none for categorical ones.
  std::vector<double> isoLevels;
  bool defaultIso = false;
  /// Channel the isosurfaces are drawn on (e.g. the "orebody" truth over a prospectivity
  /// volume); empty = the channel shown.
  std::string isoChannel;
  std::array<bool, 3> isoVisible{true, true, true};
  /// Slices normal to x, y, z as fractions 0..1 of the box; a negative value hides that slice.
  std::array<double, 3> slices{-1.0, -1.0, -1.0};
  /// Clip box in world metres {xmin, xmax, ymin, ymax, zmin, zmax}; unset = no clipping.
  std::optional<std::array<double, 6>> clipBox;
  double verticalExaggeration = 1.0;  ///< z is stretched by this factor (> 0)
  /// Elevation (m) of the draped map and of 2D faults, zones and deposits without z; NaN =
  /// the top of the volume (or 0 without one).
  double mapElevation = std::numeric_limits<double>::quiet_NaN();
  CameraPreset camera = CameraPreset::Iso;
  int width = 1600, height = 1200;  ///< pixels
  std::string title;                ///< shown top left; empty = channel or band name
  /// Names of categorical classes for the colour legend, e.g. {{1, "granite"}, {2, "metamorphic"}}.
  std::vector<std::pair<long, std::string>> classNames;
  bool axes = true, legend = true, scalarBar = true;
};

/// Parses "WxH" (e.g. "1600x1200", each 16..16384); UsageError naming `option` otherwise.
std::array<int, 2> parseImageSize(const std::string& text, const std::string& option = "--size");

/// What a built scene contains (for reports and tests).
struct SceneSummary {
  std::string channel, units;  ///< channel or band shown
  double lo = 0.0, hi = 0.0;   ///< colour range used
  std::string isoChannel;      ///< channel of the isosurfaces
  std::vector<double> isoLevels;
  std::vector<std::size_t> isoTriangles;  ///< triangles of each isosurface (before clipping)
  std::size_t deposits = 0, faultLines = 0, faultSurfaces = 0, zones = 0, markers = 0;
  std::size_t meshes = 0, meshTriangles = 0;  ///< meshes drawn and their triangles
  std::size_t traces = 0;             ///< drillhole intervals drawn
  std::string traceField;             ///< field the traces are coloured by ("" = none)
  double traceLo = 0.0, traceHi = 0.0;  ///< their colour range (categorical: first and last code)
  std::array<double, 6> bounds{};  ///< world bounds of the scene, metres (z not exaggerated)
};

/// Renders the scene offscreen (vtkRenderWindow::SetOffScreenRendering; needs an X display
/// or Xvfb with Debian's VTK) and writes an RGB PNG of options.width x options.height
/// atomically. The same inputs give the same image. UsageError for bad data/options,
/// IoError when the PNG cannot be written.
SceneSummary renderScenePng(const SceneData& data, const SceneOptions& options,
                            const std::string& path);

/// Options of the interactive viewer.
struct ViewerOptions {
  SceneOptions scene;
  /// Down-sampling factor of the volume shown while the camera moves (1 = no LOD).
  int interactiveShrink = 2;  ///< the coarse level also casts one ray per 3 x 3 pixels
  /// Scripted run instead of user interaction: orbit the camera 360 degrees in this many
  /// frames (interaction LOD on), then render once at full resolution and close. 0 = interactive.
  int orbitFrames = 0;
};

/// Frame statistics of a scripted viewer run.
struct ViewerStats {
  int frames = 0;
  double seconds = 0.0;       ///< wall time of the orbit frames
  double fps = 0.0;           ///< frames / seconds
  double stillSeconds = 0.0;  ///< one full-resolution render after the orbit
  SceneSummary scene;
};

/// Key help shown on screen by the viewer (one binding per line).
std::string viewerKeyHelp();

/// Opens the scene in a window. Keys (also on screen, 'h' hides them): 1 2 3 toggle the
/// A/B/C isosurfaces, v the volume, x/X y/Y z/Z move the slices, c toggles the clip-box
/// widget, i t n s e w set the camera, r resets it, q quits. While the camera moves the
/// volume is drawn down-sampled by `interactiveShrink` (one ray per 3 x 3 pixels) and
/// translucent surfaces without depth peeling; at full quality when it stops.
/// Returns when the window is closed (or after the scripted orbit).
ViewerStats runViewer(const SceneData& data, const ViewerOptions& options);

}  // namespace orevox
