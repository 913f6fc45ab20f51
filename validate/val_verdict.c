/* The verdict of gilsim validate (see val_verdict.h). Intervals are percentile bootstraps (GSL's
 * generator, a fixed seed): a point's error resamples its simulated seeds and its native runs;
 * a summary also resamples the points, each drawn with one of its own resampled errors, so its
 * interval holds both the runs' noise and the choice of points. */
#include "val_verdict.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

const char *const vm_name[VM_N] = { "throughput", "makespan",        "lat_mean",    "lat_p99",
                                    "wait_share", "lock_wait_share", "io_wait_mean" };

const struct gates gates_default = { 0.07, 0.10, 0.20, 0.15, 0.15, 0.60 };

/* The gated metrics: the ones resampled. */
static int resampled(int m) { return m == VM_THROUGHPUT || m == VM_LAT_MEAN || m == VM_LAT_P99; }

/* The q-quantile of the finite values of v[0..n) (sorted in place after compaction). */
static double quantile_of(double *v, size_t n, double q)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]))
            v[k++] = v[i];
    if (!k)
        return NAN;
    gsl_sort(v, 1, k);
    return gsl_stats_quantile_from_sorted_data(v, 1, k, q);
}

/* Median of the finite values of v[0..n), v left as it is (w: scratch of n); NaN if none. */
static double median_of(const double *v, size_t n, double *w)
{
    memcpy(w, v, n * sizeof *w);
    return quantile_of(w, n, 0.5);
}

static double rel_error(double sim, double nat)
{
    return isfinite(sim) && isfinite(nat) && nat != 0 ? (sim - nat) / nat : NAN;
}

int vpoint_stats(struct vpoint *pt, size_t n, unsigned long rng_seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    size_t most = 1;
    for (size_t i = 0; i < n; i++)
    {
        most = pt[i].nsim > most ? pt[i].nsim : most;
        most = pt[i].nnat > most ? pt[i].nnat : most;
    }
    double *w = malloc(most * sizeof *w), *a = malloc(most * sizeof *a),
           *b = malloc(most * sizeof *b), *e = malloc(VB * sizeof *e);
    int rc = r && w && a && b && e ? 0 : -1;
    if (r)
        gsl_rng_set(r, rng_seed);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct vpoint *p = &pt[i];
        p->nat_min = p->nat_max = NAN;
        for (size_t j = 0; j < p->nnat; j++) {
            p->nat_min = fmin(p->nat_min, p->natv[VM_THROUGHPUT][j]); /* fmin skips a NaN */
            p->nat_max = fmax(p->nat_max, p->natv[VM_THROUGHPUT][j]);
        }
        p->nat_spread = NAN;
        for (int m = 0; m < VM_N; m++) {
            p->sim[m] = p->nsim ? median_of(p->simv[m], p->nsim, w) : NAN;
            p->nat[m] = p->nnat ? median_of(p->natv[m], p->nnat, w) : NAN;
            p->err[m] = rel_error(p->sim[m], p->nat[m]);
            if (m == VM_THROUGHPUT && p->nnat && p->nat[m] > 0)
                p->nat_spread = (p->nat_max - p->nat_min) / p->nat[m];
            p->lo[m] = p->hi[m] = NAN;
            p->boot[m] = NULL;
            if (!resampled(m) || !isfinite(p->err[m]))
                continue;
            if (!(p->boot[m] = malloc(VB * sizeof *p->boot[m]))) {
                rc = -1;
                break;
            }
            for (size_t k = 0; k < VB; k++) {
                for (size_t j = 0; j < p->nsim; j++)
                    a[j] = p->simv[m][gsl_rng_uniform_int(r, p->nsim)];
                for (size_t j = 0; j < p->nnat; j++)
                    b[j] = p->natv[m][gsl_rng_uniform_int(r, p->nnat)];
                p->boot[m][k] = rel_error(median_of(a, p->nsim, w), median_of(b, p->nnat, w));
                e[k] = p->boot[m][k];
            }
            p->lo[m] = quantile_of(e, VB, 0.025);
            memcpy(e, p->boot[m], VB * sizeof *e);
            p->hi[m] = quantile_of(e, VB, 0.975);
        }
    }
    free(w);
    free(a);
    free(b);
    free(e);
    if (r)
        gsl_rng_free(r);
    return rc;
}

void vpoint_free(struct vpoint *pt, size_t n)
{
    for (size_t i = 0; pt && i < n; i++)
        for (int m = 0; m < VM_N; m++) {
            free(pt[i].boot[m]);
            pt[i].boot[m] = NULL;
        }
}

/* A statistic of |error| over a set of points with its bootstrap interval. */
struct stat_ci {
    double est, lo, hi;
    size_t n;
};

