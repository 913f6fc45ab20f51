# Helpers for the command-level tests: run gilsim, read CSV columns by name, assert facts.
# Each assertion prints "ok: ..." or "FAIL: ..."; finish() prints "N passed, N failed" and exits
# non-zero if anything failed.
set -u
GILSIM=${GILSIM:?set GILSIM to the gilsim binary}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0

# col FILE NAME: the value of column NAME in the single data row of FILE.
col() {
    awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i }
                          NR == 2 { print $c }' "$1"
}

# sim OUT [gilsim run args...]: runs one point into OUT (stderr to OUT.err); status in $rc.
sim() {
    local out=$1
    shift
    "$GILSIM" run "$@" -o "$out" 2> "$out.err"
    rc=$?
}

ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# expect DESCRIPTION CONDITION...: the condition is evaluated by awk (numbers) or test.
expect_eq() { if [ "$2" = "$3" ]; then ok "$1 ($2)"; else bad "$1: got '$2', want '$3'"; fi; }
expect_awk() {
    local desc=$1 expr=$2
    if awk "BEGIN { exit !($expr) }"; then ok "$desc ($expr)"; else bad "$desc: $expr is false"; fi
}

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
