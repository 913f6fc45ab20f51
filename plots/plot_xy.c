/* Line figures with 95% CI error bars (see plot_xy.h): grouping rows into panels, series and
 * points, and writing them as settings + data blocks for plots/templates/xy.gp. */
#define _POSIX_C_SOURCE 200809L
#include "plot_xy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"

void xy_init(struct xy_plot *p)
{
    memset(p, 0, sizeof *p);
}

void xy_free(struct xy_plot *p)
{
    for (size_t i = 0; i < p->nfacets; i++)
        free(p->facet[i]);
    for (size_t i = 0; i < p->ns; i++)
        free(p->s[i].pt);
    free(p->s);
    memset(p, 0, sizeof *p);
}

static long facet_index(struct xy_plot *p, const char *label)
{
    for (size_t i = 0; i < p->nfacets; i++)
        if (strcmp(p->facet[i], label) == 0)
            return (long)i;
    if (p->nfacets == sizeof p->facet / sizeof p->facet[0])
        return -1;
    if (!(p->facet[p->nfacets] = strdup(label)))
        return -1;
    return (long)p->nfacets++;
}

struct xy_series *xy_add_series(struct xy_plot *p, size_t facet, const char *label)
{
    if (p->ns == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 16;
        struct xy_series *s = realloc(p->s, cap * sizeof *s);
        if (!s)
            return NULL;
        p->s = s;
        p->cap = cap;
    }
    struct xy_series *s = &p->s[p->ns++];
    memset(s, 0, sizeof *s);
    s->facet = facet;
    s->errors = 1;
    snprintf(s->label, sizeof s->label, "%s", label);
    return s;
}

int xy_add_point(struct xy_series *s, double x, const struct repstats *y)
{
    struct xy_point *pt = realloc(s->pt, (s->n + 1) * sizeof *pt);
    if (!pt)
        return -1;
    s->pt = pt;
    s->pt[s->n].x = x;
    s->pt[s->n].wilson = 0;
    s->pt[s->n++].y = *y;
    return 0;
}

int xy_scheme_color(const char *scheme)
{
    /* The scheme's place among the `scheme` parameter's choices: one colour per scheme in
     * every figure. */
    const char *(*name_at)(size_t i) = param_find("scheme")->choice;
    size_t i = 0;
    for (; name_at(i); i++)
        if (strcmp(name_at(i), scheme) == 0)
            return (int)i + 1;
    unsigned h = 0; /* a scheme this build does not know: a stable colour after the known ones */
    for (const char *c = scheme; *c; c++)
        h = h * 31 + (unsigned char)*c;
    return (int)(i + 1 + h % 4);
}

/* "cores=4" for one cell of a column, appended to buf with a separator. */
static void name_value(char *buf, size_t len, const char *sep, const char *name, const char *v)
{
    size_t used = strlen(buf);
    if (used < len)
        snprintf(buf + used, len - used, "%s%s=%s", used ? sep : "", name, v);
}

/* 1 if rows a and b differ in one of cols[0..n-1]. */
static int differ(const struct tab *t, size_t a, size_t b, const int *cols, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cell_cmp(tab_at(t, a, (size_t)cols[i]), tab_at(t, b, (size_t)cols[i])) != 0)
            return 1;
    return 0;
}

/* 1 + the number of distinct labels of series first.. that sort before series i's. */
static int label_rank(const struct xy_plot *p, size_t first, size_t i)
{
    int rank = 1;
    for (size_t j = first; j < p->ns; j++) {
        int seen = 0;
        for (size_t k = first; k < j && !seen; k++)
            seen = strcmp(p->s[k].label, p->s[j].label) == 0;
        rank += !seen && strcmp(p->s[j].label, p->s[i].label) < 0;
    }
    return rank;
}

