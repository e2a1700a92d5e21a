// orevox render: the 3D scene of a volume or map written to PNG offscreen (Xvfb where
// there is no display). Also holds the scene options shared with `orevox view`.
#ifdef OREVOX_WITH_VIZ
#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>

#include "../command.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/datasets/mesh_io.hpp"
#include "orevox/datasets/raster_io.hpp"
#include "orevox/datasets/vector_io.hpp"
#include "orevox/datasets/volume_io.hpp"
#include "orevox/datasets/vtp_io.hpp"
#include "orevox/core/error.hpp"
#include "orevox/viz/map_figure.hpp"
#include "scene_args.hpp"

namespace orevox::cli {

namespace {
std::string extensionOf(const std::string& path) {
  std::string e = std::filesystem::path(path).extension().string();
  for (auto& c : e) c = char(std::tolower(static_cast<unsigned char>(c)));
  return e;
}
}  // namespace

void declareSceneOptions(OptionSet& set, SceneArgs& a) {
  set.add("scene", a.scene,
          "Volume (.vdb, .vti), map (.tif and other GDAL rasters), drillhole traces (.vtp of "
          "'drillholes desurvey'; --channel picks the field) or mesh (.ts, .obj, .ply, .stl)")
      .required()
      .positional();
  set.add("channel", a.channel,
          "Volume channel or map band to show (default: 'prospectivity' if present, else the first)");
  set.add("deposits", a.deposits,
          "Deposits: CSV (x, y[, z], label or known: 1 known / 0 hidden) or GeoJSON/GPKG/SHP "
          "points; several files comma-separated");
  set.add("faults", a.faults, "Fault traces and surfaces (GeoJSON/GPKG/SHP)");
  set.add("zones", a.zones,
          "Target zones: 2D polygons (GeoJSON/GPKG/SHP) or the 3D zone CSV of 'transfer predict "
          "--zones' (centroids drawn and labelled A1, B1, ...)");
  set.add("traces", a.traces,
          "Drillhole traces (.vtp of 'drillholes desurvey') drawn with the scene, coloured by FIELD "
          "(default: the first numeric field): T.vtp[:FIELD]");
  set.add("camera", a.camera, "Camera preset")
      .choices({"iso", "top", "north", "south", "east", "west"}, {"n", "s", "e", "w"});
  set.add("preset", a.preset, "Transfer function")
      .choices({"auto", "prospectivity", "diverging", "categorical"});
  set.add("iso", a.iso,
          "Isosurface levels A[,B[,C]] in channel units (default in view: 99th/95th/90th "
          "percentiles, the thresholds of the A/B/C target zones)");
  set.add("iso-channel", a.isoChannel,
          "Channel the isosurfaces are drawn on (default: the one shown), e.g. orebody");
  set.add("slices", a.slices, "Slices x,y,z as fractions 0..1 of the box (-1 hides one)");
  set.add("clip", a.clip, "Clip box xmin,xmax,ymin,ymax,zmin,zmax").units("m");
  set.add("range", a.range, "Colour range lo,hi (default: 2nd-98th percentiles)");
  set.add("classes", a.classes,
          "Names of categorical classes for the legend, e.g. 1=granite,2=metamorphic");
  set.add("ve", a.ve, "Vertical exaggeration").positive();
  set.add("elevation", a.elevation,
          "Elevation of a draped map and of 2D overlays (default: top of the volume)")
      .units("m");
  set.add("no-volume", a.noVolume, "Do not volume-render (isosurfaces and slices only)");
  set.addRepeated("mesh", a.meshes,
                  "Mesh to draw (.ts, .obj, .ply, .stl), optionally with a colour: F.ts:orange, "
                  "F.stl:#d62728, F.ply:0.2,0.6,0.2; repeat for several")
      .placeholder("FILE[:COLOUR]");
}

namespace {

/// The 3D target zones of 'transfer predict --zones' (grade, id, centroid_x/y/z columns)
/// as labelled markers, in the file's order (by grade, then decreasing volume).
std::vector<SceneMarker> readZoneMarkers(const std::string& path) {
  CsvOptions o;
  o.xColumn = "centroid_x";
  o.yColumn = "centroid_y";
  o.zColumn = "centroid_z";
  o.idColumn = "grade";  // read as the row's text id
  o.columns = {"id"};
  o.allowNegative = true;
  const SampleTable t = readSamplesCsv(path, o);
  const std::vector<double>& id = t.column("id").values;
  std::vector<SceneMarker> markers;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const std::string& grade = t.ids[i];
    if (grade != "A" && grade != "B" && grade != "C")
      throw DataError("zone grade must be A, B or C",
                      SourceLocation{path, long(i) + 2, 0, "grade", grade});
    SceneMarker m;
    m.position = {t.x[i], t.y[i], t.z[i]};
    m.grade = grade[0];
    m.label = grade + (std::isfinite(id[i]) ? std::to_string(std::llround(id[i])) : std::string());
    markers.push_back(m);
  }
  return markers;
}

}  // namespace

