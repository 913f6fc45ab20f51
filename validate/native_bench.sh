#!/usr/bin/env bash
# The native backend against the machine's floor (docs/validation.md, "Native speed"): the bare
# ping-pongs, request round trips and queue rates of gilsim-native-bench, then, in the same run,
# a delegated op's round trip on the native backend with the same kind of wait (spin, block),
# and the ratios. Two workloads, both N=1 (the owner looks at its queue after every opcode):
#   one-way  thread 0 (class req) only issues ops on thread 1's objects (sharing=1, access=1,
#            op_ns=0); thread 1 (class own) only computes locally (access=0) in opcodes of
#            OWN_NS ns and serves: a pure request/answer round trip, the like of a ping-pong.
#            The owner computes longer than the requester runs, so every op is delegated (the
#            `delegations` column; an owner that ended first would hand its objects over).
#   mutual   both threads access the other's objects at every opcode (op_ns=0), so each also
#            waits while its peer serves or issues its own request (delegate's V1).
# The latency is delegate's per-op figure: from the push until the answer is seen, median
# (lat_p50) and mean. Usage: validate/native_bench.sh [BUILD_DIR] (default build). A
# benchmark: it asserts nothing.
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
# floor LABEL: the median of the floor line starting with LABEL.
floor() { awk -v l="$1" 'index($0, l) == 1 { print $(NF - 5) }' "$tmp/floor.txt"; }
floor_spin=$(floor "spin ping-pong")
floor_block=$(floor "condvar ping-pong")
floor_queue=$(floor "MPSC request round trip")
floor_proto=$(floor "... + delegate's")
echo
printf '%-8s %-7s %12s %12s %12s %10s %8s %8s %8s\n' wait workload "floor RTT ns" "p50 ns" \
    "mean ns" delegated p50/floor p50/queue p50/proto
for wait in spin block; do
    floor=$floor_spin ops=20000 own_ns=10 own_ops=5000000
    # Blocking round trips take tens of us: fewer ops, an owner that computes longer.
    [ "$wait" = block ] && floor=$floor_block ops=2000 own_ns=50 own_ops=4000000
    for workload in one-way mutual; do
        if [ "$workload" = one-way ]; then
            shape=(--classes="req(count=1 ops=$ops sharing=1 access=1 op_ns=0) own(count=1 \
ops=$own_ops sharing=0 access=0 op_ns=$own_ns op_dist=fixed)")
        else
            shape=(--threads=2 --sharing=1 --access=1 --op_ns=0 --ops=$ops)
        fi
        "$gilsim" run --backend=native --scheme=delegate --cores=2 --alloc=0 --N=1 \
            --wait=$wait "${shape[@]}" -o "$tmp/$wait-$workload.csv"
        p50=$(col "$tmp/$wait-$workload.csv" lat_p50)
        mean=$(col "$tmp/$wait-$workload.csv" lat_mean)
        dlg=$(col "$tmp/$wait-$workload.csv" delegations)
        awk -v w=$wait -v k=$workload -v f="$floor" -v p="$p50" -v m="$mean" -v d="$dlg" \
            -v q="$floor_queue" -v r="$floor_proto" 'BEGIN {
            printf "%-8s %-7s %12.1f %12.1f %12.1f %10d %8.2f %8s %8s\n", w, k, f, p * 1e9,
                   m * 1e9, d, p * 1e9 / f,
                   w == "spin" ? sprintf("%.2f", p * 1e9 / q) : "-",
                   w == "spin" ? sprintf("%.2f", p * 1e9 / r) : "-" }'
    done
done
