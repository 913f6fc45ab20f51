/* gilsim summarize (see summarize.h): groups rows by their parameter cells without seed, and
 * for every numeric metric column writes NAME_mean, NAME_sd (sample standard deviation) and
 * NAME_ci95 (half-width of the 95% confidence interval of the mean, Student t), computed by
 * repstats.c over the group's cells that hold a number (empty and nan cells are left out);
 * mean is empty when none does, sd and ci95 when fewer than two do.
 * The input is read as a stream, a block at a time: memory grows with the distinct points
 * (one running summary per point and metric), not with the rows; each point's parameter
 * cells are checked once, at its first row. A run met twice (the same point and seed) is an
 * error naming both lines (point_index.c), never counted twice.
 * Invariant: one output row per group, sorted by point, whatever the order of the input rows. */
#define _GNU_SOURCE /* strchrnul */
#include "summarize.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "num_g10.h"
#include "point_index.h"
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

/* One point (point_index numbers them; its key there): its rows and a running summary per
 * numeric metric. */
struct group {
    size_t n;
    struct repstats_acc *acc; /* nnum entries */
};

struct summary {
    const char *path;
    char **name;      /* the header's cells */
    size_t ncols, keycols, seed; /* seed: its column, or keycols if none */
    size_t *num;      /* the numeric metric columns */
    size_t nnum;
    struct point_index idx;
    struct group *g;  /* per point of idx */
    size_t gcap;
    char *key;        /* the current row's group cells */
    size_t keycap;
};

static void summary_free(struct summary *s)
{
    for (size_t i = 0; i < s->idx.n && i < s->gcap; i++)
        free(s->g[i].acc);
    if (s->name)
        free(s->name[0]);
    free(s->name);
    free(s->num);
    free(s->g);
    free(s->key);
    pidx_free(&s->idx);
}

/* The header: this gilsim's; its numeric metric columns (results.h says which). */
static int read_header(struct summary *s, char *line, char *err, size_t errlen)
{
    if (rows_check_header(line, s->path, err, errlen) != 0)
        return -1;
    s->keycols = rows_keycols(line);
    char *copy = strdup(line);
    s->ncols = 1;
    for (const char *c = line; *c; c++)
        s->ncols += *c == ',';
    s->name = copy ? calloc(s->ncols, sizeof *s->name) : NULL;
    s->num = calloc(s->ncols, sizeof *s->num);
    if (!s->name || !s->num) {
        free(copy);
        snprintf(err, errlen, "%s: out of memory", s->path);
        return -1;
    }
    for (size_t c = 0; c < s->ncols; c++) {
        s->name[c] = copy;
        copy += strcspn(copy, ",");
        if (*copy)
            *copy++ = '\0';
    }
    for (s->seed = 0; s->seed < s->keycols; s->seed++)
        if (strcmp(s->name[s->seed], "seed") == 0)
            break;
    for (size_t c = s->keycols; c < s->ncols; c++)
        if (results_metric_is_number(s->name[c]) != 0)
            s->num[s->nnum++] = c;
    return 0;
}

/* The group of the current row's key (s->key[0..len)): found, or added (its first row
 * checked); the run (its seed cell seed[0..slen)) recorded, refused if met before. NULL with
 * err set. */
static struct group *find_group(struct summary *s, const char *line, size_t lineno, size_t len,
                                const char *seed, size_t slen, char *err, size_t errlen)
{
    int added;
    long p = pidx_point(&s->idx, s->key, len, &added);
    if (p < 0)
        goto nomem;
    if (added) {
        if ((size_t)p == s->gcap) {
            size_t cap = s->gcap ? 2 * s->gcap : 256;
            struct group *g = realloc(s->g, cap * sizeof *g);
            if (!g)
                goto nomem;
            s->g = g;
            s->gcap = cap;
        }
        s->g[p] = (struct group){ 0, calloc(s->nnum ? s->nnum : 1, sizeof *s->g[p].acc) };
        if (!s->g[p].acc)
            goto nomem;
        if (rows_check_line(line, lineno, s->path, err, errlen) != 0)
            return NULL;
    }
    if (s->seed < s->keycols) {
        long k = pidx_seed(&s->idx, seed, slen);
        int met = k < 0 ? -1 : pidx_run(&s->idx, (size_t)p, (size_t)k);
        if (met < 0)
            goto nomem;
        if (met) {
            pidx_dup_error(&s->idx, s->path, s->keycols, s->seed, (size_t)p, (size_t)k, lineno,
                           err, errlen);
            return NULL;
        }
    }
    return &s->g[p];
nomem:
    snprintf(err, errlen, "%s: out of memory", s->path);
    return NULL;
}

