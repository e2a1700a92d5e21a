// orevox drillholes grid: composites -> estimated voxels (+ labels) -> .vdb [.vti] [.vo].
#include "orevox/datasets/drillhole_grid.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include "csv_reader.hpp"
#include "gdal_support.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/datasets/crs.hpp"
#include "orevox/datasets/drillhole_io.hpp"
#include "orevox/datasets/mesh_io.hpp"
#include "orevox/datasets/voxet_io.hpp"
#include "orevox/datasets/vti_io.hpp"
#include "orevox/voxel/mesh_volume.hpp"
#include "orevox/voxel/voxel_model.hpp"

namespace orevox {

namespace fs = std::filesystem;

EstimationSamples readCompositesCsv(const std::string& path,
                                    const std::vector<std::string>& categorical) {
  DrillholeColumns columns;
  columns.categorical = categorical;
  for (const char* name : {"x", "y", "z"}) columns.numeric.push_back(name);
  ValidationLog log;
  IntervalTable table = readIntervalCsv(path, columns, DrillholeValidationOptions{}, log);
  EstimationSamples s;
  s.source = path;
  const long xi = table.fieldIndex("x"), yi = table.fieldIndex("y"), zi = table.fieldIndex("z");
  if (xi < 0 || yi < 0 || zi < 0) {
    std::string names;
    for (const auto& f : table.fields) names += (names.empty() ? "" : ", ") + f.name;
    throw DataError(
        "the composites need columns x, y and z (the intervals' middle; it has " + names + ")",
        SourceLocation{path, 1, 0, {}, {}});
  }
  const IntervalField &fx = table.fields[std::size_t(xi)], &fy = table.fields[std::size_t(yi)],
                      &fz = table.fields[std::size_t(zi)];
  std::map<std::string, std::size_t> holes;
  for (std::size_t r = 0; r < table.size(); ++r) {
    const Eigen::Vector3d p(fx.values[r], fy.values[r], fz.values[r]);
    if (!p.allFinite()) {
      const IntervalField& bad = !std::isfinite(p.x()) ? fx : !std::isfinite(p.y()) ? fy : fz;
      throw DataError("a composite without a coordinate",
                      SourceLocation{path, table.lines[r], bad.column, bad.name, "(blank)"});
    }
    s.points.push_back(p);
    const auto [it, added] = holes.emplace(table.holeIds[r], s.holeIds.size());
    if (added) s.holeIds.push_back(table.holeIds[r]);
    s.hole.push_back(it->second);
  }
  for (auto& f : table.fields) {
    const std::string lower = detail::lower(f.name);
    static const char* const notFields[] = {"x",    "y",    "z",    "x_from", "y_from", "z_from",
                                            "x_to", "y_to", "z_to", "from",   "to"};
    if (std::find(std::begin(notFields), std::end(notFields), lower) != std::end(notFields))
      continue;
    s.fields.push_back(std::move(f));
  }
  return s;
}

void DrillholeGridJob::declare(OptionSet& set) {
  set.add("intervals", intervals,
          "Composites CSV: hole, x, y, z (the intervals' middle) and fields, as "
          "'orevox drillholes desurvey' writes DIR/intervals.csv")
      .required()
      .placeholder("FILE");
  set.add("fields", fields,
          "Fields to estimate, comma separated (numeric: one channel each; "
          "categorical: the most likely code and one proportion channel per code)")
      .required()
      .placeholder("CU,NI[,LITH]");
  set.add("categorical", categorical, "Columns read as categories even when they hold numbers");
  set.add("cell", cell, "Voxel size: C (cubic) or C,CZ (horizontal, vertical)")
      .required()
      .positive()
      .counts({1, 2})
      .units("CRS unit")
      .placeholder("C[,CZ]");
  set.add("extent", extent,
          "xmin,ymin,zmin,xmax,ymax,zmax of the box (default: the composites' bounding box)")
      .counts({6})
      .placeholder("xmin,ymin,zmin,xmax,ymax,zmax");
  estimation.declare(set);
  set.add("below-detection-factor", belowDetectionFactor,
          "Below-detection values ('<DL') are estimated as this fraction of their detection limit")
      .range(0.0, 1.0);
  set.add("label", label,
          "Ore label channel 'label' from a cutoff on an estimated field: 1 where it holds")
      .placeholder("\"CU>=0.5\"");
  set.add("label-mesh", labelMesh,
          "Ore label channel 'label_mesh' from a closed mesh (STL, OBJ, PLY, TSurf): 1 inside, 0 "
          "outside")
      .placeholder("ORE.stl");
  set.add("fill-holes", fillHoles,
          "Close holes of up to this many edges in the --label-mesh first (Babbitt's Mpz.stl: 3)");
  set.add("crs", crs, "CRS of the coordinates (EPSG:n, WKT or PROJ), written into the volume");
  set.add("out", out, "Output volume (.vdb)").required().placeholder("G.vdb");
  set.add("vti", vti, "Also write the volume as VTK ImageData (.vti)").placeholder("G.vti");
  set.add("voxet", voxet, "Also write the volume as a GOCAD Voxet (.vo and one file per channel)")
      .placeholder("G.vo");
  set.add("variograms", variograms,
          "Kriging: write the experimental variograms and the fitted models to this CSV")
      .placeholder("V.csv");
}

std::string variogramTableCsv(const EstimationResult& estimate) {
  std::string text = "field,direction,lag,distance,pairs,gamma,model_gamma\n";
  for (const auto& v : estimate.variography) {
    const std::string field = detail::quoteCsvField(v.field);
    for (const auto& e : v.experimental)
      for (std::size_t c = 0; c < e.distance.size(); ++c)
        text += field + "," + e.direction + "," + std::to_string(c + 1) + "," +
                detail::formatNumber(e.distance[c]) + "," + std::to_string(e.pairs[c]) + "," +
                detail::formatNumber(e.gamma[c]) + "," +
                detail::formatNumber(v.model.gamma(e.distance[c])) + "\n";
    text += field + ",model," + nameOf(variogramShapeNames(), v.model.shape) + "," +
            detail::formatNumber(v.model.nugget) + "," + detail::formatNumber(v.model.sill) + "," +
            detail::formatNumber(v.model.range) + ",\n";
  }
  return text;
}

namespace {

void checkExtension(const std::string& path, const std::string& ext, const std::string& option) {
  if (path.empty()) return;
  if (detail::lowerExtension(path) != ext)
    throw UsageError(option + ": '" + echoValue(path) + "' must end in " + ext);
  checkOutputPath(path);
}

VolumeSpec boxOf(const DrillholeGridJob& job, const EstimationSamples& samples) {
  std::array<double, 3> lo{}, hi{};
  if (job.extent.empty()) {
    for (int d = 0; d < 3; ++d) {
      lo[d] = hi[d] = samples.points.front()[d];
      for (const auto& p : samples.points) {
        lo[d] = std::min(lo[d], p[d]);
        hi[d] = std::max(hi[d], p[d]);
      }
    }
  } else {
    for (int d = 0; d < 3; ++d) {
      lo[d] = job.extent[std::size_t(d)];
      hi[d] = job.extent[std::size_t(d) + 3];
      if (!(hi[d] > lo[d]))
        throw UsageError("--extent: the maximum must be above the minimum on every axis");
    }
  }
  const double c = job.cell[0], cz = job.cell.size() > 1 ? job.cell[1] : c;
  VolumeSpec spec;
  spec.spacing = {c, c, cz};
  std::size_t* n[3] = {&spec.nx, &spec.ny, &spec.nz};
  for (int d = 0; d < 3; ++d) {
    const double count = std::ceil((hi[d] - lo[d]) / spec.spacing[std::size_t(d)] - 1e-9);
    if (count > 2e9)
      throw UsageError("--cell: the box would have more than 2e9 voxels along an axis");
    *n[d] = std::max<std::size_t>(1, std::size_t(count));
    spec.origin[std::size_t(d)] = lo[d];
  }
  if (double(spec.nx) * double(spec.ny) * double(spec.nz) > 2.0e9)
    throw UsageError("--cell: the box would have " +
                     std::to_string(double(spec.nx) * spec.ny * spec.nz) + " voxels (at most 2e9)");
  return spec;
}

}  // namespace

DrillholeGridResult runDrillholeGrid(const DrillholeGridJob& job) {
  OutputBatch outputs;
  DrillholeGridResult result = runDrillholeGrid(job, outputs);
  outputs.commit();
  return result;
}

DrillholeGridResult runDrillholeGrid(const DrillholeGridJob& job, OutputBatch& outputs) {
  if (job.intervals.empty()) throw UsageError("--intervals is required");
  if (job.fields.empty()) throw UsageError("--fields is required");
  if (job.cell.empty()) throw UsageError("--cell is required");
  if (job.out.empty()) throw UsageError("--out is required");
  checkExtension(job.out, ".vdb", "--out");
  checkExtension(job.vti, ".vti", "--vti");
  checkExtension(job.voxet, ".vo", "--voxet");
  checkExtension(job.variograms, ".csv", "--variograms");
  if (!job.variograms.empty() && job.estimation.method != EstimationMethod::Kriging)
    throw UsageError("--variograms: needs --method kriging");
  std::optional<GradeCutoff> cutoff;
  if (!job.label.empty()) cutoff = GradeCutoff::parse(job.label, "--label");
  if (!job.estimation.ellipsoid.empty())
    SearchEllipsoid::fromList(job.estimation.ellipsoid, "--ellipsoid");
  // Outputs declared before the work: a path given twice, an output replacing an input or
  // an unwritable folder is found now, not after the estimation.
  outputs.addInput(job.intervals, "--intervals");
  outputs.addInput(job.labelMesh, "--label-mesh");
  const std::string outTemp = outputs.add(job.out, "--out");
  const std::string vtiTemp = job.vti.empty() ? std::string() : outputs.add(job.vti, "--vti");
  const std::string variogramsTemp =
      job.variograms.empty() ? std::string() : outputs.add(job.variograms, "--variograms");
  if (!job.voxet.empty()) checkOutputPath(job.voxet);  // its files are declared as written

  DrillholeGridResult result;
  Stopwatch watch;
  auto step = [&](const std::string& name) {
    result.seconds.emplace_back(name, watch.seconds());
    watch.restart();
  };
  EstimationSamples samples = readCompositesCsv(job.intervals, job.categorical);
  samples.crsWkt = crsFromUserInput(job.crs);
  if (samples.size() == 0)
    throw DataError("no composite to estimate from", SourceLocation{job.intervals, 0, 0, {}, {}});
  if (cutoff &&
      std::find(job.fields.begin(), job.fields.end(), cutoff->field) == job.fields.end()) {
    bool found = false;
    for (const auto& f : job.fields) found |= detail::lower(f) == detail::lower(cutoff->field);
    if (!found) throw UsageError("--label: '" + cutoff->field + "' is not one of --fields");
  }
  TriangleMesh mesh;
  if (!job.labelMesh.empty()) mesh = readMesh(job.labelMesh);
  result.composites = samples.size();
  result.holes = samples.holeIds.size();
  step("read");

  VolumeSpec spec = boxOf(job, samples);
  spec.crsWkt = samples.crsWkt;
  result.spec = spec;
  result.estimate =
      estimateVolume(samples, job.fields, spec, job.estimation, job.belowDetectionFactor);
  step("estimate");

  VoxelModel model(spec);
  auto put = [&](EstimatedChannel& c) {
    model.setChannel(c.name, c.values, &c.active, c.units);
    result.activeVoxels.emplace_back(c.name, c.activeCount());
  };
  for (auto& c : result.estimate.channels) put(c);
  const double voxelVolume = spec.spacing[0] * spec.spacing[1] * spec.spacing[2];
  std::vector<float> labelValues;
  std::vector<std::uint8_t> labelActive;
  if (cutoff) {
    EstimatedChannel label = applyCutoff(result.estimate, *cutoff, "label");
    result.hasLabel = true;
    for (std::size_t v = 0; v < label.values.size(); ++v)
      result.labelVoxels += label.active[v] && label.values[v] > 0.5f;
    result.labelVolume = double(result.labelVoxels) * voxelVolume;
    labelValues = label.values;
    labelActive = label.active;
    put(label);
  }
  if (!job.labelMesh.empty()) {
    HoleFilling filled;
    const std::vector<std::uint8_t> inside = meshInsideMask(mesh, spec, job.fillHoles, &filled);
    result.meshHolesFilled = filled.filled;
    std::vector<float> values(inside.begin(), inside.end());
    std::vector<std::uint8_t> active(inside.size(), 1);
    model.setChannel("label_mesh", values, &active, {});
    result.activeVoxels.emplace_back("label_mesh", inside.size());
    result.hasMesh = true;
    for (std::size_t v = 0; v < inside.size(); ++v) result.meshVoxels += inside[v];
    result.meshVolume = double(result.meshVoxels) * voxelVolume;
    if (cutoff) {
      std::size_t a = 0, b = 0;
      for (std::size_t v = 0; v < inside.size(); ++v) {
        if (!labelActive[v]) continue;
        const bool l = labelValues[v] > 0.5f;
        a += l;
        b += inside[v];
        result.bothVoxels += l && inside[v];
      }
      result.dice = a + b > 0 ? 2.0 * double(result.bothVoxels) / double(a + b) : 0.0;
    }
  }
  for (auto& c : result.estimate.channels) {  // the model holds them now
    std::vector<float>().swap(c.values);
    std::vector<std::uint8_t>().swap(c.active);
  }
  step("label");

  // Every output under a temporary name in the run's batch; renamed into place together
  // (with the caller's other outputs) by outputs.commit().
  model.write(outTemp);
  result.outputs.push_back(job.out);
  if (!job.vti.empty()) {
    writeVti(model, vtiTemp);
    result.outputs.push_back(job.vti);
  }
  if (!job.voxet.empty()) {
    for (auto& path : writeVoxet(model, job.voxet, outputs, "--voxet"))
      result.outputs.push_back(std::move(path));
  }
  if (!job.variograms.empty()) {
    writeTextFileAtomic(variogramsTemp, variogramTableCsv(result.estimate));
    result.outputs.push_back(job.variograms);
  }
  step("write");
  return result;
}

nlohmann::json DrillholeGridResult::toJson() const {
  nlohmann::json j;
  j["composites"] = composites;
  j["holes"] = holes;
  j["voxels"] = {spec.nx, spec.ny, spec.nz};
  j["origin"] = {spec.origin[0], spec.origin[1], spec.origin[2]};
  j["spacing"] = {spec.spacing[0], spec.spacing[1], spec.spacing[2]};
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& c : estimate.counts)
    fields.push_back({{"field", c.field},
                      {"samples", c.samples},
                      {"voxels_estimated", c.estimated},
                      {"voxels_beyond_max_distance", c.beyondMaxDistance},
                      {"voxels_without_neighbours", c.noNeighbours}});
  j["fields"] = fields;
  nlohmann::json active = nlohmann::json::object();
  for (const auto& [name, n] : activeVoxels) active[name] = n;
  j["active_voxels"] = active;
  nlohmann::json legends = nlohmann::json::object();
  for (const auto& [field, names] : estimate.legends) legends[field] = names;
  if (!legends.empty()) j["codes"] = legends;
  if (hasLabel) j["label"] = {{"voxels", labelVoxels}, {"volume", labelVolume}};
  if (hasMesh)
    j["label_mesh"] = {
        {"voxels", meshVoxels}, {"volume", meshVolume}, {"holes_filled", meshHolesFilled}};
  if (hasLabel && hasMesh) j["dice"] = dice;
  for (const auto& v : estimate.variography) {
    nlohmann::json experimental = nlohmann::json::object();
    for (const auto& e : v.experimental)
      experimental[e.direction] = {
          {"distance", e.distance}, {"pairs", e.pairs}, {"gamma", e.gamma}};
    j["variograms"][v.field] = {{"shape", nameOf(variogramShapeNames(), v.model.shape)},
                                {"nugget", v.model.nugget},
                                {"sill", v.model.sill},
                                {"range", v.model.range},
                                {"experimental", experimental}};
  }
  return j;
}

