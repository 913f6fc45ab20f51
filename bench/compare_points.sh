#!/usr/bin/env bash
# Two gilsim binaries on the six comparison points of `gilsim bench` (its simpy rows: delegate, 16 threads
# on 16 cores, 10^5 ops each, every opcode an access, sharing 5% and 0.1%, N = 1, 100, 1000),
# interleaved A, B, A, B so that both see the same load: per run, wall and CPU seconds (GNU
# time) and the delegations; then per point and binary the median CPU seconds and B/A. For a
# loaded machine, where wall-clock rates mean little: compare ratios within one run.
# Usage: bash bench/compare_points.sh GILSIM_A GILSIM_B [REPS] [OPS]
set -euo pipefail
a=${1:?usage: compare_points.sh GILSIM_A GILSIM_B [REPS] [OPS]}
b=${2:?usage: compare_points.sh GILSIM_A GILSIM_B [REPS] [OPS]}
reps=${3:-3}
ops=${4:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/timed_run.sh"
common="--scheme=delegate --threads=16 --cores=16 --ops=$ops --access=1 --alloc=0 --wait=block
 --op_ns=10 --wake_ns=1000 --check_ns=0 --handler_ns=0 --push_ns=0 --pop_ns=0 --poll_ns=0
 --signal_ns=0 --handoff_ns=0 --seed=1"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| sharing | N | binary | rep | wall s | CPU s | delegations |"
echo "|---|---|---|---|---|---|---|"
for s in 0.05 0.001; do
    for n in 1 100 1000; do
        for r in $(seq "$reps"); do
            for which in A B; do
                bin=$a
                [ "$which" = B ] && bin=$b
                # shellcheck disable=SC2086
                timed_run "$bin" "$tmp/row.csv" $common --sharing=$s --N=$n
                d=$(column delegations "$tmp/row.csv")
                echo "| $s | $n | $which | $r | $wall | $cpu | $d |"
                echo "$s $n $which $cpu" >> "$tmp/all"
            done
        done
    done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| sharing | N | median CPU s A | median CPU s B | B/A |"
echo "|---|---|---|---|---|"
awk '{ k = $1 " " $2; v[k, $3, ++n[k, $3]] = $4; keys[k] = 1 }
     function med(k, w,   i, j, c, t, a) {
         c = n[k, w]; for (i = 1; i <= c; i++) a[i] = v[k, w, i]
         for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
         return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2 }
     END { for (k in keys) { split(k, f, " "); ma = med(k, "A"); mb = med(k, "B")
           printf "| %s | %s | %.2f | %.2f | %.2f |\n", f[1], f[2], ma, mb, mb / ma } }' "$tmp/all" |
    sort -t'|' -k2,2r -k3,3n
