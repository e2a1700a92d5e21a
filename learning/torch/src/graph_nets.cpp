// Graph layers, networks and the GraphClassifier of the ResGNN path (resgnn-pangxidong-2024).
#include "graph_nets.hpp"

#include "dense_gemm.hpp"
#include "flat_adam.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <ATen/core/Generator.h>
#include <ATen/core/grad_mode.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>
#include <numeric>
#include <thread>

#include <nlohmann/json.hpp>

#include "model_files.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox {

namespace detail {

void seedTorch(std::uint64_t seed) {
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_current_seed(seed);
}

at::Tensor gcnNormalize(const at::Tensor& adjacency) {
  const auto n = adjacency.size(-1);
  // A~ = A + I; D~_ii = sum_j A~_ij; A^ = D~^-1/2 A~ D~^-1/2 (every degree >= 1 thanks to I).
  const at::Tensor tilde = adjacency + at::eye(n, adjacency.options());
  const at::Tensor dinv = tilde.sum(-1).pow(-0.5);
  return dinv.unsqueeze(-1) * tilde * dinv.unsqueeze(-2);
}

at::Tensor gatMask(const at::Tensor& adjacency) {
  const auto n = adjacency.size(-1);
  // Attention runs over the neighbourhood N(i) + {i} (Velickovic et al. eq. 3): 0 there, -inf
  // elsewhere.
  const at::Tensor keep = (adjacency + at::eye(n, adjacency.options())) > 0;
  return at::zeros(keep.sizes(), adjacency.options())
      .masked_fill_(keep.logical_not(), -std::numeric_limits<float>::infinity());
}

at::Tensor gatCoefficientsMasked(const at::Tensor& mask, const at::Tensor& z,
                                 const at::Tensor& aLeft, const at::Tensor& aRight) {
  // e_ij = LeakyReLU(aL . z_i + aR . z_j) (Velickovic et al. eq. 1 with a = [aL; aR])
  const at::Tensor s = at::matmul(z, aLeft);   // [.., N]
  const at::Tensor t = at::matmul(z, aRight);  // [.., N]
  const at::Tensor e = at::leaky_relu(s.unsqueeze(-1) + t.unsqueeze(-2), 0.2);
  // Masked softmax over j (eqs. 2-3).
  return at::softmax(e + mask, -1);
}

at::Tensor gatCoefficients(const at::Tensor& adjacency, const at::Tensor& z,
                           const at::Tensor& aLeft, const at::Tensor& aRight) {
  return gatCoefficientsMasked(gatMask(adjacency), z, aLeft, aRight);
}

namespace {

torch::nn::Linear linear(std::int64_t in, std::int64_t out, bool bias = true) {
  return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(bias));
}

at::Tensor uniformParameter(std::int64_t n, double bound) {
  return at::empty({n}, at::kFloat).uniform_(-bound, bound);
}

/// Inverted dropout (Srivastava et al. 2014): each element is kept with probability 1 - p and
/// scaled by 1 / (1 - p). The mask comes from a SplitMix64 stream seeded by one draw of torch's
/// generator (so it follows seedTorch), four 16-bit uniforms per 64-bit word: one pass instead
/// of at::dropout's per-element Mersenne-Twister draws, the bulk of a training step's RNG time.
at::Tensor dropoutMask(const at::Tensor& h, double p, bool train) {
  if (!train || p <= 0) return h;
  std::uint64_t state;
  {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    state = at::check_generator<at::CPUGeneratorImpl>(gen)->random64();
  }
  at::Tensor mask = at::empty(h.sizes(), h.options());
  float* m = mask.data_ptr<float>();
  const auto n = std::size_t(mask.numel());
  const auto drop = std::uint32_t(std::lround(p * 65536.0));  // u < drop: dropped
  const float keep = float(1.0 / (1.0 - p));
  for (std::size_t i = 0; i < n; i += 4) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);  // SplitMix64 (Steele et al. 2014)
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    float v[4];
    for (int k = 0; k < 4; ++k) v[k] = std::uint32_t((z >> (16 * k)) & 0xFFFF) < drop ? 0.0f : keep;
    std::memcpy(m + i, v, sizeof(float) * std::min<std::size_t>(4, n - i));
  }
  return h * mask;
}

