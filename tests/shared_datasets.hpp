#pragma once
// Real data fetched from public repositories (Babbitt, Thalanga, LoopStructural, GemPy, ...)
// is read from ../shared/datasets beside the repository, never copied into it. Tests that
// use it find it here and are skipped, saying why, where it is absent.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace orevox_test {

/// The shared datasets folder: $OREVOX_SHARED_DATASETS, else the first shared/datasets
/// beside the source folder or beside one of its parents (a git worktree nests one deeper);
/// "" when there is none.
inline std::string sharedDatasetsRoot() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("OREVOX_SHARED_DATASETS"); env && fs::is_directory(env)) return env;
  fs::path dir = fs::absolute(OREVOX_SOURCE_DIR);
  for (int up = 0; up < 3 && dir.has_parent_path() && dir != dir.parent_path(); ++up) {
    dir = dir.parent_path();
    if (fs::is_directory(dir / "shared" / "datasets")) return fs::canonical(dir / "shared" / "datasets").string();
  }
  return {};
}

/// The path of `relative` (e.g. "babbitt_duluth_cuni/collar_BABBITT.csv") in the shared
/// datasets, or "" when it is not there.
inline std::string sharedDataset(const std::string& relative) {
  const std::string root = sharedDatasetsRoot();
  if (root.empty()) return {};
  const std::filesystem::path p = std::filesystem::path(root) / relative;
  return std::filesystem::exists(p) ? p.string() : std::string();
}

}  // namespace orevox_test

/// Declares `var` as the path of a shared dataset file, or skips the test naming it.
#define OREVOX_SHARED_DATASET(var, relative)                                                 \
  const std::string var = orevox_test::sharedDataset(relative);                              \
  if (var.empty()) GTEST_SKIP() << "shared dataset not found: " << (relative)                \
                                << " (set OREVOX_SHARED_DATASETS to the shared/datasets folder)"
