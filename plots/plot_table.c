/* Results CSV as cells, selections, grouping and axis labels (see plot_table.h). The file is
 * read and split into cells by results_rows.c. */
#define _POSIX_C_SOURCE 200809L
#include "plot_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "point_index.h"
#include "signals.h"
#include "results.h"

int tab_load(struct tab *t, const char *path, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    t->path = path;
    if (rows_load(path, &t->rows, err, errlen) != 0)
        return -1;
    if (!t->rows.header || t->rows.n == 0) {
        snprintf(err, errlen, "%s: no rows", path);
        rows_free(&t->rows);
        return -1;
    }
    t->ncols = t->rows.ncols;
    t->nrows = t->rows.n;
    t->keycols = t->rows.keycols;
    if (!(t->name = rows_cells(&t->rows))) {
        snprintf(err, errlen, "%s: out of memory", path);
        tab_free(t);
        return -1;
    }
    t->cell = t->name + t->ncols;
    /* The key columns that never vary: no grouping or sorting needs to compare them (a review
     * holds ~100 parameter columns, a handful of which vary). */
    if (!(t->same = malloc(t->keycols ? t->keycols : 1))) {
        snprintf(err, errlen, "%s: out of memory", path);
        tab_free(t);
        return -1;
    }
    for (size_t c = 0; c < t->keycols; c++) {
        t->same[c] = 1;
        for (size_t i = 1; i < t->nrows && t->same[c]; i++)
            t->same[c] = cell_cmp(tab_at(t, 0, c), tab_at(t, i, c)) == 0;
    }
    return 0;
}

int tab_check_runs(const struct tab *t, char *err, size_t errlen)
{
    int seed = tab_find(t, "seed"), rc = 0;
    struct point_index x = { 0 };
    char *key = NULL;
    size_t cap = 0;
    for (size_t i = 0; seed >= 0 && i < t->nrows && rc == 0; i++) {
        size_t len;
        if (pidx_key(&key, &cap, &len, (const char *const *)t->cell + i * t->ncols, t->keycols,
                     seed) != 0) {
            rc = -1;
            break;
        }
        int added, met = -1;
        const char *sd = tab_at(t, i, (size_t)seed);
        long p = pidx_point(&x, key, len, &added), s = p < 0 ? -1 : pidx_seed(&x, sd, strlen(sd));
        if (s >= 0)
            met = pidx_run(&x, (size_t)p, (size_t)s);
        if (met < 0)
            rc = -1;
        else if (met) { /* rows are the file's lines from 2 on */
            pidx_dup_error(&x, t->path, t->keycols, (size_t)seed, (size_t)p, (size_t)s, i + 2,
                           err, errlen);
            rc = -2;
        }
    }
    if (rc == -1)
        snprintf(err, errlen, "%s: out of memory", t->path);
    free(key);
    pidx_free(&x);
    return rc ? -1 : 0;
}

void tab_free(struct tab *t)
{
    rows_free(&t->rows);
    free(t->name);
    free(t->same);
    memset(t, 0, sizeof *t);
}

double tab_num(const struct tab *t, size_t row, size_t col)
{
    return rows_num(tab_at(t, row, col));
}

int tab_find(const struct tab *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->name[i], name) == 0)
            return (int)i;
    return -1;
}

static const struct tab *suggest_tab; /* for nearest_name's context-free accessor */
static const char *suggest_at(size_t i)
{
    return i < suggest_tab->ncols ? suggest_tab->name[i] : NULL;
}

int tab_need(const struct tab *t, const char *opt, const char *name, char *err, size_t errlen)
{
    int c = tab_find(t, name);
    if (c >= 0)
        return c;
    suggest_tab = t;
    const char *near = nearest_name(name, suggest_at);
    int used = snprintf(err, errlen, "%s: no column '%s' in %s (%s%s%scolumns: ", opt, name,
                        t->path, near ? "did you mean '" : "", near ? near : "",
                        near ? "'? " : "");
    for (size_t i = 0; i < t->ncols && used > 0 && (size_t)used < errlen; i++)
        used += snprintf(err + used, errlen - (size_t)used, "%s%s", i ? ", " : "", t->name[i]);
    if (used > 0 && (size_t)used < errlen)
        snprintf(err + used, errlen - (size_t)used, ")");
    return -1;
}

