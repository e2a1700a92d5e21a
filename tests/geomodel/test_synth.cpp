#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/random_field.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/geomodel/synth2d.hpp"
#include "orevox/geomodel/synth3d.hpp"

using namespace orevox;

namespace {

double median(std::vector<double> v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(v.size() / 2), v.end());
  return v[v.size() / 2];
}

double distanceToFaults(const FaultNetwork& faults, double x, double y) {
  double best = std::numeric_limits<double>::infinity();
  for (const auto& line : faults.lines) {
    for (std::size_t i = 1; i < line.points.size(); ++i) {
      best = std::min(best,
                      distanceToSegment(Eigen::Vector2d(x, y), line.points[i - 1], line.points[i]));
    }
  }
  return best;
}

// The default district is generated once and shared by the read-only tests.
const Synth2dDistrict& defaultDistrict() {
  static const Synth2dDistrict district = generateSynth2d();
  return district;
}

Synth2dOptions smallOptions(std::uint64_t seed) {
  Synth2dOptions o;
  o.seed = seed;
  o.width = 15000.0;
  o.height = 12000.0;
  o.sampleCount = 800;
  o.truthCell = 200.0;
  return o;
}

Synth3dOptions small3d(double shift, double cell = 40.0) {
  Synth3dOptions o;
  o.nx = o.ny = 64;
  o.nz = 32;
  o.cell = cell;
  o.shift = shift;
  return o;
}

double activeMean(const Synth3dDeposit& d, const std::string& channel) {
  const auto& v = d.volume.channel(channel).values;
  double sum = 0.0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (d.active[i]) {
      sum += v[i];
      ++n;
    }
  }
  return sum / double(n);
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Random fields

TEST(RandomField, LatticeEqualsPointEvaluation) {
  const RandomField2D field(2500.0, 7, 3);
  const auto lattice = field.sampleLattice(40, 30, 125.0, 9000.0, 100.0, -100.0);
  for (std::size_t j = 0; j < 30; ++j) {
    for (std::size_t i = 0; i < 40; ++i) {
      EXPECT_NEAR(lattice[j * 40 + i],
                  field.at(125.0 + 100.0 * double(i), 9000.0 - 100.0 * double(j)), 1e-5);
    }
  }
  const GridSpec grid = GridSpec::fromExtent(Extent{0, 0, 1000, 500, true}, 100.0);
  const auto raster = field.sampleGrid(grid);
  EXPECT_NEAR(raster[grid.index(3, 0)], field.at(350.0, 450.0), 1e-5);  // row 0 is the north edge
}

TEST(RandomField, UnitVarianceAndGaussianCovariance) {
  const double length = 1000.0;
  const RandomField2D field(length, 11, 0);
  // One realisation over 200 x 200 correlation lengths: spatial moments are close to the
  // ensemble ones, and the lag-L correlation is exp(-1/2).
  double sum = 0.0, sq = 0.0, lagL = 0.0, lag3L = 0.0;
  const int n = 200;
  for (int j = 0; j < n; ++j) {
    for (int i = 0; i < n; ++i) {
      const double x = i * 1000.0, y = j * 1000.0;
      const double v = field.at(x, y);
      sum += v;
      sq += v * v;
      lagL += v * field.at(x + length, y);
      lag3L += v * field.at(x, y + 3.0 * length);
    }
  }
  const double count = double(n) * n;
  const double mean = sum / count, var = sq / count - mean * mean;
  EXPECT_NEAR(mean, 0.0, 0.1);
  EXPECT_NEAR(var, 1.0, 0.1);
  EXPECT_NEAR(lagL / count / var, std::exp(-0.5), 0.08);
  EXPECT_NEAR(lag3L / count / var, std::exp(-4.5), 0.05);
}

TEST(RandomField, SeedsAndStreamsAreReproducible) {
  const auto a = gaussianRandomField(20, 10, 50.0, 300.0, 5, 1);
  const auto b = gaussianRandomField(20, 10, 50.0, 300.0, 5, 1);
  const auto c = gaussianRandomField(20, 10, 50.0, 300.0, 5, 2);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NEAR(a[3 * 20 + 4], RandomField2D(300.0, 5, 1).at(4.5 * 50.0, 3.5 * 50.0), 1e-5);
  EXPECT_THROW(RandomField2D(0.0, 1), UsageError);
  EXPECT_THROW(gaussianRandomField3D(4, 4, 4, 10.0, -1.0, 1, 0), UsageError);
}

