#pragma once
// Private to the torch bridge: a trained network on disk is two files, the torch archive of
// its weights (PATH, e.g. model.pt) and a JSON sidecar beside it (PATH with extension .json)
// naming the model, its inputs and its standardisation. The raster and volume models share
// this layout; each fills and reads its own sidecar fields.

#include <nlohmann/json.hpp>
#include <string>

namespace torch::nn {
class Module;
}

namespace orevox::detail {

/// PATH with its extension replaced by .json (appended when there is none).
std::string modelSidecarPath(const std::string& path);

/// Writes the weights of `net` to `path` and `sidecar` beside it, both atomically (the
/// weights are committed last, so a failure leaves neither). UsageError when `path` itself
/// ends in .json.
void saveModelFiles(const torch::nn::Module& net, const std::string& path, const nlohmann::json& sidecar);

/// Reads the sidecar of `path`: IoError when it cannot be opened ("cannot open the " + `what`
/// + " sidecar" + `openHint`), DataError when it is not JSON or its "format" is not `format`.
nlohmann::json readModelSidecar(const std::string& path, const std::string& format, const std::string& what,
                                const std::string& openHint);

/// Loads the weights at `path` into `net` (then eval mode): IoError when the file cannot be
/// opened, DataError when torch cannot read it.
void loadModelWeights(torch::nn::Module& net, const std::string& path, const std::string& what);

}  // namespace orevox::detail
