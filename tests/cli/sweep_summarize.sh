#!/usr/bin/env bash
# gilsim summarize: per point across reps, n and mean, sample sd and 95% confidence half-width
# (Student t) of each numeric metric, checked against the same numbers computed here with awk
# (t for 2 degrees of freedom in closed form: the t CDF is 1/2 + t / (2 sqrt(2 + t^2))).
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

"$GILSIM" sweep --scheme=delegate --N=10,100 --sharing=0.2 --threads=2 --ops=2000 --reps=3 \
    -j 2 -o r.csv
"$GILSIM" summarize r.csv -o s.csv
expect_eq "summarize: exit status" "$?" 0
expect_eq "one row per point" "$(tail -n +2 s.csv | wc -l)" 2
head -1 s.csv | tr , '\n' > cols.txt
grep -qx seed cols.txt && bad "seed is still a column" || ok "no seed column"
for c in n makespan_mean makespan_sd makespan_ci95 throughput_mean throughput_sd throughput_ci95
do
    grep -qx "$c" cols.txt && ok "column $c" || bad "no column $c"
done
grep -qx 'check_mean' cols.txt && bad "check (ok/FAIL) summarized" || ok "non-numeric check skipped"
# ref METRIC N: "n mean sd ci95" of METRIC over the rows with this N, computed with awk.
ref() {
    awk -F, -v m="$1" -v N="$2" '
        NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["N"] == N { x[++n] = $c[m]; s += $c[m] }
        END { mean = s / n; for (i = 1; i <= n; i++) ss += (x[i] - mean) ^ 2
              sd = sqrt(ss / (n - 1)); p = 0.95; t = sqrt(2 * p * p / (1 - p * p))
              printf "%d %.10g %.10g %.10g\n", n, mean, sd, t * sd / sqrt(n) }' r.csv
}
# got METRIC N: the same four numbers from the summary.
got() {
    awk -F, -v m="$1" -v N="$2" '
        NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["N"] == N { print $c["n"], $c[m "_mean"], $c[m "_sd"], $c[m "_ci95"] }' s.csv
}
# close A B: 1 if the four numbers agree to 1e-8 relative.
close() {
    awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " ")
        for (i = 1; i <= 4; i++) { d = x[i] - y[i]; if (d < 0) d = -d
            m = (x[i] < 0 ? -x[i] : x[i]); if (d > 1e-8 * m + 1e-300) bad = 1 }
        print !bad }'
}
for m in makespan throughput lat_mean; do for N in 10 100; do
    r=$(ref $m $N)
    g=$(got $m $N)
    if [ "$(close "$r" "$g")" = 1 ]; then ok "$m N=$N: n mean sd ci95 = $g"
    else bad "$m N=$N: summarize says '$g', awk says '$r'"; fi
done; done
expect_awk "the reps differ (a real test of sd)" "$(got makespan 10 | cut -d' ' -f3) > 0"
# Order-independent: the rows shuffled give the same summary.
{ head -1 r.csv; tail -n +2 r.csv | sort -r; } > shuffled.csv
"$GILSIM" summarize shuffled.csv > s2.csv
cmp -s s.csv s2.csv && ok "same summary whatever the row order" || bad "summary depends on order"
# One rep: sd and ci95 are empty.
"$GILSIM" sweep --scheme=ideal --threads=2 --ops=2000 -o one.csv
expect_eq "n = 1: empty sd and ci95" \
    "$("$GILSIM" summarize one.csv | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
        NR == 2 { print $c["n"] "|" $c["makespan_sd"] "|" $c["makespan_ci95"] }')" "1||"
"$GILSIM" summarize missing.csv 2> err.txt
expect_eq "missing input: exit 2" "$?" 2
finish
