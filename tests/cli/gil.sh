#!/usr/bin/env bash
# Exact, failable facts about the GIL schemes gil-ticks, gil-interval and gil-pypy:
# no parallel speedup for CPU-bound threads and how each scheme hands the GIL over (switches,
# futile wake-ups, handoffs, parks), gil-interval's switch rate and its I/O convoy of one switch
# interval, gil-pypy's early poll, every scheme completing a suite of workloads, and rows naming
# the scheme and its parameters.
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
    awk '{ a[NR] = $1 }
         END { m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
               if (m == int(m)) printf "%d\n", m; else printf "%.1f\n", m }' "$1"
}
mean() { awk '{ s += $1 } END { printf "%.0f\n", s / NR }' "$1"; }

# counters FILE: the row's switches, futile_wakeups, handoffs and parks, space-separated.
counters() {
    echo "$(col "$1" switches) $(col "$1" futile_wakeups) $(col "$1" handoffs) $(col "$1" parks)"
}

# 1. CPU-bound threads (no I/O, nothing shared) take turns: 4 threads on 4 cores finish no
#    sooner than on 1 core (within 10%; gil-ticks may be slower on 4 cores), and every op ran
#    once. How the GIL changes hands, on
#    either core count (sw = switches, fu = futile wake-ups, ho = handoffs, pk = parks):
#    - gil-ticks (docs/schemes.md, gil-ticks): a release wakes a sleeper every N ticks, which runs a drawn
#      wake-up latency later and mostly finds the lock re-taken (the lock is free only while the
#      releaser pays signal_ns and reacq_ns: ~30% of a tick period here; on 1 core the OS
#      scheduler makes the waiter wait for the holder's time slice to end): futile wake-ups
#      outnumber switches on 4 cores (on 1 core the holder's preemption makes most switches),
#      and every sleep ends either futile or in a switch. (With a fixed
#      wake_ns every wake-up lands at the same phase: all futile or all switches.)
#    - gil-interval: each thread's 100000 opcodes (~2.9 ms) take less than one switch interval
#      (5 ms), and a waiter whose interval expires after a switch restarts a full one
#      (docs/schemes.md, gil-interval), so nobody is ever preempted: the only switches are the 3 at thread exits.
#    - gil-pypy: every switch is a yield's handoff to the stealer (one per yield_every = 10000
#      opcodes of the 400000, the last few with nobody waiting), except the 3 at thread exits,
#      where the stealer steals the released GIL; the stealer is only ever woken with mutex_gil
#      free, so no wake-up is futile.
for s in $schemes; do
    cpu="--scheme=$s --threads=4 --ops=100000 --sharing=0 --io=0"
    sim "$TMP/c1.csv" $cpu --cores=1
    sim "$TMP/c4.csv" $cpu --cores=4
    expect_eq "$s CPU-bound: exit status and check on 1 and 4 cores" \
        "$rc:$(col "$TMP/c1.csv" check):$(col "$TMP/c4.csv" check)" "0:ok:ok"
    m1=$(col "$TMP/c1.csv" makespan)
    m4=$(col "$TMP/c4.csv" makespan)
    if [ "$s" = gil-ticks ]; then
        # Each release that wakes a sleeper costs the holder signal_ns, and on 4 cores three
        # sleepers are woken in turn: more cores, more wasted wake-ups, no faster (Beazley's
        # "multicore is slower", docs/schemes.md, gil-ticks).
        expect_awk "$s CPU-bound: makespan on 4 cores ($m4 s) no sooner than on 1 core ($m1 s)" \
            "$m4 >= 0.9 * $m1"
    else
        expect_awk "$s CPU-bound: makespan on 4 cores ($m4 s) within 10% of 1 core ($m1 s)" \
            "$m4 >= 0.9 * $m1 && $m4 <= 1.1 * $m1"
    fi
    for c in 1 4; do
        read -r sw fu ho pk <<< "$(counters "$TMP/c$c.csv")"
        echo "   $s CPU-bound, cores=$c: switches $sw, futile wake-ups $fu, handoffs $ho, parks $pk"
        case $s in
        gil-ticks)
            expect_awk "$s CPU-bound, cores=$c: switches ($sw) >= 3" "$sw >= 3"
            [ $c = 4 ] && expect_awk "$s CPU-bound, cores=4: futile wake-ups ($fu) > switches ($sw)" \
                "$fu > $sw"
            # every park ends futile or in a switch; a thread that finds the lock free in a
            # release window (or, on 1 core, given the core while the preempted holder had it
            # free) switches without parking
            expect_awk "$s CPU-bound, cores=$c: futile wake-ups <= parks <= futile + switches" \
                "$fu <= $pk && $pk <= $fu + $sw && $ho == 0"
            ;;
        gil-interval)
            expect_eq "$s CPU-bound, cores=$c: switches (only at exits), futile, handoffs" \
                "$sw:$fu:$ho" "3:0:0"
            ;;
        gil-pypy)
            expect_eq "$s CPU-bound, cores=$c: switches = handoffs + 3 exits, no futile wake-up" \
                "$sw:$fu" "$((ho + 3)):0"
            expect_awk "$s CPU-bound, cores=$c: one handoff per yield_every opcodes ($ho)" \
                "$ho >= 400000 / 10000 - 4 && $ho <= 400000 / 10000"
            ;;
        esac
    done
