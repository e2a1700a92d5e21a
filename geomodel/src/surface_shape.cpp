#include "orevox/geomodel/surface_shape.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "mesh_edges.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/geomodel/mesh_distance.hpp"
#include "orevox/geomodel/surface_attitude.hpp"

namespace orevox {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kDegrees = 180.0 / M_PI;

void requireTriangles(const TriangleMesh& mesh) {
  if (mesh.triangleCount() == 0)
    throw DataError(mesh.label() + " has no triangles", SourceLocation{mesh.source, 0, 0, {}, {}});
}

/// Two unit vectors completing w (unit) to a right-handed frame (u, v, w).
void completeFrame(const Eigen::Vector3d& w, Eigen::Vector3d& u, Eigen::Vector3d& v) {
  const Eigen::Vector3d z(0, 0, 1);
  Eigen::Vector3d a = z.cross(w);
  if (a.norm() < 1e-9) a = Eigen::Vector3d(1, 0, 0).cross(w);
  u = a.normalized();
  v = w.cross(u);
}

/// Vertex neighbours through the edges of non-degenerate triangles (sorted, unique).
std::vector<std::vector<std::uint32_t>> vertexNeighbours(const TriangleMesh& mesh) {
  std::vector<std::vector<std::uint32_t>> nb(mesh.vertexCount());
  for (const auto& t : mesh.triangles) {
    if (meshdetail::repeatsIndex(t)) continue;
    for (int c = 0; c < 3; ++c) {
      nb[t[std::size_t(c)]].push_back(t[std::size_t((c + 1) % 3)]);
      nb[t[std::size_t((c + 1) % 3)]].push_back(t[std::size_t(c)]);
    }
  }
  for (auto& n : nb) {
    std::sort(n.begin(), n.end());
    n.erase(std::unique(n.begin(), n.end()), n.end());
  }
  return nb;
}

/// Area-weighted vertex normals (unnormalised sums of face normal x area).
std::vector<Eigen::Vector3d> vertexNormals(const TriangleMesh& mesh) {
  std::vector<Eigen::Vector3d> n(mesh.vertexCount(), Eigen::Vector3d::Zero());
  for (const auto& t : mesh.triangles) {
    if (meshdetail::repeatsIndex(t)) continue;
    const Eigen::Vector3d a = mesh.vertices[t[0]], b = mesh.vertices[t[1]], c = mesh.vertices[t[2]];
    const Eigen::Vector3d f = (b - a).cross(c - a);  // twice the area along the normal
    for (auto i : t) n[i] += f;
  }
  return n;
}

/// Least-squares quadric w = a u^2 + b uv + c v^2 + d u + e v through the origin of the
/// frame (u, v, w) at p; false when the neighbours do not determine it.
bool fitQuadric(const TriangleMesh& mesh, const std::vector<std::uint32_t>& hood,
                const Eigen::Vector3d& p, const Eigen::Vector3d& u, const Eigen::Vector3d& v,
                const Eigen::Vector3d& w, double& scale, Eigen::Matrix<double, 5, 1>& coef) {
  if (hood.size() < 5) return false;
  // Coordinates scaled by the neighbourhood's size for conditioning.
  scale = 0;
  for (auto j : hood) scale = std::max(scale, (mesh.vertices[j] - p).norm());
  if (!(scale > 0)) return false;
  Eigen::MatrixXd A(hood.size(), 5);
  Eigen::VectorXd rhs(hood.size());
  for (std::size_t r = 0; r < hood.size(); ++r) {
    const Eigen::Vector3d q = (mesh.vertices[hood[r]] - p) / scale;
    const double x = q.dot(u), y = q.dot(v);
    A.row(Eigen::Index(r)) << x * x, x * y, y * y, x, y;
    rhs[Eigen::Index(r)] = q.dot(w);
  }
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(A);
  if (qr.rank() < 5) return false;
  coef = qr.solve(rhs);
  return coef.allFinite();
}

}  // namespace

