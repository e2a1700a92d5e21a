#pragma once
/// \file vtp_io.hpp
/// Drillhole traces as VTK XML PolyData (.vtp) without VTK, so that they open in ParaView
/// and in orevox's viewer while VTK stays in the viz module.

#include <string>

#include "orevox/geomodel/drillholes.hpp"

namespace orevox {

/// Writes one polyline cell per trace (points in Float64: projected coordinates in feet or
/// metres need double precision), in ASCII with numbers in their shortest exact form.
/// Cell data: "hole" (Int32, index into the FieldData string array "hole_id"), "from" and
/// "to" (Float64), then every field: numeric ones as Float64 (NaN = not assayed; below
/// detection as the limit, flagged 1 in a UInt8 array "<field>_bdl" when the field has any),
/// categorical ones as Int32 codes (-1 = not logged) whose names are the FieldData string
/// array "<field>_categories". VTK ignores what it does not know: the CRS (WKT) travels as
/// the attribute OrevoxCrs of <PolyData> (as writeVti does), the length unit as
/// OrevoxLengthUnit, and the arrays' roles as OrevoxRole / OrevoxField attributes, which
/// readTracesVtp uses. Atomic.
void writeTracesVtp(const DrillholeTraces& traces, const std::string& path);

/// Reads what writeTracesVtp writes (ASCII PolyData with one piece of polylines). Other
/// Float64/Float32/Int32 cell arrays become numeric fields. DataError naming the file for
/// anything else (binary or appended data, several pieces, points, polygons, ...).
DrillholeTraces readTracesVtp(const std::string& path);

}  // namespace orevox
