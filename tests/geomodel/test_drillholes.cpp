// Drillholes: desurvey against hand-computed paths and an independent numerical
// integration of the slerp'd direction, validation of every check, merging and compositing
// by hand, and synthetic holes that log the voxels a desurvey puts them in.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/drillholes.hpp"
#include "orevox/geomodel/drillholes_synth.hpp"
#include "orevox/geomodel/synth3d.hpp"

using namespace orevox;

namespace {

constexpr double kPi = 3.14159265358979323846;

Drillhole hole(std::vector<SurveyStation> stations, double x = 1000.0, double y = 2000.0,
               double z = 300.0) {
  Drillhole h;
  h.id = "H";
  h.x = x;
  h.y = y;
  h.z = z;
  h.stations = std::move(stations);
  h.surveyed = true;
  return h;
}

void expectNear(const Eigen::Vector3d& a, const Eigen::Vector3d& b, double tol) {
  EXPECT_NEAR(a.x(), b.x(), tol);
  EXPECT_NEAR(a.y(), b.y(), tol);
  EXPECT_NEAR(a.z(), b.z(), tol);
}

// ---- an independent desurvey: unit directions written out again, slerp with acos, and the
// path integrated numerically (midpoint rule, fine steps) instead of the closed form.
Eigen::Vector3d dirOf(double az, double dipDown) {
  const double a = az * kPi / 180.0, d = dipDown * kPi / 180.0;
  return Eigen::Vector3d(std::cos(d) * std::sin(a), std::cos(d) * std::cos(a), -std::sin(d));
}

Eigen::Vector3d slerp(const Eigen::Vector3d& p, const Eigen::Vector3d& q, double t) {
  const double omega = std::acos(std::max(-1.0, std::min(1.0, p.dot(q))));
  if (omega < 1e-12) return p;
  return (std::sin((1 - t) * omega) * p + std::sin(t * omega) * q) / std::sin(omega);
}

Eigen::Vector3d integrated(const Drillhole& h, double depth) {
  std::vector<double> md;
  std::vector<Eigen::Vector3d> dir;
  if (h.stations.front().depth > 0) {
    md.push_back(0.0);
    dir.push_back(dirOf(h.stations.front().azimuth, h.stations.front().dip));
  }
  for (const auto& s : h.stations) {
    md.push_back(s.depth);
    dir.push_back(dirOf(s.azimuth, s.dip));
  }
  Eigen::Vector3d p(h.x, h.y, h.z);
  for (std::size_t i = 0; i + 1 < md.size() && md[i] < depth; ++i) {
    const double end = std::min(depth, md[i + 1]);
    const int steps = 20000;
    const double L = md[i + 1] - md[i], h0 = (end - md[i]) / steps;
    for (int k = 0; k < steps; ++k) {
      const double s = md[i] + (k + 0.5) * h0;
      p += h0 * slerp(dir[i], dir[i + 1], (s - md[i]) / L);
    }
  }
  if (depth > md.back()) p += (depth - md.back()) * dir.back();
  return p;
}

}  // namespace

TEST(Desurvey, VerticalAndStraightInclinedHolesByHand) {
  const HoleTrajectory vertical(hole({{0.0, 0.0, 90.0, 0}}), DesurveyMethod::MinimumCurvature);
  expectNear(vertical.position(123.5), {1000.0, 2000.0, 300.0 - 123.5}, 1e-9);
  // Azimuth 90 (east), dip 60 down: direction (cos 60, 0, -sin 60).
  const HoleTrajectory inclined(hole({{0.0, 90.0, 60.0, 0}, {50.0, 90.0, 60.0, 0}}),
                                DesurveyMethod::MinimumCurvature);
  expectNear(inclined.position(100.0),
             {1000.0 + 50.0, 2000.0, 300.0 - 100.0 * std::sqrt(3.0) / 2.0}, 1e-9);
  expectNear(inclined.position(20.0), {1000.0 + 10.0, 2000.0, 300.0 - 20.0 * std::sqrt(3.0) / 2.0},
             1e-9);
  // An up-hole from underground: dip -30 (up) toward north.
  const HoleTrajectory up(hole({{0.0, 0.0, -30.0, 0}}), DesurveyMethod::MinimumCurvature);
  expectNear(up.position(10.0), {1000.0, 2000.0 + 10.0 * std::sqrt(3.0) / 2.0, 305.0}, 1e-9);
}

