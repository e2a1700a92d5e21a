#include "orevox/datasets/model_features.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "csv_reader.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/datasets/mesh_io.hpp"
#include "orevox/datasets/raster_io.hpp"
#include "orevox/datasets/structural_model.hpp"
#include "orevox/datasets/volume_io.hpp"
#include "orevox/geomodel/surface_shape.hpp"
#include "orevox/voxel/mesh_volume.hpp"

namespace orevox {

namespace fs = std::filesystem;

void ModelFeaturesJob::declare(OptionSet& set) {
  set.add("model", model,
          "A model built by 'orevox model build': its box, and its channels kept in the output")
      .placeholder("MODEL.vdb");
  set.add("like", like, "Take the voxel box of this volume instead of --model")
      .placeholder("V.vdb");
  set.add("keep", keep,
          "Channels of --model copied to the output, comma separated (default: all of them)")
      .placeholder("A,B");
  set.add("surface", surfaces,
          "Surfaces (faults, contacts) as meshes (.ts, .obj, .ply, .stl, .vtp), each with an "
          "optional channel name prefix after ':'")
      .placeholder("F.ts[:name]");
  set.add("contact", contacts,
          "A modelled surface: where channel CHANNEL of --model equals VALUE (its isosurface), "
          "with an optional name after ':' (default CHANNEL_VALUE); repeatable")
      .placeholder("CHANNEL=VALUE[:name]");
  set.add("intersection", intersections,
          "Distance to the line where surfaces A and B (names of --surface or --contact items) "
          "cross, as channel <name>_line_distance (default name A_B); repeatable")
      .placeholder("A,B[:name]");
  set.add("topography", topography,
          "Topographic surface for the channel 'depth' (below it): a DEM (GeoTIFF or any raster "
          "GDAL reads, band 1) or a mesh")
      .placeholder("DEM.tif|T.ts");
  set.add("fit-radius", fitRadius,
          "Curvature and dip change: fit each vertex's quadric to the vertices within this "
          "distance along the mesh (0: its two rings of neighbours)")
      .units("m");
  set.add("out", out, "The predictors as channels (.vdb)").required().placeholder("FEAT.vdb");
}

const std::vector<std::pair<std::string, std::string>>& surfaceChannelSuffixes() {
  static const std::vector<std::pair<std::string, std::string>> suffixes = {
      {"_distance", "m"},
      {"_dip", "degrees"},
      {"_dip_direction", "degrees"},
      {"_dip_change", "degrees/100m"},
      {"_undulation", "m"},
      {"_curvature", "1/m"}};
  return suffixes;
}

namespace {

/// "text:name" split at the last ':' unless that is part of a path (a '/' follows it).
void splitName(const std::string& item, std::string& text, std::string& name) {
  text = item;
  name.clear();
  const std::size_t colon = item.rfind(':');
  if (colon != std::string::npos && item.find('/', colon) == std::string::npos &&
      colon + 1 < item.size()) {
    text = item.substr(0, colon);
    name = item.substr(colon + 1);
  }
}

struct NamedSurface {
  std::string name;
  TriangleMesh mesh;
};

}  // namespace

ModelFeaturesResult runModelFeatures(const ModelFeaturesJob& job) {
  if (job.model.empty() == job.like.empty())
    throw UsageError("give one of --model and --like: the voxel box");
  if (job.surfaces.empty() && job.contacts.empty() && job.topography.empty() && job.keep.empty())
    throw UsageError("nothing to compute: give --surface, --contact, --topography or --keep");
  if (!job.contacts.empty() && job.model.empty())
    throw UsageError("--contact needs --model (the channel whose isosurface is the contact)");
  if (!job.keep.empty() && job.model.empty())
    throw UsageError("--keep selects channels of --model: give --model");
  if (!(job.fitRadius >= 0) || !std::isfinite(job.fitRadius))
    throw UsageError("--fit-radius: '" + detail::formatNumber(job.fitRadius) +
                     "' is not a number >= 0");
  checkOutputPath(job.out);
  VoxelModel out = readVolume(job.model.empty() ? job.like : job.model);
  const VoxelModel source = out;  // the model's channels, for the contacts
  for (const auto& k : job.keep)
    if (!source.hasChannel(k))
      throw UsageError("--keep: " + job.model + " has no channel '" + k + "'");
  for (const auto& c : out.channelNames())
    if (job.model.empty() ||
        (!job.keep.empty() && std::find(job.keep.begin(), job.keep.end(), c) == job.keep.end()))
      out.removeChannel(c);
  ModelFeaturesResult result;
  result.spec = out.spec();

  auto setChannel = [&](const std::string& channel, const std::vector<float>& values,
                        const std::string& units, const char* option,
                        const std::vector<std::uint8_t>* active = nullptr) {
    if (out.hasChannel(channel))
      throw UsageError(std::string(option) + ": channel '" + channel +
                       "' exists already (give the surface another name with :name)");
    out.setChannel(channel, values, active, units);
    result.channels.push_back({channel, units});
  };

  // Surfaces: meshes, then the model's isosurfaces.
  std::vector<NamedSurface> surfaces;
  for (const std::string& item : job.surfaces) {
    std::string path, name;
    splitName(item, path, name);
    TriangleMesh mesh = readMesh(path);
    if (name.empty()) name = fileStem(fs::path(path).stem().string());
    surfaces.push_back({name, std::move(mesh)});
  }
  for (const std::string& item : job.contacts) {
    std::string spec, name;
    splitName(item, spec, name);
    const std::size_t eq = spec.rfind('=');
    const std::string channel = eq == std::string::npos ? spec : spec.substr(0, eq);
    const std::string valueText = eq == std::string::npos ? "" : spec.substr(eq + 1);
    char* end = nullptr;
    const double value = std::strtod(valueText.c_str(), &end);
    if (eq == std::string::npos || valueText.empty() || *end != '\0' || !std::isfinite(value))
      throw UsageError("--contact '" + item + "': expected CHANNEL=VALUE[:name]");
    if (!source.hasChannel(channel))
      throw UsageError("--contact '" + item + "': " + job.model + " has no channel '" + channel +
                       "'");
    TriangleMesh mesh = isosurface(source, channel, value);
    if (mesh.triangleCount() == 0)
      throw DataError("--contact '" + item + "': channel '" + channel + "' does not reach " +
                          valueText + " inside the box: no surface",
                      SourceLocation{job.model, 0, 0, channel, valueText});
    if (name.empty()) name = fileStem(channel + "_" + valueText);
    surfaces.push_back({name, std::move(mesh)});
  }

  const SurfaceShapeOptions shape{job.fitRadius};
  for (NamedSurface& s : surfaces) {
    orientConsistently(s.mesh, OrientationRule::Up);
    MeshDistanceOptions d;
    d.sign = DistanceSign::Side;
    d.orient = SurfaceOrientation::Up;
    const MeshDistanceField distance = meshDistanceField(s.mesh, out.spec(), d);
    const SurfacePredictorField p = surfacePredictors(s.mesh, out.spec(), shape);
    const std::vector<float>* values[] = {&distance.values, &p.dip,        &p.dipDirection,
                                          &p.dipChange,     &p.undulation, &p.meanCurvature};
    const auto& suffixes = surfaceChannelSuffixes();
    for (std::size_t c = 0; c < suffixes.size(); ++c)
      setChannel(s.name + suffixes[c].first, *values[c], suffixes[c].second, "--surface");
    result.surfaces.push_back({s.name, s.mesh.triangleCount()});
  }

  // A,B[:name] items arrive split at the comma (a list option): taken two by two.
  if (job.intersections.size() % 2 != 0)
    throw UsageError("--intersection: expected A,B[:name] (pairs of surface names), got " +
                     std::to_string(job.intersections.size()) + " names");
  for (std::size_t pairIndex = 0; pairIndex < job.intersections.size(); pairIndex += 2) {
    const std::string& a = job.intersections[pairIndex];
    std::string b, name;
    splitName(job.intersections[pairIndex + 1], b, name);
    const std::string item = a + "," + job.intersections[pairIndex + 1];
    if (a.empty() || b.empty())
      throw UsageError("--intersection '" + item + "': expected A,B[:name]");
    const NamedSurface* sa = nullptr;
    const NamedSurface* sb = nullptr;
    for (const auto& s : surfaces) {
      if (s.name == a) sa = &s;
      if (s.name == b) sb = &s;
    }
    for (const auto& [label, found] : {std::pair{a, sa}, std::pair{b, sb}})
      if (!found) {
        std::string known;
        for (const auto& s : surfaces) known += (known.empty() ? "" : ", ") + s.name;
        throw UsageError("--intersection '" + item + "': no surface named '" + label +
                         "' (surfaces: " + (known.empty() ? "none" : known) + ")");
      }
    const std::vector<Segment3> line = meshIntersection(sa->mesh, sb->mesh);
    if (line.empty())
      throw DataError(
          "--intersection '" + item + "': surfaces '" + a + "' and '" + b + "' do not cross",
          SourceLocation{});
    if (name.empty()) name = a + "_" + b;
    setChannel(name + "_line_distance", segmentDistanceField(line, out.spec()), "m",
               "--intersection");
    result.lines.push_back({name, line.size()});
  }

  if (!job.topography.empty()) {
    std::vector<std::uint8_t> active;
    std::vector<float> depth;
    if (isMeshFile(job.topography)) {
      depth = depthBelowSurface(readMesh(job.topography), out.spec(), active);
    } else {
      const Raster dem = readRaster(job.topography);
      depth = depthBelowSurface(dem, 0, out.spec(), active);
    }
    for (auto a : active) result.topographyVoxels += a;
    if (result.topographyVoxels == 0)
      throw DataError("--topography: the surface does not cover any voxel column of the box",
                      SourceLocation{job.topography, 0, 0, {}, {}});
    setChannel("depth", depth, "m", "--topography", &active);
  }

  out.write(job.out);
  return result;
}

nlohmann::json ModelFeaturesResult::toJson() const {
  nlohmann::json j;
  j["grid"] = {
      {"voxels", {spec.nx, spec.ny, spec.nz}}, {"origin", spec.origin}, {"spacing", spec.spacing}};
  for (const auto& [name, units] : channels)
    j["channels"].push_back({{"name", name}, {"units", units}});
  for (const auto& [name, triangles] : surfaces)
    j["surfaces"].push_back({{"name", name}, {"triangles", triangles}});
  for (const auto& [name, segments] : lines)
    j["lines"].push_back({{"name", name}, {"segments", segments}});
  if (topographyVoxels > 0) j["topography_voxels"] = topographyVoxels;
  return j;
}

}  // namespace orevox
