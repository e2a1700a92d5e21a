// Drillholes through a synth3d deposit: collars, curving surveys and truth-logged intervals.
#include "orevox/geomodel/drillholes_synth.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/geomodel/synth3d.hpp"

namespace orevox {

namespace {

// Random streams of the drilling, apart from synth3d's own (1..11); the target deposit's
// holes use the same streams + kTargetOffset.
enum Stream : std::uint64_t {
  kStreamHoleLayout = 1001,  // collar positions, azimuths and dips
  kStreamHoleSurvey = 1002,  // station-to-station drift
};
constexpr std::uint64_t kTargetOffset = 100;
constexpr double kPi = 3.14159265358979323846;

const char* rockName(int code) {
  switch (code) {
    case int(Synth3dRock::Granite):
      return "granite";
    case int(Synth3dRock::Metamorphic):
      return "metamorphic";
    case int(Synth3dRock::Alteration):
      return "alteration";
    default:
      return "";
  }
}

}  // namespace

SynthDrillholes synth3dDrillholes(const DenseVolume& volume,
                                  const std::vector<std::uint8_t>& active,
                                  const SynthDrillholeOptions& options, bool target) {
  const VolumeSpec& s = volume.spec();
  if (active.size() != s.size())
    throw UsageError("synth3dDrillholes: the active mask does not match the volume");
  const auto& rock = volume.channel("rock_type").values;
  const auto& halo = volume.channel("halo").values;
  const auto& ore = volume.channel("orebody").values;
  const double cell = std::min({s.spacing[0], s.spacing[1], s.spacing[2]});
  const double sampleLength = options.intervalLength > 0.0 ? options.intervalLength : 0.5 * cell;
  if (!(options.surveySpacing > 0.0))
    throw UsageError("synth3dDrillholes: survey spacing must be > 0");
  const double boxX = double(s.nx) * s.spacing[0], boxY = double(s.ny) * s.spacing[1],
               boxZ = double(s.nz) * s.spacing[2];
  const double maxDepth = options.maxDepth > 0.0 ? options.maxDepth : 4.0 * (boxX + boxY + boxZ);

  SynthDrillholes out;
  const std::string prefix = target ? "T" : "S";
  out.collars.file = prefix + "_collars";
  out.surveys.file = prefix + "_surveys";
  out.intervals.file = prefix + "_intervals";
  out.intervals.name = "intervals";
  out.collars.holeName = out.surveys.holeName = out.intervals.holeName = "HOLEID";
  out.collars.xName = "X";
  out.collars.yName = "Y";
  out.collars.zName = "Z";
  out.collars.depthName = "DEPTH";
  out.surveys.depthName = "AT";
  out.surveys.azimuthName = "AZ";
  out.surveys.dipName = "DIP";
  out.intervals.fromName = "FROM";
  out.intervals.toName = "TO";
  IntervalField rockField, haloField, oreField;
  rockField.name = "rock_type";
  rockField.categorical = true;
  for (int c = 1; c <= 3; ++c) rockField.categories.push_back(rockName(c));
  haloField.name = "halo";
  oreField.name = "orebody";

  const std::uint64_t offset = target ? kTargetOffset : 0;
  Rng layout = makeRng(options.seed, kStreamHoleLayout + offset);
  Rng drift = makeRng(options.seed, kStreamHoleSurvey + offset);
  std::uniform_real_distribution<double> u01(0.0, 1.0);
  std::normal_distribution<double> n01(0.0, 1.0);

  // Where a point lies: outside the box, in an air voxel or in a rock voxel (`index`).
  enum class Place { Outside, Air, Rock };
  auto placeOf = [&](const Eigen::Vector3d& p, std::size_t& index) {
    const double fi = std::floor((p.x() - s.origin[0]) / s.spacing[0]);
    const double fj = std::floor((p.y() - s.origin[1]) / s.spacing[1]);
    const double fk = std::floor((p.z() - s.origin[2]) / s.spacing[2]);
    if (fi < 0 || fj < 0 || fk < 0 || fi >= double(s.nx) || fj >= double(s.ny) ||
        fk >= double(s.nz))
      return Place::Outside;
    index = s.index(std::size_t(fi), std::size_t(fj), std::size_t(fk));
    return active[index] != 0 ? Place::Rock : Place::Air;
  };

  const int width = int(std::to_string(std::max<std::size_t>(options.holes, 1)).size());
  for (std::size_t n = 0; n < options.holes; ++n) {
    char id[32];
    std::snprintf(id, sizeof id, "%s%0*zu", prefix.c_str(), width, n + 1);
    Drillhole hole;
    hole.id = id;
    HoleTrajectory path;
    double x = 0, y = 0, z = 0, depth = 0.0;
    struct Sample {
      double from;
      std::size_t voxel;
    };
    std::vector<Sample> samples;
    // A collar over a column without rock, or a hole that never meets rock, is drawn again
    // (at most 100 times).
    for (int attempt = 0; attempt < 100 && samples.empty(); ++attempt) {
      // Collar: central 80 % of the box, on top of the rock column.
      x = s.origin[0] + (0.1 + 0.8 * u01(layout)) * boxX;
      y = s.origin[1] + (0.1 + 0.8 * u01(layout)) * boxY;
      const double azimuth0 = 270.0 + 40.0 * (u01(layout) - 0.5);
      const double dip0 = 55.0 + 20.0 * u01(layout);
      const std::size_t i = std::min(s.nx - 1, std::size_t((x - s.origin[0]) / s.spacing[0]));
      const std::size_t j = std::min(s.ny - 1, std::size_t((y - s.origin[1]) / s.spacing[1]));
      bool placed = false;
      for (std::size_t k = s.nz; k-- > 0 && !placed;) {
        if (active[s.index(i, j, k)]) {
          z = s.origin[2] + double(k + 1) * s.spacing[2];  // the top face of the highest rock voxel
          placed = true;
        }
      }
      if (!placed) continue;
      hole.x = x;
      hole.y = y;
      hole.z = z;
      hole.stations.clear();
      double az = azimuth0, dip = dip0;
      for (double at = 0.0; at <= maxDepth + 1e-9; at += options.surveySpacing) {
        hole.stations.push_back({at, std::fmod(az + 360.0, 360.0), dip, 0});
        dip = std::clamp(dip - 0.3 + 0.3 * n01(drift), 5.0, 89.0);
        az += 0.4 + 0.6 * n01(drift);
      }
      path = HoleTrajectory(hole, DesurveyMethod::MinimumCurvature);
      // Samples whose middle lies in the air above the rock (the voxelised topography next to
      // the collar) are not logged; the hole ends where it leaves the box or the rock.
      for (double from = 0.0; from + sampleLength <= maxDepth + 1e-9; from += sampleLength) {
        std::size_t v = 0;
        const Place place = placeOf(path.position(from + 0.5 * sampleLength), v);
        if (place == Place::Air && samples.empty()) continue;
        if (place != Place::Rock) break;
        samples.push_back({from, v});
        depth = from + sampleLength;
      }
    }
    if (samples.empty()) throw DataError("synth3dDrillholes: no hole position meets the rock");
    for (const Sample& sample : samples) {
      out.intervals.holeIds.push_back(hole.id);
      out.intervals.from.push_back(sample.from);
      out.intervals.to.push_back(sample.from + sampleLength);
      rockField.codes.push_back(std::int32_t(std::lround(rock[sample.voxel])) - 1);
      haloField.values.push_back(double(halo[sample.voxel]));
      oreField.values.push_back(double(ore[sample.voxel]));
    }
    out.collars.holeIds.push_back(hole.id);
    out.collars.x.push_back(x);
    out.collars.y.push_back(y);
    out.collars.z.push_back(z);
    out.collars.depth.push_back(depth);
    // The stations above the end of the hole, then one at the end with the direction there:
    // the arc to it is a piece of the arc the samples were placed on, so a desurvey of the
    // written survey retraces the same path.
    auto writeStation = [&](double at, double azimuth, double dipDown) {
      out.surveys.holeIds.push_back(hole.id);
      out.surveys.depth.push_back(at);
      out.surveys.azimuth.push_back(azimuth);
      out.surveys.dip.push_back(-dipDown);  // the down-negative convention of most exports
    };
    for (const auto& st : hole.stations)
      if (st.depth < depth) writeStation(st.depth, st.azimuth, st.dip);
    const Eigen::Vector3d d = path.direction(depth);
    const double endAzimuth = std::fmod(std::atan2(d.x(), d.y()) * 180.0 / kPi + 360.0, 360.0);
    writeStation(depth, endAzimuth, std::asin(std::clamp(-d.z(), -1.0, 1.0)) * 180.0 / kPi);
  }
  out.collars.lines.assign(out.collars.size(), 0);
  out.surveys.lines.assign(out.surveys.size(), 0);
  out.intervals.lines.assign(out.intervals.size(), 0);
  out.intervals.fields = {std::move(rockField), std::move(haloField), std::move(oreField)};
  return out;
}

}  // namespace orevox