std::vector<double> vertexAreas(const TriangleMesh& mesh) {
  std::vector<double> area(mesh.vertexCount(), 0.0);
  for (const auto& t : mesh.triangles) {
    if (meshdetail::repeatsIndex(t)) continue;
    const double a = 0.5 * (mesh.vertices[t[1]] - mesh.vertices[t[0]])
                               .cross(mesh.vertices[t[2]] - mesh.vertices[t[0]])
                               .norm();
    for (auto i : t) area[i] += a / 3.0;
  }
  return area;
}

VertexShape vertexShape(const TriangleMesh& mesh, const SurfaceShapeOptions& options) {
  mesh.validate();
  const std::size_t nv = mesh.vertexCount();
  const auto nb = vertexNeighbours(mesh);
  const auto normals = vertexNormals(mesh);
  VertexShape out;
  out.meanCurvature.assign(nv, kNaN);
  out.dipChange.assign(nv, kNaN);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nv), [&](const auto& range) {
    std::vector<std::uint32_t> hood, frontier, next;
    std::vector<std::uint32_t> seen;
    for (std::size_t i = range.begin(); i != range.end(); ++i) {
      if (nb[i].empty() || !(normals[i].norm() > 0)) continue;
      const Eigen::Vector3d p = mesh.vertices[i];
      // Rings of neighbours: two always, more while some vertex within the radius is added.
      hood.clear();
      seen.assign(1, std::uint32_t(i));
      frontier.assign(1, std::uint32_t(i));
      for (int ring = 1; !frontier.empty(); ++ring) {
        next.clear();
        bool added = false;
        for (auto f : frontier)
          for (auto j : nb[f]) {
            if (std::find(seen.begin(), seen.end(), j) != seen.end()) continue;
            seen.push_back(j);
            const bool within = ring <= 2 || (mesh.vertices[j] - p).norm() <= options.fitRadius;
            if (!within) continue;
            hood.push_back(j);
            next.push_back(j);
            added = true;
          }
        if (!added || (ring >= 2 && !(options.fitRadius > 0))) break;
        frontier.swap(next);
      }
      // Fit in the frame of the vertex normal, then again in that of the fitted normal.
      Eigen::Vector3d w = normals[i].normalized(), u, v;
      Eigen::Matrix<double, 5, 1> c;
      double scale = 1;
      bool ok = true;
      for (int pass = 0; pass < 2 && ok; ++pass) {
        completeFrame(w, u, v);
        ok = fitQuadric(mesh, hood, p, u, v, w, scale, c);
        if (ok && pass == 0) w = (w - c[3] * u - c[4] * v).normalized();
      }
      if (!ok) continue;
      // Derivatives of the height function in world units.
      const double fu = c[3], fv = c[4];
      const double fuu = 2 * c[0] / scale, fuv = c[1] / scale, fvv = 2 * c[2] / scale;
      const double g2 = 1 + fu * fu + fv * fv;
      out.meanCurvature[i] =
          ((1 + fv * fv) * fuu - 2 * fu * fv * fuv + (1 + fu * fu) * fvv) / (2 * std::pow(g2, 1.5));
      // The normal there, and the down-dip direction in the tangent plane.
      const Eigen::Vector3d n = (w - fu * u - fv * v).normalized();
      const Eigen::Vector3d up = n.z() >= 0 ? n : Eigen::Vector3d(-n);
      const double sinDip = std::sqrt(std::max(0.0, 1 - up.z() * up.z()));
      if (sinDip < 1e-9) {
        out.dipChange[i] = 0.0;
        continue;
      }
      const Eigen::Vector3d down = (Eigen::Vector3d(0, 0, -1) + up.z() * up).normalized();
      // Step along `down` in (u, v), to first order in the parametrisation (fu, fv ~ 0
      // after the second fit; the exact arc-length factor is applied below).
      const double tu = down.dot(u), tv = down.dot(v);
      const double t2 = std::hypot(tu, tv);
      const double du = tu / t2, dv = tv / t2;
      // d(N)/d(param) for N = (w - fu u - fv v) / |.|, at the origin along (du, dv).
      const double dfu = fuu * du + fuv * dv, dfv = fuv * du + fvv * dv;
      const Eigen::Vector3d m = w - fu * u - fv * v;
      const Eigen::Vector3d dm = -dfu * u - dfv * v;
      const double mn = m.norm();
      const Eigen::Vector3d dn = dm / mn - m * (m.dot(dm)) / (mn * mn * mn);
      const double sign = n.z() >= 0 ? 1.0 : -1.0;  // the up normal's derivative
      // dip = acos(up_z): d dip = -d(up_z) / sin(dip); arc length per unit parameter.
      const double ds = std::sqrt(1 + std::pow(fu * du + fv * dv, 2));
      out.dipChange[i] = -sign * dn.z() / sinDip / ds * kDegrees * 100.0;
    }
  });
  return out;
}

