/* `gilsim summarize results.csv [-o out.csv]`: per point across reps (rows that differ only in
 * seed), n and the mean, standard deviation and 95% confidence half-width of each metric. */
#ifndef GILSIM_PLOTS_SUMMARIZE_H
#define GILSIM_PLOTS_SUMMARIZE_H

/* argv[0] is "summarize". Returns the exit status (status.h). */
int summarize_main(int argc, char **argv);

#endif
