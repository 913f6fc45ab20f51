/* The verdict's sentences (see verdict.h): each one reads the numbers it is given and says
 * what they show, with the numbers and their 95% intervals; which words it uses follows from
 * comparisons of those numbers (tests/cli/review.sh and verdict_test.c flip them). */
#include "verdict.h"

#define _POSIX_C_SOURCE 200809L /* strnlen */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "repstats.h"

/* Appends printf-like text to buf (len bytes, NUL-terminated, cut when full). */
static void put(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put(char *buf, size_t len, const char *fmt, ...)
{
    size_t used = strnlen(buf, len);
    if (used + 1 >= len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, len - used, fmt, ap);
    va_end(ap);
}

void verdict_fmt(char *buf, size_t len, double v, double lo, double hi, double scale)
{
    if (isfinite(lo) && isfinite(hi))
        snprintf(buf, len, "%.3g [%.3g, %.3g]", v * scale, lo * scale, hi * scale);
    else
        snprintf(buf, len, "%.3g", v * scale);
}

/* "k of n runs (p% [lo, hi])" with the Wilson interval. */
static void put_share(char *buf, size_t len, size_t k, size_t n)
{
    double lo, hi;
    if (n == 0) {
        put(buf, len, "no runs");
        return;
    }
    repstats_wilson(k, n, &lo, &hi);
    put(buf, len, "%zu of %zu runs (%.3g%%, 95%% interval %.3g-%.3g%%)", k, n,
        100.0 * (double)k / (double)n, 100 * lo, 100 * hi);
}

/* A mean and its interval; every metric is >= 0, so the interval is cut at 0. */
static void put_mean(char *buf, size_t len, struct vd_mean m, double scale, const char *unit)
{
    char v[96];
    verdict_fmt(v, sizeof v, m.mean, fmax(0, m.mean - m.ci), m.mean + m.ci, scale);
    put(buf, len, "%s%s", v, unit);
}

void verdict_deadlock(const struct vd_deadlock *d, char *buf, size_t len)
{
    size_t k = 0, n = 0, first = d->nnaive, worst = d->nnaive;
    buf[0] = '\0';
    for (size_t i = 0; i < d->nnaive; i++) {
        const struct vd_share *s = &d->naive[i];
        k += s->k;
        n += s->n;
        /* the lowest sharing at which it deadlocked; the highest share */
        if (s->k && (first == d->nnaive || s->sharing < d->naive[first].sharing))
            first = i;
        if (worst == d->nnaive || (double)s->k / (double)(s->n ? s->n : 1) >
                                      (double)d->naive[worst].k / (double)(d->naive[worst].n ? d->naive[worst].n : 1))
            worst = i;
    }
    if (n == 0) {
        put(buf, len, "The naive scheme was not run: nothing to say about its deadlocks.");
    } else if (k == 0) {
        put(buf, len, "The naive scheme never deadlocked: ");
        put_share(buf, len, k, n);
        put(buf, len, ".");
    } else {
        const char *name = d->naive[0].scheme;
        put(buf, len, "%s deadlocked in ", name);
        put_share(buf, len, k, n);
        put(buf, len, "; from sharing %g on (%ld threads: ", d->naive[first].sharing,
            d->naive[first].threads);
        put_share(buf, len, d->naive[first].k, d->naive[first].n);
        put(buf, len, "), most at sharing %g with %ld threads (", d->naive[worst].sharing,
            d->naive[worst].threads);
        put_share(buf, len, d->naive[worst].k, d->naive[worst].n);
        put(buf, len, "). Kinds: %zu mutual (two threads), %zu chain (three or more), %zu "
            "exited owner", d->kind[0], d->kind[1], d->kind[2]);
        if (d->kind[3])
            put(buf, len, ", %zu blocked otherwise", d->kind[3]);
        if (d->example && d->example[0])
            put(buf, len, "; e.g. %s", d->example);
        put(buf, len, ".");
    }
    for (size_t i = 0; i < d->nfixed; i++) {
        put(buf, len, " %s: ", d->fixed[i].scheme);
        put_share(buf, len, d->fixed[i].k, d->fixed[i].n);
        put(buf, len, " deadlocked.");
    }
}

/* The Ns whose throughput is within 5% of the best, as "a..b" or a list. */
static void put_near_best(char *buf, size_t len, const struct vd_n_series *s, size_t best)
{
    size_t lo = s->n, hi = 0, count = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->pt[i].thr.mean >= 0.95 * s->pt[best].thr.mean) {
            lo = lo < i ? lo : i;
            hi = i;
            count++;
        }
    if (count == 1)
        put(buf, len, "only N = %g", s->pt[best].N);
    else if (count == hi - lo + 1)
        put(buf, len, "N = %g to %g", s->pt[lo].N, s->pt[hi].N);
    else
        for (size_t i = 0, j = 0; i < s->n; i++)
            if (s->pt[i].thr.mean >= 0.95 * s->pt[best].thr.mean)
                put(buf, len, "%sN = %g", j++ ? ", " : "", s->pt[i].N);
}

