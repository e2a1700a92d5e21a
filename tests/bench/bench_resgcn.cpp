// ResGCN benchmark (issue 3): one training epoch of ResGCN (3 layers, 64 hidden, batch 64,
// Adam) over 14,000 element graphs of 16 nodes, and inference over 100,000 graphs. Run for
// one shared adjacency (the `global` mode) and for graphs carrying their own adjacency (the
// `local` mode, the heavier case); `--shared` or `--local` runs one of them.
// Prints the wall times; the target is under 1 s each.
// `--quick`: 1,400 training graphs and 10,000 inference graphs (CTest).
// `--threads N`: LibTorch intra-op threads of the training epoch (default 1: on the 2-core test
// machine a second thread made these small products no faster, an epoch 1.0-1.15 s against
// 0.6-0.8 s; 0 = all cores). `--infer-threads N`: threads of the inference pass (default 0 =
// all cores, as orevox runs it: GraphClassifier::predict spreads whole batches over them).
// The process runs in the environment the orevox binary sets (process.hpp).
// `--infer-batch N`: graphs per inference batch (default 256, as GraphClassifier::predict).

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "orevox/core/process.hpp"
#include "orevox/core/runtime.hpp"
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
    for (std::size_t e = 0; e < nodes; ++e)
      z(Eigen::Index(g), Eigen::Index(e)) = n(rng) + (labels[g] && e < 3 ? 1.0 : 0.0);
  }
  std::vector<std::size_t> rows(count);
  std::iota(rows.begin(), rows.end(), 0);
  std::vector<std::string> names;
  for (std::size_t e = 0; e < nodes; ++e) names.push_back("E" + std::to_string(e));
  auto randomAdjacency = [&](float* a) {
    for (std::size_t i = 0; i < nodes; ++i)
      for (std::size_t j = i + 1; j < nodes; ++j)
        a[i * nodes + j] = a[j * nodes + i] = edge(rng) ? 1.0f : 0.0f;
  };
  if (shared) {
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(Eigen::Index(nodes), Eigen::Index(nodes));
    std::vector<float> af(nodes * nodes, 0.0f);
    randomAdjacency(af.data());
    for (std::size_t i = 0; i < nodes * nodes; ++i)
      a(Eigen::Index(i / nodes), Eigen::Index(i % nodes)) = af[i];
    return globalGraphs(z, labels, rows, a, names);
  }
  std::vector<float> all(count * nodes * nodes, 0.0f);
  for (std::size_t g = 0; g < count; ++g) randomAdjacency(all.data() + g * nodes * nodes);
  return localGraphs(z, labels, rows, all, names);
}

/// One training epoch and one inference pass; returns false when the output is incomplete.
bool benchMode(bool shared, bool quick, std::size_t inferBatch, int trainThreads, int inferThreads) {
  const std::size_t trainCount = quick ? 1400 : 14000, inferCount = quick ? 10000 : 100000,
                    nodes = 16;
  Stopwatch make;
  const ElementGraphs train = randomGraphs(trainCount, nodes, shared, 1);
  const ElementGraphs infer = randomGraphs(inferCount, nodes, shared, 2);
  std::printf("%s adjacency: graphs built: %zu train + %zu inference in %.2f s\n",
              shared ? "shared (global)" : "per-graph (local)", trainCount, inferCount,
              make.seconds());
  GraphTrainOptions o;
  o.layers = 3;
  o.hidden = 64;
  o.batchSize = 64;
  o.epochs = 1;
  GraphClassifier model(GraphModelKind::ResGcn, nodes, train.featureDim, o);
  // Process CPU time beside the wall time: on a shared machine the wall time of a 1-thread run
  // includes waiting for a core, its CPU time does not.
  configureTorch(trainThreads, 1);
  const std::clock_t trainClock = std::clock();
  const GraphTrainLog log = model.fit(train);
  const double trainCpu = double(std::clock() - trainClock) / CLOCKS_PER_SEC;
  std::printf(
      "  ResGCN (3 layers, 64 hidden, %zu parameters) train 1 epoch: %zu graphs, batch 64 (%zu "
      "steps): "
      "%.3f s wall, %.3f s CPU (loss %.4f)\n",
      model.parameterCount(), trainCount, (trainCount + 63) / 64, log.seconds, trainCpu,
      log.epochLoss.front());
  configureTorch(inferThreads, 1);
  const int usedInferThreads = torchInfo().intraOpThreads;
  Stopwatch predict;
  const std::clock_t inferClock = std::clock();
  const std::vector<double> p = model.predict(infer, inferBatch);
  const double inferSeconds = predict.seconds(),
               inferCpu = double(std::clock() - inferClock) / CLOCKS_PER_SEC;
  std::printf("  inference: %zu graphs, batch %zu, %d threads: %.3f s wall, %.3f s CPU (%.0f graphs/s)\n",
              p.size(), inferBatch, usedInferThreads, inferSeconds, inferCpu,
              double(p.size()) / inferSeconds);
  if (!quick) {
    std::printf("  target (issue 3): < 1 s each -> train %s, inference %s\n",
                log.seconds < 1 ? "met" : "NOT met", inferSeconds < 1 ? "met" : "NOT met");
  }
  return p.size() == inferCount;
}

}  // namespace

int main(int argc, char** argv) {
  configureProcessEnvironment(argv);  // as the orevox binary (may re-execute once)
  bool quick = false, sharedOnly = false, localOnly = false;
  int threads = 1, inferThreads = 0;
  std::size_t inferBatch = 256;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick"))
      quick = true;
    else if (!std::strcmp(argv[i], "--shared"))
      sharedOnly = true;
    else if (!std::strcmp(argv[i], "--local"))
      localOnly = true;
    else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--infer-threads") && i + 1 < argc)
      inferThreads = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--infer-batch") && i + 1 < argc)
      inferBatch = std::size_t(std::atol(argv[++i]));
    else {
      std::fprintf(
          stderr,
          "usage: bench_resgcn [--quick] [--shared | --local] [--threads N] [--infer-threads N] "
          "[--infer-batch N]\n");
      return 2;
    }
  }
  configureTorch(threads, 1);
  const TorchInfo info = torchInfo();
  std::printf("bench_resgcn: LibTorch %s, %d intra-op threads for training, %s\n", info.version.c_str(),
              info.intraOpThreads, processEnvironmentSummary().c_str());
  bool ok = true;
  if (!localOnly) ok = benchMode(true, quick, inferBatch, threads, inferThreads) && ok;
  if (!sharedOnly) ok = benchMode(false, quick, inferBatch, threads, inferThreads) && ok;
  return ok ? 0 : 1;
}
