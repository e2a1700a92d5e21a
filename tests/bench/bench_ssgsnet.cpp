// Inference throughput of SSGSNet and of the CIFAR-style ResNet-18 baseline
// (orevox::RasterModel::predictWindows) on k x k windows of C channels, in windows/s and
// effective GFLOP/s (analytic FLOPs of the conv, linear and attention products, see
// RasterModel::flopsPerWindow), side by side with the same networks in Python PyTorch
// (tests/bench/python/raster_reference.py, run with $OREVOX_PYTHON or /usr/bin/python3;
// skipped with a message when it cannot run).
// Usage: bench_ssgsnet [--quick] [--batch N] [--threads N] [--seconds S] [--rounds N] [--no-python]
//   default: 32 x 32 windows, 15 channels (+ mask), batch 64, all cores, 3 rounds of 5 s per
//   model on each side (orevox, PyTorch in orevox's process environment, PyTorch in its
//   default environment);
//   --quick: 16 x 16 windows, 3 channels, one batch, no Python (CTest).
// Throughput does not depend on the weights, so the networks are freshly initialised.

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "orevox/core/process.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/learning/torch/raster_models.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"

namespace {

/// Random standardised windows (all cells valid).
orevox::WindowBatch randomWindows(std::size_t count, std::size_t channels, std::size_t k) {
  orevox::WindowBatch b;
  b.count = count;
  b.channels = channels;
  b.size = k;
  for (std::size_t c = 0; c < channels; ++c) b.channelNames.push_back("c" + std::to_string(c));
  b.values.resize(count * b.windowStride());
  b.mask.assign(count * k * k, 1);
  b.centres.assign(count, {0.0, 0.0});
  orevox::Rng rng = orevox::makeRng(1);
  std::normal_distribution<float> g(0.0f, 1.0f);
  for (float& v : b.values) v = g(rng);
  return b;
}

/// Runs the PyTorch reference; returns its JSON line, or empty after printing why not. With
/// `defaults` it starts without the variables orevox sets (bench_common.hpp).
std::string pythonReference(std::size_t channels, std::size_t k, std::size_t batch, int threads,
                            double seconds, bool defaults) {
  const std::filesystem::path script =
      std::filesystem::path(__FILE__).parent_path() / "python" / "raster_reference.py";
  const std::string python = bench::pythonInterpreter();
  if (!std::filesystem::exists(script)) {
    std::printf("  PyTorch reference: skipped (no %s)\n", script.c_str());
    return {};
  }
  const bench::CommandResult r = bench::runCommand(
      bench::environmentPrefix(defaults) + python + " " + script.string() + " --channels " +
      std::to_string(channels) + " --window " + std::to_string(k) + " --batch " +
      std::to_string(batch) + " --threads " + std::to_string(threads) + " --seconds " +
      std::to_string(seconds) + " --models resnet,ssgsnet");
  if (!r.started || r.status != 0 || r.output.find("\"models\"") == std::string::npos) {
    std::printf("  PyTorch reference: skipped (%s exited %d: %s)\n", python.c_str(), r.status,
                r.output.c_str());
    return {};
  }
  return r.output;
}

/// windows_per_s of model `name` in the reference's JSON; negative when absent.
double referenceRate(const std::string& json, const std::string& name) {
  const std::size_t at = json.find("\"" + name + "\"");
  if (at == std::string::npos) return -1;
  const std::size_t key = json.find("\"windows_per_s\": ", at);
  return key == std::string::npos ? -1 : std::atof(json.c_str() + key + 17);
}

}  // namespace

