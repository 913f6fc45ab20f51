#!/usr/bin/env bash
# SimGrid's own cost per timed wait (bench/timed_wait_floor.cpp), the three ways interleaved,
# REPS times each, at 16 and 4096 actors: CPU ns per wait (median, min, max) and the final
# simulated clock. A floor, not a test; on a loaded machine compare the ways within one run.
# Usage: bash bench/timed_wait_floor.sh [REPS] [WAITS_AT_16]
set -euo pipefail
reps=${1:-5}
waits=${2:-50000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
g++ -O2 -std=c++17 "$(dirname "$0")/timed_wait_floor.cpp" -o "$tmp/floor" -lsimgrid
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$reps"); do
    for a in 16 4096; do
        w=$((waits * 16 / a))
        for how in sem sleep timer; do
            "$tmp/floor" "$how" "$a" "$w" >> "$tmp/all"
        done
    done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| wait | actors | waits each | CPU ns per wait: median | min | max | final clock s |"
echo "|---|---|---|---|---|---|---|"
for a in 16 4096; do
    for how in sem sleep timer; do
        awk -v h="$how" -v a="$a" '$1 == h && $2 == a { v[++c] = $4; w = $3; clk = $5 }
            END {
                for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++)
                    if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
                med = c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
                printf "| %s | %s | %s | %d | %d | %d | %s |\n", h, a, w, med, v[1], v[c], clk
            }' "$tmp/all"
    done
done
