#include "orevox/datasets/vector_io.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>

#include "gdal_support.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"

namespace fs = std::filesystem;

namespace orevox {
namespace {

struct DatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(GDALDataset::ToHandle(ds)); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

/// OGR driver for a file name, by extension.
const char* driverFor(const std::string& path) {
  const std::string ext = detail::lowerExtension(path);
  if (ext == ".geojson" || ext == ".json") return "GeoJSON";
  if (ext == ".gpkg") return "GPKG";
  if (ext == ".shp") return "ESRI Shapefile";
  throw UsageError("unsupported vector file extension '" + ext + "' in '" + path +
                   "' (use .geojson, .json, .gpkg or .shp)");
}

/// An open vector file and the chosen layer.
struct VectorInput {
  DatasetPtr ds;
  OGRLayer* layer = nullptr;
};

VectorInput openLayer(const std::string& path, const std::string& layerName) {
  const char* driver = driverFor(path);
  detail::requireReadableFile(path);
  const char* allowed[] = {driver, nullptr};
  VectorInput in;
  in.ds.reset(GDALDataset::FromHandle(
      GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, allowed, nullptr, nullptr)));
  const SourceLocation where{path, 0, 0, {}, {}};
  if (!in.ds)
    throw IoError("cannot open vector file: " +
                      detail::gdalMessage("not a readable " + std::string(driver) + " file"),
                  where);
  if (in.ds->GetLayerCount() == 0) throw DataError("file has no layers", where);
  if (layerName.empty()) {
    in.layer = in.ds->GetLayer(0);
  } else {
    in.layer = in.ds->GetLayerByName(layerName.c_str());
    if (in.layer == nullptr) {
      std::string names;
      for (int i = 0; i < in.ds->GetLayerCount(); ++i)
        names += (i ? ", " : "") + std::string(in.ds->GetLayer(i)->GetName());
      throw DataError("no layer '" + layerName + "' (layers: " + names + ")", where);
    }
  }
  in.layer->ResetReading();
  return in;
}

std::string layerCrs(const VectorInput& in, const std::string& path) {
  return detail::vectorLayerCrs(*in.ds, *in.layer, path);
}

DataError wrongGeometry(const std::string& path, long feature, const OGRGeometry& geom,
                        const std::string& expected) {
  return DataError("feature " + std::to_string(feature) + ": geometry is " +
                       OGRGeometryTypeToName(geom.getGeometryType()) + ", expected " + expected,
                   SourceLocation{path, 0, 0, {}, {}});
}

void checkReadErrors(const std::string& path) {
  if (detail::gdalFailed())
    throw IoError("cannot read features: " + detail::gdalMessage("read failed"),
                  SourceLocation{path, 0, 0, {}, {}});
}

std::string stringField(const OGRFeature& feature, int index) {
  if (index < 0 || !feature.IsFieldSetAndNotNull(index)) return {};
  return feature.GetFieldAsString(index);
}

bool isNumericField(OGRFieldType type) {
  return type == OFTInteger || type == OFTInteger64 || type == OFTReal;
}

std::vector<Eigen::Vector2d> ringPoints(const OGRSimpleCurve& ring) {
  std::vector<Eigen::Vector2d> pts;
  const int n = ring.getNumPoints();
  pts.reserve(std::size_t(std::max(n, 0)));
  for (int i = 0; i < n; ++i) pts.emplace_back(ring.getX(i), ring.getY(i));
  if (pts.size() > 1 && pts.front() == pts.back()) pts.pop_back();
  return pts;
}

/// Every vertex of a trace, a closing one included (a closed fault loop keeps its last segment).
std::vector<Eigen::Vector2d> linePoints(const OGRSimpleCurve& line) {
  std::vector<Eigen::Vector2d> pts;
  for (int i = 0; i < line.getNumPoints(); ++i) pts.emplace_back(line.getX(i), line.getY(i));
  return pts;
}

Polygon toPolygon(const OGRPolygon& poly) {
  Polygon out;
  if (poly.getExteriorRing() == nullptr) return out;
  out.rings.push_back(ringPoints(*poly.getExteriorRing()));
  for (int i = 0; i < poly.getNumInteriorRings(); ++i)
    out.rings.push_back(ringPoints(*poly.getInteriorRing(i)));
  return out;
}

/// A triangulated surface from a (Multi)Polygon Z of triangles; shared vertices merged.
TriangleSurface toSurface(const OGRGeometry& geom, const std::string& path, long feature) {
  TriangleSurface surface;
  std::map<std::array<double, 3>, int> index;
  auto addTriangle = [&](const OGRPolygon& tri) {
    const OGRLinearRing* ring = tri.getExteriorRing();
    if (ring == nullptr || ring->getNumPoints() != 4 || tri.getNumInteriorRings() != 0) {
      throw DataError(
          "feature " + std::to_string(feature) + ": a fault surface part is not a triangle",
          SourceLocation{path, 0, 0, {}, {}});
    }
    std::array<int, 3> t{};
    for (int v = 0; v < 3; ++v) {
      const std::array<double, 3> key{ring->getX(v), ring->getY(v), ring->getZ(v)};
      auto it = index.find(key);
      if (it == index.end()) {
        it = index.emplace(key, int(surface.vertices.size())).first;
        surface.vertices.emplace_back(key[0], key[1], key[2]);
      }
      t[std::size_t(v)] = it->second;
    }
    surface.triangles.push_back(t);
  };
  const OGRwkbGeometryType type = wkbFlatten(geom.getGeometryType());
  if (type == wkbPolygon || type == wkbTriangle) {
    addTriangle(*geom.toPolygon());
  } else {
    for (const OGRGeometry* part : *geom.toGeometryCollection()) {
      const OGRwkbGeometryType pt = wkbFlatten(part->getGeometryType());
      if (pt != wkbPolygon && pt != wkbTriangle)
        throw wrongGeometry(path, feature, *part, "triangles of a fault surface");
      addTriangle(*part->toPolygon());
    }
  }
  return surface;
}

/// Creates the output dataset and one layer, at a temporary name; commit() moves it into
/// place. For a shapefile the temporary name is a folder holding stem.shp and its sidecars.
class VectorOutput {
 public:
  VectorOutput(const std::string& path, OGRwkbGeometryType geomType, const std::string& crsWkt)
      : path_(path) {
    const char* driverName = driverFor(path);
    shapefile_ = std::string(driverName) == "ESRI Shapefile";
    const fs::path target(path);
    fs::path dir = target.parent_path();
    if (dir.empty()) dir = ".";
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
      throw IoError("output folder does not exist", SourceLocation{dir.string(), 0, 0, {}, {}});
    if (fs::is_directory(target, ec))
      throw IoError("output path is a folder, expected a file", SourceLocation{path, 0, 0, {}, {}});
    if (shapefile_) {
      const fs::path folder =
          dir / ("." + target.stem().string() + ".tmp" + std::to_string(::getpid()) + ".d");
      fs::remove_all(folder, ec);
      if (!fs::create_directory(folder, ec)) {
        throw IoError("cannot create a temporary folder: " + ec.message(),
                      SourceLocation{folder.string(), 0, 0, {}, {}});
      }
      tempDir_.path = folder;
      tempPath_ = (folder / target.filename()).string();
    } else {
      atomic_ = std::make_unique<AtomicOutput>(path);
      tempPath_ = atomic_->tempPath();
    }
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driverName);
    if (driver == nullptr)
      throw IoError(std::string("GDAL has no ") + driverName + " driver", where());
    if (std::string(driverName) == "GPKG") fixedDate_.set();
    ds_.reset(driver->Create(tempPath_.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds_)
      throw IoError("cannot create vector file: " + detail::gdalMessage("GDAL refused"), where());
    OGRSpatialReference srs;
    const bool hasCrs = !crsWkt.empty();
    if (hasCrs && !detail::parseCrs(crsWkt, srs)) {
      throw DataError("CRS is not valid WKT: " + detail::gdalMessage("unparsable"), where());
    }
    layer_ = ds_->CreateLayer(target.stem().string().c_str(), hasCrs ? &srs : nullptr, geomType,
                              nullptr);
    if (layer_ == nullptr)
      throw IoError("cannot create layer: " + detail::gdalMessage("GDAL refused"), where());
    // GeoPackage writes one SQLite transaction per feature otherwise.
    if (std::string(driverName) == "GPKG") transaction_ = ds_->StartTransaction() == OGRERR_NONE;
  }

