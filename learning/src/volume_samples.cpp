#include "orevox/learning/volume_samples.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <type_traits>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/voxel/spatial_index.hpp"
#include "orevox/voxel/voxel_model.hpp"
#include "square_symmetry.hpp"

namespace orevox {

// ---- PatchBatch ----------------------------------------------------------------------------

void PatchBatch::validate() const {
  if (values.size() != count * patchStride()) {
    throw UsageError("patch batch holds " + std::to_string(values.size()) + " values, expected " +
                     std::to_string(count * patchStride()));
  }
  if (mask.size() != count * patchVolume()) {
    throw UsageError("patch batch mask holds " + std::to_string(mask.size()) + " flags, expected " +
                     std::to_string(count * patchVolume()));
  }
  if (!channelNames.empty() && channelNames.size() != channels) {
    throw UsageError("patch batch names " + std::to_string(channelNames.size()) + " channels, holds " +
                     std::to_string(channels));
  }
  if (!labels.empty() && labels.size() != count) throw UsageError("patch batch labels do not match its count");
  if (!centres.empty() && centres.size() != count) throw UsageError("patch batch centres do not match its count");
}

void PatchBatch::append(const PatchBatch& other) {
  if (count == 0 && values.empty()) {
    *this = other;
    return;
  }
  if (other.channels != channels || other.size != size || other.channelNames != channelNames) {
    throw UsageError("cannot append a patch batch of other channels or size");
  }
  const bool keepLabels = !labels.empty() && !other.labels.empty();
  values.insert(values.end(), other.values.begin(), other.values.end());
  mask.insert(mask.end(), other.mask.begin(), other.mask.end());
  if (!centres.empty() && !other.centres.empty()) {
    centres.insert(centres.end(), other.centres.begin(), other.centres.end());
  } else {
    centres.clear();
  }
  if (keepLabels) {
    labels.insert(labels.end(), other.labels.begin(), other.labels.end());
  } else {
    labels.clear();
  }
  count += other.count;
}

PatchBatch PatchBatch::select(const std::vector<std::size_t>& rows) const {
  PatchBatch out;
  out.count = rows.size();
  out.channels = channels;
  out.size = size;
  out.channelNames = channelNames;
  out.values.resize(out.count * patchStride());
  out.mask.resize(out.count * patchVolume());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::size_t n = rows[r];
    if (n >= count) throw UsageError("patch " + std::to_string(n) + " is out of range (" + std::to_string(count) + ")");
    std::copy_n(values.begin() + long(n * patchStride()), patchStride(), out.values.begin() + long(r * patchStride()));
    std::copy_n(mask.begin() + long(n * patchVolume()), patchVolume(), out.mask.begin() + long(r * patchVolume()));
    if (!labels.empty()) out.labels.push_back(labels[n]);
    if (!centres.empty()) out.centres.push_back(centres[n]);
  }
  return out;
}

// ---- channels and standardisation ----------------------------------------------------------

std::vector<std::uint8_t> validVoxels(const VoxelModel& model, const std::vector<std::string>& channels) {
  std::vector<std::uint8_t> valid(model.spec().size(), 1);
  for (const auto& name : channels) {
    if (!model.hasChannel(name)) throw UsageError("voxel model has no channel named '" + name + "'");
    const std::vector<std::uint8_t> on = model.activeMask(name);
    for (std::size_t v = 0; v < valid.size(); ++v) valid[v] = valid[v] && on[v];
  }
  return valid;
}

std::vector<std::string> inputChannels(const VoxelModel& model, const std::string& labelChannel) {
  std::vector<std::string> out;
  for (const auto& name : model.channelNames()) {
    if (name != labelChannel) out.push_back(name);
  }
  return out;
}

