#include "orevox/geomodel/synth3d.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>
#include <random>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/random_field.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox {

const char* const kSynth3dCrsWkt =
    "PROJCS[\"WGS 84 / UTM zone 51N\","
    "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,"
    "AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],"
    "PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],"
    "UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],"
    "AUTHORITY[\"EPSG\",\"4326\"]],"
    "PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],"
    "PARAMETER[\"central_meridian\",123],PARAMETER[\"scale_factor\",0.9996],"
    "PARAMETER[\"false_easting\",500000],PARAMETER[\"false_northing\",0],"
    "UNIT[\"metre\",1,AUTHORITY[\"EPSG\",\"9001\"]],"
    "AXIS[\"Easting\",EAST],AXIS[\"Northing\",NORTH],AUTHORITY[\"EPSG\",\"32651\"]]";

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kDeg = kPi / 180.0;

// The mineralisation law, shared by source and target (see docs/synthetic-districts.md).
constexpr double kFlexThreshold = 2.0;  // degrees / 100 m of down-dip flattening
constexpr double kFlexWidth = 0.8;
constexpr double kSecondaryReach = 80.0;         // m
constexpr double kGentleDip = 42.0;              // degrees
constexpr double kVeinHalfWidth = 15.0;          // m, footwall veins along secondary faults
constexpr double kAlteredAroundSecondary = 5.0;  // m
constexpr double kLatentSigma = 0.7;             // unobserved ln-noise of the ore potential
constexpr double kLatentLength = 25.0;           // m
constexpr double kOreThreshold = 0.45;
constexpr double kHaloNoiseLength = 60.0;  // m
constexpr double kReferenceSide = 2560.0;  // m, the default box side

// Random sub-streams of one deposit.
enum Stream : std::uint64_t {
  kFieldTopo0 = 1,
  kFieldTopo1 = 2,
  kFieldDip0 = 3,
  kFieldDip1 = 4,
  kFieldStrike = 5,
  kFieldAlteration = 6,
  kFieldGranite = 7,
  kFieldLatent = 8,
  kFieldHalo = 9,
  kStreamWhite = 10,
  kStreamSecondary = 11,
};

/// Geometry and feature parameters of one deposit; the target moves along `shift`.
struct DepositParams {
  double originX, originY;       // UTM 51N, m
  double surfaceElevation;       // mean topographic elevation, m
  double relief;                 // m
  double crossingDepthFraction;  // fault depth at the box centre, as a share of the box height
  double meanDip;                // degrees
  double undulationAmplitude;    // degrees
  double undulationWavelength;   // m, horizontal, down dip
  double undulationObliquity;    // radians between crests and strike (plunging ore shoots)
  double undulationPhase;
  double strikeDipAmplitude;      // degrees, random along-strike dip variation
  double alterationThickness;     // m, footwall
  double gougeThickness;          // m, hanging wall
  double graniteOffset;           // m, mean height of the granite contact above the fault
  double graniteOffsetAmplitude;  // m
  double haloBackground;          // log10 ppm Au
  double haloScale;               // log10 units at full favourability
};

// The deposit-level parameters are drawn once per seed and shared, so with shift = 0 the
// target comes from exactly the source's distribution (only the random fields, secondary
// faults and noise are new draws); `shift` then moves the target's parameters.
DepositParams drawParams(const Synth3dOptions& o, bool target) {
  Rng rng = makeRng(o.seed, 0);
  std::normal_distribution<double> n01(0.0, 1.0);
  std::uniform_real_distribution<double> u01(0.0, 1.0);
  const double s = target ? o.shift : 0.0;
  DepositParams p;
  p.originX = target ? 278500.0 : 271000.0;
  p.originY = target ? 4137500.0 : 4122000.0;
  p.surfaceElevation = 80.0 + 10.0 * n01(rng) + 100.0 * s;
  p.relief = 30.0 * std::exp(0.15 * n01(rng)) * (1.0 + 1.2 * s);
  p.crossingDepthFraction = 0.45 + 0.03 * n01(rng) + 0.12 * s;
  p.meanDip = 36.0 + 1.5 * n01(rng) + 12.0 * s;
  p.undulationAmplitude = 6.0 * std::exp(0.1 * n01(rng)) * (1.0 - 0.3 * s);
  p.undulationWavelength = 600.0 * std::exp(0.1 * n01(rng)) * (1.0 + 0.8 * s);
  p.undulationObliquity = (u01(rng) * 50.0 - 25.0) * kDeg;
  p.undulationPhase = u01(rng) * 2.0 * kPi;
  p.strikeDipAmplitude = 3.0;
  p.alterationThickness = 45.0 * std::exp(0.08 * n01(rng)) * (1.0 - 0.35 * s);
  p.gougeThickness = 10.0;
  p.graniteOffset = -40.0 + 5.0 * n01(rng) - 40.0 * s;
  p.graniteOffsetAmplitude = 35.0;
  p.haloBackground = -2.4 + 0.05 * n01(rng) + 0.5 * s;
  p.haloScale = 1.0 * std::exp(0.05 * n01(rng)) * (1.0 - 0.45 * s);
  return p;
}

