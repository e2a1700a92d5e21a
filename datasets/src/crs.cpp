#include "orevox/datasets/crs.hpp"

#include <cstdlib>

#include "gdal_support.hpp"
#include "orevox/core/error.hpp"

namespace orevox {

std::string crsFromUserInput(const std::string& text) {
  if (text.empty()) return {};
  detail::GdalErrorScope quiet;
  OGRSpatialReference srs;
  if (!detail::parseCrs(text, srs)) {
    throw UsageError("cannot understand the CRS '" + text +
                     "': " + detail::gdalMessage("not WKT, EPSG:n or PROJ"));
  }
  return detail::wktOf(&srs);
}

int crsEpsg(const std::string& wkt) {
  if (wkt.empty()) return 0;
  detail::GdalErrorScope quiet;
  OGRSpatialReference srs;
  if (!detail::parseCrs(wkt, srs)) return 0;
  // nullptr = the root CRS node, whatever its kind.
  const char* authority = srs.GetAuthorityName(nullptr);
  const char* code = srs.GetAuthorityCode(nullptr);
  if (authority == nullptr || code == nullptr || std::string(authority) != "EPSG") {
    // A CRS given in full (no ID) may still be a known EPSG one.
    if (srs.AutoIdentifyEPSG() != OGRERR_NONE) return 0;
    authority = srs.GetAuthorityName(nullptr);
    code = srs.GetAuthorityCode(nullptr);
    if (authority == nullptr || code == nullptr || std::string(authority) != "EPSG") return 0;
  }
  return std::atoi(code);
}

std::string crsName(const std::string& wkt) {
  if (wkt.empty()) return {};
  detail::GdalErrorScope quiet;
  OGRSpatialReference srs;
  if (!detail::parseCrs(wkt, srs)) return "unparsable CRS";
  const char* name = srs.GetName();
  std::string out = (name != nullptr && *name != '\0') ? name : "unnamed CRS";
  const int epsg = crsEpsg(wkt);
  if (epsg > 0) out += " (EPSG:" + std::to_string(epsg) + ")";
  return out;
}

bool sameCrs(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return a.empty() && b.empty();
  if (a == b) return true;
  detail::GdalErrorScope quiet;
  OGRSpatialReference sa, sb;
  if (!detail::parseCrs(a, sa) || !detail::parseCrs(b, sb)) return false;
  const char* options[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES",
                           "CRITERION=EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS", nullptr};
  return sa.IsSame(&sb, options) != 0;
}

void requireLinearCrs(const std::string& wkt, const std::string& what, const std::string& source) {
  if (wkt.empty()) return;
  detail::GdalErrorScope quiet;
  OGRSpatialReference srs;
  if (!detail::parseCrs(wkt, srs) || !srs.IsGeographic()) return;
  throw DataError(
      what + " need distances in metres, but the CRS " + crsName(wkt) +
          " is geographic (degrees); reproject first, e.g. ogr2ogr -t_srs EPSG:<UTM zone>",
      SourceLocation{source, 0, 0, {}, {}});
}

}  // namespace orevox
