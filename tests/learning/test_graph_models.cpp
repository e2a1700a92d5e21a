// LibTorch models of the graph path: GCN normalisation and GAT attention on a hand-checked
// graph, the residual identity of ResGNN eq. 2, generators, determinism of a whole run.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <fstream>
#include <random>

#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/learning/torch/graph_experiment.hpp"
#include "orevox/learning/torch/graph_models.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"

using namespace orevox;

namespace {

// Path graph 0 - 1 - 2.
const std::vector<float> kPath{0, 1, 0, 1, 0, 1, 0, 1, 0};

/// Tiny labelled graphs: class 1 has a high clr value on node 0.
ElementGraphs tinyGraphs(int count, std::uint64_t seed) {
  Rng rng = makeRng(seed, 0);
  std::normal_distribution<double> n(0, 0.3);
  Eigen::MatrixXd z(count, 3);
  std::vector<int> y(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    y[std::size_t(i)] = i % 2;
    z.row(i) << n(rng) + (i % 2 ? 1.5 : -1.5), n(rng), n(rng);
  }
  std::vector<std::size_t> rows(static_cast<std::size_t>(count));
  std::iota(rows.begin(), rows.end(), 0);
  Eigen::MatrixXd a(3, 3);
  a << 0, 1, 0, 1, 0, 1, 0, 1, 0;
  return globalGraphs(z, y, rows, a, {"a", "b", "c"});
}

}  // namespace

TEST(GraphModels, GcnNormalisationByHand) {
  // A + I degrees 2, 3, 2: A^_ij = (A + I)_ij / sqrt(d_i d_j).
  const auto a = gcnNormalizedAdjacency(kPath, 3);
  const std::vector<double> expected{1.0 / 2, 1 / std::sqrt(6.0), 0, 1 / std::sqrt(6.0),
                                     1.0 / 3, 1 / std::sqrt(6.0), 0, 1 / std::sqrt(6.0),
                                     1.0 / 2};
  for (std::size_t i = 0; i < 9; ++i) EXPECT_NEAR(a[i], expected[i], 1e-6) << i;
}

TEST(GraphModels, GatAttentionByHand) {
  // z (1-d) = -2, 1, 0.5; aL = 1, aR = 2: e_ij = LeakyReLU_0.2(z_i + 2 z_j).
  const std::vector<float> z{-2, 1, 0.5f};
  const auto alpha = gatAttention(kPath, 3, z, 1, {1.0f}, {2.0f});
  auto lrelu = [](double v) { return v > 0 ? v : 0.2 * v; };
  const std::vector<double> zz{-2, 1, 0.5};
  for (int i = 0; i < 3; ++i) {
    double sum = 0;
    std::vector<double> ex(3, 0.0);
    for (int j = 0; j < 3; ++j) {
      if (i == j || kPath[std::size_t(i * 3 + j)] > 0) {
        ex[std::size_t(j)] = std::exp(lrelu(zz[std::size_t(i)] + 2 * zz[std::size_t(j)]));
        sum += ex[std::size_t(j)];
      }
    }
    for (int j = 0; j < 3; ++j)
      EXPECT_NEAR(alpha[std::size_t(i * 3 + j)], ex[std::size_t(j)] / sum, 1e-6) << i << j;
  }
  EXPECT_FLOAT_EQ(alpha[2], 0.0f);  // 0 and 2 are not neighbours
}

TEST(GraphModels, ResidualLayerPassesInputThroughWhenFIsZero) {
  const ElementGraphs g = tinyGraphs(8, 1);
  for (auto kind : {GraphModelKind::ResGcn, GraphModelKind::ResGat}) {
    GraphTrainOptions o;
    o.hidden = 8;
    GraphClassifier c(kind, 3, 4, o);
    c.zeroLayer(1);
    const auto h = c.layerOutputs(g);
    ASSERT_EQ(h.size(), 3u);
    // H2 = F(H1, 0) + H1 = H1 (ResGNN eq. 2), and H1 is not trivially zero.
    EXPECT_EQ(h[1], h[0]) << graphModelName(kind);
    EXPECT_GT(std::accumulate(h[0].begin(), h[0].end(), 0.0,
                              [](double s, float v) { return s + std::abs(v); }),
              0.0);
  }
  // Without the residual path the zeroed layer outputs zeros.
  GraphTrainOptions o;
  o.hidden = 8;
  GraphClassifier plain(GraphModelKind::Gcn, 3, 4, o);
  plain.zeroLayer(1);
  const auto hp = plain.layerOutputs(g);
  for (float v : hp[1]) EXPECT_EQ(v, 0.0f);
}