  VectorOutput(const VectorOutput&) = delete;
  VectorOutput& operator=(const VectorOutput&) = delete;

  OGRLayer& layer() { return *layer_; }
  SourceLocation where() const { return SourceLocation{path_, 0, 0, {}, {}}; }

  void addField(const std::string& name, OGRFieldType type) {
    OGRFieldDefn defn(name.c_str(), type);
    if (layer_->CreateField(&defn) != OGRERR_NONE) {
      throw IoError(
          "cannot create attribute '" + name + "': " + detail::gdalMessage("GDAL refused"),
          where());
    }
  }

  void write(OGRFeature& feature, long number) {
    if (layer_->CreateFeature(&feature) != OGRERR_NONE) {
      throw IoError("cannot write feature " + std::to_string(number) + ": " +
                        detail::gdalMessage("GDAL refused"),
                    where());
    }
  }

  void commit() {
    if (transaction_ && ds_->CommitTransaction() != OGRERR_NONE) {
      throw IoError("cannot commit: " + detail::gdalMessage("GDAL refused"), where());
    }
    CPLErrorReset();
    ds_.reset();  // closing flushes: errors surface here
    if (detail::gdalFailed())
      throw IoError("cannot write: " + detail::gdalMessage("flush failed"), where());
    if (atomic_) {
      atomic_->commit();
      return;
    }
    const fs::path target(path_);
    const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    const std::string stem = target.stem().string();
    std::error_code ec;
    std::vector<fs::path> produced;
    for (const auto& entry : fs::directory_iterator(tempDir_.path, ec))
      produced.push_back(entry.path().filename());
    for (int pass = 0; pass < 2; ++pass) {  // sidecars first, the .shp last
      for (const auto& name : produced) {
        const bool isShp = detail::lowerExtension(name.string()) == ".shp";
        if (isShp != (pass == 1)) continue;
        fs::rename(tempDir_.path / name, dir / name, ec);
        if (ec)
          throw IoError("cannot rename into place: " + ec.message(),
                        SourceLocation{(dir / name).string(), 0, 0, {}, {}});
      }
    }
    // Sidecars of an older shapefile that the new one lacks would describe the wrong data
    // (a .prj for a file without CRS, stale spatial indexes).
    for (const char* ext : {".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".qpj"}) {
      const fs::path old = dir / (stem + ext);
      bool kept = false;
      for (const auto& p : produced) kept = kept || p == old.filename();
      if (!kept) fs::remove(old, ec);
    }
  }

 private:
  /// Removes a shapefile's temporary folder (after its files were moved out, or not).
  struct TempFolder {
    fs::path path;
    TempFolder() = default;
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;
    ~TempFolder() {
      std::error_code ec;
      if (!path.empty()) fs::remove_all(path, ec);
    }
  };

  /// GeoPackage stamps gpkg_contents.last_change with the time of writing, so the same
  /// zones gave different bytes at every run. While a GeoPackage is written, GDAL's
  /// OGR_CURRENT_DATE is set (on this thread) to SOURCE_DATE_EPOCH when the environment
  /// has it (the reproducible-builds convention), else to 1970-01-01T00:00:00Z; a user's
  /// own OGR_CURRENT_DATE is kept.
  struct FixedDate {
    bool active = false;
    void set() {
      if (CPLGetConfigOption("OGR_CURRENT_DATE", nullptr) != nullptr) return;
      std::string date = "1970-01-01T00:00:00.000Z";
      if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) {
        char* end = nullptr;
        const long long seconds = std::strtoll(epoch, &end, 10);
        std::tm tm{};
        const std::time_t t = std::time_t(seconds);
        if (end != epoch && *end == '\0' && seconds >= 0 && ::gmtime_r(&t, &tm) != nullptr) {
          char buffer[32];
          std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
          date = buffer;
        }
      }
      CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", date.c_str());
      active = true;
    }
    FixedDate() = default;
    FixedDate(const FixedDate&) = delete;
    FixedDate& operator=(const FixedDate&) = delete;
    ~FixedDate() {
      if (active) CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", nullptr);
    }
  };

