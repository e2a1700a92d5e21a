#include "orevox/datasets/block_model.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "csv_reader.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"

namespace orevox {
namespace {

/// Lattice of one axis: first centre, block size, number of blocks.
struct AxisLattice {
  double first = 0.0;
  double spacing = 0.0;  // 0 while unknown (a single distinct coordinate)
  std::size_t count = 1;
};

/// The block size is the most common gap between neighbouring distinct coordinates (the
/// smallest such gap when several are as common), and the lattice is the one most distinct
/// centres lie on. Taking the smallest gap instead would read one off-lattice
/// centre (2.5 m from a 10 m lattice) as a 2.5 m lattice; this way that centre is the error.
AxisLattice inferAxis(const std::vector<double>& coords) {
  std::vector<double> v(coords);
  std::sort(v.begin(), v.end());
  AxisLattice axis;
  axis.first = v.front();
  // Gaps below this are text-rounding noise of the same centre, not blocks.
  const double noise = 1e-9 * std::max({1.0, std::fabs(v.front()), std::fabs(v.back())});
  std::vector<double> gaps;
  for (std::size_t i = 1; i < v.size(); ++i) {
    const double gap = v[i] - v[i - 1];
    if (gap > noise) gaps.push_back(gap);
  }
  if (gaps.empty()) return axis;
  std::sort(gaps.begin(), gaps.end());
  std::size_t bestBegin = 0, bestCount = 0;
  for (std::size_t i = 0; i < gaps.size();) {
    std::size_t j = i + 1;
    while (j < gaps.size() && gaps[j] - gaps[i] <= 1e-6 * gaps[i] + noise) ++j;
    if (j - i > bestCount) {
      bestBegin = i;
      bestCount = j - i;
    }
    i = j;
  }
  axis.spacing = gaps[bestBegin + bestCount / 2];
  // The lattice's phase is the one most distinct centres share (ties: the smallest
  // centre's); its smallest centre is the first block.
  std::map<long, std::size_t> phases;
  auto phaseOf = [&](double x) {
    const double t = (x - v.front()) / axis.spacing;
    long key = long(std::llround((t - std::floor(t)) * 1000.0)) % 1000;
    return key;
  };
  double last = v.front() - 1.0;
  for (double x : v) {
    if (x - last > noise) ++phases[phaseOf(x)];
    last = x;
  }
  long bestPhase = 0;
  std::size_t bestShare = phases[0];
  for (const auto& [phase, share] : phases) {
    if (share > bestShare) {
      bestPhase = phase;
      bestShare = share;
    }
  }
  for (double x : v) {
    if (phaseOf(x) == bestPhase) {
      axis.first = x;
      break;
    }
  }
  return axis;
}

std::string formatFloat(float v) {
  if (std::isnan(v)) return {};
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), v);
  return std::string(buffer, result.ptr);
}

std::string formatCoordinate(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%.12g", v);
  return buffer;
}

}  // namespace