TEST(GraphModels, SharedAndPerGraphAdjacencyGiveTheSameOutputs) {
  // Global graphs run node-major with one [N, N] product per layer; the same graphs with the
  // adjacency copied per graph run the batched [B, N, N] path: same numbers either way.
  const ElementGraphs shared = tinyGraphs(37, 5);
  ElementGraphs perGraph = shared;
  perGraph.sharedAdjacency = false;
  perGraph.adjacency.clear();
  for (std::size_t g = 0; g < shared.count; ++g)
    perGraph.adjacency.insert(perGraph.adjacency.end(), shared.adjacency.begin(),
                              shared.adjacency.end());
  for (auto kind : allGraphModels()) {
    GraphTrainOptions o;
    o.hidden = 8;
    o.seed = 6;
    GraphClassifier c(kind, 3, 4, o);
    const auto a = c.predict(shared, 16), b = c.predict(perGraph, 16);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i)
      EXPECT_NEAR(a[i], b[i], 1e-5) << graphModelName(kind) << " graph " << i;
    if (kind == GraphModelKind::DiffPool) continue;
    const auto ha = c.layerOutputs(shared), hb = c.layerOutputs(perGraph);
    ASSERT_EQ(ha.size(), hb.size());
    for (std::size_t l = 0; l < ha.size(); ++l) {
      ASSERT_EQ(ha[l].size(), hb[l].size());
      for (std::size_t i = 0; i < ha[l].size(); ++i)
        ASSERT_NEAR(ha[l][i], hb[l][i], 1e-5) << graphModelName(kind);
    }
  }
}

TEST(GraphModels, EveryModelLearnsASeparableTaskAndIsDeterministic) {
  configureTorch(1, 1);
  const ElementGraphs train = tinyGraphs(96, 2), test = tinyGraphs(40, 3);
  for (auto kind : allGraphModels()) {
    GraphTrainOptions o;
    o.hidden = 16;
    o.epochs = 25;
    o.batchSize = 16;
    o.learningRate = 0.01;
    o.dropout = 0.1;
    o.seed = 4;
    GraphClassifier a(kind, 3, 4, o), b(kind, 3, 4, o);
    const GraphTrainLog la = a.fit(train);
    const GraphTrainLog lb = b.fit(train);
    ASSERT_EQ(la.epochLoss.size(), 25u);
    EXPECT_EQ(la.epochLoss, lb.epochLoss) << graphModelName(kind);
    EXPECT_LT(la.epochLoss.back(), la.epochLoss.front()) << graphModelName(kind);
    const auto pa = a.predict(test);
    EXPECT_EQ(pa, b.predict(test)) << graphModelName(kind);
    EXPECT_GT(rocAuc(test.labels, pa), 0.95) << graphModelName(kind);
    // Batches spread over two threads (batch 8: 5 batches) give the same numbers as one thread.
    const auto oneThread = a.predict(test, 8);
    configureTorch(2, 1);
    EXPECT_EQ(a.predict(test, 8), oneThread) << graphModelName(kind);
    EXPECT_EQ(torchInfo().intraOpThreads, 2);  // restored after the workers ran with 1
    configureTorch(1, 1);
  }
}

TEST(GraphModels, GeneratorsMakeMinorityLikeRowsDeterministically) {
  Rng rng = makeRng(8, 0);
  std::normal_distribution<double> n(0, 1);
  Eigen::MatrixXd m(40, 3);
  for (int i = 0; i < 40; ++i) m.row(i) << 5 + n(rng), -3 + 0.5 * n(rng), n(rng);
  GeneratorOptions o;
  o.epochs = 60;
  for (auto method : {Oversampler::Vae, Oversampler::Gan}) {
    const auto gen = minorityGenerator(method, o);
    const Eigen::MatrixXd a = gen(m, 200, 3), b = gen(m, 200, 3);
    ASSERT_EQ(a.rows(), 200);
    EXPECT_EQ((a - b).cwiseAbs().maxCoeff(), 0.0) << oversamplerName(method);
    // Column means of generated rows near the minority's (loose: few epochs).
    EXPECT_NEAR(a.col(0).mean(), 5.0, 1.5) << oversamplerName(method);
    EXPECT_NEAR(a.col(1).mean(), -3.0, 1.0) << oversamplerName(method);
  }
}

