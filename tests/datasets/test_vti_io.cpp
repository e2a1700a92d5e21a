#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "orevox/datasets/vti_io.hpp"
#include "orevox/core/error.hpp"
#include "test_helpers.hpp"

namespace orevox {
namespace {

using test::TempDir;

std::string base64(const std::string& bytes) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t triple = std::uint32_t(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size())
      triple |= std::uint32_t(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) triple |= std::uint32_t(static_cast<unsigned char>(bytes[i + 2]));
    out += table[(triple >> 18) & 63];
    out += table[(triple >> 12) & 63];
    out += i + 1 < bytes.size() ? table[(triple >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? table[triple & 63] : '=';
  }
  return out;
}

/// Little-endian bytes of a trivially copyable value (the test machine is little-endian).
template <typename T>
std::string bytesOf(const T& v) {
  std::string s(sizeof(T), '\0');
  std::memcpy(s.data(), &v, sizeof(T));
  return s;
}

TEST(VtiIo, RoundTripKeepsBoxValuesAndPerChannelActivity) {
  TempDir dir;
  VolumeSpec spec;
  spec.nx = 4;
  spec.ny = 3;
  spec.nz = 2;
  spec.origin = {500.0, -200.0, -1000.0};
  spec.spacing = {10.0, 20.0, 5.0};
  VoxelModel m(spec);
  m.addChannel("Au ppm", 0.0f);
  m.addChannel("fault<dist>", 0.0f);  // XML-escaped in the file
  for (std::size_t k = 0; k < 2; ++k)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t i = 0; i < 4; ++i) {
        if ((i + j + k) % 3 != 0)
          m.setValue("Au ppm", i, j, k, float(i) + 10.0f * float(j) + 100.0f * float(k));
        if (i == 2) m.setValue("fault<dist>", i, j, k, -1.5f * float(j));
      }
  writeVti(m, dir.file("m.vti"));
  const std::string text = test::readFile(dir.file("m.vti"));
  // Origin = first voxel centre, points on voxel centres.
  EXPECT_NE(text.find("WholeExtent=\"0 3 0 2 0 1\" Origin=\"505 -190 -997.5\" Spacing=\"10 20 5\""),
            std::string::npos);
  EXPECT_NE(text.find("header_type=\"UInt64\""), std::string::npos);

