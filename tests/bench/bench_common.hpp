#pragma once
// Helpers the benchmarks share: peak memory, load average, running the Python references,
// and the medians of alternating rounds.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "orevox/core/process.hpp"

namespace bench {

/// Peak resident set (VmHWM) in MiB from /proc/self/status; -1 when unavailable.
inline double peakRssMiB() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  }
  return -1.0;
}

inline void printLoadAverage() {
  std::ifstream load("/proc/loadavg");
  std::string loadavg;
  std::getline(load, loadavg);
  std::printf("  load average at the end (1, 5, 15 min): %s\n", loadavg.substr(0, 14).c_str());
}

/// $OREVOX_PYTHON, or Debian's /usr/bin/python3 (python3-torch).
inline std::string pythonInterpreter() {
  const char* env = std::getenv("OREVOX_PYTHON");
  return env && *env ? env : "/usr/bin/python3";
}

/// "env -u NAME ... " for a child that should start without the variables orevox sets
/// (PyTorch as a user starts it); empty when `defaults` is false (the child inherits them).
inline std::string environmentPrefix(bool defaults) {
  if (!defaults) return {};
  std::string prefix = "env";
  for (const std::string& name : orevox::processEnvironmentNames()) prefix += " -u " + name;
  return prefix + " ";
}

struct CommandResult {
  bool started = false;
  int status = -1;
  std::string output;  ///< stdout and stderr together
};

inline CommandResult runCommand(const std::string& command) {
  CommandResult r;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return r;
  r.started = true;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe)) r.output += buffer;
  r.status = pclose(pipe);
  while (!r.output.empty() && r.output.back() == '\n') r.output.pop_back();
  return r;
}

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n == 0 ? 0.0 : n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/// The values printed with `format`, comma-separated.
inline std::string joined(const std::vector<double>& v, const char* format) {
  std::string out;
  char text[64];
  for (double x : v) {
    std::snprintf(text, sizeof text, format, x);
    out += (out.empty() ? "" : ", ") + std::string(text);
  }
  return out;
}

}  // namespace bench