  // Members are destroyed in reverse order: the dataset is closed before its temporary
  // file or folder is removed, also when the constructor throws half-way.
  FixedDate fixedDate_;  // outlives the dataset: GDAL stamps the date when it closes
  std::string path_;
  std::string tempPath_;
  bool shapefile_ = false;
  bool transaction_ = false;
  TempFolder tempDir_;
  std::unique_ptr<AtomicOutput> atomic_;
  DatasetPtr ds_;
  OGRLayer* layer_ = nullptr;
};

OGRLinearRing toRing(const std::vector<Eigen::Vector2d>& pts) {
  OGRLinearRing ring;
  for (const auto& p : pts) ring.addPoint(p.x(), p.y());
  ring.closeRings();
  return ring;
}

void setReal(OGRFeature& feature, int field, double value) {
  if (std::isnan(value)) {
    feature.SetFieldNull(field);
  } else {
    feature.SetField(field, value);
  }
}

}  // namespace

FaultNetwork readLines(const std::string& path, const std::string& layerName) {
  detail::GdalErrorScope quiet;
  VectorInput in = openLayer(path, layerName);
  FaultNetwork faults;
  faults.crsWkt = layerCrs(in, path);
  OGRFeatureDefn* defn = in.layer->GetLayerDefn();
  const int nameField = defn->GetFieldIndex("name");
  const int kindField = defn->GetFieldIndex("kind");
  long number = 0;
  for (auto& feature : *in.layer) {
    ++number;
    const OGRGeometry* geom = feature->GetGeometryRef();
    if (geom == nullptr || geom->IsEmpty()) continue;
    const std::string name = stringField(*feature, nameField);
    const OGRwkbGeometryType type = wkbFlatten(geom->getGeometryType());
    if (type == wkbLineString) {
      Polyline line{linePoints(*geom->toLineString()), name};
      faults.lines.push_back(std::move(line));
    } else if (type == wkbMultiLineString) {
      for (const OGRLineString* part : *geom->toMultiLineString()) {
        faults.lines.push_back(Polyline{linePoints(*part), name});
      }
    } else if ((type == wkbPolygon || type == wkbMultiPolygon || type == wkbTriangle ||
                type == wkbTIN || type == wkbPolyhedralSurface) &&
               stringField(*feature, kindField) == "surface") {
      TriangleSurface surface = toSurface(*geom, path, number);
      surface.name = name;
      faults.surfaces.push_back(std::move(surface));
    } else {
      throw wrongGeometry(path, number, *geom, "LineString or MultiLineString");
    }
  }
  checkReadErrors(path);
  return faults;
}

