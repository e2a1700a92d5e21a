// orevox sample: volume channels at the points of a CSV file.
#include "orevox/datasets/volume_sample.hpp"

#include <algorithm>
#include <cmath>

#include "csv_reader.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/datasets/volume_io.hpp"
#include "text_file.hpp"

namespace orevox {

const NameTable<VolumeInterpolation>& volumeInterpolationNames() {
  static const NameTable<VolumeInterpolation> names{{"nearest", VolumeInterpolation::Nearest},
                                                    {"linear", VolumeInterpolation::Linear}};
  return names;
}

std::optional<double> sampleVolume(const VolumeSpec& spec, const std::vector<float>& values,
                                   const std::vector<std::uint8_t>& active, double x, double y,
                                   double z, VolumeInterpolation interpolation) {
  const double p[3] = {x, y, z};
  const std::size_t n[3] = {spec.nx, spec.ny, spec.nz};
  double u[3];
  for (int d = 0; d < 3; ++d) {
    u[d] = (p[d] - spec.origin[std::size_t(d)]) / spec.spacing[std::size_t(d)];
    if (!(u[d] >= 0.0) || !(u[d] < double(n[d]))) return std::nullopt;  // also NaN
  }
  if (interpolation == VolumeInterpolation::Nearest) {
    const std::size_t v = spec.index(std::size_t(u[0]), std::size_t(u[1]), std::size_t(u[2]));
    if (!active[v]) return std::nullopt;
    return double(values[v]);
  }
  std::size_t lo[3];
  double t[3];
  for (int d = 0; d < 3; ++d) {
    const double c = std::clamp(u[d] - 0.5, 0.0, double(n[d] - 1));
    lo[d] = std::min(std::size_t(c), n[d] > 1 ? n[d] - 2 : 0);
    t[d] = n[d] > 1 ? c - double(lo[d]) : 0.0;
  }
  double sum = 0.0;
  for (int corner = 0; corner < 8; ++corner) {
    double w = 1.0;
    std::size_t idx[3];
    for (int d = 0; d < 3; ++d) {
      const bool high = (corner >> d) & 1;
      w *= high ? t[d] : 1.0 - t[d];
      idx[d] = lo[d] + (high ? 1 : 0);
    }
    if (w == 0.0) continue;
    const std::size_t v = spec.index(idx[0], idx[1], idx[2]);
    if (!active[v]) return std::nullopt;
    sum += w * double(values[v]);
  }
  return sum;
}

void VolumeSampling::declare(OptionSet& set) {
  set.add("volume", volume, "Volume to sample (.vdb, .vti, .vo, block-model .csv)")
      .required()
      .placeholder("G.vdb");
  set.add("points", points, "Points CSV (any other columns are copied to the output)")
      .required()
      .placeholder("P.csv");
  set.add("x", x, "Easting column of the points").placeholder("X");
  set.add("y", y, "Northing column of the points").placeholder("Y");
  set.add("z", z, "Elevation column of the points").placeholder("Z");
  set.add("interp", interpolation, volumeInterpolationNames(),
          "Nearest voxel, or trilinear between voxel centres");
  set.add("channels", channels, "Channels to sample, comma separated (default: all)")
      .placeholder("A,B");
  set.add("out", out, "Output CSV: the input columns, then one column per channel")
      .required()
      .placeholder("V.csv");
}

VolumeSamplingResult runVolumeSampling(const VolumeSampling& job) {
  if (job.volume.empty() || job.points.empty() || job.out.empty())
    throw UsageError("sample needs --volume, --points and --out");
  checkOutputPath(job.out);
  const std::string text = detail::readWholeFile(job.points);
  const char delimiter = detail::sniffDelimiter(text);
  std::vector<detail::Record> records = detail::splitRecords(text, delimiter, job.points);
  if (records.empty()) throw DataError("empty file", SourceLocation{job.points, 0, 0, {}, {}});
  std::vector<std::string>& header = records.front().fields;
  if (!header.empty() && header[0].rfind("\xEF\xBB\xBF", 0) == 0) header[0].erase(0, 3);
  long column[3];
  const std::string* names[3] = {&job.x, &job.y, &job.z};
  const char* options[3] = {"--x", "--y", "--z"};
  for (int d = 0; d < 3; ++d) {
    column[d] = detail::findColumn(header, *names[d]);
    if (column[d] < 0)
      throw UsageError(std::string(options[d]) + ": '" + *names[d] + "' is not a column of " +
                       job.points + " (it has " + detail::joinNames(header) + ")");
  }
  std::vector<std::array<double, 3>> xyz;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    if (rec.fields.size() != header.size())
      throw DataError("expected " + std::to_string(header.size()) + " fields, found " +
                          std::to_string(rec.fields.size()),
                      SourceLocation{job.points, rec.line, 0, {}, {}});
    std::array<double, 3> p{};
    for (int d = 0; d < 3; ++d) {
      const std::string& cell = rec.fields[std::size_t(column[d])];
      const detail::Cell parsed = detail::parseCell(cell, delimiter == ';');
      if (parsed.kind != detail::CellKind::Number)
        throw DataError("coordinate is not a number",
                        SourceLocation{job.points, rec.line, column[d] + 1,
                                       header[std::size_t(column[d])], cell});
      p[std::size_t(d)] = parsed.value;
    }
    xyz.push_back(p);
  }

  const VoxelModel model = readVolume(job.volume);
  std::vector<std::string> channels = job.channels.empty() ? model.channelNames() : job.channels;
  for (const auto& c : channels)
    if (!model.hasChannel(c))
      throw UsageError("--channels: '" + c + "' is not a channel of " + job.volume + " (it has " +
                       detail::joinNames(model.channelNames()) + ")");
  VolumeSamplingResult result;
  result.points = xyz.size();
  std::vector<std::vector<std::string>> cells(xyz.size());
  for (const auto& c : channels) {
    const std::vector<float> values = model.denseChannel(c);
    const std::vector<std::uint8_t> active = model.activeMask(c);
    std::size_t filled = 0;
    for (std::size_t r = 0; r < xyz.size(); ++r) {
      const auto v = sampleVolume(model.spec(), values, active, xyz[r][0], xyz[r][1], xyz[r][2],
                                  job.interpolation);
      cells[r].push_back(v ? detail::formatNumber(*v) : std::string());
      filled += v.has_value();
    }
    std::string name = c;
    while (detail::findColumn(header, name) >= 0 ||
           std::find(result.channels.begin(), result.channels.end(), name) != result.channels.end())
      name += "_sampled";
    result.channels.push_back(name);
    result.valuesPerChannel.push_back(filled);
  }
  std::string out;
  auto row = [&](const std::vector<std::string>& fields, const std::vector<std::string>& extra) {
    std::string line;
    for (const auto& f : fields) line += (line.empty() ? "" : ",") + detail::quoteCsvField(f);
    for (const auto& f : extra) line += "," + detail::quoteCsvField(f);
    out += line + "\n";
  };
  row(header, result.channels);
  for (std::size_t r = 1; r < records.size(); ++r) row(records[r].fields, cells[r - 1]);
  writeTextFileAtomic(job.out, out);
  return result;
}

}  // namespace orevox
