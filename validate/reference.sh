#!/usr/bin/env bash
# A complete validation reference: runs `gilsim validate` (default grid, or the arguments given
# after DIR) into DIR and keeps beside its outputs what a reader needs to check a quoted number:
#   DIR/transcript.txt   everything the command printed, stdout and stderr as they came
#   DIR/command.txt      the command, the gilsim commit and whether the tree was clean
#   DIR/machine.txt      uname -a, lscpu, memory, the load average and the top processes
#                        before and after, the time of start and end
# and validate's own files: validation.csv, results.csv, native-ref.csv, calib.ini with its wake
# samples (calib.ini.wake), grid.ini, the scatters. A DIR that holds a reference already is
# resumed (validate reruns nothing it has): the command, the transcript and the machine's state
# are appended after a "== resumed" line, so the folder still holds every command that made it.
#
#     bash validate/reference.sh validate/reference/NAME [validate arguments...]
#
# GILSIM names the binary (default: build/gilsim). Exits with validate's status.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
gilsim=${GILSIM:-$here/build/gilsim}
if [ $# -lt 1 ] || [ "${1#-}" != "$1" ]; then
    echo "usage: bash validate/reference.sh DIR [gilsim validate arguments...]" >&2
    exit 2
fi
dir=$1
shift
resume=0
if [ -e "$dir" ] && [ -f "$dir/command.txt" ]; then
    resume=1
elif [ -e "$dir" ]; then
    echo "reference.sh: $dir exists and is no reference (allowed: a new directory, or one" \
         "this script made, to resume)" >&2
    exit 2
fi
if [ ! -x "$gilsim" ]; then
    echo "reference.sh: $gilsim is not an executable (set GILSIM or build first)" >&2
    exit 2
fi
mkdir -p "$dir" || exit 2

machine() {
    echo "== $1: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "load average: $(cat /proc/loadavg)"
    echo "-- the busiest processes:"
    ps -eo pcpu,pid,comm --sort=-pcpu | head -8
}
if [ "$resume" = 1 ]; then
    for f in machine.txt command.txt transcript.txt; do echo "== resumed" >> "$dir/$f"; done
fi
{
    echo "== machine"
    uname -a
    echo "nproc: $(nproc)"
    lscpu
    echo "-- memory:"
    free -m
    machine start
} >> "$dir/machine.txt" 2>&1
{
    printf 'gilsim validate'
    printf ' %q' "$@" -o "$dir"
    printf '\n'
    echo "gilsim: $gilsim"
    echo "commit: $(git -C "$here" rev-parse HEAD 2>/dev/null || echo unknown)"
    if git -C "$here" diff --quiet HEAD 2>/dev/null; then
        echo "tree: clean"
    else
        echo "tree: with uncommitted changes"
    fi
} >> "$dir/command.txt"
# stdout and stderr into one file in the order written: the table, the verdict, the warnings.
"$gilsim" validate "$@" -o "$dir" >> "$dir/transcript.txt" 2>&1
rc=$?
echo "exit status: $rc" >> "$dir/transcript.txt"
machine end >> "$dir/machine.txt" 2>&1
exit $rc
