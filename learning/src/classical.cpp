#include "orevox/learning/classical.hpp"

#include <libsvm/svm.h>
#include <nanoflann.hpp>
#include <xgboost/c_api.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "orevox/core/error.hpp"
#include "orevox/geomodel/kmeans.hpp"
#include "orevox/core/runtime.hpp"

namespace orevox {

const char* classicalModelName(ClassicalModel model) {
  switch (model) {
    case ClassicalModel::Knn: return "knn";
    case ClassicalModel::KMeans: return "kmeans";
    case ClassicalModel::Svm: return "svm";
    case ClassicalModel::RandomForest: return "rf";
    case ClassicalModel::Xgboost: return "xgb";
  }
  return "?";
}

bool parseClassicalModel(const std::string& text, ClassicalModel& model) {
  for (auto m : {ClassicalModel::Knn, ClassicalModel::KMeans, ClassicalModel::Svm, ClassicalModel::RandomForest,
                 ClassicalModel::Xgboost}) {
    if (text == classicalModelName(m)) {
      model = m;
      return true;
    }
  }
  return false;
}

namespace {

double logistic(double v) { return 1.0 / (1.0 + std::exp(-v)); }

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using KdTree = nanoflann::KDTreeEigenMatrixAdaptor<RowMatrix, -1, nanoflann::metric_L2_Simple>;

std::vector<double> knn(const Eigen::MatrixXd& trainX, const std::vector<int>& y, const Eigen::MatrixXd& testX,
                        int k, std::pair<double, double> w) {
  const RowMatrix data = trainX;
  KdTree tree(data.cols(), std::cref(data), 10);
  const auto kk = std::size_t(std::min<Eigen::Index>(k, data.rows()));
  std::vector<double> scores(std::size_t(testX.rows()));
  std::vector<Eigen::Index> idx(kk);
  std::vector<double> dist(kk);
  for (Eigen::Index i = 0; i < testX.rows(); ++i) {
    const Eigen::RowVectorXd q = testX.row(i);
    const std::size_t found = tree.index->knnSearch(q.data(), kk, idx.data(), dist.data());
    double pos = 0, all = 0;
    for (std::size_t t = 0; t < found; ++t) {
      const bool p = y[std::size_t(idx[t])] == 1;
      pos += p ? w.second : 0.0;
      all += p ? w.second : w.first;
    }
    scores[std::size_t(i)] = all > 0 ? pos / all : 0.0;
  }
  return scores;
}

std::vector<double> kmeansClassifier(const Eigen::MatrixXd& trainX, const std::vector<int>& y,
                                     const Eigen::MatrixXd& testX, int clusters, std::pair<double, double> w,
                                     std::uint64_t seed) {
  const int k = std::min<int>(clusters, int(trainX.rows()));
  const KMeansResult km = kmeans(trainX, k, seed, 100, 4);
  std::vector<double> pos(std::size_t(k), 0.0), all(std::size_t(k), 0.0);
  for (std::size_t i = 0; i < y.size(); ++i) {
    const auto c = std::size_t(km.assignment[i]);
    pos[c] += y[i] == 1 ? w.second : 0.0;
    all[c] += y[i] == 1 ? w.second : w.first;
  }
  std::vector<double> scores(std::size_t(testX.rows()));
  for (Eigen::Index i = 0; i < testX.rows(); ++i) {
    Eigen::Index c = 0;
    (km.centres.rowwise() - testX.row(i)).rowwise().squaredNorm().minCoeff(&c);
    scores[std::size_t(i)] = all[std::size_t(c)] > 0 ? pos[std::size_t(c)] / all[std::size_t(c)] : 0.0;
  }
  return scores;
}

void quietSvm(const char*) {}

std::vector<double> svm(const Eigen::MatrixXd& trainX, const std::vector<int>& y, const Eigen::MatrixXd& testX,
                        const ClassicalOptions& o, std::pair<double, double> w) {
  svm_set_print_string_function(&quietSvm);
  const int d = int(trainX.cols());
  // libsvm wants sparse rows terminated by index -1; store all features densely.
  std::vector<svm_node> nodes(std::size_t(trainX.rows()) * std::size_t(d + 1));
  std::vector<svm_node*> rows(std::size_t(trainX.rows()));
  std::vector<double> target(std::size_t(trainX.rows()));
  for (Eigen::Index i = 0; i < trainX.rows(); ++i) {
    svm_node* row = nodes.data() + std::size_t(i) * std::size_t(d + 1);
    for (int j = 0; j < d; ++j) row[j] = {j + 1, trainX(i, j)};
    row[d] = {-1, 0.0};
    rows[std::size_t(i)] = row;
    target[std::size_t(i)] = y[std::size_t(i)] == 1 ? 1.0 : -1.0;
  }
  svm_problem prob{};
  prob.l = int(trainX.rows());
  prob.y = target.data();
  prob.x = rows.data();
  svm_parameter param{};
  param.svm_type = C_SVC;
  param.kernel_type = RBF;
  param.gamma = o.svmGamma > 0 ? o.svmGamma : 1.0 / d;
  param.cache_size = 200;
  param.eps = 1e-3;
  param.C = o.svmC;
  int labels[2] = {-1, 1};
  double weights[2] = {w.first, w.second};
  param.nr_weight = 2;
  param.weight_label = labels;
  param.weight = weights;
  param.shrinking = 1;
  param.probability = 0;
  if (const char* err = svm_check_parameter(&prob, &param)) throw UsageError(std::string("SVM: ") + err);
  std::unique_ptr<svm_model, void (*)(svm_model*)> model(svm_train(&prob, &param), [](svm_model* m) {
    svm_free_and_destroy_model(&m);
  });
  // Decision values are for label order model->label[0] vs [1].
  int order[2];
  svm_get_labels(model.get(), order);
  const double sign = order[0] == 1 ? 1.0 : -1.0;
  std::vector<double> scores(std::size_t(testX.rows()));
  std::vector<svm_node> q(std::size_t(d + 1));
  for (Eigen::Index i = 0; i < testX.rows(); ++i) {
    for (int j = 0; j < d; ++j) q[std::size_t(j)] = {j + 1, testX(i, j)};
    q[std::size_t(d)] = {-1, 0.0};
    double dec = 0;
    svm_predict_values(model.get(), q.data(), &dec);
    scores[std::size_t(i)] = logistic(sign * dec);
  }
  return scores;
}

void xgCheck(int rc, const char* what) {
  if (rc != 0) throw DataError(std::string("xgboost ") + what + ": " + XGBGetLastError());
}

struct DMatrix {
  DMatrixHandle h = nullptr;
  DMatrix(const Eigen::MatrixXd& x) {
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> f = x.cast<float>();
    xgCheck(XGDMatrixCreateFromMat(f.data(), bst_ulong(f.rows()), bst_ulong(f.cols()), std::nanf(""), &h),
            "DMatrix");
  }
  ~DMatrix() { XGDMatrixFree(h); }
};

std::vector<double> xgboost(const Eigen::MatrixXd& trainX, const std::vector<int>& y, const Eigen::MatrixXd& testX,
                            const ClassicalOptions& o, std::pair<double, double> w, std::uint64_t seed, bool forest) {
  DMatrix train(trainX);
  std::vector<float> label(y.size()), weight(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) {
    label[i] = y[i] == 1 ? 1.0f : 0.0f;
    weight[i] = float(y[i] == 1 ? w.second : w.first);
  }
  xgCheck(XGDMatrixSetFloatInfo(train.h, "label", label.data(), bst_ulong(label.size())), "label");
  xgCheck(XGDMatrixSetFloatInfo(train.h, "weight", weight.data(), bst_ulong(weight.size())), "weight");
  BoosterHandle booster = nullptr;
  xgCheck(XGBoosterCreate(&train.h, 1, &booster), "booster");
  std::unique_ptr<void, int (*)(BoosterHandle)> guard(booster, XGBoosterFree);
  auto set = [&](const char* k, const std::string& v) { xgCheck(XGBoosterSetParam(booster, k, v.c_str()), k); };
  const int threads = o.threads > 0 ? o.threads : threadCount();
  set("objective", "binary:logistic");
  set("nthread", std::to_string(threads));
  set("seed", std::to_string(seed % 2147483647));
  set("verbosity", "0");
  set("tree_method", "hist");
  int rounds = o.boostRounds;
  if (forest) {
    const double d = double(trainX.cols());
    set("num_parallel_tree", std::to_string(o.forestTrees));
    set("subsample", "0.632");
    set("colsample_bynode", std::to_string(std::sqrt(d) / d));
    set("eta", "1");
    set("max_depth", "12");
    set("min_child_weight", "1");
    set("lambda", "1e-5");
    rounds = 1;
  } else {
    set("max_depth", std::to_string(o.boostDepth));
    set("eta", std::to_string(o.boostEta));
  }
  for (int r = 0; r < rounds; ++r) xgCheck(XGBoosterUpdateOneIter(booster, r, train.h), "training");
  DMatrix test(testX);
  bst_ulong n = 0;
  const float* out = nullptr;
  xgCheck(XGBoosterPredict(booster, test.h, 0, 0, 0, &n, &out), "prediction");
  if (n != bst_ulong(testX.rows())) throw DataError("xgboost returned a wrong number of predictions");
  return std::vector<double>(out, out + n);
}

}  // namespace

std::vector<double> fitPredictClassical(ClassicalModel model, const Eigen::MatrixXd& trainX,
                                        const std::vector<int>& trainY, const Eigen::MatrixXd& testX,
                                        const ClassicalOptions& options, std::uint64_t seed,
                                        std::pair<double, double> classWeights) {
  if (trainY.size() != std::size_t(trainX.rows()) || trainX.rows() == 0) {
    throw UsageError("classical model: one label per training row needed (and at least one row)");
  }
  if (testX.cols() != trainX.cols()) throw UsageError("classical model: train and test feature counts differ");
  if (testX.rows() == 0) return {};
  switch (model) {
    case ClassicalModel::Knn: return knn(trainX, trainY, testX, options.knnK, classWeights);
    case ClassicalModel::KMeans: return kmeansClassifier(trainX, trainY, testX, options.clusters, classWeights, seed);
    case ClassicalModel::Svm: return svm(trainX, trainY, testX, options, classWeights);
    case ClassicalModel::RandomForest: return xgboost(trainX, trainY, testX, options, classWeights, seed, true);
    case ClassicalModel::Xgboost: return xgboost(trainX, trainY, testX, options, classWeights, seed, false);
  }
  return {};
}

}  // namespace orevox
