#include "orevox/datasets/vti_io.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "byte_order.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/text.hpp"
#include "text_file.hpp"
#include "vtk_xml.hpp"

namespace orevox {
namespace {

using detail::appendLittleEndian;
using detail::base64Decode;
using detail::hostIsLittleEndian;
using detail::xmlAttribute;
using detail::XmlScanner;
using detail::XmlTag;

constexpr const char* kMaskName = "vtkValidPointMask";
// orevox's metadata as extra attributes, which VTK's readers (ParaView) ignore.
constexpr const char* kCrsAttribute = "OrevoxCrs";      // on <ImageData>: the CRS as WKT
constexpr const char* kUnitsAttribute = "OrevoxUnits";  // on a channel's <DataArray>

std::string formatDouble(double v) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), v);
  return std::string(buffer, result.ptr);
}

// ---------------------------------------------------------------- reading

template <typename T>
std::vector<T> parseNumbers(const XmlScanner& parser, const std::string& text, std::size_t expected,
                            const std::string& what) {
  std::vector<T> out;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  while (p < end) {
    while (p < end && std::isspace(static_cast<unsigned char>(*p))) ++p;
    if (p >= end) break;
    const char* tokenEnd = p;
    while (tokenEnd < end && !std::isspace(static_cast<unsigned char>(*tokenEnd))) ++tokenEnd;
    std::string token(p, tokenEnd);
    double v = 0.0;
    const std::string l = [&] {
      std::string s = token;
      std::transform(s.begin(), s.end(), s.begin(),
                     [](unsigned char c) { return char(std::tolower(c)); });
      return s;
    }();
    if (l == "nan" || l == "-nan") {
      v = std::numeric_limits<double>::quiet_NaN();
    } else {
      const char* b = token.data();
      if (!token.empty() && token[0] == '+') ++b;
      const auto r = std::from_chars(b, token.data() + token.size(), v);
      if (r.ec != std::errc() || r.ptr != token.data() + token.size())
        parser.fail(what + ": '" + token + "' is not a number");
    }
    out.push_back(T(v));
    p = tokenEnd;
  }
  if (expected != 0 && out.size() != expected) {
    parser.fail(what + ": expected " + std::to_string(expected) + " values, found " +
                std::to_string(out.size()));
  }
  return out;
}

struct Encoding {
  bool littleEndian = true;
  std::size_t headerBytes = 4;  // UInt32 or UInt64 block header
};

std::uint64_t readHeader(const unsigned char* p, const Encoding& enc) {
  std::uint64_t v = 0;
  for (std::size_t b = 0; b < enc.headerBytes; ++b) {
    const std::size_t shift = enc.littleEndian ? b : enc.headerBytes - 1 - b;
    v |= std::uint64_t(p[b]) << (8 * shift);
  }
  return v;
}

/// The data bytes of one base64 block (header + data). VTK encodes the header and the data
/// as two base64 streams; a single joint stream is accepted too.
std::vector<unsigned char> decodeBase64Block(const XmlScanner& parser, const std::string& b64,
                                             const Encoding& enc, std::size_t expectedBytes,
                                             const std::string& what) {
  std::vector<unsigned char> header, data;
  const std::size_t headerChars = 4 * ((enc.headerBytes + 2) / 3);
  if (b64.size() >= headerChars && base64Decode(b64.substr(0, headerChars), header) &&
      header.size() >= enc.headerBytes && readHeader(header.data(), enc) == expectedBytes) {
    const std::size_t dataChars = 4 * ((expectedBytes + 2) / 3);
    if (b64.size() >= headerChars + dataChars &&
        base64Decode(b64.substr(headerChars, dataChars), data) && data.size() >= expectedBytes) {
      data.resize(expectedBytes);
      return data;
    }
  }
  const std::size_t jointChars = 4 * ((enc.headerBytes + expectedBytes + 2) / 3);
  if (b64.size() >= jointChars && base64Decode(b64.substr(0, jointChars), data) &&
      data.size() >= enc.headerBytes + expectedBytes &&
      readHeader(data.data(), enc) == expectedBytes) {
    return std::vector<unsigned char>(
        data.begin() + std::ptrdiff_t(enc.headerBytes),
        data.begin() + std::ptrdiff_t(enc.headerBytes + expectedBytes));
  }
  parser.fail(what + ": base64 data do not hold " + std::to_string(expectedBytes) + " bytes");
}

