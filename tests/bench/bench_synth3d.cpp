// Generation speed of the synthetic 3D deposit pair (orevox::generateSynth3d).
// Usage: bench_synth3d [--quick]   (--quick: 64 x 64 x 32 instead of 256 x 256 x 128)

#include <cstdio>
#include <cstring>

#include "orevox/core/runtime.hpp"
#include "orevox/geomodel/synth3d.hpp"

namespace {

struct Fractions {
  double active = 0.0;  // share of the box below the surface
  double ore = 0.0;     // share of the rock that is orebody
};

Fractions fractions(const orevox::Synth3dDeposit& d) {
  const auto& ore = d.volume.channel("orebody").values;
  std::size_t active = 0, oreCount = 0;
  for (std::size_t v = 0; v < ore.size(); ++v) {
    active += d.active[v];
    oreCount += d.active[v] && ore[v] > 0.5f;
  }
  return {double(active) / double(ore.size()), active ? double(oreCount) / double(active) : 0.0};
}

}  // namespace

int main(int argc, char** argv) {
  orevox::Synth3dOptions options;
  for (int a = 1; a < argc; ++a) {
    if (std::strcmp(argv[a], "--quick") == 0) {
      options.nx = options.ny = 64;
      options.nz = 32;
    } else {
      std::fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
      return 2;
    }
  }
  orevox::Progress::setEnabled(false);
  const double voxels = double(options.nx) * double(options.ny) * double(options.nz);
  std::printf(
      "bench_synth3d: %zu x %zu x %zu voxels (%.2f M), cell %.0f m, shift %.2f, seed %llu, %d "
      "threads\n",
      options.nx, options.ny, options.nz, voxels / 1e6, options.cell, options.shift,
      static_cast<unsigned long long>(options.seed), orevox::threadCount());

  for (bool target : {false, true}) {
    orevox::Stopwatch watch;
    const orevox::Synth3dDeposit d = orevox::generateSynth3dDeposit(options, target);
    const double seconds = watch.seconds();
    const Fractions f = fractions(d);
    std::printf("  %-6s  %6.2f s  %6.2f M voxels/s  active %.3f  ore/rock %.4f  (%zu channels)\n",
                d.name.c_str(), seconds, voxels / seconds / 1e6, f.active, f.ore,
                d.volume.channelCount());
  }
  orevox::Stopwatch watch;
  const orevox::Synth3dPair pair = orevox::generateSynth3d(options);
  const double seconds = watch.seconds();
  std::printf("  pair    %6.2f s  %6.2f M voxels/s\n", seconds, 2.0 * voxels / seconds / 1e6);
  return pair.source.volume.channelCount() == 9 && pair.target.volume.channelCount() == 9 ? 0 : 1;
}
