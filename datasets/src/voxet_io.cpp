#include "orevox/datasets/voxet_io.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "byte_order.hpp"
#include "csv_reader.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "text_file.hpp"

namespace fs = std::filesystem;

namespace orevox {
namespace {

/// Declares `path` in `outputs` and writes `bytes` to its temporary name; IoError naming
/// `path` (not the temporary) with the system's reason.
void writeBinaryFile(OutputBatch& outputs, const std::string& path, const std::string& option,
                     const std::string& bytes) {
  const std::string& temp = outputs.add(path, option);
  std::ofstream f(temp, std::ios::binary);
  if (!f)
    throw IoError(std::string("cannot open for writing: ") + std::strerror(errno),
                  SourceLocation{path, 0, 0, {}, {}});
  f.write(bytes.data(), std::streamsize(bytes.size()));
  f.close();
  if (!f)
    throw IoError(std::string("write failed: ") + std::strerror(errno),
                  SourceLocation{path, 0, 0, {}, {}});
}

/// Splits a header line into tokens; "quoted text" is one token without its quotes.
std::vector<std::string> tokens(const std::string& line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i >= line.size()) break;
    if (line[i] == '"') {
      const std::size_t close = line.find('"', i + 1);
      const std::size_t end = close == std::string::npos ? line.size() : close;
      out.push_back(line.substr(i + 1, end - i - 1));
      i = end + 1;
    } else {
      const std::size_t start = i;
      while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
      out.push_back(line.substr(start, i - start));
    }
  }
  return out;
}

struct VoxetProperty {
  std::string name, file, units, etype = "IEEE", format = "RAW";
  int esize = 4;
  bool isSigned = true;
  double nodata = std::numeric_limits<double>::quiet_NaN();
  std::size_t offset = 0;
  long line = 0;
};

class HeaderReader {
 public:
  explicit HeaderReader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& message, long line,
                         const std::string& value = {}) const {
    throw DataError(message, SourceLocation{path_, line, 0, {}, value});
  }

  double number(const std::string& text, long line) const {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v))
      fail("not a finite number", line, text);
    return v;
  }

  std::array<double, 3> triple(const std::vector<std::string>& t, long line) const {
    if (t.size() < 4) fail(t[0] + " needs three numbers", line, t[0]);
    return {number(t[1], line), number(t[2], line), number(t[3], line)};
  }

  VoxetProperty& property(std::map<long, VoxetProperty>& props, const std::vector<std::string>& t,
                          long line) const {
    if (t.size() < 3) fail(t[0] + " needs a property number and a value", line, t[0]);
    const double id = number(t[1], line);
    if (id != std::floor(id) || id < 1)
      fail("property number must be a whole number >= 1", line, t[1]);
    auto it = props.find(long(id));
    if (it == props.end()) fail(t[0] + " for a property not declared by PROPERTY", line, t[1]);
    return it->second;
  }

 private:
  std::string path_;
};

std::string safeName(const std::string& name) {
  std::string out = name;
  for (char& c : out)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  return out.empty() ? "property" : out;
}

std::string numberText(double v) { return detail::formatNumber(v); }

}  // namespace

