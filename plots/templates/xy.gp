# Lines with 95% confidence error bars: one panel per facet, one line per series, drawn by
# `gilsim plot` and `gilsim report` (docs/plots.md). Everything figure-specific is read from
# the data file: block 0 holds "key" "value" settings, blocks 1.. the series (x, mean, ci95,
# sd, n, lo, hi: the error bar's ends). Kept beside each figure as FIG.gp, so that
#   gnuplot FIG.gp                           redraws FIG.png (or .svg, .pdf) from FIG.dat
#   gnuplot -c plots/xy.gp FIG.dat OUT.svg   draws the same data into another file or format
# Edit the style here (sizes, palette, key position); edit FIG.dat for titles and labels.
# A file name starting with < or | would be a pipe to gnuplot: such names get "./".
literal(p) = (p[1:1] eq "<" || p[1:1] eq "|") ? "./" . p : p
data = literal((ARGC >= 1) ? ARG1 : ARG0[1:strlen(ARG0) - 3] . ".dat")
M = ""
stats data index 0 using (M = M . "\036" . strcol(1) . "\037" . strcol(2), 0) nooutput
meta(k) = (p_ = strstrt(M . "\036", "\036" . k . "\037"), p_ == 0 ? "" : \
           (r_ = (M . "\036")[p_ + strlen(k) + 2:], r_[1:strstrt(r_, "\036") - 1]))
out = literal((ARGC >= 2) ? ARG2 : data[1:strlen(data) - 4] . "." . meta("format"))

F = int(meta("facets"))
ncols = (F <= 1) ? 1 : (F <= 4 ? 2 : 3)
nrows = int((F + ncols - 1) / ncols)
W = (F <= 1) ? 960 : 560 * ncols
H = (F <= 1) ? 600 : 420 * nrows + 90
set encoding utf8
fmt = out[strlen(out) - 2:]
if (fmt eq "pdf") {
    set terminal pdfcairo size W / 96., H / 96. noenhanced font "Sans,8"
} else {
    if (fmt eq "svg") {
        set terminal svg size W, H noenhanced font "Sans,11" background "white"
    } else {
        set terminal pngcairo size W, H noenhanced font "Sans,10"
    }
}
set output out

title = meta("title")
do for [i = 1:9] { line = meta("subtitle" . i); if (line ne "") { title = title . "\n" . line } }
palette = "#1f77b4 #d62728 #2ca02c #ff7f0e #9467bd #8c564b #e377c2 #17becf #bcbd22 #000000"
colour(c) = (c == 0) ? "#808080" : word(palette, (c - 1) % 10 + 1)
# style<b> = "colour dashed errorbars pointtype" of data block b
st(b, i) = int(word(meta("style" . b), i))
dash(b) = 1 + st(b, 2)
# Block number of a word of a blocks list (int() would read "010" as octal; gnuplot also
# evaluates the loop body once for an empty list).
block(b) = int(b eq "" ? "0" : b)
xs = real(meta("xscale"))
ys = real(meta("yscale"))

set grid
if (F > 1) { set key below height 1 noenhanced } else { set key outside right top noenhanced }
set bars small
set xlabel meta("xlabel")
set ylabel meta("ylabel")
if (meta("logx") eq "1") { set logscale x }
if (meta("logy") eq "1") { set logscale y }
if (meta("ymin0") eq "1") { set yrange [0:*] }
if (F > 1) { set multiplot layout nrows, ncols title title } else { set title title }
do for [f = 1:F] {
    if (F > 1) { set title meta("facet" . f) }
    B = meta("blocks" . f)
    plot for [b in B] data index block(b) \
        using ($1 * xs):($2 * ys):((st(b, 3) && $6 == $6) ? $6 * ys : $2 * ys) \
              :((st(b, 3) && $7 == $7) ? $7 * ys : $2 * ys) with yerrorlines \
        lc rgb colour(st(b, 1)) dt dash(b) lw 1.5 pt st(b, 4) ps (st(b, 4) ? 1 : 0) \
        title meta("label" . b)
}
if (F > 1) { unset multiplot }
