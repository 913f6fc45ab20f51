#!/usr/bin/env bash
# The README's main command: installs what is needed, builds gilsim, runs the small default
# sweep workloads/scenarios/demo.ini into out/demo/results.csv (one row per run; a run that
# deadlocks, as delegate-naive does, keeps its row with deadlock=1), draws
# out/demo/throughput.png and ends with the design-review report out/demo/report/index.html.
# Usage: bash sim/demo.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j "$(nproc)" -- --no-print-directory > /dev/null
out=${1:-out/demo}
mkdir -p "$out"
csv="$out/results.csv"
rm -f "$csv" # a fresh demo; `gilsim sweep` itself would resume
start=$(date +%s.%N)
build/gilsim sweep workloads/scenarios/demo.ini -o "$csv"
end=$(date +%s.%N)
build/gilsim plot "$csv" --x=sharing --y=throughput --by=scheme --where=N=100 --where=cores=4 \
    -o "$out/throughput.png"
build/gilsim summarize "$csv" -o "$out/summary.csv"
build/gilsim report "$csv" -o "$out/report"
awk -F, -v t0="$start" -v t1="$end" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
     { n++; if ($c["deadlock"] == 1) d++ }
     END { printf "gilsim demo: %d runs (%d deadlocked) in %.1f s\n", n, d, t1 - t0 }' "$csv"
echo "results: $csv (summary: $out/summary.csv), figure: $out/throughput.png"
echo "report:  open $out/report/index.html in a browser"
