#!/usr/bin/env bash
# What gilsim promises about its files (docs/files.md): outputs are
# whole or absent and never written through a symlink or planted temporary; devices, FIFOs and
# - are written in place; report touches only what it wrote; every writer of a results file
# takes the sweep's lock; a full disk leaves whole rows; an output never replaces an input; a
# failed write to standard output is an error; signals leave no temporary files behind.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1
unset TMPDIR

# wait_for CONDITION...: polls (0.1 s) until the condition holds, at most 60 s; 1 if it never did.
wait_for() {
    local i
    for i in $(seq 600); do "$@" && return 0; sleep 0.1; done
    return 1
}
has_rows() { [ -f "$1" ] && [ "$(wc -l < "$1")" -ge "$2" ]; }
RUN=(run --threads=2 --ops=500)

# ---- devices, FIFOs and - are written in place; symlinks and planted temporaries
# never followed; directories and links refused before anything runs.
mkdir d1 && cd d1 || exit 1
if [ "$(id -u)" -eq 0 ]; then
    mknod null c 1 3
    "$GILSIM" "${RUN[@]}" -o null 2> "$TMP/err.txt"
    expect_eq "-o a character device: exit status" "$?" 0
    [ -c null ] && ok "-o a character device: still a character device" \
        || bad "-o a character device: replaced by $(stat -c %F null)"
else
    # Not root: the system's /dev/null, which an old gilsim could not replace without root.
    "$GILSIM" "${RUN[@]}" -o /dev/null 2> "$TMP/err.txt"
    expect_eq "-o /dev/null: exit status" "$?" 0
    [ -c /dev/null ] && ok "-o /dev/null: still a character device" || bad "-o /dev/null replaced"
fi
mkfifo fifo
timeout 60 cat fifo > from_fifo &
reader=$!
"$GILSIM" "${RUN[@]}" -o fifo 2> "$TMP/err.txt"
expect_eq "-o a FIFO: exit status" "$?" 0
wait $reader
expect_eq "-o a FIFO: the reader got the header and the row" "$(wc -l < from_fifo)" 2
[ -p fifo ] && ok "-o a FIFO: still a FIFO" || bad "-o a FIFO: replaced by $(stat -c %F fifo)"
expect_eq "-o -: the CSV on standard output" "$("$GILSIM" "${RUN[@]}" -o - | cut -d, -f1 | head -1)" schema
ln -s target.csv link.csv
snap . > "$TMP/before"
refused "-o a symbolic link" 2 "is a symbolic link" "${RUN[@]}" -o link.csv
refused "--timeline= a symbolic link" 2 "is a symbolic link" "${RUN[@]}" --timeline=link.csv
refused "--record-trace= a symbolic link" 2 "is a symbolic link" "${RUN[@]}" --record-trace=link.csv
refused "-o a directory" 2 "is a directory" "${RUN[@]}" -o .
refused "-o in a missing directory" 2 "its directory does not exist" "${RUN[@]}" -o no/x.csv
same_as "refused outputs: nothing written, the link and its target untouched" . "$TMP/before"
# The temporary name of an old gilsim was OUT.tmp.PID: plant a symlink there, then exec
# gilsim with that PID.
sh -c 'ln -s victim.csv out.csv.tmp.$$ && exec "$0" run --threads=2 --ops=500 -o out.csv' \
    "$GILSIM"
expect_eq "planted symlink at the temporary name: exit status" "$?" 0
[ ! -e victim.csv ] && ok "planted symlink at the temporary name: not followed" \
    || bad "planted symlink at the temporary name: written through to victim.csv"
[ -f out.csv ] && [ ! -L out.csv ] && [ "$(wc -l < out.csv)" -eq 2 ] \
    && ok "planted symlink: out.csv is a regular file with the row" || bad "out.csv: $(ls -l out.csv)"
expect_eq "no temporary left" "$(ls | grep -c '\.tmp\.' )" 1 # the planted link only
"$GILSIM" merge out.csv -o link.csv 2> "$TMP/err.txt"
expect_eq "merge -o a symbolic link: exit status" "$?" 2
"$GILSIM" summarize out.csv -o link.csv 2> "$TMP/err.txt"
expect_eq "summarize -o a symbolic link: exit status" "$?" 2
[ -L link.csv ] && [ ! -e target.csv ] && ok "merge/summarize: link and target untouched" \
    || bad "merge/summarize wrote through or replaced the link"
