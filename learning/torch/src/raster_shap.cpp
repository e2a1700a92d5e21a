// SHAP attribution of a raster model's deposit probability to its input channels by
// expected gradients (Erion et al. 2021, "Improving performance of deep learning models
// with axiomatic attribution priors and expected gradients"; the SHAP GradientExplainer).
#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <ATen/core/grad_mode.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/autograd/autograd.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "raster_nets.hpp"

namespace orevox {

RasterShap explainWindows(const RasterModel& model, const WindowBatch& windows,
                          const WindowBatch& background, const RasterShapOptions& options) {
  RasterModel::Impl& m = model.impl();
  detail::checkWindows(m, windows);
  detail::checkWindows(m, background);
  if (background.count == 0) throw UsageError("SHAP needs at least one background window");
  if (options.samples < 1 || options.batch < 1)
    throw UsageError("SHAP needs samples >= 1 and batch >= 1");
  m.net->eval();
  const int64_t c = int64_t(m.channels.size()), k = m.k;
  const std::size_t cs = std::size_t(c);
  RasterShap out;
  out.channels = m.channels;
  out.windows = windows.count;
  out.attribution.assign(windows.count * cs, 0.0);
  const at::Tensor xs = detail::windowsInput(windows), bs = detail::windowsInput(background);
  const at::Tensor bData = bs.narrow(1, 0, c);
  Rng rng = makeRng(options.seed, 0x73686170);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (std::size_t w = 0; w < windows.count; ++w) {
    const at::Tensor x = xs[int64_t(w)];
    const at::Tensor mask = x.narrow(0, c, 1);  // the mask channel stays x's mask
    const at::Tensor xd = x.narrow(0, 0, c);
    {
      c10::InferenceMode guard;
      out.prediction.push_back(at::sigmoid(m.net->forward(x.unsqueeze(0))).item<double>());
      // E f(x') over all background windows, each given x's mask (masked cells hold 0).
      double sum = 0;
      for (int64_t b0 = 0; b0 < int64_t(background.count); b0 += int64_t(options.batch)) {
        const int64_t n = std::min<int64_t>(int64_t(options.batch), int64_t(background.count) - b0);
        const at::Tensor in =
            at::cat({bData.narrow(0, b0, n) * mask, mask.expand({n, 1, k, k})}, 1);
        sum += at::sigmoid(m.net->forward(in)).sum().item<double>();
      }
      out.baseline.push_back(sum / double(background.count));
    }
    // phi = E_{x', alpha} (x - x') * grad f(x' + alpha (x - x')). Stratified draws: draw s
    // takes background window order[s mod B] and, on its j-th use, alpha = (j + u) / J with
    // J = ceil(S / B) uses per window, so every background window gets a J-point
    // stratified integral (less variance than independent draws).
    std::vector<std::size_t> order(background.count);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    const std::size_t uses = (options.samples + background.count - 1) / background.count;
    at::Tensor phi = at::zeros({c}, at::kDouble);
    for (std::size_t s0 = 0; s0 < options.samples; s0 += options.batch) {
      const std::size_t n = std::min(options.batch, options.samples - s0);
      std::vector<int64_t> rows(n);
      std::vector<float> alpha(n);
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t s = s0 + i;
        rows[i] = int64_t(order[s % background.count]);
        alpha[i] = float((double(s / background.count) + u(rng)) / double(uses));
      }
      const at::Tensor base = bData.index_select(0, at::tensor(rows, at::kLong)) * mask;
      const at::Tensor diff = xd.unsqueeze(0) - base;
      at::Tensor point =
          (base + at::tensor(alpha, at::kFloat).view({int64_t(n), 1, 1, 1}) * diff).detach();
      point.set_requires_grad(true);
      const at::Tensor in = at::cat({point, mask.expand({int64_t(n), 1, k, k})}, 1);
      const at::Tensor f = at::sigmoid(m.net->forward(in)).sum();
      const at::Tensor grad = torch::autograd::grad({f}, {point})[0];
      phi += (diff * grad).sum({0, 2, 3}).to(at::kDouble);
    }
    phi = phi / double(options.samples);
    const double* p = phi.data_ptr<double>();
    for (std::size_t ch = 0; ch < cs; ++ch) out.attribution[w * cs + ch] = p[ch];
  }
  out.meanAbs.assign(cs, 0.0);
  for (std::size_t w = 0; w < windows.count; ++w) {
    for (std::size_t ch = 0; ch < cs; ++ch)
      out.meanAbs[ch] += std::abs(out.attribution[w * cs + ch]);
  }
  for (double& v : out.meanAbs) v /= std::max<double>(1.0, double(windows.count));
  out.ranking.resize(cs);
  std::iota(out.ranking.begin(), out.ranking.end(), 0);
  std::stable_sort(out.ranking.begin(), out.ranking.end(),
                   [&](std::size_t a, std::size_t b) { return out.meanAbs[a] > out.meanAbs[b]; });
  return out;
}

}  // namespace orevox
