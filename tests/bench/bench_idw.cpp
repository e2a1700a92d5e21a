// IDW benchmark: orevox::idwGrid against gdal_grid invdistnn on the SSGSNet setting
// (7,326 stream-sediment samples x 14 elements gridded at 100 m). Prints the wall times,
// the speed-up and the agreement of every cell; exits 1 when a cell differs by more than
// 1e-4 relative or the nodata masks differ. `--quick`: 200 x 200 cells, 3 elements.
// `--keep`: leave the CSV, VRT and gdal_grid GeoTIFFs in the temporary folder.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "orevox/datasets/raster_io.hpp"
#include "orevox/core/error.hpp"
#include "orevox/geomodel/idw.hpp"
#include "orevox/core/runtime.hpp"

namespace fs = std::filesystem;

namespace {

// The 14 gold indicator elements of SSGSNet (table 3), with rough log-normal parameters
// (ln of a typical stream-sediment ppm value, and its log spread).
struct Element {
  const char* name;
  double logMedian;
  double logSpread;
};
const Element kElements[] = {{"Au", std::log(0.002), 1.2}, {"As", std::log(15.0), 0.9}, {"Sb", std::log(1.0), 1.0},
                             {"Hg", std::log(0.04), 0.8},  {"Cu", std::log(25.0), 0.6}, {"Pb", std::log(22.0), 0.5},
                             {"Zn", std::log(70.0), 0.4},  {"Bi", std::log(0.3), 0.8},  {"Sn", std::log(3.0), 0.6},
                             {"Mo", std::log(0.8), 0.7},   {"W", std::log(2.0), 0.9},   {"Co", std::log(12.0), 0.4},
                             {"Li", std::log(35.0), 0.5},  {"Ag", std::log(0.08), 0.9}};

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// OGR CSV source: the points with every element as a Real attribute, x / y as geometry.
void writeOgrSource(const orevox::SampleTable& samples, const std::vector<std::string>& fields, const fs::path& dir) {
  std::ofstream csv(dir / "samples.csv");
  std::ofstream csvt(dir / "samples.csvt");
  csv << "x,y";
  csvt << "Real,Real";
  for (const auto& f : fields) {
    csv << "," << f;
    csvt << ",Real";
  }
  csv << "\n";
  csvt << "\n";
  for (std::size_t i = 0; i < samples.size(); ++i) {
    csv << num(samples.x[i]) << "," << num(samples.y[i]);
    for (const auto& f : fields) csv << "," << num(samples.column(f).values[i]);
    csv << "\n";
  }
  std::ofstream vrt(dir / "samples.vrt");
  vrt << "<OGRVRTDataSource>\n  <OGRVRTLayer name=\"samples\">\n"
      << "    <SrcDataSource relativeToVRT=\"1\">samples.csv</SrcDataSource>\n"
      << "    <GeometryType>wkbPoint</GeometryType>\n"
      << "    <GeometryField encoding=\"PointFromColumns\" x=\"x\" y=\"y\"/>\n"
      << "  </OGRVRTLayer>\n</OGRVRTDataSource>\n";
  if (!csv || !csvt || !vrt) throw orevox::IoError("cannot write the gdal_grid input in " + dir.string());
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--quick") {
      quick = true;
    } else if (a == "--keep") {
      keep = true;
    } else {
      std::fprintf(stderr, "usage: bench_idw [--quick] [--keep]\n");
      return 2;
    }
  }
  try {
    orevox::Progress::setEnabled(false);
    const std::uint64_t seed = 2026;
    const std::size_t sampleCount = 7326;
    const std::size_t cells = quick ? 200 : 1000;
    const std::size_t elementCount = quick ? 3 : 14;
    // A 100 km x 100 km square in UTM-like coordinates.
    const double xmin = 400000.0, xmax = 500000.0, ymin = 3900000.0, ymax = 4000000.0;

    orevox::SampleTable samples;
    samples.source = "bench_idw (seed " + std::to_string(seed) + ")";
    orevox::Rng rng = orevox::makeRng(seed);
    std::uniform_real_distribution<double> ux(xmin, xmax), uy(ymin, ymax);
    for (std::size_t i = 0; i < sampleCount; ++i) {
      const double x = ux(rng);
      samples.addPoint(x, uy(rng));
    }
    std::vector<std::string> fields;
    for (std::size_t e = 0; e < elementCount; ++e) {
      const Element& el = kElements[e];
      fields.push_back(el.name);
      auto& col = samples.addColumn(el.name, 0.0, "ppm");
      std::lognormal_distribution<double> conc(el.logMedian, el.logSpread);
      for (auto& v : col.values) v = conc(rng);
    }

    // Same arithmetic as gdal_grid: cell size (max - min) / n, centres min + (i + 0.5) * size,
    // with -tye given north edge first so that the size is negative and the output north-up.
    orevox::GridSpec grid;
    grid.width = cells;
    grid.height = cells;
    grid.geoTransform = {xmin, (xmax - xmin) / double(cells), 0.0, ymax, 0.0, (ymin - ymax) / double(cells)};

    orevox::IdwOptions options;
    options.power = 2.0;
    options.neighbors = 12;
    options.radius = 5000.0;
    options.nodata = -9999.0f;

    std::printf("IDW benchmark: %zu samples x %zu elements -> %zu x %zu cells of %.0f m "
                "(power 2, 12 neighbours, radius 5000 m), %d threads\n",
                sampleCount, elementCount, cells, cells, grid.cellWidth(), orevox::threadCount());

    orevox::Stopwatch clock;
    const orevox::Raster ours = orevox::idwGrid(samples, fields, grid, options);
    const double orevoxSeconds = clock.seconds();
    std::printf("orevox idwGrid:          %8.3f s\n", orevoxSeconds);
    std::fflush(stdout);

    const fs::path dir = fs::temp_directory_path() / ("orevox_bench_idw_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    writeOgrSource(samples, fields, dir);

    double gdalSeconds = 0.0;
    for (const auto& f : fields) {
      const fs::path tif = dir / (f + ".tif");
      const std::string cmd = "gdal_grid -q -l samples -zfield " + f +
                              " -a invdistnn:power=2:max_points=12:radius=5000:nodata=-9999"
                              " -ot Float32 -of GTiff -txe " + num(xmin) + " " + num(xmax) + " -tye " + num(ymax) + " " +
                              num(ymin) + " -outsize " + std::to_string(cells) + " " + std::to_string(cells) + " '" +
                              (dir / "samples.vrt").string() + "' '" + tif.string() + "'";
      clock.restart();
      const int rc = std::system(cmd.c_str());
      gdalSeconds += clock.seconds();
      if (rc != 0) {
        std::fprintf(stderr, "bench_idw: gdal_grid failed (status %d): %s\n", rc, cmd.c_str());
        return 1;
      }
    }
    std::printf("gdal_grid (%zu runs):    %8.3f s\n", fields.size(), gdalSeconds);
    std::printf("speed-up:                %8.1fx\n", gdalSeconds / orevoxSeconds);

    double maxRel = 0.0;
    std::size_t beyond = 0, nodataDisagree = 0, nodataCells = 0, compared = 0;
    for (std::size_t b = 0; b < fields.size(); ++b) {
      const orevox::Raster theirs = orevox::readRaster((dir / (fields[b] + ".tif")).string());
      if (!theirs.grid().sameGrid(grid, 1e-9) || theirs.bandCount() != 1) {
        std::fprintf(stderr, "bench_idw: gdal_grid output for %s is not on the orevox grid\n", fields[b].c_str());
        return 1;
      }
      const auto& mine = ours.band(b).values;
      const auto& gdal = theirs.band(0).values;
      for (std::size_t i = 0; i < mine.size(); ++i) {
        const bool a = ours.isNodata(mine[i]), g = theirs.isNodata(gdal[i]);
        if (a != g) {
          ++nodataDisagree;
          continue;
        }
        if (a) {
          ++nodataCells;
          continue;
        }
        ++compared;
        const double rel = std::abs(double(mine[i]) - double(gdal[i])) /
                           std::max(std::abs(double(gdal[i])), std::numeric_limits<double>::min());
        maxRel = std::max(maxRel, rel);
        if (rel > 1e-4) ++beyond;
      }
    }
    std::printf("max relative difference: %.3g (cells beyond 1e-4: %zu of %zu; nodata cells: %zu, "
                "nodata disagreements: %zu)\n",
                maxRel, beyond, compared, nodataCells, nodataDisagree);

    if (keep) {
      std::printf("gdal_grid files kept in %s\n", dir.string().c_str());
    } else {
      fs::remove_all(dir);
    }
    if (beyond > 0 || nodataDisagree > 0) {
      std::fprintf(stderr, "bench_idw: orevox and gdal_grid disagree\n");
      return 1;
    }
    return 0;
  } catch (const orevox::Error& e) {
    std::fprintf(stderr, "bench_idw: %s\n", e.what());
    return e.exitCode();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_idw: %s\n", e.what());
    return 1;
  }
}
