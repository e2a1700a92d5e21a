// Full-map prediction of a raster model: streamed by bands of lattice rows, windows drawn
// from the SpatialIndex in parallel, scored in batches, bilinear interpolation between the
// lattice cells when the stride is above 1.
#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <c10/core/InferenceMode.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/voxel/spatial_index.hpp"
#include "raster_nets.hpp"

namespace orevox {

std::size_t defaultMapStride(std::size_t cells) {
  if (cells < 250000) return 1;
  if (cells < 1000000) return 4;
  return 8;
}

namespace {

/// Lattice positions 0, s, 2s, ... plus the last index (so every cell lies between two).
std::vector<std::size_t> lattice(std::size_t n, std::size_t s) {
  std::vector<std::size_t> v;
  for (std::size_t i = 0; i < n; i += s) v.push_back(i);
  if (v.back() != n - 1) v.push_back(n - 1);
  return v;
}

/// Scores windows centred on cells in batches; the caller's list of (col, row).
class WindowScorer {
 public:
  WindowScorer(RasterModel::Impl& m, const SpatialIndex& index,
               const std::vector<std::string>& layers, std::size_t batch, RasterPrediction& out)
      : m_(m), index_(index), layers_(layers), batch_(std::max<std::size_t>(1, batch)), out_(out) {
    const std::size_t c = m.channels.size();
    mean_.assign(c, 0.0);
    scale_.assign(c, 1.0);
    if (!m.standardisation.empty()) {
      if (m.standardisation.mean.size() != c || m.standardisation.sd.size() != c) {
        throw UsageError("the raster model's standardisation does not match its channels");
      }
      for (std::size_t i = 0; i < c; ++i) {
        mean_[i] = m.standardisation.mean[i];
        scale_[i] = m.standardisation.sd[i] > 1e-12 ? 1.0 / m.standardisation.sd[i] : 1.0;
      }
    }
  }

  /// Probability of each cell's window, in the order given.
  std::vector<float> score(const std::vector<std::array<std::size_t, 2>>& cells) {
    std::vector<float> p(cells.size());
    const int64_t c = int64_t(m_.channels.size()), k = m_.k;
    const std::size_t area = std::size_t(k * k), stride = std::size_t(c + 1) * area;
    for (std::size_t b0 = 0; b0 < cells.size(); b0 += batch_) {
      const std::size_t n = std::min(batch_, cells.size() - b0);
      at::Tensor x = at::empty({int64_t(n), c + 1, k, k}, at::kFloat);
      float* dst = x.data_ptr<float>();
      tbb::parallel_for(
          tbb::blocked_range<std::size_t>(0, n), [&](const tbb::blocked_range<std::size_t>& r) {
            for (std::size_t i = r.begin(); i != r.end(); ++i) {
              const auto& cell = cells[b0 + i];
              const Window w = index_.windowAtCell(long(cell[0]), long(cell[1]), int(k), layers_);
              float* out = dst + i * stride;
              for (std::size_t ch = 0; ch < std::size_t(c); ++ch) {
                const float* v = w.values.data() + ch * area;
                for (std::size_t a = 0; a < area; ++a) {
                  out[ch * area + a] =
                      w.mask[a] ? float((double(v[a]) - mean_[ch]) * scale_[ch]) : 0.0f;
                }
              }
              for (std::size_t a = 0; a < area; ++a)
                out[std::size_t(c) * area + a] = w.mask[a] ? 1.0f : 0.0f;
            }
          });
      Stopwatch watch;
      const at::Tensor prob = at::sigmoid(m_.net->forward(x)).contiguous();
      out_.networkSeconds += watch.seconds();
      std::memcpy(p.data() + b0, prob.data_ptr<float>(), n * sizeof(float));
    }
    out_.windows += cells.size();
    return p;
  }

