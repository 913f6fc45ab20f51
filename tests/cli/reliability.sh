#!/usr/bin/env bash
# Hostile and careless inputs to calibrate, validate, summarize, plot and report
# (docs/files.md): validate's directory keeps a manifest and never replaces a file it did not
# write; every argument is checked before anything is measured; the wake-up samples go only
# beside a regular calibration file and are found from its folder; a calibration file cut
# short is refused. Each case is one failable fact; none runs a long measurement.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1
unset TMPDIR

# A calibration to reuse (one rep: about a second).
"$GILSIM" calibrate --reps=1 -o calib.ini 2> /dev/null || bad "calibrate failed"
tiny=(--scheme=ideal --threads=2 --cores=2 --ops=2000 --sharing=0 --k=1 --native-k=1)

# ---- validate -o DIR: a manifest; a file it did not write stops it, DIR unchanged ----
mkdir d && echo mine > d/validation.csv && echo img > d/scatter-lat_p99.png && snap d > d.snap
refused "validate over a validation.csv it did not write" 2 \
    "'d/validation.csv' exists and gilsim did not write it" \
    validate "${tiny[@]}" --calibration=calib.ini -o d
same_as "validate refused: DIR unchanged" d d.snap
rm d/validation.csv && snap d > d.snap
refused "validate over a scatter it did not write" 2 \
    "'d/scatter-lat_p99.png' exists and gilsim did not write it" \
    validate "${tiny[@]}" --calibration=calib.ini -o d
same_as "validate refused (scatter): DIR unchanged" d d.snap
mkdir r && echo "not rows" > r/results.csv && snap r > r.snap
refused "validate over a results.csv it did not write" 2 "'r/results.csv' exists" \
    validate "${tiny[@]}" --calibration=calib.ini -o r
same_as "validate refused (results.csv): DIR unchanged" r r.snap
mkdir g && mkdir g/grid.ini && snap g > g.snap
refused "validate over a folder named grid.ini" 2 "'g/grid.ini' exists and it is not a regular" \
    validate --calibration=calib.ini -o g
same_as "validate refused (grid.ini folder): DIR unchanged" g g.snap
echo file > notdir
refused "validate -o a regular file" 2 "'notdir' exists and is not a directory" \
    validate "${tiny[@]}" --calibration=calib.ini -o notdir

"$GILSIM" validate "${tiny[@]}" --calibration=calib.ini --max-error=1e9 -o v > /dev/null 2>&1
st=$?
expect_eq "validate into a new DIR: a verdict (exit 0 or 1), validation.csv written" \
    "$([ "$st" -le 1 ] && echo "$st" | tr 01 vv) $(test -s v/validation.csv && echo csv)" "v csv"
expect_eq "validate's manifest: results.csv and validation.csv; no grid.ini, calib.ini (not written)" \
    "$(grep -cx 'results.csv\|validation.csv' v/.gilsim-validate-manifest) $(grep -c 'grid\|calib' v/.gilsim-validate-manifest)" "2 0"
expect_eq "validate's manifest: every file it lists exists (but the scratch native-run.csv)" \
    "$(grep -v '^#\|^native-run.csv$' v/.gilsim-validate-manifest |
       while read -r f; do [ -f "v/$f" ] || echo "$f"; done)" ""
expect_eq "validate leaves no private folder" "$(ls -A v | grep -c '^\.gilsim-validate\.')" 0
echo notes > v/notes.txt
cp v/results.csv v.rows
"$GILSIM" validate "${tiny[@]}" --calibration=calib.ini --max-error=1e9 -o v > /dev/null 2>&1
# Rows kept: the first run's rows are still the file's first rows (a rerun may add native runs
# that the first one set apart because the machine's speed drifted).
st2=$?
expect_eq "validate rerun over its own DIR: the same verdict, rows kept, notes kept" \
    "$st2 $(head -c "$(stat -c %s v.rows)" v/results.csv | cmp -s - v.rows; echo $?) $(cat v/notes.txt)" \
    "$st 0 notes"

# ---- every argument checked before anything is measured (no calibration starts) ----
for a in "--k=1 --k=2" "--native-k=1 --native-k=2" "--max-error=5 --max-error=6" "-j1 -j2" \
         "--calibration=a --calibration=b" "-o x1 -o x2"; do
    # shellcheck disable=SC2086
    refused "validate $a" 2 "given twice" validate --scheme=ideal $a -o x3
done
expect_eq "repeated options: no DIR made" "$(ls -d x1 x2 x3 2> /dev/null)" ""
refused "validate missing spec" 2 "nospec.ini: cannot read" validate nospec.ini -o m
refused "validate bad list" 2 "'bogus' unknown" validate --scheme=bogus -o m
refused "validate bad calibration" 2 "--calibration: nocal.ini" \
    validate --scheme=ideal --calibration=nocal.ini -o m
expect_eq "refused before measuring: no DIR made" "$(ls -d m 2> /dev/null)" ""
refused "calibrate -o in a missing folder (before measuring)" 2 "its directory does not exist" \
    calibrate --reps=1 -o nodir/c.ini
