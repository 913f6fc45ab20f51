#!/usr/bin/env bash
# gilsim validate on a tiny grid: both backends' rows in DIR/results.csv, DIR/validation.csv
# with exactly the expected columns and one row per point, a scatter per metric, and the exit
# status by the threshold rule (a tiny --max-error fails, a huge one passes; the second run
# resumes: nothing runs again). Bad arguments are one-line errors with exit 2.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

"$GILSIM" calibrate --reps=1 -o calib.ini 2> /dev/null || bad "calibrate failed"
grid=(--scheme=delegate,gil-ticks --threads=2 --cores=2 --ops=3000 --N=100 --sharing=0,0.05)
"$GILSIM" validate "${grid[@]}" --k=2 --native-k=3 --calibration=calib.ini --max-error=0.0001 -o v \
    > out.txt 2> err.txt
expect_eq "validate, tiny --max-error: exit 1" "$?" 1
expect_eq "results.csv: 4 points x (k=2 sim + native-k=3 native) rows" \
    "$(tail -n +2 v/results.csv | wc -l)" 20
be=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "backend") c = i; next }
              { print $c }' v/results.csv | sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }')
expect_eq "results.csv: both backends, k and native-k rows per point" "$be" "native=12 sim=8 "
cols="scheme,wait,threads,cores,N,sharing,n_sim,n_native"
for m in throughput makespan lat_mean lat_p99 wait_share lock_wait_share; do
    cols="$cols,${m}_sim,${m}_native,${m}_err"
done
cols="$cols,throughput_native_min,throughput_native_max,gated,note"
expect_eq "validation.csv columns" "$(head -1 v/validation.csv)" "$cols"
expect_eq "validation.csv: one row per point" "$(tail -n +2 v/validation.csv | wc -l)" 4
pts=$(tail -n +2 v/validation.csv | cut -d, -f1,6,7,8 | sort | tr '\n' ' ')
expect_eq "validation.csv: the points, 2 simulated and 3 native runs of each" "$pts" \
    "delegate,0,2,3 delegate,0.05,2,3 gil-ticks,0,2,3 gil-ticks,0.05,2,3 "
# The error column is (sim - native) / native of the two medians next to it.
bad_err=$(awk -F, 'NR > 1 { e = ($9 - $10) / $10; d = e - $11; if (d < 0) d = -d
                             if (d > 1e-5 * (1 + (e < 0 ? -e : e))) print }' v/validation.csv)
expect_eq "throughput_err = (sim - native) / native" "$bad_err" ""
expect_eq "every point gated (threads <= cores, runs ok)" \
    "$(tail -n +2 v/validation.csv | cut -d, -f29 | sort -u)" 1
# The native range is the least and greatest throughput of the point's native rows.
want=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
       $c["backend"] == "native" { k = $c["scheme"] "," $c["sharing"]; x = $c["throughput"] + 0
                                   if (!(k in lo) || x < lo[k]) lo[k] = x
                                   if (!(k in hi) || x > hi[k]) hi[k] = x }
       END { for (k in lo) printf "%s,%.6g,%.6g\n", k, lo[k], hi[k] }' v/results.csv | sort)
got=$(tail -n +2 v/validation.csv | awk -F, '{ printf "%s,%s,%.6g,%.6g\n", $1, $6, $27, $28 }' | sort)
expect_eq "throughput_native_min/max: the native runs' range" "$got" "$want"
inr=$(tail -n +2 v/validation.csv | awk -F, '$9 >= $27 && $9 <= $28' | wc -l)
expect_eq "the in-range line counts the points whose sim median lies in that range" \
    "$(sed -n 's/.*runs (min..max of 3) at \([0-9]*\) of 4 gated points$/\1/p' out.txt)" "$inr"
for m in throughput makespan lat_mean lat_p99 wait_share; do
    [ -s v/scatter-$m.png ] && [ -s v/scatter-$m.dat ] && [ -s v/scatter-$m.gp ] \
        && ok "scatter-$m drawn" || bad "scatter-$m missing"
done
if grep -q "^delegate " out.txt && grep -q "^all gated " out.txt; then ok "the table is printed"
else bad "no table: $(cat out.txt)"; fi
grep -q "limit 0.0%" out.txt && ok "the verdict names the limit" || bad "verdict: $(tail -1 out.txt)"

cp v/results.csv before.csv
"$GILSIM" validate "${grid[@]}" --k=2 --native-k=3 --calibration=calib.ini --max-error=1e9 -o v \
    > out2.txt 2> err2.txt
expect_eq "validate, huge --max-error: exit 0" "$?" 0
expect_eq "the rerun resumes (no new rows)" "$(cmp -s before.csv v/results.csv; echo $?)" 0

# gilsim report draws the sim-vs-native figure from a CSV with both backends, and not without.
"$GILSIM" report v/results.csv -o rep > /dev/null 2> rep.txt
expect_eq "report of both backends: exit 0" "$?" 0
if [ -s rep/sim-native.png ] && grep -q "Simulated against native" rep/index.html; then
    ok "report: sim-vs-native figure drawn"
else bad "report: no sim-vs-native figure: $(cat rep.txt)"; fi
head -1 v/results.csv > simonly.csv
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "backend") c = i; next }
         $c == "sim"' v/results.csv >> simonly.csv
"$GILSIM" report simonly.csv -o rep2 > /dev/null 2>&1
expect_eq "report of one backend: no sim-vs-native figure" \
    "$(ls rep2/sim-native.png 2>/dev/null; grep -c 'Simulated against native' rep2/index.html)" 0

# A point is gated when it has --k simulated and --native-k native runs (more simulated runs
# than native ones included).
"$GILSIM" validate --scheme=delegate --threads=2 --cores=2 --ops=2000 --sharing=0.05 --k=3 \
    --native-k=1 --calibration=calib.ini --max-error=1e9 -o nk > /dev/null 2>&1
expect_eq "k=3, native-k=1: gated, 3 sim and 1 native run" \
    "$(tail -1 nk/validation.csv | awk -F, '{ print $7, $8, $29 }')" "3 1 1"

# An oversubscribed point is shown but not gated.
"$GILSIM" validate --scheme=ideal --threads=4 --cores=2 --ops=2000 --sharing=0 --k=1 \
    --native-k=1 --calibration=calib.ini -o o > /dev/null 2>&1
expect_eq "oversubscribed only: no gated point, exit 1" "$?" 1
last=$(tail -1 o/validation.csv)
expect_eq "oversubscribed: not gated, said so" \
    "$(echo "$last" | awk -F, '{ print $29 }') $(echo "$last" | grep -c oversubscribed)" "0 1"

for a in "--k=0" "--native-k=x" "--max-error=x" "--backend=native" "--bogus"; do
    "$GILSIM" validate --scheme=ideal "$a" -o bad 2> bad.txt
    expect_eq "validate $a: exit 2, one line" "$? $(wc -l < bad.txt)" "2 1"
done
"$GILSIM" validate --scheme=ideal 2> bad.txt
expect_eq "validate without -o: exit 2" "$?" 2
finish
