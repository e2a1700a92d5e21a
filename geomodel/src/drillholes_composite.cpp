// Compositing of interval data to a fixed downhole length.
#include <algorithm>
#include <cmath>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/drillholes.hpp"

namespace orevox {

namespace {

/// A stretch of one hole composited on its own: rows [begin, end) of the table.
struct Run {
  std::size_t begin = 0, end = 0;
  double top = 0.0, bottom = 0.0;
};

/// Domain value of a row as a comparable key (NaN / -1 = blank, its own domain).
struct DomainKey {
  bool blank = true;
  double value = 0.0;
  bool operator==(const DomainKey& o) const {
    return blank == o.blank && (blank || value == o.value);
  }
};

DomainKey domainOf(const IntervalField& f, std::size_t r) {
  if (f.categorical) return f.codes[r] < 0 ? DomainKey{} : DomainKey{false, double(f.codes[r])};
  return std::isnan(f.values[r]) ? DomainKey{} : DomainKey{false, f.values[r]};
}

}  // namespace

IntervalTable compositeIntervals(const IntervalTable& merged, const CompositeOptions& options,
                                 CompositeSummary* summary) {
  if (!(options.length > 0.0) || !std::isfinite(options.length))
    throw UsageError("--composite: the composite length must be > 0");
  if (!(options.minCoverage >= 0.0 && options.minCoverage <= 1.0))
    throw UsageError("--min-coverage: must be in [0, 1]");
  long domain = -1;
  if (!options.domain.empty()) {
    domain = merged.fieldIndex(options.domain);
    if (domain < 0) {
      std::string names;
      for (const auto& f : merged.fields) names += (names.empty() ? "" : ", ") + f.name;
      throw UsageError("--domain: no interval field '" + options.domain + "' (fields: " + names +
                       ")");
    }
  }
  const double len = options.length;
  const double tol = 1e-9 * std::max(1.0, len);

  CompositeSummary local;
  CompositeSummary& sum = summary ? *summary : local;
  sum = CompositeSummary{};
  for (const auto& f : merged.fields) sum.fields.push_back({f.name});

  IntervalTable out;
  out.file = merged.file;
  out.name = merged.name;
  for (const auto& f : merged.fields) out.fields.push_back(f.emptyLike());

  // Per-composite accumulators, reused.
  const std::size_t nf = merged.fields.size();
  std::vector<double> weighted(nf), assayed(nf), bdlLength(nf), maxLimit(nf);
  std::vector<std::vector<double>> categoryLength(nf);
  std::vector<std::vector<long>> categoryFirst(nf);

  auto emit = [&](const Run& run, double a, double b) {
    std::fill(weighted.begin(), weighted.end(), 0.0);
    std::fill(assayed.begin(), assayed.end(), 0.0);
    std::fill(bdlLength.begin(), bdlLength.end(), 0.0);
    std::fill(maxLimit.begin(), maxLimit.end(), 0.0);
    for (std::size_t f = 0; f < nf; ++f) {
      if (!merged.fields[f].categorical) continue;
      categoryLength[f].assign(merged.fields[f].categories.size(), 0.0);
      categoryFirst[f].assign(merged.fields[f].categories.size(), -1);
    }
    double covered = 0.0;
    for (std::size_t r = run.begin; r < run.end; ++r) {
      const double o = std::min(merged.to[r], b) - std::max(merged.from[r], a);
      if (!(o > 0.0)) continue;
      covered += o;
      for (std::size_t f = 0; f < nf; ++f) {
        const IntervalField& field = merged.fields[f];
        if (field.categorical) {
          const std::int32_t c = field.codes[r];
          if (c < 0) continue;
          categoryLength[f][std::size_t(c)] += o;
          if (categoryFirst[f][std::size_t(c)] < 0) categoryFirst[f][std::size_t(c)] = long(r);
          assayed[f] += o;
          continue;
        }
        const double v = field.values[r];
        if (std::isnan(v)) continue;
        assayed[f] += o;
        if (field.isBelowDetection(r)) {
          weighted[f] += options.belowDetectionFactor * v * o;
          bdlLength[f] += o;
          maxLimit[f] = std::max(maxLimit[f], v);
        } else {
          weighted[f] += v * o;
        }
      }
    }
    if (!(covered > 0.0)) {
      ++sum.emptyComposites;
      return;
    }
    const std::size_t row = out.from.size();
    out.holeIds.push_back(merged.holeIds[run.begin]);
    out.hole.push_back(merged.hole[run.begin]);
    out.from.push_back(a);
    out.to.push_back(b);
    out.lines.push_back(0);
    ++sum.composites;
    for (std::size_t f = 0; f < nf; ++f) {
      const IntervalField& field = merged.fields[f];
      IntervalField& dst = out.fields[f];
      CompositeSummary::Field& fs = sum.fields[f];
      fs.assayedLength += assayed[f];
      fs.belowDetectionLength += bdlLength[f];
      fs.notAssayedLength += (b - a) - assayed[f];
      if (field.categorical) {
        long best = -1;
        for (std::size_t c = 0; c < categoryLength[f].size(); ++c) {
          if (categoryLength[f][c] <= 0.0) continue;
          if (best < 0 || categoryLength[f][c] > categoryLength[f][std::size_t(best)] ||
              (categoryLength[f][c] == categoryLength[f][std::size_t(best)] &&
               categoryFirst[f][c] < categoryFirst[f][std::size_t(best)]))
            best = long(c);
        }
        dst.codes.push_back(std::int32_t(best));
        if (best < 0) ++fs.blankComposites;
        continue;
      }
      const bool enough = assayed[f] > 0.0 && assayed[f] >= options.minCoverage * (b - a) - tol;
      if (!enough) {
        dst.values.push_back(kNotAssayed);
        ++fs.blankComposites;
      } else if (bdlLength[f] >= assayed[f]) {  // every assayed part below detection
        dst.values.push_back(maxLimit[f]);
        dst.belowDetection.resize(row, 0);
        dst.belowDetection.push_back(1);
      } else {
        dst.values.push_back(weighted[f] / assayed[f]);
      }
      if (!dst.belowDetection.empty()) dst.belowDetection.resize(dst.values.size(), 0);
    }
    // A composite without any value (every field not assayed or too little covered) carries
    // nothing: it is not written, only counted.
    bool any = false;
    for (const auto& f : out.fields) any = any || !f.isMissing(row);
    if (!any) {
      for (std::size_t f = 0; f < nf; ++f) {
        IntervalField& dst = out.fields[f];
        CompositeSummary::Field& fs = sum.fields[f];
        --fs.blankComposites;
        if (dst.categorical) {
          dst.codes.pop_back();
        } else {
          dst.values.pop_back();
          if (!dst.belowDetection.empty()) dst.belowDetection.pop_back();
        }
      }
      out.holeIds.pop_back();
      out.hole.pop_back();
      out.from.pop_back();
      out.to.pop_back();
      out.lines.pop_back();
      --sum.composites;
      ++sum.emptyComposites;
    }
  };

  for (std::size_t r = 0; r < merged.size();) {
    std::size_t holeEnd = r;
    while (holeEnd < merged.size() && merged.hole[holeEnd] == merged.hole[r]) ++holeEnd;
    // Runs: the whole hole, or maximal stretches of one domain value (gaps do not break).
    std::vector<Run> runs;
    for (std::size_t b = r; b < holeEnd;) {
      std::size_t e = b + 1;
      if (domain >= 0) {
        const DomainKey key = domainOf(merged.fields[std::size_t(domain)], b);
        while (e < holeEnd && domainOf(merged.fields[std::size_t(domain)], e) == key) ++e;
      } else {
        e = holeEnd;
      }
      Run run;
      run.begin = b;
      run.end = e;
      run.top = merged.from[b];
      run.bottom = merged.to[b];
      for (std::size_t k = b; k < e; ++k) run.bottom = std::max(run.bottom, merged.to[k]);
      runs.push_back(run);
      b = e;
    }
    for (const Run& run : runs) {
      ++sum.runs;
      const double span = run.bottom - run.top;
      std::size_t n = std::size_t(std::floor(span / len + 1e-9));
      double residual = span - double(n) * len;
      if (residual <= tol) residual = 0.0;
      std::vector<std::pair<double, double>> pieces;
      for (std::size_t k = 0; k < n; ++k)
        pieces.emplace_back(run.top + double(k) * len, run.top + double(k + 1) * len);
      if (residual == 0.0 && !pieces.empty()) pieces.back().second = run.bottom;
      if (residual > 0.0) {
        const double start = run.top + double(n) * len;
        if (options.residual == ResidualRule::Drop) {
          ++sum.residualsDropped;
          sum.droppedLength += residual;
        } else if (options.residual == ResidualRule::Merge && !pieces.empty()) {
          ++sum.residualsMerged;
          pieces.back().second = run.bottom;
        } else {  // keep, or merge into nothing: the run is shorter than one composite
          ++sum.residualsKept;
          pieces.emplace_back(start, run.bottom);
        }
      }
      for (const auto& [a, b] : pieces) emit(run, a, b);
    }
    r = holeEnd;
  }
  return out;
}

}  // namespace orevox
