#!/usr/bin/env bash
# The proposed scheme's variants: nested-callback deadlock of V0, V2 detach, V4
# migration, wait modes, the first-order latency formula, and a suite every variant completes.
. "$(dirname "$0")/lib.sh"

row() { # row FILE COLUMN...: the named cells of the data row, space-separated
    local f=$1
    shift
    local out=""
    for c in "$@"; do out="$out $(col "$f" "$c")"; done
    echo $out
}

# Nested callback, two threads: T0 makes one foreign access, whose handler calls back into an
# object of T0 (like __eq__). Without the callback delegate-naive completes; with it, the owner
# T1 runs the op, delegates the callback to T0, and T0 (waiting, V0) never drains: deadlock.
nested="--threads=2 --cores=2 --ops=2000 --sharing=0.002 --N=1 --seed=17"
sim "$TMP/n0.csv" --scheme=delegate-naive $nested --callback=0
expect_eq "naive, no callback: completes" "$rc:$(col "$TMP/n0.csv" check)" "0:ok"
sim "$TMP/n1.csv" --scheme=delegate-naive $nested --callback=1
expect_eq "naive, nested callback: deadlock (exit 3)" "$rc:$(col "$TMP/n1.csv" deadlock)" "3:1"
if grep -Eq '^gilsim: deadlock: wait-for cycle: T([01]) -> T([01]) -> T\1$' "$TMP/n1.csv.err"; then
    ok "naive, nested callback: wait-for cycle printed"
else
    bad "naive, nested callback: no cycle on stderr: $(grep gilsim "$TMP/n1.csv.err")"
fi
for s in delegate delegate-v2 delegate-v3 delegate-v4; do
    sim "$TMP/v.csv" --scheme=$s $nested --callback=1
    expect_eq "$s, nested callback: completes" "$rc:$(col "$TMP/v.csv" deadlock):$(col "$TMP/v.csv" check)" "0:0:ok"
    # T0 served the callback while waiting on its own op: part of that op, no break of it.
    expect_eq "$s, nested callback: own callback is no atomicity break" \
        "$(col "$TMP/v.csv" atomicity_breaks)" 0
done
sim "$TMP/n0v1.csv" --scheme=delegate $nested --callback=0
expect_eq "delegate, no callback, one delegation: no atomicity break" \
    "$(col "$TMP/n0v1.csv" atomicity_breaks)" 0

# V2: an owner in long I/O (10 ms) does not make requesters wait for the whole I/O.
io="--threads=2 --cores=2 --ops=100000 --sharing=0.05 --io=0.0005 --io_ns=10000000 --io_dist=fixed"
sim "$TMP/v1.csv" --scheme=delegate $io
sim "$TMP/v2.csv" --scheme=delegate-v2 $io
expect_eq "V1 and V2 with I/O: check" "$(col "$TMP/v1.csv" check):$(col "$TMP/v2.csv" check)" "ok:ok"
expect_awk "V1: some requester waited for most of an I/O (lat_max >= 5 ms)" \
    "$(col "$TMP/v1.csv" lat_max) >= 0.005"
expect_awk "V2: no requester waits for an I/O (lat_max < 1 ms)" "$(col "$TMP/v2.csv" lat_max) < 0.001"
expect_awk "V2: requesters ran ops on detached owners' objects" "$(col "$TMP/v2.csv" borrows) > 0"

# V4: when one thread does all accesses to objects another created, most delegations
# disappear (every access of both threads targets the other's objects).
mig="--threads=2 --cores=2 --ops=20000 --sharing=1 --access=0.5 --alloc=0"
sim "$TMP/m1.csv" --scheme=delegate $mig
sim "$TMP/m4.csv" --scheme=delegate-v4 $mig
expect_eq "V4: check" "$(col "$TMP/m4.csv" check)" ok
expect_awk "V4: delegations drop below 5% of V1's" \
    "$(col "$TMP/m4.csv" delegations) < 0.05 * $(col "$TMP/m1.csv" delegations)"
