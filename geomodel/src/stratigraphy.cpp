#include "orevox/geomodel/stratigraphy.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "orevox/core/error.hpp"
#include "orevox/core/text.hpp"

namespace orevox {

namespace {

std::string text(double v) { return numberText(v); }

}  // namespace

const NameTable<SeriesRelation>& seriesRelationNames() {
  static const NameTable<SeriesRelation> names = {{"erode", SeriesRelation::Erode},
                                                  {"onlap", SeriesRelation::Onlap}};
  return names;
}

StratigraphicColumn StratigraphicColumn::build(std::vector<StratigraphicRow> rows,
                                               const std::string& source) {
  auto where = [&](const StratigraphicRow& r, const char* field, const std::string& value) {
    return SourceLocation{source, r.line, 0, field, value};
  };
  if (rows.empty()) throw DataError("no horizons", SourceLocation{source, 0, 0, {}, {}});
  std::map<long, const StratigraphicRow*> byOrder;
  std::map<std::string, const StratigraphicRow*> byName;
  for (const auto& r : rows) {
    if (!std::isfinite(r.value))
      throw DataError("horizon '" + r.horizon + "' has no value", where(r, "value", {}));
    if (r.order < 1)
      throw DataError("order must be a whole number >= 1 (1 = youngest)",
                      where(r, "order", std::to_string(r.order)));
    if (const auto it = byOrder.find(r.order); it != byOrder.end())
      throw DataError("contradictory order: horizons '" + it->second->horizon + "' (line " +
                          std::to_string(it->second->line) + ") and '" + r.horizon +
                          "' have the same order",
                      where(r, "order", std::to_string(r.order)));
    if (const auto it = byName.find(r.horizon); it != byName.end())
      throw DataError("horizon '" + r.horizon + "' is listed twice (also line " +
                          std::to_string(it->second->line) + ")",
                      where(r, "horizon", r.horizon));
    byOrder[r.order] = &r;
    byName[r.horizon] = &r;
  }
  for (const auto& r : rows)
    for (const auto& s : rows)
      if (r.horizon == s.series && r.series != s.series)
        throw DataError("horizon '" + r.horizon + "' has the name of series '" + s.series +
                            "' (a constraint's feature_name must name one or the other)",
                        where(r, "horizon", r.horizon));

  StratigraphicColumn column;
  column.source_ = source;
  // Rows youngest first; each series one consecutive run of them.
  const StratigraphicRow* previous = nullptr;
  for (const auto& [order, row] : byOrder) {
    const StratigraphicRow& r = *row;
    if (previous == nullptr || previous->series != r.series) {
      for (const auto& s : column.series_)
        if (s.name == r.series)
          throw DataError("contradictory order: series '" + r.series + "' is split by horizon '" +
                              previous->horizon + "' of series '" + previous->series + "'",
                          where(r, "order", std::to_string(r.order)));
      column.series_.push_back({});
      column.series_.back().name = r.series;
    } else if (!(r.value < previous->value)) {
      throw DataError("contradictory order: horizon '" + r.horizon + "' (order " +
                          std::to_string(r.order) + ") is older than '" + previous->horizon +
                          "' (order " + std::to_string(previous->order) +
                          ") but its value is not " + "below " + text(previous->value) +
                          " (a series' field increases towards younger horizons)",
                      where(r, "value", text(r.value)));
    }
    StratigraphicSeries& s = column.series_.back();
    if (r.relationGiven) {
      // The first row that names a relation sets it; a later different one contradicts it.
      bool set = false;
      for (const auto& h : s.horizons)
        if (byName[h.name]->relationGiven) set = true;
      if (set && s.relation != r.relation)
        throw DataError("series '" + s.name + "' has two relations",
                        where(r, "relation", nameOf(seriesRelationNames(), r.relation)));
      s.relation = r.relation;
    }
    s.horizons.push_back({r.horizon, r.value, r.order, r.line});
    previous = row;
  }

  // Units, oldest series first, each series' horizons from the lowest value up.
  const std::size_t n = column.series_.size();
  column.ascending_.resize(n);
  column.unitAbove_.resize(n);
  int id = 0;
  for (std::size_t si = n; si-- > 0;) {
    const StratigraphicSeries& s = column.series_[si];
    const bool onlappedTop = si > 0 && column.series_[si - 1].relation == SeriesRelation::Onlap;
    for (std::size_t h = s.horizons.size(); h-- > 0;) {
      const StratigraphicHorizon& hz = s.horizons[h];
      column.ascending_[si].push_back(hz.value);
      if (h == 0 && onlappedTop) {
        column.unitAbove_[si].push_back(0);
        continue;
      }
      StratigraphicUnit u;
      u.id = ++id;
      u.name = hz.name;
      u.series = s.name;
      u.base = hz.value;
      if (h > 0) u.top = s.horizons[h - 1].value;
      column.units_.push_back(u);
      column.unitAbove_[si].push_back(u.id);
    }
  }
  return column;
}

std::size_t StratigraphicColumn::findSeries(const std::string& name) const {
  for (std::size_t i = 0; i < series_.size(); ++i)
    if (series_[i].name == name) return i;
  return std::string::npos;
}

const StratigraphicHorizon* StratigraphicColumn::findHorizon(const std::string& name,
                                                             std::size_t* seriesIndex) const {
  for (std::size_t i = 0; i < series_.size(); ++i)
    for (const auto& h : series_[i].horizons)
      if (h.name == name) {
        if (seriesIndex) *seriesIndex = i;
        return &h;
      }
  return nullptr;
}

std::size_t StratigraphicColumn::seriesAt(const float* fieldValues) const {
  const std::size_t n = series_.size();
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const bool inside = series_[i].relation == SeriesRelation::Erode
                            ? double(fieldValues[i]) >= series_[i].lowestValue()
                            : double(fieldValues[i + 1]) >= series_[i + 1].highestValue();
    if (inside) return i;
  }
  return n - 1;
}

