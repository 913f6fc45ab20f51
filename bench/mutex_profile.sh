#!/usr/bin/env bash
# Where native gil-ticks loses its time (docs/validation.md, not a test): runs gil-ticks at
# threads = cores = 2 natively under bench/mutex_profile.c (LD_PRELOAD: contended mutex locks
# and cond signals, timed) and simulated, and prints both rows' switches, parks and throughput.
# Usage: bash bench/mutex_profile.sh [GILSIM] [CALIBRATION] [RUNS]
set -euo pipefail
gilsim=${1:-build/gilsim}
calib=${2:-}
runs=${3:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -shared -fPIC "$(dirname "$0")/mutex_profile.c" -o "$tmp/prof.so" -ldl
args=(--scheme=gil-ticks --threads=2 --cores=2 --ops=100000 --sharing=0)
[ -n "$calib" ] && args+=(--calibration="$calib")
cols='BEGIN { FS = "," } NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
      NR == 2 { printf "%.3g ops/s, %d switches, %d parks, %d futile wake-ups",
                $c["throughput"], $c["switches"], $c["parks"], $c["futile_wakeups"] }'
for n in 1 100; do
    "$gilsim" run "${args[@]}" --N=$n -o "$tmp/s.csv" 2>/dev/null
    echo "N=$n sim:    $(awk "$cols" "$tmp/s.csv")"
    rm -f "$tmp/s.csv"
    for r in $(seq "$runs"); do
        "$gilsim" run "${args[@]}" --N=$n --backend=native -o "$tmp/n.csv" 2>/dev/null
        echo "N=$n native: $(awk "$cols" "$tmp/n.csv") (plain)"
        rm -f "$tmp/n.csv"
        LD_PRELOAD=$tmp/prof.so "$gilsim" run "${args[@]}" --N=$n --backend=native \
            -o "$tmp/n.csv" 2> "$tmp/err"
        echo "N=$n native: $(awk "$cols" "$tmp/n.csv") (profiled)"
        echo "            $(grep '^mutex_profile' "$tmp/err")"
        rm -f "$tmp/n.csv"
    done
done
