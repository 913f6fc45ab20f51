#!/usr/bin/env bash
# gilsim plot and gilsim report: the numbers drawn equal the CSV's (means and 95% CI
# half-widths recomputed here with awk), the images are real PNG/SVG/PDF files with content,
# bad input exits 2 with one line and writes nothing, the timeline becomes a Gantt chart and a
# valid Chrome trace, a report without gil-interval skips its heatmap with a note, and
# index.html loads in headless Chromium with every image.
for tool in gnuplot chromium; do # decided before anything runs (bash .ci/install installs both)
    command -v $tool > /dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/plots_lib.sh"

# --- A CSV with 3 reps per point: 2 schemes x 2 N x seeds 1..3 -------------------------------
pts="--threads=2 --cores=2 --ops=3000 --sharing=0.1"
first=1
for s in delegate ideal; do
    for N in 10 100; do
        for seed in 1 2 3; do
            sim "$TMP/r.csv" --scheme=$s --N=$N --seed=$seed $pts
            [ "$rc" -eq 0 ] || bad "run $s N=$N seed=$seed: exit $rc"
            if [ $first -eq 1 ]; then head -1 "$TMP/r.csv" > "$TMP/reps.csv"; first=0; fi
            tail -n +2 "$TMP/r.csv" >> "$TMP/reps.csv"
        done
    done
done
expect_eq "reps CSV: 12 rows" "$(($(wc -l < "$TMP/reps.csv") - 1))" 12

# --- gilsim plot: the data drawn is the CSV's --------------------------------------------------
mkdir -p "$TMP/f"
"$GILSIM" plot "$TMP/reps.csv" --x=N --y=throughput --by=scheme -o "$TMP/f/fig.png" 2> "$TMP/err"
expect_eq "plot: exit status" "$?" 0
expect_eq "plot: quiet on success" "$(cat "$TMP/err")" ""
for f in fig.png fig.dat fig.gp; do
    if [ -s "$TMP/f/$f" ]; then ok "plot: $f written"; else bad "plot: $f missing"; fi
done
if cmp -s "$TMP/f/fig.gp" "$PLOTS/xy.gp"; then ok "plot: fig.gp is plots/templates/xy.gp"; else
    bad "plot: fig.gp differs from plots/templates/xy.gp"; fi
# Per (scheme, N): mean, n and 95% CI half-width (t(0.975, 2) = 4.302652729911275), from the
# CSV, then compared with the .dat row of the same series and x.
stats_of() { # CSV COLUMN -> "scheme N mean ci95 n" per point
    awk -F, -v y="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        { k = $c["scheme"] " " $c["N"]; n[k]++; s[k] += $c[y]; v[k, n[k]] = $c[y] }
        END { for (k in n) { m = s[k] / n[k]; ss = 0
                             for (i = 1; i <= n[k]; i++) ss += (v[k, i] - m) ^ 2
                             sd = sqrt(ss / (n[k] - 1))
                             printf "%s %.10g %.10g %d\n", k, m, 4.302652729911275 * sd / sqrt(n[k]), n[k] } }' "$1"
}
stats_of "$TMP/reps.csv" throughput > "$TMP/want"
dat_rows "$TMP/f/fig.dat" > "$TMP/got" # "label x mean ci95 sd n"
expect_eq "plot: one .dat row per point" "$(wc -l < "$TMP/got")" 4
while read -r s N mean ci n; do
    row=$(awk -v s="$s" -v N="$N" '$1 == s && $2 == N' "$TMP/got")
    if [ -z "$row" ]; then bad "plot: no .dat row for $s N=$N"; continue; fi
    set -- $row
    expect_awk "plot: $s N=$N mean = CSV mean" "$(rel "$3" "$mean") < 1e-8"
    expect_awk "plot: $s N=$N ci95 = CSV ci95 (3 reps)" "$(rel "$4" "$ci") < 1e-8 && $4 > 0"
    expect_eq "plot: $s N=$N n" "$6" "$n"
done < "$TMP/want"
expect_eq "plot: x label has the unit" "$(dat_meta "$TMP/f/fig.dat" xlabel)" "N (opcodes)"
case $(dat_meta "$TMP/f/fig.dat" ylabel) in
    "throughput ("*"ops/s)") ok "plot: y label has the unit" ;;
    *) bad "plot: y label '$(dat_meta "$TMP/f/fig.dat" ylabel)'" ;;
