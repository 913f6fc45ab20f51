#!/usr/bin/env bash
# How fast gilsim summarize and gilsim report read big results files, and how much memory they
# take: results files of R rows made from the rows of a small sweep (R / REPS distinct points,
# REPS seeds each, throughput and makespan varied by seed), each command run 3 times, wall
# and CPU seconds and peak memory (GNU time) printed raw with the load average before each
# run. Targets: summarize 10^6 rows <= 10 s, report 10^5 rows <= 20 s; memory growing with
# the distinct points, not the rows. plot (a line figure of throughput against the swept
# cost) is measured the same way. Peak memory is GNU time's: the largest resident set of
# gilsim and of the gnuplot it starts (pngcairo's gnuplot alone is ~40 MB). Output:
# docs/big_inputs.txt.
#   GILSIM=build/gilsim [BASE=other/gilsim] bench/big_inputs.sh [ROWS ...]
# ROWS: the sizes (default 10000 100000 1000000; 10^6 rows are about 400 MB of CSV in $TMPDIR);
# report and plot run on files of up to 10^5 rows. RUNS=3: the runs of each measurement. BASE: a
# gilsim to compare with (e.g. a build of an earlier commit): each run of GILSIM follows one of
# BASE on the same file (interleaved, so both see the same load), and their outputs are
# compared byte for byte (summarize's CSV; report's directory; plot's figure, .dat and .gp).
set -u
GILSIM=${GILSIM:-build/gilsim}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench/big_inputs.sh: needs GNU time ($TIME)" >&2; exit 1; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

"$GILSIM" sweep --scheme=delegate,gil-ticks,gil-interval,free-threading --sharing=0,0.1 \
    --threads=2,4 --cores=2 --ops=1000 -j 2 -o "$W/base.csv" 2> /dev/null || exit 1

# gen ROWS REPS: ROWS rows, ROWS / REPS points: the 16 base rows with push_ns raised by 0, 1,
# 2, ... (a sensitivity sweep's shape: one cost parameter over many values), REPS seeds each.
gen() {
    awk -F, -v rows="$1" -v reps="$2" '
        NR == 1 { print; for (i = 1; i <= NF; i++) col[$i] = i; next }
        { base[n++] = $0 }
        END {
            cV = col["push_ns"]; cs = col["seed"]; cm = col["makespan"]; ct = col["throughput"]
            pts = int(rows / reps); srand(1)
            for (p = 0; p < pts; p++) {
                k = split(base[p % n], c, ","); c[cV] = c[cV] + int(p / n)
                # the row around seed, makespan and throughput (cs < cm < ct = cm + 1)
                pre = c[1]; for (i = 2; i < cs; i++) pre = pre "," c[i]
                mid = ""; for (i = cs + 1; i < cm; i++) mid = mid "," c[i]
                post = ""; for (i = ct + 1; i <= k; i++) post = post "," c[i]
                for (r = 1; r <= reps; r++) {
                    f = 1 + 0.05 * (rand() - 0.5)
                    printf "%s,%d%s,%.10g,%.10g%s\n", pre, r, mid, c[cm] * f, c[ct] / f, post
                }
            }
        }' "$W/base.csv"
}

# one LABEL CMD...: one run: label, load average, wall s, CPU s, peak KiB.
one() {
    local label=$1 load
    shift
    load=$(cut -d' ' -f1 /proc/loadavg)
    $TIME -f "%e %U %S %M" -o "$W/t" "$@" > /dev/null 2> "$W/err" || {
        echo "$label: failed: $(head -c 300 "$W/err")"; return 1; }
    read -r wall user sys kib < "$W/t"
    awk -v l="$label" -v a="$load" -v w="$wall" -v u="$user" -v s="$sys" -v m="$kib" \
        'BEGIN { printf "%-40s load %5s  wall %7.2f s  cpu %7.2f s  peak %8d KiB\n",
                 l, a, w, u + s, m }'
}

# measure LABEL ARGS...: RUNS runs of gilsim ARGS, whose outputs go into the folder $W/o (the
# word @O@ in ARGS); with BASE, each after one of BASE (its folder then kept as $W/o.base, so
# that both wrote the same paths), and the two folders compared file by file.
measure() {
    local label=$1 k
    shift
    local args=("${@//@O@/$W/o}")
    for k in $(seq "${RUNS:-3}"); do
        if [ -n "${BASE:-}" ]; then
            rm -rf "$W/o" "$W/o.base" && mkdir "$W/o"
            one "$label (BASE)" "$BASE" "${args[@]}" || return
            mv "$W/o" "$W/o.base"
        fi
        rm -rf "$W/o" && mkdir "$W/o"
        one "$label" "$GILSIM" "${args[@]}" || return
    done
    if [ -n "${BASE:-}" ]; then
        if diff -r "$W/o.base" "$W/o" > "$W/diff" 2>&1; then
            echo "# $label: output byte-identical to BASE's ($(find "$W/o" -type f | wc -l) files)"
        else
            echo "# $label: output DIFFERS from BASE's: $(head -c 300 "$W/diff")"
        fi
    fi
    rm -rf "$W/o" "$W/o.base"
}

echo "# bench/big_inputs.sh on $(uname -srm), $(nproc) CPUs, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# gilsim: $GILSIM${BASE:+; BASE: $BASE}; load average at start: $(cat /proc/loadavg)"
echo "# wall: elapsed; cpu: user + system (on a loaded machine wall exceeds cpu: other"
echo "# processes share the CPUs); peak: maximum resident memory."
for rows in ${*:-10000 100000 1000000}; do
    for reps in 10 100; do
        gen "$rows" "$reps" > "$W/r.csv"
        echo "# $rows rows, $((rows / reps)) points x $reps seeds, $(stat -c %s "$W/r.csv") bytes"
        pts="$rows rows/$((rows / reps)) pts"
        measure "summarize $pts" summarize "$W/r.csv" -o @O@/s.csv
        if [ "$rows" -le 100000 ]; then
            measure "report $pts" report "$W/r.csv" -o @O@/rep
            measure "plot $pts" plot "$W/r.csv" --x=push_ns --y=throughput --by=scheme \
                --logx -o @O@/fig.png
        fi
    done
done
