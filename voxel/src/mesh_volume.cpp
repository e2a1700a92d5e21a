#include "orevox/voxel/mesh_volume.hpp"

#include <openvdb/openvdb.h>
#include <openvdb/tools/MeshToVolume.h>
#include <openvdb/tools/VolumeToMesh.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <mutex>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/geomodel/mesh_distance.hpp"

namespace orevox {

namespace {

void initOpenVdb() {
  static std::once_flag once;
  std::call_once(once, [] { openvdb::initialize(); });
}

constexpr std::size_t kBrick = 8;  // voxels per brick edge: one coherent walk per brick

std::string shortNumber(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", v);
  return buffer;
}

void requireTriangles(const TriangleMesh& mesh) {
  if (mesh.triangles.empty())
    throw DataError(mesh.source.empty() ? mesh.label() + ": the mesh has no triangles"
                                        : "the mesh has no triangles",
                    SourceLocation{mesh.source, 0, 0, {}, {}});
}

/// Inside flags of every voxel centre, one vertical line per column.
std::vector<std::uint8_t> insideByColumns(const MeshDistance& tree, const VolumeSpec& spec) {
  std::vector<std::uint8_t> inside(spec.size(), 0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, spec.ny),
                    [&](const tbb::blocked_range<std::size_t>& rows) {
                      std::vector<double> z;
                      for (std::size_t j = rows.begin(); j != rows.end(); ++j) {
                        for (std::size_t i = 0; i < spec.nx; ++i) {
                          tree.verticalCrossings(spec.centreX(i), spec.centreY(j), z);
                          if (z.empty()) continue;
                          // Crossings at or below the centre, walked upwards with k.
                          std::size_t below = 0;
                          for (std::size_t k = 0; k < spec.nz; ++k) {
                            const double zc = spec.centreZ(k);
                            while (below < z.size() && z[below] <= zc) ++below;
                            if ((z.size() - below) % 2 == 1) inside[spec.index(i, j, k)] = 1;
                          }
                        }
                      }
                    });
  return inside;
}

/// Calls fn(i, j, k) for every voxel of one brick, in an order where each voxel follows a
/// neighbour (serpentine rows), so the previous voxel's triangle is a good hint.
struct Brick {
  std::size_t i0, j0, k0, i1, j1, k1;  ///< voxels [i0, i1) x [j0, j1) x [k0, k1)
  /// Centre of the brick's voxel centres and the distance from it to the farthest one.
  Eigen::Vector3d centre(const VolumeSpec& s) const {
    return {0.5 * (s.centreX(i0) + s.centreX(i1 - 1)), 0.5 * (s.centreY(j0) + s.centreY(j1 - 1)),
            0.5 * (s.centreZ(k0) + s.centreZ(k1 - 1))};
  }
  double radius(const VolumeSpec& s) const {
    return 0.5 * Eigen::Vector3d(s.centreX(i1 - 1) - s.centreX(i0),
                                 s.centreY(j1 - 1) - s.centreY(j0),
                                 s.centreZ(k1 - 1) - s.centreZ(k0))
                     .norm();
  }
};

Brick brickOf(const VolumeSpec& spec, std::size_t brick) {
  const std::size_t bx = (spec.nx + kBrick - 1) / kBrick, by = (spec.ny + kBrick - 1) / kBrick;
  Brick b;
  b.i0 = (brick % bx) * kBrick;
  b.j0 = (brick / bx % by) * kBrick;
  b.k0 = (brick / (bx * by)) * kBrick;
  b.i1 = std::min(spec.nx, b.i0 + kBrick);
  b.j1 = std::min(spec.ny, b.j0 + kBrick);
  b.k1 = std::min(spec.nz, b.k0 + kBrick);
  return b;
}

template <typename Fn>
void walkBrick(const Brick& b, Fn&& fn) {
  const std::size_t i0 = b.i0, j0 = b.j0, k0 = b.k0, i1 = b.i1, j1 = b.j1, k1 = b.k1;
  bool forward = true;
  for (std::size_t k = k0; k < k1; ++k) {
    for (std::size_t jj = 0; jj < j1 - j0; ++jj) {
      const std::size_t j = (k - k0) % 2 == 0 ? j0 + jj : j1 - 1 - jj;
      for (std::size_t ii = 0; ii < i1 - i0; ++ii) fn(forward ? i0 + ii : i1 - 1 - ii, j, k);
      forward = !forward;
    }
  }
}

std::size_t brickCount(const VolumeSpec& spec) {
  return ((spec.nx + kBrick - 1) / kBrick) * ((spec.ny + kBrick - 1) / kBrick) *
         ((spec.nz + kBrick - 1) / kBrick);
}

MeshDistanceField exactDistance(const TriangleMesh& mesh, const VolumeSpec& spec,
                                const MeshDistanceOptions& options) {
  const TriangleMesh* surface = &mesh;
  TriangleMesh oriented;
  std::vector<std::uint8_t> inside;
  if (options.sign == DistanceSign::Side) {
    oriented = mesh;
    const OrientationResult r = orientConsistently(
        oriented,
        options.orient == SurfaceOrientation::Up ? OrientationRule::Up : OrientationRule::Majority);
    if (!r.orientable)
      throw DataError(
          "the surface is not orientable (it has no two sides), so a distance signed by side "
          "is undefined: use an unsigned distance",
          SourceLocation{mesh.source, 0, 0, {}, {}});
    surface = &oriented;
  }
  const MeshDistance tree(*surface);
  if (options.sign == DistanceSign::Inside) inside = insideByColumns(tree, spec);

  const double band = options.band > 0.0 ? options.band : std::numeric_limits<double>::infinity();
  const double flip = options.flip ? -1.0 : 1.0;
  MeshDistanceField out;
  out.values.assign(spec.size(), 0.0f);
  out.active.assign(spec.size(), 0);
  const std::size_t bricks = brickCount(spec);
  Progress progress("mesh distance", bricks);
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, bricks), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t b = r.begin(); b != r.end(); ++b) {
          const Brick brick = brickOf(spec, b);
          std::uint32_t hint = MeshClosestPoint::kNone;
          if (std::isfinite(band)) {
            // Every voxel of a brick whose centre is farther than band + radius is out of the band.
            const MeshClosestPoint c = tree.closest(brick.centre(spec), band + brick.radius(spec));
            if (!c.found()) {
              progress.advance();
              continue;
            }
            hint = c.triangle;
          }
          walkBrick(brick, [&](std::size_t i, std::size_t j, std::size_t k) {
            const Eigen::Vector3d p(spec.centreX(i), spec.centreY(j), spec.centreZ(k));
            const MeshClosestPoint c = tree.closest(p, band, hint);
            if (!c.found()) return;
            hint = c.triangle;
            double d = c.distance;
            if (options.sign == DistanceSign::Inside && inside[spec.index(i, j, k)]) d = -d;
            if (options.sign == DistanceSign::Side && c.side < 0) d = -d;
            const std::size_t n = spec.index(i, j, k);
            out.values[n] = float(flip * d);
            out.active[n] = 1;
          });
          progress.advance();
        }
      });
  progress.finish();
  return out;
}