  const VoxelModel back = readVti(dir.file("m.vti"));
  const VolumeSpec& b = back.spec();
  EXPECT_EQ(b.nx, 4u);
  EXPECT_EQ(b.ny, 3u);
  EXPECT_EQ(b.nz, 2u);
  for (std::size_t a = 0; a < 3; ++a) {
    EXPECT_DOUBLE_EQ(b.origin[a], spec.origin[a]);
    EXPECT_DOUBLE_EQ(b.spacing[a], spec.spacing[a]);
  }
  EXPECT_EQ(back.channelNames(), (std::vector<std::string>{"Au ppm", "fault<dist>"}));
  for (const std::string ch : {"Au ppm", "fault<dist>"}) {
    EXPECT_EQ(back.activeMask(ch), m.activeMask(ch)) << ch;
    EXPECT_EQ(back.denseChannel(ch), m.denseChannel(ch)) << ch;
  }
  EXPECT_EQ(back.activeVoxelCount("fault<dist>"), 6u);
  EXPECT_TRUE(back.spec().crsWkt.empty());  // none written, none invented
  EXPECT_EQ(back.units("Au ppm"), "");
}

TEST(VtiIo, CrsAndUnitsSurviveARoundTrip) {
  TempDir dir;
  VolumeSpec spec;
  spec.nx = spec.ny = spec.nz = 2;
  spec.spacing = {25.0, 25.0, 10.0};
  // WKT carries quotes, commas and brackets; the unit an apostrophe and a '<'.
  spec.crsWkt = R"(PROJCS["WGS 84 / UTM zone 50S",GEOGCS["WGS 84",DATUM["WGS_1984"]],UNIT["metre",1]])";
  VoxelModel m(spec);
  m.addChannel("Au", 0.0f, "g/t");
  m.addChannel("dist", 0.0f, "m 'to' <fault>");
  m.addChannel("plain", 0.0f);
  for (const std::string ch : {"Au", "dist", "plain"}) m.setValue(ch, 1, 1, 1, 2.5f);
  writeVti(m, dir.file("crs.vti"));
  const std::string text = test::readFile(dir.file("crs.vti"));
  EXPECT_NE(text.find("OrevoxCrs=\"PROJCS[&quot;WGS 84"), std::string::npos);
  EXPECT_NE(text.find("OrevoxUnits=\"g/t\""), std::string::npos);
  const VoxelModel back = readVti(dir.file("crs.vti"));
  EXPECT_EQ(back.spec().crsWkt, spec.crsWkt);
  EXPECT_EQ(back.units("Au"), "g/t");
  EXPECT_EQ(back.units("dist"), "m 'to' <fault>");
  EXPECT_EQ(back.units("plain"), "");
  EXPECT_EQ(back.denseChannel("dist"), m.denseChannel("dist"));
}

TEST(VtiIo, ReadsAsciiPointDataAndCellData) {
  TempDir dir;
  // 2 x 2 x 1 points: voxels centred on them, the box starts half a spacing before.
  test::writeFile(
      dir.file("p.vti"),
      "<?xml version=\"1.0\"?>\n<VTKFile type=\"ImageData\" version=\"0.1\" "
      "byte_order=\"LittleEndian\">\n"
      "<ImageData WholeExtent=\"0 1 0 1 0 0\" Origin=\"10 20 30\" Spacing=\"2 4 8\">\n"
      "<Piece Extent=\"0 1 0 1 0 0\"><PointData Scalars=\"v\">\n"
      "<DataArray type=\"Float64\" Name=\"v\" format=\"ascii\">1.5 2.5\n nan 4</DataArray>\n"
      "</PointData><CellData></CellData></Piece></ImageData></VTKFile>\n");
  const VoxelModel p = readVti(dir.file("p.vti"));
  EXPECT_EQ(p.spec().nx, 2u);
  EXPECT_EQ(p.spec().nz, 1u);
  EXPECT_DOUBLE_EQ(p.spec().origin[0], 9.0);
  EXPECT_DOUBLE_EQ(p.spec().origin[1], 18.0);
  EXPECT_DOUBLE_EQ(p.spec().origin[2], 26.0);
  EXPECT_EQ(p.denseChannel("v"), (std::vector<float>{1.5f, 2.5f, 0.0f, 4.0f}));
  EXPECT_EQ(p.activeMask("v"), (std::vector<std::uint8_t>{1, 1, 0, 1}));  // NaN = inactive

  // CellData over extent 2..4 in x: 2 cells starting at Origin + 2 * spacing.
  test::writeFile(dir.file("c.vti"),
                  "<VTKFile type=\"ImageData\"><ImageData WholeExtent=\"2 4 0 1 0 1\" Origin=\"0 0 "
                  "0\" Spacing=\"1 1 1\">"
                  "<Piece Extent=\"2 4 0 1 0 1\"><CellData>"
                  "<DataArray type=\"Float32\" Name=\"c\" format=\"ascii\">7 8</DataArray>"
                  "</CellData></Piece></ImageData></VTKFile>");
  const VoxelModel c = readVti(dir.file("c.vti"));
  EXPECT_EQ(c.spec().nx, 2u);
  EXPECT_EQ(c.spec().ny, 1u);
  EXPECT_DOUBLE_EQ(c.spec().origin[0], 2.0);
  EXPECT_EQ(c.denseChannel("c"), (std::vector<float>{7.0f, 8.0f}));
}

TEST(VtiIo, ReadsBase64InlineArraysWithUInt32Headers) {
  TempDir dir;
  const float values[3] = {1.25f, -2.0f, 1e6f};
  std::string data;
  for (float v : values) data += bytesOf(v);
  const std::uint32_t header = 12;
  // VTK's own layout: header and data as two base64 streams; also one joint stream.
  const std::string separate = base64(bytesOf(header)) + base64(data);
  const std::string joint = base64(bytesOf(header) + data);
  for (const std::string& encoded : {separate, joint}) {
    test::writeFile(dir.file("b.vti"),
                    "<VTKFile type=\"ImageData\" version=\"0.1\" byte_order=\"LittleEndian\">"
                    "<ImageData WholeExtent=\"0 2 0 0 0 0\" Origin=\"0 0 0\" Spacing=\"1 1 "
                    "1\"><Piece Extent=\"0 2 0 0 0 0\">"
                    "<PointData><DataArray type=\"Float32\" Name=\"g\" format=\"binary\">\n  " +
                        encoded + "\n</DataArray></PointData></Piece></ImageData></VTKFile>");
    const VoxelModel m = readVti(dir.file("b.vti"));
    EXPECT_EQ(m.denseChannel("g"), (std::vector<float>{1.25f, -2.0f, 1e6f}));
  }
}

TEST(VtiIo, UnsupportedOrBrokenFilesAreErrorsNamingTheFile) {
  TempDir dir;
  const std::string path = dir.file("x.vti");
  auto message = [&](const std::string& content) {
    test::writeFile(path, content);
    return test::errorMessage<DataError>([&] { readVti(path); });
  };
  const std::string head =
      "<VTKFile type=\"ImageData\"><ImageData WholeExtent=\"0 1 0 0 0 0\"><Piece Extent=\"0 1 0 0 "
      "0 0\"><PointData>";
  const std::string tail = "</PointData></Piece></ImageData></VTKFile>";
  EXPECT_EQ(message("<VTKFile type=\"ImageData\" compressor=\"vtkZLibDataCompressor\"><ImageData "
                    "WholeExtent=\"0 1 0 0 0 0\">"),
            path + ": compressed VTI (vtkZLibDataCompressor) is not supported; save uncompressed");
  EXPECT_EQ(message(head + "<DataArray type=\"Int32\" Name=\"n\" format=\"ascii\">1 2</DataArray>" +
                    tail),
            path + ": array 'n' has type 'Int32'; only Float32 and Float64 are supported");
  EXPECT_EQ(
      message(head + "<DataArray type=\"Float32\" Name=\"v\" format=\"ascii\">1 2 3</DataArray>" +
              tail),
      path + ": array 'v': expected 2 values, found 3");
  EXPECT_EQ(message("<VTKFile type=\"PolyData\"><PolyData></PolyData></VTKFile>"),
            path + ": VTK file type 'PolyData' is not ImageData");
  EXPECT_EQ(message("hello"),
            path + ": not a VTK ImageData file (no <VTKFile type=\"ImageData\"> / <ImageData>)");
  EXPECT_EQ(test::errorMessage<IoError>([&] { readVti(dir.file("none.vti")); }),
            dir.file("none.vti") + ": file not found");

  // A truncated appended block.
  VolumeSpec spec;
  spec.nx = spec.ny = spec.nz = 4;
  VoxelModel m(spec);
  m.addChannel("a");
  m.setValue("a", 1, 1, 1, 2.0f);
  writeVti(m, dir.file("full.vti"));
  const std::string full = test::readFile(dir.file("full.vti"));
  // The last block is the 8-byte header plus 64 mask bytes, then 30 bytes of closing tags.
  EXPECT_EQ(message(full.substr(0, full.size() - 50)),
            path + ": array 'vtkValidPointMask': data run past the end of the file (truncated?)");
}

}  // namespace
}  // namespace orevox
