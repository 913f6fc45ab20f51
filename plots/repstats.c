/* Mean, standard deviation and 95% confidence half-width of repetitions (see repstats.h). The
 * t quantile comes from GSL; two passes over the values keep the variance exact enough for
 * identical runs (sd 0, not a rounding residue). */
#include "repstats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

void repstats_of(const double *x, size_t n, struct repstats *s)
{
    double sum = 0;
    s->n = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i])) {
            sum += x[i];
            s->n++;
        }
    s->mean = s->n ? sum / (double)s->n : NAN;
    s->sd = s->ci95 = NAN;
    if (s->n < 2)
        return;
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            ss += (x[i] - s->mean) * (x[i] - s->mean);
    s->sd = sqrt(ss / (double)(s->n - 1));
    s->ci95 = gsl_cdf_tdist_Pinv(0.975, (double)(s->n - 1)) * s->sd / sqrt((double)s->n);
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
