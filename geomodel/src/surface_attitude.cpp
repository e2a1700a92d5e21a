#include "orevox/geomodel/surface_attitude.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/geomodel/mesh_distance.hpp"

namespace orevox {

void dipAndDirection(const Eigen::Vector3d& normal, double& dip, double& dipDirection) {
  Eigen::Vector3d n = normal.normalized();
  if (n.z() < 0) n = -n;
  dip = std::acos(std::clamp(n.z(), -1.0, 1.0)) * 180.0 / M_PI;
  const double horizontal = std::hypot(n.x(), n.y());
  dipDirection = horizontal > 1e-12 ? std::atan2(n.x(), n.y()) * 180.0 / M_PI : 0.0;
  if (dipDirection < 0) dipDirection += 360.0;
}

SurfaceAttitudeField surfaceAttitude(const TriangleMesh& surface, const VolumeSpec& spec) {
  if (surface.triangleCount() == 0)
    throw DataError(surface.label() + " has no triangles",
                    SourceLocation{surface.source, 0, 0, {}, {}});
  const MeshDistance tree(surface);
  SurfaceAttitudeField out;
  out.dip.assign(spec.size(), 0.0f);
  out.dipDirection.assign(spec.size(), 0.0f);
  Progress progress("surface attitude", spec.nz);
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, spec.nz), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t k = r.begin(); k != r.end(); ++k) {
          std::uint32_t hint = MeshClosestPoint::kNone;
          for (std::size_t j = 0; j < spec.ny; ++j) {
            for (std::size_t i = 0; i < spec.nx; ++i) {
              const MeshClosestPoint c =
                  tree.closest(Eigen::Vector3d(spec.centreX(i), spec.centreY(j), spec.centreZ(k)),
                               std::numeric_limits<double>::infinity(), hint);
              if (!c.found()) continue;
              hint = c.triangle;
              double dip = 0, direction = 0;
              dipAndDirection(surface.faceNormal(c.triangle), dip, direction);
              const std::size_t n = spec.index(i, j, k);
              out.dip[n] = float(dip);
              out.dipDirection[n] = float(direction);
            }
          }
          progress.advance();
        }
      });
  progress.finish();
  return out;
}

}  // namespace orevox
