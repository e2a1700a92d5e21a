// Streamed prediction of a synth3d target volume by the DANN-CTA network (orevox::predictVolume)
// and the network's patch-by-patch throughput (orevox::VolumeModel::predictPatches).
// Usage: bench_volume_predict [--quick] [--tile N] [--threads N]
//   default: 256 x 256 x 128 voxels; --quick: 48 x 48 x 32 (CTest).
// Throughput does not depend on the weights, so the network is freshly initialised.

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "orevox/geomodel/runtime.hpp"
#include "orevox/geomodel/synth3d.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"
#include "orevox/learning/torch/volume_models.hpp"
#include "orevox/voxel/spatial_index.hpp"
#include "orevox/voxel/voxel_model.hpp"

namespace {

/// Peak resident set (VmHWM) in MiB from /proc/self/status; -1 when unavailable.
double peakRssMiB() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  }
  return -1.0;
}

}  // namespace

int main(int argc, char** argv) {
  orevox::Synth3dOptions synth;
  std::size_t tile = 32;
  int threads = 0;
  std::size_t patches = 2048;
  for (int a = 1; a < argc; ++a) {
    if (std::strcmp(argv[a], "--quick") == 0) {
      synth.nx = synth.ny = 48;
      synth.nz = 32;
      patches = 256;
    } else if (std::strcmp(argv[a], "--tile") == 0 && a + 1 < argc) {
      tile = std::size_t(std::atol(argv[++a]));
    } else if (std::strcmp(argv[a], "--threads") == 0 && a + 1 < argc) {
      threads = std::atoi(argv[++a]);
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--tile N] [--threads N]\n", argv[0]);
      return 2;
    }
  }
  orevox::Progress::setEnabled(false);
  orevox::setThreadCount(threads);
  orevox::configureTorch(orevox::threadCount(), 1);
  const int patch = 9;

  orevox::Stopwatch watch;
  orevox::SpatialIndex index;
  {
    const orevox::Synth3dDeposit target = orevox::generateSynth3dDeposit(synth, true);
    index.addVoxels("target", orevox::VoxelModel::fromDense(target.volume, &target.active));
  }
  const double genSeconds = watch.seconds();
  const double rssAfterData = peakRssMiB();
  const orevox::VoxelModel& volume = index.voxels("target");
  const std::vector<std::string> channels = orevox::inputChannels(volume, "orebody");
  const orevox::VolumeModel model =
      orevox::VolumeModel::create(orevox::VolumeModelKind::DannCta, channels, patch, 1);
  std::printf("bench_volume_predict: %zu x %zu x %zu voxels, %zu channels, patch %d, tile %zu, %d threads "
              "(data %.1f s, peak RSS %.0f MiB)\n",
              synth.nx, synth.ny, synth.nz, channels.size(), patch, tile, orevox::threadCount(), genSeconds,
              rssAfterData);

  // Patch-by-patch throughput of the whole network.
  const auto centres = orevox::sampleCentres(volume, channels, patches, 1, 9);
  orevox::PatchBatch batch = orevox::drawPatches(index, "target", centres, patch, channels);
  orevox::ChannelStandardisation::fit(volume, channels).apply(batch);
  (void)model.predictPatches(batch.select({0, 1, 2, 3}));  // warm-up
  watch.restart();
  (void)model.predictPatches(batch);
  const double patchSeconds = watch.seconds();
  // Multiply-adds per 9^3 patch: three valid 3x3x3 convolutions and the head's linear layers.
  const double c = double(channels.size()) + 1.0;
  const double macs = 343.0 * c * 16 * 27 + 125.0 * 16 * 32 * 27 + 27.0 * 32 * 32 * 27 + 864.0 * 64 +
                      32.0 * 8 * 2 + 27.0 * 2 * 27 + 64.0 * 16 * 2 + 64.0 * 32 + 32.0;
  std::printf("  patch-by-patch: %zu patches in %.2f s = %.0f patches/s (%.1f MFLOP/patch, %.1f GFLOP/s)\n",
              batch.count, patchSeconds, double(batch.count) / patchSeconds, 2 * macs / 1e6,
              double(batch.count) * 2 * macs / patchSeconds / 1e9);

  // Streamed prediction of the whole volume.
  orevox::VolumePredictOptions options;
  options.tile = tile;
  watch.restart();
  const orevox::VolumePrediction p = orevox::predictVolume(model, index, "target", options);
  const double seconds = watch.seconds();
  const double boxVoxels = double(synth.nx * synth.ny * synth.nz);
  std::printf("  streamed volume: %zu tiles, %zu valid voxels of %.0f in %.2f s = %.0f voxels/s "
              "(%.0f box voxels/s); patch-by-patch would take %.0f s\n",
              p.tiles, p.voxels, boxVoxels, seconds, double(p.voxels) / seconds, boxVoxels / seconds,
              double(p.voxels) * patchSeconds / double(batch.count));
  std::printf("  peak RSS (VmHWM) %.0f MiB\n", peakRssMiB());
  return p.voxels > 0 ? 0 : 1;
}