 private:
  RasterModel::Impl& m_;
  const SpatialIndex& index_;
  const std::vector<std::string>& layers_;
  std::size_t batch_;
  RasterPrediction& out_;
  std::vector<double> mean_, scale_;
};

}  // namespace

RasterPrediction predictMap(const RasterModel& model, const SpatialIndex& index,
                            const std::vector<std::string>& layers,
                            const RasterPredictOptions& options) {
  RasterModel::Impl& m = model.impl();
  const std::vector<std::string> names = layers.empty() ? m.channels : layers;
  if (names.size() != m.channels.size()) {
    throw UsageError("predictMap: " + std::to_string(names.size()) +
                     " layers given for a model of " + std::to_string(m.channels.size()) +
                     " channels");
  }
  if (options.stride < 1) throw UsageError("--stride must be at least 1");
  if (!index.hasGrid()) throw UsageError("the spatial index has no 2D grid layers to predict on");
  Stopwatch watch;
  const GridSpec& g = index.grid();
  RasterPrediction out;
  out.cols = g.width;
  out.rows = g.height;
  out.probability.assign(g.size(), std::numeric_limits<float>::quiet_NaN());
  out.valid.assign(g.size(), 0);
  // Cells with data in every input layer (UsageError from gridValue for an unknown layer
  // comes through the first window instead; check names here for a clear message).
  const std::vector<std::string> have = index.gridLayers();
  for (const std::string& name : names) {
    if (std::find(have.begin(), have.end(), name) == have.end()) {
      throw UsageError("predictMap: the spatial index has no 2D layer '" + name + "'");
    }
  }
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, g.height),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t row = r.begin(); row != r.end(); ++row) {
                        for (std::size_t col = 0; col < g.width; ++col) {
                          bool ok = true;
                          float v = 0.0f;
                          for (const std::string& name : names)
                            ok = ok && index.gridValue(name, long(col), long(row), v);
                          out.valid[g.index(col, row)] = ok ? 1 : 0;
                        }
                      }
                    });

  c10::InferenceMode guard;
  m.net->eval();
  WindowScorer scorer(m, index, names, options.batch, out);
  const std::size_t s = options.stride;
  const std::vector<std::size_t> lc = lattice(g.width, s), lr = lattice(g.height, s);
  auto isValid = [&](std::size_t col, std::size_t row) {
    return out.valid[g.index(col, row)] != 0;
  };
  auto value = [&](std::size_t col, std::size_t row) { return out.probability[g.index(col, row)]; };
  const bool restricted = !options.cells.empty();
  if (restricted && options.cells.size() != g.size())
    throw UsageError("predictMap: a cell selection of " + std::to_string(options.cells.size()) +
                     " entries for a grid of " + std::to_string(g.size()) + " cells");
  auto wanted = [&](std::size_t col, std::size_t row) {
    return isValid(col, row) && (!restricted || options.cells[g.index(col, row)] != 0);
  };
  // Restricted: the lattice cells some wanted cell interpolates from (the corners of its
  // lattice segment, as the loop below picks it), the others are not scored.
  std::vector<std::uint8_t> needed;
  if (restricted) {
    needed.assign(g.size(), 0);
    for (std::size_t row = 0; row < g.height; ++row)
      for (std::size_t col = 0; col < g.width; ++col) {
        if (!wanted(col, row)) continue;
        const std::size_t a = std::min<std::size_t>(
            std::size_t(std::upper_bound(lc.begin(), lc.end(), col) - lc.begin()) - 1,
            lc.size() > 1 ? lc.size() - 2 : 0);
        const std::size_t b = std::size_t(std::lower_bound(lr.begin(), lr.end(), row) - lr.begin());
        const std::size_t cs[2] = {lc[a], lc[std::min(a + 1, lc.size() - 1)]};
        const std::size_t rs[2] = {lr[b == 0 ? 0 : b - 1], lr[b]};
        for (std::size_t c : cs)
          for (std::size_t r : rs) needed[g.index(c, r)] = 1;
      }
  }

  // Interpolates cell (col, row) from the lattice cell [c0, c1] x [r0, r1] around it:
  // bilinear weights renormalised over the valid corners; false when none has weight.
  auto interpolate = [&](std::size_t col, std::size_t row, std::size_t c0, std::size_t c1,
                         std::size_t r0, std::size_t r1) {
    const double tx = c1 > c0 ? double(col - c0) / double(c1 - c0) : 0.0;
    const double ty = r1 > r0 ? double(row - r0) / double(r1 - r0) : 0.0;
    const std::size_t cs[4] = {c0, c1, c0, c1}, rs[4] = {r0, r0, r1, r1};
    const double w[4] = {(1 - tx) * (1 - ty), tx * (1 - ty), (1 - tx) * ty, tx * ty};
    double sum = 0, wsum = 0;
    for (int q = 0; q < 4; ++q) {
      if (w[q] <= 0 || !isValid(cs[q], rs[q])) continue;
      sum += w[q] * double(value(cs[q], rs[q]));
      wsum += w[q];
    }
    if (wsum <= 0) return false;
    out.probability[g.index(col, row)] = float(sum / wsum);
    ++out.interpolated;
    return true;
  };

  std::optional<Progress> progress;
  if (options.progress) progress.emplace("predict map", lr.size());
  std::vector<std::array<std::size_t, 2>> cells, fallback;
  for (std::size_t i = 0; i < lr.size(); ++i) {
    // 1. The valid lattice cells of lattice row i: exact scores.
    cells.clear();
    for (std::size_t col : lc) {
      if (isValid(col, lr[i]) && (!restricted || needed[g.index(col, lr[i])]))
        cells.push_back({col, lr[i]});
    }
    std::vector<float> p = scorer.score(cells);
    for (std::size_t j = 0; j < cells.size(); ++j)
      out.probability[g.index(cells[j][0], cells[j][1])] = p[j];
    // 2. The rest of the band: lattice row i's other cells, and (i > 0) the rows between
    //    lattice rows i-1 and i.
    fallback.clear();
    const std::size_t rFirst = i == 0 ? lr[0] : lr[i - 1] + 1;
    for (std::size_t row = rFirst; row <= lr[i]; ++row) {
      const bool onLattice = row == lr[i];
      const std::size_t r0 = onLattice ? row : lr[i - 1], r1 = onLattice ? row : lr[i];
      for (std::size_t a = 0; a + 1 < lc.size() || (a == 0 && lc.size() == 1); ++a) {
        const std::size_t c0 = lc[a], c1 = lc.size() > 1 ? lc[a + 1] : lc[a];
        // Each column once: [c0, c1), and c1 too in the last segment.
        const std::size_t cEnd = a + 2 >= lc.size() ? c1 + 1 : c1;
        for (std::size_t col = c0; col < cEnd; ++col) {
          if (!wanted(col, row)) continue;
          const bool node = onLattice && (col == c0 || col == c1);
          if (node) continue;
          if (!interpolate(col, row, c0, c1, r0, r1)) fallback.push_back({col, row});
        }
      }
    }
    // 3. Cells with no valid corner: their own window.
    p = scorer.score(fallback);
    for (std::size_t j = 0; j < fallback.size(); ++j) {
      out.probability[g.index(fallback[j][0], fallback[j][1])] = p[j];
    }
    ++out.bands;
    if (progress) progress->advance();
  }
  if (progress) progress->finish();
  if (restricted)  // lattice corners outside the selection were scored for their neighbours
    for (std::size_t i = 0; i < g.size(); ++i)
      if (!options.cells[i]) out.probability[i] = std::numeric_limits<float>::quiet_NaN();
  out.seconds = watch.seconds();
  return out;
}

}  // namespace orevox