openvdb::math::Transform::Ptr relativeTransform(const VolumeSpec& spec) {
  // Index (i, j, k) -> (i + 0.5) * spacing: world minus the box origin, which keeps
  // OpenVDB's single-precision positions small.
  const openvdb::Vec3d scale(spec.spacing[0], spec.spacing[1], spec.spacing[2]);
  const openvdb::Vec3d shift(0.5 * spec.spacing[0], 0.5 * spec.spacing[1], 0.5 * spec.spacing[2]);
  return std::make_shared<openvdb::math::Transform>(
      std::make_shared<openvdb::math::ScaleTranslateMap>(scale, shift));
}

MeshDistanceField openVdbDistance(const TriangleMesh& mesh, const VolumeSpec& spec,
                                  const MeshDistanceOptions& options) {
  if (spec.spacing[0] != spec.spacing[1] || spec.spacing[1] != spec.spacing[2])
    throw UsageError("--mesh-distance-method: openvdb needs cubic voxels, the box has " +
                     shortNumber(spec.spacing[0]) + " x " + shortNumber(spec.spacing[1]) + " x " +
                     shortNumber(spec.spacing[2]) + "; use exact");
  if (options.sign == DistanceSign::Side)
    throw UsageError("--mesh-distance-method: openvdb has no distance signed by side; use exact");
  initOpenVdb();
  const double voxel = spec.spacing[0];
  const auto xform = openvdb::math::Transform::createLinearTransform(voxel);
  xform->postTranslate(openvdb::Vec3d(0.5 * voxel, 0.5 * voxel, 0.5 * voxel));
  const Eigen::Vector3d origin(spec.origin[0], spec.origin[1], spec.origin[2]);
  std::vector<openvdb::Vec3s> points;
  points.reserve(mesh.vertices.size());
  for (const auto& v : mesh.vertices) {
    const Eigen::Vector3d r = v - origin;
    points.emplace_back(float(r.x()), float(r.y()), float(r.z()));
  }
  std::vector<openvdb::Vec3I> triangles;
  triangles.reserve(mesh.triangles.size());
  for (const auto& t : mesh.triangles) triangles.emplace_back(t[0], t[1], t[2]);
  const std::vector<openvdb::Vec4I> quads;
  // Unlimited: a band in voxels that covers the box and the mesh.
  double bandVoxels = options.band / voxel;
  if (!(options.band > 0.0)) {
    const MeshBounds b = mesh.bounds();
    Eigen::Vector3d lo = origin,
                    hi = origin + Eigen::Vector3d(double(spec.nx) * voxel, double(spec.ny) * voxel,
                                                  double(spec.nz) * voxel);
    lo = lo.cwiseMin(b.min);
    hi = hi.cwiseMax(b.max);
    bandVoxels = (hi - lo).norm() / voxel + 2.0;
  }
  const float width = float(std::min(bandVoxels, 1e7));
  openvdb::FloatGrid::Ptr grid =
      options.sign == DistanceSign::Inside
          ? openvdb::tools::meshToSignedDistanceField<openvdb::FloatGrid>(*xform, points, triangles,
                                                                          quads, width, width)
          : openvdb::tools::meshToUnsignedDistanceField<openvdb::FloatGrid>(
                *xform, points, triangles, quads, width);
  const double band = options.band > 0.0 ? options.band : std::numeric_limits<double>::infinity();
  const float flip = options.flip ? -1.0f : 1.0f;
  MeshDistanceField out;
  out.values.assign(spec.size(), 0.0f);
  out.active.assign(spec.size(), 0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, spec.nz),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      auto accessor = grid->getConstAccessor();
                      for (std::size_t k = r.begin(); k != r.end(); ++k)
                        for (std::size_t j = 0; j < spec.ny; ++j)
                          for (std::size_t i = 0; i < spec.nx; ++i) {
                            float v = 0.0f;
                            if (!accessor.probeValue(openvdb::Coord(int(i), int(j), int(k)), v))
                              continue;
                            if (!(std::abs(double(v)) <= band)) continue;
                            const std::size_t n = spec.index(i, j, k);
                            out.values[n] = flip * v;
                            out.active[n] = 1;
                          }
                    });
  return out;
}

}  // namespace

