/* Mean, standard deviation and 95% confidence half-width of repetitions (see repstats.h). The
 * t quantile comes from GSL; two passes over the values (or Welford's update, one value at a
 * time) keep the variance exact for identical runs (sd 0, not a rounding residue). */
#include "repstats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

/* s from n values, their mean and their sum of squared deviations ss. */
static void fill(struct repstats *s, size_t n, double mean, double ss)
{
    s->n = n;
    s->mean = n ? mean : NAN;
    s->sd = s->ci95 = NAN;
    if (n < 2)
        return;
    static size_t last_n; /* the quantile of the last n: summaries come in runs of one n */
    static double last_t;
    if (n != last_n) {
        last_t = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1));
        last_n = n;
    }
    s->sd = sqrt(ss / (double)(n - 1));
    s->ci95 = last_t * s->sd / sqrt((double)n);
}

void repstats_of(const double *x, size_t n, struct repstats *s)
{
    double sum = 0, ss = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i])) {
            sum += x[i];
            k++;
        }
    double mean = k ? sum / (double)k : NAN;
    for (size_t i = 0; k > 1 && i < n; i++)
        if (isfinite(x[i]))
            ss += (x[i] - mean) * (x[i] - mean);
    fill(s, k, mean, ss);
}

void repstats_add(struct repstats_acc *a, double x)
{
    if (!isfinite(x))
        return;
    a->n++;
    double d = x - a->mean;
    a->mean += d / a->n;
    a->m2 += d * (x - a->mean);
}

void repstats_end(const struct repstats_acc *a, struct repstats *s)
{
    fill(s, a->n, a->mean, a->m2);
}

void repstats_fold_add(struct repstats_fold *a, double x)
{
    if (!isfinite(x))
        return;
    if (a->w.n == 0)
        a->first = x;
    a->differ |= x != a->first;
    a->sum += x;
    repstats_add(&a->w, x);
}

void repstats_fold_merge(struct repstats_fold *a, const struct repstats_fold *b)
{
    if (b->w.n == 0)
        return;
    if (a->w.n == 0) {
        *a = *b;
        return;
    }
    double n = (double)a->w.n + (double)b->w.n, d = b->w.mean - a->w.mean;
    a->w.m2 += b->w.m2 + d * d * (double)a->w.n * (double)b->w.n / n;
    a->w.mean += d * (double)b->w.n / n;
    a->w.n += b->w.n;
    a->sum += b->sum;
    a->differ |= b->differ || b->first != a->first;
}

void repstats_fold_end(const struct repstats_fold *a, struct repstats *s)
{
    size_t n = a->w.n;
    double mean = n ? a->sum / (double)n : NAN, ss = a->w.m2;
    if (n > 1 && !a->differ) { /* repstats_of's second pass, which the values need not */
        double d = a->first - mean;
        ss = 0;
        for (size_t i = 0; i < n; i++)
            ss += d * d;
    }
    fill(s, n, mean, ss);
}

void repstats_wilson(size_t k, size_t n, double *lo, double *hi)
{
    const double z = 1.959963984540054; /* the 0.975 quantile of the normal distribution */
    double nn = (double)n, p = (double)k / nn, z2 = z * z;
    double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
    double half = z / (1 + z2 / nn) * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
    *lo = k == 0 ? 0 : fmax(0, centre - half);
    *hi = k == n ? 1 : fmin(1, centre + half);
}
