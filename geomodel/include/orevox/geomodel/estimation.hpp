#pragma once
/// \file estimation.hpp
/// 3D estimation of composites (drillhole samples at points) onto the voxels of a box:
/// inverse distance weighting or ordinary kriging (variogram fitted by variogram.hpp,
/// kriging variance as its own channel) with a GSLIB-style anisotropic search ellipsoid,
/// maximum samples and maximum samples per hole, on a kd-tree, threaded; categorical logs
/// as the proportion of each code among the neighbours and the most likely code.
///
/// Typical flow (datasets/drillhole_grid.hpp runs it for `orevox drillholes grid`):
///   1. EstimationSamples from a composite table (x, y, z, hole, fields);
///   2. EstimationOptions (their declare() gives the command's options);
///   3. estimateVolume(samples, fields, spec, options): one channel per numeric field, a
///      code channel plus one proportion channel per category for a categorical field;
///      voxels farther than maxDistance from every sample of a field stay inactive;
///   4. applyCutoff: a 0/1 label channel from a cutoff such as "CU>=0.5".

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "orevox/core/options.hpp"
#include "orevox/geomodel/drillholes.hpp"
#include "orevox/geomodel/variogram.hpp"
#include "orevox/geomodel/volume.hpp"

namespace orevox {

/// A search (or anisotropy) ellipsoid in GSLIB's convention (Deutsch & Journel, GSLIB
/// 2nd ed., setrot / sqdist): `azimuth` of the major axis in degrees clockwise from north
/// (+y), `dip` of the major axis in degrees (GSLIB's sign: negative points down), `plunge`
/// the rotation about the major axis, and the ranges along the major, semi-major and minor
/// axes (world units). A point p lies inside when |M p| <= 1 (M = scaledRotation()).
struct SearchEllipsoid {
  double azimuth = 0.0, dip = 0.0, plunge = 0.0;
  double major = 0.0, semi = 0.0, minor = 0.0;

  /// From "az,dip,plunge,r1,r2,r3" as six numbers; UsageError naming `option` for a count
  /// other than 6 or a range that is not > 0.
  static SearchEllipsoid fromList(const std::vector<double>& values, const std::string& option);
  /// GSLIB's rotation: rows are the unit vectors of the major, semi-major and minor axes.
  Eigen::Matrix3d rotation() const;
  /// rotation() with row i divided by range i: inside the ellipsoid = |M p| <= 1.
  Eigen::Matrix3d scaledRotation() const;
};

/// Estimator of numeric fields.
enum class EstimationMethod {
  Idw,     ///< inverse distance weighting
  Kriging  ///< ordinary kriging with a fitted variogram (and the kriging variance)
};
/// "idw", "kriging".
const NameTable<EstimationMethod>& estimationMethodNames();

/// Settings of estimateVolume (declared once for the CLI, reports and docs).
struct EstimationOptions {
  EstimationMethod method = EstimationMethod::Idw;
  double power = 2.0;          ///< IDW exponent p of the weights 1 / d^p
  std::size_t neighbors = 16;  ///< at most this many samples per voxel
  /// az,dip,plunge,r1,r2,r3 (SearchEllipsoid); empty = isotropic, unlimited search.
  std::vector<double> ellipsoid;
  std::size_t maxPerHole = 0;  ///< at most this many samples from one hole (0 = no limit)
  double maxDistance = 0.0;    ///< voxels farther from every sample stay inactive (0 = no limit)
  /// Categorical fields: proportion channels for the this many most frequent codes among
  /// the samples (ties: the smaller code); 0 = every code. The code channel uses all codes.
  std::size_t maxCategories = 24;
  VariogramOptions variogram;  ///< kriging: experimental variograms and the model fitted

  void declare(OptionSet& set);
};

/// Points to estimate from: one row per composite, with its hole and its field values
/// (IntervalField: numeric values with NaN = not assayed, or categorical codes, -1 = not
/// logged). Coordinates in the CRS's unit.
struct EstimationSamples {
  std::string source;  ///< file name, for messages
  std::string crsWkt;
  std::vector<Eigen::Vector3d> points;
  std::vector<std::size_t> hole;      ///< hole index of each row
  std::vector<std::string> holeIds;   ///< hole index -> id
  std::vector<IntervalField> fields;  ///< size() values each

