#pragma once
/// \file graph_models.hpp
/// The torch-free face of the graph path's LibTorch models (resgnn-pangxidong-2024):
/// ResGCN and ResGAT (residual graph networks, eqs. 2-5) and the graph baselines GCN, GAT,
/// GIN, GraphSAGE and dense DiffPool, trained on dense batches of element graphs; the VAE
/// and GAN oversamplers of the minority class and the autoencoder anomaly-score baseline.
/// Torch types stay inside learning/torch/src.

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "orevox/learning/element_graph.hpp"
#include "orevox/learning/oversample.hpp"

namespace orevox {

/// Graph classification models.
enum class GraphModelKind {
  ResGcn,  ///< GCN layers with residual connections for l > 0, sum readout of every layer (ResGNN)
  ResGat,  ///< GAT layers with residual connections for l > 0, sum readout of every layer (ResGNN)
  Gcn,     ///< Kipf & Welling 2017, sum readout of the last layer
  Gat,     ///< Velickovic et al. 2018 (one head), sum readout of the last layer
  Gin,     ///< Xu et al. 2019, GIN-eps with a 2-layer MLP, sum readout of every layer
  Sage,    ///< Hamilton et al. 2017, mean aggregator, sum readout of the last layer
  DiffPool,  ///< Ying et al. 2018, dense, one pooling step to `diffpoolClusters` clusters
};
/// "resgcn", "resgat", "gcn", "gat", "gin", "sage", "diffpool".
const char* graphModelName(GraphModelKind kind);
/// True (and `kind` set) when `text` names a graph model.
bool parseGraphModel(const std::string& text, GraphModelKind& kind);
/// Every graph model, in the order of ResGNN Table 2 (baselines first).
std::vector<GraphModelKind> allGraphModels();

/// Training options. Defaults are the paper's (sec. 4.1): Adam, learning rate 0.001,
/// dropout 0.5, cross-entropy.
struct GraphTrainOptions {
  int layers = 3;
  int hidden = 64;
  double dropout = 0.5;
  double learningRate = 1e-3;
  int epochs = 30;
  int batchSize = 64;
  std::uint64_t seed = 1;  ///< parameter init, dropout (torch generator) and batch order (makeRng)
  std::pair<double, double> classWeights{1.0, 1.0};  ///< cross-entropy weights of classes 0 / 1
  int diffpoolClusters = 4;
};

/// What a saved graph model needs besides its weights to score new samples: its element
/// columns (the nodes, in order), how their graphs are built and the censored-value factor.
struct GraphInputs {
  std::vector<std::string> elements;
  GraphMode mode = GraphMode::Global;
  double alpha = 0.6;       ///< |r| > alpha makes an edge
  std::size_t localK = 24;  ///< local mode: nearest samples of each sample's correlation
  double dlFactor = kDetectionLimitFactor;  ///< censored values -> factor x DL before clr
  std::vector<float> adjacency;  ///< global mode: the training samples' N x N topology (0/1)
};

/// What training did.
struct GraphTrainLog {
  std::vector<double>
      epochLoss;  ///< mean cross-entropy (plus DiffPool's auxiliary losses) per epoch
  double seconds = 0.0;
};

/// One graph classifier. Training and prediction run on dense batches: adjacency [B, N, N]
/// (or one shared [N, N]) and node features [B, N, F]; no per-graph loop.
class GraphClassifier {
 public:
  /// Builds the network for graphs of `nodes` nodes with `featureDim` features; parameters
  /// are initialised from the torch generator seeded with options.seed.
  GraphClassifier(GraphModelKind kind, std::size_t nodes, std::size_t featureDim,
                  const GraphTrainOptions& options);
  ~GraphClassifier();
  GraphClassifier(GraphClassifier&&) noexcept;
  GraphClassifier& operator=(GraphClassifier&&) noexcept;

  /// Trains for options.epochs epochs over `train` (labels 0 / 1 required), batches drawn in
  /// the order of makeRng(seed, 1000 + epoch). UsageError on shape or label problems.
  GraphTrainLog fit(const ElementGraphs& train);
  /// P(ore-bearing) = softmax(W Z_g + b)[1] (ResGNN eq. 4) for every graph, evaluation mode,
  /// `batchSize` graphs at a time (256 keeps a layer's [B, N, 64] activations in L2 cache;
  /// faster than 1024 or 4096 in bench_resgcn). Batches are spread over LibTorch's intra-op
  /// thread count of workers, during which LibTorch runs with one thread (restored after):
  /// do not run other LibTorch work in the process at the same time. The numbers do not
  /// depend on the thread count.
  std::vector<double> predict(const ElementGraphs& graphs, std::size_t batchSize = 256) const;
  std::size_t parameterCount() const;
  GraphModelKind kind() const;