/// A^ H for a shared operator [N, N] on node-major features [N, B, F] (one [N, N] x [N, B F]
/// product), or per-graph operators [B, N, N] on [B, N, F].
at::Tensor propagate(const at::Tensor& op, const at::Tensor& h, bool nodeMajor) {
  if (nodeMajor || op.dim() == 3) return denseLeftMultiply(op, h);
  return at::matmul(op, h);  // a shared operator on graph-major features
}

/// GCN layer: F(H, W) = A^ H W + b, A^ = D^-1/2 (A + I) D^-1/2 (ResGNN's graph convolution),
/// evaluated as (A^ H) W + b: the same product, with the [N, N] operator applied to the
/// narrower side (F <= hidden) and the bias fused into the weight product (oneDNN's sgemm,
/// see dense_gemm.hpp).
struct GcnLayer : torch::nn::Module {
  torch::nn::Linear lin{nullptr};
  at::Tensor bias;
  GcnLayer(std::int64_t in, std::int64_t out) {
    lin = register_module("lin", linear(in, out, false));
    bias = register_parameter("bias", at::zeros({out}, at::kFloat));
  }
  at::Tensor forward(const at::Tensor& ahat, const at::Tensor& h, bool nodeMajor = false) {
    return denseLinear(propagate(ahat, h, nodeMajor), lin->weight, bias);
  }
  void zero() {
    at::NoGradGuard guard;
    lin->weight.zero_();
    bias.zero_();
  }
};

/// GAT layer, one head: H' = sum_j alpha_ij z_j + b, z = H W (Velickovic et al. eq. 4).
struct GatLayer : torch::nn::Module {
  torch::nn::Linear lin{nullptr};
  at::Tensor aLeft, aRight, bias;
  GatLayer(std::int64_t in, std::int64_t out) {
    lin = register_module("lin", linear(in, out, false));
    const double bound =
        std::sqrt(6.0 / double(out + 1));  // Glorot uniform of the [2h, 1] vector a
    aLeft = register_parameter("a_left", uniformParameter(out, bound));
    aRight = register_parameter("a_right", uniformParameter(out, bound));
    bias = register_parameter("bias", at::zeros({out}, at::kFloat));
  }
  at::Tensor forward(const at::Tensor& mask, const at::Tensor& h) {
    const at::Tensor z = lin->forward(h);
    return at::matmul(gatCoefficientsMasked(mask, z, aLeft, aRight), z) + bias;
  }
  void zero() {
    at::NoGradGuard guard;
    lin->weight.zero_();
    bias.zero_();
  }
};

/// GIN-eps layer: H' = MLP((1 + eps) H + A H) (Xu et al. 2019 eq. 4.1).
struct GinLayer : torch::nn::Module {
  torch::nn::Linear l1{nullptr}, l2{nullptr};
  at::Tensor eps;
  GinLayer(std::int64_t in, std::int64_t out) {
    l1 = register_module("l1", linear(in, out));
    l2 = register_module("l2", linear(out, out));
    eps = register_parameter("eps", at::zeros({1}, at::kFloat));
  }
  at::Tensor forward(const at::Tensor& adjacency, const at::Tensor& h, bool nodeMajor) {
    return l2->forward(at::relu(l1->forward((1 + eps) * h + propagate(adjacency, h, nodeMajor))));
  }
  void zero() {
    at::NoGradGuard guard;
    for (auto& p : parameters()) p.zero_();
  }
};

/// GraphSAGE-mean layer: H' = W_self H + W_neigh mean_{j in N(i)} H_j (Hamilton et al. 2017).
struct SageLayer : torch::nn::Module {
  torch::nn::Linear self{nullptr}, neigh{nullptr};
  SageLayer(std::int64_t in, std::int64_t out) {
    self = register_module("self", linear(in, out));
    neigh = register_module("neigh", linear(in, out, false));
  }
  at::Tensor forward(const at::Tensor& meanAdjacency, const at::Tensor& h, bool nodeMajor) {
    return self->forward(h) + neigh->forward(propagate(meanAdjacency, h, nodeMajor));
  }
  void zero() {
    at::NoGradGuard guard;
    for (auto& p : parameters()) p.zero_();
  }
};

