#!/usr/bin/env bash
# Exact, failable facts about the schemes on small workloads.
. "$(dirname "$0")/lib.sh"

# At sharing 0 nothing is delegated, and every op still runs exactly once.
for s in delegate delegate-naive; do
    sim "$TMP/s0.csv" --scheme=$s --threads=4 --cores=4 --ops=20000 --sharing=0
    expect_eq "$s sharing=0: exit status" "$rc" 0
    expect_eq "$s sharing=0: no delegations" "$(col "$TMP/s0.csv" delegations)" 0
    expect_eq "$s sharing=0: check" "$(col "$TMP/s0.csv" check)" ok
    expect_eq "$s sharing=0: all ops ran" "$(col "$TMP/s0.csv" ops_done)" 80000
done

# ideal on 4 cores is about 4x faster than on 1 core (4 threads).
sim "$TMP/i1.csv" --scheme=ideal --threads=4 --cores=1 --ops=50000
sim "$TMP/i4.csv" --scheme=ideal --threads=4 --cores=4 --ops=50000
speedup=$(awk -v a="$(col "$TMP/i1.csv" makespan)" -v b="$(col "$TMP/i4.csv" makespan)" \
    'BEGIN { print a / b }')
expect_awk "ideal speedup 1 -> 4 cores is about 4" "$speedup > 3.9 && $speedup <= 4.0001"
# ... and 2 threads on 4 cores gain nothing over 2 cores.
sim "$TMP/i22.csv" --scheme=ideal --threads=2 --cores=2 --ops=50000
sim "$TMP/i24.csv" --scheme=ideal --threads=2 --cores=4 --ops=50000
expect_eq "ideal: cores beyond threads do not help" \
    "$(col "$TMP/i22.csv" makespan)" "$(col "$TMP/i24.csv" makespan)"

# Mutual delegation: two threads whose every op is a foreign access. delegate-naive deadlocks
# at once, reports the cycle and exits 3; delegate completes with every op run exactly once.
mutual="--threads=2 --cores=2 --ops=1000 --sharing=1 --access=1 --alloc=0"
sim "$TMP/naive.csv" --scheme=delegate-naive $mutual
expect_eq "naive mutual: exit status 3" "$rc" 3
expect_eq "naive mutual: deadlock column" "$(col "$TMP/naive.csv" deadlock)" 1
expect_eq "naive mutual: check fails (ops never ran)" "$(col "$TMP/naive.csv" check)" FAIL
if grep -Eq '^gilsim: deadlock: wait-for cycle: T([01]) -> T([01]) -> T\1$' "$TMP/naive.csv.err"; then
    ok "naive mutual: wait-for cycle printed"
else
    bad "naive mutual: no wait-for cycle on stderr: $(cat "$TMP/naive.csv.err")"
fi
expect_awk "naive mutual: deadlock found before 1 ms of simulated time" \
    "$(col "$TMP/naive.csv" makespan) < 0.001"
sim "$TMP/v1.csv" --scheme=delegate $mutual
expect_eq "delegate mutual: exit status" "$rc" 0
expect_eq "delegate mutual: no deadlock" "$(col "$TMP/v1.csv" deadlock)" 0
expect_eq "delegate mutual: check" "$(col "$TMP/v1.csv" check)" ok
expect_eq "delegate mutual: every op delegated" "$(col "$TMP/v1.csv" delegations)" 2000
expect_eq "delegate mutual: every delegation served" "$(col "$TMP/v1.csv" served)" 2000

# An owner that exits: with the naive scheme a requester waits forever on the exited owner;
# delegate hands the objects off (takeovers > 0) and completes.
# Seed 17: T0 makes one foreign access, T1 none; with N beyond the stream T1 never drains.
exits="--threads=2 --cores=2 --ops=2000 --sharing=0.002 --N=100000 --seed=17"
sim "$TMP/ne.csv" --scheme=delegate-naive $exits
expect_eq "naive: blocked on an exited owner" "$rc" 3
if grep -q "^gilsim: deadlock: T0 -> T1 (exited: nobody drains its queue)$" "$TMP/ne.csv.err"; then
    ok "naive: exited owner named in the report"
else
    bad "naive: exited owner not reported: $(cat "$TMP/ne.csv.err")"
fi
sim "$TMP/de.csv" --scheme=delegate $exits
expect_eq "delegate: completes" "$rc" 0
expect_eq "delegate: check" "$(col "$TMP/de.csv" check)" ok
expect_eq "delegate: the exiting owner served the request" "$(col "$TMP/de.csv" served)" 1
# Threads that finish while others still use their objects: those objects are taken over.
sim "$TMP/to.csv" --scheme=delegate --threads=2 --cores=2 --ops=2000 --sharing=0.5 --access=0.5 --seed=3
expect_eq "delegate takeover: check" "$rc:$(col "$TMP/to.csv" check)" "0:ok"
expect_awk "delegate: objects taken over from the exited owner" "$(col "$TMP/to.csv" takeovers) > 0"

# delegate completes a spread of workloads with every op run exactly once.
for args in "--threads=8 --cores=2 --sharing=0.3 --N=7" "--threads=3 --cores=8 --sharing=0.9 --N=1" \
            "--threads=16 --cores=4 --sharing=0.05 --N=1000 --write=1" \
            "--threads=5 --cores=5 --sharing=0.5 --alloc=0.2 --access=0.7 --seed=42"; do
    sim "$TMP/w.csv" --scheme=delegate --ops=3000 $args
    expect_eq "delegate $args: ok" "$rc:$(col "$TMP/w.csv" deadlock):$(col "$TMP/w.csv" check)" "0:0:ok"
done

# Latency grows with N: the owner polls less often (light load, 2 threads on 2 cores).
sim "$TMP/n10.csv" --scheme=delegate --threads=2 --cores=2 --ops=20000 --sharing=0.01 --N=10
sim "$TMP/n1000.csv" --scheme=delegate --threads=2 --cores=2 --ops=20000 --sharing=0.01 --N=1000
expect_awk "delegate: latency at N=1000 exceeds latency at N=10" \
    "$(col "$TMP/n1000.csv" lat_mean) > $(col "$TMP/n10.csv" lat_mean)"

finish