TEST(Desurvey, NinetyDegreeTurnIsAQuarterCircle) {
  // Horizontal to the north at the collar, vertically down at 100 m: a quarter circle of
  // radius R = 100 / (pi / 2) in the y-z plane, centred R below the collar.
  const Drillhole h = hole({{0.0, 0.0, 0.0, 0}, {100.0, 0.0, 90.0, 0}}, 0.0, 0.0, 0.0);
  const HoleTrajectory mc(h, DesurveyMethod::MinimumCurvature);
  const double R = 200.0 / kPi;
  expectNear(mc.position(100.0), {0.0, R, -R}, 1e-9);
  expectNear(mc.position(50.0), {0.0, R * std::sin(kPi / 4), -(R - R * std::cos(kPi / 4))}, 1e-9);
  expectNear(mc.position(25.0), {0.0, R * std::sin(kPi / 8), -(R - R * std::cos(kPi / 8))}, 1e-9);
  expectNear(mc.direction(50.0), {0.0, std::sqrt(0.5), -std::sqrt(0.5)}, 1e-12);
  // Beyond the last station: straight down.
  expectNear(mc.position(130.0), {0.0, R, -R - 30.0}, 1e-9);
  // Tangent: straight north to 100 m, then straight down.
  const HoleTrajectory tangent(h, DesurveyMethod::Tangent);
  expectNear(tangent.position(100.0), {0.0, 100.0, 0.0}, 1e-9);
  expectNear(tangent.position(60.0), {0.0, 60.0, 0.0}, 1e-9);
  expectNear(tangent.position(110.0), {0.0, 100.0, -10.0}, 1e-9);
  // Points of an interval's path: both ends and the station inside.
  const auto path = mc.path(90.0, 120.0);
  ASSERT_EQ(path.size(), 3u);
  expectNear(path[1], {0.0, R, -R}, 1e-9);
}

TEST(Desurvey, AboveTheFirstStationTheHoleRunsAlongItsDirection) {
  // First station at 40 m: straight from the collar along its direction.
  const HoleTrajectory t(hole({{40.0, 180.0, 45.0, 0}, {80.0, 180.0, 45.0, 0}}, 0, 0, 0),
                         DesurveyMethod::MinimumCurvature);
  const double c = std::sqrt(0.5);
  expectNear(t.position(20.0), {0.0, -20.0 * c, -20.0 * c}, 1e-9);
  expectNear(t.position(100.0), {0.0, -100.0 * c, -100.0 * c}, 1e-9);
}