/// A stack of graph layers with optional residual connections and sum readout.
struct StackNet : GraphNet {
  GraphModelKind kind;
  bool residual = false, everyLayerReadout = false;
  double dropout = 0.5;
  std::vector<std::shared_ptr<GcnLayer>> gcn;
  std::vector<std::shared_ptr<GatLayer>> gat;
  std::vector<std::shared_ptr<GinLayer>> gin;
  std::vector<std::shared_ptr<SageLayer>> sage;
  torch::nn::Linear head{nullptr};
  int layerCount = 0;

  StackNet(GraphModelKind k, std::int64_t featureDim, const GraphTrainOptions& o)
      : kind(k), dropout(o.dropout) {
    residual = k == GraphModelKind::ResGcn || k == GraphModelKind::ResGat;
    everyLayerReadout = residual || k == GraphModelKind::Gin;
    layerCount = o.layers;
    for (int l = 0; l < o.layers; ++l) {
      const std::int64_t in = l == 0 ? featureDim : o.hidden;
      const std::string name = "layer" + std::to_string(l);
      switch (k) {
        case GraphModelKind::ResGcn:
        case GraphModelKind::Gcn:
          gcn.push_back(register_module(name, std::make_shared<GcnLayer>(in, o.hidden)));
          break;
        case GraphModelKind::ResGat:
        case GraphModelKind::Gat:
          gat.push_back(register_module(name, std::make_shared<GatLayer>(in, o.hidden)));
          break;
        case GraphModelKind::Gin:
          gin.push_back(register_module(name, std::make_shared<GinLayer>(in, o.hidden)));
          break;
        case GraphModelKind::Sage:
          sage.push_back(register_module(name, std::make_shared<SageLayer>(in, o.hidden)));
          break;
        case GraphModelKind::DiffPool:
          throw UsageError("StackNet: DiffPool has its own network");
      }
    }
    const std::int64_t readout = everyLayerReadout ? std::int64_t(o.layers) * o.hidden : o.hidden;
    head = register_module("head", linear(readout, 2));
  }

  bool attention() const { return kind == GraphModelKind::ResGat || kind == GraphModelKind::Gat; }

  at::Tensor propagation(const at::Tensor& adjacency) const override {
    switch (kind) {
      case GraphModelKind::ResGcn:
      case GraphModelKind::Gcn:
        return gcnNormalize(adjacency);
      case GraphModelKind::ResGat:
      case GraphModelKind::Gat:
        return gatMask(adjacency);
      case GraphModelKind::Sage:
        return adjacency / adjacency.sum(-1, true).clamp_min(1.0);
      default:
        return adjacency;
    }
  }

  at::Tensor layer(int l, const at::Tensor& op, const at::Tensor& h, bool nodeMajor) {
    switch (kind) {
      case GraphModelKind::ResGcn:
      case GraphModelKind::Gcn:
        return gcn[std::size_t(l)]->forward(op, h, nodeMajor).relu_();
      case GraphModelKind::ResGat:
      case GraphModelKind::Gat:
        return at::elu(gat[std::size_t(l)]->forward(op, h));
      case GraphModelKind::Gin:
        return at::relu(gin[std::size_t(l)]->forward(op, h, nodeMajor));
      case GraphModelKind::Sage:
        return at::relu(sage[std::size_t(l)]->forward(op, h, nodeMajor));
      default:
        return h;
    }
  }

