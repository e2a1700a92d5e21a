#include "orevox/core/atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "orevox/core/error.hpp"

namespace fs = std::filesystem;

namespace orevox {

AtomicOutput::AtomicOutput(std::string path) : path_(std::move(path)) {
  if (path_.empty()) throw UsageError("output path is empty");
  const fs::path target(path_);
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw IoError("output folder does not exist", SourceLocation{dir.string(), 0, 0, {}, {}});
  }
  if (fs::is_directory(target, ec)) {
    throw IoError("output path is a folder, expected a file", SourceLocation{path_, 0, 0, {}, {}});
  }
  // ".name.tmp<pid>.ext": hidden, same folder (so rename is atomic), same extension.
  const std::string stem = target.stem().string();
  const std::string ext = target.extension().string();
  temp_ = (dir / ("." + stem + ".tmp" + std::to_string(::getpid()) + ext)).string();
}

AtomicOutput::~AtomicOutput() {
  if (committed_) return;
  std::error_code ec;
  fs::remove(temp_, ec);
  fs::remove(temp_ + ".aux.xml", ec);
}

void AtomicOutput::commit() {
  std::error_code ec;
  if (!fs::exists(temp_, ec)) {
    throw IoError("nothing was written", SourceLocation{path_, 0, 0, {}, {}});
  }
  fs::rename(temp_, path_, ec);
  if (ec)
    throw IoError("cannot rename into place: " + ec.message(), SourceLocation{path_, 0, 0, {}, {}});
  fs::remove(temp_ + ".aux.xml", ec);
  committed_ = true;
}

void checkOutputPath(const std::string& path) {
  const AtomicOutput probe(path);  // checks the folder and that path is not a folder
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (::access(dir.c_str(), W_OK) != 0) {
    throw IoError("output folder is not writable", SourceLocation{dir.string(), 0, 0, {}, {}});
  }
}

void writeTextFileAtomic(const std::string& path, const std::string& text) {
  AtomicOutput out(path);
  {
    std::ofstream f(out.tempPath(), std::ios::binary);
    if (!f) throw IoError("cannot open for writing", SourceLocation{out.tempPath(), 0, 0, {}, {}});
    f << text;
    f.close();
    if (!f) throw IoError("write failed", SourceLocation{path, 0, 0, {}, {}});
  }
  out.commit();
}

void makeDirectories(const std::string& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec || !fs::is_directory(path)) {
    throw IoError("cannot create folder: " + (ec ? ec.message() : std::string("not a folder")),
                  SourceLocation{path, 0, 0, {}, {}});
  }
}

OutputFolder::OutputFolder(const std::string& path) {
  if (path.empty()) return;
  std::error_code ec;
  fs::path outermost;  // the outermost missing folder on the way to `path`
  for (fs::path p = fs::absolute(path, ec); !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    outermost = p;
    if (p == p.parent_path()) break;
  }
  makeDirectories(path);
  created_ = outermost.string();
}

OutputFolder::~OutputFolder() {
  if (kept_ || created_.empty()) return;
  std::error_code ec;
  fs::remove_all(created_, ec);  // best effort: a destructor does not throw
}

}  // namespace orevox

// ------------------------------------------------------------------ OutputBatch

namespace orevox {

namespace {

/// A path's identity for "same file" checks: absolute, normalised, with symlinks of the
/// existing part resolved.
std::string samePathKey(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) p = fs::absolute(path).lexically_normal();
  return p.string();
}

std::string optionName(const std::string& option, const std::string& path) {
  return option.empty() ? "'" + path + "'" : option + " " + path;
}

}  // namespace

/// One declared output: written as <its folder>/.orevox-staging-<pid>-XXXXXX/<its name>, so
/// writers that derive names from the file (a GeoPackage layer, shapefile sidecars) see
/// the final name, and renamed from there into its folder on commit.
struct OutputBatch::Entry {
  std::string key, option, path, temp;
  std::size_t staging = 0;  ///< index into stagings_
};

OutputBatch::OutputBatch() = default;

