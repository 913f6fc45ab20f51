#!/usr/bin/env bash
# gilsim calibrate writes a calibration file that the spec reader parses, with exactly the
# expected keys (parameters as settings, the other measurements as comments), every value a
# positive number, and the wake-up samples beside it; --calibration makes its values the
# defaults of run and sweep (the rows equal runs given every value as a flag) and a flag wins;
# bad calibration files are one-line errors with exit 2.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

"$GILSIM" calibrate --reps=3 -o calib.ini 2> err.txt
expect_eq "calibrate exit status" "$?" 0

# The settings: these parameters, and those of the wake-up model where this gilsim has them.
want="alloc_ns cas_ns check_ns handler_ns handoff_ns loop_ns loop_entry_ns miss_1k_ns miss_4k_ns miss_16k_ns miss_64k_ns mutex_ns notice_ns pause_ns poll_ns pop_ns push_ns
signal_ns spin_rtt_ns wake_ns yield_ns sleep_ns"
comments="access_16_ns alloc_hot_ns alloc_none_ns alloc_run_ns busy_unit_ns handler_counter_ns handler_dict_ns handler_list_ns interrupt_latency_ns loop_mix_ns mutex_contended_ns owner_serve_ns
push_2producers_ns push_local_ns queue_rtt_ns sleep_overshoot_ns timedwait_default_slack_ns yield_alone_ns"
for k in timer_slack_ns wake_dist wake_samples cv_steal; do
    if "$GILSIM" params --markdown | grep -q "^| \`$k\`"; then want="$want $k"
    else comments="$comments $k"; fi
done
sorted() { tr ' ' '\n' | grep . | sort | tr '\n' ' '; }
got=$(grep -E '^[a-z_0-9]+ = ' calib.ini | cut -d' ' -f1 | sorted)
expect_eq "calibration keys" "$got" "$(echo $want | sorted)"
got=$(grep -E '^# [a-z_0-9]+ = ' calib.ini | cut -d' ' -f2 | sorted)
expect_eq "measurements kept as comments" "$got" "$(echo $comments | sorted)"
expect_eq "one [global] section" "$(grep -c '^\[' calib.ini) $(grep '^\[' calib.ini)" "1 [global]"
# notice_ns is a difference of two latencies (rt_work's less a hand-off), 0 when the hand-off
# came out longer on a loaded machine, and alloc_ns the difference of two runs' times (the runs themselves,
# alloc_run_ns and alloc_none_ns, are positive): a number >= 0.
bad=$(grep -E '^#? ?[a-z_0-9]+_ns = ' calib.ini |
      awk '{ v = $NF } !(v ~ /^[0-9]+(\.[0-9]+)?$/ && (v + 0 > 0 || $1 == "notice_ns" || $1 == "alloc_ns")) { print }')
expect_eq "every measured value is a positive number (notice_ns, alloc_ns: >= 0)" "$bad" ""
# The costs that depend on how many CPUs are busy: measured on both CPUs at once where this
# machine allows two, with the one-CPU value as a comment beside each (and none elsewhere).
ncpu=$(nproc)
if [ "$ncpu" -ge 2 ]; then
    for k in loop_ns loop_entry_ns handler_ns check_ns alloc_ns pop_ns mutex_ns pause_ns; do
        expect_eq "$k: measured on 2 CPUs, its one-CPU value beside it" \
            "$(grep -B3 "^$k = " calib.ini | grep -c -e 'measured with 2 CPUs busy at once' \
               -e 'with one CPU busy, the others idle: median [0-9.e+]*, spread')" 2
    done
    expect_eq "two-thread experiments: no one-CPU value" \
        "$(grep -B1 "^push_ns = " calib.ini | grep -c "one CPU busy")" 0
fi
for k in "machine: " "cores: " "kernel: "; do
    expect_eq "machine description: $k" "$(grep -c "^# $k" calib.ini)" 1
done
n=$(grep -vc '^#' calib.ini.wake)
expect_awk "wake-up samples written (one per wake-up: 100 per rep)" "$n == 300"
expect_eq "wake-up samples are whole numbers" \
    "$(grep -v '^#' calib.ini.wake | grep -vcE '^[0-9]+$')" 0