  at::Tensor forward(const at::Tensor& op, const at::Tensor& x,
                     std::vector<at::Tensor>* layers) override {
    // A shared operator (global graphs) works on node-major features [N, B, F], so that each
    // propagation is one [N, N] x [N, B F] product; attention is per graph in any case.
    const bool nodeMajor = op.dim() == 2 && !attention();
    const std::int64_t nodeDim = nodeMajor ? 0 : -2;
    at::Tensor h = nodeMajor ? x.transpose(0, 1).contiguous() : x;
    std::vector<at::Tensor> readouts;
    for (int l = 0; l < layerCount; ++l) {
      const at::Tensor in = l > 0 ? dropoutMask(h, dropout, is_training()) : h;
      at::Tensor out = layer(l, op, in, nodeMajor);
      // ResGNN eq. 2: H(l+1) = F(H(l), W(l)) + H(l) for l > 0 (layer 0 changes the width);
      // in place when nothing is recorded for a backward pass (prediction).
      if (residual && l > 0) out = at::GradMode::is_enabled() ? out + h : out.add_(h);
      h = out;
      if (layers) layers->push_back(nodeMajor ? h.transpose(0, 1) : h);
      // ResGNN eq. 3: Z_g = READOUT[H^1, ..., H^j], the sum over nodes of each layer, concatenated.
      if (everyLayerReadout) readouts.push_back(h.sum(nodeDim));
    }
    const at::Tensor z = everyLayerReadout ? at::cat(readouts, -1) : h.sum(nodeDim);
    // ResGNN eq. 4 up to the softmax (applied in the loss / in predict).
    return head->forward(dropoutMask(z, dropout, is_training()));
  }

  void zeroLayer(int l) override {
    if (l < 0 || l >= layerCount) throw UsageError("zeroLayer: no layer " + std::to_string(l));
    if (!gcn.empty()) gcn[std::size_t(l)]->zero();
    if (!gat.empty()) gat[std::size_t(l)]->zero();
    if (!gin.empty()) gin[std::size_t(l)]->zero();
    if (!sage.empty()) sage[std::size_t(l)]->zero();
  }
};

/// Dense DiffPool (Ying et al. 2018): S = softmax(GNN_pool(A, X)), X' = S^T Z, A' = S^T A S,
/// one GCN layer on the pooled graph, readout = [sum Z, sum H'], auxiliary losses: link
/// prediction ||A - S S^T||_F / N^2 and the mean entropy of the rows of S.
struct DiffPoolNet : GraphNet {
  std::shared_ptr<GcnLayer> embed1, embed2, pool1, pool2, post;
  torch::nn::Linear head{nullptr};
  double dropout;
  at::Tensor aux;
  DiffPoolNet(std::int64_t featureDim, const GraphTrainOptions& o) : dropout(o.dropout) {
    embed1 = register_module("embed1", std::make_shared<GcnLayer>(featureDim, o.hidden));
    embed2 = register_module("embed2", std::make_shared<GcnLayer>(o.hidden, o.hidden));
    pool1 = register_module("pool1", std::make_shared<GcnLayer>(featureDim, o.hidden));
    pool2 = register_module("pool2",
                            std::make_shared<GcnLayer>(o.hidden, std::max(1, o.diffpoolClusters)));
    post = register_module("post", std::make_shared<GcnLayer>(o.hidden, o.hidden));
    head = register_module("head", linear(2 * o.hidden, 2));
  }
  at::Tensor propagation(const at::Tensor& adjacency) const override { return adjacency; }
  at::Tensor forward(const at::Tensor& adjacency, const at::Tensor& x,
                     std::vector<at::Tensor>* layers) override {
    const at::Tensor ahat = gcnNormalize(adjacency);
    const at::Tensor z = at::relu(embed2->forward(ahat, at::relu(embed1->forward(ahat, x))));
    const at::Tensor s =
        at::softmax(pool2->forward(ahat, at::relu(pool1->forward(ahat, x))), -1);  // [B, N, K]
    const at::Tensor st = s.transpose(-1, -2);
    const at::Tensor xp = at::matmul(st, z);                         // [B, K, h]
    const at::Tensor ap = at::matmul(st, at::matmul(adjacency, s));  // [B, K, K]
    const at::Tensor hp = at::relu(post->forward(gcnNormalize(ap), xp));
    if (layers) {
      layers->push_back(z);
      layers->push_back(hp);
    }
    // The auxiliary losses serve training only. Prediction leaves the member alone: its
    // workers run forward concurrently on one network (GraphClassifier::predict).
    if (is_training()) {
      const double n = double(adjacency.size(-1));
      const at::Tensor link =
          (adjacency - at::matmul(s, st)).pow(2).sum({-2, -1}).sqrt().mean() / (n * n);
      const at::Tensor entropy = (-(s * (s + 1e-8).log()).sum(-1)).mean();
      aux = link + entropy;
    }
    const at::Tensor readout = at::cat({z.sum(-2), hp.sum(-2)}, -1);
    return head->forward(dropoutMask(readout, dropout, is_training()));
  }
  at::Tensor auxLoss() const override { return aux; }
  void zeroLayer(int) override { throw UsageError("zeroLayer: not available for DiffPool"); }
};

}  // namespace

