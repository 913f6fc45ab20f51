#!/usr/bin/env bash
# Simulator speed benchmark (not a test): wall time, peak RSS and simulated opcodes per
# wall-second of fixed points, measured with GNU time. Usage: bash sim/bench.sh [build/gilsim]
# Prints a Markdown table; docs/bench.md keeps the last recorded output.
set -euo pipefail
gilsim=${1:-build/gilsim}
points=(
    "--scheme=delegate --threads=16 --cores=16 --ops=1000000 --N=100 --sharing=0.05"
    "--scheme=delegate --threads=16 --cores=16 --ops=1000000 --N=1 --sharing=0.05"
    "--scheme=ideal --threads=16 --cores=16 --ops=1000000 --N=100 --sharing=0.05"
    "--scheme=delegate-naive --threads=2 --cores=2 --ops=1000 --sharing=1 --access=1 --alloc=0"
)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| point | wall s | peak RSS MiB | simulated ops | ops per wall-second | exit |"
echo "|---|---|---|---|---|---|"
for p in "${points[@]}"; do
    st=0
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$gilsim" run $p -o "$tmp/row.csv" 2> /dev/null || st=$?
    read -r wall rss < <(tail -1 "$tmp/time")
    ops=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "ops_done") c = i } NR == 2 { print $c }' "$tmp/row.csv")
    awk -v p="$p" -v w="$wall" -v r="$rss" -v o="$ops" -v s="$st" \
        'BEGIN { printf "| `%s` | %.2f | %.0f | %d | %.3g | %d |\n", p, w, r / 1024, o, (w > 0 ? o / w : 0), s }'
done
