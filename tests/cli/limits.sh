#!/usr/bin/env bash
# The memory guard and bounded allocations: a run's memory is estimated
# before it starts and refused above this machine's memory (the message names both) or above
# --mem_limit; a long run's allocations are recycled, so doubling its ops does not double its
# peak memory, and every op still runs exactly once (check=ok, the oracle comparing recycled
# allocations by digest).
# The refused run needs 2239 GiB: decided before anything runs, a machine with more skips.
machine=$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
if awk -v m="$machine" 'BEGIN { exit !(m >= 2239) }'; then
    echo "SKIP: this machine has $machine GiB, more than the 2239 GiB run needs"
    exit 77
fi
. "$(dirname "$0")/lib.sh"

# --- Refused up front, against this machine's memory --------------------------------------------
"$GILSIM" run --threads=30000 --objects=1000000 --ops=10 -o "$TMP/big.csv" 2> "$TMP/err"
expect_eq "too big for this machine: exit 2, nothing written" \
    "$?:$(test -e "$TMP/big.csv" && echo file)" "2:"
expect_eq "too big for this machine: the estimate and this machine's memory" "$(cat "$TMP/err")" \
    "gilsim: run: needs about 1792.0 GiB of memory (objects 1788.1, kept allocations 0.0, list items 0.0, latencies 0.0, stacks and batches 3.8, trace 0.0 GiB), more than this machine's $machine GiB (allowed: fewer threads, objects or ops, or --mem_limit=GIB above the estimate)"
# --mem_limit lowers or raises the limit.
"$GILSIM" run --threads=4 --ops=1000 --mem_limit=0.01 -o "$TMP/small.csv" 2> "$TMP/err"
expect_eq "--mem_limit=0.01: refused" "$?:$(test -e "$TMP/small.csv" && echo file)" "2:"
case $(cat "$TMP/err") in
    "gilsim: run: needs about 0.1 GiB of memory ("*"), more than the limit --mem_limit=0.01 GiB"*)
        ok "--mem_limit=0.01: message names the limit" ;;
    *) bad "--mem_limit=0.01: $(cat "$TMP/err")" ;;
esac
sim "$TMP/small.csv" --threads=4 --ops=1000 --mem_limit=1
expect_eq "--mem_limit=1: runs" "$rc:$(col "$TMP/small.csv" check)" "0:ok"
expect_eq "mem_limit is not a CSV column" "$(head -1 "$TMP/small.csv" | grep -c mem_limit)" 0

# --- Allocations are bounded --------------------------------------------------------------------
# Peak RSS (KiB) of a run, from getrusage of the child.
peak() {
    python3 -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if r.returncode == 0 else "exit %d" % r.returncode)' "$@"
}
args="--scheme=gil-interval --threads=1 --cores=1 --sharing=0 --alloc=0.9 --access=0.1"
one=$(peak "$GILSIM" run $args --ops=1200000 -o "$TMP/a1.csv")
two=$(peak "$GILSIM" run $args --ops=2400000 -o "$TMP/a2.csv")
expect_eq "1.2M ops, 1.08M allocations: every op once" \
    "$(col "$TMP/a1.csv" ops_done):$(col "$TMP/a1.csv" check)" "1200000:ok"
expect_eq "2.4M ops, 2.16M allocations (slots reused twice): every op once" \
    "$(col "$TMP/a2.csv" ops_done):$(col "$TMP/a2.csv" check)" "2400000:ok"
# Kept for the whole run (and by the oracle), the 1.08M extra allocations would take about
# 200 MiB more.
expect_awk "twice the ops, peak memory within 100 MiB ($one KiB, then $two KiB)" \
    "$two - $one < 100 * 1024"

# --- Above 1000 threads: 128 KiB actor stacks with a one-page guard (sim/main.c) ----------------
sim "$TMP/many.csv" --threads=2000 --cores=500 --ops=20
expect_eq "2000 threads on small guarded stacks: exit 0, check ok" \
    "$rc:$(col "$TMP/many.csv" check)" "0:ok"
finish