  /// Writes the weights to `path` (DIR/resgcn.pt) and the sidecar PATH.json beside it (the
  /// model, its sizes and layer options, `inputs`), both atomically (model_files.hpp).
  void save(const std::string& path, const GraphInputs& inputs) const;
  /// Reads a model written by save(); `inputs` receives its GraphInputs. IoError when a file
  /// cannot be opened, DataError (naming the sidecar) when it is incomplete or inconsistent.
  static GraphClassifier load(const std::string& path, GraphInputs& inputs);

  /// Diagnostics (tests): the node features H^(l) after each graph layer l = 1..L, each as
  /// G x N x hidden floats (evaluation mode). Not for DiffPool (UsageError).
  std::vector<std::vector<float>> layerOutputs(const ElementGraphs& graphs) const;
  /// Diagnostics (tests): sets every weight and bias of graph layer `layer` (0-based) to 0,
  /// so that F(H, W) = 0 and a residual layer must pass H through unchanged.
  void zeroLayer(int layer);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// GCN propagation matrix D^-1/2 (A + I) D^-1/2 (Kipf & Welling 2017 eq. 2, the operator of
/// ResGNN's F(H, W)) of one N x N adjacency, computed by the same torch code the models use.
std::vector<float> gcnNormalizedAdjacency(const std::vector<float>& adjacency, std::size_t nodes);

/// GAT attention coefficients (Velickovic et al. 2018 eqs. 1-3) of one graph, computed by the
/// same torch code as the GAT layers: for transformed node features z (N x h, row-major) and
/// attention vector a = [aLeft; aRight],
///   e_ij = LeakyReLU_0.2(aLeft . z_i + aRight . z_j), alpha_ij = softmax_j over j in N(i) + {i}.
/// Returns alpha as N x N (row i sums to 1, 0 off the neighbourhood).
std::vector<float> gatAttention(const std::vector<float>& adjacency, std::size_t nodes,
                                const std::vector<float>& z, std::size_t hidden,
                                const std::vector<float>& aLeft, const std::vector<float>& aRight);

/// Options of the small generative networks.
struct GeneratorOptions {
  int epochs = 300;
  int hidden = 64;
  int latent = 8;
  int batchSize = 64;
  double learningRate = 1e-3;  ///< VAE and autoencoder; the GAN uses 2e-4, betas (0.5, 0.999)
};

/// VAE oversampler (Kingma & Welling 2014): trained on the standardised minority rows
/// (MSE reconstruction + KL), new rows decoded from z ~ N(0, I). Seeded by `seed`.
Eigen::MatrixXd generateMinorityVae(const Eigen::MatrixXd& minority, std::size_t count,
                                    std::uint64_t seed, const GeneratorOptions& options = {});
/// GAN oversampler (Goodfellow et al. 2014, ResGNN sec. 2.2): generator and discriminator
/// MLPs trained adversarially (non-saturating loss) on the standardised minority rows.
Eigen::MatrixXd generateMinorityGan(const Eigen::MatrixXd& minority, std::size_t count,
                                    std::uint64_t seed, const GeneratorOptions& options = {});
/// The generator of `method` (Vae or Gan) for oversample(); an empty function otherwise.
MinorityGenerator minorityGenerator(Oversampler method, const GeneratorOptions& options = {});

/// Autoencoder anomaly-score baseline: an MLP autoencoder trained on the training rows of
/// class 0 (standardised with their statistics); the score of a row is its reconstruction
/// error e, mapped to logistic((e - t) / s) with t the error threshold that maximises
/// Youden's J (sensitivity + specificity - 1) on the training rows and s the sd of training
/// errors, so >= 0.5 means "predicted ore-bearing". Seeded by `seed`.
std::vector<double> autoencoderScores(const Eigen::MatrixXd& trainX, const std::vector<int>& trainY,
                                      const Eigen::MatrixXd& testX, std::uint64_t seed,
                                      const GeneratorOptions& options = {});

}  // namespace orevox