refused "calibrate -o twice" 2 "-o given twice" calibrate -o a.ini -o b.ini
refused "calibrate --reps twice" 2 "--reps given twice" calibrate --reps=1 --reps=2 -o a.ini
refused "sweep --calibration twice" 2 "--calibration given twice" \
    sweep --scheme=ideal --calibration=calib.ini --calibration=calib.ini -o s.csv
ln -s nowhere dangling
refused "calibrate -o a dangling symlink" 2 "is a symbolic link" calibrate --reps=1 -o dangling
expect_eq "refused calibrate: no NAME.wake, link untouched" \
    "$(ls dangling.wake a.ini b.ini 2> /dev/null; readlink dangling)" "nowhere"

# ---- the wake-up samples: beside a regular file only; named from its folder ----
"$GILSIM" calibrate --reps=1 -o - > stdout.ini 2> /dev/null
expect_eq "calibrate -o -: no ./-.wake, no wake_samples line, end line" \
    "$(ls -- -.wake 2> /dev/null; grep -c '^wake_samples' stdout.ini; tail -1 stdout.ini | cut -c1-36)" \
    "0
# gilsim calibrate: end of the file,"
mkdir -p rp/vk other
"$GILSIM" calibrate --reps=1 -o rp/vk/calib.ini 2> /dev/null
expect_eq "wake_samples names the file beside it" "$(grep '^wake_samples' rp/vk/calib.ini)" \
    "wake_samples = calib.ini.wake"
(cd other && "$GILSIM" run --ops=1000 --threads=2 --calibration=../rp/vk/calib.ini -o r.csv 2> e.txt)
expect_eq "--calibration from another folder: exit 0" "$?" 0

# ---- a calibration file cut short or edited ----
head -n 12 calib.ini > cut.ini
refused "a calibration file cut short" 2 "end line is missing" run --calibration=cut.ini
sed 's/^\(# gilsim calibrate: end of the file,\) [0-9]*/\1 3/' calib.ini > edited.ini
refused "a calibration file with a wrong key count" 2 "announces 3 settings" \
    run --calibration=edited.ini
grep -v '^push_ns' calib.ini > less.ini
refused "a calibration file missing a key" 2 "it holds" run --calibration=less.ini
printf '[global]\npush_ns = 20\n' > hand.ini
"$GILSIM" run --ops=1000 --calibration=hand.ini -o hand.csv 2> /dev/null
expect_eq "a hand-written calibration (no gilsim header) still works" "$?" 0

# ---- every file gilsim reads: a regular file, bounded lines (never /dev/zero or a FIFO) ----
mkfifo fifo
# within DESCRIPTION TEXT CMD...: gilsim CMD stops within 20 s (a hang is killed: exit 124)
# with exit 2 and one line holding TEXT.
within() {
    local desc=$1 text=$2
    shift 2
    timeout 20 "$GILSIM" "$@" > "$TMP/out.txt" 2> "$TMP/err.txt" < /dev/null
    expect_eq "$desc: exit 2, one line" "$? $(wc -l < "$TMP/err.txt")" "2 1"
    grep -qF -- "$text" "$TMP/err.txt" && ok "$desc: says '$text'" ||
        bad "$desc: '$(head -c 300 "$TMP/err.txt")' lacks '$text'"
}
for src in /dev/zero fifo; do
    kind=$([ "$src" = fifo ] && echo "a FIFO" || echo "a device")
    within "--calibration=$src" "is $kind" run --calibration=$src
    within "--wake_samples=$src" "is $kind" run --wake_dist=empirical --wake_samples=$src
    within "summarize $src" "is $kind" summarize $src
    within "plot $src" "is $kind" plot $src --x=N --y=throughput -o z.png
    within "report $src" "is $kind" report $src -o zr
    within "merge $src" "is $kind" merge $src -o zm.csv
    within "sweep $src (spec)" "is $kind" sweep $src -o zs.csv
    within "plot --timeline=$src" "is $kind" plot --timeline=$src -o zt.png
done
expect_eq "nothing written by the refused reads" "$(ls -d z.png zr zm.csv zs.csv zt.png 2> /dev/null)" ""
head -c 300 /dev/zero > zeros.ini
within "a spec file of NUL bytes" "a NUL byte" sweep zeros.ini -o zs.csv
{ printf '[global]\nN = '; head -c 1100000 /dev/zero | tr '\0' 1; echo; } > long.ini
within "a spec line over 1 MiB" "a line longer than" sweep long.ini -o zs.csv
{ echo 1000; head -c 300 /dev/zero | tr '\0' 7; echo; } > long.wake
within "a wake-sample line over 256 bytes" "long.wake:2: a line longer than 256 bytes" \
    run --wake_dist=empirical --wake_samples=long.wake

# ---- a spec file starting with a UTF-8 byte-order mark ----
printf '\xef\xbb\xbf[a]\nthreads = 2\nops = 500\n' > bom.ini
"$GILSIM" sweep bom.ini -j1 -o bom.csv > /dev/null 2> bom.err
expect_eq "a spec file with a byte-order mark: exit 0, one row" \
    "$? $(tail -n +2 bom.csv 2> /dev/null | wc -l)" "0 1"

