#!/usr/bin/env bash
# Exact, failable facts about the GIL schemes gil-ticks, gil-interval and gil-pypy (issue 3):
# no parallel speedup for CPU-bound threads, gil-interval's I/O convoy of one switch interval,
# every scheme completing a suite of workloads, and rows naming the scheme and its parameters.
. "$(dirname "$0")/lib.sh"

schemes="gil-ticks gil-interval gil-pypy"

# tl_waits_after_io TIMELINE: the length (ns) of each gil-wait interval that begins where an io
# interval of the same thread ends (a thread returning from I/O and waiting for the GIL), sorted.
tl_waits_after_io() {
    awk -F, 'NR > 1 { if ($2 == "gil-wait" && prev[$1] == "io" && end[$1] == $3)
                          printf "%.0f\n", ($4 - $3) * 1e9
                      prev[$1] = $2; end[$1] = $4 }' "$1" | sort -g
}
# median / mean of a sorted column of numbers
median() {
    awk '{ a[NR] = $1 } END { print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }' "$1"
}
mean() { awk '{ s += $1 } END { printf "%.0f\n", s / NR }' "$1"; }

# 1. CPU-bound threads (no I/O, nothing shared) take turns: 4 threads on 4 cores finish no
#    sooner than on 1 core (within 10%), and every op ran once.
for s in $schemes; do
    cpu="--scheme=$s --threads=4 --ops=100000 --sharing=0 --io=0"
    sim "$TMP/c1.csv" $cpu --cores=1
    sim "$TMP/c4.csv" $cpu --cores=4
    expect_eq "$s CPU-bound: exit status and check on 1 and 4 cores" \
        "$rc:$(col "$TMP/c1.csv" check):$(col "$TMP/c4.csv" check)" "0:ok:ok"
    m1=$(col "$TMP/c1.csv" makespan)
    m4=$(col "$TMP/c4.csv" makespan)
    expect_awk "$s CPU-bound: makespan on 4 cores ($m4 s) within 10% of 1 core ($m1 s)" \
        "$m4 >= 0.9 * $m1 && $m4 <= 1.1 * $m1"
done

# 2. gil-interval convoy (SCHEMES.md 1.5): a thread back from I/O while the other thread runs
#    CPU-bound code waits one switch interval S for the GIL: its timed wait expires, it sets the
#    drop request, the holder drops at its next check point, and the waiter wakes. Two threads,
#    each running ~10 ms of CPU (40000 opcodes of 250 ns; the longer opcodes keep the run short)
#    between fixed 100 us I/Os, so at an I/O return the other thread almost always holds the
#    GIL. The wait after I/O is S + 2 wake_ns (timer wake-up, then the wake-up after the drop)
#    + up to breaker x op_ns (the holder reaching its check point) + signal_ns (the switch_cond
#    signal the new holder pays); it is shorter only when the other thread goes to I/O itself
#    first (probability 1 - exp(-S / 10 ms), 18% at S = 2 ms), hence the median, not the mean.
#    Doubling S doubles the wait: the medians differ by exactly S (up to the check-point phase).
convoy="--scheme=gil-interval --threads=2 --cores=2 --sharing=0 --access=0 --alloc=0 --op_ns=250
        --io=2.5e-5 --io_dist=fixed --io_ns=100000 --ops=1200000"
wake=11000 signal=1000 tchk=2500 # wake_ns, signal_ns, breaker x op_ns at the defaults above
for S in 1000000 2000000; do
    sim "$TMP/v$S.csv" $convoy --switch_ns=$S --timeline="$TMP/v$S.tl"
    expect_eq "gil-interval convoy S=$S: exit status and check" \
        "$rc:$(col "$TMP/v$S.csv" check)" "0:ok"
    tl_waits_after_io "$TMP/v$S.tl" > "$TMP/w$S"
    n=$(wc -l < "$TMP/w$S")
    med=$(median "$TMP/w$S")
    eval "med$S=$med"
    echo "   gil-interval S=$S ns: $n waits after I/O, median $med ns, mean $(mean "$TMP/w$S") ns"
    expect_awk "gil-interval convoy S=$S: at least 40 waits after I/O ($n)" "$n >= 40"
    expect_awk "gil-interval convoy S=$S: median wait after I/O ($med ns) is S + 2 wake_ns" \
        "$med >= $S + 2 * $wake && $med <= $S + 2 * $wake + $signal + $tchk + 100"
done
expect_awk "gil-interval convoy: doubling S adds S to the median wait" \
    "$med2000000 - $med1000000 >= 1000000 - $tchk && $med2000000 - $med1000000 <= 1000000 + $tchk"
expect_awk "gil-interval convoy: doubling S about doubles the median wait (ratio within 3% of 2)" \
    "$med2000000 / $med1000000 >= 1.94 && $med2000000 / $med1000000 <= 2.0"

# 3. Every scheme completes every workload of a small suite (sharing 0, 0.05, 0.5; without and
#    with I/O; without and with callbacks; 2, 5, 8 threads on 1, 2, 4 cores) with every op run
#    exactly once and no deadlock.
for s in $schemes; do
    fails=0 runs=0
    for sharing in 0 0.05 0.5; do
        for io in 0 0.01; do
            for cb in 0 0.3; do
                [ "$sharing" = 0 ] && [ "$cb" != 0 ] && continue # callbacks need foreign accesses
                for threads in 2 5 8; do
                    for cores in 1 2 4; do
                        args="--threads=$threads --cores=$cores --sharing=$sharing --io=$io"
                        args="$args --callback=$cb"
                        sim "$TMP/s.csv" --scheme=$s --ops=3000 $args
                        runs=$((runs + 1))
                        got="$rc:$(col "$TMP/s.csv" deadlock):$(col "$TMP/s.csv" check)"
                        got="$got:$(col "$TMP/s.csv" ops_done)"
                        want="0:0:ok:$((3000 * threads))"
                        if [ "$got" != "$want" ]; then
                            bad "$s $args: got $got, want $want"
                            fails=$((fails + 1))
                        fi
                    done
                done
            done
        done
    done
    expect_eq "$s: all $runs suite workloads: exit 0, deadlock 0, check ok, all ops" "$fails" 0
done

# 4. Each row names the scheme that ran and every parameter of it, as given.
params="--switch_ns=3000000 --reacq_ns=70 --yield_every=5000 --steal_ns=50000 --breaker=7 --N=50"
for s in $schemes; do
    sim "$TMP/r.csv" --scheme=$s --threads=3 --cores=2 --ops=5000 $params
    expect_eq "$s: row's scheme column" "$(col "$TMP/r.csv" scheme)" "$s"
    got=$(for p in switch_ns reacq_ns yield_every steal_ns breaker N; do
              printf '%s ' "$(col "$TMP/r.csv" $p)"
          done)
    expect_eq "$s: row's GIL parameters" "$got" "3000000 70 5000 50000 7 50 "
done

finish
