/* Sim/native pairs of points (see backend_pairs.h). Invariant: a group holds the rows equal on
 * every key column but seed and backend, so its sim and native medians are over the same
 * seeds when both backends ran the same reps. */
#include "backend_pairs.h"

#include "params.h"
#include "plot_xy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double bp_median(double *v, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            v[k++] = v[i];
    if (!k)
        return NAN;
    qsort(v, k, sizeof *v, cmp_double);
    return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

double bpair_error(double sim, double native)
{
    if (!isfinite(sim) || !isfinite(native) || native == 0)
        return NAN;
    return (sim - native) / native;
}

int bpairs_build(const struct tab *t, struct sel *s, const int *metric, size_t nmetric,
                 struct bpair **out, size_t *n, char *err, size_t errlen)
{
    int backend = tab_find(t, "backend"), seed = tab_find(t, "seed");
    int dead = tab_find(t, "deadlock"), check = tab_find(t, "check");
    *out = NULL;
    *n = 0;
    if (backend < 0) {
        snprintf(err, errlen, "%s: no backend column (a CSV of this gilsim with sim and native "
                 "rows)", t->path);
        return -1;
    }
    if (nmetric > BP_MAX_METRICS) {
        snprintf(err, errlen, "internal error: more than %d metrics", BP_MAX_METRICS);
        return -1;
    }
    /* The values a group's medians are taken over: one per row, or a folded row's runs. */
    size_t nv = s->n;
    for (size_t i = 0; t->fold && i < s->n; i++) {
        size_t most = 0;
        for (size_t m = 0; m < nmetric; m++) {
            const double *runs;
            size_t k = t->fold_runs(t, s->row[i], metric[m], &runs);
            most = k > most ? k : most;
        }
        nv += most;
    }
    int *cols = malloc(t->keycols * sizeof *cols);
    size_t *start = malloc((s->n + 1) * sizeof *start);
    double *v = malloc((nv + 1) * sizeof *v);
    struct bpair *bp = calloc(s->n + 1, sizeof *bp);
    if (!cols || !start || !v || !bp) {
        free(cols);
        free(start);
        free(v);
        free(bp);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t nc = 0;
    for (size_t c = 0; c < t->keycols; c++)
        if ((int)c != backend && (int)c != seed)
            cols[nc++] = (int)c;
    size_t ng = sel_group(t, s, cols, nc, start);
    for (size_t g = 0; g < ng; g++) {
        struct bpair *p = &bp[g];
        p->row = s->row[start[g]];
        for (size_t i = start[g]; i < start[g + 1]; i++) {
            const char *b = tab_at(t, s->row[i], (size_t)backend);
            if (param_backend_real(b)) {
                p->nnative++;
                int bad = (dead >= 0 && strcmp(tab_at(t, s->row[i], (size_t)dead), "1") == 0) ||
                          (check >= 0 && strcmp(tab_at(t, s->row[i], (size_t)check), "ok") != 0);
                p->ngood_native += !bad;
            } else {
                p->nsim++;
            }
        }
        for (size_t m = 0; m < nmetric; m++)
            for (int native = 0; native < 2; native++) {
                size_t k = 0;
                double lo = NAN, hi = NAN;
                for (size_t i = start[g]; i < start[g + 1]; i++)
                    if (param_backend_real(tab_at(t, s->row[i], (size_t)backend)) == native) {
                        double one = t->fold ? NAN : tab_num(t, s->row[i], (size_t)metric[m]);
                        const double *x = &one;
                        size_t nx = t->fold ? t->fold_runs(t, s->row[i], metric[m], &x) : 1;
                        for (size_t j = 0; j < nx; j++) {
                            v[k++] = x[j];
                            lo = fmin(lo, x[j]); /* fmin and fmax skip a NaN */
                            hi = fmax(hi, x[j]);
                        }
                    }
                double med = bp_median(v, k);
                if (native) {
                    p->native[m] = med;
                    p->native_min[m] = lo;
                    p->native_max[m] = hi;
                } else {
                    p->sim[m] = med;
                }
            }
    }
    free(cols);
    free(start);
    free(v);
    *out = bp;
    *n = ng;
    return 0;
}

size_t bpairs_by_scheme(const struct tab *t, const struct bpair *bp, size_t n, size_t m,
                        double *x, double *y, struct scatter_series *ss)
{
    int scheme = tab_find(t, "scheme");
    size_t ns = 0, used = 0;
    for (size_t i = 0; scheme >= 0 && i < n; i++) {
        const char *name = tab_at(t, bp[i].row, (size_t)scheme);
        size_t j = 0;
        while (j < ns && strcmp(ss[j].label, name) != 0)
            j++;
        if (j < ns)
            continue;
        ss[ns] = (struct scatter_series){ name, xy_scheme_color(name), x + used, y + used, 0 };
        for (size_t k = i; k < n; k++)
            if (strcmp(tab_at(t, bp[k].row, (size_t)scheme), name) == 0) {
                x[used] = bp[k].native[m];
                y[used] = bp[k].sim[m];
                used++;
                ss[ns].n++;
            }
        ns++;
    }
    return ns;
}
