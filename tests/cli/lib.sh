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

# refused DESCRIPTION STATUS TEXT CMD...: gilsim CMD exits STATUS with one stderr line holding
# TEXT.
refused() {
    local desc=$1 want=$2 text=$3
    shift 3
    "$GILSIM" "$@" > "$TMP/out.txt" 2> "$TMP/err.txt"
    local st=$?
    expect_eq "$desc: exit status" "$st" "$want"
    expect_eq "$desc: one line on stderr" "$(wc -l < "$TMP/err.txt")" 1
    if grep -qF -- "$text" "$TMP/err.txt"; then ok "$desc: says '$text'"; else
        bad "$desc: message '$(cat "$TMP/err.txt")' lacks '$text'"; fi
}
# snap DIR: every entry of DIR (type, size, link target) and the checksum of every file.
snap() {
    (cd "$1" && find . -printf '%p %y %s %l\n' | sort && find . -type f -exec md5sum {} + | sort)
}
# same_as DESCRIPTION DIR SNAPSHOT-FILE: DIR is as the snapshot recorded.
same_as() {
    if snap "$2" | cmp -s - "$3"; then ok "$1"; else bad "$1: $(snap "$2" | diff "$3" -)"; fi
}
# whole FILE: 1 if FILE ends with a newline and every line has as many cells as the header.
whole() {
    [ -s "$1" ] && [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] || { echo 0; return; }
    awk -F, 'NR == 1 { n = NF } NF != n { bad = 1 } END { print !bad }' "$1"
}
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
