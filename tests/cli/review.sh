#!/usr/bin/env bash
# gilsim review: a small scenario gives DIR/index.html with one verdict sentence per question
# (the same as verdict.csv), each linked to a figure that exists, every figure stamped; the
# sentences come from the rows (edited rows flip the break-even sentence); a rerun resumes
# (no run twice); --emit-tasks hands the runs out as a sweep does; --validation marks figures;
# bad input exits 2 before any run; no data reaches the page unescaped.
. "$(dirname "$0")/lib.sh"
if ! command -v gnuplot > /dev/null; then
    echo "SKIP: gnuplot is not installed (bash .ci/install installs it)"
    exit 77
fi
spec="$(cd "$(dirname "$0")" && pwd)/review_small.ini"
D="$TMP/rev"

sens="--sensitivity=wake_ns,push_ns,pause_ns"
"$GILSIM" review "$spec" -o "$D" -j 2 $sens > "$TMP/out" 2> "$TMP/err"
expect_eq "review: exit status" "$?" 0
runs=$(($(wc -l < "$D/results.csv") - 1))
sruns=$(($(wc -l < "$D/sensitivity.csv") - 1))
grep -q "^gilsim review: $D/index.html ($((runs + sruns)) runs)" "$TMP/out" && ok "review: says where the page is" ||
    bad "review: stdout $(cat "$TMP/out")"
points=$("$GILSIM" sweep "$spec" --reps=5 --emit-tasks -o "$TMP/count.csv" 2> /dev/null | wc -l)
expect_eq "review: every point of the scenario, 5 seeds each" "$runs" "$points"
expect_eq "review: seeds 1-5" "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "seed") c = i; next }
    { s[$c] = 1 } END { for (k in s) n++; print n }' "$D/results.csv")" 5

# One sentence per question, as verdict.csv has them, each linked to a figure of the page.
questions=$(python3 - "$D" <<'PYEOF'
import csv, html, re, sys
d = sys.argv[1]
page = open(d + "/index.html").read()
rows = list(csv.DictReader(open(d + "/verdict.csv")))
verdict = page[page.index('<ol id="verdict">'):page.index("</ol>")]
items = re.findall(r"<li><b>(.*?)</b> (.*?)(?: <a href=\"#fig(\d+)\">\(figure\)</a>)?</li>", verdict)
assert len(items) == len(rows), (len(items), len(rows))
for (q, s, fig), r in zip(items, rows):
    assert html.unescape(q) == r["question"] and html.unescape(s) == r["sentence"], q
    assert fig, "no figure for " + q
    m = re.search(r'<figure id="fig%s"><h3>.*?</h3>\n<img src="([^"]+)"' % fig, page)
    assert m and m.group(1) == r["figure"], (q, fig)
    cap = page[m.end():page.index("</figcaption>", m.end())]
    assert "Stamp: gilsim " in cap and "seeds 1-5" in cap and "review_small.ini" in cap, cap
    assert "Not validated on this machine." in cap, cap
print(" | ".join(r["question"] for r in rows))
PYEOF
)
expect_eq "review: a sentence per question, linked to its stamped figure" "$questions" \
    "Deadlock | N | Cores | Break-even vs gil-interval | Break-even vs free-threading | Owner in I/O | Thread exit | Sensitivity"
grep -q "Nothing on this page was validated on this machine" "$D/index.html" &&
    ok "review: the page says nothing was validated" || bad "review: no validation status"
for f in deadlock n_throughput n_latency speedup breakeven io exit tornado_breakeven tornado_throughput; do
    [ -s "$D/$f.png" ] && [ -s "$D/$f.dat" ] && [ -s "$D/$f.gp" ] || bad "review: $f figure missing"
done
for f in rows-deadlock rows-n rows-cores rows-io rows-exit breakeven verdict; do
    [ -s "$D/$f.csv" ] || bad "review: $f.csv missing"
done
ok "review: figures and CSVs written"

