#!/usr/bin/env bash
# The README's main command: installs what is needed, builds gilsim, runs a small default
# sweep (ideal, delegate, delegate-naive and gil-interval x 4 sharing ratios x 3 drain
# intervals, 4 threads on 4 cores) into out/demo/results.csv, one row per run, draws
# out/demo/throughput.png from it and ends with the design-review report
# out/demo/report/index.html (gilsim report, docs/plots.md).
# A run that deadlocks (delegate-naive does) keeps its row, with deadlock=1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j "$(nproc)" -- --no-print-directory > /dev/null
out=${1:-out/demo}
mkdir -p "$out"
csv="$out/results.csv"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
schemes="ideal delegate delegate-naive"
build/gilsim list | grep -q '^gil-interval ' && schemes="$schemes gil-interval"
for scheme in $schemes; do
    for N in 10 100 1000; do
        for sharing in 0 0.01 0.05 0.2; do
            status=0
            build/gilsim run --scheme=$scheme --threads=4 --cores=4 --ops=50000 --N=$N \
                --sharing=$sharing -o "$tmp/row.csv" 2> "$tmp/err" || status=$?
            # 0 ok, 3 deadlock (a finished run with its row); anything else is a failure.
            if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
                cat "$tmp/err" >&2
                exit "$status"
            fi
            [ $n -eq 0 ] && head -1 "$tmp/row.csv" > "$tmp/all.csv"
            tail -n +2 "$tmp/row.csv" >> "$tmp/all.csv"
            n=$((n + 1))
        done
    done
done
mv "$tmp/all.csv" "$csv"
build/gilsim plot "$csv" --x=sharing --y=throughput --by=scheme --where=N=100 \
    -o "$out/throughput.png"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
         { printf "%-15s N=%-5s sharing=%-5s throughput=%9.3g ops/s  lat_mean=%9.3g s  deadlock=%s check=%s\n",
           $c["scheme"], $c["N"], $c["sharing"], $c["throughput"], $c["lat_mean"], $c["deadlock"], $c["check"] }' "$csv"
build/gilsim report "$csv" -o "$out/report"
echo "gilsim demo: $n runs in $csv, figure in $out/throughput.png;" \
    "open $out/report/index.html in a browser for the report"
