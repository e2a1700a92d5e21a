#pragma once
// Shared part of the libFuzzer targets: orevox's readers take paths, so each input is written
// to a file with the reader's extension (in /dev/shm when it exists), read, and removed.
// An orevox::Error is the expected answer to a bad file; anything else escaping the reader
// (a crash, a sanitizer report, a foreign exception, a leak) is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "orevox/core/error.hpp"

namespace orevox_fuzz {

inline std::string inputPath(const std::string& extension) {
  static const std::string dir = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
  return dir + "/orevox-fuzz-" + std::to_string(::getpid()) + extension;
}

/// Writes `data` to a file named with `extension` and calls `read(path)`; orevox errors
/// are the expected outcome of bad input and are swallowed.
template <class Read>
int readAsFile(const std::uint8_t* data, std::size_t size, const std::string& extension,
               Read read) {
  const std::string path = inputPath(extension);
  if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
    if (size > 0) std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
  try {
    read(path);
  } catch (const orevox::Error&) {
  }
  std::remove(path.c_str());
  return 0;
}

}  // namespace orevox_fuzz
