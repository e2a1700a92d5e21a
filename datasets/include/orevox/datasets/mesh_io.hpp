#pragma once
/// \file mesh_io.hpp
/// Triangle meshes in the exchange formats of geological modelling and CAD tools, chosen
/// by the file's extension:
///
/// | format | read | write | coordinates | properties | CRS |
/// |---|---|---|---|---|---|
/// | GOCAD TSurf `.ts` | yes | yes (one TFACE) | text, full precision | vertex (PVRTX) |
/// GOCAD_ORIGINAL_COORDINATE_SYSTEM | | Wavefront `.obj` | yes | yes | text, full precision | none
/// | comment line | | Stanford `.ply` | ascii, binary LE/BE | binary LE (or ascii) | float64
/// written | vertex, face (scalars) | comment line | | `.stl` | ascii, binary | binary (or ascii) |
/// binary: float32 | none | none | | VTK PolyData `.vtp` | no | yes | Float64 | vertex (PointData),
/// face (CellData) | OrevoxCrs attribute |
///
/// Every reader treats its input as untrusted: counts in headers are checked against the
/// bytes or lines present before anything is allocated, every index is range-checked,
/// and a problem is a one-line DataError naming the file, the line (text) or the byte
/// offset (binary) and the offending value. Writers are atomic (AtomicOutput).
///
/// The CRS travels where the format has no place for it as an orevox comment that other
/// tools ignore: `# orevox_crs_wkt <WKT>` (TSurf, OBJ), `comment orevox_crs_wkt <WKT>`
/// (PLY); TSurf also gets `GOCAD_ORIGINAL_COORDINATE_SYSTEM` with the CRS's name. STL has
/// no place at all (and binary STL holds float32: 0.25 units of resolution at 2-4
/// million, e.g. State Plane feet), so write .ts, .ply or .obj to keep coordinates exactly.

#include <string>
#include <vector>

#include "orevox/core/options.hpp"
#include "orevox/geomodel/mesh.hpp"

namespace orevox {

enum class MeshFormat { TSurf, Obj, Ply, Stl, Vtp };

/// "ts", "obj", "ply", "stl", "vtp".
const NameTable<MeshFormat>& meshFormatNames();

/// The format of a path by its extension (.ts, .obj, .ply, .stl, .vtp; any case); false
/// for any other extension.
bool meshFormatOf(const std::string& path, MeshFormat& format);

/// True for the extensions readMesh reads (.ts, .obj, .ply, .stl).
bool isMeshFile(const std::string& path);

/// Reads a mesh (.ts, .obj, .ply, .stl; UsageError for other extensions). The mesh's
/// `source` is the path, `name` the file's own name (TSurf header name, OBJ `o`/`g`, STL
/// `solid`, an orevox PLY comment) or else the file's stem. What each reader accepts:
///  - TSurf: one or more `GOCAD TSurf` objects, each with any number of TFACE blocks, VRTX
///    and PVRTX (values of the PROPERTIES / ESIZES declared; NO_DATA_VALUES -> NaN), ATOM
///    and PATOM (a vertex that is another vertex: the triangles share it), TRGL, the
///    HEADER name and GOCAD_ORIGINAL_COORDINATE_SYSTEM with ZPOSITIVE Elevation or Depth
///    (Depth: z is negated to elevation and the triangles are reversed so that their
///    normals keep pointing to the same side in space); CRLF line ends. Several objects
///    become one mesh named "a+b" (vertex properties kept when every object has them).
///  - OBJ: `v x y z`, `f` with `a`, `a/b`, `a//c`, `a/b/c` corners, negative (relative)
///    indices, polygons fanned into triangles from their first corner; other statements
///    ignored.
///  - PLY: ascii, binary_little_endian and binary_big_endian 1.0; element `vertex` with
///    x, y, z and any scalar properties (vertex properties), element `face` with a
///    `vertex_indices` (or `vertex_index`) list and any scalar properties (face
///    properties, repeated over the triangles of a fanned polygon); other elements and
///    list properties are skipped.
///  - STL: binary when the size is exactly 84 + 50 x the header's triangle count (whatever
///    the first bytes say), else ASCII (`solid` ... `facet` ... `vertex` ...); vertices at
///    exactly the same position are merged (STL repeats them per triangle).
TriangleMesh readMesh(const std::string& path);

/// How writeMesh writes the formats that have an ascii and a binary form.
struct MeshWriteOptions {
  bool ascii = false;  ///< PLY and STL as text (STL ascii keeps 17 digits); ignored elsewhere
};

/// Writes a mesh by the extension (.ts, .obj, .ply, .stl, .vtp; UsageError otherwise),
/// atomically. What is lost: face properties in TSurf and OBJ, every property in OBJ and
/// STL, the CRS in STL, precision beyond float32 in binary STL. Vector properties
/// (components > 1) become one PLY property per component (`name_0`, `name_1`, ...).
/// DataError (mesh.validate()) for an invalid mesh.
void writeMesh(const TriangleMesh& mesh, const std::string& path,
               const MeshWriteOptions& options = {});

}  // namespace orevox
