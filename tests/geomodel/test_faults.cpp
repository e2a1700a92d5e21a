// Faults of a structural model: hanging wall, slip vector, finite-fault taper and the
// restoration of a point, against values worked out by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/faults.hpp"

using namespace orevox;

namespace {

/// A vertical fault x = 50 (normal +x: the field x - 50), on a 10 x 4 x 4 box of 10 m.
FaultModel verticalFault(const FaultDisplacement* d) {
  VolumeSpec spec;
  spec.nx = 10;
  spec.ny = 4;
  spec.nz = 4;
  spec.spacing = {10, 10, 10};
  std::vector<float> field(spec.size());
  for (std::size_t k = 0; k < spec.nz; ++k)
    for (std::size_t j = 0; j < spec.ny; ++j)
      for (std::size_t i = 0; i < spec.nx; ++i)
        field[spec.index(i, j, k)] = float(spec.centreX(i) - 50.0);
  FeatureConstraints c;
  c.name = "f";
  c.values.push_back({{50, 0, 0}, 0.0, 2});
  c.values.push_back({{50, 40, 40}, 0.0, 3});
  c.orientations.push_back({{50, 20, 20}, {1, 0, 0}, 4});
  return FaultModel::make(c, spec, std::move(field), d);
}

}  // namespace

TEST(Faults, VerticalFaultSlipsDownAndTapersWithItsRadius) {
  FaultDisplacement d;
  d.fault = "f";
  d.displacement = 10;
  d.radius = 40;
  const FaultModel f = verticalFault(&d);
  // Centre: mean of the points (50, 20, 20); normal +x; slip straight down (vertical fault).
  EXPECT_NEAR((f.centre - Eigen::Vector3d(50, 20, 20)).norm(), 0, 1e-12);
  EXPECT_NEAR((f.normal - Eigen::Vector3d(1, 0, 0)).norm(), 0, 1e-12);
  EXPECT_NEAR((f.slip - Eigen::Vector3d(0, 0, -1)).norm(), 0, 1e-12);
  // Taper (1 - (r/R)^2)^2 with r in the fault plane (y, z): r = 20 -> 0.5625; r >= 40 -> 0.
  EXPECT_DOUBLE_EQ(f.taper({70, 20, 20}), 1.0);
  EXPECT_DOUBLE_EQ(f.taper({70, 40, 20}), 0.5625);
  EXPECT_DOUBLE_EQ(f.taper({70, 20, 60}), 0.0);
  EXPECT_TRUE(f.hangingWall({70, 20, 20}, 20.0));
  EXPECT_FALSE(f.hangingWall({30, 20, 20}, -20.0));
  EXPECT_FALSE(f.hangingWall({70, 20, 65}, 20.0));  // beyond the radius
  const FaultSet set({f});
  EXPECT_EQ(set.blockAt({75, 20, 20}), 1u);
  EXPECT_EQ(set.blockAt({25, 20, 20}), 0u);
  EXPECT_EQ(set.separation(1u), 0u);  // a displacement: no separate blocks
  // Restoring a hanging-wall point lifts it back by D taper.
  EXPECT_NEAR((set.restore({70, 40, 20}, 1u) - Eigen::Vector3d(70, 40, 20 + 5.625)).norm(), 0,
              1e-12);
  EXPECT_NEAR((set.restore({70, 40, 20}, 0u) - Eigen::Vector3d(70, 40, 20)).norm(), 0, 1e-12);
  EXPECT_DOUBLE_EQ(set.largestShift(), 10.0);
}

TEST(Faults, WithoutDisplacementBlocksAreSeparate) {
  const FaultSet set({verticalFault(nullptr)});
  EXPECT_EQ(set.separation(1u), 1u);
  EXPECT_EQ(set.describe(1u), "hanging wall of f");
  EXPECT_EQ(set.describe(0u), "footwall of f");
  EXPECT_DOUBLE_EQ(set.largestShift(), 0.0);
}
