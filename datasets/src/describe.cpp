#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>

#include "gdal_support.hpp"
#include "orevox/datasets/crs.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/datasets/embedded.hpp"
#include "orevox/datasets/mesh_io.hpp"
#include "orevox/datasets/raster_io.hpp"
#include "orevox/datasets/volume_io.hpp"
#include "orevox/core/error.hpp"
#include "orevox/geomodel/mesh.hpp"

namespace orevox {
namespace {

using json = nlohmann::json;

/// min / median / max (and count) of the finite values; nulls when there are none.
json stats(std::vector<double> values) {
  values.erase(
      std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
      values.end());
  json out;
  out["count"] = values.size();
  if (values.empty()) {
    out["min"] = nullptr;
    out["median"] = nullptr;
    out["max"] = nullptr;
    return out;
  }
  // Selection, not a sort: volumes have millions of values.
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  out["min"] = *lo;
  out["max"] = *hi;
  const std::size_t n = values.size();
  const auto mid = values.begin() + std::ptrdiff_t(n / 2);
  std::nth_element(values.begin(), mid, values.end());
  double median = *mid;
  if (n % 2 == 0) median = 0.5 * (median + *std::max_element(values.begin(), mid));
  out["median"] = median;
  return out;
}

json extentJson(const Extent& e) {
  if (!e.initialised && e.empty()) return nullptr;
  return json{{"xmin", e.xmin}, {"ymin", e.ymin}, {"xmax", e.xmax}, {"ymax", e.ymax}};
}

json describeSamples(const SampleTable& table) {
  json out;
  out["rows"] = table.size();
  out["dimensions"] = table.is3D() ? 3 : 2;
  if (table.size() > 0) out["extent"] = extentJson(table.extent());
  if (table.is3D()) out["z"] = stats(table.z);
  json columns = json::array();
  for (const auto& column : table.columns) {
    json c = stats(column.values);
    c["name"] = column.name;
    c["units"] = column.units;
    std::size_t censored = 0;
    for (auto f : column.censored) censored += f != 0;
    c["censored"] = censored;
    if (column.detectionLimit > 0.0) c["detection_limit"] = column.detectionLimit;
    columns.push_back(c);
  }
  out["columns"] = columns;
  if (table.hasLabels()) {
    json labels = json::object();
    for (int label : table.labels) {
      const std::string key = std::to_string(label);
      labels[key] = labels.value(key, 0) + 1;
    }
    out["labels"] = labels;
    out["label_name"] = table.labelName;
  }
  return out;
}

json describeRaster(const Raster& raster) {
  const GridSpec& grid = raster.grid();
  json out;
  out["width"] = grid.width;
  out["height"] = grid.height;
  out["cell"] = json{{"x", grid.cellWidth()}, {"y", grid.cellHeight()}};
  out["extent"] = extentJson(grid.extent());
  out["crs"] = crsName(grid.crsWkt);
  json bands = json::array();
  for (const Band& band : raster.bands()) {
    std::vector<double> valid;
    valid.reserve(band.values.size());
    for (float v : band.values)
      if (!raster.isNodata(v)) valid.push_back(double(v));
    const double nodataShare =
        band.values.empty() ? 0.0 : 1.0 - double(valid.size()) / double(band.values.size());
    double sum = 0.0;
    for (double v : valid) sum += v;
    json b = stats(valid);
    b["name"] = band.name;
    b["units"] = band.units;
    b["mean"] = valid.empty() ? json(nullptr) : json(sum / double(valid.size()));
    b["nodata_share"] = nodataShare;
    bands.push_back(b);
  }
  out["bands"] = bands;
  return out;
}

json describeVolume(const VoxelModel& model) {
  const VolumeSpec& spec = model.spec();
  json out;
  out["size"] = {spec.nx, spec.ny, spec.nz};
  out["voxel"] = {spec.spacing[0], spec.spacing[1], spec.spacing[2]};
  out["box"] = json{{"min", {spec.origin[0], spec.origin[1], spec.origin[2]}},
                    {"max",
                     {spec.origin[0] + double(spec.nx) * spec.spacing[0],
                      spec.origin[1] + double(spec.ny) * spec.spacing[1],
                      spec.origin[2] + double(spec.nz) * spec.spacing[2]}}};
  out["crs"] = crsName(spec.crsWkt);
  json channels = json::array();
  for (const auto& name : model.channelNames()) {
    const std::vector<float> values = model.denseChannel(name);
    const std::vector<std::uint8_t> active = model.activeMask(name);
    std::vector<double> activeValues;
    for (std::size_t i = 0; i < values.size(); ++i)
      if (active[i]) activeValues.push_back(double(values[i]));
    json c = stats(activeValues);
    c["name"] = name;
    c["units"] = model.units(name);
    c["active_voxels"] = model.activeVoxelCount(name);
    channels.push_back(c);
  }
  out["channels"] = channels;
  return out;
}

json describeMeshProperties(const std::vector<MeshProperty>& properties) {
  json out = json::array();
  for (const MeshProperty& p : properties) {
    json d = stats(p.values);
    d["name"] = p.name;
    d["components"] = p.components;
    out.push_back(d);
  }
  return out;
}

/// A mesh file: size, topology (closed, manifold, oriented), bounds, area, volume,
/// properties, CRS.
json describeMesh(const TriangleMesh& mesh, const std::string& path) {
  const MeshCheck check = checkMesh(mesh);
  json out;
  MeshFormat format = MeshFormat::Obj;
  meshFormatOf(path, format);
  out["format"] = nameOf(meshFormatNames(), format);
  out["name"] = mesh.name;
  out["vertices"] = check.vertices;
  out["triangles"] = check.triangles;
  out["closed"] = check.closed();
  out["watertight"] = check.watertight();
  out["manifold"] = check.manifold();
  out["oriented"] = check.oriented();
  out["boundary_edges"] = check.boundaryEdges;
  out["non_manifold_edges"] = check.nonManifoldEdges;
  out["non_manifold_vertices"] = check.nonManifoldVertices;
  out["inconsistent_edges"] = check.inconsistentEdges;
  out["degenerate_triangles"] = check.degenerateTriangles;
  out["components"] = check.components;
  out["area"] = check.area;
  out["volume"] = check.watertight() ? json(check.volume) : json(nullptr);
  const MeshBounds b = mesh.bounds();
  if (!b.empty)
    out["bounds"] = json{{"min", {b.min.x(), b.min.y(), b.min.z()}}, {"max", {b.max.x(), b.max.y(), b.max.z()}}};
  out["crs"] = crsName(mesh.crsWkt);
  out["vertex_properties"] = describeMeshProperties(mesh.vertexProperties);
  out["face_properties"] = describeMeshProperties(mesh.faceProperties);
  return out;
}

json describeFaults(const FaultNetwork& faults) {
  json out;
  out["traces"] = faults.lines.size();
  out["segments"] = faults.segmentCount();
  out["length_m"] = faults.totalLength();
  out["surfaces"] = faults.surfaces.size();
  if (!faults.lines.empty()) out["extent"] = extentJson(faults.extent());
  return out;
}

json describePolygons(const PolygonSet& polygons) {
  double area = 0.0;
  std::size_t holes = 0;
  Extent extent;
  for (const auto& p : polygons) {
    area += p.area();
    holes += p.rings.empty() ? 0 : p.rings.size() - 1;
    const Extent e = p.extent();
    if (!e.empty()) {
      extent.expand(e.xmin, e.ymin);
      extent.expand(e.xmax, e.ymax);
    }
  }
  json out;
  out["polygons"] = polygons.size();
  out["holes"] = holes;
  out["area_m2"] = area;
  out["extent"] = extentJson(extent);
  return out;
}

json describeVectorFile(const std::string& path) {
  detail::requireReadableFile(path);
  detail::GdalErrorScope quiet;
  struct Closer {
    void operator()(GDALDataset* ds) const { GDALClose(GDALDataset::ToHandle(ds)); }
  };
  std::unique_ptr<GDALDataset, Closer> ds(GDALDataset::FromHandle(
      GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
  if (!ds)
    throw IoError("cannot open vector file: " + detail::gdalMessage("not readable"),
                  SourceLocation{path, 0, 0, {}, {}});
  json out;
  out["kind"] = "vector";
  out["driver"] = ds->GetDriver() ? ds->GetDriver()->GetDescription() : "";
  json layers = json::array();
  for (int i = 0; i < ds->GetLayerCount(); ++i) {
    OGRLayer* layer = ds->GetLayer(i);
    json l;
    l["name"] = layer->GetName();
    l["features"] = layer->GetFeatureCount(TRUE);
    l["crs"] = crsName(detail::vectorLayerCrs(*ds, *layer, path));
    json types = json::object();
    layer->ResetReading();
    for (auto& feature : *layer) {
      const OGRGeometry* geom = feature->GetGeometryRef();
      const std::string type = geom ? OGRGeometryTypeToName(geom->getGeometryType()) : "None";
      types[type] = types.value(type, 0) + 1;
    }
    l["geometry_types"] = types;
    OGREnvelope env;
    if (layer->GetExtent(&env, TRUE) == OGRERR_NONE) {
      l["extent"] =
          json{{"xmin", env.MinX}, {"ymin", env.MinY}, {"xmax", env.MaxX}, {"ymax", env.MaxY}};
    }
    json fields = json::array();
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (int f = 0; f < defn->GetFieldCount(); ++f) {
      fields.push_back(
          json{{"name", defn->GetFieldDefn(f)->GetNameRef()},
               {"type", OGRFieldDefn::GetFieldTypeName(defn->GetFieldDefn(f)->GetType())}});
    }
    l["attributes"] = fields;
    layers.push_back(l);
  }
  out["layers"] = layers;
  return out;
}

}  // namespace

nlohmann::json describeDataset(const Dataset& dataset) {
  json out;
  out["name"] = dataset.name;
  out["description"] = dataset.description;
  out["crs"] = crsName(dataset.crsWkt);
  const std::size_t eol = dataset.provenance.find('\n');
  out["provenance"] = dataset.provenance.substr(0, eol);
  // Real datasets have no seed; a synthetic one may legitimately use seed 0.
  if (dataset.name.rfind("synth", 0) == 0) out["seed"] = dataset.seed;
  if (dataset.samples.size() > 0) out["samples"] = describeSamples(dataset.samples);
  if (dataset.deposits.size() > 0) out["deposits"] = describeSamples(dataset.deposits);
  if (!dataset.faults.lines.empty() || !dataset.faults.surfaces.empty())
    out["faults"] = describeFaults(dataset.faults);
  if (!dataset.polygons.empty()) {
    json polygons = json::object();
    for (const auto& [name, set] : dataset.polygons) polygons[name] = describePolygons(set);
    out["polygons"] = polygons;
  }
  if (dataset.grid.bandCount() > 0) out["grid"] = describeRaster(dataset.grid);
  if (!dataset.volumes.empty()) {
    json volumes = json::object();
    for (const auto& [name, model] : dataset.volumes) volumes[name] = describeVolume(model);
    out["volumes"] = volumes;
  }
  return out;
}

nlohmann::json describeFile(const std::string& path) {
  const std::string ext = detail::lowerExtension(path);
  json out;
  if (ext == ".geojson" || ext == ".json" || ext == ".gpkg" || ext == ".shp") {
    out = describeVectorFile(path);
  } else if (ext == ".vdb" || ext == ".vti" || ext == ".vo") {
    out = describeVolume(readVolume(path));
    out["kind"] = "volume";
  } else if (isMeshFile(path)) {
    out = describeMesh(readMesh(path), path);
    out["kind"] = "mesh";
  } else if (ext == ".csv" || ext == ".txt" || ext == ".tsv") {
    SampleTable table;
    CsvOptions options;
    options.zColumn = "z";
    options.allowNegative = true;  // a summary, not a validation
    try {
      table = readSamplesCsv(path, options);
    } catch (const DataError& e) {
      if (e.where().field != "z") throw;
      options.zColumn.clear();  // 2D samples
      table = readSamplesCsv(path, options);
    }
    out = describeSamples(table);
    out["kind"] = "samples";
  } else {
    out = describeRaster(readRaster(path));
    out["kind"] = "raster";
  }
  out["path"] = path;
  return out;
}

}  // namespace orevox