cd ..

# A results CSV for the commands that read one.
"$GILSIM" sweep --scheme=ideal,delegate --N=10,100 --sharing=0,0.2 --threads=2 --ops=500 -j 2 \
    -o r.csv 2> sweep.err
expect_eq "input sweep: exit status" "$?" 0

# plot: its figure's three files are placed by rename, never through a planted link.
mkdir d1p && cd d1p || exit 1
sh -c 'ln -s victim.dat fig.tmp.$$.dat && ln -s victim.gp fig.tmp.$$.gp &&
       exec "$0" plot ../r.csv --x=N --y=throughput -o fig.png' "$GILSIM" 2> "$TMP/err.txt"
expect_eq "plot with links planted at the old temporary names: exit status" "$?" 0
[ ! -e victim.dat ] && [ ! -e victim.gp ] && ok "plot: planted links not followed" \
    || bad "plot: wrote through a planted link"
ln -s elsewhere.png link.png
"$GILSIM" plot ../r.csv --x=N --y=throughput -o link.png 2> "$TMP/err.txt"
[ $? -ne 0 ] && [ -L link.png ] && [ ! -e elsewhere.png ] && ok "plot -o a symbolic link: refused" \
    || bad "plot -o a symbolic link: $(ls -l link.png) $(cat "$TMP/err.txt")"
expect_eq "plot: no working folder left" "$(ls -A | grep -c gilsim-fig)" 0
cd ..

# ---- report -o DIR keeps the input and the user's files in DIR; it replaces and
# removes only what its manifest lists.
mkdir -p d2/notes && cp r.csv d2/results.csv && echo mine > d2/notes.txt && echo keep > d2/notes/a
"$GILSIM" report d2/results.csv -o d2 > /dev/null 2> "$TMP/err.txt"
expect_eq "report DIR/results.csv -o DIR: exit status" "$?" 0
cmp -s r.csv d2/results.csv && ok "report: the input inside DIR is untouched" \
    || bad "report: the input inside DIR is gone or changed"
[ "$(cat d2/notes.txt)" = mine ] && [ "$(cat d2/notes/a)" = keep ] \
    && ok "report: the user's file and folder in DIR are kept" || bad "report: user files lost"
grep -qx index.html d2/.gilsim-manifest && ! grep -q 'results.csv\|notes' d2/.gilsim-manifest \
    && ok "report: the manifest lists its files only" || bad "manifest: $(cat d2/.gilsim-manifest)"
echo stale > d2/stale.png && echo stale.png >> d2/.gilsim-manifest
echo theirs > d2/theirs.png
"$GILSIM" report d2/results.csv -o d2 > /dev/null 2> "$TMP/err.txt"
expect_eq "report again: exit status" "$?" 0
[ ! -e d2/stale.png ] && ok "report again: a file of the previous report it no longer draws is removed" \
    || bad "report again: stale.png kept"
[ -e d2/theirs.png ] && [ -e d2/notes.txt ] && [ -e d2/notes/a ] && cmp -s r.csv d2/results.csv \
    && ok "report again: the input and unlisted files are kept" || bad "report again: lost a user file"
expect_eq "report: no working folder left" "$(ls -A d2 | grep -c '^\.gilsim-report\.')" 0
# The input under the name of a file the report writes (and lists): still never replaced.
cp r.csv d2/index.html
snap d2 > "$TMP/before"
refused "report whose input is DIR/index.html" 2 "is the input CSV" report d2/index.html -o d2
same_as "report whose input is DIR/index.html: DIR unchanged" d2 "$TMP/before"

# ---- every writer of a results file takes the sweep's lock.
"$GILSIM" sweep --seed=1:60:1 --threads=2 --ops=200000 -j 1 -o c.csv 2> c.err &
sweep=$!
if wait_for has_rows c.csv 2; then
    refused "merge into a file a sweep is appending to" 1 "in use by another gilsim" \
        merge c.csv -o c.csv
    refused "run -o a file a sweep is appending to" 1 "in use by another gilsim" \
        "${RUN[@]}" -o c.csv
    refused "summarize -o a file a sweep is appending to" 1 "in use by another gilsim" \
        summarize r.csv -o c.csv
    refused "a second sweep into it" 2 "in use by another gilsim" \
        sweep --seed=1:60:1 --threads=2 --ops=200000 -o c.csv
    kill -0 $sweep 2> /dev/null && ok "the sweep was still running during those checks" \
        || bad "the sweep ended before the checks (inconclusive: make it longer)"
