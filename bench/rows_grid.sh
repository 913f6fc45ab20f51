#!/usr/bin/env bash
# Simulated rows of a small grid for checking that a speed change moves no row (not a test):
# every scheme at threads = cores = 2 (N 1, 100, 1000, sharing 0 to 10%, both waits), 4
# threads on 2 shared cores, 16 threads with I/O and every opcode-ish an access, and 4
# threads under the OS scheduler; 270 rows, each sweep's rows sorted, into OUT. Two builds
# agree when their OUT files are byte-identical (cmp).
# Usage: bash bench/rows_grid.sh GILSIM OUT
set -euo pipefail
g=${1:?usage: rows_grid.sh GILSIM OUT}
out=${2:?usage: rows_grid.sh GILSIM OUT}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$g" sweep --scheme=ideal,delegate-naive,delegate,delegate-v2,delegate-v3,delegate-v4,gil-ticks,gil-interval,gil-pypy,free-threading \
    --threads=2 --cores=2 --ops=3000 --N=1,100,1000 --sharing=0,0.01,0.1 --wait=block,spin \
    --reps=1 -o "$tmp/a.csv" 2> /dev/null
"$g" sweep --scheme=ideal,delegate,delegate-v3,gil-ticks,gil-interval,gil-pypy,free-threading \
    --threads=4 --cores=2 --ops=3000 --N=100 --sharing=0.01,0.1 --wait=block --reps=1 \
    -o "$tmp/b.csv" 2> /dev/null
"$g" sweep --scheme=delegate,delegate-v2,delegate-v4 --threads=16 --cores=16 --ops=5000 --N=1,100 \
    --sharing=0.05 --access=0.9 --alloc=0 --io=0.001 --wait=block,spin-block --reps=1 \
    -o "$tmp/c.csv" 2> /dev/null
"$g" sweep --scheme=ideal,delegate,delegate-v2,delegate-v3,gil-ticks,gil-interval,gil-pypy,free-threading \
    --threads=4 --cores=2 --os_sched=on --ops=3000 --N=100 --sharing=0.01,0.1 --io=0,0.001 \
    --wait=block,spin --reps=1 -o "$tmp/d.csv" 2> /dev/null
for f in a b c d; do
    head -1 "$tmp/$f.csv"
    tail -n +2 "$tmp/$f.csv" | sort
done > "$out"
echo "$(($(wc -l < "$out") - 4)) rows in $out, sha256 $(sha256sum "$out" | cut -d' ' -f1)"