esac
case $(dat_meta "$TMP/f/fig.dat" subtitle1) in
    *threads=2*cores=2*sharing=0.1*) ok "plot: title names the fixed parameters" ;;
    *) bad "plot: subtitle1 '$(dat_meta "$TMP/f/fig.dat" subtitle1)'" ;;
esac
png_ok "plot: fig.png" "$TMP/f/fig.png" 900 500
# The kept script redraws the figure on its own, from its directory or another.
rm "$TMP/f/fig.png"
(cd "$TMP" && gnuplot f/fig.gp 2> "$TMP/err")
expect_eq "plot: 'gnuplot fig.gp' exit status" "$?" 0
png_ok "plot: fig.png redrawn by gnuplot fig.gp" "$TMP/f/fig.png" 900 500

# Other formats, --where, --facet, --logx.
"$GILSIM" plot "$TMP/reps.csv" --x=N --y=lat_p99 --by=scheme --where=scheme=delegate --logx \
    -o "$TMP/f/w.svg"
expect_eq "plot svg: exit status" "$?" 0
svg_ok "plot: w.svg" "$TMP/f/w.svg"
expect_eq "plot --where: one series" "$(dat_meta "$TMP/f/w.dat" blocks1)" 1
expect_eq "plot --where: it is delegate's" "$(dat_meta "$TMP/f/w.dat" label1)" delegate
expect_eq "plot --logx: set" "$(dat_meta "$TMP/f/w.dat" logx)" 1
stats_of "$TMP/reps.csv" lat_p99 | awk '$1 == "delegate" { print $2, $3 }' | sort -n > "$TMP/want"
dat_rows "$TMP/f/w.dat" | awk '{ print $2, $3 }' | sort -n > "$TMP/got"
expect_eq "plot --where: lat_p99 means = CSV" \
    "$(paste -d' ' "$TMP/want" "$TMP/got" | awk '{ d = ($2 - $4) / $2; if (d < 0) d = -d
                                                 if ($1 != $3 || d > 1e-8) bad++ } END { print bad + 0 }')" 0
# --where compares numbers by value: 0.10 and 1e-1 are the rows' 0.1, 10.0 their N=10.
"$GILSIM" plot "$TMP/reps.csv" --x=N --y=throughput --where=sharing=0.10 --where=N=10.0,1e-1 \
    -o "$TMP/f/wv.png"
expect_eq "plot --where by value: exit status" "$?" 0
expect_eq "plot --where by value: N=10 only" "$(dat_rows "$TMP/f/wv.dat" | awk '{ print $2 }' | sort -u)" 10
"$GILSIM" plot "$TMP/reps.csv" --x=N --y=throughput --where=sharing=1e-1 -o "$TMP/f/wv2.png"
expect_eq "plot --where=sharing=1e-1: every row" "$(dat_rows "$TMP/f/wv2.dat" | wc -l)" 4
"$GILSIM" plot "$TMP/reps.csv" --x=N --y=throughput --facet=scheme -o "$TMP/f/fc.pdf"
expect_eq "plot pdf --facet: exit status" "$?" 0
expect_eq "plot pdf: PDF signature" "$(head -c 5 "$TMP/f/fc.pdf")" "%PDF-"
expect_eq "plot --facet: two panels" "$(dat_meta "$TMP/f/fc.dat" facets)" 2
expect_eq "plot --facet: panel names" "$(dat_meta "$TMP/f/fc.dat" facet1),$(dat_meta "$TMP/f/fc.dat" facet2)" \
    "scheme=delegate,scheme=ideal"

