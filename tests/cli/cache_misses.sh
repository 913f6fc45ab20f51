#!/usr/bin/env bash
# The simulator's charge for accesses that miss the caches (miss_1k_ns .. miss_64k_ns): exact
# facts of one-thread ideal runs, whose makespan is the sum of their ops' costs, every op an
# access, no allocation, so each access picks among `objects` objects:
# - among 1024 objects each access costs miss_1k_ns more: makespan + ops x miss_1k_ns;
# - among 2048 (halfway between 1024 and 4096 in log2): + ops x (miss_1k_ns + miss_4k_ns) / 2;
# - among 16 objects, or beyond the last size (10^5: miss_64k_ns held), as stated;
# - allocations growing the working set: a longer makespan than without the charge;
# - natively (real primitives) nothing is charged: the costs are primitives.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
one=(--scheme=ideal --threads=1 --cores=1 --ops=3000 --sharing=0 --op_dist=fixed --seed=3)
m=(--miss_1k_ns=10 --miss_4k_ns=30 --miss_16k_ns=70 --miss_64k_ns=150)
col() { awk -F, -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i } NR == 2 { print $c }' "$1"; }
diff_of() { # OBJECTS: makespan with the charge less without, in ns per op
    "$GILSIM" run "${one[@]}" --access=1 --alloc=0 --objects="$1" -o a0.csv 2> err || bad "run: $(cat err)"
    "$GILSIM" run "${one[@]}" --access=1 --alloc=0 --objects="$1" "${m[@]}" -o a1.csv 2> err \
        || bad "run: $(cat err)"
    awk -v a="$(col a0.csv makespan)" -v b="$(col a1.csv makespan)" 'BEGIN { printf "%.3f", (b - a) * 1e9 / 3000 }'
}
expect_eq "among 16 objects: no charge" "$(diff_of 16)" "0.000"
expect_eq "among 1024 objects: miss_1k_ns per access" "$(diff_of 1024)" "10.000"
expect_eq "among 2048 objects: halfway to miss_4k_ns" "$(diff_of 2048)" "20.000"
expect_eq "among 65536 objects: miss_64k_ns" "$(diff_of 65536)" "150.000"
expect_eq "among 10^5 objects: miss_64k_ns held" "$(diff_of 100000)" "150.000"

"$GILSIM" run "${one[@]}" --alloc=0.2 -o b0.csv 2> err || bad "run: $(cat err)"
"$GILSIM" run "${one[@]}" --alloc=0.2 "${m[@]}" -o b2.csv 2> err || bad "run: $(cat err)"
awk -v a="$(col b0.csv makespan)" -v b="$(col b2.csv makespan)" 'BEGIN { exit !(b > a) }' \
    && ok "allocations growing the working set: a longer makespan" \
    || bad "no miss charged: $(col b2.csv makespan)"

"$GILSIM" run --backend=native "${one[@]}" --access=1 --alloc=0 --objects=1024 \
    --miss_1k_ns=100000 -o n1.csv 2> err || bad "native run: $(cat err)"
awk -v x="$(col n1.csv makespan)" 'BEGIN { exit !(x < 0.3) }' \
    && ok "natively nothing is charged (3000 x 100 us would be 0.3 s)" \
    || bad "native makespan $(col n1.csv makespan)"
finish