PolygonSet readPolygons(const std::string& path, const std::string& layerName,
                        const std::string& valueField, std::string* crsWkt) {
  detail::GdalErrorScope quiet;
  VectorInput in = openLayer(path, layerName);
  if (crsWkt != nullptr) *crsWkt = layerCrs(in, path);
  OGRFeatureDefn* defn = in.layer->GetLayerDefn();
  const int nameField = defn->GetFieldIndex("name");
  int valueIndex = -1;
  if (!valueField.empty()) {
    valueIndex = defn->GetFieldIndex(valueField.c_str());
    if (valueIndex < 0) {
      std::string names;
      for (int i = 0; i < defn->GetFieldCount(); ++i)
        names += (i ? ", " : "") + std::string(defn->GetFieldDefn(i)->GetNameRef());
      throw DataError("no attribute '" + valueField +
                          "' (attributes: " + (names.empty() ? "none" : names) + ")",
                      SourceLocation{path, 0, 0, {}, {}});
    }
    if (!isNumericField(defn->GetFieldDefn(valueIndex)->GetType())) {
      throw DataError("attribute '" + valueField + "' is not numeric",
                      SourceLocation{path, 0, 0, {}, {}});
    }
  }
  PolygonSet polygons;
  long number = 0;
  for (auto& feature : *in.layer) {
    ++number;
    const OGRGeometry* geom = feature->GetGeometryRef();
    if (geom == nullptr || geom->IsEmpty()) continue;
    const std::string name = stringField(*feature, nameField);
    double value = 0.0;
    if (valueIndex >= 0) {
      value = feature->IsFieldSetAndNotNull(valueIndex) ? feature->GetFieldAsDouble(valueIndex)
                                                        : std::numeric_limits<double>::quiet_NaN();
    }
    const OGRwkbGeometryType type = wkbFlatten(geom->getGeometryType());
    auto add = [&](const OGRPolygon& poly) {
      Polygon p = toPolygon(poly);
      p.name = name;
      p.value = value;
      polygons.push_back(std::move(p));
    };
    if (type == wkbPolygon) {
      add(*geom->toPolygon());
    } else if (type == wkbMultiPolygon) {
      for (const OGRPolygon* part : *geom->toMultiPolygon()) add(*part);
    } else {
      throw wrongGeometry(path, number, *geom, "Polygon or MultiPolygon");
    }
  }
  checkReadErrors(path);
  return polygons;
}