done

# Sections 1b to 2b check gil-interval's mechanics against closed forms in wake_ns: they fix the
# OS model (every wake-up exactly wake_ns, timers exact) instead of drawing it (wake_dist).
exact="--wake_dist=fixed --timer_slack_ns=0"

# 1b. gil-interval, 2 CPU-bound threads on 2 cores: the GIL changes hands once a period of
#     S + 3 wake_ns + signal_ns (+ up to breaker x op_ns until the holder's check point): the
#     waiter's interval S starts once it has woken from the switch_cond wait (wake_ns), it wakes
#     from the timeout (wake_ns) and sets the drop request, the holder drops (signal_ns) and the
#     waiter wakes (wake_ns). So switches ~ makespan / S, to within those wake-ups.
for S in 200000 1000000; do
    sim "$TMP/i$S.csv" --scheme=gil-interval --threads=2 --cores=2 --ops=400000 --sharing=0 \
        --io=0 --switch_ns=$S $exact
    sw=$(col "$TMP/i$S.csv" switches)
    mk=$(col "$TMP/i$S.csv" makespan)
    want=$(awk -v m="$mk" -v s=$S 'BEGIN { printf "%.1f", m * 1e9 / (s + 3 * 11000 + 1000) }')
    echo "   gil-interval 2 threads S=$S ns: $sw switches in $mk s;" \
        "makespan / S = $(awk -v m="$mk" -v s=$S 'BEGIN { printf "%.1f", m * 1e9 / s }')"
    expect_eq "gil-interval 2 threads S=$S: exit status, check" \
        "$rc:$(col "$TMP/i$S.csv" check)" "0:ok"
    expect_awk "gil-interval 2 threads S=$S: switches ($sw) = makespan / (S + 3 wake + signal)" \
        "$sw >= $want - 2 && $sw <= $want + 2"
done

# 2. gil-interval convoy (docs/schemes.md, gil-interval): a thread back from I/O while the other thread runs
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
        --io=2.5e-5 --io_dist=fixed --io_ns=100000 --ops=1200000 $exact"
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

# 2b. The textbook convoy (docs/schemes.md, gil-interval: "every I/O return can cost up to interval"): thread
#     0 is I/O-bound (1000 opcodes, ~30 us of CPU, between fixed 100 us I/Os: --io_threads=1),
#     thread 1 CPU-bound. Thread 1 holds the GIL at each of thread 0's I/O returns (it took the
#     GIL wake_ns after thread 0's drop), so EVERY wait after I/O while thread 1 runs is
#     S + 2 wake_ns + signal_ns + up to breaker x op_ns (the wait of section 2, without the
#     exceptions), and the wait grows linearly with S: each doubling adds exactly S. Each I/O
#     cycle is two switches (thread 1 forced off, thread 0 dropping for its next I/O). The last
#     wait, cut short by thread 1's exit, is the one exception allowed.
# The holder reaches its check point within breaker opcodes, each op_ns plus at most an
# allocation (alloc_ns 50) or an access's handler (9.9): breaker x (op_ns + alloc_ns).
tchk=750
textbook="--scheme=gil-interval --threads=2 --cores=2 --io_threads=1 --io=1e-3 --io_dist=fixed
          --io_ns=100000 --sharing=0 --ops=2400000 $exact"
