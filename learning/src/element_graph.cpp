#include "orevox/learning/element_graph.hpp"

#include <tbb/parallel_for.h>

#include <cmath>

#include "orevox/geomodel/compositional.hpp"
#include "orevox/core/error.hpp"
#include "orevox/voxel/spatial_index.hpp"

namespace orevox {

const NameTable<GraphMode>& graphModeNames() {
  static const NameTable<GraphMode> names = {{"global", GraphMode::Global},
                                             {"local", GraphMode::Local}};
  return names;
}

const char* graphModeName(GraphMode mode) { return nameOf(graphModeNames(), mode).c_str(); }

GraphMode parseGraphMode(const std::string& text, const std::string& option) {
  return parseName(graphModeNames(), text, option);
}

std::vector<double> alphaGrid() { return {0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}; }

double ElementGraphs::meanEdges() const {
  if (count == 0) return 0.0;
  double ones = 0.0;
  for (float a : adjacency) ones += a;
  const double perGraph = sharedAdjacency ? ones : ones / double(count);
  return perGraph / 2.0;
}

void ElementGraphs::validate() const {
  const std::size_t nn = nodes * nodes;
  const bool adjOk = sharedAdjacency ? adjacency.size() == nn : adjacency.size() == count * nn;
  if (!adjOk || features.size() != count * nodes * featureDim || (!labels.empty() && labels.size() != count) ||
      elements.size() != nodes) {
    throw UsageError("ElementGraphs: inconsistent sizes (" + std::to_string(count) + " graphs of " +
                     std::to_string(nodes) + " nodes)");
  }
}

ElementGraphs ElementGraphs::subset(const std::vector<std::size_t>& rows) const {
  ElementGraphs out;
  out.count = rows.size();
  out.nodes = nodes;
  out.featureDim = featureDim;
  out.sharedAdjacency = sharedAdjacency;
  out.elements = elements;
  const std::size_t nn = nodes * nodes, nf = nodes * featureDim;
  out.features.resize(rows.size() * nf);
  if (sharedAdjacency) {
    out.adjacency = adjacency;
  } else {
    out.adjacency.resize(rows.size() * nn);
  }
  if (!labels.empty()) out.labels.resize(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::size_t r = rows[i];
    if (r >= count) throw UsageError("ElementGraphs::subset: row " + std::to_string(r) + " out of range");
    std::copy_n(features.begin() + long(r * nf), nf, out.features.begin() + long(i * nf));
    if (!sharedAdjacency) std::copy_n(adjacency.begin() + long(r * nn), nn, out.adjacency.begin() + long(i * nn));
    if (!labels.empty()) out.labels[i] = labels[r];
  }
  return out;
}

Eigen::MatrixXd clrFeatures(const SampleTable& samples, const std::vector<std::string>& elements, double dlFactor) {
  if (elements.size() < 2) throw UsageError("--elements: a composition needs at least 2 elements");
  SampleTable copy = samples;
  replaceCensored(copy, elements, dlFactor, 1e6);
  return clr(copy.matrix(elements));
}

Eigen::MatrixXd pearsonRows(const Eigen::MatrixXd& data, const std::vector<std::size_t>& rows) {
  if (rows.size() < 2) throw UsageError("Pearson correlation needs at least 2 rows, got " + std::to_string(rows.size()));
  const Eigen::Index d = data.cols();
  Eigen::MatrixXd sub(Eigen::Index(rows.size()), d);
  for (std::size_t i = 0; i < rows.size(); ++i) sub.row(Eigen::Index(i)) = data.row(Eigen::Index(rows[i]));
  Eigen::MatrixXd centred = sub.rowwise() - sub.colwise().mean();
  std::vector<bool> constant(std::size_t(d), false);
  for (Eigen::Index j = 0; j < d; ++j) {
    const double norm = centred.col(j).norm();
    const double scale = std::max(1.0, sub.col(j).cwiseAbs().maxCoeff());
    if (!(norm > 1e-12 * scale * std::sqrt(double(rows.size())))) {
      constant[std::size_t(j)] = true;
      centred.col(j).setZero();
    } else {
      centred.col(j) /= norm;
    }
  }
  Eigen::MatrixXd r = centred.transpose() * centred;
  for (Eigen::Index j = 0; j < d; ++j) r(j, j) = 1.0;
  return r.cwiseMax(-1.0).cwiseMin(1.0);
}

namespace {

void fillFeatures(const Eigen::MatrixXd& clrValues, const std::vector<std::size_t>& rows, ElementGraphs& g) {
  const std::size_t n = g.nodes, f = g.featureDim;
  g.features.assign(rows.size() * n * f, 0.0f);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t e = 0; e < n; ++e) {
      float* node = g.features.data() + (i * n + e) * f;
      node[0] = float(clrValues(Eigen::Index(rows[i]), Eigen::Index(e)));
      node[1 + e] = 1.0f;
    }
  }
}

