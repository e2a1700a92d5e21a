// Mesh readers and writers: the hand-written fixtures of tests/data/meshes (one per format
// and feature), round trips through every writer/reader pair, one-line errors on bad
// input, and the real Babbitt ore solid (Mpz.stl, read from the shared datasets).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "orevox/core/error.hpp"
#include "orevox/datasets/crs.hpp"
#include "orevox/datasets/embedded.hpp"
#include "orevox/datasets/mesh_io.hpp"
#include "orevox/geomodel/mesh.hpp"
#include "orevox/voxel/mesh_volume.hpp"
#include "shared_datasets.hpp"
#include "test_helpers.hpp"

using namespace orevox;
using orevox::test::errorMessage;
using orevox::test::readFile;
using orevox::test::TempDir;
using orevox::test::writeFile;

namespace {

const std::string kMeshes = std::string(OREVOX_SOURCE_DIR) + "/tests/data/meshes/";

/// A mesh with State Plane-sized coordinates (whole units lost in float32), properties
/// of every kind and a CRS: what the round trips must keep.
TriangleMesh richMesh() {
  TriangleMesh m;
  m.name = "ore shell 2";
  m.crsWkt = crsFromUserInput("EPSG:26915");
  m.vertices = {{2289334.123456789, 415146.987654321, -646.25},
                {2302998.5, 415146.75, 1690.125},
                {2302998.0000001, 424122.3, 12.5},
                {2289334.0, 424122.0, -0.001}};
  m.triangles = {{0, 1, 2}, {0, 2, 3}, {1, 3, 2}};
  m.vertexProperties.push_back({"grade", 1, {0.5, std::nan(""), 2.25, 1e-9}});
  m.vertexProperties.push_back({"dir", 3, {1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5, 0.5, 0.7071}});
  m.faceProperties.push_back({"domain", 1, {7, 8, 9}});
  return m;
}

void expectSameGeometry(const TriangleMesh& a, const TriangleMesh& b) {
  ASSERT_EQ(a.vertexCount(), b.vertexCount());
  ASSERT_EQ(a.triangleCount(), b.triangleCount());
  for (std::size_t v = 0; v < a.vertexCount(); ++v) EXPECT_EQ(a.vertices[v], b.vertices[v]) << v;
  for (std::size_t t = 0; t < a.triangleCount(); ++t)
    EXPECT_EQ(a.triangles[t], b.triangles[t]) << t;
}

void expectSameValues(const std::vector<double>& a, const std::vector<double>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i])) {
      EXPECT_TRUE(std::isnan(b[i])) << i;
    } else {
      EXPECT_EQ(a[i], b[i]) << i;
    }
  }
}

}  // namespace

// ------------------------------------------------------------------ fixtures

TEST(MeshIo, TSurfWithTwoFacesAtomsPropertiesDepthAndCrlf) {
  const TriangleMesh m = readMesh(kMeshes + "fault_depth_crlf.ts");
  EXPECT_EQ(m.name, "Fault A");
  EXPECT_EQ(m.source, kMeshes + "fault_depth_crlf.ts");
  ASSERT_EQ(m.vertexCount(), 4u);  // ATOM 4 and 5 are vertices 1 and 3
  ASSERT_EQ(m.triangleCount(), 2u);
  EXPECT_EQ(m.vertices[0], Eigen::Vector3d(500000.5, 7000000.25, -100.0));  // depth 100
  EXPECT_EQ(m.vertices[3], Eigen::Vector3d(500000.5, 7000010.25, -110.0));
  // Mirrored in z, so each triangle is reversed to keep facing the same side in space.
  EXPECT_EQ(m.triangles[0], (std::array<std::uint32_t, 3>{0, 2, 1}));
  EXPECT_EQ(m.triangles[1], (std::array<std::uint32_t, 3>{0, 3, 2}));
  const MeshCheck c = checkMesh(m);
  EXPECT_EQ(c.boundaryEdges, 4u);
  EXPECT_TRUE(c.oriented());
  ASSERT_EQ(m.vertexProperties.size(), 2u);
  const MeshProperty* grade = m.vertexProperty("grade");
  ASSERT_TRUE(grade);
  expectSameValues(grade->values, {1.5, std::nan(""), 2.5, 3.5});  // -99999 = no data
  const MeshProperty* normal = m.vertexProperty("normal");
  ASSERT_TRUE(normal);
  EXPECT_EQ(normal->components, 3u);
  EXPECT_EQ(normal->values, (std::vector<double>{0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0}));
  EXPECT_TRUE(m.crsWkt.empty());  // NAME Default
}

