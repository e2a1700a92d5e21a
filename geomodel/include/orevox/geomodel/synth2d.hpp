#pragma once
/// \file synth2d.hpp
/// A synthetic stream-sediment geochemical district with known truth, modelled on the
/// Pangxidong survey of the ResGNN paper (resgnn-pangxidong-2024: ~1,700 km2, ~7,000
/// stream-sediment samples, 16 elements). It is orevox's embedded default 2D dataset and the
/// ground truth of the 2D benchmarks. The generative law is documented in
/// docs/synthetic-districts.md.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "orevox/geomodel/geometry.hpp"
#include "orevox/geomodel/raster.hpp"
#include "orevox/geomodel/samples.hpp"

namespace orevox {

/// WKT (GDAL WKT1) of WGS 84 / UTM zone 49N, EPSG:32649, the zone of the Pangxidong area.
/// Every table, fault network and raster of the 2D district carries it. Coordinates are
/// metres from the district's south-west corner (0, 0).
extern const char* const kSynth2dCrsWkt;

/// Lithology domain codes of the 2D district (Polygon::value, the "lithology" column and
/// the truth raster's "lithology" band).
enum class Synth2dLithology : int {
  Granite = 1,
  Sandstone = 2,
  Carbonate = 3,
  Volcanic = 4,
  Shale = 5
};

/// Deposit association codes (the "type" column of Synth2dDistrict::deposits).
enum class Synth2dDepositType : int { AuAsSbHg = 1, CuMoW = 2, PbZnAg = 3 };

/// Parameters of generateSynth2d.
struct Synth2dOptions {
  std::uint64_t seed = 1;
  double width = 41000.0, height = 41000.0;  ///< metres (~1,700 km2)
  std::size_t sampleCount = 7000;            ///< irregular stream-sediment sites
  double truthCell = 100.0;                  ///< metres, truth raster cell
  double knownFraction = 0.6;                ///< share of deposits released as "known"
  double labelRadius = 1000.0;               ///< samples within this of a KNOWN deposit get label 1
};

/// The generated district. Everything is in kSynth2dCrsWkt.
struct Synth2dDistrict {
  Synth2dOptions options;
  /// Au B Sn Cu Ag Ba Mn Pb Zn As Sb Bi Hg Mo W F (the 16 elements of the Pangxidong survey).
  std::vector<std::string> elements;
  /// Stream-sediment sites: x, y (m), ids "S00001"...; one column per element in ppm with
  /// censored flags and detectionLimit; "rest" (ppm, the major-element balance, so that the
  /// stored elements plus rest sum to 1e6); "lithology" (Synth2dLithology code of the
  /// polygon containing the site). labels: 1 within labelRadius of a known deposit, else 0;
  /// labelName "ore_bearing".
  SampleTable samples;
  /// 2D fault traces; names "F1".. are the major through-going faults, "f01".. secondary.
  FaultNetwork faults;
  /// Deposits: x, y, ids "D01"...; columns "size" (relative tonnage, median ~1), "type"
  /// (Synth2dDepositType code), "exposure" (0..1, share of outcrop vs cover). labels 1 =
  /// known (training), 0 = hidden (evaluation only); labelName "known".
  SampleTable deposits;
  /// Lithology domains: Polygon::name is the rock name, Polygon::value its code. They tile
  /// the district; granite polygons may be holes of the strata polygons.
  PolygonSet lithology;
  /// On GridSpec::fromExtent({0, 0, width, height}, truthCell): band "mineralisation" (the
  /// intensity of the deposit-generating point process, scaled to a maximum of 1; what a
  /// perfect model would find) and band "lithology" (code at each cell centre).
  Raster truth;
};

/// Generates the district for `options`: the same seed gives the same district with the same
/// build, whatever the thread count (0.5-1.5 s for the defaults on 2 cores). Throws
/// UsageError on a non-positive size, cell or sample count, a knownFraction outside [0, 1] or
/// a negative labelRadius.
Synth2dDistrict generateSynth2d(const Synth2dOptions& options = {});

}  // namespace orevox