ElementGraphs emptyGraphs(const Eigen::MatrixXd& clrValues, const std::vector<int>& labels,
                          const std::vector<std::size_t>& rows, const std::vector<std::string>& elements) {
  if (elements.size() != std::size_t(clrValues.cols())) {
    throw UsageError("element graphs: " + std::to_string(elements.size()) + " element names for " +
                     std::to_string(clrValues.cols()) + " clr columns");
  }
  if (!labels.empty() && labels.size() != std::size_t(clrValues.rows())) {
    throw UsageError("element graphs: label count differs from the sample count");
  }
  ElementGraphs g;
  g.count = rows.size();
  g.nodes = elements.size();
  g.featureDim = 1 + g.nodes;
  g.elements = elements;
  for (auto r : rows) {
    if (r >= std::size_t(clrValues.rows())) throw UsageError("element graphs: row " + std::to_string(r) + " out of range");
  }
  if (!labels.empty()) {
    g.labels.reserve(rows.size());
    for (auto r : rows) g.labels.push_back(labels[r]);
  }
  fillFeatures(clrValues, rows, g);
  return g;
}

}  // namespace

ElementGraphs globalGraphs(const Eigen::MatrixXd& clrValues, const std::vector<int>& labels,
                           const std::vector<std::size_t>& rows, const Eigen::MatrixXd& adjacency,
                           const std::vector<std::string>& elements) {
  ElementGraphs g = emptyGraphs(clrValues, labels, rows, elements);
  if (adjacency.rows() != Eigen::Index(g.nodes) || adjacency.cols() != Eigen::Index(g.nodes)) {
    throw UsageError("globalGraphs: adjacency is not " + std::to_string(g.nodes) + " x " + std::to_string(g.nodes));
  }
  g.sharedAdjacency = true;
  g.adjacency.resize(g.nodes * g.nodes);
  for (std::size_t i = 0; i < g.nodes; ++i)
    for (std::size_t j = 0; j < g.nodes; ++j)
      g.adjacency[i * g.nodes + j] = i == j ? 0.0f : float(adjacency(Eigen::Index(i), Eigen::Index(j)) != 0.0);
  return g;
}

std::vector<float> localAdjacency(const SpatialIndex& index, const std::string& layer,
                                  const Eigen::MatrixXd& clrValues, std::size_t k, double alpha) {
  if (k < 2) throw UsageError("local graphs: k must be at least 2, got " + std::to_string(k));
  const std::size_t count = index.samples(layer).size();
  if (count != std::size_t(clrValues.rows())) {
    throw UsageError("local graphs: layer '" + layer + "' has " + std::to_string(count) + " samples but " +
                     std::to_string(clrValues.rows()) + " clr rows");
  }
  const std::size_t n = std::size_t(clrValues.cols());
  std::vector<float> adjacency(count * n * n, 0.0f);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count), [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t s = range.begin(); s != range.end(); ++s) {
      std::vector<std::size_t> rows{s};
      for (const auto& nb : index.nearest(layer, s, k)) rows.push_back(nb.index);
      if (rows.size() < 3) continue;  // too few neighbours for a correlation: no edges
      const Eigen::MatrixXd r = pearsonRows(clrValues, rows);
      float* a = adjacency.data() + s * n * n;
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
          a[i * n + j] = (i != j && std::abs(r(Eigen::Index(i), Eigen::Index(j))) > alpha) ? 1.0f : 0.0f;
    }
  });
  return adjacency;
}

