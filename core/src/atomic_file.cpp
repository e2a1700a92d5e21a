#include "orevox/core/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>

#include "orevox/core/error.hpp"

namespace fs = std::filesystem;

namespace orevox {
namespace {

// What an interrupt must remove: the temporaries of live AtomicOutputs and the folders of
// live OutputFolders, keyed by their owner.
std::mutex gRegistryMutex;
std::map<const void*, std::string>& liveTemporaries() {
  static auto* m = new std::map<const void*, std::string>;  // never destroyed: used until exit
  return *m;
}
std::map<const void*, std::string>& liveFolders() {
  static auto* m = new std::map<const void*, std::string>;
  return *m;
}

void registerPath(std::map<const void*, std::string>& registry, const void* owner,
                  const std::string& path) {
  std::lock_guard<std::mutex> lock(gRegistryMutex);
  registry[owner] = path;
}

void forgetPath(std::map<const void*, std::string>& registry, const void* owner) {
  std::lock_guard<std::mutex> lock(gRegistryMutex);
  registry.erase(owner);
}

SourceLocation fileLocation(const std::string& path) { return SourceLocation{path, 0, 0, {}, {}}; }

/// The process id in a temporary's name ".stem.tmp<PID>ext" of `stem` and `ext`, or 0.
long temporaryOwner(const std::string& name, const std::string& stem, const std::string& ext) {
  const std::string prefix = "." + stem + ".tmp";
  if (name.size() <= prefix.size() + ext.size() || name.compare(0, prefix.size(), prefix) != 0 ||
      name.compare(name.size() - ext.size(), ext.size(), ext) != 0)
    return 0;
  const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - ext.size());
  if (digits.empty() || digits.size() > 9 ||
      digits.find_first_not_of("0123456789") != std::string::npos)
    return 0;
  return std::stol(digits);
}

/// Removes temporaries of `target` whose writer is gone: no live process has their PID.
void removeStaleTemporaries(const fs::path& dir, const std::string& stem, const std::string& ext) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::string base = name;
    if (base.size() > 8 && base.compare(base.size() - 8, 8, ".aux.xml") == 0)
      base.resize(base.size() - 8);
    const long pid = temporaryOwner(base, stem, ext);
    if (pid <= 0 || pid == long(::getpid())) continue;
    if (::kill(pid_t(pid), 0) == 0 || errno != ESRCH) continue;  // alive (or not ours to know)
    std::error_code ignored;
    fs::remove(it->path(), ignored);
  }
}

}  // namespace

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
  removeStaleTemporaries(dir, stem, ext);
  temp_ = (dir / ("." + stem + ".tmp" + std::to_string(::getpid()) + ext)).string();
  registerPath(liveTemporaries(), this, temp_);
}

AtomicOutput::~AtomicOutput() {
  if (fd_ >= 0) ::close(fd_);
  forgetPath(liveTemporaries(), this);
  if (committed_) return;
  std::error_code ec;
  fs::remove(temp_, ec);
  fs::remove(temp_ + ".aux.xml", ec);
}

void AtomicOutput::write(std::string_view bytes) {
  if (fd_ < 0) {
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd_ < 0)
      throw IoError(std::string("cannot open for writing: ") + std::strerror(errno),
                    fileLocation(path_));
  }
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw IoError(std::string("write failed: ") + std::strerror(n < 0 ? errno : EIO),
                    fileLocation(path_));
    bytes.remove_prefix(std::size_t(n));
  }
}

void AtomicOutput::commit() {
  if (fd_ >= 0) {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0)
      throw IoError(std::string("write failed: ") + std::strerror(errno), fileLocation(path_));
  }
  std::error_code ec;
  if (!fs::exists(temp_, ec)) {
    throw IoError("nothing was written", SourceLocation{path_, 0, 0, {}, {}});
  }
  fs::rename(temp_, path_, ec);
  if (ec)
    throw IoError("cannot rename into place: " + ec.message(), SourceLocation{path_, 0, 0, {}, {}});
  fs::remove(temp_ + ".aux.xml", ec);
  committed_ = true;
  forgetPath(liveTemporaries(), this);
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
  out.write(text);
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
  created_ = outermost.string();
  // Registered before it exists, so that an interrupt never finds a folder created but
  // not yet known.
  if (!created_.empty()) registerPath(liveFolders(), this, created_);
  try {
    makeDirectories(path);
  } catch (...) {
    forgetPath(liveFolders(), this);
    throw;
  }
}