std::shared_ptr<GraphNet> makeGraphNet(GraphModelKind kind, std::int64_t nodes,
                                       std::int64_t featureDim, const GraphTrainOptions& options) {
  if (options.layers < 1 || options.hidden < 1)
    throw UsageError("graph model: layers and hidden must be >= 1");
  if (!(options.dropout >= 0 && options.dropout < 1))
    throw UsageError("graph model: dropout must be in [0, 1)");
  if (kind == GraphModelKind::DiffPool) return std::make_shared<DiffPoolNet>(featureDim, options);
  return std::make_shared<StackNet>(kind, featureDim, options);
}

}  // namespace detail

// ---- names --------------------------------------------------------------------------------

const char* graphModelName(GraphModelKind kind) {
  switch (kind) {
    case GraphModelKind::ResGcn:
      return "resgcn";
    case GraphModelKind::ResGat:
      return "resgat";
    case GraphModelKind::Gcn:
      return "gcn";
    case GraphModelKind::Gat:
      return "gat";
    case GraphModelKind::Gin:
      return "gin";
    case GraphModelKind::Sage:
      return "sage";
    case GraphModelKind::DiffPool:
      return "diffpool";
  }
  return "?";
}

std::vector<GraphModelKind> allGraphModels() {
  return {GraphModelKind::Gcn,      GraphModelKind::Gat,  GraphModelKind::Gin,
          GraphModelKind::DiffPool, GraphModelKind::Sage, GraphModelKind::ResGcn,
          GraphModelKind::ResGat};
}

bool parseGraphModel(const std::string& text, GraphModelKind& kind) {
  for (auto k : allGraphModels()) {
    if (text == graphModelName(k)) {
      kind = k;
      return true;
    }
  }
  return false;
}

// ---- GraphClassifier -----------------------------------------------------------------------

namespace {

at::Tensor floatTensor(const std::vector<float>& v, std::vector<std::int64_t> shape) {
  return at::from_blob(const_cast<float*>(v.data()), shape, at::kFloat).clone();
}

/// Tensors over the batch's storage. With `copy` false they borrow it (read-only use while
/// `g` lives: prediction), saving a copy of every feature and adjacency float.
struct GraphTensors {
  at::Tensor x, adjacency, labels;
  bool shared = true;
};

GraphTensors toTensors(const ElementGraphs& g, std::size_t nodes, std::size_t featureDim,
                       bool copy = true) {
  g.validate();
  if (g.nodes != nodes || g.featureDim != featureDim) {
    throw UsageError("graph model: built for " + std::to_string(nodes) + " nodes / " +
                     std::to_string(featureDim) + " features, got " + std::to_string(g.nodes) +
                     " / " + std::to_string(g.featureDim));
  }
  auto wrap = [copy](const std::vector<float>& v, std::vector<std::int64_t> shape) {
    return copy ? floatTensor(v, shape)
                : at::from_blob(const_cast<float*>(v.data()), shape, at::kFloat);
  };
  GraphTensors t;
  const auto G = std::int64_t(g.count), N = std::int64_t(g.nodes), F = std::int64_t(g.featureDim);
  t.x = wrap(g.features, {G, N, F});
  t.shared = g.sharedAdjacency;
  t.adjacency = g.sharedAdjacency ? wrap(g.adjacency, {N, N}) : wrap(g.adjacency, {G, N, N});
  if (!g.labels.empty()) {
    std::vector<std::int64_t> y(g.labels.begin(), g.labels.end());
    t.labels = at::from_blob(y.data(), {G}, at::kLong).clone();
  }
  return t;
}

}  // namespace

struct GraphClassifier::Impl {
  GraphModelKind kind;
  std::size_t nodes, featureDim;
  GraphTrainOptions options;
  std::shared_ptr<detail::GraphNet> net;
};

