// fuzz_replay: the inputs of the fuzz targets replayed without libFuzzer (any compiler), so
// that the crash inputs kept in tests/data/fuzz/<target>/ (and the seeds) stay regression
// tests of the normal build. Each target's LLVMFuzzerTestOneInput is compiled under the name
// orevoxFuzz_<target> (see tests/CMakeLists.txt).
//   fuzz_replay SOURCE_DIR    every target on tests/fuzz/seeds/<t> and tests/data/fuzz/<t>
// Prints one line per target (inputs replayed); a crash or a sanitizer report fails it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#define OREVOX_FUZZ_TARGETS                                                                   \
  X(samples_csv)                                                                              \
  X(block_model_csv) X(drillholes) X(vti) X(vtp) X(geojson) X(geotiff) X(vdb) X(tsurf) X(obj) \
      X(ply) X(stl) X(study_json)

#define X(name) extern "C" int orevoxFuzz_##name(const std::uint8_t* data, std::size_t size);
OREVOX_FUZZ_TARGETS
#undef X

namespace {

struct Target {
  const char* name;
  int (*run)(const std::uint8_t*, std::size_t);
};

const Target kTargets[] = {
#define X(name) {#name, &orevoxFuzz_##name},
    OREVOX_FUZZ_TARGETS
#undef X
};

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_replay SOURCE_DIR\n");
    return 2;
  }
  const fs::path source = argv[1];
  std::size_t total = 0;
  for (const Target& t : kTargets) {
    std::vector<fs::path> files;
    for (const fs::path& dir :
         {source / "tests/fuzz/seeds" / t.name, source / "tests/data/fuzz" / t.name}) {
      if (!fs::is_directory(dir)) continue;
      for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file()) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
      std::fprintf(stderr, "%s: %s\n", t.name, f.filename().c_str());
      t.run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    }
    std::printf("%-16s %zu inputs\n", t.name, files.size());
    total += files.size();
  }
  if (total == 0) {
    std::fprintf(stderr, "fuzz_replay: no input under %s\n", source.c_str());
    return 1;
  }
  return 0;
}