# --calibration: the values are defaults (the row equals one run with each value as a flag),
# and a flag still wins.
flags=$(grep -E '^[a-z_0-9]+ = ' calib.ini | awk '{ printf "--%s=%s ", $1, $3 }')
"$GILSIM" run --threads=2 --ops=3000 --sharing=0.1 --calibration=calib.ini -o a.csv
# shellcheck disable=SC2086
"$GILSIM" run --threads=2 --ops=3000 --sharing=0.1 $flags -o b.csv
expect_eq "run --calibration = run with every value as a flag" "$(cmp -s a.csv b.csv; echo $?)" 0
push=$(grep '^push_ns = ' calib.ini | awk '{ print $3 }')
# compared as numbers: the file writes four significant digits (81.90), the row the shortest
# form (81.9)
expect_awk "the row has the calibrated push_ns ($(col a.csv push_ns) = $push)" \
    "$(col a.csv push_ns) == $push"
"$GILSIM" run --threads=2 --ops=3000 --sharing=0.1 --push_ns=99 --calibration=calib.ini -o c.csv
# shellcheck disable=SC2086
"$GILSIM" run --threads=2 --ops=3000 --sharing=0.1 $(printf '%s\n' $flags | grep -v '^--push_ns=') \
    --push_ns=99 -o d.csv # each flag once: a repeated one is refused
expect_eq "a flag wins over the calibration (whole row)" "$(cmp -s c.csv d.csv; echo $?)" 0
expect_eq "a flag wins over the calibration (push_ns)" "$(col c.csv push_ns)" 99
expect_eq "the others stay calibrated" "$(col c.csv wake_ns)" "$(col a.csv wake_ns)"

# sweep --calibration: the same rows as run; a --PARAM=LIST and a spec file's value win.
"$GILSIM" sweep --threads=2 --ops=3000 --sharing=0.1 --calibration=calib.ini -j1 -o s.csv
expect_eq "sweep --calibration row = run --calibration row" "$(tail -1 s.csv)" "$(tail -1 a.csv)"
"$GILSIM" sweep --threads=2 --ops=3000 --sharing=0.1 --push_ns=99 --calibration=calib.ini \
    -j1 -o s2.csv
expect_eq "sweep: a list wins over the calibration" "$(tail -1 s2.csv)" "$(tail -1 c.csv)"
printf '[global]\nthreads = 2\nops = 3000\nsharing = 0.1\npush_ns = 99\n' > spec.ini
"$GILSIM" sweep spec.ini --calibration=calib.ini -j1 -o s3.csv
expect_eq "sweep: the spec file wins over the calibration" "$(tail -1 s3.csv)" "$(tail -1 c.csv)"

# Bad calibration files: one line, exit 2, nothing written.
printf '[global]\npush_ns = 1, 2\n' > two.ini
printf '[global]\n[other]\npush_ns = 1\n' > named.ini
printf '[global]\npush_ns = -1\n' > neg.ini
for f in two named neg missing; do
    "$GILSIM" run --calibration=$f.ini -o bad.csv 2> bad.txt
    rc=$?
    expect_eq "run --calibration=$f.ini: exit 2" "$rc" 2
    expect_eq "run --calibration=$f.ini: one line naming the file" \
        "$(wc -l < bad.txt) $(grep -c "$f.ini" bad.txt)" "1 1"
    expect_eq "run --calibration=$f.ini: nothing written" "$(ls bad.csv 2>/dev/null)" ""
done
"$GILSIM" sweep --threads=2 --calibration=two.ini -o bad.csv 2> bad.txt
expect_eq "sweep --calibration=two.ini: exit 2" "$?" 2
"$GILSIM" calibrate 2> bad.txt
expect_eq "calibrate without -o: exit 2" "$?" 2
"$GILSIM" calibrate --reps=0 -o x.ini 2> bad.txt
expect_eq "calibrate --reps=0: exit 2, one line" "$? $(wc -l < bad.txt)" "2 1"
for b in 0 5 x; do
    "$GILSIM" calibrate --busy=$b -o x.ini 2> bad.txt
    expect_eq "calibrate --busy=$b: exit 2, one line naming --busy" \
        "$? $(wc -l < bad.txt) $(grep -c -- --busy bad.txt)" "2 1 1"
done
expect_eq "calibrate: nothing written for bad arguments" "$(ls x.ini 2>/dev/null)" ""
finish
