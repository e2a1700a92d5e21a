#include "orevox/geomodel/synth2d.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <numeric>
#include <queue>
#include <random>
#include <utility>

// Boost.Geometry's overlay code trips GCC's -Wmaybe-uninitialized false positives.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#ifndef BOOST_ALLOW_DEPRECATED_HEADERS
#define BOOST_ALLOW_DEPRECATED_HEADERS  // Boost 1.74's own geometry headers include deprecated ones
#endif
#include <boost/geometry/algorithms/correct.hpp>
#include <boost/geometry/algorithms/difference.hpp>
#include <boost/geometry/algorithms/intersection.hpp>
#include <boost/geometry/algorithms/union.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#pragma GCC diagnostic pop

#include "orevox/core/error.hpp"
#include "orevox/geomodel/random_field.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox {

const char* const kSynth2dCrsWkt =
    "PROJCS[\"WGS 84 / UTM zone 49N\","
    "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,"
    "AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],"
    "PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],"
    "UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],"
    "AUTHORITY[\"EPSG\",\"4326\"]],"
    "PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],"
    "PARAMETER[\"central_meridian\",111],PARAMETER[\"scale_factor\",0.9996],"
    "PARAMETER[\"false_easting\",500000],PARAMETER[\"false_northing\",0],"
    "UNIT[\"metre\",1,AUTHORITY[\"EPSG\",\"9001\"]],"
    "AXIS[\"Easting\",EAST],AXIS[\"Northing\",NORTH],AUTHORITY[\"EPSG\",\"32649\"]]";

namespace {

using Vec2 = Eigen::Vector2d;
constexpr double kPi = 3.14159265358979323846;
constexpr double kDeg = kPi / 180.0;

// ----------------------------------------------------------------------------------------
// Geochemical law. Element order of the Pangxidong survey.
constexpr std::size_t kElementCount = 16;
const std::array<const char*, kElementCount> kElementNames = {
    "Au", "B", "Sn", "Cu", "Ag", "Ba", "Mn", "Pb", "Zn", "As", "Sb", "Bi", "Hg", "Mo", "W", "F"};

struct ElementLaw {
  double median;        // ppm, regional stream-sediment background (South China order of magnitude)
  double spatialSigma;  // ln units, spatially correlated background variation
  double noiseSigma;    // ln units, sampling + analytical error (Au: nugget effect)
  double detectionLimit;           // ppm
  std::array<double, 3> loadings;  // on the common factors: mafic, felsic, clay/fine fraction
};

const std::array<ElementLaw, kElementCount> kLaw = {{
    /*Au*/ {0.0015, 0.45, 0.45, 0.0003, {0.4, 0.0, 0.2}},
    /*B */ {40.0, 0.35, 0.15, 5.0, {-0.2, 0.4, 0.4}},
    /*Sn*/ {4.0, 0.40, 0.15, 1.0, {-0.2, 0.7, 0.0}},
    /*Cu*/ {20.0, 0.35, 0.12, 1.0, {0.7, -0.1, 0.3}},
    /*Ag*/ {0.08, 0.35, 0.20, 0.02, {0.3, 0.1, 0.3}},
    /*Ba*/ {400.0, 0.30, 0.12, 50.0, {0.0, 0.1, 0.6}},
    /*Mn*/ {600.0, 0.40, 0.12, 30.0, {0.5, -0.1, 0.5}},
    /*Pb*/ {30.0, 0.30, 0.12, 2.0, {0.0, 0.4, 0.3}},
    /*Zn*/ {70.0, 0.30, 0.12, 10.0, {0.5, 0.1, 0.5}},
    /*As*/ {8.0, 0.50, 0.15, 1.0, {0.1, 0.0, 0.5}},
    /*Sb*/ {0.6, 0.45, 0.18, 0.2, {0.0, 0.0, 0.5}},
    /*Bi*/ {0.4, 0.45, 0.18, 0.1, {-0.1, 0.7, 0.1}},
    /*Hg*/ {0.05, 0.45, 0.25, 0.01, {0.0, 0.0, 0.4}},
    /*Mo*/ {0.8, 0.40, 0.18, 0.4, {0.1, 0.4, 0.4}},
    /*W */ {2.5, 0.40, 0.15, 0.4, {-0.2, 0.7, 0.0}},
    /*F */ {450.0, 0.30, 0.12, 100.0, {0.0, 0.5, 0.3}},
}};

constexpr std::size_t kLithCount = 5;  // codes 1..5 = index + 1
const std::array<const char*, kLithCount> kLithNames = {"granite", "sandstone", "carbonate",
                                                        "volcanic", "shale"};

// Background multiplier of each lithology over the regional median (rows: lithology).
const double kLithMultiplier[kLithCount][kElementCount] = {
    //   Au   B    Sn   Cu   Ag   Ba   Mn   Pb   Zn   As   Sb   Bi   Hg   Mo   W    F
    {0.8, 1.6, 3.0, 0.5, 0.9, 0.8, 0.6, 1.4, 0.8, 0.5, 0.6, 2.5, 0.7, 1.6, 3.0, 1.8},  // granite
    {1.0, 1.3, 0.8, 0.7, 0.8, 0.8, 0.6, 0.8, 0.7, 0.8, 0.9, 0.8, 0.8, 0.7, 0.8, 0.6},  // sandstone
    {0.8, 0.5, 0.6, 0.7, 1.2, 2.0, 2.2, 1.3, 1.6, 1.0, 1.2, 0.7, 1.3, 0.8, 0.6, 1.3},  // carbonate
    {1.5, 0.6, 0.8, 2.5, 1.2, 1.1, 1.5, 0.9, 1.4, 1.0, 0.9, 0.8, 0.9, 1.0, 0.7, 0.8},  // volcanic
    {1.2, 1.6, 1.0, 1.3, 1.3, 1.6, 1.4, 1.1, 1.3, 1.6, 1.4, 1.0, 1.5, 1.8, 1.0, 1.0},  // shale
};
// ln shift of the major-element matrix ("rest") per lithology: quartz (sandstone) and
// calcite (carbonate) dilute every trace element, which is what closure does to real data.
const double kRestShift[kLithCount] = {0.05, 0.25, 0.20, -0.10, -0.15};
// Relief (m) added to the topography: resistant rocks stand higher, carbonate is karstic.
const double kLithRelief[kLithCount] = {60.0, 40.0, -20.0, 30.0, 0.0};

// Peak enrichment factor at the centre of a deposit halo of strength 1, per association.
constexpr std::size_t kTypeCount = 3;
const double kAssociation[kTypeCount][kElementCount] = {
    // Au    B    Sn   Cu   Ag    Ba   Mn   Pb    Zn   As    Sb   Bi   Hg   Mo    W     F
    // Au-As-Sb-Hg
    {60.0, 1.0, 1.0, 1.2, 2.5, 1.0, 1.0, 1.5, 1.0, 10.0, 8.0, 1.5, 6.0, 1.0, 1.3, 1.0},
    // Cu-Mo-W
    {3.0, 1.2, 2.5, 8.0, 2.0, 1.0, 1.0, 1.3, 1.5, 1.5, 1.0, 5.0, 1.0, 12.0, 10.0, 2.0},
    // Pb-Zn-Ag
    {1.5, 1.0, 1.0, 1.8, 10.0, 2.0, 1.8, 12.0, 8.0, 2.5, 2.5, 1.5, 2.0, 1.0, 1.0, 1.0},
};
const double kTypeWeight[kTypeCount] = {0.40, 1.00, 0.25};
// Favourability of each lithology (column) for each association (row).
const double kTypeLithFavour[kTypeCount][kLithCount] = {
    {0.3, 0.8, 0.4, 0.9, 1.0},  // Au-As-Sb-Hg: structurally hosted in clastics and volcanics
    {1.0, 0.5, 1.0, 0.7, 0.5},  // Cu-Mo-W: granite cupolas and skarn in carbonate
    {0.2, 0.4, 1.0, 0.5, 0.7},  // Pb-Zn-Ag: carbonate replacement, shale
};
// Barren anomalies: no deposit behind them.
const double kAlterationOnly[kElementCount] = {1.3, 1.6, 1.0, 1.0, 1.2, 2.0, 1.0, 1.0,
                                               1.0, 4.0, 3.5, 1.0, 3.0, 1.0, 1.0, 1.5};
const double kBlackShale[kElementCount] = {1.2, 1.3, 1.0, 2.0, 2.5, 2.0, 1.0, 1.0,
                                           2.0, 3.0, 2.0, 1.0, 1.5, 5.0, 1.0, 1.0};
const double kGreisen[kElementCount] = {1.0, 3.0, 4.0, 1.0, 1.0, 1.0, 1.0, 1.0,
                                        1.0, 1.3, 1.0, 4.0, 1.0, 1.5, 4.0, 3.0};
const double kMnBaWad[kElementCount] = {1.0, 1.0, 1.0, 1.5, 1.0, 3.0, 5.0, 1.8,
                                        2.5, 1.5, 1.0, 1.0, 1.5, 1.0, 1.0, 1.0};
// Mobile pathfinders disperse further than the ore elements (halo zoning).
const bool kBroadHalo[kElementCount] = {false, true, false, false, false, true,  true,  false,
                                        false, true, true,  false, true,  false, false, true};
constexpr double kBroadFactor = 1.5;

// ----------------------------------------------------------------------------------------
// Structural law (metres).
constexpr double kMajorSigma = 600.0;         // damage zone of a major fault
constexpr double kSecondarySigma = 350.0;     // of a secondary fault
constexpr double kIntersectionSigma = 700.0;  // of a fault intersection
constexpr double kSecondaryWeight = 0.6;
constexpr double kIntersectionWeight = 2.0;
constexpr double kStructuralFloor = 0.05;  // background intensity away from structures
constexpr double kHiddenSigma = 0.45;      // unmapped controls (ln units)
constexpr double kHiddenLength = 2500.0;
constexpr double kContactOffset = 200.0;  // Cu-Mo-W peak just outside the granite contact
constexpr double kContactSigma = 1500.0;
constexpr double kDepositSpacing = 800.0;  // minimum distance between deposits
constexpr double kReferenceArea = 41000.0 * 41000.0;

// Drainage and sampling.
constexpr double kDrainageCell = 100.0;       // metres
constexpr double kStreamArea = 250000.0;      // m2 of catchment that starts a stream
constexpr double kDispersionLength = 1500.0;  // downstream decay of a dispersion train
constexpr double kCatchmentShare = 0.6;       // share of a sediment that comes from upstream

// Random streams: one per component, so changing one leaves the others unchanged.
enum Stream : std::uint64_t {
  kStreamLithology = 1,
  kStreamFaults = 2,
  kStreamDeposits = 3,
  kStreamAnomalies = 4,
  kStreamSites = 5,
  kStreamNoise = 6,
  kFieldFold = 100,
  kFieldDem0 = 110,  // 110..113
  kFieldDensity = 120,
  kFieldCover = 121,
  kFieldHidden = 122,
  kFieldDilution = 123,
  kFieldFactor0 = 130,   // 130..132
  kFieldElement0 = 140,  // 140..155
  kFieldBand0 = 200,     // one per stratigraphic band
  kFieldFault0 = 1000,   // one per fault trace
};

double logistic(double t) { return 1.0 / (1.0 + std::exp(-t)); }
double uniform(Rng& rng, double a, double b) {
  return std::uniform_real_distribution<double>(a, b)(rng);
}
double normal(Rng& rng) { return std::normal_distribution<double>(0.0, 1.0)(rng); }

// ----------------------------------------------------------------------------------------
// Lithology polygons.
namespace bg = boost::geometry;
using BPoint = bg::model::d2::point_xy<double>;
using BPolygon = bg::model::polygon<BPoint>;
using BMulti = bg::model::multi_polygon<BPolygon>;

BPolygon toBoost(const std::vector<Vec2>& ring) {
  BPolygon p;
  for (const auto& v : ring) p.outer().emplace_back(v.x(), v.y());
  bg::correct(p);
  return p;
}

std::vector<Vec2> fromBoostRing(const bg::model::ring<BPoint>& ring) {
  std::vector<Vec2> out;
  out.reserve(ring.size());
  for (const auto& p : ring) out.emplace_back(p.x(), p.y());
  if (out.size() > 1 && out.front() == out.back()) out.pop_back();
  return out;
}

Polygon fromBoost(const BPolygon& p, int code) {
  Polygon out;
  out.rings.push_back(fromBoostRing(p.outer()));
  for (const auto& inner : p.inners()) out.rings.push_back(fromBoostRing(inner));
  out.name = kLithNames[std::size_t(code - 1)];
  out.value = code;
  return out;
}

struct Lithology {
  PolygonSet polygons;
  std::vector<Extent> boxes;
  std::vector<std::vector<Vec2>> graniteRings;  // unclipped contacts, for distances