TEST(MeshIo, TSurfObjectsOfOneFileBecomeOneMesh) {
  const TriangleMesh m = readMesh(kMeshes + "two_objects.ts");
  EXPECT_EQ(m.name, "upper+lower");
  EXPECT_EQ(m.vertexCount(), 7u);
  EXPECT_EQ(m.triangleCount(), 3u);
  EXPECT_EQ(m.triangles[1], (std::array<std::uint32_t, 3>{3, 4, 5}));
  EXPECT_EQ(m.vertices[6], Eigen::Vector3d(0, 1, -5));
  EXPECT_NEAR(m.area(), 0.5 + 1.0, 1e-15);
}

TEST(MeshIo, ObjQuadsNegativeIndicesAndSlashForms) {
  const TriangleMesh m = readMesh(kMeshes + "pyramid_quad.obj");
  EXPECT_EQ(m.name, "pyramid");
  EXPECT_EQ(m.vertexCount(), 5u);
  ASSERT_EQ(m.triangleCount(), 6u);
  EXPECT_EQ(m.triangles[0], (std::array<std::uint32_t, 3>{0, 3, 2}));  // quad fanned from corner 1
  EXPECT_EQ(m.triangles[1], (std::array<std::uint32_t, 3>{0, 2, 1}));
  EXPECT_EQ(m.triangles[4], (std::array<std::uint32_t, 3>{2, 3, 4}));  // f -3 -2 -1
  EXPECT_EQ(m.triangles[5], (std::array<std::uint32_t, 3>{3, 0, 4}));  // f -2 -5 -1
  const MeshCheck c = checkMesh(m);
  EXPECT_TRUE(c.closed());
  EXPECT_TRUE(c.oriented());
  EXPECT_DOUBLE_EQ(c.volume, 4.0);  // base 4 x height 3 / 3
}

TEST(MeshIo, PlyAsciiAndBothBinaryByteOrdersReadAlike) {
  for (const std::string file :
       {"pyramid_ascii.ply", "pyramid_binary_le.ply", "pyramid_binary_be.ply"}) {
    SCOPED_TRACE(file);
    const TriangleMesh m = readMesh(kMeshes + file);
    EXPECT_EQ(m.name, file == "pyramid_ascii.ply" ? "pyramid_ascii" : "pyramid");
    ASSERT_EQ(m.vertexCount(), 5u);
    ASSERT_EQ(m.triangleCount(), 6u);
    EXPECT_EQ(m.vertices[4], Eigen::Vector3d(1, 1, 3));
    EXPECT_EQ(m.triangles[0], (std::array<std::uint32_t, 3>{0, 3, 2}));
    ASSERT_TRUE(m.vertexProperty("red"));
    EXPECT_EQ(m.vertexProperty("red")->values, (std::vector<double>{255, 128, 0, 64, 32}));
    EXPECT_EQ(m.vertexProperty("grade")->values, (std::vector<double>{0.5, 1.5, 2.5, 3.5, 4.5}));
    ASSERT_EQ(m.faceProperties.size(), 1u);
    // The quad's value is repeated for both of its triangles.
    EXPECT_EQ(m.faceProperty("domain")->values, (std::vector<double>{7, 7, 8, 9, 10, 11}));
    const MeshCheck c = checkMesh(m);
    EXPECT_TRUE(c.closed());
    EXPECT_DOUBLE_EQ(c.volume, 4.0);
  }
}