# ---- summarize: a bad metric cell is named FILE:LINE:COLUMN, never a column dropped ----
"$GILSIM" sweep --scheme=delegate,ideal --threads=2 --ops=500 --reps=2 -j2 -o s.csv 2> /dev/null
col_of() { head -1 s.csv | tr , '\n' | grep -nx "$1" | cut -d: -f1; }
c=$(col_of lat_p99)
for v in garbage 99999999999999999999999999999999999999999999999999999999999e99999 -inf; do
    awk -F, -v OFS=, -v c="$c" -v v="$v" 'NR == 3 { $c = v } { print }' s.csv > bad.csv
    refused "summarize, lat_p99 cell '${v:0:12}'" 2 "bad.csv:3:$c: lat_p99: '" summarize bad.csv
done
"$GILSIM" summarize s.csv > sum.csv 2> note.txt
expect_eq "summarize of a good file: exit 0, quiet" "$? $(wc -c < note.txt)" "0 0"
expect_eq "summarize: lat_p99 summarized" "$(head -1 sum.csv | tr , '\n' | grep -c '^lat_p99_')" 3

# ---- a file size limit (ulimit -f) is a write error, "File too large", never SIGXFSZ ----
mkdir fz && cd fz || exit 1
(
    trap - XFSZ
    ulimit -f 16
    mkdir tmpd
    TMPDIR=$PWD/tmpd "$GILSIM" sweep --threads=2:60:1 --ops=300 -j2 -o r.csv > /dev/null 2> sweep.err
    echo "sweep $?" > st.txt
    "$GILSIM" run --threads=2 --ops=5000 --sharing=0.5 --timeline=tl.csv -o one.csv 2> run.err
    echo "run $?" >> st.txt
    "$GILSIM" summarize r.csv -o sum.csv 2> sum.err
    echo "summarize $?" >> st.txt
)
cd .. || exit 1
expect_eq "under ulimit -f: exit 1, not 153" "$(tr '\n' ' ' < fz/st.txt)" "sweep 1 run 1 summarize 1 "
grep -q "cannot append: File too large" fz/sweep.err && ok "sweep says File too large" ||
    bad "sweep: $(cat fz/sweep.err)"
grep -q "File too large" fz/run.err && ok "run says File too large" || bad "run: $(cat fz/run.err)"
grep -q "sum.csv: cannot write: File too large" fz/sum.err && ok "summarize says File too large" ||
    bad "summarize: $(cat fz/sum.err)"
expect_eq "the results file ends with a whole row" "$(whole fz/r.csv)" 1
expect_eq "no sweep folder left under TMPDIR" "$(ls -A fz/tmpd)" ""
expect_eq "no FILE.tmp.*, tl.csv, one.csv or sum.csv left" \
    "$(ls -A fz | grep -c '\.tmp\.\|^tl.csv\|^one.csv\|^sum.csv')" 0

# ---- control characters from inputs are escaped in messages ----
printf '[global]\n\033]0;owned\007 = 1\n' > esc.ini
"$GILSIM" run --calibration=esc.ini 2> esc.err
expect_eq "an ESC in a calibration key: exit 2, no raw control byte in the message" \
    "$? $(tr -d '\n\t' < esc.err | LC_ALL=C grep -c '[[:cntrl:]]')" "2 0"
grep -qF '\x1b]0;owned\x07' esc.err && ok "ESC and BEL shown as \\x1b, \\x07" ||
    bad "escape: $(od -c esc.err | head -3)"
printf 'schema\033[2J,x\n1,2\n' > esc.csv
"$GILSIM" summarize esc.csv 2> esc2.err
expect_eq "an ESC [2J in a CSV header: exit 2, escaped" \
    "$? $(tr -d '\n\t' < esc2.err | LC_ALL=C grep -c '[[:cntrl:]]')" "2 0"


# ---- no kept gnuplot script whose name gnuplot would run as a command ----
"$GILSIM" run --threads=2 --ops=500 -o p.csv 2> /dev/null
for name in '<touch PWNED;x.png' '|touch PWNED;x.png' 'sub/<x.png'; do
    mkdir -p sub
    refused "plot -o '$name'" 2 "starts with '" plot p.csv --x=threads --y=throughput -o "$name"
    refused "plot --timeline -o '$name'" 2 "starts with '" plot --timeline=p.csv -o "$name"
done
expect_eq "no script or image with such a name, nothing run" "$(ls -A . sub | grep -c '^[<|]\|PWNED')" 0

# ---- plot -o a symbolic link (or a link as its .dat/.gp) is bad input: exit 2 ----
ln -s elsewhere.png lnk.png
refused "plot -o a symbolic link" 2 "is a symbolic link" plot p.csv --x=threads --y=throughput -o lnk.png
ln -s elsewhere.gp side.gp
refused "plot -o whose .gp is a symbolic link" 2 "is a symbolic link" \
    plot p.csv --x=threads --y=throughput -o side.png
expect_eq "links left alone, nothing drawn" "$(readlink lnk.png side.gp; ls side.png side.dat 2> /dev/null)" \
    "elsewhere.png
elsewhere.gp"

# ---- SimGrid settings known to crash it: refused with one line, exit 2 ----
for c in contexts/stack-size:1 contexts/stack-size:0 contexts/stack-size:-8 contexts/guard-size:-1; do
    refused "run --cfg=$c" 2 "allowed: " run --ops=500 --cfg=$c
    refused "sweep --cfg=$c" 2 "allowed: " sweep --threads=2 --ops=500 --cfg=$c -o cfg.csv
