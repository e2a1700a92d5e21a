#include "orevox/datasets/mesh_io.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "gdal_support.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/text.hpp"
#include "orevox/datasets/crs.hpp"
#include "text_file.hpp"

namespace orevox {

namespace {

constexpr const char* kCrsComment = "orevox_crs_wkt";  // TSurf/OBJ '#' and PLY 'comment'
constexpr const char* kNameComment = "orevox_name";    // PLY 'comment'
constexpr double kTsurfNoData = -99999.0;

// ------------------------------------------------------------------ small helpers

[[noreturn]] void failLine(const std::string& path, long line, std::string_view value,
                           const std::string& message) {
  throw DataError(message, SourceLocation{path, line, 0, {}, std::string(value)});
}

[[noreturn]] void failByte(const std::string& path, std::size_t offset, const std::string& value,
                           const std::string& message) {
  throw DataError("at byte offset " + std::to_string(offset) + ": " + message,
                  SourceLocation{path, 0, 0, {}, value});
}

[[noreturn]] void fail(const std::string& path, const std::string& message) {
  throw DataError(message, SourceLocation{path, 0, 0, {}, {}});
}

/// Lines of a text, without their "\n" or "\r\n", numbered from 1.
class Lines {
 public:
  explicit Lines(std::string_view text, std::size_t start = 0) : text_(text), pos_(start) {}
  bool next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    std::size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    line = text_.substr(pos_, end - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos_ = end + 1;
    ++number_;
    return true;
  }
  long number() const { return number_; }
  std::size_t position() const { return pos_; }

 private:
  std::string_view text_;
  std::size_t pos_;
  long number_ = 0;
};

bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

void tokenize(std::string_view line, std::vector<std::string_view>& tokens) {
  tokens.clear();
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && isSpace(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !isSpace(line[i])) ++i;
    if (i > start) tokens.push_back(line.substr(start, i - start));
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

/// The rest of `line` after its first token, trimmed.
std::string_view restAfterFirst(std::string_view line) {
  line = trim(line);
  std::size_t i = 0;
  while (i < line.size() && !isSpace(line[i])) ++i;
  return trim(line.substr(i));
}

bool parseDouble(std::string_view token, double& value) {
  if (!token.empty() && token.front() == '+') token.remove_prefix(1);
  const char* end = token.data() + token.size();
  const auto r = std::from_chars(token.data(), end, value);
  return r.ec == std::errc() && r.ptr == end && !token.empty();
}

bool parseInteger(std::string_view token, long long& value) {
  if (!token.empty() && token.front() == '+') token.remove_prefix(1);
  const char* end = token.data() + token.size();
  const auto r = std::from_chars(token.data(), end, value);
  return r.ec == std::errc() && r.ptr == end && !token.empty();
}

double coordinate(const std::string& path, long line, std::string_view token, const char* what) {
  double v = 0.0;
  if (!parseDouble(token, v)) failLine(path, line, token, std::string(what) + " is not a number");
  if (!std::isfinite(v)) failLine(path, line, token, std::string(what) + " is not finite");
  return v;
}

std::string formatDouble(double v) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), v);
  return std::string(buffer, result.ptr);
}

std::string stemOf(const std::string& path) { return std::filesystem::path(path).stem().string(); }

