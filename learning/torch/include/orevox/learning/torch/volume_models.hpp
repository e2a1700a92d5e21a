#pragma once
/// \file volume_models.hpp
/// The torch-free face of the volume path (DANN-CTA, dann-cta-jiaodong-2026): a 3D CNN
/// with triple attention trained adversarially on a labelled source deposit and an
/// unlabelled target deposit, its baselines, streamed prediction of a target volume and
/// the cross-deposit evaluation. Torch types stay in learning/torch/src.
///
/// Network (VolumeNet, one class for every variant; k = patch edge, odd, >= 7):
///  - trunk: three 3x3x3 convolutions WITHOUT padding (C+1 -> 16 -> 32 -> 32, ReLU), the
///    extra input channel being the patch mask; a k^3 patch becomes a 32 x m^3 map,
///    m = k - 6. Without padding or pooling the trunk is translation-equivariant, so one
///    dense pass over a tile gives, for every voxel, exactly the map of its own patch.
///  - DANN-CTA head (triple attention): channel attention by 3D squeeze-excitation
///    (mean over the m^3 map -> FC 32->8 -> ReLU -> FC 8->32 -> sigmoid gate per channel),
///    spatial attention over the m^3 positions (channel mean and max -> 3x3x3 conv 2->1,
///    padding 1 inside the patch's map -> sigmoid gate per position), flatten -> FC 32 m^3
///    -> 64 -> ReLU = feature vector f, feature-level attention on f (FC 64->16 -> ReLU ->
///    FC 16->64 -> sigmoid gate per feature).
///  - label predictor: FC 64->32 -> ReLU -> FC 32->1 (ore logit);
///  - domain discriminator: gradient reversal layer -> FC 64->32 -> ReLU -> FC 32->1
///    (logit of "target").
///  - DANN: the same without the three attention gates; CNN3D: DANN's network trained on
///    the source only (no domain loss).
///
/// Loss signs (a frequent confusion in public DANN code):
///   total = L_label(source) + L_domain(source and target),
/// both binary cross-entropies that every optimiser step MINIMISES. The discriminator's
/// parameters minimise L_domain. The gradient reversal layer between f and the
/// discriminator is the identity forward and multiplies the gradient by -lambda backward,
/// so the feature extractor descends L_label - lambda L_domain: it MAXIMISES the domain
/// loss, i.e. learns features the discriminator cannot tell apart. lambda follows
/// 2 / (1 + exp(-10 p)) - 1, p = training progress from 0 to 1 (Ganin et al. 2016).

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "orevox/core/options.hpp"
#include "orevox/learning/volume_samples.hpp"

namespace orevox {

class SpatialIndex;
class VoxelModel;

/// Which network / training.
enum class VolumeModelKind {
  DannCta,  ///< "dann-cta": triple attention + adversarial domain adaptation
  Dann,     ///< "dann": no attention, adversarial
  Cnn3d,    ///< "cnn3d": no attention, source only
};
const NameTable<VolumeModelKind>& volumeModelNames();
const char* volumeModelName(VolumeModelKind kind);
/// Parses "dann-cta", "dann" or "cnn3d"; UsageError naming `option` otherwise.
VolumeModelKind parseVolumeModel(const std::string& text, const std::string& option = "--model");

/// GRL coefficient lambda(p) = 2 / (1 + exp(-gamma p)) - 1 (DANN schedule, gamma = 10).
double gradientReversalLambda(double progress, double gamma = 10.0);

/// DANN's learning-rate annealing (Ganin et al. 2016, JMLR, sec. 5.2.2):
/// mu_p = mu_0 / (1 + 10 p)^0.75 at training progress p in [0, 1].
double annealedLearningRate(double baseRate, double progress);

/// Forward output and input gradient of L = sum_n w_n tanh(GRL_lambda(x)_n), computed by
/// LibTorch autograd through the gradient reversal layer: forward must equal x and the
/// gradient -lambda w_n (1 - tanh^2 x_n). Exposed so tests check the layer numerically
/// against finite differences without compiling torch headers.
struct GradientReversalProbe {
  std::vector<double> forward, gradient;
};
GradientReversalProbe probeGradientReversal(const std::vector<double>& x, const std::vector<double>& w,
                                            double lambda);

/// Training options.
struct VolumeTrainOptions {
  VolumeModelKind kind = VolumeModelKind::DannCta;
  int patch = 9;               ///< patch edge k in voxels (odd, >= 7)
  int epochs = 10;
  std::size_t batch = 64;      ///< source patches per step (and as many target patches)
  double learningRate = 1e-3;  ///< Adam
  double weightDecay = 1e-5;
  std::size_t positives = 1500;       ///< ore patches drawn from the source (balanced 1:1)
  std::size_t targetPatches = 0;      ///< unlabelled target patches; 0 = as many as source
  bool augment = true;                ///< random vertical-axis symmetry per patch and epoch
  double gamma = 10.0;                ///< GRL schedule
  /// Learning rate annealed by annealedLearningRate over the run (DANN's recipe; every
  /// volume network, so that the models differ only in their losses); false: constant.
  bool annealLearningRate = true;
  /// Ore share among the source voxels (valid ones). In [0, 1], the source half of the
  /// domain loss weights each balanced source patch back to this prior (ore patches by
  /// share / p, barren ones by (1 - share) / (1 - p), p the ore share of the labelled
  /// patches), so that the discriminator compares the target's randomly drawn patches with
  /// source patches as they occur in the rock. Negative: unweighted (balanced source
  /// against random target, which pulls target rock towards ore: a label shift).
  double sourceOreShare = -1.0;
  std::uint64_t seed = 1;