done
"$GILSIM" run --ops=500 --threads=2 --cfg=contexts/stack-size:64 --cfg=contexts/guard-size:0 \
    -o cfgok.csv 2> /dev/null
expect_eq "a stack of 64 KiB and no guard page still run" "$?" 0

# ---- long names: a 254-byte output name works; a 4096-byte path keeps the reason ----
n254=$(printf 'n%.0s' $(seq 250)).csv
"$GILSIM" run --ops=500 --threads=2 -o "$n254" 2> long.err
expect_eq "run -o a 254-byte name: exit 0, written, no temporary left" \
    "$? $(ls -A | grep -c '^nnnn') $(ls -A | grep -c 'gilsim-tmp')" "0 1 0"
"$GILSIM" summarize p.csv -o "$n254" 2> long.err
expect_eq "summarize -o a 254-byte name: exit 0" "$?" 0
deep=$(printf 'd%.0s' $(seq 4096))
refused "run -o under a 4096-byte path: the reason is kept" 2 "x.csv: File name too long" \
    run --ops=500 -o "$deep/x.csv"
refused "summarize a 4096-byte path: the reason is kept" 2 "File name too long" summarize "$deep"


# ---- a signal stops report and plot on a big CSV promptly, leaving nothing behind ----
"$GILSIM" sweep --scheme=delegate,gil-ticks,gil-interval,free-threading --sharing=0,0.1 \
    --threads=2,4 --cores=2 --ops=500 -j 2 -o base.csv 2> /dev/null
awk -F, -v rows=20000 -v reps=10 '
    NR == 1 { print; for (i = 1; i <= NF; i++) col[$i] = i; next }
    { base[n++] = $0 }
    END { cN = col["N"]; cs = col["seed"]
          for (p = 0; p < rows / reps; p++) {
              k = split(base[p % n], c, ","); c[cN] = 1 + int(p / n)
              for (r = 1; r <= reps; r++) {
                  c[cs] = r; line = c[1]
                  for (i = 2; i <= k; i++) line = line "," c[i]
                  print line } } }' base.csv > big.csv
# stops DESCRIPTION DIR CMD...: gilsim CMD gets SIGTERM after 1 s and has ended 30 s later
# (it takes minutes of CPU on this input where a loop ignores signals), by the signal or done.
stops() {
    local desc=$1 dir=$2
    shift 2
    "$GILSIM" "$@" > /dev/null 2>&1 &
    local pid=$! i st
    sleep 1
    kill -TERM "$pid" 2> /dev/null
    for i in $(seq 300); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2> /dev/null; then
        bad "$desc: still running 30 s after SIGTERM"
        kill -KILL "$pid"
        wait "$pid"
        return
    fi
    wait "$pid"
    st=$?
    expect_eq "$desc: ended by SIGTERM (143) or done (0) within 30 s" \
        "$(case $st in 0|143) echo ended;; *) echo "$st";; esac)" ended
    # (a report that finished before the signal leaves its manifest, .gilsim-manifest: not a
    # working folder)
    expect_eq "$desc: no working folder left" \
        "$(ls -A "$dir" 2> /dev/null | grep -v '^\.gilsim-manifest$' | grep -c '^\.gilsim-')" 0
}
stops "report on 20000 rows" rb report big.csv -o rb
stops "plot on 20000 rows" . plot big.csv --x=N --y=throughput --by=scheme -o big.png

# ---- more hostile inputs: manifests, wake files, cells, names, a cut image ----
"$GILSIM" sweep --scheme=ideal,delegate --threads=2 --ops=500 --reps=2 -j2 -o h.csv 2> /dev/null
mkdir m1 && mkfifo m1/.gilsim-manifest
refused "report: its manifest a FIFO (not read, no hang)" 2 "is not a regular file" report h.csv -o m1
mkdir m2 && echo index.html > list.txt && ln -s ../list.txt m2/.gilsim-manifest && echo mine > m2/index.html
refused "report: its manifest a symlink to a list naming index.html" 2 "is not a regular file" \
    report h.csv -o m2
expect_eq "report: the index.html that list named is untouched" "$(cat m2/index.html)" mine
mkdir m3 && mkfifo m3/index.html
refused "report: a FIFO named index.html in DIR" 2 "it is not a regular file" report h.csv -o m3
mkdir v1 && printf 'results.csv\n' > v1/.gilsim-validate-manifest && ln -s ../h.csv v1/results.csv
refused "validate: its manifest names results.csv, a symlink there" 2 "not a regular file" \
    validate --scheme=ideal --threads=2 --ops=500 --k=1 --native-k=1 --calibration=calib.ini -o v1
mkdir v2 && printf '../h.csv\nvalidation.csv\n' > v2/.gilsim-validate-manifest && echo x > v2/native-run.csv
refused "validate: a native-run.csv of yours (it would be its scratch file)" 2 \
    "'v2/native-run.csv' exists and gilsim did not write it" \
    validate --scheme=ideal --threads=2 --ops=500 --k=1 --native-k=1 --calibration=calib.ini -o v2