  int codeAt(double x, double y) const {
    for (std::size_t i = 0; i < polygons.size(); ++i) {
      if (boxes[i].contains(x, y) && polygons[i].contains(x, y)) return int(polygons[i].value);
    }
    return 0;
  }
  // Points on a shared edge may fall in no polygon; step off the edge.
  int codeNear(double x, double y) const {
    const double offsets[5][2] = {{0, 0}, {0.5, 0}, {-0.5, 0}, {0, 0.5}, {0, -0.5}};
    for (const auto& o : offsets) {
      const int c = codeAt(x + o[0], y + o[1]);
      if (c > 0) return c;
    }
    return int(Synth2dLithology::Sandstone);
  }
};

Lithology makeLithology(const Synth2dOptions& o, double areaScale) {
  Rng rng = makeRng(o.seed, kStreamLithology);
  const double W = o.width, H = o.height;
  // Strata strike NE (as in the Pangxidong area) and are gently folded.
  const double strike = uniform(rng, 30.0, 60.0) * kDeg;
  const Vec2 eu(std::sin(strike), std::cos(strike));
  const Vec2 ev(std::cos(strike), -std::sin(strike));
  double umin = 1e300, umax = -1e300, vmin = 1e300, vmax = -1e300;
  for (const Vec2& c : {Vec2(0, 0), Vec2(W, 0), Vec2(0, H), Vec2(W, H)}) {
    umin = std::min(umin, c.dot(eu));
    umax = std::max(umax, c.dot(eu));
    vmin = std::min(vmin, c.dot(ev));
    vmax = std::max(vmax, c.dot(ev));
  }
  const double scale = std::sqrt(areaScale);
  const double foldAmp = 1800.0 * scale, foldLength = uniform(rng, 14000.0, 24000.0) * scale;
  const double foldPhase = uniform(rng, 0.0, 2.0 * kPi);
  const RandomField2D foldField(6000.0 * scale, o.seed, kFieldFold);
  const double margin = 3000.0 * scale;
  const double step = std::max(50.0, 250.0 * scale);
  std::vector<double> us;
  for (double u = umin - margin; u < umax + margin + step; u += step) us.push_back(u);
  std::vector<double> base(us.size());
  for (std::size_t k = 0; k < us.size(); ++k) {
    base[k] = vmin - margin - 2.0 * foldAmp +
              foldAmp * std::sin(2.0 * kPi * us[k] / foldLength + foldPhase) +
              0.5 * foldAmp * foldField.at(us[k], 0.0);
  }
  auto toXY = [&](double u, double v) { return Vec2(u * eu + v * ev); };

  BMulti rect;
  rect.push_back(toBoost({Vec2(0, 0), Vec2(W, 0), Vec2(W, H), Vec2(0, H)}));

  // Granite plutons (elongated, lobate), merged where they overlap.
  const int plutonCount = 1 + int(std::uniform_int_distribution<int>(0, 9)(rng) >= 4) +
                          int(std::uniform_int_distribution<int>(0, 9)(rng) >= 8);
  BMulti granite;
  for (int p = 0; p < plutonCount; ++p) {
    const Vec2 c(uniform(rng, 0.1 * W, 0.9 * W), uniform(rng, 0.1 * H, 0.9 * H));
    const double r0 = uniform(rng, 4000.0, 7500.0) * scale;
    const double az = uniform(rng, 0.0, kPi);
    const double elong = uniform(rng, 1.0, 1.4);
    std::array<double, 7> a{}, ph{};
    for (int k = 2; k <= 6; ++k) {
      a[std::size_t(k)] = 0.18 / k * normal(rng);
      ph[std::size_t(k)] = uniform(rng, 0.0, 2.0 * kPi);
    }
    std::vector<Vec2> ring;
    const int n = 240;
    for (int t = 0; t < n; ++t) {
      const double th = 2.0 * kPi * t / n;
      double f = 1.0;
      for (int k = 2; k <= 6; ++k) f += a[std::size_t(k)] * std::cos(k * th + ph[std::size_t(k)]);
      const double r = r0 * std::max(0.35, f);
      const double lx = r * std::cos(th) * elong, ly = r * std::sin(th) / elong;
      ring.emplace_back(c.x() + lx * std::cos(az) - ly * std::sin(az),
                        c.y() + lx * std::sin(az) + ly * std::cos(az));
    }
    BMulti merged;
    bg::union_(granite, toBoost(ring), merged);
    granite = std::move(merged);
  }

  Lithology lith;
  for (const auto& g : granite) {
    lith.graniteRings.push_back(fromBoostRing(g.outer()));
    for (const auto& inner : g.inners()) lith.graniteRings.push_back(fromBoostRing(inner));
  }
  BMulti graniteIn;
  bg::intersection(granite, rect, graniteIn);
  for (const auto& g : graniteIn)
    lith.polygons.push_back(fromBoost(g, int(Synth2dLithology::Granite)));

  // Stratigraphic bands from the fold base line upward, until past the district.
  const int strata[4] = {int(Synth2dLithology::Sandstone), int(Synth2dLithology::Carbonate),
                         int(Synth2dLithology::Volcanic), int(Synth2dLithology::Shale)};
  int previous = 0;
  std::vector<double> lower = base;
  for (std::uint64_t band = 0; band < 200; ++band) {
    if (*std::min_element(lower.begin(), lower.end()) > vmax + margin) break;
    int code = previous;
    while (code == previous) code = strata[std::uniform_int_distribution<int>(0, 3)(rng)];
    previous = code;
    const double thickness = uniform(rng, 2500.0, 6500.0) * scale;
    const RandomField2D thick(5000.0 * scale, o.seed, kFieldBand0 + band);
    std::vector<double> upper(us.size());
    for (std::size_t k = 0; k < us.size(); ++k)
      upper[k] = lower[k] + thickness * std::exp(0.3 * thick.at(us[k], 0.0));
    std::vector<Vec2> ring;
    for (std::size_t k = 0; k < us.size(); ++k) ring.push_back(toXY(us[k], lower[k]));
    for (std::size_t k = us.size(); k-- > 0;) ring.push_back(toXY(us[k], upper[k]));
    BMulti inRect, outside;
    bg::intersection(toBoost(ring), rect, inRect);
    bg::difference(inRect, granite, outside);
    for (const auto& piece : outside) lith.polygons.push_back(fromBoost(piece, code));
    lower = std::move(upper);
  }
  for (const auto& p : lith.polygons) lith.boxes.push_back(p.extent());
  return lith;
}

/// Lithology code per cell centre of `grid`.
std::vector<std::uint8_t> lithologyGrid(const Lithology& lith, const GridSpec& grid) {
  std::vector<std::uint8_t> code(grid.size(), 0);
  for (const auto& poly : lith.polygons) {
    const auto inside = rasterizePolygons(PolygonSet{poly}, grid);
    for (std::size_t n = 0; n < inside.size(); ++n) {
      if (inside[n]) code[n] = static_cast<std::uint8_t>(poly.value);
    }
  }
  for (std::size_t row = 0; row < grid.height; ++row) {
    for (std::size_t col = 0; col < grid.width; ++col) {
      const std::size_t n = grid.index(col, row);
      if (code[n] == 0)
        code[n] = static_cast<std::uint8_t>(
            lith.codeNear(grid.centreX(double(col)), grid.centreY(double(row))));
    }
  }
  return code;
}

// ----------------------------------------------------------------------------------------
// Faults.
struct FaultTrace {
  std::vector<Vec2> points;
  bool major = false;
  std::string name;
};

struct Intersection {
  Vec2 point;
  double weight;
};

// Liang-Barsky: the part t0..t1 of segment a-b inside the extent.
bool clipSegment(const Vec2& a, const Vec2& b, const Extent& e, double& t0, double& t1) {
  t0 = 0.0;
  t1 = 1.0;
  const Vec2 d = b - a;
  const double p[4] = {-d.x(), d.x(), -d.y(), d.y()};
  const double q[4] = {a.x() - e.xmin, e.xmax - a.x(), a.y() - e.ymin, e.ymax - a.y()};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0.0) {
      if (q[i] < 0.0) return false;
      continue;
    }
    const double t = q[i] / p[i];
    if (p[i] < 0.0)
      t0 = std::max(t0, t);
    else
      t1 = std::min(t1, t);
  }
  return t0 < t1;
}

