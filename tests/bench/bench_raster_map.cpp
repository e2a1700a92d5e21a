// Full-map prediction (orevox::predictMap) of SSGSNet over a synthetic 15-channel stack:
// wall time, windows scored and peak memory for 1,000 x 1,000 and 2,000 x 2,000 maps at the
// stride defaultMapStride picks (or --stride), plus the cost of scoring every cell one
// window at a time extrapolated from the measured windows/s.
// Usage: bench_raster_map [--quick] [--sizes 1000,2000] [--stride S] [--threads N]
//   --quick: one 40 x 40 map, k = 16, stride 4 (CTest).
// Throughput does not depend on the weights, so the network is freshly initialised.

#include <sys/resource.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "bench_common.hpp"
#include "orevox/core/process.hpp"
#include "orevox/geomodel/raster.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/learning/torch/raster_models.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"
#include "orevox/voxel/spatial_index.hpp"

namespace {

/// `n` x `n` grid of `channels` smooth random fields (sums of random plane waves plus
/// noise), nodata outside an inscribed ellipse (~21% of the cells) so the nodata path runs.
orevox::SpatialIndex syntheticStack(std::size_t n, int channels, std::uint64_t seed) {
  orevox::Raster r(orevox::GridSpec::fromExtent(
      orevox::Extent{0, 0, 100.0 * double(n), 100.0 * double(n), true}, 100.0));
  orevox::Rng rng = orevox::makeRng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> g(0.0, 0.2);
  const double half = double(n) / 2.0;
  for (int c = 0; c < channels; ++c) {
    double fx[4], fy[4], ph[4];
    for (int w = 0; w < 4; ++w) {
      fx[w] = (u(rng) - 0.5) * 0.2;
      fy[w] = (u(rng) - 0.5) * 0.2;
      ph[w] = u(rng) * 6.28;
    }
    std::vector<float> v(r.grid().size());
    for (std::size_t row = 0; row < n; ++row)
      for (std::size_t col = 0; col < n; ++col) {
        const double dx = (double(col) - half) / half, dy = (double(row) - half) / (0.8 * half);
        if (dx * dx + dy * dy > 1.0) {
          v[r.grid().index(col, row)] = orevox::kNodata;
          continue;
        }
        double s = g(rng);
        for (int w = 0; w < 4; ++w)
          s += std::sin(fx[w] * double(col) + fy[w] * double(row) + ph[w]);
        v[r.grid().index(col, row)] = float(s);
      }
    r.addBand("e" + std::to_string(c), v);
  }
  orevox::SpatialIndex index;
  index.addGrid(r);
  return index;
}

}  // namespace

int main(int argc, char** argv) {
  orevox::configureProcessEnvironment(argv);  // as the orevox binary (may re-execute once)
  std::vector<std::size_t> sizes{1000, 2000};
  std::size_t stride = 0;
  int threads = 0, k = 32, channels = 15;
  for (int a = 1; a < argc; ++a) {
    if (std::strcmp(argv[a], "--quick") == 0) {
      sizes = {40};
      k = 16;
      channels = 3;
      stride = 4;
    } else if (std::strcmp(argv[a], "--sizes") == 0 && a + 1 < argc) {
      sizes.clear();
      std::stringstream list(argv[++a]);
      std::string item;
      while (std::getline(list, item, ',')) sizes.push_back(std::size_t(std::atol(item.c_str())));
    } else if (std::strcmp(argv[a], "--stride") == 0 && a + 1 < argc) {
      stride = std::size_t(std::atol(argv[++a]));
    } else if (std::strcmp(argv[a], "--threads") == 0 && a + 1 < argc) {
      threads = std::atoi(argv[++a]);
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--sizes N,N] [--stride S] [--threads N]\n",
                   argv[0]);
      return 2;
    }
  }
  orevox::Progress::setEnabled(false);
  orevox::setThreadCount(threads);
  orevox::configureTorch(orevox::threadCount(), 1);
  std::vector<std::string> names;
  for (int c = 0; c < channels; ++c) names.push_back("e" + std::to_string(c));
  const orevox::RasterModel model =
      orevox::RasterModel::create(orevox::RasterModelKind::Ssgsnet, names, k, {}, 1);
  std::printf(
      "bench_raster_map: SSGSNet, %d channels + mask, k = %d, %.3f GFLOP/window, %d threads, "
      "%s\n",
      channels, k, model.flopsPerWindow() / 1e9, orevox::threadCount(),
      orevox::processEnvironmentSummary().c_str());
  for (std::size_t n : sizes) {
    orevox::Stopwatch watch;
    const orevox::SpatialIndex index = syntheticStack(n, channels, 7);
    const double dataSeconds = watch.seconds();
    orevox::RasterPredictOptions options;
    options.stride = stride > 0 ? stride : orevox::defaultMapStride(n * n);
    options.progress = false;
    watch.restart();
    const orevox::RasterPrediction p = orevox::predictMap(model, index, {}, options);
    const double seconds = watch.seconds();
    std::size_t valid = 0;
    for (std::uint8_t v : p.valid) valid += v;
    const double rate = double(p.windows) / p.networkSeconds;
    std::printf(
        "  %zu x %zu (%zu valid cells; stack built in %.1f s): stride %zu, %zu windows scored, %zu "
        "cells "
        "interpolated, %.1f s wall (network %.1f s, %.1f windows/s); every valid cell one window "
        "at a time "
        "would take ~%.0f s; peak RSS (ru_maxrss) %.0f MiB\n",
        n, n, valid, dataSeconds, options.stride, p.windows, p.interpolated, seconds,
        p.networkSeconds, rate, double(valid) / rate, bench::peakRssMiB());
  }
  bench::printLoadAverage();
  return 0;
}
