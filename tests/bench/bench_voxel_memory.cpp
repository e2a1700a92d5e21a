// Memory of a sparse VoxelModel channel against the dense float array, and the time to
// convert between them. The requirement: a channel whose active region is 20% of
// the box takes at most 30% of the dense array's bytes.
//
//   bench_voxel_memory           256 x 256 x 128 voxels (the requirement's size)
//   bench_voxel_memory --quick   64 x 64 x 32 (CTest smoke run)
//
// Two realistic active regions, each exactly 20% of the box: the rock below an undulating
// surface (voxels above it are air), and a damage zone around a dipping fault plane.
// Exits 1 when a round trip is not exact, or (full size) when a ratio exceeds 0.30.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "orevox/core/runtime.hpp"
#include "orevox/voxel/voxel_model.hpp"

namespace {

using orevox::VolumeSpec;
using orevox::VoxelModel;

constexpr double kActiveFraction = 0.20;
constexpr double kLimit = 0.30;

// Flags the voxels whose score is among the lowest kActiveFraction of the box.
std::vector<std::uint8_t> lowestFraction(const std::vector<double>& score) {
  std::vector<double> sorted = score;
  const std::size_t cut = static_cast<std::size_t>(kActiveFraction * double(score.size()));
  std::nth_element(sorted.begin(), sorted.begin() + std::ptrdiff_t(cut), sorted.end());
  const double threshold = sorted[cut];
  std::vector<std::uint8_t> active(score.size());
  for (std::size_t n = 0; n < score.size(); ++n) active[n] = score[n] < threshold ? 1 : 0;
  return active;
}

// Score = height above an undulating surface (hills of a few hundred metres).
std::vector<double> belowSurface(const VolumeSpec& s) {
  std::vector<double> score(s.size());
  for (std::size_t k = 0; k < s.nz; ++k) {
    for (std::size_t j = 0; j < s.ny; ++j) {
      for (std::size_t i = 0; i < s.nx; ++i) {
        const double x = double(i) / double(s.nx), y = double(j) / double(s.ny);
        const double surface = 0.08 * double(s.nz) *
                               (std::sin(2.0 * M_PI * 1.5 * x) * std::cos(2.0 * M_PI * y) +
                                0.5 * std::sin(2.0 * M_PI * (2.0 * x + 3.0 * y)));
        score[s.index(i, j, k)] = double(k) - surface;
      }
    }
  }
  return score;
}

// Score = distance to a plane striking 30 degrees east of north and dipping 60 degrees,
// through the centre of the box (distances in units of 10 m: z voxels are 5 m tall).
std::vector<double> aroundFault(const VolumeSpec& s) {
  const double strike = 30.0 * M_PI / 180.0, dip = 60.0 * M_PI / 180.0;
  // Unit normal of the plane: horizontal part perpendicular to strike, tilted by the dip.
  const double nx = std::cos(strike) * std::sin(dip), ny = -std::sin(strike) * std::sin(dip),
               nz = std::cos(dip);
  const double cx = 0.5 * double(s.nx), cy = 0.5 * double(s.ny), cz = 0.5 * double(s.nz);
  std::vector<double> score(s.size());
  for (std::size_t k = 0; k < s.nz; ++k) {
    for (std::size_t j = 0; j < s.ny; ++j) {
      for (std::size_t i = 0; i < s.nx; ++i) {
        const double dx = double(i) - cx, dy = double(j) - cy, dz = (double(k) - cz) * 0.5;
        score[s.index(i, j, k)] = std::abs(nx * dx + ny * dy + nz * dz);
      }
    }
  }
  return score;
}

// A smoothly varying grade (g/t), so no leaf is uniform and nothing collapses to a tile.
std::vector<float> grade(const VolumeSpec& s) {
  std::vector<float> v(s.size());
  for (std::size_t k = 0; k < s.nz; ++k) {
    for (std::size_t j = 0; j < s.ny; ++j) {
      for (std::size_t i = 0; i < s.nx; ++i) {
        v[s.index(i, j, k)] = float(
            1.0 + 0.5 * std::sin(0.21 * double(i)) * std::cos(0.17 * double(j)) + 0.01 * double(k));
      }
    }
  }
  return v;
}

double bestOf(int repeats, const std::function<void()>& run) {
  double best = 1e300;
  for (int r = 0; r < repeats; ++r) {
    orevox::Stopwatch watch;
    run();
    best = std::min(best, watch.seconds());
  }
  return best;
}

struct Result {
  double ratio = 0.0;
  bool exact = false;
};

Result measure(const char* shape, const VolumeSpec& spec, const std::vector<std::uint8_t>& active,
               const std::vector<float>& values) {
  const double denseBytes = double(spec.size()) * sizeof(float);
  std::size_t activeCount = 0;
  for (auto a : active) activeCount += a;
  VoxelModel model(spec);
  const double setSeconds =
      bestOf(3, [&] { model.setChannel("grade", values, &active, "g/t", 0.0f); });
  std::vector<float> back;
  const double denseSeconds = bestOf(3, [&] { back = model.denseChannel("grade"); });
  bool exact = model.activeVoxelCount("grade") == activeCount;
  for (std::size_t n = 0; n < spec.size() && exact; ++n)
    exact = back[n] == (active[n] ? values[n] : 0.0f);
  const double bytes = double(model.memoryBytes());
  const double ratio = bytes / denseBytes;
  std::printf(
      "%-14s active %5.1f%%  sparse %9.0f bytes  dense %9.0f bytes  ratio %.3f  "
      "setChannel %7.1f ms  denseChannel %7.1f ms  round trip %s\n",
      shape, 100.0 * double(activeCount) / double(spec.size()), bytes, denseBytes, ratio,
      1e3 * setSeconds, 1e3 * denseSeconds, exact ? "exact" : "WRONG");
  return Result{ratio, exact};
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  for (int a = 1; a < argc; ++a) {
    if (std::strcmp(argv[a], "--quick") == 0) {
      quick = true;
    } else {
      std::fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
      return 2;
    }
  }
  VolumeSpec spec;
  spec.nx = quick ? 64 : 256;
  spec.ny = quick ? 64 : 256;
  spec.nz = quick ? 32 : 128;
  spec.spacing = {10.0, 10.0, 5.0};
  std::printf("bench_voxel_memory: %zu x %zu x %zu voxels, one float channel, %d thread(s)%s\n",
              spec.nx, spec.ny, spec.nz, orevox::threadCount(), quick ? " (quick)" : "");

  const std::vector<float> values = grade(spec);
  const Result surface = measure("below-surface", spec, lowestFraction(belowSurface(spec)), values);
  const Result fault = measure("fault-zone", spec, lowestFraction(aroundFault(spec)), values);

  if (!surface.exact || !fault.exact) {
    std::printf("FAIL: a dense -> sparse -> dense round trip changed values\n");
    return 1;
  }
  const double worst = std::max(surface.ratio, fault.ratio);
  if (quick) {
    // OpenVDB's upper tree nodes cost ~0.3 MB whatever the box, which alone exceeds 30% of
    // this small box's 0.5 MB; the requirement is checked at the full size.
    std::printf(
        "quick run: ratio %.3f not checked against %.2f (fixed tree overhead dominates small "
        "boxes)\n",
        worst, kLimit);
    return 0;
  }
  if (worst > kLimit) {
    std::printf("FAIL: sparse channel takes %.3f of the dense array, the limit is %.2f\n", worst,
                kLimit);
    return 1;
  }
  std::printf("OK: worst ratio %.3f <= %.2f\n", worst, kLimit);
  return 0;
}
