# Heatmap of one metric over a grid of two swept parameters (gilsim report: the delegate
# scheme's speedup over gil-interval on sharing x N), with the contour where it equals 1
# (break-even) and each cell's value written in it; one panel per facet (docs/plots.md).
# The data file holds a settings block ("key" "value": title, subtitle<i>, xlabel, ylabel,
# cblabel, xvalues, yvalues, facets, facet<f>, level) and one block per panel of cells
# "ix iy x y value ci95 n", scanned by iy (a blank line between rows), value nan where no
# point matched. Cells are placed evenly (ix, iy), labelled with the swept values. Kept beside
# each figure as FIG.gp:
#   gnuplot FIG.gp                                redraws FIG.png from FIG.dat
#   gnuplot -c plots/heatmap.gp FIG.dat OUT.svg   the same figure in another file or format
# A file name starting with < or | would be a pipe to gnuplot: such names get "./".
literal(p) = (p[1:1] eq "<" || p[1:1] eq "|") ? "./" . p : p
data = literal((ARGC >= 1) ? ARG1 : ARG0[1:strlen(ARG0) - 3] . ".dat")
M = ""
stats data index 0 using (M = M . "\036" . strcol(1) . "\037" . strcol(2), 0) nooutput
meta(k) = (p_ = strstrt(M . "\036", "\036" . k . "\037"), p_ == 0 ? "" : \
           (r_ = (M . "\036")[p_ + strlen(k) + 2:], r_[1:strstrt(r_, "\036") - 1]))
out = literal((ARGC >= 2) ? ARG2 : data[1:strlen(data) - 4] . "." . meta("format"))

F = int(meta("facets"))
XV = meta("xvalues")
YV = meta("yvalues")
level = real(meta("level"))
ncols = (F <= 1) ? 1 : 2
nrows = int((F + ncols - 1) / ncols)
W = (F <= 1) ? 900 : 620 * ncols
H = (F <= 1) ? 640 : 480 * nrows + 100
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
# Colours symmetric around the level on a log scale: red below (slower), blue above.
stats data index 1:F using 5 nooutput
L = abs(log10(STATS_max / level)) > abs(log10(STATS_min / level)) ? \
    abs(log10(STATS_max / level)) : abs(log10(STATS_min / level))
L = (L < 0.05) ? 0.05 : L
set logscale cb
set cbrange [level * 10**(-L) : level * 10**L]
set palette defined (0 "#b2182b", 0.5 "#f7f7f7", 1 "#2166ac")
set cbtics ("0.1" 0.1, "0.2" 0.2, "0.5" 0.5, "0.8" 0.8, "1" 1, "1.25" 1.25, "2" 2, "5" 5, "10" 10)
set cblabel meta("cblabel")
# Cells where no point matched stay grey, not the colour of the level.
set object 1 rectangle from graph 0, 0 to graph 1, 1 behind fillcolor rgb "#c8c8c8" fillstyle solid
set xlabel meta("xlabel")
set ylabel meta("ylabel")
set xrange [-0.5 : words(XV) - 0.5]
set yrange [-0.5 : words(YV) - 0.5]
set xtics () scale 0
set ytics () scale 0
do for [i = 1:words(XV)] { set xtics add (word(XV, i) i - 1) }
do for [i = 1:words(YV)] { set ytics add (word(YV, i) i - 1) }
unset key
# The contours at the level, traced on each panel's grid of cells (before the multiplot, where
# a table-only splot would disturb the panel layout).
set contour base
set cntrparam levels discrete level
set cntrparam linear
unset surface
do for [f = 1:F] {
    eval sprintf("set table $C%d", f)
    splot data index f using 1:2:5 with lines notitle
    unset table
}
unset contour
set surface
if (F > 1) { set multiplot layout nrows, ncols title title } else { set title title }
do for [f = 1:F] {
    if (F > 1) { set title meta("facet" . f) }
    plot data index f using 1:2:5 with image notitle, \
         sprintf("$C%d", f) using 1:2 with lines lw 3 lc rgb "black" notitle, \
         data index f using 1:2:(valid(5) ? sprintf("%.2f", $5) : "no match") with labels notitle
}
if (F > 1) { unset multiplot }
