// Inference throughput of SSGSNet and of the CIFAR-style ResNet-18 baseline
// (orevox::RasterModel::predictWindows) on k x k windows of C channels, in windows/s and
// effective GFLOP/s (analytic FLOPs of the conv, linear and attention products, see
// RasterModel::flopsPerWindow), side by side with the same networks in Python PyTorch
// (tests/bench/python/raster_reference.py, run with $OREVOX_PYTHON or /usr/bin/python3;
// skipped with a message when it cannot run).
// Usage: bench_ssgsnet [--quick] [--batch N] [--threads N] [--seconds S] [--no-python]
//   default: 32 x 32 windows, 15 channels (+ mask), batch 64, all cores, 10 s per model;
//   --quick: 16 x 16 windows, 3 channels, one batch, no Python (CTest).
// Throughput does not depend on the weights, so the networks are freshly initialised.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "orevox/geomodel/process.hpp"
#include "orevox/geomodel/runtime.hpp"
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

/// Runs the PyTorch reference; returns its JSON line, or empty after printing why not.
std::string pythonReference(std::size_t channels, std::size_t k, std::size_t batch, int threads,
                            double seconds) {
  const std::filesystem::path script =
      std::filesystem::path(__FILE__).parent_path() / "python" / "raster_reference.py";
  const char* env = std::getenv("OREVOX_PYTHON");
  const std::string python = env && *env ? env : "/usr/bin/python3";
  if (!std::filesystem::exists(script)) {
    std::printf("  PyTorch reference: skipped (no %s)\n", script.c_str());
    return {};
  }
  const std::string command = python + " " + script.string() + " --channels " +
                              std::to_string(channels) + " --window " + std::to_string(k) +
                              " --batch " + std::to_string(batch) + " --threads " +
                              std::to_string(threads) + " --seconds " + std::to_string(seconds) +
                              " --models resnet,ssgsnet 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) {
    std::printf("  PyTorch reference: skipped (cannot run %s)\n", python.c_str());
    return {};
  }
  std::string text;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe)) text += buffer;
  const int status = pclose(pipe);
  if (status != 0 || text.find("\"models\"") == std::string::npos) {
    while (!text.empty() && text.back() == '\n') text.pop_back();
    std::printf("  PyTorch reference: skipped (%s exited %d: %s)\n", python.c_str(), status,
                text.c_str());
    return {};
  }
  return text;
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
  int threads = 0;
  double seconds = 10.0;
  bool python = true, quick = false;
  for (int a = 1; a < argc; ++a) {
    if (std::strcmp(argv[a], "--quick") == 0) {
      quick = true;
      channels = 3;
      k = 16;
      batch = 8;
      seconds = 0.0;
      python = false;
    } else if (std::strcmp(argv[a], "--batch") == 0 && a + 1 < argc) {
      batch = std::size_t(std::atol(argv[++a]));
    } else if (std::strcmp(argv[a], "--threads") == 0 && a + 1 < argc) {
      threads = std::atoi(argv[++a]);
    } else if (std::strcmp(argv[a], "--seconds") == 0 && a + 1 < argc) {
      seconds = std::atof(argv[++a]);
    } else if (std::strcmp(argv[a], "--no-python") == 0) {
      python = false;
    } else {
      std::fprintf(stderr,
                   "usage: %s [--quick] [--batch N] [--threads N] [--seconds S] [--no-python]\n",
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
    double rate = 0, flop = 0;
  };
  Row rows[2] = {{"resnet", orevox::RasterModelKind::Resnet},
                 {"ssgsnet", orevox::RasterModelKind::Ssgsnet}};
  for (Row& row : rows) {
    const orevox::RasterModel model = orevox::RasterModel::create(row.kind, names, int(k), {}, 1);
    row.flop = model.flopsPerWindow();
    (void)model.predictWindows(windows);  // warm-up (allocations, kernel selection)
    std::size_t done = 0;
    orevox::Stopwatch watch;
    do {
      (void)model.predictWindows(windows);
      done += windows.count;
    } while (watch.seconds() < seconds);
    const double elapsed = watch.seconds();
    row.rate = double(done) / elapsed;
    std::printf(
        "  orevox %-8s %.3f GFLOP/window: %zu windows in %.2f s = %.1f windows/s, %.1f GFLOP/s\n",
        row.name, row.flop / 1e9, done, elapsed, row.rate, row.rate * row.flop / 1e9);
  }
  if (python) {
    const std::string json = pythonReference(channels, k, batch, orevox::threadCount(), seconds);
    if (!json.empty()) {
      for (const Row& row : rows) {
        const double ref = referenceRate(json, row.name);
        if (ref > 0) {
          std::printf(
              "  PyTorch  %-8s (raster_reference.py, same network, batch, threads): %.1f "
              "windows/s, %.1f "
              "GFLOP/s; orevox / PyTorch = %.2f\n",
              row.name, ref, ref * row.flop / 1e9, row.rate / ref);
        }
      }
    }
  } else if (!quick) {
    std::printf("  PyTorch reference: skipped (--no-python)\n");
  }
  std::ifstream load("/proc/loadavg");
  std::string loadavg;
  std::getline(load, loadavg);
  std::printf("  load average at the end (1, 5, 15 min): %s\n", loadavg.substr(0, 14).c_str());
  return rows[0].rate > 0 && rows[1].rate > 0 ? 0 : 1;
}
