/* What gilsim review's page says about validation (see review_int.h): without --validation,
 * that nothing on it was validated on this machine; with a `gilsim validate` directory, the
 * validated range (per scheme: the cores, threads and sharing of the points validate gated,
 * with their median throughput error, from DIR/validation.csv) and, per figure, how many of
 * its runs lie inside that range. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_table.h"
#include "review_int.h"

#define MAX_RANGES 32
#define MAX_ERR 1024

/* The metrics validate compares (their NAME_err columns). */
static const char *const vmetric[] = { "throughput", "makespan", "lat_mean", "lat_p99",
                                       "wait_share", "lock_wait_share" };
#define NVM (sizeof vmetric / sizeof vmetric[0])

struct vrange {
    char scheme[64];
    double cmin, cmax, tmin, tmax, smin, smax;
    double err[NVM][MAX_ERR]; /* |relative error| of each gated point, per metric */
    size_t n[NVM];
    double median[NVM];       /* NaN: none */
};

static struct vrange ranges[MAX_RANGES];
static size_t nranges;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The cell of column c of a CSV line (no quoting: validation.csv has none before its last
 * column, the note). */
static void cell_of(const char *line, size_t c, char *out, size_t len)
{
    for (size_t i = 0; i < c && line; i++)
        if ((line = strchr(line, ',')))
            line++;
    if (!line) {
        out[0] = '\0';
        return;
    }
    snprintf(out, len, "%.*s", (int)strcspn(line, ",\n"), line);
}

static long column(const char *header, const char *name)
{
    char cell[128];
    for (size_t c = 0;; c++) {
        cell_of(header, c, cell, sizeof cell);
        if (!cell[0])
            return -1;
        if (strcmp(cell, name) == 0)
            return (long)c;
    }
}

int review_validation(struct review *v)
{
    const char *dir = v->in->validation;
    nranges = 0;
    if (!dir) {
        snprintf(v->validated, sizeof v->validated, "Nothing on this page was validated on "
                 "this machine: no --validation=DIR (the output of gilsim validate) was given.");
        return 0;
    }
    char *path = report_join(dir, "validation.csv"), *data = NULL;
    size_t len = 0;
    FILE *in = path ? fopen(path, "r") : NULL;
    FILE *mem = in ? open_memstream(&data, &len) : NULL;
    char chunk[65536];
    size_t got;
    while (mem && (got = fread(chunk, 1, sizeof chunk, in)) > 0)
        fwrite(chunk, 1, got, mem);
    int bad = !in || !mem || ferror(in);
    if (mem && fclose(mem) != 0)
        bad = 1;
    if (in)
        fclose(in);
    if (bad) {
        snprintf(v->r.err, sizeof v->r.err, "--validation: %s: cannot read (allowed: a "
                 "directory gilsim validate wrote)", path ? path : dir);
        free(path);
        free(data);
        return -1;
    }
    char *save = NULL, *header = strtok_r(data, "\n", &save);
    long cs = header ? column(header, "scheme") : -1, cc = header ? column(header, "cores") : -1;
    long ct = header ? column(header, "threads") : -1, csh = header ? column(header, "sharing") : -1;
    long cg = header ? column(header, "gated") : -1, ce[NVM];
    for (size_t m = 0; m < NVM; m++) {
        char name[64];
        snprintf(name, sizeof name, "%s_err", vmetric[m]);
        ce[m] = header ? column(header, name) : -1;
    }
    if (cs < 0 || cc < 0 || ct < 0 || csh < 0 || cg < 0 || ce[0] < 0) {
        snprintf(v->r.err, sizeof v->r.err, "--validation: %s: not a gilsim validate table "
                 "(allowed: a directory gilsim validate wrote, with validation.csv)", path);
        free(path);
        free(data);
        return -1;
    }
    for (char *line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char scheme[64], cell[64];
        cell_of(line, (size_t)cg, cell, sizeof cell);
        if (strcmp(cell, "1") != 0)
            continue;
        cell_of(line, (size_t)cs, scheme, sizeof scheme);
        size_t k = 0;
        while (k < nranges && strcmp(ranges[k].scheme, scheme) != 0)
            k++;
        if (k == nranges) {
            if (nranges == MAX_RANGES)
                continue;
            struct vrange *g = &ranges[nranges++];
            memset(g, 0, sizeof *g);
            snprintf(g->scheme, sizeof g->scheme, "%s", scheme);
            g->cmin = g->tmin = g->smin = INFINITY;
            g->cmax = g->tmax = g->smax = -INFINITY;
        }
        struct vrange *g = &ranges[k];
        double x[3];
        long col[3] = { cc, ct, csh };
        for (int i = 0; i < 3; i++) {
            cell_of(line, (size_t)col[i], cell, sizeof cell);
            x[i] = rows_num(cell);
        }
        g->cmin = fmin(g->cmin, x[0]);
        g->cmax = fmax(g->cmax, x[0]);
        g->tmin = fmin(g->tmin, x[1]);
        g->tmax = fmax(g->tmax, x[1]);
        g->smin = fmin(g->smin, x[2]);
        g->smax = fmax(g->smax, x[2]);
        for (size_t m = 0; m < NVM; m++) {
            if (ce[m] < 0)
                continue;
            cell_of(line, (size_t)ce[m], cell, sizeof cell);
            if (g->n[m] < MAX_ERR && isfinite(rows_num(cell)))
                g->err[m][g->n[m]++] = fabs(rows_num(cell));
        }
    }
    for (size_t k = 0; k < nranges; k++)
        for (size_t m = 0; m < NVM; m++) {
            struct vrange *g = &ranges[k];
            size_t n = g->n[m];
            qsort(g->err[m], n, sizeof g->err[m][0], cmp_double);
            g->median[m] = n == 0 ? NAN : n % 2 ? g->err[m][n / 2] :
                           (g->err[m][n / 2 - 1] + g->err[m][n / 2]) / 2;
        }
    size_t used = (size_t)snprintf(v->validated, sizeof v->validated, "Validated against "
                                   "native runs on the machine of %s: ", path);
    for (size_t k = 0; k < nranges && used < sizeof v->validated; k++) {
        struct vrange *g = &ranges[k];
        double med = g->median[0];
        used += (size_t)snprintf(v->validated + used, sizeof v->validated - used,
                                 "%s%s on %g-%g cores, %g-%g threads, sharing %g-%g (median "
                                 "|throughput error| %.3g%%)", k ? "; " : "", g->scheme, g->cmin,
                                 g->cmax, g->tmin, g->tmax, g->smin, g->smax, 100 * med);
    }
    if (nranges == 0)
        snprintf(v->validated + used, sizeof v->validated - used, "no point was gated, so "
                 "nothing on this page is validated.");
    else if (used < sizeof v->validated)
        snprintf(v->validated + used, sizeof v->validated - used, ". Each figure says how many "
                 "of its runs lie inside that range.");
    v->have_validation = 1;
    free(path);
    free(data);
    return 0;
}