TEST(RandomField, ThreeDimensionalFieldMomentsAndThreadIndependence) {
  const std::size_t n = 64;
  const double cell = 10.0, length = 20.0;
  setThreadCount(1);
  const auto one = gaussianRandomField3D(n, n, n, cell, length, 3, 4);
  setThreadCount(2);
  const auto two = gaussianRandomField3D(n, n, n, cell, length, 3, 4);
  setThreadCount(0);
  ASSERT_EQ(one.size(), n * n * n);
  EXPECT_EQ(one, two);
  double sum = 0.0, sq = 0.0, lag = 0.0;
  std::size_t pairs = 0;
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t j = 0; j < n; ++j) {
      for (std::size_t i = 0; i < n; ++i) {
        const double v = one[(k * n + j) * n + i];
        sum += v;
        sq += v * v;
        if (i + 1 < n) {
          lag += v * one[(k * n + j) * n + i + 1];
          ++pairs;
        }
      }
    }
  }
  const double count = double(one.size());
  EXPECT_NEAR(sum / count, 0.0, 0.05);
  EXPECT_NEAR(sq / count, 1.0, 0.1);
  // Covariance at one cell: exp(-h^2 / (2 L^2)) = exp(-1/8).
  EXPECT_NEAR(lag / double(pairs) / (sq / count), std::exp(-0.125), 0.03);
}

// ---------------------------------------------------------------------------------------
// Synthetic 2D district

TEST(Synth2d, SameSeedIsIdenticalOtherSeedDiffers) {
  const Synth2dDistrict a = generateSynth2d(smallOptions(4));
  const Synth2dDistrict b = generateSynth2d(smallOptions(4));
  const Synth2dDistrict c = generateSynth2d(smallOptions(5));
  ASSERT_EQ(a.samples.size(), b.samples.size());
  EXPECT_EQ(a.samples.x, b.samples.x);
  EXPECT_EQ(a.samples.y, b.samples.y);
  EXPECT_EQ(a.samples.labels, b.samples.labels);
  ASSERT_EQ(a.samples.columns.size(), b.samples.columns.size());
  for (std::size_t i = 0; i < a.samples.columns.size(); ++i) {
    EXPECT_EQ(a.samples.columns[i].values, b.samples.columns[i].values)
        << a.samples.columns[i].name;
    EXPECT_EQ(a.samples.columns[i].censored, b.samples.columns[i].censored)
        << a.samples.columns[i].name;
  }
  EXPECT_EQ(a.deposits.x, b.deposits.x);
  EXPECT_EQ(a.deposits.labels, b.deposits.labels);
  ASSERT_EQ(a.faults.lines.size(), b.faults.lines.size());
  ASSERT_EQ(a.lithology.size(), b.lithology.size());
  EXPECT_EQ(a.truth.band("mineralisation").values, b.truth.band("mineralisation").values);

  EXPECT_NE(a.samples.x, c.samples.x);
  EXPECT_NE(a.deposits.x, c.deposits.x);
  EXPECT_NE(a.samples.column("Au").values, c.samples.column("Au").values);
}

TEST(Synth2d, CountsElementsAndLabels) {
  const Synth2dDistrict& d = defaultDistrict();
  const std::vector<std::string> expected = {"Au", "B",  "Sn", "Cu", "Ag", "Ba", "Mn", "Pb",
                                             "Zn", "As", "Sb", "Bi", "Hg", "Mo", "W",  "F"};
  EXPECT_EQ(d.elements, expected);
  EXPECT_EQ(d.samples.size(), 7000u);
  EXPECT_NO_THROW(d.samples.validate());
  for (const auto& e : expected) {
    EXPECT_EQ(d.samples.column(e).units, "ppm");
    EXPECT_GT(d.samples.column(e).detectionLimit, 0.0);
  }
  EXPECT_DOUBLE_EQ(d.samples.column("Au").detectionLimit, 0.0003);
  EXPECT_DOUBLE_EQ(d.samples.column("Hg").detectionLimit, 0.01);
  EXPECT_DOUBLE_EQ(d.samples.column("Ag").detectionLimit, 0.02);
  EXPECT_EQ(d.samples.labelName, "ore_bearing");
  EXPECT_EQ(d.samples.ids.front(), "S00001");

  const std::size_t n = d.deposits.size();
  EXPECT_GE(n, 30u);
  EXPECT_LE(n, 60u);
  EXPECT_NO_THROW(d.deposits.validate());
  EXPECT_EQ(d.deposits.labelName, "known");
  std::size_t known = 0, hidden = 0;
  for (int l : d.deposits.labels) (l == 1 ? known : hidden) += 1;
  EXPECT_EQ(known + hidden, n);
  EXPECT_EQ(known, std::size_t(std::lround(0.6 * double(n))));
  std::set<int> types;
  for (double t : d.deposits.column("type").values) types.insert(int(t));
  EXPECT_EQ(types, (std::set<int>{1, 2, 3}));
  for (double s : d.deposits.column("size").values) EXPECT_GT(s, 0.0);
}