/* A decimal cell [-]DIGITS[.DIGITS][e[+-]DIGITS] of at most 15 significant digits and a
 * power of ten within 10^+-22, read exactly as strtod reads it: the digits are an exact
 * integer below 2^53 and the power of ten an exact double, so one multiplication or division
 * rounds once, correctly (Clinger's fast path). 0, or -1 for any other cell (strtod's). */
static int decimal_fast(const char *c, const char *end, double *x)
{
    static const double p10[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                  1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
    int neg = c < end && *c == '-', digits = 0, sig = 0, exp = 0;
    uint64_t w = 0;
    c += neg;
    for (; c < end && *c >= '0' && *c <= '9'; c++, digits++)
        if ((w = w * 10 + (uint64_t)(*c - '0')) != 0 && ++sig > 15)
            return -1;
    if (c < end && *c == '.')
        for (c++; c < end && *c >= '0' && *c <= '9'; c++, digits++, exp--)
            if ((w = w * 10 + (uint64_t)(*c - '0')) != 0 && ++sig > 15)
                return -1;
    if (digits == 0)
        return -1;
    if (c < end && (*c == 'e' || *c == 'E')) {
        int eneg = ++c < end && (*c == '-' || *c == '+') ? *c++ == '-' : 0, e = 0, ed = 0;
        for (; c < end && *c >= '0' && *c <= '9' && e < 1000; c++, ed++)
            e = e * 10 + (*c - '0');
        if (ed == 0)
            return -1;
        exp += eneg ? -e : e;
    }
    if (c != end || exp < -22 || exp > 22)
        return -1;
    double v = exp >= 0 ? (double)w * p10[exp] : (double)w / p10[-exp];
    *x = neg ? -v : v;
    return 0;
}

/* A cell's number: decimal_fast's, else strtod's. 0, or -1 if the cell is not a finite
 * number. */
static int cell_number(char *cell, char *end, double *x)
{
    size_t n = (size_t)(end - cell);
    if (decimal_fast(cell, end, x) == 0)
        return 0;
    char keep = *end, *stop;
    *end = '\0';
    errno = 0;
    *x = strtod(cell, &stop);
    int ok = n > 0 && stop == end && !errno && isfinite(*x);
    *end = keep;
    return ok ? 0 : -1;
}

/* One data row (without its newline): into its group's summaries. */
static int add_row(struct summary *s, char *line, size_t lineno, char *err, size_t errlen)
{
    size_t need = strlen(line) + 1, len = 0, col = 0, k = 0;
    if (need > s->keycap) {
        char *key = realloc(s->key, need);
        if (!key) {
            snprintf(err, errlen, "%s: out of memory", s->path);
            return -1;
        }
        s->key = key;
        s->keycap = need;
    }
    /* The group cells first (all key cells but seed), then find the group. */
    char *c = line, *end = NULL, *seed = line;
    size_t slen = 0;
    for (; col < s->keycols; col++, c = end + 1) {
        end = strchrnul(c, ',');
        if (col != s->seed) {
            if (len)
                s->key[len++] = ',';
            memcpy(s->key + len, c, (size_t)(end - c));
            len += (size_t)(end - c);
        } else if (end == c || strspn(c, "0123456789") != (size_t)(end - c)) {
            snprintf(err, errlen, "%s:%zu: seed '%.*s' (allowed: a whole number >= 0)",
                     s->path, lineno, (int)(end - c < 40 ? end - c : 40), c);
            return -1;
        } else {
            seed = c;
            slen = (size_t)(end - c);
        }
        if (!*end)
            break;
    }
    struct group *g = col >= s->keycols - 1 ? find_group(s, line, lineno, len, seed, slen, err,
                                                         errlen) : NULL;
    if (!g) {
        if (col < s->keycols - 1)
            snprintf(err, errlen, "%s:%zu: too few columns (allowed: %zu, as the header)",
                     s->path, lineno, s->ncols);
        return -1;
    }
    g->n++;
    /* The metric cells. */
    for (col = s->keycols; *end && col < s->ncols; col++) {
        c = end + 1;
        end = strchrnul(c, ',');
        if (k < s->nnum && s->num[k] == col) {
            double x;
            if (end == c || (c[0] == 'n' && end - c == 3 && memcmp(c, "nan", 3) == 0) ||
                (c[0] == '-' && end - c == 4 && memcmp(c, "-nan", 4) == 0)) {
                k++;
                continue; /* a model that does not apply, a run without that value */
            }
            if (cell_number(c, end, &x) != 0) {
                snprintf(err, errlen, "%s:%zu:%zu: %s: '%.*s%s' is not a number (allowed: "
                         "a finite number, nan or empty, as gilsim run writes)", s->path,
                         lineno, col + 1, s->name[col], (int)(end - c > 40 ? 40 : end - c), c,
                         end - c > 40 ? "..." : "");
                return -1;
            }
            repstats_add(&g->acc[k++], x);
        }
    }
    if (col != s->ncols || *end) {
        size_t cells = col + (*end ? 1 : 0);
        for (const char *r = end; *end && *r; r++)
            cells += *r == ',';
        snprintf(err, errlen, "%s:%zu: %zu columns (allowed: %zu, as the header)", s->path,
                 lineno, cells, s->ncols);
        return -1;
    }
    return 0;
}

/* One line of the results CSV: the header, then a data row. */
static int read_line(void *ctx, char *line, size_t lineno, char *err, size_t errlen)
{
    struct summary *s = ctx;
    return lineno == 1 ? read_header(s, line, err, errlen) : add_row(s, line, lineno, err, errlen);
}

/* Reads the results CSV a block at a time; a last line without its newline (a write cut
 * short) is left out, as every reader of results files does. */
static int read_all(struct summary *s, char *err, size_t errlen)
{
    if (rows_stream(s->path, read_line, s, err, errlen) != 0)
        return -1;
    if (!s->name) {
        snprintf(err, errlen, "%s: no header (allowed: a gilsim results CSV)", s->path);
        return -1;
    }
    return 0;
}

/* The output header: the group columns, n, then mean, sd, ci95 of each numeric metric. */
static char *summary_header(const struct summary *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    for (size_t c = 0, first = 1; c < s->keycols; c++)
        if (c != s->seed) {
            fprintf(f, "%s%s", first ? "" : ",", s->name[c]);
            first = 0;
        }
    fputs(",n", f);
    for (size_t k = 0; k < s->nnum; k++) {
        const char *m = s->name[s->num[k]];
        fprintf(f, ",%s_mean,%s_sd,%s_ci95", m, m, m);
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Appends x as %.10g (num_g10: printf's bytes at a fraction of its cost; an output of 10^5
 * points holds 10^7 numbers), or nothing if skip. */
static char *put_g(char *o, double x, int skip)
{
    *o++ = ',';
    if (!skip)
        o += num_g10(o, x);
    return o;
}

/* One output line: the group's cells, n, then mean, sd, ci95 of each numeric metric. */
static char *summary_line(const struct summary *s, size_t p)
{
    const struct group *g = &s->g[p];
    size_t len = s->idx.len[p];
    char *buf = malloc(len + 24 + s->nnum * 3 * 33), *o = buf;
    if (!buf)
        return NULL;
    memcpy(o, s->idx.key[p], len);
    o += len;
    o += snprintf(o, 24, ",%zu", g->n);
    for (size_t k = 0; k < s->nnum; k++) {
        struct repstats st;
        repstats_end(&g->acc[k], &st);
        o = put_g(o, st.mean, st.n == 0);
        o = put_g(o, st.sd, st.n < 2);
        o = put_g(o, st.ci95, st.n < 2);
    }
    *o = '\0';
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
    if (strcmp(in, "-") == 0) {
        fprintf(stderr, "gilsim: summarize: '-': standard input is not read (allowed: a results "
                "CSV file; ./- for a file named '-')\n");
        return GS_USAGE;
    }
    char err[2048];
    struct summary s = { .path = in };
    struct out_file of = { .lock = -1 };
    int rc = GS_USAGE;
    struct rows_ref *ref = NULL;
    char **line = NULL, *header = NULL;
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
    if (read_all(&s, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: summarize: %s\n", err);
        goto out;
    }
    rc = GS_FAILED;
    size_t ng = s.idx.n;
    ref = calloc(ng ? ng : 1, sizeof *ref);
    line = calloc(ng ? ng : 1, sizeof *line);
    header = summary_header(&s);
    if (!ref || !line || !header)
        goto nomem;
    for (size_t i = 0; i < ng; i++)
        ref[i] = (struct rows_ref){ s.idx.key[i], s.idx.len[i], i };
    rows_sort(ref, ng);
    for (size_t i = 0; i < ng; i++)
        if (!(line[nlines++] = summary_line(&s, ref[i].i)))
            goto nomem;
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
    summary_free(&s);
    out_file_close(&of);
    return rc;
}
