#!/usr/bin/env bash
# gilsim run --backend=native: every scheme on real threads completes
# small workloads with every op run exactly once; native deadlocks end with the simulator's
# report, a row and exit 3 instead of hanging; bad input is refused before anything is written.
# At most 2 cores and 4 threads: CI machines are small.
. "$(dirname "$0")/lib.sh"

k=$(nproc); [ "$k" -gt 2 ] && k=2
nat() { local out=$1; shift; sim "$out" --backend=native "$@"; }

# Every scheme, waiting blocked, spinning, and spinning then blocking, sharing objects (ideal only unshared: it is
# unsynchronised), one thread per core and two.
for s in $("$GILSIM" list | awk '{ print $1 }'); do
    [ "$s" = delegate-naive ] && continue # deadlocks by design: below
    share=0.1; [ "$s" = ideal ] && share=0
    # free-threading's optimistic item reads (ft_reads) are simulator-only: below.
    knobs=; [ "$s" = free-threading ] && knobs=--ft_reads=locked
    for w in block spin spin-block; do
        for t in $k $((2 * k)); do
            nat "$TMP/n.csv" --scheme=$s --wait=$w --threads=$t --cores=$k --ops=3000 \
                --sharing=$share --io=0.01 --io_ns=20000 $knobs
            expect_eq "native $s wait=$w threads=$t: status, deadlock, check, ops" \
                "$rc:$(col "$TMP/n.csv" deadlock):$(col "$TMP/n.csv" check):$(col "$TMP/n.csv" ops_done)" \
                "0:0:ok:$((3000 * t))"
        done
    done
done
nat "$TMP/naive.csv" --scheme=delegate-naive --threads=2 --cores=$k --ops=3000 --sharing=0
expect_eq "native delegate-naive unshared: ok" "$rc:$(col "$TMP/naive.csv" check)" "0:ok"
# Optimistic reads of plain objects would race a writer growing the list or dict under them
# (they lost read counts here before): refused natively, before any thread starts.
nat "$TMP/ft.csv" --scheme=free-threading --ft_reads=optimistic --threads=2 --cores=$k \
    --ops=3000 --sharing=0.3
expect_eq "native free-threading, optimistic reads: refused" "$rc:$([ -e "$TMP/ft.csv" ] && echo file)" "2:"
# Thread classes with different op counts: the longer streams are generated ahead whole.
nat "$TMP/cl.csv" --scheme=delegate --classes='cpu(count=1 ops=2000) io(count=1 ops=6000 io=0.1 io_ns=10000)' \
    --cores=$k --sharing=0.1
expect_eq "native classes: check, ops" "$rc:$(col "$TMP/cl.csv" check):$(col "$TMP/cl.csv" ops_done)" "0:ok:8000"
# delegate-v4 migrates objects under real concurrency: several seeds.
for seed in 1 2 3 4 5; do
    nat "$TMP/v4.csv" --scheme=delegate-v4 --threads=2 --cores=$k --ops=5000 --sharing=0.5 \
        --access=0.5 --seed=$seed
    expect_eq "native delegate-v4 seed $seed: check" "$rc:$(col "$TMP/v4.csv" check)" "0:ok"
done

# The row: the same columns as a simulated one, backend=native, wall-clock metrics.
sim "$TMP/s.csv" --scheme=delegate --threads=2 --cores=$k --ops=3000
expect_eq "native row has the simulator's header" "$(head -1 "$TMP/n.csv")" "$(head -1 "$TMP/s.csv")"
expect_eq "backend column" "$(col "$TMP/n.csv" backend):$(col "$TMP/s.csv" backend)" "native:sim"
expect_awk "native makespan is wall-clock: positive" "$(col "$TMP/n.csv" makespan) > 0"
expect_awk "native delegate delegated" "$(col "$TMP/v4.csv" delegations) > 0"

# Deadlocks: mutual delegation and an owner that exited (the simulator's cases, tests/cli/
# schemes.sh). The watchdog reports within a second or two; timeout 20 would end a hang.
mutual="--threads=2 --cores=$k --ops=1000 --sharing=1 --access=1 --alloc=0"
for w in block spin; do
    start=$(date +%s%N)
    timeout 20 "$GILSIM" run --backend=native --scheme=delegate-naive --wait=$w $mutual \
        -o "$TMP/m.csv" 2> "$TMP/m.err"
    rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    expect_eq "native naive mutual wait=$w: exit status 3" "$rc" 3
    expect_eq "native naive mutual wait=$w: row written, deadlock=1, check FAIL" \
        "$(col "$TMP/m.csv" deadlock):$(col "$TMP/m.csv" check)" "1:FAIL"
    if grep -Eq '^gilsim: deadlock: wait-for cycle: T([01]) -> T([01]) -> T\1$' "$TMP/m.err"; then
        ok "native naive mutual wait=$w: wait-for cycle printed"
    else
        bad "native naive mutual wait=$w: no wait-for cycle on stderr: $(cat "$TMP/m.err")"
    fi
    expect_awk "native naive mutual wait=$w: ended within 5 s ($ms ms)" "$ms < 5000"
done
exits="--threads=2 --cores=$k --ops=2000 --sharing=0.002 --N=100000 --seed=17"
timeout 20 "$GILSIM" run --backend=native --scheme=delegate-naive $exits -o "$TMP/e.csv" 2> "$TMP/e.err"
expect_eq "native naive: blocked on an exited owner, exit 3" "$?" 3
if grep -q "^gilsim: deadlock: T0 -> T1 (exited: nobody drains its queue)$" "$TMP/e.err"; then
    ok "native naive: exited owner named in the report"
else
    bad "native naive: exited owner not reported: $(cat "$TMP/e.err")"
fi
nat "$TMP/de.csv" --scheme=delegate $exits
expect_eq "native delegate: the exiting owner hands off" "$rc:$(col "$TMP/de.csv" check)" "0:ok"

# Bad input: one line naming the parameter, exit 2, nothing written.
nat "$TMP/bad.csv" --cores=$(($(nproc) + 1)) --threads=2
expect_eq "cores above the CPUs: exit 2" "$rc" 2
expect_eq "cores above the CPUs: the message" "$(cut -c1-14 "$TMP/bad.csv.err")" "gilsim: cores:"
[ -e "$TMP/bad.csv" ] && bad "cores above the CPUs: a file was written" || ok "nothing written"
nat "$TMP/bad.csv" --scheme=ideal --sharing=0.1 --threads=2 --cores=$k
expect_eq "ideal sharing natively: exit 2, sharing named" \
    "$rc:$(cut -c1-16 "$TMP/bad.csv.err")" "2:gilsim: sharing:"
nat "$TMP/bad.csv" --backend=native --threads=2 --cores=$k --cfg=contexts/stack-size:64
expect_eq "SimGrid options natively: exit 2" "$rc" 2
sim "$TMP/bad.csv" --backend=pthread
expect_eq "unknown backend: exit 2" "$rc" 2

# backend is an axis of sweeps like any parameter.
"$GILSIM" sweep --backend=sim,native --scheme=delegate,gil-interval --threads=2 --cores=$k \
    --ops=2000 -j 1 -o "$TMP/sw.csv" > /dev/null 2> "$TMP/sw.err"
expect_eq "sweep over backend: status" "$?" 0
expect_eq "sweep over backend: one row per point" \
    "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "backend") b = i; if ($i == "check") c = i } }
                NR > 1 { print $b "/" $c }' "$TMP/sw.csv" | sort | uniq -c | awk '{ print $1 $2 }' | tr '\n' ' ')" \
    "2native/ok 2sim/ok "

finish
