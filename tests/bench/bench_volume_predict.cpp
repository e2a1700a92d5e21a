// Streamed prediction of a synth3d target volume by the DANN-CTA network (orevox::predictVolume)
// and the network's patch-by-patch throughput (orevox::VolumeModel::predictPatches), side by
// side with the same network in Python PyTorch (tests/bench/python/volume_reference.py, run
// with $OREVOX_PYTHON or /usr/bin/python3; skipped with a message when it cannot run).
// Usage: bench_volume_predict [--quick] [--size nx,ny,nz] [--patches N] [--tile N] [--chunk N] [--threads N] [--rounds N] [--no-python] [--patch-only]
//   default: 256 x 256 x 128 voxels; --quick: 48 x 48 x 32 (CTest).
// Throughput does not depend on the weights, so the network is freshly initialised.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "bench_common.hpp"
#include "orevox/core/process.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/geomodel/synth3d.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"
#include "orevox/learning/torch/volume_models.hpp"
#include "orevox/voxel/spatial_index.hpp"
#include "orevox/voxel/voxel_model.hpp"

namespace {

/// CPU seconds (user + system) of this process so far: CPU / wall = the cores it got.
double cpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

/// Multiply-adds x 2 of one k^3 patch through the DANN-CTA network (volume_models.hpp), layer
/// by layer; biases and activations not counted. volume_reference.py counts the same.
double flopPerPatch(double channels, double k) {
  auto cube = [](double v) { return v * v * v; };
  const double m3 = cube(k - 6);
  const double macs = cube(k - 2) * (channels + 1) * 16 * 27  // conv1
                      + cube(k - 4) * 16 * 32 * 27            // conv2
                      + m3 * 32 * 32 * 27                     // conv3
                      + 2 * 32 * 8 + m3 * 2 * 27 + 2 * 64 * 16  // channel, spatial, feature attention
                      + 32 * m3 * 64 + 64 * 32 + 32;          // fc, label predictor
  return 2 * macs;
}

/// Runs the PyTorch reference and returns its patches/s, or a negative value after printing
/// why it was skipped. With `defaults` the variables of configureProcessEnvironment are
/// removed from its environment (PyTorch as a user starts it); otherwise it inherits this
/// process's settings (the same runtime on both sides, so the ratio compares the code).
double pythonPatchesPerSecond(std::size_t channels, int patch, std::size_t patches, int threads, bool defaults) {
  const std::filesystem::path script = std::filesystem::path(__FILE__).parent_path() / "python" / "volume_reference.py";
  const std::string python = bench::pythonInterpreter();
  if (!std::filesystem::exists(script)) {
    std::printf("  PyTorch reference: skipped (no %s)\n", script.c_str());
    return -1;
  }
  const bench::CommandResult r =
      bench::runCommand(bench::environmentPrefix(defaults) + python + " " + script.string() + " --channels " +
                        std::to_string(channels) + " --patch " + std::to_string(patch) + " --patches " +
                        std::to_string(patches) + " --batch 512 --threads " + std::to_string(threads));
  const std::size_t key = r.output.find("\"patches_per_s\": ");
  if (!r.started || r.status != 0 || key == std::string::npos) {
    std::printf("  PyTorch reference: skipped (%s exited %d: %s)\n", python.c_str(), r.status, r.output.c_str());
    return -1;
  }
  return std::atof(r.output.c_str() + key + 17);
}

}  // namespace

