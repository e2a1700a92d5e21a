#pragma once
/// \file splits.hpp
/// Cross-validation splits of the two evaluation protocols: `paper` (stratified random
/// k-fold, as resgnn-pangxidong-2024 sec. 4.3) and `spatial` (folds made of whole square
/// blocks, so that no block has samples on both sides of a split).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "orevox/core/options.hpp"

namespace orevox {

/// Evaluation protocol (design.md "Honest evaluation").
enum class Protocol {
  Paper,    ///< oversample first, then stratified random k-fold: leaky, for comparability
  Spatial,  ///< spatial-block folds, oversampling inside training folds only
};
const NameTable<Protocol>& protocolNames();
const char* protocolName(Protocol protocol);
Protocol parseProtocol(const std::string& text, const std::string& option = "--protocol");

/// One fold: rows used to train and rows held out (disjoint, ascending).
struct Fold {
  std::vector<std::size_t> train, test;
};

/// Stratified random k-fold: the rows of each class are shuffled with makeRng(seed, 0) and
/// dealt round-robin to the folds, so each fold has floor or ceil of 1/k of each class.
/// UsageError for k < 2 or k > rows.
std::vector<Fold> stratifiedKFold(const std::vector<int>& labels, int k, std::uint64_t seed);

/// Spatial-block k-fold: the plane is cut into square blocks of `blockSize` metres anchored
/// at the samples' minimum x / y; every block goes whole to one fold. Blocks are dealt, most
/// ore-bearing first (ties in random order from makeRng(seed, 1)), to the fold with the fewest
/// positives so far (then the fewest rows), so positives are spread over the folds.
/// `blockOf`, when given, receives the block id of each row. UsageError for k < 2,
/// blockSize <= 0, fewer non-empty blocks than k or size mismatches.
std::vector<Fold> spatialBlockFolds(const std::vector<double>& x, const std::vector<double>& y,
                                    const std::vector<int>& labels, int k, double blockSize,
                                    std::uint64_t seed, std::vector<long>* blockOf = nullptr);

/// Buffered leave-one-deposit-out folds: one fold per deposit that has samples within
/// `radius` metres. Its test rows are those samples (each sample goes to its nearest such
/// deposit, so test sets are disjoint); its training rows are every sample farther than
/// `buffer` metres from all of the fold's test rows, so nothing within the buffer of a test
/// sample is trained on. UsageError for radius <= 0, buffer < 0, size mismatches or when no
/// deposit has a sample within the radius.
std::vector<Fold> bufferedDepositFolds(const std::vector<double>& x, const std::vector<double>& y,
                                       const std::vector<double>& depositX,
                                       const std::vector<double>& depositY, double radius,
                                       double buffer);

/// Empirical (semi)variogram of a variable at irregular points.
struct Variogram {
  std::vector<double> lag;    ///< centre of each lag bin, metres
  std::vector<double> gamma;  ///< semivariance 0.5 mean (v_i - v_j)^2 of the pairs in the bin
  std::vector<std::size_t> pairs;
  double variance = 0.0;  ///< sample variance of the variable (the sill of a stationary field)
};

/// Variogram from at most `maxPoints` points drawn with makeRng(seed, 2) (all when fewer),
/// `bins` lags of maxLag / bins metres. UsageError for fewer than 3 points, bins < 1 or
/// maxLag <= 0.
Variogram empiricalVariogram(const std::vector<double>& x, const std::vector<double>& y,
                             const std::vector<double>& values, double maxLag, int bins,
                             std::size_t maxPoints, std::uint64_t seed);

/// Practical range of a variogram: the first lag where gamma reaches 95 % of the sill (the
/// variance), linearly interpolated between bins; maxLag when it never does.
double practicalRange(const Variogram& variogram);

}  // namespace orevox
