// Torch-free core of the graph path: element graphs, splits, metrics, oversamplers,
// classical baselines and prospect zones. Expected values by hand or brute force.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <set>

#include "orevox/geomodel/correlation.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/learning/classical.hpp"
#include "orevox/learning/element_graph.hpp"
#include "orevox/learning/metrics.hpp"
#include "orevox/learning/oversample.hpp"
#include "orevox/learning/prospect_zones.hpp"
#include "orevox/learning/splits.hpp"
#include "orevox/voxel/spatial_index.hpp"

using namespace orevox;

namespace {

double bruteAuc(const std::vector<int>& y, const std::vector<double>& s) {
  double wins = 0, pairs = 0;
  for (std::size_t i = 0; i < y.size(); ++i)
    for (std::size_t j = 0; j < y.size(); ++j)
      if (y[i] == 1 && y[j] == 0) {
        pairs += 1;
        wins += s[i] > s[j] ? 1.0 : (s[i] == s[j] ? 0.5 : 0.0);
      }
  return wins / pairs;
}

}  // namespace

TEST(GraphMetrics, AucMatchesBruteForceWithTies) {
  Rng rng = makeRng(7, 0);
  std::uniform_int_distribution<int> coarse(0, 9);
  for (int trial = 0; trial < 5; ++trial) {
    std::vector<int> y;
    std::vector<double> s;
    for (int i = 0; i < 200; ++i) {
      y.push_back(i % 4 == 0 ? 1 : 0);
      s.push_back(coarse(rng) / 10.0 + (y.back() ? 0.1 : 0.0));  // many ties
    }
    EXPECT_NEAR(rocAuc(y, s), bruteAuc(y, s), 1e-12);
  }
  EXPECT_DOUBLE_EQ(rocAuc({0, 0, 1, 1}, {0.1, 0.2, 0.3, 0.4}), 1.0);
  EXPECT_DOUBLE_EQ(rocAuc({0, 1}, {0.5, 0.5}), 0.5);
  EXPECT_TRUE(std::isnan(rocAuc({1, 1}, {0.1, 0.2})));
}

TEST(GraphMetrics, ConfusionAndPaperEquations) {
  // TP = 2, FN = 1, TN = 3, FP = 1.
  const std::vector<int> y{1, 1, 1, 0, 0, 0, 0};
  const std::vector<double> s{0.9, 0.6, 0.2, 0.1, 0.4, 0.3, 0.7};
  const BinaryMetrics m = evaluateBinary(y, s, 0.5, 0);
  EXPECT_EQ(m.confusion.tp, 2u);
  EXPECT_EQ(m.confusion.fn, 1u);
  EXPECT_EQ(m.confusion.tn, 3u);
  EXPECT_EQ(m.confusion.fp, 1u);
  EXPECT_DOUBLE_EQ(m.accuracy, 5.0 / 7.0);
  EXPECT_DOUBLE_EQ(m.sensitivity, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.specificity, 3.0 / 4.0);
  const double p = 2.0 / 3.0, r = 2.0 / 3.0;
  EXPECT_NEAR(m.f1, 2 * p * r / (p + r), 1e-12);
  EXPECT_DOUBLE_EQ(m.auc, bruteAuc(y, s));
}

TEST(GraphMetrics, BootstrapIntervalIsSeededAndBracketsAuc) {
  std::vector<int> y;
  std::vector<double> s;
  Rng rng = makeRng(3, 0);
  std::normal_distribution<double> n(0, 1);
  for (int i = 0; i < 300; ++i) {
    y.push_back(i % 5 == 0);
    s.push_back(n(rng) + (y.back() ? 1.0 : 0.0));
  }
  const auto a = bootstrapAucInterval(y, s, 200, 11);
  const auto b = bootstrapAucInterval(y, s, 200, 11);
  EXPECT_EQ(a, b);
  const double auc = rocAuc(y, s);
  EXPECT_LT(a.first, auc);
  EXPECT_GT(a.second, auc);
}

