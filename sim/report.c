/* gilsim report (see report.h): checks the input, draws each standard figure into a temporary
 * directory (or notes why it cannot), writes index.html there, then puts the directory in
 * place of DIR. Invariant: DIR is either the previous report or the complete new one.
 * Figures are computed from points = rows equal but for seed (mean, 95% CI over the seeds);
 * rows that deadlocked or failed the check are left out and counted in the index. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "report.h"

#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "params.h"
#include "plot_figure.h"
#include "plot_table.h"
#include "plot_xy.h"
#include "report_int.h"
#include "repstats.h"
#include "status.h"

#define MAX_WHERE 32

static struct rfig *add_fig(struct report *r, const char *title)
{
    struct rfig *f = &r->fig[r->nfig < MAX_FIGS - 1 ? r->nfig++ : r->nfig];
    memset(f, 0, sizeof *f);
    snprintf(f->title, sizeof f->title, "%s", title);
    return f;
}

static void say(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

/* The place of cell among the values v[0..n), or -1. */
static int index_of(const char **v, size_t n, const char *cell)
{
    for (size_t i = 0; i < n; i++)
        if (cell_cmp(v[i], cell) == 0)
            return (int)i;
    return -1;
}

/* The number of distinct values of col in s (0 if col is absent). */
size_t report_nvalues(const struct report *r, const struct sel *s, int col)
{
    const char **v;
    if (col < 0)
        return 0;
    size_t n = sel_values(&r->t, s, col, &v);
    free(v);
    return n;
}

/* The x of the "vs" figures: N if it takes two values or more, else sharing if it does. */
static int pick_x(const struct report *r, const struct sel *s)
{
    return report_nvalues(r, s, r->N) >= 2         ? r->N
           : report_nvalues(r, s, r->sharing) >= 2 ? r->sharing
                                                   : -1;
}

/* The value a pinned parameter keeps: its default if swept, else the largest for cores and
 * threads (the configuration under review), else the first. */
static const char *pin_value(const struct report *r, const struct sel *s, int col)
{
    const char **v, *pick;
    size_t n = sel_values(&r->t, s, col, &v);
    const struct param *d = param_find(r->t.name[col]);
    int i = d ? index_of(v, n, d->def) : -1;
    if (i < 0)
        i = strcmp(r->t.name[col], "cores") == 0 || strcmp(r->t.name[col], "threads") == 0 ?
            (int)n - 1 : 0;
    pick = n ? v[i] : NULL;
    free(v);
    return pick;
}

/* Cuts s to what one figure shows: parameters that vary besides base (and would mix points)
 * give one panel per value for the first of them (sharing, cores, threads preferred; at most
 * 9 values), and every other one is pinned to one value (pin_value), named in note ("" if
 * none). Returns the panel column, or -1. */
static int slice(struct report *r, struct sel *s, const int *base, size_t nbase, char *note,
                 size_t notelen)
{
    static const char *const prefer[] = { "sharing", "cores", "threads" };
    int *cols = malloc((nbase + 1 + r->t.keycols) * sizeof *cols), facet = -1;
    int *extra = malloc(r->t.keycols * sizeof *extra);
    size_t n, used = 0;
    note[0] = '\0';
    if (!cols || !extra)
        goto out;
    memcpy(cols, base, nbase * sizeof *cols);
    n = sel_extras(&r->t, s, cols, nbase, extra);
    for (size_t k = 0; k <= sizeof prefer / sizeof prefer[0] && facet < 0; k++)
        for (size_t i = 0; i < n && facet < 0; i++)
            if ((k == sizeof prefer / sizeof prefer[0] || strcmp(r->t.name[extra[i]],
                                                                 prefer[k]) == 0) &&
                report_nvalues(r, s, extra[i]) <= 9)
                facet = extra[i];
    if (facet >= 0)
        cols[nbase++] = facet;
    while ((n = sel_extras(&r->t, s, cols, nbase, extra)) > 0) {
        char expr[256];
        const char *v = pin_value(r, s, extra[0]);
        snprintf(expr, sizeof expr, "%s=%s", r->t.name[extra[0]], v ? v : "");
        if (!v || sel_where(&r->t, s, expr, r->err, sizeof r->err) != 0)
            break;
        if (used < notelen)
            used += (size_t)snprintf(note + used, notelen - used, "%s%s", used ? ", " : "",
                                     expr);
    }
out:
    free(cols);
    free(extra);
    return facet;
}

/* The caption's words about panels and pinned parameters. */
static void slice_words(const struct report *r, int facet, const char *pinned, char *buf,
                        size_t len)
{
    snprintf(buf, len, "%s%s%s%s%s%s", facet >= 0 ? " One panel per value of " : "",
             facet >= 0 ? r->t.name[facet] : "", facet >= 0 ? "." : "",
             pinned[0] ? " Shown at " : "", pinned, pinned[0] ? " (the other values: "
             "gilsim report --where=NAME=VALUE)." : "");
}