ChannelStandardisation ChannelStandardisation::fit(const VoxelModel& model,
                                                   const std::vector<std::string>& channels) {
  ChannelStandardisation s;
  s.channels = channels;
  const std::vector<std::uint8_t> valid = validVoxels(model, channels);
  const std::size_t n = std::size_t(std::count(valid.begin(), valid.end(), std::uint8_t(1)));
  if (n == 0) throw DataError("voxel model has no voxel active in every input channel");
  for (const auto& name : channels) {
    const std::vector<float> v = model.denseChannel(name);
    double sum = 0.0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (valid[i]) sum += v[i];
    }
    const double mean = sum / double(n);
    double sq = 0.0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (valid[i]) sq += (v[i] - mean) * (v[i] - mean);
    }
    const double sd = std::sqrt(sq / double(n));
    s.mean.push_back(mean);
    s.sd.push_back(sd < 1e-12 ? 1.0 : sd);
  }
  return s;
}

void ChannelStandardisation::apply(float* values, const std::uint8_t* mask, std::size_t count,
                                   std::size_t voxels) const {
  const std::size_t c = channels.size();
  for (std::size_t n = 0; n < count; ++n) {
    for (std::size_t ch = 0; ch < c; ++ch) {
      float* v = values + (n * c + ch) * voxels;
      const std::uint8_t* m = mask + n * voxels;
      const float mu = float(mean[ch]), inv = float(1.0 / sd[ch]);
      for (std::size_t x = 0; x < voxels; ++x) v[x] = m[x] ? (v[x] - mu) * inv : 0.0f;
    }
  }
}

void ChannelStandardisation::apply(PatchBatch& batch) const {
  batch.validate();
  if (batch.channelNames != channels) {
    throw UsageError("standardisation fitted on other channels than the patch batch's");
  }
  apply(batch.values.data(), batch.mask.data(), batch.count, batch.patchVolume());
}

// ---- sampling ------------------------------------------------------------------------------

namespace {

std::array<long, 3> voxelOf(const VolumeSpec& spec, std::size_t v) {
  return {long(v % spec.nx), long((v / spec.nx) % spec.ny), long(v / (spec.nx * spec.ny))};
}

/// m distinct items of `pool` drawn uniformly (partial Fisher-Yates), returned ascending.
std::vector<std::size_t> drawWithoutReplacement(std::vector<std::size_t> pool, std::size_t m, Rng& rng) {
  m = std::min(m, pool.size());
  for (std::size_t a = 0; a < m; ++a) {
    std::uniform_int_distribution<std::size_t> pick(a, pool.size() - 1);
    std::swap(pool[a], pool[pick(rng)]);
  }
  pool.resize(m);
  std::sort(pool.begin(), pool.end());
  return pool;
}

void checkEligible(const std::vector<std::uint8_t>& eligible, std::size_t voxels) {
  if (!eligible.empty() && eligible.size() != voxels) {
    throw UsageError("eligible-voxel mask of " + std::to_string(eligible.size()) +
                     " entries for a volume of " + std::to_string(voxels) + " voxels");
  }
}

}  // namespace

LabelledCentres sampleLabelledCentres(const VoxelModel& model, const std::string& labelChannel,
                                      const std::vector<std::string>& channels,
                                      const PatchSamplingOptions& options) {
  if (!model.hasChannel(labelChannel)) {
    throw UsageError("--label-channel: the source volume has no channel named '" + labelChannel + "'");
  }
  std::vector<std::uint8_t> valid = validVoxels(model, channels);
  checkEligible(options.eligible, valid.size());
  const std::vector<std::uint8_t> labelled = model.activeMask(labelChannel);
  const std::vector<float> label = model.denseChannel(labelChannel);
  std::vector<std::size_t> ore, barren;
  for (std::size_t v = 0; v < valid.size(); ++v) {
    if (!valid[v] || !labelled[v] || (!options.eligible.empty() && !options.eligible[v])) continue;
    (label[v] > options.labelThreshold ? ore : barren).push_back(v);
  }
  if (ore.empty()) throw DataError("label channel '" + labelChannel + "' marks no ore voxel");
  if (barren.empty()) throw DataError("label channel '" + labelChannel + "' marks no barren voxel");
  LabelledCentres out;
  out.oreShare = double(ore.size()) / double(ore.size() + barren.size());
  Rng rng = makeRng(options.seed, options.stream);
  const std::vector<std::size_t> pos = drawWithoutReplacement(std::move(ore), options.positives, rng);
  const auto negCount = std::size_t(std::llround(options.negativesPerPositive * double(pos.size())));
  const std::vector<std::size_t> neg = drawWithoutReplacement(std::move(barren), negCount, rng);
  for (std::size_t v : pos) {
    out.centres.push_back(voxelOf(model.spec(), v));
    out.labels.push_back(1);
  }
  for (std::size_t v : neg) {
    out.centres.push_back(voxelOf(model.spec(), v));
    out.labels.push_back(0);
  }
  return out;
}

