#!/usr/bin/env bash
# Validates gil-interval against real CPython on this machine: runs the classic convoy
# experiments (convoy.py) on Debian's /usr/bin/python3, as users run it (the normal scheduler),
# every point `reps` times; calibrates gilsim's op_ns and io_ns from the two calibration
# points; runs the same experiments through gilsim (gil-interval, thread classes); and writes
# DIR/real.csv (every real repetition), DIR/sim.csv (the simulated value of each point),
# DIR/sim-*.csv (gilsim's rows), DIR/table.md (table.py: the real median and range, gilsim and
# the first-order formula with their errors) and DIR/run.txt (how it ran: load averages, wall
# times). See docs/validation-cpython.md.
# Usage: bash validate/cpython/run.sh -o DIR [--quick] [--reps=N] [--priority | --realtime]
#        [--calibration=FILE]
# --quick: short durations and 2 repetitions (the test's size; numbers are not meaningful).
# --reps=N: repetitions of every real point (default 5; 1..100).
# --priority: run CPython under `nice -n -15` (root only); --realtime: under `chrt -r 10`
# (SCHED_RR, root only). Neither is how users run Python: the headline uses neither. Linux
# throttles real-time threads that use more than sched_rt_runtime_us (0.95 s) of a CPU in one
# sched_rt_period_us (1 s), so --realtime measures each point in runs of 0.6 s with 0.5 s pauses.
# --calibration=FILE: gilsim's runs take this machine's measured costs (gilsim calibrate: its
# wake-up samples, timer slack, ...) as defaults; without it, the parameter table's defaults.
# The timer slack is the one a CPython thread has: the calibration's timed-wait overshoot with
# Linux's default slack (its comment timedwait_default_slack_ns), not timer_slack_ns, which is
# measured with the native backend's own 1 ns slack.
# With --calibration, DIR/calibration.ini is a copy of FILE, for the record.
# DIR is made if missing; an existing DIR must be empty or hold an earlier run of this script
# (its run.txt), whose files are replaced.
# Environment: GILSIM (default build/gilsim), PYTHON (default /usr/bin/python3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage="usage: run.sh -o DIR [--quick] [--reps=N] [--priority | --realtime] [--calibration=FILE]"
out="" quick=0 prio=() calib=() realtime=0 sched=normal reps=""
args="$*"
while [ $# -gt 0 ]; do
    case "$1" in
    -o) [ $# -ge 2 ] || { echo "run.sh: -o: missing directory ($usage)" >&2; exit 2; }
        out=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    --reps=*) reps=${1#--reps=}
        case "$reps" in
        [1-9] | [1-9][0-9] | 100) ;;
        *) echo "run.sh: --reps: '$reps' is not a whole number from 1 to 100" >&2; exit 2 ;;
        esac
        shift ;;
    --priority) prio=(nice -n -15); sched=priority; shift ;;
    --realtime) prio=(chrt -r 10); realtime=1; sched=realtime; shift ;;
    --calibration=*) calib=("$1"); shift ;;
    *) echo "run.sh: unexpected argument '$1' ($usage)" >&2; exit 2 ;;
    esac
done
[ -n "$out" ] || { echo "run.sh: -o DIR is required ($usage)" >&2; exit 2; }
if [ -e "$out" ] || [ -L "$out" ]; then
    [ -d "$out" ] && [ ! -L "$out" ] || {
        echo "run.sh: -o: '$out' exists and is not a directory" >&2; exit 2; }
    if [ -n "$(ls -A "$out")" ] && ! head -n 1 "$out/run.txt" 2>/dev/null |
        grep -qx '# validate/cpython/run.sh'; then
        echo "run.sh: -o: '$out' is not empty and holds no earlier run of run.sh (run.txt);" \
            "give an empty or new directory" >&2
        exit 2
    fi
