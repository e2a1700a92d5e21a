#pragma once
/// \file raster_models.hpp
/// The torch-free face of the raster path (SSGSNet, ssgsnet-east-kunlun-2026): the
/// dual-branch network and its baselines on k x k windows of a 2D channel stack, supervised
/// training, SimCLR contrastive pretraining (ssl-contrastive-malanyu-2024), full-map
/// prediction with a stride plus bilinear interpolation, and expected-gradients SHAP.
/// Torch types stay in learning/torch/src.
///
/// Input of every network: the C standardised channels of a WindowBatch plus its mask as
/// one more 0/1 channel (C + 1 input channels), so a window at a map edge or at nodata
/// tells the network which zeros are padding. k >= 16 and k divisible by the ViT patch.
///
/// Networks (RasterModelKind):
///  - SSGSNet (paper sec. 1.1, Table 1, eqs. 1-11):
///    stem conv 3x3 (C+1)->64, stride 1, padding 1, BN, ReLU (CIFAR-style: no 7x7 stride-2
///    stem and no max-pool, the windows are only 32 cells wide);
///    spectral-spatial branch: 4 layers x 2 improved residual blocks (64, 128, 256, 512
///    channels; the first block of layers 2-4 has stride 2). Block: conv3x3-BN-ReLU,
///    conv3x3-BN, channel attention (squeeze-excitation, eqs. 1-3: GAP -> FC C->C/r -> ReLU
///    -> FC C/r->C -> sigmoid -> scale), spatial attention (eqs. 4-5: channel mean and max ->
///    7x7 conv 2->1, padding 3 -> sigmoid -> scale), shortcut (identity, or 1x1 conv stride
///    2 + BN when the shape changes), add, ReLU. Global average pool -> FC 512->256 = f_ss.
///    ViT branch (Dosovitskiy et al. 2020): patch embedding by a p x p conv with stride p
///    (non-overlapping), learnable position embedding, CLS token, `vitDepth` pre-norm
///    transformer blocks (LN -> multi-head self-attention eq. 6 -> residual, LN -> MLP with
///    GELU -> residual), final LN, CLS -> FC dim->256 = f_sc.
///    Fusion (eqs. 7-10): a = sigmoid(W2 ReLU(W1 f)), 256->32->256, one gate per branch,
///    f~ = f * a; concatenation to 512 (eq. 11); classifier FC 512->1 (ONE logit: the
///    deposit probability is its sigmoid; trained with binary cross-entropy).
///  - ResNet-18 ("resnet"): the same stem and branch with plain residual blocks (no CA/SA),
///    GAP -> FC 512->1. A CIFAR-style ResNet-18.
///  - ViT ("vit"): the ViT branch alone, CLS -> LN -> FC dim->1.
///  - DualBranchNet ("dualbranch", paper sec. 3.2.1): spatial branch of two 3x3 conv layers
///    (C+1->32->64, ReLU, each followed by 2x2 max-pool) -> GAP; spectral branch: the
///    channels globally average-pooled (C+1 values) -> MLP (C+1)->64->64; concatenation
///    (128) -> FC 128->64 -> ReLU -> FC 64->1.
///
/// Every network with the spectral-spatial branch (SSGSNet, ResNet-18) can be used as a
/// SimCLR encoder (its 512-wide pooled output) and carries a linear probe head (FC 512->1)
/// used when the model is in probe mode (RasterTrainOptions::linearProbe).

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "orevox/core/options.hpp"
#include "orevox/learning/window_batch.hpp"

