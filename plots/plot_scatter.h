/* Scatter figures of simulated against native values (plots/templates/scatter.gp): x = native, y =
 * simulated, one colour per series, with the line y = x and a +-band around it. Drawn by
 * gilsim validate (one per metric) and gilsim report (when a CSV holds both backends). */
#ifndef GILSIM_SIM_PLOT_SCATTER_H
#define GILSIM_SIM_PLOT_SCATTER_H

#include <stddef.h>

struct scatter_series {
    const char *label; /* e.g. a scheme */
    int color;         /* palette index, from 1 */
    const double *x, *y;
    size_t n;
};

struct scatter {
    const char *title, *subtitle;
    const char *column; /* the metric: its unit labels the axes */
    double band;        /* e.g. 0.1 for +-10% */
    const struct scatter_series *s;
    size_t ns;
};

/* Draws sc into out (png, svg or pdf, with out's .dat and .gp beside it). Points with a
 * non-finite coordinate are left out; both axes are logarithmic when every value is > 0 and
 * they span more than a factor 20. Returns 0, 1 if there was no point to draw (nothing
 * written), or -1 with a message. */
int scatter_draw(const char *out, const struct scatter *sc, char *err, size_t errlen);

#endif
