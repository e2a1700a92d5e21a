#pragma once
/// \file correlation.hpp
/// Element correlation and the element correlation graph of the ResGNN graph path.

#include <boost/graph/adjacency_list.hpp>
#include <Eigen/Core>

namespace orevox {

/// Pearson correlation matrix of the columns of `data` (rows = samples, columns =
/// variables): r_uv = cov(u, v) / (sigma_u sigma_v) (ResGNN, Pang et al. 2024, eq. 1);
/// the diagonal is exactly 1. Throws DataError naming the column index for a constant
/// column, and for fewer than 2 rows or a non-finite value.
Eigen::MatrixXd pearson(const Eigen::MatrixXd& data);

/// Undirected element graph: one vertex per element (row of r), edge weight = r_ij.
using CorrelationGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                                               boost::property<boost::edge_weight_t, double>>;

/// The correlation graph of ResGNN (Pang et al. 2024, section 2.3): elements are nodes and
/// an element pair whose correlation exceeds the threshold alpha in strength, |r_ij| > alpha
/// (i != j), is an edge weighted by r_ij (sign kept). Throws UsageError for a non-square r.
CorrelationGraph correlationGraph(const Eigen::MatrixXd& r, double alpha);

/// The same graph as a dense 0/1 adjacency matrix without self loops (for batched models).
Eigen::MatrixXd adjacencyMatrix(const Eigen::MatrixXd& r, double alpha);

/// Adaptive threshold: ResGNN tunes alpha "so that the nodes keep some connection". orevox
/// makes that a rule: the largest alpha on the grid lo, lo + step, ..., <= hi for which the
/// correlation graph is connected (one component, boost::connected_components). Connectivity
/// only gets lost as alpha grows, so for the returned alpha the next grid value (when <= hi)
/// disconnects the graph. If even lo leaves it disconnected, lo is returned.
/// Throws UsageError for a non-square r, step <= 0 or lo > hi.
double adaptiveAlpha(const Eigen::MatrixXd& r, double lo = 0.2, double hi = 0.8, double step = 0.05);

}  // namespace orevox
