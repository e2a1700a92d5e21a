#include "orevox/core/process.hpp"

#include <unistd.h>

#include <cstdlib>

namespace orevox {

namespace {

/// The variables configureProcessEnvironment sets and their values (see process.hpp).
constexpr const char* kSettings[][2] = {
    {"OMP_WAIT_POLICY", "PASSIVE"},
    {"OPENBLAS_THREAD_TIMEOUT", "18"},
    {"GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=134217728"},
};

}  // namespace

void configureProcessEnvironment(char** argv) {
  bool changed = false;
  for (const auto& setting : kSettings) {
    if (std::getenv(setting[0])) continue;
    setenv(setting[0], setting[1], 1);
    changed = true;
  }
  if (changed) execv("/proc/self/exe", argv);  // returns only on failure
}

std::vector<std::string> processEnvironmentNames() {
  std::vector<std::string> names;
  for (const auto& setting : kSettings) names.emplace_back(setting[0]);
  return names;
}

std::string processEnvironmentSummary() {
  std::string out;
  for (const auto& setting : kSettings) {
    const char* value = std::getenv(setting[0]);
    out += std::string(out.empty() ? "" : " ") + setting[0] + "=" + (value ? value : "(unset)");
  }
  return out;
}

}  // namespace orevox
