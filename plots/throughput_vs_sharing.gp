# Throughput against the sharing ratio, one line per scheme, at one drain interval N.
# Reads a gilsim CSV (columns found by name in the header), writes a PNG:
#   gnuplot -c plots/throughput_vs_sharing.gp results.csv out.png [N]
if (ARGC < 2) { print "usage: gnuplot -c throughput_vs_sharing.gp results.csv out.png [N]"; exit 1 }
csv = ARG1
N = (ARGC >= 3) ? ARG3 : "100"
set datafile separator ","
set terminal pngcairo size 900,560 noenhanced
set output ARG2
set title sprintf("Throughput vs sharing (N = %s; runs that deadlocked are left out)", N)
set xlabel "sharing (share of object accesses to another thread's objects)"
set ylabel "throughput (opcodes per simulated second)"
set logscale y
set key outside right
set grid
# Column numbers by name, from the header line.
col(name) = system(sprintf("head -1 '%s' | tr ',' '\\n' | grep -nx '%s' | cut -d: -f1", csv, name)) + 0
cS = col("scheme"); cN = col("N"); cX = col("sharing"); cY = col("throughput"); cD = col("deadlock")
schemes = system(sprintf("tail -n +2 '%s' | cut -d, -f%d | awk '!seen[$0]++' | tr '\\n' ' '", csv, cS))
plot for [s in schemes] csv skip 1 \
     using (strcol(cS) eq s && strcol(cN) eq N && strcol(cD) eq "0" ? column(cX) : 1/0):(column(cY)) \
     with linespoints title s