namespace orevox {

class SpatialIndex;

/// Which network.
enum class RasterModelKind {
  Ssgsnet,     ///< "ssgsnet"
  Resnet,      ///< "resnet" (CIFAR-style ResNet-18)
  Vit,         ///< "vit"
  DualBranch,  ///< "dualbranch"
};
const char* rasterModelName(RasterModelKind kind);
/// Parses "ssgsnet", "resnet", "vit" or "dualbranch"; UsageError naming `option` otherwise.
RasterModelKind parseRasterModel(const std::string& text, const std::string& option = "--model");
/// True for the kinds with a spectral-spatial (ResNet) branch: SSGSNet and ResNet-18.
bool rasterModelHasEncoder(RasterModelKind kind);

/// Architecture options (saved with the model).
struct RasterNetOptions {
  int reduction = 16;  ///< squeeze-excitation reduction r (eq. 2)
  int patch = 4;       ///< ViT patch edge p in cells (k must be divisible by p)
  int vitDim = 128;    ///< ViT embedding width
  int vitDepth = 4;    ///< transformer blocks
  int vitHeads = 4;    ///< attention heads (vitDim divisible by vitHeads)
  int vitMlp = 256;    ///< hidden width of the transformer MLP
};

/// Per-channel standardisation z = (v - mean) / sd, stored with the model so that
/// predictMap can standardise raw index layers the way the training windows were. The
/// caller (the experiment) fits it on the training area and sets it; empty = identity.
struct RasterStandardisation {
  std::vector<std::string> channels;
  std::vector<double> mean, sd;
  bool empty() const { return channels.empty(); }
  /// Standardises the unmasked cells of every window in place (masked cells stay 0).
  /// UsageError when the batch's channel names differ from `channels`.
  void apply(WindowBatch& batch) const;
};

/// Supervised training options. The paper trains with batch 32 and Adam (with a 1e-5..1e-6
/// learning-rate schedule on 5,632 windows and many epochs); we keep batch 32 and Adam but
/// default to lr 1e-3, which converges in the few epochs a CLI run affords.
struct RasterTrainOptions {
  int epochs = 10;
  std::size_t batch = 32;
  double learningRate = 1e-3;
  double weightDecay = 1e-4;
  /// On-the-fly augmentation of training windows: each window in each epoch gets a random
  /// symmetry of the square (one of the 8 rotations/reflections) and Gaussian noise of sd
  /// `noise` (standardised units) on its unmasked cells.
  bool augment = true;
  double noise = 0.05;
  /// Class balance by weighting: positives get weight n_neg / n_pos in the loss.
  bool balanced = true;
  /// Linear probe: the spectral-spatial encoder is frozen (eval mode, no gradients) and only
  /// the logistic probe head FC 512->1 is trained; the model then predicts with the probe.
  /// Only for kinds with an encoder (UsageError otherwise).
  bool linearProbe = false;
  std::uint64_t seed = 1;

  /// Declares --epochs and --lr.
  void declare(OptionSet& set) {
    set.add("epochs", epochs, "Training epochs").range(1, 100000);
    set.add("lr", learningRate, "Adam learning rate").positive();
  }
};

/// What training did.
struct RasterTrainStats {
  std::size_t windows = 0, positives = 0, steps = 0;
  std::vector<double> loss;      ///< mean training loss per epoch
  std::vector<double> accuracy;  ///< training accuracy (threshold 0.5) per epoch
  double seconds = 0.0;
};

/// SimCLR (Chen et al. 2020) pretraining options.
struct SimclrOptions {
  int epochs = 20;
  std::size_t batch = 64;  ///< windows per step (2 views each: 2 x batch in the loss)
  double learningRate = 1e-3;
  double weightDecay = 1e-6;
  double temperature = 0.5;  ///< NT-Xent tau
  int projection = 128;      ///< projection head 512 -> 512 -> ReLU -> projection
  // Augmentations, each view drawn independently:
  double cropMin = 0.6;         ///< random square crop of side U(cropMin, 1) k, resized back
                                ///< to k x k by bilinear interpolation (crop-and-resize)
  double noise = 0.1;           ///< Gaussian noise sd on unmasked cells
  double channelDropout = 0.2;  ///< probability of zeroing each data channel
  // plus a random symmetry of the square (rotations and flips), always.
  std::uint64_t seed = 1;
};

struct SimclrStats {
  std::size_t windows = 0, steps = 0;
  std::vector<double> loss;  ///< mean NT-Xent per epoch
  double seconds = 0.0;
};

/// Probabilities of the attention stages of SSGSNet for given windows (empty for the other
/// kinds), for inspection and tests. Block b of the 8 residual blocks has channelWidth[b]
/// channels and a spatialSize[b] x spatialSize[b] map.
struct RasterAttentionGates {
  std::vector<std::size_t> channelWidth, spatialSize;
  std::vector<std::vector<float>> channel;  ///< per block: N x channelWidth[b]
  std::vector<std::vector<float>> spatial;  ///< per block: N x spatialSize[b]^2
  std::vector<float> fusionSs, fusionSc;    ///< eqs. 7-8: N x 256 each
};

/// A raster network with its input definition (channel names, k, options, the
/// standardisation of its training data). Copies share the network.
class RasterModel {
 public:
  RasterModel();
  ~RasterModel();
  RasterModel(const RasterModel&);
  RasterModel& operator=(const RasterModel&);

