// Streamed prediction of a whole voxel layer: the convolutional trunk once per tile, the
// head densely over the tile's map (exact, see volume_models.hpp).
#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <ATen/core/grad_mode.h>

#include <algorithm>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/voxel/spatial_index.hpp"
#include "volume_net.hpp"

namespace orevox {

VolumePrediction predictVolume(const VolumeModel& model, const SpatialIndex& index, const std::string& layer,
                               const VolumePredictOptions& options) {
  VolumeModel::Impl& m = model.impl();
  if (options.tile < 1 || options.chunk < 1) throw UsageError("tile and chunk sizes must be positive");
  Stopwatch watch;
  const VoxelModel& volume = index.voxels(layer);
  const VolumeSpec& spec = volume.spec();
  for (const auto& c : m.channels) {
    if (!volume.hasChannel(c)) {
      throw DataError("voxel layer '" + layer + "' has no channel '" + c + "' that the model was trained on");
    }
  }
  // Per-domain standardisation: the predicted volume's own statistics.
  const ChannelStandardisation standardisation = ChannelStandardisation::fit(volume, m.channels);
  const long r = m.patch / 2;
  const long mapSize = m.patch - 6;
  const std::size_t channels = m.channels.size();

  VolumePrediction out;
  out.probability.assign(spec.size(), 0.0f);
  out.valid.assign(spec.size(), 0);
  const std::vector<Tile3D> tiles = index.tiles3D(layer, options.tile, std::size_t(r));
  at::NoGradGuard noGrad;
  Progress progress("predict " + layer, tiles.size());
  std::vector<float> values;
  std::vector<std::uint8_t> mask, on;
  for (const Tile3D& tile : tiles) {
    const VoxelRange& core = tile.core;
    // Core grown by the patch radius on every side, NOT clipped to the box (tile.halo is):
    // voxels outside the box read as 0 with mask 0, exactly as SpatialIndex::patch pads.
    const long i0 = long(core.i0) - r, j0 = long(core.j0) - r, k0 = long(core.k0) - r;
    const std::size_t ni = core.ni + 2 * std::size_t(r), nj = core.nj + 2 * std::size_t(r),
                      nk = core.nk + 2 * std::size_t(r), box = ni * nj * nk;
    values.assign(channels * box, 0.0f);
    mask.assign(box, 1);
    on.resize(box);
    for (std::size_t c = 0; c < channels; ++c) {
      volume.copyBox(m.channels[c], i0, j0, k0, ni, nj, nk, values.data() + c * box, on.data());
      for (std::size_t v = 0; v < box; ++v) mask[v] = mask[v] && on[v];
    }
    // Valid core voxels (their patch centre is valid), as indices into the core.
    std::vector<int64_t> coreValid;
    for (std::size_t k = 0; k < core.nk; ++k) {
      for (std::size_t j = 0; j < core.nj; ++j) {
        for (std::size_t i = 0; i < core.ni; ++i) {
          const std::size_t b = ((k + std::size_t(r)) * nj + j + std::size_t(r)) * ni + i + std::size_t(r);
          if (mask[b]) coreValid.push_back(int64_t((k * core.nj + j) * core.ni + i));
        }
      }
    }
    progress.advance();
    if (coreValid.empty()) continue;
    standardisation.apply(values.data(), mask.data(), 1, box);  // masked voxels -> 0
    at::Tensor input = at::empty({1, int64_t(channels + 1), int64_t(nk), int64_t(nj), int64_t(ni)}, at::kFloat);
    float* dst = input.data_ptr<float>();
    std::copy(values.begin(), values.end(), dst);
    for (std::size_t v = 0; v < box; ++v) dst[channels * box + v] = mask[v] ? 1.0f : 0.0f;
    // One dense trunk pass: 32 x (nk-6) x (nj-6) x (ni-6) = 32 x (core + m - 1)^3.
    Stopwatch trunkWatch;
    const at::Tensor maps = m.net->trunk(input)[0];
    out.trunkSeconds += trunkWatch.seconds();
    // Head densely over the map (VolumeNetImpl::denseFeatures), slab by slab of the core
    // so that at most `chunk` voxels' intermediate values are held at a time.
    const std::size_t slab = std::max<std::size_t>(1, options.chunk / (core.ni * core.nj));
    std::size_t next = 0;  // position in coreValid
    for (std::size_t z0 = 0; z0 < core.nk; z0 += slab) {
      const std::size_t dz = std::min(slab, core.nk - z0);
      const int64_t first = int64_t(z0 * core.nj * core.ni), last = int64_t((z0 + dz) * core.nj * core.ni);
      if (next == coreValid.size() || coreValid[next] >= last) continue;  // no valid voxel in the slab
      const at::Tensor f = m.net->denseFeatures(maps.narrow(1, int64_t(z0), int64_t(dz) + mapSize - 1));
      const at::Tensor prob = at::sigmoid(m.net->label(f)).contiguous();
      const float* p = prob.data_ptr<float>();
      for (; next < coreValid.size() && coreValid[next] < last; ++next) {
        const std::size_t local = std::size_t(coreValid[next]);
        const std::size_t i = local % core.ni, j = (local / core.ni) % core.nj, k = local / (core.ni * core.nj);
        const std::size_t v = spec.index(core.i0 + i, core.j0 + j, core.k0 + k);
        out.probability[v] = p[coreValid[next] - first];
        out.valid[v] = 1;
        ++out.voxels;
      }
    }
    ++out.tiles;
  }
  progress.finish();
  out.seconds = watch.seconds();
  return out;
}

}  // namespace orevox
