/* The input of gilsim report (see report_int.h): the results CSV read a block at a time
 * (rows_stream), each run matching --where folded into its point as it is read. The report
 * keeps per point its key cells, its counts and the running statistics of the metrics its
 * figures show; per run only, while reading, the duplicate check's entry (point_index.c) and
 * its throughput (the sim-vs-native figure takes medians). So memory grows with the distinct
 * points, not the runs. The folded table r->t answers the figures' questions as the table of
 * runs did: tab_stats and sel_keep_numeric read the running statistics (plot_table.h).
 * Invariant: a point's statistics are over its clean runs in file order, as the figures took
 * them from the runs (the mean is the same sum over the same count). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_table.h"
#include "point_index.h"
#include "report_int.h"
#include "results_rows.h"
#include "status.h"

struct loader {
    struct report *r;
    struct point_index idx;
    const char *const *where;
    int nwhere;
    int *wcol;           /* per --where: its column */
    const char **wlist;  /* per --where: its values */
    char werr[sizeof ((struct report *)0)->err]; /* why --where is wrong: said once the
                                                    file has been checked */
    int seed, dl, ck, deleg, sbm, backend;
    char **cell;         /* the current row's cells */
    char *key;           /* the current row's point key */
    size_t keycap;
    unsigned char *seedmatch; /* per seed of idx: 1 if a run matching --where has it */
    size_t seedcap, ptcap, curseed; /* curseed: the current row's seed in idx */
    int nomem;
};

static int nomem(struct loader *l, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s: out of memory", l->r->csv);
    l->nomem = 1;
    return -1;
}

/* The header: the columns, and the --where expressions read against them. */
static int read_header(struct loader *l, char *line, char *err, size_t errlen)
{
    struct report *r = l->r;
    struct tab *t = &r->t;
    if (rows_header_shape(line, r->csv, &t->ncols, &t->keycols, err, errlen) != 0)
        return -1;
    t->path = r->csv;
    r->header = strdup(line);
    t->name = r->header ? malloc(t->ncols * sizeof *t->name) : NULL;
    l->cell = malloc(t->ncols * sizeof *l->cell);
    l->wcol = malloc((size_t)(l->nwhere + 1) * sizeof *l->wcol);
    l->wlist = malloc((size_t)(l->nwhere + 1) * sizeof *l->wlist);
    if (!t->name || !l->cell || !l->wcol || !l->wlist)
        return nomem(l, err, errlen);
    char *c = r->header;
    for (size_t k = 0; k < t->ncols; k++) {
        t->name[k] = c;
        c += strcspn(c, ",");
        if (*c)
            *c++ = '\0';
    }
    l->seed = tab_find(t, "seed");
    l->dl = tab_find(t, "deadlock");
    l->ck = tab_find(t, "check");
    l->deleg = tab_find(t, "delegations");
    l->sbm = tab_find(t, "sharing_breakeven_model");
    l->backend = tab_find(t, "backend");
    static const char *const metric[RM_N] = { "throughput", "wait_share", "lat_p50", "lat_p99",
                                              "lat_model" };
    for (int k = 0; k < RM_N; k++)
        r->mcol[k] = tab_find(t, metric[k]);
    for (int i = 0; i < l->nwhere && !l->werr[0]; i++)
        if ((l->wcol[i] = tab_where(t, l->where[i], &l->wlist[i], l->werr, sizeof l->werr)) < 0
            && !l->werr[0])
            snprintf(l->werr, sizeof l->werr, "--where: out of memory");
    return 0;
}

/* The point of the current row (its cells in l->cell), its entry in r->pt grown; the run
 * recorded, refused (-2, err set) if met before. -1 if out of memory. */
static long find_point(struct loader *l, size_t lineno, char *err, size_t errlen)
{
    struct report *r = l->r;
    size_t len;
    if (pidx_key(&l->key, &l->keycap, &len, (const char *const *)l->cell, r->t.keycols,
                 l->seed) != 0)
        return -1;
    int added;
    long p = pidx_point(&l->idx, l->key, len, &added);
    if (p < 0)
        return -1;
    if ((size_t)p >= l->ptcap) {
        size_t cap = l->ptcap ? 2 * l->ptcap : 256;
        struct rpoint *pt = realloc(r->pt, cap * sizeof *pt);
        if (!pt)
            return -1;
        memset(pt + l->ptcap, 0, (cap - l->ptcap) * sizeof *pt);
        r->pt = pt;
        l->ptcap = cap;
    }
    r->npt = l->idx.n;
    if (l->seed >= 0) {
        const char *seed = l->cell[l->seed];
        long s = pidx_seed(&l->idx, seed, strlen(seed));
        int met = s < 0 ? -1 : pidx_run(&l->idx, (size_t)p, (size_t)s);
        if (met < 0)
            return -1;
        if (met) {
            pidx_dup_error(&l->idx, r->csv, r->t.keycols, (size_t)l->seed, (size_t)p,
                           (size_t)s, lineno, err, errlen);
            return -2;
        }
        l->curseed = (size_t)s;
        if ((size_t)s >= l->seedcap) {
            size_t cap = l->seedcap ? 2 * l->seedcap : 64;
            unsigned char *m = realloc(l->seedmatch, cap);
            if (!m)
                return -1;
            memset(m + l->seedcap, 0, cap - l->seedcap);
            l->seedmatch = m;
            l->seedcap = cap;
        }
    }
    return p;
}

