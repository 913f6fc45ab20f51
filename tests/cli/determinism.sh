#!/usr/bin/env bash
# Same parameters and seed => byte-identical rows; another seed => another row.
. "$(dirname "$0")/lib.sh"

# sans_seed FILE: the data row of FILE without its seed column.
sans_seed() {
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "seed") c = i; next }
             { $c = ""; print }' OFS=, "$1"
}

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
    # The seed is a column of the row: compare the rows without it, so that only what the run
    # computed can tell them apart.
    if [ "$(col "$TMP/d.csv" seed)" != 2 ]; then
        bad "$s: seed 2 not in its row"
    elif [ "$(sans_seed "$TMP/a.csv")" != "$(sans_seed "$TMP/d.csv")" ]; then
        ok "$s: another seed, another row (the seed column aside)"
    else
        bad "$s: seed 2 computed the same row as seed 1"
    fi
done
# The header names schema, every parameter, then the metrics.
head -1 "$TMP/a.csv" | grep -q '^schema,scheme,.*,threads,cores,ops,objects,N,sharing,.*,makespan,' \
    && ok "header starts with schema and the parameters" || bad "header: $(head -1 "$TMP/a.csv")"
finish
