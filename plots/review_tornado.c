/* Sensitivity on gilsim review's page (see review_int.h): from the rows of the sensitivity
 * runs (families base-F, COST-x0.5-F, COST-x2-F), the break-even sharing against the first
 * baseline and the proposal's throughput at a reference sharing, at the base costs and with
 * each cost halved and doubled; a tornado figure of each (plots/templates/tornado.gp) and a
 * sentence naming the costs the answer depends on most. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_figure.h"
#include "plot_table.h"
#include "report_int.h"
#include "repstats.h"
#include "review_int.h"
#include "verdict.h"

#define MAX_COSTS 64

struct variant {
    char cost[64];
    double be[2], lo[2], hi[2];       /* break-even at x0.5 and x2, its interval */
    struct repstats thr[2];           /* proposal throughput at the reference sharing */
    double swing_be, swing_thr;       /* the largest relative move of each */
};

/* The rows of one variant: those of its families (COST-xF-...), and for each of the proposal
 * and the baseline without rows there (a family that does not pay the cost), its base rows. */
static int variant_rows(struct review *sv, const char *label, const char *baseline,
                        struct sel *s)
{
    char prefix[128];
    snprintf(prefix, sizeof prefix, "%s-", label);
    if (review_family(sv, prefix, 1, s) != 0)
        return -1;
    const char *schemes[] = { sv->in->proposal, baseline };
    for (int k = 0; k < 2 && strcmp(label, "base") != 0; k++) {
        struct sel b;
        if (sel_dup(s, &b) != 0)
            return -1;
        review_keep(sv, &b, "scheme", schemes[k]);
        size_t nb = b.n;
        sel_free(&b);
        if (nb)
            continue;
        struct sel base;
        if (review_family(sv, "base-", 1, &base) != 0)
            return -1;
        review_keep(sv, &base, "scheme", schemes[k]);
        size_t *row = realloc(s->row, (s->n + base.n + 1) * sizeof *row);
        if (!row) {
            sel_free(&base);
            return -1;
        }
        s->row = row;
        memcpy(s->row + s->n, base.row, base.n * sizeof *row);
        s->n += base.n;
        sel_free(&base);
    }
    return 0;
}

/* Break-even against baseline and throughput at ref over the rows of one variant. */
static int measure(struct review *sv, const char *label, const char *baseline, const char *ref,
                   struct vd_breakeven *be, struct repstats *thr)
{
    struct sel s;
    if (variant_rows(sv, label, baseline, &s) != 0)
        return -1;
    size_t d, f;
    sel_drop_failed(&sv->r.t, &s, &d, &f);
    const char **cores;
    int cc = tab_find(&sv->r.t, "cores");
    size_t nc = cc >= 0 ? sel_values(&sv->r.t, &s, cc, &cores) : 0;
    *be = (struct vd_breakeven){ NAN, NAN, NAN, NAN, -1, NAN, NAN, NAN };
    if (nc)
        review_breakeven_at(sv, &s, baseline, cores[nc - 1], be);
    free(nc ? cores : NULL);
    struct sel p;
    *thr = (struct repstats){ 0, NAN, NAN, NAN };
    if (sel_dup(&s, &p) == 0) {
        review_keep(sv, &p, "scheme", sv->in->proposal);
        review_keep(sv, &p, "sharing", ref);
        *thr = review_stat(sv, &p, "throughput");
        sel_free(&p);
    }
    sel_free(&s);
    return 0;
}

static double rel_move(double x, double base)
{
    return isfinite(x) && isfinite(base) && base != 0 ? fabs(x / base - 1) : 0;
}