TEST(GraphModels, WholeRunIsDeterministicAndSpatialTestsRealSamplesOnly) {
  configureTorch(1, 1);
  // 300 samples on a 15 x 20 grid, 4 elements, ore where the first part is enriched.
  SampleTable t;
  Rng rng = makeRng(12, 0);
  std::lognormal_distribution<double> ln(0, 0.3);
  for (int i = 0; i < 300; ++i) t.addPoint((i % 15) * 500.0, (i / 15) * 500.0);
  for (const char* e : {"Au", "As", "Cu", "Zn"}) t.addColumn(e, 0, "ppm");
  t.labels.assign(300, 0);
  for (std::size_t i = 0; i < 300; ++i) {
    const bool ore = (i % 15) < 4 && (i / 15) % 5 < 2;
    t.labels[i] = ore;
    t.column("Au").values[i] = (ore ? 8.0 : 1.0) * ln(rng);
    t.column("As").values[i] = (ore ? 4.0 : 1.0) * ln(rng) * 10;
    t.column("Cu").values[i] = ln(rng) * 30;
    t.column("Zn").values[i] = ln(rng) * 60;
  }
  GraphExperimentOptions o;
  o.folds = 4;
  o.blockSize = 2500;
  o.oversampler = Oversampler::Smote;
  o.train.epochs = 3;
  o.train.hidden = 16;
  o.bootstrap = 20;
  o.seed = 6;
  const GraphData d = prepareGraphData(t, {"Au", "As", "Cu", "Zn"}, o);
  EXPECT_DOUBLE_EQ(d.blockSize, 2500.0);
  for (const std::string model : {"resgcn", "knn"}) {
    const ModelRun a = runGraphModel(d, model, o), b = runGraphModel(d, model, o);
    EXPECT_EQ(a.mean.accuracy, b.mean.accuracy) << model;
    EXPECT_EQ(a.pooled.auc, b.pooled.auc) << model;
    EXPECT_EQ(a.firstFoldLoss, b.firstFoldLoss) << model;
    EXPECT_FALSE(a.leaky);
    // Every real sample is tested exactly once (one score each), on the real data.
    std::size_t scored = 0;
    for (double s : a.scores) scored += std::isnan(s) ? 0 : 1;
    EXPECT_EQ(scored, 300u);
    EXPECT_EQ(a.pooled.confusion.tp + a.pooled.confusion.fn + a.pooled.confusion.tn +
                  a.pooled.confusion.fp,
              300u);
    // The out-of-fold node AUC: every scored sample against its label, by brute force.
    double wins = 0, pairs = 0;
    for (std::size_t i = 0; i < 300; ++i)
      for (std::size_t j = 0; j < 300; ++j)
        if (t.labels[i] == 1 && t.labels[j] == 0 && !std::isnan(a.scores[i]) &&
            !std::isnan(a.scores[j])) {
          pairs += 1;
          wins += a.scores[i] > a.scores[j] ? 1.0 : (a.scores[i] == a.scores[j] ? 0.5 : 0.0);
        }
    EXPECT_EQ(a.oofMap.cells, 300u) << model;
    EXPECT_EQ(a.oofMap.positives, 32u) << model;
    EXPECT_NEAR(a.oofMap.auc, wins / pairs, 1e-12) << model;
    EXPECT_LE(a.oofMap.low, a.oofMap.auc) << model;
    EXPECT_GE(a.oofMap.high, a.oofMap.auc) << model;
  }
  o.protocol = Protocol::Paper;
  const ModelRun p = runGraphModel(d, "knn", o);
  EXPECT_TRUE(p.leaky);
  // Oversampled before the split: the test folds hold the synthetic rows too.
  EXPECT_GT(p.syntheticRows, 0u);
  EXPECT_EQ(
      p.pooled.confusion.tp + p.pooled.confusion.fn + p.pooled.confusion.tn + p.pooled.confusion.fp,
      300u + p.syntheticRows);
}