std::vector<std::array<long, 3>> sampleCentres(const VoxelModel& model,
                                               const std::vector<std::string>& channels,
                                               std::size_t count, std::uint64_t seed,
                                               std::uint64_t stream,
                                               const std::vector<std::uint8_t>& eligible) {
  const std::vector<std::uint8_t> valid = validVoxels(model, channels);
  checkEligible(eligible, valid.size());
  std::vector<std::size_t> pool;
  for (std::size_t v = 0; v < valid.size(); ++v) {
    if (valid[v] && (eligible.empty() || eligible[v])) pool.push_back(v);
  }
  Rng rng = makeRng(seed, stream);
  std::vector<std::array<long, 3>> out;
  for (std::size_t v : drawWithoutReplacement(std::move(pool), count, rng)) out.push_back(voxelOf(model.spec(), v));
  return out;
}

std::vector<int> columnBlockFolds(const VolumeSpec& spec, int blocks) {
  if (blocks < 2 || std::size_t(blocks) > spec.nx || std::size_t(blocks) > spec.ny) {
    throw UsageError("--oof-blocks: " + std::to_string(blocks) + " x " + std::to_string(blocks) +
                     " column blocks on a volume of " + std::to_string(spec.nx) + " x " +
                     std::to_string(spec.ny) +
                     " columns (give at least 2 and at most one block per column)");
  }
  std::vector<int> folds(spec.size());
  const auto b = std::size_t(blocks);
  for (std::size_t k = 0; k < spec.nz; ++k)
    for (std::size_t j = 0; j < spec.ny; ++j)
      for (std::size_t i = 0; i < spec.nx; ++i)
        folds[spec.index(i, j, k)] = int(i * b / spec.nx + b * (j * b / spec.ny));
  return folds;
}

std::vector<std::uint8_t> outsideFoldBuffer(const VolumeSpec& spec, const std::vector<int>& folds,
                                            int fold, int radius) {
  if (folds.size() != spec.size()) throw UsageError("fold list and volume differ in size");
  if (radius < 0) throw UsageError("negative buffer radius " + std::to_string(radius));
  // Columns of the fold (a fold holds whole columns), grown by `radius` in i and j.
  const long nx = long(spec.nx), ny = long(spec.ny), r = radius;
  std::vector<std::uint8_t> near(spec.nx * spec.ny, 0);
  for (long j = 0; j < ny; ++j)
    for (long i = 0; i < nx; ++i) {
      if (spec.nz == 0 || folds[spec.index(std::size_t(i), std::size_t(j), 0)] != fold) continue;
      for (long b = std::max(0L, j - r); b <= std::min(ny - 1, j + r); ++b)
        for (long a = std::max(0L, i - r); a <= std::min(nx - 1, i + r); ++a)
          near[std::size_t(b * nx + a)] = 1;
    }
  std::vector<std::uint8_t> out(spec.size());
  for (std::size_t v = 0; v < out.size(); ++v) out[v] = !near[v % (spec.nx * spec.ny)];
  return out;
}