double polylineLength(const std::vector<Vec2>& pts) {
  double len = 0.0;
  for (std::size_t i = 1; i < pts.size(); ++i) len += (pts[i] - pts[i - 1]).norm();
  return len;
}

// The longest part of a polyline inside the extent.
std::vector<Vec2> clipToExtent(const std::vector<Vec2>& pts, const Extent& e) {
  std::vector<std::vector<Vec2>> runs;
  std::vector<Vec2> cur;
  for (std::size_t i = 1; i < pts.size(); ++i) {
    double t0 = 0.0, t1 = 0.0;
    if (!clipSegment(pts[i - 1], pts[i], e, t0, t1)) {
      if (cur.size() >= 2) runs.push_back(cur);
      cur.clear();
      continue;
    }
    const Vec2 d = pts[i] - pts[i - 1];
    if (cur.empty()) cur.push_back(pts[i - 1] + t0 * d);
    cur.push_back(pts[i - 1] + t1 * d);
    if (t1 < 1.0) {
      if (cur.size() >= 2) runs.push_back(cur);
      cur.clear();
    }
  }
  if (cur.size() >= 2) runs.push_back(cur);
  std::vector<Vec2> best;
  double bestLen = 0.0;
  for (auto& r : runs) {
    const double len = polylineLength(r);
    if (len > bestLen) {
      bestLen = len;
      best = std::move(r);
    }
  }
  return best;
}

// A gently curving trace: heading = az0 + amp * (1D random function of the arc length).
std::vector<Vec2> traceFault(const Vec2& start, double az0, double lengthBack, double lengthForward,
                             double step, const RandomField2D& wander, double amp) {
  std::vector<Vec2> back, fwd;
  Vec2 p = start;
  for (double s = 0.0; s < lengthForward; s += step) {
    const double az = az0 + amp * wander.at(s, 0.0);
    p += step * Vec2(std::sin(az), std::cos(az));
    fwd.push_back(p);
  }
  p = start;
  for (double s = 0.0; s < lengthBack; s += step) {
    const double az = az0 + amp * wander.at(-s, 0.0);
    p -= step * Vec2(std::sin(az), std::cos(az));
    back.push_back(p);
  }
  std::vector<Vec2> out(back.rbegin(), back.rend());
  out.push_back(start);
  out.insert(out.end(), fwd.begin(), fwd.end());
  return out;
}