void verdict_n(const struct vd_n_series *s, size_t ns, char *buf, size_t len)
{
    buf[0] = '\0';
    for (size_t k = 0; k < ns; k++) {
        const struct vd_n_series *e = &s[k];
        if (e->n < 2) {
            put(buf, len, "%s%s: fewer than two N swept.", k ? " " : "", e->wait);
            continue;
        }
        size_t best = 0;
        for (size_t i = 1; i < e->n; i++)
            if (e->pt[i].thr.mean > e->pt[best].thr.mean)
                best = i;
        put(buf, len, "%s%s: best throughput at N = %g (", k ? " " : "", e->wait, e->pt[best].N);
        put_mean(buf, len, e->pt[best].thr, 1e-6, " Mops/s");
        put(buf, len, "), within 5%% of it ");
        put_near_best(buf, len, e, best);
        /* Does N trade? A larger N pays only if it raises throughput; what it can cost is
         * latency. */
        int falls = 1; /* throughput never rises (beyond its interval) as N grows */
        for (size_t i = 1; i < e->n; i++)
            if (e->pt[i].thr.mean - e->pt[i].thr.ci > e->pt[i - 1].thr.mean + e->pt[i - 1].thr.ci)
                falls = 0;
        const struct vd_n_point *a = &e->pt[0], *z = &e->pt[e->n - 1], *b = &e->pt[best];
        if (falls) {
            put(buf, len, "; N trades nothing: throughput only falls as N grows (");
            put_mean(buf, len, a->thr, 1e-6, "");
            put(buf, len, " at N = %g, ", a->N);
            put_mean(buf, len, z->thr, 1e-6, "");
            put(buf, len, " Mops/s at N = %g)", z->N);
        } else {
            put(buf, len, "; N trades latency for throughput: from N = %g to %g throughput "
                "rises from ", a->N, b->N);
            put_mean(buf, len, a->thr, 1e-6, "");
            put(buf, len, " to ");
            put_mean(buf, len, b->thr, 1e-6, " Mops/s");
        }
        if (isfinite(a->p99.mean) && isfinite(z->p99.mean)) {
            put(buf, len, ", p99 latency is ");
            put_mean(buf, len, a->p99, 1e6, " us");
            put(buf, len, " at N = %g and ", a->N);
            put_mean(buf, len, z->p99, 1e6, " us");
            put(buf, len, " at N = %g (p50 ", z->N);
            put_mean(buf, len, a->p50, 1e6, "");
            put(buf, len, " and ");
            put_mean(buf, len, z->p50, 1e6, " us)");
        }
        put(buf, len, ".");
    }
}

