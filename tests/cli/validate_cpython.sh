#!/usr/bin/env bash
# The CPython validation harness (validate/cpython/run.sh) at its tiny size: real CPython and
# gilsim run every point and the table has one row per point with numbers. No timing assertion:
# the numbers of a --quick run mean nothing (docs/validation-cpython.md has a full run's).
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
GILSIM="$GILSIM" bash "$here/validate/cpython/run.sh" -o "$TMP/v" --quick > "$TMP/out" 2> "$TMP/err"
expect_eq "run.sh --quick exits 0" "$?" 0
expect_eq "the table is written" "$([ -s "$TMP/v/table.md" ] && echo yes)" yes
rows() { awk -F'|' -v e="$1" '$2 ~ e && $5 ~ /^ *[0-9.e+-]+ *$/ && $7 ~ /^ *[0-9.e+-]+ *$/ &&
    $8 ~ /%/ { print $3 }' "$TMP/v/table.md" | sed 's/^ *//; s/ *$//' | paste -sd';'; }
expect_eq "latency: one row per switch interval" "$(rows 'I/O request time')" \
    "$(printf 'switch interval %s ms;' 0.5 1 2 5 10 | sed 's/;$//')"
expect_eq "rate: one row per CPU thread count" "$(rows 'I/O requests per second')" \
    "0 CPU threads;1 CPU threads;2 CPU threads;4 CPU threads"
expect_eq "scaling: one row per thread count" "$(rows 'CPU time')" "1 threads;2 threads"
expect_eq "the python version is recorded" \
    "$(grep -c '^Real: CPython 3\.[0-9]*\.[0-9]* (/usr/bin/python3)' "$TMP/v/table.md")" 1
expect_eq "every real point ran" "$(awk -F, 'NR > 1 { print $1 }' "$TMP/v/real.csv" | sort |
    uniq -c | awk '{ print $2 "=" $1 }' | paste -sd' ')" \
    "latency=5 rate=4 scaling=2 scaling-wall=2 waits=36"
expect_eq "the spread over intervals: one row per latency and rate point" \
    "$(grep -cE '^\| (latency|rate)-[0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \|$' \
        "$TMP/v/table.md")" 9
expect_eq "bad usage exits 2" "$(bash "$here/validate/cpython/run.sh" 2>/dev/null; echo $?)" 2
finish
