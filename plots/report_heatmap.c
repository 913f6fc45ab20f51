/* The heatmaps of gilsim report (see report_int.h): each delegate scheme's speedup over
 * gil-interval on a sharing x N grid (one grid per panel, cells matched point by point), and
 * the break-even entries read off each row of the grid for report_breakeven.c. */
#define _POSIX_C_SOURCE 200809L /* signals.h: sigset_t */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "plot_figure.h"
#include "plot_table.h"
#include "plot_xy.h"
#include "report_int.h"
#include "signals.h"
#include "repstats.h"

/* The speedup of one delegate scheme over the baseline, cell by cell: cell (fi, yi, xi) is
 * panel fv[fi], N = yv[yi], sharing = xv[xi], at q[((fi * ny) + yi) * nx + xi]. */
struct grid {
    const char *d;               /* the delegate scheme */
    int facet;                   /* the panel column, -1 if none */
    char words[768];             /* the caption's words about panels and pins */
    struct point *pd, *pg;       /* the points of d and of the baseline */
    size_t npd, npg;
    long *match;                 /* per point of d: its baseline point, -1 if none */
    struct sel rep;              /* the rows of the points of d that have a baseline */
    const char **xv, **yv, **fv; /* the values of sharing, N and the panel column */
    size_t nx, ny, nf;
    double *xs;                  /* the values of sharing as numbers */
    double *q, *qci, *qn;        /* per cell: speedup, its 95% half-width, reps (NaN, 0) */
    long *cell;                  /* per cell: its point of pd, -1 if none */
};

static void grid_free(struct grid *g)
{
    free(g->pd);
    free(g->pg);
    free(g->match);
    sel_free(&g->rep);
    free(g->xv);
    free(g->yv);
    free(g->fv);
    free(g->xs);
    free(g->q);
    free(g->qci);
    free(g->qn);
    free(g->cell);
}

/* 1 if rows a and b agree on every parameter but scheme and seed, and, if strict, on the
 * scheme group's knobs too. */
static int same_point(const struct report *r, size_t a, size_t b, int strict)
{
    for (size_t c = 1; c < r->t.keycols; c++) {
        const struct param *d = param_find(r->t.name[c]);
        if ((int)c == r->scheme || strcmp(r->t.name[c], "seed") == 0 ||
            (!strict && d && strcmp(d->group, "scheme") == 0))
            continue;
        if (cell_cmp(tab_at(&r->t, a, c), tab_at(&r->t, b, c)) != 0)
            return 0;
    }
    return 1;
}

/* The baseline point matching delegate point d: equal on the workload and cost parameters
 * (and on the scheme knobs where that is needed to single one out); -1 if none or several. */
static long match(const struct report *r, const struct point *d, const struct point *g, size_t ng)
{
    for (int strict = 0; strict < 2; strict++) {
        long found = -1;
        size_t n = 0;
        for (size_t i = 0; i < ng; i++)
            if (same_point(r, d->row, g[i].row, strict)) {
                found = (long)i;
                n++;
            }
        if (n <= 1)
            return found;
    }
    return -1;
}

/* The points of g->d and of the baseline, cut to one sharing x N grid per panel, and the
 * delegate points that have a baseline (g->match, g->rep). -1 if out of memory. */
