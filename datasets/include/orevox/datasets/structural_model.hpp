#pragma once
/// \file structural_model.hpp
/// `orevox model build`: constraint tables (constraint_io.hpp) -> one implicit field per
/// feature (geomodel/implicit_field.hpp) on a voxel box -> a VoxelModel with one channel
/// per feature (named after it), written as .vdb (and .vti), and each interface (every
/// distinct value of a feature) as an isosurface in DIR/<feature>_<value>.ts and .vtp.
///
/// Typical use: fill a ModelBuildJob (its declare() gives the command's options) and call
/// runModelBuild.

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "orevox/core/options.hpp"
#include "orevox/geomodel/implicit_field.hpp"
#include "orevox/geomodel/stratigraphy.hpp"
#include "orevox/voxel/voxel_model.hpp"

namespace orevox {

/// The interpolators of implicit fields.
enum class InterpolatorKind {
  Fdi,  ///< finite differences on the voxel grid (interpolateFdi): any amount of data
  Rbf   ///< dual radial basis functions (interpolateRbf): up to a few thousand constraints
};

/// "fdi", "rbf".
const NameTable<InterpolatorKind>& interpolatorNames();

/// The inputs and settings of one `orevox model build` run.
struct ModelBuildJob {
  std::vector<std::string> points;  ///< constraint tables (LoopStructural layout)
  std::string stratigraphy;         ///< stratigraphy table (stratigraphy_io.hpp); empty = none
  std::vector<std::string> faults;  ///< fault features, or {"auto"}; empty = none
  std::string faultDisplacement;    ///< displacement table (stratigraphy_io.hpp); empty = none
  std::vector<double> cell;         ///< C or C,CZ (metres); not with `like`
  std::vector<double> extent;       ///< xmin,ymin,zmin,xmax,ymax,zmax; empty = the constraints' box
  std::string like;                 ///< a volume whose box (and CRS) the model takes
  InterpolatorKind interpolator = InterpolatorKind::Fdi;
  FdiOptions fdi;
  RbfOptions rbf;
  std::string out;       ///< MODEL.vdb
  std::string surfaces;  ///< DIR for the isosurfaces; empty = none
  std::string vti;       ///< MODEL.vti; empty = none

  void declare(OptionSet& set);
};

/// What a run built and wrote.
struct ModelBuildResult {
  VolumeSpec spec;
  struct Feature {
    std::string name;
    std::size_t values = 0, orientations = 0;
    std::vector<double> horizons;  ///< the distinct values (a series: its horizons' values)
    std::vector<std::string> horizonNames;  ///< a series: its horizons' names, else empty
    bool fault = false;                     ///< one of --faults
    std::size_t blocks = 1;                 ///< fields interpolated separately (fault blocks)
    FieldSolveStats stats;
    /// Per horizon: triangles of its isosurface (0 = the field never reaches that value
    /// inside the box, no file written).
    std::vector<std::size_t> triangles;
  };
  std::vector<Feature> features;  ///< the faults first
  /// Each fault's geometry (FaultModel) and its hanging-wall voxels.
  struct Fault {
    std::string name;
    double value = 0.0;
    Eigen::Vector3d normal{0, 0, 1}, slip{0, 0, -1};
    bool hasDisplacement = false;
    double displacement = 0.0, radius = 0.0;
    std::size_t hangingWallVoxels = 0;
  };
  std::vector<Fault> faults;
  /// With a stratigraphy: the units of the `unit` channel (id, name, series), and the voxels
  /// of each (index = id; [0] below the column).
  std::vector<StratigraphicUnit> units;
  std::vector<std::size_t> unitVoxels;
  std::vector<std::string> outputs;

  nlohmann::json toJson() const;
  /// A few lines for the terminal.
  std::string summaryText() const;
};

/// The voxel box of a model: `extent` (or `bounds` when it is empty) cut into cells of
/// `cell` (C, or C,CZ), ceil(size / cell) voxels per axis from the minimum corner.
/// UsageError for a non-positive cell, an extent with max <= min or fewer than 2 voxels
/// along an axis.
VolumeSpec modelBox(const std::vector<double>& cell, const std::vector<double>& extent,
                    const std::array<double, 6>& bounds);

/// Reads the tables, builds every fault's field and `<fault>_distance` (hanging wall +), then
/// every other feature's field across the faults (faults.hpp: restored space where a
/// displacement is given, separate blocks otherwise), (with a stratigraphy: one per series,
/// modelFeatures, and the `unit` channel: StratigraphicColumn::unitAt at every voxel;
/// each series' horizons meshed where the series is present), writes the model, the optional VTI
/// and the surfaces (DIR created when missing, removed again when the run fails). Each output is
/// written atomically; nothing is written before every field is solved. UsageError for
/// contradictory options (--cell with --like, neither), DataError / IoError for the data.
ModelBuildResult runModelBuild(const ModelBuildJob& job);

/// A feature or file name made safe for a file name or channel: letters, digits, '-', '_'
/// and '.' kept, anything else '_'.
std::string fileStem(const std::string& name);

}  // namespace orevox