OutputBatch::~OutputBatch() {
  std::error_code ec;
  for (const auto& folder : stagings_) fs::remove_all(folder.second, ec);  // best effort
}

const std::string& OutputBatch::add(const std::string& path, const std::string& option) {
  if (path.empty()) {
    throw UsageError((option.empty() ? std::string("output") : option) + ": the path is empty");
  }
  const std::string key = samePathKey(path);
  for (const auto& e : entries_) {
    if (e->key == key) {
      throw UsageError(optionName(option, path) + " is the same file as " +
                       optionName(e->option, e->path) + ": give each output its own path");
    }
  }
  for (const auto& [inputKey, inputOption] : inputs_) {
    if (inputKey == key) {
      throw UsageError(optionName(option, path) + " is the input " + inputOption +
                       ": an output must not replace an input");
    }
  }
  checkOutputPath(path);
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  const std::string dirKey = samePathKey(dir.string());
  std::size_t staging = stagings_.size();
  for (std::size_t i = 0; i < stagings_.size(); ++i)
    if (stagings_[i].first == dirKey) staging = i;
  if (staging == stagings_.size()) {
    std::string pattern =
        (dir / (".orevox-staging-" + std::to_string(::getpid()) + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw IoError(std::string("cannot create a temporary folder: ") + std::strerror(errno),
                    SourceLocation{dir.string(), 0, 0, {}, {}});
    }
    stagings_.emplace_back(dirKey, pattern);
  }
  auto entry = std::make_unique<Entry>();
  entry->key = key;
  entry->option = option;
  entry->path = path;
  entry->temp = (fs::path(stagings_[staging].second) / fs::path(path).filename()).string();
  entry->staging = staging;
  entries_.push_back(std::move(entry));
  return entries_.back()->temp;
}

void OutputBatch::addInput(const std::string& path, const std::string& option) {
  if (path.empty()) return;
  const std::string key = samePathKey(path);
  for (const auto& e : entries_) {
    if (e->key == key) {
      throw UsageError(optionName(e->option, e->path) + " is the input " +
                       optionName(option, path) + ": an output must not replace an input");
    }
  }
  inputs_.emplace_back(key, optionName(option, path));
}

const std::string& OutputBatch::temp(const std::string& path) const {
  const std::string key = samePathKey(path);
  for (const auto& e : entries_)
    if (e->key == key) return e->temp;
  throw UsageError("internal: output '" + path + "' was not declared before writing");
}

bool OutputBatch::has(const std::string& path) const {
  const std::string key = samePathKey(path);
  for (const auto& e : entries_)
    if (e->key == key) return true;
  return false;
}

std::vector<std::string> OutputBatch::commit() {
  std::error_code ec;
  for (const auto& e : entries_) {
    if (!fs::is_regular_file(e->temp, ec)) {
      throw IoError("nothing was written (no output of this run was renamed into place)",
                    SourceLocation{e->path, 0, 0, {}, {}});
    }
  }
  const auto moveInto = [](const fs::path& from, const fs::path& to) {
    std::error_code err;
    fs::rename(from, to, err);
    if (err) {
      throw IoError("cannot rename into place: " + err.message(),
                    SourceLocation{to.string(), 0, 0, {}, {}});
    }
  };
  // Sidecars a writer made beside a declared file (a shapefile's .shx, .dbf, .prj, .cpg)
  // share its stem: they go first, the declared files last.
  for (const auto& e : entries_) {
    const fs::path temp(e->temp);
    for (const auto& file : fs::directory_iterator(temp.parent_path(), ec)) {
      const fs::path name = file.path().filename();
      if (name != temp.filename() && name.stem() == temp.stem()) {
        bool declared = false;
        for (const auto& other : entries_) declared |= fs::path(other->temp) == file.path();
        if (!declared) moveInto(file.path(), fs::path(e->path).parent_path() / name);
      }
    }
  }
  std::vector<std::string> paths;
  for (const auto& e : entries_) {
    moveInto(e->temp, e->path);
    paths.push_back(e->path);
  }
  return paths;
}

}  // namespace orevox
