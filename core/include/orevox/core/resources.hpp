#pragma once
/// \file resources.hpp
/// Bounded resources: a request that would not fit in memory is refused before anything is
/// allocated, with the memory it needs, instead of ending in a bare "out of memory" (or in
/// the kernel's OOM killer) after minutes of work.

#include <cstdint>
#include <string>

#include "orevox/core/error.hpp"

namespace orevox {

/// Bytes of memory this process may use: the smallest of the machine's physical memory, the
/// cgroup limit (v2 `memory.max`, v1 `memory.limit_in_bytes`), RLIMIT_AS and RLIMIT_DATA.
/// The environment variable OREVOX_MAX_MEMORY (bytes, or with a K/M/G/T suffix) lowers it,
/// for shared machines and tests.
std::uint64_t usableMemoryBytes();

/// "37.3 GiB", "512 MiB", "96 B": binary units, three significant digits.
std::string formatBytes(double bytes);

/// Who a request that does not fit is blamed on: an option the user gave (UsageError, exit 2)
/// or an input file whose header asks for it (DataError, exit 1).
enum class Blame { Option, Input };

/// Throws when `bytes` (a double, so that a product of sizes cannot wrap around) is not
/// finite or exceeds usableMemoryBytes(): "<what> needs 37.3 GiB of memory, more than the
/// 23.4 GiB this process may use (<hint>)", with `where` naming the file for Blame::Input.
void requireMemory(double bytes, const std::string& what, Blame blame, const std::string& hint = {},
                   const SourceLocation& where = {});

}  // namespace orevox