SampleTable readPoints(const std::string& path, const std::string& layerName) {
  detail::GdalErrorScope quiet;
  VectorInput in = openLayer(path, layerName);
  SampleTable table;
  table.source = path;
  table.crsWkt = layerCrs(in, path);
  const bool is3D = wkbHasZ(in.layer->GetGeomType()) != 0;
  OGRFeatureDefn* defn = in.layer->GetLayerDefn();
  int idField = -1, labelField = -1;
  std::vector<std::pair<int, std::size_t>> numeric;  // field index -> column index
  for (int i = 0; i < defn->GetFieldCount(); ++i) {
    const OGRFieldDefn* field = defn->GetFieldDefn(i);
    const std::string name = field->GetNameRef();
    if (EQUAL(name.c_str(), "id")) {
      idField = i;
    } else if (EQUAL(name.c_str(), "label") &&
               (field->GetType() == OFTInteger || field->GetType() == OFTInteger64)) {
      labelField = i;
    } else if (isNumericField(field->GetType()) && table.columnIndex(name) < 0) {
      numeric.emplace_back(i, table.columns.size());
      table.addColumn(name);
    }
  }
  if (labelField >= 0) table.labelName = "label";
  long number = 0;
  for (auto& feature : *in.layer) {
    ++number;
    const OGRGeometry* geom = feature->GetGeometryRef();
    if (geom == nullptr || geom->IsEmpty()) continue;
    if (wkbFlatten(geom->getGeometryType()) != wkbPoint)
      throw wrongGeometry(path, number, *geom, "Point");
    const OGRPoint* point = geom->toPoint();
    if (is3D) {
      table.addPoint(point->getX(), point->getY(), point->getZ());
    } else {
      table.addPoint(point->getX(), point->getY());
    }
    const std::size_t row = table.size() - 1;
    for (const auto& [field, column] : numeric) {
      table.columns[column].values[row] = feature->IsFieldSetAndNotNull(field)
                                              ? feature->GetFieldAsDouble(field)
                                              : std::numeric_limits<double>::quiet_NaN();
    }
    if (idField >= 0) table.ids.push_back(stringField(*feature, idField));
    if (labelField >= 0) {
      if (!feature->IsFieldSetAndNotNull(labelField)) {
        throw DataError("feature " + std::to_string(number) + ": label is empty",
                        SourceLocation{path, 0, 0, "label", {}});
      }
      table.labels.push_back(feature->GetFieldAsInteger(labelField));
    }
  }
  checkReadErrors(path);
  return table;
}