/// A planar rectangular secondary fault.
struct Secondary {
  Eigen::Vector3d centre, eu, ev, ew;  // strike, down-dip, normal
  double halfLength, halfHeight;

  double distance(double x, double y, double z) const {
    const Eigen::Vector3d d(x - centre.x(), y - centre.y(), z - centre.z());
    const double u = std::max(0.0, std::abs(d.dot(eu)) - halfLength);
    const double v = std::max(0.0, std::abs(d.dot(ev)) - halfHeight);
    const double w = d.dot(ew);
    return std::sqrt(u * u + v * v + w * w);
  }
};

// Central-difference gradient of a column map (one-sided at the edges), per metre.
void gradient(const std::vector<double>& f, std::size_t nx, std::size_t ny, double cell,
              std::vector<double>& gx, std::vector<double>& gy) {
  gx.resize(f.size());
  gy.resize(f.size());
  for (std::size_t j = 0; j < ny; ++j) {
    for (std::size_t i = 0; i < nx; ++i) {
      const std::size_t i0 = i > 0 ? i - 1 : i, i1 = i + 1 < nx ? i + 1 : i;
      const std::size_t j0 = j > 0 ? j - 1 : j, j1 = j + 1 < ny ? j + 1 : j;
      gx[j * nx + i] = (f[j * nx + i1] - f[j * nx + i0]) / (double(i1 - i0) * cell);
      gy[j * nx + i] = (f[j1 * nx + i] - f[j0 * nx + i]) / (double(j1 - j0) * cell);
    }
  }
}

// Fault attributes read at a foot point: dip, dip change, undulation.
using FaultAttributes = std::array<double, 3>;

// Bilinear interpolation of the attribute map at local (x, y) metres, clamped to the map.
FaultAttributes bilinear(const std::vector<FaultAttributes>& f, std::size_t nx, std::size_t ny,
                         double cell, double x, double y) {
  const double fx = std::clamp(x / cell - 0.5, 0.0, double(nx - 1));
  const double fy = std::clamp(y / cell - 0.5, 0.0, double(ny - 1));
  const std::size_t i0 = std::min(std::size_t(fx), nx - 2), j0 = std::min(std::size_t(fy), ny - 2);
  const double tx = fx - double(i0), ty = fy - double(j0);
  const double w00 = (1.0 - tx) * (1.0 - ty), w10 = tx * (1.0 - ty), w01 = (1.0 - tx) * ty,
               w11 = tx * ty;
  const FaultAttributes& a = f[j0 * nx + i0];
  const FaultAttributes& b = f[j0 * nx + i0 + 1];
  const FaultAttributes& c = f[(j0 + 1) * nx + i0];
  const FaultAttributes& d = f[(j0 + 1) * nx + i0 + 1];
  FaultAttributes out;
  for (std::size_t m = 0; m < 3; ++m) out[m] = w00 * a[m] + w10 * b[m] + w01 * c[m] + w11 * d[m];
  return out;
}

double logistic(double t) { return 1.0 / (1.0 + std::exp(-t)); }