template <typename T>
std::vector<double> fromBytes(const std::vector<unsigned char>& bytes, std::size_t count,
                              bool littleEndian) {
  std::vector<double> out(count);
  const bool swap = littleEndian != hostIsLittleEndian();
  unsigned char buffer[sizeof(T)];
  for (std::size_t i = 0; i < count; ++i) {
    std::memcpy(buffer, bytes.data() + i * sizeof(T), sizeof(T));
    if (swap) std::reverse(buffer, buffer + sizeof(T));
    T v;
    std::memcpy(&v, buffer, sizeof(T));
    out[i] = double(v);
  }
  return out;
}

struct ArraySpec {
  XmlTag tag;
  std::string content;  // inline text (ascii / base64), trimmed
  bool pointData = true;
};

std::string stripSpaces(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  return out;
}

}  // namespace

void writeVti(const VoxelModel& model, const std::string& path) {
  const std::vector<std::string> channels = model.channelNames();
  if (channels.empty())
    throw DataError("the voxel model has no channels to write", SourceLocation{path, 0, 0, {}, {}});
  const VolumeSpec& spec = model.spec();
  if (spec.size() == 0)
    throw DataError("the voxel model has an empty box", SourceLocation{path, 0, 0, {}, {}});
  const std::size_t n = spec.size();

  std::string appended;  // raw blocks: UInt64 byte count, then the values
  std::vector<std::uint64_t> offsets;
  std::vector<std::uint8_t> mask(n, 0);
  for (const auto& name : channels) {
    std::vector<float> values = model.denseChannel(name);
    const std::vector<std::uint8_t> active = model.activeMask(name);
    for (std::size_t i = 0; i < n; ++i) {
      if (active[i]) {
        mask[i] = 1;
      } else {
        values[i] = std::numeric_limits<float>::quiet_NaN();
      }
    }
    offsets.push_back(appended.size());
    const std::uint64_t bytes = n * sizeof(float);
    appendLittleEndian(appended, &bytes, 1, sizeof bytes);
    appendLittleEndian(appended, values.data(), n, sizeof(float));
  }
  offsets.push_back(appended.size());
  const std::uint64_t maskBytes = n;
  appendLittleEndian(appended, &maskBytes, 1, sizeof maskBytes);
  appended.append(reinterpret_cast<const char*>(mask.data()), n);

  const std::string extent = "0 " + std::to_string(spec.nx - 1) + " 0 " +
                             std::to_string(spec.ny - 1) + " 0 " + std::to_string(spec.nz - 1);
  std::string xml;
  xml += "<?xml version=\"1.0\"?>\n";
  xml +=
      "<VTKFile type=\"ImageData\" version=\"1.0\" byte_order=\"LittleEndian\" "
      "header_type=\"UInt64\">\n";
  xml += "  <ImageData WholeExtent=\"" + extent + "\" Origin=\"" + formatDouble(spec.centreX(0)) +
         " " + formatDouble(spec.centreY(0)) + " " + formatDouble(spec.centreZ(0)) +
         "\" Spacing=\"" + formatDouble(spec.spacing[0]) + " " + formatDouble(spec.spacing[1]) +
         " " + formatDouble(spec.spacing[2]) + "\" Direction=\"1 0 0 0 1 0 0 0 1\"" +
         (spec.crsWkt.empty()
              ? std::string()
              : " " + std::string(kCrsAttribute) + "=\"" + escapeMarkup(spec.crsWkt) + "\"") +
         ">\n";
  xml += "    <Piece Extent=\"" + extent + "\">\n";
  xml += "      <PointData Scalars=\"" + escapeMarkup(channels.front()) + "\">\n";
  for (std::size_t c = 0; c < channels.size(); ++c) {
    const std::string units = model.units(channels[c]);
    xml +=
        "        <DataArray type=\"Float32\" Name=\"" + escapeMarkup(channels[c]) +
        "\" NumberOfComponents=\"1\" format=\"appended\" offset=\"" + std::to_string(offsets[c]) +
        "\"" +
        (units.empty() ? std::string()
                       : " " + std::string(kUnitsAttribute) + "=\"" + escapeMarkup(units) + "\"") +
        "/>\n";
  }
  xml += "        <DataArray type=\"UInt8\" Name=\"" + std::string(kMaskName) +
         "\" NumberOfComponents=\"1\" format=\"appended\" offset=\"" +
         std::to_string(offsets.back()) + "\"/>\n";
  xml += "      </PointData>\n      <CellData>\n      </CellData>\n    </Piece>\n  </ImageData>\n";
  xml += "  <AppendedData encoding=\"raw\">\n   _";

  AtomicOutput out(path);
  out.write(xml);
  out.write(appended);
  out.write("\n  </AppendedData>\n</VTKFile>\n");
  out.commit();
}