prev=
for S in 500000 1000000 2000000; do
    sim "$TMP/t$S.csv" $textbook --switch_ns=$S --timeline="$TMP/t$S.tl"
    expect_eq "textbook convoy S=$S: exit status and check" "$rc:$(col "$TMP/t$S.csv" check)" "0:ok"
    tl_waits_after_io "$TMP/t$S.tl" > "$TMP/tw$S"
    n=$(wc -l < "$TMP/tw$S")
    # + 150: the mutex_ns and cas_ns pairs on the path (the check-point phase shifts with the
    # wake-up that now ends each I/O; up to 102 ns seen)
    lo=$((S + 2 * wake)) hi=$((S + 2 * wake + signal + tchk + 150))
    inband=$(awk -v lo=$lo -v hi=$hi '$1 >= lo && $1 <= hi' "$TMP/tw$S" | wc -l)
    med=$(median "$TMP/tw$S")
    sw=$(col "$TMP/t$S.csv" switches)
    echo "   textbook convoy S=$S ns: $n waits after I/O, median $med ns, mean" \
        "$(mean "$TMP/tw$S") ns, $inband in [S + 2 wake, + signal + breaker op_ns]; $sw switches"
    expect_awk "textbook convoy S=$S: at least 30 waits after I/O ($n)" "$n >= 30"
    expect_awk "textbook convoy S=$S: every wait after I/O but the last is S + 2 wake_ns" \
        "$inband >= $n - 1"
    expect_awk "textbook convoy S=$S: two switches per I/O cycle ($sw, $n waits)" \
        "$sw >= 2 * $n - 2 && $sw <= 2 * $n + 2"
    if [ -n "$prev" ]; then
        expect_awk "textbook convoy: S $((S / 2)) -> $S adds S/2 to the median wait" \
            "$med - $prev >= $S / 2 - $tchk && $med - $prev <= $S / 2 + $tchk"
    fi
    prev=$med
done

# 2c. gil-pypy's early poll (docs/schemes.md, gil-pypy): n+1 PAUSEs of pause_ns each, where a thread
#     entering the slow path may catch a GIL released for I/O before it queues; spin_ns plays
#     no part. Without a poll (pause_ns=0) more threads queue on mutex_gil_stealer (parks).
pp="--scheme=gil-pypy --threads=4 --cores=4 --ops=20000 --io=0.01"
sim "$TMP/p.csv" $pp
sim "$TMP/ps.csv" $pp --spin_ns=1
sim "$TMP/p0.csv" $pp --pause_ns=0
metrics() { tail -1 "$1" | cut -d, -f"$(head -1 "$1" | tr , '\n' | grep -n '^makespan$' | cut -d: -f1)"-; }
expect_eq "gil-pypy: spin_ns changes nothing (same metrics)" "$(metrics "$TMP/ps.csv")" \
    "$(metrics "$TMP/p.csv")"
expect_awk "gil-pypy: no early poll (pause_ns=0) parks more than twice as often" \
    "$(col "$TMP/p0.csv" parks) > 2 * $(col "$TMP/p.csv" parks)"

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
params="--switch_ns=3000000 --reacq_ns=70 --yield_every=5000 --steal_ns=50000 --breaker=7 --N=50
        --pause_ns=40"
for s in $schemes; do
    sim "$TMP/r.csv" --scheme=$s --threads=3 --cores=2 --ops=5000 $params
    expect_eq "$s: row's scheme column" "$(col "$TMP/r.csv" scheme)" "$s"
    got=$(for p in switch_ns reacq_ns yield_every steal_ns breaker N pause_ns; do
              printf '%s ' "$(col "$TMP/r.csv" $p)"
          done)
    expect_eq "$s: row's GIL parameters" "$got" "3000000 70 5000 50000 7 50 40 "
done

finish