std::vector<FaultTrace> makeFaults(const Synth2dOptions& o, double areaScale) {
  Rng rng = makeRng(o.seed, kStreamFaults);
  const Extent ext{0.0, 0.0, o.width, o.height, true};
  const double scale = std::sqrt(areaScale);
  const double span = 1.5 * (o.width + o.height);
  std::vector<FaultTrace> faults;
  std::uint64_t fieldId = kFieldFault0;

  const int majorCount = 3 + int(uniform(rng, 0.0, 1.0) < 0.5);
  for (int m = 0; m < majorCount; ++m) {
    // NE-trending majors plus one NW-trending cross fault.
    const bool crossFault = m == majorCount - 1;
    const double az = (crossFault ? uniform(rng, 115.0, 155.0) : uniform(rng, 25.0, 65.0)) * kDeg;
    const Vec2 p0(uniform(rng, 0.1 * o.width, 0.9 * o.width),
                  uniform(rng, 0.1 * o.height, 0.9 * o.height));
    const RandomField2D wander(8000.0 * scale, o.seed, fieldId++);
    FaultTrace f;
    f.points = clipToExtent(
        traceFault(p0, az, span, span, std::max(50.0, 400.0 * scale), wander, 10.0 * kDeg), ext);
    f.major = true;
    f.name = "F" + std::to_string(m + 1);
    if (f.points.size() >= 2) faults.push_back(std::move(f));
  }
  const std::size_t majors = faults.size();

  const int secondaryCount = std::max(4, int(std::lround(uniform(rng, 30.0, 45.0) * areaScale)));
  for (int s = 0; s < secondaryCount; ++s) {
    const double length = std::clamp(4000.0 * std::exp(0.5 * normal(rng)), 1200.0, 15000.0) * scale;
    const RandomField2D wander(2500.0 * scale, o.seed, fieldId++);
    const double step = std::max(25.0, 250.0 * scale);
    std::vector<Vec2> pts;
    if (majors > 0 && uniform(rng, 0.0, 1.0) < 0.5) {
      // Splay branching off a major fault (so the two intersect).
      const auto& host =
          faults[std::size_t(std::uniform_int_distribution<std::size_t>(0, majors - 1)(rng))]
              .points;
      const std::size_t k = std::uniform_int_distribution<std::size_t>(0, host.size() - 2)(rng);
      const Vec2 dir = host[k + 1] - host[k];
      const Vec2 at = host[k] + uniform(rng, 0.0, 1.0) * dir;
      double az = std::atan2(dir.x(), dir.y()) +
                  (uniform(rng, 0.0, 1.0) < 0.5 ? -1.0 : 1.0) * uniform(rng, 25.0, 65.0) * kDeg;
      if (uniform(rng, 0.0, 1.0) < 0.5) az += kPi;
      const Vec2 start = at - 60.0 * Vec2(std::sin(az), std::cos(az));
      pts = traceFault(start, az, 0.0, length, step, wander, 12.0 * kDeg);
    } else {
      const double pick = uniform(rng, 0.0, 1.0);
      double az = 0.0;
      if (pick < 0.4)
        az = 45.0 + 15.0 * normal(rng);  // NE set
      else if (pick < 0.75)
        az = 135.0 + 15.0 * normal(rng);  // NW set
      else if (pick < 0.9)
        az = 90.0 + 10.0 * normal(rng);  // E-W set
      else
        az = 160.0 + 10.0 * normal(rng);  // NNW set
      const Vec2 start(uniform(rng, 0.0, o.width), uniform(rng, 0.0, o.height));
      pts = traceFault(start, az * kDeg, 0.5 * length, 0.5 * length, step, wander, 12.0 * kDeg);
    }
    FaultTrace f;
    f.points = clipToExtent(pts, ext);
    f.major = false;
    char name[32];
    std::snprintf(name, sizeof name, "f%02d", s + 1);
    f.name = name;
    if (f.points.size() >= 2 && polylineLength(f.points) >= 500.0 * scale)
      faults.push_back(std::move(f));
  }
  return faults;
}

std::vector<Intersection> faultIntersections(const std::vector<FaultTrace>& faults) {
  std::vector<Intersection> out;
  auto cross = [](const Vec2& a, const Vec2& b) { return a.x() * b.y() - a.y() * b.x(); };
  for (std::size_t a = 0; a < faults.size(); ++a) {
    for (std::size_t b = a + 1; b < faults.size(); ++b) {
      const double w = faults[a].major && faults[b].major
                           ? 1.0
                           : (faults[a].major || faults[b].major ? 0.7 : 0.45);
      const std::size_t first = out.size();
      const auto& pa = faults[a].points;
      const auto& pb = faults[b].points;
      for (std::size_t i = 1; i < pa.size(); ++i) {
        const Vec2 r = pa[i] - pa[i - 1];
        for (std::size_t j = 1; j < pb.size(); ++j) {
          const Vec2 s = pb[j] - pb[j - 1];
          const double den = cross(r, s);
          if (den == 0.0) continue;
          const Vec2 qp = pb[j - 1] - pa[i - 1];
          const double t = cross(qp, s) / den, u = cross(qp, r) / den;
          if (t < 0.0 || t > 1.0 || u < 0.0 || u > 1.0) continue;
          const Vec2 x = pa[i - 1] + t * r;
          bool duplicate = false;
          for (std::size_t k = first; k < out.size(); ++k)
            duplicate = duplicate || (out[k].point - x).norm() < 50.0;
          if (!duplicate) out.push_back({x, w});
        }
      }
    }
  }
  return out;
}

// dist[n] = min(dist[n], distance from cell centre n to the polyline), within `cutoff`.
void sweepDistance(const GridSpec& g, const std::vector<Vec2>& pts, double cutoff,
                   std::vector<float>& dist) {
  for (std::size_t i = 1; i < pts.size(); ++i) {
    const Vec2& a = pts[i - 1];
    const Vec2& b = pts[i];
    const long c0 = std::max(0L, long(std::floor(g.pixelX(std::min(a.x(), b.x()) - cutoff))));
    const long c1 =
        std::min(long(g.width) - 1, long(std::floor(g.pixelX(std::max(a.x(), b.x()) + cutoff))));
    const long r0 = std::max(0L, long(std::floor(g.pixelY(std::max(a.y(), b.y()) + cutoff))));
    const long r1 =
        std::min(long(g.height) - 1, long(std::floor(g.pixelY(std::min(a.y(), b.y()) - cutoff))));
    for (long row = r0; row <= r1; ++row) {
      const double y = g.centreY(double(row));
      for (long col = c0; col <= c1; ++col) {
        const double d = distanceToSegment(Vec2(g.centreX(double(col)), y), a, b);
        float& slot = dist[g.index(std::size_t(col), std::size_t(row))];
        if (d < slot) slot = float(d);
      }
    }
  }
}

// Nearest fault segment to p: its unit direction.
Vec2 nearestFaultDirection(const std::vector<FaultTrace>& faults, const Vec2& p) {
  double best = std::numeric_limits<double>::infinity();
  Vec2 dir(1.0, 0.0);
  for (const auto& f : faults) {
    for (std::size_t i = 1; i < f.points.size(); ++i) {
      const double d = distanceToSegment(p, f.points[i - 1], f.points[i]);
      if (d < best && (f.points[i] - f.points[i - 1]).norm() > 0.0) {
        best = d;
        dir = (f.points[i] - f.points[i - 1]).normalized();
      }
    }
  }
  return dir;
}

// ----------------------------------------------------------------------------------------
// Mineralisation intensity on a grid.
struct IntensityModel {
  std::vector<std::uint8_t> lith;
  std::vector<float> structure;   // S: fault and intersection proximity
  std::vector<float> contact;     // signed distance to the granite contact (+ outside)
  std::vector<float> hidden;      // unmapped-control random field
  std::vector<double> intensity;  // lambda

  double typeIntensity(std::size_t type, std::size_t n) const {
    const std::size_t l = std::size_t(lith[n]) - 1;
    double v = kTypeLithFavour[type][l] * (kStructuralFloor + structure[n]);
    if (type == 1) {
      const double d = contact[n] - kContactOffset;
      v *= std::exp(-d * d / (2.0 * kContactSigma * kContactSigma));
    }
    return v * std::exp(kHiddenSigma * hidden[n] - 0.5 * kHiddenSigma * kHiddenSigma);
  }
};

