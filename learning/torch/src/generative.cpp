// VAE and GAN oversamplers of the minority class and the autoencoder anomaly-score baseline
// (resgnn-pangxidong-2024 sec. 2.2, 5.2 and Table 2 "AE").
#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <ATen/core/grad_mode.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/optim/adam.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "graph_nets.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/learning/torch/graph_models.hpp"

namespace orevox {

namespace {

/// Column standardisation of a data set (sd floored so constant columns stay finite).
struct Standardiser {
  Eigen::RowVectorXd mean, sd;
  explicit Standardiser(const Eigen::MatrixXd& x) {
    mean = x.colwise().mean();
    sd = Eigen::RowVectorXd::Ones(x.cols());
    if (x.rows() > 1) sd = ((x.rowwise() - mean).array().square().colwise().sum() / double(x.rows() - 1)).sqrt();
    sd = sd.cwiseMax(1e-6);
  }
  at::Tensor forward(const Eigen::MatrixXd& x) const {
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> z =
        ((x.rowwise() - mean).array().rowwise() / sd.array()).matrix().cast<float>();
    return at::from_blob(const_cast<float*>(z.data()), {z.rows(), z.cols()}, at::kFloat).clone();
  }
  Eigen::MatrixXd inverse(const at::Tensor& t) const {
    const at::Tensor c = t.to(at::kDouble).contiguous();
    Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> z(c.data_ptr<double>(),
                                                                                               c.size(0), c.size(1));
    return (z.array().rowwise() * sd.array()).rowwise() + mean.array();
  }
};

torch::nn::Linear linear(std::int64_t in, std::int64_t out) { return torch::nn::Linear(in, out); }

/// Two-layer MLP in -> hidden -> out with LeakyReLU(0.2) between.
struct Mlp : torch::nn::Module {
  torch::nn::Linear a{nullptr}, b{nullptr};
  Mlp(std::int64_t in, std::int64_t hidden, std::int64_t out) {
    a = register_module("a", linear(in, hidden));
    b = register_module("b", linear(hidden, out));
  }
  at::Tensor forward(const at::Tensor& x) { return b->forward(at::leaky_relu(a->forward(x), 0.2)); }
};

/// Row batches of a random permutation (makeRng(seed, epoch)).
std::vector<at::Tensor> batches(std::int64_t rows, int batchSize, std::uint64_t seed, int epoch) {
  std::vector<std::int64_t> order(static_cast<std::size_t>(rows));
  std::iota(order.begin(), order.end(), 0);
  Rng rng = makeRng(seed, 2000 + std::uint64_t(epoch));
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<at::Tensor> out;
  for (std::int64_t s = 0; s < rows; s += batchSize) {
    const std::int64_t len = std::min<std::int64_t>(batchSize, rows - s);
    out.push_back(at::from_blob(order.data() + s, {len}, at::kLong).clone());
  }
  return out;
}

void checkMinority(const Eigen::MatrixXd& minority, const GeneratorOptions& o, const char* what) {
  if (minority.rows() < 1 || minority.cols() < 1) throw UsageError(std::string(what) + ": no minority rows");
  if (o.epochs < 0 || o.hidden < 1 || o.latent < 1 || o.batchSize < 1) {
    throw UsageError(std::string(what) + ": bad generator options");
  }
}

}  // namespace

Eigen::MatrixXd generateMinorityVae(const Eigen::MatrixXd& minority, std::size_t count, std::uint64_t seed,
                                    const GeneratorOptions& o) {
  checkMinority(minority, o, "VAE");
  if (count == 0) return Eigen::MatrixXd(0, minority.cols());
  detail::seedTorch(mixSeed(seed, 11));
  const Standardiser st(minority);
  const at::Tensor data = st.forward(minority);
  const std::int64_t d = minority.cols();
  auto enc = std::make_shared<Mlp>(d, o.hidden, 2 * o.latent);  // -> (mu, log sigma^2)
  auto dec = std::make_shared<Mlp>(o.latent, o.hidden, d);
  std::vector<at::Tensor> params = enc->parameters();
  for (auto& p : dec->parameters()) params.push_back(p);
  torch::optim::Adam adam(params, torch::optim::AdamOptions(o.learningRate));
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    for (const auto& idx : batches(data.size(0), o.batchSize, seed, epoch)) {
      const at::Tensor x = data.index_select(0, idx);
      const at::Tensor h = enc->forward(x);
      const at::Tensor mu = h.narrow(1, 0, o.latent), logvar = h.narrow(1, o.latent, o.latent);
      // Reparameterisation z = mu + sigma * eps (Kingma & Welling 2014).
      const at::Tensor z = mu + at::exp(0.5 * logvar) * at::randn_like(mu);
      const at::Tensor recon = (dec->forward(z) - x).pow(2).sum(1).mean();
      const at::Tensor kl = (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(1)).mean();
      const at::Tensor loss = recon + kl;
      adam.zero_grad();
      loss.backward();
      adam.step();
    }
  }
  at::NoGradGuard guard;
  const at::Tensor z = at::randn({std::int64_t(count), o.latent}, at::kFloat);
  return st.inverse(dec->forward(z));
}

