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

# --- output names gnuplot would run --------------------------------------------------------
cd "$TMP/w" && rm -rf rep xss
"$GILSIM" plot ../r.csv --x=N --y=throughput -o '|touch PWNED;x.png' 2> "$TMP/err"
expect_eq "plot -o '|touch PWNED;x.png': exit status" "$?" 0
expect_eq "plot -o '|...': nothing ran" "$(ls | grep -c '^PWNED')" 0
for f in png dat gp; do
    if [ -s "|touch PWNED;x.$f" ]; then ok "plot -o '|...': file '|touch PWNED;x.$f' written"
    else bad "plot -o '|...': '|touch PWNED;x.$f' missing"; fi
done
# The kept script, run by name from its directory, reads and writes files, not pipes.
rm "|touch PWNED;x.png"
gnuplot '|touch PWNED;x.gp' 2> "$TMP/err"
expect_eq "gnuplot '|touch PWNED;x.gp': exit status" "$?" 0
expect_eq "gnuplot '|...gp': nothing ran" "$(ls | grep -c '^PWNED')" 0
png_ok "gnuplot '|...gp' redrew the figure" "|touch PWNED;x.png" 900 500
"$GILSIM" report ../r.csv -o '<touch PWNED;d' > /dev/null 2> "$TMP/err"
expect_eq "report -o '<touch PWNED;d': exit status" "$?" 0
expect_eq "report -o '<...': nothing ran" "$(ls | grep -c '^PWNED')" 0
expect_eq "report -o '<...': the directory has the page" \
    "$(test -s '<touch PWNED;d/index.html' && echo yes)" yes
"$GILSIM" run --threads=2 --ops=200 --timeline="$TMP/tl.csv" -o /dev/null
"$GILSIM" plot --timeline="$TMP/tl.csv" -o '|touch PWNED;g.svg' 2> "$TMP/err"
expect_eq "plot --timeline -o '|...svg': exit status" "$?" 0
expect_eq "plot --timeline -o '|...': nothing ran" "$(ls | grep -c '^PWNED')" 0
cd "$TMP" && finish
