#pragma once
// Shared fixture of the CLI tests: runs orevox commands in-process in a fresh folder.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cli.hpp"

namespace orevox_test {

namespace fs = std::filesystem;

struct CliResult {
  int code;
  std::string err;
};

inline CliResult run(const std::vector<std::string>& args) {
  testing::internal::CaptureStderr();
  testing::internal::CaptureStdout();
  const int code = orevox::cli::runCli(args);
  testing::internal::GetCapturedStdout();
  return {code, testing::internal::GetCapturedStderr()};
}

class CliTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("orevox_cli_" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  void write(const std::string& name, const std::string& text) const { std::ofstream(path(name)) << text; }
  std::size_t fileCount() const {
    return std::size_t(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }
  fs::path dir_;
};

inline int lineCount(const std::string& s) { return int(std::count(s.begin(), s.end(), '\n')); }

/// A whole file's bytes ("" when it cannot be read).
inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}


}  // namespace orevox_test