Eigen::MatrixXd generateMinorityGan(const Eigen::MatrixXd& minority, std::size_t count, std::uint64_t seed,
                                    const GeneratorOptions& o) {
  checkMinority(minority, o, "GAN");
  if (count == 0) return Eigen::MatrixXd(0, minority.cols());
  detail::seedTorch(mixSeed(seed, 12));
  const Standardiser st(minority);
  const at::Tensor data = st.forward(minority);
  const std::int64_t d = minority.cols();
  const std::int64_t noise = std::max<std::int64_t>(o.latent, 16);
  auto gen = std::make_shared<Mlp>(noise, o.hidden, d);
  auto disc = std::make_shared<Mlp>(d, o.hidden, 1);
  torch::optim::Adam adamG(gen->parameters(), torch::optim::AdamOptions(2e-4).betas({0.5, 0.999}));
  torch::optim::Adam adamD(disc->parameters(), torch::optim::AdamOptions(2e-4).betas({0.5, 0.999}));
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    for (const auto& idx : batches(data.size(0), o.batchSize, seed, epoch)) {
      const at::Tensor real = data.index_select(0, idx);
      const std::int64_t b = real.size(0);
      // Discriminator: max log D(x) + log(1 - D(G(z))).
      const at::Tensor fake = gen->forward(at::randn({b, noise}, at::kFloat));
      const at::Tensor lossD =
          at::binary_cross_entropy_with_logits(disc->forward(real), at::ones({b, 1}, at::kFloat)) +
          at::binary_cross_entropy_with_logits(disc->forward(fake.detach()), at::zeros({b, 1}, at::kFloat));
      adamD.zero_grad();
      lossD.backward();
      adamD.step();
      // Generator, non-saturating: max log D(G(z)).
      const at::Tensor lossG =
          at::binary_cross_entropy_with_logits(disc->forward(fake), at::ones({b, 1}, at::kFloat));
      adamG.zero_grad();
      lossG.backward();
      adamG.step();
    }
  }
  at::NoGradGuard guard;
  return st.inverse(gen->forward(at::randn({std::int64_t(count), noise}, at::kFloat)));
}

MinorityGenerator minorityGenerator(Oversampler method, const GeneratorOptions& options) {
  if (method == Oversampler::Vae) {
    return [options](const Eigen::MatrixXd& m, std::size_t n, std::uint64_t s) { return generateMinorityVae(m, n, s, options); };
  }
  if (method == Oversampler::Gan) {
    return [options](const Eigen::MatrixXd& m, std::size_t n, std::uint64_t s) { return generateMinorityGan(m, n, s, options); };
  }
  return {};
}

std::vector<double> autoencoderScores(const Eigen::MatrixXd& trainX, const std::vector<int>& trainY,
                                      const Eigen::MatrixXd& testX, std::uint64_t seed, const GeneratorOptions& o) {
  if (trainY.size() != std::size_t(trainX.rows())) throw UsageError("autoencoder: one label per training row needed");
  std::vector<Eigen::Index> background;
  for (std::size_t i = 0; i < trainY.size(); ++i)
    if (trainY[i] == 0) background.push_back(Eigen::Index(i));
  if (background.size() < 2) throw DataError("autoencoder: fewer than 2 non-ore training rows");
  Eigen::MatrixXd bg(Eigen::Index(background.size()), trainX.cols());
  for (std::size_t i = 0; i < background.size(); ++i) bg.row(Eigen::Index(i)) = trainX.row(background[i]);
  detail::seedTorch(mixSeed(seed, 13));
  const Standardiser st(bg);
  const at::Tensor data = st.forward(bg);
  const std::int64_t d = trainX.cols();
  const std::int64_t bottleneck = std::max<std::int64_t>(2, std::min<std::int64_t>(o.latent, d / 2));
  auto enc = std::make_shared<Mlp>(d, o.hidden, bottleneck);
  auto dec = std::make_shared<Mlp>(bottleneck, o.hidden, d);
  std::vector<at::Tensor> params = enc->parameters();
  for (auto& p : dec->parameters()) params.push_back(p);
  torch::optim::Adam adam(params, torch::optim::AdamOptions(o.learningRate));
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    for (const auto& idx : batches(data.size(0), o.batchSize, seed, epoch)) {
      const at::Tensor x = data.index_select(0, idx);
      const at::Tensor loss = (dec->forward(enc->forward(x)) - x).pow(2).mean();
      adam.zero_grad();
      loss.backward();
      adam.step();
    }
  }
  at::NoGradGuard guard;
  auto errors = [&](const Eigen::MatrixXd& x) {
    const at::Tensor t = st.forward(x);
    const at::Tensor e = (dec->forward(enc->forward(t)) - t).pow(2).mean(1).to(at::kDouble).contiguous();
    return std::vector<double>(e.data_ptr<double>(), e.data_ptr<double>() + e.numel());
  };
  const std::vector<double> trainErr = errors(trainX);
  // Threshold maximising Youden's J on the training rows.
  std::vector<std::size_t> order(trainErr.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return trainErr[a] > trainErr[b]; });
  double nPos = 0, nNeg = 0;
  for (int y : trainY) (y == 1 ? nPos : nNeg) += 1;
  double tp = 0, fp = 0, bestJ = -2, threshold = trainErr[order[0]] + 1e-12;
  for (std::size_t i = 0; i < order.size(); ++i) {
    (trainY[order[i]] == 1 ? tp : fp) += 1;
    if (i + 1 < order.size() && trainErr[order[i + 1]] == trainErr[order[i]]) continue;
    const double j = (nPos > 0 ? tp / nPos : 0) - (nNeg > 0 ? fp / nNeg : 0);
    if (j > bestJ) {
      bestJ = j;
      threshold = trainErr[order[i]];
    }
  }
  double mean = 0, var = 0;
  for (double e : trainErr) mean += e;
  mean /= double(trainErr.size());
  for (double e : trainErr) var += (e - mean) * (e - mean);
  const double scale = std::max(1e-9, std::sqrt(var / double(std::max<std::size_t>(1, trainErr.size() - 1))));
  std::vector<double> scores = errors(testX);
  for (double& s : scores) s = 1.0 / (1.0 + std::exp(-(s - threshold) / scale));
  return scores;
}

}  // namespace orevox