TEST(GraphMetrics, SuccessRateAndTopAreaCapture) {
  // 10 cells, scores 9..0; deposits in cells with scores 9 and 5 and one in a NaN cell.
  std::vector<double> scores{9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
  scores.push_back(std::nan(""));
  const std::vector<std::size_t> deposits{0, 4, 10};
  EXPECT_NEAR(captureInTopArea(scores, deposits, 0.1), 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(captureInTopArea(scores, deposits, 0.5), 2.0 / 3.0, 1e-12);
  const SuccessRateCurve c = successRateCurve(scores, deposits);
  ASSERT_EQ(c.areaFraction.size(), 11u);
  EXPECT_DOUBLE_EQ(c.areaFraction[1], 0.1);
  EXPECT_NEAR(c.depositFraction[1], 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(c.depositFraction[10], 2.0 / 3.0, 1e-12);
}

TEST(GraphSplits, StratifiedFoldsKeepClassShares) {
  std::vector<int> y(103, 0);
  for (int i = 0; i < 23; ++i) y[std::size_t(i * 4)] = 1;
  const auto folds = stratifiedKFold(y, 10, 5);
  std::vector<int> seen(y.size(), 0);
  for (const auto& f : folds) {
    std::size_t pos = 0;
    for (auto r : f.test) {
      seen[r] += 1;
      pos += std::size_t(y[r]);
    }
    EXPECT_TRUE(pos == 2 || pos == 3);
    EXPECT_EQ(f.train.size() + f.test.size(), y.size());
  }
  for (int v : seen) EXPECT_EQ(v, 1);
  EXPECT_EQ(stratifiedKFold(y, 10, 5)[3].test, folds[3].test);
}

TEST(GraphSplits, SpatialFoldsNeverShareABlock) {
  Rng rng = makeRng(9, 0);
  std::uniform_real_distribution<double> u(0, 20000);
  std::vector<double> x, y;
  std::vector<int> labels;
  for (int i = 0; i < 800; ++i) {
    x.push_back(u(rng));
    y.push_back(u(rng));
    labels.push_back(x.back() < 3000 || y.back() > 18000 ? 1 : 0);
  }
  std::vector<long> block;
  const auto folds = spatialBlockFolds(x, y, labels, 5, 2500.0, 3, &block);
  ASSERT_EQ(folds.size(), 5u);
  std::vector<int> tested(x.size(), 0);
  for (const auto& f : folds) {
    std::set<long> trainBlocks, testBlocks;
    for (auto r : f.train) trainBlocks.insert(block[r]);
    for (auto r : f.test) {
      testBlocks.insert(block[r]);
      tested[r] += 1;
    }
    for (long b : testBlocks)
      EXPECT_EQ(trainBlocks.count(b), 0u) << "block " << b << " on both sides";
    // Block id is floor((x - xmin) / 2500), floor((y - ymin) / 2500): recompute by brute force.
    const double x0 = *std::min_element(x.begin(), x.end()),
                 y0 = *std::min_element(y.begin(), y.end());
    std::set<std::pair<long, long>> trainCells;
    for (auto t : f.train)
      trainCells.insert(
          {long(std::floor((x[t] - x0) / 2500)), long(std::floor((y[t] - y0) / 2500))});
    for (auto r : f.test) {
      EXPECT_EQ(trainCells.count(
                    {long(std::floor((x[r] - x0) / 2500)), long(std::floor((y[r] - y0) / 2500))}),
                0u)
          << "row " << r << " shares a block with the training fold";
    }
    std::size_t pos = 0;
    for (auto r : f.test) pos += std::size_t(labels[r]);
    EXPECT_GT(pos, 0u);  // positives spread over the folds
  }
  for (int v : tested) EXPECT_EQ(v, 1);
  EXPECT_THROW(spatialBlockFolds(x, y, labels, 5, 1e6, 3), UsageError);
}

TEST(GraphSplits, BufferedLeaveOneDepositOutKeepsTrainingOutOfTheBuffer) {
  Rng rng = makeRng(11, 0);
  std::uniform_real_distribution<double> u(0, 20000);
  std::vector<double> x, y;
  for (int i = 0; i < 1500; ++i) {
    x.push_back(u(rng));
    y.push_back(u(rng));
  }
  // Two deposits 1.5 km apart (their test discs overlap) and one far away; one off the map.
  const std::vector<double> dx{5000, 6500, 15000, 90000}, dy{5000, 5000, 12000, 90000};
  const double radius = 1000, buffer = 1200;
  const auto folds = bufferedDepositFolds(x, y, dx, dy, radius, buffer);
  ASSERT_EQ(folds.size(), 3u);  // the deposit without samples gives no fold
  std::vector<int> tested(x.size(), 0);
  for (std::size_t f = 0; f < folds.size(); ++f) {
    ASSERT_FALSE(folds[f].test.empty());
    for (auto t : folds[f].test) {
      tested[t] += 1;
      // Within the radius of the fold's deposit, and nearer to it than to any other deposit.
      const double own = std::hypot(x[t] - dx[f], y[t] - dy[f]);
      EXPECT_LE(own, radius);
      for (std::size_t d = 0; d < dx.size(); ++d)
        EXPECT_LE(own, std::hypot(x[t] - dx[d], y[t] - dy[d]));
    }
    // Brute force: no training sample within the buffer of any test sample, and every
    // sample outside the buffer (and not tested) is trained on.
    std::set<std::size_t> train(folds[f].train.begin(), folds[f].train.end()),
        test(folds[f].test.begin(), folds[f].test.end());
    for (std::size_t i = 0; i < x.size(); ++i) {
      double nearest = 1e300;
      for (auto t : folds[f].test)
        nearest = std::min(nearest, std::hypot(x[i] - x[t], y[i] - y[t]));
      if (test.count(i)) {
        EXPECT_EQ(train.count(i), 0u);
      } else {
        EXPECT_EQ(train.count(i) == 1, nearest > buffer)
            << "fold " << f << " row " << i << " at " << nearest << " m";
      }
    }
  }
  for (std::size_t i = 0; i < x.size(); ++i)
    EXPECT_LE(tested[i], 1) << "row " << i << " tested twice";
  EXPECT_THROW(bufferedDepositFolds(x, y, {90000}, {90000}, radius, buffer), UsageError);
  EXPECT_THROW(bufferedDepositFolds(x, y, dx, dy, 0.0, buffer), UsageError);
  EXPECT_THROW(bufferedDepositFolds(x, y, dx, dy, radius, -1.0), UsageError);
}

TEST(GraphSplits, VariogramRangeOfAStepField) {
  // Values on a line: v = sin(2 pi x / 8000) -> gamma reaches the sill near a quarter period.
  std::vector<double> x, y, v;
  for (int i = 0; i < 400; ++i) {
    x.push_back(i * 50.0);
    y.push_back(0.0);
    v.push_back(std::sin(2 * M_PI * x.back() / 8000.0));
  }
  const Variogram vg = empiricalVariogram(x, y, v, 8000, 40, 1000, 1);
  const double range = practicalRange(vg);
  // gamma(h) = 1/2 (1 - cos(2 pi h / 8000)) * 2 var ... reaches 0.95 var near h ~ 1870 m.
  EXPECT_GT(range, 1500);
  EXPECT_LT(range, 2300);
}

TEST(GraphOversample, MinorityOnlyAndOnlyFromTheGivenRows) {
  Eigen::MatrixXd x(40, 3);
  std::vector<int> y(40, 0);
  for (int i = 0; i < 40; ++i) {
    x.row(i) << i, 2.0 * i, -i;
    if (i % 5 == 0) y[std::size_t(i)] = 1;
  }
  // Training fold: rows 0..29 (minority rows 0, 5, ..., 25); rows 30..39 are the test fold.
  std::vector<std::size_t> train(30);
  std::iota(train.begin(), train.end(), 0);
  for (auto method : {Oversampler::Noise, Oversampler::Smote}) {
    const OversampledSet s = oversample(x, y, train, method, 4);
    std::size_t ones = 0, zeros = 0;
    for (int l : s.labels) (l == 1 ? ones : zeros) += 1;
    EXPECT_EQ(ones, zeros) << oversamplerName(method);
    for (std::size_t i = 0; i < s.labels.size(); ++i) {
      EXPECT_LT(s.source[i], 30u);
      if (s.synthetic[i]) {
        EXPECT_EQ(s.labels[i], 1);
        EXPECT_EQ(y[s.source[i]], 1);
      }
    }
    if (method == Oversampler::Smote) {
      // SMOTE rows lie on segments between minority training rows: here all rows are on the
      // line (t, 2t, -t) with t in [0, 25].
      for (Eigen::Index i = 30; i < s.features.rows(); ++i) {
        const double t = s.features(i, 0);
        EXPECT_GE(t, 0.0);
        EXPECT_LE(t, 25.0);
        EXPECT_NEAR(s.features(i, 1), 2 * t, 1e-9);
        EXPECT_NEAR(s.features(i, 2), -t, 1e-9);
      }
    }
  }
  const OversampledSet w = oversample(x, y, train, Oversampler::Weights, 4);
  EXPECT_EQ(w.labels.size(), 30u);
  EXPECT_DOUBLE_EQ(w.classWeights.first, 30.0 / (2 * 24));
  EXPECT_DOUBLE_EQ(w.classWeights.second, 30.0 / (2 * 6));
  EXPECT_THROW(oversample(x, y, train, Oversampler::Gan, 4),
               UsageError);  // needs the torch generator
}

TEST(GraphElements, GlobalAndLocalGraphs) {
  // Three elements: a and b move together, c is independent -> one edge a-b at alpha 0.6.
  SampleTable t;
  Rng rng = makeRng(2, 0);
  std::uniform_real_distribution<double> u(1, 100);
  for (int i = 0; i < 60; ++i) t.addPoint(i % 10 * 100.0, i / 10 * 100.0);
  auto& a = t.addColumn("a", 0, "ppm");
  auto& b = t.addColumn("b", 0, "ppm");
  auto& c = t.addColumn("c", 0, "ppm");
  for (std::size_t i = 0; i < 60; ++i) {
    a.values[i] = u(rng);
    b.values[i] = 3 * a.values[i] * (1 + 0.01 * u(rng) / 100);
    c.values[i] = u(rng);
  }
  const std::vector<std::string> el{"a", "b", "c"};
  const Eigen::MatrixXd z = clrFeatures(t, el);
  std::vector<std::size_t> rows(60);
  std::iota(rows.begin(), rows.end(), 0);
  const Eigen::MatrixXd r = pearsonRows(z, rows);
  EXPECT_NEAR((r - pearson(z)).cwiseAbs().maxCoeff(), 0.0, 1e-12);
  const ElementGraphs g = globalGraphs(z, {}, rows, adjacencyMatrix(r, 0.6), el);
  ASSERT_EQ(g.featureDim, 4u);
  EXPECT_TRUE(g.sharedAdjacency);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(g.edge(5, i, i), 0.0f);
  EXPECT_EQ(g.edge(0, 0, 1), std::abs(r(0, 1)) > 0.6 ? 1.0f : 0.0f);
  // Node features: clr value then one-hot identity.
  EXPECT_FLOAT_EQ(g.features[(7 * 3 + 2) * 4 + 0], float(z(7, 2)));
  EXPECT_FLOAT_EQ(g.features[(7 * 3 + 2) * 4 + 3], 1.0f);
  EXPECT_FLOAT_EQ(g.features[(7 * 3 + 2) * 4 + 1], 0.0f);

  // Local: each sample's graph is the thresholded correlation over itself and its k nearest.
  SpatialIndex index;
  SampleTable pts;
  pts.x = t.x;
  pts.y = t.y;
  index.addSamples("s", pts);
  const std::vector<float> local = localAdjacency(index, "s", z, 8, 0.5);
  const ElementGraphs lg = localGraphs(z, {}, rows, local, el);
  EXPECT_FALSE(lg.sharedAdjacency);
  for (std::size_t s : {0u, 17u, 42u}) {
    std::vector<std::size_t> nb{s};
    for (const auto& n : index.nearest("s", s, 8)) nb.push_back(n.index);
    const Eigen::MatrixXd rl = pearsonRows(z, nb);
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 3; ++j)
        EXPECT_EQ(lg.edge(s, i, j),
                  (i != j && std::abs(rl(Eigen::Index(i), Eigen::Index(j))) > 0.5) ? 1.0f : 0.0f);
  }
  // graphsLike copies the adjacency of the named source graph.
  const ElementGraphs like = graphsLike(lg, z.topRows(2), {42, 17}, {1, 1});
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 3; ++j) {
      EXPECT_EQ(like.edge(0, i, j), lg.edge(42, i, j));
      EXPECT_EQ(like.edge(1, i, j), lg.edge(17, i, j));
    }
}

TEST(GraphClassical, BaselinesSeparateSeparableDataDeterministically) {
  Rng rng = makeRng(5, 0);
  std::normal_distribution<double> n(0, 1);
  auto make = [&](int count, Eigen::MatrixXd& x, std::vector<int>& y) {
    x.resize(count, 4);
    y.assign(std::size_t(count), 0);
    for (int i = 0; i < count; ++i) {
      y[std::size_t(i)] = i % 3 == 0;
      for (int j = 0; j < 4; ++j) x(i, j) = n(rng) + (y[std::size_t(i)] ? 3.0 : 0.0);
    }
  };
  Eigen::MatrixXd tx, vx;
  std::vector<int> ty, vy;
  make(300, tx, ty);
  make(150, vx, vy);
  ClassicalOptions o;
  o.forestTrees = 30;
  o.boostRounds = 30;
  o.threads = 1;
  for (auto m : {ClassicalModel::Knn, ClassicalModel::KMeans, ClassicalModel::Svm,
                 ClassicalModel::RandomForest, ClassicalModel::Xgboost}) {
    const auto s = fitPredictClassical(m, tx, ty, vx, o, 3);
    ASSERT_EQ(s.size(), vy.size());
    EXPECT_GT(rocAuc(vy, s), 0.95) << classicalModelName(m);
    EXPECT_GT(evaluateBinary(vy, s, 0.5, 0).accuracy, 0.9) << classicalModelName(m);
    EXPECT_EQ(s, fitPredictClassical(m, tx, ty, vx, o, 3)) << classicalModelName(m);
  }
}

TEST(GraphZones, OutlinesTraceCellsAndKeepCornerNeighboursApart) {
  // L shape of 3 cells: (0,0), (1,0), (0,1) on 2 x 2 -> one ring of 6 corners, area 3.
  const auto l = cellOutlines({1, 1, 1, 0}, 2, 2, 0, 0, 1.0);
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0].size(), 6u);
  Polygon p;
  p.rings = l;
  EXPECT_NEAR(p.area(), 3.0, 1e-12);
  // Two cells touching at a corner -> two rings of 4.
  const auto d = cellOutlines({1, 0, 0, 1}, 2, 2, 0, 0, 1.0);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].size(), 4u);
  EXPECT_EQ(d[1].size(), 4u);
  // A ring of 8 cells around a hole: an outer ring and a hole, area 8.
  const auto h = cellOutlines({1, 1, 1, 1, 0, 1, 1, 1, 1}, 3, 3, 0, 0, 1.0);
  ASSERT_EQ(h.size(), 2u);
  Polygon ph;
  ph.rings = h;
  EXPECT_NEAR(ph.area(), 8.0, 1e-12);
  EXPECT_FALSE(ph.contains(1.5, 1.5));
  EXPECT_TRUE(ph.contains(0.5, 0.5));
}