TEST(Desurvey, MatchesNumericalIntegrationOfTheSlerpedDirection) {
  std::mt19937_64 rng(20240611);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  double worst = 0.0;
  for (int n = 0; n < 40; ++n) {
    std::vector<SurveyStation> st;
    double depth = u(rng) < 0.5 ? 0.0 : 5.0 + 30.0 * u(rng);
    const int count = 1 + int(u(rng) * 7);
    for (int i = 0; i < count; ++i) {
      // Azimuths anywhere, dips from up-holes to vertical, some tiny doglegs.
      const bool tiny = i > 0 && u(rng) < 0.2;
      st.push_back({depth, tiny ? st.back().azimuth + 1e-6 : 360.0 * u(rng),
                    tiny ? st.back().dip : -80.0 + 170.0 * u(rng), 0});
      depth += 3.0 + 80.0 * u(rng);
    }
    const Drillhole h = hole(st, 5e5 * u(rng), 7e6 * u(rng), 400.0 * u(rng));
    const HoleTrajectory t(h, DesurveyMethod::MinimumCurvature);
    const double length = depth + 20.0;
    for (double d : {0.0, 0.5 * st.front().depth, st.front().depth, 0.37 * length, 0.5 * length,
                     0.81 * length, st.back().depth, length}) {
      const Eigen::Vector3d a = t.position(d), b = integrated(h, d);
      const double err = (a - b).norm();
      worst = std::max(worst, err / length);
      EXPECT_LT(err, 1e-6 * length) << "hole " << n << " depth " << d;
    }
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", worst);
  RecordProperty("worst_relative_error", text);
}

// ---------------------------------------------------------------- validation

namespace {

CollarTable collars(std::vector<std::string> ids, std::vector<double> depth = {}) {
  CollarTable c;
  c.file = "c.csv";
  c.holeName = "HOLEID";
  c.xName = "X";
  c.yName = "Y";
  c.zName = "Z";
  c.depthName = "DEPTH";
  c.holeColumn = 1;
  c.xColumn = 2;
  c.yColumn = 3;
  c.zColumn = 4;
  c.depthColumn = 5;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    c.holeIds.push_back(ids[i]);
    c.x.push_back(100.0 * double(i));
    c.y.push_back(0.0);
    c.z.push_back(50.0);
    c.depth.push_back(depth.empty() ? kNotAssayed : depth[i]);
    c.lines.push_back(long(i) + 2);
  }
  return c;
}

SurveyTable surveys(const std::vector<std::tuple<std::string, double, double, double>>& rows) {
  SurveyTable s;
  s.file = "s.csv";
  s.holeName = "HOLEID";
  s.depthName = "AT";
  s.azimuthName = "AZ";
  s.dipName = "DIP";
  s.holeColumn = 1;
  s.depthColumn = 2;
  s.azimuthColumn = 3;
  s.dipColumn = 4;
  long line = 2;
  for (const auto& [id, at, az, dip] : rows) {
    s.holeIds.push_back(id);
    s.depth.push_back(at);
    s.azimuth.push_back(az);
    s.dip.push_back(dip);
    s.lines.push_back(line++);
  }
  return s;
}

IntervalTable intervals(const std::vector<std::tuple<std::string, double, double, double>>& rows,
                        const std::string& file = "a.csv", const std::string& field = "CU") {
  IntervalTable t;
  t.file = file;
  t.name = file.substr(0, file.find('.'));
  t.holeName = "HOLEID";
  t.fromName = "FROM";
  t.toName = "TO";
  t.holeColumn = 1;
  t.fromColumn = 2;
  t.toColumn = 3;
  IntervalField f;
  f.name = field;
  f.column = 4;
  long line = 2;
  for (const auto& [id, from, to, v] : rows) {
    t.holeIds.push_back(id);
    t.from.push_back(from);
    t.to.push_back(to);
    t.lines.push_back(line++);
    f.values.push_back(v);
  }
  t.fields.push_back(f);
  return t;
}

std::size_t rowsOf(const ValidationLog& log, const std::string& check) {
  const auto m = log.rowsByCheck();
  return m.count(check) ? m.at(check) : 0;
}

const ValidationRow* findRow(const ValidationLog& log, const std::string& check) {
  for (const auto& r : log.rows)
    if (r.check == check) return &r;
  return nullptr;
}

}  // namespace

