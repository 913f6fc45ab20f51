/* What one figure of gilsim report shows (see report_int.h): points (rows equal but for seed,
 * with the mean and 95% CI of a metric over their seeds), the ratio of two points, and the
 * cutting of the rows into panels, with every further parameter pinned to one value. */
#define _POSIX_C_SOURCE 200809L /* signals.h: sigset_t */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "plot_table.h"
#include "signals.h"
#include "report_int.h"
#include "repstats.h"

int report_index_of(const char **v, size_t n, const char *cell)
{
    for (size_t i = 0; i < n; i++)
        if (cell_cmp(v[i], cell) == 0)
            return (int)i;
    return -1;
}

size_t report_nvalues(const struct report *r, const struct sel *s, int col)
{
    const char **v;
    if (col < 0)
        return 0;
    size_t n = sel_values(&r->t, s, col, &v);
    free(v);
    return n;
}

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
            (*out)[np].row = s->row[start[g]];
            tab_stats(&r->t, s->row + start[g], start[g + 1] - start[g], y, v, &(*out)[np].y);
            np += (*out)[np].y.n > 0;
        }
    }
    free(cols);
    free(start);
    free(v);
    return np;
}

/* Taking a and b independent: relative half-widths (and sds) added in quadrature; NaN
 * half-width if either has none. */
struct repstats report_ratio(const struct repstats *a, const struct repstats *b)
{
    struct repstats q = { a->n < b->n ? a->n : b->n, a->mean / b->mean, NAN, NAN };
    double ra = a->ci95 / a->mean, rb = b->ci95 / b->mean;
    q.ci95 = fabs(q.mean) * sqrt(ra * ra + rb * rb);
    q.sd = fabs(q.mean) * hypot(a->sd / a->mean, b->sd / b->mean);
    return q;
}

/* The value a pinned parameter keeps: its default if swept, else the largest for cores and
 * threads (the configuration under review), else the first. */
static const char *pin_value(const struct report *r, const struct sel *s, int col)
{
    const char **v, *pick;
    size_t n = sel_values(&r->t, s, col, &v);
    const struct param *d = param_find(r->t.name[col]);
    int i = d ? report_index_of(v, n, d->def) : -1;
    if (i < 0)
        i = strcmp(r->t.name[col], "cores") == 0 || strcmp(r->t.name[col], "threads") == 0 ?
            (int)n - 1 : 0;
    pick = n ? v[i] : NULL;
    free(v);
    return pick;
}

/* The panel column: the first parameter that varies besides base (and would mix points),
 * sharing, cores, threads preferred, with at most 9 values; -1 if none. */
static int pick_facet(const struct report *r, const int *extra, size_t n, const struct sel *s)
{
    static const char *const prefer[] = { "sharing", "cores", "threads" };
    const size_t nprefer = sizeof prefer / sizeof prefer[0];
    for (size_t k = 0; k <= nprefer; k++) /* k == nprefer: any of them */
        for (size_t i = 0; i < n; i++)
            if ((k == nprefer || strcmp(r->t.name[extra[i]], prefer[k]) == 0) &&
                report_nvalues(r, s, extra[i]) <= 9)
                return extra[i];
    return -1;
}

/* Pins every parameter that still varies besides cols[0..ncols) (pin_value); writes the
 * "name=value" pins, joined by ", ", to note. */
static void pin_rest(struct report *r, struct sel *s, const int *cols, size_t ncols, int *extra,
                     char *note, size_t notelen)
{
    size_t used = 0;
    note[0] = '\0';
    while (!interrupt_pending() && sel_extras(&r->t, s, cols, ncols, extra) > 0) {
        char expr[256];
        const char *v = pin_value(r, s, extra[0]);
        snprintf(expr, sizeof expr, "%s=%s", r->t.name[extra[0]], v ? v : "");
        if (!v || sel_where(&r->t, s, expr, r->err, sizeof r->err) != 0)
            break;
        if (used < notelen)
            used += (size_t)snprintf(note + used, notelen - used, "%s%s", used ? ", " : "",
                                     expr);
    }
}

int report_slice(struct report *r, struct sel *s, const int *base, size_t nbase, char *words,
                 size_t len)
{
    int *cols = malloc((nbase + 1 + r->t.keycols) * sizeof *cols), facet = -1;
    int *extra = malloc(r->t.keycols * sizeof *extra);
    char pinned[512] = "";
    if (cols && extra) {
        memcpy(cols, base, nbase * sizeof *cols);
        facet = pick_facet(r, extra, sel_extras(&r->t, s, cols, nbase, extra), s);
        if (facet >= 0)
            cols[nbase++] = facet;
        pin_rest(r, s, cols, nbase, extra, pinned, sizeof pinned);
    }
    free(cols);
    free(extra);
    snprintf(words, len, "%s%s%s%s%s%s", facet >= 0 ? " One panel per value of " : "",
             facet >= 0 ? r->t.name[facet] : "", facet >= 0 ? "." : "",
             pinned[0] ? " Shown at " : "", pinned, pinned[0] ? " (the other values: "
             "gilsim report --where=NAME=VALUE)." : "");
    return facet;
}