int tab_is_param(const struct tab *t, int col)
{
    return col > 0 && (size_t)col < t->keycols;
}

int sel_all(const struct tab *t, struct sel *s)
{
    s->n = t->nrows;
    s->row = malloc(t->nrows * sizeof *s->row);
    for (size_t i = 0; s->row && i < t->nrows; i++)
        s->row[i] = i;
    return s->row ? 0 : -1;
}

void sel_free(struct sel *s)
{
    free(s->row);
    s->row = NULL;
    s->n = 0;
}

int sel_dup(const struct sel *from, struct sel *to)
{
    to->n = from->n;
    to->row = malloc((from->n + 1) * sizeof *to->row);
    if (!to->row)
        return -1;
    memcpy(to->row, from->row, from->n * sizeof *to->row);
    return 0;
}

int cell_cmp(const char *a, const char *b)
{
    if (a[0] == b[0] && strcmp(a, b) == 0)
        return 0; /* the common case when grouping rows: no lengths, no numbers to read */
    return rows_cmp(a, strlen(a), b, strlen(b));
}

int cell_in_list(const char *cell, const char *list)
{
    char one[256];
    double x = rows_num(cell);
    for (const char *v = list;; v += strcspn(v, ",") + 1) {
        snprintf(one, sizeof one, "%.*s", (int)strcspn(v, ","), v);
        if (strcmp(cell, one) == 0 || (!isnan(x) && rows_num(one) == x))
            return 1;
        if (!v[strcspn(v, ",")])
            return 0;
    }
}

int tab_where(const struct tab *t, const char *expr, const char **list, char *err,
              size_t errlen)
{
    const char *eq = strchr(expr, '=');
    if (!eq || eq == expr || !eq[1]) {
        snprintf(err, errlen, "--where: '%s' is not COLUMN=VALUE[,VALUE...]", expr);
        return -1;
    }
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)(eq - expr), expr);
    *list = eq + 1;
    return tab_need(t, "--where", name, err, errlen);
}

int sel_where(const struct tab *t, struct sel *s, const char *expr, char *err, size_t errlen)
{
    const char *list;
    int col = tab_where(t, expr, &list, err, errlen);
    if (col < 0)
        return -1;
    size_t kept = 0;
    for (size_t i = 0; i < s->n; i++)
        if (cell_in_list(tab_at(t, s->row[i], (size_t)col), list))
            s->row[kept++] = s->row[i];
    s->n = kept;
    return 0;
}

void sel_drop_failed(const struct tab *t, struct sel *s, size_t *deadlocked, size_t *failed)
{
    int dl = tab_find(t, "deadlock"), ck = tab_find(t, "check");
    size_t kept = 0;
    *deadlocked = *failed = 0;
    for (size_t i = 0; i < s->n; i++) {
        size_t r = s->row[i];
        if (dl >= 0 && strcmp(tab_at(t, r, (size_t)dl), "0") != 0)
            ++*deadlocked;
        else if (ck >= 0 && strcmp(tab_at(t, r, (size_t)ck), "ok") != 0)
            ++*failed;
        else
            s->row[kept++] = r;
    }
    s->n = kept;
}

void sel_drop_failed_only(const struct tab *t, struct sel *s, size_t *failed)
{
    int dl = tab_find(t, "deadlock"), ck = tab_find(t, "check");
    size_t kept = 0;
    *failed = 0;
    for (size_t i = 0; i < s->n; i++) {
        size_t r = s->row[i];
        if (ck >= 0 && strcmp(tab_at(t, r, (size_t)ck), "ok") != 0 &&
            !(dl >= 0 && strcmp(tab_at(t, r, (size_t)dl), "0") != 0))
            ++*failed;
        else
            s->row[kept++] = r;
    }
    s->n = kept;
}

