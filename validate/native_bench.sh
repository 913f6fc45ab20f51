#!/usr/bin/env bash
# The native backend against the machine's floor (docs/validation.md, "Native speed"): the bare
# ping-pongs and queue rates of gilsim-native-bench, then, in the same run, a delegated op's
# round trip on the native backend with the same kind of wait (spin, block), and the ratios.
# The workload is a ping-pong too: two threads whose every opcode (of zero cost) accesses the
# other's objects (sharing=1, access=1, N=1, op_ns=0), so each waits on the other while serving
# the other's requests (delegate's V1); the round trip is push, notice, pop, handler, wake-up.
# (With one owner and one requester, the owner finishes first and hands its objects over, after
# which nothing is delegated.)
# Usage: validate/native_bench.sh [BUILD_DIR] (default build). A benchmark: it asserts nothing.
set -eu
build=${1:-build}
bench="$build/gilsim-native-bench"
gilsim="$build/gilsim"
[ -x "$bench" ] || { echo "native_bench.sh: $bench missing (needs liburcu-dev)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bench" --reps=7 | tee "$tmp/floor.txt"
# col FILE NAME: the value of column NAME in the single data row of FILE.
col() {
    awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i }
                          NR == 2 { print $c }' "$1"
}
floor_spin=$(awk '/^spin ping-pong/ { print $(NF - 5) }' "$tmp/floor.txt")
floor_block=$(awk '/^condvar ping-pong/ { print $(NF - 5) }' "$tmp/floor.txt")
echo
printf '%-8s %14s %14s %14s %10s %10s\n' wait "floor RTT ns" "native p50 ns" "native mean ns" \
    "p50/floor" "mean/floor"
for wait in spin block; do
    floor=$floor_spin
    [ "$wait" = block ] && floor=$floor_block
    "$gilsim" run --backend=native --scheme=delegate --threads=2 --cores=2 \
        --sharing=1 --access=1 --alloc=0 --N=1 --op_ns=0 --wait=$wait --ops=20000 \
        -o "$tmp/$wait.csv"
    p50=$(col "$tmp/$wait.csv" lat_p50)
    mean=$(col "$tmp/$wait.csv" lat_mean)
    awk -v w=$wait -v f="$floor" -v p="$p50" -v m="$mean" 'BEGIN {
        printf "%-8s %14.1f %14.1f %14.1f %10.2f %10.2f\n", w, f, p * 1e9, m * 1e9,
               p * 1e9 / f, m * 1e9 / f }'
done
