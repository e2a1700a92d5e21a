// Faults as tests: the orevox binary run as a user runs it, then interrupted (SIGINT,
// SIGTERM), starved of disk (ENOSPC), raced against itself on one output, fed bad files.
// The promises checked: a one-line message and exit 1 (data, I/O) or 2 (usage), no partial
// output, no temporary or created folder left behind, an existing good output untouched.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Outcome {
  int code = -1;    ///< exit status, or -1 when ended by a signal
  int signal = 0;   ///< the signal that ended it, 0 when it exited
  std::string err;  ///< what it wrote to stderr
};

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int lines(const std::string& s) { return int(std::count(s.begin(), s.end(), '\n')); }

/// Starts the orevox binary with `args`, stdout to /dev/null, stderr to `errPath`.
pid_t start(const std::vector<std::string>& args, const std::string& errPath) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    const int err = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(null, 1);
    ::dup2(err, 2);
    std::vector<char*> argv;
    static const std::string binary = OREVOX_BINARY;
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

Outcome finish(pid_t pid, const std::string& errPath) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  Outcome o;
  if (WIFEXITED(status)) o.code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) o.signal = WTERMSIG(status);
  o.err = readAll(errPath);
  return o;
}

class FaultTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("orevox_faults_" +
            std::string(testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
            std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!mounted_.empty()) ::umount(mounted_.c_str());
    fs::remove_all(dir_);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  Outcome run(const std::vector<std::string>& args) {
    const std::string err = path("stderr.txt");
    const Outcome o = finish(start(args, err), err);
    fs::remove(err);
    return o;
  }
  /// A CSV of `n` random samples over 10 x 10 km.
  void writeSamples(const std::string& name, int n, unsigned seed) const {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> coord(0, 10000), value(1, 100);
    std::ofstream out(path(name));
    out << "x,y,Au,Cu\n";
    for (int i = 0; i < n; ++i)
      out << coord(rng) << "," << coord(rng) << "," << value(rng) << "," << value(rng) << "\n";
  }
  /// Hidden temporaries (".name.tmp<PID>.ext") anywhere under the test folder.
  std::vector<std::string> temporaries() const {
    std::vector<std::string> found;
    for (const auto& e : fs::recursive_directory_iterator(dir_))
      if (e.path().filename().string().find(".tmp") != std::string::npos)
        found.push_back(e.path().string());
    return found;
  }
  fs::path dir_;
  std::string mounted_;
};

TEST_F(FaultTest, MissingInputsExitOneEverywhere) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"grid", "--samples", path("none.csv"), "--fields", "Au", "--cell",
                                 "10", "--out", path("g.tif")},
        std::vector<std::string>{"transform", "--samples", path("none.csv"), "--fields", "A,B",
                                 "--method", "clr", "--out", path("t.csv")},
        std::vector<std::string>{"info", path("none.tif")}}) {
    const Outcome o = run(args);
    EXPECT_EQ(o.code, 1) << args[0] << ": " << o.err;
    EXPECT_EQ(lines(o.err), 1) << o.err;
    EXPECT_NE(o.err.find("none."), std::string::npos) << o.err;
  }
}

// The probe's crash (a segmentation fault on a NaN query): the CLI now refuses a query that
// is not a finite number before any work, naming the option (the index itself answers
// "no data" for NaN coordinates, tested in test_voxel).
TEST_F(FaultTest, NanQueriesAreRefusedInsteadOfCrashing) {
  writeSamples("s.csv", 50, 1);
  ASSERT_EQ(run({"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "500", "--out",
                 path("g.tif"), "--quiet"})
                .code,
            0);
  for (const std::string q : {"nan,nan", "nan,5000", "inf,5000"}) {
    const std::string out = path("out.txt");
    const std::string cmd = std::string(OREVOX_BINARY) + " index --grid " + path("g.tif") +
                            " --samples " + path("s.csv") + " --query " + q + " > " + out + " 2>&1";
    const int status = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(status)) << q << " ended by a signal";
    const std::string text = readAll(out);
    EXPECT_EQ(WEXITSTATUS(status), 2) << q << ": " << text;
    EXPECT_NE(text.find("--query: '" + q.substr(0, 3) + "' is not a number"), std::string::npos)
        << text;
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  }
}

