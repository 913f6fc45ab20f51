#!/usr/bin/env bash
# What a spinning delegation costs beyond its named parts (docs/validation.md, "Spinning
# waits"): the waiter pays notice_ns when its spin stops for an interrupt and, on its answer,
# the rest of the measured round trip spin_rtt_ns beyond push_ns + 2 handoff_ns + pop_ns +
# cas_ns; lat_model counts both; and rows where no spinning waiter is answered (blocking waits,
# the GIL schemes, free-threading) are the same whatever the two costs are.
. "$(dirname "$0")/lib.sh"

# Thread 1 delegates to thread 0 only (home=0), which answers at its next opcode (N=1), with
# every named part of the round trip 0: spin_rtt_ns is then on the path whole, once per
# delegation, and notice_ns once per answer (the spin stops once).
rt="--scheme=delegate --threads=2 --cores=2 --ops=20000 --home=0 --sharing=0.2 --N=1 --wait=spin"
zero="--cas_ns=0 --handoff_ns=0 --push_ns=0 --pop_ns=0"
sim "$TMP/rt0.csv" $rt $zero
sim "$TMP/rtr.csv" $rt $zero --spin_rtt_ns=1000
sim "$TMP/rtn.csv" $rt $zero --notice_ns=1000
d() { awk -v a="$(col "$2" lat_mean)" -v b="$(col "$1" lat_mean)" 'BEGIN { print a - b }'; }
expect_awk "spinning round trip: spin_rtt_ns on its path (+1 us per delegation)" \
    "$(d "$TMP/rt0.csv" "$TMP/rtr.csv") > 0.99e-6 && $(d "$TMP/rt0.csv" "$TMP/rtr.csv") < 1.01e-6"
expect_awk "spinning round trip: the waiter's notice of its answer (+1 us per delegation)" \
    "$(d "$TMP/rt0.csv" "$TMP/rtn.csv") > 0.99e-6 && $(d "$TMP/rt0.csv" "$TMP/rtn.csv") < 1.01e-6"
expect_eq "delegations took place" "$(col "$TMP/rt0.csv" check):$(awk -v n="$(col "$TMP/rt0.csv" delegations)" 'BEGIN { print (n > 100) }')" "ok:1"
# Only the part of spin_rtt_ns beyond the parts charged where they happen: with push_ns +
# pop_ns + 2 handoff_ns + cas_ns = 35 + 2 x 100 + 40 = 275 ns, spin_rtt_ns = 275 adds nothing
# and 1275 adds 1 us.
parts="--push_ns=28 --pop_ns=7 --handoff_ns=100 --cas_ns=40"
sim "$TMP/rp0.csv" $rt $parts
sim "$TMP/rp1.csv" $rt $parts --spin_rtt_ns=275
sim "$TMP/rp2.csv" $rt $parts --spin_rtt_ns=1275
expect_eq "spin_rtt_ns no longer than the charged parts: same latency" \
    "$(col "$TMP/rp1.csv" lat_mean)" "$(col "$TMP/rp0.csv" lat_mean)"
expect_awk "spin_rtt_ns 1 us beyond the charged parts: +1 us" \
    "$(d "$TMP/rp0.csv" "$TMP/rp2.csv") > 0.99e-6 && $(d "$TMP/rp0.csv" "$TMP/rp2.csv") < 1.01e-6"

# lat_model follows: a lightly loaded spinning delegate with both costs agrees with its
# simulated mean within 10%, and both move lat_model by what they cost.
sim "$TMP/lm0.csv" --scheme=delegate --threads=2 --cores=2 --ops=20000 --sharing=0.005 --N=10 \
    --wait=spin
sim "$TMP/lm.csv" --scheme=delegate --threads=2 --cores=2 --ops=20000 --sharing=0.005 --N=10 \
    --wait=spin --spin_rtt_ns=2000 --notice_ns=300
expect_awk "lat_model with spin_rtt_ns and notice_ns: |lat_mean / lat_model - 1| < 0.1" \
    "$(col "$TMP/lm.csv" lat_mean) / $(col "$TMP/lm.csv" lat_model) > 0.9 && $(col "$TMP/lm.csv" lat_mean) / $(col "$TMP/lm.csv" lat_model) < 1.1"
# rest = 2000 - (28 + 2 x 235 + 7 + 20) = 1475 ns, plus 300 of notice: 1775 ns.
expect_awk "lat_model grows by notice_ns + the rest of spin_rtt_ns (1775 ns)" \
    "$(col "$TMP/lm.csv" lat_model) - $(col "$TMP/lm0.csv" lat_model) > 1774e-9 && $(col "$TMP/lm.csv" lat_model) - $(col "$TMP/lm0.csv" lat_model) < 1776e-9"

# Where no spinning waiter is answered the rows are the same (but for the two columns):
# blocking waits of every delegate variant, spin-block that never spins, the GIL schemes and
# free-threading (spinning or not).
strip() {
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "spin_rtt_ns" || $i == "notice_ns") d[i] = 1 }
             { s = ""; for (i = 1; i <= NF; i++) if (!(i in d)) s = s "," $i; print s }' "$1"
}
common="--threads=3 --cores=2 --ops=5000 --sharing=0.1 --io=0.01 --io_ns=20000 --seed=3"
for args in "--scheme=delegate --wait=block" "--scheme=delegate-v2 --wait=block" \
            "--scheme=delegate-v3 --wait=block" "--scheme=delegate-v4 --wait=block" \
            "--scheme=delegate --wait=spin-block --spin_ns=0" \
            "--scheme=gil-ticks --wait=spin" "--scheme=gil-interval" "--scheme=gil-pypy" \
            "--scheme=free-threading --wait=spin" "--scheme=free-threading"; do
    sim "$TMP/u0.csv" $common $args
    sim "$TMP/u1.csv" $common $args --spin_rtt_ns=100000 --notice_ns=100000
    if [ "$rc" = 0 ] && [ "$(strip "$TMP/u0.csv")" = "$(strip "$TMP/u1.csv")" ]; then
        ok "$args: the same row with spin_rtt_ns and notice_ns of 100 us"
    else
        bad "$args: the row changed with spin_rtt_ns and notice_ns (or failed: rc $rc)"
    fi
done
# ... and a spinning delegate's row does change (the comparison above can fail).
sim "$TMP/s0.csv" $common --scheme=delegate --wait=spin
sim "$TMP/s1.csv" $common --scheme=delegate --wait=spin --spin_rtt_ns=100000 --notice_ns=100000
if [ "$(strip "$TMP/s0.csv")" != "$(strip "$TMP/s1.csv")" ]; then
    ok "delegate, wait=spin: the row changes with spin_rtt_ns and notice_ns"
else
    bad "delegate, wait=spin: the row did not change"
fi

# Natively both are primitives (done for real): not charged, the row's columns keep them.
"$GILSIM" params --markdown > "$TMP/params.md"
for k in spin_rtt_ns notice_ns; do
    expect_eq "$k is a primitive cost row" \
        "$(grep "^| \`$k\` " "$TMP/params.md" | awk -F"|" "{ print \$(NF - 1) }" | tr -d " ")" "primitive:simulatoronly"
done
finish
