#pragma once
/// \file drillholes_synth.hpp
/// Drillholes through a synth3d deposit with known truth: collars on the topography,
/// inclined holes drilled against the dip of the detachment fault with a gently curving
/// survey, and intervals that log the truth channels (rock type, halo assay, orebody flag).
/// Re-estimating `halo` from these holes can be scored against the truth channel.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "orevox/core/options.hpp"
#include "orevox/geomodel/drillholes.hpp"
#include "orevox/geomodel/volume.hpp"

namespace orevox {

/// Parameters of synth3dDrillholes.
struct SynthDrillholeOptions {
  std::size_t holes = 0;        ///< number of holes
  std::uint64_t seed = 1;       ///< the synth3d seed (holes use their own named streams)
  double intervalLength = 0.0;  ///< sample length (m); 0 = half a voxel edge
  double surveySpacing = 30.0;  ///< survey station spacing (m)
  double maxDepth = 0.0;        ///< longest hole (m); 0 = until the hole leaves the box or the rock

  /// Declares --drillholes (the hole count; `orevox synth 3d`).
  void declare(OptionSet& set) {
    set.add("drillholes", holes,
            "3d: also drill this many holes into each deposit and write <deposit>_collars.csv, "
            "_surveys.csv and _intervals.csv (rock_type, halo and orebody logged from the truth)");
  }
};

/// The three tables as a CSV export would hold them: collars (HOLEID, X, Y, Z, DEPTH),
/// surveys (HOLEID, AT, AZ, DIP with dips negative down) and intervals (HOLEID, FROM, TO,
/// rock_type, halo, orebody).
struct SynthDrillholes {
  CollarTable collars;
  SurveyTable surveys;      ///< dips in the down-negative convention
  IntervalTable intervals;  ///< fields: rock_type (granite / metamorphic / alteration),
                            ///< halo (log10 ppm Au), orebody (0 / 1)
};

/// Drills `options.holes` holes into a synth3d deposit volume (channels rock_type, halo and
/// orebody; `active` = rock below the topography). Collars are uniform over the central 80 %
/// of the box, at the top of the rock column; azimuth 270 +- 20 degrees (against the fault's
/// dip toward +x), dip 55-75 degrees down, stations every `surveySpacing` with a drift of
/// N(-0.3, 0.3) degrees of dip and N(0.4, 0.6) of azimuth per station. Each interval logs
/// the truth of the voxel that holds its middle, on the minimum-curvature path of its
/// survey (so desurveying the tables puts every sample back in its voxel). Samples whose
/// middle lies in the air beside the collar (the voxelised topography) are not logged; a
/// hole ends at the last whole interval before it leaves the box or the rock. Random draws come
/// from named streams of `seed` (different streams for the target, `target` = true). UsageError
/// when a channel is missing.
SynthDrillholes synth3dDrillholes(const DenseVolume& volume,
                                  const std::vector<std::uint8_t>& active,
                                  const SynthDrillholeOptions& options, bool target);

}  // namespace orevox