# Bad input: exit 2, one line naming the column and listing the columns, nothing written.
bad_input() { # DESCRIPTION EXPECTED-IN-MESSAGE ARGS...
    local desc=$1 want=$2
    shift 2
    rm -f "$TMP/f/bad".*
    "$GILSIM" "$@" 2> "$TMP/err" > /dev/null
    local st=$?
    expect_eq "$desc: exit status" "$st" 2
    expect_eq "$desc: one line on stderr" "$(wc -l < "$TMP/err")" 1
    if grep -qF -- "$want" "$TMP/err"; then ok "$desc: message names '$want'"; else
        bad "$desc: message '$(cat "$TMP/err")' lacks '$want'"; fi
    if ls "$TMP/f"/bad.* > /dev/null 2>&1; then bad "$desc: files written"; else
        ok "$desc: nothing written"; fi
}
bad_input "plot --y unknown" "no column 'thruput'" plot "$TMP/reps.csv" --x=N --y=thruput -o "$TMP/f/bad.png"
grep -q "columns: schema, scheme, " "$TMP/err" && grep -q "throughput" "$TMP/err" &&
    ok "plot --y unknown: lists the columns" || bad "plot --y unknown: no column list: $(cat "$TMP/err")"
bad_input "plot --by unknown" "--by: no column 'schme'" plot "$TMP/reps.csv" --x=N --y=throughput --by=schme -o "$TMP/f/bad.png"
bad_input "plot --facet unknown" "--facet: no column 'nope'" plot "$TMP/reps.csv" --x=N --y=throughput --facet=nope -o "$TMP/f/bad.png"
bad_input "plot --x unknown" "--x: no column 'M'" plot "$TMP/reps.csv" --x=M --y=throughput -o "$TMP/f/bad.png"
bad_input "plot --where unknown" "--where: no column 'K'" plot "$TMP/reps.csv" --x=N --y=throughput --where=K=1 -o "$TMP/f/bad.png"
bad_input "plot bad extension" ".png, .svg or .pdf" plot "$TMP/reps.csv" --x=N --y=throughput -o "$TMP/f/bad.jpg"
bad_input "plot no matching rows" "no rows to plot" plot "$TMP/reps.csv" --x=N --y=throughput --where=N=7 -o "$TMP/f/bad.png"
bad_input "plot --logy over zeros" "--logy" plot "$TMP/reps.csv" --x=N --y=delegations --by=scheme --logy -o "$TMP/f/bad.png"
bad_input "plot missing CSV" "cannot read" plot "$TMP/nope.csv" --x=N --y=throughput -o "$TMP/f/bad.png"
bad_input "plot not a results CSV" "not a gilsim CSV" plot "$(dirname "$0")/lib.sh" --x=N --y=throughput -o "$TMP/f/bad.png"

# --- Timeline: Gantt chart and Chrome trace ----------------------------------------------------
sim "$TMP/t.csv" --scheme=delegate --threads=3 --cores=2 --ops=2000 --sharing=0.1 --io=0.01 \
    --timeline="$TMP/tl.csv"
expect_eq "timeline run: exit status" "$rc" 0
intervals=$(($(wc -l < "$TMP/tl.csv") - 1))
"$GILSIM" plot --timeline="$TMP/tl.csv" -o "$TMP/f/gantt.png" --chrome-trace="$TMP/f/trace.json"
expect_eq "plot --timeline: exit status" "$?" 0
png_ok "gantt.png" "$TMP/f/gantt.png" 1000 150
expect_eq "gantt.dat: every interval drawn" "$(dat_rows "$TMP/f/gantt.dat" | wc -l)" "$intervals"
dat_rows "$TMP/f/gantt.dat" | awk '{ printf "%s,%s,%.10g,%.10g\n", $2, $1, $3, $4 }' | sort > "$TMP/got"
tail -n +2 "$TMP/tl.csv" | awk -F, '{ printf "%s,%s,%.10g,%.10g\n", $1, $2, $3, $4 }' | sort > "$TMP/want"
expect_eq "gantt.dat: the intervals are the timeline's (lines differing)" \
    "$(comm -3 "$TMP/got" "$TMP/want" | wc -l)" 0
python3 - "$TMP/f/trace.json" "$TMP/tl.csv" > "$TMP/trace.out" 2>&1 <<'EOF'
import csv, json, sys
doc = json.load(open(sys.argv[1]))        # one JSON document, or this raises
ev = doc["traceEvents"]
x = [e for e in ev if e["ph"] == "X"]
rows = list(csv.DictReader(open(sys.argv[2])))
assert len(x) == len(rows), f"{len(x)} X events for {len(rows)} intervals"
threads = {int(r["thread"]) for r in rows}
meta = [e for e in ev if e["ph"] == "M" and e["name"] == "thread_name"]
assert {e["tid"] for e in meta} == threads, "one thread_name per thread"
for e, r in zip(x, rows):
    assert e["pid"] == 0 and e["tid"] == int(r["thread"]) and e["name"] == r["state"], (e, r)
    assert abs(e["ts"] - float(r["start"]) * 1e6) <= 1e-6 * max(1, e["ts"]), (e, r)
    assert abs(e["dur"] - (float(r["end"]) - float(r["start"])) * 1e6) <= 1e-6 * max(1, e["dur"]), (e, r)
