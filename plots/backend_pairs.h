/* Simulated and native rows of the same point side by side: rows of a results table grouped
 * by every parameter but seed and backend, with the median of each asked metric over the
 * group's sim rows and over its native rows (a native point is the median of its k runs); in a
 * folded table (plot_table.h), over the runs its rows keep.
 * Read by gilsim validate (validation.csv, the scatters) and gilsim report (its sim-vs-native
 * figure). */
#ifndef GILSIM_SIM_BACKEND_PAIRS_H
#define GILSIM_SIM_BACKEND_PAIRS_H

#include <stddef.h>

#include "plot_scatter.h"
#include "plot_table.h"

#define BP_MAX_METRICS 8

struct bpair {
    size_t row;             /* a representative row (its parameters) */
    size_t nsim, nnative;   /* rows of each backend in the group (points, in a folded table) */
    size_t ngood_native;    /* native rows that neither deadlocked nor failed the check */
    double sim[BP_MAX_METRICS], native[BP_MAX_METRICS]; /* medians; NaN if no number */
    double native_min[BP_MAX_METRICS], native_max[BP_MAX_METRICS]; /* the native runs' range */
};

/* Groups the rows of s (sorted in place) and fills *out (malloc'd, *n groups) in the order of
 * their parameters. metric[0..nmetric) are columns. -1 with a message if t has no backend
 * column, nmetric > BP_MAX_METRICS, or memory runs out. */
int bpairs_build(const struct tab *t, struct sel *s, const int *metric, size_t nmetric,
                 struct bpair **out, size_t *n, char *err, size_t errlen);
/* (sim - native) / native; NaN when either is not a number or native is 0. */
double bpair_error(double sim, double native);
/* One scatter series per scheme (in first-seen order) of metric index m: x native, y simulated,
 * coloured as the other figures colour schemes. x, y and ss need n slots (n >= 1). Returns the
 * number of series. */
size_t bpairs_by_scheme(const struct tab *t, const struct bpair *bp, size_t n, size_t m,
                        double *x, double *y, struct scatter_series *ss);
/* The median of v[0..n) (sorted in place) ignoring NaN; NaN if none. */
double bp_median(double *v, size_t n);

#endif