int xy_build(struct xy_plot *p, const struct tab *t, struct sel *s, const struct xy_spec *spec,
             const char *label_suffix, char *err, size_t errlen)
{
    size_t first = p->ns;
    int rc = -1;
    for (size_t i = 0; i < s->n; i++)
        if (!isfinite(tab_num(t, s->row[i], (size_t)spec->x))) {
            snprintf(err, errlen, "--x: column '%s' holds '%s', not a number",
                     t->name[spec->x], tab_at(t, s->row[i], (size_t)spec->x));
            return -1;
        }
    /* cols = [facet] [by] extras... x: sorted on them, a series is a run of equal leading
     * cells and a point a run of equal cells. */
    int *cols = malloc((t->keycols + 4) * sizeof *cols);
    int *extra = malloc(t->keycols * sizeof *extra);
    size_t *start = malloc((s->n + 1) * sizeof *start), nlead = 0;
    double *y = malloc((s->n + 1) * sizeof *y);
    if (!cols || !extra || !start || !y) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (spec->facet >= 0)
        cols[nlead++] = spec->facet;
    if (spec->by >= 0)
        cols[nlead++] = spec->by;
    cols[nlead] = spec->x;
    size_t nextra = sel_extras(t, s, cols, nlead + 1, extra);
    memcpy(cols + nlead, extra, nextra * sizeof *cols);
    nlead += nextra;
    cols[nlead] = spec->x;
    size_t ng = sel_group(t, s, cols, nlead + 1, start);
    struct xy_series *cur = NULL;
    for (size_t g = 0; g < ng; g++) {
        size_t r0 = s->row[start[g]];
        if (!cur || differ(t, s->row[start[g - 1]], r0, cols, nlead)) {
            char flabel[256] = "", slabel[sizeof cur->label] = "", key[sizeof cur->key] = "";
            if (spec->facet >= 0)
                name_value(flabel, sizeof flabel, ", ", t->name[spec->facet],
                           tab_at(t, r0, (size_t)spec->facet));
            if (spec->by >= 0)
                snprintf(key, sizeof key, "%s", tab_at(t, r0, (size_t)spec->by));
            snprintf(slabel, sizeof slabel, "%s", key);
            if (key[0] && strcmp(t->name[spec->by], "scheme") != 0) /* "threads=2", not "2" */
                snprintf(slabel, sizeof slabel, "%.64s=%.180s", t->name[spec->by], key);
            for (size_t e = 0; e < nextra; e++)
                name_value(slabel, sizeof slabel, " ", t->name[extra[e]],
                           tab_at(t, r0, (size_t)extra[e]));
            if (!slabel[0])
                snprintf(slabel, sizeof slabel, "%s", t->name[spec->y]);
            size_t used = strlen(slabel);
            snprintf(slabel + used, sizeof slabel - used, "%s", label_suffix);
            long fi = facet_index(p, flabel);
            if (fi < 0 || !(cur = xy_add_series(p, (size_t)fi, slabel))) {
                snprintf(err, errlen, fi < 0 ? "--facet: more than 64 panels" : "out of memory");
                goto fail;
            }
            snprintf(cur->key, sizeof cur->key, "%s", key);
        }
        size_t n = start[g + 1] - start[g];
        struct repstats st;
        tab_stats(t, s->row + start[g], n, spec->y, y, &st);
        if (st.n == 0)
            continue; /* no number for this point (e.g. a model that does not apply) */
        size_t k = 0; /* a share needs the runs: plot's tables, never a folded one */
        for (size_t i = 0; p->binomial && !t->fold && i < n; i++)
            k += y[i] != 0;
        if (p->binomial)
            st.ci95 = NAN; /* a share has the Wilson interval, not a t one */
        if (xy_add_point(cur, tab_num(t, r0, (size_t)spec->x), &st) != 0) {
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
        if (p->binomial) {
            cur->pt[cur->n - 1].wilson = 1;
            repstats_wilson(k, st.n, &cur->pt[cur->n - 1].lo, &cur->pt[cur->n - 1].hi);
        }
        p->nmin = p->nmin && p->nmin < st.n ? p->nmin : st.n;
        p->nmax = p->nmax > st.n ? p->nmax : st.n;
    }
    /* Drop series without points; colour the others: by scheme when series are schemes, else
     * by the rank of the label, so that a series keeps its colour across panels. */
    size_t kept = first;
    for (size_t i = first; i < p->ns; i++) {
        if (p->s[i].n == 0) {
            free(p->s[i].pt);
            continue;
        }
        p->s[kept++] = p->s[i];
    }
    p->ns = kept;
    int by_scheme = spec->by >= 0 && strcmp(t->name[spec->by], "scheme") == 0 && nextra == 0;
    for (size_t i = first; i < p->ns; i++) {
        p->s[i].color = by_scheme ? xy_scheme_color(p->s[i].key) : label_rank(p, first, i);
        p->s[i].point = p->s[i].color;
    }
    if (p->ns == first) {
        snprintf(err, errlen, "--y: column '%s' holds no numbers in the rows selected",
                 t->name[spec->y]);
        goto fail;
    }
    if (!p->xname[0]) {
        snprintf(p->xname, sizeof p->xname, "%s", t->name[spec->x]);
        snprintf(p->xunit_col, sizeof p->xunit_col, "%s", t->name[spec->x]);
    }
    if (!p->yname[0] && p->binomial) {
        snprintf(p->yname, sizeof p->yname, "share of runs with %s=1", t->name[spec->y]);
        snprintf(p->yunit_col, sizeof p->yunit_col, "%s", t->name[spec->y]);
    } else if (!p->yname[0]) {
        snprintf(p->yname, sizeof p->yname, "%s", t->name[spec->y]);
        snprintf(p->yunit_col, sizeof p->yunit_col, "%s", t->name[spec->y]);
    }
    if (!p->fixed[0])
        sel_fixed(t, s, p->fixed, sizeof p->fixed);
    rc = (int)first;
fail:
    free(cols);
    free(extra);
    free(start);
    free(y);
    return rc;
}

int xy_positive(const struct xy_plot *p, char axis)
{
    for (size_t i = 0; i < p->ns; i++)
        for (size_t j = 0; j < p->s[i].n; j++)
            if ((axis == 'x' ? p->s[i].pt[j].x : p->s[i].pt[j].y.mean) <= 0)
                return 0;
    return 1;
}

/* Splits text at ", " into lines of at most ~110 characters: subtitle1, subtitle2, ... */
static void write_subtitles(struct fig *f, const char *text, int *line)
{
    const size_t width = 110;
    while (*text) {
        size_t len = strlen(text), cut = len;
        if (len > width) {
            cut = 0;
            for (const char *c = text; (c = strstr(c, ", ")) && (size_t)(c - text) <= width; c++)
                cut = (size_t)(c - text) + 1;
            if (cut == 0)
                cut = width;
        }
        char key[32];
        snprintf(key, sizeof key, "subtitle%d", ++*line);
        fig_meta(f, key, "%.*s", (int)cut, text);
        text += cut;
        text += strspn(text, " ");
    }
}

void xy_write(struct fig *f, const struct xy_plot *p)
{
    double xmax = 0, ymax = 0, xs, ys;
    char label[256];
    for (size_t i = 0; i < p->ns; i++)
        for (size_t j = 0; j < p->s[i].n; j++) {
            xmax = fmax(xmax, fabs(p->s[i].pt[j].x));
            ymax = fmax(ymax, fabs(p->s[i].pt[j].y.mean));
        }
    fig_meta(f, "title", "%s", p->title[0] ? p->title : "");
    int line = 0;
    char reps[256];
    if (p->bars[0])
        snprintf(reps, sizeof reps, "%s", p->bars);
    else if (p->binomial && p->nmin == p->nmax)
        snprintf(reps, sizeof reps, "share of runs; error bars: 95%% Wilson interval over %zu "
                 "seeds", p->nmax);
    else if (p->binomial)
        snprintf(reps, sizeof reps, "share of runs; error bars: 95%% Wilson interval over "
                 "%zu-%zu seeds", p->nmin, p->nmax);
    else if (p->nmax < 2)
        snprintf(reps, sizeof reps, "one seed per point (no error bars)");
    else if (p->nmin == p->nmax)
        snprintf(reps, sizeof reps, "error bars: 95%% CI of the mean over %zu seeds", p->nmax);
    else
        snprintf(reps, sizeof reps, "error bars: 95%% CI of the mean over %zu-%zu seeds "
                 "(none where 1)", p->nmin, p->nmax);
    write_subtitles(f, p->fixed, &line);
    write_subtitles(f, reps, &line);
    write_subtitles(f, p->notes, &line);
    col_label(p->xunit_col, p->xname, xmax, label, sizeof label, &xs);
    fig_meta(f, "xlabel", "%s", label);
    fig_meta(f, "xscale", "%.9f", xs);
    col_label(p->yunit_col, p->yname, ymax, label, sizeof label, &ys);
    fig_meta(f, "ylabel", "%s", label);
    fig_meta(f, "yscale", "%.9f", ys);
    fig_meta(f, "logx", "%d", p->logx);
    fig_meta(f, "logy", "%d", p->logy);
    /* Every metric and parameter is >= 0: an axis below 0 would only show bars' overshoot. */
    int nonneg = !p->logy;
    for (size_t i = 0; i < p->ns && nonneg; i++)
        for (size_t j = 0; j < p->s[i].n; j++)
            nonneg &= p->s[i].pt[j].y.mean >= 0;
    fig_meta(f, "ymin0", "%d", nonneg);
    fig_meta(f, "facets", "%zu", p->nfacets);
    /* Blocks are numbered in series order; series are grouped by panel. */
    for (size_t fc = 0; fc < p->nfacets; fc++) {
        char key[32], list[1024] = "";
        size_t used = 0;
        for (size_t i = 0, b = 1; i < p->ns; i++, b++)
            if (p->s[i].facet == fc && used < sizeof list)
                used += (size_t)snprintf(list + used, sizeof list - used, "%s%zu",
                                         used ? " " : "", b);
        snprintf(key, sizeof key, "facet%zu", fc + 1);
        fig_meta(f, key, "%s", p->facet[fc]);
        snprintf(key, sizeof key, "blocks%zu", fc + 1);
        fig_meta(f, key, "%s", list);
    }
    for (size_t i = 0; i < p->ns; i++) {
        const struct xy_series *s = &p->s[i];
        char key[32];
        snprintf(key, sizeof key, "label%zu", i + 1);
        fig_meta(f, key, "%s", s->label);
        snprintf(key, sizeof key, "style%zu", i + 1);
        fig_meta(f, key, "%d %d %d %d", s->color, s->dash, s->errors, s->point);
    }
    for (size_t i = 0; i < p->ns; i++) {
        const struct xy_series *s = &p->s[i];
        fig_block(f, "%s%s%s: x mean ci95 sd n lo hi", s->label,
                  p->facet[s->facet][0] ? ", " : "", p->facet[s->facet]);
        for (size_t j = 0; j < s->n; j++) {
            const struct xy_point *q = &s->pt[j];
            fprintf(f->dat, "%.10g\t%.10g\t%.10g\t%.10g\t%zu\t%.10g\t%.10g\n", q->x, q->y.mean,
                    q->y.ci95, q->y.sd, q->y.n, q->wilson ? q->lo : q->y.mean - q->y.ci95,
                    q->wilson ? q->hi : q->y.mean + q->y.ci95);
        }
    }
}
