// orevox transform: log-ratio transforms (clr, alr, ilr) of compositional sample columns.
#include "../command.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/datasets/csv_io.hpp"
#include "orevox/geomodel/compositional.hpp"
#include "orevox/core/error.hpp"

namespace orevox::cli {

namespace {
struct TransformArgs {
  SampleCsvArgs csv;
  std::string method = "clr", reference, out;
  double factor = kDetectionLimitFactor, total = 1e6;
};
}  // namespace

void addTransformCommand(CLI::App& root, Command& command) {
  auto args = std::make_shared<TransformArgs>();
  auto* app = root.add_subcommand("transform", "Log-ratio transform (clr, alr, ilr) of compositional columns");
  command.app = app;
  OptionSet& set = command.options;
  args->csv.declare(set, "Parts of the composition, comma separated");
  set.add("method", args->method, "clr, alr or ilr (pivot coordinates)").choices({"clr", "alr", "ilr"});
  set.add("reference", args->reference, "alr: the reference part (default: the last field)");
  set.add("dl-factor", args->factor,
          "Zeros and below-detection values are replaced by this fraction of the detection limit "
          "(multiplicative replacement)")
      .range(0.01, 1.0);
  set.add("total", args->total, "The whole the parts belong to (1e6 for ppm)").positive();
  set.add("out", args->out, "Output CSV (x, y, id and the transformed columns)").required().placeholder("FILE");

  command.run = [args, &common = command.common](RunReport& report) {
    report.outputs().addInput(args->csv.samples, "--samples");  // never replaced by --out
    const std::string outPath = report.outputs().add(args->out, "--out");
    const CsvOptions csv = args->csv.csvOptions();
    if (csv.columns.size() < 2) throw UsageError("--fields: a composition needs at least 2 parts");
    SampleTable samples = readSamplesCsv(args->csv.samples, csv);
    report.input("samples", args->csv.samples);

    const ReplacementReport replaced = replaceCensored(samples, csv.columns, args->factor, args->total);
    nlohmann::json replacedJson = nlohmann::json::object();
    for (std::size_t i = 0; i < replaced.columns.size(); ++i)
      replacedJson[replaced.columns[i]] = replaced.replaced[i];
    report.result("replaced_values", replacedJson);

    const Eigen::MatrixXd parts = samples.matrix(csv.columns);
    Eigen::MatrixXd coords;
    std::vector<std::string> names;
    if (args->method == "clr") {
      coords = clr(parts);
      for (const auto& f : csv.columns) names.push_back("clr_" + f);
    } else if (args->method == "alr") {
      int ref = static_cast<int>(csv.columns.size()) - 1;
      if (!args->reference.empty()) {
        auto it = std::find(csv.columns.begin(), csv.columns.end(), args->reference);
        if (it == csv.columns.end())
          throw UsageError("--reference: '" + args->reference + "' is not one of --fields");
        ref = static_cast<int>(it - csv.columns.begin());
      }
      coords = alr(parts, ref);
      for (int j = 0; j < static_cast<int>(csv.columns.size()); ++j) {
        if (j != ref)
          names.push_back("alr_" + csv.columns[std::size_t(j)] + "_" +
                          csv.columns[std::size_t(ref)]);
      }
      report.parameter("reference", csv.columns[std::size_t(ref)]);
    } else {
      coords = ilr(parts);
      for (std::size_t j = 0; j + 1 < csv.columns.size(); ++j)
        names.push_back("ilr" + std::to_string(j + 1) + "_" + csv.columns[j]);
    }

    SampleTable out = samples.locationsOnly();
    out.setMatrix(names, coords);
    writeSamplesCsv(out, outPath);

    report.parameter("method", args->method);
    report.parameter("fields", csv.columns);
    report.parameter("dl_factor", args->factor);
    report.parameter("total", args->total);
    report.output(args->out);
    std::size_t total = 0;
    for (auto n : replaced.replaced) total += n;
    say(common, "wrote " + args->out + ": " + std::to_string(names.size()) + " " + args->method +
                    " coordinates for " + std::to_string(samples.size()) + " samples (" + std::to_string(total) +
                    " zero/below-detection values replaced at " + std::to_string(args->factor) + " x DL)");
  };
}

}  // namespace orevox::cli
