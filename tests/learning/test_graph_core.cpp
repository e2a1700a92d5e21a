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
