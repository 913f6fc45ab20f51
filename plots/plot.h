/* `gilsim plot`: one figure from a results CSV (a metric against a parameter, one line per
 * --by value, one panel per --facet value, 95% CI error bars across reps), or from a
 * --timeline CSV a Gantt chart and/or a Chrome trace-event JSON file. docs/plots.md. */
#ifndef GILSIM_PLOTS_PLOT_H
#define GILSIM_PLOTS_PLOT_H

/* argv[0] is "plot". Returns the exit status (status.h): 0, 1 (gnuplot or a write failed),
 * 2 (bad input: nothing written). */
int plot_main(int argc, char **argv);

#endif
