#!/usr/bin/env bash
# Instructions per simulated op against threads (not a test): the load-proof
# twin of `gilsim bench --scale`. For each thread count, callgrind counts the instructions of the
# scale point (delegate, sharing 1%, cores = threads / 4) at OPS and at 2 x OPS ops per thread;
# the difference divided by the extra ops is the marginal cost of an op, without the set-up and
# the per-thread start, which a flat per-event cost keeps constant as threads grow.
# Usage: bash bench/scale_ir.sh [GILSIM] [OPS] [THREADS...]   (docs/performance.md, section 4)
set -euo pipefail
gilsim=${1:-build/gilsim}
ops=${2:-1000}
shift 2 2> /dev/null || true
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(16 64 256 1024 4096)
command -v valgrind > /dev/null || { echo "scale_ir.sh: valgrind is not installed" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ir() { # threads ops -> total instructions of the run
    local n=$1 o=$2 c=$(($1 / 4 > 0 ? $1 / 4 : 1))
    timeout 3000 valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$gilsim" run \
        --scheme=delegate --threads="$n" --cores="$c" --ops="$o" --sharing=0.01 \
        -o "$tmp/row.csv" > /dev/null 2> "$tmp/cg.log"
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i }
        NR == 2 && $h["check"] != "ok" { exit 1 }' "$tmp/row.csv"
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/cg.log"
}
echo "| threads | cores | instructions at $ops ops/thread | at $((2 * ops)) ops/thread | instructions per op (marginal) |"
echo "|---|---|---|---|---|"
for n in "${counts[@]}"; do
    a=$(ir "$n" "$ops")
    b=$(ir "$n" $((2 * ops)))
    awk -v n="$n" -v a="$a" -v b="$b" -v o="$ops" 'BEGIN {
        printf "| %d | %d | %.0f | %.0f | %.0f |\n", n, (n >= 4 ? int(n / 4) : 1), a, b,
            (b - a) / (n * o) }'
done