fi
slack=()
if [ ${#calib[@]} -gt 0 ]; then
    cfile=${calib[0]#--calibration=}
    [ -r "$cfile" ] || { echo "run.sh: --calibration: cannot read '$cfile'" >&2; exit 2; }
    v=$(awk '$1 == "#" && $2 == "timedwait_default_slack_ns" && $3 == "=" { print $4 }' "$cfile")
    if [ -n "$v" ]; then slack=(--timer_slack_ns="$v"); fi
fi
gilsim=${GILSIM:-$here/../../build/gilsim}
python=${PYTHON:-/usr/bin/python3}
[ -x "$gilsim" ] || { echo "run.sh: $gilsim: not built (cmake --build build)" >&2; exit 2; }
[ -x "$python" ] || {
    echo "run.sh: $python: not installed (.ci/install installs python3)" >&2
    exit 2
}
mkdir -p "$out"
# run.txt first (it marks DIR as this script's, so a run cut short can be rerun into it), its
# measured lines last.
{
    echo "# validate/cpython/run.sh"
    echo "command: bash validate/cpython/run.sh $args"
    if c=$(git -C "$here" rev-parse HEAD 2>/dev/null); then
        d=$(git -C "$here" status --porcelain --untracked-files=no 2>/dev/null)
        echo "commit: $c${d:+ (with uncommitted changes)}"
    fi
    echo "gilsim: $gilsim"
} > "$out/run.txt"
rm -f -- "$out/calibration.ini"
if [ ${#calib[@]} -gt 0 ]; then cp -- "$cfile" "$out/calibration.ini"; fi
started=$(date +%s.%N)
load0=$(cut -d' ' -f1-3 /proc/loadavg)

# The experiments' points (docs/validation-cpython.md says why these).
intervals="0.5 1 2 5 10" # ms, latency experiment (one CPU thread)
cpus="0 1 2 4"           # CPU threads beside the I/O thread, rate experiment (5 ms)
scaling="1 2"            # CPU-bound threads, scaling experiment
rate_ms=5                # switch interval of the rate experiment (CPython's default)
io_us=100                # one request: time.sleep(100 us)
grain=100                # one gilsim op of a CPU thread = this many loop iterations
pause=0                  # s between real runs (--realtime: the RT budget refills)
if [ "$quick" = 1 ]; then duration=0.2 r=2 iters=200000 requests=20
elif [ "$realtime" = 1 ]; then duration=0.6 r=5 iters=10000000 requests=300 pause=0.5
else duration=2 r=5 iters=10000000 requests=300; fi
reps=${reps:-$r}
# One real run of convoy.py (under the priority asked for), its lines tagged with the
# repetition and the scheduler, then the pause.
convoy() {
    timeout 120 "${prio[@]}" "$python" "$here/convoy.py" "$@" |
        awk -v r="$rep" -v s="$sched" '{ print $0 "," r "," s }' >> "$real"
    sleep "$pause"
}

# 1. Real CPython: every point `reps` times, the points interleaved so that a slow spell of
# the machine touches every point alike; every repetition is kept (table.py takes the median).
real="$out/real.csv"
echo "experiment,x,metric,value,python,rep,scheduler" > "$real"
for rep in $(seq "$reps"); do
    for i in $intervals; do
        convoy latency --interval-ms "$i" --duration "$duration" --io-us "$io_us"
    done
    for c in $cpus; do
        convoy rate --cpu "$c" --interval-ms "$rate_ms" --duration "$duration" --io-us "$io_us"
    done
    for t in $scaling; do
        convoy scaling --threads "$t" --iters "$iters"
    done
done

# 2. Calibration (medians): op_ns = `grain` loop iterations of one thread alone (a GIL drop
# request is seen within one op, i.e. within grain iterations: ~2 us here); io_ns = one request
# with no CPU thread (the sleep with this machine's timer slack and wake-up, and the loop),
# less whatever gilsim itself adds to a request (its own timer slack and wake-up model, if
# any), so that the simulated request alone takes as long as the real one (step 3).
median() { "$python" "$here/table.py" --median "$real" "$1" "$2"; }
op_ns=$(awk -v s="$(median scaling 1)" -v n="$iters" -v g="$grain" \
    'BEGIN { printf "%.6g", s * 1e9 / n * g }')
# One real request alone; what gilsim adds to it (its timer slack and wake-up model) is measured
# and taken off below, once (step 3).
io_ns=$(awk -v r="$(median rate 0)" 'BEGIN { printf "%.6g", 1e9 / r }')
cores=$(nproc)
real_done=$(date +%s.%N)

# 3. gilsim: the same points through gil-interval, thread classes instead of a trace.
col() { awk -F, -v name="$1" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { print $c[name] }' "$2"; }
sim() { # sim EXPERIMENT X CPU_THREADS SWITCH_MS -> the row in $out/sim-EXPERIMENT-X.csv
    local k=$3 sw=$4 f="$out/sim-$1-$2.csv"
    # CPU threads outlive the I/O thread: enough ops for every request to wait k intervals.
    local big
    big=$(awk -v r="$requests" -v io="$io_ns" -v k="$k" -v sw="$sw" -v op="$op_ns" \
        'BEGIN { printf "%d", 1.5 * r * (io + k * sw * 1e6) / op + 1000 }')
    "$gilsim" run "${calib[@]}" "${slack[@]}" --scheme=gil-interval --cores="$cores" --sharing=0 --breaker=1 \
        --switch_ns="$(awk -v s="$sw" 'BEGIN { printf "%.10g", s * 1e6 }')" \
        --classes="cpu(count=$k ops=$big op_ns=$op_ns access=0 alloc=0) io(count=1 \
ops=$requests io=1 io_ns=$io_ns io_dist=fixed access=0 alloc=0)" -o "$f"
}
# What gilsim adds to a request beyond io_ns (0 without an OS model): measured once with no CPU
# thread, taken off io_ns, so the calibration point agrees whatever the backend models.
sim calib 0 0 5
extra=$(awk -v r="$(col io_rate "$out/sim-calib-0.csv")" -v io="$io_ns" \
    'BEGIN { printf "%.6g", 1e9 / r - io }')
io_ns=$(awk -v io="$io_ns" -v x="$extra" \
    'BEGIN { v = io - x; printf "%.6g", (v > 0 ? v : io) }')
simcsv="$out/sim.csv"
echo "experiment,x,value,op_ns,io_ns,cores,interval_ms" > "$simcsv"
row() { echo "$1,$2,$3,$op_ns,$io_ns,$cores,$4" >> "$simcsv"; }
for i in $intervals; do
    sim latency "$i" 1 "$i"
    f="$out/sim-latency-$i.csv"
    row latency "$i" "$(awk -v w="$(col io_wait_mean "$f")" -v io="$io_ns" \
        'BEGIN { printf "%.9g", w + io * 1e-9 }')" "$i"
done
for c in $cpus; do
    sim rate "$c" "$c" "$rate_ms"
    row rate "$c" "$(col io_rate "$out/sim-rate-$c.csv")" "$rate_ms"
done
for t in $scaling; do
    f="$out/sim-scaling-$t.csv"
    "$gilsim" run "${calib[@]}" "${slack[@]}" --scheme=gil-interval --cores="$cores" --sharing=0 --breaker=1 \
        --classes="cpu(count=$t ops=$((iters / grain)) op_ns=$op_ns access=0 alloc=0 io=0)" -o "$f"
    # The simulated makespan against the real CPU time and against the real wall time.
    row scaling "$t" "$(col makespan "$f")" "$rate_ms"
    row scaling-wall "$t" "$(col makespan "$f")" "$rate_ms"
done
sim_done=$(date +%s.%N)

# 4. The table, and how the run went.
"$python" "$here/table.py" "$real" "$simcsv" > "$out/table.md"
{
    echo "scheduler: $sched; repetitions: $reps; duration per point: $duration s"
    echo "machine: $(nproc) CPUs, $(uname -sr), $("$python" -c 'import platform; print("CPython", platform.python_version())')"
    echo "load average (1, 5, 15 min) at the start: $load0; at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    awk -v a="$started" -v b="$real_done" -v c="$sim_done" 'BEGIN {
        printf "wall time: real CPython %.0f s, gilsim %.0f s, in all %.0f s\n", b - a, c - b, c - a }'
} >> "$out/run.txt"
cat "$out/table.md" "$out/run.txt"