mkdir -p w1/c.ini.wake
refused "calibrate: FILE.wake a folder (before measuring)" 2 "c.ini.wake: is a directory" \
    calibrate --reps=1 -o w1/c.ini
ln -s /etc/hostname w2.ini.wake
refused "calibrate: FILE.wake a symlink" 2 "is a symbolic link" calibrate --reps=1 -o w2.ini
sed 's|^wake_samples = .*|wake_samples = /etc/passwd|' calib.ini > w3.ini
refused "calibration: wake_samples names a file of words" 2 "is not a latency" \
    run --ops=500 --calibration=w3.ini
sed 's|end of the file, [0-9]* settings|end of the file, 99999999999999999999 settings|' calib.ini > w4.ini
refused "calibration: an end line with an absurd count" 2 "its end line announces" \
    run --ops=500 --calibration=w4.ini
cat h.csv h.csv > twice.csv
refused "summarize: two CSVs concatenated (a header mid-file)" 2 "twice.csv:6: seed 'seed'" \
    summarize twice.csv
sc=$(head -1 h.csv | tr , '\n' | grep -nx seed | cut -d: -f1)
awk -F, -v OFS=, -v c="$sc" 'NR == 3 { $c = "1e3" } { print }' h.csv > seed.csv
refused "summarize: a seed cell '1e3'" 2 "seed.csv:3: seed '1e3'" summarize seed.csv
awk -F, -v OFS=, 'NR == 3 { NF = NF - 1 } { print }' h.csv > short.csv
refused "summarize: a row one cell short" 2 "short.csv:3:" summarize short.csv
sed 's/$/\r/' h.csv > crlf.csv
"$GILSIM" summarize crlf.csv > crlf.out 2> /dev/null
"$GILSIM" summarize h.csv > lf.out 2> /dev/null
expect_eq "summarize: CRLF line ends read as LF ones" "$(cmp -s crlf.out lf.out; echo $?)" 0
head -c -1 h.csv > cut.csv
"$GILSIM" summarize cut.csv > cut.out 2> /dev/null
expect_eq "summarize: a last row cut short (no newline) is left out" \
    "$? $(sed -n 2p cut.out | cut -d, -f1-3 | tr -d '\n' | wc -c | awk '{ print ($1 > 0) }')" "0 1"
ln -s /dev/zero z.ini
refused "sweep: a spec that is a symlink to /dev/zero" 2 "is a device" sweep z.ini -o z.csv
ln -s /nowhere ct.json
refused "plot --chrome-trace a symlink" 2 "is a symbolic link" plot --timeline=h.csv --chrome-trace=ct.json
refused "plot -o in a missing folder: exit 2 before drawing" 2 "its directory does not exist" \
    plot h.csv --x=threads --y=throughput -o nodir/x.png
refused "plot -o with ESC in a bad name: shown escaped" 2 "x\x1b[2Jy.pn" \
    plot h.csv --x=threads --y=throughput -o "$(printf 'x\033[2Jy.pn')"
(
    trap - XFSZ
    ulimit -f 4
    "$GILSIM" plot h.csv --x=threads --y=throughput --by=scheme -o cutimg.png 2> cutimg.err
    echo $? > cutimg.st
)
expect_eq "plot: gnuplot's image cut by a file size limit is an error, not a torn PNG" \
    "$(cat cutimg.st) $(ls cutimg.* 2> /dev/null | grep -vc 'err\|st')" "1 0"
grep -q "cut short.*File too large" cutimg.err && ok "plot says why (File too large)" ||
    bad "plot: $(cat cutimg.err)"


# ---- a sweep stopped by a signal at any moment leaves no temporary folder ----
mkdir -p sigtmp
for k in 1 2 3 4 5; do
    TMPDIR=$PWD/sigtmp "$GILSIM" sweep --threads=2:20:1 --ops=20000 -j 2 -o sig$k.csv \
        > /dev/null 2>&1 &
    pid=$!
    sleep "0.$((k * 2 - 1))"
    kill -TERM "$pid" 2> /dev/null
    wait "$pid"
done
expect_eq "5 sweeps stopped at 0.1..0.9 s: nothing left under TMPDIR" "$(ls -A sigtmp)" ""

# ---- native runs in a sweep are measured one at a time ----
"$GILSIM" sweep --backend=native --scheme=ideal --sharing=0 --threads=2 --cores=2 --ops=2000 \
    --seed=1:3:1 -j 2 -o nat.csv > /dev/null 2> nat.err
expect_eq "sweep --backend=native -j 2: exit 0, says it runs them one at a time" \
    "$? $(grep -c 'native runs measure this machine: they run one at a time' nat.err)" "0 1"

# ---- spec files, CSVs, output names and signals: more hostile inputs, each refused with one
# line (exit 2) or taken as documented ----
mkdir hx && cd hx || exit 1
"$GILSIM" sweep --scheme=ideal,delegate --threads=2 --cores=2 --ops=300 --reps=2 -o ok.csv \
    2> /dev/null || bad "hostile inputs: the base sweep failed"