double TrendSurface::offset(const Eigen::Vector3d& p) const {
  const Eigen::Vector3d q = p - centre;
  const double x = q.dot(u), y = q.dot(v);
  return q.dot(w) - (c[0] + c[1] * x + c[2] * y + c[3] * x * x + c[4] * x * y + c[5] * y * y);
}

TrendSurface fitTrendSurface(const TriangleMesh& mesh) {
  requireTriangles(mesh);
  mesh.validate();
  const std::vector<double> area = vertexAreas(mesh);
  double total = 0;
  Eigen::Vector3d centre = Eigen::Vector3d::Zero();
  for (std::size_t i = 0; i < area.size(); ++i) {
    total += area[i];
    centre += area[i] * mesh.vertices[i];
  }
  if (!(total > 0))
    throw DataError(mesh.label() + ": its triangles have no area: no trend surface",
                    SourceLocation{mesh.source, 0, 0, {}, {}});
  centre /= total;
  Eigen::Matrix3d cov = Eigen::Matrix3d::Zero();
  for (std::size_t i = 0; i < area.size(); ++i) {
    const Eigen::Vector3d d = mesh.vertices[i] - centre;
    cov += area[i] * d * d.transpose();
  }
  const Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> eig(cov);
  TrendSurface t;
  t.centre = centre;
  t.w = eig.eigenvectors().col(0).normalized();  // smallest eigenvalue: the plane's normal
  Eigen::Vector3d mean = Eigen::Vector3d::Zero();
  for (std::size_t k = 0; k < mesh.triangleCount(); ++k) {
    const auto& tri = mesh.triangles[k];
    if (meshdetail::repeatsIndex(tri)) continue;
    mean += (mesh.vertices[tri[1]] - mesh.vertices[tri[0]])
                .cross(mesh.vertices[tri[2]] - mesh.vertices[tri[0]]);
  }
  if (mean.dot(t.w) < 0) t.w = -t.w;
  completeFrame(t.w, t.u, t.v);
  // Weighted least squares in coordinates scaled by the mesh's size.
  double scale = 0;
  for (const auto& p : mesh.vertices) scale = std::max(scale, (p - centre).norm());
  Eigen::MatrixXd A(area.size(), 6);
  Eigen::VectorXd rhs(area.size());
  for (std::size_t i = 0; i < area.size(); ++i) {
    const Eigen::Vector3d q = (mesh.vertices[i] - centre) / scale;
    const double x = q.dot(t.u), y = q.dot(t.v), s = std::sqrt(area[i] / total);
    A.row(Eigen::Index(i)) << s, s * x, s * y, s * x * x, s * x * y, s * y * y;
    rhs[Eigen::Index(i)] = s * q.dot(t.w);
  }
  // A mesh whose vertices do not determine a quadratic (a few triangles) gets its plane.
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(A);
  Eigen::VectorXd c = Eigen::VectorXd::Zero(6);
  if (qr.rank() == 6) {
    c = qr.solve(rhs);
  } else {
    qr.compute(A.leftCols(3));
    if (qr.rank() < 3)
      throw DataError(mesh.label() + ": its vertices do not determine a trend surface (in a line)",
                      SourceLocation{mesh.source, 0, 0, {}, {}});
    c.head(3) = qr.solve(rhs);
  }
  // Back to world units: w = s (c0 + c1 x/s + ...), with x, y, w divided by s.
  t.c[0] = c[0] * scale;
  t.c[1] = c[1];
  t.c[2] = c[2];
  t.c[3] = c[3] / scale;
  t.c[4] = c[4] / scale;
  t.c[5] = c[5] / scale;
  return t;
}

