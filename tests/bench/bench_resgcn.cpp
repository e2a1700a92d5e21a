// ResGCN benchmark (issue 3): one training epoch of ResGCN (3 layers, 64 hidden, batch 64,
// Adam) over 14,000 element graphs of 16 nodes, and inference over 100,000 graphs. Graphs
// carry their own adjacency (the `local` mode, the heavier case); `--shared` uses one shared
// adjacency (the `global` mode). Prints the wall times; the target is under 1 s each.
// `--quick`: 1,400 training graphs and 10,000 inference graphs (CTest).
// `--threads N`: LibTorch intra-op threads (default: all cores).

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "orevox/geomodel/runtime.hpp"
#include "orevox/learning/element_graph.hpp"
#include "orevox/learning/torch/graph_models.hpp"
#include "orevox/learning/torch/torch_runtime.hpp"

using namespace orevox;

namespace {

ElementGraphs randomGraphs(std::size_t count, std::size_t nodes, bool shared, std::uint64_t seed) {
  Rng rng = makeRng(seed, 0);
  std::normal_distribution<double> n(0, 1);
  std::bernoulli_distribution edge(0.25);
  Eigen::MatrixXd z(static_cast<Eigen::Index>(count), static_cast<Eigen::Index>(nodes));
  std::vector<int> labels(count);
  for (std::size_t g = 0; g < count; ++g) {
    labels[g] = g % 2 == 0 ? 1 : 0;
    for (std::size_t e = 0; e < nodes; ++e) z(Eigen::Index(g), Eigen::Index(e)) = n(rng) + (labels[g] && e < 3 ? 1.0 : 0.0);
  }
  std::vector<std::size_t> rows(count);
  std::iota(rows.begin(), rows.end(), 0);
  std::vector<std::string> names;
  for (std::size_t e = 0; e < nodes; ++e) names.push_back("E" + std::to_string(e));
  auto randomAdjacency = [&](float* a) {
    for (std::size_t i = 0; i < nodes; ++i)
      for (std::size_t j = i + 1; j < nodes; ++j) a[i * nodes + j] = a[j * nodes + i] = edge(rng) ? 1.0f : 0.0f;
  };
  if (shared) {
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(Eigen::Index(nodes), Eigen::Index(nodes));
    std::vector<float> af(nodes * nodes, 0.0f);
    randomAdjacency(af.data());
    for (std::size_t i = 0; i < nodes * nodes; ++i) a(Eigen::Index(i / nodes), Eigen::Index(i % nodes)) = af[i];
    return globalGraphs(z, labels, rows, a, names);
  }
  std::vector<float> all(count * nodes * nodes, 0.0f);
  for (std::size_t g = 0; g < count; ++g) randomAdjacency(all.data() + g * nodes * nodes);
  return localGraphs(z, labels, rows, all, names);
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false, shared = false;
  int threads = 0;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) quick = true;
    else if (!std::strcmp(argv[i], "--shared")) shared = true;
    else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) threads = std::atoi(argv[++i]);
    else {
      std::fprintf(stderr, "usage: bench_resgcn [--quick] [--shared] [--threads N]\n");
      return 2;
    }
  }
  const std::size_t trainCount = quick ? 1400 : 14000, inferCount = quick ? 10000 : 100000, nodes = 16;
  configureTorch(threads, 1);
  const TorchInfo info = torchInfo();
  std::printf("bench_resgcn: LibTorch %s, %d intra-op threads, %s adjacency\n", info.version.c_str(),
              info.intraOpThreads, shared ? "shared (global)" : "per-graph (local)");

  Stopwatch make;
  const ElementGraphs train = randomGraphs(trainCount, nodes, shared, 1);
  const ElementGraphs infer = randomGraphs(inferCount, nodes, shared, 2);
  std::printf("  graphs built: %zu train + %zu inference in %.2f s\n", trainCount, inferCount, make.seconds());

  GraphTrainOptions o;
  o.layers = 3;
  o.hidden = 64;
  o.batchSize = 64;
  o.epochs = 1;
  GraphClassifier model(GraphModelKind::ResGcn, nodes, train.featureDim, o);
  std::printf("  ResGCN: 3 layers, 64 hidden, %zu parameters\n", model.parameterCount());
  const GraphTrainLog log = model.fit(train);
  std::printf("  train 1 epoch: %zu graphs, batch 64 (%zu steps): %.3f s (loss %.4f)\n", trainCount,
              (trainCount + 63) / 64, log.seconds, log.epochLoss.front());
  Stopwatch predict;
  const std::vector<double> p = model.predict(infer);
  const double inferSeconds = predict.seconds();
  std::printf("  inference: %zu graphs: %.3f s (%.0f graphs/s)\n", p.size(), inferSeconds, double(p.size()) / inferSeconds);
  if (!quick) {
    std::printf("  target (issue 3): < 1 s each -> train %s, inference %s\n", log.seconds < 1 ? "met" : "NOT met",
                inferSeconds < 1 ? "met" : "NOT met");
  }
  return p.size() == inferCount ? 0 : 1;
}