VoxelModel readVoxet(const std::string& path) {
  const std::string text = detail::readWholeFile(path);
  HeaderReader h(path);
  std::istringstream in(text);
  std::string raw;
  long line = 0;
  std::array<double, 3> o{0, 0, 0}, axis[3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  std::array<double, 3> mn{0, 0, 0}, mx{1, 1, 1};
  std::array<long, 3> n{0, 0, 0};
  bool haveN = false, depthPositive = false;
  std::string crs;
  std::map<long, VoxetProperty> props;
  int braceDepth = 0;
  bool inCoordinateSystem = false, first = true;
  while (std::getline(in, raw)) {
    ++line;
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    if (first) {
      first = false;
      if (raw.size() >= 3 && raw.compare(0, 3, "\xEF\xBB\xBF") == 0) raw.erase(0, 3);
      const auto t = tokens(raw);
      if (t.size() < 2 || t[0] != "GOCAD" || detail::lower(t[1]) != "voxet")
        h.fail("not a GOCAD Voxet header (the first line must be 'GOCAD Voxet 1')", line,
               raw.substr(0, 40));
      continue;
    }
    if (braceDepth > 0) {  // inside HEADER { } or PROPERTY_CLASS_HEADER { }
      if (raw.rfind("orevox_crs:", 0) == 0) crs = raw.substr(11);
      for (char c : raw) braceDepth += c == '{' ? 1 : c == '}' ? -1 : 0;
      continue;
    }
    const auto t = tokens(raw);
    if (t.empty() || t[0][0] == '#') continue;
    const std::string& key = t[0];
    if (raw.find('{') != std::string::npos) {  // a block: HEADER {, PROPERTY_CLASS_HEADER 1 "a" {
      for (char c : raw) braceDepth += c == '{' ? 1 : c == '}' ? -1 : 0;
      const std::size_t open = raw.find('{');
      const std::string inside = raw.substr(open + 1);
      if (inside.rfind("orevox_crs:", 0) == 0) crs = inside.substr(11, inside.rfind('}') - 11);
      continue;
    }
    if (key == "GOCAD_ORIGINAL_COORDINATE_SYSTEM") {
      inCoordinateSystem = true;
    } else if (key == "END_ORIGINAL_COORDINATE_SYSTEM") {
      inCoordinateSystem = false;
    } else if (key == "ZPOSITIVE") {
      if (t.size() < 2) h.fail("ZPOSITIVE needs Elevation or Depth", line);
      const std::string v = detail::lower(t[1]);
      if (v != "depth" && v != "elevation")
        h.fail("ZPOSITIVE must be Elevation or Depth", line, t[1]);
      depthPositive = v == "depth";
    } else if (inCoordinateSystem) {
      continue;
    } else if (key == "AXIS_O") {
      o = h.triple(t, line);
    } else if (key == "AXIS_U" || key == "AXIS_V" || key == "AXIS_W") {
      axis[key == "AXIS_U" ? 0 : key == "AXIS_V" ? 1 : 2] = h.triple(t, line);
    } else if (key == "AXIS_MIN") {
      mn = h.triple(t, line);
    } else if (key == "AXIS_MAX") {
      mx = h.triple(t, line);
    } else if (key == "AXIS_N") {
      const auto v = h.triple(t, line);
      for (int a = 0; a < 3; ++a) {
        if (v[a] != std::floor(v[a]) || v[a] < 1 || v[a] > 2147483647.0)
          h.fail("AXIS_N must hold three whole numbers >= 1", line, t[a + 1]);
        n[a] = long(v[a]);
      }
      haveN = true;
    } else if (key == "AXIS_TYPE") {
      for (std::size_t a = 1; a < t.size(); ++a)
        if (detail::lower(t[a]) != "even")
          h.fail("only evenly spaced axes are supported (AXIS_TYPE even)", line, t[a]);
    } else if (key == "PROPERTY") {
      if (t.size() < 3) h.fail("PROPERTY needs a number and a name", line, raw);
      const double id = h.number(t[1], line);
      if (id != std::floor(id) || id < 1)
        h.fail("property number must be a whole number >= 1", line, t[1]);
      VoxetProperty p;
      p.name = t[2];
      p.line = line;
      if (!props.emplace(long(id), p).second) h.fail("property number declared twice", line, t[1]);
    } else if (key == "PROP_FILE") {
      h.property(props, t, line).file = t[2];
    } else if (key == "PROP_UNIT") {
      auto& p = h.property(props, t, line);
      p.units = detail::lower(t[2]) == "none" ? std::string() : t[2];
    } else if (key == "PROP_NO_DATA_VALUE") {
      h.property(props, t, line).nodata = h.number(t[2], line);
    } else if (key == "PROP_ESIZE") {
      auto& p = h.property(props, t, line);
      const double v = h.number(t[2], line);
      if (v != 4 && v != 1)
        h.fail("PROP_ESIZE must be 4 (float32) or 1 (8-bit integer)", line, t[2]);
      p.esize = int(v);
    } else if (key == "PROP_ETYPE") {
      h.property(props, t, line).etype = t[2];
    } else if (key == "PROP_SIGNED") {
      h.property(props, t, line).isSigned = h.number(t[2], line) != 0;
    } else if (key == "PROP_FORMAT") {
      h.property(props, t, line).format = t[2];
    } else if (key == "PROP_OFFSET") {
      const double v = h.number(t[2], line);
      if (v < 0 || v != std::floor(v))
        h.fail("PROP_OFFSET must be a whole number >= 0", line, t[2]);
      h.property(props, t, line).offset = std::size_t(v);
    }
    // Every other keyword (names, classes, kinds, AXIS_NAME, ...) carries nothing orevox keeps.
  }
  if (!haveN) h.fail("no AXIS_N line", 0);
  if (props.empty()) h.fail("no PROPERTY", 0);

  // File axis a -> world axis w[a] with direction s[a]; node spacing |step|.
  VolumeSpec spec;
  spec.crsWkt = crs;
  std::array<int, 3> world{-1, -1, -1}, sign{1, 1, 1};
  std::array<double, 3> start{};
  std::array<std::size_t, 3> sizes{};
  for (int d = 0; d < 3; ++d)
    start[d] = o[d] + mn[0] * axis[0][d] + mn[1] * axis[1][d] + mn[2] * axis[2][d];
  if (depthPositive) start[2] = -start[2];
  std::array<bool, 3> used{false, false, false};
  const char* names[3] = {"AXIS_U", "AXIS_V", "AXIS_W"};
  for (int a = 0; a < 3; ++a) {
    std::array<double, 3> step = axis[a];
    if (depthPositive) step[2] = -step[2];
    const double range = mx[a] - mn[a];
    const double factor = n[a] > 1 ? range / double(n[a] - 1) : (range != 0.0 ? range : 1.0);
    for (double& s : step) s *= factor;
    const double length = std::sqrt(step[0] * step[0] + step[1] * step[1] + step[2] * step[2]);
    int best = 0;
    for (int d = 1; d < 3; ++d)
      if (std::abs(step[d]) > std::abs(step[best])) best = d;
    if (!(length > 0.0))
      h.fail(std::string(names[a]) + " with AXIS_MIN/AXIS_MAX gives a zero node spacing", 0);
    for (int d = 0; d < 3; ++d)
      if (d != best && std::abs(step[d]) > 1e-9 * length)
        h.fail(
            std::string("rotated voxets are not supported: ") + names[a] +
                " is not parallel to the x, y or z axis",
            0,
            numberText(axis[a][0]) + " " + numberText(axis[a][1]) + " " + numberText(axis[a][2]));
    if (used[best])
      h.fail(std::string(names[a]) + " runs along the same world axis as another axis", 0);
    used[best] = true;
    world[a] = best;
    sign[a] = step[best] > 0 ? 1 : -1;
    spec.spacing[best] = length;
    sizes[best] = std::size_t(n[a]);
    // The minimum voxel centre along this world axis, then the box's minimum corner.
    const double firstCentre =
        sign[a] > 0 ? start[best] : start[best] + step[best] * double(n[a] - 1);
    spec.origin[best] = firstCentre - 0.5 * length;
  }
  spec.nx = sizes[0];
  spec.ny = sizes[1];
  spec.nz = sizes[2];
  VoxelModel model(spec);

  const fs::path folder = fs::path(path).parent_path();
  const std::size_t count = std::size_t(n[0]) * std::size_t(n[1]) * std::size_t(n[2]);
  for (const auto& [id, p] : props) {
    if (p.file.empty()) h.fail("property '" + p.name + "' has no PROP_FILE", p.line, p.name);
    if (detail::lower(p.format) != "raw")
      h.fail("property '" + p.name + "': only PROP_FORMAT RAW is supported", p.line, p.format);
    const std::string etype = detail::lower(p.etype);
    if (p.esize == 4 && etype != "ieee")
      h.fail("property '" + p.name + "': 4-byte elements must be PROP_ETYPE IEEE", p.line, p.etype);
    if (p.esize == 1 && etype != "octet" && etype != "integer" && etype != "ieee")
      h.fail("property '" + p.name + "': 1-byte elements must be PROP_ETYPE Octet or Integer",
             p.line, p.etype);
    const fs::path file = fs::path(p.file).is_absolute() ? fs::path(p.file) : folder / p.file;
    const std::string bytes = detail::readWholeFile(file.string());
    const std::size_t need = p.offset + count * std::size_t(p.esize);
    if (bytes.size() < need)
      throw DataError("property file holds " + std::to_string(bytes.size()) +
                          " bytes, the header needs " + std::to_string(need) + " (offset + " +
                          std::to_string(count) + " x " + std::to_string(p.esize) + ")",
                      SourceLocation{file.string(), 0, 0, p.name, {}});
    std::vector<float> values(spec.size(), 0.0f);
    std::vector<std::uint8_t> active(spec.size(), 0);
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data()) + p.offset;
    std::size_t e = 0;
    for (long kk = 0; kk < n[2]; ++kk)
      for (long jj = 0; jj < n[1]; ++jj)
        for (long ii = 0; ii < n[0]; ++ii, ++e) {
          double v;
          if (p.esize == 4) {
            v = detail::readBytes<float>(data + 4 * e, false);
          } else {
            v = p.isSigned ? double(static_cast<std::int8_t>(data[e])) : double(data[e]);
          }
          if (std::isnan(v) || v == p.nodata || (p.esize == 4 && float(v) == float(p.nodata)))
            continue;
          const long file[3] = {ii, jj, kk};
          std::array<std::size_t, 3> w{};
          for (int a = 0; a < 3; ++a)
            w[world[a]] = std::size_t(sign[a] > 0 ? file[a] : n[a] - 1 - file[a]);
          const std::size_t index = spec.index(w[0], w[1], w[2]);
          values[index] = float(v);
          active[index] = 1;
        }
    std::string name = p.name;
    for (int copy = 2; model.hasChannel(name); ++copy) name = p.name + "_" + std::to_string(copy);
    model.setChannel(name, values, &active, p.units);
  }
  return model;
}

