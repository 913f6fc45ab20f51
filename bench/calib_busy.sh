#!/usr/bin/env bash
# How much the costs of one thread that gilsim calibrate measures depend on how many CPUs are
# busy: runs `gilsim calibrate` RUNS times (each repetition measures every such cost with one
# CPU busy and with B busy, in turn, so load hits both alike) and prints, per cost, each run's
# ratio of the two medians (B CPUs / one CPU), the median of those ratios and their min..max,
# and the two values of each run; the load average before every run. The calibration files
# stay in OUT (default: a temporary folder, removed). A benchmark: it asserts nothing.
# Usage: bench/calib_busy.sh [BUILD_DIR] [RUNS] [REPS] [OUT]   (defaults: build 3 7)
set -eu
build=${1:-build}
runs=${2:-3}
reps=${3:-7}
out=${4:-}
gilsim=$build/gilsim
[ -x "$gilsim" ] || { echo "calib_busy.sh: $gilsim: no gilsim built there" >&2; exit 2; }
if [ -z "$out" ]; then
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"
for i in $(seq 1 "$runs"); do
    echo "run $i: load average $(cut -d' ' -f1-3 /proc/loadavg)"
    "$gilsim" calibrate --reps="$reps" -o "$out/calib-$i.ini" 2> /dev/null
done
# Each busy-dependent value: its key line follows the comment with the one-CPU median.
for i in $(seq 1 "$runs"); do
    awk -v run="$i" '/with one CPU busy, the others idle: median/ {
            for (k = 1; k <= NF; k++) if ($k == "median") one = $(k + 1) + 0; want = 1; next }
        want && /^(# )?[a-z_0-9]+ = / { key = $1 == "#" ? $2 : $1; v = $NF + 0
            printf "%s %d %.6g %.6g\n", key, run, v, one; want = 0 }' "$out/calib-$i.ini"
done | sort -k1,1 -k2,2n | awk -v runs="$runs" '
    { n[$1]++; busy[$1, n[$1]] = $3; one[$1, n[$1]] = $4
      r[$1, n[$1]] = $4 > 0 ? $3 / $4 : -1; if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
    END {
        printf "%-20s %-30s %8s %17s   %s\n", "cost", "ratio per run (B CPUs / one)", "median",
               "min..max", "values per run (B CPUs, one; ns)"
        for (j = 1; j <= k; j++) {
            c = order[j]; m = n[c]; s = ""; v = ""
            for (i = 1; i <= m; i++) { x[i] = r[c, i]; s = s sprintf("%.2f ", r[c, i])
                                        v = v sprintf("%.4g/%.4g ", busy[c, i], one[c, i]) }
            for (i = 1; i <= m; i++) for (q = i + 1; q <= m; q++) if (x[q] < x[i]) { t = x[i]; x[i] = x[q]; x[q] = t }
            med = m % 2 ? x[(m + 1) / 2] : (x[m / 2] + x[m / 2 + 1]) / 2
            printf "%-20s %-30s %8.2f %8.2f..%-8.2f   %s\n", c, s, med, x[1], x[m], v
        }
    }'
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
