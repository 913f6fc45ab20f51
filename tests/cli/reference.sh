#!/usr/bin/env bash
# The committed validation references (validate/reference/*/, made by validate/reference.sh) hold
# what their numbers rest on, and the numbers agree everywhere they are quoted:
# - every file is there: validation.csv, results.csv, native-ref.csv, calib.ini with its wake
#   samples, grid.ini, the whole transcript with its exit status, machine.txt, command.txt;
# - the per-scheme table of the transcript (its last command's) is recomputed from validation.csv (distinct and
#   gated points, median and 90th percentile of |throughput error|, latency and makespan
#   medians, points in range);
# - validation.csv is recomputed from results.csv (each gated point's native run count, its
#   native median and range), and native-ref.csv holds every native row of results.csv, kept;
# - docs/validation.md quotes each reference's table and summary lines verbatim from its
#   transcript, and the load average the transcript states.
. "$(dirname "$0")/lib.sh"
root=${REF_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
doc=$root/docs/validation.md
refs=$(ls -d "$root"/validate/reference/*/ 2> /dev/null)
[ -n "$refs" ] || { bad "no reference under validate/reference/"; finish; exit 1; }

# col FILE: prints the header's column index of each name given after it, as NAME=INDEX.
colidx() { head -1 "$1" | tr ',' '\n' | awk '{ printf "%s=%d\n", $0, NR }'; }

for d in $refs; do
    name=validate/reference/$(basename "$d")
    for f in validation.csv results.csv native-ref.csv calib.ini transcript.txt machine.txt \
             command.txt; do
        [ -s "$d/$f" ] && ok "$name: $f" || bad "$name: $f missing or empty"
    done
    wake=$(sed -n 's/^wake_samples = //p' "$d/calib.ini")
    if [ -n "$wake" ]; then
        [ -s "$root/$wake" ] || [ -s "$d/$(basename "$wake")" ] \
            && ok "$name: the wake samples $wake" || bad "$name: wake samples $wake missing"
    fi
    grep -q '^gilsim validate .*-o' "$d/command.txt" && grep -q '^commit: [0-9a-f]\{40\}$' \
        "$d/command.txt" && ok "$name: command and commit" || bad "$name: command.txt incomplete"
    grep -q '^load average: ' "$d/machine.txt" && grep -q '^Linux ' "$d/machine.txt" \
        && ok "$name: machine description" || bad "$name: machine.txt incomplete"
    tail -1 "$d/transcript.txt" | grep -q '^exit status: [0-9]*$' \
        && ok "$name: the transcript ends with the exit status" || bad "$name: transcript cut short"

    # The table, recomputed from validation.csv (first repetition; repeats of a configuration
    # have an empty repeat cell and are not points of their own).
    want=$(awk -F, '
        function q(a, n, p,   i, j, t, h) {   # the p-quantile of a[1..n] as GSL computes it
            for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
            h = 1 + p * (n - 1); i = int(h)
            return i >= n ? a[n] : a[i] + (h - i) * (a[i + 1] - a[i])
        }
        function pc(x) { return x == "" ? "-" : sprintf("%.1f%%", 100 * x) }
        function stat(s, m, p,   i, n, a, e) {
            n = 0
            for (i = 1; i <= np; i++)
                if ((s == "all" || S[i] == s) && G[i] == 1 && V[i, m] != "") {
                    e = V[i, m] + 0; a[++n] = e < 0 ? -e : e
                }
            return n ? q(a, n, p) : ""
        }
        NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["repeat"] == 1 {
            np++; S[np] = $c["scheme"]; G[np] = $c["gated"]
            V[np, "t"] = $c["throughput_err"]; V[np, "lm"] = $c["lat_mean_err"]
            V[np, "l99"] = $c["lat_p99_err"]; V[np, "mk"] = $c["makespan_err"]
            if (!($c["scheme"] in seen)) { seen[$c["scheme"]] = 1; order[++ns] = $c["scheme"] }
            dist[$c["scheme"]]++; dist["all"]++
            if ($c["gated"] == 1) {
                gd[$c["scheme"]]++; gd["all"]++
                x = $c["throughput_sim"] + 0
                if (x >= $c["throughput_native_min"] + 0 && x <= $c["throughput_native_max"] + 0) {
                    in_[$c["scheme"]]++; in_["all"]++
                }
            }
        }
        END {
            order[++ns] = "all"
            for (k = 1; k <= ns; k++) {
                s = order[k]
                printf "%s %d %d %s %s %s %s %s %d/%d\n", s, dist[s], gd[s], pc(stat(s, "t", 0.5)),
                       pc(stat(s, "t", 0.9)), pc(stat(s, "lm", 0.5)), pc(stat(s, "l99", 0.5)),
                       pc(stat(s, "mk", 0.5)), in_[s], gd[s]
            }
        }' "$d/validation.csv")
    # (the last table: a resumed reference rewrote validation.csv)
    got=$(awk '/^scheme +distinct gated/ { on = 1; t = ""; next }
               on && /^gilsim validate:/ { on = 0; next }
               on { t = t sprintf("%s %s %s %s %s %s %s %s %s\n", $1, $2, $3, $4, $(NF-4),
                                  $(NF-3), $(NF-2), $(NF-1), $NF) }
               END { printf "%s", t }' "$d/transcript.txt")
    expect_eq "$name: the transcript's table, recomputed from validation.csv" "$got" "$want"

    # validation.csv from results.csv: the native runs of each gated point.
    vcols=$(head -1 "$d/validation.csv" | tr ',' '\n' | awk '$0 == "repeat" { exit } { print }' \
            | paste -sd,)
    mism=$(awk -F, -v keys="$vcols" '
        function med(list,   a, n, i, j, t) {
            n = split(list, a, " ")
            for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        BEGIN { nk = split(keys, K, ",") }
        FNR == 1 { delete c; for (i = 1; i <= NF; i++) c[$i] = i; file++; next }
        { key = ""; for (i = 1; i <= nk; i++) key = key "|" $c[K[i]] }
        file == 1 && $c["backend"] == "native" {
            n[key]++; v[key] = v[key] " " $c["throughput"]
            x = $c["throughput"] + 0
            if (!(key in lo) || x < lo[key]) lo[key] = x
            if (!(key in hi) || x > hi[key]) hi[key] = x
        }
        file == 2 && $c["gated"] == 1 {
            m = med(v[key])
            if (n[key] != $c["n_native"] ||
                sprintf("%.6g", m) != sprintf("%.6g", $c["throughput_native"]) ||
                sprintf("%.6g", lo[key]) != sprintf("%.6g", $c["throughput_native_min"]) ||
                sprintf("%.6g", hi[key]) != sprintf("%.6g", $c["throughput_native_max"]))
                print key ": " n[key] " runs, median " m " in results.csv"
        }' "$d/results.csv" "$d/validation.csv" | head -5)
    expect_eq "$name: every gated point's native runs, median and range, from results.csv" \
        "$mism" ""
    expect_eq "$name: native-ref.csv keeps every native row of results.csv" \
        "$(awk -F, '$NF == 1' "$d/native-ref.csv" | wc -l)" \
        "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "backend") b = i; next }
                    $b == "native"' "$d/results.csv" | wc -l)"

    # docs/validation.md quotes this reference: its block lines are the transcript's.
    block=$(awk -v r="$name" '$0 == "<!-- reference: " r " -->" { on = 1; next }
                             on && /^```$/ { if (fence++) exit; next }
                             on && fence { print }' "$doc")
    if [ -z "$block" ]; then
        bad "$name: docs/validation.md does not quote it (<!-- reference: $name --> and a block)"
        continue
    fi
    missing=$(printf '%s\n' "$block" | grep -v '^\$ ' | while IFS= read -r line; do
        grep -qxF -- "$line" "$d/transcript.txt" || echo "$line"; done)
    expect_eq "$name: every line docs/validation.md quotes is in its transcript" "$missing" ""
    load=$(sed -n 's/^gilsim validate: \(load average [0-9.]* before the native runs, [0-9.]* after\).*/\1/p' \
        "$d/transcript.txt")
    while IFS= read -r l; do
        grep -qF -- "$l" "$doc" && ok "$name: docs state its load average ($l)" \
            || bad "$name: docs/validation.md does not state '$l'"
    done <<< "$load"
done

# docs/validation.md's spread tables: each <!-- spread: DIR... --> block is what
# validate/spread.sh prints for those references now.
while IFS= read -r dirs; do
    block=$(awk -v m="<!-- spread: $dirs -->" '$0 == m { on = 1; next }
                                             on && /^```$/ { if (fence++) exit; next }
                                             on && fence { print }' "$doc")
    # shellcheck disable=SC2086
    want=$(cd "$root" && bash validate/spread.sh $dirs)
    expect_eq "docs/validation.md's spread over $dirs is validate/spread.sh's" "$block" "$want"
done < <(sed -n 's/^<!-- spread: \(.*\) -->$/\1/p' "$doc")
finish
