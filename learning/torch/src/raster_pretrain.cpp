// SimCLR contrastive pretraining (Chen et al. 2020; ssl-contrastive-malanyu-2024) of the
// spectral-spatial encoder on unlabelled windows: two random views per window, encoder ->
// projection head -> NT-Xent.
#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <ATen/core/grad_mode.h>
#include <torch/optim/adam.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"
#include "raster_nets.hpp"

namespace orevox {

namespace {

/// NT-Xent of two views (N x d each): z = normalised [z1; z2], s_ij = z_i . z_j / tau, and
/// for each of the 2N anchors i with positive j(i) (the other view of the same window)
/// l_i = -log( exp(s_ij) / sum_{k != i} exp(s_ik) ); the loss is the mean of l_i.
at::Tensor ntXent(const at::Tensor& z1, const at::Tensor& z2, double temperature) {
  const int64_t n = z1.size(0);
  const at::Tensor z = at::cat({z1, z2}, 0);
  const at::Tensor zn = z / z.norm(2, 1, true).clamp_min(1e-12);
  at::Tensor sim = at::matmul(zn, zn.t()) / temperature;
  // Exclude k = i from the denominator.
  sim = sim.masked_fill(at::eye(2 * n, at::kBool), -1e9);
  const at::Tensor idx = at::arange(2 * n, at::kLong);
  const at::Tensor target = at::where(idx < n, idx + n, idx - n);
  return at::cross_entropy_loss(sim, target);
}

/// One random view of each window of an N x (C+1) x k x k batch (mask last): a random
/// square crop of side U(cropMin, 1) k resized back to k x k (crop-and-resize, bilinear;
/// the resized mask is thresholded at 0.5 and masked cells zeroed), a random symmetry of
/// the square, channel dropout (data channels only) and noise on unmasked cells.
at::Tensor randomView(const at::Tensor& x, const SimclrOptions& o, Rng& rng) {
  const int64_t n = x.size(0), c = x.size(1) - 1, k = x.size(2);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::uniform_int_distribution<int> symmetry(0, 7);
  std::vector<at::Tensor> views;
  std::vector<int> which;
  std::vector<float> keep(std::size_t(n * c));
  for (int64_t i = 0; i < n; ++i) {
    const double frac = o.cropMin + (1.0 - o.cropMin) * u(rng);
    const int64_t side = std::clamp<int64_t>(int64_t(std::lround(frac * double(k))), 2, k);
    const int64_t r0 = int64_t(u(rng) * double(k - side + 1)) % (k - side + 1);
    const int64_t c0 = int64_t(u(rng) * double(k - side + 1)) % (k - side + 1);
    at::Tensor v = x[i].narrow(1, r0, side).narrow(2, c0, side).unsqueeze(0);
    if (side != k) v = at::upsample_bilinear2d(v, {k, k}, false);
    views.push_back(v.squeeze(0));
    which.push_back(symmetry(rng));
    for (int64_t ch = 0; ch < c; ++ch)
      keep[std::size_t(i * c + ch)] = u(rng) < o.channelDropout ? 0.0f : 1.0f;
  }
  at::Tensor v = detail::randomSymmetry(at::stack(views, 0), which);
  const at::Tensor mask = (v.narrow(1, c, 1) > 0.5).to(at::kFloat);
  at::Tensor data = v.narrow(1, 0, c) * at::tensor(keep, at::kFloat).view({n, c, 1, 1});
  if (o.noise > 0) data = data + at::randn(data.sizes()) * o.noise;
  return at::cat({data * mask, mask}, 1);
}

}  // namespace

double ntXentLoss(const std::vector<float>& z1, const std::vector<float>& z2, std::size_t n,
                  std::size_t dim, double temperature) {
  if (n < 1 || z1.size() != n * dim || z2.size() != n * dim || temperature <= 0) {
    throw UsageError(
        "ntXentLoss: two n x dim embedding sets and a positive temperature are needed");
  }
  at::NoGradGuard guard;
  const at::Tensor a = at::tensor(z1, at::kFloat).view({int64_t(n), int64_t(dim)});
  const at::Tensor b = at::tensor(z2, at::kFloat).view({int64_t(n), int64_t(dim)});
  return ntXent(a, b, temperature).item<double>();
}

RasterModel pretrainSimclr(RasterModelKind kind, const WindowBatch& unlabelled, int k,
                           const RasterNetOptions& net, const SimclrOptions& options,
                           SimclrStats* stats) {
  if (!rasterModelHasEncoder(kind)) {
    throw UsageError(
        std::string("--pretrain simclr needs a model with the spectral-spatial encoder (ssgsnet, "
                    "resnet), not ") +
        rasterModelName(kind));
  }
  if (unlabelled.count < 2)
    throw UsageError("SimCLR pretraining needs at least 2 unlabelled windows");
  if (options.epochs < 1 || options.batch < 2 || options.temperature <= 0 || options.cropMin <= 0 ||
      options.cropMin > 1 || options.projection < 1) {
    throw UsageError(
        "SimCLR options: epochs >= 1, batch >= 2, temperature > 0, 0 < crop_min <= 1 needed");
  }
  RasterModel model = RasterModel::create(kind, unlabelled.channelNames, k, net, options.seed);
  RasterModel::Impl& m = model.impl();
  detail::checkWindows(m, unlabelled);
  configureTorch(threadCount(), mixSeed(options.seed, 0x73696d));
  Stopwatch watch;
  SimclrStats local;
  SimclrStats& st = stats ? *stats : local;
  st = SimclrStats{};
  st.windows = unlabelled.count;

  detail::ResNetBranch encoder = m.net->encoder_;
  // Projection head g(h) = W2 ReLU(W1 h) (SimCLR), discarded after pretraining.
  torch::nn::Linear proj1(detail::kEncoderWidth, detail::kEncoderWidth),
      proj2(detail::kEncoderWidth, options.projection);
  std::vector<at::Tensor> params = encoder->parameters();
  for (const auto& p : proj1->parameters()) params.push_back(p);
  for (const auto& p : proj2->parameters()) params.push_back(p);
  torch::optim::Adam optimiser(
      params, torch::optim::AdamOptions(options.learningRate).weight_decay(options.weightDecay));

  const at::Tensor all = detail::windowsInput(unlabelled);
  const std::size_t batch = std::min(options.batch, unlabelled.count);
  const std::size_t steps = std::max<std::size_t>(1, unlabelled.count / batch);
  Rng rng = makeRng(options.seed, 0x76696577);
  Progress progress("simclr pretrain", std::uint64_t(steps) * std::uint64_t(options.epochs));
  encoder->train();
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    std::vector<std::size_t> order(unlabelled.count);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    double lossSum = 0;
    for (std::size_t s = 0; s < steps; ++s) {
      const std::size_t b0 = s * batch, b1 = s + 1 == steps ? unlabelled.count : b0 + batch;
      std::vector<int64_t> rows(order.begin() + long(b0), order.begin() + long(b1));
      const at::Tensor x = all.index_select(0, at::tensor(rows, at::kLong));
      const int64_t n = x.size(0);
      // Both views through the encoder in one batch (shared batch-norm statistics).
      const at::Tensor h =
          encoder->forward(at::cat({randomView(x, options, rng), randomView(x, options, rng)}, 0));
      const at::Tensor z = proj2->forward(at::relu(proj1->forward(h)));
      const at::Tensor loss = ntXent(z.narrow(0, 0, n), z.narrow(0, n, n), options.temperature);
      optimiser.zero_grad();
      loss.backward();
      optimiser.step();
      lossSum += loss.item<double>();
      ++st.steps;
      progress.advance();
    }
    st.loss.push_back(lossSum / double(steps));
  }
  progress.finish();
  m.net->eval();
  st.seconds = watch.seconds();
  return model;
}

}  // namespace orevox
