#!/usr/bin/env bash
# Installs every Debian 12 package orevox needs to build, test and run its demo.
# Idempotent: packages already present are skipped by apt.
#   --bench  also the Python PyTorch references of the benchmarks (python3-torch, the same
#            LibTorch 1.13 as libtorch-dev), run side by side by tests/bench/*.
#   --fuzz   also clang and libFuzzer (libclang-rt-14-dev), for scripts/fuzz.sh.
set -euo pipefail
BENCH=0
FUZZ=0
for arg in "$@"; do
  case "$arg" in
    --bench) BENCH=1 ;;
    --fuzz) FUZZ=1 ;;
    *) echo "install-deps.sh: unknown option '$arg' (expected --bench or --fuzz)" >&2; exit 2 ;;
  esac
done
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PKGS=(
  build-essential cmake ninja-build pkg-config git
  libtorch-dev libopenblas0-pthread libdnnl-dev
  libvtk9-dev
  libopenvdb-dev libboost-iostreams-dev libtbb-dev libblosc-dev
  libgdal-dev gdal-bin
  libeigen3-dev libboost-graph-dev libnanoflann-dev
  nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev
  libsvm-dev libxgboost-dev
  libgtest-dev libgmock-dev
  xvfb xauth
)
if [ "$BENCH" -eq 1 ]; then PKGS+=(python3-torch python3-numpy); fi
if [ "$FUZZ" -eq 1 ]; then PKGS+=(clang libclang-rt-14-dev); fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# LibTorch must use OpenBLAS, not the reference BLAS (30x slower matrix products here).
if [ -e /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 ]; then
  $SUDO update-alternatives --set libblas.so.3-x86_64-linux-gnu \
    /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 >/dev/null 2>&1 || true
  $SUDO update-alternatives --set liblapack.so.3-x86_64-linux-gnu \
    /usr/lib/x86_64-linux-gnu/openblas-pthread/liblapack.so.3 >/dev/null 2>&1 || true
fi