void OutputFolder::keep() {
  kept_ = true;
  forgetPath(liveFolders(), this);
}

OutputFolder::~OutputFolder() {
  forgetPath(liveFolders(), this);
  if (kept_ || created_.empty()) return;
  std::error_code ec;
  fs::remove_all(created_, ec);  // best effort: a destructor does not throw
}

namespace {

int gInterruptPipe[2] = {-1, -1};

/// The only work done in signal context: hand the signal number to the cleanup thread
/// (write() is async-signal-safe).
void onInterrupt(int sig) {
  const unsigned char byte = static_cast<unsigned char>(sig);
  const int saved = errno;
  (void)!::write(gInterruptPipe[1], &byte, 1);
  errno = saved;
}

}  // namespace

void removeOutputsOnInterrupt() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (::pipe2(gInterruptPipe, O_CLOEXEC) != 0) return;
    // A handler, not a blocked mask: libraries start threads before main (OpenBLAS,
    // OpenMP), and a signal may be delivered to any of them.
    std::thread([] {
      unsigned char byte = 0;
      while (::read(gInterruptPipe[0], &byte, 1) != 1) {
      }
      const int sig = byte;
      std::lock_guard<std::mutex> lock(gRegistryMutex);  // held to the end: no commit after this
      std::error_code ec;
      for (const auto& [owner, temp] : liveTemporaries()) {
        fs::remove(temp, ec);
        fs::remove(temp + ".aux.xml", ec);
      }
      // Other threads may still be writing into the folders: removed again until gone.
      for (const auto& [owner, folder] : liveFolders())
        for (int attempt = 0; attempt < 20 && fs::exists(folder, ec); ++attempt)
          fs::remove_all(folder, ec);
      ::signal(sig, SIG_DFL);
      ::raise(sig);  // ends the process as the signal would have
      ::_exit(128 + sig);
    }).detach();
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old {};
      if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN)
        continue;  // e.g. nohup, `cmd &`
      struct sigaction action {};
      action.sa_handler = onInterrupt;
      sigemptyset(&action.sa_mask);
      action.sa_flags = SA_RESTART;
      ::sigaction(sig, &action, nullptr);
    }
  });
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

namespace {

/// The key of a batch's i-th staging folder in the interrupt registry (never dereferenced).
const void* stagingOwner(const OutputBatch* batch, std::size_t i) {
  return reinterpret_cast<const char*>(batch) + i;
}

/// Removes staging folders ".orevox-staging-<PID>-XXXXXX" in `dir` whose run is gone (a
/// run killed by SIGKILL leaves its folder behind).
void removeStaleStagings(const fs::path& dir) {
  const std::string prefix = ".orevox-staging-";
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::size_t dash = name.find('-', prefix.size());
    if (dash == std::string::npos || dash == prefix.size() || dash - prefix.size() > 9) continue;
    const std::string digits = name.substr(prefix.size(), dash - prefix.size());
    if (digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::stol(digits);
    if (pid == long(::getpid()) || ::kill(pid_t(pid), 0) == 0 || errno != ESRCH) continue;
    std::error_code ignored;
    fs::remove_all(it->path(), ignored);
  }
}

}  // namespace

OutputBatch::~OutputBatch() {
  std::error_code ec;
  for (std::size_t i = 0; i < stagings_.size(); ++i) {
    forgetPath(liveFolders(), stagingOwner(this, i));
    fs::remove_all(stagings_[i].second, ec);  // best effort
  }
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
    removeStaleStagings(dir);
    std::string pattern =
        (dir / (".orevox-staging-" + std::to_string(::getpid()) + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw IoError(std::string("cannot create a temporary folder: ") + std::strerror(errno),
                    SourceLocation{dir.string(), 0, 0, {}, {}});
    }
    stagings_.emplace_back(dirKey, pattern);
    registerPath(liveFolders(), stagingOwner(this, staging), pattern);  // removed on SIGINT
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
