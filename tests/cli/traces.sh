#!/usr/bin/env bash
# Trace replay (docs/traces.md): a recorded run replays to the same simulated metrics; the
# shipped sample runs; bad traces get FILE:LINE errors and exit 2.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)

metrics() { # the metric cells of a one-row CSV (from makespan on), minus the model columns
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "makespan") m = i;
                                                   if ($i ~ /_model$/) skip[i] = 1 } }
             NR == 2 { s = ""; for (i = m; i <= NF; i++) if (!skip[i]) s = s "," $i; print s }' "$1"
}

for s in delegate delegate-naive ideal; do
    args="--threads=3 --ops=4000 --sharing=0.2 --callback=0.2 --io=0.01 --alloc=0.02 --seed=5"
    sim "$TMP/gen.csv" --scheme=$s $args --record-trace="$TMP/rec.trace"
    gen_rc=$rc
    # the seed too: it draws the OS's wake-up latencies, which a trace does not record
    sim "$TMP/rep.csv" --scheme=$s --threads=3 --seed=5 --trace="$TMP/rec.trace"
    expect_eq "$s: replay exits like the recorded run" "$rc" "$gen_rc"
    expect_eq "$s: replayed metrics equal the recorded run's" "$(metrics "$TMP/rep.csv")" \
        "$(metrics "$TMP/gen.csv")"
done
expect_eq "replay: ops is the longest thread's op count" "$(col "$TMP/rep.csv" ops)" 4000

sim "$TMP/sample.csv" --scheme=delegate --threads=2 --trace="$here/workloads/traces/sample.trace"
expect_eq "sample trace runs" "$rc:$(col "$TMP/sample.csv" check)" "0:ok"
expect_eq "sample trace: 80 ops" "$(col "$TMP/sample.csv" ops_done)" 80

bad() { # bad DESCRIPTION EXPECTED-MESSAGE TRACE-TEXT [ARGS]
    printf '%s\n' "$3" > "$TMP/bad.trace"
    "$GILSIM" run --threads=2 --trace="$TMP/bad.trace" ${4:-} -o "$TMP/bad.csv" 2> "$TMP/bad.err"
    local st=$?
    expect_eq "$1: exit 2, no output" "$st:$(test -e "$TMP/bad.csv" && echo file)" "2:"
    expect_eq "$1: message" "$(cat "$TMP/bad.err")" "gilsim: $TMP/bad.trace:$2"
}
bad "unknown op" "2: op 'poke' unknown (allowed: compute, read, mutate, alloc, io)" \
    "0 compute 25
1 poke 25"
bad "thread out of range" "1: thread 5, but threads is 2 (allowed: 0..1; set --threads)" \
    "5 compute 25"
bad "missing object" "1: read needs an object CREATOR:INDEX" "0 read 25"
bad "object that does not exist" \
    "1: object 1:99 does not exist (objects is 16; a thread may also name its own last 1044480 allocations, docs/traces.md)" \
    "0 read 1:99 25
1 compute 25"
bad "bad cost" "1: cost 'x' is not a duration in ns (allowed: >= 0)" "0 compute x
1 compute 1"
printf '0 compute 25\n' > "$TMP/one.trace"
"$GILSIM" run --threads=2 --trace="$TMP/one.trace" -o "$TMP/one.csv" 2> "$TMP/one.err"
expect_eq "thread count mismatch: exit 2" "$?" 2
expect_eq "thread count mismatch: message" "$(cat "$TMP/one.err")" \
    "gilsim: $TMP/one.trace: the trace has 1 threads but threads is 2 (set --threads=1)"
finish
