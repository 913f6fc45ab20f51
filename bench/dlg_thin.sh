#!/usr/bin/env bash
# How thin gilsim's native backend is where delegations dominate: `gilsim run --backend=native
# --scheme=delegate` beside dlg-minimal (bench/dlg_minimal.c, the same protocol as a plain
# pthread program) on the same points: 2 threads on 2 cores, every opcode an object access
# (access=1, alloc=0), 50 ns opcodes, a drain every N=100 opcodes, sharing 1% and 10%, spin and
# block waits. Each repetition runs every point once with both programs, interleaved (the
# order alternating between repetitions), so load hits both alike. Prints per point the median
# throughput of each with its min..max over the repetitions, the ratio of the medians
# (gilsim / minimal; the target is >= 1/1.3 = 0.77) and the median of the per-repetition
# ratios, and the load average before and after.
# Usage: [RT="chrt -r 10"] [GILSIM=path] [GILSIM_ARGS=...] bench/dlg_thin.sh [BUILD_DIR] [REPS] [OPS]
# (defaults: build 7 100000; GILSIM: another gilsim binary, e.g. an older build; GILSIM_ARGS:
# more gilsim flags, e.g. --calibration=FILE).
# Raw rows go to standard error as `raw POINT PROGRAM THROUGHPUT`. A benchmark: it asserts
# nothing, except that every run's exactly-once check passed (else it stops, exit 1).
set -eu
build=${1:-build}
reps=${2:-7}
ops=${3:-100000}
gilsim=${GILSIM:-$build/gilsim}
# RT=chrt -r 10 (say) runs both programs under real-time scheduling, as docs/validation.md does
# on a loaded machine.
rt=${RT:-}
minimal="$build/dlg-minimal"
for x in "$gilsim" "$minimal"; do
    [ -x "$x" ] || { echo "dlg_thin.sh: $x missing (build first)" >&2; exit 2; }
done
case $reps in ''|*[!0-9]*) echo "dlg_thin.sh: REPS must be a number 1..1000" >&2; exit 2;; esac
case $ops in ''|*[!0-9]*) echo "dlg_thin.sh: OPS must be a number" >&2; exit 2;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
points="0:spin 0.01:spin 0.1:spin 0.01:block 0.1:block"
common="--threads=2 --ops=$ops --N=100 --op_ns=50"

run_minimal() { # SHARING WAIT
    local out
    out=$($rt "$minimal" $common --sharing="$1" --wait="$2")
    case $out in *check=ok*) ;; *) echo "dlg_thin.sh: dlg-minimal check failed: $out" >&2; exit 1;; esac
    out=${out#throughput=}
    echo "${out%% *}"
}

run_gilsim() { # SHARING WAIT
    $rt "$gilsim" run --backend=native --scheme=delegate $common --cores=2 --access=1 --alloc=0 \
        --sharing="$1" --wait="$2" ${GILSIM_ARGS:-} -o "$tmp/row.csv"
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
             NR == 2 { if ($c["check"] != "ok") exit 1; print $c["throughput"] }' "$tmp/row.csv" ||
        { echo "dlg_thin.sh: gilsim check failed" >&2; exit 1; }
}

echo "# dlg_thin.sh: $reps repetitions of $ops ops per thread; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= reps; r++)); do
    for pt in $points; do
        s=${pt%:*} w=${pt#*:}
        if ((r % 2)); then
            m=$(run_minimal "$s" "$w"); g=$(run_gilsim "$s" "$w")
        else
            g=$(run_gilsim "$s" "$w"); m=$(run_minimal "$s" "$w")
        fi
        echo "raw $pt minimal $m" >&2
        echo "raw $pt gilsim $g" >&2
        echo "$pt $m $g" >>"$tmp/raw.txt"
    done
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %26s %26s %8s %8s\n' point "minimal Mop/s med (min..max)" \
    "gilsim Mop/s med (min..max)" "med/med" "med(r)"
for pt in $points; do
    awk -v pt="$pt" '
        function med(a, n,   i, j, t) {
            for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
                t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
        $1 == pt { n++; m[n] = $2; g[n] = $3; q[n] = $3 / $2; m2[n] = $2; g2[n] = $3 }
        END {
            mm = med(m, n); gm = med(g, n); qm = med(q, n)
            printf "%-12s %8.2f (%5.2f..%5.2f)      %8.2f (%5.2f..%5.2f)      %8.2f %8.2f\n",
                   pt, mm / 1e6, m[1] / 1e6, m[n] / 1e6, gm / 1e6, g[1] / 1e6, g[n] / 1e6,
                   gm / mm, qm }' "$tmp/raw.txt"
done
