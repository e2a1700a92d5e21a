#pragma once
/// \file atomic_file.hpp
/// Outputs are written to a temporary name beside the target and renamed into place when
/// complete, so a failed run never leaves a partial file and never overwrites a good one.

#include <string>
#include <string_view>

namespace orevox {

/// Usage: `AtomicOutput out(path); write(out.tempPath()); out.commit();` (or
/// `out.write(bytes)` for outputs orevox writes itself).
/// Without commit() the destructor removes the temporary file (and any GDAL sidecars
/// named tempPath() + ".aux.xml"). The constructor removes temporaries of the same output
/// left by processes that no longer exist (killed with SIGKILL, or by a power cut), and a
/// live AtomicOutput is registered so that SIGINT/SIGTERM remove its temporary too
/// (removeOutputsOnInterrupt).
class AtomicOutput {
 public:
  /// Checks that the target's folder exists and is writable (IoError otherwise).
  explicit AtomicOutput(std::string path);
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  /// Temporary path in the same folder, keeping the extension (drivers pick formats by it).
  const std::string& tempPath() const { return temp_; }
  const std::string& path() const { return path_; }
  /// Appends `bytes` to the temporary file (created by the first call). IoError naming
  /// path(), not the temporary, with the system's reason ("No space left on device").
  void write(std::string_view bytes);
  /// Renames the temporary file onto the target (IoError on failure).
  void commit();

 private:
  std::string path_;
  std::string temp_;
  int fd_ = -1;  ///< the temporary while write() fills it
  bool committed_ = false;
};

/// Checks, before long work starts, that `path` can be written: its folder exists and is
/// writable and the path is not a folder. IoError naming the path otherwise.
void checkOutputPath(const std::string& path);

/// Writes `text` to `path` atomically.
void writeTextFileAtomic(const std::string& path, const std::string& text);

/// Creates a folder (and parents); IoError naming it when that fails.
void makeDirectories(const std::string& path);

/// The output folder of one run: created (with parents) when missing. Destroyed without
/// keep(), as when the run fails, it removes the folders it created, with whatever the run
/// wrote into them, so a failed run leaves nothing behind; a folder that was already there
/// is never touched. An empty path stands for no folder.
class OutputFolder {
 public:
  explicit OutputFolder(const std::string& path);
  ~OutputFolder();
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;
  /// The run succeeded: the folder stays.
  void keep();

 private:
  std::string created_;  ///< the outermost folder this object created; empty when none
  bool kept_ = false;
};

/// Call once at the start of main: SIGINT, SIGTERM and SIGHUP (unless ignored, as under
/// nohup) then wake a thread of their own, which removes the temporaries of unfinished
/// AtomicOutputs and the folders of unfinished OutputFolders (as a failed run does), then
/// ends the process with the same signal. Without it (library users, tests) signals keep
/// their default action. SIGKILL cannot be caught: its leftovers are hidden temporaries,
/// removed by the next AtomicOutput of the same path.
void removeOutputsOnInterrupt();

}  // namespace orevox
