#!/usr/bin/env bash
# Scale benchmark (issue 12 item 4; not a test): delegate, sharing 1%, cores = threads / 4, so
# the OS scheduler is on (one one-core SimGrid host per core). For each thread count: wall time,
# peak RSS, RSS per thread, and wall time per simulated op and per delegated op, which must stay
# flat as threads grow. Usage: bash bench/scale.sh [GILSIM] [OPS] [THREADS...]
# docs/performance.md, "Scale", keeps the last recorded output.
set -euo pipefail
gilsim=${1:-build/gilsim}
ops=${2:-1000}
shift 2 2> /dev/null || true
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(16 64 256 1024 4096)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| threads | cores | ops/thread | wall s | peak RSS MiB | RSS/thread KiB | delegations | wall us / 1000 ops | wall us / delegation | check |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for n in "${counts[@]}"; do
    c=$((n / 4))
    st=0
    /usr/bin/time -f "%e %M" -o "$tmp/time" timeout 3000 "$gilsim" run --scheme=delegate \
        --threads="$n" --cores="$c" --ops="$ops" --sharing=0.01 -o "$tmp/row.csv" \
        2> /dev/null || st=$?
    read -r wall rss < <(tail -1 "$tmp/time")
    read -r done dl check < <(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i }
        NR == 2 { print $h["ops_done"], $h["delegations"], $h["check"] }' "$tmp/row.csv" \
        2> /dev/null || echo "0 0 -")
    awk -v n="$n" -v c="$c" -v o="$ops" -v w="$wall" -v r="$rss" -v d="$done" -v g="$dl" \
        -v k="$check" -v s="$st" 'BEGIN {
        printf "| %d | %d | %d | %.2f | %.0f | %.0f | %d | %.2f | %.1f | %s |\n", n, c, o, w,
            r / 1024, r / n, g, (d > 0 ? w * 1e9 / d : 0), (g > 0 ? w * 1e6 / g : 0),
            (s == 0 ? k : "exit " s) }'
done
