#!/usr/bin/env bash
# Simulated rows on the paths bench/rows_grid.sh leaves out, for checking that a speed change
# moves no row (not a test): Zipf (with migration), the home thread, callbacks, exponential and
# lognormal op costs, per-kind op costs, the cache-miss calibration, classes, trace replay
# (a trace recorded by the same build, and the shipped sample), heavy allocation, many threads
# with I/O, the OS scheduler, and the SimPy and ops-per-second points (at 10^5 and 2x10^5 ops).
# One row per point, in order, into OUT. Two builds agree when their OUT files are
# byte-identical (cmp).
# Usage: bash bench/rows_paths.sh GILSIM OUT
set -euo pipefail
g=${1:?usage: rows_paths.sh GILSIM OUT}
out=${2:?usage: rows_paths.sh GILSIM OUT}
g=$(cd "$(dirname "$g")" && pwd)/$(basename "$g")
: > "$out"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Runs from the temporary folder: a row names its trace as given (rec.trace), not where the
# folder happens to be.
cd "$tmp"
"$g" run --scheme=delegate --threads=4 --ops=3000 --sharing=0.2 --callback=0.3 --io=0.01 \
    --alloc=0.05 --seed=3 --record-trace=rec.trace -o rec.csv 2> /dev/null
simpy="--scheme=delegate --threads=16 --cores=16 --ops=100000 --access=1 --alloc=0 --wait=block
 --op_ns=10 --wake_ns=1000 --check_ns=0 --handler_ns=0 --push_ns=0 --pop_ns=0 --poll_ns=0
 --signal_ns=0 --handoff_ns=0 --seed=1"
points=(
    "--scheme=delegate --threads=8 --cores=4 --ops=20000 --sharing=0.1 --zipf=1.1"
    "--scheme=delegate --threads=8 --cores=4 --ops=20000 --sharing=0.1 --zipf=0.8 --migrate=2"
    "--scheme=delegate --threads=8 --cores=8 --ops=20000 --sharing=0.2 --home=0 --access=0.99"
    "--scheme=delegate-v3 --threads=8 --cores=8 --ops=20000 --sharing=0.2 --home=2 --wait=spin"
    "--scheme=delegate --threads=8 --cores=4 --ops=20000 --sharing=0.2 --callback=0.3"
    "--scheme=delegate-v2 --threads=8 --cores=4 --ops=20000 --sharing=0.2 --callback=0.5 --alloc=0.05"
    "--scheme=free-threading --threads=8 --cores=4 --ops=20000 --sharing=0.1 --callback=0.3"
    "--scheme=gil-ticks --threads=8 --cores=4 --ops=20000 --sharing=0.1 --callback=0.3 --N=7"
    "--scheme=delegate --threads=8 --cores=4 --ops=20000 --sharing=0.05 --op_dist=exponential"
    "--scheme=delegate --threads=8 --cores=4 --ops=20000 --sharing=0.05 --op_dist=lognormal --sigma=0.7 --N=13"
    "--scheme=free-threading --threads=8 --cores=4 --ops=20000 --sharing=0.05 --op_dist=lognormal --io=0.01 --io_dist=exponential"
    "--scheme=delegate --threads=8 --cores=4 --ops=20000 --sharing=0.05 --op_ns_read=30 --op_ns_mutate=50 --op_ns_alloc=70 --op_ns_compute=5"
    "--scheme=delegate --threads=8 --cores=4 --ops=20000 --sharing=0.05 --op_dist=exponential --op_ns_read=30 --op_ns_compute=5"
    "--scheme=delegate --threads=8 --cores=4 --ops=20000 --sharing=0.05 --alloc=0.2 --miss_1k_ns=8 --miss_4k_ns=30 --miss_16k_ns=60"
    "--scheme=ideal --threads=4 --cores=2 --ops=20000 --alloc=0.3 --miss_1k_ns=8 --miss_4k_ns=30"
    "--scheme=delegate --threads=4 --seed=5 --trace=rec.trace"
    "--scheme=free-threading --threads=4 --seed=5 --trace=rec.trace"
    "--scheme=gil-pypy --threads=4 --seed=5 --trace=rec.trace"
    "--scheme=delegate --threads=2 --trace=$here/workloads/traces/sample.trace"
    "$simpy --sharing=0.001 --N=100"
    "$simpy --sharing=0.001 --N=1000"
    "$simpy --sharing=0.05 --N=100"
    "--scheme=delegate --threads=16 --cores=16 --ops=200000 --N=1 --sharing=0.001"
    "--scheme=delegate --threads=16 --cores=16 --ops=200000 --N=1000 --sharing=0.001"
    "--scheme=delegate --threads=16 --cores=16 --ops=50000 --N=1000 --sharing=0.001 --alloc=0.3"
    "--scheme=delegate --threads=64 --cores=8 --ops=5000 --N=100 --sharing=0.01 --io=0.001 --wait=spin-block"
    "--scheme=gil-ticks --threads=4 --cores=2 --ops=20000 --N=100 --sharing=0.1 --io=0.01 --os_sched=on"
    "--scheme=delegate-v4 --threads=8 --cores=4 --ops=20000 --N=100 --sharing=0.1 --check_ns=5 --poll_ns=7 --handler_ns=3"
)
i=0
for args in "${points[@]}"; do
    i=$((i + 1))
    # shellcheck disable=SC2086
    "$g" run $args -o "$tmp/p.csv" 2> /dev/null || true
    [ "$i" = 1 ] && head -1 "$tmp/p.csv" >> "$out"
    tail -n +2 "$tmp/p.csv" >> "$out"
done
"$g" run --scheme=gil-interval --switch_ns=20000 \
    --classes='cpu(count=2 ops=4000) io(count=1 ops=300 io=0.3 io_ns=30000)' -o "$tmp/p.csv" 2> /dev/null
tail -n +2 "$tmp/p.csv" >> "$out"
"$g" run --scheme=delegate --cores=2 \
    --classes='hot(count=2 ops=5000 sharing=0.3 access=0.5) cold(count=2 ops=8000 sharing=0 op_dist=lognormal)' \
    -o "$tmp/p.csv" 2> /dev/null
tail -n +2 "$tmp/p.csv" >> "$out"
echo "$(($(wc -l < "$out") - 1)) rows in $out, sha256 $(sha256sum "$out" | cut -d' ' -f1)"
