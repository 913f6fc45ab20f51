#!/usr/bin/env bash
# The free-threading scheme (CPython 3.13+ without the GIL, a PyMutex per object): it scales
# when nothing is shared, completes a workload suite, pays for contention, and hands a contended
# lock directly to a parked waiter exactly when the waiter has waited longer than fair_ns
# (read from the parks/handoffs/futile_wakeups columns and, independently, from the timeline).
. "$(dirname "$0")/lib.sh"

ft=--scheme=free-threading
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { print a / b }'; }

# Scaling, CPU-bound, nothing shared: 4 threads on 4 cores against 1 core. Every access is to
# an object no other thread can reach, so there is no lock wait at all (no gil-wait interval,
# lock_wait_share 0, no park).
for s in free-threading ideal; do
    sim "$TMP/c1.csv" --scheme=$s --threads=4 --cores=1 --ops=50000 --sharing=0
    sim "$TMP/c4.csv" --scheme=$s --threads=4 --cores=4 --ops=50000 --sharing=0 \
        --timeline="$TMP/c4.tl"
    expect_eq "$s sharing=0: exit status and check" "$rc:$(col "$TMP/c4.csv" check)" "0:ok"
    speedup=$(ratio "$(col "$TMP/c1.csv" makespan)" "$(col "$TMP/c4.csv" makespan)")
    expect_awk "$s sharing=0: speedup 1 -> 4 cores >= 3.5" "$speedup >= 3.5"
done
expect_eq "free-threading sharing=0: no thread ever waits for a lock (gil-wait intervals)" \
    "$(grep -c ',gil-wait,' "$TMP/c4.tl")" 0
expect_eq "free-threading sharing=0: lock_wait_share, parks, handoffs" \
    "$(col "$TMP/c4.csv" lock_wait_share):$(col "$TMP/c4.csv" parks):$(col "$TMP/c4.csv" handoffs)" \
    "0:0:0"
# Each access batched lock-free is charged an uncontended lock + unlock (access_ns = mutex_ns;
# with ft_reads=locked, reads too): with nothing shared, a thread's run is its own, so the same
# run with mutex_ns=0 is shorter by ops x access x mutex_ns = 50000 x 0.2 x 4.1 ns = 41 us (up to
# the random number of accesses).
sim "$TMP/m.csv" $ft --threads=4 --cores=4 --ops=50000 --sharing=0 --ft_reads=locked
sim "$TMP/m0.csv" $ft --threads=4 --cores=4 --ops=50000 --sharing=0 --mutex_ns=0 --ft_reads=locked
d=$(awk -v a="$(col "$TMP/m.csv" makespan)" -v b="$(col "$TMP/m0.csv" makespan)" \
        'BEGIN { printf "%.0f", (a - b) * 1e9 }')
expect_awk "free-threading sharing=0: the batched locks cost ~ 50000 x 0.2 x mutex_ns ($d ns)" \
    "$d >= 0.9 * 50000 * 0.2 * 4.1 && $d <= 1.1 * 50000 * 0.2 * 4.1"

# A suite it completes with every op run exactly once and no deadlock: shared hot objects
# (Zipf 1.5), with and without I/O, callbacks (two-object critical sections), and more threads
# than cores.
for tc in "2 1" "5 2" "8 4"; do
    set -- $tc
    for sharing in 0 0.05 0.5 1; do
        for io in 0 0.01; do
            sim "$TMP/w.csv" $ft --threads=$1 --cores=$2 --ops=3000 --sharing=$sharing --zipf=1.5 \
                --io=$io
            expect_eq "threads=$1 cores=$2 sharing=$sharing io=$io: exit:deadlock:check" \
                "$rc:$(col "$TMP/w.csv" deadlock):$(col "$TMP/w.csv" check)" "0:0:ok"
        done
    done
    for cb in 0.3 1; do
        sim "$TMP/w.csv" $ft --threads=$1 --cores=$2 --ops=3000 --sharing=1 --zipf=1.5 \
            --callback=$cb
        expect_eq "threads=$1 cores=$2 sharing=1 callback=$cb: exit:deadlock:check" \
            "$rc:$(col "$TMP/w.csv" deadlock):$(col "$TMP/w.csv" check)" "0:0:ok"
    done
done

