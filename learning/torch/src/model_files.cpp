#include "model_files.hpp"

#include <torch/nn/module.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <fstream>

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
  archive.save_to(out.tempPath());
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

void loadModelWeights(torch::nn::Module& net, const std::string& path, const std::string& what) {
  if (!std::ifstream(path)) throw IoError("cannot open the " + what + " weights", fileLocation(path));
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path);
    net.load(archive);
  } catch (const c10::Error& e) {
    throw DataError("cannot read the model weights: " + std::string(e.what_without_backtrace()), fileLocation(path));
  }
  net.eval();
}

}  // namespace orevox::detail
