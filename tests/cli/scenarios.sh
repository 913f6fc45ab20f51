#!/usr/bin/env bash
# Every named scenario (workloads/scenarios/*.ini) is a valid spec whose runs all complete with
# every op run exactly once (delegate-naive may deadlock: then its row says so), at small size.
. "$(dirname "$0")/lib.sh"
dir=$(cd "$(dirname "$0")/../../workloads/scenarios" && pwd)
n=0
for spec in "$dir"/*.ini; do
    name=$(basename "$spec" .ini)
    grep -q '^# Stands for\|^# demo' "$spec" && ok "$name: says what program it stands for" \
        || bad "$name: no '# Stands for' comment"
    "$GILSIM" sweep "$spec" --ops=1500 -j 2 -o "$TMP/$name.csv" 2> "$TMP/$name.err"
    expect_eq "$name: sweep exit status" "$?" 0
    rows=$(($(wc -l < "$TMP/$name.csv") - 1))
    expect_awk "$name: has runs" "$rows > 0"
    bad_rows=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        !($c["check"] == "ok" && $c["deadlock"] == 0) &&
        !($c["scheme"] == "delegate-naive" && $c["deadlock"] == 1) { print $c["scheme"] }' \
        "$TMP/$name.csv" | sort -u | paste -sd' ')
    expect_eq "$name: every run complete and exact" "$bad_rows" ""
    n=$((n + 1))
done
expect_awk "at least the six named scenarios and the demo" "$n >= 7"
finish