TEST(MeshIo, StlBinaryIsDetectedBySizeEvenWhenItSaysSolid) {
  const TriangleMesh b = readMesh(kMeshes + "cube_binary.stl");
  const TriangleMesh a = readMesh(kMeshes + "cube_ascii.stl");
  EXPECT_EQ(b.name, "cube written in binary");
  EXPECT_EQ(a.name, "unit cube");
  for (const TriangleMesh* m : {&a, &b}) {
    EXPECT_EQ(m->vertexCount(), 8u);  // 36 corners merged by position
    EXPECT_EQ(m->triangleCount(), 12u);
    const MeshCheck c = checkMesh(*m);
    EXPECT_TRUE(c.closed());
    EXPECT_TRUE(c.manifold());
    EXPECT_TRUE(c.oriented());
    EXPECT_DOUBLE_EQ(c.volume, 1.0);
  }
  expectSameGeometry(a, b);
}

// ------------------------------------------------------------------ round trips

TEST(MeshIo, RoundTripTSurfKeepsCoordinatesPropertiesNameAndCrs) {
  TempDir dir;
  const TriangleMesh m = richMesh();
  writeMesh(m, dir.file("rich.ts"));
  const TriangleMesh back = readMesh(dir.file("rich.ts"));
  expectSameGeometry(m, back);
  EXPECT_EQ(back.name, m.name);
  EXPECT_TRUE(sameCrs(back.crsWkt, m.crsWkt));
  ASSERT_EQ(back.vertexProperties.size(), 2u);
  expectSameValues(back.vertexProperty("grade")->values, m.vertexProperty("grade")->values);
  EXPECT_EQ(back.vertexProperty("dir")->components, 3u);
  expectSameValues(back.vertexProperty("dir")->values, m.vertexProperty("dir")->values);
  EXPECT_TRUE(back.faceProperties.empty());  // TSurf has no triangle properties
  const std::string text = readFile(dir.file("rich.ts"));
  EXPECT_NE(text.find("ZPOSITIVE Elevation"), std::string::npos);
  EXPECT_NE(text.find("AXIS_UNIT \"m\" \"m\" \"m\""), std::string::npos);
  EXPECT_NE(text.find("TRGL 1 2 3"), std::string::npos);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"rich.ts"});
}

TEST(MeshIo, RoundTripObj) {
  TempDir dir;
  const TriangleMesh m = richMesh();
  writeMesh(m, dir.file("rich.obj"));
  const TriangleMesh back = readMesh(dir.file("rich.obj"));
  expectSameGeometry(m, back);
  EXPECT_EQ(back.name, m.name);
  EXPECT_TRUE(sameCrs(back.crsWkt, m.crsWkt));
  EXPECT_TRUE(back.vertexProperties.empty());
}

TEST(MeshIo, RoundTripPlyBinaryAndAscii) {
  TempDir dir;
  const TriangleMesh m = richMesh();
  for (bool ascii : {false, true}) {
    SCOPED_TRACE(ascii ? "ascii" : "binary");
    MeshWriteOptions o;
    o.ascii = ascii;
    const std::string path = dir.file(ascii ? "rich_a.ply" : "rich_b.ply");
    writeMesh(m, path, o);
    const TriangleMesh back = readMesh(path);
    expectSameGeometry(m, back);
    EXPECT_EQ(back.name, m.name);
    EXPECT_TRUE(sameCrs(back.crsWkt, m.crsWkt));
    expectSameValues(back.vertexProperty("grade")->values, m.vertexProperty("grade")->values);
    ASSERT_TRUE(back.vertexProperty("dir_2"));  // one PLY property per component
    EXPECT_EQ(back.vertexProperty("dir_2")->values, (std::vector<double>{0, 0, 1, 0.7071}));
    EXPECT_EQ(back.faceProperty("domain")->values, m.faceProperty("domain")->values);
    EXPECT_EQ(readFile(path).find(ascii ? "format ascii 1.0" : "format binary_little_endian 1.0"),
              4u);
  }
}

