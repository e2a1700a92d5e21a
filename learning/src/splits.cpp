#include "orevox/learning/splits.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <sstream>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox {

const NameTable<Protocol>& protocolNames() {
  static const NameTable<Protocol> names = {{"spatial", Protocol::Spatial},
                                            {"paper", Protocol::Paper}};
  return names;
}

const char* protocolName(Protocol protocol) { return nameOf(protocolNames(), protocol).c_str(); }

Protocol parseProtocol(const std::string& text, const std::string& option) {
  return parseName(protocolNames(), text, option);
}

std::vector<Fold> stratifiedKFold(const std::vector<int>& labels, int k, std::uint64_t seed) {
  if (k < 2 || std::size_t(k) > labels.size()) {
    throw UsageError("--folds: " + std::to_string(k) + " folds for " +
                     std::to_string(labels.size()) + " rows");
  }
  std::map<int, std::vector<std::size_t>> byClass;
  for (std::size_t i = 0; i < labels.size(); ++i) byClass[labels[i]].push_back(i);
  Rng rng = makeRng(seed, 0);
  std::vector<int> foldOf(labels.size(), 0);
  int next = 0;
  for (auto& [label, rows] : byClass) {
    std::shuffle(rows.begin(), rows.end(), rng);
    for (auto r : rows) {
      foldOf[r] = next;
      next = (next + 1) % k;
    }
  }
  std::vector<Fold> folds(static_cast<std::size_t>(k));
  for (std::size_t i = 0; i < labels.size(); ++i) {
    for (int f = 0; f < k; ++f)
      (f == foldOf[i] ? folds[std::size_t(f)].test : folds[std::size_t(f)].train).push_back(i);
  }
  return folds;
}

namespace {
/// "%g": 6 significant digits, the form a message needs.
std::string gNumber(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}
}  // namespace

std::vector<Fold> spatialBlockFolds(const std::vector<double>& x, const std::vector<double>& y,
                                    const std::vector<int>& labels, int k, double blockSize,
                                    std::uint64_t seed, std::vector<long>* blockOf) {
  if (x.size() != y.size() || x.size() != labels.size())
    throw UsageError("spatialBlockFolds: size mismatch");
  if (k < 2) throw UsageError("--folds: need at least 2 folds, got " + std::to_string(k));
  if (!(blockSize > 0))
    throw UsageError("--block-size: must be positive, got " + std::to_string(blockSize));
  if (x.empty()) throw UsageError("spatialBlockFolds: no samples");
  const double x0 = *std::min_element(x.begin(), x.end());
  const double y0 = *std::min_element(y.begin(), y.end());
  const double x1 = *std::max_element(x.begin(), x.end());
  const double y1 = *std::max_element(y.begin(), y.end());
  // Block indices must fit a long (a block of 1e-300 over a 10 km map would not; the cast
  // of such a quotient is undefined behaviour).
  const double spanBlocks = std::max(x1 - x0, y1 - y0) / blockSize;
  if (!(spanBlocks < 1e9))
    throw UsageError("--block-size: " + gNumber(blockSize) +
                     " is too small for the samples' extent (" + gNumber(spanBlocks) +
                     " blocks across)");
  const long nx = long(std::floor((x1 - x0) / blockSize)) + 1;
  std::vector<long> block(x.size());
  std::map<long, std::pair<std::size_t, std::size_t>> stats;  // block -> (positives, rows)
  for (std::size_t i = 0; i < x.size(); ++i) {
    const long bx = long(std::floor((x[i] - x0) / blockSize));
    const long by = long(std::floor((y[i] - y0) / blockSize));
    block[i] = by * nx + bx;
    auto& s = stats[block[i]];
    s.first += labels[i] == 1 ? 1 : 0;
    s.second += 1;
  }
  if (stats.size() < std::size_t(k)) {
    throw UsageError("--block-size: " + gNumber(blockSize) + " gives " +
                     std::to_string(stats.size()) + " blocks, fewer than " + std::to_string(k) +
                     " folds");
  }
  struct Item {
    long id;
    std::size_t pos, rows;
    std::uint64_t tie;
  };
  std::vector<Item> items;
  Rng rng = makeRng(seed, 1);
  for (const auto& [id, s] : stats) items.push_back({id, s.first, s.second, rng()});
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    if (a.pos != b.pos) return a.pos > b.pos;
    return a.tie < b.tie;
  });
  std::vector<std::size_t> foldPos(std::size_t(k), 0), foldRows(std::size_t(k), 0);
  std::map<long, int> foldOfBlock;
  for (const auto& it : items) {
    std::size_t best = 0;
    for (std::size_t f = 1; f < std::size_t(k); ++f) {
      const bool fewerPos = foldPos[f] < foldPos[best];
      const bool samePos = foldPos[f] == foldPos[best];
      if (it.pos > 0 ? (fewerPos || (samePos && foldRows[f] < foldRows[best]))
                     : foldRows[f] < foldRows[best])
        best = f;
    }
    foldOfBlock[it.id] = int(best);
    foldPos[best] += it.pos;
    foldRows[best] += it.rows;
  }
  std::vector<Fold> folds(static_cast<std::size_t>(k));
  for (std::size_t i = 0; i < x.size(); ++i) {
    const int fi = foldOfBlock[block[i]];
    for (int f = 0; f < k; ++f)
      (f == fi ? folds[std::size_t(f)].test : folds[std::size_t(f)].train).push_back(i);
  }
  if (blockOf) *blockOf = block;
  return folds;
}

