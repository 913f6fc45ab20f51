#!/usr/bin/env bash
# validate/cpython/table.py on small hand-made CSVs: the median over every repetition (an even
# count: the mean of the middle two), the range and spread, gilsim's error, the first-order
# formula (io + I, 1 / (io + k I), k t1, from the calibration points' medians) and its error,
# the verdicts and the summary lines, all checked exactly; and bad input refused.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
python=${PYTHON:-/usr/bin/python3}
[ -x "$python" ] || { echo "SKIP: $python is not installed (bash .ci/install installs it)"; exit 77; }
table() { "$python" "$here/validate/cpython/table.py" "$@"; }

# Four repetitions of every point: EXPERIMENT X METRIC value1 value2 value3 value4.
while read -r e x m v1 v2 v3 v4; do
    rep=1
    for v in $v1 $v2 $v3 $v4; do echo "$rep $e,$x,$m,$v,3.11.2,$rep,normal"; rep=$((rep + 1)); done
done > "$TMP/rows" <<'EOF'
latency 1 mean_s 0.002 0.0021 0.0019 0.0022
rate 0 per_s 900 1000 1000 1200
rate 2 per_s 70 80 75 85
rate 4 per_s 30 60 40 50
waits rate-2 fast 0.1 0.2 0.3 0.4
waits rate-2 i1 0.5 0.4 0.6 0.3
waits rate-2 i2 0.3 0.3 0.1 0.2
waits rate-2 i3+ 0.1 0.1 0 0.1
scaling 1 cpu_s 0.1 0.1 0.11 0.09
scaling-wall 1 seconds 0.1 0.1 0.1 0.1
scaling 2 cpu_s 0.21 0.2 0.22 0.19
scaling-wall 2 seconds 0.25 0.3 0.26 0.24
EOF
{ echo "experiment,x,metric,value,python,rep,scheduler"; sort -s -n -k1,1 "$TMP/rows" | cut -d' ' -f2; } \
    > "$TMP/real.csv"
cat > "$TMP/sim.csv" <<'EOF'
experiment,x,value,op_ns,io_ns,cores,interval_ms
latency,1,0.00204,1000,900000,2,1
rate,0,1000,1000,900000,2,5
rate,2,80,1000,900000,2,5
rate,4,60,1000,900000,2,5
scaling,1,0.1,1000,900000,2,5
scaling,2,0.206,1000,900000,2,5
scaling-wall,2,0.206,1000,900000,2,5
EOF
table "$TMP/real.csv" "$TMP/sim.csv" > "$TMP/t.md" 2> "$TMP/err"
expect_eq "the table is made" "$?" 0
row() { grep -F "| $1 | $2 |" "$TMP/t.md"; }
# io = 1 / median(900, 1000, 1000, 1200) = 1 ms; t1 = median(0.09, 0.1, 0.1, 0.11) = 0.1 s.
# latency at I = 1 ms: median 2.05 ms; range -7.3%..+7.3%; gilsim 2.04 (-0.5%); formula
# io + I = 2 ms (-2.4%).
expect_eq "latency row" "$(row "I/O request time, 1 CPU thread" "switch interval 1 ms")" \
    "| I/O request time, 1 CPU thread | switch interval 1 ms | ms | 2.05 | 1.9..2.2 | -7.3%..+7.3% | 2.04 | -0.5% | 2 | -2.4% | yes | yes |"
expect_eq "calibration point io: agrees by construction, its wide spread flagged" \
    "$(row "I/O requests per second, 5 ms interval" "0 CPU threads")" \
    "| I/O requests per second, 5 ms interval | 0 CPU threads | 1/s | 1000 | 900..1200 | **-10.0%..+20.0%** | 1000 | +0.0% | 1000 | +0.0% | (calibration: sets io_ns) | (calibration: sets io_ns) |"
# rate, 2 CPU threads: median 77.5; gilsim 80 (+3.2%); formula 1 / (1 ms + 10 ms) = 90.91
# (+17.3%).
expect_eq "rate row, 2 CPU threads" "$(row "I/O requests per second, 5 ms interval" "2 CPU threads")" \
    "| I/O requests per second, 5 ms interval | 2 CPU threads | 1/s | 77.5 | 70..85 | -9.7%..+9.7% | 80 | +3.2% | 90.91 | +17.3% | yes | yes |"
# rate, 4 CPU threads: median 45, range +-33.3%; gilsim 60 (+33.3%, out); formula
# 1 / (1 ms + 20 ms) = 47.62 (+5.8%): the formula wins.
expect_eq "rate row, 4 CPU threads" "$(row "I/O requests per second, 5 ms interval" "4 CPU threads")" \
    "| I/O requests per second, 5 ms interval | 4 CPU threads | 1/s | 45 | 30..60 | **-33.3%..+33.3%** | 60 | +33.3% | 47.62 | +5.8% | **no** | no |"
