#!/usr/bin/env bash
# gilsim sweep runs exactly the cross product, one row per point; deadlocked runs keep their
# row; the same command again adds nothing; killed with SIGKILL halfway (and a torn last line
# added by hand) then resumed, every point is in the file exactly once and every row is whole.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

# cells FILE COLS...: the named columns of every data row, comma-separated, sorted.
cells() {
    local f=$1
    shift
    awk -F, -v want="$*" 'NR == 1 { n = split(want, w, " ")
                                    for (i = 1; i <= NF; i++) c[$i] = i; next }
                          { s = $c[w[1]]; for (i = 2; i <= n; i++) s = s "," $c[w[i]]; print s }' \
        "$f" | sort
}
# whole FILE: 1 if every line has as many cells as the header.
whole() { awk -F, 'NR == 1 { n = NF } NF != n { bad = 1 } END { print !bad }' "$1"; }
# keycells FILE: the cells before the metrics (schema + parameters) of every row, sorted.
keycells() { tail -n +2 "$1" | cut -d, -f1-"$keycols" | sort; }
keycols=$(("$("$GILSIM" params --markdown | grep -c '^| `')" + 1))

"$GILSIM" sweep --scheme=ideal,delegate,delegate-naive --N=10,100 --sharing=0,0.2 --threads=2 \
    --ops=2000 -j 2 -o r.csv 2> err.txt
rc=$?
expect_eq "sweep exit status (deadlocks are finished runs)" "$rc" 0
expect_eq "quiet when stderr is not a terminal" "$(cat err.txt)" ""
for s in ideal delegate delegate-naive; do for n in 10 100; do for sh in 0 0.2; do
    echo "$s,$n,$sh"
done; done; done | sort > want.txt
cells r.csv scheme N sharing > got.txt
cmp -s got.txt want.txt && ok "rows are exactly the cross product (12)" \
    || bad "rows differ from the cross product: $(diff got.txt want.txt)"
expect_eq "one header" "$(grep -c '^schema,' r.csv)" 1
expect_awk "deadlocked runs keep their row" "$(cells r.csv deadlock | grep -c 1) >= 1"
# The sweep runs each point in a fork of itself (no exec): its rows are byte for byte the rows
# `gilsim run` writes for the same parameters.
same=1
for s in ideal delegate delegate-naive; do for n in 10 100; do for sh in 0 0.2; do
    "$GILSIM" run --scheme=$s --N=$n --sharing=$sh --threads=2 --ops=2000 -o one.csv 2> /dev/null
    grep -qxF "$(tail -n 1 one.csv)" r.csv || { same=0; echo "no such sweep row: $(tail -n 1 one.csv)"; }
done; done; done
expect_eq "forked runs write the rows gilsim run writes (12)" "$same" 1
cp r.csv r.before
"$GILSIM" sweep --scheme=ideal,delegate,delegate-naive --N=10,100 --sharing=0,0.2 --threads=2 \
    --ops=2000 -j 2 -o r.csv
expect_eq "rerun: exit status" "$?" 0
cmp -s r.csv r.before && ok "rerun: nothing run, file unchanged" || bad "rerun changed r.csv"
"$GILSIM" sweep --scheme=ideal,delegate,delegate-naive --N=10,100,1000 --sharing=0,0.2 \
    --threads=2 --ops=2000 -j 2 -o r.csv
expect_eq "a wider sweep adds only the new points" "$(tail -n +2 r.csv | wc -l)" 18
expect_eq "no point twice" "$(keycells r.csv | uniq -d | wc -l)" 0

# Kill -9 halfway, then resume.
args=(--scheme=delegate --N=10,100,1000 --sharing=0:0.2:0.05 --threads=2 --ops=100000 -j 2)
TMPDIR=$TMP "$GILSIM" sweep "${args[@]}" -o "$TMP/k.csv" 2> /dev/null &
pid=$!
for _ in $(seq 600); do
    [ -f k.csv ] && [ "$(wc -l < k.csv)" -ge 4 ] && break
    sleep 0.05
done
kill -9 $pid
wait $pid 2> /dev/null
rows=$(($(wc -l < k.csv) - 1))
expect_awk "killed halfway ($rows of 15 rows)" "$rows >= 3 && $rows < 15"
expect_eq "rows whole after SIGKILL" "$(whole k.csv)" 1
sleep 0.2
# A run is a fork of the sweep (its command line the sweep's) or an exec'd gilsim run (its
# arguments name the sweep's temporary directory): neither may be left.
expect_eq "no run outlives the killed sweep" "$(pgrep -f -- "$TMP/(gilsim-sweep|k\.csv)" | wc -l)" 0
printf '%s' "$(tail -1 k.csv | cut -c1-40)" >> k.csv # a row cut short by a crash
"$GILSIM" sweep "${args[@]}" -o k.csv
expect_eq "resume: exit status" "$?" 0
for n in 10 100 1000; do for sh in 0 0.05 0.1 0.15 0.2; do echo "delegate,$n,$sh"; done; done \
    | sort > want.txt
cells k.csv scheme N sharing > got.txt
cmp -s got.txt want.txt && ok "resumed: every point exactly once (15)" \
    || bad "resumed: points differ: $(diff got.txt want.txt)"
expect_eq "resumed: rows whole, torn line dropped" "$(whole k.csv)" 1
expect_eq "resumed: no point twice" "$(keycells k.csv | uniq -d | wc -l)" 0

# A configuration key SimGrid rejects is found before any run: exit 2, one line, no file.
"$GILSIM" sweep --N=1,2 --threads=2 --ops=100 --cfg=bogus/key:1 -o f.csv 2> err.txt
expect_eq "bad --cfg: exit status" "$?" 2
expect_eq "bad --cfg: one line" "$(cat err.txt)" "gilsim: sweep: --cfg=bogus/key:1: SimGrid does not accept it (--help-cfg lists the --cfg items, --help-logs the --log syntax)"
expect_eq "bad --cfg: no results file" "$(ls f.csv 2> /dev/null)" ""
# A run that fails (here its trace is missing) is reported, the others still run, and the
# sweep exits 1 with no row for it.
"$GILSIM" sweep --N=1,2 --threads=2 --ops=100 --trace=missing.trace -o f.csv 2> err.txt
expect_eq "failed runs: exit status" "$?" 1
expect_eq "failed runs: each reported" "$(grep -c '^gilsim: sweep: run failed' err.txt)" 2
expect_eq "failed runs: no rows" "$(wc -l < f.csv)" 1

# The progress line appears on a terminal only (script(1) gives the sweep one).
if command -v script > /dev/null; then
    script -qc "'$GILSIM' sweep --N=1,2 --threads=2 --ops=100 -o '$TMP/p.csv'" /dev/null \
        > tty.txt < /dev/null
    grep -q "2/2 done; 2 runs in .*runs/s" tty.txt && ok "progress line on a terminal" \
        || bad "no progress line on a terminal: $(cat -v tty.txt)"
fi
finish