PatchBatch drawPatches(const SpatialIndex& index, const std::string& layer,
                       const std::vector<std::array<long, 3>>& centres, int size,
                       const std::vector<std::string>& channels) {
  if (size < 1) throw UsageError("--patch: patch size must be at least 1 voxel, got " + std::to_string(size));
  PatchBatch batch;
  batch.count = centres.size();
  batch.size = std::size_t(size);
  batch.centres = centres;
  batch.channelNames = channels.empty() ? index.voxels(layer).channelNames() : channels;
  batch.channels = batch.channelNames.size();
  // Checks the channels once, up front, so worker threads never throw.
  (void)index.patch(layer, 0, 0, 0, 1, batch.channelNames);
  batch.values.resize(batch.count * batch.patchStride());
  batch.mask.resize(batch.count * batch.patchVolume());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, centres.size()), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t n = r.begin(); n != r.end(); ++n) {
      const Patch p = index.patch(layer, centres[n][0], centres[n][1], centres[n][2], size, batch.channelNames);
      std::copy(p.values.begin(), p.values.end(), batch.values.begin() + long(n * batch.patchStride()));
      std::copy(p.mask.begin(), p.mask.end(), batch.mask.begin() + long(n * batch.patchVolume()));
    }
  });
  return batch;
}

void transformPatch(PatchBatch& batch, std::size_t n, int op) {
  if (op < 0 || op > 7) throw UsageError("patch symmetry must be 0..7, got " + std::to_string(op));
  if (n >= batch.count) throw UsageError("patch " + std::to_string(n) + " is out of range");
  const std::size_t s = batch.size, area = s * s, vol = batch.patchVolume();
  // Each horizontal slice (row j = y, northward) gets the same map.
  const std::vector<std::size_t> dest = detail::squareSymmetry(s, op, false);
  auto permute = [&](auto* data) {
    std::vector<std::remove_cv_t<std::remove_reference_t<decltype(*data)>>> src(data, data + vol);
    for (std::size_t k = 0; k < s; ++k) {
      for (std::size_t c = 0; c < area; ++c) data[k * area + dest[c]] = src[k * area + c];
    }
  };
  for (std::size_t ch = 0; ch < batch.channels; ++ch) permute(batch.values.data() + n * batch.patchStride() + ch * vol);
  permute(batch.mask.data() + n * vol);
}

void augmentPatches(PatchBatch& batch, std::uint64_t seed, std::uint64_t stream) {
  batch.validate();
  Rng rng = makeRng(seed, stream);
  std::uniform_int_distribution<int> pick(0, 7);
  std::vector<int> ops(batch.count);
  for (auto& op : ops) op = pick(rng);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batch.count), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t n = r.begin(); n != r.end(); ++n) transformPatch(batch, n, ops[n]);
  });
}

// ---- metrics -------------------------------------------------------------------------------

namespace {

/// Indices of the used entries sorted by decreasing score, ties by ascending index.
std::vector<std::size_t> rankedUsed(const std::vector<float>& scores, const std::vector<std::uint8_t>& use) {
  std::vector<std::size_t> idx;
  for (std::size_t n = 0; n < scores.size(); ++n) {
    if (use.empty() || use[n]) idx.push_back(n);
  }
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  return idx;
}

void checkSizes(const std::vector<float>& scores, const std::vector<std::uint8_t>& truth,
                const std::vector<std::uint8_t>& use) {
  if (truth.size() != scores.size() || (!use.empty() && use.size() != scores.size())) {
    throw UsageError("scores, truth and use flags differ in length");
  }
}

}  // namespace

std::vector<double> volumeSuccessRate(const std::vector<float>& scores, const std::vector<std::uint8_t>& truth,
                                const std::vector<std::uint8_t>& use, const std::vector<double>& fractions) {
  checkSizes(scores, truth, use);
  const std::vector<std::size_t> idx = rankedUsed(scores, use);
  std::vector<std::size_t> cum(idx.size() + 1, 0);
  for (std::size_t r = 0; r < idx.size(); ++r) cum[r + 1] = cum[r] + (truth[idx[r]] ? 1 : 0);
  std::vector<double> out;
  for (double q : fractions) {
    if (!(q >= 0 && q <= 1)) throw UsageError("success-rate fraction must be in [0, 1], got " + std::to_string(q));
    const auto top = std::size_t(std::llround(q * double(idx.size())));
    out.push_back(cum.back() ? double(cum[top]) / double(cum.back()) : std::numeric_limits<double>::quiet_NaN());
  }
  return out;
}

