#pragma once
/// \file element_graph.hpp
/// Element-correlation graphs of the ResGNN graph path (resgnn-pangxidong-2024, sec. 2.3):
/// each geochemical sample is a graph whose nodes are its elements, with an edge where the
/// elements' Pearson correlation is strong, |r| > alpha (ResGNN eq. 1). Graphs have a fixed
/// node count, so they are stored densely for batching: adjacency [G, N, N] and node
/// features [G, N, F] (C-contiguous, the layout of a torch tensor).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "orevox/core/options.hpp"
#include "orevox/geomodel/compositional.hpp"
#include "orevox/geomodel/samples.hpp"

namespace orevox {

class SpatialIndex;

/// How the topology of a sample's graph is obtained.
enum class GraphMode {
  Global,  ///< one topology from the training samples' correlation matrix (as the paper)
  Local,   ///< each sample's own correlation matrix over its k nearest sample neighbours
};

/// "global" / "local"; parseGraphMode throws UsageError naming `option` for anything else.
const NameTable<GraphMode>& graphModeNames();
const char* graphModeName(GraphMode mode);
GraphMode parseGraphMode(const std::string& text, const std::string& option = "--graph");

/// The alpha grid of the paper's Fig. 5 sweep: 0.2, 0.3, ..., 0.8.
std::vector<double> alphaGrid();

/// A dense batch of element graphs. Node features of node n of graph g are
/// features[(g * nodes + n) * featureDim + f]: f = 0 is the sample's clr value of element n,
/// f = 1 + n is 1 (one-hot element identity, so nodes are distinguishable), other f are 0.
/// Adjacency is 0/1 without self loops (models add them as their equations say). When
/// `sharedAdjacency` is true (global mode) `adjacency` holds one N x N matrix used by every
/// graph; otherwise it holds count x N x N.
struct ElementGraphs {
  std::size_t count = 0;       ///< G graphs
  std::size_t nodes = 0;       ///< N elements
  std::size_t featureDim = 0;  ///< F = 1 + N
  bool sharedAdjacency = true;
  std::vector<float> adjacency;
  std::vector<float> features;
  std::vector<int> labels;              ///< one per graph (0 / 1), may be empty
  std::vector<std::string> elements;    ///< node names

  /// Adjacency value A[g][i][j] whatever the storage.
  float edge(std::size_t g, std::size_t i, std::size_t j) const {
    return adjacency[(sharedAdjacency ? 0 : g * nodes * nodes) + i * nodes + j];
  }
  /// Mean number of undirected edges per graph.
  double meanEdges() const;
  /// The graphs listed (in that order), labels kept.
  ElementGraphs subset(const std::vector<std::size_t>& rows) const;
  /// Throws UsageError when sizes disagree.
  void validate() const;
};

/// clr coordinates of the named element columns (ppm) of `samples` after multiplicative
/// replacement of censored values and zeros (replaceCensored at `dlFactor` x DL, on a copy):
/// rows = samples, columns = elements. DataError as replaceCensored / clr.
Eigen::MatrixXd clrFeatures(const SampleTable& samples, const std::vector<std::string>& elements,
                            double dlFactor = kDetectionLimitFactor);

/// Pearson correlation (ResGNN eq. 1) of the columns of `data` over the listed rows only
/// (e.g. the training fold). Unlike geomodel's pearson, a column with zero variance over the
/// rows gets r = 0 with every other column (1 on the diagonal) instead of an error, because
/// small local neighbourhoods can hold a constant column. UsageError for fewer than 2 rows.
Eigen::MatrixXd pearsonRows(const Eigen::MatrixXd& data, const std::vector<std::size_t>& rows);

/// Graphs of the listed rows of `clrValues` that all share `adjacency` (N x N, 0/1, from
/// geomodel's adjacencyMatrix): the `global` mode. `labels` (size = clrValues rows) may be
/// empty. UsageError on size mismatches.
ElementGraphs globalGraphs(const Eigen::MatrixXd& clrValues, const std::vector<int>& labels,
                           const std::vector<std::size_t>& rows, const Eigen::MatrixXd& adjacency,
                           const std::vector<std::string>& elements);

/// Local adjacency of each sample (the `local` mode): for every node of the sample layer,
/// the Pearson correlation of the clr values of the node and its k nearest sample
/// neighbours (SpatialIndex::nearest), thresholded at |r| > alpha. Returns
/// clrValues.rows() x N x N floats (0/1, no self loops). The layer's rows must be the rows of
/// clrValues. Unsupervised: uses element values only, never labels. UsageError for k < 2 or a
/// size mismatch.
std::vector<float> localAdjacency(const SpatialIndex& index, const std::string& layer,
                                  const Eigen::MatrixXd& clrValues, std::size_t k, double alpha);

/// Graphs of the listed rows with per-sample adjacency from localAdjacency.
ElementGraphs localGraphs(const Eigen::MatrixXd& clrValues, const std::vector<int>& labels,
                          const std::vector<std::size_t>& rows, const std::vector<float>& allAdjacency,
                          const std::vector<std::string>& elements);

/// Graphs for feature rows that are not samples (e.g. synthetic minority samples): row i of
/// `clrRows` gets the adjacency of graph `adjacencyFrom[i]` of `source` (shared adjacency is
/// kept shared). Labels from `labels`.
ElementGraphs graphsLike(const ElementGraphs& source, const Eigen::MatrixXd& clrRows,
                         const std::vector<std::size_t>& adjacencyFrom, const std::vector<int>& labels);

/// Concatenates two batches of the same node count (adjacency becomes per graph when the two
/// do not share one identical matrix).
ElementGraphs concatGraphs(const ElementGraphs& a, const ElementGraphs& b);

}  // namespace orevox