GraphClassifier::GraphClassifier(GraphModelKind kind, std::size_t nodes, std::size_t featureDim,
                                 const GraphTrainOptions& options)
    : impl_(std::make_unique<Impl>()) {
  impl_->kind = kind;
  impl_->nodes = nodes;
  impl_->featureDim = featureDim;
  impl_->options = options;
  detail::seedTorch(options.seed);
  impl_->net = detail::makeGraphNet(kind, std::int64_t(nodes), std::int64_t(featureDim), options);
}

GraphClassifier::~GraphClassifier() = default;
GraphClassifier::GraphClassifier(GraphClassifier&&) noexcept = default;
GraphClassifier& GraphClassifier::operator=(GraphClassifier&&) noexcept = default;

GraphModelKind GraphClassifier::kind() const { return impl_->kind; }

namespace {
constexpr const char* kGraphFormat = "orevox-graph-model/1";
}  // namespace

void GraphClassifier::save(const std::string& path, const GraphInputs& inputs) const {
  const GraphTrainOptions& o = impl_->options;
  nlohmann::json j;
  j["format"] = kGraphFormat;
  j["model"] = graphModelName(impl_->kind);
  j["nodes"] = impl_->nodes;
  j["feature_dim"] = impl_->featureDim;
  j["layers"] = o.layers;
  j["hidden"] = o.hidden;
  j["dropout"] = o.dropout;
  j["diffpool_clusters"] = o.diffpoolClusters;
  j["input"] = "one graph per sample: nodes = elements (clr value, one-hot identity), edges |r| > alpha";
  j["output"] = "P(ore-bearing) = softmax(W Z_g + b)[1]";
  j["elements"] = inputs.elements;
  j["graph_mode"] = graphModeName(inputs.mode);
  j["alpha"] = inputs.alpha;
  j["local_k"] = inputs.localK;
  j["dl_factor"] = inputs.dlFactor;
  j["adjacency"] = inputs.adjacency;
  detail::saveModelFiles(*impl_->net, path, j);
}

GraphClassifier GraphClassifier::load(const std::string& path, GraphInputs& inputs) {
  const std::string side = detail::modelSidecarPath(path);
  const nlohmann::json j =
      detail::readModelSidecar(path, kGraphFormat, "graph model", " (written beside the model)");
  const SourceLocation where{side, 0, 0, {}, {}};
  GraphModelKind kind = GraphModelKind::ResGcn;
  GraphTrainOptions o;
  std::size_t nodes = 0, featureDim = 0;
  try {
    const std::string name = j.at("model").get<std::string>();
    if (!parseGraphModel(name, kind))
      throw DataError("'" + name + "' is not a graph model", where);
    nodes = j.at("nodes").get<std::size_t>();
    featureDim = j.at("feature_dim").get<std::size_t>();
    o.layers = j.at("layers").get<int>();
    o.hidden = j.at("hidden").get<int>();
    o.dropout = j.at("dropout").get<double>();
    o.diffpoolClusters = j.at("diffpool_clusters").get<int>();
    inputs.elements = j.at("elements").get<std::vector<std::string>>();
    inputs.mode = parseGraphMode(j.at("graph_mode").get<std::string>(), "graph_mode");
    inputs.alpha = j.at("alpha").get<double>();
    inputs.localK = j.at("local_k").get<std::size_t>();
    inputs.dlFactor = j.at("dl_factor").get<double>();
    inputs.adjacency = j.at("adjacency").get<std::vector<float>>();
  } catch (const nlohmann::json::exception& e) {
    throw DataError(std::string("model sidecar is incomplete: ") + e.what(), where);
  } catch (const UsageError& e) {
    throw DataError(std::string("model sidecar holds bad values: ") + e.what(), where);
  }
  if (inputs.elements.size() != nodes || featureDim != 1 + nodes ||
      (inputs.mode == GraphMode::Global && inputs.adjacency.size() != nodes * nodes))
    throw DataError("model sidecar: " + std::to_string(inputs.elements.size()) + " elements, " +
                        std::to_string(nodes) + " nodes and " +
                        std::to_string(inputs.adjacency.size()) + " adjacency entries disagree",
                    where);
  GraphClassifier classifier(kind, nodes, featureDim, o);
  detail::loadModelWeights(*classifier.impl_->net, path, "graph model");
  return classifier;
}

