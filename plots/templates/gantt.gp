# Gantt chart of a run's timeline: one row per thread, one colour per state, drawn by
# `gilsim plot --timeline=FILE -o FIG.png` (docs/plots.md). The data file holds a settings
# block ("key" "value": title, xlabel, xscale, threads, states, state<i>) and one block per
# state of intervals "thread start end" in simulated seconds. Kept beside each chart as FIG.gp:
#   gnuplot FIG.gp                              redraws FIG.png from FIG.dat
#   gnuplot -c plots/gantt.gp FIG.dat OUT.svg   the same chart in another file or format
# A file name starting with < or | would be a pipe to gnuplot: such names get "./".
literal(p) = (p[1:1] eq "<" || p[1:1] eq "|") ? "./" . p : p
data = literal((ARGC >= 1) ? ARG1 : ARG0[1:strlen(ARG0) - 3] . ".dat")
M = ""
stats data index 0 using (M = M . "\036" . strcol(1) . "\037" . strcol(2), 0) nooutput
meta(k) = (p_ = strstrt(M . "\036", "\036" . k . "\037"), p_ == 0 ? "" : \
           (r_ = (M . "\036")[p_ + strlen(k) + 2:], r_[1:strstrt(r_, "\036") - 1]))
out = literal((ARGC >= 2) ? ARG2 : data[1:strlen(data) - 4] . "." . meta("format"))

T = int(meta("threads"))
S = int(meta("states"))
W = 1200
H = 180 + 22 * (T < 40 ? T : 40)
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

# One colour per state, the same in every chart.
colour(s) = s eq "running" ? "#2ca02c" : s eq "waiting" ? "#d62728" : \
            s eq "draining" ? "#1f77b4" : s eq "gil-wait" ? "#ff7f0e" : \
            s eq "io" ? "#7f7f7f" : "#9467bd"
xs = real(meta("xscale"))

set title meta("title")
set xlabel meta("xlabel")
set ylabel "thread"
set yrange [T - 0.5 : -0.5]
if (T <= 40) {
    set ytics 1
    set ytics format ""
    do for [t = 0:T - 1] { set ytics add (sprintf("T%d", t) t) }
}
set xrange [0:*]
set grid xtics
set key below horizontal height 1 noenhanced
set style fill solid 1.0 noborder
plot for [i = 1:S] data index i using (($2 + $3) / 2 * xs):1:(($3 - $2) / 2 * xs):(0.4) \
    with boxxyerror lc rgb colour(meta("state" . i)) title meta("state" . i)
