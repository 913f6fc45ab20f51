#!/usr/bin/env bash
# gilsim at the six points where a SimPy model of the delegate scheme was timed (16 threads on
# 16 cores, 10^5 ops each, every opcode an access, sharing 5% and 0.1%, N = 1, 100, 1000): each
# point R times, the repetitions taken round-robin over the points so that a change of load
# spreads over all of them; per point the median, min and max wall seconds of the whole gilsim
# process (start-up included, as for the SimPy runs). Every run must end with check=ok. Meant
# for a quiet machine: on a loaded one wall seconds say little (compare builds with
# bench/compare_points.sh instead). The SimPy column is that model's time measured once on a
# quiet machine, a reference, not measured here.
# Usage: bash bench/simpy_points.sh [GILSIM] [R]
set -euo pipefail
gilsim=${1:-build/gilsim}
reps=${2:-5}
case $reps in
'' | *[!0-9]* | 0) echo "simpy_points.sh: R must be a positive integer, not '$reps'" >&2; exit 2 ;;
esac
if [ ! -x "$gilsim" ]; then
    echo "simpy_points.sh: '$gilsim' is not an executable gilsim" >&2
    exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
common="--scheme=delegate --threads=16 --cores=16 --ops=100000 --access=1 --alloc=0 --wait=block
 --op_ns=10 --wake_ns=1000 --check_ns=0 --handler_ns=0 --push_ns=0 --pop_ns=0 --poll_ns=0
 --signal_ns=0 --handoff_ns=0 --seed=1"
points="0.05:1 0.05:100 0.05:1000 0.001:1 0.001:100 0.001:1000"
# SimPy's wall seconds at each point (sharing:N), measured once on a quiet machine.
simpy() {
    case $1 in
    0.05:1) echo 2.40 ;; 0.05:100) echo 0.58 ;; 0.05:1000) echo 0.79 ;;
    0.001:1) echo 2.01 ;; 0.001:100) echo 0.17 ;; 0.001:1000) echo 0.15 ;;
    esac
}
. "$(dirname "$0")/timed_run.sh"
echo "gilsim: $gilsim; $reps runs per point; $(nproc) online CPUs;" \
    "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$reps"); do
    for pt in $points; do
        s=${pt%:*} n=${pt#*:}
        t0=$EPOCHREALTIME
        # shellcheck disable=SC2086
        if ! "$gilsim" run $common --sharing="$s" --N="$n" -o "$tmp/row.csv" 2> "$tmp/err"; then
            echo "simpy_points.sh: gilsim failed at sharing=$s N=$n:" >&2
            cat "$tmp/err" >&2
            exit 1
        fi
        t1=$EPOCHREALTIME
        check=$(column check "$tmp/row.csv")
        if [ "$check" != ok ]; then
            echo "simpy_points.sh: check=$check at sharing=$s N=$n" >&2
            exit 1
        fi
        echo "$pt $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')" \
            "$(column delegations "$tmp/row.csv")" >> "$tmp/all"
        rm -f "$tmp/row.csv"
    done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| sharing | N | delegations | gilsim median s | min s | max s | SimPy s (reference) | SimPy / gilsim |"
echo "|---|---|---|---|---|---|---|---|"
for pt in $points; do
    ref=$(simpy "$pt")
    awk -v pt="$pt" -v ref="$ref" '$1 == pt { v[++c] = $2; d = $3 }
        END {
            for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++)
                if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
            med = c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
            split(pt, f, ":")
            printf "| %g%% | %s | %s | %.3f | %.3f | %.3f | %.2f | %.2fx |\n",
                   f[1] * 100, f[2], d, med, v[1], v[c], ref, ref / med
        }' "$tmp/all"
done
