#pragma once
/// \file crs.hpp
/// Coordinate reference systems as WKT text, the form every orevox type carries
/// (GridSpec::crsWkt, SampleTable::crsWkt, ...). GDAL/PROJ does the parsing here so that
/// other modules never need it.

#include <string>

namespace orevox {

/// WKT (single-line WKT2:2019) of a CRS given as "EPSG:28992", WKT1/WKT2 or a PROJ
/// string; "" for "". UsageError naming the text when GDAL/PROJ cannot understand it.
std::string crsFromUserInput(const std::string& text);

/// Short human-readable name, e.g. "Amersfoort / RD New (EPSG:28992)"; "" for an empty
/// WKT, "unparsable CRS" when the text is not a CRS.
std::string crsName(const std::string& wkt);

/// EPSG code of the CRS, 0 when it has none (or the WKT is empty / unparsable).
int crsEpsg(const std::string& wkt);

/// True when both are empty, or both describe the same CRS (PROJ's equivalence test,
/// which ignores differences in spelling and axis-order metadata).
bool sameCrs(const std::string& a, const std::string& b);

/// Throws DataError naming `source` when `wkt` is a geographic CRS (degrees): distances,
/// buffers and cell sizes in orevox are lengths in the CRS's linear unit, and a degree is
/// not one (a 500 m ring would be read as 500 degrees). An empty WKT (unknown, local) and
/// projected CRSs pass. `what` says what needed the lengths ("fault buffers").
void requireLinearCrs(const std::string& wkt, const std::string& what, const std::string& source);

}  // namespace orevox
