/* The line figures of gilsim report (see report_int.h), each computed from the points of the
 * rows (means and 95% CI over seeds), one line per scheme: throughput and waiting share
 * against N (or sharing), speedup against cores, delegated-op latency beside its model. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_table.h"
#include "plot_xy.h"
#include "report_int.h"
#include "repstats.h"

/* The x of the "vs" figures: N if it takes two values or more, else sharing if it does. */
static int pick_x(const struct report *r, const struct sel *s)
{
    return report_nvalues(r, s, r->N) >= 2         ? r->N
           : report_nvalues(r, s, r->sharing) >= 2 ? r->sharing
                                                   : -1;
}

/* Axes scaled logarithmically where the values span two decades or more. */
static void auto_log(struct xy_plot *p)
{
    p->logx = report_spread(p, 'x') >= 100;
    p->logy = report_spread(p, 'y') >= 100;
}

/* Starts a figure of y against x, one line per scheme, over the rows of s: cuts s into
 * panels (report_slice) and returns the columns to build; words gets the caption's part. */
static struct xy_spec per_scheme(struct report *r, struct sel *s, int x, int y, char *words,
                                 size_t len)
{
    int base[] = { r->scheme, x };
    struct xy_spec spec = { x, y, r->scheme, report_slice(r, s, base, 2, words, len) };
    return spec;
}

/* A metric per scheme against N (or sharing), one panel per other swept parameter. */
static int fig_vs(struct report *r, const char *file, const char *what, int y, const char *yname,
                  const char *how)
{
    char title[160], words[768];
    snprintf(title, sizeof title, "%s per scheme", what);
    struct rfig *rf = report_add_fig(r, title);
    struct sel s;
    struct xy_plot p;
    int x = pick_x(r, &r->s), rc = 0;
    if (r->scheme < 0 || y < 0)
        return report_skip(rf, "the CSV has no %s column", r->scheme < 0 ? "scheme" : yname);
    if (x < 0)
        return report_skip(rf, "N and sharing take one value each: there is no line to draw "
                           "(sweep --N or --sharing)");
    if (sel_dup(&r->s, &s) != 0)
        return 0;
    sel_keep_numeric(&r->t, &s, y);
    xy_init(&p);
    struct xy_spec spec = per_scheme(r, &s, x, y, words, sizeof words);
    snprintf(p.title, sizeof p.title, "%s vs %s, per scheme", what, r->t.name[x]);
    snprintf(p.yname, sizeof p.yname, "%s", yname);
    snprintf(p.yunit_col, sizeof p.yunit_col, "%s", r->t.name[y]);
    if (s.n == 0 || xy_build(&p, &r->t, &s, &spec, "", rf->note, sizeof rf->note) < 0) {
        if (s.n == 0)
            report_skip(rf, "no row has a number in %s", r->t.name[y]);
    } else {
        auto_log(&p);
        report_how(rf, "%s One line per scheme; x = %s. Each point is the mean over the seeds "
                   "of one parameter point, with its 95%% confidence interval.%s", how,
                   r->t.name[x], words);
        rc = report_draw_xy(r, rf, file, &p);
    }
    xy_free(&p);
    sel_free(&s);
    return rc;
}

int report_throughput(struct report *r)
{
    return fig_vs(r, "throughput_vs_N.png", "Throughput", r->thr, "throughput",
                  "Opcodes completed per simulated second, all threads.");
}

int report_wait_share(struct report *r)
{
    return fig_vs(r, "wait_share.png", "Waiting share", tab_find(&r->t, "wait_share"),
                  "waiting share (of thread time)", "Share of thread time spent waiting on "
                  "delegated ops: sum of waits / (threads x makespan).");
}

/* Each line's throughput over its first point's (points are sorted by cores: pt[0] is the
 * fewest), which becomes exactly 1. */