SurfacePredictorField surfacePredictors(const TriangleMesh& mesh, const VolumeSpec& spec,
                                        const SurfaceShapeOptions& options) {
  requireTriangles(mesh);
  const MeshDistance tree(mesh);
  const VertexShape shape = vertexShape(mesh, options);
  const TrendSurface trend = fitTrendSurface(mesh);
  SurfacePredictorField out;
  for (auto* f : {&out.dip, &out.dipDirection, &out.dipChange, &out.undulation, &out.meanCurvature})
    f->assign(spec.size(), 0.0f);
  Progress progress("surface predictors", spec.nz);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, spec.nz), [&](const auto& r) {
    for (std::size_t k = r.begin(); k != r.end(); ++k) {
      std::uint32_t hint = MeshClosestPoint::kNone;
      for (std::size_t j = 0; j < spec.ny; ++j)
        for (std::size_t i = 0; i < spec.nx; ++i) {
          const MeshClosestPoint c =
              tree.closest(Eigen::Vector3d(spec.centreX(i), spec.centreY(j), spec.centreZ(k)),
                           std::numeric_limits<double>::infinity(), hint);
          if (!c.found()) continue;
          hint = c.triangle;
          const std::size_t n = spec.index(i, j, k);
          double dip = 0, direction = 0;
          dipAndDirection(mesh.faceNormal(c.triangle), dip, direction);
          out.dip[n] = float(dip);
          out.dipDirection[n] = float(direction);
          out.undulation[n] = float(trend.offset(c.point));
          // Barycentric weights of the nearest point in its triangle.
          const auto& t = mesh.triangles[c.triangle];
          const Eigen::Vector3d a = mesh.vertices[t[0]], b = mesh.vertices[t[1]],
                                cc = mesh.vertices[t[2]];
          const Eigen::Vector3d nrm = (b - a).cross(cc - a);
          const double n2 = nrm.squaredNorm();
          double wgt[3] = {1.0 / 3, 1.0 / 3, 1.0 / 3};
          if (n2 > 0) {
            wgt[0] = (b - c.point).cross(cc - c.point).dot(nrm) / n2;
            wgt[1] = (cc - c.point).cross(a - c.point).dot(nrm) / n2;
            wgt[2] = 1 - wgt[0] - wgt[1];
          }
          double curvature = 0, change = 0, used = 0;
          for (int q = 0; q < 3; ++q) {
            const double h = shape.meanCurvature[t[std::size_t(q)]],
                         g = shape.dipChange[t[std::size_t(q)]];
            if (std::isnan(h) || std::isnan(g)) continue;
            curvature += wgt[q] * h;
            change += wgt[q] * g;
            used += wgt[q];
          }
          if (used > 1e-12) {
            out.meanCurvature[n] = float(curvature / used);
            out.dipChange[n] = float(change / used);
          }
        }
      progress.advance();
    }
  });
  progress.finish();
  return out;
}