TEST(DrillholeValidation, EveryCheckIsAnErrorOrACountedWarning) {
  CollarTable c = collars({"A", "B", "C", "A", "D"}, {100.0, kNotAssayed, 40.0, 100.0, 50.0});
  c.x[3] = c.x[0];  // an identical repeat of A's row
  // A: stations at 0 and 50, a sentinel at 90000 beyond its depth (100), a repeat.
  // B: no collar depth; intervals to 30; stations at 0 and 500 (beyond the intervals).
  // C: no survey row at all. D: an azimuth of 385 (read as 25). X: no collar.
  const SurveyTable s = surveys({{"A", 0, 90, 60},
                                 {"A", 50, 90, 60},
                                 {"A", 50, 90, 60},
                                 {"A", 90000, 90, 60},
                                 {"B", 0, 0, 90},
                                 {"B", 500, 0, 90},
                                 {"D", 0, 385, 70},
                                 {"X", 0, 0, 90}});
  const IntervalTable a = intervals({{"A", 0, 10, 1.0},
                                     {"A", 10, 10, 2.0},  // zero length
                                     {"A", 20, 15, 2.0},  // from after to
                                     {"A", 10, 20, 3.0},
                                     {"A", 15, 25, 4.0},   // overlaps 10-20
                                     {"A", 10, 20, 3.0},   // identical repeat
                                     {"A", 90, 110, 5.0},  // beyond A's depth of 100
                                     {"B", 0, 30, 6.0},
                                     {"X", 0, 5, 7.0},
                                     {"X", 5, 9, 7.0},
                                     {"C", 0, 4, 8.0},
                                     {"D", 2, 6, 9.0}});
  DrillholeValidationOptions o;
  ValidationLog log;
  const DrillholeDatabase db = buildDrillholeDatabase(c, &s, {a}, o, log);

  ASSERT_EQ(db.holes.size(), 4u);  // the identical repeat of A dropped
  EXPECT_EQ(rowsOf(log, "duplicate_collar"), 1u);
  // Every survey 'A' at 50 kept once, the sentinel dropped; A's depth became 110.
  const Drillhole& A = db.holes[0];
  EXPECT_DOUBLE_EQ(A.depth, 110.0);
  ASSERT_EQ(A.stations.size(), 2u);
  EXPECT_EQ(rowsOf(log, "duplicate_survey"), 1u);
  EXPECT_EQ(rowsOf(log, "survey_beyond_depth"), 2u);  // A at 90000, B at 500
  const ValidationRow* sentinel = findRow(log, "survey_beyond_depth");
  ASSERT_NE(sentinel, nullptr);
  EXPECT_EQ(sentinel->line, 5);
  EXPECT_EQ(sentinel->value, "90000");
  EXPECT_EQ(sentinel->column, "AT");
  EXPECT_EQ(rowsOf(log, "survey_without_collar"), 1u);
  EXPECT_EQ(rowsOf(log, "azimuth_out_of_range"), 1u);
  EXPECT_NEAR(db.holes[3].stations[0].azimuth, 25.0, 1e-12);
  EXPECT_DOUBLE_EQ(db.holes[1].depth, 30.0);  // B: from its intervals
  EXPECT_FALSE(db.holes[2].surveyed);         // C: vertical
  EXPECT_DOUBLE_EQ(db.holes[2].stations[0].dip, 90.0);
  EXPECT_EQ(rowsOf(log, "no_survey"), 1u);
  // All dips positive: down-positive by majority.
  EXPECT_EQ(log.dipConvention, DipConvention::DownPositive);
  EXPECT_TRUE(log.dipDecidedByMajority);

  EXPECT_EQ(rowsOf(log, "zero_length_interval"), 1u);
  EXPECT_EQ(rowsOf(log, "from_after_to"), 1u);
  EXPECT_EQ(rowsOf(log, "overlapping_interval"), 1u);
  EXPECT_EQ(rowsOf(log, "duplicate_interval"), 1u);
  EXPECT_EQ(rowsOf(log, "interval_beyond_depth"), 1u);
  EXPECT_EQ(rowsOf(log, "interval_without_collar"), 2u);  // one warning row for X's two rows
  EXPECT_EQ(findRow(log, "interval_without_collar")->skipped, 2u);
  // A keeps 0-10, 10-20, 90-110; B 0-30; C 0-4; D 2-6.
  const IntervalTable& t = db.tables[0];
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t.holeIds, (std::vector<std::string>{"A", "A", "A", "B", "C", "D"}));
  EXPECT_EQ(t.from, (std::vector<double>{0, 10, 90, 0, 0, 2}));
  EXPECT_EQ(t.fields[0].values, (std::vector<double>{1, 3, 5, 6, 8, 9}));
  // Row counts per file.
  ASSERT_EQ(log.files.size(), 3u);
  EXPECT_EQ(log.files[0].read, 5u);
  EXPECT_EQ(log.files[0].kept, 4u);
  EXPECT_EQ(log.files[1].read, 8u);
  EXPECT_EQ(log.files[1].skipped, 4u);  // repeat, X, sentinel, B at 500
  EXPECT_EQ(log.files[2].read, 12u);
  EXPECT_EQ(log.files[2].skipped, 6u);
  EXPECT_EQ(log.files[2].kept, 6u);
}