TEST(Synth2d, ProjectedCrsOnEverything) {
  const Synth2dDistrict& d = defaultDistrict();
  for (const std::string* wkt :
       {&d.samples.crsWkt, &d.deposits.crsWkt, &d.faults.crsWkt, &d.truth.grid().crsWkt}) {
    EXPECT_NE(wkt->find("UTM zone 49N"), std::string::npos);
    EXPECT_NE(wkt->find("\"32649\"]]"), std::string::npos);
  }
}

TEST(Synth2d, ConcentrationsArePositiveCensoredAtDetectionLimitAndClosed) {
  const Synth2dDistrict& d = defaultDistrict();
  std::size_t censoredTotal = 0;
  for (const auto& e : d.elements) {
    const SampleColumn& c = d.samples.column(e);
    ASSERT_EQ(c.censored.size(), d.samples.size());
    for (std::size_t i = 0; i < c.values.size(); ++i) {
      ASSERT_TRUE(std::isfinite(c.values[i]) && c.values[i] > 0.0) << e << " row " << i;
      if (c.isCensored(i)) {
        EXPECT_EQ(c.values[i], c.detectionLimit) << e << " row " << i;
        ++censoredTotal;
      } else {
        EXPECT_GE(c.values[i], c.detectionLimit) << e << " row " << i;
      }
    }
  }
  EXPECT_GT(censoredTotal, 0u);
  // Closure: the 16 elements are a subcomposition; with "rest" every sample sums to 1e6 ppm.
  const SampleColumn& rest = d.samples.column("rest");
  for (std::size_t i = 0; i < d.samples.size(); ++i) {
    double sum = rest.values[i];
    for (const auto& e : d.elements) sum += d.samples.column(e).values[i];
    EXPECT_NEAR(sum, 1.0e6, 1e-6);
    EXPECT_GT(rest.values[i], 9.0e5);
  }
}

TEST(Synth2d, LithologyColumnMatchesContainingPolygon) {
  const Synth2dDistrict& d = defaultDistrict();
  const SampleColumn& lith = d.samples.column("lithology");
  std::set<int> codes;
  double area = 0.0;
  for (const auto& p : d.lithology) {
    codes.insert(int(p.value));
    area += p.area();
    EXPECT_FALSE(p.name.empty());
  }
  EXPECT_GE(codes.size(), 4u);
  EXPECT_LE(codes.size(), 6u);
  EXPECT_NEAR(area, 41000.0 * 41000.0, 1e-3 * 41000.0 * 41000.0);  // the domains tile the district
  std::size_t inside = 0, rasterAgrees = 0;
  const long lithBand = d.truth.bandIndex("lithology");
  ASSERT_GE(lithBand, 0);
  for (std::size_t i = 0; i < d.samples.size(); ++i) {
    for (const auto& p : d.lithology) {
      if (p.contains(d.samples.x[i], d.samples.y[i])) {
        EXPECT_EQ(int(p.value), int(lith.values[i])) << "sample " << i;
        ++inside;
        break;
      }
    }
    rasterAgrees += int(d.truth.sample(std::size_t(lithBand), d.samples.x[i], d.samples.y[i])) ==
                    int(lith.values[i]);
  }
  EXPECT_GE(double(inside), 0.999 * double(d.samples.size()));
  // The truth raster holds the code at cell centres: it differs only next to contacts.
  EXPECT_GT(double(rasterAgrees), 0.97 * double(d.samples.size()));
}