  /// A freshly initialised network (weights from torch's generator seeded with `seed`).
  /// UsageError for k < 16, k not divisible by options.patch, no channels, bad options.
  static RasterModel create(RasterModelKind kind, const std::vector<std::string>& channels, int k,
                            const RasterNetOptions& options = {}, std::uint64_t seed = 1);

  /// Trains on STANDARDISED windows with labels 0/1 (the caller applies the
  /// standardisation; see RasterStandardisation::apply). Adam, shuffled mini-batches,
  /// augmentation and class weights per options. Deterministic for a seed and thread count.
  void train(const WindowBatch& train, const RasterTrainOptions& options,
             RasterTrainStats* stats = nullptr);

  /// Deposit probability of each STANDARDISED window (eval mode, inference mode, batches).
  std::vector<float> predictWindows(const WindowBatch& batch) const;
  /// Encoder output (N x 512, row-major) of standardised windows; kinds with an encoder.
  std::vector<float> encode(const WindowBatch& batch) const;
  RasterAttentionGates attentionGates(const WindowBatch& batch) const;

  RasterModelKind kind() const;
  int windowSize() const;
  const std::vector<std::string>& channels() const;
  const RasterNetOptions& options() const;
  /// True after linear-probe training (predictions come from the probe head).
  bool probeMode() const;
  RasterStandardisation& standardisation();
  const RasterStandardisation& standardisation() const;
  /// Multiply-adds x 2 of the conv and linear layers (and attention matmuls) for one window.
  double flopsPerWindow() const;

  /// A deep copy (own network with the same weights, buffers, probe mode and
  /// standardisation), e.g. to fine-tune and probe one pretrained encoder separately.
  RasterModel clone() const;

  /// Writes the network (torch archive) to `path` (e.g. DIR/model.pt) and a JSON sidecar
  /// (kind, channels, k, options, probe mode, standardisation) next to it with extension
  /// .json (DIR/model.json); both atomic.
  void save(const std::string& path) const;
  /// Reads what save wrote; IoError / DataError naming the file.
  static RasterModel load(const std::string& path);

  struct Impl;
  Impl& impl() const;

