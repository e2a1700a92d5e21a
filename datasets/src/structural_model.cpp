#include "orevox/datasets/structural_model.hpp"

#include <cmath>
#include <filesystem>
#include <sstream>

#include "csv_reader.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/datasets/constraint_io.hpp"
#include "orevox/datasets/mesh_io.hpp"
#include "orevox/datasets/volume_io.hpp"
#include "orevox/datasets/vti_io.hpp"
#include "orevox/voxel/mesh_volume.hpp"

namespace orevox {

namespace fs = std::filesystem;

const NameTable<InterpolatorKind>& interpolatorNames() {
  static const NameTable<InterpolatorKind> names = {{"fdi", InterpolatorKind::Fdi},
                                                    {"rbf", InterpolatorKind::Rbf}};
  return names;
}

void ModelBuildJob::declare(OptionSet& set) {
  set.add(
         "points", points,
         "Constraint tables in LoopStructural's layout (X,Y,Z,feature_name,val,nx,ny,nz; gx,gy,gz; "
         "dip,azimuth,polarity), comma separated; one field per feature_name")
      .required()
      .placeholder("P.csv[,Q.csv]");
  set.add("cell", cell, "Voxel size: C, or C,CZ for a different vertical size")
      .units("m")
      .positive()
      .counts({1, 2})
      .placeholder("C[,CZ]");
  set.add("extent", extent,
          "Model box xmin,ymin,zmin,xmax,ymax,zmax (default: the box of the constraints)")
      .units("m")
      .counts({6})
      .placeholder("xmin,ymin,zmin,xmax,ymax,zmax");
  set.add("like", like,
          "Take the voxel box (and CRS) of this volume (.vdb, .vti) instead of --cell/--extent")
      .placeholder("V.vdb");
  set.add("interpolator", interpolator, interpolatorNames(),
          "Interpolator of the scalar fields: fdi (finite differences on the voxel grid, any "
          "amount of data) or rbf (dual radial basis functions with a linear drift, up to a few "
          "thousand constraints)");
  fdi.declare(set);
  rbf.declare(set);
  set.add("out", out, "The model: one channel per feature's scalar field (.vdb)")
      .required()
      .placeholder("MODEL.vdb");
  set.add("surfaces", surfaces,
          "Folder for the interfaces: DIR/<feature>_<value>.ts and .vtp per distinct value of each "
          "feature")
      .placeholder("DIR");
  set.add("vti", vti, "Also write the model as VTK ImageData").placeholder("MODEL.vti");
}

namespace {

std::string text(double v) { return detail::formatNumber(v); }

}  // namespace

std::string fileStem(const std::string& name) {
  std::string out;
  for (unsigned char c : name)
    out += (std::isalnum(c) || c == '-' || c == '_' || c == '.') ? char(c) : '_';
  return out;
}

VolumeSpec modelBox(const std::vector<double>& cell, const std::vector<double>& extent,
                    const std::array<double, 6>& bounds) {
  if (cell.empty() || cell.size() > 2) throw UsageError("--cell: expected C or C,CZ");
  for (double c : cell)
    if (!(c > 0) || !std::isfinite(c))
      throw UsageError("--cell: '" + text(c) + "' is not a number > 0");
  std::array<double, 6> box = bounds;
  if (!extent.empty()) {
    if (extent.size() != 6) throw UsageError("--extent: expected xmin,ymin,zmin,xmax,ymax,zmax");
    std::copy(extent.begin(), extent.end(), box.begin());
  }
  VolumeSpec spec;
  const double size[3] = {cell[0], cell[0], cell.size() == 2 ? cell[1] : cell[0]};
  std::size_t* n[3] = {&spec.nx, &spec.ny, &spec.nz};
  for (int a = 0; a < 3; ++a) {
    if (!(box[a + 3] > box[a]) || !std::isfinite(box[a]) || !std::isfinite(box[a + 3]))
      throw UsageError(std::string(extent.empty() ? "the constraints' box" : "--extent") + ": " +
                       "xyz"[a] + " max " + text(box[a + 3]) + " is not above min " + text(box[a]));
    spec.origin[std::size_t(a)] = box[a];
    spec.spacing[std::size_t(a)] = size[a];
    *n[a] = std::size_t(std::ceil((box[a + 3] - box[a]) / size[a] - 1e-9));
    if (*n[a] < 2)
      throw UsageError(std::string("the model box has ") + std::to_string(*n[a]) + " voxel along " +
                       "xyz"[a] + " at --cell " + text(size[a]) + "; it needs at least 2");
  }
  return spec;
}

ModelBuildResult runModelBuild(const ModelBuildJob& job) {
  if (job.points.empty()) throw UsageError("--points: at least one constraint table is needed");
  if (job.out.empty()) throw UsageError("--out is required");
  if (!job.like.empty() && !job.cell.empty())
    throw UsageError("--cell and --like are exclusive: --like gives the voxel box");
  if (!job.like.empty() && !job.extent.empty())
    throw UsageError("--extent and --like are exclusive: --like gives the voxel box");
  if (job.like.empty() && job.cell.empty())
    throw UsageError("--cell is required (or --like V.vdb)");
  checkOutputPath(job.out);
  if (!job.vti.empty()) checkOutputPath(job.vti);

  ConstraintSet constraints;
  for (const auto& path : job.points) constraints.merge(readConstraintTable(path));
  if (constraints.features.empty())
    throw DataError("no constraints", SourceLocation{job.points.front(), 0, 0, {}, {}});

  VolumeSpec spec;
  if (!job.like.empty()) {
    spec = readVolume(job.like).spec();
  } else {
    spec = modelBox(job.cell, job.extent, constraints.bounds());
  }
  // Check every feature before the first (long) solve.
  for (const auto& f : constraints.features) {
    checkFeatureConstraints(f, spec);
    const std::size_t equations = f.values.size() + 3 * f.orientations.size();
    if (job.interpolator == InterpolatorKind::Rbf && equations > job.rbf.maxEquations)
      throw UsageError("--interpolator rbf: feature '" + f.name + "' has " +
                       std::to_string(equations) + " equations, more than " +
                       std::to_string(job.rbf.maxEquations) +
                       " (the dense solve grows as n^3): use --interpolator fdi");
  }

  ModelBuildResult result;
  result.spec = spec;
  VoxelModel model(spec);
  for (const auto& f : constraints.features) {
    ImplicitField field = job.interpolator == InterpolatorKind::Rbf
                              ? interpolateRbf(f, spec, job.rbf)
                              : interpolateFdi(f, spec, job.fdi);
    ModelBuildResult::Feature summary;
    summary.name = f.name;
    summary.values = f.values.size();
    summary.orientations = f.orientations.size();
    summary.horizons = f.distinctValues();
    summary.stats = field.stats;
    model.setChannel(f.name, field.values);
    result.features.push_back(summary);
  }

  // Surfaces: meshed before anything is written.
  std::vector<std::pair<std::string, TriangleMesh>> meshes;
  if (!job.surfaces.empty()) {
    for (auto& f : result.features) {
      for (double v : f.horizons) {
        TriangleMesh mesh = isosurface(model, f.name, v);
        f.triangles.push_back(mesh.triangleCount());
        if (mesh.triangleCount() == 0) continue;
        mesh.name = f.name + "_" + detail::formatNumber(v);
        meshes.push_back({fileStem(f.name) + "_" + detail::formatNumber(v), std::move(mesh)});
      }
    }
  }

  OutputFolder folder(job.surfaces);
  for (const auto& [stem, mesh] : meshes) {
    for (const char* ext : {".ts", ".vtp"}) {
      const std::string path = (fs::path(job.surfaces) / (stem + ext)).string();
      writeMesh(mesh, path);
      result.outputs.push_back(path);
    }
  }
  model.write(job.out);
  result.outputs.push_back(job.out);
  if (!job.vti.empty()) {
    writeVti(model, job.vti);
    result.outputs.push_back(job.vti);
  }
  folder.keep();
  return result;
}

nlohmann::json ModelBuildResult::toJson() const {
  nlohmann::json j;
  j["grid"] = {{"voxels", {spec.nx, spec.ny, spec.nz}},
               {"origin", spec.origin},
               {"spacing", spec.spacing},
               {"size", spec.size()}};
  for (const auto& f : features) {
    nlohmann::json jf = {{"name", f.name},
                         {"value_points", f.values},
                         {"orientations", f.orientations},
                         {"horizons", f.horizons},
                         {"grid_levels", f.stats.levels},
                         {"cg_iterations", f.stats.iterations},
                         {"relative_residual", f.stats.relativeResidual},
                         {"converged", f.stats.converged},
                         {"gradient_scale", f.stats.gradientScale},
                         {"seconds", f.stats.seconds}};
    if (!f.triangles.empty()) jf["surface_triangles"] = f.triangles;
    j["features"].push_back(jf);
  }
  return j;
}

std::string ModelBuildResult::summaryText() const {
  std::ostringstream s;
  s << "grid " << spec.nx << " x " << spec.ny << " x " << spec.nz << " voxels\n";
  for (const auto& f : features) {
    s << "feature " << f.name << ": " << f.values << " points, " << f.orientations
      << " orientations, " << f.horizons.size() << " horizons; ";
    if (f.stats.levels == 0)
      s << "rbf, " << f.stats.equations << " equations";
    else
      s << f.stats.iterations << " CG iterations, residual " << f.stats.relativeResidual
        << (f.stats.converged ? "" : " (NOT converged)");
    s << ", " << f.stats.seconds << " s\n";
    for (std::size_t h = 0; h < f.triangles.size(); ++h)
      if (f.triangles[h] == 0)
        s << "  horizon " << f.horizons[h]
          << ": the field does not reach it inside the box (no surface)\n";
  }
  return s.str();
}

}  // namespace orevox