VoxelModel readVti(const std::string& path) {
  std::string text = detail::readWholeFile(path);
  // The XML part ends where raw appended data begin; binary bytes are never parsed as XML.
  const std::size_t appendedTag = text.find("<AppendedData");
  std::size_t xmlEnd = text.size();
  std::size_t appendedStart = std::string::npos;
  std::string appendedEncoding;
  XmlScanner parser(path, std::move(text));
  if (appendedTag != std::string::npos) {
    std::size_t pos = appendedTag;
    XmlTag tag;
    if (!parser.nextTag(pos, parser.text().size(), tag)) parser.fail("malformed <AppendedData>");
    appendedEncoding = xmlAttribute(tag, "encoding", "raw");
    const std::size_t underscore = parser.text().find('_', tag.end);
    if (underscore == std::string::npos) parser.fail("appended data have no '_' marker");
    appendedStart = underscore + 1;
    xmlEnd = appendedTag;
  }

  Encoding enc;
  std::array<long, 6> whole{};
  std::array<double, 3> origin{0.0, 0.0, 0.0};
  std::array<double, 3> spacing{1.0, 1.0, 1.0};
  std::string crsWkt;
  bool sawFile = false, sawImage = false;
  int pieces = 0;
  std::vector<ArraySpec> arrays;
  int section = 0;  // 0 none, 1 PointData, 2 CellData
  std::size_t pos = 0;
  XmlTag tag;
  while (parser.nextTag(pos, xmlEnd, tag)) {
    if (tag.name == "VTKFile" && !tag.closing) {
      sawFile = true;
      if (xmlAttribute(tag, "type") != "ImageData") {
        parser.fail("VTK file type '" + xmlAttribute(tag, "type") + "' is not ImageData");
      }
      if (tag.attributes.count("compressor")) {
        parser.fail("compressed VTI (" + xmlAttribute(tag, "compressor") +
                    ") is not supported; save uncompressed");
      }
      const std::string order = xmlAttribute(tag, "byte_order", "LittleEndian");
      if (order != "LittleEndian" && order != "BigEndian")
        parser.fail("unknown byte_order '" + order + "'");
      enc.littleEndian = order == "LittleEndian";
      const std::string header = xmlAttribute(tag, "header_type", "UInt32");
      if (header == "UInt32") {
        enc.headerBytes = 4;
      } else if (header == "UInt64") {
        enc.headerBytes = 8;
      } else {
        parser.fail("unsupported header_type '" + header + "'");
      }
    } else if (tag.name == "ImageData" && !tag.closing) {
      sawImage = true;
      crsWkt = xmlAttribute(tag, kCrsAttribute);
      const auto ext =
          parseNumbers<double>(parser, xmlAttribute(tag, "WholeExtent"), 6, "WholeExtent");
      for (std::size_t i = 0; i < 6; ++i) {
        // Untrusted header values: bounded before any cast or allocation.
        if (!(std::fabs(ext[i]) <= 1e9) || ext[i] != std::floor(ext[i]))
          parser.fail("WholeExtent value '" + formatDouble(ext[i]) +
                      "' is not a whole number within +-1e9");
        whole[i] = long(ext[i]);
      }
      if (tag.attributes.count("Origin")) {
        const auto o = parseNumbers<double>(parser, xmlAttribute(tag, "Origin"), 3, "Origin");
        std::copy(o.begin(), o.end(), origin.begin());
      }
      if (tag.attributes.count("Spacing")) {
        const auto s = parseNumbers<double>(parser, xmlAttribute(tag, "Spacing"), 3, "Spacing");
        std::copy(s.begin(), s.end(), spacing.begin());
      }
      if (tag.attributes.count("Direction")) {
        const auto d = parseNumbers<double>(parser, xmlAttribute(tag, "Direction"), 9, "Direction");
        for (std::size_t i = 0; i < 9; ++i) {
          if (std::fabs(d[i] - ((i % 4 == 0) ? 1.0 : 0.0)) > 1e-12)
            parser.fail("rotated ImageData (Direction) is not supported");
        }
      }
    } else if (tag.name == "Piece" && !tag.closing) {
      if (++pieces > 1) parser.fail("VTI with several pieces is not supported");
      const auto ext = parseNumbers<double>(parser, xmlAttribute(tag, "Extent"), 6, "Piece Extent");
      for (std::size_t i = 0; i < 6; ++i) {
        if (long(ext[i]) != whole[i]) parser.fail("the piece does not cover the WholeExtent");
      }
    } else if (tag.name == "PointData" || tag.name == "CellData") {
      section = (tag.closing || tag.selfClosing) ? 0 : (tag.name == "PointData" ? 1 : 2);
    } else if (tag.name == "DataArray" && !tag.closing) {
      ArraySpec array;
      array.tag = tag;
      array.pointData = section == 1;
      if (!tag.selfClosing) {
        const std::size_t close = parser.text().find("</DataArray>", tag.end);
        if (close == std::string::npos || close > xmlEnd) parser.fail("unterminated <DataArray>");
        array.content = parser.text().substr(tag.end, close - tag.end);
        pos = close + std::strlen("</DataArray>");
      }
      if (section != 0) arrays.push_back(std::move(array));
    }
  }
  if (!sawFile || !sawImage)
    parser.fail("not a VTK ImageData file (no <VTKFile type=\"ImageData\"> / <ImageData>)");
  if (arrays.empty()) parser.fail("no PointData or CellData arrays");
  const bool pointData = arrays.front().pointData;
  for (const auto& a : arrays) {
    if (a.pointData != pointData)
      parser.fail("mixing PointData and CellData arrays is not supported");
  }

  VolumeSpec spec;
  std::array<std::size_t, 3> counts{};
  for (std::size_t a = 0; a < 3; ++a) {
    const long span = whole[2 * a + 1] - whole[2 * a];
    const long count = pointData ? span + 1 : span;
    if (count <= 0) parser.fail("empty extent along axis " + std::to_string(a));
    if (!(spacing[a] > 0.0) || !std::isfinite(spacing[a]))
      parser.fail("spacing must be a positive finite number");
    if (!std::isfinite(origin[a])) parser.fail("origin must be finite");
    counts[a] = std::size_t(count);
    const double firstPoint = origin[a] + double(whole[2 * a]) * spacing[a];
    spec.origin[a] = pointData ? firstPoint - 0.5 * spacing[a] : firstPoint;
    spec.spacing[a] = spacing[a];
  }
  spec.nx = counts[0];
  spec.ny = counts[1];
  spec.nz = counts[2];
  spec.crsWkt = crsWkt;
  // The header's extent against the data present: every voxel of every array takes at
  // least one byte of the file, so an extent larger than the file is a lie (or a
  // truncation), refused before anything is allocated.
  const double declared = double(counts[0]) * double(counts[1]) * double(counts[2]);
  if (declared > double(parser.text().size())) {
    char count[48];
    std::snprintf(count, sizeof count, "%.0f", declared);
    parser.fail("WholeExtent declares " + std::string(count) + " voxels but the file holds only " +
                std::to_string(parser.text().size()) + " bytes (truncated, or a wrong extent)");
  }
  const std::size_t n = spec.size();

  auto loadArray = [&](const ArraySpec& array) -> std::vector<double> {
    const std::string name = xmlAttribute(array.tag, "Name");
    const std::string what = "array '" + name + "'";
    const std::string type = xmlAttribute(array.tag, "type");
    if (parseNumbers<double>(parser, xmlAttribute(array.tag, "NumberOfComponents", "1"), 1,
                             what + " NumberOfComponents")[0] != 1.0) {
      parser.fail(what + " has several components; only scalar arrays are supported");
    }
    std::size_t bytesEach = 0;
    if (type == "Float32") {
      bytesEach = 4;
    } else if (type == "Float64") {
      bytesEach = 8;
    } else if ((type == "UInt8" || type == "Int8") && name == kMaskName) {
      bytesEach = 1;
    } else {
      parser.fail(what + " has type '" + type + "'; only Float32 and Float64 are supported");
    }
    const std::string format = xmlAttribute(array.tag, "format", "ascii");
    std::vector<unsigned char> bytes;
    if (format == "ascii") {
      return parseNumbers<double>(parser, array.content, n, what);
    } else if (format == "binary") {
      bytes = decodeBase64Block(parser, stripSpaces(array.content), enc, n * bytesEach, what);
    } else if (format == "appended") {
      if (appendedStart == std::string::npos)
        parser.fail(what + " is appended but the file has no <AppendedData>");
      const double offsetValue = parseNumbers<double>(
          parser, xmlAttribute(array.tag, "offset", "0"), 1, what + " offset")[0];
      if (!(offsetValue >= 0.0)) parser.fail(what + ": negative offset");
      const std::size_t offset = std::size_t(offsetValue);
      const std::string& t = parser.text();
      if (appendedEncoding == "raw") {
        const std::size_t at = appendedStart + offset;
        if (at + enc.headerBytes > t.size())
          parser.fail(what + ": appended offset beyond the end of the file");
        const std::uint64_t count =
            readHeader(reinterpret_cast<const unsigned char*>(t.data() + at), enc);
        if (count != n * bytesEach) {
          parser.fail(what + ": holds " + std::to_string(count) + " bytes, expected " +
                      std::to_string(n * bytesEach));
        }
        if (at + enc.headerBytes + count > t.size())
          parser.fail(what + ": data run past the end of the file (truncated?)");
        bytes.assign(t.begin() + std::ptrdiff_t(at + enc.headerBytes),
                     t.begin() + std::ptrdiff_t(at + enc.headerBytes + count));
      } else if (appendedEncoding == "base64") {
        const std::size_t at = appendedStart + offset;
        if (at > t.size()) parser.fail(what + ": appended offset beyond the end of the file");
        const std::size_t close = t.find('<', at);
        const std::string b64 = t.substr(at, (close == std::string::npos ? t.size() : close) - at);
        bytes = decodeBase64Block(parser, stripSpaces(b64), enc, n * bytesEach, what);
      } else {
        parser.fail("unsupported AppendedData encoding '" + appendedEncoding + "'");
      }
    } else {
      parser.fail(what + " has unsupported format '" + format + "'");
    }
    if (bytesEach == 4) return fromBytes<float>(bytes, n, enc.littleEndian);
    if (bytesEach == 8) return fromBytes<double>(bytes, n, enc.littleEndian);
    return fromBytes<std::uint8_t>(bytes, n, enc.littleEndian);
  };

  std::vector<std::uint8_t> mask;
  struct Channel {
    std::string name, units;
    std::vector<double> data;
  };
  std::vector<Channel> channels;
  for (const auto& array : arrays) {
    const std::string name = xmlAttribute(array.tag, "Name");
    if (name == kMaskName) {
      const std::vector<double> m = loadArray(array);
      mask.resize(n);
      for (std::size_t i = 0; i < n; ++i) mask[i] = m[i] != 0.0;
    } else {
      if (name.empty()) parser.fail("a DataArray has no Name");
      channels.push_back({name, xmlAttribute(array.tag, kUnitsAttribute), loadArray(array)});
    }
  }
  if (channels.empty()) parser.fail("no Float32/Float64 data arrays besides the mask");

  VoxelModel model(spec);
  std::vector<float> values(n);
  std::vector<std::uint8_t> active(n);
  for (const auto& [name, units, data] : channels) {
    for (std::size_t i = 0; i < n; ++i) {
      values[i] = float(data[i]);
      active[i] = !std::isnan(data[i]) && (mask.empty() || mask[i]);
      if (!active[i]) values[i] = 0.0f;
    }
    if (model.hasChannel(name)) parser.fail("two arrays are named '" + name + "'");
    model.addChannel(name, 0.0f, units);
    model.setChannel(name, values, &active);
  }
  return model;
}

}  // namespace orevox
