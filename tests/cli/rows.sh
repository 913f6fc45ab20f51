#!/usr/bin/env bash
# Rows under test: simulates a fixed set of small points (every scheme, every wait, I/O,
# callbacks, classes, the delegate knobs, oversubscription, one deadlock) and compares each
# point's exit status and the SHA-256 of its CSV row (and of the header) with tests/cli/rows.golden.
# Rows are byte-identical by design (same parameters and seed, same row on every build), so the
# hash covers the whole row: nothing is excluded.
#
# A change that is meant to move rows regenerates the file in the same commit and says why in
# docs/changes.md:
#     GILSIM=build/gilsim bash tests/cli/rows.sh --update      (or: cmake --build build --target rows-golden)
. "$(dirname "$0")/lib.sh"
golden="$(cd "$(dirname "$0")" && pwd)/rows.golden"
update=0
[ "${1:-}" = --update ] && update=1

# point NAME ARGS...: one simulated point (NAME: a short word, unique).
names=()
declare -A args_of
point() {
    names+=("$1")
    local n=$1
    shift
    args_of[$n]=$(printf '%q ' "$@")
}
small=(--threads=3 --cores=2 --ops=3000)
point ideal                --scheme=ideal "${small[@]}" --sharing=0
point naive                --scheme=delegate-naive "${small[@]}" --sharing=0
point naive-deadlock       --scheme=delegate-naive "${small[@]}" --sharing=0.1
for w in block spin spin-block; do
    for s in delegate delegate-v2 delegate-v3 delegate-v4; do
        point "$s-$w"      --scheme=$s --wait=$w "${small[@]}" --sharing=0.05 --N=50
    done
    point "gil-ticks-$w"   --scheme=gil-ticks --wait=$w "${small[@]}" --N=20
    point "gil-interval-$w" --scheme=gil-interval --wait=$w "${small[@]}" --switch_ns=5000
    point "free-threading-$w" --scheme=free-threading --wait=$w "${small[@]}" --sharing=0.2
done
point gil-pypy             --scheme=gil-pypy "${small[@]}" --yield_every=500 --steal_ns=10000
point ft-locked            --scheme=free-threading "${small[@]}" --sharing=0.2 --ft_reads=locked
point ft-atomic-rc         --scheme=free-threading "${small[@]}" --sharing=0.2 --ft_refcount=atomic
point delegate-lifo        --scheme=delegate "${small[@]}" --sharing=0.1 --queue=lifo
point delegate-migrate     --scheme=delegate "${small[@]}" --sharing=0.1 --migrate=2 --zipf=1
point delegate-home        --scheme=delegate "${small[@]}" --sharing=0.1 --home=0 --access=0.99
point delegate-callback    --scheme=delegate "${small[@]}" --sharing=0.2 --callback=0.3
point v3-callback          --scheme=delegate-v3 --wait=spin "${small[@]}" --sharing=0.2 --callback=0.3
point v2-io                --scheme=delegate-v2 "${small[@]}" --sharing=0.1 --io=0.01 --io_ns=20000
point gil-interval-io      --scheme=gil-interval "${small[@]}" --io=0.01 --io_ns=20000 --io_dist=lognormal
point gil-ticks-io         --scheme=gil-ticks "${small[@]}" --io=0.01 --io_ns=20000 --io_dist=fixed
point pypy-io              --scheme=gil-pypy "${small[@]}" --io=0.01 --io_ns=20000 --io_threads=1
point ft-io                --scheme=free-threading "${small[@]}" --sharing=0.1 --io=0.01 --op_dist=exponential
point convoy-classes       --scheme=gil-interval --switch_ns=20000 \
    --classes='cpu(count=2 ops=4000) io(count=1 ops=300 io=0.3 io_ns=30000)'
point delegate-classes     --scheme=delegate --cores=2 \
    --classes='hot(count=2 ops=2000 sharing=0.3 access=0.5) cold(count=2 ops=3000 sharing=0 op_dist=lognormal)'
point oversubscribed       --scheme=delegate --threads=6 --cores=2 --ops=2000 --sharing=0.05
point os-sched-off         --scheme=gil-ticks --threads=4 --cores=2 --ops=2000 --os_sched=off
point one-core             --scheme=delegate-v3 --threads=3 --cores=1 --ops=2000 --sharing=0.1
point ideal-misses         --scheme=ideal "${small[@]}" --sharing=0 --alloc=0.1 --miss_1k_ns=8 --miss_4k_ns=30
point ft-misses            --scheme=free-threading "${small[@]}" --sharing=0.1 --alloc=0.1 --miss_1k_ns=8 --miss_4k_ns=30
point seed-7               --scheme=delegate "${small[@]}" --sharing=0.05 --seed=7

out="$TMP/rows.golden"
for n in "${names[@]}"; do
    eval "a=(${args_of[$n]})"
    "$GILSIM" run "${a[@]}" -o "$TMP/$n.csv" 2> "$TMP/$n.err"
    rc=$?
    if [ ! -s "$TMP/$n.csv" ]; then
        bad "$n: no row (exit $rc): $(head -c 300 "$TMP/$n.err")"
        continue
    fi
    [ -z "${header:-}" ] && header=$(head -1 "$TMP/$n.csv" | sha256sum | cut -c1-64)
    printf '%s %s %s\n' "$n" "$rc" "$(sed -n 2p "$TMP/$n.csv" | sha256sum | cut -c1-64)" >> "$out"
done
printf 'header - %s\n' "${header:-none}" >> "$out"

if [ "$update" = 1 ]; then
    [ "$failed" -eq 0 ] || { finish; exit 1; }
    cp "$out" "$golden"
    echo "wrote $golden ($(wc -l < "$golden") lines)"
    exit 0
fi
[ -f "$golden" ] || { bad "no $golden (run this script with --update)"; finish; exit 1; }
# Every point of the golden file must still be run, and every point run must be in it.
while read -r n rc h; do
    read -r _ nrc nh < <(awk -v n="$n" '$1 == n' "$out")
    if [ -z "${nh:-}" ]; then
        bad "$n: in rows.golden, not run any more"
    elif [ "$rc $h" = "$nrc $nh" ]; then
        ok "$n"
    else
        what=$([ "$n" = header ] && echo "the CSV header" || echo "the row of: gilsim run ${args_of[$n]}")
        bad "$n: $what changed: exit $rc -> $nrc, sha256 $h -> $nh"
    fi
    nh=
done < "$golden"
while read -r n _; do
    grep -q "^$n " "$golden" || bad "$n: not in rows.golden (run this script with --update)"
done < "$out"
[ "$failed" -eq 0 ] || echo "rows moved: if that is intended, regenerate with" \
    "GILSIM=build/gilsim bash tests/cli/rows.sh --update and say why in docs/changes.md"
finish