ElementGraphs localGraphs(const Eigen::MatrixXd& clrValues, const std::vector<int>& labels,
                          const std::vector<std::size_t>& rows, const std::vector<float>& allAdjacency,
                          const std::vector<std::string>& elements) {
  ElementGraphs g = emptyGraphs(clrValues, labels, rows, elements);
  const std::size_t nn = g.nodes * g.nodes;
  if (allAdjacency.size() != std::size_t(clrValues.rows()) * nn) {
    throw UsageError("localGraphs: adjacency holds " + std::to_string(allAdjacency.size()) + " values, expected " +
                     std::to_string(std::size_t(clrValues.rows()) * nn));
  }
  g.sharedAdjacency = false;
  g.adjacency.resize(rows.size() * nn);
  for (std::size_t i = 0; i < rows.size(); ++i)
    std::copy_n(allAdjacency.begin() + long(rows[i] * nn), nn, g.adjacency.begin() + long(i * nn));
  return g;
}

ElementGraphs graphsLike(const ElementGraphs& source, const Eigen::MatrixXd& clrRows,
                         const std::vector<std::size_t>& adjacencyFrom, const std::vector<int>& labels) {
  if (adjacencyFrom.size() != std::size_t(clrRows.rows()) || labels.size() != std::size_t(clrRows.rows())) {
    throw UsageError("graphsLike: one adjacency source and one label per row are needed");
  }
  std::vector<std::size_t> all(std::size_t(clrRows.rows()));
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  ElementGraphs g = emptyGraphs(clrRows, labels, all, source.elements);
  g.sharedAdjacency = source.sharedAdjacency;
  const std::size_t nn = g.nodes * g.nodes;
  if (source.sharedAdjacency) {
    g.adjacency = source.adjacency;
  } else {
    g.adjacency.resize(all.size() * nn);
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (adjacencyFrom[i] >= source.count) throw UsageError("graphsLike: adjacency source out of range");
      std::copy_n(source.adjacency.begin() + long(adjacencyFrom[i] * nn), nn, g.adjacency.begin() + long(i * nn));
    }
  }
  return g;
}

ElementGraphs concatGraphs(const ElementGraphs& a, const ElementGraphs& b) {
  if (a.count == 0) return b;
  if (b.count == 0) return a;
  if (a.nodes != b.nodes || a.featureDim != b.featureDim) throw UsageError("concatGraphs: node counts differ");
  if (a.labels.empty() != b.labels.empty()) throw UsageError("concatGraphs: one batch has labels, the other not");
  ElementGraphs out;
  out.count = a.count + b.count;
  out.nodes = a.nodes;
  out.featureDim = a.featureDim;
  out.elements = a.elements;
  out.features = a.features;
  out.features.insert(out.features.end(), b.features.begin(), b.features.end());
  out.labels = a.labels;
  out.labels.insert(out.labels.end(), b.labels.begin(), b.labels.end());
  const std::size_t nn = a.nodes * a.nodes;
  if (a.sharedAdjacency && b.sharedAdjacency && a.adjacency == b.adjacency) {
    out.sharedAdjacency = true;
    out.adjacency = a.adjacency;
    return out;
  }
  out.sharedAdjacency = false;
  out.adjacency.reserve(out.count * nn);
  for (const ElementGraphs* g : {&a, &b}) {
    if (g->sharedAdjacency) {
      for (std::size_t i = 0; i < g->count; ++i) out.adjacency.insert(out.adjacency.end(), g->adjacency.begin(), g->adjacency.end());
    } else {
      out.adjacency.insert(out.adjacency.end(), g->adjacency.begin(), g->adjacency.end());
    }
  }
  return out;
}

}  // namespace orevox