sentence() { python3 -c "import csv, sys
for r in csv.DictReader(open(sys.argv[1] + '/verdict.csv')):
    if r['question'] == sys.argv[2]: print(r['sentence'])" "$D" "$1"; }
# Sensitivity: each cost x0.5 and x2, each family only for the costs it pays (wake_ns: both;
# push_ns, the delegation queue's: delegate only; pause_ns, gil-pypy's spin: neither).
for sec in wake_ns-x0.5-sensitivity wake_ns-x2-sensitivity push_ns-x0.5-sensitivity \
           push_ns-x2-sensitivity wake_ns-x0.5-sensitivity-gil wake_ns-x2-sensitivity-gil; do
    grep -qx "\[$sec\]" "$D/sensitivity.ini" || bad "sensitivity.ini: no [$sec]"
done
grep -q "push_ns-x2-sensitivity-gil\|pause_ns" "$D/sensitivity.ini" &&
    bad "a family rerun for a cost it does not pay" || ok "sensitivity: each family reruns only for the costs it pays"
grep -q "Not charged in these runs (a doubled cost left their rows unchanged), so moving nothing here: pause_ns." <<< "$(sentence Sensitivity)" &&
    ok "sensitivity: names the costs no run pays" || bad "no unpaid costs in: $(sentence Sensitivity)"
expect_eq "sensitivity: 5 seeds x 2 sharings x (base + 4 delegate variants + base + 2 gil variants)" \
    "$sruns" 80
grep -q "^With each cost x0.5 and x2, the break-even sharing against gil-interval (.*) moves most with wake_ns (" <<< "$(sentence Sensitivity)" &&
    ok "sensitivity: names the cost the break-even depends on most" ||
    bad "sensitivity sentence: $(sentence Sensitivity)"
grep -q "0 of 30 runs (0%, 95% interval 0-11.4%) deadlocked" <<< "$(sentence Deadlock)" &&
    ok "review: the fixed variant's 0 of M runs" || bad "review: deadlock sentence: $(sentence Deadlock)"
# The roles come from what the schemes declare (scheme_ops): the proposal (delegate), the
# scheme that deadlocks by design (delegate-naive), the GIL schemes (gil-interval here).
grep -q "^delegate-naive deadlocked in [0-9]* of 30 runs" <<< "$(sentence Deadlock)" &&
    ok "review: the deadlock sentence counts the scheme declared to deadlock by design" ||
    bad "review: deadlock sentence: $(sentence Deadlock)"
grep -q "delegate: throughput vs N" "$D/n_throughput.dat" &&
    grep -q "Break-even sharing of delegate vs cores" "$D/breakeven.dat" &&
    ok "review: the figures name the scheme declared the proposal" ||
    bad "review: titles $(head -c 300 "$D/n_throughput.dat")"
grep -q "<p>GIL baselines: gil-interval handed its GIL over [0-9.e+-]* times per run" "$D/index.html" &&
    ! grep -q "GIL baselines:[^<]*free-threading" "$D/index.html" &&
    ok "review: hand-overs of the schemes declaring a GIL, and only theirs" ||
    bad "review: $(grep -o 'GIL baselines:[^<]*' "$D/index.html")"

# The rows decide: make gil-interval 1000 times faster and rerun (every point is there, so
# nothing runs again): delegate is now slower at every sharing.
before=$(sentence "Break-even vs gil-interval")
grep -q "slower at every sharing swept" <<< "$before" &&
    bad "review: the flip test needs a crossing first: $before"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
    $c["scheme"] == "gil-interval" { $c["throughput"] *= 1000 } { print }' "$D/results.csv" > "$TMP/edited"
cp "$TMP/edited" "$D/results.csv"
"$GILSIM" review "$spec" -o "$D" -j 2 $sens > "$TMP/out" 2> "$TMP/err"
expect_eq "review rerun: exit status" "$?" 0
expect_eq "review rerun: no run twice (rows unchanged)" "$(cksum < "$D/results.csv")" "$(cksum < "$TMP/edited")"
after=$(sentence "Break-even vs gil-interval")
grep -q "delegate is slower at every sharing swept (down to 0) on every core count" <<< "$after" &&
    ok "review: the edited rows flip the break-even sentence" || bad "review: after the edit: $after"

# --validation: a validate table that gates delegate on 4 cores, 4 threads, sharing 0-0.3.
mkdir -p "$TMP/val"
printf 'scheme,threads,cores,N,sharing,wait,n_sim,n_native,throughput_sim,throughput_native,throughput_err,gated,note\n' > "$TMP/val/validation.csv"
printf 'delegate,4,4,100,0,block,3,9,1,1,0.05,1,\ndelegate,4,4,100,0.3,block,3,9,1,1,-0.15,1,\nideal,4,4,100,0,block,3,9,1,1,0.5,0,oversubscribed\n' >> "$TMP/val/validation.csv"
"$GILSIM" review "$spec" -o "$D" $sens --validation="$TMP/val" > /dev/null 2>&1
grep -q "Validated against native runs on the machine of $TMP/val/validation.csv: delegate on 4-4 cores, 4-4 threads, sharing 0-0.3 (median |throughput error| 10%)" "$D/index.html" &&
    ok "--validation: the validated range and its error" || bad "--validation: $(grep -o 'Validated against[^<]*' "$D/index.html")"
grep -q "Partly validated: 5 of its 40 runs lie inside the validated range. Median |throughput error| there: delegate 10%." "$D/index.html" &&
    grep -q "Validated: all 30 of its runs lie inside the validated range" "$D/index.html" &&
    ok "--validation: each figure says how many of its runs are validated" ||
    bad "--validation: captions $(grep -o '[A-Za-z]* validated[^<.]*' "$D/index.html" | sort | uniq -c)"

# --emit-tasks: the pending runs as commands, as a sweep emits them.
"$GILSIM" review "$spec" -o "$TMP/emit" --emit-tasks > "$TMP/tasks" 2> "$TMP/err"
expect_eq "--emit-tasks: one line per run" "$(wc -l < "$TMP/tasks")" "$points"
[ ! -e "$TMP/emit/index.html" ] && ok "--emit-tasks: no page yet" || bad "--emit-tasks wrote a page"
# ... run elsewhere (here: one after the other), merged, and the rerun builds the page from
# the merged rows without running anything.
sh "$TMP/tasks" > /dev/null 2>&1
"$GILSIM" merge "$TMP/emit/results-points"/*.csv -o "$TMP/emit/results.csv" 2> /dev/null
sum=$(cksum < "$TMP/emit/results.csv")
"$GILSIM" review "$spec" -o "$TMP/emit" --sensitivity=none > /dev/null 2>&1
expect_eq "--emit-tasks, merge, rerun: exit status" "$?" 0
expect_eq "--emit-tasks, merge, rerun: nothing ran again" "$(cksum < "$TMP/emit/results.csv")" "$sum"
expect_eq "--emit-tasks, merge, rerun: the page has the merged rows" \
    "$(python3 -c "import csv, sys; print(len(list(csv.DictReader(open(sys.argv[1])))))" "$TMP/emit/verdict.csv")" 8

# Bad input: exit 2, nothing run.
for args in "--reps=3" "--baseline=gil-intervall" "--validation=$TMP/none" "--sensitivity=threads"; do
    "$GILSIM" review "$spec" -o "$TMP/bad" $args > /dev/null 2> "$TMP/err"
    expect_eq "bad input $args: exit 2" "$?" 2
    [ ! -e "$TMP/bad/results.csv" ] && ok "bad input $args: nothing run" || bad "bad input $args ran"
    expect_eq "bad input $args: one line" "$(wc -l < "$TMP/err")" 1
done

# A run twice in DIR/results.csv (task outputs merged twice) would count twice on the page:
# refused, as report and plot refuse it.
cp -r "$D" "$TMP/dup"
tail -n 1 "$TMP/dup/results.csv" >> "$TMP/dup/results.csv"
"$GILSIM" review "$spec" -o "$TMP/dup" $sens > /dev/null 2> "$TMP/err"
expect_eq "a run twice: exit 2" "$?" 2
grep -q "results.csv:[0-9]*: the run of line [0-9]* again" "$TMP/err" && ok "a run twice: said where" ||
    bad "a run twice: stderr $(cat "$TMP/err")"

# A sensitivity file gilsim review did not write is refused before any run, not after the main
# runs (the sensitivity runs would have to replace it).
mkdir -p "$TMP/foreign"
echo "[mine]" > "$TMP/foreign/sensitivity.ini"
"$GILSIM" review "$spec" -o "$TMP/foreign" $sens > /dev/null 2> "$TMP/err"
expect_eq "a foreign sensitivity.ini: exit 2" "$?" 2
[ ! -e "$TMP/foreign/results.csv" ] && ok "a foreign sensitivity.ini: nothing run" ||
    bad "a foreign sensitivity.ini: the main runs ran first"
expect_eq "a foreign sensitivity.ini: kept" "$(cat "$TMP/foreign/sensitivity.ini")" "[mine]"
grep -q "sensitivity.ini: not written by gilsim review" "$TMP/err" && ok "... and said so" ||
    bad "a foreign sensitivity.ini: stderr $(cat "$TMP/err")"

# Data reaches the page escaped: a scenario whose path holds markup.
hostile="$TMP/x<i>&\"'.ini"
cp "$spec" "$hostile"
"$GILSIM" review "$hostile" -o "$D" $sens > /dev/null 2>&1 || true
grep -q '<i>' "$D/index.html" && bad "the spec path reached the page unescaped" ||
    ok "the spec path is escaped on the page"
grep -q 'x&lt;i&gt;&amp;&quot;&#39;.ini' "$D/index.html" && ok "... as x&lt;i&gt;&amp;&quot;&#39;.ini" ||
    bad "escaped path not found"
finish