IntensityModel makeIntensity(const Synth2dOptions& o, const GridSpec& grid, const Lithology& lith,
                             const std::vector<FaultTrace>& faults,
                             const std::vector<Intersection>& crossings, double areaScale) {
  IntensityModel m;
  m.lith = lithologyGrid(lith, grid);
  const std::size_t n = grid.size();
  std::vector<float> dMajor(n, float(4.0 * kMajorSigma)),
      dSecondary(n, float(4.0 * kSecondarySigma));
  for (const auto& f : faults) {
    if (f.major)
      sweepDistance(grid, f.points, 4.0 * kMajorSigma, dMajor);
    else
      sweepDistance(grid, f.points, 4.0 * kSecondarySigma, dSecondary);
  }
  const double contactCut = 6.0 * kContactSigma;
  std::vector<float> dContact(n, float(contactCut));
  for (const auto& ring : lith.graniteRings) {
    std::vector<Vec2> closed = ring;
    closed.push_back(ring.front());
    sweepDistance(grid, closed, contactCut, dContact);
  }
  m.structure.resize(n);
  m.contact.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    const double a = dMajor[k] / kMajorSigma, b = dSecondary[k] / kSecondarySigma;
    m.structure[k] = float(std::exp(-0.5 * a * a) + kSecondaryWeight * std::exp(-0.5 * b * b));
    m.contact[k] =
        m.lith[k] == std::uint8_t(Synth2dLithology::Granite) ? -dContact[k] : dContact[k];
  }
  const double cut = 4.0 * kIntersectionSigma;
  for (const auto& c : crossings) {
    const long c0 = std::max(0L, long(std::floor(grid.pixelX(c.point.x() - cut))));
    const long c1 =
        std::min(long(grid.width) - 1, long(std::floor(grid.pixelX(c.point.x() + cut))));
    const long r0 = std::max(0L, long(std::floor(grid.pixelY(c.point.y() + cut))));
    const long r1 =
        std::min(long(grid.height) - 1, long(std::floor(grid.pixelY(c.point.y() - cut))));
    for (long row = r0; row <= r1; ++row) {
      for (long col = c0; col <= c1; ++col) {
        const double dx = grid.centreX(double(col)) - c.point.x(),
                     dy = grid.centreY(double(row)) - c.point.y();
        const double q = (dx * dx + dy * dy) / (kIntersectionSigma * kIntersectionSigma);
        m.structure[grid.index(std::size_t(col), std::size_t(row))] +=
            float(kIntersectionWeight * c.weight * std::exp(-0.5 * q));
      }
    }
  }
  m.hidden =
      RandomField2D(kHiddenLength * std::sqrt(areaScale), o.seed, kFieldHidden).sampleGrid(grid);
  m.intensity.resize(n);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t k = r.begin(); k != r.end(); ++k) {
                        double v = 0.0;
                        for (std::size_t t = 0; t < kTypeCount; ++t)
                          v += kTypeWeight[t] * m.typeIntensity(t, k);
                        m.intensity[k] = v;
                      }
                    });
  return m;
}

// Draws cells with probability proportional to `weight`, uniformly jittered inside the cell.
class CellSampler {
 public:
  CellSampler(const GridSpec& grid, const std::vector<double>& weight)
      : grid_(grid), cdf_(weight.size()) {
    double acc = 0.0;
    for (std::size_t k = 0; k < weight.size(); ++k) cdf_[k] = acc += std::max(0.0, weight[k]);
  }
  bool empty() const { return cdf_.empty() || !(cdf_.back() > 0.0); }
  Vec2 draw(Rng& rng, std::size_t& cell) const {
    const double u = uniform(rng, 0.0, cdf_.back());
    cell = std::min<std::size_t>(
        std::size_t(std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin()), cdf_.size() - 1);
    const std::size_t col = cell % grid_.width, row = cell / grid_.width;
    return Vec2(grid_.centreX(double(col) + uniform(rng, -0.5, 0.5)),
                grid_.centreY(double(row) + uniform(rng, -0.5, 0.5)));
  }

 private:
  const GridSpec& grid_;
  std::vector<double> cdf_;
};

// ----------------------------------------------------------------------------------------
// Halos: anisotropic Gaussian enrichment, elongated along the controlling fault.
struct Halo {
  Vec2 centre;
  Vec2 axis;                              // unit, long axis
  double ru;                              // m, along axis
  double rv;                              // m, across
  std::array<double, kElementCount> amp;  // peak enrichment - 1 (already scaled by strength)

  double reach() const { return 5.0 * kBroadFactor * std::max(ru, rv); }
  // Adds the enrichment at p into e (one entry per element).
  template <typename Out>
  void addAt(const Vec2& p, Out&& e) const {
    const Vec2 d = p - centre;
    const double u = d.dot(axis) / ru, v = (d.x() * -axis.y() + d.y() * axis.x()) / rv;
    const double q = u * u + v * v;
    if (q > 25.0 * kBroadFactor * kBroadFactor) return;
    const double k1 = std::exp(-0.5 * q), kb = std::exp(-0.5 * q / (kBroadFactor * kBroadFactor));
    for (std::size_t el = 0; el < kElementCount; ++el) e(el, amp[el] * (kBroadHalo[el] ? kb : k1));
  }
};

Halo makeHalo(const Vec2& centre, const Vec2& axis, double radius, double aspect,
              const double* association, double strength) {
  Halo h;
  h.centre = centre;
  h.axis = axis;
  h.ru = radius * std::sqrt(aspect);
  h.rv = radius / std::sqrt(aspect);
  for (std::size_t e = 0; e < kElementCount; ++e) h.amp[e] = (association[e] - 1.0) * strength;
  return h;
}

// ----------------------------------------------------------------------------------------
// Topography and drainage (priority flood, Barnes et al. 2014, breaching rather than filling).
struct Drainage {
  GridSpec grid;
  std::vector<float> elevation;
  std::vector<std::int64_t> receiver;  // -1 at outlets
  std::vector<std::size_t> order;      // outlets first, every cell after its receiver
  std::vector<std::uint32_t> accumulation;
};

Drainage makeDrainage(const Synth2dOptions& o, const Lithology& lith, double areaScale) {
  Drainage d;
  const double cell = std::max(kDrainageCell, std::sqrt(o.width * o.height / 4.0e6));
  d.grid = GridSpec::fromExtent(Extent{0.0, 0.0, o.width, o.height, true}, cell, kSynth2dCrsWkt);
  const GridSpec& g = d.grid;
  const std::size_t n = g.size();
  const auto code = lithologyGrid(lith, g);
  const double scale = std::sqrt(areaScale);
  const auto f0 = RandomField2D(9000.0 * scale, o.seed, kFieldDem0).sampleGrid(g);
  const auto f1 = RandomField2D(3000.0 * scale, o.seed, kFieldDem0 + 1).sampleGrid(g);
  const auto f2 = RandomField2D(900.0 * scale, o.seed, kFieldDem0 + 2).sampleGrid(g);
  const auto f3 = RandomField2D(350.0 * scale, o.seed, kFieldDem0 + 3).sampleGrid(g);
  Rng rng = makeRng(o.seed, kStreamSites);
  const double tiltAz = uniform(rng, 0.0, 2.0 * kPi);
  const Vec2 tilt(std::sin(tiltAz), std::cos(tiltAz));
  d.elevation.resize(n);
  for (std::size_t row = 0; row < g.height; ++row) {
    for (std::size_t col = 0; col < g.width; ++col) {
      const std::size_t k = g.index(col, row);
      const Vec2 p(g.centreX(double(col)) - 0.5 * o.width, g.centreY(double(row)) - 0.5 * o.height);
      d.elevation[k] = float(250.0 + 0.004 * p.dot(tilt) + 120.0 * f0[k] + 60.0 * f1[k] +
                             30.0 * f2[k] + 12.0 * f3[k] + kLithRelief[code[k] - 1]);
    }
  }
  // Priority flood from the border keyed on the unfilled elevation: every cell drains to the
  // neighbour it was reached from, so depressions are breached by a channel through their
  // spill point instead of being filled into flat lakes (whose breadth-first drainage trees
  // would turn every lake cell into a stream).
  using Item = std::pair<double, std::size_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> open;
  std::vector<std::uint8_t> seen(n, 0);
  d.receiver.assign(n, -1);
  d.order.reserve(n);
  for (std::size_t row = 0; row < g.height; ++row) {
    for (std::size_t col = 0; col < g.width; ++col) {
      if (row == 0 || col == 0 || row + 1 == g.height || col + 1 == g.width) {
        const std::size_t k = g.index(col, row);
        seen[k] = 1;
        open.emplace(double(d.elevation[k]), k);
      }
    }
  }
  while (!open.empty()) {
    const std::size_t c = open.top().second;
    open.pop();
    d.order.push_back(c);
    const long col = long(c % g.width), row = long(c / g.width);
    for (int dr = -1; dr <= 1; ++dr) {
      for (int dc = -1; dc <= 1; ++dc) {
        const long nc = col + dc, nr = row + dr;
        if ((dr == 0 && dc == 0) || nc < 0 || nr < 0 || nc >= long(g.width) || nr >= long(g.height))
          continue;
        const std::size_t k = g.index(std::size_t(nc), std::size_t(nr));
        if (seen[k]) continue;
        seen[k] = 1;
        d.receiver[k] = std::int64_t(c);
        open.emplace(double(d.elevation[k]), k);
      }
    }
  }
  d.accumulation.assign(n, 1);
  for (std::size_t i = d.order.size(); i-- > 0;) {
    const std::size_t c = d.order[i];
    if (d.receiver[c] >= 0) d.accumulation[std::size_t(d.receiver[c])] += d.accumulation[c];
  }
  return d;
}

