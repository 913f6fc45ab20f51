#!/usr/bin/env bash
# Names that are not what they seem: a scheme cell that would inject an
# attribute into report/index.html, a '/' or 200 characters in a cell that a figure is named
# after, and output names that gnuplot would run as a shell command ('|cmd', '<cmd'), directly
# or through a kept FIG.gp. Nothing runs, nothing lands outside the report directory, the page
# has no injected attribute (checked in headless Chromium too).
for tool in gnuplot chromium; do # decided before anything runs (bash .ci/install installs both)
    command -v $tool > /dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/plots_lib.sh"

# --- A results CSV: delegate and gil-interval on N x sharing, then hostile scheme cells ------
first=1
for s in delegate gil-interval; do
    for N in 10 100; do
        for sh in 0 0.1; do
            sim "$TMP/p.csv" --scheme=$s --N=$N --sharing=$sh --threads=2 --cores=2 --ops=2000
            [ "$rc" -eq 0 ] || bad "run $s N=$N sharing=$sh: exit $rc"
            if [ $first -eq 1 ]; then head -1 "$TMP/p.csv" > "$TMP/r.csv"; first=0; fi
            tail -n +2 "$TMP/p.csv" >> "$TMP/r.csv"
        done
    done
done
xss='delegate" onerror="document.body.id=1337" x="'
long="delegate$(printf 'y%.0s' $(seq 200))"
awk -F, -v OFS=, -v x="$xss" 'NR == 1 { print; next } { print } $2 == "delegate" { $2 = x; print }' \
    "$TMP/r.csv" > "$TMP/xss.csv"
awk -F, -v OFS=, -v l="$long" 'NR == 1 { print; next } { print }
    $2 == "delegate" { $2 = l; print; $2 = "delegate/../../escaped"; print }' \
    "$TMP/r.csv" > "$TMP/names.csv"
expect_eq "CSVs: 12 and 16 rows" \
    "$(($(wc -l < "$TMP/xss.csv") - 1)) $(($(wc -l < "$TMP/names.csv") - 1))" "12 16"

# --- a cell that would inject an attribute ---------------------------------------------
mkdir "$TMP/w" && cd "$TMP/w" || exit 1
"$GILSIM" report ../xss.csv -o xss > /dev/null 2> "$TMP/err"
expect_eq "report of an attribute-injecting cell: exit status" "$?" 0
expect_eq "report: no attribute injected (no onerror=\" in index.html)" \
    "$(grep -c 'onerror="' xss/index.html)" 0
expect_awk "report: the cell is shown, escaped" \
    "$(grep -c 'delegate&quot; onerror=&quot;document.body.id=1337&quot; x=&quot;' xss/index.html) > 0"
imgs=$(grep -o '<img src="[^"]*"' xss/index.html | wc -l)
browse "$TMP/w/xss" > "$TMP/dom" 2> "$TMP/console"
expect_eq "chromium: no script ran (body id unset)" "$(grep -c 'id="1337"' "$TMP/dom")" 0
if grep -q "data-images=\"ok\" data-images-loaded=\"$imgs/$imgs\"" "$TMP/dom"; then
    ok "chromium: all $imgs images loaded"
else bad "chromium: images not all loaded: $(grep -o '<body[^>]*>' "$TMP/dom")"; fi

# --- cells with '/' and 200 characters name figures ---------------------------------------
"$GILSIM" report ../names.csv -o rep > /dev/null 2> "$TMP/err"
expect_eq "report of '/' and long cells: exit status" "$?" 0
expect_eq "report: quiet" "$(cat "$TMP/err")" ""
expect_eq "report: nothing but files in the report directory" \
    "$(find rep -mindepth 1 ! -type f | wc -l)" 0
expect_eq "report: nothing written beside it" "$(ls "$TMP/w" | tr '\n' ' ')" "rep xss "
expect_eq "report: nothing escaped to the parent" "$(ls "$TMP" | grep -c escaped)" 0
expect_eq "report: 3 heatmaps, one per delegate cell" "$(ls rep/heatmap_*.png | wc -l)" 3
longest=$(ls rep | awk '{ print length($0) }' | sort -n | tail -1)
expect_awk "report: file names stay short (longest $longest)" "$longest <= 70"
imgs=$(grep -o '<img src="[^"]*"' rep/index.html | wc -l)
expect_eq "report: every image named in the page exists" \
    "$(grep -o '<img src="[^"]*"' rep/index.html | sed 's/<img src="//; s/"$//' |
       while read -r f; do [ -s "rep/$f" ] && echo y; done | wc -l)" "$imgs"

# --- output names gnuplot would run: refused (a kept FIG.gp named '<...' runs as a command
# when redrawn with `gnuplot FIG.gp`), nothing written, nothing run --------------------------
cd "$TMP/w" && rm -rf rep xss
"$GILSIM" run --threads=2 --ops=200 --timeline="$TMP/tl.csv" -o /dev/null
for name in '|touch PWNED;x.png' '<touch PWNED;x.png' '<touch PWNED;d/x.png'; do
    "$GILSIM" plot ../r.csv --x=N --y=throughput -o "$name" 2> "$TMP/err"
    expect_eq "plot -o '$name': exit 2, one line" "$? $(wc -l < "$TMP/err")" "2 1"
    "$GILSIM" plot --timeline="$TMP/tl.csv" -o "${name%.png}.svg" 2> "$TMP/err"
    expect_eq "plot --timeline -o '${name%.png}.svg': exit 2" "$?" 2
done
for d in '<touch PWNED;d' '|touch PWNED;d'; do
    "$GILSIM" report ../r.csv -o "$d" > /dev/null 2> "$TMP/err"
    expect_eq "report -o '$d': exit 2, one line" "$? $(wc -l < "$TMP/err")" "2 1"
done
"$GILSIM" review -o '<touch PWNED;r' 2> "$TMP/err"
expect_eq "review -o '<touch PWNED;r': exit 2 before anything runs" "$? $(wc -l < "$TMP/err")" "2 1"
"$GILSIM" validate --scheme=ideal -o '<touch PWNED;v' 2> "$TMP/err"
expect_eq "validate -o '<touch PWNED;v': exit 2 before anything runs" "$? $(wc -l < "$TMP/err")" "2 1"
expect_eq "nothing ran, nothing written" "$(ls -A | grep -c 'PWNED')" 0
cd "$TMP" && finish
