// Drillhole traces as VTK XML PolyData (ASCII), written and read without VTK.
#include "orevox/datasets/vtp_io.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <map>

#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/text.hpp"
#include "text_file.hpp"
#include "vtk_xml.hpp"

namespace orevox {

namespace {

// orevox's metadata as extra attributes, which VTK's readers (ParaView) ignore.
constexpr const char* kCrsAttribute = "OrevoxCrs";          // on <PolyData>: the CRS as WKT
constexpr const char* kUnitAttribute = "OrevoxLengthUnit";  // on <PolyData>: m or ft
constexpr const char* kRoleAttribute =
    "OrevoxRole";  // on a DataArray: hole, from, to, numeric, categorical, bdl
constexpr const char* kFieldAttribute = "OrevoxField";  // bdl / categories arrays: the field

void appendNumber(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  char buffer[64];
  const auto r = std::to_chars(buffer, buffer + sizeof buffer, v);
  out.append(buffer, r.ptr);
}

void appendInteger(std::string& out, long long v) {
  char buffer[32];
  const auto r = std::to_chars(buffer, buffer + sizeof buffer, v);
  out.append(buffer, r.ptr);
}

/// `values` as lines of at most `perLine` numbers.
template <class T, class Append>
void appendValues(std::string& xml, const std::vector<T>& values, std::size_t perLine,
                  Append append) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    xml += i % perLine == 0 ? (i ? "\n          " : "          ") : " ";
    append(xml, values[i]);
  }
  xml += "\n";
}

/// A VTK string array in ASCII: each string's bytes as integers, each ended by a 0.
std::string stringArray(const std::string& name, const std::vector<std::string>& strings,
                        const std::string& extra) {
  std::string xml = "      <Array type=\"String\" Name=\"" + escapeMarkup(name) +
                    "\" NumberOfTuples=\"" + std::to_string(strings.size()) +
                    "\" format=\"ascii\"" + extra + ">\n";
  std::size_t count = 0;
  for (const auto& s : strings) {
    for (unsigned char c : s) {
      xml += count++ % 32 == 0 ? (count > 1 ? "\n        " : "        ") : " ";
      appendInteger(xml, c);
    }
    xml += count++ % 32 == 0 ? (count > 1 ? "\n        " : "        ") : " ";
    xml += "0";
  }
  xml += "\n      </Array>\n";
  return xml;
}

std::string attribute(const std::string& name, const std::string& value) {
  return " " + name + "=\"" + escapeMarkup(value) + "\"";
}

}  // namespace

void writeTracesVtp(const DrillholeTraces& traces, const std::string& path) {
  const std::size_t n = traces.size();
  if (traces.offsets.size() != n + 1 || traces.from.size() != n || traces.to.size() != n)
    throw UsageError("writeTracesVtp: inconsistent traces");
  for (const auto& f : traces.fields)
    if (f.size() != n)
      throw UsageError("writeTracesVtp: field '" + f.name + "' has the wrong size");

  std::string xml = "<?xml version=\"1.0\"?>\n";
  xml +=
      "<VTKFile type=\"PolyData\" version=\"1.0\" byte_order=\"LittleEndian\" "
      "header_type=\"UInt64\">\n";
  xml += "  <PolyData" +
         (traces.crsWkt.empty() ? std::string() : attribute(kCrsAttribute, traces.crsWkt)) +
         attribute(kUnitAttribute, nameOf(lengthUnitNames(), traces.unit)) + ">\n";
  xml += "    <FieldData>\n";
  xml += stringArray("hole_id", traces.holeIds, attribute(kRoleAttribute, "hole_id"));
  for (const auto& f : traces.fields)
    if (f.categorical)
      xml +=
          stringArray(f.name + "_categories", f.categories,
                      attribute(kRoleAttribute, "categories") + attribute(kFieldAttribute, f.name));
  xml += "    </FieldData>\n";
  xml += "    <Piece NumberOfPoints=\"" + std::to_string(traces.points.size()) +
         "\" NumberOfVerts=\"0\" NumberOfLines=\"" + std::to_string(n) +
         "\" NumberOfStrips=\"0\" NumberOfPolys=\"0\">\n";
  xml += "      <CellData>\n";
  auto dataArray = [&](const std::string& type, const std::string& name, const std::string& extra) {
    xml += "        <DataArray type=\"" + type + "\" Name=\"" + escapeMarkup(name) +
           "\" format=\"ascii\"" + extra + ">\n";
  };
  const auto real = [](std::string& out, double v) { appendNumber(out, v); };
  const auto integer = [](std::string& out, long long v) { appendInteger(out, v); };
  {
    std::vector<long long> hole(traces.hole.begin(), traces.hole.end());
    dataArray("Int32", "hole", attribute(kRoleAttribute, "hole"));
    appendValues(xml, hole, 20, integer);
    xml += "        </DataArray>\n";
    dataArray("Float64", "from", attribute(kRoleAttribute, "from"));
    appendValues(xml, traces.from, 8, real);
    xml += "        </DataArray>\n";
    dataArray("Float64", "to", attribute(kRoleAttribute, "to"));
    appendValues(xml, traces.to, 8, real);
    xml += "        </DataArray>\n";
  }
  for (const auto& f : traces.fields) {
    if (f.categorical) {
      std::vector<long long> codes(f.codes.begin(), f.codes.end());
      dataArray("Int32", f.name, attribute(kRoleAttribute, "categorical"));
      appendValues(xml, codes, 20, integer);
      xml += "        </DataArray>\n";
      continue;
    }
    dataArray("Float64", f.name, attribute(kRoleAttribute, "numeric"));
    appendValues(xml, f.values, 8, real);
    xml += "        </DataArray>\n";
    if (!f.belowDetection.empty()) {
      std::vector<long long> flags(f.belowDetection.begin(), f.belowDetection.end());
      dataArray("UInt8", f.name + "_bdl",
                attribute(kRoleAttribute, "bdl") + attribute(kFieldAttribute, f.name));
      appendValues(xml, flags, 40, integer);
      xml += "        </DataArray>\n";
    }
  }
  xml += "      </CellData>\n";
  xml += "      <Points>\n";
  {
    std::vector<double> flat;
    flat.reserve(traces.points.size() * 3);
    for (const auto& p : traces.points) flat.insert(flat.end(), p.begin(), p.end());
    xml +=
        "        <DataArray type=\"Float64\" Name=\"Points\" NumberOfComponents=\"3\" "
        "format=\"ascii\">\n";
    appendValues(xml, flat, 3, real);
    xml += "        </DataArray>\n";
  }
  xml += "      </Points>\n";
  xml += "      <Lines>\n";
  {
    std::vector<long long> connectivity(traces.points.size());
    for (std::size_t i = 0; i < connectivity.size(); ++i) connectivity[i] = (long long)i;
    std::vector<long long> offsets(traces.offsets.begin() + 1, traces.offsets.end());
    xml += "        <DataArray type=\"Int64\" Name=\"connectivity\" format=\"ascii\">\n";
    appendValues(xml, connectivity, 20, integer);
    xml += "        </DataArray>\n";
    xml += "        <DataArray type=\"Int64\" Name=\"offsets\" format=\"ascii\">\n";
    appendValues(xml, offsets, 20, integer);
    xml += "        </DataArray>\n";
  }
  xml += "      </Lines>\n";
  xml += "    </Piece>\n  </PolyData>\n</VTKFile>\n";
  writeTextFileAtomic(path, xml);
}