std::size_t GraphClassifier::parameterCount() const {
  std::size_t n = 0;
  for (const auto& p : impl_->net->parameters()) n += std::size_t(p.numel());
  return n;
}

GraphTrainLog GraphClassifier::fit(const ElementGraphs& train) {
  Stopwatch watch;
  const auto& o = impl_->options;
  if (train.count == 0 || train.labels.size() != train.count)
    throw UsageError("graph model: training graphs need labels");
  for (int l : train.labels)
    if (l != 0 && l != 1)
      throw UsageError("graph model: labels must be 0 or 1, got " + std::to_string(l));
  if (o.epochs < 0 || o.batchSize < 1)
    throw UsageError("graph model: epochs >= 0 and batch size >= 1 required");
  const GraphTensors t = toTensors(train, impl_->nodes, impl_->featureDim);
  auto& net = *impl_->net;
  net.train();
  detail::seedTorch(mixSeed(o.seed, 77));
  // The propagation operator depends on the graphs only: once for the whole training set.
  at::Tensor op;
  {
    at::NoGradGuard guard;
    op = net.propagation(t.adjacency);
  }
  detail::FlatAdam adam(net.parameters(), o.learningRate);  // torch::optim::Adam's update, one buffer
  const at::Tensor weight =
      at::tensor({float(o.classWeights.first), float(o.classWeights.second)}, at::kFloat);
  GraphTrainLog log;
  std::vector<std::int64_t> order(train.count);
  const at::Tensor orderTensor =
      at::from_blob(order.data(), {std::int64_t(order.size())}, at::kLong);
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    std::iota(order.begin(), order.end(), 0);
    Rng rng = makeRng(o.seed, 1000 + std::uint64_t(epoch));
    std::shuffle(order.begin(), order.end(), rng);
    double lossSum = 0;
    for (std::size_t start = 0; start < order.size(); start += std::size_t(o.batchSize)) {
      const std::size_t end = std::min(order.size(), start + std::size_t(o.batchSize));
      const at::Tensor idx = orderTensor.narrow(0, std::int64_t(start), std::int64_t(end - start));
      const at::Tensor xb = t.x.index_select(0, idx);
      const at::Tensor ob = t.shared ? op : op.index_select(0, idx);
      const at::Tensor yb = t.labels.index_select(0, idx);
      const at::Tensor logits = net.forward(ob, xb);
      // ResGNN eq. 5: cross-entropy of softmax(W Z_g + b) (eq. 4), class-weighted when asked.
      at::Tensor loss = at::nll_loss(at::log_softmax(logits, 1), yb, weight);
      if (const at::Tensor aux = net.auxLoss(); aux.defined()) loss = loss + aux;
      adam.zeroGrad();
      loss.backward();
      adam.step();
      lossSum += loss.item<double>() * double(end - start);
    }
    log.epochLoss.push_back(lossSum / double(order.size()));
  }
  net.eval();
  log.seconds = watch.seconds();
  return log;
}