else
    bad "the sweep wrote no row in 60 s"
fi
wait $sweep
expect_eq "the sweep: exit status" "$?" 0
expect_eq "the sweep: all 60 rows kept" "$(($(wc -l < c.csv) - 1))" 60
expect_eq "the sweep: every row whole" "$(whole c.csv)" 1
"$GILSIM" merge c.csv -o c.csv 2> "$TMP/err.txt"
expect_eq "merge into it once the sweep has ended" "$?" 0

# ---- a short write (file size limit) cuts back to the last whole row and stops.
(trap '' XFSZ; ulimit -f 8; exec "$GILSIM" sweep --seed=1:30:1 --threads=2 --ops=500 -j 1 \
    -o f.csv) 2> f.err
expect_eq "sweep past the file size limit: exit status" "$?" 1
grep -q 'cannot append: File too large' f.err && ok "it says why (File too large)" \
    || bad "message: $(cat f.err)"
grep -q 'Success' f.err && bad "errno misreported: $(cat f.err)" || ok "no 'Success' in the message"
expect_eq "the file still ends with a whole row" "$(whole f.csv)" 1
expect_awk "the file is within the limit (ulimit -f counts KiB)" "$(stat -c %s f.csv) <= 8192"
"$GILSIM" sweep --seed=1:30:1 --threads=2 --ops=500 -j 2 -o f.csv 2> "$TMP/err.txt"
expect_eq "resume after the limit: exit status" "$?" 0
expect_eq "resume: 30 rows" "$(tail -n +2 f.csv | wc -l)" 30
expect_eq "resume: each point once" "$(tail -n +2 f.csv | cut -d, -f1-40 | sort -u | wc -l)" 30
"$GILSIM" merge f.csv -o f2.csv 2> "$TMP/err.txt"
expect_eq "merge accepts it" "$?" 0
"$GILSIM" summarize f.csv > /dev/null 2> "$TMP/err.txt"
expect_eq "summarize accepts it" "$?" 0

# ---- no output may be an input or another output (exit 2, nothing written).
mkdir d5 && cd d5 || exit 1
cp ../r.csv g.csv && cp ../r.csv in.dat && ln g.csv hard.csv
printf '[run]\nscheme = ideal\n' > spec.ini
"$GILSIM" "${RUN[@]}" --record-trace=T > /dev/null
snap . > "$TMP/before"
refused "summarize g.csv -o g.csv" 2 "is the input" summarize g.csv -o g.csv
refused "summarize g.csv -o ./g.csv" 2 "is the input" summarize g.csv -o ./g.csv
refused "summarize g.csv -o a hard link of it" 2 "is the input" summarize g.csv -o hard.csv
refused "plot in.dat -o in.png (its .dat is the input)" 2 "is the input" \
    plot in.dat --x=N --y=throughput -o in.png
refused "plot -o fig.png --timeline=fig.dat" 2 "is the input" plot --timeline=fig.dat -o fig.png
refused "plot --timeline --chrome-trace the input" 2 "is the input" \
    plot --timeline=T --chrome-trace=./T
refused "run -o s.csv --timeline=s.csv" 2 "also the -o output" "${RUN[@]}" -o s.csv --timeline=s.csv
refused "run -o s.csv --timeline=../d5/s.csv" 2 "also the -o output" \
    "${RUN[@]}" -o s.csv --timeline=../d5/s.csv
refused "run --timeline=- (with the CSV on standard output)" 2 "also the -o output" \
    "${RUN[@]}" --timeline=-
refused "run --trace=T --record-trace=T" 2 "not with --trace" run --trace=T --threads=2 --record-trace=T
refused "run --trace=T --record-trace=U" 2 "not with --trace" run --trace=T --threads=2 --record-trace=U
refused "run --trace=T -o T" 2 "is the --trace input" run --trace=T --threads=2 -o ./T
refused "run --trace=T --timeline=T" 2 "is the --trace input" run --trace=T --threads=2 --timeline=T
refused "sweep spec.ini -o spec.ini" 2 "is the spec file" sweep spec.ini -o spec.ini
same_as "no output may be an input: nothing written, no input changed" . "$TMP/before"
cd ..