spec() { printf "$2" > "$1.ini"; }
spec dupsec '[a]\nthreads = 2\n[a]\nthreads = 4\n'
refused "spec: a section twice" 2 "section already at line 1" sweep dupsec.ini -o x.csv
spec trail '[global]\nthreads = 1,2,\n'
refused "spec: a list ending with a comma" 2 "threads: '' is not a whole number" sweep trail.ini -o x.csv
spec nan '[global]\nsharing = nan\n'
refused "spec: sharing = nan" 2 "'nan' is not a number" sweep nan.ini -o x.csv
spec huge '[global]\nthreads = 1e400\n'
refused "spec: threads = 1e400" 2 "'1e400' is not a whole number" sweep huge.ini -o x.csv
spec open '[global\nthreads = 2\n'
refused "spec: a section header without ]" 2 "is not a section header" sweep open.ini -o x.csv
spec cr '[global]\r\rthreads = 2\r'
refused "spec: CR-only line ends, shown escaped" 2 '\x0d' sweep cr.ini -o x.csv
spec utf '[global]\nthreads = 2\n\xff\xfe = 3\n'
refused "spec: a key of invalid UTF-8" 2 "unknown parameter" sweep utf.ini -o x.csv
spec empty ''
refused "spec: an empty file" 2 "no sections" sweep empty.ini -o x.csv
mkdir specdir
refused "spec: a directory" 2 "specdir: is a directory" sweep specdir -o x.csv
spec many '[global]\nsharing = 0:1:0.0000001\n'
refused "spec: a range of 10^7 values" 2 "has 10000001 values (allowed: at most 100000)" \
    sweep many.ini -o x.csv
spec unset '[global]\nN = ${GILSIM_TEST_UNSET_VAR}\n'
refused "spec: an unset variable" 2 "is not set" sweep unset.ini -o x.csv
spec self '[global]\nN = ${GILSIM_TEST_SELF}\n'
GILSIM_TEST_SELF='${GILSIM_TEST_SELF}' refused "spec: a variable holding itself (expanded once)" 2 \
    "'\${GILSIM_TEST_SELF}' is not a whole number" sweep self.ini -o x.csv
spec eq '[global]\nthreads = 2 = 3\n'
refused "spec: two = in a line" 2 "'2 = 3' is not a whole number" sweep eq.ini -o x.csv
printf '[global]\nthreads = 2\0\n' > nul.ini
refused "spec: a NUL byte" 2 "a NUL byte" sweep nul.ini -o x.csv
spec nosec '[]\nthreads = 2\n'
refused "spec: an empty section name" 2 "bad section name" sweep nosec.ini -o x.csv
spec down '[global]\nsharing = 0.5:0.1:0.1\n'
refused "spec: a range going down" 2 "stop below start" sweep down.ini -o x.csv
spec neg '[global]\nthreads = -1:4:1\n'
refused "spec: a range starting out of range" 2 "-1 out of range" sweep neg.ini -o x.csv
expect_eq "refused specs: no results file" "$(ls x.csv 2> /dev/null)" ""

head -1 ok.csv > hdr.csv
"$GILSIM" summarize hdr.csv -o s1.csv 2> err.txt
expect_eq "summarize: a header alone: exit 0, quiet, one header line" \
    "$? $(wc -c < err.txt) $(wc -l < s1.csv)" "0 0 1"
{ printf '\xef\xbb\xbf'; cat ok.csv; } > bom.csv
refused "summarize: a CSV starting with a byte-order mark: named" 2 "UTF-8 byte-order mark" \
    summarize bom.csv -o s2.csv
refused "merge: a CSV starting with a byte-order mark: named" 2 "UTF-8 byte-order mark" \
    merge bom.csv -o m2.csv
refused "report: a CSV starting with a byte-order mark: named" 2 "UTF-8 byte-order mark" \
    report bom.csv -o r2
head -1 ok.csv | sed 's/,throughput,/,makespan,/' > dupcol.csv
tail -n +2 ok.csv >> dupcol.csv
refused "summarize: a column name twice" 2 "not this gilsim's header" summarize dupcol.csv
awk -F, -v OFS=, 'NR > 1 { $3 = "\"a,b\"" } { print }' ok.csv > quoted.csv
refused "summarize: a quoted cell holding a comma" 2 "quoted.csv:2:" summarize quoted.csv
{ head -1 ok.csv; sed -n 2p ok.csv | tr -d '\n'; head -c 2000000 /dev/zero | tr '\0' ,; echo; } > wide.csv
refused "summarize: a row of 2*10^6 cells" 2 "wide.csv:2: 2000" summarize wide.csv
refused "summarize: '-' (standard input) is refused by name" 2 "standard input is not read" \
    summarize -
refused "merge: no input" 2 "input files missing" merge -o m3.csv
refused "summarize -o a hard link of the input" 2 "is the input" summarize ok.csv -o \
    "$(ln ok.csv hard.csv && echo hard.csv)"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "deadlock") c = i }
                  NR > 1 { $c = 1 } { print }' ok.csv > dead.csv
refused "report: every row deadlocked" 2 "no rows to report (4 match --where; 4 deadlocked" \
    report dead.csv -o r3
