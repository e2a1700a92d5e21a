#include "orevox/geomodel/estimation.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <Eigen/LU>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <sstream>

#include "neighbour_search.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox {

namespace {

constexpr double kPi = 3.14159265358979323846;

std::string number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

std::string lowerText(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

// ------------------------------------------------------------------ ellipsoid

SearchEllipsoid SearchEllipsoid::fromList(const std::vector<double>& v, const std::string& option) {
  if (v.size() != 6)
    throw UsageError(option + ": expected az,dip,plunge,r1,r2,r3 (6 numbers), got " +
                     std::to_string(v.size()));
  for (double x : v)
    if (!std::isfinite(x))
      throw UsageError(option + ": '" + number(x) + "' is not a finite number");
  for (int i = 3; i < 6; ++i)
    if (!(v[i] > 0.0))
      throw UsageError(option + ": range '" + number(v[i]) + "' is not a number > 0");
  SearchEllipsoid e;
  e.azimuth = v[0];
  e.dip = v[1];
  e.plunge = v[2];
  e.major = v[3];
  e.semi = v[4];
  e.minor = v[5];
  return e;
}

Eigen::Matrix3d SearchEllipsoid::rotation() const {
  // GSLIB setrot with unit anisotropy factors.
  const double deg = kPi / 180.0;
  const double az = std::fmod(std::fmod(azimuth, 360.0) + 360.0, 360.0);
  const double alpha = (az < 270.0 ? 90.0 - az : 450.0 - az) * deg;
  const double beta = -dip * deg, theta = plunge * deg;
  const double sina = std::sin(alpha), cosa = std::cos(alpha);
  const double sinb = std::sin(beta), cosb = std::cos(beta);
  const double sint = std::sin(theta), cost = std::cos(theta);
  Eigen::Matrix3d r;
  r << cosb * cosa, cosb * sina, -sinb,                                                  //
      -cost * sina + sint * sinb * cosa, cost * cosa + sint * sinb * sina, sint * cosb,  //
      sint * sina + cost * sinb * cosa, -sint * cosa + cost * sinb * sina, cost * cosb;
  return r;
}

Eigen::Matrix3d SearchEllipsoid::scaledRotation() const {
  Eigen::Matrix3d m = rotation();
  m.row(0) /= major;
  m.row(1) /= semi;
  m.row(2) /= minor;
  return m;
}

// ------------------------------------------------------------------ options

const NameTable<EstimationMethod>& estimationMethodNames() {
  static const NameTable<EstimationMethod> names{{"idw", EstimationMethod::Idw},
                                                 {"kriging", EstimationMethod::Kriging}};
  return names;
}

void EstimationOptions::declare(OptionSet& set) {
  set.add("method", method, estimationMethodNames(), "Estimator of numeric fields");
  set.add("power", power, "IDW distance exponent p of the weights 1 / d^p").positive();
  set.add("neighbors", neighbors, "At most this many samples per voxel").positive();
  set.add(
         "ellipsoid", ellipsoid,
         "Anisotropic search ellipsoid az,dip,plunge,r1,r2,r3 (GSLIB angles in degrees: azimuth of "
         "the major axis clockwise from north, dip negative down, plunge; ranges along the major, "
         "semi-major and minor axes); without it the search is isotropic and unlimited")
      .counts({6})
      .placeholder("az,dip,plunge,r1,r2,r3")
      .check([](const std::string& text) -> std::string {
        std::vector<double> v;
        std::stringstream s(text);
        std::string item;
        while (std::getline(s, item, ',')) v.push_back(std::strtod(item.c_str(), nullptr));
        for (std::size_t i = 3; i < v.size(); ++i)
          if (!(v[i] > 0.0)) return "has a range that is not > 0";
        return {};
      });
  set.add("max-per-hole", maxPerHole,
          "At most this many samples from one hole per voxel (0 = no limit)");
  set.add("max-distance", maxDistance,
          "Voxels farther than this from every sample stay inactive (0 = no limit)")
      .units("CRS unit")
      .nonNegative();
  set.add(
      "max-categories", maxCategories,
      "Categorical fields: proportion channels for this many most frequent codes (0 = all); the "
      "most likely code channel uses every code");
  variogram.declare(set);
}

long EstimationSamples::fieldIndex(const std::string& name) const {
  long match = -1;
  int matches = 0;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return long(i);
    if (lowerText(fields[i].name) == lowerText(name)) {
      match = long(i);
      ++matches;
    }
  }
  return matches == 1 ? match : -1;
}

std::size_t EstimatedChannel::activeCount() const {
  return std::size_t(std::count(active.begin(), active.end(), std::uint8_t(1)));
}

long EstimationResult::channelIndex(const std::string& name) const {
  for (std::size_t i = 0; i < channels.size(); ++i)
    if (channels[i].name == name) return long(i);
  return -1;
}

std::string proportionChannelName(const std::string& field, const std::string& category) {
  std::string c = category;
  for (char& ch : c)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_') ch = '_';
  return field + "_" + (c.empty() ? "_" : c);
}

// ------------------------------------------------------------------ estimation

namespace {

struct FieldPlan {
  const IntervalField* field = nullptr;
  std::vector<std::size_t> rows;  // samples with a value
  std::vector<double> values;     // numeric value per sample row (all rows)
  std::unique_ptr<detail::NeighbourSearch> search;
  std::vector<std::size_t>
      channels;  // numeric: 1 channel (+ variance); categorical: code + one per category
  bool kriging = false;
  std::vector<std::size_t> proportionCodes;  // categorical: codes with a proportion channel
  VariogramModel model;
  std::vector<Eigen::Vector3d>
      scaled;  // per sample row: the point in the variogram's distance frame
};

// Kriging systems of up to 32 neighbours live on the stack (no allocation per voxel).
constexpr std::size_t kSmallSystem = 33;
using SmallMatrix =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, int(kSmallSystem), int(kSmallSystem)>;
using SmallVector = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, int(kSmallSystem), 1>;

/// Ordinary kriging at `xs` (in the variogram's frame) from `neighbours`.
template <class Matrix, class Vector>
void krige(const FieldPlan& plan, const std::vector<detail::Neighbour>& neighbours,
           const Eigen::Vector3d& xs, double& estimate, double& variance) {
  const Eigen::Index n = Eigen::Index(neighbours.size());
  const VariogramModel& m = plan.model;
  const double c0 = m.nugget + m.sill;
  Matrix system(n + 1, n + 1);
  Vector rhs(n + 1);
  for (Eigen::Index a = 0; a < n; ++a) {
    const Eigen::Vector3d& pa = plan.scaled[neighbours[std::size_t(a)].row];
    system(a, a) = c0;
    for (Eigen::Index b = a + 1; b < n; ++b) {
      const double c = m.covariance((pa - plan.scaled[neighbours[std::size_t(b)].row]).norm());
      system(a, b) = c;
      system(b, a) = c;
    }
    system(a, n) = 1.0;
    system(n, a) = 1.0;
    rhs[a] = m.covariance((pa - xs).norm());
  }
  system(n, n) = 0.0;
  rhs[n] = 1.0;
  Vector solution = Eigen::PartialPivLU<Matrix>(system).solve(rhs);
  if (!solution.allFinite() || (system * solution - rhs).norm() > 1e-6 * (1.0 + c0)) {
    for (Eigen::Index a = 0; a < n; ++a) system(a, a) += 1e-10 * c0;  // coincident samples
    solution = Eigen::FullPivLU<Matrix>(system).solve(rhs);
  }
  estimate = 0.0;
  variance = c0 - solution[n];
  for (Eigen::Index a = 0; a < n; ++a) {
    estimate += solution[a] * plan.values[neighbours[std::size_t(a)].row];
    variance -= solution[a] * rhs[a];
  }
  variance = std::max(0.0, variance);
}

}  // namespace

EstimationResult estimateVolume(const EstimationSamples& samples,
                                const std::vector<std::string>& fields, const VolumeSpec& spec,
                                const EstimationOptions& options, double belowDetectionFactor,
                                const std::vector<VariogramModel>* models) {
  if (!(options.power > 0.0) || !std::isfinite(options.power))
    throw UsageError("--power: '" + number(options.power) + "' is not a number > 0");
  if (options.neighbors == 0) throw UsageError("--neighbors: '0' is not a number > 0");
  if (!(options.maxDistance >= 0.0))
    throw UsageError("--max-distance: '" + number(options.maxDistance) + "' is not a number >= 0");
  if (fields.empty()) throw UsageError("--fields: no field to estimate");
  if (spec.size() == 0) throw UsageError("the voxel box is empty");
  const bool ellipsoid = !options.ellipsoid.empty();
  const SearchEllipsoid searchEllipsoid =
      ellipsoid ? SearchEllipsoid::fromList(options.ellipsoid, "--ellipsoid") : SearchEllipsoid{};
  const Eigen::Matrix3d transform =
      ellipsoid ? searchEllipsoid.scaledRotation() : Eigen::Matrix3d::Identity();
  // The variogram's distance: r1 |M d| (Euclidean along the major axis), or Euclidean.
  const Eigen::Matrix3d variogramFrame =
      ellipsoid ? Eigen::Matrix3d(searchEllipsoid.major * transform) : Eigen::Matrix3d::Identity();
  const bool kriging = options.method == EstimationMethod::Kriging;
  std::size_t numericFields = 0;
  if (samples.hole.size() != samples.size())
    throw UsageError("estimateVolume: one hole index per sample is needed");

  EstimationResult result;
  result.spec = spec;
  std::vector<FieldPlan> plans(fields.size());
  for (std::size_t f = 0; f < fields.size(); ++f) {
    const long index = samples.fieldIndex(fields[f]);
    if (index < 0) {
      std::string names;
      for (const auto& x : samples.fields) names += (names.empty() ? "" : ", ") + x.name;
      throw UsageError("--fields: '" + fields[f] + "' is not a field of " + samples.source +
                       " (it has " + names + ")");
    }
    FieldPlan& plan = plans[f];
    plan.field = &samples.fields[std::size_t(index)];
    const IntervalField& field = *plan.field;
    if (!field.categorical) {
      plan.values.resize(samples.size());
      for (std::size_t r = 0; r < samples.size(); ++r)
        plan.values[r] =
            field.isBelowDetection(r) ? field.values[r] * belowDetectionFactor : field.values[r];
    }
    std::vector<std::size_t> holes;
    for (std::size_t r = 0; r < samples.size(); ++r) {
      if (field.isMissing(r) || !samples.points[r].allFinite()) continue;
      plan.rows.push_back(r);
      holes.push_back(samples.hole[r]);
    }
    if (plan.rows.empty())
      throw DataError("no sample has a value",
                      SourceLocation{samples.source, 0, 0, field.name, {}});
    plan.search = std::make_unique<detail::NeighbourSearch>(samples.points, plan.rows,
                                                            std::move(holes), transform, ellipsoid,
                                                            ellipsoid && options.maxDistance > 0.0);
    auto addChannel = [&](const std::string& name, const std::string& units) {
      EstimatedChannel c;
      c.name = name;
      c.units = units;
      c.values.assign(spec.size(), 0.0f);
      c.active.assign(spec.size(), 0);
      if (result.channelIndex(name) >= 0)
        throw UsageError("--fields: channel '" + name + "' would be made twice");
      result.channels.push_back(std::move(c));
      plan.channels.push_back(result.channels.size() - 1);
    };
    addChannel(field.name, {});
    if (kriging && !field.categorical) {
      plan.kriging = true;
      addChannel(field.name + "_variance", {});
      plan.scaled.resize(samples.size());
      for (std::size_t r : plan.rows) plan.scaled[r] = variogramFrame * samples.points[r];
      EstimationResult::Variography v;
      v.field = field.name;
      std::vector<double> fieldValues(samples.size(), std::numeric_limits<double>::quiet_NaN());
      for (std::size_t r : plan.rows) fieldValues[r] = plan.values[r];
      const Eigen::Matrix3d rotation = searchEllipsoid.rotation();
      const Eigen::Vector3d ranges(searchEllipsoid.major, searchEllipsoid.semi,
                                   searchEllipsoid.minor);
      v.experimental = experimentalVariograms(samples.points, fieldValues, options.variogram,
                                              ellipsoid ? &rotation : nullptr, ranges);
      if (models) {
        if (numericFields >= models->size())
          throw UsageError("estimateVolume: one variogram model per numeric field");
        v.model = (*models)[numericFields];
      } else {
        try {
          v.model = fitVariogram(v.experimental.back(), options.variogram.shape);
        } catch (const DataError& e) {
          throw DataError(e.message(), SourceLocation{samples.source, 0, 0, field.name, {}});
        }
      }
      plan.model = v.model;
      result.variography.push_back(std::move(v));
    }
    numericFields += !field.categorical;
    if (field.categorical) {
      std::vector<std::size_t> count(field.categories.size(), 0), order(field.categories.size());
      for (std::size_t r : plan.rows) ++count[std::size_t(field.codes[r])];
      for (std::size_t c = 0; c < order.size(); ++c) order[c] = c;
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return count[a] > count[b]; });
      if (options.maxCategories > 0 && order.size() > options.maxCategories)
        order.resize(options.maxCategories);
      std::sort(order.begin(), order.end());
      plan.proportionCodes = order;
      for (std::size_t c : order)
        addChannel(proportionChannelName(field.name, field.categories[c]), "fraction");
      result.legends.emplace_back(field.name, field.categories);
    }
    EstimationResult::FieldCount count;
    count.field = field.name;
    count.samples = plan.rows.size();
    result.counts.push_back(count);
  }

  const double maxDistance2 =
      options.maxDistance > 0.0 ? options.maxDistance * options.maxDistance : 0.0;
  const double halfPower = options.power / 2.0;
  const bool squarePower = options.power == 2.0;
  constexpr double kExact2 = 1e-18;  // (1e-9 of the search scale)^2
  const double scale2 = ellipsoid ? 1.0 : [&] {
    const double d = std::max({spec.spacing[0], spec.spacing[1], spec.spacing[2]});
    return d * d;
  }();
  const std::size_t slices = spec.nz * spec.ny;
  std::vector<std::vector<std::size_t>> beyond(plans.size(), std::vector<std::size_t>(slices, 0));
  std::vector<std::vector<std::size_t>> empty(plans.size(), std::vector<std::size_t>(slices, 0));

  Progress progress("estimate", slices);
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, slices),
      [&](const tbb::blocked_range<std::size_t>& range) {
        std::vector<detail::Neighbour> neighbours;
        std::vector<std::uint32_t> index;
        std::vector<double> dist2, weights, share;
        for (std::size_t slice = range.begin(); slice != range.end(); ++slice) {
          const std::size_t j = slice % spec.ny, k = slice / spec.ny;
          for (std::size_t i = 0; i < spec.nx; ++i) {
            const std::size_t voxel = spec.index(i, j, k);
            const Eigen::Vector3d x(spec.centreX(i), spec.centreY(j), spec.centreZ(k));
            for (std::size_t f = 0; f < plans.size(); ++f) {
              const FieldPlan& plan = plans[f];
              if (maxDistance2 > 0.0 && plan.search->nearestDistance2(x) > maxDistance2) {
                ++beyond[f][slice];
                continue;
              }
              plan.search->find(x, options.neighbors, options.maxPerHole, neighbours, index, dist2);
              if (neighbours.empty()) {
                ++empty[f][slice];
                continue;
              }
              // IDW weights; a sample on the voxel centre takes all the weight.
              weights.assign(neighbours.size(), 0.0);
              if (neighbours.front().d2 < kExact2 * scale2) {
                weights[0] = 1.0;
              } else {
                for (std::size_t n = 0; n < neighbours.size(); ++n) {
                  const double d2 = neighbours[n].d2;
                  weights[n] = squarePower ? 1.0 / d2 : 1.0 / std::pow(d2, halfPower);
                }
              }
              double total = 0.0;
              for (double w : weights) total += w;
              const IntervalField& field = *plan.field;
              if (plan.kriging) {
                double estimate = 0.0, variance = 0.0;
                if (neighbours.size() < kSmallSystem)
                  krige<SmallMatrix, SmallVector>(plan, neighbours, variogramFrame * x, estimate,
                                                  variance);
                else
                  krige<Eigen::MatrixXd, Eigen::VectorXd>(plan, neighbours, variogramFrame * x,
                                                          estimate, variance);
                auto& c = result.channels[plan.channels[0]];
                c.values[voxel] = float(estimate);
                c.active[voxel] = 1;
                auto& var = result.channels[plan.channels[1]];
                var.values[voxel] = float(variance);
                var.active[voxel] = 1;
              } else if (!field.categorical) {
                double sum = 0.0;
                for (std::size_t n = 0; n < neighbours.size(); ++n)
                  sum += weights[n] * plan.values[neighbours[n].row];
                auto& c = result.channels[plan.channels[0]];
                c.values[voxel] = float(sum / total);
                c.active[voxel] = 1;
              } else {
                share.assign(field.categories.size(), 0.0);
                for (std::size_t n = 0; n < neighbours.size(); ++n)
                  share[std::size_t(field.codes[neighbours[n].row])] += weights[n];
                std::size_t best = 0;
                for (std::size_t c = 1; c < share.size(); ++c)
                  if (share[c] > share[best]) best = c;
                auto& code = result.channels[plan.channels[0]];
                code.values[voxel] = float(best);
                code.active[voxel] = 1;
                for (std::size_t c = 0; c < plan.proportionCodes.size(); ++c) {
                  auto& p = result.channels[plan.channels[c + 1]];
                  p.values[voxel] = float(share[plan.proportionCodes[c]] / total);
                  p.active[voxel] = 1;
                }
              }
            }
          }
        }
        progress.advance(range.size());
      });
  progress.finish();
  for (std::size_t f = 0; f < plans.size(); ++f) {
    auto& count = result.counts[f];
    for (std::size_t s = 0; s < slices; ++s) {
      count.beyondMaxDistance += beyond[f][s];
      count.noNeighbours += empty[f][s];
    }
    count.estimated = result.channels[plans[f].channels[0]].activeCount();
  }
  return result;
}