  /// Declares --patch, --epochs, --positives and --lr-schedule.
  void declare(OptionSet& set) {
    set.add("patch", patch, "Patch edge in voxels (odd, >= 7)").range(7, 99).odd();
    set.add("epochs", epochs, "Training epochs").range(1, 100000);
    set.add("positives", positives, "Ore patches drawn from the source (plus as many barren)")
        .positive();
    set.add("lr-schedule", annealLearningRate,
            NameTable<bool>{{"dann", true}, {"constant", false}},
            "dann (Adam's rate annealed as mu_0 / (1 + 10 p)^0.75, Ganin et al. 2016; without "
            "it the adversarial game diverged on synth3d) or constant");
  }
};

/// What training did, per epoch.
struct VolumeTrainStats {
  std::size_t sourcePatches = 0, targetPatches = 0, steps = 0;
  std::vector<double> labelLoss;       ///< mean BCE on source patches per epoch
  std::vector<double> domainLoss;      ///< mean domain BCE per epoch (adversarial models)
  std::vector<double> domainAccuracy;  ///< discriminator accuracy per epoch
  double finalLambda = 0.0;
  double seconds = 0.0;
};

/// A trained volume network with its input definition: channel names, the patch size and
/// the source domain's standardisation (kept for the record; each volume is standardised
/// with its own statistics, see ChannelStandardisation). Copies share the network.
class VolumeModel {
 public:
  VolumeModel();
  ~VolumeModel();
  VolumeModel(const VolumeModel&);
  VolumeModel& operator=(const VolumeModel&);

  /// A freshly initialised network (weights from torch's generator seeded with `seed`).
  static VolumeModel create(VolumeModelKind kind, const std::vector<std::string>& channels, int patch,
                            std::uint64_t seed);

  /// Trains on standardised batches: `source` with labels, `target` unlabelled (ignored
  /// by CNN3D). Deterministic for a seed and thread count.
  void train(const PatchBatch& source, const PatchBatch& target, const VolumeTrainOptions& options,
             VolumeTrainStats* stats = nullptr);

  /// Ore probability of each (standardised) patch, patch by patch through the whole
  /// network: the reference that predictVolume reproduces densely.
  std::vector<float> predictPatches(const PatchBatch& batch) const;
  /// Feature vectors f (N x featureSize(), row-major) of standardised patches.
  std::vector<float> features(const PatchBatch& batch) const;
  std::size_t featureSize() const;
  /// Probabilities of the three attention stages for the given patches, for inspection and
  /// tests: channel gates N x 32, spatial gates N x m^3, feature gates N x 64 (empty for
  /// models without attention).
  struct AttentionGates {
    std::vector<float> channel, spatial, feature;
  };
  AttentionGates attentionGates(const PatchBatch& batch) const;

  VolumeModelKind kind() const;
  int patchSize() const;
  const std::vector<std::string>& channels() const;
  ChannelStandardisation& sourceStandardisation();
  const ChannelStandardisation& sourceStandardisation() const;

  /// Writes the network (torch::serialize archive) to `path` and a JSON sidecar (kind,
  /// channels, patch size, standardisation) to `path` with extension .json; both atomic.
  void save(const std::string& path) const;
  /// Reads what save wrote; IoError / DataError naming the file.
  static VolumeModel load(const std::string& path);

  struct Impl;
  Impl& impl() const;

