// The orevox command line: parses arguments and calls library entry points (cli.cpp).
#include <string>
#include <vector>

#include "cli.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/process.hpp"

int main(int argc, char** argv) {
  orevox::configureProcessEnvironment(argv);  // may re-execute the program once (see process.hpp)
  orevox::removeOutputsOnInterrupt();         // before any thread starts (see atomic_file.hpp)
  return orevox::cli::runCli(std::vector<std::string>(argv + 1, argv + argc));
}