TEST(DrillholeValidation, ErrorsNameFileLineColumnAndValue) {
  DrillholeValidationOptions o;
  {
    CollarTable c = collars({"A", "A"});
    c.x[1] = 5.0;  // the same hole elsewhere
    ValidationLog log;
    try {
      buildDrillholeDatabase(c, nullptr, {}, o, log);
      FAIL() << "no error";
    } catch (const DataError& e) {
      EXPECT_STREQ(e.what(),
                   "c.csv:3:1: column 'HOLEID': value 'A': duplicate collar: hole 'A' is also at "
                   "line 2 with other coordinates or depth");
    }
  }
  {
    ValidationLog log;
    const SurveyTable s = surveys({{"A", 0, 10, 95}});
    try {
      buildDrillholeDatabase(collars({"A"}), &s, {}, o, log);
      FAIL() << "no error";
    } catch (const DataError& e) {
      EXPECT_STREQ(e.what(), "s.csv:2:4: column 'DIP': value '95': dip outside [-90, 90] degrees");
    }
  }
  {
    ValidationLog log;
    const SurveyTable s = surveys({{"A", 0, 10, 45}, {"A", 10, 10, -45}});
    EXPECT_THROW(buildDrillholeDatabase(collars({"A"}), &s, {}, o, log), DataError);  // a tie
    DrillholeValidationOptions given;
    given.dip = DipConvention::DownNegative;
    ValidationLog log2;
    const DrillholeDatabase db = buildDrillholeDatabase(collars({"A"}), &s, {}, given, log2);
    EXPECT_DOUBLE_EQ(db.holes[0].stations[0].dip, -45.0);  // +45 = up in down-negative
    EXPECT_FALSE(log2.dipDecidedByMajority);
  }
  {
    // --strict: a skipped interval is an error at its place.
    DrillholeValidationOptions strict;
    strict.strict = true;
    ValidationLog log;
    const IntervalTable a = intervals({{"A", 5, 2, 1.0}});
    try {
      buildDrillholeDatabase(collars({"A"}), nullptr, {a}, strict, log);
      FAIL() << "no error";
    } catch (const DataError& e) {
      EXPECT_STREQ(e.what(),
                   "a.csv:2:3: column 'TO': value '2': from_after_to in hole 'A' (an error with "
                   "--strict; without it: row skipped)");
    }
    // Warnings that change nothing stay warnings under --strict.
    ValidationLog log2;
    EXPECT_NO_THROW(buildDrillholeDatabase(collars({"A"}), nullptr, {intervals({{"A", 0, 2, 1.0}})},
                                           strict, log2));
    EXPECT_EQ(rowsOf(log2, "no_survey"), 1u);
  }
}

