#pragma once
// Private to geomodel: the neighbourhood search of estimation.cpp and kriging (kd-trees
// over one field's samples, in the search ellipsoid's frame, with a per-hole limit).

#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <nanoflann.hpp>
#include <vector>

namespace orevox::detail {

/// nanoflann adaptor over a vector of 3D points.
struct PointCloud3 {
  std::vector<Eigen::Vector3d> points;
  std::size_t kdtree_get_point_count() const { return points.size(); }
  double kdtree_get_pt(std::size_t i, std::size_t d) const { return points[i][d]; }
  template <class Box>
  bool kdtree_get_bbox(Box&) const {
    return false;
  }
};
using KdTree3 =
    nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, PointCloud3>,
                                        PointCloud3, 3, std::uint32_t>;

/// One neighbour: the row in the caller's sample list and the squared search distance
/// (Euclidean, or |M (x - s)|^2 with an ellipsoid: 1 = on its surface).
struct Neighbour {
  std::size_t row;
  double d2;
};

/// Samples (rows of the caller's table, with their holes) searched around query points.
class NeighbourSearch {
 public:
  /// `transform`: identity (no ellipsoid, `bounded` false) or the ellipsoid's M (`bounded`:
  /// only samples with |M (x - s)| <= 1). `euclidean`: also a plain tree for
  /// nearestDistance2 (needed when the search space is not Euclidean).
  NeighbourSearch(const std::vector<Eigen::Vector3d>& points, std::vector<std::size_t> rows,
                  std::vector<std::size_t> holes, const Eigen::Matrix3d& transform, bool bounded,
                  bool euclidean)
      : rows_(std::move(rows)), holes_(std::move(holes)), transform_(transform), bounded_(bounded) {
    cloud_.points.reserve(rows_.size());
    for (std::size_t r : rows_) cloud_.points.push_back(transform_ * points[r]);
    tree_ = std::make_unique<KdTree3>(3, cloud_, nanoflann::KDTreeSingleIndexAdaptorParams(10));
    tree_->buildIndex();
    if (euclidean) {
      plain_.points.reserve(rows_.size());
      for (std::size_t r : rows_) plain_.points.push_back(points[r]);
      plainTree_ =
          std::make_unique<KdTree3>(3, plain_, nanoflann::KDTreeSingleIndexAdaptorParams(10));
      plainTree_->buildIndex();
    }
  }

  std::size_t size() const { return rows_.size(); }

  /// Squared Euclidean distance from `x` to the nearest sample.
  double nearestDistance2(const Eigen::Vector3d& x) const {
    const KdTree3& tree = plainTree_ ? *plainTree_ : *tree_;
    std::uint32_t index = 0;
    double d2 = 0.0;
    const Eigen::Vector3d q = plainTree_ ? x : Eigen::Vector3d(transform_ * x);
    tree.knnSearch(q.data(), 1, &index, &d2);
    return d2;
  }

  /// The at most `count` nearest samples (by search distance) inside the ellipsoid (when
  /// bounded), at most `perHole` from one hole (0 = no limit), sorted by distance; ties
  /// broken by the kd-tree's order (deterministic).
  void find(const Eigen::Vector3d& x, std::size_t count, std::size_t perHole,
            std::vector<Neighbour>& out, std::vector<std::uint32_t>& index,
            std::vector<double>& dist2) const {
    out.clear();
    const std::size_t n = rows_.size();
    if (n == 0 || count == 0) return;
    const Eigen::Vector3d q = transform_ * x;
    std::size_t k = std::min(n, perHole > 0 ? count * 4 : count);
    while (true) {
      index.resize(k);
      dist2.resize(k);
      const std::size_t found = tree_->knnSearch(q.data(), k, index.data(), dist2.data());
      out.clear();
      bool ranOut = true;  // every candidate accepted or skipped for its hole
      for (std::size_t c = 0; c < found; ++c) {
        if (bounded_ && dist2[c] > 1.0) {
          ranOut = false;
          break;
        }
        if (perHole > 0) {
          const std::size_t hole = holes_[index[c]];
          std::size_t same = 0;
          for (const auto& nb : out) same += holes_[nb.row] == hole;  // nb.row: local until mapped
          if (same >= perHole) continue;
        }
        out.push_back({index[c], dist2[c]});
        if (out.size() == count) {
          ranOut = false;
          break;
        }
      }
      if (!ranOut || found < k || k == n) break;
      k = std::min(n, k * 2);
    }
    for (auto& nb : out) nb.row = rows_[nb.row];
  }

 private:
  std::vector<std::size_t> rows_, holes_;
  Eigen::Matrix3d transform_;
  bool bounded_;
  PointCloud3 cloud_, plain_;
  std::unique_ptr<KdTree3> tree_, plainTree_;
};

}  // namespace orevox::detail