TEST(MeshIo, RoundTripStlBinaryIsFloat32AndAsciiIsExact) {
  TempDir dir;
  // STL repeats corners per triangle and readers merge them again: compare per triangle.
  auto corners = [](const TriangleMesh& m, std::size_t t) {
    return std::array<Eigen::Vector3d, 3>{m.vertices[m.triangles[t][0]],
                                          m.vertices[m.triangles[t][1]],
                                          m.vertices[m.triangles[t][2]]};
  };
  const TriangleMesh m = richMesh();
  writeMesh(m, dir.file("rich.stl"));
  EXPECT_EQ(readFile(dir.file("rich.stl")).size(), 84u + 50u * 3u);
  const TriangleMesh binary = readMesh(dir.file("rich.stl"));
  EXPECT_EQ(binary.name, m.name);  // from orevox's own 80-byte header
  ASSERT_EQ(binary.triangleCount(), 3u);
  EXPECT_EQ(binary.vertexCount(), 4u);
  for (std::size_t t = 0; t < 3; ++t)
    for (int c = 0; c < 3; ++c)
      for (int a = 0; a < 3; ++a)
        EXPECT_EQ(corners(binary, t)[std::size_t(c)][a],
                  double(float(corners(m, t)[std::size_t(c)][a])));
  MeshWriteOptions o;
  o.ascii = true;
  writeMesh(m, dir.file("rich_ascii.stl"), o);
  const TriangleMesh ascii = readMesh(dir.file("rich_ascii.stl"));
  EXPECT_EQ(ascii.name, m.name);
  for (std::size_t t = 0; t < 3; ++t) EXPECT_EQ(corners(ascii, t), corners(m, t));
}

TEST(MeshIo, VtpHoldsFloat64PointsTrianglesPropertiesAndCrs) {
  TempDir dir;
  const TriangleMesh m = richMesh();
  writeMesh(m, dir.file("rich.vtp"));
  const std::string text = readFile(dir.file("rich.vtp"));
  EXPECT_NE(text.find("<VTKFile type=\"PolyData\""), std::string::npos);
  EXPECT_NE(text.find("NumberOfPoints=\"4\""), std::string::npos);
  EXPECT_NE(text.find("NumberOfPolys=\"3\""), std::string::npos);
  EXPECT_NE(text.find("OrevoxCrs=\""), std::string::npos);
  EXPECT_NE(text.find("Name=\"dir\" NumberOfComponents=\"3\""), std::string::npos);
  EXPECT_NE(text.find("<CellData>\n        <DataArray type=\"Float64\" Name=\"domain\""),
            std::string::npos);
  // The appended block of the points (offset 0): a UInt64 byte count, then x y z doubles.
  const std::size_t start = text.find("_", text.find("<AppendedData")) + 1;
  std::uint64_t bytes = 0;
  std::memcpy(&bytes, text.data() + start, 8);
  ASSERT_EQ(bytes, 4u * 3u * 8u);
  for (std::size_t v = 0; v < 4; ++v)
    for (int a = 0; a < 3; ++a) {
      double x = 0.0;
      std::memcpy(&x, text.data() + start + 8 + (v * 3 + std::size_t(a)) * 8, 8);
      EXPECT_EQ(x, m.vertices[v][a]);
    }
  // Connectivity follows: 3 x 3 Int64 indices.
  const std::size_t conn = start + 8 + bytes;
  std::memcpy(&bytes, text.data() + conn, 8);
  ASSERT_EQ(bytes, 9u * 8u);
  std::int64_t last = 0;
  std::memcpy(&last, text.data() + conn + 8 + 8 * 8, 8);
  EXPECT_EQ(last, 2);  // third triangle {1, 3, 2}
}

TEST(MeshIo, FailedWritesLeaveGoodFilesAlone) {
  TempDir dir;
  writeMesh(richMesh(), dir.file("good.ts"));
  const std::string before = readFile(dir.file("good.ts"));
  TriangleMesh bad = richMesh();
  bad.triangles[1][2] = 40;
  EXPECT_THROW(writeMesh(bad, dir.file("good.ts")), DataError);
  EXPECT_EQ(readFile(dir.file("good.ts")), before);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"good.ts"});
  EXPECT_THROW(writeMesh(richMesh(), dir.file("mesh.dxf")), UsageError);
  EXPECT_THROW(readMesh(dir.file("mesh.vtp")), UsageError);
}

// ------------------------------------------------------------------ bad input