TEST(DrillholeValidation, MajorityDipSignKeepsUpHolesAndFlagsMixturesAndDoglegs) {
  // Down-negative file (majority negative); U is an underground up-hole (+30 = up);
  // M flips sign once, by 80 degrees within 12 m.
  const SurveyTable s = surveys({{"D", 0, 0, -60},
                                 {"D", 30, 0, -61},
                                 {"U", 0, 45, 30},
                                 {"M", 0, 10, -42},
                                 {"M", 12, 10, 38},
                                 {"M", 24, 10, -42}});
  ValidationLog log;
  const DrillholeDatabase db = buildDrillholeDatabase(collars({"D", "U", "M"}), &s, {}, {}, log);
  EXPECT_EQ(log.dipConvention, DipConvention::DownNegative);
  EXPECT_EQ(log.negativeDips, 4u);
  EXPECT_EQ(log.positiveDips, 2u);
  EXPECT_DOUBLE_EQ(db.holes[1].stations[0].dip, -30.0);  // up
  const HoleTrajectory up(db.holes[1], DesurveyMethod::MinimumCurvature);
  EXPECT_NEAR(up.position(10.0).z(), 50.0 + 5.0, 1e-9);
  EXPECT_EQ(rowsOf(log, "mixed_dip_sign"), 3u);  // one warning for M's 3 stations
  EXPECT_EQ(rowsOf(log, "dogleg"), 2u);          // -42 -> 38 and back, 80 degrees each
  EXPECT_EQ(findRow(log, "dogleg")->value, "80 degrees between depths 0 and 12");
}

// ---------------------------------------------------------------- merging and compositing

TEST(Intervals, MergeSplitsAtTheUnionOfBoundaries) {
  // Assays 0-4 (1.0), 4-10 (2.0); lithology 2-6 (code granite) with a gap 6-8 then 8-12.
  const IntervalTable assays = intervals({{"A", 0, 4, 1.0}, {"A", 4, 10, 2.0}}, "assay.csv", "CU");
  IntervalTable lith = intervals({{"A", 2, 6, 0}, {"A", 8, 12, 0}}, "lith.csv", "LITH");
  lith.fields[0].categorical = true;
  lith.fields[0].values.clear();
  lith.fields[0].codes = {0, 1};
  lith.fields[0].categories = {"granite", "basalt"};
  IntervalTable assays2 = assays;  // a field named like an output column gets renamed
  assays2.fields[0].name = "x";
  ValidationLog log;
  const DrillholeDatabase db =
      buildDrillholeDatabase(collars({"A"}), nullptr, {assays, lith}, {}, log);
  const IntervalTable m = mergeIntervalTables(db);
  EXPECT_EQ(m.from, (std::vector<double>{0, 2, 4, 6, 8, 10}));
  EXPECT_EQ(m.to, (std::vector<double>{2, 4, 6, 8, 10, 12}));
  ASSERT_EQ(m.fields.size(), 2u);
  const auto& cu = m.fields[0].values;
  EXPECT_EQ(cu[0], 1.0);
  EXPECT_EQ(cu[1], 1.0);
  EXPECT_EQ(cu[2], 2.0);
  EXPECT_EQ(cu[4], 2.0);
  EXPECT_TRUE(std::isnan(cu[5]));
  EXPECT_EQ(m.fields[1].codes, (std::vector<std::int32_t>{-1, 0, 0, -1, 1, 1}));

  ValidationLog log2;
  const DrillholeDatabase db2 =
      buildDrillholeDatabase(collars({"A"}), nullptr, {assays2, lith}, {}, log2);
  std::vector<std::pair<std::string, std::string>> renamed;
  const IntervalTable m2 = mergeIntervalTables(db2, &renamed);
  ASSERT_EQ(renamed.size(), 1u);
  EXPECT_EQ(m2.fields[0].name, "assay_x");
}

