#include "gdal_support.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "orevox/core/error.hpp"

namespace orevox::detail {
namespace {

/// Stops at a top-level "crs" key of a JSON document without building it.
class CrsMemberFinder : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool found = false;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return ++depth_, true; }
  bool end_object() override { return --depth_, true; }
  bool start_array(std::size_t) override { return ++depth_, true; }
  bool end_array() override { return --depth_, true; }
  bool key(string_t& k) override {
    found = depth_ == 1 && k == "crs";
    return !found;  // false ends the parse early
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  int depth_ = 0;
};

}  // namespace

void ensureGdal() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

GdalErrorScope::GdalErrorScope() {
  ensureGdal();
  CPLPushErrorHandler(CPLQuietErrorHandler);
  CPLErrorReset();
}

GdalErrorScope::~GdalErrorScope() { CPLPopErrorHandler(); }

std::string gdalMessage(const std::string& fallback) {
  const char* msg = CPLGetLastErrorMsg();
  std::string text = (msg != nullptr) ? msg : "";
  // One-line messages: GDAL sometimes embeds newlines.
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text.empty() ? fallback : text;
}

bool gdalFailed() {
  const CPLErr type = CPLGetLastErrorType();
  return type == CE_Failure || type == CE_Fatal;
}

std::string wktOf(const OGRSpatialReference* srs) {
  if (srs == nullptr || srs->IsEmpty()) return {};
  char* wkt = nullptr;
  const char* options[] = {"FORMAT=WKT2_2019", "MULTILINE=NO", nullptr};
  if (srs->exportToWkt(&wkt, options) != OGRERR_NONE || wkt == nullptr) {
    CPLFree(wkt);
    return {};
  }
  std::string out(wkt);
  CPLFree(wkt);
  return out;
}

bool parseCrs(const std::string& text, OGRSpatialReference& srs) {
  ensureGdal();
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs.SetFromUserInput(text.c_str()) == OGRERR_NONE;
}

std::string lowerExtension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return ext;
}

void requireReadableFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw IoError("file not found", SourceLocation{path, 0, 0, {}, {}});
  if (std::filesystem::is_directory(path, ec)) {
    throw IoError("expected a file, found a folder", SourceLocation{path, 0, 0, {}, {}});
  }
  std::ifstream probe(path, std::ios::binary);
  if (!probe) throw IoError("cannot open for reading", SourceLocation{path, 0, 0, {}, {}});
}

bool geoJsonHasCrsMember(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  CrsMemberFinder finder;
  nlohmann::json::sax_parse(file, &finder);
  return finder.found;
}

std::string vectorLayerCrs(GDALDataset& ds, OGRLayer& layer, const std::string& path) {
  const OGRSpatialReference* srs = layer.GetSpatialRef();
  const std::string wkt = wktOf(srs);
  if (wkt.empty() || ds.GetDriver() == nullptr) return wkt;
  const std::string driver = ds.GetDriver()->GetDescription();
  if (driver == "GeoJSON") return geoJsonHasCrsMember(path) ? wkt : std::string();
  // GeoPackage stores "no CRS" as srs_id 0 / -1, which GDAL reports as these placeholders.
  const char* name = srs->GetName();
  if (driver == "GPKG" && name != nullptr &&
      (std::string(name) == "Undefined geographic SRS" ||
       std::string(name) == "Undefined Cartesian SRS")) {
    return {};
  }
  return wkt;
}

}  // namespace orevox::detail
