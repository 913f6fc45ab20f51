#!/usr/bin/env bash
# The delegate path simulated against native on delegation-heavy points: 2 threads on 2 cores,
# every opcode an object access (access=1, alloc=0), 50 ns opcodes, sharing 1% and 10%, N 1
# and 100, spin and block waits. Per point: the native throughput and delegated-op latency p50
# and p99 (medians over REPS native runs, with the throughput's min..max), the simulated ones
# from the same calibration, and the simulation's error against the native median.
# Usage: [RT="chrt -r 10"] bench/dlg_simnat.sh [BUILD_DIR] [REPS] [CALIBRATION]
# (defaults: build, 5, a fresh `gilsim calibrate --reps=5` into a temporary file). RT runs the
# native runs (and the calibration) under it, as docs/validation.md's native runs are on a
# loaded machine. Raw rows go to standard error. A benchmark: it asserts nothing, except that
# every run's exactly-once check passed (else it stops, exit 1).
set -eu
build=${1:-build}
reps=${2:-5}
calib=${3:-}
gilsim="$build/gilsim"
rt=${RT:-}
[ -x "$gilsim" ] || { echo "dlg_simnat.sh: $gilsim missing (build first)" >&2; exit 2; }
case $reps in ''|*[!0-9]*) echo "dlg_simnat.sh: REPS must be a number 1..1000" >&2; exit 2;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "$calib" ]; then
    calib="$tmp/calib.ini"
    $rt "$gilsim" calibrate --reps=5 -o "$calib" 2>/dev/null
fi
[ -r "$calib" ] || { echo "dlg_simnat.sh: $calib not readable" >&2; exit 2; }
echo "# dlg_simnat.sh: $reps native runs per point, calibration $calib; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# row FILE: throughput lat_p50 lat_p99 of the single data row, if its check passed.
row() {
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
             NR == 2 { if ($c["check"] != "ok") exit 1
                       print $c["throughput"], $c["lat_p50"], $c["lat_p99"] }' "$1" ||
        { echo "dlg_simnat.sh: check failed in $1" >&2; exit 1; }
}
printf '%-22s %26s %10s %7s %9s %9s %9s %9s\n' point "native Mop/s med (min..max)" "sim Mop/s" \
    "err" "nat p50" "sim p50" "nat p99" "sim p99"
for wait in spin block; do
    for n in 1 100; do
        for s in 0.01 0.1; do
            pt="--threads=2 --cores=2 --ops=100000 --access=1 --alloc=0 --op_ns=50 --N=$n --sharing=$s --wait=$wait"
            "$gilsim" run --scheme=delegate $pt --calibration="$calib" -o "$tmp/sim.csv"
            sim=$(row "$tmp/sim.csv")
            : >"$tmp/nat.txt"
            for ((r = 1; r <= reps; r++)); do
                $rt "$gilsim" run --backend=native --scheme=delegate $pt --calibration="$calib" \
                    -o "$tmp/nat.csv"
                row "$tmp/nat.csv" >>"$tmp/nat.txt"
            done
            echo "raw $wait N=$n sharing=$s sim $sim" >&2
            sed "s/^/raw $wait N=$n sharing=$s native /" "$tmp/nat.txt" >&2
            awk -v pt="$wait N=$n s=$s" -v sim="$sim" '
                function med(a, n,   i, j, t) {
                    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
                        t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
                    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
                { n++; t[n] = $1; p[n] = $2; q[n] = $3 }
                END {
                    split(sim, S, " "); tm = med(t, n); pm = med(p, n); qm = med(q, n)
                    printf "%-22s %8.2f (%5.2f..%5.2f)      %10.2f %+6.0f%% %7.2fus %7.2fus %7.2fus %7.2fus\n",
                           pt, tm / 1e6, t[1] / 1e6, t[n] / 1e6, S[1] / 1e6,
                           100 * (S[1] - tm) / tm, pm * 1e6, S[2] * 1e6, qm * 1e6, S[3] * 1e6 }' \
                "$tmp/nat.txt"
        done
    done
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