double mmdGaussian(const std::vector<float>& a, const std::vector<float>& b, std::size_t dim, double* bandwidth) {
  if (dim == 0 || a.size() < dim || b.size() < dim || a.size() % dim || b.size() % dim) {
    throw UsageError("MMD needs two non-empty samples of " + std::to_string(dim) + "-vectors");
  }
  const std::size_t na = a.size() / dim, nb = b.size() / dim, n = na + nb;
  auto row = [&](std::size_t r) { return r < na ? a.data() + r * dim : b.data() + (r - na) * dim; };
  std::vector<double> d2(n * n, 0.0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n), [&](const tbb::blocked_range<std::size_t>& rr) {
    for (std::size_t r = rr.begin(); r != rr.end(); ++r) {
      for (std::size_t c = 0; c < n; ++c) {
        const float *x = row(r), *y = row(c);
        double s = 0.0;
        for (std::size_t t = 0; t < dim; ++t) s += double(x[t] - y[t]) * double(x[t] - y[t]);
        d2[r * n + c] = s;
      }
    }
  });
  std::vector<double> off;
  off.reserve(n * (n - 1) / 2);
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t c = r + 1; c < n; ++c) off.push_back(d2[r * n + c]);
  }
  double h2 = 1.0;
  if (!off.empty()) {
    std::nth_element(off.begin(), off.begin() + long(off.size() / 2), off.end());
    h2 = off[off.size() / 2];  // squared median distance
  }
  if (!(h2 > 0)) h2 = 1.0;
  if (bandwidth) *bandwidth = std::sqrt(h2);
  double kaa = 0.0, kbb = 0.0, kab = 0.0;
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t c = 0; c < n; ++c) {
      const double k = std::exp(-d2[r * n + c] / (2.0 * h2));
      if (r < na && c < na) {
        kaa += k;
      } else if (r >= na && c >= na) {
        kbb += k;
      } else {
        kab += k;  // counted twice (r,c) and (c,r)
      }
    }
  }
  return kaa / double(na * na) + kbb / double(nb * nb) - kab / double(na * nb);
}

// ---- target zones --------------------------------------------------------------------------

std::array<double, 2> domainPriorWeights(const std::vector<int>& labels, double prior) {
  if (prior > 1.0) throw UsageError("the source ore share must be in [0, 1], got " + std::to_string(prior));
  if (prior < 0.0 || labels.empty()) return {1.0, 1.0};
  const double p = double(std::count(labels.begin(), labels.end(), 1)) / double(labels.size());
  if (p <= 0.0 || p >= 1.0) return {1.0, 1.0};
  return {prior / p, (1.0 - prior) / (1.0 - p)};
}

