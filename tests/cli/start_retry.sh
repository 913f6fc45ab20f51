#!/usr/bin/env bash
# Runs that cannot be started: sweep and validate start each run in a child process; when fork
# fails for want of resources (EAGAIN, ENOMEM: a machine full of processes) they try again (8
# tries in 2.5 s), and when it keeps failing they stop with one line naming the errno, exit 1,
# the results file holding whole rows only and no temporary files left; the same command then
# resumes. A machine out of processes is made by tests/cli/start_fail.c, preloaded into gilsim:
# it fails the first K forks (or all of them) with a chosen errno and logs every call.
# gnuplot, which validate starts to draw its figures, is started the same way. Skips (77) when
# that library cannot be built or loaded.
. "$(dirname "$0")/lib.sh"
src=$(cd "$(dirname "$0")" && pwd)/start_fail.c
cd "$TMP" || exit 1
# Decided before anything runs: the library builds with the C compiler and loads.
if ! "${CC:-cc}" -shared -fPIC -O1 -o "$TMP/start_fail.so" "$src" -ldl 2> cc.txt ||
   ! LD_PRELOAD="$TMP/start_fail.so" true 2>> cc.txt; then
    echo "SKIP: cannot build or load the preload library: $(head -c 300 cc.txt)"
    exit 77
fi
# An ASan build wants its runtime first in the library list; the preload comes before it.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
mkdir tmp
export TMPDIR="$TMP/tmp"

# failing K [NAME=VALUE...] GILSIM ARGS...: gilsim with K forks failing (-1: all), stderr to
# err.txt, status in $rc, the calls in log.txt.
failing() {
    local k=$1
    shift
    rm -rf cnt log.txt
    mkdir cnt
    env LD_PRELOAD="$TMP/start_fail.so" START_FAIL_COUNT="$k" START_FAIL_DIR="$TMP/cnt" \
        START_FAIL_LOG="$TMP/log.txt" "$@" 2> err.txt
    rc=$?
}
calls() { grep -c " fork $1\$" log.txt; }
# rows FILE: its data rows, sorted.
rows() { tail -n +2 "$1" | sort; }
leftovers() { ls -A tmp | wc -l; }

pts=(--scheme=ideal,delegate --threads=2 --cores=2 --ops=500 --sharing=0.05 --reps=2)
"$GILSIM" sweep "${pts[@]}" -j 2 -o ref.csv 2> /dev/null || bad "reference sweep failed"
expect_eq "reference: 4 rows" "$(rows ref.csv | wc -l)" 4

# 7 failed forks: the first run's 8th try starts it; every run once, rows as without failures.
failing 7 "$GILSIM" sweep "${pts[@]}" -j 2 -o r7.csv
expect_eq "7 forks fail: exit 0, no message" "$rc $(wc -l < err.txt)" "0 0"
expect_eq "7 forks fail: 7 failed calls, then 4 runs started" "$(calls fail) $(calls pass)" "7 4"
expect_eq "7 forks fail: the same 4 rows, each once" "$(rows r7.csv | md5sum)" \
    "$(rows ref.csv | md5sum)"
expect_eq "7 forks fail: no temporary files left" "$(leftovers)" 0

# ENOMEM is retried the same way.
failing 3 START_FAIL_ERRNO=12 "$GILSIM" sweep "${pts[@]}" -j 1 -o rn.csv
expect_eq "3 forks fail with ENOMEM: exit 0, the same 4 rows" "$rc $(rows rn.csv | md5sum)" \
    "0 $(rows ref.csv | md5sum)"

# Every fork fails: 8 tries of the first run, then one line naming the errno, exit 1, nothing
# else started, the results file a header only, no temporary files left.
failing -1 "$GILSIM" sweep "${pts[@]}" -j 2 -o rf.csv
expect_eq "no fork: exit 1, one line" "$rc $(wc -l < err.txt)" "1 1"
grep -qF "gilsim: sweep: stopped: a run could not be started: Resource temporarily unavailable (errno 11, tried 8 times in 2.5 s); 0 of 4 runs done" err.txt \
    && ok "no fork: the line names the errno and the tries" || bad "no fork: $(cat err.txt)"
expect_eq "no fork: 8 tries, no other run tried" "$(calls fail) $(calls pass)" "8 0"
expect_eq "no fork: a whole header, no row" "$(whole rf.csv) $(rows rf.csv | wc -l)" "1 0"
expect_eq "no fork: no temporary files left" "$(leftovers)" 0
"$GILSIM" sweep "${pts[@]}" -j 2 -o rf.csv 2> err2.txt
expect_eq "no fork, then the same command: exit 0, the same 4 rows, each once" \
    "$? $(rows rf.csv | md5sum)" "0 $(rows ref.csv | md5sum)"

