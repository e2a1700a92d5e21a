// Signed distance from a closed mesh to every voxel centre of a box (issue 13: "signed
// distance from a 64,000-triangle mesh (Mpz.stl) to 10 million voxels: time").
//
//   bench_mesh_distance                 Mpz.stl (63,749 triangles, feet) to ~10 M cubic voxels
//   bench_mesh_distance --voxels N      about N voxels instead
//   bench_mesh_distance --mesh F.stl    another closed mesh
//   bench_mesh_distance --quick         ~200,000 voxels (CTest smoke run)
//   bench_mesh_distance --openvdb-full  also OpenVDB with a band over the whole box (slow:
//                                       31 s for 200,000 voxels here; use with --voxels)
//
// Mpz.stl is read from the shared datasets ($OREVOX_SHARED_DATASETS or shared/datasets
// beside the repository, tests/shared_datasets.hpp); without it an icosphere of 81,920
// triangles stands in. The box is
// the mesh's bounds grown by 10 % on each side, cut into cubic voxels. Stages, each with its
// wall time and peak resident memory (VmHWM, reset between stages):
//   1. inside mask (vertical-ray parity over the voxel columns);
//   2. exact signed distance, every voxel (MeshDistance, double precision);
//   3. exact signed distance within a narrow band of 3 voxels;
//   4. OpenVDB meshToSignedDistanceField with the 3-voxel band;
//   5. with --openvdb-full, OpenVDB with a band covering the box (every voxel).
// Exactness: 2,000 voxels drawn at random (fixed seed) are checked against the brute-force
// minimum over every triangle; OpenVDB's values are compared with the exact ones (largest
// and 99th-percentile differences, and sign disagreements). Exits 1 when the exact
// distances differ from brute force by more than 1e-6 of the box's diagonal.

#include <sys/resource.h>

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/datasets/mesh_io.hpp"
#include "orevox/geomodel/mesh.hpp"
#include "orevox/geomodel/mesh_distance.hpp"
#include "orevox/voxel/mesh_volume.hpp"
#include "shared_datasets.hpp"

namespace {

using namespace orevox;

/// Resets VmHWM so the next stage's peak is its own (Linux 4.0+); false when not allowed.
bool resetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  if (!clear) return false;
  clear << "5";
  return bool(clear);
}

std::string defaultMeshPath() { return orevox_test::sharedDataset("babbitt_duluth_cuni/Mpz.stl"); }

/// Icosphere of 20 x 4^levels triangles (the stand-in when Mpz.stl is absent).
TriangleMesh sphere(double radius, int levels) {
  TriangleMesh m;
  const double t = (1.0 + std::sqrt(5.0)) / 2.0;
  std::vector<Eigen::Vector3d> v = {{-1, t, 0}, {1, t, 0}, {-1, -t, 0}, {1, -t, 0},
                                    {0, -1, t}, {0, 1, t}, {0, -1, -t}, {0, 1, -t},
                                    {t, 0, -1}, {t, 0, 1}, {-t, 0, -1}, {-t, 0, 1}};
  for (auto& p : v) p.normalize();
  std::vector<std::array<std::uint32_t, 3>> f = {
      {0, 11, 5},  {0, 5, 1},  {0, 1, 7},  {0, 7, 10}, {0, 10, 11}, {1, 5, 9}, {5, 11, 4},
      {11, 10, 2}, {10, 7, 6}, {7, 1, 8},  {3, 9, 4},  {3, 4, 2},   {3, 2, 6}, {3, 6, 8},
      {3, 8, 9},   {4, 9, 5},  {2, 4, 11}, {6, 2, 10}, {8, 6, 7},   {9, 8, 1}};
  for (int l = 0; l < levels; ++l) {
    std::vector<std::array<std::uint32_t, 3>> next;
    // Midpoints are computed alike from both sides of an edge; the duplicates are merged
    // by position at the end.
    auto middle = [&](std::uint32_t a, std::uint32_t b) {
      v.push_back((v[std::min(a, b)] + v[std::max(a, b)]).normalized());
      return std::uint32_t(v.size() - 1);
    };
    for (const auto& tri : f) {
      const std::uint32_t a = middle(tri[0], tri[1]), b = middle(tri[1], tri[2]),
                          c = middle(tri[2], tri[0]);
      next.push_back({tri[0], a, c});
      next.push_back({tri[1], b, a});
      next.push_back({tri[2], c, b});
      next.push_back({a, b, c});
    }
    f = std::move(next);
  }
  for (const auto& p : v) m.vertices.push_back(radius * p);
  m.triangles = f;
  mergeDuplicateVertices(m);
  m.name = "icosphere";
  return m;
}