TEST(Intervals, CompositesByHand) {
  // 0-3 CU 1, 3-4 not assayed, 4-7 CU 4 (below detection at 4 = counts 2), 7-11.5 CU 10.
  IntervalTable t = intervals(
      {{"A", 0, 3, 1.0}, {"A", 3, 4, kNotAssayed}, {"A", 4, 7, 4.0}, {"A", 7, 11.5, 10.0}});
  t.fields[0].belowDetection = {0, 0, 1, 0};
  IntervalField rock;
  rock.name = "ROCK";
  rock.categorical = true;
  rock.categories = {"a", "b"};
  rock.codes = {0, 0, 1, 1};
  t.fields.push_back(rock);
  ValidationLog log;
  const DrillholeDatabase db = buildDrillholeDatabase(collars({"A"}), nullptr, {t}, {}, log);
  const IntervalTable merged = mergeIntervalTables(db);

  CompositeOptions o;
  o.length = 5.0;
  o.residual = ResidualRule::Drop;
  o.minCoverage = 0.0;
  CompositeSummary sum;
  IntervalTable c = compositeIntervals(merged, o, &sum);
  // 0-5: CU (3*1 + 1*2) / 4 = 1.25 (the not-assayed metre excluded); rock a (3 m) vs b (1 m).
  // 5-10: (2*2 + 3*10) / 5 = 6.8; rock b. Residual 10-11.5 dropped.
  ASSERT_EQ(c.size(), 2u);
  EXPECT_DOUBLE_EQ(c.fields[0].values[0], 1.25);
  EXPECT_DOUBLE_EQ(c.fields[0].values[1], 6.8);
  EXPECT_EQ(c.fields[1].codes, (std::vector<std::int32_t>{0, 1}));
  EXPECT_EQ(sum.residualsDropped, 1u);
  EXPECT_DOUBLE_EQ(sum.droppedLength, 1.5);
  EXPECT_DOUBLE_EQ(sum.fields[0].notAssayedLength, 1.0);
  EXPECT_DOUBLE_EQ(sum.fields[0].belowDetectionLength, 3.0);
  EXPECT_DOUBLE_EQ(sum.fields[0].assayedLength, 9.0);

  o.residual = ResidualRule::Keep;
  c = compositeIntervals(merged, o);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_DOUBLE_EQ(c.from[2], 10.0);
  EXPECT_DOUBLE_EQ(c.to[2], 11.5);
  EXPECT_DOUBLE_EQ(c.fields[0].values[2], 10.0);

  o.residual = ResidualRule::Merge;
  c = compositeIntervals(merged, o);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_DOUBLE_EQ(c.to[1], 11.5);
  EXPECT_DOUBLE_EQ(c.fields[0].values[1], (2 * 2 + 4.5 * 10) / 6.5);

  // Minimum coverage 0.9: 0-5 has 4 of 5 m assayed (0.8): left blank.
  o.minCoverage = 0.9;
  c = compositeIntervals(merged, o);
  EXPECT_TRUE(std::isnan(c.fields[0].values[0]));
  EXPECT_DOUBLE_EQ(c.fields[0].values[1], (2 * 2 + 4.5 * 10) / 6.5);

  // Breaking at ROCK: runs 0-4 (a) and 4-11.5 (b); composites of 5 with merge.
  o.minCoverage = 0.0;
  o.domain = "ROCK";
  c = compositeIntervals(merged, o);
  ASSERT_EQ(c.size(), 2u);  // 0-4 (shorter than 5: kept alone), 4-11.5 (5 + 2.5 merged)
  EXPECT_EQ(c.from, (std::vector<double>{0.0, 4.0}));
  EXPECT_EQ(c.to, (std::vector<double>{4.0, 11.5}));
  EXPECT_DOUBLE_EQ(c.fields[0].values[0], 1.0);
  EXPECT_DOUBLE_EQ(c.fields[0].values[1], (3 * 2 + 4.5 * 10) / 7.5);
  // Every assayed part below detection: the composite is below detection at the limit.
  o.domain.clear();
  o.length = 2.0;
  o.residual = ResidualRule::Keep;
  c = compositeIntervals(merged, o);
  // 4-6 lies in the below-detection interval.
  ASSERT_GE(c.size(), 3u);
  EXPECT_DOUBLE_EQ(c.from[2], 4.0);
  EXPECT_DOUBLE_EQ(c.fields[0].values[2], 4.0);
  EXPECT_TRUE(c.fields[0].isBelowDetection(2));
  EXPECT_THROW(compositeIntervals(merged, CompositeOptions{}), UsageError);
  o.domain = "NOPE";
  EXPECT_THROW(compositeIntervals(merged, o), UsageError);
}