 private:
  std::shared_ptr<Impl> impl_;
};

/// Options of streamed prediction.
struct VolumePredictOptions {
  std::size_t tile = 64;     ///< core edge of a tile in voxels (bench_volume_predict: 64 beats 32)
  std::size_t chunk = 8192;  ///< core voxels per dense head evaluation (3.5 KB each: bounds memory)

  /// Declares --tile.
  void declare(OptionSet& set) {
    set.add("tile", tile, "Tile edge in voxels for streamed prediction").positive();
  }
};

/// Prospectivity of a whole voxel layer.
struct VolumePrediction {
  std::vector<float> probability;    ///< VolumeSpec::index order, 0 where not valid
  std::vector<std::uint8_t> valid;   ///< voxels active in every input channel
  std::size_t tiles = 0, voxels = 0; ///< tiles processed, voxels scored
  double seconds = 0.0;
  double trunkSeconds = 0.0;  ///< of which in the convolutional trunk (the rest: input, head)
};

/// Streams voxel layer `layer` of `index` by tiles (SpatialIndex::tiles3D, halo = patch
/// radius): per tile, the channels of the core grown by the patch radius on each side
/// (padded with 0 and masked outside the box, exactly like SpatialIndex::patch) are
/// standardised with the layer's own statistics (per-domain), the convolutional trunk runs
/// ONCE densely over the tile, and the head (attention, features, label predictor) runs
/// densely over the map, `chunk` voxels at a time: window means by pooling, the gates and
/// fc as large matrix products (fc without attention is a conv3d with an m^3 kernel; see
/// docs/volume-path.md). Exact: equals predictPatches on each voxel's patch up to float
/// summation order (tested); nothing strided or interpolated. Memory: one tile at a time.
VolumePrediction predictVolume(const VolumeModel& model, const SpatialIndex& index, const std::string& layer,
                               const VolumePredictOptions& options = {});

// ---- cross-deposit transfer ----------------------------------------------------------------

/// Channel names of the 2D paths' results draped onto voxel columns (design.md: 2D results
/// feed the 3D path): the SSGSNet prospectivity map and the ResGNN per-sample
/// probabilities interpolated from the graph nodes.
constexpr const char* kSurfaceSsgsnetChannel = "surface_ssgsnet";
constexpr const char* kSurfaceResgnnChannel = "surface_resgnn";

/// One run of the transfer study.
struct TransferOptions {
  std::vector<VolumeModelKind> models{VolumeModelKind::DannCta};
  bool randomForest = false;  ///< also the xgboost random forest on centre-voxel channels
  std::string labelChannel = "orebody";
  VolumeTrainOptions train;   ///< kind is set per model
  std::size_t mmdPatches = 300;  ///< patches per domain for the MMD figures
  /// > 0: also "cnn3d-target", the CNN3D trained on this many labelled TARGET patches only
  /// (balanced, drawn from the target's label channel with stream 5); the only use of target
  /// labels in training, and the run reports it. Their centre voxels are left out of every
  /// model's target scores. DataError when the target has no label channel.
  std::size_t targetLabels = 0;
  /// The adversarial models' domain loss weights the balanced source patches back to the
  /// source's ore share (VolumeTrainOptions::sourceOreShare, measured on the source's label
  /// channel over its valid voxels); false: unweighted, as in plain DANN code.
  bool priorWeightedDomain = true;
  VolumePredictOptions predict;
  int bootstrap = 200;  ///< replicates of the target AUC's interval (0 = none)
  /// Out-of-fold target map (metrics.oof_map_auc): the target's columns cut into
  /// oofBlocks x oofBlocks blocks (columnBlockFolds); every model that trains on target
  /// patches (the adversarial ones on unlabelled patches, cnn3d-target on labelled ones) is
  /// trained again once per block on the same source patches and on target patches drawn
  /// only where their patch reaches no column of the block (outsideFoldBuffer, radius =
  /// patch / 2), and scores that block. Source-only models (cnn3d, rf) never see the target:
  /// their target map is out-of-fold as it stands. 0 = off (needs a target label channel).
  int oofBlocks = 2;
  /// Input channels no model sees (e.g. the draped 2D results, for the run without them).
  std::vector<std::string> excludeChannels;
  /// When not empty: the whole study runs a second time without these input channels
  /// (TransferResult::without), so that a report holds every figure with and without them
  /// (e.g. kSurfaceSsgsnetChannel and kSurfaceResgnnChannel).
  std::vector<std::string> compareWithout;