// Stream-sediment sites: weighted random order over stream cells, greedy minimum spacing,
// relaxed in passes until sampleCount sites are placed.
std::vector<Vec2> placeSites(const Synth2dOptions& o, const Drainage& d, double areaScale) {
  const GridSpec& g = d.grid;
  const std::size_t n = g.size();
  const double cell = g.cellWidth();
  const double threshold = std::max(2.0, kStreamArea / (cell * cell));
  const auto density =
      RandomField2D(5000.0 * std::sqrt(areaScale), o.seed, kFieldDensity).sampleGrid(g);
  Rng rng = makeRng(o.seed, kStreamSites + 100);
  std::vector<std::pair<double, std::size_t>> streamKeys, allKeys;
  for (std::size_t k = 0; k < n; ++k) {
    const double acc = double(d.accumulation[k]);
    // Surveys sample low-order streams preferentially; sampling intensity varies by block.
    const double w =
        std::exp(0.35 * density[k]) * std::pow(threshold / std::max(acc, threshold), 0.3);
    const double key = std::log(uniform(rng, 1e-300, 1.0)) / w;  // Efraimidis-Spirakis
    allKeys.emplace_back(key, k);
    if (acc >= threshold) streamKeys.emplace_back(key, k);
  }
  auto byKey = [](const auto& a, const auto& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  };
  std::sort(streamKeys.begin(), streamKeys.end(), byKey);
  std::sort(allKeys.begin(), allKeys.end(), byKey);

  const double spacing = 0.5 * std::sqrt(o.width * o.height / double(o.sampleCount));
  const double bucket = std::max(spacing, 1.0);
  const std::size_t bw = std::size_t(std::ceil(o.width / bucket)) + 1,
                    bh = std::size_t(std::ceil(o.height / bucket)) + 1;
  std::vector<std::vector<std::size_t>> buckets(bw * bh);
  std::vector<Vec2> sites;
  std::vector<std::uint8_t> used(n, 0);
  sites.reserve(o.sampleCount);
  auto bucketOf = [&](const Vec2& p, std::size_t& bx, std::size_t& by) {
    bx = std::min(bw - 1, std::size_t(std::max(0.0, p.x() / bucket)));
    by = std::min(bh - 1, std::size_t(std::max(0.0, p.y() / bucket)));
  };
  auto farEnough = [&](const Vec2& p, double r) {
    if (r <= 0.0) return true;
    std::size_t bx = 0, by = 0;
    bucketOf(p, bx, by);
    for (std::size_t y = by > 0 ? by - 1 : 0; y <= std::min(bh - 1, by + 1); ++y) {
      for (std::size_t x = bx > 0 ? bx - 1 : 0; x <= std::min(bw - 1, bx + 1); ++x) {
        for (std::size_t s : buckets[y * bw + x]) {
          if ((sites[s] - p).squaredNorm() < r * r) return false;
        }
      }
    }
    return true;
  };
  auto jittered = [&](std::size_t k) {
    const std::size_t col = k % g.width, row = k / g.width;
    const Vec2 p(g.centreX(double(col) + uniform(rng, -0.45, 0.45)),
                 g.centreY(double(row) + uniform(rng, -0.45, 0.45)));
    return Vec2(std::clamp(p.x(), 0.0, o.width), std::clamp(p.y(), 0.0, o.height));
  };
  auto accept = [&](const Vec2& p) {
    std::size_t bx = 0, by = 0;
    bucketOf(p, bx, by);
    buckets[by * bw + bx].push_back(sites.size());
    sites.push_back(p);
  };
  const std::pair<bool, double> passes[] = {
      {true, 1.0}, {true, 0.7}, {true, 0.5}, {false, 0.5}, {false, 0.25}};
  for (const auto& pass : passes) {
    const auto& keys = pass.first ? streamKeys : allKeys;
    for (const auto& kv : keys) {
      if (sites.size() >= o.sampleCount) break;
      if (used[kv.second]) continue;
      const Vec2 p = jittered(kv.second);
      if (!farEnough(p, pass.second * spacing)) continue;
      used[kv.second] = 1;
      accept(p);
    }
  }
  // Denser than one site per drainage cell: repeat cells.
  for (std::size_t i = 0; sites.size() < o.sampleCount; ++i)
    accept(jittered(allKeys[i % allKeys.size()].second));
  return sites;
}

// Enrichment at every drainage cell averaged over its upstream catchment, weighted by
// exp(-flow distance / kDispersionLength): dispersion trains downstream of anomalies.
std::vector<std::vector<float>> catchmentEnrichment(const Drainage& d,
                                                    const std::vector<Halo>& halos) {
  const GridSpec& g = d.grid;
  const std::size_t n = g.size();
  std::vector<std::vector<float>> local(kElementCount, std::vector<float>(n, 1.0f));
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, g.height), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t row = r.begin(); row != r.end(); ++row) {
          const double y = g.centreY(double(row));
          for (const auto& h : halos) {
            const double reach = h.reach();
            if (std::abs(y - h.centre.y()) > reach) continue;
            const long c0 = std::max(0L, long(std::floor(g.pixelX(h.centre.x() - reach))));
            const long c1 =
                std::min(long(g.width) - 1, long(std::floor(g.pixelX(h.centre.x() + reach))));
            for (long col = c0; col <= c1; ++col) {
              const std::size_t k = g.index(std::size_t(col), row);
              h.addAt(Vec2(g.centreX(double(col)), y),
                      [&](std::size_t e, double v) { local[e][k] += float(v); });
            }
          }
        }
      });
  std::vector<double> weight(n, 1.0);
  std::vector<std::vector<double>> sum(kElementCount, std::vector<double>(n));
  for (std::size_t e = 0; e < kElementCount; ++e)
    std::copy(local[e].begin(), local[e].end(), sum[e].begin());
  const double cell = g.cellWidth();
  for (std::size_t i = d.order.size(); i-- > 0;) {
    const std::size_t c = d.order[i];
    if (d.receiver[c] < 0) continue;
    const std::size_t r = std::size_t(d.receiver[c]);
    const bool diagonal = (c % g.width != r % g.width) && (c / g.width != r / g.width);
    const double decay = std::exp(-(diagonal ? std::sqrt(2.0) : 1.0) * cell / kDispersionLength);
    weight[r] += decay * weight[c];
    for (std::size_t e = 0; e < kElementCount; ++e) sum[e][r] += decay * sum[e][c];
  }
  for (std::size_t e = 0; e < kElementCount; ++e) {
    for (std::size_t k = 0; k < n; ++k) local[e][k] = float(sum[e][k] / weight[k]);
  }
  return local;
}

// ----------------------------------------------------------------------------------------
// Deposits and halos.
struct Deposit {
  Vec2 p;
  int type;  // Synth2dDepositType code
  double size, exposure, score;
  int known;
};