# Forks fail after 2 runs started (-j 1): those 2 rows are kept, whole; the rerun adds the
# other 2, none twice.
failing -1 START_FAIL_SKIP=2 "$GILSIM" sweep "${pts[@]}" -j 1 -o rp.csv
expect_eq "forks fail after 2 runs: exit 1, one line, 2 of 4 done" \
    "$rc $(wc -l < err.txt) $(grep -c '; 2 of 4 runs done' err.txt)" "1 1 1"
expect_eq "forks fail after 2 runs: 2 whole rows" "$(whole rp.csv) $(rows rp.csv | wc -l)" "1 2"
"$GILSIM" sweep "${pts[@]}" -j 2 -o rp.csv 2> /dev/null
expect_eq "then the same command: the same 4 rows, each once" "$? $(rows rp.csv | md5sum)" \
    "0 $(rows ref.csv | md5sum)"

# An errno that more tries do not cure (EPERM) is reported after one try.
failing -1 START_FAIL_ERRNO=1 "$GILSIM" sweep "${pts[@]}" -j 2 -o re.csv
expect_eq "EPERM: exit 1, one line, one try" "$rc $(wc -l < err.txt) $(calls fail)" "1 1 1"
grep -qF "a run could not be started: Operation not permitted (errno 1); 0 of 4 runs done" \
    err.txt && ok "EPERM: named, no retries claimed" || bad "EPERM: $(cat err.txt)"

# validate: its simulated and native runs start the same way.
"$GILSIM" calibrate --reps=1 -o calib.ini 2> /dev/null || bad "calibrate failed"
loose=(--gate=median=1e9 --gate=scheme=1e9 --gate=p90=1e9 --gate=lat_mean=1e9
       --gate=lat_p99=1e9 --gate=in_range=0 --max-drift=1e6)
vpts=(--scheme=ideal --threads=2 --cores=2 --ops=2000 --sharing=0 --k=1 --native-k=2
      --calibration=calib.ini "${loose[@]}")
failing 5 "$GILSIM" validate "${vpts[@]}" -o v > /dev/null
expect_eq "validate, 5 forks fail: exit 0, 1 simulated + 2 native rows" \
    "$rc $(rows v/results.csv | wc -l) $(rows v/validation.csv | wc -l)" "0 3 1"
expect_eq "validate, 5 forks fail: 5 failed, 3 runs and 5 gnuplots started" \
    "$(calls fail) $(calls pass)" "5 8"
! grep -q "could not be started\|failed" err.txt && ok "validate, 5 forks fail: no failure said" \
    || bad "validate, 5 forks fail: $(cat err.txt)"
# Forks fail once the simulated run is done: the first native run is tried 8 times, then
# validate stops with the sweep's line and writes no verdict.
failing -1 START_FAIL_SKIP=1 "$GILSIM" validate "${vpts[@]}" -o vf > /dev/null
expect_eq "validate, no fork for native runs: exit 1, 8 tries, stopped once, no verdict" \
    "$rc $(calls fail) $(grep -c 'stopped: a run could not be started: Resource temporarily unavailable (errno 11' err.txt) $(ls vf/validation.csv 2>/dev/null | wc -l)" \
    "1 8 1 0"
expect_eq "validate, no fork for native runs: no native row, no temporary files" \
    "$(grep -c ',native,' vf/results.csv) $(leftovers)" "0 0"
# Forks fail once the runs are done: gnuplot cannot be started for the first figure; that is
# said with the errno (not as a gnuplot failure), and no verdict is written.
failing -1 START_FAIL_SKIP=3 "$GILSIM" validate "${vpts[@]}" -o vg > /dev/null
expect_eq "validate, no fork for gnuplot: exit 1, 8 tries, no verdict" \
    "$rc $(calls fail) $(ls vg/validation.csv 2>/dev/null | wc -l)" "1 8 0"
grep -qF "gnuplot could not be started to draw vg/.gilsim-validate." err.txt &&
    grep -qF "scatter-throughput.png: Resource temporarily unavailable (errno 11, tried 8 times in 2.5 s)" err.txt \
    && ok "validate, no fork for gnuplot: said with the errno" || bad "no fork for gnuplot: $(cat err.txt)"
expect_eq "validate, no fork for gnuplot: no working folder left" \
    "$(ls -A vg | grep -c '^\.gilsim-validate\.')" 0
finish
