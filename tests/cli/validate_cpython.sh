#!/usr/bin/env bash
# The CPython validation harness (validate/cpython/run.sh) at its tiny size: real CPython and
# gilsim run every point, every real repetition is kept (tagged with its repetition and the
# scheduler), and the table, which table.py makes of real.csv and sim.csv, has one row per point
# with numbers. No timing assertion: the numbers of a --quick run mean nothing
# (docs/validation-cpython.md has a full run's; tests/cli/cpython_table.sh checks the table's
# arithmetic).
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
[ -x /usr/bin/python3 ] || { echo "SKIP: /usr/bin/python3 is not installed (bash .ci/install installs it)"; exit 77; }
GILSIM="$GILSIM" bash "$here/validate/cpython/run.sh" -o "$TMP/v" --quick > "$TMP/out" 2> "$TMP/err"
expect_eq "run.sh --quick exits 0" "$?" 0
expect_eq "the table is written" "$([ -s "$TMP/v/table.md" ] && echo yes)" yes
# Rows whose real median, gilsim value and formula value are numbers and errors percentages.
num='^ *[0-9.e+-]+ *$'
rows() { awk -F'|' -v e="$1" -v n="$num" '$2 ~ e && $5 ~ n && $8 ~ n && $9 ~ /%/ && $10 ~ n &&
    $11 ~ /%/ { print $3 }' "$TMP/v/table.md" | sed 's/^ *//; s/ *$//' | paste -sd';'; }
expect_eq "latency: one row per switch interval" "$(rows 'I/O request time')" \
    "$(printf 'switch interval %s ms;' 0.5 1 2 5 10 | sed 's/;$//')"
expect_eq "rate: one row per CPU thread count" "$(rows 'I/O requests per second, 5 ms interval')" \
    "0 CPU threads;1 CPU threads;2 CPU threads;4 CPU threads"
expect_eq "scaling: one CPU time row per thread count" "$(rows 'CPU time')" "1 threads;2 threads"
expect_eq "scaling: one wall time row per thread count" "$(rows 'wall time')" "1 threads;2 threads"
expect_eq "the python version and the scheduler are recorded" \
    "$(grep -c '^Real: CPython 3\.[0-9]*\.[0-9]* (/usr/bin/python3) under the normal scheduler' \
        "$TMP/v/table.md")" 1
expect_eq "every real point ran in both repetitions" "$(awk -F, 'NR > 1 { print $1 }' \
    "$TMP/v/real.csv" | sort | uniq -c | awk '{ print $2 "=" $1 }' | paste -sd' ')" \
    "latency=10 rate=8 scaling=4 scaling-wall=4 waits=72"
expect_eq "each line says its repetition and scheduler" \
    "$(awk -F, 'NR > 1 { print $6 "/" $7 }' "$TMP/v/real.csv" | sort | uniq -c |
        awk '{ print $2 "=" $1 }' | paste -sd' ')" "1/normal=49 2/normal=49"
expect_eq "the table is table.py's of the files beside it" \
    "$(/usr/bin/python3 "$here/validate/cpython/table.py" "$TMP/v/real.csv" "$TMP/v/sim.csv" |
        cmp - "$TMP/v/table.md" && echo same)" same
expect_eq "the spread over intervals: one row per latency and rate point" \
    "$(grep -cE '^\| (latency|rate)-[0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \|$' \
        "$TMP/v/table.md")" 9
expect_eq "run.txt: the load averages and wall times" \
    "$(grep -cE '^(load average .* at the start: [0-9.]+ [0-9.]+ [0-9.]+; at the end: [0-9.]+ [0-9.]+ [0-9.]+|wall time: real CPython [0-9]+ s, gilsim [0-9]+ s, in all [0-9]+ s)$' \
        "$TMP/v/run.txt")" 2
expect_eq "bad usage exits 2" "$(bash "$here/validate/cpython/run.sh" 2>/dev/null; echo $?)" 2
expect_eq "--reps=0 exits 2" \
    "$(bash "$here/validate/cpython/run.sh" -o "$TMP/r" --reps=0 2>/dev/null; echo $?)" 2
mkdir "$TMP/mine" && echo keep > "$TMP/mine/notes.txt"
expect_eq "a folder of other files is refused" \
    "$(bash "$here/validate/cpython/run.sh" -o "$TMP/mine" --quick 2>/dev/null; echo $?)" 2
expect_eq "... and left as it was" "$(ls "$TMP/mine"; cat "$TMP/mine/notes.txt")" \
    "$(printf 'notes.txt\nkeep')"
finish
