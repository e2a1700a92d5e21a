#include "orevox/datasets/structural_model.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <optional>
#include <sstream>

#include "csv_reader.hpp"
#include "faulted_fields.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/datasets/constraint_io.hpp"
#include "orevox/datasets/mesh_io.hpp"
#include "orevox/datasets/stratigraphy_io.hpp"
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
  set.add("stratigraphy", stratigraphy,
          "Stratigraphic column: one row per horizon with series, horizon, value, order (1 = "
          "youngest) and relation (erode|onlap); one field per series, and the unit channel")
      .placeholder("S.csv");
  set.add("faults", faults,
          "Features that are faults (or auto: those named fault... and those of "
          "--fault-displacement): each its own field, a <fault>_distance channel (hanging wall "
          "+), and the other features interpolated across it as a discontinuity")
      .placeholder("NAME,NAME|auto");
  set.add("fault-displacement", faultDisplacement,
          "Fault displacements: fault, displacement (m along the slip vector, > 0 = hanging wall "
          "down-dip), optional radius (m: a finite fault) and sx,sy,sz (slip direction); faults "
          "without one cut the model into blocks interpolated separately")
      .placeholder("D.csv");
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

namespace {

/// Whether a triangle centroid `c` of horizon `value` of series `si` (its highest when
/// `top`) lies where that series' rocks are: the series' fields sampled there, its own set
/// to the horizon's value, StratigraphicColumn::seriesAt. The highest horizon of an
/// onlapped series is the onlap surface: kept under the onlapping series too.
bool seriesPresentAt(const StratigraphicColumn& column, std::size_t si, double value, bool top,
                     const VolumeSpec& spec, const std::vector<std::vector<float>>& fields,
                     const Eigen::Vector3d& c) {
  const bool onlapSurface =
      top && si > 0 && column.series()[si - 1].relation == SeriesRelation::Onlap;
  std::vector<float> at(fields.size());
  for (std::size_t i = 0; i < fields.size(); ++i)
    at[i] = i == si ? float(value) : float(sampleTrilinear(spec, fields[i], c));
  const std::size_t where = column.seriesAt(at.data());
  return where == si || (onlapSurface && where == si - 1);
}

/// The faults of --faults: the names given, or with `auto` every feature whose name starts
/// with "fault" (any case) or that the displacement table lists, in the tables' order.
std::vector<std::string> faultNames(const ModelBuildJob& job,
                                    const std::vector<FeatureConstraints>& features,
                                    const std::vector<FaultDisplacement>& displacements,
                                    const StratigraphicColumn* column) {
  std::vector<std::string> names;
  auto listed = [&](const std::string& name) {
    for (const auto& d : displacements)
      if (d.fault == name) return true;
    return false;
  };
  auto isSeries = [&](const std::string& name) {
    return column && column->findSeries(name) != std::string::npos;
  };
  if (job.faults.size() == 1 && job.faults[0] == "auto") {
    for (const auto& f : features) {
      std::string lower = f.name;
      for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
      if ((lower.rfind("fault", 0) == 0 || listed(f.name)) && !isSeries(f.name))
        names.push_back(f.name);
    }
    if (names.empty())
      throw UsageError(
          "--faults auto: no feature is named fault... or listed in "
          "--fault-displacement");
  } else {
    for (const auto& name : job.faults) {
      const bool known = std::any_of(features.begin(), features.end(),
                                     [&](const FeatureConstraints& f) { return f.name == name; });
      if (!known || isSeries(name))
        throw UsageError("--faults: '" + name + "' is not a feature of the constraint tables" +
                         (isSeries(name) ? " (it is a series of the stratigraphy)" : ""));
      if (std::find(names.begin(), names.end(), name) != names.end())
        throw UsageError("--faults: '" + name + "' is given twice");
      names.push_back(name);
    }
  }
  for (const auto& d : displacements)
    if (std::find(names.begin(), names.end(), d.fault) == names.end())
      throw DataError("fault '" + d.fault + "' is not one of the model's faults (--faults)",
                      SourceLocation{job.faultDisplacement, d.line, 0, "fault", d.fault});
  return names;
}

}  // namespace

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
  if (!job.faultDisplacement.empty() && job.faults.empty())
    throw UsageError("--fault-displacement needs --faults (NAME,NAME or auto)");
  checkOutputPath(job.out);
  if (!job.vti.empty()) checkOutputPath(job.vti);

  ConstraintSet constraints;
  for (const auto& path : job.points) constraints.merge(readConstraintTable(path));
  if (constraints.features.empty())
    throw DataError("no constraints", SourceLocation{job.points.front(), 0, 0, {}, {}});
  std::optional<StratigraphicColumn> column;
  if (!job.stratigraphy.empty()) column = readStratigraphicColumn(job.stratigraphy);
  std::vector<FaultDisplacement> displacements;
  if (!job.faultDisplacement.empty()) displacements = readFaultDisplacements(job.faultDisplacement);
  std::vector<FeatureConstraints> features =
      modelFeatures(constraints, column ? &*column : nullptr);
  // Faults first (in the order of --faults), then the features they cut.
  std::vector<FeatureConstraints> faultFeatures;
  if (!job.faults.empty()) {
    for (const auto& name : faultNames(job, features, displacements, column ? &*column : nullptr)) {
      auto it = std::find_if(features.begin(), features.end(),
                             [&](const FeatureConstraints& f) { return f.name == name; });
      faultFeatures.push_back(std::move(*it));
      features.erase(it);
    }
  }

  VolumeSpec spec;
  if (!job.like.empty()) {
    spec = readVolume(job.like).spec();
  } else {
    spec = modelBox(job.cell, job.extent, constraints.bounds());
  }
  // Check every feature before the first (long) solve.
  for (const auto* list : {&faultFeatures, &features}) {
    for (const auto& f : *list) {
      checkFeatureConstraints(f, spec);
      const std::size_t equations = f.values.size() + 3 * f.orientations.size();
      if (job.interpolator == InterpolatorKind::Rbf && equations > job.rbf.maxEquations)
        throw UsageError("--interpolator rbf: feature '" + f.name + "' has " +
                         std::to_string(equations) + " equations, more than " +
                         std::to_string(job.rbf.maxEquations) +
                         " (the dense solve grows as n^3): use --interpolator fdi");
    }
  }
  const detail::FieldSolver solve = [&](const FeatureConstraints& f, const VolumeSpec& s) {
    return job.interpolator == InterpolatorKind::Rbf ? interpolateRbf(f, s, job.rbf)
                                                     : interpolateFdi(f, s, job.fdi);
  };

  ModelBuildResult result;
  result.spec = spec;
  VoxelModel model(spec);
  auto summaryOf = [](const FeatureConstraints& f, const FieldSolveStats& stats) {
    ModelBuildResult::Feature summary;
    summary.name = f.name;
    summary.values = f.values.size();
    summary.orientations = f.orientations.size();
    summary.horizons = f.distinctValues();
    summary.stats = stats;
    return summary;
  };

  // Faults: their fields and geometry.
  std::vector<FaultModel> faultModels;
  for (const auto& f : faultFeatures) {
    ImplicitField field = solve(f, spec);
    const FaultDisplacement* displacement = nullptr;
    for (const auto& d : displacements)
      if (d.fault == f.name) displacement = &d;
    model.setChannel(f.name, field.values);
    faultModels.push_back(
        FaultModel::make(f, spec, std::move(field.values), displacement, job.faultDisplacement));
    ModelBuildResult::Feature summary = summaryOf(f, field.stats);
    summary.horizons = {faultModels.back().value};
    summary.fault = true;
    result.features.push_back(summary);
  }
  const FaultSet faults(std::move(faultModels));
  const std::vector<std::uint32_t> blocks = detail::voxelBlocks(faults, spec);

  // The other features, across the faults.
  std::vector<detail::FaultedField> fields;
  for (std::size_t fi = 0; fi < features.size(); ++fi) {
    const FeatureConstraints& f = features[fi];
    fields.push_back(detail::interpolateFaulted(f, faults, spec, blocks, solve));
    ModelBuildResult::Feature summary = summaryOf(f, fields.back().stats);
    summary.blocks = fields.back().fields.size();
    if (column && fi < column->series().size()) {
      summary.horizons.clear();
      for (const auto& h : column->series()[fi].horizons) {
        summary.horizons.insert(summary.horizons.begin(), h.value);  // ascending
        summary.horizonNames.insert(summary.horizonNames.begin(), h.name);
      }
    }
    model.setChannel(f.name, fields.back().values);
    result.features.push_back(summary);
  }

  // Units: from the series' fields at every voxel.
  std::vector<std::vector<float>> seriesFields;
  if (column) {
    for (std::size_t i = 0; i < column->series().size(); ++i)
      seriesFields.push_back(fields[i].values);
    std::vector<float> unit(spec.size());
    result.units = column->units();
    result.unitVoxels.assign(result.units.size() + 1, 0);
    const std::size_t ns = seriesFields.size();
    std::vector<float> at(ns);
    for (std::size_t v = 0; v < unit.size(); ++v) {
      for (std::size_t i = 0; i < ns; ++i) at[i] = seriesFields[i][v];
      const int id = column->unitAt(at.data());
      unit[v] = float(id);
      ++result.unitVoxels[std::size_t(id)];
    }
    if (model.hasChannel("unit"))
      throw DataError("a feature is named 'unit', the name of the unit channel",
                      SourceLocation{job.stratigraphy, 0, 0, {}, {}});
    model.setChannel("unit", unit);
  }

  // Fault surfaces (within their radius) and the signed distance to them.
  std::vector<std::pair<std::string, TriangleMesh>> meshes;
  for (std::size_t f = 0; f < faults.faults().size(); ++f) {
    const FaultModel& fm = faults.faults()[f];
    TriangleMesh mesh = isosurface(model, fm.name, fm.value);
    detail::dropTriangles(mesh, [&](const Eigen::Vector3d& c) { return fm.taper(c) <= 0; });
    if (mesh.triangleCount() == 0)
      throw DataError("fault '" + fm.name + "': its surface does not cross the model box",
                      SourceLocation{faultFeatures[f].source, 0, 0, {}, {}});
    MeshDistanceOptions d;
    d.sign = DistanceSign::Side;
    d.orient = SurfaceOrientation::Up;
    const MeshDistanceField distance = meshDistanceField(mesh, spec, d);
    const std::string channel = fm.name + "_distance";
    if (model.hasChannel(channel))
      throw DataError("a feature is named '" + channel + "', the name of a fault's distance",
                      SourceLocation{faultFeatures[f].source, 0, 0, {}, {}});
    model.setChannel(channel, distance.values, nullptr, "m");
    ModelBuildResult::Fault summary;
    summary.name = fm.name;
    summary.value = fm.value;
    summary.normal = fm.normal;
    summary.hasDisplacement = fm.hasDisplacement;
    summary.displacement = fm.displacement;
    summary.radius = fm.radius;
    summary.slip = fm.slip;
    for (std::uint32_t b : blocks)
      if (b >> f & 1u) ++summary.hangingWallVoxels;
    result.faults.push_back(summary);
    result.features[f].triangles = {mesh.triangleCount()};
    if (!job.surfaces.empty()) {
      mesh.name = fm.name;
      meshes.push_back({fileStem(fm.name) + "_" + detail::formatNumber(fm.value), std::move(mesh)});
    }
  }

  // Horizons: meshed before anything is written, block by block across faults. A series'
  // horizon is kept where the series is present (not eroded away, not above an onlap
  // surface).
  if (!job.surfaces.empty()) {
    for (std::size_t fi = 0; fi < features.size(); ++fi) {
      auto& f = result.features[faultFeatures.size() + fi];
      const bool series = column && fi < seriesFields.size() && seriesFields.size() > 1;
      auto keep = [&](std::size_t h, const Eigen::Vector3d& c) {
        return !series || seriesPresentAt(*column, fi, f.horizons[h], h + 1 == f.horizons.size(),
                                          spec, seriesFields, c);
      };
      std::vector<TriangleMesh> horizonMeshes;
      if (faults.empty()) {
        for (std::size_t h = 0; h < f.horizons.size(); ++h) {
          horizonMeshes.push_back(isosurface(model, f.name, f.horizons[h]));
          detail::dropTriangles(horizonMeshes.back(),
                                [&](const Eigen::Vector3d& c) { return !keep(h, c); });
        }
      } else {
        horizonMeshes =
            detail::faultedIsosurfaces(fields[fi], faults, spec, blocks, f.horizons, keep);
      }
      for (std::size_t h = 0; h < f.horizons.size(); ++h) {
        TriangleMesh& mesh = horizonMeshes[h];
        const double v = f.horizons[h];
        f.triangles.push_back(mesh.triangleCount());
        if (mesh.triangleCount() == 0) continue;
        mesh.name =
            f.horizonNames.empty() ? f.name + "_" + detail::formatNumber(v) : f.horizonNames[h];
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
    if (!f.horizonNames.empty()) jf["horizon_names"] = f.horizonNames;
    if (f.fault) jf["fault"] = true;
    if (f.blocks > 1) jf["fault_blocks"] = f.blocks;
    j["features"].push_back(jf);
  }
  for (const auto& f : faults) {
    nlohmann::json jf = {{"name", f.name},
                         {"value", f.value},
                         {"normal", {f.normal.x(), f.normal.y(), f.normal.z()}},
                         {"hanging_wall_voxels", f.hangingWallVoxels}};
    if (f.hasDisplacement) {
      jf["displacement"] = f.displacement;
      jf["slip"] = {f.slip.x(), f.slip.y(), f.slip.z()};
      if (std::isfinite(f.radius)) jf["radius"] = f.radius;
    }
    j["faults"].push_back(jf);
  }
  if (!units.empty()) {
    j["units"].push_back({{"id", 0}, {"name", "below the column"}, {"voxels", unitVoxels[0]}});
    for (const auto& u : units)
      j["units"].push_back({{"id", u.id},
                            {"name", u.name},
                            {"series", u.series},
                            {"base", u.base},
                            {"voxels", unitVoxels[std::size_t(u.id)]}});
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
