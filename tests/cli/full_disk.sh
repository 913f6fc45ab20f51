#!/usr/bin/env bash
# A full disk under plot, report and sweep (docs/files.md): each stops with one line naming
# "No space left on device", a non-zero exit, and leaves no image, page or temporary behind;
# the sweep keeps the rows it wrote whole. Needs a small tmpfs of its own (root, mount): SKIP
# otherwise, before anything runs.
. "$(dirname "$0")/lib.sh"
mnt=$TMP/full
mkdir -p "$mnt"
if [ "$(id -u)" != 0 ] || ! command -v gnuplot > /dev/null ||
    ! mount -t tmpfs -o size=256k tmpfs "$mnt" 2> /dev/null; then
    echo "SKIP: needs root, mount and gnuplot for a small tmpfs"
    exit 77
fi
trap 'umount "$mnt" 2> /dev/null; rm -rf "$TMP"' EXIT
"$GILSIM" sweep --scheme=ideal --threads=2 --N=1,10,100 --ops=2000 -o "$TMP/r.csv" \
    > /dev/null 2>&1
expect_eq "a small sweep to plot" "$(($(wc -l < "$TMP/r.csv") - 1))" 3
# Fill the tmpfs but for a few KiB: gnuplot's data file fits, its image does not.
fill() { rm -f "$mnt/fill"; dd if=/dev/zero of="$mnt/fill" bs=1k count="$1" 2> /dev/null; }
fill 246
"$GILSIM" plot "$TMP/r.csv" --x=N --y=throughput -o "$mnt/p.png" 2> "$TMP/plot.err"
expect_eq "plot on a full disk: exit 1" "$?" 1
expect_eq "plot: one line" "$(wc -l < "$TMP/plot.err")" 1
expect_eq "plot: says why" "$(grep -c 'No space left on device' "$TMP/plot.err")" 1
expect_eq "plot: no 'no message'" "$(grep -c 'no message' "$TMP/plot.err")" 0
expect_eq "plot: nothing left but the filler" "$(ls -A "$mnt")" fill
fill 254
"$GILSIM" report "$TMP/r.csv" -o "$mnt/rep" > /dev/null 2> "$TMP/report.err"
rc=$?
expect_eq "report on a full disk: fails" "$([ $rc -ne 0 ] && echo yes)" yes
expect_eq "report: says why" "$(grep -c 'No space left on device' "$TMP/report.err")" 1
expect_eq "report: no temporary left" "$(find "$mnt" -name '.gilsim-*' | wc -l)" 0
fill 250
"$GILSIM" sweep --scheme=ideal --threads=2 --N=$(seq -s, 1 400) --ops=200 -o "$mnt/s.csv" \
    > /dev/null 2> "$TMP/sweep.err"
rc=$?
expect_eq "sweep on a full disk: fails" "$([ $rc -ne 0 ] && echo yes)" yes
expect_eq "sweep: says why" "$(grep -c 'No space left on device' "$TMP/sweep.err")" 1
expect_eq "sweep: every row it kept is whole" \
    "$(awk -F, 'NR == 1 { n = NF } NF != n { bad++ } END { print bad + 0 }' "$mnt/s.csv" 2> /dev/null)" 0
expect_eq "sweep: no temporary left" "$(find "$mnt" -name '*.tmp.*' | wc -l)" 0
finish