int main(int argc, char** argv) {
  orevox::configureProcessEnvironment(argv);  // the Python reference inherits the settings
  std::size_t channels = 15, k = 32, batch = 64;
  int threads = 0, rounds = 3;
  double seconds = 5.0;
  bool python = true, quick = false;
  for (int a = 1; a < argc; ++a) {
    if (std::strcmp(argv[a], "--quick") == 0) {
      quick = true;
      channels = 3;
      k = 16;
      batch = 8;
      seconds = 0.0;
      rounds = 1;
      python = false;
    } else if (std::strcmp(argv[a], "--batch") == 0 && a + 1 < argc) {
      batch = std::size_t(std::atol(argv[++a]));
    } else if (std::strcmp(argv[a], "--threads") == 0 && a + 1 < argc) {
      threads = std::atoi(argv[++a]);
    } else if (std::strcmp(argv[a], "--seconds") == 0 && a + 1 < argc) {
      seconds = std::atof(argv[++a]);
    } else if (std::strcmp(argv[a], "--rounds") == 0 && a + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++a]));
    } else if (std::strcmp(argv[a], "--no-python") == 0) {
      python = false;
    } else {
      std::fprintf(stderr,
                   "usage: %s [--quick] [--batch N] [--threads N] [--seconds S] [--rounds N] [--no-python]\n",
                   argv[0]);
      return 2;
    }
  }
  orevox::Progress::setEnabled(false);
  orevox::setThreadCount(threads);
  orevox::configureTorch(orevox::threadCount(), 1);
  const orevox::TorchInfo info = orevox::torchInfo();
  std::printf(
      "bench_ssgsnet: %zu x %zu windows, %zu channels + mask, batch %zu, LibTorch %s, %d intra-op "
      "threads, "
      "%s\n",
      k, k, channels, batch, info.version.c_str(), info.intraOpThreads,
      orevox::processEnvironmentSummary().c_str());
  const orevox::WindowBatch windows = randomWindows(batch, channels, k);
  std::vector<std::string> names = windows.channelNames;

  struct Row {
    const char* name;
    orevox::RasterModelKind kind;
    double flop = 0;
    std::vector<double> rates, references, ratios, defaults;
  };
  Row rows[2] = {{"resnet", orevox::RasterModelKind::Resnet, 0, {}, {}, {}, {}},
                 {"ssgsnet", orevox::RasterModelKind::Ssgsnet, 0, {}, {}, {}, {}}};
  std::vector<orevox::RasterModel> models;
  for (Row& row : rows) {
    models.push_back(orevox::RasterModel::create(row.kind, names, int(k), {}, 1));
    row.flop = models.back().flopsPerWindow();
    (void)models.back().predictWindows(windows);  // warm-up (allocations, kernel selection)
  }
  // Rounds alternate orevox and the PyTorch reference (each model for `seconds`), so that a
  // slow spell of the shared machine hits both sides; ratios are taken round by round.
  for (int round = 0; round < rounds; ++round) {
    for (std::size_t m = 0; m < 2; ++m) {
      std::size_t done = 0;
      orevox::Stopwatch watch;
      do {
        (void)models[m].predictWindows(windows);
        done += windows.count;
      } while (watch.seconds() < seconds);
      rows[m].rates.push_back(double(done) / watch.seconds());
    }
    if (!python) continue;
    for (bool defaults : {false, true}) {
      const std::string json = pythonReference(channels, k, batch, orevox::threadCount(), seconds, defaults);
      if (json.empty()) {
        python = false;
        break;
      }
      for (Row& row : rows) {
        const double ref = referenceRate(json, row.name);
        if (ref <= 0) continue;
        (defaults ? row.defaults : row.references).push_back(ref);
        if (!defaults) row.ratios.push_back(row.rates.back() / ref);
      }
    }
  }
  for (const Row& row : rows) {
    const double rate = bench::median(row.rates);
    std::printf("  orevox %-8s %.3f GFLOP/window: median %.1f windows/s, %.1f GFLOP/s; rounds: %s\n", row.name,
                row.flop / 1e9, rate, rate * row.flop / 1e9, bench::joined(row.rates, "%.1f").c_str());
    if (!row.references.empty()) {
      std::printf("  PyTorch %-8s (raster_reference.py, same network, batch, threads and environment): median %.1f "
                  "windows/s; rounds: %s; orevox / PyTorch round by round: %s, median %.2f\n",
                  row.name, bench::median(row.references), bench::joined(row.references, "%.1f").c_str(),
                  bench::joined(row.ratios, "%.2f").c_str(), bench::median(row.ratios));
    }
    if (!row.defaults.empty()) {
      std::printf("  PyTorch %-8s in its default environment: median %.1f windows/s; rounds: %s; orevox / that = %.2f\n",
                  row.name, bench::median(row.defaults), bench::joined(row.defaults, "%.1f").c_str(),
                  rate / bench::median(row.defaults));
    }
  }
  if (!python && !quick && rows[0].references.empty()) std::printf("  PyTorch reference: skipped\n");
  bench::printLoadAverage();
  return !rows[0].rates.empty() && rows[0].rates[0] > 0 && rows[1].rates[0] > 0 ? 0 : 1;
}
