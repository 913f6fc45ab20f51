#!/usr/bin/env bash
# gilsim validate on a tiny grid: both backends' rows in DIR/results.csv, DIR/validation.csv
# with exactly the expected columns and one row per point, points whose simulated rows repeat
# another's counted once (an axis the scheme does not read), every native run with its
# references in DIR/native-ref.csv, a scatter per metric, the gates named when they fail, and
# the exit status by the gates (the second run resumes: nothing runs again). Bad arguments are
# one-line errors with exit 2. The machine may be loaded: --max-drift is wide here.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1
loose=(--gate=median=1e9 --gate=scheme=1e9 --gate=p90=1e9 --gate=lat_mean=1e9
       --gate=lat_p99=1e9 --gate=in_range=0 --max-drift=1e6)

"$GILSIM" calibrate --reps=1 -o calib.ini 2> /dev/null || bad "calibrate failed"
# gil-interval reads neither N nor wait: its 4 points are one configuration; delegate's 4 differ.
grid=(--scheme=delegate,gil-interval --threads=2 --cores=2 --ops=3000 --N=1,100
      --wait=block,spin --sharing=0.05)
"$GILSIM" validate "${grid[@]}" --k=2 --native-k=3 --calibration=calib.ini --max-error=0.0001 \
    --max-drift=1e6 -o v > out.txt 2> err.txt
expect_eq "validate, tiny --max-error: exit 1" "$?" 1
grep -q "gate FAIL: median |throughput error| (limit 0%)" out.txt \
    && ok "the failing median gate is named" || bad "gate not named: $(grep gate out.txt)"
expect_eq "distinct configurations per scheme" \
    "$(grep -o 'delegate [0-9]* of [0-9]*; gil-interval [0-9]* of [0-9]*' out.txt)" \
    "delegate 4 of 4; gil-interval 1 of 4"
be=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "backend") c = i; next }
              { print $c }' v/results.csv | sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }')
expect_eq "results.csv: k sim rows per point, native-k native rows per distinct one" "$be" \
    "native=15 sim=16 "
expect_eq "native-ref.csv: every native run (kept: all, the drift bound being wide)" \
    "$(tail -n +2 v/native-ref.csv | awk -F, '$NF == 1' | wc -l)" 15
expect_eq "native-ref.csv: the results header and five reference columns" \
    "$(head -1 v/native-ref.csv)" "$(head -1 v/results.csv),ref_before_ns,ref_after_ns,drift,try,kept"
bad_drift=$(tail -n +2 v/native-ref.csv | awk -F, '{ d = $(NF-3) / $(NF-4) - 1 - $(NF-2)
    if (d > 1e-4 || d < -1e-4 || !($(NF-4) > 0)) print }')
expect_eq "native-ref.csv: drift = after / before - 1, references > 0" "$bad_drift" ""
cols="scheme,wait,threads,cores,N,sharing,access,repeat,n_sim,n_native,set_apart,drift_max"
for m in throughput makespan lat_mean lat_p99 wait_share lock_wait_share io_wait_mean; do
    cols="$cols,${m}_sim,${m}_native,${m}_err"
    case $m in throughput|lat_mean|lat_p99) cols="$cols,${m}_err_lo,${m}_err_hi" ;; esac
