// Ordinary kriging of 10,000 composites into 10 million voxels (16 neighbours), time and peak
// memory, and the same kriging in numpy (tests/bench/python/kriging_reference.py, run with
// $OREVOX_PYTHON or /usr/bin/python3) on a subset of the voxels side by side: the largest
// difference and the per-voxel speed ratio. IDW over the same neighbourhoods for scale.
// Usage: bench_kriging [--quick] [--voxels N] [--samples N] [--subset N] [--no-python]
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "bench_common.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/geomodel/estimation.hpp"

using namespace orevox;

namespace {

/// Composites along vertical holes in a 2000 x 2000 x 800 m block: a smooth grade field
/// (two sine waves and an ore lens) plus noise, seeded.
EstimationSamples composites(std::size_t count, std::uint64_t seed) {
  auto rng = makeRng(seed, 0);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> noise(0.0, 0.15);
  EstimationSamples s;
  s.source = "bench";
  IntervalField cu;
  cu.name = "CU";
  const std::size_t perHole = 50;
  double hx = 0.0, hy = 0.0, top = 0.0;
  for (std::size_t r = 0; r < count; ++r) {
    if (r % perHole == 0) {
      s.holeIds.push_back("H" + std::to_string(r / perHole));
      hx = 2000.0 * u(rng);
      hy = 2000.0 * u(rng);
      top = 16.0 * u(rng);  // holes start at different depths: no ties between neighbours
    }
    const double z = 800.0 - 16.0 * double(r % perHole) - top;
    s.points.emplace_back(hx, hy, z);
    s.hole.push_back(s.holeIds.size() - 1);
    const double lens = std::exp(-std::pow((z - 400.0 - 0.1 * hx) / 80.0, 2.0));
    cu.values.push_back(0.5 + 0.3 * std::sin(hx / 300.0) * std::cos(hy / 400.0) + lens +
                        noise(rng));
  }
  s.fields = {cu};
  return s;
}

void writeRaw(const std::string& path, const std::vector<double>& v) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(v.data()), std::streamsize(v.size() * sizeof(double)));
}

}  // namespace