TEST(MeshIo, TSurfErrorsNameFileLineAndValue) {
  TempDir dir;
  const std::string path = dir.file("bad.ts");
  auto message = [&](const std::string& text) {
    writeFile(path, text);
    return errorMessage<DataError>([&] { readMesh(path); });
  };
  const std::string head =
      "GOCAD TSurf 1\nHEADER {\nname:x\n}\nTFACE\nVRTX 1 0 0 0\nVRTX 2 1 0 0\n";
  EXPECT_EQ(
      message(head + "VRTX 3 0 1 0\nTRGL 1 2 9\nEND\n"),
      path +
          ":9: value '9': TRGL refers to a vertex id not defined before it (VRTX, PVRTX or ATOM)");
  EXPECT_EQ(message(head + "VRTX 3 0 abc 0\n"), path + ":8: value 'abc': y is not a number");
  EXPECT_EQ(message(head + "VRTX 2 0 1 0\n"), path + ":8: value '2': vertex id defined twice");
  EXPECT_EQ(
      message(head + "ATOM 3 7\n"),
      path +
          ":8: value '7': ATOM refers to a vertex id not defined before it (VRTX, PVRTX or ATOM)");
  EXPECT_EQ(message("GOCAD PLine 1\nEND\n"),
            path + ":1: value 'PLine': not a GOCAD TSurf object (only TSurf meshes are read)");
  EXPECT_EQ(message("VRTX 1 0 0 0\n"),
            path + ":1: value 'VRTX': expected 'GOCAD TSurf 1' before any other line");
  EXPECT_EQ(message("GOCAD TSurf 1\nPROPERTIES a b\nTFACE\nPVRTX 1 0 0 0 1\n"),
            path + ":4: value '1': PVRTX carries 1 property values; PROPERTIES/ESIZES declare 2");
  EXPECT_EQ(message("GOCAD TSurf 1\nHEADER {\nname:lonely\n}\nTFACE\nVRTX 1 0 0 0\nEND\n"),
            path + ":1: value 'lonely': the TSurf object has no triangles (TRGL)");
  EXPECT_EQ(message("GOCAD TSurf 1\nGOCAD_ORIGINAL_COORDINATE_SYSTEM\nZPOSITIVE Up\n"),
            path + ":3: value 'Up': ZPOSITIVE must be Elevation or Depth");
}

TEST(MeshIo, ObjErrorsNameFileLineAndValue) {
  TempDir dir;
  const std::string path = dir.file("bad.obj");
  auto message = [&](const std::string& text) {
    writeFile(path, text);
    return errorMessage<DataError>([&] { readMesh(path); });
  };
  const std::string v = "v 0 0 0\nv 1 0 0\nv 0 1 0\n";
  EXPECT_EQ(message(v + "f 1 2 9\n"),
            path + ":4: value '9': face corner refers to vertex 9 of 3 defined so far");
  EXPECT_EQ(message(v + "f 0 1 2\n"),
            path + ":4: value '0': face corner refers to vertex 0 of 3 defined so far");
  EXPECT_EQ(message(v + "f -1 -2 -4/1\n"),
            path + ":4: value '-4/1': face corner refers to vertex -4 of 3 defined so far");
  EXPECT_EQ(message(v + "f 1 2\n"), path + ":4: value 'f 1 2': a face needs at least 3 corners");
  EXPECT_EQ(message(v + "f 1 x 3\n"), path + ":4: value 'x': face corner is not a vertex index");
  EXPECT_EQ(message("v 1 2 nan\n"), path + ":1: value 'nan': z is not finite");
  EXPECT_EQ(message(v), path + ": no faces ('f') in the OBJ file");
}

