/* `gilsim report results.csv -o DIR`: the standard figures of a design review drawn from one
 * results CSV (throughput, speedup over cores, delegate vs baseline heatmap with its
 * break-even contour, delegated-op latency against the analytic model, waiting share,
 * simulated vs predicted break-even sharing) and DIR/index.html showing them with the sweep's
 * parameters and a table of key numbers. A figure the CSV cannot support is skipped with a
 * note in the index, never faked. docs/plots.md says how each figure is computed. */
#ifndef GILSIM_PLOTS_REPORT_H
#define GILSIM_PLOTS_REPORT_H

/* argv[0] is "report". Returns the exit status (status.h): 0, 1 (gnuplot or a write failed;
 * DIR is left as it was), 2 (bad input: nothing written). */
int report_main(int argc, char **argv);
/* The scheme compared against without --baseline (the program hands over the one the schemes
 * declare: scheme_baseline). */
void report_set_baseline(const char *scheme);

#endif
