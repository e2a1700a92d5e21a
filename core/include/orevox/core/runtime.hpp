#pragma once
/// \file runtime.hpp
/// Process-wide run settings shared by every module: thread count, progress display,
/// seeded random engines, wall-clock timing.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>

namespace orevox {

/// Sets the number of worker threads used by orevox's parallel loops (TBB) and, through
/// the torch bridge, LibTorch's intra-op pool. 0 = all hardware threads.
void setThreadCount(int threads);
/// The effective thread count (>= 1).
int threadCount();

/// Random engine used everywhere; seeds are explicit and go into every report.
using Rng = std::mt19937_64;
/// A reproducible engine for `seed` and an independent `stream` (e.g. a fold, a layer):
/// the pair is mixed with SplitMix64 so nearby seeds give unrelated sequences.
Rng makeRng(std::uint64_t seed, std::uint64_t stream = 0);
/// SplitMix64 finaliser, exposed for deterministic per-item hashing.
std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t stream);

/// Progress of one long task on stderr ("label [#####.....] 45%"), drawn only when
/// progress display is enabled and stderr is a terminal. Thread-safe `advance`.
class Progress {
 public:
  Progress(std::string label, std::uint64_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void advance(std::uint64_t n = 1);
  void finish();

  /// Globally enables or disables progress bars (the CLI's --quiet disables them).
  static void setEnabled(bool enabled);
  static bool enabled();

 private:
  void draw(std::uint64_t done);
  std::string label_;
  std::uint64_t total_;
  std::atomic<std::uint64_t> done_{0};
  std::atomic<int> lastPermille_{-1};
  bool active_;
  bool finished_ = false;
};

/// Wall-clock stopwatch.
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  void restart() { start_ = std::chrono::steady_clock::now(); }

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace orevox
