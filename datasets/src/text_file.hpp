#pragma once
// Private text helpers shared by orevox::datasets' readers.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "orevox/core/error.hpp"

namespace orevox::detail {

/// Whole file as bytes; IoError naming the file when it cannot be opened or read.
inline std::string readWholeFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw IoError("file not found", SourceLocation{path, 0, 0, {}, {}});
  if (std::filesystem::is_directory(path, ec))
    throw IoError("expected a file, found a folder", SourceLocation{path, 0, 0, {}, {}});
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open for reading", SourceLocation{path, 0, 0, {}, {}});
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw IoError("read failed", SourceLocation{path, 0, 0, {}, {}});
  return buffer.str();
}

/// "a, b, c" for messages that list what is available.
inline std::string joinNames(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out;
}

}  // namespace orevox::detail
