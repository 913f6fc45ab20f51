# Sensitivity (a tornado): for each cost, the value of one number of the verdict when the
# cost is halved (x0.5) and doubled (x2), as bars from its value at the base costs (the
# vertical line), with 95% intervals. Drawn by `gilsim review` (docs/review.md). Block 0 of the
# data file holds "key" "value" settings (title, subtitle1..3, xlabel, xscale, base, baselo,
# basehi, costs, costI: the name on row I, from the bottom), block 1 one line per cost:
# row value_half lo_half hi_half value_double lo_double hi_double (nan: not run).
# Kept beside each figure as FIG.gp: `gnuplot FIG.gp` redraws FIG.png from FIG.dat.
literal(p) = (p[1:1] eq "<" || p[1:1] eq "|") ? "./" . p : p
data = literal((ARGC >= 1) ? ARG1 : ARG0[1:strlen(ARG0) - 3] . ".dat")
M = ""
stats data index 0 using (M = M . "\036" . strcol(1) . "\037" . strcol(2), 0) nooutput
meta(k) = (p_ = strstrt(M . "\036", "\036" . k . "\037"), p_ == 0 ? "" : \
           (r_ = (M . "\036")[p_ + strlen(k) + 2:], r_[1:strstrt(r_, "\036") - 1]))
out = literal((ARGC >= 2) ? ARG2 : data[1:strlen(data) - 4] . "." . meta("format"))

N = int(meta("costs"))
H = 160 + 34 * N
set encoding utf8
fmt = out[strlen(out) - 2:]
if (fmt eq "pdf") {
    set terminal pdfcairo size 9, H / 96. noenhanced font "Sans,8"
} else {
    if (fmt eq "svg") {
        set terminal svg size 900, H noenhanced font "Sans,11" background "white"
    } else {
        set terminal pngcairo size 900, H noenhanced font "Sans,10"
    }
}
set output out

title = meta("title")
do for [i = 1:3] { line = meta("subtitle" . i); if (line ne "") { title = title . "\n" . line } }
set title title
xs = real(meta("xscale"))
base = real(meta("base")) * xs
set xlabel meta("xlabel")
set yrange [0.3:N + 0.7]
set ytics ()
do for [i = 1:N] { eval sprintf("set ytics add ('%s' %d)", meta("cost" . i), i) }
set grid xtics
set key outside right top noenhanced
set style fill solid 0.5 border
blo = real(meta("baselo")) * xs
bhi = real(meta("basehi")) * xs
set arrow 1 from first base, graph 0 to first base, graph 1 nohead lc rgb "#404040" lw 1.5
if (bhi > blo) {
    set object 1 rect from first blo, graph 0 to first bhi, graph 1 fc rgb "#d0d0d0" \
        fs solid 0.5 noborder behind
}
plot data index 1 using (($2 * xs + base) / 2):($1 + 0.17):(base):($2 * xs):($1):($1 + 0.34) \
         with boxxyerror lc rgb "#1f77b4" title "cost x0.5", \
     data index 1 using ($2 * xs):($1 + 0.17):($3 * xs):($4 * xs) with xerrorbars \
         lc rgb "#0b3c5d" pt 0 notitle, \
     data index 1 using (($5 * xs + base) / 2):($1 - 0.17):(base):($5 * xs):($1 - 0.34):($1) \
         with boxxyerror lc rgb "#d62728" title "cost x2", \
     data index 1 using ($5 * xs):($1 - 0.17):($6 * xs):($7 * xs) with xerrorbars \
         lc rgb "#6b1414" pt 0 notitle
