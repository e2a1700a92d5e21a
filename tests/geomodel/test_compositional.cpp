#include <gtest/gtest.h>

#include <cmath>

#include "orevox/geomodel/compositional.hpp"
#include "orevox/core/error.hpp"

namespace orevox {
namespace {

Eigen::MatrixXd sampleComposition() {
  Eigen::MatrixXd x(3, 4);
  x << 10, 20, 30, 40,  //
      1, 1, 1, 1,       //
      0.5, 250, 3, 7000;
  return x;
}

TEST(Compositional, ClosureSumsToTotal) {
  const Eigen::MatrixXd c = closure(sampleComposition(), 100.0);
  for (Eigen::Index i = 0; i < c.rows(); ++i) EXPECT_NEAR(c.row(i).sum(), 100.0, 1e-12);
  EXPECT_DOUBLE_EQ(c(0, 0), 10.0);  // 10 / 100 * 100
  EXPECT_DOUBLE_EQ(c(1, 3), 25.0);
  Eigen::MatrixXd bad = sampleComposition();
  bad(1, 2) = -1.0;
  EXPECT_THROW(closure(bad), DataError);
  EXPECT_THROW(closure(sampleComposition(), 0.0), UsageError);
}

TEST(Compositional, ClrByHand) {
  Eigen::MatrixXd x(1, 3);
  x << 1.0, 2.0, 4.0;
  const Eigen::MatrixXd y = clr(x);
  // gm = 2, so clr = ln(1/2), ln(1), ln(2).
  EXPECT_NEAR(y(0, 0), std::log(0.5), 1e-15);
  EXPECT_NEAR(y(0, 1), 0.0, 1e-15);
  EXPECT_NEAR(y(0, 2), std::log(2.0), 1e-15);
}

TEST(Compositional, ClrRowsSumToZeroAndInvert) {
  const Eigen::MatrixXd x = sampleComposition();
  const Eigen::MatrixXd y = clr(x);
  for (Eigen::Index i = 0; i < y.rows(); ++i) EXPECT_NEAR(y.row(i).sum(), 0.0, 1e-12);
  const Eigen::MatrixXd back = clrInverse(y, 1e6);
  const Eigen::MatrixXd closed = closure(x, 1e6);
  EXPECT_LT((back - closed).cwiseAbs().maxCoeff(), 1e-9 * 1e6);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    for (Eigen::Index j = 0; j < x.cols(); ++j) EXPECT_NEAR(back(i, j) / closed(i, j), 1.0, 1e-12);
  }
}

TEST(Compositional, ClrAcceptsSubcompositionAndIsScaleInvariant) {
  // Cu, Pb, Zn in ppm: a few parts of a larger whole, not summing to a constant.
  Eigen::MatrixXd ppm(2, 3);
  ppm << 35, 12, 80,  //
      120, 40, 300;
  const Eigen::MatrixXd y = clr(ppm);
  const Eigen::MatrixXd scaled = clr(ppm * 1000.0);
  EXPECT_LT((y - scaled).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(Compositional, ClrRejectsZerosNamingThePart) {
  Eigen::MatrixXd x = sampleComposition();
  x(2, 1) = 0.0;
  try {
    clr(x);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("row 2"), std::string::npos) << msg;
    EXPECT_NE(msg.find("column 1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("replace"), std::string::npos) << msg;
    EXPECT_EQ(e.where().value, "0");
  }
  x(2, 1) = std::nan("");
  EXPECT_THROW(clr(x), DataError);
}

TEST(Compositional, AlrByHandAndRoundTrip) {
  const Eigen::MatrixXd x = sampleComposition();
  const Eigen::MatrixXd a = alr(x, 1);
  ASSERT_EQ(a.cols(), 3);
  EXPECT_NEAR(a(0, 0), std::log(10.0 / 20.0), 1e-15);
  EXPECT_NEAR(a(0, 1), std::log(30.0 / 20.0), 1e-15);
  EXPECT_NEAR(a(0, 2), std::log(40.0 / 20.0), 1e-15);
  for (int ref = 0; ref < 4; ++ref) {
    const Eigen::MatrixXd back = alrInverse(alr(x, ref), ref, 1.0);
    EXPECT_LT((back - closure(x)).cwiseAbs().maxCoeff(), 1e-14) << "reference " << ref;
  }
  EXPECT_THROW(alr(x, 4), UsageError);
  EXPECT_THROW(alr(x, -1), UsageError);
}

TEST(Compositional, PivotBasisIsOrthonormalContrast) {
  for (int d = 2; d <= 15; ++d) {
    const Eigen::MatrixXd v = pivotBasis(d);
    ASSERT_EQ(v.rows(), d);
    ASSERT_EQ(v.cols(), d - 1);
    EXPECT_LT((v.transpose() * v - Eigen::MatrixXd::Identity(d - 1, d - 1)).cwiseAbs().maxCoeff(), 1e-14);
    EXPECT_LT((Eigen::RowVectorXd::Ones(d) * v).cwiseAbs().maxCoeff(), 1e-14);
  }
  // D = 3 by hand: z1 = sqrt(2/3) ln(x1 / sqrt(x2 x3)), z2 = sqrt(1/2) ln(x2 / x3).
  Eigen::MatrixXd x(1, 3);
  x << 2.0, 3.0, 5.0;
  const Eigen::MatrixXd z = ilr(x);
  EXPECT_NEAR(z(0, 0), std::sqrt(2.0 / 3.0) * std::log(2.0 / std::sqrt(15.0)), 1e-14);
  EXPECT_NEAR(z(0, 1), std::sqrt(0.5) * std::log(3.0 / 5.0), 1e-14);
  EXPECT_THROW(pivotBasis(1), UsageError);
}

TEST(Compositional, IlrIsAnIsometryAndInverts) {
  const Eigen::MatrixXd x = sampleComposition();
  const Eigen::MatrixXd z = ilr(x);
  const Eigen::MatrixXd y = clr(x);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    for (Eigen::Index j = 0; j < x.rows(); ++j) {
      EXPECT_NEAR((z.row(i) - z.row(j)).norm(), (y.row(i) - y.row(j)).norm(), 1e-12);
    }
  }
  const Eigen::MatrixXd back = ilrInverse(z, 1.0);
  EXPECT_LT((back - closure(x)).cwiseAbs().maxCoeff(), 1e-13);
}

SampleTable censoredTable() {
  SampleTable t;
  t.source = "survey.csv";
  for (int i = 0; i < 3; ++i) t.addPoint(double(i), 0.0);
  auto& cu = t.addColumn("Cu", 0.0, "ppm");
  cu.values = {50.0, 2.0, 40.0};
  cu.censored = {0, 1, 0};  // row 1: "<2"
  auto& pb = t.addColumn("Pb", 0.0, "ppm");
  pb.values = {20.0, 30.0, 0.0};
  pb.detectionLimit = 5.0;
  auto& zn = t.addColumn("Zn", 0.0, "ppm");
  zn.values = {100.0, 80.0, 60.0};
  auto& au = t.addColumn("Au", 0.0, "ppm");
  au.values = {0.0, 0.01, 0.02};  // zero, no DL: smallest positive value 0.01 stands in
  return t;
}

TEST(Compositional, MultiplicativeReplacementByHand) {
  SampleTable t = censoredTable();
  const double total = 1e6;
  const ReplacementReport rep = replaceCensored(t, {"Cu", "Pb", "Zn", "Au"}, 0.65, total);
  ASSERT_EQ(rep.replaced.size(), 4u);
  EXPECT_EQ(rep.replaced[0], 1u);  // Cu row 1
  EXPECT_EQ(rep.replaced[1], 1u);  // Pb row 2
  EXPECT_EQ(rep.replaced[2], 0u);
  EXPECT_EQ(rep.replaced[3], 1u);  // Au row 0
  EXPECT_DOUBLE_EQ(rep.factor, 0.65);
  EXPECT_DOUBLE_EQ(rep.total, total);

  // Row 0: Au 0 -> 0.65 * 0.01; others scaled by 1 - 0.0065 / 1e6.
  const double s0 = 1.0 - 0.0065 / total;
  EXPECT_DOUBLE_EQ(t.column("Au").values[0], 0.0065);
  EXPECT_DOUBLE_EQ(t.column("Cu").values[0], 50.0 * s0);
  EXPECT_DOUBLE_EQ(t.column("Pb").values[0], 20.0 * s0);
  EXPECT_DOUBLE_EQ(t.column("Zn").values[0], 100.0 * s0);
  // Row 1: censored Cu "<2" -> 1.3.
  const double s1 = 1.0 - 1.3 / total;
  EXPECT_DOUBLE_EQ(t.column("Cu").values[1], 1.3);
  EXPECT_DOUBLE_EQ(t.column("Pb").values[1], 30.0 * s1);
  EXPECT_DOUBLE_EQ(t.column("Au").values[1], 0.01 * s1);
  // Row 2: Pb zero with column DL 5 -> 3.25.
  EXPECT_DOUBLE_EQ(t.column("Pb").values[2], 3.25);
  // Ratios among untouched parts are kept exactly (up to rounding).
  EXPECT_NEAR(t.column("Cu").values[2] / t.column("Zn").values[2], 40.0 / 60.0, 1e-15);
  EXPECT_NEAR(t.column("Zn").values[0] / t.column("Cu").values[0], 2.0, 1e-15);
  // Flags cleared, and the result is ready for clr.
  EXPECT_FALSE(t.column("Cu").isCensored(1));
  EXPECT_NO_THROW(clr(t.matrix({"Cu", "Pb", "Zn", "Au"})));
}

TEST(Compositional, ReplacementRejectsNegativesNamingRowAndColumn) {
  SampleTable t = censoredTable();
  t.column("Zn").values[2] = -3.0;
  try {
    replaceCensored(t, {"Cu", "Pb", "Zn"});
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("survey.csv"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'Zn'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("row 3"), std::string::npos) << msg;
    EXPECT_NE(msg.find("-3"), std::string::npos) << msg;
  }
  // Nothing was changed by the failed call.
  EXPECT_EQ(t.column("Cu").values[1], 2.0);
  EXPECT_TRUE(t.column("Cu").isCensored(1));
  EXPECT_THROW(replaceCensored(t, {"Cu"}, 1.5), UsageError);
  EXPECT_THROW(replaceCensored(t, {"Ni"}), DataError);
}

}  // namespace
}  // namespace orevox
