#pragma once
/// \file model_features.hpp
/// `orevox model features`: the predictors of 3D prospectivity studies as voxel channels,
/// from fault and contact surfaces (meshes read from file, or isosurfaces of a model's
/// fields), the intersection lines of pairs of them and a topographic surface
/// (geomodel/surface_shape.hpp, voxel/mesh_volume.hpp).
///
/// Typical use: fill a ModelFeaturesJob (its declare() gives the command's options) and
/// call runModelFeatures.

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "orevox/core/options.hpp"
#include "orevox/geomodel/volume.hpp"

namespace orevox {

/// The inputs of one `orevox model features` run.
struct ModelFeaturesJob {
  std::string model;                  ///< MODEL.vdb: its box, and its channels kept
  std::string like;                   ///< V.vdb: its box only
  std::vector<std::string> keep;      ///< channels of --model copied (empty = all)
  std::vector<std::string> surfaces;  ///< F.ts[:name] (any mesh readMesh reads)
  /// CHANNEL=VALUE[:name]: the isosurface of a --model channel (a modelled contact or fault)
  std::vector<std::string> contacts;
  /// Surface names two by two, A then B[:name] (the option's A,B[:name] split at the
  /// comma): the distance to the line where surfaces A and B (names of --surface or
  /// --contact items) cross
  std::vector<std::string> intersections;
  std::string topography;  ///< DEM (any raster GDAL reads) or mesh; empty = none
  double fitRadius = 0.0;  ///< SurfaceShapeOptions::fitRadius
  std::string out;         ///< FEAT.vdb

  void declare(OptionSet& set);
};

/// What a features run computed.
struct ModelFeaturesResult {
  VolumeSpec spec;
  /// Written (besides those of --model): name, units.
  std::vector<std::pair<std::string, std::string>> channels;
  std::vector<std::pair<std::string, std::size_t>> surfaces;  ///< name, triangles
  std::vector<std::pair<std::string, std::size_t>> lines;     ///< name, segments
  std::size_t topographyVoxels = 0;  ///< voxels below or above the topography (depth known)
  nlohmann::json toJson() const;
};

/// The suffixes and units of the channels written per surface, in order: `_distance` (m,
/// hanging wall / above positive), `_dip`, `_dip_direction` (degrees), `_dip_change`
/// (degrees/100m), `_undulation` (m), `_curvature` (1/m).
const std::vector<std::pair<std::string, std::string>>& surfaceChannelSuffixes();

/// For every surface (--surface meshes named after ':name', else the file's stem;
/// --contact isosurfaces named after ':name', else CHANNEL_VALUE), oriented with normals
/// up (orientConsistently, OrientationRule::Up): the channels of surfaceChannelSuffixes()
/// (meshDistanceField with DistanceSign::Side; surfacePredictors). For every
/// --intersection `<name>_line_distance` (m; default name A_B). With --topography,
/// `depth` (m below the surface, negative above; inactive where the surface does not
/// reach). On the box of --model (whose channels, e.g. a `unit` channel, are kept; only
/// those of `keep` when it is given, and with nothing else to compute the run just selects
/// them) or --like; written to `out` atomically after everything is computed. `keep` limits the
/// channels of --model copied to the output (with nothing else to compute, the run only
/// selects channels). UsageError for a
/// channel name that exists already, an unknown surface name in --intersection, --contact
/// or --keep without --model, a --keep channel the model lacks; DataError when two surfaces do not
/// cross or a contact value is not reached inside the box.
ModelFeaturesResult runModelFeatures(const ModelFeaturesJob& job);

}  // namespace orevox
