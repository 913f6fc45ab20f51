#!/usr/bin/env bash
# Scale-out: the tasks of gilsim sweep --emit-tasks, run by GNU parallel (from another
# directory: they are self-contained), then combined by gilsim merge, give the same rows as
# gilsim sweep; merge keeps each point once (the first met), in an order that does not depend
# on the inputs' order, and refuses files whose headers differ.
command -v parallel > /dev/null || { echo "SKIP: GNU parallel is not installed"; exit 77; }
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

args=(--scheme=ideal,delegate,delegate-naive --N=10,100 --sharing=0,0.1 --threads=2 --ops=2000
      --reps=2)
"$GILSIM" sweep "${args[@]}" --emit-tasks -o t.csv > tasks.txt
expect_eq "one task per point" "$(wc -l < tasks.txt)" 24
(cd / && parallel -j 2 < "$TMP/tasks.txt") 2> /dev/null
expect_eq "parallel: every task succeeds (deadlocks included)" "$?" 0
expect_eq "one CSV per point" "$(ls t-points/point-*.csv | wc -l)" 24
"$GILSIM" merge t-points/*.csv -o t.csv
expect_eq "merge: exit status" "$?" 0
"$GILSIM" sweep "${args[@]}" -j 2 -o s.csv 2> /dev/null
[ "$(head -1 t.csv)" = "$(head -1 s.csv)" ] && ok "headers equal" || bad "headers differ"
if cmp -s <(tail -n +2 t.csv | sort) <(tail -n +2 s.csv | sort); then
    ok "tasks through parallel + merge give the rows of gilsim sweep (24)"
else
    bad "rows differ: $(diff <(tail -n +2 t.csv | sort) <(tail -n +2 s.csv | sort) | head -5)"
fi
expect_eq "emit again after merging: no pending point" \
    "$("$GILSIM" sweep "${args[@]}" --emit-tasks -o t.csv | wc -l)" 0
rm t.csv
expect_eq "emit again with the point files present: no pending point" \
    "$("$GILSIM" sweep "${args[@]}" --emit-tasks -o t.csv | wc -l)" 0

# merge: duplicates dropped (the first met kept), order independent of the inputs'.
sed '2s/,[^,]*$/,FIRST/' s.csv > first.csv
"$GILSIM" merge first.csv s.csv t-points/*.csv -o m.csv
expect_eq "merge: 3 copies of 24 points give 24 rows" "$(tail -n +2 m.csv | wc -l)" 24
expect_eq "merge: the first copy of a point is kept" "$(grep -c ',FIRST$' m.csv)" 1
"$GILSIM" merge $(ls t-points/*.csv | sort -r) -o m1.csv
"$GILSIM" merge t-points/*.csv -o m2.csv
cmp -s m1.csv m2.csv && ok "merge: same output whatever the input order" || bad "merge order"
cp s.csv io.csv
"$GILSIM" merge io.csv t-points/*.csv -o io.csv
expect_eq "merge: the output may be an input" "$(tail -n +2 io.csv | wc -l)" 24
sed '1s/,sharing,/,shared,/' s.csv > other.csv
"$GILSIM" merge s.csv other.csv -o bad.csv 2> err.txt
expect_eq "merge: mismatched headers exit 2" "$?" 2
grep -q "other.csv:1: not this gilsim's header: column [0-9]* is 'shared' here and 'sharing' there" \
    err.txt && ok "merge: the differing column is named" || bad "merge: $(cat err.txt)"
[ ! -e bad.csv ] && ok "merge: no output on error" || bad "merge wrote bad.csv"
finish
