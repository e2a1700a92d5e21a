#pragma once
/// \file volume_samples.hpp
/// The torch-free half of the volume path (DANN-CTA, dann-cta-jiaodong-2026): k^3 patch
/// sets drawn from a VoxelModel through the SpatialIndex, per-domain channel
/// standardisation, augmentation by the symmetries of a vertical prism, and the volume
/// metrics and products (ROC AUC, capture in the top share of volume, success-rate curve,
/// MMD, 3D target zones). The torch bridge (volume_models.hpp) trains and predicts on them.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace orevox {

class SpatialIndex;
class VoxelModel;
struct VolumeSpec;

/// N patches of C channels and s x s x s voxels, stored N x C x s x s x s (C-contiguous, the
/// N x C x D x H x W layout of a torch 3D convolution; inside a patch the order is
/// (k, j, i): k up, j north, i east fastest, as in orevox::Patch). `mask` is N x s^3, 1
/// where the voxel is inside the box and active in every channel; masked voxels hold 0 in
/// `values` (before and after standardisation, so a masked voxel reads as the domain mean).
struct PatchBatch {
  std::size_t count = 0;
  std::size_t channels = 0;
  std::size_t size = 0;  ///< s (odd for the volume networks)
  std::vector<float> values;
  std::vector<std::uint8_t> mask;
  std::vector<std::string> channelNames;
  std::vector<std::array<long, 3>> centres;  ///< voxel (i, j, k) of each patch's centre
  std::vector<int> labels;                   ///< optional, one per patch (1 ore, 0 barren)

  std::size_t patchVolume() const { return size * size * size; }
  std::size_t patchStride() const { return channels * patchVolume(); }
  /// Checks that sizes are consistent; UsageError otherwise.
  void validate() const;
  /// Appends the patches of `other` (same channels and size; UsageError otherwise). Labels
  /// are kept only when both batches have them (or this one is empty).
  void append(const PatchBatch& other);
  /// The patches at `rows` (in that order), with their labels and centres.
  PatchBatch select(const std::vector<std::size_t>& rows) const;
};

/// Voxels active in every one of `channels` (VolumeSpec::index order, 1 = valid): the voxels
/// a model can see and score. UsageError naming an unknown channel.
std::vector<std::uint8_t> validVoxels(const VoxelModel& model, const std::vector<std::string>& channels);

/// The input channels of a model: every channel of `model` but `labelChannel` (which may be
/// empty or absent), in the model's order.
std::vector<std::string> inputChannels(const VoxelModel& model, const std::string& labelChannel);

/// Per-channel standardisation z = (v - mean) / sd of ONE domain (a source or a target
/// volume): mean and population sd over that volume's valid voxels (active in every
/// channel). Fitting it separately on source and target ("per-domain standardisation")
/// removes each channel's shift of mean and scale between the deposits before any
/// learning; the networks then adapt what remains. A channel with sd < 1e-12 gets sd = 1.
struct ChannelStandardisation {
  std::vector<std::string> channels;
  std::vector<double> mean, sd;

  /// Fits on the valid voxels of `model`; DataError when it has none.
  static ChannelStandardisation fit(const VoxelModel& model, const std::vector<std::string>& channels);
  /// Standardises the unmasked voxels of every patch in place (masked voxels stay 0).
  /// UsageError when the batch's channel names differ from `channels`.
  void apply(PatchBatch& batch) const;
  /// Same on a raw block of `count` items of channels.size() x `voxels` values with one
  /// mask of `voxels` flags per item.
  void apply(float* values, const std::uint8_t* mask, std::size_t count, std::size_t voxels) const;
};

/// Options of the patch samplers.
struct PatchSamplingOptions {
  int size = 9;                      ///< patch edge in voxels
  std::size_t positives = 1500;      ///< at most this many ore centres (all when fewer)
  double negativesPerPositive = 1.0; ///< balance: barren centres per ore centre drawn
  float labelThreshold = 0.5f;       ///< label value > threshold = ore
  std::uint64_t seed = 1;
  std::uint64_t stream = 0;  ///< makeRng stream (e.g. 0 source, 1 target)
  /// Voxels that may be drawn as centres (VolumeSpec::index order, 1 = eligible); empty =
  /// all (e.g. outsideFoldBuffer: the training voxels of an out-of-fold run).
  std::vector<std::uint8_t> eligible;
};

/// Centres with labels: `centres[n]` is voxel (i, j, k), `labels[n]` 1 or 0.
struct LabelledCentres {
  std::vector<std::array<long, 3>> centres;
  std::vector<int> labels;
  double oreShare = 0.0;  ///< ore share among all the eligible voxels (the rock, not the draw)
};

/// Balanced labelled centres from a label channel: min(positives, ore voxels) ore voxels
/// and round(negativesPerPositive x that) barren voxels, drawn without replacement with
/// makeRng(seed, stream), among voxels valid in `channels` and active in `labelChannel`.
/// Returned ore first, then barren, each group in ascending voxel order (shuffle for
/// training). DataError naming the channel when it holds no ore or no barren voxel.
LabelledCentres sampleLabelledCentres(const VoxelModel& model, const std::string& labelChannel,
                                      const std::vector<std::string>& channels,
                                      const PatchSamplingOptions& options);

/// `count` unlabelled centres (e.g. target-domain patches) drawn uniformly without
/// replacement from the voxels valid in `channels` and, when `eligible` is not empty,
/// flagged there (all of them when fewer), ascending.
std::vector<std::array<long, 3>> sampleCentres(const VoxelModel& model,
                                               const std::vector<std::string>& channels,
                                               std::size_t count, std::uint64_t seed,
                                               std::uint64_t stream,
                                               const std::vector<std::uint8_t>& eligible = {});

