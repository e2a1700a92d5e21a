// Constraint tables in LoopStructural's layout: values, normals, gradients, dip/azimuth,
// features in order, and one-line errors naming file, line, column and value.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "datasets/test_helpers.hpp"
#include "error_message.hpp"
#include "orevox/core/error.hpp"
#include "orevox/datasets/constraint_io.hpp"
#include "shared_datasets.hpp"

using orevox_test::messageOf;

using namespace orevox;
using orevox::test::TempDir;
using orevox::test::writeFile;

TEST(ConstraintTable, ReadsValuesNormalsGradientsAndDipAzimuth) {
  TempDir dir;
  const std::string path = dir.file("c.csv");
  writeFile(path,
            ",X,Y,Z,val,feature_name,nx,ny,nz,gx,gy,gz,dip,azimuth,polarity,coord\r\n"
            "0,10,20,-5,0.0,strati,,,,,,,,,,0\r\n"
            "1,11,21,-6,60,strati,0,0,-2,,,,,,,0\r\n"
            "2,12,22,-7,,fault,,,,3,4,0,,,,0\r\n"
            "3,13,23,-8,,strati,,,,,,,90,90,-1,0\r\n"
            "4,14,24,-9,250,strati,,,,,,,30,180,,0\r\n");
  const ConstraintSet set = readConstraintTable(path);
  ASSERT_EQ(set.features.size(), 2u);
  const FeatureConstraints& s = set.features[0];
  EXPECT_EQ(s.name, "strati");
  EXPECT_EQ(s.source, path);
  ASSERT_EQ(s.values.size(), 3u);
  EXPECT_EQ(s.values[1].value, 60.0);
  EXPECT_EQ(s.values[1].line, 3);
  EXPECT_EQ(s.values[2].position, Eigen::Vector3d(14, 24, -9));
  ASSERT_EQ(s.orientations.size(), 3u);
  EXPECT_LT((s.orientations[0].normal - Eigen::Vector3d(0, 0, -1)).norm(), 1e-12);  // normalised
  EXPECT_LT((s.orientations[1].normal - Eigen::Vector3d(-1, 0, 0)).norm(),
            1e-12);  // overturned east dip
  EXPECT_LT((s.orientations[2].normal - Eigen::Vector3d(0, -0.5, std::sqrt(3.0) / 2)).norm(),
            1e-12);
  EXPECT_EQ(s.orientations[2].line, 6);
  const FeatureConstraints& f = set.features[1];
  EXPECT_EQ(f.name, "fault");
  ASSERT_EQ(f.orientations.size(), 1u);
  EXPECT_LT((f.orientations[0].normal - Eigen::Vector3d(0.6, 0.8, 0)).norm(), 1e-12);
  EXPECT_EQ(s.distinctValues(), (std::vector<double>{0, 60, 250}));
  const auto b = set.bounds();
  EXPECT_EQ(b[0], 10);
  EXPECT_EQ(b[5], -5);
}

TEST(ConstraintTable, BadRowsAreOneLineErrors) {
  TempDir dir;
  const std::string path = dir.file("bad.csv");
  auto read = [&](const std::string& content) {
    writeFile(path, content);
    return messageOf([&] { readConstraintTable(path); });
  };
  EXPECT_EQ(
      read("X,Y,val\n1,2,3\n"),
      path +
          ":1: missing column 'Z' (a constraint table needs X, Y, Z, feature_name; has X, Y, val)");
  EXPECT_EQ(read("X,Y,Z,feature_name,val\n1,2,abc,s,0\n"),
            path + ":2:3: column 'Z': value 'abc': not a number");
  EXPECT_EQ(read("X,Y,Z,feature_name,val\n1,2,3,s,0\n1,2,,s,0\n"),
            path + ":3:3: column 'Z': missing coordinate");
  EXPECT_EQ(read("X,Y,Z,feature_name,val,nx,ny,nz\n1,2,3,s,,1,,0\n"),
            path + ":2:7: column 'ny': incomplete vector: nx, ny, nz must all be given");
  EXPECT_EQ(read("X,Y,Z,feature_name,val,nx,ny,nz\n1,2,3,s,,0,0,0\n"),
            path + ":2:6: column 'nx': value '0': zero vector");
  EXPECT_EQ(
      read("X,Y,Z,feature_name,val,nx,ny,nz\n1,2,3,s,,,,\n"),
      path +
          ":2: row has neither a value (val) nor an orientation (nx,ny,nz; gx,gy,gz; dip,azimuth)");
  EXPECT_EQ(read("X,Y,Z,feature_name,val\n1,2,3,,0\n"),
            path + ":2:4: column 'feature_name': empty feature_name");
  EXPECT_EQ(read("X,Y,Z,feature_name,val,nx,ny\n1,2,3,s,0,1,1\n"),
            path + ":1: the header has only some of nx, ny, nz");
  EXPECT_EQ(
      read("X,Y,Z,feature_name,dip,azimuth,polarity\n1,2,3,s,30,10,2\n"),
      path + ":2:7: column 'polarity': value '2': polarity must be 1 (upright) or -1 (overturned)");
  EXPECT_EQ(read("X,Y,Z,feature_name,val\n1,2,inf,s,0\n"),
            path + ":2:3: column 'Z': value 'inf': not a number");
  EXPECT_EQ(read("X,Y,Z,feature_name,val\n"), path + ":1: no data rows after the header");
}

TEST(ConstraintTable, ReadsLoopStructuralClaudius) {
  OREVOX_SHARED_DATASET(path, "loopstructural_datasets/claudius/claudius.csv");
  const ConstraintSet set = readConstraintTable(path);
  ASSERT_EQ(set.features.size(), 1u);
  const FeatureConstraints& f = set.features[0];
  EXPECT_EQ(f.name, "strati");
  // Counted independently: awk -F, 'NR>1 && $5!=""' claudius.csv | wc -l -> 21023; normals 25.
  EXPECT_EQ(f.values.size(), 21023u);
  EXPECT_EQ(f.orientations.size(), 25u);
  EXPECT_EQ(f.distinctValues(), (std::vector<double>{0, 60, 250, 330}));
}

TEST(ConstraintTable, ReadsMap2loopContactsAndGemPyNegativeDips) {
  TempDir dir;
  // map2loop's contacts: the unit in `name`, no val: interface points whose value the
  // stratigraphy gives (NaN until then).
  const std::string contacts = dir.file("contacts.csv");
  writeFile(contacts, "X,Y,Z,name\n1,2,3,A\n4,5,6,B\n");
  const ConstraintSet c = readConstraintTable(contacts);
  ASSERT_EQ(c.features.size(), 2u);
  EXPECT_EQ(c.features[1].name, "B");
  ASSERT_EQ(c.features[1].values.size(), 1u);
  EXPECT_TRUE(std::isnan(c.features[1].values[0].value));
  // GemPy's foliations: the unit in `formation`; a dip of -60 towards 10 is a dip of 60
  // towards 190: (sin 60 sin 190, sin 60 cos 190, cos 60).
  const std::string foliations = dir.file("foliations.csv");
  writeFile(foliations, "X,Y,Z,azimuth,dip,polarity,formation\n1,2,3,10,-60,1,A\n");
  const ConstraintSet f = readConstraintTable(foliations);
  ASSERT_EQ(f.features.size(), 1u);
  EXPECT_EQ(f.features[0].name, "A");
  ASSERT_EQ(f.features[0].orientations.size(), 1u);
  EXPECT_LT((f.features[0].orientations[0].normal - normalFromDipAzimuth(60, 190)).norm(), 1e-12);
  EXPECT_TRUE(f.features[0].values.empty());
}
