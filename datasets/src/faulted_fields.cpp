#include "faulted_fields.hpp"

#include <cmath>
#include <set>

#include "orevox/core/error.hpp"
#include "orevox/voxel/mesh_volume.hpp"

namespace orevox::detail {

namespace {

Eigen::Vector3d centreOf(const VolumeSpec& s, std::size_t i, std::size_t j, std::size_t k) {
  return {s.centreX(i), s.centreY(j), s.centreZ(k)};
}

}  // namespace

std::vector<std::uint32_t> voxelBlocks(const FaultSet& faults, const VolumeSpec& spec) {
  std::vector<std::uint32_t> blocks(spec.size(), 0);
  if (faults.empty()) return blocks;
  std::vector<double> values(faults.faults().size());
  for (std::size_t k = 0; k < spec.nz; ++k)
    for (std::size_t j = 0; j < spec.ny; ++j)
      for (std::size_t i = 0; i < spec.nx; ++i) {
        const std::size_t v = spec.index(i, j, k);
        for (std::size_t f = 0; f < values.size(); ++f) values[f] = faults.faults()[f].field[v];
        blocks[v] = faults.blockAt(centreOf(spec, i, j, k), values.data());
      }
  return blocks;
}

FaultedField interpolateFaulted(const FeatureConstraints& feature, const FaultSet& faults,
                                const VolumeSpec& spec, const std::vector<std::uint32_t>& blocks,
                                const FieldSolver& solve) {
  FaultedField out;
  out.restoredSpec = spec;
  // Grow the box by whole voxels so that every restored voxel centre lies inside it.
  const double shift = faults.largestShift();
  if (shift > 0) {
    std::size_t* n[3] = {&out.restoredSpec.nx, &out.restoredSpec.ny, &out.restoredSpec.nz};
    for (std::size_t a = 0; a < 3; ++a) {
      const double cells = std::ceil(shift / spec.spacing[a]);
      out.restoredSpec.origin[a] -= cells * spec.spacing[a];
      *n[a] += 2 * std::size_t(cells);
    }
  }
  std::set<std::uint32_t> groups;
  for (std::uint32_t b : blocks) groups.insert(faults.separation(b));
  for (std::uint32_t group : groups) {
    FeatureConstraints part;
    part.name = feature.name;
    part.source = feature.source;
    for (ValueConstraint v : feature.values) {
      const std::uint32_t b = faults.blockAt(v.position);
      if (faults.separation(b) != group) continue;
      v.position = faults.restore(v.position, b);
      part.values.push_back(v);
    }
    for (OrientationConstraint o : feature.orientations) {
      const std::uint32_t b = faults.blockAt(o.position);
      if (faults.separation(b) != group) continue;
      o.position = faults.restore(o.position, b);
      part.orientations.push_back(o);
    }
    ImplicitField field;
    try {
      field = solve(part, out.restoredSpec);
    } catch (const DataError& e) {
      if (groups.size() == 1) throw;
      throw DataError("in the fault block (" + faults.describe(group) + "): " + e.message(),
                      e.where());
    }
    if (field.stats.unknowns >= out.stats.unknowns) {
      const double seconds = out.stats.seconds;
      out.stats = field.stats;
      out.stats.seconds += seconds;
    } else {
      out.stats.seconds += field.stats.seconds;
    }
    out.fields[group] = std::move(field.values);
  }
  out.values.resize(spec.size());
  for (std::size_t k = 0; k < spec.nz; ++k)
    for (std::size_t j = 0; j < spec.ny; ++j)
      for (std::size_t i = 0; i < spec.nx; ++i) {
        const std::size_t v = spec.index(i, j, k);
        const std::uint32_t b = blocks[v];
        const auto& field = out.fields.at(faults.separation(b));
        out.values[v] = float(
            sampleTrilinear(out.restoredSpec, field, faults.restore(centreOf(spec, i, j, k), b)));
      }
  return out;
}

void dropTriangles(TriangleMesh& mesh, const std::function<bool(const Eigen::Vector3d&)>& drop) {
  std::vector<std::array<std::uint32_t, 3>> kept;
  for (const auto& t : mesh.triangles) {
    const Eigen::Vector3d c =
        (mesh.vertices[t[0]] + mesh.vertices[t[1]] + mesh.vertices[t[2]]) / 3.0;
    if (!drop(c)) kept.push_back(t);
  }
  mesh.triangles = std::move(kept);
  mesh.faceProperties.clear();
  std::vector<std::uint32_t> index(mesh.vertices.size(), UINT32_MAX);
  std::vector<Eigen::Vector3d> vertices;
  for (auto& t : mesh.triangles)
    for (auto& v : t) {
      if (index[v] == UINT32_MAX) {
        index[v] = std::uint32_t(vertices.size());
        vertices.push_back(mesh.vertices[v]);
      }
      v = index[v];
    }
  mesh.vertices = std::move(vertices);
  mesh.vertexProperties.clear();
}

std::vector<TriangleMesh> faultedIsosurfaces(
    const FaultedField& field, const FaultSet& faults, const VolumeSpec& spec,
    const std::vector<std::uint32_t>& blocks, const std::vector<double>& values,
    const std::function<bool(std::size_t, const Eigen::Vector3d&)>& keep) {
  std::vector<TriangleMesh> out(values.size());
  std::set<std::uint32_t> present(blocks.begin(), blocks.end());
  for (std::uint32_t block : present) {
    // The block grown by one voxel (so the cells that straddle its faults are meshed).
    std::vector<std::uint8_t> active(spec.size(), 0);
    std::vector<float> values3(spec.size(), 0.0f);
    const long n[3] = {long(spec.nx), long(spec.ny), long(spec.nz)};
    for (long k = 0; k < n[2]; ++k)
      for (long j = 0; j < n[1]; ++j)
        for (long i = 0; i < n[0]; ++i) {
          if (blocks[spec.index(std::size_t(i), std::size_t(j), std::size_t(k))] != block) continue;
          for (long dk = -1; dk <= 1; ++dk)
            for (long dj = -1; dj <= 1; ++dj)
              for (long di = -1; di <= 1; ++di) {
                const long a = i + di, b = j + dj, c = k + dk;
                if (a < 0 || b < 0 || c < 0 || a >= n[0] || b >= n[1] || c >= n[2]) continue;
                active[spec.index(std::size_t(a), std::size_t(b), std::size_t(c))] = 1;
              }
        }
    const auto& restored = field.fields.at(faults.separation(block));
    for (std::size_t k = 0; k < spec.nz; ++k)
      for (std::size_t j = 0; j < spec.ny; ++j)
        for (std::size_t i = 0; i < spec.nx; ++i) {
          const std::size_t v = spec.index(i, j, k);
          if (!active[v]) continue;
          values3[v] = float(sampleTrilinear(field.restoredSpec, restored,
                                             faults.restore(centreOf(spec, i, j, k), block)));
        }
    VoxelModel model(spec);
    model.setChannel("field", values3, &active);
    for (std::size_t h = 0; h < values.size(); ++h) {
      TriangleMesh mesh = isosurface(model, "field", values[h]);
      dropTriangles(mesh, [&](const Eigen::Vector3d& c) {
        return faults.blockAt(c) != block || !keep(h, c);
      });
      TriangleMesh& all = out[h];
      const std::uint32_t base = std::uint32_t(all.vertices.size());
      all.vertices.insert(all.vertices.end(), mesh.vertices.begin(), mesh.vertices.end());
      for (auto t : mesh.triangles) {
        for (auto& v : t) v += base;
        all.triangles.push_back(t);
      }
      if (all.crsWkt.empty()) all.crsWkt = mesh.crsWkt;
    }
  }
  return out;
}

}  // namespace orevox::detail