/* Writes the tornado of one number: rows sorted by swing (largest on top). */
static int draw(struct review *v, const char *file, const char *title, const char *xlabel,
                const char *unit_col, double base, double blo, double bhi,
                const struct variant *var, const size_t *order, size_t n, int thr,
                const char *how, const struct review *sv, const struct sel *rows)
{
    struct rfig *rf = report_add_fig(&v->r, title);
    char *path = report_join(v->r.dir, file), label[256];
    struct fig f;
    int rc = -1;
    double scale = 1, maxabs = fabs(base);
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 2; k++)
            maxabs = fmax(maxabs, fabs(thr ? var[i].thr[k].mean : var[i].be[k]));
    if (unit_col)
        col_label(unit_col, xlabel, maxabs, label, sizeof label, &scale);
    else
        snprintf(label, sizeof label, "%s", xlabel);
    if (path && fig_begin(&f, path, "tornado", v->r.err, sizeof v->r.err) == 0) {
        fig_meta(&f, "title", "%s", title);
        fig_meta(&f, "subtitle1", "bars: the value with the cost x0.5 (blue) and x2 (red); "
                 "grey: the base value's 95%% interval");
        fig_meta(&f, "subtitle2", "%s", v->stamp);
        fig_meta(&f, "xlabel", "%s", label);
        fig_meta(&f, "xscale", "%.12f", scale);
        fig_meta(&f, "base", "%.10g", base);
        fig_meta(&f, "baselo", "%.10g", isfinite(blo) ? blo : base);
        fig_meta(&f, "basehi", "%.10g", isfinite(bhi) ? bhi : base);
        fig_meta(&f, "costs", "%zu", n);
        for (size_t i = 0; i < n; i++) {
            char key[32];
            snprintf(key, sizeof key, "cost%zu", i + 1);
            fig_meta(&f, key, "%s", var[order[n - 1 - i]].cost);
        }
        fig_block(&f, "row value_half lo_half hi_half value_double lo_double hi_double");
        for (size_t i = 0; i < n; i++) {
            const struct variant *e = &var[order[n - 1 - i]];
            fprintf(f.dat, "%zu", i + 1);
            for (int k = 0; k < 2; k++) {
                double x = thr ? e->thr[k].mean : e->be[k];
                double lo = thr ? x - e->thr[k].ci95 : e->lo[k];
                double hi = thr ? x + e->thr[k].ci95 : e->hi[k];
                fprintf(f.dat, "\t%.10g\t%.10g\t%.10g", isfinite(x) ? x : base,
                        isfinite(lo) ? lo : isfinite(x) ? x : base,
                        isfinite(hi) ? hi : isfinite(x) ? x : base);
            }
            fputc('\n', f.dat);
        }
        rc = fig_end(&f, v->r.err, sizeof v->r.err);
    }
    free(path);
    if (rc == 0) {
        char valid[512];
        review_fig_validation(sv, rows, "throughput", valid, sizeof valid); /* sv's rows */
        snprintf(rf->file, sizeof rf->file, "%s", file);
        report_how(rf, "%s Stamp: %s. %s", how, v->stamp, valid);
    }
    return rc == 0 ? (int)(rf - v->r.fig) : -1;
}