TEST(Synth2d, FaultNetworkAndFaultControlledDeposits) {
  const Synth2dDistrict& d = defaultDistrict();
  std::size_t majors = 0, secondaries = 0;
  for (const auto& l : d.faults.lines) (l.name[0] == 'F' ? majors : secondaries) += 1;
  EXPECT_GE(majors, 3u);
  EXPECT_GE(secondaries, 15u);
  // Intersections between distinct traces (brute force over segment pairs).
  auto cross = [](const Eigen::Vector2d& a, const Eigen::Vector2d& b) {
    return a.x() * b.y() - a.y() * b.x();
  };
  std::size_t crossings = 0;
  for (std::size_t a = 0; a < d.faults.lines.size(); ++a) {
    for (std::size_t b = a + 1; b < d.faults.lines.size(); ++b) {
      const auto& pa = d.faults.lines[a].points;
      const auto& pb = d.faults.lines[b].points;
      for (std::size_t i = 1; i < pa.size(); ++i) {
        for (std::size_t j = 1; j < pb.size(); ++j) {
          const Eigen::Vector2d r = pa[i] - pa[i - 1], s = pb[j] - pb[j - 1],
                                q = pb[j - 1] - pa[i - 1];
          const double den = cross(r, s);
          if (den == 0.0) continue;
          const double t = cross(q, s) / den, u = cross(q, r) / den;
          crossings += (t >= 0.0 && t <= 1.0 && u >= 0.0 && u <= 1.0);
        }
      }
    }
  }
  EXPECT_GE(crossings, 10u);

  double depositMean = 0.0;
  for (std::size_t i = 0; i < d.deposits.size(); ++i)
    depositMean += distanceToFaults(d.faults, d.deposits.x[i], d.deposits.y[i]);
  depositMean /= double(d.deposits.size());
  double gridMean = 0.0;
  const int n = 40;
  for (int j = 0; j < n; ++j) {
    for (int i = 0; i < n; ++i)
      gridMean += distanceToFaults(d.faults, (i + 0.5) * 41000.0 / n, (j + 0.5) * 41000.0 / n);
  }
  gridMean /= double(n * n);
  EXPECT_LT(depositMean / gridMean, 0.6);
}

TEST(Synth2d, LabelsMarkSamplesWithinRadiusOfKnownDeposits) {
  const Synth2dDistrict& d = defaultDistrict();
  ASSERT_EQ(d.samples.labels.size(), d.samples.size());
  std::size_t positives = 0;
  for (std::size_t s = 0; s < d.samples.size(); ++s) {
    double nearest = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < d.deposits.size(); ++k) {
      if (d.deposits.labels[k] == 1) {
        nearest = std::min(nearest, std::hypot(d.samples.x[s] - d.deposits.x[k],
                                               d.samples.y[s] - d.deposits.y[k]));
      }
    }
    EXPECT_EQ(d.samples.labels[s], nearest <= d.options.labelRadius ? 1 : 0) << "sample " << s;
    positives += std::size_t(d.samples.labels[s]);
  }
  // Ore-bearing samples are a small minority, as in the Pangxidong data.
  EXPECT_GT(positives, 50u);
  EXPECT_LT(double(positives), 0.1 * double(d.samples.size()));
}

TEST(Synth2d, HalosElevateTheAssociationOfEachDepositType) {
  const Synth2dDistrict& d = defaultDistrict();
  const auto& type = d.deposits.column("type").values;
  auto nearType = [&](std::size_t s, int t, double r) {
    for (std::size_t k = 0; k < d.deposits.size(); ++k) {
      if (int(type[k]) == t &&
          std::hypot(d.samples.x[s] - d.deposits.x[k], d.samples.y[s] - d.deposits.y[k]) <= r)
        return true;
    }
    return false;
  };
  auto farFromAll = [&](std::size_t s) {
    for (std::size_t k = 0; k < d.deposits.size(); ++k) {
      if (std::hypot(d.samples.x[s] - d.deposits.x[k], d.samples.y[s] - d.deposits.y[k]) < 5000.0)
        return false;
    }
    return true;
  };
  struct Check {
    int type;
    const char* element;
  };
  for (const Check c : {Check{1, "As"}, Check{1, "Au"}, Check{1, "Sb"}, Check{2, "Cu"},
                        Check{2, "Mo"}, Check{3, "Pb"}, Check{3, "Zn"}, Check{3, "Ag"}}) {
    const auto& values = d.samples.column(c.element).values;
    std::vector<double> near, background;
    for (std::size_t s = 0; s < d.samples.size(); ++s) {
      if (nearType(s, c.type, 1000.0))
        near.push_back(values[s]);
      else if (farFromAll(s))
        background.push_back(values[s]);
    }
    ASSERT_GE(near.size(), 5u) << c.element;
    ASSERT_GE(background.size(), 100u);
    EXPECT_GT(median(near), 2.0 * median(background)) << c.element << " near type " << c.type;
  }
}