  std::size_t size() const { return points.size(); }
  /// Index of the field `name` (exact, else a unique case-insensitive match), -1 when absent.
  long fieldIndex(const std::string& name) const;
};

/// One output channel: dense values (VolumeSpec::index order) and activity flags.
struct EstimatedChannel {
  std::string name, units;
  std::vector<float> values;
  std::vector<std::uint8_t> active;
  std::size_t activeCount() const;
};

/// What estimateVolume made.
struct EstimationResult {
  VolumeSpec spec;
  std::vector<EstimatedChannel> channels;
  /// Categorical fields: the code channel's values index these names (all codes).
  std::vector<std::pair<std::string, std::vector<std::string>>> legends;
  /// Per field: samples used (with a value), voxels estimated, voxels left inactive for
  /// lying beyond maxDistance, voxels without any sample in the search.
  struct FieldCount {
    std::string field;
    std::size_t samples = 0, estimated = 0, beyondMaxDistance = 0, noNeighbours = 0;
  };
  std::vector<FieldCount> counts;
  /// Kriging: per numeric field, the experimental variograms and the model used.
  struct Variography {
    std::string field;
    std::vector<ExperimentalVariogram> experimental;
    VariogramModel model;
  };
  std::vector<Variography> variography;

  long channelIndex(const std::string& name) const;
};

/// The name of a categorical field's proportion channel for `category` ("LITH_MS";
/// characters other than letters, digits, '-' and '_' become '_').
std::string proportionChannelName(const std::string& field, const std::string& category);

/// Estimates `fields` at every voxel centre of `spec`.
///
/// Neighbourhood: the samples with a value for the field; without an ellipsoid the
/// `neighbors` nearest (Euclidean); with one, the `neighbors` nearest by anisotropic
/// distance |M (x - s)| among those inside the ellipsoid. With maxPerHole, a sample is
/// skipped when its hole already gave maxPerHole nearer ones. A voxel farther than
/// maxDistance (Euclidean) from every sample of the field, or without a sample in its
/// search, stays inactive in that field's channels.
///
/// Numeric fields, IDW: sum(z_i / d_i^p) / sum(1 / d_i^p) with d the (anisotropic)
/// distance; a sample closer than 1e-9 of the search scale gives its value. Below-detection
/// values count as their detection limit times `belowDetectionFactor`.
/// Numeric fields, ordinary kriging: the weights solve [C 1; 1' 0] [l; mu] = [c; 1] with
/// C(h) = nugget + sill - gamma(h) of the field's variogram model (fitted by fitVariogram to
/// the "anisotropic" experimental variogram with an ellipsoid, else to the "omni" one;
/// `models`, one per numeric field in order, replaces the fit), h the anisotropy-corrected
/// distance r1 |M d| (Euclidean without an ellipsoid); channel <field> = sum l_i z_i and
/// <field>_variance = C(0) - sum l_i c_i - mu. A neighbourhood whose system is singular
/// (coincident samples) has 1e-10 C(0) added to its diagonal.
/// Categorical fields: channel <field> holds the most likely code (the largest summed
/// IDW weight; ties: the smaller code), channel <field>_<category> the weighted share of
/// each category, both from the same neighbourhood (IDW weights with either method).
///
/// Voxels run in parallel (TBB); the result does not depend on the thread count.
/// UsageError for bad options or an unknown field (listing the fields), DataError naming
/// samples.source for a field without any value.
EstimationResult estimateVolume(const EstimationSamples& samples,
                                const std::vector<std::string>& fields, const VolumeSpec& spec,
                                const EstimationOptions& options, double belowDetectionFactor = 0.5,
                                const std::vector<VariogramModel>* models = nullptr);

/// A grade cutoff "FIELD>=VALUE" (also >, <=, <): the label rule of `--label`.
struct GradeCutoff {
  std::string field;
  std::string op;  ///< ">=", ">", "<=", "<"
  double value = 0.0;
  /// Parses "CU>=0.5" (spaces allowed); UsageError naming `option` otherwise.
  static GradeCutoff parse(const std::string& text, const std::string& option);
  bool holds(double v) const;
  std::string text() const;
};

/// A 0/1 channel `name`: 1 where `cutoff` holds for the channel cutoff.field of `result`,
/// 0 where it does not, inactive where that channel is. UsageError when there is no such
/// numeric channel.
EstimatedChannel applyCutoff(const EstimationResult& result, const GradeCutoff& cutoff,
                             const std::string& name);

}  // namespace orevox