int review_tornado(struct review *v)
{
    const struct review_in *in = v->in;
    if (!in->sensitivity) {
        review_answer(v, "Sensitivity", "Not asked: the scenario has no [sensitivity] family "
                      "(or --sensitivity=none).", (size_t)-1);
        return 0;
    }
    struct review_in sin = *in;
    sin.family = in->sfamily;
    sin.nrows = in->snrows;
    struct review *sv = calloc(1, sizeof *sv);
    struct variant *var = calloc(MAX_COSTS, sizeof *var);
    size_t nvar = 0, order[MAX_COSTS];
    int rc = -1;
    if (!sv || !var)
        goto out;
    sv->in = &sin;
    sv->have_validation = v->have_validation; /* the same validated range */
    if (tab_load(&sv->r.t, in->sensitivity, v->r.err, sizeof v->r.err) != 0)
        goto out;
    char baseline[64];
    const char *bl = in->baselines;
    snprintf(baseline, sizeof baseline, "%.*s", (int)strcspn(bl, ","), bl);
    /* The variants, from the families' names: COST-x0.5-F, COST-x2-F. */
    for (size_t i = 0; i < in->snrows; i++) {
        const char *fam = in->sfamily[i], *x = fam ? strstr(fam, "-x") : NULL;
        if (!x || strncmp(fam, "base-", 5) == 0)
            continue;
        char cost[64];
        snprintf(cost, sizeof cost, "%.*s", (int)(x - fam), fam);
        size_t k = 0;
        while (k < nvar && strcmp(var[k].cost, cost) != 0)
            k++;
        if (k == nvar && nvar < MAX_COSTS)
            snprintf(var[nvar++].cost, sizeof var[0].cost, "%s", cost);
    }
    /* The reference sharing: the proposal's swept value nearest 0.05. */
    struct sel all;
    if (review_family(sv, "base-", 1, &all) != 0)
        goto out;
    review_keep(sv, &all, "scheme", in->proposal);
    const char **sh;
    int shc = tab_find(&sv->r.t, "sharing");
    size_t nsh = shc >= 0 ? sel_values(&sv->r.t, &all, shc, &sh) : 0, best = 0;
    for (size_t i = 1; i < nsh; i++)
        if (fabs(atof(sh[i]) - 0.05) < fabs(atof(sh[best]) - 0.05))
            best = i;
    char ref[64];
    snprintf(ref, sizeof ref, "%s", nsh ? sh[best] : "0");
    free(nsh ? sh : NULL);
    sel_free(&all);
    struct vd_breakeven be0;
    struct repstats thr0;
    if (measure(sv, "base", baseline, ref, &be0, &thr0) != 0)
        goto out;
    for (size_t k = 0; k < nvar; k++) {
        for (int x = 0; x < 2; x++) {
            char label[128];
            struct vd_breakeven b;
            snprintf(label, sizeof label, "%s-x%s", var[k].cost, x ? "2" : "0.5");
            if (measure(sv, label, baseline, ref, &b, &var[k].thr[x]) != 0)
                goto out;
            var[k].be[x] = b.sim;
            var[k].lo[x] = b.lo;
            var[k].hi[x] = b.hi;
            var[k].swing_be = fmax(var[k].swing_be, rel_move(b.sim, be0.sim));
            var[k].swing_thr = fmax(var[k].swing_thr, rel_move(var[k].thr[x].mean, thr0.mean));
        }
        order[k] = k;
    }
    /* Largest swing of the break-even first (then of the throughput). */
    for (size_t i = 1; i < nvar; i++)
        for (size_t j = i; j > 0; j--) {
            const struct variant *a = &var[order[j]], *b = &var[order[j - 1]];
            if (a->swing_be > b->swing_be ||
                (a->swing_be == b->swing_be && a->swing_thr > b->swing_thr)) {
                size_t t = order[j];
                order[j] = order[j - 1];
                order[j - 1] = t;
            }
        }
    struct sel rows;
    if (review_family(sv, "", 1, &rows) != 0)
        goto out;
    char how[1024];
    snprintf(how, sizeof how, "The sensitivity runs (sensitivity.csv: the scenario's "
             "sensitivity families with each cost x0.5 and x2, each family rerun only for the "
             "costs it pays): the sharing at which %s's mean throughput over "
             "%s's falls through 1 at the most cores swept, with the 95%% band's "
             "crossings; a bar left at the base line is a break-even that left the sweep.",
             in->proposal, baseline);
    int fig_be = draw(v, "tornado_breakeven.png", "Sensitivity: break-even sharing",
                      "break-even sharing", NULL, be0.sim, be0.lo, be0.hi, var, order, nvar, 0,
                      how, sv, &rows);
    snprintf(how, sizeof how, "The same runs: %s's mean throughput at sharing %s with its "
             "95%% CI.", in->proposal, ref);
    /* sorted by the throughput's swing for its own figure */
    size_t order_t[MAX_COSTS];
    memcpy(order_t, order, nvar * sizeof *order);
    for (size_t i = 1; i < nvar; i++)
        for (size_t j = i; j > 0 && var[order_t[j]].swing_thr > var[order_t[j - 1]].swing_thr; j--) {
            size_t t = order_t[j];
            order_t[j] = order_t[j - 1];
            order_t[j - 1] = t;
        }
    char xlabel[160];
    snprintf(xlabel, sizeof xlabel, "%s throughput", in->proposal);
    int fig_thr = fig_be < 0 ? -1 :
                  draw(v, "tornado_throughput.png", "Sensitivity: throughput at the reference "
                       "point", xlabel, "throughput", thr0.mean,
                       thr0.mean - thr0.ci95, thr0.mean + thr0.ci95, var, order_t, nvar, 1, how,
                       sv, &rows);
    sel_free(&rows);
    if (fig_thr < 0)
        goto out;
    /* The sentence: the three costs that move each number most. */
    char s[4096], v0[96];
    if (isfinite(be0.sim))
        verdict_fmt(v0, sizeof v0, be0.sim, be0.lo, be0.hi, 1);
    else
        snprintf(v0, sizeof v0, "outside the swept sharing");
    int n = snprintf(s, sizeof s, "With each cost x0.5 and x2, the break-even sharing against "
                     "%s (%s at the base costs) moves most with", baseline, v0);
    for (size_t i = 0; i < 3 && i < nvar && n > 0 && (size_t)n < sizeof s; i++) {
        const struct variant *e = &var[order[i]];
        char a[48], b[48];
        snprintf(a, sizeof a, isfinite(e->be[0]) ? "%.3g" : "outside the sweep", e->be[0]);
        snprintf(b, sizeof b, isfinite(e->be[1]) ? "%.3g" : "outside the sweep", e->be[1]);
        n += snprintf(s + n, sizeof s - (size_t)n, "%s %s (%s and %s)", i ? "," : "", e->cost,
                      a, b);
    }
    verdict_fmt(v0, sizeof v0, thr0.mean * 1e-6, (thr0.mean - thr0.ci95) * 1e-6,
                (thr0.mean + thr0.ci95) * 1e-6, 1);
    if (n > 0 && (size_t)n < sizeof s)
        n += snprintf(s + n, sizeof s - (size_t)n, "; %s's throughput at sharing %s (%s "
                      "Mops/s) most with", in->proposal, ref, v0);
    for (size_t i = 0; i < 3 && i < nvar && n > 0 && (size_t)n < sizeof s; i++) {
        const struct variant *e = &var[order_t[i]];
        n += snprintf(s + n, sizeof s - (size_t)n, "%s %s (%.3g and %.3g Mops/s)", i ? "," : "",
                      e->cost, e->thr[0].mean * 1e-6, e->thr[1].mean * 1e-6);
    }
    if (n > 0 && (size_t)n < sizeof s)
        n += snprintf(s + n, sizeof s - (size_t)n, " (values at x0.5 and x2; the tornado "
                      "figures show all %zu costs with their intervals).", nvar);
    if (in->unpaid && in->unpaid[0] && n > 0 && (size_t)n < sizeof s)
        snprintf(s + n, sizeof s - (size_t)n, " Not charged in these runs (a doubled cost "
                 "left their rows unchanged), so moving nothing here: %s.", in->unpaid);
    review_answer(v, "Sensitivity", s, (size_t)fig_be);
    rc = 0;
out:
    if (sv) {
        sel_free(&sv->r.all);
        tab_free(&sv->r.t);
    }
    free(sv);
    free(var);
    return rc;
}