refused "report --where= (empty)" 2 "is not COLUMN=VALUE" report ok.csv --where= -o r4
refused "report --where=scheme= (no value)" 2 "is not COLUMN=VALUE" report ok.csv --where=scheme= -o r4
refused "report -o the input CSV" 2 "exists and is not a directory" report ok.csv -o ok.csv
refused "summarize -o ''" 2 "empty file name" summarize ok.csv -o ''
refused "summarize -o a directory" 2 "is a directory" summarize ok.csv -o specdir
refused "summarize -o /dev/full" 1 "/dev/full: cannot write: No space left on device" \
    summarize ok.csv -o /dev/full
refused "merge -o /dev/full" 1 "/dev/full: cannot write: No space left on device" \
    merge ok.csv -o /dev/full
refused "summarize -o NAME/" 1 "s3.csv/: cannot write" summarize ok.csv -o s3.csv/
refused "sweep -o /dev/null" 2 "/dev/null: not a regular file" sweep --threads=2 --ops=300 -o /dev/null
refused "sweep -o /dev/stdout" 2 "a symbolic link" sweep --threads=2 --ops=300 -o /dev/stdout
"$GILSIM" summarize ok.csv >&- 2> err.txt
expect_eq "summarize with standard output closed: exit 1, one line" \
    "$? $(wc -l < err.txt) $(grep -c 'standard output: cannot write' err.txt)" "1 1 1"
expect_eq "nothing written by the refused commands" \
    "$(ls -d s2.csv m2.csv m3.csv r2 r3 r4 s3.csv 2> /dev/null; ls | grep -c 'tmp')" 0

# SIGTERM while summarize writes a big summary (12,500 points, 18 MB: its temporary lives a
# fraction of a second), sent as soon as the temporary appears: the temporary is gone, and
# the summary is either whole or absent (the signal lands once the file is renamed).
awk -F, -v OFS=, 'NR == 1 { print; for (i = 1; i <= NF; i++) if ($i == "push_ns") c = i; next }
    { base[n++] = $0 }
    END { for (p = 0; p < 25000; p++) { split(base[p % n], x, ","); x[c] += int(p / n)
          line = x[1]; for (i = 2; i <= length(x); i++) line = line "," x[i]; print line } }' \
    ok.csv > big.csv
caught=0
for k in 1 2 3; do
    "$GILSIM" summarize big.csv -o sb.csv 2> /dev/null &
    pid=$!
    while kill -0 "$pid" 2> /dev/null && ! ls sb.csv.tmp.* > /dev/null 2>&1; do sleep 0.01; done
    ls sb.csv.tmp.* > /dev/null 2>&1 && caught=$((caught + 1))
    kill -TERM "$pid" 2> /dev/null
    wait "$pid"
    [ -e sb.csv ] && [ "$(wc -l < sb.csv)" != 12501 ] && bad "a torn summary: $(wc -l < sb.csv) lines"
    rm -f sb.csv
done
expect_awk "SIGTERM while the summary's temporary exists (seen $caught of 3 times)" "$caught >= 1"
expect_eq "SIGTERM while the summary's temporary exists: no temporary left" \
    "$(ls -A | grep -c '\.tmp\.')" 0
cd .. || exit 1

# ---- a run twice in one file (a sweep resumed by hand, two files concatenated): refused,
# naming both lines, in summarize and report alike; never counted twice ----
mkdir dups && cd dups || exit 1
"$GILSIM" sweep --scheme=gil-interval,free-threading --threads=2 --cores=2 --ops=500 \
    --seed=1,2 -o one.csv 2> /dev/null || bad "sweep for the duplicate runs failed"
{ cat one.csv; sed -n 3p one.csv; } > twice.csv
refused "summarize: a run twice: named FILE:LINE with the first copy's line" 2 \
    "twice.csv:6: the run of line 3 again" summarize twice.csv
refused "report: a run twice: named FILE:LINE with the first copy's line" 2 \
    "twice.csv:6: the run of line 3 again" report twice.csv -o rd
expect_eq "report refused for a run twice: no DIR" "$(ls -d rd 2> /dev/null)" ""
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "throughput") c = i }
    NR == 6 { $c = $c * 2 } { print }' twice.csv > differs.csv
refused "summarize: a run twice with other metrics: refused the same" 2 \
    "differs.csv:6: the run of line 3 again" summarize differs.csv
refused "report --where: a run twice outside the selection: still refused" 2 \
    "twice.csv:6: the run of line 3 again" report twice.csv --where=scheme=nosuch -o rd
refused "plot: a run twice: refused the same (its means would weigh it twice)" 2 \
    "twice.csv:6: the run of line 3 again" plot twice.csv --x=threads --y=throughput -o p.png
"$GILSIM" merge twice.csv -o merged.csv 2> /dev/null
"$GILSIM" summarize merged.csv -o s.csv 2> err.txt
expect_eq "the remedy the message names (merge) works: one row per point, n = 2 seeds" \
    "$? $(cut -d, -f"$(head -1 s.csv | tr , '\n' | grep -nx n | cut -d: -f1)" s.csv | sort -u | tr '\n' ' ')" \
    "0 2 n "
"$GILSIM" sweep --scheme=gil-interval --threads=2 --cores=2 --ops=200 --seed=1:70:1 -o s70.csv \
    2> /dev/null || bad "sweep of 70 seeds failed"