void tab_stats(const struct tab *t, const size_t *rows, size_t n, int col, double *y,
               struct repstats *st)
{
    if (t->fold) {
        struct repstats_fold all = { 0 };
        for (size_t i = 0; i < n; i++) {
            const struct repstats_fold *a = t->fold(t, rows[i], col);
            if (a)
                repstats_fold_merge(&all, a);
        }
        repstats_fold_end(&all, st);
        return;
    }
    for (size_t i = 0; i < n; i++)
        y[i] = tab_num(t, rows[i], (size_t)col);
    repstats_of(y, n, st);
}

void sel_keep_numeric(const struct tab *t, struct sel *s, int col)
{
    size_t kept = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct repstats_fold *a = t->fold ? t->fold(t, s->row[i], col) : NULL;
        if (t->fold ? a && a->w.n > 0 : isfinite(tab_num(t, s->row[i], (size_t)col)))
            s->row[kept++] = s->row[i];
    }
    s->n = kept;
}

void sel_keep_positive(const struct tab *t, struct sel *s, int col)
{
    size_t kept = 0;
    for (size_t i = 0; col >= 0 && i < s->n; i++)
        if (tab_num(t, s->row[i], (size_t)col) > 0)
            s->row[kept++] = s->row[i];
    s->n = kept;
}

/* qsort has no context argument: the table and columns of the sort in progress. */
static struct {
    const struct tab *t;
    const int *cols;
    size_t ncols;
} by;

static int cmp_cells(size_t a, size_t b)
{
    for (size_t i = 0; i < by.ncols; i++) {
        int c = cell_cmp(tab_at(by.t, a, (size_t)by.cols[i]), tab_at(by.t, b, (size_t)by.cols[i]));
        if (c)
            return c;
    }
    return 0;
}

static int cmp_rows(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    int c = cmp_cells(a, b);
    return c ? c : (a > b) - (a < b);
}

size_t sel_group(const struct tab *t, struct sel *s, const int *cols, size_t ncols,
                 size_t *start)
{
    /* Columns the same in every row of the table cannot split a group: left out. */
    int *vary = malloc((ncols ? ncols : 1) * sizeof *vary);
    size_t nv = 0;
    for (size_t i = 0; vary && i < ncols; i++)
        if ((size_t)cols[i] >= t->keycols || !t->same[cols[i]])
            vary[nv++] = cols[i];
    by.t = t;
    by.cols = vary ? vary : cols;
    by.ncols = vary ? nv : ncols;
    if (s->n > 1)
        qsort(s->row, s->n, sizeof *s->row, cmp_rows);
    size_t g = 0;
    for (size_t i = 0; i < s->n; i++)
        if (i == 0 || cmp_cells(s->row[i - 1], s->row[i]) != 0)
            start[g++] = i;
    start[g] = s->n;
    free(vary);
    return g;
}

int sel_varies(const struct tab *t, const struct sel *s, const size_t *start, size_t ngroups,
               int col)
{
    if ((size_t)col < t->keycols && t->same[col])
        return 0;
    for (size_t g = 0; g < ngroups; g++)
        for (size_t i = start[g] + 1; i < start[g + 1]; i++)
            if (cell_cmp(tab_at(t, s->row[start[g]], (size_t)col),
                         tab_at(t, s->row[i], (size_t)col)) != 0)
                return 1;
    return 0;
}

size_t sel_values(const struct tab *t, const struct sel *s, int col, const char ***out)
{
    struct sel copy;
    int ok = sel_dup(s, &copy) == 0;
    size_t *start = malloc((s->n + 1) * sizeof *start);
    size_t n = 0;
    *out = NULL;
    if (ok && start && s->n) {
        n = sel_group(t, &copy, &col, 1, start);
        *out = malloc(n * sizeof **out);
        for (size_t g = 0; *out && g < n; g++)
            (*out)[g] = tab_at(t, copy.row[start[g]], (size_t)col);
    }
    if (ok)
        sel_free(&copy);
    free(start);
    return *out ? n : 0;
}