 private:
  std::shared_ptr<Impl> impl_;
};

/// SimCLR pretraining of the spectral-spatial encoder of a fresh `kind` network (SSGSNet
/// or ResNet-18) on unlabelled STANDARDISED windows: two augmented views per window,
/// encoder -> projection head -> NT-Xent. Returns the model with its encoder pretrained
/// (the rest freshly initialised): then train() with linearProbe = true (frozen encoder +
/// logistic layer) or false (fine-tuning of the whole classifier).
RasterModel pretrainSimclr(RasterModelKind kind, const WindowBatch& unlabelled, int k,
                           const RasterNetOptions& net, const SimclrOptions& options,
                           SimclrStats* stats = nullptr);

/// NT-Xent (normalised temperature-scaled cross-entropy, SimCLR) of two sets of n
/// embeddings (n x dim, row-major; z1[i] and z2[i] are the positive pair), averaged over
/// the 2n anchors, computed with LibTorch. Exposed for tests.
double ntXentLoss(const std::vector<float>& z1, const std::vector<float>& z2, std::size_t n,
                  std::size_t dim, double temperature);

/// Shape probe of one improved residual block (with attention) or plain block on a random
/// input of 2 x in x size x size, for tests without torch headers.
struct ResidualBlockProbe {
  std::array<std::int64_t, 4> outputShape{};
  std::vector<float> channelGate;  ///< 2 x out (empty without attention)
  std::vector<float> spatialGate;  ///< 2 x outSize^2 (empty without attention)
};
ResidualBlockProbe probeResidualBlock(int in, int out, int stride, int size, bool attention,
                                      int reduction, std::uint64_t seed);

// ---- full maps -----------------------------------------------------------------------------

/// Options of full-map prediction.
struct RasterPredictOptions {
  /// Score the cells of an s-lattice (columns 0, s, 2s, ... and the last column; rows alike)
  /// and interpolate bilinearly in between. 1 = every cell scored (exact).
  std::size_t stride = 1;
  std::size_t batch = 64;  ///< windows per forward pass
  bool progress = true;    ///< a Progress bar over the bands
  /// Empty: every valid cell. Else only cells with cells[i] != 0 are filled (NaN elsewhere)
  /// and only the lattice cells they need are scored: the out-of-fold map, where each fold
  /// model fills the cells of its own blocks. Same values as the whole map on those cells.
  std::vector<std::uint8_t> cells;
};
/// The stride suggested for a map of `cells` cells (1 below 250,000 cells, then 4, then 8
/// from 1,000,000 cells): what the CLI uses when the user gives none. With k = 32 windows,
/// lattice cells 8 apart share 3/4 of their window, so the interpolation stays close.
std::size_t defaultMapStride(std::size_t cells);

/// Prospectivity of the whole grid.
struct RasterPrediction {
  std::size_t cols = 0, rows = 0;
  std::vector<float>
      probability;  ///< row-major (GridSpec order, row 0 = north); NaN where not valid
  std::vector<std::uint8_t> valid;  ///< cells with data in every input layer
  std::size_t windows = 0;          ///< windows scored by the network
  std::size_t interpolated = 0;     ///< valid cells filled by interpolation
  std::size_t bands = 0;
  double seconds = 0.0, networkSeconds = 0.0;
};

/// Streams the grid of `index` in bands of rows between consecutive lattice rows (bounded
/// memory: the scores of two lattice rows, one batch of windows, and the output grid): draws the
/// window of each lattice cell from `layers` (default: the model's channel names; layers[i] feeds
/// model channel i), standardises it with the model's standardisation, and scores it. Only cells
/// valid in every layer are scored or filled; the others stay NaN with valid = 0. Stride 1: every
/// valid cell's window is scored (equals predictWindows on the cell's window). Stride s > 1:
/// lattice cells are exact; every other valid cell gets the bilinear interpolation of the valid
/// corners of its lattice cell (weights renormalised over the valid corners), or its own window's
/// score when none of the four corners is valid.
RasterPrediction predictMap(const RasterModel& model, const SpatialIndex& index,
                            const std::vector<std::string>& layers = {},
                            const RasterPredictOptions& options = {});

// ---- attribution ---------------------------------------------------------------------------

/// Options of expected gradients (Erion et al. 2021; SHAP values of a differentiable model).
struct RasterShapOptions {
  std::size_t samples = 200;  ///< (baseline, alpha) draws per window
  std::size_t batch = 64;
  std::uint64_t seed = 1;
};

/// Attribution of the deposit probability to the input channels.
struct RasterShap {
  std::vector<std::string> channels;
  std::size_t windows = 0;
  std::vector<double>
      attribution;  ///< windows x channels: per-window per-channel SHAP (sum over cells)
  std::vector<double> prediction;  ///< f(x) per window
  std::vector<double> baseline;  ///< per window: mean f over the background windows given x's mask
  std::vector<double> meanAbs;   ///< per channel: mean |SHAP| over windows
  std::vector<std::size_t> ranking;  ///< channel indices by decreasing meanAbs
};

/// Expected gradients on standardised windows against `background` (standardised windows,
/// e.g. random windows of the map): phi_c = E_{x'~background, a~U(0,1)} sum over cells of
/// (x - x') * df/dx at x' + a (x - x'), f = probability, the mask channel held at x's mask.
/// Completeness: sum_c phi_c ~ f(x) - E f(x') up to sampling error. The draws are
/// stratified: the background windows are used in turn, each with stratified alphas, so
/// with a single background window this is integrated gradients with a `samples`-point
/// (jittered) Riemann sum.
RasterShap explainWindows(const RasterModel& model, const WindowBatch& windows,
                          const WindowBatch& background, const RasterShapOptions& options = {});

}  // namespace orevox