// Up to `target` deposits drawn with probability proportional to lambda, at least
// kDepositSpacing apart; the best-scoring knownFraction are flagged known.
std::vector<Deposit> placeDeposits(const Synth2dOptions& o, const IntensityModel& model,
                                   const GridSpec& truthGrid, const Drainage& drainage,
                                   double areaScale, std::size_t depositTarget, Rng& rng) {
  const CellSampler depositSampler(truthGrid, model.intensity);
  const RandomField2D cover(4000.0 * std::sqrt(areaScale), o.seed, kFieldCover);
  double elevMean = 0.0, elevSq = 0.0;
  for (float v : drainage.elevation) {
    elevMean += v;
    elevSq += double(v) * v;
  }
  elevMean /= double(drainage.elevation.size());
  const double elevSd =
      std::sqrt(std::max(1e-9, elevSq / double(drainage.elevation.size()) - elevMean * elevMean));
  auto exposureAt = [&](const Vec2& p) {
    long col = 0, row = 0;
    if (!drainage.grid.cellOf(std::min(p.x(), o.width - 1e-6), std::max(p.y(), 1e-6), col, row))
      return 0.5;
    const double z =
        (drainage.elevation[drainage.grid.index(std::size_t(col), std::size_t(row))] - elevMean) /
        elevSd;
    // Quaternary cover fills the low ground.
    return logistic(1.2 * z + 0.8 * cover.at(p.x(), p.y()));
  };

  std::vector<Deposit> deposits;
  for (std::size_t attempt = 0; attempt < 200 * depositTarget && deposits.size() < depositTarget;
       ++attempt) {
    std::size_t cell = 0;
    const Vec2 p = depositSampler.draw(rng, cell);
    bool clear = true;
    for (const auto& d : deposits) clear = clear && (d.p - p).norm() >= kDepositSpacing;
    if (!clear) continue;
    std::array<double, kTypeCount> w{};
    double total = 0.0;
    for (std::size_t t = 0; t < kTypeCount; ++t)
      total += w[t] = kTypeWeight[t] * model.typeIntensity(t, cell);
    double u = uniform(rng, 0.0, total);
    int type = 1;
    for (std::size_t t = 0; t < kTypeCount; ++t) {
      if (u <= w[t]) {
        type = int(t) + 1;
        break;
      }
      u -= w[t];
    }
    Deposit d{p, type, std::exp(normal(rng)), exposureAt(p), 0.0, 0};
    // Exploration finds the large and the exposed deposits first.
    d.score = std::log(d.size) + 2.0 * (d.exposure - 0.5) + 0.5 * normal(rng);
    deposits.push_back(d);
  }
  std::vector<std::size_t> rank(deposits.size());
  std::iota(rank.begin(), rank.end(), 0);
  std::sort(rank.begin(), rank.end(), [&](std::size_t a, std::size_t b) {
    return deposits[a].score > deposits[b].score ||
           (deposits[a].score == deposits[b].score && a < b);
  });
  const std::size_t knownCount = std::min(
      deposits.size(), std::size_t(std::lround(o.knownFraction * double(deposits.size()))));
  for (std::size_t i = 0; i < knownCount; ++i) deposits[rank[i]].known = 1;
  return deposits;
}

std::vector<Halo> makeHalos(const Synth2dOptions& o, const IntensityModel& model,
                            const GridSpec& truthGrid, const std::vector<FaultTrace>& faults,
                            const std::vector<Deposit>& deposits, std::size_t depositTarget,
                            double areaScale, Rng& rng) {
  // Halos: one per deposit, plus barren anomalies with no deposit behind them.
  std::vector<Halo> halos;
  for (const auto& d : deposits) {
    const double radius =
        std::clamp(uniform(rng, 900.0, 1800.0) * std::pow(d.size, 0.15), 700.0, 3000.0);
    const double strength =
        std::sqrt(d.size) * (0.35 + 0.65 * d.exposure) * std::exp(0.25 * normal(rng));
    halos.push_back(makeHalo(d.p, nearestFaultDirection(faults, d.p), radius,
                             uniform(rng, 1.2, 2.0), kAssociation[d.type - 1], strength));
  }
  Rng anomalyRng = makeRng(o.seed, kStreamAnomalies);
  {
    // Structural: pyrite-sericite alteration and sub-economic occurrences on faults.
    std::vector<double> structural(model.intensity.size());
    for (std::size_t k = 0; k < structural.size(); ++k) {
      structural[k] = (kStructuralFloor + model.structure[k]) *
                      std::exp(kHiddenSigma * model.hidden[k] - 0.5 * kHiddenSigma * kHiddenSigma);
    }
    const CellSampler sampler(truthGrid, structural);
    const std::size_t count = std::size_t(std::lround(0.35 * double(depositTarget)));
    std::size_t placed = 0;
    for (std::size_t attempt = 0; attempt < 200 * (count + 1) && placed < count; ++attempt) {
      std::size_t cell = 0;
      const Vec2 p = sampler.draw(anomalyRng, cell);
      bool clear = true;
      for (const auto& d : deposits) clear = clear && (d.p - p).norm() >= 2000.0;
      if (!clear) continue;
      const Vec2 axis = nearestFaultDirection(faults, p);
      const double radius = uniform(anomalyRng, 800.0, 2000.0);
      if (uniform(anomalyRng, 0.0, 1.0) < 0.5) {
        halos.push_back(makeHalo(p, axis, radius, uniform(anomalyRng, 1.2, 2.0), kAlterationOnly,
                                 uniform(anomalyRng, 0.5, 1.2)));
      } else {
        std::size_t best = 0;
        for (std::size_t t = 1; t < kTypeCount; ++t) {
          if (model.typeIntensity(t, cell) * kTypeWeight[t] >
              model.typeIntensity(best, cell) * kTypeWeight[best])
            best = t;
        }
        halos.push_back(makeHalo(p, axis, radius, uniform(anomalyRng, 1.2, 2.0), kAssociation[best],
                                 uniform(anomalyRng, 0.2, 0.5)));
      }
      ++placed;
    }
    // Lithological highs: black-shale lenses, greisenised granite cupolas, Mn-Ba wad on carbonate.
    const std::pair<Synth2dLithology, const double*> highs[] = {
        {Synth2dLithology::Shale, kBlackShale},
        {Synth2dLithology::Granite, kGreisen},
        {Synth2dLithology::Carbonate, kMnBaWad}};
    const std::size_t perKind = std::max<std::size_t>(1, std::size_t(std::lround(2.0 * areaScale)));
    for (const auto& high : highs) {
      std::vector<double> in(model.lith.size());
      for (std::size_t k = 0; k < in.size(); ++k)
        in[k] = model.lith[k] == std::uint8_t(high.first) ? 1.0 : 0.0;
      const CellSampler sampler(truthGrid, in);
      if (sampler.empty()) continue;
      for (std::size_t i = 0; i < perKind; ++i) {
        std::size_t cell = 0;
        const Vec2 p = sampler.draw(anomalyRng, cell);
        const double az = uniform(anomalyRng, 0.0, kPi);
        halos.push_back(makeHalo(p, Vec2(std::sin(az), std::cos(az)),
                                 uniform(anomalyRng, 1500.0, 3500.0), uniform(anomalyRng, 1.0, 1.5),
                                 high.second, uniform(anomalyRng, 0.6, 1.2)));
      }
    }
  }

  return halos;
}

