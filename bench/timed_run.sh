# Sourced by the bench scripts that time whole gilsim runs (compare_points.sh, ops_rate.sh,
# simpy_points.sh): one timed run, and a column of its one-row CSV.

# timed_run BIN CSV ARGS...: `BIN run ARGS -o CSV` under GNU time, its standard error
# discarded; sets `wall` (seconds) and `cpu` (user + system seconds). Uses $tmp.
timed_run() {
    local bin=$1 csv=$2 user sys
    shift 2
    /usr/bin/time -f "%e %U %S" -o "$tmp/time" "$bin" run "$@" -o "$csv" 2> /dev/null
    read -r wall user sys < "$tmp/time"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
}

# column NAME CSV: the value of column NAME in the CSV's one row.
column() {
    awk -F, -v name="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i }
                          NR == 2 && c { print $c }' "$2"
}
