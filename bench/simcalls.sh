#!/usr/bin/env bash
# Simcalls per delegated op as SimGrid counts them (not a test): builds the
# LD_PRELOAD counter bench/simcall_count.cpp and runs bench's item 2 points with gilsim's fast
# path on and off (--cfg=gilsim/fast-sync:no). docs/performance.md 2 keeps the recorded output.
# Usage: bash bench/simcalls.sh [GILSIM] [OPS]
set -euo pipefail
gilsim=${1:-build/gilsim}
ops=${2:-2000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
g++ -O2 -shared -fPIC "$(dirname "$0")/simcall_count.cpp" -o "$tmp/count.so" -ldl
echo "| N | fast path | delegations | simcalls (answered + blocking) | per delegation |"
echo "|---|---|---|---|---|"
for n in 100 1; do
    for fast in yes no; do
        LD_PRELOAD=$tmp/count.so "$gilsim" run --scheme=delegate --threads=16 --cores=16 \
            --ops="$ops" --N=$n --access=1 --alloc=0 --sharing=0.1 \
            --cfg=gilsim/fast-sync:$fast -o "$tmp/row.csv" 2> "$tmp/err"
        read -r a b < <(sed -n 's/^simcalls: \([0-9]*\) answered, \([0-9]*\) blocking$/\1 \2/p' \
            "$tmp/err")
        d=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "delegations") c = i }
                     NR == 2 { print $c }' "$tmp/row.csv")
        awk -v n=$n -v f=$fast -v d="$d" -v a="$a" -v b="$b" \
            'BEGIN { printf "| %s | %s | %d | %d + %d | %.1f |\n", n, f, d, a, b, (a + b) / d }'
    done
done