std::string DrillholeGridResult::summaryText() const {
  std::ostringstream s;
  s << composites << " composites from " << holes << " holes; " << spec.nx << " x " << spec.ny
    << " x " << spec.nz << " voxels\n";
  for (const auto& c : estimate.counts)
    s << "  " << c.field << ": " << c.samples << " samples, " << c.estimated
      << " voxels estimated, " << c.beyondMaxDistance << " beyond --max-distance, "
      << c.noNeighbours << " without neighbours\n";
  for (const auto& [field, names] : estimate.legends) {
    s << "  " << field << " codes:";
    for (std::size_t i = 0; i < names.size() && i < 24; ++i) s << " " << i << "=" << names[i];
    if (names.size() > 24)
      s << " ... (" << names.size() << " codes, all in the report's results.grid.codes)";
    s << "\n";
  }
  if (hasLabel) s << "  label: " << labelVoxels << " voxels, volume " << labelVolume << "\n";
  if (hasMesh) s << "  label_mesh: " << meshVoxels << " voxels, volume " << meshVolume << "\n";
  if (hasLabel && hasMesh) s << "  Dice(label, label_mesh) = " << dice << "\n";
  for (const auto& v : estimate.variography)
    s << "  " << v.field << " variogram: " << nameOf(variogramShapeNames(), v.model.shape)
      << ", nugget " << v.model.nugget << ", sill " << v.model.sill << ", range " << v.model.range
      << "\n";
  return s.str();
}

}  // namespace orevox