int main(int argc, char** argv) {
  orevox::configureProcessEnvironment(argv);  // as the orevox binary; the Python reference inherits it
  orevox::Synth3dOptions synth;
  std::size_t tile = orevox::VolumePredictOptions{}.tile, chunk = orevox::VolumePredictOptions{}.chunk;
  int threads = 0, rounds = 3;
  bool python = true, streamed = true;
  std::size_t patches = 8192;
  for (int a = 1; a < argc; ++a) {
    if (std::strcmp(argv[a], "--quick") == 0) {
      synth.nx = synth.ny = 48;
      synth.nz = 32;
      patches = 256;
      rounds = 1;
    } else if (std::strcmp(argv[a], "--tile") == 0 && a + 1 < argc) {
      tile = std::size_t(std::atol(argv[++a]));
    } else if (std::strcmp(argv[a], "--size") == 0 && a + 1 < argc) {
      if (std::sscanf(argv[++a], "%zu,%zu,%zu", &synth.nx, &synth.ny, &synth.nz) != 3) {
        std::fprintf(stderr, "--size: expected nx,ny,nz\n");
        return 2;
      }
    } else if (std::strcmp(argv[a], "--patches") == 0 && a + 1 < argc) {
      patches = std::size_t(std::atol(argv[++a]));
    } else if (std::strcmp(argv[a], "--chunk") == 0 && a + 1 < argc) {
      chunk = std::size_t(std::atol(argv[++a]));
    } else if (std::strcmp(argv[a], "--no-python") == 0) {
      python = false;
    } else if (std::strcmp(argv[a], "--rounds") == 0 && a + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++a]));
    } else if (std::strcmp(argv[a], "--patch-only") == 0) {
      streamed = false;
    } else if (std::strcmp(argv[a], "--threads") == 0 && a + 1 < argc) {
      threads = std::atoi(argv[++a]);
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--size nx,ny,nz] [--patches N] [--tile N] [--chunk N] [--threads N] [--rounds N] [--no-python] [--patch-only]\n", argv[0]);
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
  const double rssAfterData = bench::peakRssMiB();
  const orevox::VoxelModel& volume = index.voxels("target");
  const std::vector<std::string> channels = orevox::inputChannels(volume, "orebody");
  const orevox::VolumeModel model =
      orevox::VolumeModel::create(orevox::VolumeModelKind::DannCta, channels, patch, 1);
  std::printf("bench_volume_predict: %zu x %zu x %zu voxels, %zu channels, patch %d, tile %zu, chunk %zu, %d threads "
              "(data %.1f s, peak RSS %.0f MiB)\n  %s\n",
              synth.nx, synth.ny, synth.nz, channels.size(), patch, tile, chunk, orevox::threadCount(), genSeconds,
              rssAfterData, orevox::processEnvironmentSummary().c_str());

  // Patch-by-patch throughput of the whole network.
  const auto centres = orevox::sampleCentres(volume, channels, patches, 1, 9);
  orevox::PatchBatch batch = orevox::drawPatches(index, "target", centres, patch, channels);
  orevox::ChannelStandardisation::fit(volume, channels).apply(batch);
  (void)model.predictPatches(batch.select({0, 1, 2, 3}));  // warm-up
  // Rounds alternate orevox and the PyTorch reference (fastest of 3 passes each, the same
  // patch count, batch and threads), so that a slow spell of the shared machine hits both;
  // the ratio is taken round by round and its median reported.
  const double flop = flopPerPatch(double(channels.size()), patch);
  std::vector<double> orevoxRates, pythonRates, ratios, defaultRates;
  for (int round = 0; round < rounds; ++round) {
    double seconds = 1e300;
    for (int pass = 0; pass < 3; ++pass) {
      watch.restart();
      (void)model.predictPatches(batch);
      seconds = std::min(seconds, watch.seconds());
    }
    orevoxRates.push_back(double(batch.count) / seconds);
    if (!python) continue;
    const double reference = pythonPatchesPerSecond(channels.size(), patch, batch.count, orevox::threadCount(), false);
    if (reference <= 0) {
      python = false;
      continue;
    }
    pythonRates.push_back(reference);
    ratios.push_back(orevoxRates.back() / reference);
    const double plain = pythonPatchesPerSecond(channels.size(), patch, batch.count, orevox::threadCount(), true);
    if (plain > 0) defaultRates.push_back(plain);
  }
  const double orevoxRate = bench::median(orevoxRates), patchSeconds = double(batch.count) / orevoxRate;
  std::printf("  patch-by-patch (batch 512, %d rounds, fastest of 3 passes each): %zu patches, median %.0f patches/s "
              "(%.4f GFLOP/patch, %.1f GFLOP/s); rounds: %s\n",
              rounds, batch.count, orevoxRate, flop / 1e9, orevoxRate * flop / 1e9, bench::joined(orevoxRates, "%.0f").c_str());
  if (!pythonRates.empty()) {
    std::printf("  PyTorch reference (volume_reference.py, same network, batch, threads and environment): median %.0f "
                "patches/s (%.1f GFLOP/s); rounds: %s\n",
                bench::median(pythonRates), bench::median(pythonRates) * flop / 1e9, bench::joined(pythonRates, "%.0f").c_str());
    std::printf("  orevox / PyTorch, round by round: %s; median %.2f\n", bench::joined(ratios, "%.2f").c_str(), bench::median(ratios));
  }
  if (!defaultRates.empty()) {
    std::printf("  PyTorch in its default environment (none of the three variables): median %.0f patches/s; rounds: %s; "
                "orevox / that = %.2f\n",
                bench::median(defaultRates), bench::joined(defaultRates, "%.0f").c_str(), orevoxRate / bench::median(defaultRates));
  }
  if (!python && pythonRates.empty()) std::printf("  PyTorch reference: skipped\n");

  if (!streamed) return 0;
  // Streamed prediction of the whole volume.
  orevox::VolumePredictOptions options;
  options.tile = tile;
  options.chunk = chunk;
  watch.restart();
  const double cpu0 = cpuSeconds();
  const orevox::VolumePrediction p = orevox::predictVolume(model, index, "target", options);
  const double seconds = watch.seconds();
  const double boxVoxels = double(synth.nx * synth.ny * synth.nz);
  std::printf("  streamed volume: %zu tiles, %zu valid voxels of %.0f in %.2f s (trunk %.2f s) = %.0f voxels/s "
              "(%.0f box voxels/s); patch-by-patch would take %.0f s\n",
              p.tiles, p.voxels, boxVoxels, seconds, p.trunkSeconds, double(p.voxels) / seconds, boxVoxels / seconds,
              double(p.voxels) * patchSeconds / double(batch.count));
  std::printf("  CPU %.1f s over %.1f s wall (%.2f cores); peak RSS (VmHWM) %.0f MiB\n", cpuSeconds() - cpu0, seconds,
              (cpuSeconds() - cpu0) / seconds, bench::peakRssMiB());
  bench::printLoadAverage();
  return p.voxels > 0 ? 0 : 1;
}