static int grid_points(struct report *r, struct grid *g)
{
    struct sel sd, sg;
    char expr[256];
    int rc = -1;
    snprintf(expr, sizeof expr, "scheme=%s,%s", g->d, r->baseline);
    if (sel_dup(&r->s, &sd) != 0)
        return -1;
    sel_where(&r->t, &sd, expr, r->err, sizeof r->err);
    sel_keep_numeric(&r->t, &sd, r->thr);
    int base[] = { r->scheme, r->sharing, r->N };
    g->facet = report_slice(r, &sd, base, 3, g->words, sizeof g->words);
    if (sel_dup(&sd, &sg) != 0) {
        sel_free(&sd);
        return -1;
    }
    snprintf(expr, sizeof expr, "scheme=%s", g->d);
    sel_where(&r->t, &sd, expr, r->err, sizeof r->err);
    snprintf(expr, sizeof expr, "scheme=%s", r->baseline);
    sel_where(&r->t, &sg, expr, r->err, sizeof r->err);
    g->npd = report_points(r, &sd, r->thr, &g->pd);
    g->npg = report_points(r, &sg, r->thr, &g->pg);
    g->match = malloc((g->npd + 1) * sizeof *g->match);
    if (g->match && (g->rep.row = malloc((g->npd + 1) * sizeof *g->rep.row))) {
        for (size_t i = 0; i < g->npd; i++)
            if ((g->match[i] = match(r, &g->pd[i], g->pg, g->npg)) >= 0)
                g->rep.row[g->rep.n++] = g->pd[i].row;
        rc = 0;
    }
    sel_free(&sd);
    sel_free(&sg);
    return rc;
}

/* Fills the cells from the matched points. -1 if out of memory. */
static int grid_cells(struct report *r, struct grid *g)
{
    size_t ncell = g->nf * g->nx * g->ny;
    g->q = malloc(ncell * sizeof *g->q);
    g->qci = malloc(ncell * sizeof *g->qci);
    g->qn = malloc(ncell * sizeof *g->qn);
    g->cell = malloc(ncell * sizeof *g->cell);
    if (!g->q || !g->qci || !g->qn || !g->cell)
        return -1;
    for (size_t i = 0; i < ncell; i++) {
        g->q[i] = g->qci[i] = NAN;
        g->qn[i] = 0;
        g->cell[i] = -1;
    }
    for (size_t i = 0; i < g->npd; i++) {
        if (g->match[i] < 0)
            continue;
        size_t row = g->pd[i].row;
        int fi = g->facet >= 0 ? report_index_of(g->fv, g->nf, tab_at(&r->t, row,
                                                                      (size_t)g->facet)) : 0;
        int xi = report_index_of(g->xv, g->nx, tab_at(&r->t, row, (size_t)r->sharing));
        int yi = report_index_of(g->yv, g->ny, tab_at(&r->t, row, (size_t)r->N));
        size_t c = ((size_t)fi * g->ny + (size_t)yi) * g->nx + (size_t)xi;
        struct repstats s = report_ratio(&g->pd[i].y, &g->pg[g->match[i]].y);
        g->q[c] = s.mean;
        g->qci[c] = s.ci95;
        g->qn[c] = (double)s.n;
        g->cell[c] = (long)i;
    }
    return 0;
}

/* The grid of delegate scheme g->d. -1 if there is none: with rf's note saying why, unless
 * out of memory. */
static int grid_build(struct report *r, struct grid *g, struct rfig *rf)
{
    if (grid_points(r, g) != 0)
        return -1;
    if (g->rep.n == 0) {
        report_skip(rf, "no %s point has a %s point with the same workload and cost "
                    "parameters", g->d, r->baseline);
        return -1;
    }
    g->nx = sel_values(&r->t, &g->rep, r->sharing, &g->xv);
    g->ny = sel_values(&r->t, &g->rep, r->N, &g->yv);
    if (g->nx < 2 || g->ny < 2) {
        report_skip(rf, "matched points span %zu value(s) of sharing and %zu of N: a heatmap "
                    "needs two of each", g->nx, g->ny);
        return -1;
    }
    if (!(g->xs = malloc(g->nx * sizeof *g->xs)))
        return -1;
    for (size_t xi = 0; xi < g->nx; xi++)
        g->xs[xi] = strtod(g->xv[xi], NULL);
    g->nf = g->facet >= 0 ? sel_values(&r->t, &g->rep, g->facet, &g->fv) : 1;
    return grid_cells(r, g);
}

