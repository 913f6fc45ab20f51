#!/usr/bin/env bash
# The simcall fast path of the SimGrid backend (sim/sg_fastpath.cpp) keeps the schedule exactly:
# a battery of small runs (every scheme, each wait mode, OS scheduler on and off, threads >
# cores and threads = cores, several seeds) gives byte-identical rows with the fast path on and off
# (--cfg=gilsim/fast-sync:no), and the fast path did save simcalls and end interrupted executions
# without a cancellation.
. "$(dirname "$0")/lib.sh"

schemes=$("$GILSIM" list | awk '{ printf "%s%s", sep, $1; sep = "," }')
# delegate-naive spinning under the OS scheduler can spin for ever (a V0 deadlock the spinners
# never see): not a fast-path matter, left out of the spin sweep.
spinners=$(echo "$schemes" | sed 's/delegate-naive,//')
common=(--threads=3,8 --cores=2 --os_sched=on,off --ops=300 --sharing=0.2 --io=0.01 --seed=1:2:1)
for fast in yes no; do
    "$GILSIM" sweep --scheme="$schemes" --wait=block,spin-block "${common[@]}" -j 2 \
        --cfg=gilsim/fast-sync:$fast -o "$TMP/$fast.csv" > /dev/null 2>&1
    "$GILSIM" sweep --scheme="$spinners" --wait=spin "${common[@]}" -j 2 \
        --cfg=gilsim/fast-sync:$fast -o "$TMP/$fast.csv" > /dev/null 2>&1
done
rows=$(($(wc -l < "$TMP/yes.csv") - 1))
expect_eq "every point ran with the fast path on" "$rows" 232
sort "$TMP/yes.csv" > "$TMP/on.sorted"
sort "$TMP/no.csv" > "$TMP/off.sorted"
if cmp -s "$TMP/on.sorted" "$TMP/off.sorted"; then
    ok "fast path on and off: $rows identical rows"
else
    bad "fast path on and off differ: $(diff "$TMP/on.sorted" "$TMP/off.sorted" | head -4)"
fi
# Bigger points: 16 threads on 16 cores (the bench's delegation point) and 32 on 4.
for a in "--threads=16 --cores=16 --ops=3000 --N=100 --access=1 --alloc=0 --sharing=0.1" \
         "--threads=32 --cores=4 --ops=1000 --sharing=0.05 --io=0.01"; do
    for s in delegate delegate-v2 gil-interval free-threading; do
        "$GILSIM" run --scheme=$s $a -o "$TMP/a.csv" 2> /dev/null
        "$GILSIM" run --scheme=$s $a --cfg=gilsim/fast-sync:no -o "$TMP/b.csv" 2> /dev/null
        if [ -s "$TMP/a.csv" ] && cmp -s "$TMP/a.csv" "$TMP/b.csv"; then
            ok "$s $a: identical rows"
        else
            bad "$s $a: rows differ with the fast path off"
        fi
    done
done
# The fast path is in use: gilsim bench reports the simcalls it saved per delegation.
"$GILSIM" bench --quick > "$TMP/bench.md" 2> /dev/null
saved=$(grep -o '[0-9.]* more saved by the fast path' "$TMP/bench.md" | head -1 | cut -d' ' -f1)
expect_awk "the fast path saved simcalls in bench's item 2" "${saved:-0} > 1"
# ... and interrupts ended executions without SimGrid's cancellation exception (rt_sim_fast_stop).
stopped=$(grep -o '[0-9]* interrupts ended without an exception' "$TMP/bench.md" | head -1 |
    cut -d' ' -f1)
expect_awk "interrupts ended without an exception in bench's item 2" "${stopped:-0} > 0"
finish
