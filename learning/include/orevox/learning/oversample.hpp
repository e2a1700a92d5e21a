#pragma once
/// \file oversample.hpp
/// Oversampling of the ore-bearing (minority) class of sample feature vectors (clr rows),
/// resgnn-pangxidong-2024 sec. 2.2 and 5.2: random noise, SMOTE, class weights here; VAE and
/// GAN generators come from the torch target through MinorityGenerator.
///
/// Under the `spatial` protocol these run on the training fold only; under `paper` on all
/// samples before the split (the paper's leaky order).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "orevox/core/options.hpp"

namespace orevox {

/// Oversampling method of the minority class.
enum class Oversampler { None, Noise, Smote, Weights, Vae, Gan };
/// "none", "noise", "smote", "weights", "vae", "gan".
/// "gan", "vae", "smote", "noise", "weights", "none".
const NameTable<Oversampler>& oversamplerNames();
const char* oversamplerName(Oversampler method);
/// UsageError naming `option` for an unknown name.
Oversampler parseOversampler(const std::string& text, const std::string& option = "--oversample");

/// New minority rows drawn from `minority` (one sample per row): `count` rows, seeded.
using MinorityGenerator =
    std::function<Eigen::MatrixXd(const Eigen::MatrixXd& minority, std::size_t count, std::uint64_t seed)>;

/// Random-noise oversampling: each new row is a minority row drawn uniformly (makeRng(seed, 4))
/// plus Gaussian noise of `scale` times that column's standard deviation over the minority rows.
/// `parents` (optional) receives the source row of each new row. UsageError for no minority rows.
Eigen::MatrixXd oversampleNoise(const Eigen::MatrixXd& minority, std::size_t count, double scale, std::uint64_t seed,
                                std::vector<std::size_t>* parents = nullptr);

/// SMOTE (Chawla et al. 2002): a new row = x + u (x_nn - x), x a minority row drawn uniformly,
/// x_nn one of its k nearest minority neighbours (Euclidean, brute force), u ~ U(0, 1); drawn
/// with makeRng(seed, 5). With a single minority row, copies it. `parents` receives x's row.
Eigen::MatrixXd smote(const Eigen::MatrixXd& minority, std::size_t count, int k, std::uint64_t seed,
                      std::vector<std::size_t>* parents = nullptr);

/// Balanced class weights w_c = n / (2 n_c) for labels 0 / 1 (1 for an absent class).
std::pair<double, double> balancedClassWeights(const std::vector<int>& labels);

/// A training set after oversampling: the real rows first, then the synthetic ones.
struct OversampledSet {
  Eigen::MatrixXd features;            ///< real rows (in the order of `rows`), then synthetic
  std::vector<int> labels;
  std::vector<std::size_t> source;     ///< real rows: the original row; synthetic: the
                                       ///< original row of the parent / nearest minority row
  std::vector<std::uint8_t> synthetic; ///< 1 for generated rows
  std::pair<double, double> classWeights{1.0, 1.0};  ///< for Oversampler::Weights
};

/// Balances the listed rows of `features` (labels 0 / 1) by adding minority (label 1) rows
/// until both classes have the same count; only rows listed in `rows` are ever used as
/// parents, so calling it with a training fold never touches the test fold. `generator` is
/// needed for Vae and Gan (UsageError otherwise); their rows get as source the nearest real
/// minority row (Euclidean). None and Weights add nothing (Weights sets classWeights).
OversampledSet oversample(const Eigen::MatrixXd& features, const std::vector<int>& labels,
                          const std::vector<std::size_t>& rows, Oversampler method, std::uint64_t seed,
                          const MinorityGenerator& generator = {});

}  // namespace orevox