/* "column=value" of panel fi, "" for a grid without panels. */
static void panel_name(const struct report *r, const struct grid *g, size_t fi, char *buf,
                       size_t len)
{
    buf[0] = '\0';
    if (g->facet >= 0)
        snprintf(buf, len, "%s=%s", r->t.name[g->facet], g->fv[fi]);
}

/* Sets the figure setting `key` to the values v[0..n) joined by spaces. */
static void meta_values(struct fig *f, const char *key, const char **v, size_t n)
{
    char list[2048] = "";
    for (size_t i = 0, used = 0; i < n && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? " " : "", v[i]);
    fig_meta(f, key, "%s", list);
}

/* Draws the grid with plots/templates/heatmap.gp as r->dir/file; -1 with r->err set if that fails. */
static int grid_draw(struct report *r, const struct grid *g, const char *file)
{
    struct fig f;
    char *path = report_join(r->dir, file), fixed[1024], panel[128], facet[4096];
    if (!path || fig_begin(&f, path, "heatmap", r->err, sizeof r->err) != 0) {
        free(path);
        return -1;
    }
    free(path);
    sel_fixed(&r->t, &g->rep, fixed, sizeof fixed);
    fig_meta(&f, "title", "Speedup of %s over %s (throughput ratio, mean over seeds)", g->d,
             r->baseline);
    fig_meta(&f, "subtitle1", "%s", fixed);
    fig_meta(&f, "subtitle2", "line: break-even (speedup = 1), interpolated between cells; "
             "grey: no matching %s point", r->baseline);
    fig_meta(&f, "xlabel", "sharing (share of object accesses to another thread's objects)");
    fig_meta(&f, "ylabel", "N (drain interval, opcodes)");
    fig_meta(&f, "cblabel", "speedup of %s over %s", g->d, r->baseline);
    fig_meta(&f, "cbname", "speedup");
    fig_meta(&f, "level", "1.0");
    meta_values(&f, "xvalues", g->xv, g->nx);
    meta_values(&f, "yvalues", g->yv, g->ny);
    fig_meta(&f, "facets", "%zu", g->nf);
    for (size_t fi = 0; fi < g->nf; fi++) { /* settings first: they end at the first block */
        char key[32];
        snprintf(key, sizeof key, "facet%zu", fi + 1);
        panel_name(r, g, fi, facet, sizeof facet);
        fig_meta(&f, key, "%s", facet);
    }
    for (size_t fi = 0; fi < g->nf; fi++) {
        panel_name(r, g, fi, panel, sizeof panel);
        fig_block(&f, "%s%s%s: ix iy sharing N speedup ci95 n", g->d, panel[0] ? ", " : "",
                  panel);
        for (size_t yi = 0; yi < g->ny; yi++) {
            for (size_t xi = 0; xi < g->nx; xi++) {
                size_t c = (fi * g->ny + yi) * g->nx + xi;
                fprintf(f.dat, "%zu\t%zu\t%s\t%s\t%.10g\t%.10g\t%.0f\n", xi, yi, g->xv[xi],
                        g->yv[yi], g->q[c], g->qci[c], g->qn[c]);
            }
            fputc('\n', f.dat);
        }
    }
    return fig_end(&f, r->err, sizeof r->err);
}

/* Adds a break-even entry per row (panel, N) of the grid to r->be: the simulated crossing and
 * the mean of sharing_breakeven_model over the row's points. */
