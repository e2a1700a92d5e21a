// Desurvey: hole trajectories by minimum curvature or the tangent method, interval
// positions and display traces.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/drillholes.hpp"

namespace orevox {

namespace {

constexpr double kPi = 3.14159265358979323846;

/// Angle between two unit vectors, accurate for small and large angles.
double angleBetween(const Eigen::Vector3d& a, const Eigen::Vector3d& b) {
  return 2.0 * std::atan2((a - b).norm(), (a + b).norm());
}

/// Below this dogleg (radians) the arc uses its second-order series (error ~ b^2 / 12).
constexpr double kStraight = 1e-7;
/// Within this of pi the arc between opposite directions is not unique.
constexpr double kOpposite = 1e-9;

}  // namespace

HoleTrajectory::HoleTrajectory(const Drillhole& hole, DesurveyMethod method) : method_(method) {
  if (hole.stations.empty())
    throw UsageError("HoleTrajectory: hole '" + hole.id + "' has no survey station");
  const auto& st = hole.stations;
  if (st.front().depth > 0.0) {  // straight from the collar along the first direction
    md_.push_back(0.0);
    dir_.push_back(holeDirection(st.front().azimuth, st.front().dip));
  }
  for (const auto& s : st) {
    md_.push_back(s.depth);
    dir_.push_back(holeDirection(s.azimuth, s.dip));
  }
  pos_.assign(md_.size(), Eigen::Vector3d::Zero());
  angle_.assign(md_.size(), 0.0);
  pos_[0] = Eigen::Vector3d(hole.x, hole.y, hole.z);
  for (std::size_t i = 0; i + 1 < md_.size(); ++i) {
    angle_[i] = angleBetween(dir_[i], dir_[i + 1]);
    pos_[i + 1] = pos_[i];  // position(md_[i + 1]) needs pos_[i] only
    const double L = md_[i + 1] - md_[i];
    if (method_ == DesurveyMethod::Tangent || angle_[i] > kPi - kOpposite) {
      pos_[i + 1] += L * dir_[i];
    } else if (angle_[i] < kStraight) {
      pos_[i + 1] += 0.5 * L * (dir_[i] + dir_[i + 1]);
    } else {
      const double b = angle_[i];
      // Ratio factor of the minimum-curvature method: (2 / b) tan(b / 2).
      pos_[i + 1] += 0.5 * L * (2.0 / b) * std::tan(0.5 * b) * (dir_[i] + dir_[i + 1]);
    }
  }
}

std::size_t HoleTrajectory::segment(double depth) const {
  const auto it = std::upper_bound(md_.begin(), md_.end(), depth);
  if (it == md_.begin()) return 0;
  return std::size_t(it - md_.begin()) - 1;
}

Eigen::Vector3d HoleTrajectory::position(double depth) const {
  if (depth <= md_[0]) return pos_[0] + (depth - md_[0]) * dir_[0];
  const std::size_t i = segment(depth);
  if (i + 1 >= md_.size()) return pos_[i] + (depth - md_[i]) * dir_[i];
  const double L = md_[i + 1] - md_[i];
  const double t = (depth - md_[i]) / L;
  const Eigen::Vector3d& d1 = dir_[i];
  const Eigen::Vector3d& d2 = dir_[i + 1];
  const double b = angle_[i];
  if (method_ == DesurveyMethod::Tangent || b > kPi - kOpposite) return pos_[i] + t * L * d1;
  if (b < kStraight) return pos_[i] + L * ((t - 0.5 * t * t) * d1 + 0.5 * t * t * d2);
  // Integral of slerp(d1, d2, u) over u in [0, t], times L, without cancellation:
  // (cos((1-t)b) - cos b) = 2 sin((2-t)b/2) sin(tb/2), 1 - cos(tb) = 2 sin^2(tb/2).
  const double s = std::sin(0.5 * t * b);
  const double scale = L / (b * std::sin(b));
  return pos_[i] + scale * (2.0 * std::sin(0.5 * (2.0 - t) * b) * s * d1 + 2.0 * s * s * d2);
}

Eigen::Vector3d HoleTrajectory::direction(double depth) const {
  if (depth <= md_[0]) return dir_[0];
  const std::size_t i = segment(depth);
  if (i + 1 >= md_.size()) return dir_[i];
  const double b = angle_[i];
  if (method_ == DesurveyMethod::Tangent || b > kPi - kOpposite) return dir_[i];
  const double t = (depth - md_[i]) / (md_[i + 1] - md_[i]);
  if (b < kStraight) return ((1.0 - t) * dir_[i] + t * dir_[i + 1]).normalized();
  return (std::sin((1.0 - t) * b) * dir_[i] + std::sin(t * b) * dir_[i + 1]) / std::sin(b);
}

std::vector<Eigen::Vector3d> HoleTrajectory::path(double from, double to) const {
  std::vector<Eigen::Vector3d> out;
  out.push_back(position(from));
  for (std::size_t i = 0; i < md_.size(); ++i)
    if (md_[i] > from && md_[i] < to) out.push_back(pos_[i]);
  out.push_back(position(to));
  return out;
}

std::vector<HoleTrajectory> desurveyHoles(const DrillholeDatabase& db, DesurveyMethod method) {
  std::vector<HoleTrajectory> out(db.holes.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, db.holes.size(), 64),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t h = range.begin(); h != range.end(); ++h)
                        out[h] = HoleTrajectory(db.holes[h], method);
                    });
  return out;
}

DesurveyedIntervals desurveyIntervals(const std::vector<HoleTrajectory>& trajectories,
                                      const IntervalTable& table) {
  DesurveyedIntervals out;
  const std::size_t n = table.size();
  if (table.hole.size() != n)
    throw UsageError("desurveyIntervals: the interval table has no hole indices (not validated)");
  out.from.resize(n);
  out.middle.resize(n);
  out.to.resize(n);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1024),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t r = range.begin(); r != range.end(); ++r) {
                        const HoleTrajectory& path = trajectories.at(table.hole[r]);
                        out.from[r] = path.position(table.from[r]);
                        out.middle[r] = path.position(0.5 * (table.from[r] + table.to[r]));
                        out.to[r] = path.position(table.to[r]);
                      }
                    });
  return out;
}

long DrillholeTraces::fieldIndex(const std::string& name) const {
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name) return long(i);
  return -1;
}

DrillholeTraces drillholeTraces(const DrillholeDatabase& db,
                                const std::vector<HoleTrajectory>& trajectories,
                                const IntervalTable& table) {
  DrillholeTraces out;
  out.crsWkt = db.crsWkt;
  out.unit = db.unit;
  for (const auto& hole : db.holes) out.holeIds.push_back(hole.id);
  out.hole = table.hole;
  out.from = table.from;
  out.to = table.to;
  out.fields = table.fields;
  out.offsets.reserve(table.size() + 1);
  out.offsets.push_back(0);
  for (std::size_t r = 0; r < table.size(); ++r) {
    for (const auto& p : trajectories.at(table.hole[r]).path(table.from[r], table.to[r]))
      out.points.push_back({p.x(), p.y(), p.z()});
    out.offsets.push_back(out.points.size());
  }
  return out;
}

}  // namespace orevox