const NameTable<DistanceSign>& distanceSignNames() {
  static const NameTable<DistanceSign> names = {
      {"inside", DistanceSign::Inside}, {"side", DistanceSign::Side}, {"none", DistanceSign::None}};
  return names;
}

const NameTable<SurfaceOrientation>& surfaceOrientationNames() {
  static const NameTable<SurfaceOrientation> names = {{"given", SurfaceOrientation::Given},
                                                      {"up", SurfaceOrientation::Up}};
  return names;
}

const NameTable<MeshDistanceMethod>& meshDistanceMethodNames() {
  static const NameTable<MeshDistanceMethod> names = {{"exact", MeshDistanceMethod::Exact},
                                                      {"openvdb", MeshDistanceMethod::OpenVdb}};
  return names;
}

void MeshDistanceOptions::declare(OptionSet& set) {
  set.add(
      "mesh-distance-sign", sign, distanceSignNames(),
      "Sign of the distance to a mesh: inside (closed mesh, negative inside), side (surface such "
      "as a fault: positive on the side its normals point to), none (unsigned)");
  set.add("mesh-distance-band", band,
          "Distance beyond which voxels stay inactive (0 = every voxel gets its distance)")
      .units("CRS units")
      .nonNegative();
  set.add("orient", orient, surfaceOrientationNames(),
          "Orientation of a surface before its sides are taken: given (as in the file, made "
          "consistent), up (normals up: a fault's hanging wall positive)");
  set.add("flip-side", flip, "Reverse the sign of the distance (e.g. footwall positive)");
  set.add(
      "fill-holes", fillHoles,
      "Close holes of up to this many edges in the mesh first (0 = none; a missing triangle: 3)");
  set.add("mesh-distance-method", method, meshDistanceMethodNames(),
          "exact (closest triangle, double precision, any voxel shape) or openvdb (OpenVDB's "
          "narrow-band expansion, cubic voxels)");
}

