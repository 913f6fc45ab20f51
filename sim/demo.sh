#!/usr/bin/env bash
# The README's main command: installs what is needed, builds gilsim, runs the small review
# workloads/scenarios/review-demo.ini (about a minute) into out/demo/ and points at its page,
# out/demo/index.html: the verdict on the proposal (deadlock, N, cores and sharing against
# gil-interval and free-threading, an owner in I/O, thread exit), one sentence per question
# with its 95% intervals, above the figures and CSVs behind it (docs/review.md).
# Usage: bash sim/demo.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j "$(nproc)" -- --no-print-directory > /dev/null
out=${1:-out/demo}
mkdir -p "$(dirname "$out")" # review makes DIR itself, not its parents
start=$(date +%s.%N)
build/gilsim review workloads/scenarios/review-demo.ini -o "$out" --sensitivity=wake_ns # resumes
end=$(date +%s.%N)
awk -v t0="$start" -v t1="$end" 'BEGIN { printf "gilsim demo: review in %.1f s\n", t1 - t0 }'
echo "verdict: open $out/index.html in a browser (rows: $out/results.csv)"