print(f"{len(x)} X events")
EOF
if [ $? -eq 0 ]; then ok "chrome trace: valid JSON, $(cat "$TMP/trace.out") = intervals, ts/dur in us"
else bad "chrome trace: $(tail -1 "$TMP/trace.out")"; fi
bad_input "timeline not a timeline" "not a gilsim timeline" plot --timeline="$TMP/reps.csv" -o "$TMP/f/bad.png"
bad_input "timeline without output" "--chrome-trace" plot --timeline="$TMP/tl.csv"

# --- gilsim report ----------------------------------------------------------------------------
# Without gil-interval: the heatmap and the break-even figure are skipped with notes.
"$GILSIM" report "$TMP/reps.csv" -o "$TMP/rep1" > "$TMP/out" 2> "$TMP/err"
expect_eq "report (no gil-interval): exit status" "$?" 0
if grep -q 'Skipped: the CSV has no gil-interval rows' "$TMP/rep1/index.html"; then
    ok "report (no gil-interval): heatmap skipped with a note"
else bad "report (no gil-interval): no skip note for the heatmap"; fi
if ls "$TMP/rep1"/heatmap_* > /dev/null 2>&1; then bad "report (no gil-interval): a heatmap was drawn"
else ok "report (no gil-interval): no heatmap file"; fi
for f in throughput_vs_N latency_vs_N wait_share; do
    png_ok "report: $f.png" "$TMP/rep1/$f.png" 900 500
done
# The figures' numbers are the CSV's too (throughput vs N: one series per scheme).
stats_of "$TMP/reps.csv" throughput | awk '{ print $1, $2, $3 }' | sort > "$TMP/want"
dat_rows "$TMP/rep1/throughput_vs_N.dat" | awk '{ print $1, $2, $3 }' | sort > "$TMP/got"
expect_eq "report: throughput_vs_N.dat = CSV means" \
    "$(paste -d' ' "$TMP/want" "$TMP/got" | awk '{ d = ($3 - $6) / $3; if (d < 0) d = -d
        if ($1 != $4 || $2 != $5 || d > 1e-8) bad++ } END { print bad + 0 " of " NR }')" "0 of 4"

# With gil-interval (the real scheme if this build has it): sharing x N grid.
base=gil-interval
"$GILSIM" list | grep -q '^gil-interval ' || base=ideal
first=1
for s in delegate $base; do
    for N in 10 1000; do
        for sh in 0 0.3; do
            sim "$TMP/r.csv" --scheme=$s --N=$N --sharing=$sh --threads=2 --cores=2 --ops=3000
            if [ $first -eq 1 ]; then head -1 "$TMP/r.csv" > "$TMP/grid.csv"; first=0; fi
            tail -n +2 "$TMP/r.csv" | sed "s/^\([0-9]*\),$base,/\1,gil-interval,/" >> "$TMP/grid.csv"
        done
    done
done
[ $base = gil-interval ] || echo "note: this build has no gil-interval; ideal rows stand in for it"
"$GILSIM" report "$TMP/grid.csv" -o "$TMP/rep2" > /dev/null
expect_eq "report (grid): exit status" "$?" 0
png_ok "report: heatmap_delegate.png" "$TMP/rep2/heatmap_delegate.png" 800 500
# Each cell's speedup = delegate throughput / gil-interval throughput at the same point.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
         { t[$c["scheme"], $c["sharing"], $c["N"]] = $c["throughput"] }
         END { for (k in t) { split(k, a, SUBSEP); if (a[1] == "delegate")
                   printf "%s %s %.10g\n", a[2], a[3], t[k] / t["gil-interval", a[2], a[3]] } }' \
    "$TMP/grid.csv" | sort > "$TMP/want"
