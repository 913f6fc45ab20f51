#!/usr/bin/env bash
# gilsim bench (docs/performance.md) in its quick size: one table with the SimGrid floors and
# every item's rows, every run checked; --scale --quick: the two scale tables, every run checked;
# bad arguments exit 2. Asserts what it printed, never a
# timing.
. "$(dirname "$0")/lib.sh"
TMPDIR=$TMP "$GILSIM" bench --quick > "$TMP/bench.md" 2> "$TMP/bench.err"
expect_eq "bench --quick: exit status" "$?" 0
rows() { grep -c "^| $1 |" "$TMP/bench.md"; }
expect_eq "one table header" "$(grep -c '^| item | point | measured | target |$' "$TMP/bench.md")" 1
expect_eq "two floors" "$(rows floor)" 2
expect_eq "item 1: N=1 and N=1000" "$(rows 1)" 2
expect_eq "item 2: N=100 and N=1" "$(rows 2)" 2
expect_eq "item 3: -j 1 and -j 2" "$(rows 3)" 2
expect_eq "item 5: two ops, two thread counts, two ops without allocations" "$(rows 5)" 6
expect_eq "item 5: the rows without allocations" "$(grep -c -- '--alloc=0`' "$TMP/bench.md")" 2
expect_eq "nothing failed" "$(grep -c 'failed' "$TMP/bench.md")" 0
expect_eq "every run checked ok" "$(grep -c 'check ok' "$TMP/bench.md")" 10
expect_eq "item 2 counts simcalls by kind" "$(grep "^| 2 |" "$TMP/bench.md" | grep -c " simcalls (execute .*cond .*) and ")" 2
expect_eq "item 3: every sweep row" "$(grep -c '(10 rows in ' "$TMP/bench.md")" 2
expect_eq "the machine is described" "$(grep -c '^Machine: ' "$TMP/bench.md")" 1
expect_eq "no temporary directory left" "$(find "$TMP" -name 'gilsim-*' | wc -l)" 0
# --scale: the scale tables (items 4 and 5), one row per point, every run checked
TMPDIR=$TMP "$GILSIM" bench --scale --quick > "$TMP/scale.md" 2> "$TMP/scale.err"
expect_eq "bench --scale --quick: exit status" "$?" 0
expect_eq "scale: two tables" "$(grep -c '^| threads | cores | ops/thread | alloc | wall s | CPU s | peak RSS MiB | RSS/thread KiB | events (simcalls) | CPU ns/event |' "$TMP/scale.md")" 2
expect_eq "scale: item 4 and item 5 titles" "$(grep -c '^Item [45]: against ' "$TMP/scale.md")" 2
expect_eq "scale: 3 thread counts + 6 ops points, each checked ok" "$(grep -c ' | ok |$' "$TMP/scale.md")" 9
expect_eq "scale: the rows without allocations" "$(grep -c '^| [0-9]* | [0-9]* | [0-9]* | 0 | ' "$TMP/scale.md")" 4
expect_eq "scale: nothing failed" "$(grep -c 'failed' "$TMP/scale.md")" 0
expect_eq "scale: no item table" "$(grep -c '^| item |' "$TMP/scale.md")" 0
"$GILSIM" bench --fast > /dev/null 2> "$TMP/bad.err"
expect_eq "bad argument: exit 2" "$?" 2
expect_eq "bad argument: message" "$(cat "$TMP/bad.err")" \
    "gilsim: bench: unexpected argument '--fast' (allowed: --quick, --full, --scale)"
finish