std::vector<double> GraphClassifier::predict(const ElementGraphs& graphs,
                                             std::size_t batchSize) const {
  if (graphs.count == 0) return {};
  const GraphTensors t = toTensors(graphs, impl_->nodes, impl_->featureDim, false);
  auto& net = *impl_->net;
  net.eval();
  std::vector<double> out(graphs.count);
  const auto G = std::int64_t(graphs.count), B = std::int64_t(std::max<std::size_t>(1, batchSize));
  at::Tensor sharedOp;
  if (t.shared) {
    c10::InferenceMode guard;
    sharedOp = net.propagation(t.adjacency);
  }
  // Batches are independent: one worker per intra-op thread takes them one at a time from a
  // shared counter (a worker the host delays just takes fewer). Each batch runs on one thread:
  // these small products gain nothing from a second thread within a batch; two batches at
  // once do. The workers are plain threads with LibTorch (and oneDNN through OpenMP) set to
  // one thread meanwhile: inside an ATen parallel_for region two workers reached only about
  // 1.4 cores' worth, two plain threads reach 2 (docs/graph-path.md).
  const std::int64_t batches = (G + B - 1) / B;
  const int threads = int(std::min<std::int64_t>(batches, at::get_num_threads()));
  std::atomic<std::int64_t> nextBatch{0};
  std::exception_ptr failure;
  std::mutex failureMutex;
  auto work = [&] {
    try {
      c10::InferenceMode guard;  // thread-local: set on every worker
      for (std::int64_t b = nextBatch++; b < batches; b = nextBatch++) {
        const std::int64_t start = b * B, len = std::min(B, G - start);
        const at::Tensor xb = t.x.narrow(0, start, len);
        const at::Tensor ob = t.shared ? sharedOp : net.propagation(t.adjacency.narrow(0, start, len));
        const at::Tensor p = at::softmax(net.forward(ob, xb), 1).select(1, 1).contiguous();
        const float* d = p.data_ptr<float>();
        std::copy(d, d + len, out.begin() + start);
      }
    } catch (...) {
      const std::lock_guard<std::mutex> lock(failureMutex);
      if (!failure) failure = std::current_exception();
      nextBatch = batches;  // the others stop after their current batch
    }
  };
  if (threads <= 1) {
    work();
  } else {
    const struct ThreadCountRestore {
      int n = at::get_num_threads();
      ~ThreadCountRestore() { at::set_num_threads(n); }
    } restore;
    at::set_num_threads(1);
    std::vector<std::thread> helpers;
    try {
      for (int i = 1; i < threads; ++i) helpers.emplace_back(work);
    } catch (...) {  // no thread to be had: stop the ones started, then report
      nextBatch = batches;
      for (auto& h : helpers) h.join();
      throw;
    }
    work();
    for (auto& h : helpers) h.join();
  }
  if (failure) std::rethrow_exception(failure);
  return out;
}

std::vector<std::vector<float>> GraphClassifier::layerOutputs(const ElementGraphs& graphs) const {
  if (impl_->kind == GraphModelKind::DiffPool)
    throw UsageError("layerOutputs: not available for DiffPool");
  const GraphTensors t = toTensors(graphs, impl_->nodes, impl_->featureDim);
  impl_->net->eval();
  at::NoGradGuard guard;
  std::vector<at::Tensor> layers;
  impl_->net->forward(impl_->net->propagation(t.adjacency), t.x, &layers);
  std::vector<std::vector<float>> out;
  for (const auto& h : layers) {
    const at::Tensor c = h.contiguous();
    out.emplace_back(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
  }
  return out;
}

void GraphClassifier::zeroLayer(int layer) { impl_->net->zeroLayer(layer); }

std::vector<float> gcnNormalizedAdjacency(const std::vector<float>& adjacency, std::size_t nodes) {
  if (adjacency.size() != nodes * nodes)
    throw UsageError("gcnNormalizedAdjacency: adjacency is not N x N");
  const auto n = std::int64_t(nodes);
  const at::Tensor a = detail::gcnNormalize(floatTensor(adjacency, {n, n})).contiguous();
  return std::vector<float>(a.data_ptr<float>(), a.data_ptr<float>() + a.numel());
}

std::vector<float> gatAttention(const std::vector<float>& adjacency, std::size_t nodes,
                                const std::vector<float>& z, std::size_t hidden,
                                const std::vector<float>& aLeft, const std::vector<float>& aRight) {
  if (adjacency.size() != nodes * nodes || z.size() != nodes * hidden || aLeft.size() != hidden ||
      aRight.size() != hidden) {
    throw UsageError("gatAttention: inconsistent sizes");
  }
  const auto n = std::int64_t(nodes), h = std::int64_t(hidden);
  const at::Tensor alpha =
      detail::gatCoefficients(floatTensor(adjacency, {n, n}), floatTensor(z, {n, h}),
                              floatTensor(aLeft, {h}), floatTensor(aRight, {h}))
          .contiguous();
  return std::vector<float>(alpha.data_ptr<float>(), alpha.data_ptr<float>() + alpha.numel());
}

}  // namespace orevox
