#include "orevox/core/atomic_file.hpp"

#include <unistd.h>

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
  if (ec) throw IoError("cannot rename into place: " + ec.message(), SourceLocation{path_, 0, 0, {}, {}});
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