void verdict_speedup(const struct vd_speedup *s, size_t n, double sharing, char *buf,
                     size_t len)
{
    buf[0] = '\0';
    if (n == 0) {
        put(buf, len, "No scheme was run on several core counts.");
        return;
    }
    /* Highest speedup first. */
    size_t order[64], m = n < 64 ? n : 64;
    for (size_t i = 0; i < m; i++)
        order[i] = i;
    for (size_t i = 1; i < m; i++)
        for (size_t j = i; j > 0 && s[order[j]].s.mean > s[order[j - 1]].s.mean; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    put(buf, len, "At sharing %g, speedup from %g to %g cores: ", sharing, s[order[0]].base_cores,
        s[order[0]].cores);
    for (size_t i = 0; i < m; i++) {
        put(buf, len, "%s%s ", i ? ", " : "", s[order[i]].scheme);
        put_mean(buf, len, s[order[i]].s, 1, "x");
    }
    put(buf, len, "; %s scales best, %s least.", s[order[0]].scheme, s[order[m - 1]].scheme);
}

int verdict_disagrees(double sim, double model)
{
    if (!isfinite(sim) || !isfinite(model) || sim < 0 || model < 0 || (sim == 0 && model == 0))
        return 0;
    if (sim == 0 || model == 0)
        return 1; /* one says never faster, the other below some sharing */
    return sim / model > 2 || model / sim > 2;
}

void verdict_breakeven(const char *scheme, const char *baseline, const struct vd_breakeven *b,
                       size_t n, char *buf, size_t len)
{
    buf[0] = '\0';
    size_t faster = 0, slower = 0, cross = 0, flagged = 0;
    for (size_t i = 0; i < n; i++) {
        cross += isfinite(b[i].sim);
        faster += !isfinite(b[i].sim) && b[i].above == 1;
        slower += !isfinite(b[i].sim) && b[i].above == 0;
    }
    put(buf, len, "Against %s: ", baseline);
    if (n == 0 || cross + faster + slower == 0) {
        put(buf, len, "no matching points (the baseline was not run on the same workloads).");
        return;
    }
    if (slower == n)
        put(buf, len, "%s is slower at every sharing swept (down to %g) on every core count; ",
            scheme, b[0].smin);
    else if (faster == n)
        put(buf, len, "%s is faster at every sharing swept (up to %g) on every core count; ",
            scheme, b[0].smax);
    else
        put(buf, len, "%s is faster only below a break-even sharing: ", scheme);
    for (size_t i = 0; i < n; i++) {
        put(buf, len, "%s%g core%s ", i ? ", " : "", b[i].cores, b[i].cores == 1 ? "" : "s");
        if (isfinite(b[i].sim)) {
            char v[96];
            verdict_fmt(v, sizeof v, b[i].sim, b[i].lo, b[i].hi, 1);
            put(buf, len, "%s", v);
            if (!isfinite(b[i].lo) || !isfinite(b[i].hi))
                put(buf, len, " (its interval leaves the sweep)");
        } else {
            put(buf, len, "%s", b[i].above == 1 ? "above the sweep" : b[i].above == 0 ?
                "below the sweep" : "too few points");
        }
        if (isfinite(b[i].model)) {
            put(buf, len, " (model %.3g", b[i].model);
            if (verdict_disagrees(b[i].sim, b[i].model)) {
                put(buf, len, ", off by more than 2x");
                flagged++;
            }
            put(buf, len, ")");
        }
    }
    put(buf, len, ".");
    if (flagged)
        put(buf, len, " The first-order model is against a GIL on one core and ignores "
            "contention: it disagrees with the simulation by more than 2x at %zu of %zu core "
            "counts.", flagged, n);
}

void verdict_io(const char *v1, const char *v2, const struct vd_io *a, const struct vd_io *b,
                size_t n, char *buf, size_t len)
{
    buf[0] = '\0';
    /* The largest I/O share where both have a latency. */
    size_t k = n;
    for (size_t i = 0; i < n; i++)
        if (isfinite(a[i].p99.mean) && isfinite(b[i].p99.mean))
            k = i;
    if (k == n) {
        put(buf, len, "No I/O share with delegated-op latencies of both %s and %s.", v1, v2);
        return;
    }
    put(buf, len, "With the owner in I/O for %g of its ops, p99 delegated-op latency is ",
        a[k].io);
    put_mean(buf, len, a[k].p99, 1e6, " us");
    put(buf, len, " with %s and ", v1);
    put_mean(buf, len, b[k].p99, 1e6, " us");
    put(buf, len, " with %s", v2);
    if (k > 0 && isfinite(a[0].p99.mean)) {
        put(buf, len, " (without I/O: ");
        put_mean(buf, len, a[0].p99, 1e6, " us");
        put(buf, len, ")");
    }
    double ahi = a[k].p99.mean + (isfinite(a[k].p99.ci) ? a[k].p99.ci : 0);
    double alo = a[k].p99.mean - (isfinite(a[k].p99.ci) ? a[k].p99.ci : 0);
    double bhi = b[k].p99.mean + (isfinite(b[k].p99.ci) ? b[k].p99.ci : 0);
    double blo = b[k].p99.mean - (isfinite(b[k].p99.ci) ? b[k].p99.ci : 0);
    if (bhi < alo)
        put(buf, len, ": %s's detach cuts the tail %.3gx.", v2, a[k].p99.mean / b[k].p99.mean);
    else if (ahi < blo)
        put(buf, len, ": %s's tail is %.3gx longer, detach does not pay here.", v2,
            b[k].p99.mean / a[k].p99.mean);
    else
        put(buf, len, ": no difference beyond the intervals.");
}

void verdict_exit(const struct vd_exit *e, size_t n, char *buf, size_t len)
{
    buf[0] = '\0';
    put(buf, len, "When the owner of the shared objects exits early:");
    for (size_t i = 0; i < n; i++) {
        put(buf, len, " %s ", e[i].scheme);
        if (e[i].dead) {
            put(buf, len, "deadlocked in ");
            put_share(buf, len, e[i].dead, e[i].n);
            put(buf, len, ", %zu of them on the exited owner", e[i].exited);
        } else {
            put(buf, len, "finished ");
            put_share(buf, len, e[i].n, e[i].n);
        }
        if (isfinite(e[i].takeovers.mean) && e[i].takeovers.mean > 0) {
            put(buf, len, " and took over ");
            put_mean(buf, len, e[i].takeovers, 1, " objects per run");
        } else if (!e[i].dead) {
            put(buf, len, " with no object taken over");
        }
        put(buf, len, ";");
    }
    size_t used = strnlen(buf, len);
    if (used && buf[used - 1] == ';')
        buf[used - 1] = '.';
}