MeshDistanceField meshDistanceField(const TriangleMesh& mesh, const VolumeSpec& spec,
                                    const MeshDistanceOptions& options) {
  if (spec.size() == 0) throw UsageError("mesh distance: the voxel box is empty");
  if (!(options.band >= 0.0) || !std::isfinite(options.band))
    throw UsageError("--mesh-distance-band: '" + shortNumber(options.band) +
                     "' is not a number >= 0");
  mesh.validate();
  requireTriangles(mesh);
  TriangleMesh repaired;
  HoleFilling filled;
  if (options.fillHoles > 0) {
    repaired = mesh;
    filled = fillHoles(repaired, options.fillHoles);
  }
  const TriangleMesh& m = options.fillHoles > 0 ? repaired : mesh;
  if (options.sign == DistanceSign::Inside)
    requireClosedMesh(m, "a distance signed inside/outside");
  MeshDistanceField out = options.method == MeshDistanceMethod::OpenVdb
                              ? openVdbDistance(m, spec, options)
                              : exactDistance(m, spec, options);
  out.filled = filled;
  out.activeCount = std::size_t(std::count(out.active.begin(), out.active.end(), std::uint8_t(1)));
  return out;
}

void addMeshDistanceChannel(VoxelModel& model, const std::string& channel, const TriangleMesh& mesh,
                            const MeshDistanceOptions& options) {
  const MeshDistanceField field = meshDistanceField(mesh, model.spec(), options);
  model.setChannel(channel, field.values, &field.active, options.units, 0.0f);
}

std::vector<std::uint8_t> meshInsideMask(const TriangleMesh& mesh, const VolumeSpec& spec,
                                         std::size_t holes, HoleFilling* filled) {
  mesh.validate();
  requireTriangles(mesh);
  TriangleMesh repaired;
  if (holes > 0) {
    repaired = mesh;
    const HoleFilling f = fillHoles(repaired, holes);
    if (filled) *filled = f;
  }
  const TriangleMesh& m = holes > 0 ? repaired : mesh;
  requireClosedMesh(m, "the inside mask");
  return insideByColumns(MeshDistance(m), spec);
}

HoleFilling addMeshInsideChannel(VoxelModel& model, const std::string& channel,
                                 const TriangleMesh& mesh, std::size_t fillHoles) {
  HoleFilling filled;
  const std::vector<std::uint8_t> inside = meshInsideMask(mesh, model.spec(), fillHoles, &filled);
  std::vector<float> values(inside.begin(), inside.end());
  model.setChannel(channel, values, nullptr, {}, 0.0f);
  return filled;
}