void writeVoxet(const VoxelModel& model, const std::string& path) {
  OutputBatch outputs;
  writeVoxet(model, path, outputs);
  outputs.commit();  // the header last
}

std::vector<std::string> writeVoxet(const VoxelModel& model, const std::string& path,
                                    OutputBatch& outputs, const std::string& option) {
  const std::vector<std::string> channels = model.channelNames();
  if (channels.empty())
    throw DataError("the volume has no channels to write", SourceLocation{path, 0, 0, {}, {}});
  const VolumeSpec& spec = model.spec();
  const fs::path target(path);
  const std::string stem = target.stem().string();
  const fs::path folder = target.parent_path();

  std::ostringstream header;
  header.precision(17);
  header << "GOCAD Voxet 1\nHEADER {\nname:" << stem << "\n";
  if (!spec.crsWkt.empty()) {
    std::string wkt = spec.crsWkt;
    std::replace(wkt.begin(), wkt.end(), '\n', ' ');
    std::replace(wkt.begin(), wkt.end(), '\r', ' ');
    wkt.erase(std::remove(wkt.begin(), wkt.end(), '}'), wkt.end());
    header << "orevox_crs:" << wkt << "\n";
  }
  header << "}\nGOCAD_ORIGINAL_COORDINATE_SYSTEM\nNAME Default\nAXIS_NAME \"X\" \"Y\" \"Z\"\n"
            "ZPOSITIVE Elevation\nEND_ORIGINAL_COORDINATE_SYSTEM\n";
  header << "AXIS_O " << numberText(spec.centreX(0)) << " " << numberText(spec.centreY(0)) << " "
         << numberText(spec.centreZ(0)) << "\n";
  header << "AXIS_U 1 0 0\nAXIS_V 0 1 0\nAXIS_W 0 0 1\nAXIS_MIN 0 0 0\n";
  header << "AXIS_MAX " << numberText(double(spec.nx - 1) * spec.spacing[0]) << " "
         << numberText(double(spec.ny - 1) * spec.spacing[1]) << " "
         << numberText(double(spec.nz - 1) * spec.spacing[2]) << "\n";
  header << "AXIS_N " << spec.nx << " " << spec.ny << " " << spec.nz << "\n";
  header << "AXIS_NAME \"X\" \"Y\" \"Z\"\nAXIS_TYPE even even even\n";

  // Every file under a temporary name first; renamed together once all are written.
  std::map<std::string, int> fileNames;
  std::vector<std::string> written;
  for (std::size_t c = 0; c < channels.size(); ++c) {
    const std::string& name = channels[c];
    const std::vector<float> values = model.denseChannel(name);
    const std::vector<std::uint8_t> active = model.activeMask(name);
    bool integral = true;
    for (std::size_t i = 0; i < values.size() && integral; ++i)
      if (active[i])
        integral = std::isfinite(values[i]) && values[i] == std::floor(values[i]) &&
                   values[i] >= -127.0f && values[i] <= 127.0f;
    double nodata = integral ? -128.0 : -99999.0;
    if (!integral) {
      for (bool clash = true; clash;) {
        clash = false;
        for (std::size_t i = 0; i < values.size() && !clash; ++i)
          clash = active[i] && values[i] == float(nodata);
        if (clash) nodata *= 10.0;
      }
    }
    std::string fileName = stem + "_" + safeName(name);
    if (int repeat = fileNames[fileName]++; repeat > 0)
      fileName += "_" + std::to_string(repeat + 1);
    fileName += "@@";
    std::string bytes;
    bytes.reserve(values.size() * (integral ? 1 : 4));
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (integral) {
        bytes += char(static_cast<std::int8_t>(active[i] ? values[i] : -128.0f));
      } else {
        detail::appendBytes(bytes, active[i] ? values[i] : float(nodata), false);
      }
    }
    written.push_back((folder / fileName).string());
    writeBinaryFile(outputs, written.back(), option, bytes);
    const std::size_t id = c + 1;
    std::string units = model.units(name);
    std::replace(units.begin(), units.end(), '"', '\'');
    header << "\nPROPERTY " << id << " \"" << name << "\"\n";
    header << "PROPERTY_KIND " << id << " \"" << (integral ? "Integer" : "Real Number") << "\"\n";
    header << "PROP_UNIT " << id << " " << (units.empty() ? "none" : "\"" + units + "\"") << "\n";
    header << "PROP_NO_DATA_VALUE " << id << " " << numberText(nodata) << "\n";
    header << "PROP_ESIZE " << id << " " << (integral ? 1 : 4) << "\n";
    header << "PROP_ETYPE " << id << " " << (integral ? "Octet" : "IEEE") << "\n";
    if (integral) header << "PROP_SIGNED " << id << " 1\n";
    header << "PROP_FORMAT " << id << " RAW\nPROP_OFFSET " << id << " 0\n";
    header << "PROP_FILE " << id << " " << fileName << "\n";
  }
  header << "END\n";
  writeBinaryFile(outputs, path, option, header.str());  // the header last: it names the others
  written.push_back(path);
  return written;
}

}  // namespace orevox
