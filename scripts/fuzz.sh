#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang, ASan + UBSan, in ./build-fuzz) and runs
# each for SECONDS (default 60) on its seed corpus (tests/fuzz/seeds/<target>, the mesh files
# of tests/data/meshes, and earlier crash inputs of tests/data/fuzz/<target>). Corpora grow in
# build-fuzz/corpus/<target>; a crash input is kept as build-fuzz/crashes/<target>/crash-*:
# once fixed, copy it to tests/data/fuzz/<target>/ where the FuzzRegressions test replays it.
# Prints one line per target: executions, corpus size, crashes.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-60}"
shift || true
if ! command -v clang++ >/dev/null || [ ! -e "$(clang++ -print-file-name=libclang_rt.fuzzer-x86_64.a)" ]; then
  bash scripts/install-deps.sh --fuzz
fi
JOBS="${OREVOX_JOBS:-2}"
# -O1 with line tables: what libFuzzer's docs advise, and half the compile time of -O2 -g.
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=None "-DCMAKE_CXX_FLAGS=-O1 -gline-tables-only" \
  -DCMAKE_C_FLAGS=-O1 -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DOREVOX_BUILD_FUZZ=ON -DOREVOX_BUILD_TESTS=OFF -DOREVOX_BUILD_VIZ=OFF >/dev/null
cmake --build build-fuzz -j "$JOBS" --target fuzz_targets
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(samples_csv block_model_csv drillholes vti vtp geojson geotiff vdb tsurf obj ply stl study_json)
fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
printf '%-16s %12s %8s %8s\n' target executions corpus crashes
for t in "${TARGETS[@]}"; do
  corpus="build-fuzz/corpus/$t"
  crashes="build-fuzz/crashes/$t"
  mkdir -p "$corpus" "$crashes"
  seeds=("tests/fuzz/seeds/$t")
  [ -d "tests/data/fuzz/$t" ] && seeds+=("tests/data/fuzz/$t")
  case "$t" in
    tsurf) cp tests/data/meshes/*.ts "$corpus/" ;;
    obj) cp tests/data/meshes/*.obj "$corpus/" ;;
    ply) cp tests/data/meshes/*.ply "$corpus/" ;;
    stl) cp tests/data/meshes/*.stl "$corpus/" ;;
  esac
  maxlen=65536
  [ "$t" = vdb ] && maxlen=131072  # the seed VDB (8^3 voxels, 9 channels) is 99 KB
  log="build-fuzz/$t.log"
  # -rss_limit_mb: a reader that allocates what a header says, unchecked, is a finding too.
  "build-fuzz/tests/fuzz/fuzz_$t" "$corpus" "${seeds[@]}" -max_total_time="$SECONDS_PER_TARGET" \
    -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=20 -max_len="$maxlen" -print_final_stats=1 \
    -artifact_prefix="$crashes/" -fork="${OREVOX_FUZZ_FORK:-1}" -ignore_crashes=1 >"$log" 2>&1 || true
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s+=$2} END {print s+0}')
  if [ "$runs" = "0" ]; then runs=$(grep -oE '#[0-9]+' "$log" | tail -1 | tr -d '#'); fi
  found=$(find "$crashes" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'oom-*' -o -name 'timeout-*' \) | wc -l)
  printf '%-16s %12s %8s %8s\n' "$t" "${runs:-0}" "$(ls "$corpus" | wc -l)" "$found"
done
