#include "orevox/geomodel/faults.hpp"

#include <cmath>
#include <sstream>

#include "orevox/core/error.hpp"

namespace orevox {

FaultModel FaultModel::make(const FeatureConstraints& constraints, const VolumeSpec& spec,
                            std::vector<float> field, const FaultDisplacement* displacement,
                            const std::string& displacementSource) {
  FaultModel f;
  f.name = constraints.name;
  f.spec = spec;
  f.field = std::move(field);
  double sum = 0;
  for (const auto& v : constraints.values) {
    f.centre += v.position;
    sum += v.value;
  }
  if (!constraints.values.empty()) {
    f.centre /= double(constraints.values.size());
    f.value = sum / double(constraints.values.size());
  }
  // The mean plane's normal, in the sense in which the field increases.
  Eigen::Vector3d n = Eigen::Vector3d::Zero();
  for (const auto& o : constraints.orientations) n += o.normal.normalized();
  if (!(n.norm() > 1e-9)) {
    const double h = spec.spacing[0];
    for (int a = 0; a < 3; ++a) {
      Eigen::Vector3d d = Eigen::Vector3d::Zero();
      d[a] = h;
      n[a] = sampleTrilinear(spec, f.field, f.centre + d) -
             sampleTrilinear(spec, f.field, f.centre - d);
    }
  }
  if (!(n.norm() > 1e-12))
    throw DataError("fault '" + f.name + "': its field has no direction at its centre",
                    SourceLocation{constraints.source, 0, 0, {}, {}});
  n.normalize();
  // The hanging wall is the side above the fault (along the given normals when vertical).
  if (n.z() < -1e-9) {
    n = -n;
    f.sideSign = -1.0;
  }
  f.normal = n;
  if (displacement) {
    f.hasDisplacement = true;
    f.displacement = displacement->displacement;
    f.radius = displacement->radius;
    const SourceLocation where{displacementSource, displacement->line, 0, {}, f.name};
    if (displacement->slip.norm() > 0) {
      f.slip = displacement->slip.normalized();
      if (std::abs(f.slip.dot(n)) > 0.9)
        throw DataError("the slip vector of fault '" + f.name +
                            "' is almost normal to the fault (it would open it)",
                        where);
    } else {
      // Down the dip of the mean plane: -z projected onto the plane.
      const Eigen::Vector3d down(0, 0, -1);
      const Eigen::Vector3d d = down - down.dot(n) * n;
      if (!(d.norm() > 1e-6))
        throw DataError("fault '" + f.name + "' is flat: give its slip vector (sx, sy, sz)", where);
      f.slip = d.normalized();
    }
  }
  return f;
}

double FaultModel::taper(const Eigen::Vector3d& p) const {
  if (!std::isfinite(radius)) return 1.0;
  const Eigen::Vector3d d = p - centre;
  const double r = (d - d.dot(normal) * normal).norm();
  if (r >= radius) return 0.0;
  const double t = 1.0 - (r / radius) * (r / radius);
  return t * t;
}

bool FaultModel::hangingWall(const Eigen::Vector3d& p, double fieldValue) const {
  if ((fieldValue - value) * sideSign <= 0) return false;
  if (!std::isfinite(radius)) return true;
  const Eigen::Vector3d d = p - centre;
  return (d - d.dot(normal) * normal).norm() < radius;
}

FaultSet::FaultSet(std::vector<FaultModel> faults) : faults_(std::move(faults)) {
  if (faults_.size() > 32)
    throw UsageError("at most 32 faults, got " + std::to_string(faults_.size()));
  for (std::size_t f = 0; f < faults_.size(); ++f)
    if (!faults_[f].hasDisplacement) separateMask_ |= std::uint32_t(1) << f;
}

std::uint32_t FaultSet::blockAt(const Eigen::Vector3d& p, const double* fieldValues) const {
  std::uint32_t block = 0;
  for (std::size_t f = 0; f < faults_.size(); ++f)
    if (faults_[f].hangingWall(p, fieldValues[f])) block |= std::uint32_t(1) << f;
  return block;
}

std::uint32_t FaultSet::blockAt(const Eigen::Vector3d& p) const {
  std::vector<double> values(faults_.size());
  for (std::size_t f = 0; f < faults_.size(); ++f)
    values[f] = sampleTrilinear(faults_[f].spec, faults_[f].field, p);
  return blockAt(p, values.data());
}

Eigen::Vector3d FaultSet::restore(const Eigen::Vector3d& p, std::uint32_t block) const {
  Eigen::Vector3d q = p;
  for (std::size_t f = 0; f < faults_.size(); ++f) {
    const FaultModel& m = faults_[f];
    if (!m.hasDisplacement || !(block >> f & 1u)) continue;
    q -= m.displacement * m.taper(p) * m.slip;
  }
  return q;
}

double FaultSet::largestShift() const {
  double s = 0;
  for (const auto& f : faults_)
    if (f.hasDisplacement) s += std::abs(f.displacement);
  return s;
}

std::string FaultSet::describe(std::uint32_t separation) const {
  std::string out;
  for (std::size_t f = 0; f < faults_.size(); ++f) {
    if (faults_[f].hasDisplacement) continue;
    if (!out.empty()) out += ", ";
    out += (separation >> f & 1u ? "hanging wall of " : "footwall of ") + faults_[f].name;
  }
  return out;
}

}  // namespace orevox