/// Inside by brute force: the parity of the triangles hit by a ray in a generic oblique
/// direction (Moeller-Trumbore), independent of the vertical-ray method under test.
bool insideByObliqueRay(const TriangleMesh& m, const Eigen::Vector3d& p) {
  const Eigen::Vector3d d = Eigen::Vector3d(0.5377, 0.1834, 0.8226).normalized();
  int hits = 0;
  for (const auto& t : m.triangles) {
    const Eigen::Vector3d& a = m.vertices[t[0]];
    const Eigen::Vector3d e1 = m.vertices[t[1]] - a, e2 = m.vertices[t[2]] - a;
    const Eigen::Vector3d h = d.cross(e2);
    const double det = e1.dot(h);
    if (det == 0.0) continue;
    const Eigen::Vector3d s = p - a;
    const double u = s.dot(h) / det;
    if (u < 0.0 || u > 1.0) continue;
    const Eigen::Vector3d q = s.cross(e1);
    const double v = d.dot(q) / det;
    if (v < 0.0 || u + v > 1.0) continue;
    if (e2.dot(q) / det > 0.0) ++hits;
  }
  return hits % 2 == 1;
}

/// User + system CPU seconds of the process so far (all threads).
double cpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

struct Stage {
  double seconds = 0.0;  ///< wall
  double cpu = 0.0;      ///< CPU seconds, all threads (what a loaded machine does not inflate)
  double peakMiB = -1.0;
};