# Contention costs: 4 threads, every access foreign, Zipf 2 (most accesses hit the four
# objects of rank 0). A failed fast-path CAS costs at least ft_spins x yield_ns = 40 us of
# spinning, the work of ~1400 opcodes (28.6 ns each here), while a hot lock is held ~10% of the
# time: throughput falls below half of the unshared run (measured: 0.30). ideal on the same
# workload keeps its throughput (measured: 1.03 of free-threading unshared): the loss is the
# locks'.
hot="--threads=4 --cores=4 --ops=20000 --sharing=1 --zipf=2 --seed=4"
sim "$TMP/s0.csv" $ft --threads=4 --cores=4 --ops=20000 --sharing=0
sim "$TMP/s1.csv" $ft $hot
sim "$TMP/i1.csv" --scheme=ideal $hot
expect_eq "contended: check" "$(col "$TMP/s1.csv" check)" ok
expect_awk "contended: throughput below half the unshared one" \
    "$(ratio "$(col "$TMP/s1.csv" throughput)" "$(col "$TMP/s0.csv" throughput)") < 0.5"
expect_awk "ideal on the contended workload: within 10% of free-threading unshared" \
    "$(ratio "$(col "$TMP/i1.csv" throughput)" "$(col "$TMP/s0.csv" throughput)") > 0.9"
# Where the time goes: threads spend most of it in the 40 us spin phase (gil-wait), which
# outlasts every hold of a hot lock, so nobody parks.
expect_awk "contended: most thread time waits for a lock (lock_wait_share)" \
    "$(col "$TMP/s1.csv" lock_wait_share) > 0.5"
expect_eq "contended: the spins outlast every hold (no park)" "$(col "$TMP/s1.csv" parks)" 0

# Direct handoff. Four threads hammer hot objects (every op an access, Zipf 10); yield_ns=100
# makes the spin phase 4 us. fair_ns=0: every unlock with a parked waiter hands the lock over
# (each has waited > 0), so every park ends in a handoff (handoffs = parks) and no wake-up is
# futile. fair_ns=1e12: no handoff at all; a woken waiter competes again, and may park anew
# (a futile wake-up). The timeline shows the same independently: a gil-wait interval of at
# least wake_ns (11 us, fixed here) is one that parked (one that did not lasts the spins plus a few CASes),
# so there are as many of them as parks; a waiter woken without the lock starts a new gil-wait
# interval, a waiter handed the lock goes on running. Handing the lock to a thread that still
# needs wake_ns to run leaves the hot lock idle meanwhile: the convoy makes fair_ns=0 far
# slower.
parks() { # parks TIMELINE: parked intervals, then how many were followed by running, gil-wait
    awk -F, -v min=11e-6 'NR > 1 && $1 == t && s == "gil-wait" && len >= min {
                              n++; r += $2 == "running"; g += $2 == "gil-wait" }
                          NR > 1 { t = $1; s = $2; len = $4 - $3 }
                          END { print n + 0, r + 0, g + 0 }' "$1"
}
fair="--threads=4 --cores=4 --ops=5000 --sharing=1 --access=1 --alloc=0 --zipf=10 --write=1
      --op_dist=exponential --yield_ns=100 --wake_ns=11000 --wake_dist=fixed"
sim "$TMP/f0.csv" $ft $fair --fair_ns=0 --timeline="$TMP/f0.tl"
expect_eq "fair_ns=0: exit status and check" "$rc:$(col "$TMP/f0.csv" check)" "0:ok"
sim "$TMP/fx.csv" $ft $fair --fair_ns=1e12 --timeline="$TMP/fx.tl"
expect_eq "fair_ns=1e12: exit status and check" "$rc:$(col "$TMP/fx.csv" check)" "0:ok"
pk=$(col "$TMP/f0.csv" parks)
expect_awk "fair_ns=0: threads parked ($pk)" "$pk >= 100"
expect_eq "fair_ns=0: handoffs = parks, no futile wake-up" \
    "$(col "$TMP/f0.csv" handoffs):$(col "$TMP/f0.csv" futile_wakeups)" "$pk:0"
read -r n r g <<< "$(parks "$TMP/f0.tl")"
expect_eq "fair_ns=0: timeline: one long gil-wait per park, each ending running (handoff)" \
    "$n:$r:$g" "$pk:$pk:0"
pk=$(col "$TMP/fx.csv" parks)
fu=$(col "$TMP/fx.csv" futile_wakeups)
expect_awk "fair_ns=1e12: threads parked ($pk)" "$pk >= 5"
expect_eq "fair_ns=1e12: no handoff" "$(col "$TMP/fx.csv" handoffs)" 0
expect_awk "fair_ns=1e12: futile wake-ups ($fu) at most parks - 1" "$fu < $pk"
read -r n r g <<< "$(parks "$TMP/fx.tl")"
expect_eq "fair_ns=1e12: timeline: one long gil-wait per park, each competing again" \
    "$n:$r:$g" "$pk:0:$pk"
expect_awk "fair_ns=0: the handoff convoy is over 10x slower" \
    "$(ratio "$(col "$TMP/f0.csv" makespan)" "$(col "$TMP/fx.csv" makespan)") > 10"

finish