int StratigraphicColumn::unitAt(const float* fieldValues) const {
  const std::size_t n = series_.size();
  {
    const std::size_t i = seriesAt(fieldValues);
    const bool oldest = i + 1 == n;
    const std::vector<double>& v = ascending_[i];
    // The last horizon at or below the field value.
    const std::size_t above =
        std::size_t(std::upper_bound(v.begin(), v.end(), double(fieldValues[i])) - v.begin());
    if (above == 0) return oldest ? 0 : unitAbove_[i][0];  // an onlapping series fills down
    return unitAbove_[i][above - 1];
  }
}

std::vector<FeatureConstraints> modelFeatures(const ConstraintSet& constraints,
                                              const StratigraphicColumn* column) {
  std::vector<FeatureConstraints> out;
  if (column) {
    for (const auto& s : column->series()) {
      out.push_back({});
      out.back().name = s.name;
    }
  }
  for (const auto& f : constraints.features) {
    std::size_t si = column ? column->findSeries(f.name) : std::string::npos;
    const StratigraphicHorizon* horizon =
        column && si == std::string::npos ? column->findHorizon(f.name, &si) : nullptr;
    if (si == std::string::npos) {
      for (const auto& v : f.values)
        if (std::isnan(v.value))
          throw DataError("feature '" + f.name + "': interface point without a value (no val) " +
                              "and '" + f.name + "' is no horizon of a stratigraphy",
                          SourceLocation{f.source, v.line, 0, "feature_name", f.name});
      out.push_back(f);
      continue;
    }
    FeatureConstraints& target = out[si];
    if (target.source.empty()) target.source = f.source;
    for (ValueConstraint v : f.values) {
      if (horizon) {
        if (!std::isnan(v.value) && v.value != horizon->value)
          throw DataError("interface point of horizon '" + horizon->name + "' has val " +
                              text(v.value) + ", the stratigraphy gives " + text(horizon->value),
                          SourceLocation{f.source, v.line, 0, "val", text(v.value)});
        v.value = horizon->value;
      } else if (std::isnan(v.value)) {
        throw DataError("interface point of series '" + f.name + "' without a value (val)",
                        SourceLocation{f.source, v.line, 0, "val", {}});
      }
      target.values.push_back(v);
    }
    target.orientations.insert(target.orientations.end(), f.orientations.begin(),
                               f.orientations.end());
  }
  if (column) {
    for (std::size_t i = 0; i < column->series().size(); ++i) {
      if (out[i].size() > 0) continue;
      const StratigraphicSeries& s = column->series()[i];
      throw DataError(
          "series '" + s.name + "' has no constraint (no feature_name names it or " +
              "one of its horizons)",
          SourceLocation{column->source(), s.horizons.front().line, 0, "series", s.name});
    }
  }
  return out;
}

}  // namespace orevox
