#!/usr/bin/env bash
# Quick start (1): install, build and run the main job, `orevox demo`, on the embedded
# default (synthetic districts) into ./demo_out (or the folder given as $1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
OUT="${1:-demo_out}"
# The 3D renders need an X display: use a virtual one where there is none.
RUN=()
if [ -z "${DISPLAY:-}" ]; then RUN=(xvfb-run -a); fi
"${RUN[@]}" ./build/apps/orevox demo --out "$OUT" --report "$OUT/report.json"
echo "orevox demo: outputs in $OUT (open $OUT/index.html in a browser)"
