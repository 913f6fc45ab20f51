#!/usr/bin/env bash
# The simulator's charge for accesses that miss the caches (miss_ns, cache_objects): exact facts
# of one-thread ideal runs, whose makespan is the sum of their ops' costs.
# - every op an access, no allocation, cache_objects 0: each access costs miss_ns more, so the
#   makespan grows by exactly ops x miss_ns;
# - caches that hold every object (cache_objects >= objects + allocations): no charge, the row
#   equals the uncharged one but for the two parameter columns;
# - allocations growing the working set past the caches: a longer makespan than without;
# - natively (real primitives) miss_ns is not charged: it is a primitive cost.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
one=(--scheme=ideal --threads=1 --cores=1 --ops=3000 --sharing=0 --op_dist=fixed --seed=3)
col() { awk -F, -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i } NR == 2 { print $c }' "$1"; }
"$GILSIM" run "${one[@]}" --access=1 --alloc=0 -o a0.csv 2> err || bad "run: $(cat err)"
"$GILSIM" run "${one[@]}" --access=1 --alloc=0 --miss_ns=100 --cache_objects=0 -o a1.csv \
    2> err || bad "run: $(cat err)"
d=$(awk -v a="$(col a0.csv makespan)" -v b="$(col a1.csv makespan)" 'BEGIN { printf "%.9f", b - a }')
expect_eq "every access charged miss_ns: makespan + ops x miss_ns" "$d" "0.000300000"

"$GILSIM" run "${one[@]}" --alloc=0.2 -o b0.csv 2> err || bad "run: $(cat err)"
"$GILSIM" run "${one[@]}" --alloc=0.2 --miss_ns=100 --cache_objects=100000 -o b1.csv 2> err \
    || bad "run: $(cat err)"
drop() { awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "miss_ns" || $i == "cache_objects") x[i] = 1 }
                  { s = ""; for (i = 1; i <= NF; i++) if (!(i in x)) s = s $i ","; print s }' "$1"; }
expect_eq "caches that hold every object: the row is unchanged" "$(drop b1.csv)" "$(drop b0.csv)"

"$GILSIM" run "${one[@]}" --alloc=0.2 --miss_ns=100 --cache_objects=50 -o b2.csv 2> err \
    || bad "run: $(cat err)"
awk -v a="$(col b0.csv makespan)" -v b="$(col b2.csv makespan)" 'BEGIN { exit !(b > a) }' \
    && ok "a working set past the caches: a longer makespan" || bad "no miss charged: $(col b2.csv makespan)"

"$GILSIM" run --backend=native "${one[@]}" --access=1 --alloc=0 --miss_ns=100000 \
    --cache_objects=0 -o n1.csv 2> err || bad "native run: $(cat err)"
awk -v m="$(col n1.csv makespan)" 'BEGIN { exit !(m < 0.3) }' \
    && ok "natively miss_ns is not charged (3000 x 100 us would be 0.3 s)" \
    || bad "native makespan $(col n1.csv makespan)"
finish
