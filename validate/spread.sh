#!/usr/bin/env bash
# The spread of a verdict over several validation references (validate/reference.sh folders):
# per reference its start time, the other processes' share of the CPUs during its native runs,
# and each gated quantity (median |throughput error|, its 95% interval's upper end, the 90th
# percentile, the latency medians, the share of points in the native range, every scheme's
# median), then per quantity the smallest and largest over the references. A verdict quoted
# from validations is this spread, never one run.
#
#     bash validate/spread.sh validate/reference/A validate/reference/B ...
set -u
if [ $# -lt 1 ]; then
    echo "usage: bash validate/spread.sh REFERENCE_DIR..." >&2
    exit 2
fi
for d in "$@"; do
    for f in transcript.txt machine.txt; do
        [ -f "$d/$f" ] || { echo "spread.sh: $d/$f: no such file (allowed: folders made by validate/reference.sh)" >&2; exit 2; }
    done
done
for d in "$@"; do
    start=$(sed -n 's/^== start: [0-9-]* \([0-9:]*\) UTC$/\1/p' "$d/machine.txt" | head -1)
    # The last command's lines (a resumed reference holds several).
    [ -n "$start" ] || start=-
    awk -v name="$(basename "$d")" -v start="$start" '
        /^gilsim validate: [0-9]* distinct points/ {
            match($0, /median \|throughput error\| [0-9.]+% \[[0-9.]+%, [0-9.]+%\]/)
            s = substr($0, RSTART, RLENGTH); gsub(/[^0-9. ]/, " ", s); split(s, a, " ")
            med = a[1]; hi = a[3]
            match($0, /90th percentile [0-9.]+%/); s = substr($0, RSTART + 16, RLENGTH - 17); p90 = s
        }
        /^gilsim validate: delegated-op latency/ {
            match($0, /of the mean [0-9.]+%/); lm = substr($0, RSTART + 12, RLENGTH - 13)
            match($0, /of the p99 [0-9.]+%/); lp = substr($0, RSTART + 11, RLENGTH - 12)
        }
        /^gilsim validate: the simulated throughput lies within/ {
            match($0, /\([0-9.]+%\)/); inr = substr($0, RSTART + 1, RLENGTH - 3)
        }
        /^gilsim validate: load average .* other processes used/ {
            match($0, /other processes used [0-9.]+%/); oth = substr($0, RSTART + 21, RLENGTH - 22)
        }
        /^scheme +distinct gated/ { intab = 1; nsch = 0; next }
        intab && /^all / { intab = 0; next }
        intab { nsch++; sch[nsch] = $1; v = $4; sub(/%/, "", v); sm[nsch] = v }
        END {
            printf "%s %s %s %s %s %s %s %s %s", name, start, (oth == "" ? "-" : oth), med, hi, p90, lm, lp, inr
            for (i = 1; i <= nsch; i++) printf " %s=%s", sch[i], sm[i]
            printf "\n"
        }' "$d/transcript.txt"
done | awk '
    { n++; line[n] = $0
      for (i = 4; i <= 9; i++) { k = i; v = $i + 0
          if (!(k in lo) || v < lo[k]) lo[k] = v; if (!(k in hi) || v > hi[k]) hi[k] = v }
      for (i = 10; i <= NF; i++) { split($i, kv, "="); s = kv[1]; v = kv[2] + 0
          if (!(s in seen)) { seen[s] = 1; ord[++ns] = s }
          if (!(s in slo) || v < slo[s]) slo[s] = v; if (!(s in shi) || v > shi[s]) shi[s] = v }
    }
    END {
        printf "%-12s %8s %7s %8s %8s %8s %8s %8s %8s\n", "reference", "start", "others",
               "median", "[upper]", "p90", "lat_mean", "lat_p99", "in range"
        for (j = 1; j <= n; j++) {
            split(line[j], f, " ")
            printf "%-12s %8s %7s %7.1f%% %7.1f%% %7.1f%% %7.1f%% %7.1f%% %7.1f%%\n",
                   f[1], f[2], f[3] == "-" ? "-" : f[3] "%", f[4], f[5], f[6], f[7], f[8], f[9]
        }
        printf "%-12s %8s %7s %8s %8s %8s %8s %8s %8s\n", "min-max", "", "",
               sprintf("%.0f-%.0f%%", lo[4], hi[4]), sprintf("%.0f-%.0f%%", lo[5], hi[5]),
               sprintf("%.0f-%.0f%%", lo[6], hi[6]), sprintf("%.0f-%.0f%%", lo[7], hi[7]),
               sprintf("%.0f-%.0f%%", lo[8], hi[8]), sprintf("%.0f-%.0f%%", lo[9], hi[9])
        printf "per scheme, median |throughput error|, min-max over the references:\n"
        for (i = 1; i <= ns; i++)
            printf "  %-15s %5.1f-%.1f%%\n", ord[i], slo[ord[i]], shi[ord[i]]
    }'