int main(int argc, char** argv) {
  orevox::configureProcessEnvironment(argv);
  std::size_t voxels = 10'000'000, samples = 10'000, subset = 20'000;
  bool python = true;
  for (int a = 1; a < argc; ++a) {
    if (std::strcmp(argv[a], "--quick") == 0) {
      voxels = 20'000;
      samples = 2'000;
      subset = 500;
    } else if (std::strcmp(argv[a], "--voxels") == 0 && a + 1 < argc) {
      voxels = std::strtoull(argv[++a], nullptr, 10);
    } else if (std::strcmp(argv[a], "--samples") == 0 && a + 1 < argc) {
      samples = std::strtoull(argv[++a], nullptr, 10);
    } else if (std::strcmp(argv[a], "--subset") == 0 && a + 1 < argc) {
      subset = std::strtoull(argv[++a], nullptr, 10);
    } else if (std::strcmp(argv[a], "--no-python") == 0) {
      python = false;
    } else {
      std::fprintf(stderr,
                   "usage: %s [--quick] [--voxels N] [--samples N] [--subset N] [--no-python]\n",
                   argv[0]);
      return 2;
    }
  }
  Progress::setEnabled(false);
  const EstimationSamples data = composites(samples, 42);
  // A box of about `voxels` voxels with cells of 2000 / nx metres, 2.5 : 2.5 : 1 in shape.
  VolumeSpec spec;
  const double side = std::cbrt(double(voxels) / 0.4);
  spec.nx = spec.ny = std::size_t(std::round(side));
  spec.nz =
      std::max<std::size_t>(1, std::size_t(std::round(double(voxels) / double(spec.nx * spec.ny))));
  spec.spacing = {2000.0 / double(spec.nx), 2000.0 / double(spec.ny), 800.0 / double(spec.nz)};
  VariogramModel model;
  model.shape = VariogramShape::Spherical;
  model.nugget = 0.02;
  model.sill = 0.25;
  model.range = 450.0;
  const std::vector<VariogramModel> models{model};
  EstimationOptions options;
  options.method = EstimationMethod::Kriging;
  options.neighbors = 16;

  std::printf(
      "bench_kriging: %zu composites, %zu x %zu x %zu = %zu voxels, %zu neighbours, %d threads\n",
      data.size(), spec.nx, spec.ny, spec.nz, spec.size(), options.neighbors, threadCount());
  Stopwatch watch;
  const std::clock_t cpu0 = std::clock();
  const EstimationResult kriged = estimateVolume(data, {"CU"}, spec, options, 0.5, &models);
  const double krigingSeconds = watch.seconds();
  const double krigingCpu = double(std::clock() - cpu0) / CLOCKS_PER_SEC;
  std::printf(
      "  ordinary kriging: %.2f s wall, %.2f s CPU (%.3f us of CPU per voxel), peak RSS %.0f MiB\n",
      krigingSeconds, krigingCpu, 1e6 * krigingCpu / double(spec.size()), bench::peakRssMiB());
  options.method = EstimationMethod::Idw;
  watch.restart();
  const EstimationResult idw = estimateVolume(data, {"CU"}, spec, options);
  std::printf("  IDW, same neighbourhoods: %.2f s wall\n", watch.seconds());

  if (python) {
    // Every (size / subset)-th voxel, with orevox's estimate and variance.
    const std::size_t step = std::max<std::size_t>(1, spec.size() / subset);
    std::vector<double> centres, theirs, points;
    for (std::size_t v = 0; v < spec.size(); v += step) {
      const std::size_t i = v % spec.nx, j = (v / spec.nx) % spec.ny, k = v / (spec.nx * spec.ny);
      centres.insert(centres.end(), {spec.centreX(i), spec.centreY(j), spec.centreZ(k)});
      theirs.push_back(kriged.channels[0].values[v]);
      theirs.push_back(kriged.channels[1].values[v]);
    }
    for (std::size_t r = 0; r < data.size(); ++r)
      points.insert(points.end(), {data.points[r].x(), data.points[r].y(), data.points[r].z(),
                                   data.fields[0].values[r]});
    const std::size_t m = centres.size() / 3;
    const auto dir = std::filesystem::temp_directory_path() /
                     ("orevox_bench_kriging_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    writeRaw((dir / "samples.f64").string(), points);
    writeRaw((dir / "centres.f64").string(), centres);
    writeRaw((dir / "orevox.f64").string(), theirs);
    const std::string script =
        (std::filesystem::path(__FILE__).parent_path() / "python" / "kriging_reference.py")
            .string();
    const auto r = bench::runCommand(
        bench::pythonInterpreter() + " " + script + " --samples " + (dir / "samples.f64").string() +
        " --centres " + (dir / "centres.f64").string() + " --orevox " +
        (dir / "orevox.f64").string() + " --neighbors 16 --nugget 0.02" +
        " --sill 0.25 --range 450 --model spherical");
    std::filesystem::remove_all(dir);
    if (!r.started || r.status != 0) {
      std::printf("  numpy reference: skipped (%s)\n", r.output.c_str());
    } else {
      double numpyUs = 0;
      const auto at = r.output.find("numpy_us_per_voxel ");
      if (at != std::string::npos) numpyUs = std::atof(r.output.c_str() + at + 19);
      const double orevoxCpuUs = 1e6 * krigingCpu / double(spec.size());
      std::printf("  numpy on %zu voxels:\n%s", m, r.output.c_str());
      std::printf("  per voxel: orevox %.3f us of CPU, numpy %.3f us (one process): ratio %.1fx\n",
                  orevoxCpuUs, numpyUs, numpyUs / orevoxCpuUs);
    }
  }
  bench::printLoadAverage();
  return idw.channels.empty() ? 1 : 0;
}