TEST(Synth2d, KnownDepositsAreTheLargerAndBetterExposed) {
  const Synth2dDistrict& d = defaultDistrict();
  const auto& size = d.deposits.column("size").values;
  const auto& exposure = d.deposits.column("exposure").values;
  double known[2] = {0, 0}, hidden[2] = {0, 0};
  std::size_t nk = 0, nh = 0;
  for (std::size_t k = 0; k < d.deposits.size(); ++k) {
    EXPECT_GE(exposure[k], 0.0);
    EXPECT_LE(exposure[k], 1.0);
    double* acc = d.deposits.labels[k] ? known : hidden;
    acc[0] += std::log(size[k]);
    acc[1] += exposure[k];
    (d.deposits.labels[k] ? nk : nh) += 1;
  }
  EXPECT_GT(known[0] / double(nk), hidden[0] / double(nh));
  EXPECT_GT(known[1] / double(nk), hidden[1] / double(nh));
}

TEST(Synth2d, TruthRasterIsTheDepositIntensity) {
  const Synth2dDistrict& d = defaultDistrict();
  const GridSpec expected =
      GridSpec::fromExtent(Extent{0, 0, 41000.0, 41000.0, true}, 100.0, kSynth2dCrsWkt);
  EXPECT_TRUE(d.truth.grid().sameGrid(expected));
  const auto& m = d.truth.band("mineralisation").values;
  EXPECT_FLOAT_EQ(*std::max_element(m.begin(), m.end()), 1.0f);
  EXPECT_GE(*std::min_element(m.begin(), m.end()), 0.0f);
  double rasterMean = 0.0;
  for (float v : m) rasterMean += v;
  rasterMean /= double(m.size());
  double depositMean = 0.0;
  for (std::size_t k = 0; k < d.deposits.size(); ++k)
    depositMean += d.truth.sample(0, d.deposits.x[k], d.deposits.y[k]);
  depositMean /= double(d.deposits.size());
  // Deposits were drawn with probability proportional to the band.
  EXPECT_GT(depositMean, 4.0 * rasterMean);
}

TEST(Synth2d, KnownFractionAndBadOptions) {
  Synth2dOptions none = smallOptions(8);
  none.knownFraction = 0.0;
  const Synth2dDistrict d = generateSynth2d(none);
  EXPECT_EQ(d.samples.size(), 800u);
  for (int l : d.deposits.labels) EXPECT_EQ(l, 0);
  for (int l : d.samples.labels) EXPECT_EQ(l, 0);

  auto bad = [](auto change) {
    Synth2dOptions o;
    change(o);
    EXPECT_THROW(generateSynth2d(o), UsageError);
  };
  bad([](Synth2dOptions& o) { o.width = 0.0; });
  bad([](Synth2dOptions& o) { o.truthCell = -5.0; });
  bad([](Synth2dOptions& o) { o.sampleCount = 0; });
  bad([](Synth2dOptions& o) { o.knownFraction = 1.5; });
  bad([](Synth2dOptions& o) { o.labelRadius = -1.0; });
}

// ---------------------------------------------------------------------------------------
// Synthetic 3D deposit pair