namespace {

/// The chord of triangle t (corners p) on the plane with normal n through o: false when
/// the triangle does not reach across the plane. Endpoints as extreme points along dir.
bool chordOnPlane(const Eigen::Vector3d* p, const Eigen::Vector3d& n, const Eigen::Vector3d& o,
                  Eigen::Vector3d& from, Eigen::Vector3d& to) {
  double d[3];
  for (int k = 0; k < 3; ++k) d[k] = n.dot(p[k] - o);
  if ((d[0] > 0 && d[1] > 0 && d[2] > 0) || (d[0] < 0 && d[1] < 0 && d[2] < 0)) return false;
  if (d[0] == 0 && d[1] == 0 && d[2] == 0) return false;  // coplanar
  Eigen::Vector3d pts[4];
  int count = 0;
  for (int k = 0; k < 3 && count < 4; ++k) {
    const int l = (k + 1) % 3;
    if (d[k] == 0) pts[count++] = p[k];
    if ((d[k] < 0 && d[l] > 0) || (d[k] > 0 && d[l] < 0))
      pts[count++] = p[k] + (p[l] - p[k]) * (d[k] / (d[k] - d[l]));
  }
  if (count < 2) return false;
  from = pts[0];
  to = pts[1];
  for (int k = 2; k < count; ++k)
    if ((pts[k] - from).squaredNorm() > (to - from).squaredNorm()) to = pts[k];
  return true;
}

/// Segment where triangles p and q cross, if any.
bool triangleCrossing(const Eigen::Vector3d* p, const Eigen::Vector3d* q, Segment3& out) {
  const Eigen::Vector3d np = (p[1] - p[0]).cross(p[2] - p[0]);
  const Eigen::Vector3d nq = (q[1] - q[0]).cross(q[2] - q[0]);
  const Eigen::Vector3d dir = np.cross(nq);
  if (!(dir.norm() > 1e-12 * np.norm() * nq.norm())) return false;  // parallel planes
  Eigen::Vector3d a0, a1, b0, b1;
  if (!chordOnPlane(p, nq, q[0], a0, a1) || !chordOnPlane(q, np, p[0], b0, b1)) return false;
  const Eigen::Vector3d e = dir.normalized();
  double sa0 = e.dot(a0), sa1 = e.dot(a1), sb0 = e.dot(b0), sb1 = e.dot(b1);
  if (sa0 > sa1) {
    std::swap(sa0, sa1);
    std::swap(a0, a1);
  }
  if (sb0 > sb1) {
    std::swap(sb0, sb1);
    std::swap(b0, b1);
  }
  const double lo = std::max(sa0, sb0), hi = std::min(sa1, sb1);
  if (!(hi > lo)) return false;
  // Points on chord a (which lies on both planes up to rounding) at lo and hi.
  auto at = [&](double s) {
    return sa1 > sa0 ? Eigen::Vector3d(a0 + (a1 - a0) * ((s - sa0) / (sa1 - sa0))) : a0;
  };
  out.a = at(lo);
  out.b = at(hi);
  return true;
}

}  // namespace

