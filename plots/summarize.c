/* gilsim summarize (see summarize.h): groups rows by their parameter cells without seed, and
 * for every numeric metric column writes NAME_mean, NAME_sd (sample standard deviation) and
 * NAME_ci95 (half-width of the 95% confidence interval of the mean, Student t), computed by
 * repstats.c over the group's cells that hold a number (empty and nan cells are left out);
 * mean is empty when none does, sd and ci95 when fewer than two do.
 * Invariant: one output row per group, sorted by point, whatever the order of the input rows. */
#define _POSIX_C_SOURCE 200809L
#include "summarize.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "repstats.h"
#include "results.h"
#include "results_rows.h"
#include "status.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: gilsim summarize results.csv [-o OUT.csv]\n"
               "\n"
               "Per point across reps (rows equal but for seed): the parameter columns without\n"
               "seed, n, then for every numeric metric M: M_mean, M_sd (sample standard\n"
               "deviation) and M_ci95 (95%% confidence half-width, Student t) over the reps whose\n"
               "cell holds a number (a deadlocked run has no throughput; nan and empty cells are\n"
               "left out); sd and ci95 are empty with fewer than two such reps. To standard\n"
               "output unless -o. Details: docs/sweeps.md.\n");
}

/* Writes the cells of a row (or the header) that make its group: the key cells but seed. */
static void put_group(FILE *f, char *const *cells, size_t keycols, size_t seed)
{
    for (size_t c = 0, first = 1; c < keycols; c++)
        if (c != seed) {
            fprintf(f, "%s%s", first ? "" : ",", cells[c]);
            first = 0;
        }
}

struct table {
    struct rows r;
    char **cells;  /* r.n + 1 rows of r.ncols cells; row 0 is the header */
    char **group;  /* per data row: its group cells, joined */
    char *numeric; /* per column: all its data cells are numbers */
    size_t seed;   /* column of seed, or keycols if none */
};

static void table_free(struct table *t)
{
    for (size_t i = 0; t->group && i < t->r.n; i++)
        free(t->group[i]);
    free(t->group);
    free(t->cells);
    free(t->numeric);
    rows_free(&t->r);
}

static int table_load(struct table *t, const char *path, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    if (rows_load(path, &t->r, err, errlen) != 0 || rows_check(&t->r, path, err, errlen) != 0)
        return -1;
    struct rows *r = &t->r;
    if (!r->header) {
        snprintf(err, errlen, "%s: no header (allowed: a gilsim results CSV)", path);
        return -1;
    }
    t->cells = rows_cells(r);
    t->group = calloc(r->n ? r->n : 1, sizeof *t->group);
    t->numeric = calloc(r->ncols, 1);
    if (!t->cells || !t->group || !t->numeric)
        goto nomem;
    for (t->seed = 0; t->seed < r->keycols; t->seed++)
        if (strcmp(t->cells[t->seed], "seed") == 0)
            break;
    /* A numeric metric (results.h says which): each cell is a number, nan (a model that does
     * not apply) or empty (a latency without samples, a deadlocked run's throughput); anything
     * else is an error naming the cell, never a column silently dropped. */
    for (size_t c = r->keycols; c < r->ncols; c++) {
        const char *name = t->cells[c];
        t->numeric[c] = results_metric_is_number(name) != 0;
        for (size_t i = 0; i < r->n && t->numeric[c]; i++) {
            const char *cell = t->cells[(i + 1) * r->ncols + c];
            if (!cell[0] || strcmp(cell, "nan") == 0 || strcmp(cell, "-nan") == 0)
                continue;
            char *end;
            errno = 0;
            double v = strtod(cell, &end);
            if (*end || errno || !isfinite(v)) {
                snprintf(err, errlen, "%s:%zu:%zu: %s: '%.40s%s' is not a number (allowed: a "
                         "finite number, nan or empty, as gilsim run writes)", path, i + 2, c + 1,
                         name, cell, strlen(cell) > 40 ? "..." : "");
                return -1;
            }
        }
    }
    for (size_t i = 0; i < r->n; i++) {
        size_t len = 0;
        FILE *f = open_memstream(&t->group[i], &len);
        if (!f)
            goto nomem;
        put_group(f, t->cells + (i + 1) * r->ncols, r->keycols, t->seed);
        if (fclose(f) != 0)
            goto nomem;
    }
    return 0;
nomem:
    snprintf(err, errlen, "%s: out of memory", path);
    return -1;
}