/// One line of text: newlines and carriage returns become spaces.
std::string oneLine(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

bool hostIsLittleEndian() {
  const std::uint16_t probe = 1;
  unsigned char first = 0;
  std::memcpy(&first, &probe, 1);
  return first == 1;
}

template <typename T>
void appendLittleEndian(std::string& out, T value) {
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  if (!hostIsLittleEndian()) std::reverse(bytes, bytes + sizeof(T));
  out.append(reinterpret_cast<const char*>(bytes), sizeof(T));
}

void writeAtomically(const std::string& path, const std::string& bytes) {
  AtomicOutput out(path);
  out.write(bytes);
  out.commit();
}

/// WKT from the orevox comment, verbatim.
std::string crsFromComment(std::string_view rest) { return std::string(trim(rest)); }

/// Adds triangles fanned from the polygon's first corner.
void addFan(TriangleMesh& mesh, const std::vector<std::uint32_t>& corners) {
  for (std::size_t i = 1; i + 1 < corners.size(); ++i)
    mesh.triangles.push_back({corners[0], corners[i], corners[i + 1]});
}

// ------------------------------------------------------------------ GOCAD TSurf

struct TsObject {
  TriangleMesh mesh;
  std::unordered_map<long long, std::uint32_t> ids;  // GOCAD vertex id -> mesh vertex
  std::vector<std::string> propertyNames;
  std::vector<std::size_t> esizes;
  std::vector<double> noData;
  bool depth = false;  // ZPOSITIVE Depth
  std::string crsName;
  long line = 0;  // line of 'GOCAD TSurf'

  std::size_t propertyValues() const {
    std::size_t n = 0;
    for (std::size_t p = 0; p < propertyNames.size(); ++p) n += p < esizes.size() ? esizes[p] : 1;
    return n;
  }
};

void parseHeaderEntry(std::string_view entry, TsObject& object) {
  entry = trim(entry);
  const std::size_t colon = entry.find(':');
  if (colon == std::string_view::npos) return;
  std::string_view key = trim(entry.substr(0, colon));
  std::string_view value = trim(entry.substr(colon + 1));
  if (key == "name") {
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    object.mesh.name = std::string(value);
  }
}

/// Ends an object: properties laid out, Depth turned into elevation.
void finishTsObject(TsObject& o) {
  if (o.depth) {
    for (auto& v : o.mesh.vertices) v.z() = -v.z();
    o.mesh.flipOrientation();  // a mirror image: keep the normals on the same side in space
  }
}

std::vector<TriangleMesh> readTSurf(const std::string& path) {
  const std::string text = detail::readWholeFile(path);
  Lines lines(text);
  std::string_view line;
  std::vector<std::string_view> tokens;
  std::vector<TsObject> objects;
  TsObject* current = nullptr;
  bool inHeader = false, inCrs = false;
  std::string commentCrs;

  auto vertexOf = [&](std::string_view token, const char* what) {
    long long id = 0;
    if (!parseInteger(token, id))
      failLine(path, lines.number(), token, std::string(what) + " is not an integer vertex id");
    const auto it = current->ids.find(id);
    if (it == current->ids.end())
      failLine(
          path, lines.number(), token,
          std::string(what) + " refers to a vertex id not defined before it (VRTX, PVRTX or ATOM)");
    return it->second;
  };
  auto newId = [&](std::string_view token) {
    long long id = 0;
    if (!parseInteger(token, id))
      failLine(path, lines.number(), token, "vertex id is not an integer");
    if (current->ids.count(id)) failLine(path, lines.number(), token, "vertex id defined twice");
    return id;
  };

  while (lines.next(line)) {
    const std::string_view trimmed = trim(line);
    if (trimmed.empty()) continue;
    if (trimmed.front() == '#') {
      const std::string_view body = trim(trimmed.substr(1));
      if (body.rfind(kCrsComment, 0) == 0)
        commentCrs = crsFromComment(body.substr(std::strlen(kCrsComment)));
      continue;
    }
    if (inHeader) {
      const std::size_t close = trimmed.find('}');
      parseHeaderEntry(trimmed.substr(0, close), *current);
      if (close != std::string_view::npos) inHeader = false;
      continue;
    }
    tokenize(trimmed, tokens);
    const std::string_view key = tokens[0];
    if (key == "GOCAD") {
      if (tokens.size() < 2 || tokens[1] != "TSurf")
        failLine(path, lines.number(), tokens.size() > 1 ? tokens[1] : std::string_view(),
                 "not a GOCAD TSurf object (only TSurf meshes are read)");
      if (current)
        failLine(path, lines.number(), key,
                 "a new GOCAD object starts before END of the previous one");
      objects.emplace_back();
      current = &objects.back();
      current->line = lines.number();
      continue;
    }
    if (!current)
      failLine(path, lines.number(), key, "expected 'GOCAD TSurf 1' before any other line");
    if (inCrs) {
      if (key == "END_ORIGINAL_COORDINATE_SYSTEM") {
        inCrs = false;
      } else if (key == "NAME") {
        std::string_view name = restAfterFirst(trimmed);
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
          name = name.substr(1, name.size() - 2);
        current->crsName = std::string(name);
      } else if (key == "ZPOSITIVE") {
        if (tokens.size() < 2 || (tokens[1] != "Elevation" && tokens[1] != "Depth"))
          failLine(path, lines.number(), tokens.size() > 1 ? tokens[1] : std::string_view(),
                   "ZPOSITIVE must be Elevation or Depth");
        current->depth = tokens[1] == "Depth";
      }
      continue;
    }
    if (key == "HEADER") {
      const std::size_t open = trimmed.find('{');
      if (open == std::string_view::npos) continue;
      const std::string_view after = trimmed.substr(open + 1);
      const std::size_t close = after.find('}');
      parseHeaderEntry(after.substr(0, close), *current);
      inHeader = close == std::string_view::npos;
    } else if (key == "GOCAD_ORIGINAL_COORDINATE_SYSTEM") {
      inCrs = true;
    } else if (key == "PROPERTIES") {
      current->propertyNames.assign(tokens.begin() + 1, tokens.end());
    } else if (key == "ESIZES") {
      current->esizes.clear();
      for (std::size_t t = 1; t < tokens.size(); ++t) {
        long long e = 0;
        if (!parseInteger(tokens[t], e) || e < 1 || e > 1024)
          failLine(path, lines.number(), tokens[t], "ESIZES must be whole numbers 1..1024");
        current->esizes.push_back(std::size_t(e));
      }
    } else if (key == "NO_DATA_VALUES") {
      current->noData.clear();
      for (std::size_t t = 1; t < tokens.size(); ++t) {
        double v = 0.0;
        if (!parseDouble(tokens[t], v))
          failLine(path, lines.number(), tokens[t], "NO_DATA_VALUES: not a number");
        current->noData.push_back(v);
      }
    } else if (key == "VRTX" || key == "PVRTX") {
      if (tokens.size() < 5)
        failLine(path, lines.number(), trimmed, std::string(key) + " needs an id and x, y, z");
      const long long id = newId(tokens[1]);
      TriangleMesh& m = current->mesh;
      if (m.vertices.size() >= std::numeric_limits<std::uint32_t>::max())
        failLine(path, lines.number(), tokens[1], "too many vertices");
      m.vertices.emplace_back(coordinate(path, lines.number(), tokens[2], "x"),
                              coordinate(path, lines.number(), tokens[3], "y"),
                              coordinate(path, lines.number(), tokens[4], "z"));
      current->ids[id] = std::uint32_t(m.vertices.size() - 1);
      // Property values: PVRTX must carry every declared value; VRTX carries none.
      const std::size_t declared = current->propertyValues();
      const std::size_t present = key == "PVRTX" ? tokens.size() - 5 : 0;
      if (key == "PVRTX" && present != declared)
        failLine(path, lines.number(), std::to_string(present),
                 "PVRTX carries " + std::to_string(present) +
                     " property values; PROPERTIES/ESIZES declare " + std::to_string(declared));
      if (m.vertexProperties.empty() && declared > 0) {
        for (std::size_t p = 0; p < current->propertyNames.size(); ++p) {
          MeshProperty prop;
          prop.name = current->propertyNames[p];
          prop.components = p < current->esizes.size() ? current->esizes[p] : 1;
          // Vertices read before the first property value have none.
          prop.values.assign((m.vertices.size() - 1) * prop.components,
                             std::numeric_limits<double>::quiet_NaN());
          m.vertexProperties.push_back(std::move(prop));
        }
      }
      std::size_t t = 5;
      for (std::size_t p = 0; p < m.vertexProperties.size(); ++p) {
        MeshProperty& prop = m.vertexProperties[p];
        for (std::size_t c = 0; c < prop.components; ++c) {
          double v = std::numeric_limits<double>::quiet_NaN();
          if (present > 0) {
            if (!parseDouble(tokens[t], v))
              failLine(path, lines.number(), tokens[t],
                       "property '" + prop.name + "' value is not a number");
            if (p < current->noData.size() && v == current->noData[p])
              v = std::numeric_limits<double>::quiet_NaN();
            ++t;
          }
          prop.values.push_back(v);
        }
      }
    } else if (key == "ATOM" || key == "PATOM") {
      if (tokens.size() < 3)
        failLine(path, lines.number(), trimmed,
                 std::string(key) + " needs an id and the id it refers to");
      const long long id = newId(tokens[1]);
      current->ids[id] = vertexOf(tokens[2], key == "ATOM" ? "ATOM" : "PATOM");
    } else if (key == "TRGL") {
      if (tokens.size() < 4) failLine(path, lines.number(), trimmed, "TRGL needs three vertex ids");
      current->mesh.triangles.push_back(
          {vertexOf(tokens[1], "TRGL"), vertexOf(tokens[2], "TRGL"), vertexOf(tokens[3], "TRGL")});
    } else if (key == "END") {
      finishTsObject(*current);
      current = nullptr;
    }
    // TFACE, BSTONE, BORDER, PROPERTY_CLASS_HEADER and the rest need nothing here.
  }
  if (current) finishTsObject(*current);  // tolerate a missing final END
  if (inHeader) fail(path, "HEADER { is not closed by }");
  if (objects.empty()) fail(path, "no 'GOCAD TSurf' object in the file");

  std::vector<TriangleMesh> out;
  for (TsObject& o : objects) {
    TriangleMesh& m = o.mesh;
    if (m.triangles.empty())
      failLine(path, o.line, m.name, "the TSurf object has no triangles (TRGL)");
    m.source = path;
    if (m.name.empty()) m.name = stemOf(path);
    if (!commentCrs.empty()) {
      m.crsWkt = commentCrs;
    } else if (o.crsName.rfind("EPSG:", 0) == 0) {
      try {
        m.crsWkt = crsFromUserInput(o.crsName);
      } catch (const UsageError&) {
        m.crsWkt.clear();  // a name orevox cannot resolve: no CRS rather than a wrong one
      }
    }
    out.push_back(std::move(m));
  }
  return out;
}

/// Several objects as one mesh; vertex properties kept when every object has them alike.
TriangleMesh mergeMeshes(std::vector<TriangleMesh> parts) {
  if (parts.size() == 1) return std::move(parts.front());
  TriangleMesh out;
  out.source = parts.front().source;
  out.crsWkt = parts.front().crsWkt;
  for (const MeshProperty& p : parts.front().vertexProperties) {
    bool everywhere = true;
    for (const TriangleMesh& m : parts) {
      const MeshProperty* q = m.vertexProperty(p.name);
      everywhere = everywhere && q && q->components == p.components;
    }
    if (everywhere) out.vertexProperties.push_back(MeshProperty{p.name, p.components, {}});
  }
  for (const TriangleMesh& m : parts) {
    out.name += (out.name.empty() ? "" : "+") + m.name;
    const std::uint32_t offset = std::uint32_t(out.vertices.size());
    out.vertices.insert(out.vertices.end(), m.vertices.begin(), m.vertices.end());
    for (auto t : m.triangles)
      out.triangles.push_back({t[0] + offset, t[1] + offset, t[2] + offset});
    for (MeshProperty& p : out.vertexProperties) {
      const MeshProperty* q = m.vertexProperty(p.name);
      p.values.insert(p.values.end(), q->values.begin(), q->values.end());
    }
  }
  return out;
}

std::string tsurfToken(const std::string& name) {
  std::string out = name.empty() ? "property" : name;
  for (char& c : out)
    if (isSpace(c)) c = '_';
  return out;
}

/// "m", "ft" or "" from the CRS's linear unit.
std::string linearUnitOf(const std::string& wkt) {
  if (wkt.empty()) return {};
  detail::GdalErrorScope quiet;
  OGRSpatialReference srs;
  if (!detail::parseCrs(wkt, srs) || !srs.IsProjected()) return {};
  const double toMetre = srs.GetLinearUnits(nullptr);
  if (std::abs(toMetre - 1.0) < 1e-12) return "m";
  if (std::abs(toMetre - 0.3048) < 1e-6 || std::abs(toMetre - 1200.0 / 3937.0) < 1e-9) return "ft";
  return {};
}

std::string writeTSurfText(const TriangleMesh& mesh) {
  std::string s;
  s.reserve(64 * (mesh.vertices.size() + mesh.triangles.size()) + 512);
  s += "GOCAD TSurf 1\nHEADER {\nname:" +
       oneLine(mesh.name.empty() ? std::string("mesh") : mesh.name) + "\n}\n";
  if (!mesh.crsWkt.empty())
    s += "# " + std::string(kCrsComment) + " " + oneLine(mesh.crsWkt) + "\n";
  std::string crs = mesh.crsWkt.empty() ? std::string() : crsName(mesh.crsWkt);
  if (crs.empty() || crs == "unparsable CRS") crs = "Default";
  s += "GOCAD_ORIGINAL_COORDINATE_SYSTEM\nNAME \"" + oneLine(crs) +
       "\"\nAXIS_NAME \"X\" \"Y\" \"Z\"\n";
  const std::string unit = linearUnitOf(mesh.crsWkt);
  if (!unit.empty()) s += "AXIS_UNIT \"" + unit + "\" \"" + unit + "\" \"" + unit + "\"\n";
  s += "ZPOSITIVE Elevation\nEND_ORIGINAL_COORDINATE_SYSTEM\n";
  const bool withProperties = !mesh.vertexProperties.empty();
  if (withProperties) {
    s += "PROPERTIES";
    for (const auto& p : mesh.vertexProperties) s += " " + tsurfToken(p.name);
    s += "\nNO_DATA_VALUES";
    for (std::size_t p = 0; p < mesh.vertexProperties.size(); ++p)
      s += " " + formatDouble(kTsurfNoData);
    s += "\nESIZES";
    for (const auto& p : mesh.vertexProperties) s += " " + std::to_string(p.components);
    s += "\n";
  }
  s += "TFACE\n";
  for (std::size_t v = 0; v < mesh.vertices.size(); ++v) {
    s += withProperties ? "PVRTX " : "VRTX ";
    s += std::to_string(v + 1);
    for (int a = 0; a < 3; ++a) s += " " + formatDouble(mesh.vertices[v][a]);
    for (const auto& p : mesh.vertexProperties) {
      for (std::size_t c = 0; c < p.components; ++c) {
        const double value = p.values[v * p.components + c];
        s += " " + formatDouble(std::isnan(value) ? kTsurfNoData : value);
      }
    }
    s += "\n";
  }
  for (const auto& t : mesh.triangles)
    s += "TRGL " + std::to_string(t[0] + 1) + " " + std::to_string(t[1] + 1) + " " +
         std::to_string(t[2] + 1) + "\n";
  s += "END\n";
  return s;
}

// ------------------------------------------------------------------ OBJ

TriangleMesh readObj(const std::string& path) {
  const std::string text = detail::readWholeFile(path);
  TriangleMesh mesh;
  mesh.source = path;
  Lines lines(text);
  std::string_view line;
  std::vector<std::string_view> tokens;
  std::vector<std::uint32_t> corners;
  while (lines.next(line)) {
    const std::string_view trimmed = trim(line);
    if (trimmed.empty()) continue;
    if (trimmed.front() == '#') {
      const std::string_view body = trim(trimmed.substr(1));
      if (body.rfind(kCrsComment, 0) == 0)
        mesh.crsWkt = crsFromComment(body.substr(std::strlen(kCrsComment)));
      continue;
    }
    tokenize(trimmed, tokens);
    const std::string_view key = tokens[0];
    if (key == "v") {
      if (tokens.size() < 4) failLine(path, lines.number(), trimmed, "'v' needs x, y, z");
      if (mesh.vertices.size() >= std::numeric_limits<std::uint32_t>::max())
        failLine(path, lines.number(), tokens[1], "too many vertices");
      mesh.vertices.emplace_back(coordinate(path, lines.number(), tokens[1], "x"),
                                 coordinate(path, lines.number(), tokens[2], "y"),
                                 coordinate(path, lines.number(), tokens[3], "z"));
    } else if (key == "f") {
      if (tokens.size() < 4)
        failLine(path, lines.number(), trimmed, "a face needs at least 3 corners");
      corners.clear();
      for (std::size_t t = 1; t < tokens.size(); ++t) {
        const std::string_view corner = tokens[t].substr(0, tokens[t].find('/'));
        long long index = 0;
        if (!parseInteger(corner, index))
          failLine(path, lines.number(), tokens[t], "face corner is not a vertex index");
        const long long n = (long long)mesh.vertices.size();
        // 1-based; negative counts back from the last vertex defined so far.
        const long long zeroBased = index > 0 ? index - 1 : n + index;
        if (index == 0 || zeroBased < 0 || zeroBased >= n)
          failLine(path, lines.number(), tokens[t],
                   "face corner refers to vertex " + std::to_string(index) + " of " +
                       std::to_string(n) + " defined so far");
        corners.push_back(std::uint32_t(zeroBased));
      }
      addFan(mesh, corners);
    } else if ((key == "o" || key == "g") && mesh.name.empty() && tokens.size() > 1) {
      mesh.name = std::string(restAfterFirst(trimmed));
    }
    // vt, vn, s, usemtl, mtllib, l, p, ...: not part of the surface.
  }
  if (mesh.triangles.empty()) fail(path, "no faces ('f') in the OBJ file");
  if (mesh.name.empty()) mesh.name = stemOf(path);
  return mesh;
}

std::string writeObjText(const TriangleMesh& mesh) {
  std::string s = "# written by orevox\n";
  if (!mesh.crsWkt.empty())
    s += "# " + std::string(kCrsComment) + " " + oneLine(mesh.crsWkt) + "\n";
  s += "o " + oneLine(mesh.name.empty() ? std::string("mesh") : mesh.name) + "\n";
  for (const auto& v : mesh.vertices)
    s += "v " + formatDouble(v.x()) + " " + formatDouble(v.y()) + " " + formatDouble(v.z()) + "\n";
  for (const auto& t : mesh.triangles)
    s += "f " + std::to_string(t[0] + 1) + " " + std::to_string(t[1] + 1) + " " +
         std::to_string(t[2] + 1) + "\n";
  return s;
}

// ------------------------------------------------------------------ PLY

enum class PlyType { Int8, UInt8, Int16, UInt16, Int32, UInt32, Float32, Float64 };

bool plyTypeOf(std::string_view name, PlyType& type) {
  static const std::pair<const char*, PlyType> names[] = {
      {"char", PlyType::Int8},      {"int8", PlyType::Int8},       {"uchar", PlyType::UInt8},
      {"uint8", PlyType::UInt8},    {"short", PlyType::Int16},     {"int16", PlyType::Int16},
      {"ushort", PlyType::UInt16},  {"uint16", PlyType::UInt16},   {"int", PlyType::Int32},
      {"int32", PlyType::Int32},    {"uint", PlyType::UInt32},     {"uint32", PlyType::UInt32},
      {"float", PlyType::Float32},  {"float32", PlyType::Float32}, {"double", PlyType::Float64},
      {"float64", PlyType::Float64}};
  for (const auto& [n, t] : names)
    if (name == n) {
      type = t;
      return true;
    }
  return false;
}

std::size_t plySize(PlyType t) {
  switch (t) {
    case PlyType::Int8:
    case PlyType::UInt8:
      return 1;
    case PlyType::Int16:
    case PlyType::UInt16:
      return 2;
    case PlyType::Int32:
    case PlyType::UInt32:
    case PlyType::Float32:
      return 4;
    case PlyType::Float64:
      return 8;
  }
  return 1;
}

struct PlyProperty {
  std::string name;
  PlyType type = PlyType::Float32;
  bool list = false;
  PlyType countType = PlyType::UInt8;
};

struct PlyElement {
  std::string name;
  std::size_t count = 0;
  std::vector<PlyProperty> properties;
  long line = 0;  // header line
};

/// Reads PLY values from the body: binary (either byte order) or ascii tokens.
class PlyBody {
 public:
  PlyBody(const std::string& path, const std::string& text, std::size_t start, int format)
      : path_(path), text_(text), pos_(start), format_(format) {
    if (format_ == 0) {  // ascii: line numbers continue after the header
      lineNumber_ = 1;
      for (std::size_t i = 0; i < start; ++i) lineNumber_ += text[i] == '\n';
    }
  }

  bool ascii() const { return format_ == 0; }
  std::size_t remainingBytes() const { return text_.size() - pos_; }
  std::size_t offset() const { return pos_; }
  long line() const { return lineNumber_; }

  /// Whitespace-separated tokens left (ascii), counted once for the count checks.
  std::size_t remainingTokens() const {
    std::size_t n = 0;
    bool inToken = false;
    for (std::size_t i = pos_; i < text_.size(); ++i) {
      const bool space = isSpace(text_[i]);
      if (!space && !inToken) ++n;
      inToken = !space;
    }
    return n;
  }

  /// The next value as a double; `what` names it in errors.
  double read(PlyType type, const std::string& what) {
    if (format_ == 0) return readAscii(type, what);
    const std::size_t size = plySize(type);
    if (pos_ + size > text_.size())
      failByte(path_, pos_, what, "the file ends inside a record (truncated)");
    unsigned char b[8];
    std::memcpy(b, text_.data() + pos_, size);
    const bool bigEndian = format_ == 2;
    if (bigEndian == hostIsLittleEndian()) std::reverse(b, b + size);
    pos_ += size;
    switch (type) {
      case PlyType::Int8:
        return double(std::int8_t(b[0]));
      case PlyType::UInt8:
        return double(b[0]);
      case PlyType::Int16: {
        std::int16_t v;
        std::memcpy(&v, b, 2);
        return v;
      }
      case PlyType::UInt16: {
        std::uint16_t v;
        std::memcpy(&v, b, 2);
        return v;
      }
      case PlyType::Int32: {
        std::int32_t v;
        std::memcpy(&v, b, 4);
        return v;
      }
      case PlyType::UInt32: {
        std::uint32_t v;
        std::memcpy(&v, b, 4);
        return v;
      }
      case PlyType::Float32: {
        float v;
        std::memcpy(&v, b, 4);
        return v;
      }
      case PlyType::Float64: {
        double v;
        std::memcpy(&v, b, 8);
        return v;
      }
    }
    return 0.0;
  }

  [[noreturn]] void failHere(const std::string& value, const std::string& message) const {
    if (format_ == 0) failLine(path_, lineNumber_, value, message);
    failByte(path_, pos_, value, message);
  }

 private:
  double readAscii(PlyType type, const std::string& what) {
    while (pos_ < text_.size() && isSpace(text_[pos_])) {
      if (text_[pos_] == '\n') ++lineNumber_;
      ++pos_;
    }
    if (pos_ >= text_.size())
      failLine(path_, lineNumber_, what, "the file ends inside a record (truncated)");
    const std::size_t start = pos_;
    while (pos_ < text_.size() && !isSpace(text_[pos_])) ++pos_;
    const std::string_view token(text_.data() + start, pos_ - start);
    double v = 0.0;
    if (!parseDouble(token, v)) failLine(path_, lineNumber_, token, what + " is not a number");
    if (type != PlyType::Float32 && type != PlyType::Float64 && v != std::floor(v))
      failLine(path_, lineNumber_, token, what + " is not an integer");
    return v;
  }

  const std::string& path_;
  const std::string& text_;
  std::size_t pos_;
  int format_;  // 0 ascii, 1 binary little endian, 2 binary big endian
  long lineNumber_ = 0;
};

TriangleMesh readPly(const std::string& path) {
  const std::string text = detail::readWholeFile(path);
  TriangleMesh mesh;
  mesh.source = path;
  Lines lines(text);
  std::string_view line;
  std::vector<std::string_view> tokens;
  if (!lines.next(line) || trim(line) != "ply")
    fail(path, "not a PLY file (the first line is not 'ply')");
  int format = -1;
  std::vector<PlyElement> elements;
  bool ended = false;
  while (lines.next(line)) {
    const std::string_view trimmed = trim(line);
    tokenize(trimmed, tokens);
    if (tokens.empty()) continue;
    const std::string_view key = tokens[0];
    if (key == "end_header") {
      ended = true;
      break;
    }
    if (key == "format") {
      if (tokens.size() < 3 || tokens[2] != "1.0")
        failLine(path, lines.number(), trimmed,
                 "expected 'format <ascii|binary_little_endian|binary_big_endian> 1.0'");
      if (tokens[1] == "ascii")
        format = 0;
      else if (tokens[1] == "binary_little_endian")
        format = 1;
      else if (tokens[1] == "binary_big_endian")
        format = 2;
      else
        failLine(path, lines.number(), tokens[1], "unknown PLY format");
    } else if (key == "comment") {
      const std::string_view body = restAfterFirst(trimmed);
      if (body.rfind(kCrsComment, 0) == 0)
        mesh.crsWkt = crsFromComment(body.substr(std::strlen(kCrsComment)));
      if (body.rfind(kNameComment, 0) == 0)
        mesh.name = std::string(trim(body.substr(std::strlen(kNameComment))));
    } else if (key == "element") {
      long long count = 0;
      if (tokens.size() != 3 || !parseInteger(tokens[2], count) || count < 0)
        failLine(path, lines.number(), trimmed, "expected 'element <name> <count>'");
      elements.push_back({std::string(tokens[1]), std::size_t(count), {}, lines.number()});
    } else if (key == "property") {
      if (elements.empty())
        failLine(path, lines.number(), trimmed, "'property' before any 'element'");
      PlyProperty p;
      if (tokens.size() == 5 && tokens[1] == "list") {
        p.list = true;
        if (!plyTypeOf(tokens[2], p.countType) || !plyTypeOf(tokens[3], p.type))
          failLine(path, lines.number(), trimmed, "unknown type in list property");
        if (p.countType == PlyType::Float32 || p.countType == PlyType::Float64)
          failLine(path, lines.number(), tokens[2], "a list count must have an integer type");
        p.name = std::string(tokens[4]);
      } else if (tokens.size() == 3) {
        if (!plyTypeOf(tokens[1], p.type))
          failLine(path, lines.number(), tokens[1], "unknown property type");
        p.name = std::string(tokens[2]);
      } else {
        failLine(path, lines.number(), trimmed,
                 "expected 'property <type> <name>' or 'property list <count type> <type> <name>'");
      }
      elements.back().properties.push_back(p);
    }
    // obj_info and other header lines: nothing to keep.
  }
  if (!ended) fail(path, "the PLY header has no 'end_header'");
  if (format < 0) fail(path, "the PLY header has no 'format' line");

  PlyBody body(path, text, lines.position(), format);
  bool haveVertices = false, haveFaces = false;
  std::vector<std::uint32_t> corners;
  for (const PlyElement& e : elements) {
    // Counts against the data present, before anything is allocated.
    std::size_t minimum = 0;  // bytes (binary) or tokens (ascii) of the smallest record
    for (const PlyProperty& p : e.properties)
      minimum += body.ascii() ? 1 : plySize(p.list ? p.countType : p.type);
    if (minimum > 0) {
      const std::size_t available = body.ascii() ? body.remainingTokens() : body.remainingBytes();
      if (e.count > available / minimum)
        failLine(path, e.line, std::to_string(e.count),
                 "element '" + e.name + "' declares " + std::to_string(e.count) +
                     " records of at least " + std::to_string(minimum) +
                     (body.ascii() ? " values" : " bytes") + " but only " +
                     std::to_string(available) + (body.ascii() ? " values" : " bytes") +
                     " follow the header");
    }
    const bool isVertex = e.name == "vertex" && !haveVertices;
    const bool isFace = e.name == "face" && !haveFaces;
    int xyz[3] = {-1, -1, -1};
    int indexList = -1;
    std::vector<int> propertySlot(e.properties.size(), -1);
    std::vector<MeshProperty>& props = isVertex ? mesh.vertexProperties : mesh.faceProperties;
    if (isVertex || isFace) {
      for (std::size_t k = 0; k < e.properties.size(); ++k) {
        const PlyProperty& p = e.properties[k];
        if (isVertex && !p.list && (p.name == "x" || p.name == "y" || p.name == "z")) {
          xyz[p.name[0] - 'x'] = int(k);
        } else if (isFace && p.list && (p.name == "vertex_indices" || p.name == "vertex_index") &&
                   indexList < 0) {
          indexList = int(k);
        } else if (!p.list) {
          propertySlot[k] = int(props.size());
          props.push_back(MeshProperty{p.name, 1, {}});
        }
      }
      if (isVertex && (xyz[0] < 0 || xyz[1] < 0 || xyz[2] < 0))
        failLine(path, e.line, e.name, "the vertex element lacks property x, y or z");
      if (isFace && indexList < 0)
        failLine(path, e.line, e.name, "the face element has no 'vertex_indices' list");
      if (isVertex) {
        if (e.count >= std::numeric_limits<std::uint32_t>::max())
          failLine(path, e.line, std::to_string(e.count), "too many vertices");
        mesh.vertices.reserve(e.count);
      } else {
        mesh.triangles.reserve(e.count);
      }
      for (MeshProperty& p : props) p.values.reserve(e.count);
    }
    double values[3] = {0, 0, 0};
    for (std::size_t r = 0; r < e.count; ++r) {
      const std::size_t trianglesBefore = mesh.triangles.size();
      for (std::size_t k = 0; k < e.properties.size(); ++k) {
        const PlyProperty& p = e.properties[k];
        if (!p.list) {
          const double v =
              body.read(p.type, e.name + " " + std::to_string(r) + " property '" + p.name + "'");
          if (isVertex && (int(k) == xyz[0] || int(k) == xyz[1] || int(k) == xyz[2])) {
            if (!std::isfinite(v))
              body.failHere(formatDouble(v), "vertex " + std::to_string(r) + " coordinate " +
                                                 p.name + " is not finite");
            values[p.name[0] - 'x'] = v;
          } else if (propertySlot[k] >= 0) {
            props[std::size_t(propertySlot[k])].values.push_back(v);
          }
          continue;
        }
        const double n = body.read(
            p.countType, e.name + " " + std::to_string(r) + " list '" + p.name + "' count");
        if (n < 0) body.failHere(formatDouble(n), "negative list count");
        const std::size_t items = std::size_t(n);
        // Binary: the items must fit in the bytes left (ascii runs out of tokens instead).
        if (!body.ascii() && items > body.remainingBytes() / plySize(p.type))
          body.failHere(std::to_string(items), "list '" + p.name + "' of " + std::to_string(items) +
                                                   " items runs past the end of the file");
        const bool isIndices = isFace && int(k) == indexList;
        if (isIndices) {
          if (items < 3)
            body.failHere(std::to_string(items),
                          "face " + std::to_string(r) + " has fewer than 3 corners");
          corners.clear();
        }
        for (std::size_t i = 0; i < items; ++i) {
          const double v = body.read(p.type, "face " + std::to_string(r) + " corner");
          if (!isIndices) continue;
          if (!(v >= 0.0) || v >= double(mesh.vertices.size()))
            body.failHere(formatDouble(v), "face " + std::to_string(r) + " refers to vertex " +
                                               formatDouble(v) + " of " +
                                               std::to_string(mesh.vertices.size()) + " (0-based)");
          corners.push_back(std::uint32_t(v));
        }
        if (isIndices) addFan(mesh, corners);
      }
      if (isVertex) mesh.vertices.emplace_back(values[0], values[1], values[2]);
      if (isFace) {
        // A polygon fanned into several triangles repeats its face properties.
        const std::size_t added = mesh.triangles.size() - trianglesBefore;
        for (MeshProperty& p : props)
          for (std::size_t extra = 1; extra < added; ++extra) p.values.push_back(p.values.back());
      }
    }
    if (isVertex) haveVertices = true;
    if (isFace) haveFaces = true;
  }
  if (!haveVertices) fail(path, "no 'vertex' element in the PLY file");
  if (mesh.triangles.empty()) fail(path, "no faces in the PLY file");
  if (mesh.name.empty()) mesh.name = stemOf(path);
  return mesh;
}

/// Property names per component: name, or name_0, name_1, ...
std::vector<std::string> componentNames(const MeshProperty& p) {
  if (p.components == 1) return {tsurfToken(p.name)};
  std::vector<std::string> out;
  for (std::size_t c = 0; c < p.components; ++c)
    out.push_back(tsurfToken(p.name) + "_" + std::to_string(c));
  return out;
}

std::string writePlyBytes(const TriangleMesh& mesh, bool ascii) {
  if (mesh.vertices.size() > std::size_t(std::numeric_limits<std::int32_t>::max()))
    throw DataError(mesh.label() + ": too many vertices for PLY int indices");
  std::string s = "ply\nformat " + std::string(ascii ? "ascii" : "binary_little_endian") + " 1.0\n";
  s += "comment written by orevox\n";
  if (!mesh.name.empty())
    s += "comment " + std::string(kNameComment) + " " + oneLine(mesh.name) + "\n";
  if (!mesh.crsWkt.empty())
    s += "comment " + std::string(kCrsComment) + " " + oneLine(mesh.crsWkt) + "\n";
  s += "element vertex " + std::to_string(mesh.vertices.size()) +
       "\nproperty double x\nproperty double y\nproperty double z\n";
  for (const auto& p : mesh.vertexProperties)
    for (const auto& n : componentNames(p)) s += "property double " + n + "\n";
  s += "element face " + std::to_string(mesh.triangles.size()) +
       "\nproperty list uchar int vertex_indices\n";
  for (const auto& p : mesh.faceProperties)
    for (const auto& n : componentNames(p)) s += "property double " + n + "\n";
  s += "end_header\n";
  for (std::size_t v = 0; v < mesh.vertices.size(); ++v) {
    if (ascii) {
      std::string row = formatDouble(mesh.vertices[v].x()) + " " +
                        formatDouble(mesh.vertices[v].y()) + " " +
                        formatDouble(mesh.vertices[v].z());
      for (const auto& p : mesh.vertexProperties)
        for (std::size_t c = 0; c < p.components; ++c)
          row += " " + formatDouble(p.values[v * p.components + c]);
      s += row + "\n";
    } else {
      for (int a = 0; a < 3; ++a) appendLittleEndian(s, mesh.vertices[v][a]);
      for (const auto& p : mesh.vertexProperties)
        for (std::size_t c = 0; c < p.components; ++c)
          appendLittleEndian(s, p.values[v * p.components + c]);
    }
  }
  for (std::size_t t = 0; t < mesh.triangles.size(); ++t) {
    const auto& tri = mesh.triangles[t];
    if (ascii) {
      std::string row = "3 " + std::to_string(tri[0]) + " " + std::to_string(tri[1]) + " " +
                        std::to_string(tri[2]);
      for (const auto& p : mesh.faceProperties)
        for (std::size_t c = 0; c < p.components; ++c)
          row += " " + formatDouble(p.values[t * p.components + c]);
      s += row + "\n";
    } else {
      s += char(3);
      for (int c = 0; c < 3; ++c) appendLittleEndian(s, std::int32_t(tri[std::size_t(c)]));
      for (const auto& p : mesh.faceProperties)
        for (std::size_t c = 0; c < p.components; ++c)
          appendLittleEndian(s, p.values[t * p.components + c]);
    }
  }
  return s;
}

// ------------------------------------------------------------------ STL

float readFloatLE(const std::string& text, std::size_t offset) {
  unsigned char b[4];
  std::memcpy(b, text.data() + offset, 4);
  if (!hostIsLittleEndian()) std::reverse(b, b + 4);
  float v;
  std::memcpy(&v, b, 4);
  return v;
}

TriangleMesh readStl(const std::string& path) {
  const std::string text = detail::readWholeFile(path);
  TriangleMesh mesh;
  mesh.source = path;
  std::uint32_t count = 0;
  if (text.size() >= 84) {
    unsigned char b[4];
    std::memcpy(b, text.data() + 80, 4);
    count = std::uint32_t(b[0]) | std::uint32_t(b[1]) << 8 | std::uint32_t(b[2]) << 16 |
            std::uint32_t(b[3]) << 24;
  }
  const bool binary =
      text.size() >= 84 && std::uint64_t(text.size()) == 84 + 50 * std::uint64_t(count);
  if (binary) {
    std::string header = text.substr(0, 80);
    header = header.substr(0, header.find('\0'));
    const std::string ours = "orevox binary STL: ";  // what writeMesh puts there
    const std::size_t skip = header.rfind("solid ", 0) == 0 ? 6
                             : header.rfind(ours, 0) == 0   ? ours.size()
                                                            : 0;
    if (skip > 0) {
      const std::string name(trim(std::string_view(header).substr(skip)));
      const bool printable =
          std::all_of(name.begin(), name.end(), [](char c) { return c >= 32 && c < 127; });
      if (printable) mesh.name = name;
    }
    mesh.vertices.reserve(std::size_t(count) * 3);
    mesh.triangles.reserve(count);
    for (std::uint32_t t = 0; t < count; ++t) {
      const std::size_t record = 84 + std::size_t(t) * 50;
      std::array<std::uint32_t, 3> tri{};
      for (int c = 0; c < 3; ++c) {
        const std::size_t at = record + 12 + std::size_t(c) * 12;
        Eigen::Vector3d v(readFloatLE(text, at), readFloatLE(text, at + 4),
                          readFloatLE(text, at + 8));
        if (!v.allFinite())
          failByte(path, at, "",
                   "triangle " + std::to_string(t + 1) + " has a coordinate that is not finite");
        tri[std::size_t(c)] = std::uint32_t(mesh.vertices.size());
        mesh.vertices.push_back(v);
      }
      mesh.triangles.push_back(tri);
    }
  } else {
    std::size_t first = 0;
    while (first < text.size() && isSpace(text[first])) ++first;
    if (text.compare(first, 5, "solid") != 0) {
      const std::string detail = text.size() >= 84
                                     ? "its header declares " + std::to_string(count) +
                                           " triangles, which need " +
                                           std::to_string(84 + 50 * std::uint64_t(count)) +
                                           " bytes, but the file has " + std::to_string(text.size())
                                     : "it has only " + std::to_string(text.size()) + " bytes";
      fail(path,
           "neither binary STL (" + detail + ") nor ASCII STL (it does not start with 'solid')");
    }
    Lines lines(text);
    std::string_view line;
    std::vector<std::string_view> tokens;
    std::vector<std::uint32_t> loop;
    bool inLoop = false;
    long loopLine = 0;
    while (lines.next(line)) {
      const std::string_view trimmed = trim(line);
      tokenize(trimmed, tokens);
      if (tokens.empty()) continue;
      const std::string_view key = tokens[0];
      if (key == "solid") {
        if (mesh.name.empty()) mesh.name = std::string(restAfterFirst(trimmed));
      } else if (key == "outer") {
        if (inLoop) failLine(path, lines.number(), trimmed, "'outer loop' inside another loop");
        inLoop = true;
        loopLine = lines.number();
        loop.clear();
      } else if (key == "vertex") {
        if (!inLoop) failLine(path, lines.number(), trimmed, "'vertex' outside 'outer loop'");
        if (tokens.size() != 4) failLine(path, lines.number(), trimmed, "'vertex' needs x, y, z");
        if (loop.size() == 3)
          failLine(path, lines.number(), trimmed, "a facet with more than 3 vertices");
        loop.push_back(std::uint32_t(mesh.vertices.size()));
        mesh.vertices.emplace_back(coordinate(path, lines.number(), tokens[1], "x"),
                                   coordinate(path, lines.number(), tokens[2], "y"),
                                   coordinate(path, lines.number(), tokens[3], "z"));
      } else if (key == "endloop") {
        if (!inLoop) failLine(path, lines.number(), trimmed, "'endloop' without 'outer loop'");
        if (loop.size() != 3)
          failLine(path, loopLine, std::to_string(loop.size()), "a facet needs exactly 3 vertices");
        mesh.triangles.push_back({loop[0], loop[1], loop[2]});
        inLoop = false;
      }
      // facet normal, endfacet, endsolid: the normal is recomputed from the corners.
    }
    if (inLoop) failLine(path, loopLine, "outer loop", "the file ends inside a facet");
  }
  if (mesh.triangles.empty()) fail(path, "no triangles in the STL file");
  mergeDuplicateVertices(mesh);
  if (mesh.name.empty()) mesh.name = stemOf(path);
  return mesh;
}

std::string writeStlBytes(const TriangleMesh& mesh, bool ascii) {
  const std::string name = oneLine(mesh.name.empty() ? std::string("mesh") : mesh.name);
  std::string s;
  if (ascii) {
    s = "solid " + name + "\n";
    for (std::size_t t = 0; t < mesh.triangles.size(); ++t) {
      const Eigen::Vector3d n = mesh.faceNormal(t);
      s += " facet normal " + formatDouble(n.x()) + " " + formatDouble(n.y()) + " " +
           formatDouble(n.z()) + "\n  outer loop\n";
      for (std::uint32_t v : mesh.triangles[t])
        s += "   vertex " + formatDouble(mesh.vertices[v].x()) + " " +
             formatDouble(mesh.vertices[v].y()) + " " + formatDouble(mesh.vertices[v].z()) + "\n";
      s += "  endloop\n endfacet\n";
    }
    s += "endsolid " + name + "\n";
    return s;
  }
  if (mesh.triangles.size() > std::numeric_limits<std::uint32_t>::max())
    throw DataError(mesh.label() + ": too many triangles for binary STL");
  // The header must not start with "solid": some readers would take the file for ASCII.
  std::string header = "orevox binary STL: " + name;
  header.resize(80, ' ');
  s = header;
  s.reserve(84 + 50 * mesh.triangles.size());
  appendLittleEndian(s, std::uint32_t(mesh.triangles.size()));
  for (std::size_t t = 0; t < mesh.triangles.size(); ++t) {
    const Eigen::Vector3d n = mesh.faceNormal(t);
    for (int a = 0; a < 3; ++a) appendLittleEndian(s, float(n[a]));
    for (std::uint32_t v : mesh.triangles[t])
      for (int a = 0; a < 3; ++a) appendLittleEndian(s, float(mesh.vertices[v][a]));
    appendLittleEndian(s, std::uint16_t(0));
  }
  return s;
}

// ------------------------------------------------------------------ VTK PolyData

std::string writeVtpBytes(const TriangleMesh& mesh) {
  std::string appended;
  auto block = [&](auto&& fill, std::uint64_t bytes) {
    const std::size_t offset = appended.size();
    appendLittleEndian(appended, bytes);
    fill();
    return offset;
  };
  const std::size_t nv = mesh.vertices.size(), nt = mesh.triangles.size();
  const std::size_t points = block(
      [&] {
        for (const auto& v : mesh.vertices)
          for (int a = 0; a < 3; ++a) appendLittleEndian(appended, v[a]);
      },
      nv * 3 * 8);
  const std::size_t connectivity = block(
      [&] {
        for (const auto& t : mesh.triangles)
          for (std::uint32_t v : t) appendLittleEndian(appended, std::int64_t(v));
      },
      nt * 3 * 8);
  const std::size_t offsets = block(
      [&] {
        for (std::size_t t = 0; t < nt; ++t)
          appendLittleEndian(appended, std::int64_t(3 * (t + 1)));
      },
      nt * 8);
  auto arrays = [&](const std::vector<MeshProperty>& props, std::size_t elements) {
    std::string xml;
    for (const auto& p : props) {
      const std::size_t offset = block(
          [&] {
            for (double v : p.values) appendLittleEndian(appended, v);
          },
          elements * p.components * 8);
      xml += "        <DataArray type=\"Float64\" Name=\"" + escapeMarkup(p.name) +
             "\" NumberOfComponents=\"" + std::to_string(p.components) +
             "\" format=\"appended\" offset=\"" + std::to_string(offset) + "\"/>\n";
    }
    return xml;
  };
  const std::string pointData = arrays(mesh.vertexProperties, nv);
  const std::string cellData = arrays(mesh.faceProperties, nt);

  std::string xml = "<?xml version=\"1.0\"?>\n";
  xml +=
      "<VTKFile type=\"PolyData\" version=\"1.0\" byte_order=\"LittleEndian\" "
      "header_type=\"UInt64\">\n";
  xml += "  <PolyData";
  if (!mesh.name.empty()) xml += " OrevoxName=\"" + escapeMarkup(mesh.name) + "\"";
  if (!mesh.crsWkt.empty()) xml += " OrevoxCrs=\"" + escapeMarkup(mesh.crsWkt) + "\"";
  xml += ">\n";
  xml += "    <Piece NumberOfPoints=\"" + std::to_string(nv) +
         "\" NumberOfVerts=\"0\" NumberOfLines=\"0\" NumberOfStrips=\"0\" NumberOfPolys=\"" +
         std::to_string(nt) + "\">\n";
  xml += "      <PointData>\n" + pointData + "      </PointData>\n";
  xml += "      <CellData>\n" + cellData + "      </CellData>\n";
  xml +=
      "      <Points>\n        <DataArray type=\"Float64\" Name=\"Points\" "
      "NumberOfComponents=\"3\" "
      "format=\"appended\" offset=\"" +
      std::to_string(points) + "\"/>\n      </Points>\n";
  xml +=
      "      <Polys>\n        <DataArray type=\"Int64\" Name=\"connectivity\" format=\"appended\" "
      "offset=\"" +
      std::to_string(connectivity) +
      "\"/>\n        <DataArray type=\"Int64\" Name=\"offsets\" "
      "format=\"appended\" offset=\"" +
      std::to_string(offsets) + "\"/>\n      </Polys>\n";
  xml += "    </Piece>\n  </PolyData>\n  <AppendedData encoding=\"raw\">\n   _";
  return xml + appended + "\n  </AppendedData>\n</VTKFile>\n";
}

}  // namespace