expect_awk "V4: objects migrated" "$(col "$TMP/m4.csv" migrations) > 0"

# The first-order formula of docs/schemes.md, delegate: with owners running their own code and light
# load, the simulated mean latency agrees within 10% (block and spin waiting, V3 notify).
light="--threads=2 --cores=2 --ops=2000000 --sharing=0.0005"
for args in "--wait=block --N=10" "--wait=block --N=100" "--wait=block --N=1000" \
            "--wait=spin --N=10" "--wait=spin --N=100" "--scheme=delegate-v3 --N=1000"; do
    sim "$TMP/l.csv" --scheme=delegate $light $args
    expect_awk "latency formula, $args: |lat_mean / lat_model - 1| < 0.1" \
        "$(col "$TMP/l.csv" lat_mean) / $(col "$TMP/l.csv" lat_model) > 0.9 && $(col "$TMP/l.csv" lat_mean) / $(col "$TMP/l.csv" lat_model) < 1.1"
done

# Spinning waiters see their op done sooner than sleeping ones.
sim "$TMP/wb.csv" --scheme=delegate --threads=4 --cores=4 --ops=20000 --sharing=0.1 --wait=block
sim "$TMP/ws.csv" --scheme=delegate --threads=4 --cores=4 --ops=20000 --sharing=0.1 --wait=spin
expect_awk "spin latency below block latency" \
    "$(col "$TMP/ws.csv" lat_mean) < $(col "$TMP/wb.csv" lat_mean)"
# V0 spinning waiters in a cycle are still reported as a deadlock (no endless spin).
sim "$TMP/sp.csv" --scheme=delegate-naive --threads=2 --cores=2 --ops=1000 --sharing=1 \
    --access=1 --alloc=0 --wait=spin
expect_eq "naive + spin, mutual delegation: deadlock reported" "$rc:$(col "$TMP/sp.csv" deadlock)" "3:1"

# Every variant completes a suite of workloads with every op run exactly once.
for s in delegate delegate-v2 delegate-v3 delegate-v4; do
    for args in "--sharing=0" "--sharing=0.05" "--sharing=0.5 --zipf=1.5" \
                "--sharing=0.2 --io=0.01 --io_ns=20000" "--sharing=0.3 --callback=0.3" \
                "--sharing=0.2 --wait=spin-block --spin_ns=2000" "--sharing=0.2 --queue=lifo" \
                "--threads=8 --cores=2 --sharing=0.1 --op_dist=lognormal" \
                "--threads=5 --cores=1 --sharing=0.1 --op_dist=exponential"; do
        case $args in *--threads=*) size= ;; *) size="--threads=4 --cores=4" ;; esac
        sim "$TMP/s.csv" --scheme=$s $size --ops=3000 $args # each parameter once
        expect_eq "$s $args" "$rc:$(col "$TMP/s.csv" deadlock):$(col "$TMP/s.csv" check)" "0:0:ok"
    done
done
# Each row says which scheme and preset ran, with its resolved knobs.
expect_eq "delegate-v2 row: scheme and knobs" \
    "$(row "$TMP/v2.csv" scheme serve handoff detach notify migrate queue)" \
    "delegate-v2 on on on off 0 fifo"
expect_eq "delegate-naive row: knobs" \
    "$(row "$TMP/n0.csv" scheme serve handoff detach notify migrate)" "delegate-naive off off off off 0"
# A batch cut (V4 migration) while ops were still pending from an earlier cut lost those ops:
# this point failed its check before the eval loop kept them (found by the native backend).
sim "$TMP/cut.csv" --scheme=delegate-v4 --threads=2 --cores=2 --ops=20000 --sharing=0.5 \
    --access=0.5 --seed=1
expect_eq "delegate-v4: a cut keeps the ops pending from an earlier cut" \
    "$rc:$(col "$TMP/cut.csv" check):$(col "$TMP/cut.csv" ops_done)" "0:ok:40000"
finish
