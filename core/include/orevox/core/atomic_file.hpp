#pragma once
/// \file atomic_file.hpp
/// Outputs are written to a temporary name beside the target and renamed into place when
/// complete, so a failed run never leaves a partial file and never overwrites a good one.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

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

/// The outputs of one run, declared before work starts and committed together at the end
/// (the one mechanism for several outputs; a single file may use AtomicOutput directly).
///
/// Usage:
/// \code
///   OutputBatch outputs;
///   outputs.addInput(samplesPath, "--samples");
///   const std::string& grid = outputs.add(outPath, "--out");      // checked now
///   const std::string& report = outputs.add(reportPath, "--report");
///   ... long work, writing to `grid` and `report` (temporary names) ...
///   outputs.commit();  // all renamed into place; without it, nothing is
/// \endcode
/// A failure anywhere before commit() leaves every existing file untouched and removes the
/// temporaries. commit() first checks that every declared output was written (renaming
/// nothing otherwise), then renames them one after the other. The temporary path of an
/// output keeps its file name, inside a hidden folder `.orevox-staging-<pid>-XXXXXX` of the
/// output's folder, so writers that name things after the file (a GeoPackage layer, the
/// sidecars of a shapefile, which are moved too) work unchanged.
class OutputBatch {
 public:
  OutputBatch();
  ~OutputBatch();
  OutputBatch(const OutputBatch&) = delete;
  OutputBatch& operator=(const OutputBatch&) = delete;

  /// Declares an output and returns the temporary path to write it to (same folder, same
  /// extension). Checks now that the folder exists and is writable and that the path is not
  /// a folder (IoError), and that it is neither declared twice nor one of the run's inputs
  /// (UsageError naming both options). `option` names the option in messages ("--vti"); an
  /// empty path is refused.
  const std::string& add(const std::string& path, const std::string& option = {});
  /// Declares an input of the run: an output at the same path is refused (UsageError).
  void addInput(const std::string& path, const std::string& option = {});
  /// The temporary path of a declared output (UsageError when `path` was not declared).
  const std::string& temp(const std::string& path) const;
  /// Whether `path` was declared as an output.
  bool has(const std::string& path) const;
  /// Renames every declared output into place and returns the final paths in declaration
  /// order. IoError naming the output when one was not written (nothing renamed then).
  std::vector<std::string> commit();

 private:
  struct Entry;
  std::vector<std::unique_ptr<Entry>> entries_;
  std::vector<std::pair<std::string, std::string>> inputs_;    ///< canonical path, option
  std::vector<std::pair<std::string, std::string>> stagings_;  ///< folder key, staging folder
};

/// Call once at the start of main: SIGINT, SIGTERM and SIGHUP (unless ignored, as under
/// nohup) then wake a thread of their own, which removes the temporaries of unfinished
/// AtomicOutputs and the folders of unfinished OutputFolders (as a failed run does), then
/// ends the process with the same signal. Without it (library users, tests) signals keep
/// their default action. SIGKILL cannot be caught: its leftovers are hidden temporaries,
/// removed by the next AtomicOutput of the same path.
void removeOutputsOnInterrupt();

}  // namespace orevox
