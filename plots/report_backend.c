/* The report's sim-vs-native figure, drawn only when the CSV holds rows of both backends (as
 * gilsim validate's results.csv does): one point per parameter set run on both, x the median
 * native throughput over its seeds, y the simulated one, with y = x and a +-10% band. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend_pairs.h"
#include "plot_scatter.h"
#include "report_int.h"

int report_sim_native(struct report *r)
{
    int be = tab_find(&r->t, "backend");
    if (be < 0 || r->thr < 0 || report_nvalues(r, &r->s, be) < 2)
        return 0; /* one backend: nothing to compare, no figure */
    struct rfig *rf = report_add_fig(r, "Simulated against native throughput");
    struct sel s;
    struct bpair *bp = NULL;
    size_t n = 0;
    if (sel_dup(&r->s, &s) != 0) {
        snprintf(r->err, sizeof r->err, "out of memory");
        return -1;
    }
    int rc = bpairs_build(&r->t, &s, &r->thr, 1, &bp, &n, r->err, sizeof r->err);
    double *x = malloc((n + 1) * sizeof *x), *y = malloc((n + 1) * sizeof *y), *e = NULL;
    struct scatter_series *ss = calloc(n + 1, sizeof *ss);
    char *path = report_join(r->dir, "sim-native.png");
    if (rc == 0 && (!x || !y || !ss || !path || !(e = malloc((n + 1) * sizeof *e)))) {
        snprintf(r->err, sizeof r->err, "out of memory");
        rc = -1;
    }
    if (rc == 0) {
        size_t ns = bpairs_by_scheme(&r->t, bp, n, 0, x, y, ss), ne = 0;
        for (size_t i = 0; i < n; i++) {
            double err = bpair_error(bp[i].sim[0], bp[i].native[0]);
            if (isfinite(err))
                e[ne++] = fabs(err);
        }
        double med = bp_median(e, ne);
        struct scatter sc = { "Throughput: simulated against native", "one point per "
                              "parameter set run on both backends; band: +-10%", "throughput",
                              0.10, ss, ns };
        int d = scatter_draw(path, &sc, r->err, sizeof r->err);
        if (d < 0) {
            rc = -1;
        } else if (d > 0) {
            report_skip(rf, "no parameter set ran on both backends (rows that deadlocked or "
                        "failed the check are left out)");
        } else {
            snprintf(rf->file, sizeof rf->file, "sim-native.png");
            report_how(rf, "x: the median native throughput of a parameter set over its seeds; "
                       "y: the simulated one (same seeds). On the line y = x the simulator is "
                       "exact; the grey band is +-10%%. Median |relative error| %.1f%% over %zu "
                       "parameter sets (gilsim validate writes the per-point table).",
                       100 * med, ne);
        }
    }
    free(path);
    free(x);
    free(y);
    free(e);
    free(ss);
    free(bp);
    sel_free(&s);
    return rc;
}