/* stat (q-quantile of |err| of metric m) over the gated points of `scheme` (NULL: all) with a
 * finite error; the interval resamples the points and draws each with one of its resampled
 * errors. */
static struct stat_ci stat_over(const struct vpoint *pt, size_t n, int m, const char *scheme,
                                double q, gsl_rng *r)
{
    struct stat_ci s = { NAN, NAN, NAN, 0 };
    size_t *idx = malloc((n + 1) * sizeof *idx);
    double *v = malloc((n + 1) * sizeof *v), *bs = malloc(VB * sizeof *bs);
    if (!idx || !v || !bs)
        goto out;
    for (size_t i = 0; i < n; i++)
        if (pt[i].gated && isfinite(pt[i].err[m]) && (!scheme || !strcmp(pt[i].scheme, scheme)))
            idx[s.n++] = i;
    if (!s.n)
        goto out;
    for (size_t j = 0; j < s.n; j++)
        v[j] = fabs(pt[idx[j]].err[m]);
    s.est = quantile_of(v, s.n, q);
    for (size_t k = 0; k < VB; k++) {
        for (size_t j = 0; j < s.n; j++) {
            const struct vpoint *p = &pt[idx[gsl_rng_uniform_int(r, s.n)]];
            v[j] = p->boot[m] ? fabs(p->boot[m][k]) : NAN;
        }
        bs[k] = quantile_of(v, s.n, q);
    }
    double *c = malloc(VB * sizeof *c);
    if (c) {
        memcpy(c, bs, VB * sizeof *c);
        s.lo = quantile_of(c, VB, 0.025);
        memcpy(c, bs, VB * sizeof *c);
        s.hi = quantile_of(c, VB, 0.975);
        free(c);
    }
out:
    free(idx);
    free(v);
    free(bs);
    return s;
}

static const char *pc(char *buf, size_t len, double x)
{
    if (isfinite(x))
        snprintf(buf, len, "%.1f%%", 100 * x);
    else
        snprintf(buf, len, "-");
    return buf;
}

/* "12.3% [10.1, 14.0]" */
static const char *ci(char *buf, size_t len, struct stat_ci s)
{
    char a[16], b[16], c[16];
    if (!isfinite(s.est))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%s [%s, %s]", pc(a, sizeof a, s.est), pc(b, sizeof b, s.lo),
                 pc(c, sizeof c, s.hi));
    return buf;
}

/* Points of `scheme` (NULL: all): distinct, gated, and gated with the simulated throughput in
 * the native runs' min..max. */
static void counts(const struct vpoint *pt, size_t n, const char *scheme, size_t *distinct,
                   size_t *gated, size_t *in)
{
    *distinct = *gated = *in = 0;
    for (size_t i = 0; i < n; i++) {
        if (scheme && strcmp(pt[i].scheme, scheme) != 0)
            continue;
        (*distinct)++;
        if (!pt[i].gated)
            continue;
        (*gated)++;
        *in += pt[i].sim[VM_THROUGHPUT] >= pt[i].nat_min &&
               pt[i].sim[VM_THROUGHPUT] <= pt[i].nat_max;
    }
}

/* A gate: FAIL when the upper end of the interval (the estimate if there is none) is over the
 * limit, or there is nothing to judge. */
static int gate(FILE *f, const char *what, struct stat_ci s, double limit)
{
    double x = isfinite(s.hi) ? s.hi : s.est;
    if (isfinite(x) && x <= limit)
        return 0;
    char a[16], b[16];
    fprintf(f, "gilsim validate: gate FAIL: %s: upper end of its 95%% interval %s > %s\n", what,
            pc(a, sizeof a, x), pc(b, sizeof b, limit));
    return 1;
}