void review_fig_validation(const struct review *v, const struct sel *s, const char *metric,
                           char *buf, size_t len)
{
    if (!v->have_validation) {
        snprintf(buf, len, "Not validated on this machine.");
        return;
    }
    int sc = tab_find(&v->r.t, "scheme"), cc = tab_find(&v->r.t, "cores");
    int ct = tab_find(&v->r.t, "threads"), csh = tab_find(&v->r.t, "sharing");
    size_t in = 0, m = NVM;
    for (size_t j = 0; metric && j < NVM; j++)
        if (strcmp(vmetric[j], metric) == 0)
            m = j;
    int used[MAX_RANGES] = { 0 };
    for (size_t i = 0; i < s->n; i++) {
        size_t r = s->row[i];
        for (size_t k = 0; k < nranges; k++) {
            const struct vrange *g = &ranges[k];
            double c = tab_num(&v->r.t, r, (size_t)cc), t = tab_num(&v->r.t, r, (size_t)ct);
            double sh = tab_num(&v->r.t, r, (size_t)csh);
            if (strcmp(tab_at(&v->r.t, r, (size_t)sc), g->scheme) == 0 && c >= g->cmin &&
                c <= g->cmax && t >= g->tmin && t <= g->tmax && sh >= g->smin && sh <= g->smax) {
                in++;
                used[k] = 1;
                break;
            }
        }
    }
    if (in == s->n)
        snprintf(buf, len, "Validated: all %zu of its runs lie inside the validated range.", in);
    else if (in)
        snprintf(buf, len, "Partly validated: %zu of its %zu runs lie inside the validated "
                 "range.", in, s->n);
    else
        snprintf(buf, len, "Not validated: none of its %zu runs lies inside the validated "
                 "range.", s->n);
    size_t at = strlen(buf);
    if (in && at + 1 < len)
        at += (size_t)snprintf(buf + at, len - at, m < NVM ? " Median |%s error| there:" :
                               " Its metric is not one validate compares;%s", m < NVM ?
                               vmetric[m] : " median |throughput error| there:");
    if (m == NVM)
        m = 0;
    for (size_t k = 0, first = 1; in && k < nranges && at + 1 < len; k++)
        if (used[k]) {
            if (isfinite(ranges[k].median[m]))
                at += (size_t)snprintf(buf + at, len - at, "%s %s %.3g%%", first ? "" : ",",
                                       ranges[k].scheme, 100 * ranges[k].median[m]);
            else
                at += (size_t)snprintf(buf + at, len - at, "%s %s not compared", first ? "" :
                                       ",", ranges[k].scheme);
            first = 0;
        }
    if (in && at + 1 < len)
        snprintf(buf + at, len - at, ".");
}

void review_html_extra(struct review *v, FILE *f)
{
    (void)v;
    (void)f;
}
