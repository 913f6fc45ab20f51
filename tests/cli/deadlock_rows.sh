#!/usr/bin/env bash
# Deadlocked runs in the CSV: empty throughput and latency cells, the deadlock's kind (mutual,
# chain, exited) and its cycle's length; summarize averages only the numbers (and keeps
# lat_model); plot --y=deadlock draws the share of deadlocked runs with Wilson intervals.
. "$(dirname "$0")/lib.sh"

naive="--scheme=delegate-naive --alloc=0"
sim "$TMP/mutual.csv" $naive --threads=2 --sharing=1 --access=1
expect_eq "mutual delegation: exit 3" "$rc" 3
expect_eq "mutual delegation: deadlock_kind" "$(col "$TMP/mutual.csv" deadlock_kind)" mutual
expect_eq "mutual delegation: deadlock_cycle" "$(col "$TMP/mutual.csv" deadlock_cycle)" 2
expect_eq "deadlocked: throughput empty" "$(col "$TMP/mutual.csv" throughput)" ""
expect_eq "deadlocked: lat_p99 empty" "$(col "$TMP/mutual.csv" lat_p99)" ""
grep -q "wait-for cycle: T0 -> T1 -> T0" "$TMP/mutual.csv.err" &&
    ok "the cycle printed matches the kind" || bad "no 'T0 -> T1 -> T0' on stderr"

sim "$TMP/chain.csv" $naive --threads=3 --sharing=1 --ops=200 --seed=2
expect_eq "three threads in a cycle: deadlock_kind" "$(col "$TMP/chain.csv" deadlock_kind)" chain
expect_eq "three threads in a cycle: deadlock_cycle" "$(col "$TMP/chain.csv" deadlock_cycle)" 3

sim "$TMP/exited.csv" $naive --classes='a(count=1 ops=10) b(count=2 ops=5000)' --sharing=0.5 \
    --home=0
expect_eq "owner exited: deadlock_kind" "$(col "$TMP/exited.csv" deadlock_kind)" exited
expect_eq "owner exited: path T -> T0 (exited)" "$(col "$TMP/exited.csv" deadlock_cycle)" 2

sim "$TMP/fixed.csv" --scheme=delegate --alloc=0 --threads=2 --sharing=1 --access=1
expect_eq "fixed variant: no deadlock, kind empty" \
    "$(col "$TMP/fixed.csv" deadlock),$(col "$TMP/fixed.csv" deadlock_kind),$(col "$TMP/fixed.csv" deadlock_cycle)" "0,,0"
sim "$TMP/gil.csv" --scheme=gil-interval --threads=2 --ops=2000
expect_eq "no delegation: lat_mean empty, lat_model nan" \
    "$(col "$TMP/gil.csv" lat_mean),$(col "$TMP/gil.csv" lat_model)" ",nan"

# 8 seeds of one point where the naive scheme deadlocks for some seeds only (3 of 8 here).
"$GILSIM" sweep $naive --threads=2 --ops=3000 --sharing=0.003 --reps=8 -o "$TMP/share.csv" \
    -j 2 2> /dev/null
k=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
             { n++; d += $c["deadlock"] } END { print d "/" n }' "$TMP/share.csv")
dead=${k%/*}
expect_awk "the point has deadlocked and finished seeds ($k)" "$dead > 0 && $dead < 8"
"$GILSIM" summarize "$TMP/share.csv" -o "$TMP/sum.csv"
got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
               { print $c["deadlock_mean"], ($c["throughput_mean"] > 0), ($c["lat_model_mean"] > 0) }' "$TMP/sum.csv")
expect_eq "summarize: deadlock share, throughput over the finished runs, lat_model kept" \
    "$got" "$(awk -v d="$dead" 'BEGIN { printf "%.10g 1 1", d / 8 }')"
want=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
                $c["deadlock"] == 0 { s += $c["throughput"]; n++ } END { printf "%.6g", s / n }' "$TMP/share.csv")
got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
               { printf "%.6g", $c["throughput_mean"] }' "$TMP/sum.csv")
expect_eq "summarize: throughput_mean = mean of the finished runs' cells" "$got" "$want"

if command -v gnuplot > /dev/null; then
    "$GILSIM" plot "$TMP/share.csv" --x=sharing --y=deadlock --by=scheme -o "$TMP/dl.png" &&
        ok "plot --y=deadlock draws" || bad "plot --y=deadlock failed"
    # The block line: x mean ci95 sd n lo hi; the share k/8 and its Wilson interval.
    line=$(awk -F'\t' 'NF == 7 && $1 ~ /^[0-9.]+$/ { print $2, $5, $6, $7 }' "$TMP/dl.dat")
    want=$(awk -v k="$dead" 'BEGIN { n = 8; z = 1.959963984540054; p = k / n;
        c = (p + z*z/(2*n)) / (1 + z*z/n); h = z / (1 + z*z/n) * sqrt(p*(1-p)/n + z*z/(4*n*n));
        printf "%.10g 8 %.6f %.6f", p, c - h, c + h }')
    got=$(echo "$line" | awk '{ printf "%.10g %d %.6f %.6f", $1, $2, $3, $4 }')
    expect_eq "plot --y=deadlock: share k/n with the Wilson interval" "$got" "$want"
    grep -q '"ymin0"	"1"' "$TMP/dl.dat" && ok "a share's axis starts at 0" ||
        bad "no ymin0 1 in dl.dat"
    # Plot defaults: a scheme without delegated latencies draws no lat_p99 line; a --by
    # parameter's legend names it; the y axis starts at 0.
    "$GILSIM" sweep --scheme=delegate,gil-interval --threads=2,3 --ops=2000 --sharing=0,0.1 \
        -o "$TMP/lat.csv" -j 2 2> /dev/null
    "$GILSIM" plot "$TMP/lat.csv" --x=sharing --y=lat_p99 --by=scheme --facet=threads \
        -o "$TMP/lat.png" 2> /dev/null
    expect_eq "lat_p99: no line for gil-interval (no delegated op)" \
        "$(grep -o '"label[0-9]*"	"[^"]*"' "$TMP/lat.dat" | cut -f2 | sort -u | paste -sd' ')" '"delegate"'
    "$GILSIM" plot "$TMP/lat.csv" --x=sharing --y=throughput --by=threads -o "$TMP/thr.png" \
        --where=scheme=gil-interval 2> /dev/null
    expect_eq "legend names the --by parameter" \
        "$(grep -o '"label[0-9]*"	"[^"]*"' "$TMP/thr.dat" | cut -f2 | paste -sd' ')" '"threads=2" "threads=3"'
else
    echo "gnuplot missing: plot checks not run"
fi
finish