int verdict_print(FILE *f, const struct vpoint *pt, size_t n, const struct gates *g,
                  unsigned long rng_seed, double *median)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    const char **names = calloc(n + 1, sizeof *names);
    struct stat_ci *smed = calloc(n + 1, sizeof *smed); /* each scheme's median, as printed */
    if (!r || !names || !smed) {
        gsl_rng_free(r);
        free(names);
        free(smed);
        fprintf(f, "gilsim validate: out of memory\n");
        return 1;
    }
    gsl_rng_set(r, rng_seed);
    size_t ns = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < ns && strcmp(names[j], pt[i].scheme) != 0)
            j++;
        if (j == ns)
            names[ns++] = pt[i].scheme;
    }
    char c1[64], c2[64], c3[64], c4[32], c5[32], c6[32];
    fprintf(f, "%-16s %8s %5s  %-24s %8s %8s %8s %8s %8s\n", "scheme", "distinct", "gated",
            "median |thr err| [95%]", "thr p90", "lat_mean", "lat_p99", "makespan", "in range");
    int fails = 0;
    size_t d = 0, gd = 0, in = 0;
    struct stat_ci med = { 0 }, p90 = { 0 }, lm = { 0 }, l99 = { 0 };
    for (size_t j = 0; j <= ns; j++) { /* the schemes, then all of them (kept for the summary) */
        const char *s = j < ns ? names[j] : NULL;
        counts(pt, n, s, &d, &gd, &in);
        med = stat_over(pt, n, VM_THROUGHPUT, s, 0.5, r);
        p90 = stat_over(pt, n, VM_THROUGHPUT, s, 0.9, r);
        lm = stat_over(pt, n, VM_LAT_MEAN, s, 0.5, r);
        l99 = stat_over(pt, n, VM_LAT_P99, s, 0.5, r);
        struct stat_ci mk = stat_over(pt, n, VM_MAKESPAN, s, 0.5, r);
        smed[j] = med;
        char range[32];
        snprintf(range, sizeof range, "%zu/%zu", in, gd);
        fprintf(f, "%-16s %8zu %5zu  %-24s %8s %8s %8s %8s %8s\n", s ? s : "all", d, gd,
                ci(c1, sizeof c1, med), pc(c4, sizeof c4, p90.est), pc(c5, sizeof c5, lm.est),
                pc(c6, sizeof c6, l99.est), pc(c2, sizeof c2, mk.est), range);
    }
    /* The summary lines and the gate, over every gated point. */
    fprintf(f, "gilsim validate: %zu distinct points, %zu gated; median |throughput error| %s, "
            "90th percentile %s\n", d, gd, ci(c1, sizeof c1, med), ci(c2, sizeof c2, p90));
    fprintf(f, "gilsim validate: delegated-op latency: median |error| of the mean %s, of the p99 "
            "%s (%zu and %zu points with delegations)\n", ci(c1, sizeof c1, lm),
            ci(c2, sizeof c2, l99), lm.n, l99.n);
    fprintf(f, "gilsim validate: the simulated throughput lies within the native runs' min..max "
            "at %zu of %zu gated points (%s)\n", in, gd,
            pc(c3, sizeof c3, gd ? (double)in / (double)gd : NAN));
    size_t agree = 0, spread_n = 0;
    double *spread = malloc((n + 1) * sizeof *spread);
    for (size_t i = 0; spread && i < n; i++)
        if (pt[i].gated && isfinite(pt[i].nat_spread)) {
            spread[spread_n++] = pt[i].nat_spread;
            agree += pt[i].nat_spread <= NATIVE_AGREE;
        }
    fprintf(f, "gilsim validate: a point's native runs agree within %.0f%% (throughput (max - "
            "min) / median) at %zu of %zu gated points; median spread %s\n",
            100 * NATIVE_AGREE, agree, gd,
            pc(c3, sizeof c3, spread_n ? quantile_of(spread, spread_n, 0.5) : NAN));
    free(spread);
    char what[160];
    snprintf(what, sizeof what, "median |throughput error| (limit %.0f%%)", 100 * g->median);
    fails += gate(f, what, med, g->median);
    for (size_t j = 0; j < ns; j++) {
        size_t sd, sg, si;
        counts(pt, n, names[j], &sd, &sg, &si);
        if (!sg)
            continue; /* a scheme without a gated point is reported by its row, not gated */
        snprintf(what, sizeof what, "%s: median |throughput error| (limit %.0f%%)", names[j],
                 100 * g->scheme);
        fails += gate(f, what, smed[j], g->scheme);
    }
    snprintf(what, sizeof what, "90th percentile of |throughput error| (limit %.0f%%)",
             100 * g->p90);
    fails += gate(f, what, p90, g->p90);
    if (lm.n) {
        snprintf(what, sizeof what, "median |delegated-op latency mean error| (limit %.0f%%)",
                 100 * g->lat_mean);
        fails += gate(f, what, lm, g->lat_mean);
    }
    if (l99.n) {
        snprintf(what, sizeof what, "median |delegated-op latency p99 error| (limit %.0f%%)",
                 100 * g->lat_p99);
        fails += gate(f, what, l99, g->lat_p99);
    }
    if (!gd || (double)in < g->in_range * (double)gd) {
        fprintf(f, "gilsim validate: gate FAIL: simulated throughput within the native range at "
                "%zu of %zu gated points (limit: at least %.0f%%)\n", in, gd, 100 * g->in_range);
        fails++;
    }
    *median = med.est;
    free(names);
    free(smed);
    gsl_rng_free(r);
    return fails;
}
