// Desurvey speed on the Thalanga VMS drillhole database (5,277 holes, 18,855 survey rows,
// 64,431 geology intervals; issue 12 target: desurvey under 1 s).
// Usage: bench_desurvey [--quick] [--rounds N]
//   --quick: one round (CTest); skips (exit 0) when the shared datasets are absent.
// Prints the time of each step: reading the three CSV files, validation, the desurvey proper
// (minimum-curvature trajectories of every hole, then x, y, z at from, middle and to of every
// interval), the display traces, and the whole `drillholes desurvey` run with its outputs.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/datasets/drillhole_io.hpp"
#include "shared_datasets.hpp"

int main(int argc, char** argv) {
  using namespace orevox;
  using bench::median;
  int rounds = 5;
  for (int a = 1; a < argc; ++a) {
    if (std::strcmp(argv[a], "--quick") == 0) {
      rounds = 1;
    } else if (std::strcmp(argv[a], "--rounds") == 0 && a + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++a]));
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--rounds N]\n", argv[0]);
      return 2;
    }
  }
  const std::string collars = orevox_test::sharedDataset("thalanga_vms/ThalangaML_collar.csv");
  const std::string surveys = orevox_test::sharedDataset("thalanga_vms/ThalangaML_survey.csv");
  const std::string geology = orevox_test::sharedDataset("thalanga_vms/ThalangaML_Geology.csv");
  if (collars.empty() || surveys.empty() || geology.empty()) {
    std::printf("bench_desurvey: skipped, thalanga_vms not found (set OREVOX_SHARED_DATASETS)\n");
    return 0;
  }
  Progress::setEnabled(false);
  std::printf("bench_desurvey: thalanga_vms, %d round(s), %d threads\n", rounds, threadCount());

  std::vector<double> read, validate, trajectories, positions, traces, total;
  std::size_t holes = 0, stations = 0, intervals = 0;
  for (int r = 0; r < rounds; ++r) {
    Stopwatch watch;
    const CollarTable c = readCollarCsv(collars);
    const SurveyTable s = readSurveyCsv(surveys);
    ValidationLog log;
    const IntervalTable g = readIntervalCsv(geology, {}, {}, log);
    read.push_back(watch.seconds());
    watch.restart();
    const DrillholeDatabase db = buildDrillholeDatabase(c, &s, {g}, {}, log);
    const IntervalTable merged = mergeIntervalTables(db);
    validate.push_back(watch.seconds());
    watch.restart();
    const std::vector<HoleTrajectory> paths = desurveyHoles(db, DesurveyMethod::MinimumCurvature);
    trajectories.push_back(watch.seconds());
    watch.restart();
    const DesurveyedIntervals p = desurveyIntervals(paths, merged);
    positions.push_back(watch.seconds());
    watch.restart();
    const DrillholeTraces t = drillholeTraces(db, paths, merged);
    traces.push_back(watch.seconds());
    holes = db.holes.size();
    stations = 0;
    for (const auto& h : db.holes) stations += h.surveyed ? h.stations.size() : 0;
    intervals = p.middle.size();
    if (t.size() != intervals) return 1;
  }
  // The whole command: read, validate, merge, desurvey, write the three outputs.
  const std::filesystem::path out =
      std::filesystem::temp_directory_path() / "orevox_bench_desurvey";
  for (int r = 0; r < rounds; ++r) {
    DrillholeDesurveyJob job;
    job.collars = collars;
    job.surveys = surveys;
    job.intervals = {geology};
    job.crs = "EPSG:28355";
    job.out = out.string();
    Stopwatch watch;
    runDrillholeDesurvey(job);
    total.push_back(watch.seconds());
  }
  std::error_code ec;
  std::filesystem::remove_all(out, ec);

  std::printf("  %zu holes, %zu survey stations kept, %zu intervals\n", holes, stations, intervals);
  std::printf("  read CSV (3 files)             median %.3f s  (min %.3f)\n", median(read),
              *std::min_element(read.begin(), read.end()));
  std::printf("  validate + merge               median %.3f s\n", median(validate));
  std::printf("  desurvey: trajectories         median %.4f s\n", median(trajectories));
  std::printf("  desurvey: from/middle/to xyz   median %.4f s\n", median(positions));
  std::printf("  desurvey total                 median %.4f s  (target < 1 s)\n",
              median(trajectories) + median(positions));
  std::printf("  display traces                 median %.4f s\n", median(traces));
  std::printf(
      "  drillholes desurvey, end to end (read, validate, desurvey, write 3 files) median %.3f s\n",
      median(total));
  bench::printLoadAverage();
  return 0;
}
