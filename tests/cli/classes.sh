#!/usr/bin/env bash
# Thread classes (docs/classes.md): each class's threads run exactly its ops, only the io class's
# threads do I/O, per-kind costs apply, the classes column is canonical, and bad classes or
# [threads.NAME] sections get one-line errors (FILE:LINE for spec files) and exit 2.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)

lines_of() { awk -v t="$2" -v k="${3:-}" '$1 == t && (k == "" || $2 == k)' "$1" | wc -l; }

# Exact op counts and I/O placement, read from the recorded op streams.
sim "$TMP/c.csv" --scheme=gil-interval --sharing=0 --record-trace="$TMP/c.trace" \
    --classes='cpu(count=2 ops=10 access=0 alloc=0) io(count=1 ops=7 io=1 access=0 alloc=0)'
expect_eq "classes run" "$rc:$(col "$TMP/c.csv" check)" "0:ok"
expect_eq "threads is the sum of the counts" "$(col "$TMP/c.csv" threads)" 3
for t in 0 1; do
    expect_eq "cpu thread $t runs exactly 10 ops" "$(lines_of "$TMP/c.trace" $t)" 10
    expect_eq "cpu thread $t does no I/O" "$(lines_of "$TMP/c.trace" $t io)" 0
done
expect_eq "io thread runs exactly 7 ops" "$(lines_of "$TMP/c.trace" 2)" 7
expect_eq "io thread's ops are all I/O" "$(lines_of "$TMP/c.trace" 2 io)" 7
expect_eq "ios counts the io class's I/Os" "$(col "$TMP/c.csv" ios)" 7
expect_eq "ops_done is 2 x 10 + 7" "$(col "$TMP/c.csv" ops_done)" 27

# The row says what ran: the classes cell is canonical (keys in table order, table values).
sim "$TMP/k.csv" --scheme=ideal --classes='  io( io=0.5   count=1 ops=5.0e0 )  cpu(count=1)'
expect_eq "classes cell is canonical" "$(col "$TMP/k.csv" classes)" \
    "io(count=1 ops=5 io=0.5) cpu(count=1)"
sim "$TMP/k2.csv" --scheme=ideal --classes="$(col "$TMP/k.csv" classes)"
expect_eq "the canonical cell reruns to the same row" "$(cmp -s "$TMP/k.csv" "$TMP/k2.csv" \
    && echo same)" same
expect_eq "no classes: an empty cell" "$( sim "$TMP/n.csv" --threads=1 --sharing=0 --ops=5;
    col "$TMP/n.csv" classes)" ""

# Per-kind costs: the kind's mean replaces op_ns (fixed distribution: exactly).
sim "$TMP/p.csv" --scheme=ideal --threads=1 --sharing=0 --ops=10 --access=0 --alloc=0 \
    --op_ns_compute=100 --N=1000
expect_eq "op_ns_compute: 10 compute ops of 100 ns" "$(col "$TMP/p.csv" makespan)" 1e-06
sim "$TMP/r.csv" --scheme=ideal --threads=1 --sharing=0 --ops=20 --access=1 --write=0 \
    --alloc=0 --op_ns_read=40 --record-trace="$TMP/r.trace"
expect_eq "op_ns_read: every read costs 40 ns" \
    "$(awk '$2 == "read" { print $4 }' "$TMP/r.trace" | sort -u)" 40
sim "$TMP/q.csv" --scheme=ideal --sharing=0 \
    --classes='a(count=1 ops=10 access=0 alloc=0 op_ns_compute=7) b(count=1 ops=10 access=0
    alloc=0)' --record-trace="$TMP/q.trace"
expect_eq "per-kind cost per class: class a's compute ops cost 7" \
    "$(awk '$1 == 0 { print $3 }' "$TMP/q.trace" | sort -u):$(awk '$1 == 1 { print $3 }' \
    "$TMP/q.trace" | sort -u)" "7:25"

# Bad classes on the command line: one line, exit 2, no file written.
err() { # err DESCRIPTION EXPECTED-SUBSTRING ARGS...
    local desc=$1 want=$2
    shift 2
    rm -f "$TMP/bad.csv"
    "$GILSIM" run "$@" -o "$TMP/bad.csv" 2> "$TMP/bad.err"
    local code=$?
    if [ "$code" = 2 ] && grep -qF -- "$want" "$TMP/bad.err" &&
        [ "$(wc -l < "$TMP/bad.err")" = 1 ] && [ ! -e "$TMP/bad.csv" ]; then ok "$desc"
    else bad "$desc: exit $code, $(cat "$TMP/bad.err")"; fi
}
err "a run-wide parameter in a class" "classes: a: 'threads' is one value for the whole run" \
    --classes='a(count=1 threads=2)'