/* 1 if the current row matches every --where. */
static int matches(const struct loader *l)
{
    for (int i = 0; i < l->nwhere; i++)
        if (!cell_in_list(l->cell[l->wcol[i]], l->wlist[i]))
            return 0;
    return 1;
}

static double num_at(const struct loader *l, int col)
{
    return col >= 0 ? rows_num(l->cell[col]) : NAN;
}

/* One run: into its point, if it matches --where. */
static int read_run(struct loader *l, char *line, size_t lineno, char *err, size_t errlen)
{
    struct report *r = l->r;
    if (rows_line_shape(line, lineno, r->t.ncols, r->csv, err, errlen) != 0)
        return -1;
    for (size_t k = 0; k < r->t.ncols; k++) {
        l->cell[k] = line;
        line += strcspn(line, ",");
        if (*line)
            *line++ = '\0';
    }
    r->runs++;
    long p = find_point(l, lineno, err, errlen);
    if (p == -1)
        return nomem(l, err, errlen);
    if (p < 0)
        return -1;
    if (l->werr[0] || !matches(l))
        return 0;
    struct rpoint *pt = &r->pt[p];
    if (l->seed >= 0)
        l->seedmatch[l->curseed] = 1;
    pt->all++;
    r->nall++;
    if (l->dl >= 0 && strcmp(l->cell[l->dl], "0") != 0) {
        pt->dead++;
        r->dead++;
        return 0;
    }
    if (l->ck >= 0 && strcmp(l->cell[l->ck], "ok") != 0) {
        pt->failed++;
        r->failed++;
        return 0;
    }
    pt->clean++;
    r->used++;
    double thr = num_at(l, r->mcol[RM_THR]), model = num_at(l, r->mcol[RM_MODEL]);
    repstats_fold_add(&pt->acc[RM_THR], thr);
    repstats_fold_add(&pt->acc[RM_WAIT], num_at(l, r->mcol[RM_WAIT]));
    if (num_at(l, l->deleg) > 0) { /* the runs whose latency percentiles mean something */
        pt->delegating++;
        repstats_fold_add(&pt->acc[RM_P50], num_at(l, r->mcol[RM_P50]));
        repstats_fold_add(&pt->acc[RM_P99], num_at(l, r->mcol[RM_P99]));
        repstats_fold_add(&pt->acc[RM_MODEL], model);
    }
    pt->any_model |= isfinite(model);
    if (!pt->has_model0 && isfinite(thr)) {
        pt->has_model0 = 1;
        pt->model0 = num_at(l, l->sbm);
    }
    if (l->backend >= 0 && r->mcol[RM_THR] >= 0) {
        if (pt->nthr == pt->thrcap) {
            size_t cap = pt->thrcap ? 2 * pt->thrcap : 4;
            double *v = realloc(pt->thr, cap * sizeof *v);
            if (!v)
                return nomem(l, err, errlen);
            pt->thr = v;
            pt->thrcap = cap;
        }
        pt->thr[pt->nthr++] = thr;
    }
    return 0;
}

static int read_line(void *ctx, char *line, size_t lineno, char *err, size_t errlen)
{
    struct loader *l = ctx;
    return lineno == 1 ? read_header(l, line, err, errlen) : read_run(l, line, lineno, err, errlen);
}

static const struct repstats_fold *fold_of(const struct tab *t, size_t row, int col)
{
    const struct report *r = t->fold_ctx;
    for (int k = 0; k < RM_N; k++)
        if (col >= 0 && col == r->mcol[k])
            return &r->pt[r->rowpt[row]].acc[k];
    return NULL;
}

static size_t fold_runs(const struct tab *t, size_t row, int col, const double **v)
{
    const struct report *r = t->fold_ctx;
    const struct rpoint *pt = &r->pt[r->rowpt[row]];
    *v = pt->thr;
    return col >= 0 && col == r->mcol[RM_THR] ? pt->nthr : 0;
}

static int cmp_cell(const void *a, const void *b)
{
    return cell_cmp(*(const char *const *)a, *(const char *const *)b);
}

/* The folded table: one row per point with a matching run, its key cells (split from the
 * point's key; seed "", as no figure groups by it) and "" for every metric; the seeds. */