/* max / min of the x or y of a figure's points; 0 if one is <= 0. */
static double spread(const struct xy_plot *p, char axis)
{
    double lo = INFINITY, hi = 0;
    for (size_t i = 0; i < p->ns; i++)
        for (size_t j = 0; j < p->s[i].n; j++) {
            double v = axis == 'x' ? p->s[i].pt[j].x : p->s[i].pt[j].y.mean;
            if (v <= 0)
                return 0;
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
    return lo < INFINITY ? hi / lo : 0;
}

char *report_join(const char *dir, const char *file)
{
    size_t len = strlen(dir) + strlen(file) + 2;
    char *path = malloc(len);
    if (path)
        snprintf(path, len, "%s/%s", dir, file);
    return path;
}

/* Draws p with plots/xy.gp as DIR/file; -1 with r->err set if that fails. */
static int draw_xy(struct report *r, struct rfig *rf, const char *file, const struct xy_plot *p)
{
    struct fig f;
    char *path = report_join(r->dir, file);
    int rc = -1;
    if (path && fig_begin(&f, path, "xy", r->err, sizeof r->err) == 0) {
        xy_write(&f, p);
        rc = fig_end(&f, r->err, sizeof r->err);
    }
    if (rc == 0)
        snprintf(rf->file, sizeof rf->file, "%s", file);
    free(path);
    return rc;
}

/* Axes scaled logarithmically where the values span two decades or more. */
static void auto_log(struct xy_plot *p)
{
    p->logx = spread(p, 'x') >= 100;
    p->logy = spread(p, 'y') >= 100;
}

/* A metric per scheme against N (or sharing), one panel per other swept parameter. Returns
 * -1 only if drawing failed. */
static int fig_vs(struct report *r, const char *file, const char *what, int y, const char *yname,
                  const char *how)
{
    char title[160];
    snprintf(title, sizeof title, "%s per scheme", what);
    struct rfig *rf = add_fig(r, title);
    struct sel s;
    struct xy_plot p;
    int x = pick_x(r, &r->s), rc = 0;
    if (r->scheme < 0 || y < 0) {
        say(rf->note, sizeof rf->note, "the CSV has no %s column",
            r->scheme < 0 ? "scheme" : yname);
        return 0;
    }
    if (x < 0) {
        say(rf->note, sizeof rf->note, "N and sharing take one value each: there is no line to "
            "draw (sweep --N or --sharing)");
        return 0;
    }
    if (sel_dup(&r->s, &s) != 0)
        return 0;
    sel_keep_numeric(&r->t, &s, y);
    xy_init(&p);
    char pinned[512], words[768];
    int base[] = { r->scheme, x };
    struct xy_spec spec = { x, y, r->scheme, slice(r, &s, base, 2, pinned, sizeof pinned) };
    slice_words(r, spec.facet, pinned, words, sizeof words);
    snprintf(p.title, sizeof p.title, "%s vs %s, per scheme", what, r->t.name[x]);
    snprintf(p.yname, sizeof p.yname, "%s", yname);
    snprintf(p.yunit_col, sizeof p.yunit_col, "%s", r->t.name[y]);
    if (s.n == 0 || xy_build(&p, &r->t, &s, &spec, "", rf->note, sizeof rf->note) < 0) {
        if (s.n == 0)
            say(rf->note, sizeof rf->note, "no row has a number in %s", r->t.name[y]);
    } else {
        auto_log(&p);
        say(rf->how, sizeof rf->how, "%s One line per scheme; x = %s. Each point is the mean "
            "over the seeds of one parameter point, with its 95%% confidence interval.%s", how,
            r->t.name[x], words);
        rc = draw_xy(r, rf, file, &p);
    }
    xy_free(&p);
    sel_free(&s);
    return rc;
}

/* Ratio a / b of two means with the first-order (delta method) 95% half-width, taking a and b
 * independent; NaN half-width if either has none. */
static struct repstats ratio(const struct repstats *a, const struct repstats *b)
{
    struct repstats q = { a->n < b->n ? a->n : b->n, a->mean / b->mean, NAN, NAN };
    double ra = a->ci95 / a->mean, rb = b->ci95 / b->mean;
    q.ci95 = fabs(q.mean) * sqrt(ra * ra + rb * rb);
    q.sd = fabs(q.mean) * hypot(a->sd / a->mean, b->sd / b->mean);
    return q;
}

static int fig_speedup(struct report *r)
{
    struct rfig *rf = add_fig(r, "Speedup vs cores per scheme");
    size_t ncores = report_nvalues(r, &r->s, r->cores);
    if (r->scheme < 0 || r->cores < 0 || r->thr < 0) {
        say(rf->note, sizeof rf->note, "the CSV lacks a scheme, cores or throughput column");
        return 0;
    }
    if (ncores < 2) {
        say(rf->note, sizeof rf->note, "cores takes one value: sweep --cores to see scaling");
        return 0;
    }
    struct sel s;
    struct xy_plot p;
    int rc = 0;
    if (sel_dup(&r->s, &s) != 0)
        return 0;
    sel_keep_numeric(&r->t, &s, r->thr);
    xy_init(&p);
    char pinned[512], words[768];
    int base[] = { r->scheme, r->cores };
    struct xy_spec spec = { r->cores, r->thr, r->scheme, slice(r, &s, base, 2, pinned,
                                                               sizeof pinned) };
    slice_words(r, spec.facet, pinned, words, sizeof words);
    snprintf(p.title, sizeof p.title, "Speedup vs cores, per scheme (throughput over the same "
             "scheme's at its fewest cores)");
    snprintf(p.yname, sizeof p.yname, "speedup (throughput ratio)");
    if (xy_build(&p, &r->t, &s, &spec, "", rf->note, sizeof rf->note) < 0)
        goto out;
    size_t nseries = p.ns;
    for (size_t i = 0; i < nseries; i++) { /* points are sorted by cores: pt[0] is the base */
        struct xy_series *se = &p.s[i];
        struct repstats base0 = se->pt[0].y;
        for (size_t j = 1; j < se->n; j++)
            se->pt[j].y = ratio(&se->pt[j].y, &base0);
        se->pt[0].y.mean = 1;
        se->pt[0].y.sd = se->pt[0].y.ci95 = 0;
    }
    for (size_t fc = 0; fc < p.nfacets; fc++) { /* linear speedup from the panel's fewest */
        double x0 = INFINITY, xs[256];
        size_t nx = 0;
        for (size_t i = 0; i < nseries; i++)
            for (size_t j = 0; p.s[i].facet == fc && j < p.s[i].n; j++) {
                x0 = fmin(x0, p.s[i].pt[j].x);
                size_t k = 0;
                while (k < nx && xs[k] != p.s[i].pt[j].x)
                    k++;
                if (k == nx && nx < 256)
                    xs[nx++] = p.s[i].pt[j].x;
            }
        struct xy_series *lin = xy_add_series(&p, fc, "linear (ideal scaling)");
        for (size_t a = 0; lin && a < nx; a++) /* sorted insertion */
            for (size_t b = a + 1; b < nx; b++)
                if (xs[b] < xs[a]) {
                    double tmp = xs[a];
                    xs[a] = xs[b];
                    xs[b] = tmp;
                }
        for (size_t k = 0; lin && k < nx; k++) {
            struct repstats y = { 1, xs[k] / x0, NAN, NAN };
            xy_add_point(lin, xs[k], &y);
        }
        if (lin) {
            lin->dash = 1;
            lin->errors = 0;
        }
    }
    auto_log(&p);
    say(rf->how, sizeof rf->how, "Speedup = mean throughput at a core count / mean throughput "
        "of the same scheme (and the same other parameters) at the fewest cores of its line "
        "(1 core when the sweep has it). Error bars: 95%% confidence interval of the ratio, "
        "first order (relative half-widths added in quadrature; the base point is exact). "
        "Dashed grey: linear speedup.%s", words);
    rc = draw_xy(r, rf, "speedup_vs_cores.png", &p);
out:
    xy_free(&p);
    sel_free(&s);
    return rc;
}

/* Groups s by every parameter but seed; one point per group. Returns the count (*out
 * malloc'd). */
size_t report_points(const struct report *r, struct sel *s, int y, struct point **out)
{
    int seed = tab_find(&r->t, "seed");
    int *cols = malloc(r->t.keycols * sizeof *cols);
    size_t *start = malloc((s->n + 1) * sizeof *start), nc = 0, np = 0;
    double *v = malloc((s->n + 1) * sizeof *v);
    *out = malloc((s->n + 1) * sizeof **out);
    if (cols && start && v && *out) {
        for (int c = 1; (size_t)c < r->t.keycols; c++)
            if (c != seed)
                cols[nc++] = c;
        size_t ng = sel_group(&r->t, s, cols, nc, start);
        for (size_t g = 0; g < ng; g++) {
            size_t n = start[g + 1] - start[g];
            for (size_t i = 0; i < n; i++)
                v[i] = tab_num(&r->t, s->row[start[g] + i], (size_t)y);
            (*out)[np].row = s->row[start[g]];
            repstats_of(v, n, &(*out)[np].y);
            np += (*out)[np].y.n > 0;
        }
    }
    free(cols);
    free(start);
    free(v);
    return np;
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

/* Simulated break-even of one row of the grid (speedups q[0..n) at sharing x[0..n), NaN where
 * no point): sharing where the speedup first falls through 1, linearly interpolated. */
static double crossing(const double *x, const double *q, size_t n, const char **why)
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

/* Heatmap of delegate scheme d's speedup over the baseline on sharing x N, and its break-even
 * entries. Returns -1 only if drawing failed. */
static int heatmap_of(struct report *r, const char *d)
{
    char title[160], expr[256], file[96];
    snprintf(title, sizeof title, "Speedup of %s over " BASELINE " on sharing x N", d);
    struct rfig *rf = add_fig(r, title);
    struct sel sd, sg, rep = { 0 };
    struct point *pd = NULL, *pg = NULL;
    const char **xv = NULL, **yv = NULL, **fv = NULL;
    size_t npd = 0, npg = 0, nx = 0, ny = 0, nf = 1;
    int rc = 0, facet = -1;
    double *q = NULL, *qci = NULL, *qn = NULL, *xs = NULL;
    long *cell = NULL; /* grid cell -> point of pd */
    char pinned[512] = "", words[768];
    /* The rows of both schemes, cut to one sharing x N grid per panel. */
    snprintf(expr, sizeof expr, "scheme=%s," BASELINE, d);
    if (sel_dup(&r->s, &sd) != 0)
        return 0;
    sel_where(&r->t, &sd, expr, r->err, sizeof r->err);
    sel_keep_numeric(&r->t, &sd, r->thr);
    int base[] = { r->scheme, r->sharing, r->N };
    facet = slice(r, &sd, base, 3, pinned, sizeof pinned);
    slice_words(r, facet, pinned, words, sizeof words);
    if (sel_dup(&sd, &sg) != 0) {
        sel_free(&sd);
        return 0;
    }
    snprintf(expr, sizeof expr, "scheme=%s", d);
    sel_where(&r->t, &sd, expr, r->err, sizeof r->err);
    sel_where(&r->t, &sg, "scheme=" BASELINE, r->err, sizeof r->err);
    npd = report_points(r, &sd, r->thr, &pd);
    npg = report_points(r, &sg, r->thr, &pg);
    /* The delegate points that have a baseline. */
    long *m = malloc((npd + 1) * sizeof *m);
    if (!m || !(rep.row = malloc((npd + 1) * sizeof *rep.row)))
        goto out;
    for (size_t i = 0; i < npd; i++)
        if ((m[i] = match(r, &pd[i], pg, npg)) >= 0)
            rep.row[rep.n++] = pd[i].row;
    if (rep.n == 0) {
        say(rf->note, sizeof rf->note, "no %s point has a " BASELINE " point with the same "
            "workload and cost parameters", d);
        goto out;
    }
    nx = sel_values(&r->t, &rep, r->sharing, &xv);
    ny = sel_values(&r->t, &rep, r->N, &yv);
    if (nx < 2 || ny < 2) {
        say(rf->note, sizeof rf->note, "matched points span %zu value(s) of sharing and %zu of "
            "N: a heatmap needs two of each", nx, ny);
        goto out;
    }
    if (!(xs = malloc(nx * sizeof *xs)))
        goto out;
    if (facet >= 0)
        nf = sel_values(&r->t, &rep, facet, &fv);
    size_t ncell = nf * nx * ny;
    q = malloc(ncell * sizeof *q);
    qci = malloc(ncell * sizeof *qci);
    qn = malloc(ncell * sizeof *qn);
    cell = malloc(ncell * sizeof *cell);
    if (!q || !qci || !qn || !cell)
        goto out;
    for (size_t i = 0; i < ncell; i++) {
        q[i] = qci[i] = NAN;
        qn[i] = 0;
        cell[i] = -1;
    }
    for (size_t i = 0; i < npd; i++) {
        if (m[i] < 0)
            continue;
        size_t row = pd[i].row;
        int fi = facet >= 0 ? index_of(fv, nf, tab_at(&r->t, row, (size_t)facet)) : 0;
        int xi = index_of(xv, nx, tab_at(&r->t, row, (size_t)r->sharing));
        int yi = index_of(yv, ny, tab_at(&r->t, row, (size_t)r->N));
        size_t c = ((size_t)fi * ny + (size_t)yi) * nx + (size_t)xi;
        struct repstats s = ratio(&pd[i].y, &pg[m[i]].y);
        q[c] = s.mean;
        qci[c] = s.ci95;
        qn[c] = (double)s.n;
        cell[c] = (long)i;
    }
    struct fig f;
    snprintf(file, sizeof file, "heatmap_%s.png", d);
    char *path = report_join(r->dir, file), fixed[1024];
    rc = -1;
    if (!path || fig_begin(&f, path, "heatmap", r->err, sizeof r->err) != 0) {
        free(path);
        goto out;
    }
    free(path);
    sel_fixed(&r->t, &rep, fixed, sizeof fixed);
    fig_meta(&f, "title", "Speedup of %s over " BASELINE " (throughput ratio, mean over seeds)",
             d);
    fig_meta(&f, "subtitle1", "%s", fixed);
    fig_meta(&f, "subtitle2", "line: break-even (speedup = 1), interpolated between cells; "
             "grey: no matching " BASELINE " point");
    fig_meta(&f, "xlabel", "sharing (share of object accesses to another thread's objects)");
    fig_meta(&f, "ylabel", "N (drain interval, opcodes)");
    fig_meta(&f, "cblabel", "speedup of %s over " BASELINE, d);
    fig_meta(&f, "cbname", "speedup");
    fig_meta(&f, "level", "1.0");
    char list[2048] = "";
    for (size_t i = 0, used = 0; i < nx && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? " " : "", xv[i]);
    fig_meta(&f, "xvalues", "%s", list);
    list[0] = '\0';
    for (size_t i = 0, used = 0; i < ny && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? " " : "", yv[i]);
    fig_meta(&f, "yvalues", "%s", list);
    fig_meta(&f, "facets", "%zu", nf);
    int mcol = tab_find(&r->t, "sharing_breakeven_model");
    for (size_t fi = 0; fi < nf; fi++) { /* settings first: they end at the first block */
        char key[32];
        snprintf(key, sizeof key, "facet%zu", fi + 1);
        fig_meta(&f, key, "%s%s%s", facet >= 0 ? r->t.name[facet] : "", facet >= 0 ? "=" : "",
                 facet >= 0 ? fv[fi] : "");
    }
    for (size_t fi = 0; fi < nf; fi++) {
        char panel[128] = "";
        if (facet >= 0)
            snprintf(panel, sizeof panel, "%s=%s", r->t.name[facet], fv[fi]);
        fig_block(&f, "%s%s%s: ix iy sharing N speedup ci95 n", d, panel[0] ? ", " : "", panel);
        for (size_t yi = 0; yi < ny; yi++) {
            double model = 0;
            size_t nmodel = 0;
            for (size_t xi = 0; xi < nx; xi++) {
                size_t c = (fi * ny + yi) * nx + xi;
                fprintf(f.dat, "%zu\t%zu\t%s\t%s\t%.10g\t%.10g\t%.0f\n", xi, yi, xv[xi], yv[yi],
                        q[c], qci[c], qn[c]);
                xs[xi] = strtod(xv[xi], NULL);
                double mv = cell[c] >= 0 && mcol >= 0 ? tab_num(&r->t, pd[cell[c]].row,
                                                                (size_t)mcol) : NAN;
                if (isfinite(mv)) {
                    model += mv;
                    nmodel++;
                }
            }
            fputc('\n', f.dat);
            if (r->nbe < MAX_BE) {
                struct breakeven *b = &r->be[r->nbe++];
                snprintf(b->scheme, sizeof b->scheme, "%s", d);
                snprintf(b->panel, sizeof b->panel, "%s", panel);
                b->N = strtod(yv[yi], NULL);
                b->why = NULL;
                b->sim = crossing(xs, q + (fi * ny + yi) * nx, nx, &b->why);
                b->model = nmodel ? model / (double)nmodel : NAN;
            }
        }
    }
    if (fig_end(&f, r->err, sizeof r->err) != 0)
        goto out;
    rc = 0;
    snprintf(rf->file, sizeof rf->file, "%s", file);
    say(rf->how, sizeof rf->how, "Each cell: mean throughput of %s over its seeds / mean "
        "throughput of " BASELINE " over its seeds at the same workload and cost parameters "
        "(scheme knobs aside). Blue: %s faster; red: slower. The black line is the contour "
        "speedup = 1, linearly interpolated between neighbouring cells (cells are placed "
        "evenly, whatever the spacing of the values swept). The cell data (with 95%% CI of "
        "each ratio) is in %.*s.dat.%s", d, d, (int)(strlen(file) - 4), file, words);
out:
    free(m);
    free(xs);
    free(q);
    free(qci);
    free(qn);
    free(cell);
    free(xv);
    free(yv);
    free(fv);
    free(pd);
    free(pg);
    sel_free(&rep);
    sel_free(&sd);
    sel_free(&sg);
    return rc;
}

static int fig_heatmaps(struct report *r)
{
    const char **v = NULL;
    size_t n = r->scheme >= 0 ? sel_values(&r->t, &r->s, r->scheme, &v) : 0, nd = 0;
    int has_base = index_of(v, n, BASELINE) >= 0, rc = 0;
    const char *why = NULL;
    if (r->scheme < 0 || r->sharing < 0 || r->N < 0 || r->thr < 0)
        why = "the CSV lacks a scheme, sharing, N or throughput column";
    for (size_t i = 0; i < n; i++)
        nd += strncmp(v[i], "delegate", 8) == 0;
    if (!why && !has_base)
        why = "the CSV has no " BASELINE " rows: there is nothing to compare against";
    else if (!why && nd == 0)
        why = "the CSV has no delegate scheme rows";
    if (why) {
        struct rfig *rf = add_fig(r, "Heatmap: delegate speedup over " BASELINE " on sharing x N");
        say(rf->note, sizeof rf->note, "%s", why);
    }
    for (size_t i = 0; !why && rc == 0 && i < n; i++)
        if (strncmp(v[i], "delegate", 8) == 0)
            rc = heatmap_of(r, v[i]);
    free(v);
    return rc;
}

static int fig_latency(struct report *r)
{
    struct rfig *rf = add_fig(r, "Delegated-op latency (p50, p99) with the analytic model");
    int p50 = tab_find(&r->t, "lat_p50"), p99 = tab_find(&r->t, "lat_p99");
    int model = tab_find(&r->t, "lat_model"), dl = tab_find(&r->t, "delegations");
    int x = pick_x(r, &r->s), rc = 0;
    if (r->scheme < 0 || p50 < 0 || p99 < 0 || dl < 0) {
        say(rf->note, sizeof rf->note, "the CSV lacks a scheme, lat_p50, lat_p99 or "
            "delegations column");
        return 0;
    }
    if (x < 0) {
        say(rf->note, sizeof rf->note, "N and sharing take one value each: there is no line to "
            "draw");
        return 0;
    }
    struct sel s;
    struct xy_plot p;
    if (sel_dup(&r->s, &s) != 0)
        return 0;
    size_t kept = 0; /* runs that delegated: their latency percentiles mean something */
    for (size_t i = 0; i < s.n; i++)
        if (tab_num(&r->t, s.row[i], (size_t)dl) > 0)
            s.row[kept++] = s.row[i];
    s.n = kept;
    if (s.n == 0) {
        say(rf->note, sizeof rf->note, "no run delegated an operation (delegations = 0 in "
            "every row)");
        sel_free(&s);
        return 0;
    }
    xy_init(&p);
    char pinned[512], words[768];
    int base[] = { r->scheme, x };
    struct xy_spec spec = { x, p50, r->scheme, slice(r, &s, base, 2, pinned, sizeof pinned) };
    slice_words(r, spec.facet, pinned, words, sizeof words);
    snprintf(p.title, sizeof p.title, "Delegated-op latency vs %s: p50 (circles), p99 "
             "(squares), model of the mean (dashed)", r->t.name[x]);
    snprintf(p.yname, sizeof p.yname, "delegated-op latency");
    snprintf(p.yunit_col, sizeof p.yunit_col, "lat_p50");
    static const struct { const char *suffix; int point, dash, errors; } style[] = {
        { " p50", 7, 0, 1 }, { " p99", 5, 0, 1 }, { " model", 0, 1, 0 } };
    int ycol[] = { p50, p99, model };
    for (int k = 0; k < 3 && rc == 0; k++) {
        struct sel sk;
        if (ycol[k] < 0 || sel_dup(&s, &sk) != 0)
            continue;
        sel_keep_numeric(&r->t, &sk, ycol[k]);
        spec.y = ycol[k];
        int first = sk.n ? xy_build(&p, &r->t, &sk, &spec, style[k].suffix, rf->note,
                                    sizeof rf->note) : -1;
        for (size_t i = first < 0 ? p.ns : (size_t)first; i < p.ns; i++) {
            p.s[i].point = style[k].point;
            p.s[i].dash = style[k].dash;
            p.s[i].errors = style[k].errors;
        }
        sel_free(&sk);
        if (first < 0 && k < 2)
            rc = 1;
    }
    if (rc == 0) {
        auto_log(&p);
        say(rf->how, sizeof rf->how, "For the schemes that delegate: each run's median (p50) "
            "and 99th percentile (p99) of delegated-op latency (push to the requester running "
            "again), averaged over the seeds of a point (95%% CI error bars). Dashed, same "
            "colour: lat_model, the first-order prediction of the mean latency of "
            "SCHEMES.md 5(c) (push + N c / 2 + service + wake)%s. Runs with no delegation "
            "are left out.%s", model < 0 ? " (absent from this CSV)" : "", words);
        rc = draw_xy(r, rf, "latency_vs_N.png", &p);
    } else {
        rc = 0;
    }
    xy_free(&p);
    sel_free(&s);
    return rc;
}

static int fig_breakeven(struct report *r)
{
    struct rfig *rf = add_fig(r, "Break-even sharing: simulated vs predicted");
    struct xy_plot p;
    size_t nsim = 0;
    if (r->nbe == 0) {
        say(rf->note, sizeof rf->note, "no heatmap was drawn (see above): the simulated "
            "break-even is read from it");
        return 0;
    }
    xy_init(&p);
    snprintf(p.title, sizeof p.title, "Break-even sharing vs N: simulated against " BASELINE
             " (solid), sharing_breakeven_model (dashed)");
    snprintf(p.xname, sizeof p.xname, "N");
    snprintf(p.xunit_col, sizeof p.xunit_col, "N");
    snprintf(p.yname, sizeof p.yname, "break-even sharing");
    snprintf(p.fixed, sizeof p.fixed, "points: sharing where the heatmap's speedup falls "
             "through 1; none where it does not within the sweep");
    snprintf(p.bars, sizeof p.bars, "computed from means over seeds (no error bars)");
    for (size_t i = 0; i < r->nbe; i++) {
        const struct breakeven *b = &r->be[i];
        for (int k = 0; k < 2; k++) {
            double v = k == 0 ? b->sim : b->model;
            if (!isfinite(v))
                continue;
            char label[256];
            snprintf(label, sizeof label, "%s %s", b->scheme, k == 0 ? "simulated" : "model");
            size_t fc = 0;
            while (fc < p.nfacets && strcmp(p.facet[fc], b->panel) != 0)
                fc++;
            if (fc == p.nfacets && fc < 64 && (p.facet[fc] = strdup(b->panel)))
                p.nfacets++;
            struct xy_series *se = NULL;
            for (size_t j = 0; j < p.ns && !se; j++)
                if (p.s[j].facet == fc && strcmp(p.s[j].label, label) == 0)
                    se = &p.s[j];
            if (!se && (se = xy_add_series(&p, fc, label))) {
                se->color = xy_scheme_color(b->scheme);
                se->dash = k;
                se->errors = 0;
                se->point = k == 0 ? 7 : 0;
            }
            struct repstats y = { 1, v, NAN, NAN };
            if (se)
                xy_add_point(se, b->N, &y);
            nsim += k == 0;
        }
    }
    int rc = 0;
    if (p.ns == 0) {
        say(rf->note, sizeof rf->note, "neither a simulated break-even (the speedup does not "
            "cross 1 within the sharing swept) nor a model value (sharing_breakeven_model)");
    } else {
        p.logx = spread(&p, 'x') >= 100;
        say(rf->how, sizeof rf->how, "Solid: the sharing at which the delegate scheme's "
            "speedup over " BASELINE " falls through 1 along each row (N) of its heatmap, "
            "linearly interpolated between the two swept sharing values around it%s. Dashed: "
            "the mean of sharing_breakeven_model over the same row, the first-order break-even "
            "of SCHEMES.md 5(c), which is against a GIL on one core (the simulation compares "
            "with " BASELINE " on the same cores).", nsim ? "" : " (no row crosses 1: none "
            "drawn)");
        rc = draw_xy(r, rf, "breakeven.png", &p);
    }
    xy_free(&p);
    return rc;
}

/* ---- the output directory ---- */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void rm_tree(const char *dir)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* 0 if dir may be written: absent, empty, or a previous gilsim report. */
static int check_dir(const char *dir, char *err, size_t errlen)
{
    struct stat st;
    if (stat(dir, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "-o: '%s' exists and is not a directory", dir);
        return -1;
    }
    char *index = report_join(dir, "index.html"), line[512];
    FILE *f = index ? fopen(index, "r") : NULL;
    int ours = 0;
    while (f && !ours && fgets(line, sizeof line, f))
        ours = strstr(line, MARKER) != NULL;
    if (f)
        fclose(f);
    free(index);
    if (ours || rmdir(dir) == 0 || errno == ENOENT)
        return 0;
    snprintf(err, errlen, "-o: '%s' exists and is not a gilsim report (not replacing it)", dir);
    return -1;
}

/* Creates the missing directories above path (mkdir -p of its parent). */
static int make_parents(const char *path)
{
    char *buf = strdup(path);
    int rc = buf ? 0 : -1;
    for (char *c = buf ? buf + 1 : NULL; c && *c && rc == 0; c++)
        if (*c == '/') {
            *c = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                rc = -1;
            *c = '/';
        }
    free(buf);
    return rc;
}

/* Puts the finished tmp directory in place of dir. */
static int swap_dir(const char *tmp, const char *dir, char *err, size_t errlen)
{
    size_t len = strlen(dir) + 32;
    char *old = malloc(len);
    if (!old) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(old, len, "%s.old.%ld", dir, (long)getpid());
    int had = rename(dir, old) == 0, rc = 0;
    if (rename(tmp, dir) != 0) {
        snprintf(err, errlen, "-o: cannot create '%s': %s", dir, strerror(errno));
        if (had)
            rename(old, dir);
        rc = -1;
    } else if (had) {
        rm_tree(old);
    }
    free(old);
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: gilsim report RESULTS.csv -o DIR [--where=COL=VALUE[,VALUE...] ...]\n"
               "\n"
               "Draws the standard figures of a design review from a results CSV into DIR and\n"
               "writes DIR/index.html (open it in a browser): throughput, speedup vs cores,\n"
               "delegate vs gil-interval heatmap with its break-even contour, delegated-op\n"
               "latency with the analytic model, waiting share, simulated vs predicted\n"
               "break-even sharing. A figure the CSV cannot support is skipped with a note.\n"
               "DIR is replaced whole if it holds a previous report. docs/plots.md.\n");
}

int report_main(int argc, char **argv)
{
    struct report *r = calloc(1, sizeof *r);
    const char *out = NULL, *where[MAX_WHERE];
    char *outdir = NULL;
    int nwhere = 0, rc = GS_USAGE;
    if (!r)
        return GS_FAILED;
    for (int i = 1; i < argc && !r->err[0]; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            free(r);
            return GS_OK;
        } else if (strcmp(a, "-o") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strncmp(a, "--output=", 9) == 0 && a[9]) {
            out = a + 9;
        } else if (strncmp(a, "--where=", 8) == 0 && nwhere < MAX_WHERE) {
            where[nwhere++] = a + 8;
        } else if (a[0] == '-' && a[1]) {
            snprintf(r->err, sizeof r->err, strcmp(a, "-o") == 0 ? "-o: missing directory" :
                     "unknown option '%s' (gilsim report --help lists them)", a);
        } else if (!r->csv) {
            r->csv = a;
        } else {
            snprintf(r->err, sizeof r->err, "unexpected argument '%s' (one results CSV)", a);
        }
    }
    if (!r->err[0] && (!r->csv || !out))
        snprintf(r->err, sizeof r->err, !r->csv ? "missing the results CSV (gilsim report "
                 "--help)" : "missing -o DIR");
    if (r->err[0] || tab_load(&r->t, r->csv, r->err, sizeof r->err) != 0)
        goto done;
    if (sel_all(&r->t, &r->all) != 0) {
        snprintf(r->err, sizeof r->err, "out of memory");
        rc = GS_FAILED;
        goto done;
    }
    for (int i = 0; i < nwhere; i++)
        if (sel_where(&r->t, &r->all, where[i], r->err, sizeof r->err) != 0)
            goto done;
    if (sel_dup(&r->all, &r->s) != 0)
        goto done;
    sel_drop_failed(&r->t, &r->s, &r->dead, &r->failed);
    if (r->s.n == 0) {
        snprintf(r->err, sizeof r->err, "%s: no rows to report (%zu match --where; %zu "
                 "deadlocked, %zu failed the check)", r->csv, r->all.n, r->dead, r->failed);
        goto done;
    }
    if (!(outdir = strdup(out))) {
        rc = GS_FAILED;
        goto done;
    }
    for (size_t n = strlen(outdir); n > 1 && outdir[n - 1] == '/';) /* "rep/" is "rep" */
        outdir[--n] = '\0';
    out = outdir;
    if (check_dir(out, r->err, sizeof r->err) != 0)
        goto done;
    rc = GS_FAILED;
    size_t len = strlen(out) + 32;
    if (!(r->dir = malloc(len)))
        goto done;
    snprintf(r->dir, len, "%s.tmp.%ld", out, (long)getpid());
    if (make_parents(r->dir) != 0 || mkdir(r->dir, 0755) != 0) {
        snprintf(r->err, sizeof r->err, "-o: cannot create '%s': %s", r->dir, strerror(errno));
        free(r->dir);
        r->dir = NULL;
        goto done;
    }
    r->scheme = tab_find(&r->t, "scheme");
    r->N = tab_find(&r->t, "N");
    r->sharing = tab_find(&r->t, "sharing");
    r->cores = tab_find(&r->t, "cores");
    r->thr = tab_find(&r->t, "throughput");
    if (fig_vs(r, "throughput_vs_N.png", "Throughput", r->thr, "throughput",
               "Opcodes completed per simulated second, all threads.") != 0 ||
        fig_speedup(r) != 0 || fig_heatmaps(r) != 0 || fig_latency(r) != 0 ||
        fig_vs(r, "wait_share.png", "Waiting share", tab_find(&r->t, "wait_share"),
               "waiting share (of thread time)", "Share of thread time spent waiting on "
               "delegated ops: sum of waits / (threads x makespan).") != 0 ||
        fig_breakeven(r) != 0 || report_write_index(r) != 0 ||
        swap_dir(r->dir, out, r->err, sizeof r->err) != 0)
        goto done;
    rc = GS_OK;
    printf("gilsim report: %s/index.html (", out);
    for (size_t i = 0, drawn = 0; i <= r->nfig; i++)
        if (i == r->nfig)
            printf("%zu figures, %zu skipped)\n", drawn, r->nfig - drawn);
        else
            drawn += r->fig[i].file[0] != 0;
done:
    if (rc != GS_OK)
        fprintf(stderr, "gilsim: report: %s\n", r->err[0] ? r->err : "out of memory");
    if (rc != GS_OK && r->dir)
        rm_tree(r->dir);
    free(r->dir);
    free(outdir);
    sel_free(&r->all);
    sel_free(&r->s);
    tab_free(&r->t);
    free(r);
    return rc;
}