// Stream-sediment samples: sites on the drainage, chemistry from background, halos,
// catchment mixing, closure, noise and censoring; labels from the known deposits.
SampleTable makeSamples(const Synth2dOptions& o, const Lithology& lith, const Drainage& drainage,
                        const std::vector<Halo>& halos, const std::vector<Deposit>& deposits,
                        double areaScale) {
  // Sample sites and their chemistry.
  const std::vector<Vec2> sites = placeSites(o, drainage, areaScale);
  const auto catchment = catchmentEnrichment(drainage, halos);
  const double scale = std::sqrt(areaScale);
  std::vector<RandomField2D> factors, elementFields;
  for (std::uint64_t f = 0; f < 3; ++f)
    factors.emplace_back(6000.0 * scale, o.seed, kFieldFactor0 + f);
  for (std::uint64_t e = 0; e < kElementCount; ++e)
    elementFields.emplace_back(2500.0 * scale, o.seed, kFieldElement0 + e);
  const RandomField2D dilution(4000.0 * scale, o.seed, kFieldDilution);

  const std::size_t ns = sites.size();
  std::vector<std::vector<double>> value(kElementCount, std::vector<double>(ns));
  std::vector<std::vector<std::uint8_t>> censored(kElementCount, std::vector<std::uint8_t>(ns, 0));
  std::vector<double> rest(ns), lithCode(ns);
  const std::uint64_t noiseSeed = mixSeed(o.seed, kStreamNoise);
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, ns), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t s = r.begin(); s != r.end(); ++s) {
          Rng noise = makeRng(noiseSeed, s);
          const Vec2& p = sites[s];
          const int code = lith.codeNear(p.x(), p.y());
          lithCode[s] = code;
          const std::size_t l = std::size_t(code - 1);
          std::array<double, 3> fv{};
          for (std::size_t f = 0; f < 3; ++f) fv[f] = factors[f].at(p.x(), p.y());
          std::array<double, kElementCount> localE{};
          localE.fill(1.0);
          for (const auto& h : halos) h.addAt(p, [&](std::size_t e, double v) { localE[e] += v; });
          long col = 0, row = 0;
          drainage.grid.cellOf(std::min(p.x(), o.width - 1e-6), std::max(p.y(), 1e-6), col, row);
          const std::size_t cell = drainage.grid.index(std::size_t(col), std::size_t(row));
          std::array<double, kElementCount> raw{};
          double rawSum = 0.0;
          for (std::size_t e = 0; e < kElementCount; ++e) {
            const ElementLaw& law = kLaw[e];
            double common = 0.0, loadSq = 0.0;
            for (std::size_t f = 0; f < 3; ++f) {
              common += law.loadings[f] * fv[f];
              loadSq += law.loadings[f] * law.loadings[f];
            }
            const double z = common + std::sqrt(1.0 - loadSq) * elementFields[e].at(p.x(), p.y());
            const double background =
                law.median * kLithMultiplier[l][e] * std::exp(law.spatialSigma * z);
            const double enrichment =
                (1.0 - kCatchmentShare) * localE[e] + kCatchmentShare * catchment[e][cell];
            raw[e] = background * enrichment;
            rawSum += raw[e];
          }
          // Closure: the trace elements and the major-element matrix sum to 1e6 ppm.
          const double matrix = 1.0e6 * std::exp(kRestShift[l] + 0.2 * dilution.at(p.x(), p.y()));
          const double closure = 1.0e6 / (rawSum + matrix);
          double stored = 0.0;
          for (std::size_t e = 0; e < kElementCount; ++e) {
            double v = raw[e] * closure * std::exp(kLaw[e].noiseSigma * normal(noise));
            if (v < kLaw[e].detectionLimit) {
              v = kLaw[e].detectionLimit;
              censored[e][s] = 1;
            }
            value[e][s] = v;
            stored += v;
          }
          rest[s] = 1.0e6 - stored;
        }
      });

  SampleTable samples;
  samples.crsWkt = kSynth2dCrsWkt;
  samples.labelName = "ore_bearing";
  samples.x.resize(ns);
  samples.y.resize(ns);
  samples.ids.resize(ns);
  samples.labels.assign(ns, 0);
  for (std::size_t s = 0; s < ns; ++s) {
    samples.x[s] = sites[s].x();
    samples.y[s] = sites[s].y();
    char id[32];
    std::snprintf(id, sizeof id, "S%05zu", s + 1);
    samples.ids[s] = id;
    for (std::size_t d = 0; d < deposits.size(); ++d) {
      if (deposits[d].known && (deposits[d].p - sites[s]).norm() <= o.labelRadius)
        samples.labels[s] = 1;
    }
  }
  for (std::size_t e = 0; e < kElementCount; ++e) {
    samples.columns.push_back(SampleColumn{kElementNames[e], "ppm", std::move(value[e]),
                                           std::move(censored[e]), kLaw[e].detectionLimit});
  }
  samples.columns.push_back(SampleColumn{"rest", "ppm", std::move(rest), {}, 0.0});
  samples.columns.push_back(SampleColumn{"lithology", "", std::move(lithCode), {}, 0.0});
  return samples;
}

void checkOptions(const Synth2dOptions& o) {
  auto positive = [](double v) { return v > 0.0 && std::isfinite(v); };
  if (!positive(o.width) || !positive(o.height)) {
    throw UsageError("synth2d: width and height must be positive metres, got " +
                     std::to_string(o.width) + " x " + std::to_string(o.height));
  }
  if (!positive(o.truthCell))
    throw UsageError("synth2d: truthCell must be positive metres, got " +
                     std::to_string(o.truthCell));
  if (o.width / o.truthCell * (o.height / o.truthCell) > 1e8) {
    throw UsageError(
        "synth2d: the truth raster would have more than 1e8 cells; use a larger truthCell");
  }
  if (o.width < 2000.0 || o.height < 2000.0)
    throw UsageError("synth2d: the district must be at least 2000 m on each side");
  if (o.sampleCount == 0 || o.sampleCount > 10000000) {
    throw UsageError("synth2d: sampleCount must be between 1 and 1e7, got " +
                     std::to_string(o.sampleCount));
  }
  if (!(o.knownFraction >= 0.0 && o.knownFraction <= 1.0)) {
    throw UsageError("synth2d: knownFraction must be in [0, 1], got " +
                     std::to_string(o.knownFraction));
  }
  if (!(o.labelRadius >= 0.0) || !std::isfinite(o.labelRadius)) {
    throw UsageError("synth2d: labelRadius must be >= 0 metres, got " +
                     std::to_string(o.labelRadius));
  }
}

}  // namespace

Synth2dDistrict generateSynth2d(const Synth2dOptions& options) {
  checkOptions(options);
  const Synth2dOptions& o = options;
  const double areaScale = o.width * o.height / kReferenceArea;
  const std::string source = "synth2d(seed=" + std::to_string(o.seed) + ")";

  Synth2dDistrict out;
  out.options = o;
  for (const char* e : kElementNames) out.elements.emplace_back(e);

  // Geology: lithology domains and faults.
  const Lithology lith = makeLithology(o, areaScale);
  const std::vector<FaultTrace> faults = makeFaults(o, areaScale);
  const std::vector<Intersection> crossings = faultIntersections(faults);
  const Drainage drainage = makeDrainage(o, lith, areaScale);

  // Deposit-generating intensity on the truth grid.
  const GridSpec truthGrid =
      GridSpec::fromExtent(Extent{0.0, 0.0, o.width, o.height, true}, o.truthCell, kSynth2dCrsWkt);
  const IntensityModel model = makeIntensity(o, truthGrid, lith, faults, crossings, areaScale);

  // Deposits: an inhibited point process with intensity lambda; then their halos and the
  // barren anomalies.
  Rng rng = makeRng(o.seed, kStreamDeposits);
  const std::size_t depositTarget =
      std::max<std::size_t>(3, std::size_t(std::lround(uniform(rng, 30.0, 60.0) * areaScale)));
  const std::vector<Deposit> deposits =
      placeDeposits(o, model, truthGrid, drainage, areaScale, depositTarget, rng);
  const std::vector<Halo> halos =
      makeHalos(o, model, truthGrid, faults, deposits, depositTarget, areaScale, rng);

  out.samples = makeSamples(o, lith, drainage, halos, deposits, areaScale);
  out.samples.source = source;

  // Deposits.
  SampleTable& dep = out.deposits;
  dep.crsWkt = kSynth2dCrsWkt;
  dep.source = source;
  dep.labelName = "known";
  std::vector<double> size, type, exposure;
  for (std::size_t d = 0; d < deposits.size(); ++d) {
    dep.x.push_back(deposits[d].p.x());
    dep.y.push_back(deposits[d].p.y());
    char id[32];
    std::snprintf(id, sizeof id, "D%02zu", d + 1);
    dep.ids.emplace_back(id);
    dep.labels.push_back(deposits[d].known);
    size.push_back(deposits[d].size);
    type.push_back(deposits[d].type);
    exposure.push_back(deposits[d].exposure);
  }
  dep.columns.push_back(SampleColumn{"size", "", std::move(size), {}, 0.0});
  dep.columns.push_back(SampleColumn{"type", "", std::move(type), {}, 0.0});
  dep.columns.push_back(SampleColumn{"exposure", "", std::move(exposure), {}, 0.0});

  out.faults.crsWkt = kSynth2dCrsWkt;
  for (const auto& f : faults) out.faults.lines.push_back(Polyline{f.points, f.name});
  out.lithology = lith.polygons;

  // Truth raster.
  out.truth = Raster(truthGrid);
  const double maxIntensity = *std::max_element(model.intensity.begin(), model.intensity.end());
  std::vector<float> mineral(model.intensity.size()), lithBand(model.lith.size());
  for (std::size_t k = 0; k < mineral.size(); ++k) {
    mineral[k] = float(maxIntensity > 0.0 ? model.intensity[k] / maxIntensity : 0.0);
    lithBand[k] = float(model.lith[k]);
  }
  out.truth.addBand("mineralisation", std::move(mineral));
  out.truth.addBand("lithology", std::move(lithBand));
  return out;
}

}  // namespace orevox
