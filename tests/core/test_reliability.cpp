// Tests of orevox::core's safety nets: one-line messages, memory refusals, write errors that
// name the output and the system's reason, and stale temporaries of killed runs.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/resources.hpp"
#include "orevox/core/text.hpp"

using namespace orevox;
namespace fs = std::filesystem;

namespace {

fs::path freshDir(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("orevox_reliability_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

/// The PID of a process that has exited (and been reaped): no process has it now.
pid_t deadPid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

/// Runs `fn` with OREVOX_MAX_MEMORY set to `limit`, then restores the environment.
template <class F>
void withMemoryLimit(const std::string& limit, F fn) {
  const char* old = std::getenv("OREVOX_MAX_MEMORY");
  const std::string saved = old ? old : "";
  ::setenv("OREVOX_MAX_MEMORY", limit.c_str(), 1);
  fn();
  if (old)
    ::setenv("OREVOX_MAX_MEMORY", saved.c_str(), 1);
  else
    ::unsetenv("OREVOX_MAX_MEMORY");
}

}  // namespace

TEST(OneLine, ControlCharactersAndInvalidBytesAreEscaped) {
  EXPECT_EQ(oneLine("a\nb\r\tc"), "a\\nb\\r\\tc");
  EXPECT_EQ(oneLine(std::string("x\0y", 3)), "x\\x00y");
  EXPECT_EQ(oneLine("bin \xff\xfe ok"), "bin \\xff\\xfe ok");
  EXPECT_EQ(oneLine("caf\xc3\xa9 \xe2\x80\x93 km\xc2\xb2"),
            "caf\xc3\xa9 \xe2\x80\x93 km\xc2\xb2");  // UTF-8 kept
  EXPECT_EQ(oneLine("\x1b[31mred"), "\\x1b[31mred");
}

TEST(OneLine, LongWordsAreShortenedAroundACount) {
  const std::string digits(500000, '7');
  const std::string line = oneLine("--cell: '" + digits + "' is not a number");
  EXPECT_LT(line.size(), 250u);
  // 160-character words keep 100 characters at the start and 40 at the end.
  const std::string word = "'" + digits + "'";
  EXPECT_EQ(line, "--cell: " + word.substr(0, 100) + "...[" + std::to_string(word.size() - 140) +
                      " chars]..." + word.substr(word.size() - 40) + " is not a number");
  EXPECT_EQ(oneLine("short words stay as they are"), "short words stay as they are");
}

TEST(Resources, FormatBytesUsesBinaryUnits) {
  EXPECT_EQ(formatBytes(96), "96 B");
  EXPECT_EQ(formatBytes(1536), "1.50 KiB");
  EXPECT_EQ(formatBytes(40.0 * 1024 * 1024 * 1024), "40.0 GiB");
  EXPECT_EQ(formatBytes(512.0 * 1024 * 1024), "512 MiB");
}

TEST(Resources, RequestsBeyondTheLimitAreRefusedWithTheMemoryTheyNeed) {
  withMemoryLimit("1G", [] {
    EXPECT_EQ(usableMemoryBytes(), 1024ull * 1024 * 1024);
    EXPECT_NO_THROW(requireMemory(1e8, "a small grid", Blame::Option));
    try {
      requireMemory(4e10, "a grid of 1e5 x 1e5 cells", Blame::Option, "a larger --cell");
      FAIL() << "not refused";
    } catch (const UsageError& e) {
      EXPECT_STREQ(e.what(),
                   "a grid of 1e5 x 1e5 cells needs 37.3 GiB of memory, more than the 1.00 GiB "
                   "this process may "
                   "use (a larger --cell)");
    }
    try {
      requireMemory(2e9, "reading 1 band", Blame::Input, "",
                    SourceLocation{"big.tif", 0, 0, {}, {}});
      FAIL() << "not refused";
    } catch (const UsageError&) {
      FAIL() << "an input's size is a data error";
    } catch (const DataError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("big.tif: reading 1 band needs 1.86 GiB", 0), 0u)
          << e.what();
    }
    // A product of sizes that overflows is refused, not wrapped around.
    EXPECT_THROW(requireMemory(1e300 * 1e300, "x", Blame::Option), UsageError);
  });
  withMemoryLimit("junk", [] { EXPECT_GT(usableMemoryBytes(), 1024ull * 1024); });  // ignored
}

TEST(AtomicOutput, WriteErrorsNameTheOutputAndTheCause) {
  const fs::path dir = freshDir("write");
  const std::string target = (dir / "big.bin").string();
  std::ofstream(target) << "good";
  // A file size limit makes write() fail as a full disk does, without root or a full disk:
  // the process gets EFBIG instead of ENOSPC (SIGXFSZ ignored).
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  ::signal(SIGXFSZ, SIG_IGN);
  rlimit small = old;
  small.rlim_cur = 4096;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string message;
  try {
    AtomicOutput out(target);
    out.write(std::string(100000, 'x'));
    out.commit();
  } catch (const IoError& e) {
    message = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  ::signal(SIGXFSZ, SIG_DFL);
  EXPECT_EQ(message, target + ": write failed: File too large");
  // The good file is untouched and no temporary is left.
  std::ifstream in(target);
  std::string text;
  in >> text;
  EXPECT_EQ(text, "good");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

TEST(AtomicOutput, DevFullReportsNoSpaceLeft) {
  // /dev/full fails every write with ENOSPC: the message carries the system's reason.
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  const fs::path dir = freshDir("devfull");
  const std::string target = (dir / "out.txt").string();
  std::string message;
  {
    AtomicOutput out(target);
    fs::create_symlink("/dev/full", out.tempPath());  // the temporary is the full device
    try {
      out.write("some text");
    } catch (const IoError& e) {
      message = e.what();
    }
  }
  EXPECT_EQ(message, target + ": write failed: No space left on device");
  EXPECT_FALSE(fs::exists(target));
  fs::remove_all(dir);
}

TEST(AtomicOutput, StaleTemporariesOfDeadProcessesAreRemoved) {
  const fs::path dir = freshDir("stale");
  const pid_t dead = deadPid();
  const std::string stale = (dir / (".map.tmp" + std::to_string(dead) + ".tif")).string();
  const std::string staleAux = stale + ".aux.xml";
  // A live process's temporary (this test's parent) and another output's are kept.
  const std::string live = (dir / (".map.tmp" + std::to_string(::getppid()) + ".tif")).string();
  const std::string other = (dir / (".zones.tmp" + std::to_string(dead) + ".tif")).string();
  for (const auto& p : {stale, staleAux, live, other}) std::ofstream(p) << "partial";
  {
    AtomicOutput out((dir / "map.tif").string());
    EXPECT_FALSE(fs::exists(stale));
    EXPECT_FALSE(fs::exists(staleAux));
    EXPECT_TRUE(fs::exists(live));
    EXPECT_TRUE(fs::exists(other));
  }
  fs::remove_all(dir);
}

TEST(Interrupt, SignalsRemoveTemporariesAndCreatedFoldersThenEndTheProcess) {
  for (const int sig : {SIGINT, SIGTERM}) {
    const fs::path dir = freshDir("interrupt");
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    const pid_t child = ::fork();
    if (child == 0) {
      removeOutputsOnInterrupt();
      OutputFolder folder((dir / "new" / "run").string());
      AtomicOutput out((dir / "new" / "run" / "map.tif").string());
      out.write("half a map");
      AtomicOutput beside((dir / "report.json").string());  // an output into an existing folder
      beside.write("{");
      (void)!::write(ready[1], "r", 1);
      while (true) ::pause();
    }
    char c = 0;
    ASSERT_EQ(::read(ready[0], &c, 1), 1);
    ::close(ready[0]);
    ::close(ready[1]);
    ::kill(child, sig);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "exited " << WEXITSTATUS(status);
    EXPECT_EQ(WTERMSIG(status), sig);
    EXPECT_FALSE(fs::exists(dir / "new"));
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()),
              0);  // no temporary
    fs::remove_all(dir);
  }
}