dat_rows "$TMP/rep2/heatmap_delegate.dat" | awk '{ print $4, $5, $6 }' | sort > "$TMP/got"
expect_eq "heatmap: 4 cells = CSV throughput ratios" \
    "$(paste -d' ' "$TMP/want" "$TMP/got" | awk '{ d = ($3 - $6) / $3; if (d < 0) d = -d
        if ($1 != $4 || $2 != $5 || d > 1e-8) bad++ } END { print bad + 0 " of " NR }')" "0 of 4"
grep -q 'Break-even sharing against gil-interval' "$TMP/rep2/index.html" &&
    ok "report (grid): break-even table" || bad "report (grid): no break-even table"
# The model section: the fidelity parameters in effect, with their values.
expect_eq "report: the model section lists the wake order and the wake-up distribution" \
    "$(grep -c '<h2>The model</h2>' "$TMP/rep2/index.html") $(grep -o \
      '<tr><td><code>\(wake_order\|wake_dist\)</code></td><td>[a-z]*</td>' \
      "$TMP/rep2/index.html" | sed 's/<[^>]*>/ /g' | tr -s ' ' | paste -sd';')" \
    "1  wake_dist lognormal ; wake_order glibc "
# A report replaces the previous one; in a directory with other files it adds its own and
# leaves theirs; a file of theirs with a name it writes stops it before anything changes
# (more in files.sh).
"$GILSIM" report "$TMP/grid.csv" -o "$TMP/rep2" > /dev/null
expect_eq "report: replaces a previous report" "$?" 0
mkdir -p "$TMP/foreign" && echo mine > "$TMP/foreign/mine"
"$GILSIM" report "$TMP/grid.csv" -o "$TMP/foreign" > /dev/null 2> "$TMP/err"
expect_eq "report into a directory with other files: exit 0" "$?" 0
expect_eq "report into a directory with other files: theirs kept" "$(cat "$TMP/foreign/mine")" mine
mkdir -p "$TMP/foreign2" && echo mine > "$TMP/foreign2/index.html"
"$GILSIM" report "$TMP/grid.csv" -o "$TMP/foreign2" > /dev/null 2> "$TMP/err"
expect_eq "report over a file it did not write: exit 2" "$?" 2
expect_eq "report over a file it did not write: left alone" "$(ls -A "$TMP/foreign2")" index.html
bad_input "report without -o" "missing -o" report "$TMP/grid.csv"
bad_input "report --where unknown" "--where: no column 'x'" report "$TMP/grid.csv" --where=x=1 -o "$TMP/f/bad.r"

# Self-contained: no external resource.
if grep -Eq '(src|href)="(https?:|//)' "$TMP/rep2/index.html"; then
    bad "index.html refers to an external resource"; else ok "index.html: no external resource"; fi
imgs=$(grep -o '<img src="[^"]*"' "$TMP/rep2/index.html" | wc -l)
expect_eq "index.html: one <img> per figure file" "$imgs" "$(ls "$TMP/rep2"/*.png | wc -l)"

# --- index.html in headless Chromium -----------------------------------------------------------
browse "$TMP/rep2" > "$TMP/dom" 2> "$TMP/console"
if grep -q "data-images=\"ok\" data-images-loaded=\"$imgs/$imgs\"" "$TMP/dom"; then
    ok "chromium: all $imgs images loaded"
else bad "chromium: images not all loaded: $(grep -o '<body[^>]*>' "$TMP/dom")"; fi
if grep -q 'CONSOLE' "$TMP/console"; then bad "chromium: console output: $(grep CONSOLE "$TMP/console")"
else ok "chromium: no console message"; fi
# The check can fail: the same page with one image gone reports it.
cp -r "$TMP/rep2" "$TMP/rep3" && rm "$TMP/rep3/wait_share.png"
browse "$TMP/rep3" > "$TMP/dom" 2> /dev/null
if grep -q "data-images=\"missing\" data-images-loaded=\"$((imgs - 1))/$imgs\"" "$TMP/dom"; then
    ok "chromium: a missing image is detected"
else bad "chromium: a missing image went unnoticed: $(grep -o '<body[^>]*>' "$TMP/dom")"; fi
finish