static int build(struct loader *l)
{
    static char none[1] = "";
    struct report *r = l->r;
    struct tab *t = &r->t;
    size_t n = 0;
    for (size_t p = 0; p < r->npt; p++)
        n += r->pt[p].all > 0;
    char **cells = malloc((n + 1) * t->ncols * sizeof *cells);
    r->rowpt = malloc((n + 1) * sizeof *r->rowpt);
    t->same = malloc(t->keycols ? t->keycols : 1);
    r->seeds = malloc((l->idx.nseed + 1) * sizeof *r->seeds);
    if (!cells || !r->rowpt || !t->same || !r->seeds) {
        free(cells);
        return -1;
    }
    memcpy(cells, t->name, t->ncols * sizeof *cells);
    free(t->name);
    t->name = cells;
    t->cell = cells + t->ncols;
    t->nrows = n;
    for (size_t p = 0, row = 0; p < r->npt; p++) {
        if (!r->pt[p].all)
            continue;
        char *c = r->pt[p].cells = l->idx.key[p];
        l->idx.key[p] = NULL; /* the point's now */
        char **rc = t->cell + row * t->ncols;
        for (size_t k = 0; k < t->ncols; k++) {
            if ((int)k == l->seed || k >= t->keycols) {
                rc[k] = none;
                continue;
            }
            rc[k] = c;
            c += strcspn(c, ",");
            if (*c)
                *c++ = '\0';
        }
        r->rowpt[row++] = p;
    }
    for (size_t c = 0; c < t->keycols; c++) {
        t->same[c] = 1;
        for (size_t i = 1; i < t->nrows && t->same[c]; i++)
            t->same[c] = cell_cmp(tab_at(t, 0, c), tab_at(t, i, c)) == 0;
    }
    for (size_t s = 0; s < l->idx.nseed; s++)
        if (l->seedmatch[s]) {
            r->seeds[r->nseeds++] = l->idx.seed[s];
            l->idx.seed[s] = NULL; /* the report's now */
        }
    qsort(r->seeds, r->nseeds, sizeof *r->seeds, cmp_cell);
    if (sel_all(t, &r->all) != 0 || sel_dup(&r->all, &r->s) != 0)
        return -1;
    r->s.n = 0;
    for (size_t i = 0; i < n; i++)
        if (r->pt[r->rowpt[i]].clean)
            r->s.row[r->s.n++] = i;
    /* One backend among the clean runs: no medians to take, the throughputs go. */
    const char **v = NULL;
    int be = l->backend;
    if (be >= 0 && sel_values(t, &r->s, be, &v) < 2)
        for (size_t p = 0; p < r->npt; p++) {
            free(r->pt[p].thr);
            r->pt[p].thr = NULL;
            r->pt[p].nthr = 0;
        }
    free(v);
    t->fold = fold_of;
    t->fold_runs = fold_runs;
    t->fold_ctx = r;
    return 0;
}

int report_load(struct report *r, const char *const *where, int nwhere)
{
    struct loader l = { .r = r, .where = where, .nwhere = nwhere };
    int rc = GS_USAGE;
    if (rows_stream(r->csv, read_line, &l, r->err, sizeof r->err) != 0) {
        rc = l.nomem ? GS_FAILED : GS_USAGE;
    } else if (!r->header || r->runs == 0) {
        snprintf(r->err, sizeof r->err, "%s: no rows", r->csv);
    } else if (l.werr[0]) {
        snprintf(r->err, sizeof r->err, "%s", l.werr);
    } else if (build(&l) != 0) {
        snprintf(r->err, sizeof r->err, "out of memory");
        rc = GS_FAILED;
    } else {
        rc = GS_OK;
    }
    if (rc != GS_OK && !r->t.cell) { /* the table was never built: its names are an array */
        free(r->t.name);
        r->t.name = NULL;
    }
    pidx_free(&l.idx); /* but the keys and seeds build() handed to the report */
    free(l.wcol);
    free(l.wlist);
    free(l.cell);
    free(l.key);
    free(l.seedmatch);
    return rc;
}

void report_load_free(struct report *r)
{
    for (size_t p = 0; p < r->npt; p++) {
        free(r->pt[p].cells);
        free(r->pt[p].thr);
    }
    for (size_t s = 0; s < r->nseeds; s++)
        free((char *)r->seeds[s]);
    free(r->pt);
    free(r->rowpt);
    free(r->seeds);
    free(r->header);
    sel_free(&r->all);
    sel_free(&r->s);
    tab_free(&r->t);
}

const struct rpoint *report_pt(const struct report *r, size_t row)
{
    return &r->pt[r->rowpt[row]];
}

void report_keep_delegating(const struct report *r, struct sel *s)
{
    size_t kept = 0;
    for (size_t i = 0; i < s->n; i++)
        if (report_pt(r, s->row[i])->delegating)
            s->row[kept++] = s->row[i];
    s->n = kept;
}