# ---- a failed write to standard output is one line and exit 1, for every command.
for cmd in "summarize r.csv" "${RUN[*]}" "sweep --threads=2,3 --emit-tasks -o e.csv" params \
           "params --markdown" list columns "merge r.csv -o -" "plot --help" "--help"; do
    # shellcheck disable=SC2086
    "$GILSIM" $cmd > /dev/full 2> "$TMP/err.txt"
    st=$?
    expect_eq "$cmd > /dev/full: exit status" "$st" 1
    # (ASan builds add a warning about SimGrid's stacks to a run's stderr: not gilsim's.)
    expect_eq "$cmd > /dev/full: one line" "$(grep -vc 'ASan\|False positive\|sanitizers/issues' "$TMP/err.txt")" 1
    grep -q 'standard output: cannot write: No space left on device' "$TMP/err.txt" \
        && ok "$cmd > /dev/full: says why" || bad "$cmd > /dev/full: $(cat "$TMP/err.txt")"
done

# ---- SIGHUP stops a sweep like SIGTERM; killed plot/report leave no temporaries.
mkdir swtmp
TMPDIR=$TMP/swtmp "$GILSIM" sweep --seed=1:60:1 --threads=2 --ops=2000 -j 2 -o h.csv 2> h.err &
sweep=$!
if wait_for has_rows h.csv 2; then kill -HUP $sweep; else bad "sweep wrote no row in 60 s"; fi
wait $sweep
expect_eq "sweep after SIGHUP: exit status 128+1" "$?" 129
grep -q 'interrupted by SIGHUP; the same command resumes it' h.err && ok "sweep after SIGHUP: says so" \
    || bad "sweep after SIGHUP: $(cat h.err)"
expect_eq "sweep after SIGHUP: temporary directory removed" "$(ls -A swtmp)" ""
expect_eq "sweep after SIGHUP: rows whole" "$(whole h.csv)" 1
# A gnuplot that never ends (it marks that it started), so the kill lands while it draws.
mkdir fakebin
printf '#!/bin/sh\ntouch "%s/drawing"\nexec sleep 60\n' "$TMP" > fakebin/gnuplot
chmod +x fakebin/gnuplot
drawing() { [ -e "$TMP/drawing" ]; }
for sig in TERM HUP INT; do
    rm -f drawing && mkdir -p "k$sig" && echo mine > "k$sig/notes.txt"
    # A script's background job starts with SIGINT ignored (and gilsim keeps an ignored signal
    # ignored): exec gilsim with the default action restored.
    PATH=$TMP/fakebin:$PATH python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' \
        "$GILSIM" plot r.csv --x=N --y=throughput -o "k$sig/fig.png" 2> "$TMP/err.txt" &
    pid=$!
    wait_for drawing || bad "plot: fake gnuplot never started"
    kill -"$sig" $pid
    wait $pid
    st=$?
    expect_eq "plot killed by SIG$sig: dies of it" "$st" $((128 + $(kill -l "$sig")))
    expect_eq "plot killed by SIG$sig: only the user's file left" "$(ls -A "k$sig")" notes.txt
done
rm -f drawing && mkdir kr && echo mine > kr/notes.txt
PATH=$TMP/fakebin:$PATH "$GILSIM" report r.csv -o kr > /dev/null 2> "$TMP/err.txt" &
pid=$!
wait_for drawing || bad "report: fake gnuplot never started"
kill -TERM $pid
wait $pid
expect_eq "report killed by SIGTERM: dies of it" "$?" 143
expect_eq "report killed: DIR as it was" "$(ls -A kr)" notes.txt
rm -f drawing
PATH=$TMP/fakebin:$PATH "$GILSIM" report r.csv -o kr-new > /dev/null 2> "$TMP/err.txt" &
pid=$!
wait_for drawing || bad "report: fake gnuplot never started"
kill -TERM $pid
wait $pid
[ ! -e kr-new ] && ok "report killed: the DIR it made is gone" || bad "report killed: left $(ls -A kr-new)"

finish