  /// Declares --label-channel, the training options, --mmd-patches, --target-labels,
  /// --domain-weights and --tile (the models are the study's list).
  void declare(OptionSet& set) {
    set.add("label-channel", labelChannel, "0/1 ore channel of the source");
    train.declare(set);
    set.add("mmd-patches", mmdPatches,
            "Held-out unlabelled patches per domain for the MMD figures (before/after adaptation)")
        .range(2, 100000);
    set.add("target-labels", targetLabels,
            "Also cnn3d-target, a CNN3D trained only on this many labelled target patches (needs "
            "the label channel in the target; their centres are left out of every score)");
    set.add("domain-weights", priorWeightedDomain,
            NameTable<bool>{{"prior", true}, {"none", false}},
            "prior (the domain loss weights the balanced source patches back to the source's ore "
            "share, so the discriminator compares rock with rock) or none (plain DANN: balanced "
            "source against random target patches, which pulls barren target rock towards ore)");
    predict.declare(set);
    set.add("bootstrap", bootstrap, "Bootstrap replicates of the target AUC interval")
        .range(0, 100000);
    set.add(
           "oof-blocks", oofBlocks,
           "Out-of-fold target map: the target's columns in N x N blocks, each scored by models "
           "retrained without target patches reaching it (metrics.oof_map_auc; 0 = off, else >= 2)")
        .range(0, 64);
  }
};

/// Results of one model.
struct TransferModelResult {
  std::string name;  ///< "dann-cta", "dann", "cnn3d", "cnn3d-target", "rf"
  VolumeModel model;  ///< empty for "rf"
  VolumeTrainStats training;
  bool hasTargetTruth = false;  ///< target volume holds the label channel
  double targetAuc = 0.0, captureTop5 = 0.0, captureTop10 = 0.0;
  /// Percentile bootstrap interval of targetAuc (metrics.hpp, TransferOptions::bootstrap
  /// replicates over the scored target voxels; NaN when 0).
  double targetAucLow = 0.0, targetAucHigh = 0.0;
  std::vector<std::array<double, 2>> successCurve;  ///< (share of volume, share of ore)
  /// MMD^2 (Gaussian, median heuristic) of source vs target feature vectors f on held-out
  /// patches: with the initial weights (before) and the trained ones (after). NaN for rf.
  double mmdBefore = 0.0, mmdAfter = 0.0;
  std::vector<float> probability;  ///< target prospectivity, VolumeSpec::index order
  double predictSeconds = 0.0;
  /// Out-of-fold target map (TransferOptions::oofBlocks; empty when off): each voxel scored
  /// by the fold model that trained on no patch reaching its block; its voxel AUC against
  /// the target's ore over every valid labelled voxel, with the bootstrap interval.
  std::vector<float> oofProbability;
  bool oofRetrained = false;  ///< fold models trained (false: the target map as it stands)
  double oofMapAuc = 0.0, oofMapAucLow = 0.0, oofMapAucHigh = 0.0;
};

struct TransferResult {
  std::vector<std::string> channels;
  double mmdInput = 0.0;  ///< MMD^2 of the per-domain standardised centre-voxel channels
  std::vector<std::uint8_t> targetValid;
  std::size_t targetLabelPatches = 0;  ///< target patches with labels used in training (cnn3d-target)
  double sourceOreShare = 0.0;  ///< ore share among the source's valid voxels
  std::vector<int> oofFolds;    ///< fold of each target voxel (columnBlockFolds); empty when off
  std::vector<TransferModelResult> models;
  /// TransferOptions::compareWithout: the same models without those channels (their
  /// input channels in withoutChannels), in the same order; empty otherwise.
  std::vector<TransferModelResult> without;
  std::vector<std::string> withoutChannels;
};

/// Trains each requested model on voxel layer `sourceLayer` of `index` (labelled by
/// `labelChannel`; balanced patches, PatchSamplingOptions stream 1) and unlabelled patches
/// of `targetLayer` (stream 2), each domain standardised with its own statistics; then
/// predicts the whole target (predictVolume) and scores it against the target's label
/// channel when present. Target labels are used for evaluation only, except by the
/// "cnn3d-target" baseline when options.targetLabels > 0 (its own few patches, nothing
/// else); no model selection happens (fixed epochs). The random forest ("rf", xgboost through
/// classical.hpp) sees the centre voxel's channels of the same source centres.
TransferResult runTransfer(const SpatialIndex& index, const std::string& sourceLayer,
                           const std::string& targetLayer, const TransferOptions& options);

}  // namespace orevox