void loadScene(const SceneArgs& a, LoadedScene& l, RunReport& report) {
  const std::string ext = extensionOf(a.scene);
  report.input("scene", a.scene);
  if (ext == ".vdb" || ext == ".vti" || ext == ".csv") {
    l.volume = readVolume(a.scene);  // .csv: a block model
    l.data.volume = &*l.volume;
    l.data.channel = a.channel;
  } else if (ext == ".tif" || ext == ".tiff" || ext == ".asc" || ext == ".img" || ext == ".vrt") {
    l.map = readRaster(a.scene);
    l.data.map = &*l.map;
    l.data.band = a.channel;
  } else if (ext == ".vtp") {
    l.traces = readTracesVtp(a.scene);
    l.data.traces = &*l.traces;
    l.data.traceField = a.channel;
  } else if (isMeshFile(a.scene)) {
    l.meshes.push_back(readMesh(a.scene));
  } else {
    throw UsageError("scene: '" + a.scene +
                     "' is neither a volume (.vdb, .vti, block-model .csv), a raster (.tif), "
                     "drillhole traces (.vtp) nor a mesh (.ts, .obj, .ply, .stl)");
  }
  if (!a.traces.empty()) {
    if (l.traces) throw UsageError("--traces: the scene is already drillhole traces ('" + a.scene + "')");
    // T.vtp[:FIELD]: the field follows the last ':' after the .vtp name.
    std::string file = a.traces, field;
    const auto colon = a.traces.rfind(':');
    if (colon != std::string::npos && extensionOf(a.traces.substr(0, colon)) == ".vtp") {
      file = a.traces.substr(0, colon);
      field = a.traces.substr(colon + 1);
    }
    l.traces = readTracesVtp(file);
    l.data.traces = &*l.traces;
    l.data.traceField = field;
    report.input("traces", a.traces);
  }
  // --mesh F[:colour]: the colour follows the last ':' after a mesh file name.
  std::vector<std::array<double, 3>> colours(l.meshes.size(), defaultMeshColour(0));
  for (const std::string& item : a.meshes) {
    std::string file = item;
    std::optional<std::array<double, 3>> colour;
    const std::size_t colon = item.rfind(':');
    if (colon != std::string::npos && isMeshFile(item.substr(0, colon))) {
      file = item.substr(0, colon);
      colour = parseColour(item.substr(colon + 1), "--mesh");
    }
    if (!isMeshFile(file))
      throw UsageError("--mesh: '" + item + "' is not a mesh file (.ts, .obj, .ply, .stl)[:colour]");
    l.meshes.push_back(readMesh(file));
    colours.push_back(colour ? *colour : defaultMeshColour(colours.size()));
  }
  if (!a.meshes.empty()) report.input("meshes", a.meshes);
  for (std::size_t n = 0; n < l.meshes.size(); ++n) {
    SceneMesh m;
    m.mesh = &l.meshes[n];
    m.rgb = colours[n];
    l.data.meshes.push_back(m);
  }
  if (!a.deposits.empty()) {
    // One or more files (comma-separated, e.g. known and hidden deposits); labels from a
    // "label" column, else from a "known" column (1 known, 0 hidden), else all known.
    SampleTable all;
    for (const auto& file : splitList(a.deposits, "--deposits")) {
      const std::string de = extensionOf(file);
      SampleTable t;
      if (de == ".csv" || de == ".txt") {
        CsvOptions o;
        o.allowNegative = true;
        t = readSamplesCsv(file, o);
      } else {
        t = readPoints(file);
      }
      if (!t.hasLabels() && t.columnIndex("known") >= 0) {
        for (double v : t.column("known").values) t.labels.push_back(v != 0.0 ? 1 : 0);
      }
      for (std::size_t i = 0; i < t.size(); ++i) {
        if (t.is3D())
          all.addPoint(t.x[i], t.y[i], t.z[i]);
        else
          all.addPoint(t.x[i], t.y[i]);
        all.labels.push_back(t.hasLabels() ? t.labels[i] : 1);
      }
    }
    if (!all.z.empty() && all.z.size() != all.x.size())
      throw UsageError("--deposits: mixes 2D and 3D points ('" + a.deposits + "')");
    l.deposits = std::move(all);
    l.data.deposits = &*l.deposits;
    report.input("deposits", a.deposits);
  }
  if (!a.faults.empty()) {
    l.faults = readLines(a.faults);
    l.data.faults = &*l.faults;
    report.input("faults", a.faults);
  }
  if (!a.zones.empty() && extensionOf(a.zones) == ".csv") {
    l.markers = readZoneMarkers(a.zones);
    l.data.markers = &*l.markers;
    report.input("zones", a.zones);
  } else if (!a.zones.empty()) {
    l.zones = readPolygons(a.zones);
    l.data.zones = &*l.zones;
    report.input("zones", a.zones);
  }
}

