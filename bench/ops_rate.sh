#!/usr/bin/env bash
# Two gilsim binaries at the ops-per-second points of `gilsim bench` (delegate, 16 threads on 16
# cores, 2x10^6 ops each, sharing 0.1%, N = 1 and 1000, the exactly-once check on), taken in
# turn A, B, A, B so that both see the same load: per run wall and CPU seconds (GNU time) and
# the check column; then per point and binary the medians and millions of ops per wall- and
# CPU-second. For a loaded machine: compare within one run.
# Usage: bash bench/ops_rate.sh GILSIM_A GILSIM_B [REPS]
set -euo pipefail
a=${1:?usage: ops_rate.sh GILSIM_A GILSIM_B [REPS]}
b=${2:?usage: ops_rate.sh GILSIM_A GILSIM_B [REPS]}
reps=${3:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/timed_run.sh"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in 1 1000; do
    for r in $(seq "$reps"); do
        for w in A B; do
            bin=$a
            [ "$w" = B ] && bin=$b
            timed_run "$bin" "$tmp/row.csv" --scheme=delegate --threads=16 --cores=16 \
                --ops=2000000 --N=$n --sharing=0.001
            chk=$(column check "$tmp/row.csv")
            echo "N=$n $w $r wall $wall cpu $cpu check $chk"
            echo "$n $w $wall $cpu" >> "$tmp/all"
        done
    done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
awk 'function med(a, c,   i, j, t) {
         for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
         return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2 }
     { k = $1 " " $2; n[k]++; W[k, n[k]] = $3; C[k, n[k]] = $4; keys[k] = 1 }
     END { for (k in keys) { c = n[k]; for (i = 1; i <= c; i++) { w[i] = W[k, i]; x[i] = C[k, i] }
           mw = med(w, c); mc = med(x, c); split(k, f, " ")
           printf "N=%s %s median wall %.2f s (%.1f M ops/wall-s), median CPU %.2f s (%.1f M ops/CPU-s)\n",
                  f[1], f[2], mw, 32 / mw, mc, 32 / mc } }' "$tmp/all" | sort
