#include <gtest/gtest.h>

#include <random>
#include <set>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/kmeans.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox {
namespace {

// 3 tight blobs of 100 points around far-apart centres; row i belongs to blob i / 100.
Eigen::MatrixXd threeBlobs(Eigen::MatrixXd& truth) {
  truth.resize(3, 2);
  truth << 0, 0,  //
      50, 0,      //
      0, 80;
  Rng rng = makeRng(77);
  std::normal_distribution<double> noise(0.0, 1.0);
  Eigen::MatrixXd data(300, 2);
  for (int i = 0; i < 300; ++i) {
    data(i, 0) = truth(i / 100, 0) + noise(rng);
    data(i, 1) = truth(i / 100, 1) + noise(rng);
  }
  return data;
}

TEST(KMeans, RecoversWellSeparatedClusters) {
  Eigen::MatrixXd truth;
  const Eigen::MatrixXd data = threeBlobs(truth);
  const KMeansResult r = kmeans(data, 3, 42);
  ASSERT_EQ(r.centres.rows(), 3);
  ASSERT_EQ(r.assignment.size(), 300u);
  // Each blob maps to one cluster, and the three clusters differ.
  std::set<int> labels;
  for (int b = 0; b < 3; ++b) {
    const int label = r.assignment[std::size_t(b * 100)];
    labels.insert(label);
    for (int i = b * 100; i < (b + 1) * 100; ++i) EXPECT_EQ(r.assignment[std::size_t(i)], label);
    // The centre is the blob's mean, close to the true centre.
    const Eigen::RowVector2d mean = data.middleRows(b * 100, 100).colwise().mean();
    EXPECT_LT((r.centres.row(label) - mean).norm(), 1e-9);
    EXPECT_LT((r.centres.row(label) - truth.row(b)).norm(), 0.5);
  }
  EXPECT_EQ(labels.size(), 3u);
  // Inertia by hand: squared distances to the blob means.
  double inertia = 0.0;
  for (int i = 0; i < 300; ++i) inertia += (data.row(i) - r.centres.row(r.assignment[std::size_t(i)])).squaredNorm();
  EXPECT_NEAR(r.inertia, inertia, 1e-9 * inertia);
  EXPECT_GE(r.iterations, 1);
}

TEST(KMeans, DeterministicForASeed) {
  Eigen::MatrixXd truth;
  const Eigen::MatrixXd data = threeBlobs(truth);
  const KMeansResult a = kmeans(data, 5, 7);
  setThreadCount(1);
  const KMeansResult b = kmeans(data, 5, 7);
  setThreadCount(0);
  EXPECT_EQ(a.assignment, b.assignment);
  EXPECT_EQ(a.centres, b.centres);
  EXPECT_EQ(a.inertia, b.inertia);
}

TEST(KMeans, OneDimensionalAndKEqualsRows) {
  Eigen::MatrixXd data(4, 1);
  data << 1, 2, 10, 11;
  const KMeansResult two = kmeans(data, 2, 1);
  EXPECT_EQ(two.assignment[0], two.assignment[1]);
  EXPECT_EQ(two.assignment[2], two.assignment[3]);
  EXPECT_NE(two.assignment[0], two.assignment[2]);
  EXPECT_DOUBLE_EQ(two.inertia, 4 * 0.25);
  const KMeansResult four = kmeans(data, 4, 1);
  EXPECT_DOUBLE_EQ(four.inertia, 0.0);
}

TEST(KMeans, RejectsBadK) {
  Eigen::MatrixXd data = Eigen::MatrixXd::Zero(3, 2);
  EXPECT_THROW(kmeans(data, 0, 1), UsageError);
  EXPECT_THROW(kmeans(data, 4, 1), UsageError);
  data(1, 1) = std::nan("");
  EXPECT_THROW(kmeans(data, 2, 1), DataError);
}

}  // namespace
}  // namespace orevox
