#!/usr/bin/env bash
# gilsim bench (docs/performance.md) in its quick size: one table with the SimGrid floors (a
# yield, an execution, a timer wait) and every target's rows (simcalls, delegations per second
# and the SimPy points, ops per second, time per event against threads), every run checked;
# --scale --quick: the two scale tables, every run checked; bad arguments exit 2. Asserts what
# it printed, never a timing.
. "$(dirname "$0")/lib.sh"
TMPDIR=$TMP "$GILSIM" bench --quick > "$TMP/bench.md" 2> "$TMP/bench.err"
expect_eq "bench --quick: exit status" "$?" 0
rows() { grep -c "^| $1 |" "$TMP/bench.md"; }
expect_eq "one table header" "$(grep -c '^| target | point | measured | goal |$' "$TMP/bench.md")" 1
expect_eq "three floors" "$(rows floor)" 3
expect_eq "simcalls at N=100 and N=1" "$(rows simcalls)" 2
expect_eq "delegations per second at N=100 and N=1" "$(rows delegations)" 2
expect_eq "six SimPy points" "$(rows simpy)" 6
expect_eq "ops per second at N=1 and N=1000" "$(rows ops)" 2
expect_eq "per event: two thread counts and their ratio" "$(rows per-event)" 3
expect_eq "per event: the ratio row" "$(grep -c '^| per-event | CPU time per event, 256 threads against 16 | [0-9.]*x | <= 1.3x |$' "$TMP/bench.md")" 1
expect_eq "nothing failed" "$(grep -c 'failed' "$TMP/bench.md")" 0
expect_eq "every run checked ok" "$(grep -c 'check ok' "$TMP/bench.md")" 12
expect_eq "simcalls counted by kind" "$(grep "^| simcalls |" "$TMP/bench.md" | grep -c " simcalls per delegation (execute .*cond .*)")" 2
expect_eq "the SimPy points at both sharings" "$(grep "^| simpy |" "$TMP/bench.md" | grep -c -- '--sharing=0.0[05]1* --N=[0-9]*` | [0-9.]* wall-s')" 6
expect_eq "the machine is described" "$(grep -c '^Machine: ' "$TMP/bench.md")" 1
expect_eq "no temporary directory left" "$(find "$TMP" -name 'gilsim-*' | wc -l)" 0
# --scale: the scale tables (against threads, against ops), one row per point, every run checked
TMPDIR=$TMP "$GILSIM" bench --scale --quick > "$TMP/scale.md" 2> "$TMP/scale.err"
expect_eq "bench --scale --quick: exit status" "$?" 0
expect_eq "scale: two tables" "$(grep -c '^| threads | cores | ops/thread | alloc | wall s | CPU s | peak RSS MiB | RSS/thread KiB | events (simcalls) | CPU ns/event |' "$TMP/scale.md")" 2
expect_eq "scale: the two titles" "$(grep -c '^Against \(threads\|ops per thread\) ' "$TMP/scale.md")" 2
expect_eq "scale: 3 thread counts + 6 ops points, each checked ok" "$(grep -c ' | ok |$' "$TMP/scale.md")" 9
expect_eq "scale: the rows without allocations" "$(grep -c '^| [0-9]* | [0-9]* | [0-9]* | 0 | ' "$TMP/scale.md")" 4
expect_eq "scale: nothing failed" "$(grep -c 'failed' "$TMP/scale.md")" 0
expect_eq "scale: no target table" "$(grep -c '^| target |' "$TMP/scale.md")" 0
"$GILSIM" bench --fast > /dev/null 2> "$TMP/bad.err"
expect_eq "bad argument: exit 2" "$?" 2
expect_eq "bad argument: message" "$(cat "$TMP/bad.err")" \
    "gilsim: bench: unexpected argument '--fast' (allowed: --quick, --full, --scale)"
finish
