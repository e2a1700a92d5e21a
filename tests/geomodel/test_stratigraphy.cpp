// The stratigraphic column: its checks and the unit of a point from its series' fields,
// against units worked out by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/stratigraphy.hpp"

using namespace orevox;

namespace {

StratigraphicRow row(const char* series, const char* horizon, double value, long order,
                     const char* relation = nullptr) {
  StratigraphicRow r;
  r.series = series;
  r.horizon = horizon;
  r.value = value;
  r.order = order;
  r.line = order + 1;
  if (relation) {
    r.relation = parseName(seriesRelationNames(), relation, "relation");
    r.relationGiven = true;
  }
  return r;
}

std::string messageOf(std::vector<StratigraphicRow> rows) {
  try {
    StratigraphicColumn::build(std::move(rows), "s.csv");
  } catch (const DataError& e) {
    return e.what();
  }
  return {};
}

}  // namespace

TEST(Stratigraphy, UnitsOfThreeSeriesByHand) {
  // top (erodes) > mid (onlaps base) > base; rows given in any order.
  const StratigraphicColumn c = StratigraphicColumn::build(
      {row("base", "b1", 0, 6), row("top", "t2", 5, 1, "erode"), row("top", "t1", 2, 2),
       row("mid", "m2", 30, 3, "onlap"), row("mid", "m1", 10, 4), row("base", "b2", 4, 5)},
      "s.csv");
  ASSERT_EQ(c.series().size(), 3u);
  EXPECT_EQ(c.series()[0].name, "top");
  EXPECT_EQ(c.series()[2].horizons.back().name, "b1");
  // Ids from the oldest: b1 = 1; b2 is the top of `base`, onlapped by `mid`: no unit;
  // m1 = 2, m2 = 3, t1 = 4, t2 = 5.
  const auto& u = c.units();
  ASSERT_EQ(u.size(), 5u);
  const char* names[] = {"b1", "m1", "m2", "t1", "t2"};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(u[std::size_t(i)].name, names[i]);
    EXPECT_EQ(u[std::size_t(i)].id, i + 1);
  }
  EXPECT_EQ(u[0].top, 4.0);
  // Field values (top, mid, base) -> unit.
  auto at = [&](float t, float m, float b) {
    const float v[3] = {t, m, b};
    return c.unitAt(v);
  };
  EXPECT_EQ(at(2.0f, -100, -100), 4);  // on top's lowest horizon: eroded into, top
  EXPECT_EQ(at(7.0f, -100, -100), 5);  // above t2
  EXPECT_EQ(at(1.9f, 12, 5.0f), 2);    // below top's base, above base's top: mid, m1
  EXPECT_EQ(at(1.9f, 31, 5.0f), 3);    // above m2
  EXPECT_EQ(at(1.9f, 31, 3.0f), 1);    // below base's top: base, whatever mid's field
  EXPECT_EQ(at(1.9f, -50, 4.0f), 2);   // base's top (4) reached: mid fills down, m1
  EXPECT_EQ(at(1.9f, -50, 3.9f), 1);   // base: b1
  EXPECT_EQ(at(1.9f, -50, -0.1f), 0);  // below the column
  EXPECT_EQ(c.seriesAt(std::vector<float>{1.9f, -50, 3.9f}.data()), 2u);
}

TEST(Stratigraphy, ContradictionsAreOneLineErrors) {
  EXPECT_EQ(messageOf({row("s", "a", 1, 1), row("s", "b", 2, 2)}),
            "s.csv:3: column 'value': value '2': contradictory order: horizon 'b' (order 2) is "
            "older than 'a' (order 1) but its value is not below 1 (a series' field increases "
            "towards younger horizons)");
  EXPECT_EQ(messageOf({row("s", "a", std::nan(""), 1)}),
            "s.csv:2: column 'value': horizon 'a' has no value");
  EXPECT_EQ(messageOf({row("s", "a", 2, 1, "erode"), row("s", "b", 1, 2, "onlap")}),
            "s.csv:3: column 'relation': value 'onlap': series 's' has two relations");
  EXPECT_EQ(messageOf({row("s", "a", 2, 1), row("t", "s", 1, 2)}),
            "s.csv:3: column 'horizon': value 's': horizon 's' has the name of series 's' (a "
            "constraint's feature_name must name one or the other)");
  EXPECT_EQ(messageOf({row("s", "a", 2, 1), row("s", "a", 1, 2)}),
            "s.csv:3: column 'horizon': value 'a': horizon 'a' is listed twice (also line 2)");
}

TEST(Stratigraphy, FeaturesPerSeriesTakeTheirHorizonsValues) {
  const StratigraphicColumn c =
      StratigraphicColumn::build({row("s", "a", 10, 1), row("s", "b", 5, 2)}, "s.csv");
  ConstraintSet set;
  FeatureConstraints a, fault;
  a.name = "a";
  a.source = "p.csv";
  a.values.push_back({{0, 0, 0}, std::nan(""), 7});
  a.orientations.push_back({{0, 0, 0}, {0, 0, 1}, 8});
  fault.name = "f";
  fault.values.push_back({{0, 0, 0}, 0.0, 9});
  set.features = {fault, a};
  const std::vector<FeatureConstraints> f = modelFeatures(set, &c);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].name, "s");
  ASSERT_EQ(f[0].values.size(), 1u);
  EXPECT_EQ(f[0].values[0].value, 10.0);
  EXPECT_EQ(f[0].orientations.size(), 1u);
  EXPECT_EQ(f[1].name, "f");
  set.features[1].values[0].value = 3;  // a val that contradicts the stratigraphy
  try {
    modelFeatures(set, &c);
    ADD_FAILURE();
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()),
              "p.csv:7: column 'val': value '3': interface point of horizon 'a' has val 3, the "
              "stratigraphy gives 10");
  }
}
