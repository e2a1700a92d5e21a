#include "orevox/geomodel/process.hpp"

#include <unistd.h>

#include <cstdlib>

namespace orevox {

void usePassiveOpenmpWait(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY")) return;
  setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
  execv("/proc/self/exe", argv);  // returns only on failure
}

}  // namespace orevox