std::vector<Segment3> meshIntersection(const TriangleMesh& a, const TriangleMesh& b) {
  a.validate();
  b.validate();
  std::vector<Segment3> out;
  if (a.triangleCount() == 0 || b.triangleCount() == 0) return out;
  // A uniform grid of b's triangle boxes, cells the size of b's mean triangle box.
  const MeshBounds bb = b.bounds();
  double mean = 0;
  for (const auto& t : b.triangles) {
    Eigen::Vector3d lo = b.vertices[t[0]], hi = lo;
    for (auto i : t) {
      lo = lo.cwiseMin(b.vertices[i]);
      hi = hi.cwiseMax(b.vertices[i]);
    }
    mean += (hi - lo).maxCoeff();
  }
  const Eigen::Vector3d span = bb.max - bb.min;
  double cell = std::max(mean / double(b.triangleCount()), 1e-9 * (span.maxCoeff() + 1.0));
  // At most about 2^21 cells per axis product: widen cells for huge, thin meshes.
  while ((span / cell).array().floor().prod() > 8e6) cell *= 2;
  auto cellOf = [&](const Eigen::Vector3d& p, int axis) {
    return long(std::floor((p[axis] - bb.min[axis]) / cell));
  };
  const long n[3] = {cellOf(bb.max, 0) + 1, cellOf(bb.max, 1) + 1, cellOf(bb.max, 2) + 1};
  std::unordered_map<long, std::vector<std::uint32_t>> grid;
  auto key = [&](long i, long j, long k) { return (k * n[1] + j) * n[0] + i; };
  for (std::uint32_t t = 0; t < b.triangleCount(); ++t) {
    const auto& tri = b.triangles[t];
    if (meshdetail::repeatsIndex(tri)) continue;
    Eigen::Vector3d lo = b.vertices[tri[0]], hi = lo;
    for (auto i : tri) {
      lo = lo.cwiseMin(b.vertices[i]);
      hi = hi.cwiseMax(b.vertices[i]);
    }
    for (long k = cellOf(lo, 2); k <= cellOf(hi, 2); ++k)
      for (long j = cellOf(lo, 1); j <= cellOf(hi, 1); ++j)
        for (long i = cellOf(lo, 0); i <= cellOf(hi, 0); ++i) grid[key(i, j, k)].push_back(t);
  }
  std::vector<std::uint32_t> candidates;
  for (const auto& ta : a.triangles) {
    if (meshdetail::repeatsIndex(ta)) continue;
    const Eigen::Vector3d p[3] = {a.vertices[ta[0]], a.vertices[ta[1]], a.vertices[ta[2]]};
    const Eigen::Vector3d lo = p[0].cwiseMin(p[1]).cwiseMin(p[2]);
    const Eigen::Vector3d hi = p[0].cwiseMax(p[1]).cwiseMax(p[2]);
    if ((hi.array() < bb.min.array()).any() || (lo.array() > bb.max.array()).any()) continue;
    candidates.clear();
    for (long k = std::max(0L, cellOf(lo, 2)); k <= std::min(n[2] - 1, cellOf(hi, 2)); ++k)
      for (long j = std::max(0L, cellOf(lo, 1)); j <= std::min(n[1] - 1, cellOf(hi, 1)); ++j)
        for (long i = std::max(0L, cellOf(lo, 0)); i <= std::min(n[0] - 1, cellOf(hi, 0)); ++i) {
          const auto it = grid.find(key(i, j, k));
          if (it != grid.end())
            candidates.insert(candidates.end(), it->second.begin(), it->second.end());
        }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    for (auto t : candidates) {
      const auto& tb = b.triangles[t];
      const Eigen::Vector3d q[3] = {b.vertices[tb[0]], b.vertices[tb[1]], b.vertices[tb[2]]};
      Segment3 s;
      if (triangleCrossing(p, q, s)) out.push_back(s);
    }
  }
  return out;
}

std::vector<float> segmentDistanceField(const std::vector<Segment3>& segments,
                                        const VolumeSpec& spec) {
  if (segments.empty())
    throw DataError("no line to measure distances to (the surfaces do not cross)",
                    SourceLocation{});
  // Each segment as the degenerate triangle (a, b, b'), whose exact closest point
  // (MeshDistance) is the segment's.
  TriangleMesh lines;
  lines.vertices.reserve(segments.size() * 3);
  for (const auto& s : segments) {
    const auto v = std::uint32_t(lines.vertices.size());
    lines.vertices.push_back(s.a);
    lines.vertices.push_back(s.b);
    lines.vertices.push_back(s.b);
    lines.triangles.push_back({v, v + 1, v + 2});
  }
  const MeshDistance tree(lines);
  std::vector<float> out(spec.size(), 0.0f);
  Progress progress("line distance", spec.nz);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, spec.nz), [&](const auto& r) {
    for (std::size_t k = r.begin(); k != r.end(); ++k) {
      std::uint32_t hint = MeshClosestPoint::kNone;
      for (std::size_t j = 0; j < spec.ny; ++j)
        for (std::size_t i = 0; i < spec.nx; ++i) {
          const MeshClosestPoint c =
              tree.closest(Eigen::Vector3d(spec.centreX(i), spec.centreY(j), spec.centreZ(k)),
                           std::numeric_limits<double>::infinity(), hint);
          hint = c.triangle;
          out[spec.index(i, j, k)] = float(c.distance);
        }
      progress.advance();
    }
  });
  progress.finish();
  return out;
}