TEST(Intervals, CategoricalTiesGoToTheFirstDownhole) {
  IntervalTable t = intervals({{"A", 0, 1, 0.0}, {"A", 1, 2, 0.0}});
  t.fields[0].categorical = true;
  t.fields[0].values.clear();
  t.fields[0].categories = {"b", "a"};
  t.fields[0].codes = {1, 0};  // a then b, one metre each
  ValidationLog log;
  const DrillholeDatabase db = buildDrillholeDatabase(collars({"A"}), nullptr, {t}, {}, log);
  CompositeOptions o;
  o.length = 2.0;
  const IntervalTable c = compositeIntervals(mergeIntervalTables(db), o);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c.fields[0].category(0), "a");
}

// ---------------------------------------------------------------- synthetic holes

TEST(SynthDrillholes, SamplesLieInTheVoxelsWhoseTruthTheyLog) {
  Synth3dOptions so;
  so.seed = 7;
  so.nx = 32;
  so.ny = 32;
  so.nz = 16;
  so.cell = 20.0;
  const Synth3dDeposit deposit = generateSynth3dDeposit(so, false);
  SynthDrillholeOptions o;
  o.holes = 12;
  o.seed = 7;
  const SynthDrillholes holes = synth3dDrillholes(deposit.volume, deposit.active, o, false);
  ASSERT_EQ(holes.collars.size(), 12u);
  ASSERT_GT(holes.intervals.size(), 12u * 5u);
  // Same seed, same holes; the target's holes come from other streams.
  const SynthDrillholes again = synth3dDrillholes(deposit.volume, deposit.active, o, false);
  EXPECT_EQ(again.collars.x, holes.collars.x);
  const SynthDrillholes other = synth3dDrillholes(deposit.volume, deposit.active, o, true);
  EXPECT_NE(other.collars.x, holes.collars.x);

  // Validate and desurvey the tables as a user would (dips are down-negative).
  ValidationLog log;
  const DrillholeDatabase db =
      buildDrillholeDatabase(holes.collars, &holes.surveys, {holes.intervals}, {}, log);
  EXPECT_EQ(log.dipConvention, DipConvention::DownNegative);
  EXPECT_EQ(log.rows.size(), 0u) << log.rows.front().check;
  const auto paths = desurveyHoles(db, DesurveyMethod::MinimumCurvature);
  const DesurveyedIntervals p = desurveyIntervals(paths, db.tables[0]);
  const VolumeSpec& s = deposit.volume.spec();
  const auto& halo = deposit.volume.channel("halo").values;
  const auto& rock = deposit.volume.channel("rock_type").values;
  const IntervalTable& t = db.tables[0];
  std::size_t orebody = 0;
  for (std::size_t r = 0; r < t.size(); ++r) {
    const std::size_t i = std::size_t((p.middle[r].x() - s.origin[0]) / s.spacing[0]);
    const std::size_t j = std::size_t((p.middle[r].y() - s.origin[1]) / s.spacing[1]);
    const std::size_t k = std::size_t((p.middle[r].z() - s.origin[2]) / s.spacing[2]);
    ASSERT_LT(i, s.nx);
    ASSERT_LT(j, s.ny);
    ASSERT_LT(k, s.nz);
    const std::size_t v = s.index(i, j, k);
    EXPECT_EQ(t.fields[1].values[r], double(halo[v]));
    EXPECT_EQ(t.fields[0].codes[r] + 1, int(rock[v]));
    orebody += t.fields[2].values[r] > 0.5;
  }
  // Inclined: 55-75 degrees down toward the west (azimuth 250-290).
  EXPECT_LT(holes.surveys.dip[0], -54.9);
  EXPECT_GT(holes.surveys.dip[0], -75.1);
  EXPECT_GT(holes.surveys.azimuth[0], 249.9);
  EXPECT_LT(holes.surveys.azimuth[0], 290.1);
  RecordProperty("ore_intervals", std::to_string(orebody));
}