// ------------------------------------------------------------------ cutoffs

GradeCutoff GradeCutoff::parse(const std::string& text, const std::string& option) {
  std::string s;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) s += c;
  GradeCutoff cut;
  std::size_t at = std::string::npos;
  for (const char* op : {">=", "<=", ">", "<"}) {
    at = s.find(op);
    if (at != std::string::npos) {
      cut.op = op;
      break;
    }
  }
  if (at == std::string::npos || at == 0)
    throw UsageError(option + ": '" + echoValue(text) + "' is not a cutoff such as CU>=0.5");
  cut.field = s.substr(0, at);
  const std::string value = s.substr(at + cut.op.size());
  char* end = nullptr;
  cut.value = std::strtod(value.c_str(), &end);
  if (value.empty() || end != value.c_str() + value.size() || !std::isfinite(cut.value))
    throw UsageError(option + ": '" + echoValue(text) + "' is not a cutoff such as CU>=0.5");
  return cut;
}

bool GradeCutoff::holds(double v) const {
  if (op == ">=") return v >= value;
  if (op == ">") return v > value;
  if (op == "<=") return v <= value;
  return v < value;
}

std::string GradeCutoff::text() const { return field + op + number(value); }

EstimatedChannel applyCutoff(const EstimationResult& result, const GradeCutoff& cutoff,
                             const std::string& name) {
  long index = result.channelIndex(cutoff.field);
  if (index < 0)
    for (std::size_t i = 0; i < result.channels.size(); ++i)
      if (lowerText(result.channels[i].name) == lowerText(cutoff.field)) index = long(i);
  bool categorical = false;
  for (const auto& legend : result.legends) categorical |= legend.first == cutoff.field;
  if (index < 0 || categorical)
    throw UsageError("--label: '" + cutoff.text() + "' needs a numeric field among --fields");
  const EstimatedChannel& source = result.channels[std::size_t(index)];
  EstimatedChannel out;
  out.name = name;
  out.values.assign(source.values.size(), 0.0f);
  out.active = source.active;
  for (std::size_t v = 0; v < out.values.size(); ++v)
    if (source.active[v] && cutoff.holds(source.values[v])) out.values[v] = 1.0f;
  return out;
}

}  // namespace orevox