namespace {

/// Fills depth = top - z for every voxel of the columns whose top is finite.
std::vector<float> depthFromTops(const std::vector<double>& top, const VolumeSpec& spec,
                                 std::vector<std::uint8_t>& active) {
  std::vector<float> out(spec.size(), 0.0f);
  active.assign(spec.size(), 0);
  for (std::size_t k = 0; k < spec.nz; ++k)
    for (std::size_t j = 0; j < spec.ny; ++j)
      for (std::size_t i = 0; i < spec.nx; ++i) {
        const double t = top[j * spec.nx + i];
        if (!std::isfinite(t)) continue;
        const std::size_t n = spec.index(i, j, k);
        out[n] = float(t - spec.centreZ(k));
        active[n] = 1;
      }
  return out;
}

}  // namespace

std::vector<float> depthBelowSurface(const TriangleMesh& topography, const VolumeSpec& spec,
                                     std::vector<std::uint8_t>& active) {
  requireTriangles(topography);
  const MeshDistance tree(topography);
  std::vector<double> top(spec.nx * spec.ny, kNaN);
  std::vector<double> z;
  for (std::size_t j = 0; j < spec.ny; ++j)
    for (std::size_t i = 0; i < spec.nx; ++i) {
      tree.verticalCrossings(spec.centreX(i), spec.centreY(j), z);
      if (!z.empty()) top[j * spec.nx + i] = z.back();
    }
  return depthFromTops(top, spec, active);
}

std::vector<float> depthBelowSurface(const Raster& dem, std::size_t band, const VolumeSpec& spec,
                                     std::vector<std::uint8_t>& active) {
  const GridSpec& g = dem.grid();
  const std::vector<float>& values = dem.band(band).values;
  std::vector<double> top(spec.nx * spec.ny, kNaN);
  const long w = long(g.width), h = long(g.height);
  for (std::size_t j = 0; j < spec.ny; ++j)
    for (std::size_t i = 0; i < spec.nx; ++i) {
      const double px = g.pixelX(spec.centreX(i)), py = g.pixelY(spec.centreY(j));
      if (!(px >= 0 && py >= 0 && px <= double(w) && py <= double(h))) continue;
      // Bilinear between cell centres (at integer + 0.5), clamped at the edge cells.
      const double fx = std::clamp(px - 0.5, 0.0, double(w - 1));
      const double fy = std::clamp(py - 0.5, 0.0, double(h - 1));
      const long c0 = std::min(long(fx), w - 1), r0 = std::min(long(fy), h - 1);
      const long c1 = std::min(c0 + 1, w - 1), r1 = std::min(r0 + 1, h - 1);
      const double tx = fx - double(c0), ty = fy - double(r0);
      const float v00 = values[g.index(std::size_t(c0), std::size_t(r0))],
                  v10 = values[g.index(std::size_t(c1), std::size_t(r0))],
                  v01 = values[g.index(std::size_t(c0), std::size_t(r1))],
                  v11 = values[g.index(std::size_t(c1), std::size_t(r1))];
      if (dem.isNodata(v00) || dem.isNodata(v10) || dem.isNodata(v01) || dem.isNodata(v11))
        continue;
      top[j * spec.nx + i] =
          (1 - ty) * ((1 - tx) * v00 + tx * v10) + ty * ((1 - tx) * v01 + tx * v11);
    }
  return depthFromTops(top, spec, active);
}

}  // namespace orevox