TEST(MeshIo, PlyCountsAreCheckedBeforeAllocating) {
  TempDir dir;
  const std::string path = dir.file("bad.ply");
  auto message = [&](const std::string& text) {
    writeFile(path, text);
    return errorMessage<DataError>([&] { readMesh(path); });
  };
  const std::string header =
      "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float "
      "z\n"
      "element face 1\nproperty list uchar int vertex_indices\nend_header\n";
  EXPECT_EQ(
      message(
          "ply\nformat ascii 1.0\nelement vertex 4000000000\nproperty float x\nproperty float y\n"
          "property float z\nend_header\n0 0 0\n"),
      path +
          ":3: value '4000000000': element 'vertex' declares 4000000000 records of at least 3 "
          "values "
          "but only 3 values follow the header");
  EXPECT_EQ(message(header + "0 0 0\n1 0 0\n0 1 0\n3 0 1 3\n"),
            path + ":13: value '3': face 0 refers to vertex 3 of 3 (0-based)");
  EXPECT_EQ(message(header + "0 0 0\n1 0 0\n0 1 0\n2 0 1\n"),
            path + ":13: value '2': face 0 has fewer than 3 corners");
  EXPECT_EQ(message(header + "0 0 0\n1 0 0\n0 x 0\n3 0 1 2\n"),
            path + ":12: value 'x': vertex 2 property 'y' is not a number");
  EXPECT_EQ(message("ply\nformat ascii 1.0\nelement vertex 1\n"),
            path + ": the PLY header has no 'end_header'");
  EXPECT_EQ(message("ply\nformat binary_middle_endian 1.0\nend_header\n"),
            path + ":2: value 'binary_middle_endian': unknown PLY format");
  EXPECT_EQ(message("plyx\n"), path + ": not a PLY file (the first line is not 'ply')");
  // Binary: a vertex count larger than the bytes present, then a truncated face list.
  const std::string binaryHeader =
      "ply\nformat binary_little_endian 1.0\nelement vertex 1000\nproperty float x\nproperty float "
      "y\n"
      "property float z\nend_header\n";
  EXPECT_EQ(
      message(binaryHeader + std::string(24, '\0')),
      path +
          ":3: value '1000': element 'vertex' declares 1000 records of at least 12 bytes but only "
          "24 bytes follow the header");
  std::string body(36, '\0');  // three vertices at the origin
  const std::string faceHeader =
      "ply\nformat binary_little_endian 1.0\nelement vertex 3\nproperty float x\nproperty float y\n"
      "property float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n";
  const std::string listOf200 = std::string(1, char(200)) + std::string(8, '\0');
  const std::string m = message(faceHeader + body + listOf200);
  EXPECT_NE(m.find("at byte offset"), std::string::npos) << m;
  EXPECT_NE(m.find("list 'vertex_indices' of 200 items runs past the end of the file"),
            std::string::npos)
      << m;
  std::string badIndex = std::string(1, char(3));
  for (std::int32_t i : {0, 1, 7}) badIndex.append(reinterpret_cast<const char*>(&i), 4);
  const std::string offset = std::to_string(faceHeader.size() + 36 + 1 + 8 + 4);
  EXPECT_EQ(message(faceHeader + body + badIndex),
            path + ": value '7': at byte offset " + offset +
                ": face 0 refers to vertex 7 of 3 (0-based)");
}

TEST(MeshIo, StlErrors) {
  TempDir dir;
  const std::string path = dir.file("bad.stl");
  auto message = [&](const std::string& text) {
    writeFile(path, text);
    return errorMessage<DataError>([&] { readMesh(path); });
  };
  // A binary header claiming 4 billion triangles in a 100-byte file: nothing is allocated.
  std::string header(80, 'x');
  const std::uint32_t count = 4000000000u;
  header.append(reinterpret_cast<const char*>(&count), 4);
  EXPECT_EQ(
      message(header + std::string(16, '\0')),
      path +
          ": neither binary STL (its header declares 4000000000 triangles, which need 200000000084 "
          "bytes, but the file has 100) nor ASCII STL (it does not start with 'solid')");
  EXPECT_EQ(
      message("solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 1 1 0\n"
              "vertex 0 1 0\nendloop\nendfacet\nendsolid\n"),
      path + ":7: value 'vertex 0 1 0': a facet with more than 3 vertices");
  EXPECT_EQ(
      message("solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nendloop\n"),
      path + ":3: value '2': a facet needs exactly 3 vertices");
  EXPECT_EQ(message("solid x\nendsolid x\n"), path + ": no triangles in the STL file");
  EXPECT_EQ(message("abc"),
            path +
                ": neither binary STL (it has only 3 bytes) nor ASCII STL (it does not start "
                "with 'solid')");
}

// ------------------------------------------------------------------ orevox info

