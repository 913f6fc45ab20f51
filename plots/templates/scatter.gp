# Simulated against native: one point per validated point (x = native, y = simulated), one
# colour per series (a scheme), the line y = x and a +-band (10% by default) around it. Drawn
# by `gilsim validate` and `gilsim report` (docs/validation.md). Block 0 of the data file holds
# "key" "value" settings, blocks 1.. the series (native, simulated). Kept beside each figure
# as FIG.gp, so that `gnuplot FIG.gp` redraws FIG.png (or .svg, .pdf) from FIG.dat.
data = (ARGC >= 1) ? ARG1 : ARG0[1:strlen(ARG0) - 3] . ".dat"
M = ""
stats data index 0 using (M = M . "\036" . strcol(1) . "\037" . strcol(2), 0) nooutput
meta(k) = (p_ = strstrt(M . "\036", "\036" . k . "\037"), p_ == 0 ? "" : \
           (r_ = (M . "\036")[p_ + strlen(k) + 2:], r_[1:strstrt(r_, "\036") - 1]))
out = (ARGC >= 2) ? ARG2 : data[1:strlen(data) - 4] . "." . meta("format")

set encoding utf8
fmt = out[strlen(out) - 2:]
if (fmt eq "pdf") {
    set terminal pdfcairo size 8, 6.5 noenhanced font "Sans,8"
} else {
    if (fmt eq "svg") {
        set terminal svg size 800, 650 noenhanced font "Sans,11" background "white"
    } else {
        set terminal pngcairo size 800, 650 noenhanced font "Sans,10"
    }
}
set output out

palette = "#1f77b4 #d62728 #2ca02c #ff7f0e #9467bd #8c564b #e377c2 #17becf #bcbd22 #000000"
colour(c) = word(palette, (c - 1) % 10 + 1)
block(b) = int(b eq "" ? "0" : b)
lo = real(meta("min"))
hi = real(meta("max"))
band = real(meta("band"))
k = real(meta("scale"))

set title meta("title") . (meta("subtitle") ne "" ? "\n" . meta("subtitle") : "")
set xlabel meta("xlabel")
set ylabel meta("ylabel")
set grid
set key outside right top noenhanced
set xrange [lo * k:hi * k]
set yrange [lo * k:hi * k]
set size ratio -1
if (meta("log") eq "1") { set logscale xy }
set samples 200
B = meta("blocks")
plot '+' using 1:($1 * (1 - band)):($1 * (1 + band)) with filledcurves \
         fc rgb "#d0d0d0" fs solid 0.5 noborder title sprintf("+-%g%%", band * 100), \
     x with lines lc rgb "#404040" dt 2 title "y = x", \
     for [b in B] data index block(b) using ($1 * k):($2 * k) with points \
         lc rgb colour(int(meta("colour" . b))) pt 7 ps 1 title meta("label" . b)