// ------------------------------------------------------------------ reading

namespace {

using Element = detail::XmlElement;

std::vector<double> parseValues(const Element& e, const std::string& path) {
  std::vector<double> out;
  const char* p = e.content.data();
  const char* end = p + e.content.size();
  const std::string name = e.attributes.count("Name") ? e.attributes.at("Name") : e.name;
  while (true) {
    while (p < end && std::isspace(static_cast<unsigned char>(*p))) ++p;
    if (p >= end) break;
    double v = 0.0;
    const auto r = std::from_chars(p, end, v);
    if (r.ec != std::errc())
      throw DataError("array '" + name + "': not a number near '" +
                          std::string(p, std::min<std::size_t>(12, std::size_t(end - p))) + "'",
                      SourceLocation{path, 0, 0, {}, {}});
    out.push_back(v);
    p = r.ptr;
  }
  return out;
}

std::string attr(const Element& e, const std::string& key, const std::string& fallback = {}) {
  const auto it = e.attributes.find(key);
  return it == e.attributes.end() ? fallback : it->second;
}

}  // namespace

DrillholeTraces readTracesVtp(const std::string& path) {
  const std::string text = detail::readWholeFile(path);
  auto fail = [&](const std::string& what) {
    throw DataError(what, SourceLocation{path, 0, 0, {}, {}});
  };
  const std::vector<Element> elements = scanXmlElements(detail::XmlScanner(path, text));
  DrillholeTraces t;
  const Element* file = nullptr;
  std::size_t pieces = 0, nPoints = 0, nLines = 0;
  for (const auto& e : elements) {
    if (e.name == "VTKFile") file = &e;
    if (e.name == "PolyData") {
      t.crsWkt = attr(e, kCrsAttribute);
      const std::string unit = attr(e, kUnitAttribute, "m");
      t.unit = parseName(lengthUnitNames(), unit, path + ": " + kUnitAttribute);
    }
    if (e.name == "Piece") {
      ++pieces;
      auto count = [&](const char* key) {
        const std::string text = attr(e, key, "0");
        std::size_t v = 0;
        const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
        if (r.ec != std::errc() || r.ptr != text.data() + text.size())
          fail(std::string("<Piece> ") + key + " is not a count: '" + text + "'");
        return v;
      };
      nPoints = count("NumberOfPoints");
      nLines = count("NumberOfLines");
      for (const char* other : {"NumberOfVerts", "NumberOfStrips", "NumberOfPolys"})
        if (attr(e, other, "0") != "0")
          fail(std::string("has ") + other + ": only polylines are read");
    }
  }
  if (file == nullptr || attr(*file, "type") != "PolyData") fail("not a VTK PolyData file");
  if (attr(*file, "compressor") != "") fail("compressed data is not read; save as ASCII");
  if (pieces != 1) fail("has " + std::to_string(pieces) + " pieces; one is read");

  std::vector<double> points, connectivity, offsets, holes;
  std::map<std::string, std::vector<std::string>> categories;  // field -> names
  std::vector<std::pair<std::string, std::vector<std::string>>> strings;
  struct CellArray {
    std::string name, role, field;
    std::vector<double> values;
  };
  std::vector<CellArray> cellArrays;
  for (const auto& e : elements) {
    if (e.name != "DataArray" && e.name != "Array") continue;
    if (attr(e, "format", "ascii") != "ascii")
      fail("array '" + attr(e, "Name") +
           "' is not ASCII; only the ASCII form orevox writes is read");
    const std::string type = attr(e, "type");
    if (e.parent == "FieldData") {
      if (type != "String") continue;
      std::vector<std::string> names;
      std::string current;
      for (double v : parseValues(e, path)) {
        if (v == 0.0) {
          names.push_back(current);
          current.clear();
        } else {
          current += char(static_cast<unsigned char>(v));
        }
      }
      if (attr(e, kRoleAttribute) == "hole_id" || attr(e, "Name") == "hole_id") t.holeIds = names;
      if (attr(e, kRoleAttribute) == "categories") categories[attr(e, kFieldAttribute)] = names;
      continue;
    }
    if (e.parent == "Points") {
      if (attr(e, "NumberOfComponents") != "3") fail("points must have 3 components");
      points = parseValues(e, path);
    } else if (e.parent == "Lines") {
      (attr(e, "Name") == "connectivity" ? connectivity : offsets) = parseValues(e, path);
    } else if (e.parent == "CellData") {
      if (type != "Float64" && type != "Float32" && type != "Int32" && type != "Int64" &&
          type != "UInt8")
        fail("cell array '" + attr(e, "Name") + "' has type '" + type + "'");
      std::string role = attr(e, kRoleAttribute);
      if (role.empty())
        role = attr(e, "Name") == "hole" || attr(e, "Name") == "from" || attr(e, "Name") == "to"
                   ? attr(e, "Name")
                   : "numeric";
      cellArrays.push_back({attr(e, "Name"), role, attr(e, kFieldAttribute), parseValues(e, path)});
    }
  }
  if (points.size() != 3 * nPoints) fail("expected " + std::to_string(nPoints) + " points");
  if (offsets.size() != nLines) fail("expected " + std::to_string(nLines) + " line offsets");
  t.points.resize(nPoints);
  for (std::size_t i = 0; i < nPoints; ++i)
    t.points[i] = {points[3 * i], points[3 * i + 1], points[3 * i + 2]};
  // Each line's points, copied in connectivity order (orevox writes them in order).
  {
    std::vector<std::array<double, 3>> ordered;
    ordered.reserve(connectivity.size());
    for (double id : connectivity) {
      if (!(id >= 0.0) || std::size_t(id) >= nPoints)
        fail("connectivity refers to a missing point");
      ordered.push_back(t.points[std::size_t(id)]);
    }
    t.points = std::move(ordered);
  }
  t.offsets.push_back(0);
  for (double o : offsets) {
    if (!(o >= double(t.offsets.back())) || std::size_t(o) > t.points.size())
      fail("bad line offsets");
    t.offsets.push_back(std::size_t(o));
  }
  for (auto& a : cellArrays) {
    if (a.values.size() != nLines)
      fail("cell array '" + a.name + "' has " + std::to_string(a.values.size()) + " values for " +
           std::to_string(nLines) + " lines");
    if (a.role == "hole") {
      for (double v : a.values) t.hole.push_back(v < 0 ? 0 : std::size_t(v));
    } else if (a.role == "from") {
      t.from = a.values;
    } else if (a.role == "to") {
      t.to = a.values;
    }
  }
  t.hole.resize(nLines, 0);
  t.from.resize(nLines, kNotAssayed);
  t.to.resize(nLines, kNotAssayed);
  for (std::size_t h : t.hole)
    if (!t.holeIds.empty() && h >= t.holeIds.size())
      fail("a hole index is beyond the hole_id array");
  for (auto& a : cellArrays) {
    if (a.role == "numeric" || a.role == "categorical") {
      IntervalField f;
      f.name = a.name;
      if (a.role == "categorical") {
        f.categorical = true;
        f.categories = categories[a.name];
        for (double v : a.values) {
          const long code = std::lround(v);
          if (code >= long(f.categories.size()))
            fail("field '" + a.name + "': code beyond its categories");
          f.codes.push_back(std::int32_t(code < 0 ? -1 : code));
        }
      } else {
        f.values = a.values;
      }
      t.fields.push_back(std::move(f));
    }
  }
  for (auto& a : cellArrays) {
    if (a.role != "bdl") continue;
    const long index = t.fieldIndex(a.field);
    if (index < 0) continue;
    auto& flags = t.fields[std::size_t(index)].belowDetection;
    for (double v : a.values) flags.push_back(v != 0.0);
  }
  return t;
}

}  // namespace orevox
