#!/usr/bin/env bash
# Simcalls per delegated op as SimGrid counts them (not a test): builds the LD_PRELOAD counter
# bench/simcall_count.cpp, which counts every simcall libsimgrid makes independently of gilsim's
# own counters, and runs `gilsim bench`'s simcall points (16 threads on 16 cores, every opcode
# an access, sharing 10%, N = 100 and 1). docs/performance.md shows the recorded output.
# Usage: bash bench/simcalls.sh [GILSIM] [OPS]
set -euo pipefail
gilsim=${1:-build/gilsim}
ops=${2:-2000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
g++ -O2 -shared -fPIC "$(dirname "$0")/simcall_count.cpp" -o "$tmp/count.so" -ldl
echo "| N | delegations | simcalls (answered + blocking) | per delegation |"
echo "|---|---|---|---|"
for n in 100 1; do
    LD_PRELOAD=$tmp/count.so "$gilsim" run --scheme=delegate --threads=16 --cores=16 \
        --ops="$ops" --N=$n --access=1 --alloc=0 --sharing=0.1 -o "$tmp/row.csv" 2> "$tmp/err"
    read -r a b < <(sed -n 's/^simcalls: \([0-9]*\) answered, \([0-9]*\) blocking$/\1 \2/p' \
        "$tmp/err")
    d=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "delegations") c = i }
                 NR == 2 { print $c }' "$tmp/row.csv")
    awk -v n=$n -v d="$d" -v a="$a" -v b="$b" \
        'BEGIN { printf "| %s | %d | %d + %d | %.1f |\n", n, d, a, b, (a + b) / d }'
done