VoxelModel readBlockModelCsv(const std::string& path, const CsvOptions& options) {
  CsvOptions opts = options;
  if (opts.zColumn.empty()) opts.zColumn = "z";
  opts.allowNegative = true;  // block values are any quantity: signed distances, dips, z-scores
  detail::CsvProvenance prov;
  const SampleTable table = detail::readSamplesCsv(path, opts, &prov);
  const std::vector<double>* coords[3] = {&table.x, &table.y, &table.z};
  const long columns[3] = {prov.xColumn, prov.yColumn, prov.zColumn};
  const char* names[3] = {"x", "y", "z"};

  AxisLattice axes[3];
  double smallest = 0.0;
  for (int a = 0; a < 3; ++a) {
    axes[a] = inferAxis(*coords[a]);
    if (axes[a].spacing > 0.0 && (smallest == 0.0 || axes[a].spacing < smallest))
      smallest = axes[a].spacing;
  }
  if (smallest == 0.0) {
    throw DataError("cannot infer the block size from a single block",
                    SourceLocation{path, 0, 0, {}, {}});
  }
  for (auto& axis : axes)
    if (axis.spacing == 0.0) axis.spacing = smallest;

  // Lattice index of every block; the first row off the lattice is the error.
  const std::size_t rows = table.size();
  std::vector<std::size_t> index[3];
  for (int a = 0; a < 3; ++a) {
    index[a].resize(rows);
    std::size_t maxIndex = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      const double t = ((*coords[a])[r] - axes[a].first) / axes[a].spacing;
      const double rounded = std::round(t);
      if (std::fabs(t - rounded) > 1e-3) {
        throw DataError("block centre is not on the regular lattice (block size " +
                            formatCoordinate(axes[a].spacing) + " through " +
                            formatCoordinate(axes[a].first) +
                            ", the most common gap and the centres most blocks share)",
                        SourceLocation{path, prov.lines[r], columns[a], names[a],
                                       detail::formatNumber((*coords[a])[r])});
      }
      index[a][r] = std::size_t(rounded);
      maxIndex = std::max(maxIndex, index[a][r]);
    }
    axes[a].count = maxIndex + 1;
  }
  const double voxels = double(axes[0].count) * double(axes[1].count) * double(axes[2].count);
  if (voxels > 4.0e9) {
    throw DataError("the lattice would have " + formatCoordinate(voxels) +
                        " voxels; the block sizes vary (sub-blocked model?)",
                    SourceLocation{path, 0, 0, {}, {}});
  }

  VolumeSpec spec;
  spec.nx = axes[0].count;
  spec.ny = axes[1].count;
  spec.nz = axes[2].count;
  for (int a = 0; a < 3; ++a) {
    spec.spacing[std::size_t(a)] = axes[a].spacing;
    spec.origin[std::size_t(a)] = axes[a].first - 0.5 * axes[a].spacing;
  }
  std::unordered_map<std::size_t, std::size_t> seen;  // linear index -> row
  seen.reserve(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t linear = spec.index(index[0][r], index[1][r], index[2][r]);
    const auto [it, fresh] = seen.emplace(linear, r);
    if (!fresh) {
      throw DataError(
          "repeated block (same centre as line " + std::to_string(prov.lines[it->second]) + ")",
          SourceLocation{path, prov.lines[r], columns[0], names[0],
                         detail::formatNumber(table.x[r])});
    }
  }

  VoxelModel model(spec);
  if (table.columns.empty()) {
    model.addChannel("block", 0.0f);
    for (std::size_t r = 0; r < rows; ++r)
      model.setValue("block", index[0][r], index[1][r], index[2][r], 1.0f);
    return model;
  }
  for (const SampleColumn& column : table.columns) {
    model.addChannel(column.name, 0.0f, column.units);
    for (std::size_t r = 0; r < rows; ++r) {
      const double v = column.values[r];
      if (!std::isnan(v))
        model.setValue(column.name, index[0][r], index[1][r], index[2][r], float(v));
    }
  }
  return model;
}

void writeBlockModelCsv(const VoxelModel& model, const std::string& path) {
  const std::vector<std::string> channels = model.channelNames();
  if (channels.empty())
    throw DataError("the voxel model has no channels to write", SourceLocation{path, 0, 0, {}, {}});
  const VolumeSpec& spec = model.spec();
  std::vector<std::vector<float>> values;
  std::vector<std::vector<std::uint8_t>> active;
  std::vector<std::uint8_t> any(spec.size(), 0);
  for (const auto& name : channels) {
    values.push_back(model.denseChannel(name));
    active.push_back(model.activeMask(name));
    for (std::size_t i = 0; i < any.size(); ++i) any[i] |= active.back()[i];
  }
  std::string text = "x,y,z";
  for (const auto& name : channels) text += "," + detail::quoteCsvField(name);
  text += '\n';
  for (std::size_t k = 0; k < spec.nz; ++k) {
    for (std::size_t j = 0; j < spec.ny; ++j) {
      for (std::size_t i = 0; i < spec.nx; ++i) {
        const std::size_t idx = spec.index(i, j, k);
        if (!any[idx]) continue;
        text += formatCoordinate(spec.centreX(i)) + "," + formatCoordinate(spec.centreY(j)) + "," +
                formatCoordinate(spec.centreZ(k));
        for (std::size_t c = 0; c < channels.size(); ++c) {
          text += ',';
          if (active[c][idx]) text += formatFloat(values[c][idx]);
        }
        text += '\n';
      }
    }
  }
  writeTextFileAtomic(path, text);
}

}  // namespace orevox