TriangleMesh isosurface(const VoxelModel& model, const std::string& channel, double value,
                        const IsosurfaceOptions& options) {
  if (!(options.adaptivity >= 0.0 && options.adaptivity <= 1.0))
    throw UsageError("isosurface adaptivity must be in [0, 1], got " +
                     shortNumber(options.adaptivity));
  if (!std::isfinite(value)) throw UsageError("isosurface value must be finite");
  initOpenVdb();
  const VolumeSpec& spec = model.spec();
  const std::vector<float> values = model.denseChannel(channel);
  const std::vector<std::uint8_t> active = model.activeMask(channel);
  auto grid = openvdb::FloatGrid::create(model.background(channel));
  grid->setTransform(relativeTransform(spec));
  {
    auto accessor = grid->getAccessor();
    for (std::size_t k = 0; k < spec.nz; ++k)
      for (std::size_t j = 0; j < spec.ny; ++j)
        for (std::size_t i = 0; i < spec.nx; ++i) {
          const std::size_t n = spec.index(i, j, k);
          if (active[n]) accessor.setValue(openvdb::Coord{int(i), int(j), int(k)}, values[n]);
        }
  }
  // OpenVDB's mesher is a dual method: one point per cell between eight voxel centres
  // whose values straddle the isovalue, quads across the straddling edges. Cells with an
  // inactive corner (or one outside the box) compare data with the background and make
  // walls: their points, and every polygon using one, are dropped.
  openvdb::tools::VolumeToMesh mesher(value, options.adaptivity);
  mesher(*grid);
  auto validCell = [&](const openvdb::Vec3s& p) {
    long c[3];
    for (int a = 0; a < 3; ++a)
      c[a] = long(std::floor(double(p[a]) / spec.spacing[std::size_t(a)] - 0.5));
    if (c[0] < 0 || c[1] < 0 || c[2] < 0 || std::size_t(c[0]) + 1 >= spec.nx ||
        std::size_t(c[1]) + 1 >= spec.ny || std::size_t(c[2]) + 1 >= spec.nz)
      return false;
    for (int d = 0; d < 8; ++d)
      if (!active[spec.index(std::size_t(c[0]) + (d & 1), std::size_t(c[1]) + ((d >> 1) & 1),
                             std::size_t(c[2]) + ((d >> 2) & 1))])
        return false;
    return true;
  };
  const std::uint32_t kDropped = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> newIndex(mesher.pointListSize(), kDropped);
  TriangleMesh out;
  out.name = channel + "=" + shortNumber(value);
  out.crsWkt = spec.crsWkt;
  const Eigen::Vector3d origin(spec.origin[0], spec.origin[1], spec.origin[2]);
  for (std::size_t p = 0; p < mesher.pointListSize(); ++p) {
    const openvdb::Vec3s& v = mesher.pointList()[p];
    if (!validCell(v)) continue;
    newIndex[p] = std::uint32_t(out.vertices.size());
    out.vertices.push_back(origin + Eigen::Vector3d(v.x(), v.y(), v.z()));
  }
  // OpenVDB's polygons face the values above the isovalue (a level set's outside).
  auto add = [&](std::uint32_t a, std::uint32_t b, std::uint32_t c) {
    if (newIndex[a] == kDropped || newIndex[b] == kDropped || newIndex[c] == kDropped) return;
    out.triangles.push_back({newIndex[a], newIndex[b], newIndex[c]});
  };
  for (std::size_t n = 0; n < mesher.polygonPoolListSize(); ++n) {
    const openvdb::tools::PolygonPool& pool = mesher.polygonPoolList()[n];
    for (std::size_t q = 0; q < pool.numQuads(); ++q) {
      const openvdb::Vec4I& a = pool.quad(q);
      if (newIndex[a[0]] == kDropped || newIndex[a[1]] == kDropped || newIndex[a[2]] == kDropped ||
          newIndex[a[3]] == kDropped)
        continue;  // a quad is dropped whole, not left as half a quad
      add(a[0], a[1], a[2]);
      add(a[0], a[2], a[3]);
    }
    for (std::size_t t = 0; t < pool.numTriangles(); ++t) {
      const openvdb::Vec3I& a = pool.triangle(t);
      add(a[0], a[1], a[2]);
    }
  }
  // Points of dropped polygons only: removed.
  std::vector<std::uint8_t> used(out.vertices.size(), 0);
  for (const auto& t : out.triangles)
    for (std::uint32_t v : t) used[v] = 1;
  std::vector<std::uint32_t> compact(out.vertices.size(), 0);
  std::size_t kept = 0;
  for (std::size_t v = 0; v < out.vertices.size(); ++v) {
    compact[v] = std::uint32_t(kept);
    if (used[v]) out.vertices[kept++] = out.vertices[v];
  }
  out.vertices.resize(kept);
  for (auto& t : out.triangles)
    for (auto& v : t) v = compact[v];
  return out;
}

}  // namespace orevox
