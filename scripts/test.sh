#!/usr/bin/env bash
# Quick start (2): install, build and run every test (unit tests of each module, CLI tests,
# and the benchmarks in their short --quick mode). Tests that render with VTK need a
# display, so CTest runs under xvfb-run.
#   scripts/test.sh              Release build in ./build
#   scripts/test.sh --sanitize   AddressSanitizer + UndefinedBehaviorSanitizer build in
#                                ./build-asan (-O1), the whole suite run under them; a report
#                                fails the test. Suppressions (defects of LibTorch, VTK,
#                                OpenBLAS and the system libraries, each with its reason) are
#                                in tests/sanitizers/.
set -euo pipefail
cd "$(dirname "$0")/.."
SANITIZE=0
for arg in "$@"; do
  case "$arg" in
    --sanitize) SANITIZE=1 ;;
    *) echo "test.sh: unknown option '$arg' (expected --sanitize)" >&2; exit 2 ;;
  esac
done
BUILD=build
if [ "$SANITIZE" -eq 1 ]; then
  BUILD=build-asan
  bash scripts/install-deps.sh --fuzz  # clang: the same compiler as the fuzz targets
  SUPP="$PWD/tests/sanitizers"
  # Test discovery (gtest_discover_tests) runs each test program at build time: the same
  # options then, so a report there fails the build too.
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=0:suppressions=$SUPP/asan.supp"
  export LSAN_OPTIONS="suppressions=$SUPP/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$SUPP/ubsan.supp"
  # -O1 with line tables: readable reports at about the speed of -O2 builds' tests.
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=None \
    "-DCMAKE_CXX_FLAGS=-O1 -gline-tables-only -DNDEBUG" "-DCMAKE_C_FLAGS=-O1 -DNDEBUG" \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DOREVOX_SANITIZE=ON -DOREVOX_BUILD_TESTS=ON
  cmake --build "$BUILD" -j "${OREVOX_JOBS:-2}"
else
  bash scripts/build.sh -DOREVOX_BUILD_TESTS=ON
fi
cd "$BUILD"
# Two test programs run at once on two cores: OpenMP and OpenBLAS workers must sleep, not spin,
# while they wait, and tensors should not be mapped afresh at every batch. The orevox binary
# sets these itself (core/include/orevox/core/process.hpp); the test programs get them here.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export OPENBLAS_THREAD_TIMEOUT="${OPENBLAS_THREAD_TIMEOUT:-18}"
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=134217728}"
xvfb-run -a ctest --output-on-failure --timeout 900 -j "${OREVOX_JOBS:-2}"