Stage timed(const std::function<void()>& fn) {
  resetPeakRss();
  const double cpu = cpuSeconds();
  Stopwatch watch;
  fn();
  return {watch.seconds(), cpuSeconds() - cpu, bench::peakRssMiB()};
}

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0.0;
  const std::size_t k = std::min(v.size() - 1, std::size_t(q * double(v.size() - 1)));
  std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(k), v.end());
  return v[k];
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false, openVdbFull = false;
  double voxels = 1e7;
  std::string meshPath;
  for (int a = 1; a < argc; ++a) {
    if (std::strcmp(argv[a], "--quick") == 0) {
      quick = true;
    } else if (std::strcmp(argv[a], "--openvdb-full") == 0) {
      openVdbFull = true;
    } else if (std::strcmp(argv[a], "--voxels") == 0 && a + 1 < argc) {
      voxels = std::atof(argv[++a]);
    } else if (std::strcmp(argv[a], "--mesh") == 0 && a + 1 < argc) {
      meshPath = argv[++a];
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--voxels N] [--mesh F.stl] [--openvdb-full]\n",
                   argv[0]);
      return 2;
    }
  }
  if (quick) voxels = 2e5;
  if (!(voxels >= 1000)) {
    std::fprintf(stderr, "--voxels: expected a number >= 1000\n");
    return 2;
  }
  if (meshPath.empty()) meshPath = defaultMeshPath();

  TriangleMesh mesh;
  Stopwatch readWatch;
  try {
    mesh = meshPath.empty() ? sphere(1000.0, 6) : readMesh(meshPath);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  const double readSeconds = readWatch.seconds();
  MeshCheck check = checkMesh(mesh);
  std::printf(
      "mesh: %s (%s), %zu triangles, %zu vertices, %zu boundary edges, %zu edges of more than "
      "two triangles, read in %.3f s\n",
      mesh.name.c_str(), meshPath.empty() ? "no Mpz.stl found: stand-in" : meshPath.c_str(),
      check.triangles, check.vertices, check.boundaryEdges, check.nonManifoldEdges, readSeconds);
  // Mpz.stl misses one triangle: close holes of up to 8 edges, as a user would.
  const HoleFilling filled = fillHoles(mesh, 8);
  check = checkMesh(mesh);
  std::printf("holes filled: %zu (%zu triangles added); watertight %s, volume %.6g\n",
              filled.filled, filled.trianglesAdded, check.watertight() ? "yes" : "no",
              check.volume);
  if (!check.watertight()) {
    std::fprintf(stderr, "the mesh is not closed (%zu boundary edges)\n", check.boundaryEdges);
    return 1;
  }

  // The mesh's bounds grown by 10 % per side, in cubic voxels.
  const MeshBounds b = mesh.bounds();
  const Eigen::Vector3d size = (b.max - b.min) * 1.2;
  const double cell = std::cbrt(size.prod() / voxels);
  VolumeSpec spec;
  spec.nx = std::size_t(std::ceil(size.x() / cell));
  spec.ny = std::size_t(std::ceil(size.y() / cell));
  spec.nz = std::size_t(std::ceil(size.z() / cell));
  const Eigen::Vector3d origin = b.min - (b.max - b.min) * 0.1;
  spec.origin = {origin.x(), origin.y(), origin.z()};
  spec.spacing = {cell, cell, cell};
  std::printf("box: %zu x %zu x %zu = %zu voxels of %.3f units, %d threads\n", spec.nx, spec.ny,
              spec.nz, spec.size(), cell, threadCount());

  std::vector<std::uint8_t> inside;
  MeshDistanceField exact, band, vdb, vdbBand;
  MeshDistanceOptions o;
  const Stage sInside = timed([&] { inside = meshInsideMask(mesh, spec); });
  const Stage sExact = timed([&] { exact = meshDistanceField(mesh, spec, o); });
  o.band = 3.0 * cell;
  const Stage sBand = timed([&] { band = meshDistanceField(mesh, spec, o); });
  o.method = MeshDistanceMethod::OpenVdb;
  const Stage sVdbBand = timed([&] { vdbBand = meshDistanceField(mesh, spec, o); });
  o.band = 0.0;
  Stage sVdb;
  if (openVdbFull) sVdb = timed([&] { vdb = meshDistanceField(mesh, spec, o); });

  const std::size_t insideCount = std::size_t(std::count(inside.begin(), inside.end(), 1));
  auto line = [](const char* what, const Stage& s, const std::string& note) {
    std::printf("%-28s %8.3f s wall  %8.3f s CPU  peak RSS %7.1f MiB  %s\n", what, s.seconds, s.cpu,
                s.peakMiB, note.c_str());
  };
  char note[160];
  std::snprintf(note, sizeof note, "(%zu voxels inside: %.6g vs mesh volume %.6g)", insideCount,
                double(insideCount) * cell * cell * cell, check.volume);
  line("inside mask:", sInside, note);
  std::snprintf(note, sizeof note, "(%.0f voxels per CPU second)",
                double(spec.size()) / sExact.cpu);
  line("exact, every voxel:", sExact, note);
  line("exact, 3-voxel band:", sBand, "(" + std::to_string(band.activeCount) + " active)");
  line("OpenVDB, 3-voxel band:", sVdbBand, "(" + std::to_string(vdbBand.activeCount) + " active)");
  if (openVdbFull)
    line("OpenVDB, band over the box:", sVdb, "(" + std::to_string(vdb.activeCount) + " active)");

  // Exactness against brute force on random voxels.
  Rng rng = makeRng(20240613, 0);
  std::uniform_int_distribution<std::size_t> anyVoxel(0, spec.size() - 1);
  const std::size_t samples = quick ? 200 : 2000;
  double worstExact = 0.0;
  std::size_t signErrors = 0;
  for (std::size_t s = 0; s < samples; ++s) {
    const std::size_t n = anyVoxel(rng);
    const std::size_t i = n % spec.nx, j = n / spec.nx % spec.ny, k = n / (spec.nx * spec.ny);
    const Eigen::Vector3d p(spec.centreX(i), spec.centreY(j), spec.centreZ(k));
    double best = std::numeric_limits<double>::infinity();
    for (const auto& t : mesh.triangles)
      best = std::min(best, pointTriangleDistanceSquared(p, mesh.vertices[t[0]],
                                                         mesh.vertices[t[1]], mesh.vertices[t[2]]));
    best = std::sqrt(best);
    worstExact = std::max(worstExact, std::abs(std::abs(double(exact.values[n])) - best));
    signErrors += (exact.values[n] < 0.0f) != (inside[n] == 1);
    signErrors += (inside[n] == 1) != insideByObliqueRay(mesh, p);
  }
  // float32 storage: half an ulp of the largest distances.
  const double diagonal =
      (Eigen::Vector3d(double(spec.nx), double(spec.ny), double(spec.nz)) * cell).norm();
  std::printf(
      "exact vs brute force on %zu random voxels: largest difference %.3g units (float32 storage), "
      "%zu disagreements of sign, inside mask and an oblique brute-force ray\n",
      samples, worstExact, signErrors);

  // OpenVDB against the exact distances: within its band, and over the box when run.
  auto compare = [&](const MeshDistanceField& v, const char* what) {
    std::vector<double> diff;
    std::size_t signFlips = 0;
    for (std::size_t n = 0; n < spec.size(); ++n) {
      if (!v.active[n]) continue;
      diff.push_back(std::abs(double(v.values[n]) - double(exact.values[n])) / cell);
      signFlips += (v.values[n] < 0.0f) != (exact.values[n] < 0.0f);
    }
    std::printf(
        "OpenVDB vs exact, %s: largest %.4g voxels, 99th percentile %.4g voxels, %zu sign "
        "disagreements in %zu voxels\n",
        what, diff.empty() ? 0.0 : *std::max_element(diff.begin(), diff.end()),
        quantile(diff, 0.99), signFlips, diff.size());
  };
  compare(vdbBand, "3-voxel band");
  // Who is right where the signs differ: the oblique brute-force ray decides (first 100).
  std::size_t checked = 0, exactRight = 0;
  for (std::size_t n = 0; n < spec.size() && checked < 100; ++n) {
    if (!vdbBand.active[n] || (vdbBand.values[n] < 0.0f) == (exact.values[n] < 0.0f)) continue;
    const std::size_t i = n % spec.nx, j = n / spec.nx % spec.ny, k = n / (spec.nx * spec.ny);
    ++checked;
    exactRight += insideByObliqueRay(mesh, {spec.centreX(i), spec.centreY(j), spec.centreZ(k)}) ==
                  (exact.values[n] < 0.0f);
  }
  if (checked > 0)
    std::printf(
        "  of %zu voxels whose signs differ, the oblique brute-force ray agrees with the exact "
        "sign in %zu\n",
        checked, exactRight);
  if (openVdbFull) compare(vdb, "band over the box");
  bench::printLoadAverage();
  if (worstExact > 1e-6 * diagonal || signErrors > 0) {
    std::fprintf(stderr, "exact distances differ from brute force\n");
    return 1;
  }
  return 0;
}