TEST(Synth3d, ChannelsSizesAndDeterminism) {
  const Synth3dOptions o = small3d(0.5, 10.0);
  const Synth3dPair pair = generateSynth3d(o);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"fault_distance", "m"},   {"fault_dip", "degrees"},  {"dip_change", "degrees/100 m"},
      {"fault_undulation", "m"}, {"granite_distance", "m"}, {"secondary_fault_distance", "m"},
      {"rock_type", ""},         {"halo", "log10 ppm"},     {"orebody", ""}};
  for (const Synth3dDeposit* d : {&pair.source, &pair.target}) {
    const VolumeSpec& spec = d->volume.spec();
    EXPECT_EQ(spec.nx, 64u);
    EXPECT_EQ(spec.ny, 64u);
    EXPECT_EQ(spec.nz, 32u);
    EXPECT_DOUBLE_EQ(spec.spacing[0], 10.0);
    EXPECT_DOUBLE_EQ(spec.spacing[2], 10.0);
    EXPECT_NE(spec.crsWkt.find("UTM zone 51N"), std::string::npos);
    ASSERT_EQ(d->volume.channelCount(), expected.size());
    for (std::size_t c = 0; c < expected.size(); ++c) {
      EXPECT_EQ(d->volume.channel(c).name, expected[c].first);
      EXPECT_EQ(d->volume.channel(c).units, expected[c].second);
      EXPECT_EQ(d->volume.channel(c).values.size(), spec.size());
    }
    EXPECT_EQ(d->active.size(), spec.size());
  }
  EXPECT_EQ(pair.source.name, "source");
  EXPECT_EQ(pair.target.name, "target");

  const Synth3dDeposit again = generateSynth3dDeposit(o, true);
  for (std::size_t c = 0; c < expected.size(); ++c) {
    EXPECT_EQ(again.volume.channel(c).values, pair.target.volume.channel(c).values)
        << expected[c].first;
  }
  EXPECT_EQ(again.active, pair.target.active);
  Synth3dOptions other = o;
  other.seed = 2;
  EXPECT_NE(generateSynth3dDeposit(other, true).volume.channel("halo").values,
            pair.target.volume.channel("halo").values);
}

TEST(Synth3d, ActiveMaskIsRockBelowTheSurface) {
  const Synth3dDeposit d = generateSynth3dDeposit(small3d(0.5, 10.0), false);
  const VolumeSpec& s = d.volume.spec();
  std::size_t active = 0;
  for (std::size_t j = 0; j < s.ny; ++j) {
    for (std::size_t i = 0; i < s.nx; ++i) {
      // Rock from the bottom up to the surface, air above: one switch per column at most.
      EXPECT_EQ(d.active[s.index(i, j, 0)], 1) << i << "," << j;
      EXPECT_EQ(d.active[s.index(i, j, s.nz - 1)], 0) << i << "," << j;
      for (std::size_t k = 1; k < s.nz; ++k) {
        EXPECT_LE(d.active[s.index(i, j, k)], d.active[s.index(i, j, k - 1)]);
      }
    }
  }
  for (std::size_t v = 0; v < s.size(); ++v) {
    active += d.active[v];
    if (!d.active[v]) {
      for (const auto& c : d.volume.channels()) ASSERT_EQ(c.values[v], 0.0f) << c.name;
    }
  }
  EXPECT_GT(active, s.size() / 2);
  EXPECT_LT(active, s.size());
}

TEST(Synth3d, FaultDistanceIsPositiveInTheHangingWall) {
  const Synth3dDeposit d = generateSynth3dDeposit(small3d(0.5, 10.0), false);
  const VolumeSpec& s = d.volume.spec();
  const auto& fd = d.volume.channel("fault_distance").values;
  const auto& rock = d.volume.channel("rock_type").values;
  for (std::size_t j = 0; j < s.ny; ++j) {
    for (std::size_t i = 0; i < s.nx; ++i) {
      for (std::size_t k = 1; k < s.nz; ++k) {
        if (!d.active[s.index(i, j, k)]) break;
        // Going up one voxel moves cell * cos(dip) away from the footwall, into the hanging wall.
        const double step = fd[s.index(i, j, k)] - fd[s.index(i, j, k - 1)];
        EXPECT_GT(step, 0.0);
        EXPECT_LE(step, 10.0 + 1e-3);
      }
    }
  }
  // Footwall granite, hanging-wall metamorphic rock.
  std::size_t graniteBelow = 0, granite = 0, metaAbove = 0, meta = 0;
  for (std::size_t v = 0; v < s.size(); ++v) {
    if (!d.active[v]) continue;
    if (rock[v] == 1.0f) {
      ++granite;
      graniteBelow += fd[v] < 0.0f;
    } else if (rock[v] == 2.0f) {
      ++meta;
      metaAbove += fd[v] > 0.0f;
    }
  }
  EXPECT_GT(double(graniteBelow), 0.8 * double(granite));
  EXPECT_GT(double(metaAbove), 0.8 * double(meta));
}