/* One output line: the group's cells, n, then mean, sd, ci95 of each numeric metric. */
static char *summary_line(const struct table *t, const struct rows_ref *g, size_t n, double *x)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    fprintf(f, "%s,%zu", g[0].key, n);
    for (size_t c = t->r.keycols; c < t->r.ncols; c++) {
        if (!t->numeric[c])
            continue;
        for (size_t k = 0; k < n; k++)
            x[k] = rows_num(t->cells[(g[k].i + 1) * t->r.ncols + c]);
        struct repstats st;
        repstats_of(x, n, &st);
        if (st.n > 0)
            fprintf(f, ",%.10g", st.mean);
        else
            fputc(',', f);
        if (st.n > 1)
            fprintf(f, ",%.10g,%.10g", st.sd, st.ci95);
        else
            fputs(",,", f);
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static char *summary_header(const struct table *t)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    put_group(f, t->cells, t->r.keycols, t->seed);
    fputs(",n", f);
    for (size_t c = t->r.keycols; c < t->r.ncols; c++)
        if (t->numeric[c])
            fprintf(f, ",%s_mean,%s_sd,%s_ci95", t->cells[c], t->cells[c], t->cells[c]);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

int summarize_main(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return GS_OK;
        } else if ((strcmp(argv[i], "-o") == 0 && i + 1 < argc) ||
                   strncmp(argv[i], "--output=", 9) == 0) {
            char err[1024];
            const char *v = argv[i][1] == 'o' ? argv[++i] : argv[i] + 9;
            if (cli_once(&out, v, "-o", err, sizeof err) != 0) {
                fprintf(stderr, "gilsim: summarize: %s\n", err);
                return GS_USAGE;
            }
        } else if ((argv[i][0] != '-' || !argv[i][1]) && !in) {
            in = argv[i];
        } else {
            fprintf(stderr, "gilsim: summarize: unexpected argument '%s' (usage: gilsim "
                    "summarize results.csv [-o OUT.csv])\n", argv[i]);
            return GS_USAGE;
        }
    }
    if (!in) {
        fprintf(stderr, "gilsim: summarize: results.csv missing (usage: gilsim summarize "
                "results.csv [-o OUT.csv])\n");
        return GS_USAGE;
    }
    char err[2048];
    struct table t = { 0 };
    struct out_file of = { .lock = -1 };
    int rc = GS_USAGE;
    struct rows_ref *ref = NULL;
    char **line = NULL, *header = NULL;
    double *x = NULL;
    size_t nlines = 0;
    if (out_file_same(in, out)) {
        fprintf(stderr, "gilsim: summarize: -o: '%s' is the input (allowed: another file, or "
                "standard output)\n", out);
        goto out;
    }
    int open_rc = out_file_open(&of, out, err, sizeof err);
    if (open_rc != 0) {
        fprintf(stderr, "gilsim: summarize: -o: %s\n", err);
        rc = open_rc == -2 ? GS_USAGE : GS_FAILED;
        goto out;
    }
    if (table_load(&t, in, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: summarize: %s\n", err);
        goto out;
    }
    rc = GS_FAILED;
    size_t n = t.r.n;
    ref = calloc(n ? n : 1, sizeof *ref);
    line = calloc(n ? n : 1, sizeof *line);
    x = calloc(n ? n : 1, sizeof *x);
    header = summary_header(&t);
    if (!ref || !line || !x || !header)
        goto nomem;
    for (size_t i = 0; i < n; i++)
        ref[i] = (struct rows_ref){ t.group[i], strlen(t.group[i]), i };
    rows_sort(ref, n);
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && rows_cmp(ref[i].key, ref[i].len, ref[j].key, ref[j].len) == 0;)
            j++;
        if (!(line[nlines++] = summary_line(&t, ref + i, j - i, x)))
            goto nomem;
    }
    if (rows_write(&of, header, (const char *const *)line, nlines, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: summarize: %s\n", err);
        goto out;
    }
    rc = GS_OK;
    goto out;
nomem:
    fprintf(stderr, "gilsim: summarize: out of memory\n");
out:
    for (size_t i = 0; i < nlines; i++)
        free(line[i]);
    free(line);
    free(header);
    free(ref);
    free(x);
    table_free(&t);
    out_file_close(&of);
    return rc;
}