done
cols="$cols,throughput_native_min,throughput_native_max,throughput_native_spread,gated,note"
expect_eq "validation.csv columns" "$(head -1 v/validation.csv)" "$cols"
expect_eq "validation.csv: one row per point" "$(tail -n +2 v/validation.csv | wc -l)" 8
c() { awk -F, -v n="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) k = i; next }
                         { print $k }' v/validation.csv; }
expect_eq "validation.csv: gated points and repeats" "$(c gated | sort | uniq -c | tr -s ' ')" \
    " 3 0
 5 1"
expect_eq "the repeats name the point they repeat" \
    "$(grep -c 'counted once: the same simulated rows as the point with' v/validation.csv)" 3
# The error column is (sim - native) / native of the two medians next to it, inside its interval
# bounds' order.
bad_err=$(paste -d, <(c throughput_sim) <(c throughput_native) <(c throughput_err) \
    <(c throughput_err_lo) <(c throughput_err_hi) | awk -F, '$2 != "" {
        e = ($1 - $2) / $2; d = e - $3; if (d < 0) d = -d
        if (d > 1e-5 * (1 + (e < 0 ? -e : e)) || !($4 <= $5)) print }')
expect_eq "throughput_err = (sim - native) / native, err_lo <= err_hi" "$bad_err" ""
# The native range is the least and greatest throughput of the point's native rows.
want=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
       $c["backend"] == "native" { k = $c["scheme"] "," $c["N"] "," $c["wait"]; x = $c["throughput"] + 0
                                   if (!(k in lo) || x < lo[k]) lo[k] = x
                                   if (!(k in hi) || x > hi[k]) hi[k] = x }
       END { for (k in lo) printf "%s,%.6g,%.6g\n", k, lo[k], hi[k] }' v/results.csv | sort)
got=$(paste -d, <(c scheme) <(c N) <(c wait) <(c throughput_native_min) <(c throughput_native_max) \
      | awk -F, '$4 != "" { printf "%s,%s,%s,%.6g,%.6g\n", $1, $2, $3, $4, $5 }' | sort)
expect_eq "throughput_native_min/max: the native runs' range" "$got" "$want"
inr=$(paste -d, <(c throughput_sim) <(c throughput_native_min) <(c throughput_native_max) \
      <(c gated) | awk -F, '$4 == 1 && $1 >= $2 && $1 <= $3' | wc -l)
expect_eq "the in-range line counts the gated points whose sim median lies in that range" \
    "$(sed -n 's/.*min..max at \([0-9]*\) of 5 gated points.*/\1/p' out.txt)" "$inr"
# The native spread is (max - min) / median of the point's native throughputs, and the summary
# counts the gated points whose spread is at most 5% (and their median spread).
bad_spread=$(paste -d, <(c throughput_native_min) <(c throughput_native_max) <(c throughput_native) \
    <(c throughput_native_spread) | awk -F, '$3 != "" { s = ($2 - $1) / $3; d = s - $4
        if (d < 0) d = -d; if (d > 1e-5 * (1 + s) || $4 == "") print }')
expect_eq "throughput_native_spread = (max - min) / native median" "$bad_spread" ""
agree=$(paste -d, <(c throughput_native_spread) <(c gated) | awk -F, '$2 == 1 && $1 <= 0.05' | wc -l)
expect_eq "the agreement line counts the gated points whose native spread is at most 5%" \
    "$(sed -n 's/.*native runs agree within 5% .* at \([0-9]*\) of 5 gated points.*/\1/p' out.txt)" \
    "$agree"
med=$(paste -d, <(c throughput_native_spread) <(c gated) | awk -F, '$2 == 1 { print $1 }' |
      sort -g | awk '{ v[NR] = $1 } END { printf "%.1f%%", 100 * (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')
expect_eq "the agreement line's median spread is the gated points' median" \
    "$(sed -n 's/.*native runs agree within 5% .*; median spread \([0-9.]*%\)$/\1/p' out.txt)" "$med"
for m in throughput makespan lat_mean lat_p99 wait_share; do
    [ -s v/scatter-$m.png ] && [ -s v/scatter-$m.dat ] && [ -s v/scatter-$m.gp ] \
        && ok "scatter-$m drawn" || bad "scatter-$m missing"
done
# The quietness line: the other processes' and the hypervisor's shares of the CPUs' time during the
# native runs, each a percentage no larger than 100.
q=$(sed -n 's/.*during the native runs ([0-9]* s) other processes used \([0-9.]*\)% of the CPUs. time and the hypervisor \([0-9.]*\)% (steal).*/\1 \2/p' out.txt)
echo "$q" | awk 'NF == 2 && $1 <= 100 && $2 <= 100 { f = 1 } END { exit !f }' \
    && ok "others' CPU share during the native runs is stated ($q)" \
    || bad "no share of others' CPU time in: $(grep 'load average' out.txt)"
if grep -q "^delegate " out.txt && grep -q "^all " out.txt; then ok "the table is printed"
else bad "no table: $(cat out.txt)"; fi

cp v/results.csv before.csv
"$GILSIM" validate "${grid[@]}" --k=2 --native-k=3 --calibration=calib.ini "${loose[@]}" -o v \
    > out2.txt 2> err2.txt
expect_eq "validate, every gate loose: exit 0" "$?" 0
expect_eq "no gate fails" "$(grep -c 'gate FAIL' out2.txt)" 0
expect_eq "the rerun resumes (no new rows)" "$(cmp -s before.csv v/results.csv; echo $?)" 0
"$GILSIM" validate "${grid[@]}" --k=2 --native-k=3 --calibration=calib.ini "${loose[@]}" \
    --gate=in_range=101 -o v > out3.txt 2> /dev/null
expect_eq "in_range above 100%: exit 1, that gate named" \
    "$? $(grep -c 'gate FAIL' out3.txt) $(grep -c 'gate FAIL: simulated throughput within' out3.txt)" \
    "1 1 1"

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
# than native ones included); a repetition of the native side has its own rows and verdict.
"$GILSIM" validate --scheme=delegate --threads=2 --cores=2 --ops=2000 --sharing=0.05 --k=3 \
    --native-k=1 --repeat=2 --calibration=calib.ini "${loose[@]}" -o nk > nk.txt 2>&1
expect_eq "k=3, native-k=1, repeat=2: gated in both repetitions, 3 sim and 1 native run each" \
    "$(tail -n +2 nk/validation.csv | awk -F, '{ print $8, $9, $10, $(NF-1) }' | tr '\n' ' ')" \
    "1 3 1 1 2 3 1 1 "
grep -q "over 2 repetitions of the native runs" nk.txt && ok "--repeat: the spread is printed" \
    || bad "--repeat: no spread line: $(tail -3 nk.txt)"

# An oversubscribed point is gated too.
"$GILSIM" validate --scheme=ideal --threads=4 --cores=2 --ops=2000 --sharing=0 --k=1 \
    --native-k=1 --calibration=calib.ini "${loose[@]}" -o o > /dev/null 2>&1
expect_eq "oversubscribed: gated, exit 0" "$? $(tail -1 o/validation.csv | awk -F, '{ print $(NF-1) }')" "0 1"

for a in "--k=0" "--native-k=x" "--max-error=x" "--backend=native" "--seed=3" "--bogus" \
         "--repeat=0" "--max-drift=-1" "--gate=p95=1" "--gate=median"; do
    "$GILSIM" validate --scheme=ideal "$a" -o bad 2> bad.txt
    expect_eq "validate $a: exit 2, one line" "$? $(wc -l < bad.txt)" "2 1"
done
"$GILSIM" validate --scheme=ideal 2> bad.txt
expect_eq "validate without -o: exit 2" "$?" 2
finish
