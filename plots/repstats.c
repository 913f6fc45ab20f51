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
