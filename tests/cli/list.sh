#!/usr/bin/env bash
# The registered schemes (gilsim list): one line each, name then summary; the same list as
# `gilsim run --scheme=help` and as the `scheme` choices of the parameter table; every scheme
# listed runs a small point and names itself in its row. The count comes from gilsim list.
. "$(dirname "$0")/lib.sh"

"$GILSIM" list > "$TMP/list"
"$GILSIM" run --scheme=help > "$TMP/help"
n=$(wc -l < "$TMP/list")
expect_awk "gilsim list lists schemes" "$n >= 1"
expect_eq "each line is a name, spaces, a summary" \
    "$(grep -cE '^[a-z][a-z0-9-]* +[^ ].*$' "$TMP/list")" "$n"
expect_eq "names are unique" "$(awk '{ print $1 }' "$TMP/list" | sort -u | wc -l)" "$n"
expect_eq "run --scheme=help is gilsim list" "$(cmp -s "$TMP/list" "$TMP/help" && echo same)" same
choices=$("$GILSIM" params --markdown | awk -F'|' '$2 ~ /`scheme`/ { gsub(/ /, "", $6); print $6 }')
expect_eq "the parameter table's scheme choices are the list's names" "$choices" \
    "$(awk '{ print $1 }' "$TMP/list" | paste -sd, -)"
ran=0
for s in $(awk '{ print $1 }' "$TMP/list"); do
    sim "$TMP/$s.csv" --scheme=$s --threads=2 --cores=2 --ops=200 --sharing=0.1 --seed=1
    # delegate-naive may deadlock (exit 3): its row is written all the same
    { [ "$rc" = 0 ] || [ "$rc" = 3 ]; } && [ "$(col "$TMP/$s.csv" scheme)" = "$s" ] && ran=$((ran + 1))
done
expect_eq "every listed scheme runs a small point (or reports its deadlock) and names itself" "$ran" "$n"
finish