TEST(MeshIo, DescribeFileSummarisesAMesh) {
  const nlohmann::json d = describeFile(kMeshes + "pyramid_binary_le.ply");
  EXPECT_EQ(d["kind"], "mesh");
  EXPECT_EQ(d["format"], "ply");
  EXPECT_EQ(d["name"], "pyramid");
  EXPECT_EQ(d["vertices"], 5);
  EXPECT_EQ(d["triangles"], 6);
  EXPECT_EQ(d["closed"], true);
  EXPECT_EQ(d["watertight"], true);
  EXPECT_EQ(d["boundary_edges"], 0);
  EXPECT_DOUBLE_EQ(d["volume"].get<double>(), 4.0);
  EXPECT_EQ(d["bounds"]["min"], (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(d["bounds"]["max"], (std::vector<double>{2, 2, 3}));
  ASSERT_EQ(d["vertex_properties"].size(), 2u);
  EXPECT_EQ(d["vertex_properties"][1]["name"], "grade");
  EXPECT_DOUBLE_EQ(d["vertex_properties"][1]["max"].get<double>(), 4.5);
  EXPECT_EQ(d["face_properties"][0]["name"], "domain");
  const nlohmann::json open = describeFile(kMeshes + "fault_depth_crlf.ts");
  EXPECT_EQ(open["closed"], false);
  EXPECT_EQ(open["boundary_edges"], 4);
  EXPECT_TRUE(open["volume"].is_null());
}

// ------------------------------------------------------------------ real data

TEST(MeshIo, BabbittMineralisedSolidMpzStl) {
  OREVOX_SHARED_DATASET(path, "babbitt_duluth_cuni/Mpz.stl");
  TriangleMesh m = readMesh(path);
  EXPECT_EQ(m.triangleCount(), 63749u);
  EXPECT_EQ(m.vertexCount(), 31873u);  // 191,247 corners merged by position
  // PROVENANCE (feet): X 2,289,334-2,302,998; Y 415,146-424,122; Z -646..1,690.
  const MeshBounds b = m.bounds();
  EXPECT_NEAR(b.min.x(), 2289334, 1.0);
  EXPECT_NEAR(b.max.x(), 2302998, 1.0);
  EXPECT_NEAR(b.min.y(), 415146, 1.0);
  EXPECT_NEAR(b.max.y(), 424122, 1.0);
  EXPECT_NEAR(b.min.z(), -646, 1.0);
  EXPECT_NEAR(b.max.z(), 1690, 1.0);
  // Not quite closed, as found (and checked with numpy): one missing triangle leaves a hole
  // of 3 boundary edges, and along 4 edges two sheets touch (4 triangles each).
  MeshCheck c = checkMesh(m);
  EXPECT_EQ(c.boundaryEdges, 3u);
  EXPECT_EQ(c.nonManifoldEdges, 4u);
  EXPECT_EQ(c.edges, 95614u + 4u + 3u);
  EXPECT_EQ(c.degenerateTriangles, 0u);
  EXPECT_TRUE(c.oriented());
  EXPECT_FALSE(c.watertight());
  VolumeSpec one;
  one.nx = one.ny = one.nz = 1;
  EXPECT_NE(errorMessage<DataError>([&] { meshInsideMask(m, one); })
                .find("Mpz.stl: the mesh is not closed: 3 boundary edges; the inside mask needs a "
                      "closed mesh"),
            std::string::npos);
  const HoleFilling f = fillHoles(m, 3);
  EXPECT_EQ(f.filled, 1u);
  EXPECT_EQ(f.trianglesAdded, 1u);
  c = checkMesh(m);
  EXPECT_TRUE(c.watertight());
  EXPECT_TRUE(c.oriented());
  EXPECT_FALSE(c.closed());  // the four shared edges stay
  EXPECT_GT(c.volume, 0.0);  // normals outwards
  // The inside mask at 50 ft voxels holds the solid's volume (divergence theorem) to the
  // voxels' resolution.
  VolumeSpec s;
  s.spacing = {50, 50, 50};
  s.origin = {2289300, 415100, -700};
  s.nx = 275;
  s.ny = 181;
  s.nz = 48;
  const std::vector<std::uint8_t> inside = meshInsideMask(m, s);
  const double masked = double(std::count(inside.begin(), inside.end(), 1)) * 50.0 * 50.0 * 50.0;
  EXPECT_NEAR(masked / c.volume, 1.0, 0.02) << masked << " vs " << c.volume;
}
