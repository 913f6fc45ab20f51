#!/usr/bin/env bash
# Same parameters and seed => byte-identical rows; another seed => another row.
. "$(dirname "$0")/lib.sh"

for s in ideal delegate delegate-naive; do
    args="--scheme=$s --threads=6 --cores=3 --ops=5000 --sharing=0.2 --N=50"
    "$GILSIM" run $args -o "$TMP/a.csv" 2> /dev/null
    "$GILSIM" run $args -o "$TMP/b.csv" 2> /dev/null
    "$GILSIM" run $args > "$TMP/c.csv" 2> /dev/null
    if cmp -s "$TMP/a.csv" "$TMP/b.csv" && cmp -s "$TMP/a.csv" "$TMP/c.csv"; then
        ok "$s: same seed, identical output"
    else
        bad "$s: same seed, different output: $(diff "$TMP/a.csv" "$TMP/b.csv")"
    fi
    "$GILSIM" run $args --seed=2 -o "$TMP/d.csv" 2> /dev/null
    if [ "$s" = ideal ] || ! cmp -s "$TMP/a.csv" "$TMP/d.csv"; then
        ok "$s: another seed, another row"
    else
        bad "$s: seed 2 gave the same row as seed 1"
    fi
done
# The header names schema, every parameter, then the metrics.
head -1 "$TMP/a.csv" | grep -q '^schema,scheme,.*,threads,cores,ops,objects,N,sharing,.*,makespan,' \
    && ok "header starts with schema and the parameters" || bad "header: $(head -1 "$TMP/a.csv")"
finish
