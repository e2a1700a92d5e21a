#include "model_files.hpp"

#include <torch/nn/module.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"

namespace orevox::detail {

namespace {
SourceLocation fileLocation(const std::string& path) { return SourceLocation{path, 0, 0, {}, {}}; }
}  // namespace

std::string modelSidecarPath(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  const std::size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path + ".json";
  return path.substr(0, dot) + ".json";
}

void saveModelFiles(const torch::nn::Module& net, const std::string& path, const nlohmann::json& sidecar) {
  if (modelSidecarPath(path) == path) throw UsageError("model file '" + path + "' must not end in .json");
  AtomicOutput out(path);
  torch::serialize::OutputArchive archive;
  net.save(archive);
  // Saved through a stream, the zip archive's inner folder is "archive" rather than the
  // temporary file's name (with the PID in it): the same weights give the same bytes.
  std::ostringstream bytes;
  archive.save_to(bytes);
  out.write(bytes.str());
  writeTextFileAtomic(modelSidecarPath(path), sidecar.dump(2) + "\n");
  out.commit();
}

nlohmann::json readModelSidecar(const std::string& path, const std::string& format, const std::string& what,
                                const std::string& openHint) {
  const std::string side = modelSidecarPath(path);
  std::ifstream in(side);
  if (!in) throw IoError("cannot open the " + what + " sidecar" + openHint, fileLocation(side));
  nlohmann::json j;
  try {
    in >> j;
  } catch (const std::exception& e) {
    throw DataError(std::string("not a JSON model sidecar: ") + e.what(), fileLocation(side));
  }
  if (!j.is_object() || j.value("format", "") != format)
    throw DataError("not an orevox " + what + " sidecar (format " + format + ")", fileLocation(side));
  return j;
}

namespace {

std::string shapeText(const at::Tensor& t) {
  std::string out = "[";
  for (std::int64_t d = 0; d < t.dim(); ++d) out += (d ? "," : "") + std::to_string(t.size(d));
  return out + "]";
}

/// The first line of a LibTorch message (it appends its C++ stack trace on further lines).
std::string firstLine(const c10::Error& e) {
  const std::string text = e.what_without_backtrace();
  return text.substr(0, text.find('\n'));
}

}  // namespace

void loadModelWeights(torch::nn::Module& net, const std::string& path, const std::string& what) {
  if (!std::ifstream(path)) throw IoError("cannot open the " + what + " weights", fileLocation(path));
  const std::string side = modelSidecarPath(path);
  // LibTorch's load replaces each tensor by the stored one whatever its shape, so weights
  // that do not belong to the sidecar's network fail later, deep in a forward pass. The
  // shapes the sidecar's network expects are compared here instead.
  std::vector<std::pair<std::string, std::vector<std::int64_t>>> expected;
  for (const auto& item : net.named_parameters(true))
    expected.emplace_back(item.key(), item.value().sizes().vec());
  for (const auto& item : net.named_buffers(true))
    expected.emplace_back(item.key(), item.value().sizes().vec());
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path);
    net.load(archive);
  } catch (const c10::Error& e) {
    throw DataError(
        "cannot read the model weights, or they do not match the network of its sidecar " + side +
            ": " + firstLine(e),
        fileLocation(path));
  }
  std::map<std::string, at::Tensor> loaded;
  for (const auto& item : net.named_parameters(true)) loaded[item.key()] = item.value();
  for (const auto& item : net.named_buffers(true)) loaded[item.key()] = item.value();
  for (const auto& [name, shape] : expected) {
    const auto it = loaded.find(name);
    if (it != loaded.end() && it->second.sizes().vec() == shape) continue;
    std::string want = "[";
    for (std::size_t d = 0; d < shape.size(); ++d)
      want += (d ? "," : "") + std::to_string(shape[d]);
    want += "]";
    throw DataError(
        "the weights do not match the model sidecar " + side + ": tensor '" + name + "' is " +
            (it == loaded.end() ? std::string("missing") : shapeText(it->second)) +
            ", the sidecar's " + what + " needs " + want + " (a sidecar from another run?)",
        fileLocation(path));
  }
  net.eval();
}

}  // namespace orevox::detail
