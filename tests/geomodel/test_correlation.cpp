#include <gtest/gtest.h>

#include <boost/graph/connected_components.hpp>
#include <cmath>

#include "orevox/geomodel/correlation.hpp"
#include "orevox/core/error.hpp"

namespace orevox {
namespace {

TEST(Correlation, PearsonByHand) {
  Eigen::MatrixXd d(4, 3);
  d << 1, 2, 4,  //
      2, 4, 1,   //
      3, 6, 3,   //
      4, 8, 2;
  const Eigen::MatrixXd r = pearson(d);
  // Column 1 = 2 * column 0: r = 1.
  EXPECT_NEAR(r(0, 1), 1.0, 1e-15);
  // Columns 0 and 2: means 2.5 and 2.5; deviations (-1.5,-.5,.5,1.5) and (1.5,-1.5,.5,-.5):
  // cov sum = -2.25 + .75 + .25 - .75 = -2; sum of squares 5 and 5; r = -2 / 5.
  EXPECT_NEAR(r(0, 2), -0.4, 1e-15);
  EXPECT_NEAR(r(2, 0), -0.4, 1e-15);
  EXPECT_NEAR(r(1, 2), -0.4, 1e-15);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(r(i, i), 1.0);
}

TEST(Correlation, ConstantColumnIsNamed) {
  Eigen::MatrixXd d(3, 3);
  d << 1, 5, 2,  //
      2, 5, 1,   //
      3, 5, 7;
  try {
    pearson(d);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("column 1"), std::string::npos) << e.what();
  }
  EXPECT_THROW(pearson(Eigen::MatrixXd::Ones(1, 3)), DataError);
}

Eigen::MatrixXd exampleR() {
  Eigen::MatrixXd r(4, 4);
  r << 1.0, 0.9, -0.5, 0.1,  //
      0.9, 1.0, 0.3, 0.35,   //
      -0.5, 0.3, 1.0, 0.6,   //
      0.1, 0.35, 0.6, 1.0;
  return r;
}

TEST(Correlation, GraphEdgesMatchTheThreshold) {
  const Eigen::MatrixXd r = exampleR();
  const double alpha = 0.4;
  const CorrelationGraph g = correlationGraph(r, alpha);
  EXPECT_EQ(boost::num_vertices(g), 4u);
  // |r| > 0.4: (0,1) 0.9, (0,2) -0.5, (2,3) 0.6.
  EXPECT_EQ(boost::num_edges(g), 3u);
  const auto weight = boost::get(boost::edge_weight, g);
  const Eigen::MatrixXd a = adjacencyMatrix(r, alpha);
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) {
      const bool expected = i != j && std::abs(r(i, j)) > alpha;
      const auto [e, present] = boost::edge(std::size_t(i), std::size_t(j), g);
      EXPECT_EQ(present, expected) << i << "," << j;
      EXPECT_EQ(a(i, j), expected ? 1.0 : 0.0) << i << "," << j;
      if (present) {
        EXPECT_EQ(boost::get(weight, e), r(i, j));
      }
    }
  }
  // Equality with the threshold is not an edge.
  EXPECT_EQ(boost::num_edges(correlationGraph(r, 0.5)), 2u);
  EXPECT_THROW(correlationGraph(Eigen::MatrixXd::Ones(2, 3), 0.5), UsageError);
}

bool isConnected(const Eigen::MatrixXd& r, double alpha) {
  const CorrelationGraph g = correlationGraph(r, alpha);
  std::vector<int> c(boost::num_vertices(g));
  return boost::connected_components(g, c.data()) == 1;
}

TEST(Correlation, AdaptiveAlphaKeepsConnectivity) {
  const Eigen::MatrixXd r = exampleR();
  const double alpha = adaptiveAlpha(r);
  // Spanning edges 0.9, -0.5, 0.6 keep it connected below 0.5; at 0.5 edge 0-2 (|r| = 0.5) goes, and
  // 1-3 (0.35) / 1-2 (0.3) are gone too, so {0,1} and {2,3} split.
  EXPECT_NEAR(alpha, 0.45, 1e-12);
  EXPECT_TRUE(isConnected(r, alpha));
  EXPECT_FALSE(isConnected(r, alpha + 0.05));
  // Disconnected even at lo: lo comes back.
  Eigen::MatrixXd weak = Eigen::MatrixXd::Identity(3, 3);
  EXPECT_DOUBLE_EQ(adaptiveAlpha(weak), 0.2);
  // Everything strongly correlated: hi comes back.
  EXPECT_NEAR(adaptiveAlpha(Eigen::MatrixXd::Constant(3, 3, 0.95)), 0.8, 1e-12);
  EXPECT_THROW(adaptiveAlpha(r, 0.2, 0.8, 0.0), UsageError);
}

}  // namespace
}  // namespace orevox