TEST_F(FaultTest, HostileValuesGiveOneShortLine) {
  writeSamples("s.csv", 20, 2);
  const std::string digits(100000, '9');  // the longest argument Linux passes is 128 KiB
  Outcome o = run({"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", digits, "--out",
                   path("g.tif")});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(lines(o.err), 1);
  EXPECT_LT(o.err.size(), 400u) << o.err.substr(0, 400);
  o = run({"grid", "--samples", path("s.csv"), "--fields", "Au\nBad", "--cell", "10", "--out",
           path("g.tif")});
  EXPECT_EQ(lines(o.err), 1) << o.err;
  // Random bytes named .vti: one line, whatever the bytes.
  std::mt19937 rng(3);
  std::string junk = "<VTKFile type=\"ImageData\"><ImageData WholeExtent=\"0 1 0 0 0 0\">";
  for (int i = 0; i < 4000; ++i) junk += char(rng() & 0xff);
  std::ofstream(path("junk.vti"), std::ios::binary) << junk;
  o = run({"info", path("junk.vti")});
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(lines(o.err), 1) << o.err;
  // 1 000 threads on a small machine: refused up front.
  o = run({"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "10", "--threads",
           "100000", "--out", path("g.tif")});
  EXPECT_EQ(o.code, 2) << o.err;
  EXPECT_NE(o.err.find("--threads"), std::string::npos) << o.err;
}

// Unsigned options used to wrap (--seed -1 ran as 18446744073709551615): usage errors now.
TEST_F(FaultTest, UnsignedOptionsAreRefusedInsteadOfWrapping) {
  writeSamples("s.csv", 30, 9);
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"synth", "2d", "--seed", "-1", "--out", path("sy")}, "--seed"},
      {{"synth", "2d", "--seed", "18446744073709551616", "--out", path("sy")}, "--seed"},
      {{"raster", "predict", "--model", path("m.pt"), "--stack", path("s.tif"), "--out",
        path("p.tif"), "--stride", "-1"},
       "--stride"},
      {{"graph", "--dataset", "synth2d", "--bootstrap", "-1", "--out", path("gr")}, "--bootstrap"},
  };
  for (const auto& [args, option] : cases) {
    const Outcome o = run(args);
    EXPECT_EQ(o.code, 2) << args[0] << " " << option << ": " << o.err;
    EXPECT_EQ(lines(o.err), 1) << o.err;
    EXPECT_NE(o.err.find(option + ": '"), std::string::npos) << o.err;
  }
  EXPECT_FALSE(fs::exists(path("sy")));
  EXPECT_FALSE(fs::exists(path("gr")));
}

// An extent derived from the data (samples all at one point, or on one line) is the data's
// problem: exit 1 naming the file. The same empty box given as --extent is a usage error.
TEST_F(FaultTest, EmptyExtentsFromDataExitOneAndNameTheFile) {
  std::ofstream(path("one.csv")) << "x,y,Au\n5,5,1\n";
  std::ofstream(path("line.csv")) << "x,y,Au\n5,5,1\n5,9,2\n";
  for (const char* file : {"one.csv", "line.csv"}) {
    const Outcome o = run(
        {"grid", "--samples", path(file), "--fields", "Au", "--cell", "1", "--out", path("e.tif")});
    EXPECT_EQ(o.code, 1) << file << ": " << o.err;
    EXPECT_EQ(lines(o.err), 1) << o.err;
    EXPECT_NE(o.err.find(path(file)), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("--extent"), std::string::npos) << o.err;
  }
  const Outcome o = run({"grid", "--samples", path("one.csv"), "--fields", "Au", "--cell", "1",
                         "--extent", "5,5,5,5", "--out", path("e.tif")});
  EXPECT_EQ(o.code, 2) << o.err;
  EXPECT_FALSE(fs::exists(path("e.tif")));
}

