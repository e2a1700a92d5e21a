// Real case of issue 13 (item 6): Babbitt (Duluth Complex Cu-Ni), the signed distance from
// each 10 ft composite to the mineralised-domain wireframe Mpz.stl as a predictor of
// Cu >= 0.5 % composites: ROC AUC and its stratified percentile bootstrap interval
// (learning/metrics.hpp), beside the AUC of the inside/outside flag alone and of the
// distance outside the solid (0 inside).
//
//   bench_structural_cases             1,000 bootstrap replicates
//   bench_structural_cases --quick     100 replicates (CTest smoke run)
//
// The composites come from the library call behind `orevox drillholes desurvey
// --length-unit ft --composite 10` (written to a temporary folder and read back); the
// distance is exact (MeshDistance, double precision), negative inside the solid (vertical-ray
// parity), after closing the wireframe's one missing triangle (fillHoles 3). The score is
// minus the distance (nearer / deeper inside = higher). Skips (exit 0) where the shared
// datasets are absent.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/datasets/drillhole_io.hpp"
#include "orevox/datasets/mesh_io.hpp"
#include "orevox/geomodel/mesh.hpp"
#include "orevox/geomodel/mesh_distance.hpp"
#include "orevox/learning/metrics.hpp"
#include "shared_datasets.hpp"

using namespace orevox;

int main(int argc, char** argv) {
  int replicates = 1000;
  for (int a = 1; a < argc; ++a) {
    if (std::strcmp(argv[a], "--quick") == 0) {
      replicates = 100;
    } else {
      std::fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
      return 2;
    }
  }
  const std::string dir = orevox_test::sharedDataset("babbitt_duluth_cuni");
  if (dir.empty()) {
    std::printf("bench_structural_cases: skipped, babbitt_duluth_cuni not found\n");
    return 0;
  }
  Progress::setEnabled(false);
  Stopwatch watch;
  const std::filesystem::path tmp =
      std::filesystem::temp_directory_path() / "orevox_bench_structural_cases";
  std::filesystem::remove_all(tmp);
  DrillholeDesurveyJob job;
  job.collars = dir + "/collar_BABBITT.csv";
  job.surveys = dir + "/survey_BABBITT.csv";
  job.intervals = {dir + "/assay_BABBITT.csv"};
  job.unit = LengthUnit::Foot;
  job.composite.length = 10;
  job.out = tmp.string();
  runDrillholeDesurvey(job);
  CsvOptions csv;
  csv.zColumn = "z";
  csv.columns = {"CU"};
  const SampleTable composites = readSamplesCsv((tmp / "intervals.csv").string(), csv);
  std::filesystem::remove_all(tmp);

  TriangleMesh mpz = readMesh(dir + "/Mpz.stl");
  const HoleFilling filled = fillHoles(mpz, 3);
  const MeshDistance tree(mpz);
  const std::vector<double>& cu = composites.columns.at(0).values;
  std::vector<int> labels;
  std::vector<double> scores, inside, outside;
  std::size_t oreInside = 0, ore = 0;
  for (std::size_t i = 0; i < composites.size(); ++i) {
    if (std::isnan(cu[i])) continue;
    const Eigen::Vector3d p(composites.x[i], composites.y[i], composites.z[i]);
    const bool in = tree.contains(p);
    const double d = tree.closest(p).distance * (in ? -1.0 : 1.0);
    const int label = cu[i] >= 0.5 ? 1 : 0;
    labels.push_back(label);
    scores.push_back(-d);
    inside.push_back(in ? 1.0 : 0.0);
    outside.push_back(-std::max(d, 0.0));
    ore += std::size_t(label);
    oreInside += std::size_t(label && in);
  }
  const double auc = rocAuc(labels, scores);
  const auto [lo, hi] = bootstrapAucInterval(labels, scores, replicates, 1);
  const double aucInside = rocAuc(labels, inside);
  const auto [ilo, ihi] = bootstrapAucInterval(labels, inside, replicates, 1);
  const double aucOutside = rocAuc(labels, outside);
  const auto [olo, ohi] = bootstrapAucInterval(labels, outside, replicates, 1);
  std::size_t in = 0;
  for (double v : inside) in += v > 0 ? 1 : 0;
  std::printf(
      "bench_structural_cases: babbitt_duluth_cuni, %zu composites of 10 ft with CU, %zu with "
      "CU >= 0.5 %% (%zu of them inside Mpz.stl); %zu composites inside; Mpz.stl %zu triangles "
      "(%zu hole(s) closed)\n",
      labels.size(), ore, oreInside, in, mpz.triangleCount(), filled.filled);
  std::printf(
      "  signed distance to Mpz.stl (- inside): AUC %.4f, 95%% bootstrap interval "
      "%.4f-%.4f (%d replicates)\n",
      auc, lo, hi, replicates);
  std::printf(
      "  inside Mpz.stl (0/1):                  AUC %.4f, 95%% bootstrap interval "
      "%.4f-%.4f\n",
      aucInside, ilo, ihi);
  std::printf(
      "  distance outside Mpz.stl (0 inside):   AUC %.4f, 95%% bootstrap interval "
      "%.4f-%.4f\n",
      aucOutside, olo, ohi);
  std::printf("  wall %.2f s, peak RSS %.0f MiB\n", watch.seconds(), bench::peakRssMiB());
  return labels.empty() || !(auc >= 0 && auc <= 1) ? 1 : 0;
}
