#include "orevox/learning/oversample.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox {

const NameTable<Oversampler>& oversamplerNames() {
  static const NameTable<Oversampler> names = {
      {"gan", Oversampler::Gan},     {"vae", Oversampler::Vae},
      {"smote", Oversampler::Smote}, {"noise", Oversampler::Noise},
      {"weights", Oversampler::Weights}, {"none", Oversampler::None}};
  return names;
}

const char* oversamplerName(Oversampler method) { return nameOf(oversamplerNames(), method).c_str(); }

Oversampler parseOversampler(const std::string& text, const std::string& option) {
  return parseName(oversamplerNames(), text, option);
}

Eigen::MatrixXd oversampleNoise(const Eigen::MatrixXd& minority, std::size_t count, double scale, std::uint64_t seed,
                                std::vector<std::size_t>* parents) {
  if (minority.rows() == 0) throw UsageError("noise oversampling: no minority rows");
  const Eigen::RowVectorXd mean = minority.colwise().mean();
  Eigen::RowVectorXd sd = Eigen::RowVectorXd::Zero(minority.cols());
  if (minority.rows() > 1) {
    sd = ((minority.rowwise() - mean).array().square().colwise().sum() / double(minority.rows() - 1)).sqrt();
  }
  Rng rng = makeRng(seed, 4);
  std::uniform_int_distribution<Eigen::Index> pick(0, minority.rows() - 1);
  std::normal_distribution<double> normal(0.0, 1.0);
  Eigen::MatrixXd out(Eigen::Index(count), minority.cols());
  if (parents) parents->clear();
  for (Eigen::Index i = 0; i < Eigen::Index(count); ++i) {
    const Eigen::Index p = pick(rng);
    if (parents) parents->push_back(std::size_t(p));
    for (Eigen::Index j = 0; j < minority.cols(); ++j) out(i, j) = minority(p, j) + scale * sd(j) * normal(rng);
  }
  return out;
}

Eigen::MatrixXd smote(const Eigen::MatrixXd& minority, std::size_t count, int k, std::uint64_t seed,
                      std::vector<std::size_t>* parents) {
  if (minority.rows() == 0) throw UsageError("SMOTE: no minority rows");
  if (k < 1) throw UsageError("SMOTE: k must be at least 1");
  const Eigen::Index m = minority.rows();
  // k nearest minority neighbours of every minority row (brute force: the minority is small).
  std::vector<std::vector<Eigen::Index>> nn(static_cast<std::size_t>(m));
  for (Eigen::Index i = 0; i < m; ++i) {
    std::vector<std::pair<double, Eigen::Index>> d;
    for (Eigen::Index j = 0; j < m; ++j)
      if (j != i) d.emplace_back((minority.row(i) - minority.row(j)).squaredNorm(), j);
    const auto kk = std::min<std::size_t>(std::size_t(k), d.size());
    std::partial_sort(d.begin(), d.begin() + long(kk), d.end());
    for (std::size_t t = 0; t < kk; ++t) nn[std::size_t(i)].push_back(d[t].second);
  }
  Rng rng = makeRng(seed, 5);
  std::uniform_int_distribution<Eigen::Index> pick(0, m - 1);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Eigen::MatrixXd out(Eigen::Index(count), minority.cols());
  if (parents) parents->clear();
  for (Eigen::Index i = 0; i < Eigen::Index(count); ++i) {
    const Eigen::Index p = pick(rng);
    if (parents) parents->push_back(std::size_t(p));
    const auto& neighbours = nn[std::size_t(p)];
    if (neighbours.empty()) {
      out.row(i) = minority.row(p);
      continue;
    }
    std::uniform_int_distribution<std::size_t> pickNb(0, neighbours.size() - 1);
    const Eigen::Index q = neighbours[pickNb(rng)];
    const double u = unit(rng);
    out.row(i) = minority.row(p) + u * (minority.row(q) - minority.row(p));
  }
  return out;
}

std::pair<double, double> balancedClassWeights(const std::vector<int>& labels) {
  std::size_t n1 = 0;
  for (int l : labels) n1 += l == 1 ? 1 : 0;
  const std::size_t n0 = labels.size() - n1;
  const double n = double(labels.size());
  return {n0 ? n / (2.0 * double(n0)) : 1.0, n1 ? n / (2.0 * double(n1)) : 1.0};
}

OversampledSet oversample(const Eigen::MatrixXd& features, const std::vector<int>& labels,
                          const std::vector<std::size_t>& rows, Oversampler method, std::uint64_t seed,
                          const MinorityGenerator& generator) {
  if (labels.size() != std::size_t(features.rows())) throw UsageError("oversample: one label per row needed");
  OversampledSet out;
  std::vector<std::size_t> minorityRows;
  std::vector<int> rowLabels;
  for (auto r : rows) {
    if (r >= labels.size()) throw UsageError("oversample: row " + std::to_string(r) + " out of range");
    rowLabels.push_back(labels[r]);
    if (labels[r] == 1) minorityRows.push_back(r);
  }
  const std::size_t majority = rows.size() - minorityRows.size();
  const std::size_t need = majority > minorityRows.size() ? majority - minorityRows.size() : 0;
  Eigen::MatrixXd synthetic(0, features.cols());
  std::vector<std::size_t> parents;
  if (method == Oversampler::Weights) out.classWeights = balancedClassWeights(rowLabels);
  const bool generates = method != Oversampler::None && method != Oversampler::Weights;
  if (generates && need > 0) {
    if (minorityRows.empty()) throw DataError("oversample: the training rows hold no ore-bearing sample");
    Eigen::MatrixXd minority(Eigen::Index(minorityRows.size()), features.cols());
    for (std::size_t i = 0; i < minorityRows.size(); ++i) minority.row(Eigen::Index(i)) = features.row(Eigen::Index(minorityRows[i]));
    if (method == Oversampler::Noise) {
      synthetic = oversampleNoise(minority, need, 0.1, seed, &parents);
    } else if (method == Oversampler::Smote) {
      synthetic = smote(minority, need, 5, seed, &parents);
    } else {
      if (!generator) throw UsageError(std::string("--oversample ") + oversamplerName(method) + ": needs the torch generator");
      synthetic = generator(minority, need, seed);
      if (synthetic.rows() != Eigen::Index(need) || synthetic.cols() != features.cols()) {
        throw UsageError("oversample: the generator returned a matrix of the wrong shape");
      }
      parents.resize(need);
      for (Eigen::Index i = 0; i < synthetic.rows(); ++i) {
        Eigen::Index best = 0;
        (minority.rowwise() - synthetic.row(i)).rowwise().squaredNorm().minCoeff(&best);
        parents[std::size_t(i)] = std::size_t(best);
      }
    }
  }
  const Eigen::Index total = Eigen::Index(rows.size()) + synthetic.rows();
  out.features.resize(total, features.cols());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out.features.row(Eigen::Index(i)) = features.row(Eigen::Index(rows[i]));
    out.labels.push_back(labels[rows[i]]);
    out.source.push_back(rows[i]);
    out.synthetic.push_back(0);
  }
  for (Eigen::Index i = 0; i < synthetic.rows(); ++i) {
    out.features.row(Eigen::Index(rows.size()) + i) = synthetic.row(i);
    out.labels.push_back(1);
    out.source.push_back(minorityRows[parents[std::size_t(i)]]);
    out.synthetic.push_back(1);
  }
  return out;
}

}  // namespace orevox
