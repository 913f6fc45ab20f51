/* The verdict of gilsim review: one sentence per question of a design review, computed from
 * the numbers the rows give (shares of runs, means with their 95% intervals), never canned.
 * Each function takes plain numbers (filled from the rows by review_page.c, or by a test) and
 * writes its sentence into buf; the same numbers give the same sentence. */
#ifndef GILSIM_PLOTS_VERDICT_H
#define GILSIM_PLOTS_VERDICT_H

#include <stddef.h>

/* A mean over seeds and the half-width of its 95% confidence interval (NaN: none). */
struct vd_mean {
    double mean, ci;
};

/* ---- deadlock ---- */
struct vd_share {
    const char *scheme;
    double sharing;  /* NaN: all sharings together */
    long threads;    /* 0: all thread counts together */
    size_t k, n;     /* k of n runs deadlocked */
};
struct vd_deadlock {
    const struct vd_share *naive; /* the naive scheme per sharing x threads */
    size_t nnaive;
    size_t kind[4];               /* its deadlocks: mutual, chain, exited, blocked */
    const char *example;          /* one of them, printed ("" if none) */
    const struct vd_share *fixed; /* every other scheme, all points together */
    size_t nfixed;
};
void verdict_deadlock(const struct vd_deadlock *d, char *buf, size_t len);

/* ---- N ---- */
struct vd_n_point {
    double N;
    struct vd_mean thr, p50, p99; /* throughput, delegated-op latency p50 and p99 */
};
struct vd_n_series {
    const char *wait; /* block, spin... */
    const struct vd_n_point *pt; /* sorted by N */
    size_t n;
};
void verdict_n(const struct vd_n_series *s, size_t ns, char *buf, size_t len);

/* ---- cores ---- */
struct vd_speedup {
    const char *scheme;
    double cores;      /* the most cores of the sweep */
    double base_cores; /* the fewest */
    struct vd_mean s;  /* throughput at cores / throughput at base_cores */
};
void verdict_speedup(const struct vd_speedup *s, size_t n, double sharing, char *buf,
                     size_t len);

/* ---- break-even sharing ---- */
struct vd_breakeven {
    double cores;
    double sim, lo, hi; /* where the speedup over the baseline falls through 1, and where its
                           95% band's lower and upper edges do; NaN: none in the sweep */
    int above;          /* sim is NaN: 1 faster at every swept sharing, 0 slower at every one,
                           -1 not enough points */
    double smax, smin;  /* the swept sharing's range */
    double model;       /* the first-order model's break-even (NaN: none) */
};
/* One sentence for the proposal `scheme` against `baseline` over the core counts; a model
 * that differs from the simulated break-even by more than 2x is flagged. */
void verdict_breakeven(const char *scheme, const char *baseline, const struct vd_breakeven *b,
                       size_t n, char *buf, size_t len);
/* 1 if model and sim disagree by more than 2x (either way). */
int verdict_disagrees(double sim, double model);

/* ---- an owner blocked in I/O ---- */
struct vd_io {
    const char *scheme;
    double io;          /* share of ops in I/O */
    struct vd_mean p99; /* delegated-op latency p99 */
};
/* v1 and v2 are the two schemes' points, sorted by io, same length. */
void verdict_io(const char *v1, const char *v2, const struct vd_io *a, const struct vd_io *b,
                size_t n, char *buf, size_t len);

/* ---- thread exit ---- */
struct vd_exit {
    const char *scheme;
    struct vd_mean takeovers; /* objects taken over from the exited owner, per run */
    size_t dead, exited, n;   /* runs deadlocked, those on an exited owner, runs */
};
void verdict_exit(const struct vd_exit *e, size_t n, char *buf, size_t len);

/* "12.3 [11.9, 12.7]": a value and its interval with %.3g, times scale. */
void verdict_fmt(char *buf, size_t len, double v, double lo, double hi, double scale);

#endif