l70=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "seed") c = i } $c == 70 { print NR }' s70.csv)
{ cat s70.csv; sed -n "${l70}p" s70.csv; } > d70.csv
refused "summarize: a run twice among 70 seeds (past the first 64): both lines named" 2 \
    "d70.csv:72: the run of line $l70 again (the same parameters and seed 70)" summarize d70.csv
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "seed") c = i; print; next }
    NR == 2 { for (k = 1; k <= 4200; k++) { $c = k; print } $c = 4150; print }' one.csv > d4k.csv
refused "summarize: a run twice among 4200 seeds (past the bits kept per point): both lines named" 2 \
    "d4k.csv:4202: the run of line 4151 again (the same parameters and seed 4150)" summarize d4k.csv
{ cat one.csv; tail -n +2 one.csv; } > cat2.csv
refused "summarize: two copies of a file concatenated: the first repeat named" 2 \
    "cat2.csv:6: the run of line 2 again" summarize cat2.csv
cd .. || exit 1

# ---- numbers in decimal only, in spec files, on the command line and in calibration files
# (strtod alone read 0x10 as 16, 010 as 10, +5 and " 5" as 5) ----
mkdir nums && cd nums || exit 1
i=0
for v in 0x10 0X10 +16 010 00 .5 5. 0x1p4 "1 6"; do
    i=$((i + 1))
    printf '[a]\nthreads = 2\nops = %s\n' "$v" > n$i.ini
    refused "spec: ops = $v: refused naming FILE:LINE and the key" 2 "n$i.ini:3: ops: '$v' is not" \
        sweep n$i.ini -o x.csv
done
printf '[a]\nthreads = 2\nsharing = 0, 0x0.8\nops = 100\n' > list.ini
refused "spec: a hex float in a list" 2 "list.ini:3: sharing: '0x0.8' is not written in decimal" \
    sweep list.ini -o x.csv
printf '[a]\nthreads = 2\nN = 1:0x10:4\nops = 100\n' > range.ini
refused "spec: hex in a range" 2 "range.ini:3: N: '0x10' is not written in decimal" \
    sweep range.ini -o x.csv
refused "command line: --ops=' 16' (a leading space)" 2 "ops: ' 16' is not written in decimal" \
    run --ops=' 16' -o x.csv
refused "command line: --seed=+1" 2 "seed: '+1' is not written in decimal" run --seed=+1 -o x.csv
sed 's/^handler_ns = .*/handler_ns = 0x10/' ../calib.ini > hex.ini
refused "calibration: handler_ns = 0x10" 2 "hex.ini:$(grep -n '^handler_ns' hex.ini | cut -d: -f1): handler_ns: '0x10' is not written in decimal" \
    run --threads=2 --ops=100 --calibration=hex.ini -o x.csv
expect_eq "numbers refused: no output written" "$(ls x.csv 2> /dev/null)" ""
printf '[a]\nthreads = 2\nops = 1e3\nsharing = 0, 0.5, 1e-1, 1e+0\nN = 10:20:10\nseed = 0\nmigrate = -1\n' > ok.ini
"$GILSIM" sweep ok.ini -o ok.csv 2> err.txt
expect_eq "decimal forms gilsim writes and docs show (1e3, 1e-1, 1e+0, 0, -1, ranges) still read" \
    "$? $(($(wc -l < ok.csv) - 1))" "0 8"
cd .. || exit 1

# ---- what calibrate and validate write (docs/files.md): calibrate only FILE and FILE.wake,
# validate only inside DIR; a --calibration given to validate is only read ----
mkdir -p where/cwd where/tmp where/out && cd where/cwd || exit 1
TMPDIR=$PWD/../tmp "$GILSIM" calibrate --reps=1 -o ../out/c.ini 2> /dev/null
expect_eq "calibrate -o ../out/c.ini: exit 0; c.ini and c.ini.wake there, nothing else anywhere" \
    "$? $(cd .. && find . -mindepth 1 | sort | tr '\n' ' ')" \
    "0 ./cwd ./out ./out/c.ini ./out/c.ini.wake ./tmp "
md5sum ../out/c.ini ../out/c.ini.wake > ../sums
TMPDIR=$PWD/../tmp "$GILSIM" validate "${tiny[@]}" --calibration=../out/c.ini --max-error=1e9 \
    -o ../v > /dev/null 2>&1
expect_eq "validate --calibration=FILE -o DIR: nothing written outside DIR, FILE unchanged" \
    "$(cd .. && find . -mindepth 1 -not -path './v/*' | sort | tr '\n' ' ') $(md5sum -c --quiet ../sums && echo same)" \
    "./cwd ./out ./out/c.ini ./out/c.ini.wake ./sums ./tmp ./v  same"
expect_eq "validate --calibration=FILE: no calib.ini in DIR, none in its manifest" \
    "$(ls ../v | grep -c calib) $(grep -c calib ../v/.gilsim-validate-manifest)" "0 0"
echo "my notes" > ../out/mine.ini
"$GILSIM" calibrate --reps=1 -o ../out/mine.ini 2> /dev/null
expect_eq "calibrate -o a regular file of yours: replaced whole (as docs/files.md says)" \
    "$? $(head -c 19 ../out/mine.ini)" "0 # gilsim calibrate:"
cd ../.. || exit 1

finish
