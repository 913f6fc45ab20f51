/* Statistics of one point across its repetitions (rows that differ only in seed): n, mean,
 * sample standard deviation and the half-width of the 95% confidence interval of the mean
 * (Student t, n - 1 degrees of freedom). Shared by the plots and the report; meant to be the
 * one aggregation behind `gilsim summarize` too. */
#ifndef GILSIM_PLOTS_REPSTATS_H
#define GILSIM_PLOTS_REPSTATS_H

#include <stddef.h>

struct repstats {
    size_t n;    /* finite values used */
    double mean; /* NaN if n == 0 */
    double sd;   /* sample standard deviation (n - 1); NaN if n < 2 */
    double ci95; /* t(0.975, n - 1) * sd / sqrt(n); NaN if n < 2 */
};

/* Summarises x[0..n-1]; NaN and infinite values are left out (and not counted in s->n). */
void repstats_of(const double *x, size_t n, struct repstats *s);
/* The same, one value at a time (Welford's running mean and sum of squared deviations):
 * memory per point, not per value. Identical values give sd 0 exactly; other values agree
 * with repstats_of to rounding. Start from a zeroed struct. */
struct repstats_acc {
    double mean, m2;
    unsigned n;
};
void repstats_add(struct repstats_acc *a, double x); /* NaN and infinities left out */
void repstats_end(const struct repstats_acc *a, struct repstats *s);
/* As repstats_of, one value at a time, for a reader that folds the values of a point as it
 * reads them (gilsim report): the same mean, the sum of the values in the order added over
 * their count, and for identical values the same squared deviations, bit for bit; other values
 * agree with repstats_of to rounding (Welford's running squared deviations). Start from a
 * zeroed struct. */
struct repstats_fold {
    struct repstats_acc w;
    double sum, first; /* first: the first value */
    int differ;        /* 1 once a value differs from the first */
};
void repstats_fold_add(struct repstats_fold *a, double x); /* NaN and infinities left out */
/* Adds the values folded into b to a, as if added after a's (Chan's update). */
void repstats_fold_merge(struct repstats_fold *a, const struct repstats_fold *b);
void repstats_fold_end(const struct repstats_fold *a, struct repstats *s);
/* The 95% Wilson score interval [*lo, *hi] of a share of k successes in n trials (n > 0): it
 * stays within [0, 1] and is not empty at k = 0 or k = n ("0 of 20" gives [0, 0.161]). */
void repstats_wilson(size_t k, size_t n, double *lo, double *hi);

#endif
