// Rendering speed of the viz module, under Xvfb (`xvfb-run -a bench_render`):
//  1. offscreen render of a 256 x 256 x 128 prospectivity volume at 1600 x 1200 (volume
//     rendering, A/B/C isosurfaces at the 98th/95th/90th percentiles, two slices, axes,
//     scalar bar, legend): scene build time, and the render + PNG write time;
//  2. frames per second of the interactive viewer during a scripted 360-degree camera orbit
//     (volume down-sampled x2 and one ray per 3 x 3 pixels while moving), the full-resolution
//     still frame after it, and the same orbit without volume rendering.
// Where there is no GPU, Xvfb renders with Mesa's llvmpipe on the CPU cores: note the load.
//
//   bench_render           256 x 256 x 128 voxels, 1600 x 1200 pixels, 60-frame orbit
//   bench_render --quick   64 x 64 x 32 voxels, 400 x 300 pixels, 10 frames (CTest smoke run)
//
// The volume: a smooth random background (sums of random cosines, seed 1 via makeRng) plus
// three Gaussian ore shoots along a dipping plane, squashed to [0, 1]; the top 10 % of the
// box is air (inactive), as below a topographic surface.

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "orevox/core/runtime.hpp"
#include "orevox/viz/scene.hpp"
#include "orevox/voxel/voxel_model.hpp"

namespace {

orevox::VoxelModel prospectivityVolume(std::size_t nx, std::size_t ny, std::size_t nz) {
  orevox::VolumeSpec s;
  s.nx = nx;
  s.ny = ny;
  s.nz = nz;
  s.spacing = {10.0 * 256.0 / double(nx), 10.0 * 256.0 / double(nx), 10.0 * 128.0 / double(nz)};
  s.origin = {600000.0, 4100000.0, -1200.0};
  orevox::Rng rng = orevox::makeRng(1, 0);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  struct Wave {
    double kx, ky, kz, phase, amp;
  };
  std::vector<Wave> waves(12);
  for (auto& w : waves)
    w = {u(rng) * 0.004, u(rng) * 0.004, u(rng) * 0.006, u(rng) * 6.283, 0.15 + 0.1 * u(rng)};
  const double X = double(nx) * s.spacing[0], Y = double(ny) * s.spacing[1],
               Z = double(nz) * s.spacing[2];
  const double shoots[3][3] = {
      {0.3 * X, 0.4 * Y, 0.45 * Z}, {0.55 * X, 0.6 * Y, 0.35 * Z}, {0.75 * X, 0.3 * Y, 0.6 * Z}};
  std::vector<float> v(s.size());
  std::vector<std::uint8_t> active(s.size());
  for (std::size_t k = 0; k < nz; ++k)
    for (std::size_t j = 0; j < ny; ++j)
      for (std::size_t i = 0; i < nx; ++i) {
        const double x = (double(i) + 0.5) * s.spacing[0], y = (double(j) + 0.5) * s.spacing[1],
                     z = (double(k) + 0.5) * s.spacing[2];
        double f = -1.5;
        for (const auto& w : waves) f += w.amp * std::cos(w.kx * x + w.ky * y + w.kz * z + w.phase);
        for (const auto& c : shoots) {
          const double d2 = (x - c[0]) * (x - c[0]) / (0.01 * X * X) +
                            (y - c[1]) * (y - c[1]) / (0.04 * Y * Y) +
                            (z - c[2]) * (z - c[2]) / (0.01 * Z * Z);
          f += 3.5 * std::exp(-d2);
        }
        v[s.index(i, j, k)] = float(1.0 / (1.0 + std::exp(-2.0 * f)));
        active[s.index(i, j, k)] = k < nz - nz / 10;
      }
  orevox::VoxelModel m(s);
  m.setChannel("prospectivity", v, &active, "probability");
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const std::size_t nx = quick ? 64 : 256, ny = quick ? 64 : 256, nz = quick ? 32 : 128;
  const int w = quick ? 400 : 1600, h = quick ? 300 : 1200, frames = quick ? 10 : 60;
  orevox::Stopwatch watch;
  const orevox::VoxelModel model = prospectivityVolume(nx, ny, nz);
  std::printf("bench_render: %zu x %zu x %zu prospectivity volume built in %.2f s\n", nx, ny, nz,
              watch.seconds());

  orevox::SceneData data;
  data.volume = &model;
  orevox::SceneOptions o;
  o.width = w;
  o.height = h;
  o.defaultIso = true;
  o.slices = {0.5, 0.5, -1.0};
  const std::string png = (std::filesystem::temp_directory_path() /
                           ("orevox_bench_render_" + std::to_string(::getpid()) + ".png"))
                              .string();
  watch.restart();
  orevox::SceneSummary s = orevox::renderScenePng(data, o, png);
  const double first = watch.seconds();
  watch.restart();
  orevox::renderScenePng(data, o, png);
  const double second = watch.seconds();
  std::printf(
      "offscreen render %dx%d (scene build + first frame + PNG): %.2f s; again: %.2f s; iso levels "
      "A/B/C "
      "%.3f/%.3f/%.3f with %zu/%zu/%zu triangles\n",
      w, h, first, second, s.isoLevels[0], s.isoLevels[1], s.isoLevels[2], s.isoTriangles[0],
      s.isoTriangles[1], s.isoTriangles[2]);
  std::filesystem::remove(png);

  orevox::ViewerOptions v;
  v.scene = o;
  v.orbitFrames = frames;
  v.interactiveShrink = 2;
  watch.restart();
  const orevox::ViewerStats st = orevox::runViewer(data, v);
  std::printf(
      "viewer orbit %dx%d: %d frames in %.2f s = %.2f fps (coarse volume level while moving); "
      "full-resolution still frame %.3f s; total with scene build %.2f s\n",
      w, h, st.frames, st.seconds, st.fps, st.stillSeconds, watch.seconds());

  // The same orbit without volume rendering: what the isosurfaces, slices and annotations cost.
  v.scene.volumeRendering = false;
  v.orbitFrames = frames / 2;
  const orevox::ViewerStats geo = orevox::runViewer(data, v);
  std::printf(
      "viewer orbit without volume rendering (isosurfaces, slices, axes): %d frames in %.2f s = "
      "%.2f fps\n",
      geo.frames, geo.seconds, geo.fps);
  return st.frames == frames && geo.frames == frames / 2 ? 0 : 1;
}