TEST(GraphModels, SavedModelPredictsTheSameAfterLoading) {
  const ElementGraphs train = tinyGraphs(64, 2);
  GraphTrainOptions o;
  o.epochs = 3;
  o.hidden = 16;
  o.seed = 4;
  GraphClassifier model(GraphModelKind::ResGcn, train.nodes, train.featureDim, o);
  model.fit(train);
  const std::vector<double> before = model.predict(train);
  GraphInputs inputs;
  inputs.elements = train.elements;
  inputs.alpha = 0.4;
  inputs.adjacency = train.adjacency;
  const std::string path = testing::TempDir() + "/orevox_graph_model.pt";
  model.save(path, inputs);
  GraphInputs read;
  const GraphClassifier loaded = GraphClassifier::load(path, read);
  EXPECT_EQ(loaded.kind(), GraphModelKind::ResGcn);
  EXPECT_EQ(read.elements, inputs.elements);
  EXPECT_EQ(read.adjacency, inputs.adjacency);
  EXPECT_DOUBLE_EQ(read.alpha, 0.4);
  EXPECT_EQ(loaded.predict(train), before);
  // A sidecar whose sizes disagree is a DataError naming it.
  std::ofstream(path.substr(0, path.size() - 3) + ".json")
      << R"({"format": "orevox-graph-model/1", "model": "resgcn", "nodes": 3, "feature_dim": 4,
             "layers": 3, "hidden": 16, "dropout": 0.5, "diffpool_clusters": 4,
             "elements": ["a", "b"], "graph_mode": "global", "alpha": 0.4, "local_k": 24,
             "dl_factor": 0.65, "adjacency": [0, 1, 0, 1, 0, 1, 0, 1, 0]})";
  EXPECT_THROW(GraphClassifier::load(path, read), DataError);
}

TEST(GraphModels, FinalModelScoresSamplesWithTheTrainingTopology) {
  // 200 samples of 3 elements; ore-bearing ones carry more of the first.
  SampleTable t;
  t.x.resize(200);
  t.y.resize(200);
  t.labels.resize(200);
  t.x.assign(200, 0.0);
  for (const char* e : {"Au", "As", "Cu"}) t.addColumn(e, 0.0, "ppm");
  Rng rng = makeRng(8, 0);
  std::lognormal_distribution<double> ln(0.0, 0.3);
  for (std::size_t i = 0; i < 200; ++i) {
    t.x[i] = double(i % 20) * 500;
    t.y[i] = double(i / 20) * 500;
    t.labels[i] = (i % 20) < 6 && (i / 20) < 4;
    t.column("Au").values[i] = (t.labels[i] ? 6.0 : 1.0) * ln(rng);
    t.column("As").values[i] = ln(rng) * 10;
    t.column("Cu").values[i] = ln(rng) * 30;
  }
  GraphExperimentOptions o;
  o.oversampler = Oversampler::Smote;
  o.train.epochs = 5;
  o.train.hidden = 16;
  o.alpha = 0.1;
  const GraphData d = prepareGraphData(t, {"Au", "As", "Cu"}, o);
  const TrainedGraphModel m = trainGraphModel(d, "resgcn", o);
  // The saved topology: |r| > alpha of the clr values of all samples (computed here by hand).
  Eigen::MatrixXd logs(200, 3);
  for (std::size_t i = 0; i < 200; ++i) {
    int c = 0;
    for (const char* e : {"Au", "As", "Cu"}) logs(Eigen::Index(i), c++) = std::log(t.column(e).values[i]);
  }
  const Eigen::MatrixXd clr = logs.colwise() - logs.rowwise().mean();
  const Eigen::MatrixXd centred = clr.rowwise() - clr.colwise().mean();
  const Eigen::MatrixXd cov = centred.transpose() * centred;
  ASSERT_EQ(m.inputs.adjacency.size(), 9u);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      const double r = cov(i, j) / std::sqrt(cov(i, i) * cov(j, j));
      EXPECT_EQ(m.inputs.adjacency[std::size_t(i * 3 + j)], i != j && std::abs(r) > 0.1 ? 1.0f : 0.0f)
          << i << "," << j << " r " << r;
    }
  // Scoring the samples again gives the classifier's own predictions of their graphs.
  std::vector<std::size_t> all(200);
  std::iota(all.begin(), all.end(), 0);
  Eigen::MatrixXd a(3, 3);
  for (int k = 0; k < 9; ++k) a(k / 3, k % 3) = m.inputs.adjacency[std::size_t(k)];
  const std::vector<double> p = predictGraphSamples(m.classifier, m.inputs, t);
  EXPECT_EQ(p, m.classifier.predict(globalGraphs(clr, {}, all, a, m.inputs.elements)));
  double pOre = 0, pBarren = 0;
  for (std::size_t i = 0; i < 200; ++i) (t.labels[i] ? pOre : pBarren) += p[i];
  EXPECT_GT(pOre / 24, pBarren / 176);  // the ore-bearing samples score higher on average
  EXPECT_THROW(trainGraphModel(d, "knn", o), UsageError);
}
