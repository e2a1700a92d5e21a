#pragma once
// The CLI side of options declared once (orevox/core/options.hpp): CLI11 options built
// from an OptionSet, with the same one-line checks. Private to apps/.

#include <CLI/CLI.hpp>

#include "orevox/core/options.hpp"

namespace orevox::cli {

/// Declares every option of `set` on `app` (--name, help with units and default, required,
/// help group). Parsed values go through Option::parse, so the CLI, study files and reports
/// share one set of checks and messages. `set` must outlive the parse.
void addOptions(CLI::App* app, OptionSet& set);

}  // namespace orevox::cli