// Outputs are declared before the work (OutputBatch, with the report): the same path for
// two outputs, an output over an input, an unwritable report and a map named .png are
// refused before anything is written, and a good existing output is left as it was.
TEST_F(FaultTest, ClashingOrUnwritableOutputsAreRefusedBeforeTheWork) {
  writeSamples("s.csv", 60, 10);
  ASSERT_EQ(run({"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "500", "--out",
                 path("g.tif"), "--quiet"})
                .code,
            0);
  const std::string good = readAll(path("g.tif")), samples = readAll(path("s.csv"));
  const std::vector<std::pair<std::vector<std::string>, int>> cases{
      {{"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "250", "--out",
        path("g.tif"), "--report", path("g.tif")},
       2},
      {{"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "250", "--out",
        path("s.csv")},
       2},
      {{"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "250", "--out",
        path("out.png")},
       2},
      {{"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "250", "--out",
        path("g.tif"), "--report", path("nope/r.json")},
       1},
      {{"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "250", "--out",
        path("g.tif"), "--report", path(".")},
       1},
      {{"transform", "--samples", path("s.csv"), "--fields", "Au,Cu", "--out", path("s.csv")}, 2},
      {{"transform", "--samples", path("s.csv"), "--fields", "Au,Cu", "--out", path("t.csv"),
        "--report", path("t.csv")},
       2},
  };
  for (const auto& [args, code] : cases) {
    const Outcome o = run(args);
    EXPECT_EQ(o.code, code) << args.back() << ": " << o.err;
    EXPECT_EQ(lines(o.err), 1) << o.err;
    EXPECT_EQ(readAll(path("g.tif")), good) << args.back();
    EXPECT_EQ(readAll(path("s.csv")), samples) << args.back();
  }
  EXPECT_FALSE(fs::exists(path("out.png")));
  EXPECT_FALSE(fs::exists(path("t.csv")));
  EXPECT_TRUE(temporaries().empty());
  for (const auto& e : fs::directory_iterator(dir_))
    EXPECT_EQ(e.path().filename().string().find(".orevox-staging"), std::string::npos) << e.path();
  // With a writable report both are committed together.
  ASSERT_EQ(run({"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "250", "--out",
                 path("g.tif"), "--report", path("r.json"), "--quiet"})
                .code,
            0);
  EXPECT_NE(readAll(path("g.tif")), good);
  EXPECT_NE(readAll(path("r.json")).find("\"outputs\""), std::string::npos);
}

TEST_F(FaultTest, StaleTemporariesOfAKilledRunAreRemovedByTheNextRun) {
  writeSamples("s.csv", 50, 4);
  // A run killed with SIGKILL leaves its temporary: a dead PID's ".g.tmp<PID>.tif".
  const pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  ::waitpid(dead, nullptr, 0);
  const std::string stale = path(".g.tmp" + std::to_string(dead) + ".tif");
  std::ofstream(stale) << "half a GeoTIFF";
  ASSERT_EQ(run({"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "500", "--out",
                 path("g.tif"), "--quiet"})
                .code,
            0);
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(temporaries().empty());
}

TEST_F(FaultTest, InterruptedRunsRemoveTheirFolderAndTemporaries) {
  for (const int sig : {SIGINT, SIGTERM}) {
    const std::string out = path("new/demo");
    const std::string err = path("err.txt");
    const pid_t pid = start({"demo", "--out", out, "--size3d", "48,48,24", "--cell", "400",
                             "--window", "16", "--quick", "--quiet"},
                            err);
    // Interrupted once its folder exists, with work (and writes) under way.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!fs::exists(path("new")) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_TRUE(fs::exists(path("new")));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ::kill(pid, sig);
    const Outcome o = finish(pid, err);
    fs::remove(err);
    EXPECT_EQ(o.signal, sig) << "exit " << o.code << ": " << o.err;
    EXPECT_FALSE(fs::exists(path("new"))) << "the folder the run created is left";
    EXPECT_TRUE(temporaries().empty());
  }
}