err "no count" "classes: a: no count" --classes='a(ops=5)'
err "bad value" "classes: a: ops: 'x' is not a whole number" --classes='a(count=1 ops=x)'
err "threads beside classes" "threads: set beside classes" --classes='a(count=2)' --threads=3
err "threads beside classes, either order" "threads: set beside classes" --threads=2 \
    --classes='a(count=2)'
err "a class's own constraints" "classes: a: access + alloc + io" \
    --classes='a(count=2 io=0.9 access=0.5)'
err "missing parenthesis" "classes: a: missing ')'" --classes='a(count=1'
err "a bad name, quoted on one line" "classes: 'x.y': expected NAME" \
    --classes="$(printf 'x.y(count=1)\nb(count=1)')"
err "duplicate class" "classes: a: two classes of that name" --classes='a(count=1) a(count=1)'
err "no threads" "classes: 0 threads in all" --classes='a(count=0)'

# Spec files: [threads.NAME] sections, lists sweep the classes, errors name FILE:LINE.
cat > "$TMP/s.ini" <<'INI'
[global]
scheme = ideal
sharing = 0
[threads.cpu]
count = 0, 1, 2
ops = 30
[threads.io]
count = 1
ops = 4
io = 1
access = 0
alloc = 0
INI
"$GILSIM" sweep "$TMP/s.ini" -o "$TMP/s.csv" 2> "$TMP/s.err"
expect_eq "class sweep runs" "$?" 0
expect_eq "one run per count, threads = counts + 1" \
    "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        { print $c["threads"] ":" $c["ops_done"] ":" $c["ios"] }' "$TMP/s.csv" | sort |
        paste -sd' ')" \
    "1:4:4 2:34:4 3:64:4"
spec_err() { # spec_err DESCRIPTION EXPECTED-MESSAGE SPEC-TEXT
    printf '%s\n' "$3" > "$TMP/e.ini"
    "$GILSIM" sweep "$TMP/e.ini" -o "$TMP/e.csv" 2> "$TMP/e.err"
    local code=$?
    if [ "$code" = 2 ] && grep -qF -- "$2" "$TMP/e.err"; then ok "$1"
    else bad "$1: exit $code, $(cat "$TMP/e.err")"; fi
}
spec_err "run-wide key in a class section" "e.ini:3: cores: one value for the whole run" \
    "$(printf '[threads.cpu]\ncount = 1\ncores = 2')"
spec_err "class section without count" "e.ini:1: [threads.io] (line 1): no count" \
    "$(printf '[threads.io]\nops = 3')"
spec_err "threads beside class sections" "e.ini:2: threads: set beside [threads.*] sections" \
    "$(printf '[global]\nthreads = 4\n[threads.a]\ncount = 1')"
spec_err "bad count" "e.ini:2: count: 'x' (allowed: whole numbers 0..30000" \
    "$(printf '[threads.a]\ncount = x')"
spec_err "bad per-class value" "e.ini:3: io: 2 out of range" \
    "$(printf '[threads.a]\ncount = 1\nio = 2')"
spec_err "duplicate class section" "e.ini:3: [threads.a]: section already at line 1" \
    "$(printf '[threads.a]\ncount = 1\n[threads.a]\ncount = 2')"

"$GILSIM" sweep "$here/workloads/scenarios/io-convoy.ini" --threads=4 -o "$TMP/t.csv" \
    2> "$TMP/t.err"
expect_eq "sweep: --threads beside [threads.*] classes is refused" \
    "$?:$(grep -c 'threads: set beside classes' "$TMP/t.err")" "2:1"

# The io-convoy scenario needs no trace: its I/O thread does every I/O.
"$GILSIM" sweep "$here/workloads/scenarios/io-convoy.ini" --scheme=gil-interval -o "$TMP/io.csv" \
    2> "$TMP/io.err"
expect_eq "io-convoy runs" "$?:$(col "$TMP/io.csv" check):$(col "$TMP/io.csv" trace)" "0:ok:"
expect_eq "io-convoy: the io class's 200 ops are 96 I/Os (this stream's count at io=0.5)" "$(col "$TMP/io.csv" ios)" 96
finish
