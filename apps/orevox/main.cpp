// The orevox command line: parses arguments and calls library entry points (cli.cpp).
#include <string>
#include <vector>

#include "cli.hpp"

int main(int argc, char** argv) {
  return orevox::cli::runCli(std::vector<std::string>(argv + 1, argv + argc));
}
