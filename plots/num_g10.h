/* Numbers written as printf's "%.10g" writes them, byte for byte, at a fraction of its cost:
 * gilsim summarize writes 3 numbers per metric and point (10^7 of them for 10^5 points). */
#ifndef GILSIM_PLOTS_NUM_G10_H
#define GILSIM_PLOTS_NUM_G10_H

/* Writes x as snprintf(out, 32, "%.10g", x) would, with its terminating NUL, into out (32
 * bytes); returns the length. */
int num_g10(char *out, double x);

#endif