TEST_F(FaultTest, AFullDiskGivesOneLineAndKeepsTheGoodOutput) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root (CI runs as root)";
  const std::string disk = path("disk");
  fs::create_directories(disk);
  if (::mount("tmpfs", disk.c_str(), "tmpfs", 0, "size=64k") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here: " << std::strerror(errno);
  mounted_ = disk;
  // A small good output first, then a run whose output does not fit.
  writeSamples("s.csv", 2000, 5);
  ASSERT_EQ(run({"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "2000", "--out",
                 disk + "/g.tif", "--quiet"})
                .code,
            0);
  const std::string good = readAll(disk + "/g.tif");
  Outcome o = run({"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "10", "--out",
                   disk + "/g.tif"});
  EXPECT_EQ(o.code, 1) << o.err;
  EXPECT_EQ(lines(o.err), 1) << o.err;
  EXPECT_NE(o.err.find(disk + "/g.tif"), std::string::npos) << o.err;
  EXPECT_EQ(o.err.find(".tmp"), std::string::npos) << "names the temporary: " << o.err;
  EXPECT_EQ(readAll(disk + "/g.tif"), good);
  // orevox's own writers say why: the system's reason.
  o = run({"transform", "--samples", path("s.csv"), "--fields", "Au,Cu", "--method", "clr", "--out",
           disk + "/t.csv"});
  EXPECT_EQ(o.code, 1) << o.err;
  EXPECT_EQ(lines(o.err), 1) << o.err;
  EXPECT_NE(o.err.find(disk + "/t.csv: write failed: No space left on device"), std::string::npos)
      << o.err;
  // render: the PNG is encoded in memory and written by orevox, so a full disk is one line
  // (it printed libpng's and VTK's log lines, in colour, before its own).
  const char* display = std::getenv("DISPLAY");
  if (display && *display) {
    ASSERT_EQ(run({"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "100", "--out",
                   path("map.tif"), "--quiet"})
                  .code,
              0);
    std::ofstream(disk + "/fill.bin") << std::string(40000, 'x');  // leaves ~20 KB free
    o = run({"render", path("map.tif"), "--out", disk + "/r.png", "--size", "800x600"});
    EXPECT_EQ(o.code, 1) << o.err;
    EXPECT_EQ(lines(o.err), 1) << o.err;
    EXPECT_NE(o.err.find(disk + "/r.png"), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("No space left on device"), std::string::npos) << o.err;
    fs::remove(disk + "/fill.bin");
  }
  EXPECT_TRUE(temporaries().empty());
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(disk)) left.push_back(e.path().filename().string());
  EXPECT_EQ(left, std::vector<std::string>{"g.tif"});
}

TEST_F(FaultTest, ConcurrentRunsOnOneOutputLeaveOneWholeResult) {
  writeSamples("a.csv", 3000, 6);
  writeSamples("b.csv", 3000, 7);
  auto args = [&](const std::string& in, const std::string& out) {
    return std::vector<std::string>{"grid", "--samples", path(in), "--fields",  "Au", "--cell",
                                    "50",   "--out",     out,      "--threads", "1",  "--quiet"};
  };
  ASSERT_EQ(run(args("a.csv", path("a.tif"))).code, 0);
  ASSERT_EQ(run(args("b.csv", path("b.tif"))).code, 0);
  const std::string a = readAll(path("a.tif")), b = readAll(path("b.tif"));
  ASSERT_NE(a, b);
  for (int round = 0; round < 2; ++round) {
    const pid_t p1 = start(args("a.csv", path("same.tif")), path("e1.txt"));
    const pid_t p2 = start(args("b.csv", path("same.tif")), path("e2.txt"));
    EXPECT_EQ(finish(p1, path("e1.txt")).code, 0);
    EXPECT_EQ(finish(p2, path("e2.txt")).code, 0);
    const std::string result = readAll(path("same.tif"));
    EXPECT_TRUE(result == a || result == b)
        << "round " << round << ": the output is neither run's whole result";
    EXPECT_TRUE(temporaries().empty());
  }
}

TEST_F(FaultTest, CorruptModelFilesGiveOneLineNamingTheFile) {
  writeSamples("s.csv", 50, 8);
  ASSERT_EQ(run({"grid", "--samples", path("s.csv"), "--fields", "Au", "--cell", "500", "--out",
                 path("s.tif"), "--quiet"})
                .code,
            0);
  std::ofstream(path("m.pt")) << "PK\x03\x04 not really a zip";
  std::ofstream(path("m.json")) << "{\"format\": ";  // truncated JSON
  Outcome o = run({"raster", "predict", "--model", path("m.pt"), "--stack", path("s.tif"), "--out",
                   path("p.tif")});
  EXPECT_EQ(o.code, 1) << o.err;
  EXPECT_EQ(lines(o.err), 1) << o.err;
  EXPECT_NE(o.err.find(path("m.json")), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(path("p.tif")));
}

}  // namespace