void writeLines(const FaultNetwork& faults, const std::string& path) {
  detail::GdalErrorScope quiet;
  const bool withSurfaces = !faults.surfaces.empty();
  if (withSurfaces && std::string(driverFor(path)) == "ESRI Shapefile") {
    throw UsageError("a shapefile cannot hold 3D fault surfaces with the traces; write '" + path +
                     "' as .geojson or .gpkg");
  }
  VectorOutput out(path, withSurfaces ? wkbUnknown : wkbLineString, faults.crsWkt);
  out.addField("name", OFTString);
  if (withSurfaces) out.addField("kind", OFTString);
  long number = 0;
  for (const Polyline& line : faults.lines) {
    ++number;
    if (line.points.size() < 2) {
      throw DataError("fault trace " + std::to_string(number) + " has fewer than 2 points",
                      out.where());
    }
    OGRFeature feature(out.layer().GetLayerDefn());
    feature.SetField(0, line.name.c_str());
    if (withSurfaces) feature.SetField(1, "trace");
    auto* geom = new OGRLineString();
    for (const auto& p : line.points) geom->addPoint(p.x(), p.y());
    feature.SetGeometryDirectly(geom);
    out.write(feature, number);
  }
  for (const TriangleSurface& surface : faults.surfaces) {
    ++number;
    OGRFeature feature(out.layer().GetLayerDefn());
    feature.SetField(0, surface.name.c_str());
    feature.SetField(1, "surface");
    auto geom = std::make_unique<OGRMultiPolygon>();
    for (const auto& tri : surface.triangles) {
      OGRLinearRing ring;
      for (int v : {tri[0], tri[1], tri[2], tri[0]}) {
        if (v < 0 || std::size_t(v) >= surface.vertices.size()) {
          throw DataError("fault surface '" + surface.name + "' has a triangle with vertex index " +
                              std::to_string(v) + " out of range",
                          out.where());
        }
        const auto& p = surface.vertices[std::size_t(v)];
        ring.addPoint(p.x(), p.y(), p.z());
      }
      OGRPolygon poly;
      poly.addRing(&ring);
      geom->addGeometry(&poly);
    }
    feature.SetGeometryDirectly(geom.release());
    out.write(feature, number);
  }
  out.commit();
}

void writePolygons(const PolygonSet& polygons, const std::string& path,
                   const std::vector<std::pair<std::string, std::vector<double>>>& attributes,
                   const std::string& crsWkt,
                   const std::vector<std::pair<std::string, std::vector<std::string>>>& textAttributes) {
  auto checkSize = [&](const std::string& name, std::size_t size) {
    if (size != polygons.size()) {
      throw UsageError("attribute '" + name + "' has " + std::to_string(size) + " values for " +
                       std::to_string(polygons.size()) + " polygons");
    }
  };
  for (const auto& [name, values] : attributes) checkSize(name, values.size());
  for (const auto& [name, values] : textAttributes) checkSize(name, values.size());
  detail::GdalErrorScope quiet;
  VectorOutput out(path, wkbPolygon, crsWkt);
  out.addField("name", OFTString);
  out.addField("value", OFTReal);
  for (const auto& attribute : attributes) out.addField(attribute.first, OFTReal);
  for (const auto& attribute : textAttributes) out.addField(attribute.first, OFTString);
  long number = 0;
  for (std::size_t i = 0; i < polygons.size(); ++i) {
    ++number;
    const Polygon& polygon = polygons[i];
    if (polygon.rings.empty() || polygon.rings[0].size() < 3) {
      throw DataError(
          "polygon " + std::to_string(number) + " has no outer ring of 3 or more vertices",
          out.where());
    }
    OGRFeature feature(out.layer().GetLayerDefn());
    feature.SetField(0, polygon.name.c_str());
    setReal(feature, 1, polygon.value);
    for (std::size_t a = 0; a < attributes.size(); ++a)
      setReal(feature, int(a) + 2, attributes[a].second[i]);
    for (std::size_t a = 0; a < textAttributes.size(); ++a)
      feature.SetField(int(attributes.size() + a) + 2, textAttributes[a].second[i].c_str());
    auto* geom = new OGRPolygon();
    for (const auto& ring : polygon.rings) {
      if (ring.size() < 3) continue;  // a degenerate hole has no area
      OGRLinearRing r = toRing(ring);
      geom->addRing(&r);
    }
    feature.SetGeometryDirectly(geom);
    out.write(feature, number);
  }
  out.commit();
}

