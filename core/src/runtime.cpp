#include "orevox/core/runtime.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>

namespace orevox {

namespace {
std::mutex gThreadMutex;
std::unique_ptr<tbb::global_control> gThreadControl;
int gThreads = 0;
std::atomic<bool> gProgressEnabled{true};
std::mutex gDrawMutex;
}  // namespace

void setThreadCount(int threads) {
  std::lock_guard<std::mutex> lock(gThreadMutex);
  const int hw = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  gThreads = threads > 0 ? threads : hw;
  gThreadControl.reset();
  gThreadControl = std::make_unique<tbb::global_control>(
      tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(gThreads));
}

int threadCount() {
  std::lock_guard<std::mutex> lock(gThreadMutex);
  if (gThreads > 0) return gThreads;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

Rng makeRng(std::uint64_t seed, std::uint64_t stream) { return Rng(mixSeed(seed, stream)); }

Progress::Progress(std::string label, std::uint64_t total)
    : label_(std::move(label)), total_(std::max<std::uint64_t>(total, 1)),
      active_(gProgressEnabled.load() && isatty(fileno(stderr))) {}

Progress::~Progress() { finish(); }

void Progress::setEnabled(bool enabled) { gProgressEnabled = enabled; }
bool Progress::enabled() { return gProgressEnabled.load(); }

void Progress::advance(std::uint64_t n) {
  const std::uint64_t done = done_.fetch_add(n) + n;
  if (!active_) return;
  const int permille = static_cast<int>(std::min<std::uint64_t>(1000, done * 1000 / total_));
  int last = lastPermille_.load();
  // Redraw at most every 0.5 %, from whichever thread crosses the step first.
  if (permille >= last + 5 && lastPermille_.compare_exchange_strong(last, permille)) draw(done);
}

void Progress::draw(std::uint64_t done) {
  std::lock_guard<std::mutex> lock(gDrawMutex);
  const double f = std::min(1.0, double(done) / double(total_));
  const int width = 30;
  const int filled = static_cast<int>(f * width);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(width - filled), '.');
  std::fprintf(stderr, "\r%s [%s] %3d%%", label_.c_str(), bar.c_str(), static_cast<int>(f * 100.0));
  std::fflush(stderr);
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (!active_) return;
  draw(total_);
  std::fprintf(stderr, "\n");
}

}  // namespace orevox