void checkOptions(const Synth3dOptions& o) {
  if (o.nx < 8 || o.ny < 8 || o.nz < 8) {
    throw UsageError("synth3d: the grid needs at least 8 voxels on each axis, got " +
                     std::to_string(o.nx) + " x " + std::to_string(o.ny) + " x " +
                     std::to_string(o.nz));
  }
  if (double(o.nx) * double(o.ny) * double(o.nz) > 1e9)
    throw UsageError("synth3d: more than 1e9 voxels requested");
  if (!(o.cell > 0.0) || !std::isfinite(o.cell)) {
    throw UsageError("synth3d: cell must be a positive number of metres, got " +
                     std::to_string(o.cell));
  }
  if (!(o.shift >= 0.0 && o.shift <= 1.0)) {
    throw UsageError("synth3d: shift must be in [0, 1], got " + std::to_string(o.shift));
  }
}

}  // namespace

Synth3dDeposit generateSynth3dDeposit(const Synth3dOptions& options, bool target) {
  checkOptions(options);
  const Synth3dOptions& o = options;
  const DepositParams prm = drawParams(o, target);
  const std::uint64_t seed = mixSeed(o.seed, target ? 2 : 1);
  const std::size_t nx = o.nx, ny = o.ny, nz = o.nz, columns = nx * ny;
  const double cell = o.cell;
  const double W = double(nx) * cell, D = double(ny) * cell, Z = double(nz) * cell;
  auto xAt = [&](std::size_t i) { return (double(i) + 0.5) * cell; };
  auto yAt = [&](std::size_t j) { return (double(j) + 0.5) * cell; };

  // Topography.
  std::vector<double> surface(columns);
  {
    const auto t0 =
        RandomField2D(1000.0, seed, kFieldTopo0).sampleLattice(nx, ny, xAt(0), yAt(0), cell, cell);
    const auto t1 =
        RandomField2D(300.0, seed, kFieldTopo1).sampleLattice(nx, ny, xAt(0), yAt(0), cell, cell);
    for (std::size_t c = 0; c < columns; ++c)
      surface[c] = prm.surfaceElevation + prm.relief * (0.8 * t0[c] + 0.6 * t1[c]);
  }
  const double top =
      (std::ceil(*std::max_element(surface.begin(), surface.end()) / cell) + 2.0) * cell;
  const double oz = top - Z;

  // Detachment fault as a height field z_f(x, y): integrate tan(dip) down dip (+x).
  std::vector<double> fault(columns);
  {
    const auto d0 =
        RandomField2D(500.0, seed, kFieldDip0).sampleLattice(nx, ny, xAt(0), yAt(0), cell, cell);
    const auto d1 =
        RandomField2D(150.0, seed, kFieldDip1).sampleLattice(nx, ny, xAt(0), yAt(0), cell, cell);
    const RandomField2D bend(700.0, seed, kFieldStrike);
    const double crossing =
        prm.surfaceElevation - prm.crossingDepthFraction * (prm.surfaceElevation - oz);
    const std::size_t ic = nx / 2;
    std::vector<double> tanDip(nx);
    for (std::size_t j = 0; j < ny; ++j) {
      const double y = yAt(j);
      for (std::size_t i = 0; i < nx; ++i) {
        const std::size_t c = j * nx + i;
        const double along = (xAt(i) - 0.5 * W) * std::cos(prm.undulationObliquity) +
                             y * std::sin(prm.undulationObliquity);
        double dip =
            prm.meanDip +
            prm.undulationAmplitude *
                std::sin(2.0 * kPi * along / prm.undulationWavelength + prm.undulationPhase) +
            prm.strikeDipAmplitude * d0[c] + 1.0 * d1[c];
        dip = std::clamp(dip, 10.0, 75.0);
        tanDip[i] = std::tan(dip * kDeg);
      }
      const double zRef = crossing + 25.0 * bend.at(0.5 * W, y);
      fault[j * nx + ic] = zRef;
      for (std::size_t i = ic + 1; i < nx; ++i)
        fault[j * nx + i] = fault[j * nx + i - 1] - 0.5 * (tanDip[i - 1] + tanDip[i]) * cell;
      for (std::size_t i = ic; i-- > 0;)
        fault[j * nx + i] = fault[j * nx + i + 1] + 0.5 * (tanDip[i] + tanDip[i + 1]) * cell;
    }
  }
  std::vector<double> gx, gy;
  gradient(fault, nx, ny, cell, gx, gy);
  std::vector<double> dipMap(columns), cosF(columns), footScale(columns), downX(columns),
      downY(columns);
  for (std::size_t c = 0; c < columns; ++c) {
    const double g = std::hypot(gx[c], gy[c]);
    dipMap[c] = std::atan(g) / kDeg;
    cosF[c] = 1.0 / std::sqrt(1.0 + g * g);
    footScale[c] = cosF[c] * g * cosF[c];  // cos(dip) * sin(dip)
    downX[c] = g > 0.0 ? -gx[c] / g : 1.0;
    downY[c] = g > 0.0 ? -gy[c] / g : 0.0;
  }
  std::vector<double> ddx, ddy;
  gradient(dipMap, nx, ny, cell, ddx, ddy);
  std::vector<double> dipChange(columns), undulation(columns);
  for (std::size_t c = 0; c < columns; ++c)
    dipChange[c] = (ddx[c] * downX[c] + ddy[c] * downY[c]) * cosF[c] * 100.0;
  {
    Eigen::Matrix3d ata = Eigen::Matrix3d::Zero();
    Eigen::Vector3d atb = Eigen::Vector3d::Zero();
    for (std::size_t j = 0; j < ny; ++j) {
      for (std::size_t i = 0; i < nx; ++i) {
        const Eigen::Vector3d a(1.0, xAt(i), yAt(j));
        ata += a * a.transpose();
        atb += a * fault[j * nx + i];
      }
    }
    const Eigen::Vector3d plane = ata.ldlt().solve(atb);
    for (std::size_t j = 0; j < ny; ++j) {
      for (std::size_t i = 0; i < nx; ++i) {
        undulation[j * nx + i] =
            fault[j * nx + i] - (plane[0] + plane[1] * xAt(i) + plane[2] * yAt(j));
      }
    }
  }

  std::vector<FaultAttributes> attributes(columns);
  for (std::size_t c = 0; c < columns; ++c)
    attributes[c] = {dipMap[c], dipChange[c], undulation[c]};

  // Alteration thickness, granite contact.
  std::vector<double> alteration(columns), granite(columns), cosG(columns);
  {
    const auto a = RandomField2D(300.0, seed, kFieldAlteration)
                       .sampleLattice(nx, ny, xAt(0), yAt(0), cell, cell);
    const auto g =
        RandomField2D(600.0, seed, kFieldGranite).sampleLattice(nx, ny, xAt(0), yAt(0), cell, cell);
    for (std::size_t c = 0; c < columns; ++c) {
      alteration[c] = prm.alterationThickness * std::exp(0.3 * a[c]);
      granite[c] = fault[c] + prm.graniteOffset + prm.graniteOffsetAmplitude * g[c];
    }
    std::vector<double> hx, hy;
    gradient(granite, nx, ny, cell, hx, hy);
    for (std::size_t c = 0; c < columns; ++c)
      cosG[c] = 1.0 / std::sqrt(1.0 + hx[c] * hx[c] + hy[c] * hy[c]);
  }

  // Secondary faults: steep planar splays in the footwall, centred below the detachment.
  std::vector<Secondary> secondaries;
  {
    Rng rng = makeRng(seed, kStreamSecondary);
    std::uniform_real_distribution<double> u01(0.0, 1.0);
    const double areaShare = W * D / (kReferenceSide * kReferenceSide);
    const int count = std::max(2, int(std::lround((4.0 + 3.0 * u01(rng)) * areaShare)));
    std::vector<std::size_t> inside;
    for (std::size_t c = 0; c < columns; ++c) {
      if (fault[c] > oz + 0.15 * Z && fault[c] < surface[c] - 0.1 * Z) inside.push_back(c);
    }
    for (int s = 0; s < count; ++s) {
      std::size_t c = std::size_t(u01(rng) * double(columns)) % columns;
      if (!inside.empty())
        c = inside[std::size_t(u01(rng) * double(inside.size())) % inside.size()];
      const double az = (u01(rng) * 80.0 - 40.0) * kDeg;
      const double dip = (60.0 + 25.0 * u01(rng)) * kDeg;
      const double side = u01(rng) < 0.5 ? -1.0 : 1.0;
      Secondary f;
      const double depthBelow = 30.0 + 170.0 * u01(rng);
      f.centre = Eigen::Vector3d(xAt(c % nx), yAt(c / nx), std::max(oz, fault[c] - depthBelow));
      f.eu = Eigen::Vector3d(std::sin(az), std::cos(az), 0.0);
      const Eigen::Vector3d nh(std::cos(az) * side, -std::sin(az) * side, 0.0);
      f.ev = (std::cos(dip) * nh + Eigen::Vector3d(0.0, 0.0, -std::sin(dip))).normalized();
      f.ew = f.eu.cross(f.ev).normalized();
      f.halfLength = 200.0 + 400.0 * u01(rng);
      f.halfHeight = 150.0 + 250.0 * u01(rng);
      secondaries.push_back(f);
    }
  }

  // Unobserved noise: the latent ore-potential field and the halo's own variation.
  const std::vector<float> latent =
      gaussianRandomField3D(nx, ny, nz, cell, kLatentLength, seed, kFieldLatent);
  const std::vector<float> haloNoise =
      gaussianRandomField3D(nx, ny, nz, cell, kHaloNoiseLength, seed, kFieldHalo);

  Synth3dDeposit out;
  out.name = target ? "target" : "source";
  VolumeSpec spec;
  spec.nx = nx;
  spec.ny = ny;
  spec.nz = nz;
  spec.origin = {prm.originX, prm.originY, oz};
  spec.spacing = {cell, cell, cell};
  spec.crsWkt = kSynth3dCrsWkt;
  out.volume = DenseVolume(spec);
  float* chFault = out.volume.addChannel("fault_distance", 0.0f, "m").values.data();
  float* chDip = out.volume.addChannel("fault_dip", 0.0f, "degrees").values.data();
  float* chDipChange = out.volume.addChannel("dip_change", 0.0f, "degrees/100 m").values.data();
  float* chUndulation = out.volume.addChannel("fault_undulation", 0.0f, "m").values.data();
  float* chGranite = out.volume.addChannel("granite_distance", 0.0f, "m").values.data();
  float* chSecondary = out.volume.addChannel("secondary_fault_distance", 0.0f, "m").values.data();
  float* chRock = out.volume.addChannel("rock_type", 0.0f, "").values.data();
  float* chHalo = out.volume.addChannel("halo", 0.0f, "log10 ppm").values.data();
  float* chOre = out.volume.addChannel("orebody", 0.0f, "").values.data();
  out.active.assign(spec.size(), 0);
  std::uint8_t* active = out.active.data();

  const double latentMeanShift = 0.5 * kLatentSigma * kLatentSigma;
  const std::uint64_t whiteSeed = mixSeed(seed, kStreamWhite);
  Progress progress("synth3d " + out.name, nz);
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, nz), [&](const tbb::blocked_range<std::size_t>& r) {
        // Unit-variance uniform white noise: it only adds a small analytical scatter to the halo.
        std::uniform_real_distribution<float> white(-1.7320508f, 1.7320508f);
        for (std::size_t k = r.begin(); k != r.end(); ++k) {
          Rng rng = makeRng(whiteSeed, k);
          const double z = oz + (double(k) + 0.5) * cell;
          for (std::size_t j = 0; j < ny; ++j) {
            const double y = yAt(j);
            for (std::size_t i = 0; i < nx; ++i) {
              const std::size_t c = j * nx + i;
              const std::size_t v = (k * ny + j) * nx + i;
              const float whiteNoise = white(rng);
              if (z >= surface[c]) continue;
              active[v] = 1;
              const double x = xAt(i);
              const double h = z - fault[c];
              const double fd = h * cosF[c];
              const double shiftH = h * footScale[c];
              const double fx = x - shiftH * downX[c], fy = y - shiftH * downY[c];
              const FaultAttributes at = bilinear(attributes, nx, ny, cell, fx, fy);
              const double dip = at[0], dc = at[1], und = at[2];
              const double hg = z - granite[c];
              const double dg = std::abs(hg) * cosG[c];
              double secd = 1e9;
              for (const auto& s : secondaries) secd = std::min(secd, s.distance(x, y, z));
              int rock = hg < 0.0 ? int(Synth3dRock::Granite) : int(Synth3dRock::Metamorphic);
              if ((fd >= -alteration[c] && fd <= prm.gougeThickness) ||
                  (fd < 0.0 && secd <= kAlteredAroundSecondary)) {
                rock = int(Synth3dRock::Alteration);
              }

              // Mineralisation law, on the channel values only (plus the unobserved latent field).
              double zone = 0.0;
              if (rock == int(Synth3dRock::Alteration))
                zone = fd <= 0.0 ? 1.0 : 0.35;
              else if (fd < 0.0)
                zone = 0.5 * std::exp(-(secd / kVeinHalfWidth) * (secd / kVeinHalfWidth));
              const double flex = logistic((-dc - kFlexThreshold) / kFlexWidth);
              const double sec = std::exp(-(secd / kSecondaryReach) * (secd / kSecondaryReach));
              const double gentle = logistic((kGentleDip - dip) / 3.0);
              const double favour = std::max({flex, 0.85 * sec, 0.4 * gentle});
              const double structure = 0.12 + 0.88 * favour;
              const double potential =
                  zone * structure * std::exp(kLatentSigma * latent[v] - latentMeanShift);
              const bool ore = potential > kOreThreshold;

              // Primary halo: broad around the fault zone, stronger where the structure is
              // favourable.
              const double diffuse =
                  fd <= 0.0 ? std::exp(-std::max(0.0, -fd - 20.0) / 120.0) : std::exp(-fd / 40.0);
              const double halo = prm.haloBackground +
                                  prm.haloScale * (diffuse * (0.3 + 0.7 * favour) +
                                                   0.6 * sec * (fd < 0.0 ? 1.0 : 0.0)) +
                                  0.3 * haloNoise[v] + 0.08 * whiteNoise;

              chFault[v] = float(fd);
              chDip[v] = float(dip);
              chDipChange[v] = float(dc);
              chUndulation[v] = float(und);
              chGranite[v] = float(dg);
              chSecondary[v] = float(secd);
              chRock[v] = float(rock);
              chHalo[v] = float(halo);
              chOre[v] = ore ? 1.0f : 0.0f;
            }
          }
          progress.advance();
        }
      });
  progress.finish();

  // Fault surface for display: a decimated mesh of the height field below the topography.
  {
    TriangleSurface& mesh = out.mainFault;
    mesh.name = out.name + " detachment fault";
    const std::size_t step = std::max<std::size_t>(1, std::min(nx, ny) / 64);
    std::vector<std::size_t> is, js;
    for (std::size_t i = 0; i < nx; i += step) is.push_back(i);
    if (is.back() != nx - 1) is.push_back(nx - 1);
    for (std::size_t j = 0; j < ny; j += step) js.push_back(j);
    if (js.back() != ny - 1) js.push_back(ny - 1);
    std::vector<int> id(is.size() * js.size(), -1);
    auto vertex = [&](std::size_t a, std::size_t b) {
      const std::size_t c = js[b] * nx + is[a];
      int& slot = id[b * is.size() + a];
      if (slot < 0) {
        slot = int(mesh.vertices.size());
        mesh.vertices.emplace_back(prm.originX + xAt(is[a]), prm.originY + yAt(js[b]), fault[c]);
      }
      return slot;
    };
    auto inside = [&](std::size_t a, std::size_t b) {
      const std::size_t c = js[b] * nx + is[a];
      return fault[c] >= oz && fault[c] <= surface[c];
    };
    for (std::size_t b = 0; b + 1 < js.size(); ++b) {
      for (std::size_t a = 0; a + 1 < is.size(); ++a) {
        if (inside(a, b) && inside(a + 1, b) && inside(a + 1, b + 1)) {
          mesh.triangles.push_back({vertex(a, b), vertex(a + 1, b), vertex(a + 1, b + 1)});
        }
        if (inside(a, b) && inside(a + 1, b + 1) && inside(a, b + 1)) {
          mesh.triangles.push_back({vertex(a, b), vertex(a + 1, b + 1), vertex(a, b + 1)});
        }
      }
    }
  }
  return out;
}

Synth3dPair generateSynth3d(const Synth3dOptions& options) {
  Synth3dPair pair;
  pair.options = options;
  pair.source = generateSynth3dDeposit(options, false);
  pair.target = generateSynth3dDeposit(options, true);
  return pair;
}

}  // namespace orevox