void writeLinesZ(const std::vector<std::vector<std::array<double, 3>>>& lines,
                 const std::string& path, const std::vector<VectorAttribute>& attributes,
                 const std::string& crsWkt) {
  for (const auto& a : attributes) {
    const std::size_t size = a.text ? a.texts.size() : a.reals.size();
    if (size != lines.size()) {
      throw UsageError("attribute '" + a.name + "' has " + std::to_string(size) + " values for " +
                       std::to_string(lines.size()) + " lines");
    }
  }
  detail::GdalErrorScope quiet;
  VectorOutput out(path, wkbLineString25D, crsWkt);
  for (const auto& a : attributes) out.addField(a.name, a.text ? OFTString : OFTReal);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const long number = long(i) + 1;
    if (lines[i].size() < 2)
      throw DataError("line " + std::to_string(number) + " has fewer than 2 points", out.where());
    OGRFeature feature(out.layer().GetLayerDefn());
    for (std::size_t a = 0; a < attributes.size(); ++a) {
      if (attributes[a].text) {
        feature.SetField(int(a), attributes[a].texts[i].c_str());
      } else {
        setReal(feature, int(a), attributes[a].reals[i]);
      }
    }
    auto* geom = new OGRLineString();
    for (const auto& p : lines[i]) geom->addPoint(p[0], p[1], p[2]);
    feature.SetGeometryDirectly(geom);
    out.write(feature, number);
  }
  out.commit();
}

void writePoints(const SampleTable& samples, const std::string& path) {
  samples.validate();
  detail::GdalErrorScope quiet;
  VectorOutput out(path, samples.is3D() ? wkbPoint25D : wkbPoint, samples.crsWkt);
  int next = 0;
  int idField = -1, labelField = -1;
  if (!samples.ids.empty()) {
    out.addField("id", OFTString);
    idField = next++;
  }
  if (samples.hasLabels()) {
    out.addField("label", OFTInteger);
    labelField = next++;
  }
  const int firstColumn = next;
  for (const auto& column : samples.columns) out.addField(column.name, OFTReal);
  for (std::size_t row = 0; row < samples.size(); ++row) {
    OGRFeature feature(out.layer().GetLayerDefn());
    if (idField >= 0) feature.SetField(idField, samples.ids[row].c_str());
    if (labelField >= 0) feature.SetField(labelField, samples.labels[row]);
    for (std::size_t c = 0; c < samples.columns.size(); ++c)
      setReal(feature, firstColumn + int(c), samples.columns[c].values[row]);
    feature.SetGeometryDirectly(samples.is3D()
                                    ? new OGRPoint(samples.x[row], samples.y[row], samples.z[row])
                                    : new OGRPoint(samples.x[row], samples.y[row]));
    out.write(feature, long(row) + 1);
  }
  out.commit();
}

}  // namespace orevox
