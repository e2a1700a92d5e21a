#pragma once
/// \file classical.hpp
/// Classical baselines of resgnn-pangxidong-2024 Table 2 on the same clr feature vectors as
/// the graph models: kNN (nanoflann), k-means (cluster -> majority label), SVM (libsvm,
/// RBF), random forest and gradient boosting (xgboost). The libraries are private to
/// orevox::learning; this header is plain C++.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

namespace orevox {

/// Which classical model.
enum class ClassicalModel { Knn, KMeans, Svm, RandomForest, Xgboost };
/// "knn", "kmeans", "svm", "rf", "xgb".
const char* classicalModelName(ClassicalModel model);
/// True (and `model` set) when `text` names a classical model.
bool parseClassicalModel(const std::string& text, ClassicalModel& model);

/// Hyper-parameters (defaults: common textbook values, not tuned on synth2d).
struct ClassicalOptions {
  int knnK = 15;           ///< kNN: neighbours
  int clusters = 8;        ///< k-means: clusters
  double svmC = 1.0;       ///< SVM: C
  double svmGamma = 0.0;   ///< SVM: RBF gamma; 0 = 1 / features
  int forestTrees = 200;   ///< RF: trees (xgboost num_parallel_tree, one round, eta 1)
  int boostRounds = 200;   ///< XGB: boosting rounds
  int boostDepth = 4;      ///< XGB: max_depth (RF: 12)
  double boostEta = 0.1;   ///< XGB: learning rate
  int threads = 0;         ///< xgboost nthread; 0 = orevox::threadCount()
};

/// Trains `model` on (trainX, trainY) with optional per-class weights {w0, w1} and returns a
/// score in [0, 1] for each row of testX (>= 0.5 = predicted ore-bearing):
///  - kNN: weighted share of class 1 among the k nearest training rows (Euclidean);
///  - k-means: the weighted share of class 1 in the nearest centre's cluster (k-means on
///    the training rows, geomodel kmeans with `seed`);
///  - SVM: C-SVC with RBF kernel, class weights on C; score = logistic(decision value);
///  - RF: xgboost with num_parallel_tree trees, row subsample 0.632, column subsample
///    sqrt(d)/d per node, one round at eta 1; score = mean leaf value through the logistic
///    link; XGB: gradient boosting, binary:logistic.
/// Deterministic for a seed. UsageError on shape mismatches, DataError when a library fails.
std::vector<double> fitPredictClassical(ClassicalModel model, const Eigen::MatrixXd& trainX,
                                        const std::vector<int>& trainY, const Eigen::MatrixXd& testX,
                                        const ClassicalOptions& options, std::uint64_t seed,
                                        std::pair<double, double> classWeights = {1.0, 1.0});

}  // namespace orevox