std::vector<TargetZone> targetZones(const VoxelModel& model, const std::string& channel,
                                    const std::vector<double>& topFractions, std::size_t minVoxels) {
  if (!model.hasChannel(channel)) throw UsageError("voxel model has no channel named '" + channel + "'");
  if (topFractions.empty() || topFractions.size() > 3 || !std::is_sorted(topFractions.begin(), topFractions.end())) {
    throw UsageError("zone fractions: expected 1 to 3 ascending shares of the volume");
  }
  for (double q : topFractions) {
    if (!(q > 0 && q <= 1)) throw UsageError("zone fraction must be in (0, 1], got " + std::to_string(q));
  }
  if (minVoxels == 0) throw UsageError("zones: the smallest body must have at least 1 voxel");
  const VolumeSpec& spec = model.spec();
  const std::vector<float> score = model.denseChannel(channel);
  const std::vector<std::uint8_t> active = model.activeMask(channel);
  std::vector<float> sorted;
  for (std::size_t v = 0; v < score.size(); ++v) {
    if (active[v]) sorted.push_back(score[v]);
  }
  std::vector<TargetZone> zones;
  if (sorted.empty()) return zones;
  std::sort(sorted.begin(), sorted.end(), std::greater<float>());
  // Rock surface: the top active voxel of each column.
  std::vector<long> top(spec.nx * spec.ny, -1);
  for (std::size_t v = 0; v < score.size(); ++v) {
    if (active[v]) {
      const std::size_t col = v % (spec.nx * spec.ny);
      top[col] = std::max(top[col], long(v / (spec.nx * spec.ny)));
    }
  }
  const double cellVolume = spec.spacing[0] * spec.spacing[1] * spec.spacing[2];
  std::vector<std::uint32_t> label(score.size());
  std::vector<std::size_t> queue;
  for (std::size_t g = 0; g < topFractions.size(); ++g) {
    const auto rank = std::max<std::size_t>(1, std::size_t(std::llround(topFractions[g] * double(sorted.size()))));
    const float threshold = sorted[rank - 1];
    std::fill(label.begin(), label.end(), 0u);
    std::vector<TargetZone> grade;
    for (std::size_t seed = 0; seed < score.size(); ++seed) {
      if (!active[seed] || score[seed] < threshold || label[seed]) continue;
      TargetZone z;
      z.grade = char('A' + g);
      z.zMin = z.depthMin = std::numeric_limits<double>::infinity();
      z.zMax = z.depthMax = -std::numeric_limits<double>::infinity();
      z.maxScore = -std::numeric_limits<double>::infinity();
      const auto id = std::uint32_t(grade.size() + 1);
      queue.assign(1, seed);
      label[seed] = id;
      double sx = 0, sy = 0, sz = 0, ss = 0;
      while (!queue.empty()) {
        const std::size_t v = queue.back();
        queue.pop_back();
        const std::size_t i = v % spec.nx, j = (v / spec.nx) % spec.ny, k = v / (spec.nx * spec.ny);
        const double x = spec.centreX(i), y = spec.centreY(j), zc = spec.centreZ(k);
        const double depth = double(top[v % (spec.nx * spec.ny)] - long(k)) * spec.spacing[2];
        ++z.voxels;
        sx += x;
        sy += y;
        sz += zc;
        ss += score[v];
        z.maxScore = std::max(z.maxScore, double(score[v]));
        z.zMin = std::min(z.zMin, zc);
        z.zMax = std::max(z.zMax, zc);
        z.depthMin = std::min(z.depthMin, depth);
        z.depthMax = std::max(z.depthMax, depth);
        const long nb[6][3] = {{-1, 0, 0}, {1, 0, 0}, {0, -1, 0}, {0, 1, 0}, {0, 0, -1}, {0, 0, 1}};
        for (const auto& d : nb) {
          const long a = long(i) + d[0], b = long(j) + d[1], c = long(k) + d[2];
          if (a < 0 || b < 0 || c < 0 || a >= long(spec.nx) || b >= long(spec.ny) || c >= long(spec.nz)) continue;
          const std::size_t w = spec.index(std::size_t(a), std::size_t(b), std::size_t(c));
          if (active[w] && score[w] >= threshold && !label[w]) {
            label[w] = id;
            queue.push_back(w);
          }
        }
      }
      const double n = double(z.voxels);
      z.volume = n * cellVolume;
      z.centroid = {sx / n, sy / n, sz / n};
      z.meanScore = ss / n;
      grade.push_back(z);
    }
    grade.erase(std::remove_if(grade.begin(), grade.end(), [&](const TargetZone& z) { return z.voxels < minVoxels; }),
                grade.end());
    std::stable_sort(grade.begin(), grade.end(), [](const TargetZone& a, const TargetZone& b) { return a.voxels > b.voxels; });
    for (std::size_t n = 0; n < grade.size(); ++n) grade[n].id = n + 1;
    zones.insert(zones.end(), grade.begin(), grade.end());
  }
  return zones;
}

std::string targetZonesCsv(const std::vector<TargetZone>& zones) {
  std::string out =
      "grade,id,voxels,volume_m3,z_min_m,z_max_m,depth_min_m,depth_max_m,centroid_x,centroid_y,centroid_z,"
      "mean_score,max_score\n";
  char line[512];
  for (const auto& z : zones) {
    std::snprintf(line, sizeof line, "%c,%zu,%zu,%.1f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.6f,%.6f\n", z.grade, z.id,
                  z.voxels, z.volume, z.zMin, z.zMax, z.depthMin, z.depthMax, z.centroid[0], z.centroid[1],
                  z.centroid[2], z.meanScore, z.maxScore);
    out += line;
  }
  return out;
}

}  // namespace orevox
