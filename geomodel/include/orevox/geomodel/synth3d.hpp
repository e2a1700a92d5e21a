#pragma once
/// \file synth3d.hpp
/// A synthetic pair of Jiaodong-type, detachment-fault-hosted gold deposits with known
/// truth (source and target of the cross-deposit transfer in dann-cta-jiaodong-2026,
/// Xiadian -> Dayingezhuang on the Zhaoping fault). It is orevox's embedded default 3D
/// dataset and the ground truth of the 3D benchmarks. The generative law is documented in
/// docs/synthetic-districts.md.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "orevox/geomodel/geometry.hpp"
#include "orevox/geomodel/volume.hpp"

namespace orevox {

/// WKT (GDAL WKT1) of WGS 84 / UTM zone 51N, EPSG:32651, the zone of the Jiaodong
/// peninsula. Both volumes carry it; their origins are nominal positions on the Zhaoping fault.
extern const char* const kSynth3dCrsWkt;

/// Codes of the "rock_type" channel.
enum class Synth3dRock : int { Granite = 1, Metamorphic = 2, Alteration = 3 };

/// Parameters of generateSynth3d.
struct Synth3dOptions {
  std::uint64_t seed = 1;
  std::size_t nx = 256, ny = 256, nz = 128;
  double cell = 10.0;  ///< metres per voxel edge (cubic voxels)
  /// 0 = target deposit drawn from the same distribution as the source; 1 = strong
  /// covariate shift (steeper, deeper, longer-wavelength fault, thinner alteration, weaker
  /// and higher-background halo, thicker metamorphic sliver, more relief).
  double shift = 0.5;
};

/// One deposit. The box is aligned with the main fault: strike along +y, dip toward +x.
/// Channels (name, units), in this order:
///  - "fault_distance" (m): signed distance to the detachment fault, + hanging wall (above),
///    - footwall; computed as the vertical offset times cos(local dip), exact for a plane and
///    first-order accurate for the undulating surface.
///  - "fault_dip" (degrees), "dip_change" (degrees per 100 m down dip; negative where the
///    fault flattens downward, i.e. at steep-to-gentle flexures) and "fault_undulation" (m,
///    height of the fault surface above its least-squares mean plane), all read at the
///    voxel's foot point on the fault.
///  - "granite_distance" (m, unsigned, to the granite contact, same approximation),
///  - "secondary_fault_distance" (m, exact distance to the nearest planar secondary fault),
///  - "rock_type" (Synth3dRock code), "halo" (log10 of Au in ppm, a noisy primary halo),
///  - "orebody" (0/1 truth).
/// Inactive (air) voxels hold 0 in every channel.
struct Synth3dDeposit {
  std::string name;                  ///< "source" / "target"
  DenseVolume volume;                ///< channels above
  std::vector<std::uint8_t> active;  ///< 1 = rock below the topographic surface, 0 = air
  TriangleSurface mainFault;  ///< the detachment fault surface below the topography (display)
};

/// A source deposit (labelled by the caller) and a target deposit (labels withheld by the
/// caller); truth is present in both.
struct Synth3dPair {
  Synth3dOptions options;
  Synth3dDeposit source, target;
};

/// Generates source and target. Deterministic for a given seed; the source does not depend
/// on `shift`. Throws UsageError on a grid under 8 voxels on an axis, over 1e9 voxels, a
/// non-positive cell or a shift outside [0, 1].
Synth3dPair generateSynth3d(const Synth3dOptions& options = {});

/// One deposit of the pair (the same volume generateSynth3d returns for it).
Synth3dDeposit generateSynth3dDeposit(const Synth3dOptions& options, bool target);

}  // namespace orevox
