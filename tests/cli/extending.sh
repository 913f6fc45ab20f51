#!/usr/bin/env bash
# A scheme is one file (docs/extending.md): tests/example/biglock.c, built into a build of its
# own with -DGILSIM_EXTRA_SCHEMES and no other file changed, appears in `gilsim list` (after
# this build's schemes), in the parameter table's scheme choices (`gilsim params`, which
# docs/regen.sh writes into docs/parameters.md) with its own row (hold_ns, declared in its
# file), and in a sweep's rows, and its runs pass the oracle. Needs cmake and a compiler, as
# the build itself does.
set -u
src=${GILSIM_SRC:?set GILSIM_SRC to the source tree}
for tool in cmake git; do # decided before anything runs (.ci/install installs both)
    command -v $tool > /dev/null || { echo "SKIP: $tool not found"; exit 77; }
done
. "$(dirname "$0")/lib.sh"

tracked() { git -C "$src" status --porcelain --untracked-files=no; }
before=$(tracked)
cmake -S "$src" -B "$TMP/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
    -DGILSIM_EXTRA_SCHEMES="$src/tests/example/biglock.c" > "$TMP/cmake.log" 2>&1 &&
    cmake --build "$TMP/build" -j2 --target gilsim >> "$TMP/cmake.log" 2>&1
rc=$?
expect_eq "the build with the example scheme succeeds" "$rc" 0
[ "$rc" = 0 ] || { tail -20 "$TMP/cmake.log"; finish; exit 1; }
new="$TMP/build/gilsim"
expect_eq "no tracked file of the source tree changed" "$(tracked)" "$before"

"$GILSIM" list > "$TMP/list.old"
"$new" list > "$TMP/list.new"
expect_eq "gilsim list: this build's schemes, then biglock" "$(cat "$TMP/list.new")" \
    "$(cat "$TMP/list.old"; printf '%-16s %s' biglock \
      'example: one mutex around every object access (docs/extending.md)')"
expect_eq "the parameter table's scheme choices end with biglock" \
    "$("$new" params --markdown | awk -F'|' '$2 ~ /`scheme`/ { print $6 }' | grep -c ', biglock *$')" 1
expect_eq "gilsim params lists it and its own row's help" "$("$new" params | grep -c 'biglock')" 2
expect_eq "its own row hold_ns: a scheme row after the others (before trace), default 0" \
    "$("$new" params --markdown | awk -F'|' '{ gsub(/ /, "") } $2 ~ /`(hold_ns|ft_refcount|trace)`/ {
          printf "%s:%s:%s ", $2, $3, $5 }')" '`ft_refcount`:scheme:biased `hold_ns`:scheme:0 `trace`:workload: '
expect_eq "this build's parameter table has no hold_ns" "$("$GILSIM" params | grep -c 'hold_ns')" 0

"$new" sweep --scheme=biglock,ideal --threads=3 --cores=2 --ops=500 --sharing=0.2 \
    --callback=0.1 --io=0.01 --reps=2 -o "$TMP/sweep.csv" > /dev/null 2> "$TMP/sweep.err"
expect_eq "the sweep runs" "$?" 0
expect_eq "biglock rows in the sweep" \
    "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
               $c["scheme"] == "biglock" && $c["check"] == "ok" { n++ } END { print n + 0 }' \
       "$TMP/sweep.csv")" 2
GILSIM=$new sim "$TMP/one.csv" --scheme=biglock --threads=2 --cores=2 --ops=300 --sharing=0.5
expect_eq "a biglock run: exit 0, oracle ok, hold_ns 0" \
    "$rc $(col "$TMP/one.csv" check) $(col "$TMP/one.csv" hold_ns)" "0 ok 0"
GILSIM=$new sim "$TMP/hold.csv" --scheme=biglock --threads=2 --cores=2 --ops=300 --sharing=0.5 \
    --hold_ns=100000
expect_eq "--hold_ns=100000: its column, and every access holds the lock longer" \
    "$rc $(col "$TMP/hold.csv" hold_ns) $(awk -v a="$(col "$TMP/one.csv" makespan)" \
        -v b="$(col "$TMP/hold.csv" makespan)" 'BEGIN { print (b > a * 10) }')" "0 100000 1"
GILSIM=$new sim "$TMP/bad.csv" --scheme=biglock --hold_ns=-1
expect_eq "--hold_ns=-1 is refused by the table's range check" \
    "$rc $(grep -c 'hold_ns: -1 out of range (allowed: 0..1000000000 ns)' "$TMP/bad.csv.err")" "2 1"
finish