TEST(Synth3d, OrebodiesSitInTheFootwallAlterationZone) {
  for (double cell : {40.0, 10.0}) {
    const Synth3dDeposit d = generateSynth3dDeposit(small3d(0.0, cell), false);
    const auto& ore = d.volume.channel("orebody").values;
    const auto& fd = d.volume.channel("fault_distance").values;
    const auto& rock = d.volume.channel("rock_type").values;
    std::size_t active = 0, oreCount = 0, inZone = 0;
    for (std::size_t v = 0; v < ore.size(); ++v) {
      if (!d.active[v]) continue;
      ++active;
      if (ore[v] == 1.0f) {
        ++oreCount;
        inZone += fd[v] < 0.0f && rock[v] == 3.0f;
      } else {
        EXPECT_EQ(ore[v], 0.0f);
      }
    }
    EXPECT_GT(oreCount, 0u) << "cell " << cell;
    EXPECT_GT(double(inZone), 0.75 * double(oreCount)) << "cell " << cell;
    if (cell == 40.0) {
      // The default physical extent (2.56 x 2.56 x 1.28 km): a realistic ore share of the rock.
      // (A 64-voxel box of 10 m cells is zoomed onto the fault zone, so its share is larger.)
      const double fraction = double(oreCount) / double(active);
      EXPECT_GT(fraction, 0.002);
      EXPECT_LT(fraction, 0.05);
    }
  }
}

TEST(Synth3d, ShiftMovesTheTargetAwayFromTheSource) {
  std::vector<double> dipGap, haloGap;
  std::vector<float> firstSource;
  for (double shift : {0.0, 0.5, 1.0}) {
    const Synth3dPair p = generateSynth3d(small3d(shift));
    // The source does not depend on the shift.
    if (firstSource.empty()) firstSource = p.source.volume.channel("halo").values;
    EXPECT_EQ(p.source.volume.channel("halo").values, firstSource);
    dipGap.push_back(
        std::abs(activeMean(p.target, "fault_dip") - activeMean(p.source, "fault_dip")));
    haloGap.push_back(std::abs(activeMean(p.target, "halo") - activeMean(p.source, "halo")));
  }
  EXPECT_LT(dipGap[0], dipGap[1]);
  EXPECT_LT(dipGap[1], dipGap[2]);
  EXPECT_LT(dipGap[0], 3.0);  // same distribution: only the realisation differs
  EXPECT_GT(dipGap[2], 6.0);
  EXPECT_LT(haloGap[0], haloGap[1]);
  EXPECT_LT(haloGap[1], haloGap[2]);
}

TEST(Synth3d, MainFaultMeshLiesInTheBox) {
  const Synth3dDeposit d = generateSynth3dDeposit(small3d(0.5), true);
  const VolumeSpec& s = d.volume.spec();
  ASSERT_FALSE(d.mainFault.triangles.empty());
  for (const auto& t : d.mainFault.triangles) {
    for (int v : t) ASSERT_TRUE(v >= 0 && std::size_t(v) < d.mainFault.vertices.size());
  }
  for (const auto& v : d.mainFault.vertices) {
    EXPECT_GE(v.x(), s.origin[0]);
    EXPECT_LE(v.x(), s.origin[0] + double(s.nx) * s.spacing[0]);
    EXPECT_GE(v.z(), s.origin[2]);
    EXPECT_LE(v.z(), s.origin[2] + double(s.nz) * s.spacing[2]);
  }
}

TEST(Synth3d, RejectsBadOptions) {
  Synth3dOptions o = small3d(0.5);
  o.nx = 4;
  EXPECT_THROW(generateSynth3d(o), UsageError);
  o = small3d(1.5);
  EXPECT_THROW(generateSynth3dDeposit(o, false), UsageError);
  o = small3d(0.5);
  o.cell = 0.0;
  EXPECT_THROW(generateSynth3dDeposit(o, true), UsageError);
}