const NameTable<MeshFormat>& meshFormatNames() {
  static const NameTable<MeshFormat> names = {{"ts", MeshFormat::TSurf},
                                              {"obj", MeshFormat::Obj},
                                              {"ply", MeshFormat::Ply},
                                              {"stl", MeshFormat::Stl},
                                              {"vtp", MeshFormat::Vtp}};
  return names;
}

bool meshFormatOf(const std::string& path, MeshFormat& format) {
  const std::string ext = detail::lowerExtension(path);
  for (const auto& [name, f] : meshFormatNames())
    if (ext == "." + name) {
      format = f;
      return true;
    }
  return false;
}

bool isMeshFile(const std::string& path) {
  MeshFormat f;
  return meshFormatOf(path, f) && f != MeshFormat::Vtp;
}

TriangleMesh readMesh(const std::string& path) {
  MeshFormat format;
  if (!meshFormatOf(path, format) || format == MeshFormat::Vtp)
    throw UsageError("'" + path + "': not a mesh file orevox reads (.ts, .obj, .ply, .stl)");
  TriangleMesh mesh;
  switch (format) {
    case MeshFormat::TSurf:
      mesh = mergeMeshes(readTSurf(path));
      break;
    case MeshFormat::Obj:
      mesh = readObj(path);
      break;
    case MeshFormat::Ply:
      mesh = readPly(path);
      break;
    case MeshFormat::Stl:
      mesh = readStl(path);
      break;
    case MeshFormat::Vtp:
      break;
  }
  mesh.validate();
  return mesh;
}

void writeMesh(const TriangleMesh& mesh, const std::string& path, const MeshWriteOptions& options) {
  MeshFormat format;
  if (!meshFormatOf(path, format))
    throw UsageError("'" + path +
                     "': not a mesh format orevox writes (.ts, .obj, .ply, .stl, .vtp)");
  mesh.validate();
  if (mesh.triangles.empty())
    throw DataError(mesh.label() + ": no triangles to write", SourceLocation{path, 0, 0, {}, {}});
  std::string bytes;
  switch (format) {
    case MeshFormat::TSurf:
      bytes = writeTSurfText(mesh);
      break;
    case MeshFormat::Obj:
      bytes = writeObjText(mesh);
      break;
    case MeshFormat::Ply:
      bytes = writePlyBytes(mesh, options.ascii);
      break;
    case MeshFormat::Stl:
      bytes = writeStlBytes(mesh, options.ascii);
      break;
    case MeshFormat::Vtp:
      bytes = writeVtpBytes(mesh);
      break;
  }
  writeAtomically(path, bytes);
}

}  // namespace orevox
