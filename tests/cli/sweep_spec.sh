#!/usr/bin/env bash
# Sweep specifications from the command line and from INI files: list, range and mixed values
# expand to exactly the expected points and values (read from --emit-tasks, which runs
# nothing); bad input exits 2 with one line naming file:line, the key and what is allowed, and
# creates or changes no results file.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

# values VAR FILE: the distinct values of --VAR= in the emitted tasks, in numeric order.
values() { grep -o -- "--$1=[^ ]*" "$2" | cut -d= -f2 | sort -g -u | paste -sd' '; }

"$GILSIM" sweep --scheme=ideal,delegate --N=1,5:10:5 --sharing=0:0.5:0.05 --threads=2 \
    --emit-tasks -o r.csv > t1.txt
expect_eq "list x mixed list/range x range: 2 x 3 x 11 tasks" "$(wc -l < t1.txt)" 66
expect_eq "range 0:0.5:0.05 gives exact decimals" "$(values sharing t1.txt)" \
    "0 0.05 0.1 0.15 0.2 0.25 0.3 0.35 0.4 0.45 0.5"
expect_eq "mixed 1, 5:10:5" "$(values N t1.txt)" "1 5 10"
expect_eq "every task is distinct" "$(sort -u t1.txt | wc -l)" 66
[ ! -e r.csv ] && ok "--emit-tasks creates no results file" || bad "--emit-tasks created r.csv"

"$GILSIM" sweep --ops=1e3:3e3:1e3 --threads=2 --reps=3 --seed=10 --emit-tasks -o r.csv > t2.txt
expect_eq "3 values x 3 reps" "$(wc -l < t2.txt)" 9
expect_eq "values in canonical form" "$(values ops t2.txt)" "1000 2000 3000"
expect_eq "rep r runs with seed + r" "$(values seed t2.txt)" "10 11 12"

# A spec file: [global] inherited by each section, a section overriding it, ${VAR}, comments.
cat > demo.ini <<'INI'
# a demo spec
[global]
threads = 2          ; every family
ops = 2000
N = ${SWEEP_NS}

[ideal]
scheme = ideal
[delegate]
scheme = delegate, delegate-naive
sharing = 0:0.1:0.05
N = 100
INI
SWEEP_NS="10, 100" "$GILSIM" sweep demo.ini --emit-tasks -o r.csv > t3.txt
expect_eq "spec file: 1 x 2 (ideal) + 2 x 3 (delegate) tasks" "$(wc -l < t3.txt)" 8
expect_eq "section [ideal] inherits N from [global]" \
    "$(grep -- '--scheme=ideal ' t3.txt | grep -o -- '--N=[0-9]*' | sort | paste -sd' ')" \
    "--N=10 --N=100"
expect_eq "section [delegate] overrides N" "$(grep -c -- '--N=100 ' t3.txt)" 7
expect_eq "[global] applies to every section" "$(grep -c -- '--threads=2 ' t3.txt)" 8
SWEEP_NS=10 "$GILSIM" sweep demo.ini --N=1000 --emit-tasks -o r.csv > t4.txt
expect_eq "a command-line list overrides the file" "$(values N t4.txt)" "1000"

# fails WANT ARGS...: exit 2, exactly the message WANT on stderr, no r.csv.
fails() {
    local want=$1
    shift
    "$GILSIM" sweep "$@" > out.txt 2> err.txt
    local rc=$?
    if [ $rc -eq 2 ] && [ "$(cat err.txt)" = "$want" ] && [ ! -e r.csv ] && [ ! -s out.txt ]
    then
        ok "rejected: $want"
    else
        bad "sweep $*: rc $rc, stderr '$(cat err.txt)', want rc 2 and '$want'"
    fi
}
fails "gilsim: sharing: 1.5 out of range (allowed: 0..1)" --sharing=0,1.5 -o r.csv
fails "gilsim: sharing: range '0.5:0:0.1': stop below start (allowed: start <= stop)" \
    --sharing=0.5:0:0.1 -o r.csv
fails "gilsim: threads: '1.5' is not a whole number (allowed: 1..100000)" --threads=1:2:0.5 -o r.csv
fails "gilsim: unknown parameter 'shraing' (did you mean 'sharing'?) (gilsim run --help lists them)" \
    --shraing=0.1 -o r.csv
fails "gilsim: sweep: -j: '0' (allowed: a whole number in 1..1024)" --N=1 -j 0 -o r.csv
fails "gilsim: sweep: -o FILE missing (the results CSV to append to)" --N=1
printf '[global]\nthreads = 2\n\n[a]\nscheme = ideal\n# N next\nsharing = 1.5\n' > bad.ini
fails "gilsim: bad.ini:7: sharing: 1.5 out of range (allowed: 0..1)" bad.ini -o r.csv
printf '[global]\nshraing = 0.1\n' > bad.ini
fails "gilsim: bad.ini:2: unknown parameter 'shraing' (did you mean 'sharing'?) (gilsim run --help lists them)" \
    bad.ini -o r.csv
printf '[global]\nN = ${SWEEP_UNSET}\n' > bad.ini
fails "gilsim: bad.ini:2: N: \${SWEEP_UNSET} is not set (allowed: a set environment variable)" \
    bad.ini -o r.csv
printf '[global]\nthreads = 1\n[x]\nsharing = 0.1\n' > bad.ini
fails "gilsim: bad.ini:3: [x]: sharing: 0.1 needs at least 2 threads (threads is 1; allowed with 1 thread: 0)" \
    bad.ini -o r.csv
fails "gilsim: missing.ini: cannot read: No such file or directory" missing.ini -o r.csv

# An existing results file with another header is an error and stays as it was.
printf 'schema,foo\n1,2\n' > other.csv
cp other.csv other.orig
"$GILSIM" sweep --N=1 -o other.csv 2> err.txt
rc=$?
expect_eq "another header: exit 2" "$rc" 2
grep -q "other.csv: its header is not this gilsim's: column 2 is 'scheme' here and 'foo' there" \
    err.txt && ok "another header: the column is named" || bad "another header: $(cat err.txt)"
cmp -s other.csv other.orig && ok "another header: file unchanged" || bad "other.csv changed"
finish
