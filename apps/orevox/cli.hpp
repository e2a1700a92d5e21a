#pragma once
/// \file cli.hpp
/// The `orevox` command line. main() only calls runCli(); tests call it too, so every
/// command runs in-process with its real argument parsing.

#include <string>
#include <vector>

namespace orevox::cli {

/// Parses `args` (without the program name) and runs the command. Returns the exit code:
/// 0 on success, 2 on a usage error, 1 on a data or I/O error; errors are printed to
/// stderr as one line "orevox: error: ...".
int runCli(const std::vector<std::string>& args);

/// The command reference (docs/cli.md): every command's description and option table,
/// generated from the same option declarations as --help.
std::string cliReference();

}  // namespace orevox::cli
