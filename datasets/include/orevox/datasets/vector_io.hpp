#pragma once
/// \file vector_io.hpp
/// Vector files through OGR: GeoJSON (.geojson, .json), GeoPackage (.gpkg) and ESRI
/// Shapefile (.shp), the driver chosen by the extension (UsageError for any other).
///
/// Readers take the layer named `layer`, or the first layer when `layer` is empty
/// (DataError listing the layers when the name is absent). Features are numbered from 1 in
/// layer order; errors name that number ("feature 12"), not the driver's FID.
/// Features without geometry are skipped. The CRS of the layer is carried as WKT2; a
/// GeoJSON file without a "crs" member gives an empty CRS. Coordinates stay in the file's
/// CRS (metres for projected CRSs); nothing is reprojected.
///
/// Writers create one layer named after the file stem, write to a temporary name and
/// rename it into place (atomic). A shapefile is several files (.shp .shx .dbf, .prj when
/// there is a CRS, .cpg): they are written into a temporary folder beside the target and
/// renamed one by one, sidecars first and the .shp last, and stale sidecars of an older
/// shapefile of the same name are removed; each file is replaced atomically, the set is not.
/// GeoJSON keeps the CRS only when it has an EPSG code (GDAL writes the legacy "crs" member);
/// a shapefile's .prj holds ESRI WKT, exact for EPSG CRSs, approximate for custom ones.

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "orevox/geomodel/geometry.hpp"
#include "orevox/geomodel/samples.hpp"

namespace orevox {

/// LineString and MultiLineString features become Polylines (one per part; z dropped),
/// named from a "name" attribute when the layer has one. Features written by writeLines
/// for 3D fault surfaces (attribute kind = "surface", (Multi)Polygon Z of triangles) come
/// back as TriangleSurfaces. Any other geometry: DataError naming the file and the feature.
FaultNetwork readLines(const std::string& path, const std::string& layer = {});

/// Polygon and MultiPolygon features become Polygons (one per part, holes kept, the closing
/// vertex dropped), named from a "name" attribute when present. With `valueField`, that
/// numeric attribute goes into Polygon::value (DataError when missing or not numeric).
/// Any other geometry: DataError naming the file and the feature. PolygonSet carries no
/// CRS: pass `crsWkt` to receive the layer's.
PolygonSet readPolygons(const std::string& path, const std::string& layer = {},
                        const std::string& valueField = {}, std::string* crsWkt = nullptr);

/// Point features (z kept when the layer is 3D) become rows. Numeric attributes (integer
/// or real) become columns (null = NaN); an "id" attribute becomes the row ids and an
/// integer "label" attribute the labels; other attributes are ignored. Units and censoring
/// flags are not stored in vector files. Any other geometry: DataError naming the feature.
SampleTable readPoints(const std::string& path, const std::string& layer = {});

/// Writes the 2D fault traces as LineStrings with a "name" attribute. 3D fault surfaces
/// are written as MultiPolygon Z features (one triangle per part) with kind = "surface"
/// to GeoJSON and GeoPackage; a shapefile cannot mix them with lines (UsageError).
void writeLines(const FaultNetwork& faults, const std::string& path);

/// Writes one Polygon feature per polygon (holes kept) with attributes "name", "value" and
/// the given extra numeric attributes (each with one value per polygon, e.g. area in m2 or
/// mean probability; UsageError on a size mismatch), in the CRS `crsWkt` (PolygonSet
/// carries none), then the given text attributes (e.g. the ids of the deposits a zone
/// contains, joined by ";"; same size rule). Shapefiles cut attribute names to 10 characters.
void writePolygons(const PolygonSet& polygons, const std::string& path,
                   const std::vector<std::pair<std::string, std::vector<double>>>& attributes = {},
                   const std::string& crsWkt = {},
                   const std::vector<std::pair<std::string, std::vector<std::string>>>& textAttributes = {});

/// One attribute of writeLinesZ: real numbers (NaN = null) or text, one value per line.
struct VectorAttribute {
  std::string name;
  bool text = false;
  std::vector<double> reals;
  std::vector<std::string> texts;
};

/// Writes one LineString Z feature per line (e.g. desurveyed drillhole intervals) with the
/// given attributes, in order, in the CRS `crsWkt` (WKT or "EPSG:n"; empty = none). Lines
/// of fewer than 2 points: DataError; attribute sizes other than the line count: UsageError.
void writeLinesZ(const std::vector<std::vector<std::array<double, 3>>>& lines,
                 const std::string& path, const std::vector<VectorAttribute>& attributes,
                 const std::string& crsWkt = {});

/// Writes one Point (Point Z for 3D tables) per row with attributes "id" (when the table
/// has ids), "label" (when labelled) and one real attribute per column (NaN = null;
/// censored values are written as their detection limit).
void writePoints(const SampleTable& samples, const std::string& path);

}  // namespace orevox