// ---- out-of-fold maps ------------------------------------------------------------------

/// Spatial folds of a volume by whole columns: the plan box cut into `blocks` x `blocks`
/// blocks of columns (block bi = i * blocks / nx, bj = j * blocks / ny), fold bi + blocks *
/// bj of each voxel (VolumeSpec::index order). UsageError for blocks < 2 or more blocks
/// along an axis than voxels.
std::vector<int> columnBlockFolds(const VolumeSpec& spec, int blocks);

/// Voxels a model that scores fold `fold` may train on: those whose patch (Chebyshev radius
/// `radius` voxels in i and j; every depth) reaches no voxel column of the fold, so no
/// training patch holds a voxel the fold model later scores. 1 = eligible.
std::vector<std::uint8_t> outsideFoldBuffer(const VolumeSpec& spec, const std::vector<int>& folds,
                                            int fold, int radius);

/// One s^3 patch of `channels` of voxel layer `layer` per centre (SpatialIndex::patch,
/// padded with 0 and masked outside the box and at inactive voxels), in parallel.
/// Not standardised. UsageError for size < 1 or an unknown channel.
PatchBatch drawPatches(const SpatialIndex& index, const std::string& layer,
                       const std::vector<std::array<long, 3>>& centres, int size,
                       const std::vector<std::string>& channels);

/// The 8 symmetries of a patch that keep the vertical axis: `op` = 0..7, rotation by
/// (op % 4) quarter turns about +z (counter-clockwise seen from above: east -> north),
/// preceded for op >= 4 by the mirror i -> s-1-i. Applied in place to values and mask of
/// patch n. Vertical order (k) is never changed: depth and the up direction carry meaning.
void transformPatch(PatchBatch& batch, std::size_t n, int op);
/// Training-data augmentation: every patch gets a random op (makeRng(seed, stream)).
/// Never call it on validation, target or prediction patches.
void augmentPatches(PatchBatch& batch, std::uint64_t seed, std::uint64_t stream);

// ---- metrics and products --------------------------------------------------------------

/// (The voxel AUC and its interval: metrics.hpp's rocAuc and bootstrapAucInterval over
/// scoredLabels(scores, truth, use).)
/// Success-rate curve: for each share of the used volume q in `fractions` (0..1), the share
/// of the ore voxels within the top q of voxels by score (ties broken by voxel index).
/// capture_top10 = volumeSuccessRate(..., {0.10})[0].
std::vector<double> volumeSuccessRate(const std::vector<float>& scores, const std::vector<std::uint8_t>& truth,
                                const std::vector<std::uint8_t>& use, const std::vector<double>& fractions);

/// Squared maximum mean discrepancy (biased V-statistic) between two samples of
/// `dim`-vectors (row-major), Gaussian kernel exp(-|x-y|^2 / (2 h^2)) with h the median
/// pairwise distance of the pooled sample (median heuristic; Gretton et al. 2012).
/// `bandwidth` receives h when not null. UsageError on an empty sample.
double mmdGaussian(const std::vector<float>& a, const std::vector<float>& b, std::size_t dim,
                   double* bandwidth = nullptr);

/// Weights {ore, barren} of labelled source patches in a domain-adversarial loss that take
/// them from their own ore share p (balanced sampling: 0.5) back to `prior`, the ore share
/// of the source rock: {prior / p, (1 - prior) / (1 - p)}, so the weighted source sample
/// has the class mix of randomly drawn patches, as the target's unlabelled patches do.
/// {1, 1} for a negative prior or when p is 0 or 1. UsageError for a prior above 1.
std::array<double, 2> domainPriorWeights(const std::vector<int>& labels, double prior);

/// A connected body (6-connectivity) of voxels whose score reaches a grade's threshold.
struct TargetZone {
  char grade = 'A';             ///< 'A' (highest threshold), 'B', 'C'
  std::size_t id = 0;           ///< 1-based within its grade, by decreasing volume
  std::size_t voxels = 0;
  double volume = 0.0;          ///< m^3
  double zMin = 0.0, zMax = 0.0;          ///< elevation range of voxel centres, m
  double depthMin = 0.0, depthMax = 0.0;  ///< below the top valid voxel of each column, m
  std::array<double, 3> centroid{};       ///< world x, y, z, m
  double meanScore = 0.0, maxScore = 0.0;
};

/// The smallest body listed as a target zone by default: a 2 x 2 x 2 block. Isolated
/// voxels above a threshold are noise of the score, not drilling targets (on a noisy
/// prospectivity volume they were 1,270 of 2,213 bodies).
constexpr std::size_t kDefaultMinZoneVoxels = 8;

/// 3D target zones of a score channel of `model`: thresholds are the score quantiles that
/// leave the top `topFractions` (ascending, e.g. {0.01, 0.05, 0.10} for A/B/C; at most 3)
/// of the channel's active voxels above; bodies of at least `minVoxels` voxels, by grade
/// then decreasing volume. Depth is measured from the top active voxel of the column
/// (the rock surface). UsageError on an unknown channel, bad fractions or minVoxels 0.
std::vector<TargetZone> targetZones(const VoxelModel& model, const std::string& channel,
                                    const std::vector<double>& topFractions = {0.01, 0.05, 0.10},
                                    std::size_t minVoxels = kDefaultMinZoneVoxels);
/// CSV text: grade,id,voxels,volume_m3,z_min_m,z_max_m,depth_min_m,depth_max_m,
/// centroid_x,centroid_y,centroid_z,mean_score,max_score.
std::string targetZonesCsv(const std::vector<TargetZone>& zones);

}  // namespace orevox