std::vector<Fold> bufferedDepositFolds(const std::vector<double>& x, const std::vector<double>& y,
                                       const std::vector<double>& depositX,
                                       const std::vector<double>& depositY, double radius,
                                       double buffer) {
  if (x.size() != y.size() || depositX.size() != depositY.size())
    throw UsageError("bufferedDepositFolds: size mismatch");
  if (!(radius > 0))
    throw UsageError("--lodo-radius: must be positive, got " + std::to_string(radius));
  if (!(buffer >= 0)) throw UsageError("--buffer: must be >= 0, got " + std::to_string(buffer));
  // Each sample within `radius` of a deposit is tested in the fold of its nearest deposit.
  std::vector<std::vector<std::size_t>> test(depositX.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    std::size_t best = depositX.size();
    double bestD = radius;
    for (std::size_t d = 0; d < depositX.size(); ++d) {
      const double dist = std::hypot(x[i] - depositX[d], y[i] - depositY[d]);
      if (dist <= bestD) {
        best = d;
        bestD = dist;
      }
    }
    if (best < depositX.size()) test[best].push_back(i);
  }
  std::vector<Fold> folds;
  for (std::size_t d = 0; d < depositX.size(); ++d) {
    if (test[d].empty()) continue;
    Fold f;
    f.test = test[d];
    std::vector<std::uint8_t> isTest(x.size(), 0);
    for (auto i : f.test) isTest[i] = 1;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (isTest[i]) continue;
      // Every test row lies within `radius` of the deposit, so a sample farther than
      // radius + buffer from it is clear of the buffer; nearer ones are checked row by row.
      bool clear = std::hypot(x[i] - depositX[d], y[i] - depositY[d]) > radius + buffer;
      if (!clear) {
        clear = true;
        for (auto t : f.test) {
          if (std::hypot(x[i] - x[t], y[i] - y[t]) <= buffer) {
            clear = false;
            break;
          }
        }
      }
      if (clear) f.train.push_back(i);
    }
    folds.push_back(std::move(f));
  }
  if (folds.empty()) {
    throw UsageError("--lodo-radius: no sample lies within " + std::to_string(radius) +
                     " m of any of the " + std::to_string(depositX.size()) + " deposits");
  }
  return folds;
}

Variogram empiricalVariogram(const std::vector<double>& x, const std::vector<double>& y,
                             const std::vector<double>& values, double maxLag, int bins,
                             std::size_t maxPoints, std::uint64_t seed) {
  if (x.size() != y.size() || x.size() != values.size())
    throw UsageError("empiricalVariogram: size mismatch");
  if (x.size() < 3) throw UsageError("empiricalVariogram: needs at least 3 points");
  if (bins < 1 || !(maxLag > 0))
    throw UsageError("empiricalVariogram: bins >= 1 and maxLag > 0 required");
  std::vector<std::size_t> pick(x.size());
  std::iota(pick.begin(), pick.end(), 0);
  if (pick.size() > maxPoints && maxPoints >= 3) {
    Rng rng = makeRng(seed, 2);
    std::shuffle(pick.begin(), pick.end(), rng);
    pick.resize(maxPoints);
  }
  Variogram v;
  const double width = maxLag / bins;
  std::vector<double> sum(std::size_t(bins), 0.0);
  v.pairs.assign(std::size_t(bins), 0);
  for (std::size_t a = 0; a < pick.size(); ++a) {
    for (std::size_t b = a + 1; b < pick.size(); ++b) {
      const std::size_t i = pick[a], j = pick[b];
      const double h = std::hypot(x[i] - x[j], y[i] - y[j]);
      if (h >= maxLag) continue;
      const auto bin = std::size_t(h / width);
      const double d = values[i] - values[j];
      sum[bin] += 0.5 * d * d;
      v.pairs[bin] += 1;
    }
  }
  double mean = 0.0;
  for (auto i : pick) mean += values[i];
  mean /= double(pick.size());
  for (auto i : pick) v.variance += (values[i] - mean) * (values[i] - mean);
  v.variance /= double(pick.size() - 1);
  for (int b = 0; b < bins; ++b) {
    v.lag.push_back((b + 0.5) * width);
    v.gamma.push_back(v.pairs[std::size_t(b)]
                          ? sum[std::size_t(b)] / double(v.pairs[std::size_t(b)])
                          : std::nan(""));
  }
  return v;
}

double practicalRange(const Variogram& v) {
  const double target = 0.95 * v.variance;
  double prevLag = 0.0, prevGamma = 0.0;
  for (std::size_t b = 0; b < v.lag.size(); ++b) {
    if (std::isnan(v.gamma[b])) continue;
    if (v.gamma[b] >= target) {
      const double t =
          v.gamma[b] > prevGamma ? (target - prevGamma) / (v.gamma[b] - prevGamma) : 1.0;
      return prevLag + std::clamp(t, 0.0, 1.0) * (v.lag[b] - prevLag);
    }
    prevLag = v.lag[b];
    prevGamma = v.gamma[b];
  }
  return v.lag.empty()
             ? 0.0
             : v.lag.back() +
                   (v.lag.back() - (v.lag.size() > 1 ? v.lag[v.lag.size() - 2] : 0.0)) / 2;
}

}  // namespace orevox
