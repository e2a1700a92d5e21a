#include "orevox/core/resources.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace orevox {
namespace {

/// A byte count with an optional K/M/G/T suffix (powers of 1024); 0 when unreadable.
std::uint64_t parseBytes(const std::string& text) {
  if (text.empty()) return 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || !(v > 0) || !std::isfinite(v)) return 0;
  double scale = 1;
  switch (*end) {
    case 'k':
    case 'K':
      scale = 1024.0;
      break;
    case 'm':
    case 'M':
      scale = 1024.0 * 1024;
      break;
    case 'g':
    case 'G':
      scale = 1024.0 * 1024 * 1024;
      break;
    case 't':
    case 'T':
      scale = 1024.0 * 1024 * 1024 * 1024;
      break;
    default:
      break;
  }
  const double bytes = v * scale;
  return bytes >= 1.8e19 ? UINT64_MAX : std::uint64_t(bytes);
}

/// The first line of a file read as a byte count ("max" and unreadable files give 0).
std::uint64_t bytesInFile(const char* path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line) || line == "max") return 0;
  return parseBytes(line);
}

}  // namespace

std::uint64_t usableMemoryBytes() {
  std::uint64_t limit = UINT64_MAX;
  auto lower = [&limit](std::uint64_t v) {
    if (v > 0) limit = std::min(limit, v);
  };
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long pageSize = ::sysconf(_SC_PAGESIZE);
  if (pages > 0 && pageSize > 0) lower(std::uint64_t(pages) * std::uint64_t(pageSize));
  lower(bytesInFile("/sys/fs/cgroup/memory.max"));
  const std::uint64_t v1 = bytesInFile("/sys/fs/cgroup/memory/memory.limit_in_bytes");
  if (v1 < (std::uint64_t(1) << 60)) lower(v1);  // v1 says "no limit" with a huge number
  for (int resource : {RLIMIT_AS, RLIMIT_DATA}) {
    rlimit r{};
    if (::getrlimit(resource, &r) == 0 && r.rlim_cur != RLIM_INFINITY)
      lower(std::uint64_t(r.rlim_cur));
  }
  if (const char* env = std::getenv("OREVOX_MAX_MEMORY")) lower(parseBytes(env));
  return limit;
}

std::string formatBytes(double bytes) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (!std::isfinite(bytes)) return "an unbounded amount";
  int u = 0;
  while (bytes >= 1024.0 && u < 6) {
    bytes /= 1024.0;
    ++u;
  }
  char buffer[48];
  if (u == 0)
    std::snprintf(buffer, sizeof buffer, "%.0f B", bytes);
  else
    std::snprintf(buffer, sizeof buffer, "%.*f %s", bytes < 10 ? 2 : (bytes < 100 ? 1 : 0), bytes,
                  units[u]);
  return buffer;
}

void requireMemory(double bytes, const std::string& what, Blame blame, const std::string& hint,
                   const SourceLocation& where) {
  const std::uint64_t usable = usableMemoryBytes();
  if (std::isfinite(bytes) && bytes >= 0 && bytes <= double(usable)) return;
  std::string message = what + " needs " + formatBytes(bytes) + " of memory, more than the " +
                        formatBytes(double(usable)) + " this process may use";
  if (!hint.empty()) message += " (" + hint + ")";
  if (blame == Blame::Option) throw UsageError(message);
  throw DataError(message, where);
}

}  // namespace orevox