TEST(GraphZones, DenseClusterIsClassAAndHoldsItsDeposit) {
  std::vector<double> x, y;
  std::vector<int> pred;
  // 30 predicted samples within 400 m of (2000, 2000); 3 scattered ones far apart.
  Rng rng = makeRng(1, 0);
  std::uniform_real_distribution<double> u(-400, 400);
  for (int i = 0; i < 30; ++i) {
    x.push_back(2000 + u(rng));
    y.push_back(2000 + u(rng));
    pred.push_back(1);
  }
  for (double px : {7000.0, 8500.0}) {
    x.push_back(px);
    y.push_back(8000);
    pred.push_back(1);
  }
  x.push_back(5000);
  y.push_back(5000);
  pred.push_back(0);
  Extent e;
  e.expand(0, 0);
  e.expand(10000, 10000);
  ProspectZoneOptions o;
  o.minSamples = 1;
  const auto zones = prospectZones(x, y, pred, e, o, {2100, 9900}, {1900, 100}, {"D1", "D2"});
  ASSERT_GE(zones.size(), 2u);
  EXPECT_EQ(zones[0].zoneClass, 'A');
  EXPECT_EQ(zones[0].polygon.name, "A1");
  EXPECT_EQ(zones[0].predictedSamples, 30u);
  EXPECT_EQ(zones[0].deposits, std::vector<std::string>{"D1"});
  // 30 samples within 1 km of the centre cell: density >= 30 / pi per km2.
  EXPECT_GE(zones[0].peakDensity, 30 / M_PI - 1e-9);
  EXPECT_NEAR(zones[0].polygon.area(), zones[0].area, 1e-6);
  for (std::size_t i = 1; i < zones.size(); ++i) {
    EXPECT_EQ(zones[i].zoneClass, 'B');  // one sample per pi km2 < 5
    EXPECT_TRUE(zones[i].deposits.empty());
  }
}

TEST(ProspectZones, BadCellSizesAndDegenerateExtentsAreNamed) {
  const std::vector<double> x{0, 100}, y{0, 100};
  const std::vector<int> pred{1, 0};
  Extent e;
  e.expand(0, 0);
  e.expand(100, 100);
  ProspectZoneOptions o;
  o.cellSize = 0;
  try {
    prospectZones(x, y, pred, e, o, {}, {}, {});
    FAIL() << "accepted a zero cell";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("(--zone-cell)"), std::string::npos) << error.what();
  }
  o.cellSize = 1e-6;  // 1e8 x 1e8 cells: refused with the memory it needs, not "out of memory"
  try {
    prospectZones(x, y, pred, e, o, {}, {}, {});
    FAIL() << "accepted a grid that cannot fit";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("of memory, more than"), std::string::npos)
        << error.what();
  }
  o.cellSize = 10;
  Extent point;
  point.expand(5, 5);
  EXPECT_THROW(prospectZones({5}, {5}, {1}, point, o, {}, {}, {}), DataError);
}
