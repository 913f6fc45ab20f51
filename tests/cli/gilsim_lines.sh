#!/bin/sh
# Runs a command and prints its output (stdout and stderr) without the lines a sanitizer build
# adds (AddressSanitizer warns about SimGrid's context switches), keeping its exit status, so
# transcripts are the same in every build.
out=$("$@" 2>&1)
st=$?
printf '%s\n' "$out" | grep -v -e '^==[0-9]*==WARNING: ASan' -e '^False positive error reports' \
    -e '^For details see https://github.com/google/sanitizers'
exit $st
