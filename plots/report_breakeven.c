/* Break-even sharing in gilsim report (see report_int.h): where a delegate scheme's speedup
 * over gil-interval falls through 1 along a row (N) of its heatmap, and the figure setting
 * that simulated break-even against the first-order model's, sharing_breakeven_model. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_xy.h"
#include "report_int.h"
#include "repstats.h"

double report_crossing(const double *x, const double *q, size_t n, const char **why)
{
    double px = NAN, pq = NAN;
    size_t seen = 0, above = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(q[i]))
            continue;
        seen++;
        above += q[i] >= 1;
        if (isfinite(pq) && pq >= 1 && q[i] < 1)
            return px + (1 - pq) * (x[i] - px) / (q[i] - pq);
        px = x[i];
        pq = q[i];
    }
    *why = seen < 2 ? "fewer than two matched points" : above == seen ?
           "faster at every sharing swept (break-even above the range)" :
           "slower at every sharing swept (break-even below the range)";
    return NAN;
}

/* The line of the break-even figure for scheme's simulated (k = 0, solid with points) or
 * model (k = 1, dashed) break-even in panel `panel`, added if new; NULL if out of memory. */
static struct xy_series *breakeven_line(struct xy_plot *p, const char *panel, const char *scheme,
                                        int k)
{
    char label[256];
    size_t fc = 0;
    snprintf(label, sizeof label, "%s %s", scheme, k == 0 ? "simulated" : "model");
    while (fc < p->nfacets && strcmp(p->facet[fc], panel) != 0)
        fc++;
    if (fc == p->nfacets && fc < 64 && (p->facet[fc] = strdup(panel)))
        p->nfacets++;
    for (size_t j = 0; j < p->ns; j++)
        if (p->s[j].facet == fc && strcmp(p->s[j].label, label) == 0)
            return &p->s[j];
    struct xy_series *se = xy_add_series(p, fc, label);
    if (se) {
        se->color = xy_scheme_color(scheme);
        se->dash = k;
        se->errors = 0;
        se->point = k == 0 ? 7 : 0;
    }
    return se;
}

int report_breakeven(struct report *r)
{
    struct rfig *rf = report_add_fig(r, "Break-even sharing: simulated vs predicted");
    struct xy_plot p;
    size_t nsim = 0;
    int rc = 0;
    if (r->nbe == 0)
        return report_skip(rf, "no heatmap was drawn (see above): the simulated break-even is "
                           "read from it");
    xy_init(&p);
    snprintf(p.title, sizeof p.title, "Break-even sharing vs N: simulated against %s (solid), "
             "sharing_breakeven_model (dashed)", r->baseline);
    snprintf(p.xname, sizeof p.xname, "N");
    snprintf(p.xunit_col, sizeof p.xunit_col, "N");
    snprintf(p.yname, sizeof p.yname, "break-even sharing");
    snprintf(p.fixed, sizeof p.fixed, "points: sharing where the heatmap's speedup falls "
             "through 1; none where it does not within the sweep");
    snprintf(p.bars, sizeof p.bars, "computed from means over seeds (no error bars)");
    for (size_t i = 0; i < r->nbe; i++)
        for (int k = 0; k < 2; k++) {
            const struct breakeven *b = &r->be[i];
            double v = k == 0 ? b->sim : b->model;
            if (!isfinite(v))
                continue;
            struct xy_series *se = breakeven_line(&p, b->panel, b->scheme, k);
            struct repstats y = { 1, v, NAN, NAN };
            if (se)
                xy_add_point(se, b->N, &y);
            nsim += k == 0;
        }
    if (p.ns == 0) {
        report_skip(rf, "neither a simulated break-even (the speedup does not cross 1 within "
                    "the sharing swept) nor a model value (sharing_breakeven_model)");
    } else {
        p.logx = report_spread(&p, 'x') >= 100;
        report_how(rf, "Solid: the sharing at which the delegate scheme's speedup over "
                   "%s falls through 1 along each row (N) of its heatmap, linearly "
                   "interpolated between the two swept sharing values around it%s. Dashed: the "
                   "mean of sharing_breakeven_model over the same row, the first-order "
                   "break-even of docs/schemes.md, delegate, which is against a GIL on one core (the "
                   "simulation compares with %s on the same cores).", r->baseline,
                   nsim ? "" : " (no row crosses 1: none drawn)", r->baseline);
        rc = report_draw_xy(r, rf, "breakeven.png", &p);
    }
    xy_free(&p);
    return rc;
}