SceneOptions sceneOptions(const SceneArgs& a) {
  SceneOptions o;
  o.camera = parseCameraPreset(a.camera);
  std::string p;
  for (char c : a.preset) p += char(std::tolower(static_cast<unsigned char>(c)));
  if (p == "auto")
    o.preset = TransferPreset::Auto;
  else if (p == "prospectivity")
    o.preset = TransferPreset::Prospectivity;
  else if (p == "diverging")
    o.preset = TransferPreset::Diverging;
  else if (p == "categorical")
    o.preset = TransferPreset::Categorical;
  else
    throw UsageError("--preset: unknown preset '" + a.preset +
                     "' (auto, prospectivity, diverging, categorical)");
  if (!a.iso.empty()) {
    o.isoLevels = parseNumbers(a.iso, "--iso");
    if (o.isoLevels.size() > 3)
      throw UsageError("--iso: at most 3 levels (A, B, C), got '" + a.iso + "'");
  }
  if (!a.slices.empty()) {
    const auto s = parseNumbers(a.slices, "--slices");
    if (s.size() != 3)
      throw UsageError("--slices: expected x,y,z fractions, got '" + a.slices + "'");
    for (int i = 0; i < 3; ++i) {
      if (s[std::size_t(i)] > 1.0)
        throw UsageError("--slices: fractions must be <= 1 (negative hides), got '" + a.slices +
                         "'");
      o.slices[std::size_t(i)] = s[std::size_t(i)];
    }
  }
  if (!a.clip.empty()) {
    const auto c = parseNumbers(a.clip, "--clip");
    if (c.size() != 6)
      throw UsageError("--clip: expected xmin,xmax,ymin,ymax,zmin,zmax, got '" + a.clip + "'");
    o.clipBox = std::array<double, 6>{c[0], c[1], c[2], c[3], c[4], c[5]};
  }
  if (!a.range.empty()) {
    const auto r = parseNumbers(a.range, "--range");
    if (r.size() != 2 || !(r[1] > r[0]))
      throw UsageError("--range: expected lo,hi with lo < hi, got '" + a.range + "'");
    o.lo = r[0];
    o.hi = r[1];
  }
  o.isoChannel = a.isoChannel;
  if (!a.classes.empty()) {
    for (const auto& item : splitList(a.classes, "--classes")) {
      const auto eq = item.find('=');
      std::size_t used = 0;
      long code = 0;
      try {
        code = std::stol(item.substr(0, eq), &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (eq == std::string::npos || used != eq || eq + 1 >= item.size())
        throw UsageError("--classes: expected CODE=NAME items, got '" + item + "'");
      o.classNames.emplace_back(code, item.substr(eq + 1));
    }
  }
  o.verticalExaggeration = a.ve;
  o.mapElevation = a.elevation;
  o.volumeRendering = !a.noVolume;
  return o;
}

void addRenderCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<SceneArgs>();
  auto out = std::make_shared<std::string>();
  auto size = std::make_shared<std::string>("1600x1200");
  auto mapFigure = std::make_shared<bool>(false);
  auto* app =
      root.add_subcommand("render",
                          "Render a volume or map scene offscreen to PNG (run under xvfb-run "
                          "where there is no display)");
  command.app = app;
  OptionSet& set = command.options;
  declareSceneOptions(set, *args);
  set.add("out", *out, "Output PNG").required().placeholder("FILE");
  set.add("size", *size, "Image size").placeholder("WIDTHxHEIGHT");
  set.add("map-figure", *mapFigure,
          "Rasters: a 2D map figure (colour bar, faults, deposits, zones, scale bar, north "
          "arrow) instead of the 3D scene");
  command.run = [args, out, size, mapFigure, &common = command.common](RunReport& report) {
    SceneOptions options = sceneOptions(*args);
    const auto wh = parseImageSize(*size);
    options.width = wh[0];
    options.height = wh[1];
    LoadedScene loaded;
    report.timed("read", [&] { loadScene(*args, loaded, report); });
    if (*mapFigure) {
      if (!loaded.map)
        throw UsageError("--map-figure: the scene must be a raster (.tif), got '" + args->scene +
                         "'");
      if (loaded.markers)
        throw UsageError("--zones: '" + args->zones + "' holds 3D zones; a map figure takes 2D zone polygons");
      MapFigureOptions m;
      m.width = wh[0];
      m.height = wh[1];
      m.faults = loaded.data.faults;
      m.deposits = loaded.data.deposits;
      m.zones = loaded.data.zones;
      m.lo = options.lo;
      m.hi = options.hi;
      const long band = args->channel.empty() ? 0 : loaded.map->bandIndex(args->channel);
      if (band < 0) throw UsageError("--channel: the map has no band '" + args->channel + "'");
      const std::string name = loaded.map->band(std::size_t(band)).name;
      if (options.preset == TransferPreset::Diverging ||
          (options.preset == TransferPreset::Auto && name.find("distance") != std::string::npos))
        m.colorMap = ColorMap::Diverging;
      else if (options.preset == TransferPreset::Categorical ||
               (options.preset == TransferPreset::Auto &&
                (name.rfind("lith", 0) == 0 || name.rfind("rock", 0) == 0)))
        m.colorMap = ColorMap::Categorical;
      MapFigureLayout layout;
      report.timed("render",
                   [&] { layout = writeMapFigure(*loaded.map, std::size_t(band), *out, m); });
      report.result("channel", name);
      report.result("color_range", {layout.lo, layout.hi});
      report.output(*out);
      say(common, "orevox render: map figure of " + name + " -> " + *out);
      return;
    }
    SceneSummary summary;
    report.timed("render", [&] { summary = renderScenePng(loaded.data, options, *out); });
    report.parameter("camera", args->camera);
    report.parameter("size", *size);
    report.parameter("vertical_exaggeration", args->ve);
    report.result("channel", summary.channel);
    report.result("color_range", {summary.lo, summary.hi});
    report.result("iso_levels", summary.isoLevels);
    report.result("iso_triangles", summary.isoTriangles);
    if (loaded.markers) report.result("zone_markers", summary.markers);
    if (loaded.traces)
      report.result("traces", {{"intervals", summary.traces}, {"field", summary.traceField},
                               {"color_range", {summary.traceLo, summary.traceHi}}});
    if (summary.meshes > 0) report.result("mesh_triangles", summary.meshTriangles);
    report.output(*out);
    say(common, "orevox render: " + summary.channel + " -> " + *out + " (" + *size + ")");
  };
}

}  // namespace orevox::cli
#endif