static void grid_breakeven(struct report *r, const struct grid *g)
{
    for (size_t fi = 0; fi < g->nf; fi++)
        for (size_t yi = 0; yi < g->ny && r->nbe < MAX_BE; yi++) {
            size_t row = (fi * g->ny + yi) * g->nx, nmodel = 0;
            double model = 0;
            for (size_t xi = 0; xi < g->nx; xi++) {
                long pt = g->cell[row + xi];
                double mv = pt >= 0 ? report_pt(r, g->pd[pt].row)->model0 : NAN;
                if (isfinite(mv)) {
                    model += mv;
                    nmodel++;
                }
            }
            struct breakeven *b = &r->be[r->nbe++];
            snprintf(b->scheme, sizeof b->scheme, "%s", g->d);
            panel_name(r, g, fi, b->panel, sizeof b->panel);
            b->N = strtod(g->yv[yi], NULL);
            b->why = NULL;
            b->sim = report_crossing(g->xs, g->q + row, g->nx, &b->why);
            b->model = nmodel ? model / (double)nmodel : NAN;
        }
}

/* Heatmap of delegate scheme d's speedup over the baseline on sharing x N, and its break-even
 * entries. Returns -1 only if drawing failed. */
static int heatmap_of(struct report *r, const char *d)
{
    char title[160], file[96];
    snprintf(title, sizeof title, "Speedup of %s over %s on sharing x N", d, r->baseline);
    report_file_name(file, sizeof file, "heatmap_", d, ".png");
    struct rfig *rf = report_add_fig(r, title);
    struct grid g = { .d = d };
    int rc = 0;
    if (grid_build(r, &g, rf) == 0) {
        grid_breakeven(r, &g);
        if ((rc = grid_draw(r, &g, file)) == 0) {
            snprintf(rf->file, sizeof rf->file, "%s", file);
            report_how(rf, "Each cell: mean throughput of %s over its seeds / mean throughput "
                       "of %s over its seeds at the same workload and cost parameters "
                       "(scheme knobs aside). Blue: %s faster; red: slower. The black line is "
                       "the contour speedup = 1, linearly interpolated between neighbouring "
                       "cells (cells are placed evenly, whatever the spacing of the values "
                       "swept). The cell data (with 95%% CI of each ratio) is in %.*s.dat.%s",
                       d, r->baseline, d, (int)(strlen(file) - 4), file, g.words);
        }
    }
    grid_free(&g);
    return rc;
}

/* 1 if scheme `name` has the first-order model: some run of it has a number in lat_model
 * (scheme_ops.analytic; the CSV says it, so the report needs no list of schemes). */
static int has_model(const struct report *r, int model, const char *name)
{
    for (size_t i = 0; model >= 0 && i < r->s.n; i++)
        if (strcmp(tab_at(&r->t, r->s.row[i], (size_t)r->scheme), name) == 0 &&
            report_pt(r, r->s.row[i])->any_model)
            return 1;
    return 0;
}

int report_heatmaps(struct report *r)
{
    int model = tab_find(&r->t, "lat_model");
    const char **v = NULL;
    size_t n = r->scheme >= 0 ? sel_values(&r->t, &r->s, r->scheme, &v) : 0, nd = 0;
    int has_base = report_index_of(v, n, r->baseline) >= 0, rc = 0;
    const char *why = NULL;
    if (r->scheme < 0 || r->sharing < 0 || r->N < 0 || r->thr < 0)
        why = "the CSV lacks a scheme, sharing, N or throughput column";
    for (size_t i = 0; i < n; i++)
        nd += has_model(r, model, v[i]);
    char nobase[160];
    snprintf(nobase, sizeof nobase, "the CSV has no %s rows: there is nothing to compare against",
             r->baseline);
    if (!why && !has_base)
        why = nobase;
    else if (!why && nd == 0)
        why = "the CSV has no rows of a delegating scheme (a number in lat_model)";
    if (why) {
        char title[160];
        snprintf(title, sizeof title, "Heatmap: delegate speedup over %s on sharing x N",
                 r->baseline);
        struct rfig *rf = report_add_fig(r, title);
        report_skip(rf, "%s", why);
    }
    for (size_t i = 0; !why && rc == 0 && i < n && !interrupt_pending(); i++)
        if (has_model(r, model, v[i]))
            rc = heatmap_of(r, v[i]);
    free(v);
    return rc;
}