expect_eq "scaling CPU time, 2 threads: formula 2 t1" "$(row "CPU time of k CPU threads" "2 threads")" \
    "| CPU time of k CPU threads | 2 threads | s | 0.205 | 0.19..0.22 | -7.3%..+7.3% | 0.206 | +0.5% | 0.2 | -2.4% | yes | yes |"
expect_eq "scaling wall time, 2 threads: median of 0.24 0.25 0.26 0.3" \
    "$(row "wall time of k CPU threads" "2 threads")" \
    "| wall time of k CPU threads | 2 threads | s | 0.255 | 0.24..0.3 | **-5.9%..+17.6%** | 0.206 | -19.2% | 0.2 | -21.6% | **no** | yes |"
expect_eq "the summary" "$(grep -F "points within 15%" "$TMP/t.md")" \
    "3 of 5 points within 15% (the calibration points not counted); gilsim beats the formula on 4 of 5."
expect_eq "the convoy summary" "$(grep -F "With 2 and 4 CPU threads" "$TMP/t.md")" \
    "With 2 and 4 CPU threads (2: gilsim +3.2%, formula +17.3%; 4: gilsim +33.3%, formula +5.8%) gilsim beats the formula on 1 of 2."
expect_eq "the points whose runs spread beyond the target" "$(grep -F "spread beyond" "$TMP/t.md")" \
    "Real runs spread beyond 15% of their median on: I/O requests per second, 5 ms interval, 0 CPU threads (-10.0%..+20.0%); I/O requests per second, 5 ms interval, 4 CPU threads (-33.3%..+33.3%); wall time of k CPU threads, 2 threads (-5.9%..+17.6%)."
expect_eq "the header names the scheduler and the runs" \
    "$(grep -c "^Real: CPython 3.11.2 (/usr/bin/python3) under the normal scheduler (SCHED_OTHER, nice 0), 4 run(s) per point, every run kept" "$TMP/t.md")" 1
expect_eq "shares over intervals: medians of four runs" "$(grep -F "| rate-2 |" "$TMP/t.md")" \
    "| rate-2 | 0.25 | 0.45 | 0.25 | 0.10 |"
expect_eq "--median: the median over every repetition" "$(table --median "$TMP/real.csv" scaling 2)" 0.205

# Bad input: a simulated point without real runs, a value that is no number.
grep -v '^latency' "$TMP/real.csv" > "$TMP/nolat.csv"
table "$TMP/nolat.csv" "$TMP/sim.csv" > "$TMP/out" 2> "$TMP/err"
expect_eq "a point missing from real.csv: exit 2" "$?" 2
expect_eq "... one line naming it" "$(cat "$TMP/err")" \
    "table.py: $TMP/nolat.csv: no real point latency 1 (it is in $TMP/sim.csv)"
sed 's/^rate,2,per_s,70,/rate,2,per_s,seventy,/' "$TMP/real.csv" > "$TMP/nan.csv"
table "$TMP/nan.csv" "$TMP/sim.csv" > "$TMP/out" 2> "$TMP/err"
expect_eq "a value that is no number: exit 2" "$?" 2
expect_eq "... one line naming it" "$(cat "$TMP/err")" \
    "table.py: $TMP/nan.csv: value 'seventy' of rate,2 is not a number"

# The committed runs (validate/cpython/reference/*/): the table is table.py's of the CSVs beside
# it, and docs/validation-cpython.md quotes it verbatim with the run's load averages.
doc=$here/docs/validation-cpython.md
for d in "$here"/validate/cpython/reference/*/; do
    [ -d "$d" ] || continue
    name=validate/cpython/reference/$(basename "$d")
    table "$d/real.csv" "$d/sim.csv" > "$TMP/ref.md" 2> "$TMP/err"
    if cmp -s "$TMP/ref.md" "$d/table.md"; then ok "$name: table.md is table.py's"; else
        bad "$name: table.md differs from table.py's: $(diff "$d/table.md" "$TMP/ref.md" | head -5)"; fi
    missing=$(grep -v '^$' "$d/table.md" | while IFS= read -r l; do
        grep -qxF -- "$l" "$doc" || echo "$l"; done | head -3)
    expect_eq "$name: the docs quote every line of its table" "$missing" ""
    load=$(sed -n 's/^load average (1, 5, 15 min) at the start: \([0-9. ]*\); at the end: \([0-9. ]*\)$/\1; \2/p' "$d/run.txt")
    expect_eq "$name: run.txt states the load averages, the docs quote them" \
        "$([ -n "$load" ] && tr '\n' ' ' < "$doc" | grep -qF "load averages $load" && echo quoted)" \
        quoted
done
finish