void report_to_speedup(struct xy_plot *p)
{
    for (size_t i = 0; i < p->ns; i++) {
        struct xy_series *se = &p->s[i];
        struct repstats base0 = se->pt[0].y;
        for (size_t j = 1; j < se->n; j++)
            se->pt[j].y = report_ratio(&se->pt[j].y, &base0);
        se->pt[0].y.mean = 1;
        se->pt[0].y.sd = se->pt[0].y.ci95 = 0;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Adds to each panel the dashed grey line of linear speedup from the panel's fewest cores,
 * at every core count of its first nseries lines. */
static void add_linear(struct xy_plot *p, size_t nseries)
{
    for (size_t fc = 0; fc < p->nfacets; fc++) {
        double x0 = INFINITY, xs[256];
        size_t nx = 0;
        for (size_t i = 0; i < nseries; i++)
            for (size_t j = 0; p->s[i].facet == fc && j < p->s[i].n; j++) {
                double x = p->s[i].pt[j].x;
                size_t k = 0;
                x0 = fmin(x0, x);
                while (k < nx && xs[k] != x)
                    k++;
                if (k == nx && nx < 256)
                    xs[nx++] = x;
            }
        struct xy_series *lin = xy_add_series(p, fc, "linear (ideal scaling)");
        if (!lin)
            continue;
        lin->dash = 1;
        lin->errors = 0;
        qsort(xs, nx, sizeof *xs, cmp_double);
        for (size_t k = 0; k < nx; k++) {
            struct repstats y = { 1, xs[k] / x0, NAN, NAN };
            xy_add_point(lin, xs[k], &y);
        }
    }
}

int report_speedup(struct report *r)
{
    struct rfig *rf = report_add_fig(r, "Speedup vs cores per scheme");
    if (r->scheme < 0 || r->cores < 0 || r->thr < 0)
        return report_skip(rf, "the CSV lacks a scheme, cores or throughput column");
    if (report_nvalues(r, &r->s, r->cores) < 2)
        return report_skip(rf, "cores takes one value: sweep --cores to see scaling");
    struct sel s;
    struct xy_plot p;
    char words[768];
    int rc = 0;
    if (sel_dup(&r->s, &s) != 0)
        return 0;
    sel_keep_numeric(&r->t, &s, r->thr);
    xy_init(&p);
    struct xy_spec spec = per_scheme(r, &s, r->cores, r->thr, words, sizeof words);
    snprintf(p.title, sizeof p.title, "Speedup vs cores, per scheme (throughput over the same "
             "scheme's at its fewest cores)");
    snprintf(p.yname, sizeof p.yname, "speedup (throughput ratio)");
    if (xy_build(&p, &r->t, &s, &spec, "", rf->note, sizeof rf->note) >= 0) {
        size_t nseries = p.ns;
        report_to_speedup(&p);
        add_linear(&p, nseries);
        auto_log(&p);
        report_how(rf, "Speedup = mean throughput at a core count / mean throughput of the "
                   "same scheme (and the same other parameters) at the fewest cores of its line "
                   "(1 core when the sweep has it). Error bars: 95%% confidence interval of the "
                   "ratio, first order (relative half-widths added in quadrature; the base "
                   "point is exact). Dashed grey: linear speedup.%s", words);
        rc = report_draw_xy(r, rf, "speedup_vs_cores.png", &p);
    }
    xy_free(&p);
    sel_free(&s);
    return rc;
}

int report_latency(struct report *r)
{
    struct rfig *rf = report_add_fig(r, "Delegated-op latency (p50, p99) with the analytic "
                                        "model");
    int p50 = tab_find(&r->t, "lat_p50"), p99 = tab_find(&r->t, "lat_p99");
    int model = tab_find(&r->t, "lat_model"), dl = tab_find(&r->t, "delegations");
    int x = pick_x(r, &r->s), rc = 0;
    if (r->scheme < 0 || p50 < 0 || p99 < 0 || dl < 0)
        return report_skip(rf, "the CSV lacks a scheme, lat_p50, lat_p99 or delegations "
                           "column");
    if (x < 0)
        return report_skip(rf, "N and sharing take one value each: there is no line to draw");
    struct sel s;
    struct xy_plot p;
    char words[768];
    if (sel_dup(&r->s, &s) != 0)
        return 0;
    report_keep_delegating(r, &s); /* runs that delegated: their percentiles mean something */
    if (s.n == 0) {
        sel_free(&s);
        return report_skip(rf, "no run delegated an operation (delegations = 0 in every row)");
    }
    xy_init(&p);
    struct xy_spec spec = per_scheme(r, &s, x, p50, words, sizeof words);
    snprintf(p.title, sizeof p.title, "Delegated-op latency vs %s: p50 (circles), p99 "
             "(squares), model of the mean (dashed)", r->t.name[x]);
    snprintf(p.yname, sizeof p.yname, "delegated-op latency");
    snprintf(p.yunit_col, sizeof p.yunit_col, "lat_p50");
    static const struct { const char *suffix; int point, dash, errors; } style[] = {
        { " p50", 7, 0, 1 }, { " p99", 5, 0, 1 }, { " model", 0, 1, 0 } };
    int ycol[] = { p50, p99, model }, missing = 0;
    for (int k = 0; k < 3 && !missing; k++) {
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
        missing = first < 0 && k < 2; /* p50 and p99 are needed; the model is not */
    }
    if (!missing) {
        auto_log(&p);
        report_how(rf, "For the schemes that delegate: each run's median (p50) and 99th "
                   "percentile (p99) of delegated-op latency (push to the requester running "
                   "again), averaged over the seeds of a point (95%% CI error bars). Dashed, "
                   "same colour: lat_model, the first-order prediction of the mean latency of "
                   "docs/schemes.md, delegate (push + N c / 2 + service + wake)%s. Runs with no "
                   "delegation are left out.%s", model < 0 ? " (absent from this CSV)" : "",
                   words);
        rc = report_draw_xy(r, rf, "latency_vs_N.png", &p);
    }
    xy_free(&p);
    sel_free(&s);
    return rc;
}