size_t sel_extras(const struct tab *t, struct sel *s, const int *base, size_t nbase, int *extra)
{
    int seed = tab_find(t, "seed");
    int *cols = malloc((nbase + t->keycols) * sizeof *cols);
    size_t *start = malloc((s->n + 1) * sizeof *start);
    size_t n = 0;
    if (!cols || !start)
        goto out;
    memcpy(cols, base, nbase * sizeof *cols);
    /* The groups change only when a column joins cols: sorted again then, not per column. */
    size_t ng = sel_group(t, s, cols, nbase, start);
    for (int c = 1; (size_t)c < t->keycols && !interrupt_pending(); c++) {
        int skip = c == seed;
        for (size_t i = 0; i < nbase; i++)
            skip |= base[i] == c;
        if (skip || !sel_varies(t, s, start, ng, c))
            continue;
        cols[nbase + n] = extra[n] = c;
        n++;
        ng = sel_group(t, s, cols, nbase + n, start);
    }
out:
    free(cols);
    free(start);
    return n;
}

/* 1 if a fixed parameter is worth naming in a title. */
static int worth_naming(const char *name, const char *value)
{
    static const char *const always[] = { "scheme", "threads", "cores", "N", "sharing" };
    for (size_t i = 0; i < sizeof always / sizeof always[0]; i++)
        if (strcmp(name, always[i]) == 0)
            return 1;
    const struct param *d = param_find(name);
    if (!d || strcmp(d->def, "auto") == 0 || strcmp(d->def, "-1") == 0)
        return 0;
    return cell_cmp(value, d->def) != 0;
}

void sel_fixed(const struct tab *t, const struct sel *s, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    int seed = tab_find(t, "seed");
    for (size_t c = 1; c < t->keycols && s->n && used < len; c++) {
        const char *v = tab_at(t, s->row[0], c);
        int fixed = (int)c != seed;
        for (size_t i = 1; fixed && i < s->n; i++)
            fixed = cell_cmp(v, tab_at(t, s->row[i], c)) == 0;
        if (fixed && worth_naming(t->name[c], v))
            used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", used ? ", " : "",
                                     t->name[c], v);
    }
}

void col_unit(const char *col, double maxabs, char *unit, size_t len, double *scale)
{
    const struct param *d = param_find(col);
    char base[64] = "";
    const char *mu = d ? d->unit : results_metric_unit(col);
    snprintf(base, sizeof base, "%.63s", mu ? mu : "");
    /* Numbers a reader takes in at a glance: 25 us rather than 2.5e-05 s, 143 Mops/s rather
     * than 1.43e+08 ops/s. */
    static const struct { double f; const char *prefix; } small[] = {
        { 1e3, "m" }, { 1e6, "\xc2\xb5" }, { 1e9, "n" } }, large[] = {
        { 1e-9, "G" }, { 1e-6, "M" }, { 1e-3, "k" } };
    *scale = 1;
    snprintf(unit, len, "%s", base);
    if (strcmp(base, "s") == 0 && isfinite(maxabs) && maxabs > 0 && maxabs < 1)
        for (size_t i = 0; i < 3; i++) {
            *scale = small[i].f;
            snprintf(unit, len, "%s%s", small[i].prefix, base);
            if (maxabs * small[i].f >= 1)
                break;
        }
    else if (base[0] && isfinite(maxabs) && maxabs >= 1e4)
        for (size_t i = 0; i < 3; i++)
            if (maxabs * large[i].f >= 1) {
                *scale = large[i].f;
                snprintf(unit, len, "%s%s", large[i].prefix, base);
                break;
            }
}

void col_label(const char *col, const char *shown, double maxabs, char *buf, size_t len,
               double *scale)
{
    char unit[80];
    col_unit(col, maxabs, unit, sizeof unit, scale);
    snprintf(buf, len, unit[0] ? "%s (%s)" : "%s", shown, unit);
}
