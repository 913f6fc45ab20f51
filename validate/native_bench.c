/* gilsim-native-bench: the machine's floors that the native backend is measured against
 * (validate/native_bench.sh puts them beside native runs; output kept in docs/validation.md):
 * a spin ping-pong and a condvar ping-pong between two pinned threads (round trips), a request's
 * round trip through the MPSC queue bare and with delegate's interrupt and answer flags, and the
 * throughput of the MPSC queue (models/mpsc.c) beside liburcu's wfcqueue with the same threads
 * in the same run. Each figure is the median of R runs with their min..max. A benchmark, not a
 * test: it asserts nothing. */
#define _GNU_SOURCE
#define _LGPL_SOURCE /* liburcu: the static inline wfcqueue, no library call in the loop */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <urcu/wfcqueue.h>

#include "calib_measure.h"
#include "mpsc.h"
#include "team.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, double *v, size_t n, const char *unit, double scale)
{
    qsort(v, n, sizeof *v, cmp_double);
    double med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    printf("%-52s %12.1f %s  (min %.1f, max %.1f)\n", what, med * scale, unit, v[0] * scale,
           v[n - 1] * scale);
}

/* Value `j` of one repetition of calibrate's experiment whose first key is `key`. */
static double calib_value(const char *key, int j)
{
    for (size_t e = 0; e < calib_experiment_count; e++)
        if (strcmp(calib_experiments[e].values[0].key, key) == 0) {
            double out[CALIB_MAX_VALUES];
            calib_experiments[e].run(out);
            return out[j];
        }
    return 0;
}

/* Spin ping-pong round trip: twice the one-way hand-off that calibrate measures. */
static double spin_round_trip(void) { return 2 * calib_value("handoff_ns", 0); }

/* A request's round trip through the MPSC queue, with delegate's flags (flags) or
 * bare: calibrate's spin_rtt_ns experiment (validate/calib_measure.c). */
static double request_round_trip(int flags) { return calib_value("spin_rtt_ns", flags ? 0 : 1); }

/* Condvar ping-pong: each thread sleeps on its own condvar until the other hands it the turn. */
static void condvar_fn(struct team *t, int idx)
{
    pthread_cond_t *mine = idx ? &t->cv2 : &t->cv, *theirs = idx ? &t->cv : &t->cv2;
    double t0 = team_now_ns();
    pthread_mutex_lock(&t->mu);
    for (long i = 0; i < t->m; i++) {
        while (t->turn % 2 != idx)
            pthread_cond_wait(mine, &t->mu);
        t->turn++;
        pthread_cond_signal(theirs);
    }
    pthread_mutex_unlock(&t->mu);
    t->ns[idx] = (team_now_ns() - t0) / (double)t->m;
}

static double condvar_round_trip(void)
{
    struct team t = { .n = 2, .fn = condvar_fn, .m = 500 };
    pthread_mutex_init(&t.mu, NULL);
    pthread_cond_init(&t.cv, NULL);
    pthread_cond_init(&t.cv2, NULL);
    team_run(&t);
    pthread_cond_destroy(&t.cv);
    pthread_cond_destroy(&t.cv2);
    pthread_mutex_destroy(&t.mu);
    return t.ns[0];
}

/* Queue throughput: members 0..n-2 push m nodes each, the last pops them all. */
struct wfcq {
    struct cds_wfcq_head head;
    struct cds_wfcq_tail tail;
    struct cds_wfcq_node *nodes;
};

static void queue_fn(struct team *t, int idx)
{
    struct wfcq *w = t->ctx;
    int cpu[TEAM_MAX];
    int crowded = t->n > team_cpus(cpu, TEAM_MAX);
    long producers = t->n - 1;
    double t0 = team_now_ns();
    if (idx < producers) {
        for (long i = 0; i < t->m; i++)
            if (w)
                cds_wfcq_enqueue(&w->head, &w->tail, &w->nodes[idx * t->m + i]);
            else
                mpsc_push(t->q, &t->nodes[idx * t->m + i]);
    } else {
        for (long got = 0; got < producers * t->m;) {
            int ok;
            if (w) { /* the single dequeuer: no dequeue lock needed */
                struct cds_wfcq_node *nd = __cds_wfcq_dequeue_nonblocking(&w->head, &w->tail);
                ok = nd != NULL && nd != CDS_WFCQ_WOULDBLOCK;
            } else {
                ok = mpsc_pop(t->q) != NULL;
            }
            if (ok)
                got++;
            else if (crowded)
                sched_yield();
            else
                CPU_PAUSE();
        }
    }
    t->ns[idx] = team_now_ns() - t0;
}

/* Nodes per second through one queue with `producers` producers; urcu: liburcu's wfcqueue. */
static double queue_rate(int producers, int urcu)
{
    const long m = 200000;
    struct team t = { .n = producers + 1, .fn = queue_fn, .m = m };
    struct wfcq w;
    if (urcu) {
        cds_wfcq_init(&w.head, &w.tail);
        w.nodes = calloc((size_t)(producers * m), sizeof *w.nodes);
        if (!w.nodes)
            abort();
        for (long i = 0; i < producers * m; i++)
            cds_wfcq_node_init(&w.nodes[i]);
        t.ctx = &w;
    } else {
        t.q = aligned_alloc(MPSC_CACHE_LINE, sizeof *t.q);
        t.nodes = calloc((size_t)(producers * m), sizeof *t.nodes);
        if (!t.q || !t.nodes)
            abort();
        mpsc_init(t.q);
    }
    team_run(&t);
    if (urcu) {
        cds_wfcq_destroy(&w.head, &w.tail);
        free(w.nodes);
    }
    free(t.q);
    free(t.nodes);
    return (double)(producers * m) / (t.ns[producers] * 1e-9);
}

int main(int argc, char **argv)
{
    long reps = 7;
    for (int i = 1; i < argc; i++) {
        char *end;
        errno = 0;
        if (strncmp(argv[i], "--reps=", 7) == 0 && (reps = strtol(argv[i] + 7, &end, 10)) >= 1 &&
            reps <= 1000 && !*end && !errno)
            continue;
        fprintf(stderr, "usage: gilsim-native-bench [--reps=R]   (R in 1..1000, default 7)\n");
        return 2;
    }
    double *v = calloc((size_t)reps, sizeof *v);
    if (!v)
        return 1;
    int cpu[TEAM_MAX];
    printf("# gilsim-native-bench: %d CPUs allowed; medians of %ld runs\n",
           team_cpus(cpu, TEAM_MAX), reps);
    for (long r = 0; r < reps; r++)
        v[r] = spin_round_trip();
    report("spin ping-pong round trip (2 pinned threads)", v, (size_t)reps, "ns", 1);
    for (long r = 0; r < reps; r++)
        v[r] = condvar_round_trip();
    report("condvar ping-pong round trip (2 pinned threads)", v, (size_t)reps, "ns", 1);
    for (long r = 0; r < reps; r++)
        v[r] = request_round_trip(0);
    report("MPSC request round trip (push, pop, done flag)", v, (size_t)reps, "ns", 1);
    for (long r = 0; r < reps; r++)
        v[r] = request_round_trip(1);
    report("... + delegate's interrupt flag and answer flag", v, (size_t)reps, "ns", 1);
    for (int producers = 1; producers <= 2; producers++)
        for (int urcu = 0; urcu < 2; urcu++) {
            char what[128];
            snprintf(what, sizeof what, "%s, %d producer%s + 1 consumer",
                     urcu ? "liburcu wfcqueue" : "gilsim MPSC (models/mpsc.c)", producers,
                     producers > 1 ? "s" : "");
            for (long r = 0; r < reps; r++)
                v[r] = queue_rate(producers, urcu);
            report(what, v, (size_t)reps, "Mnodes/s", 1e-6);
        }
    free(v);
    return 0;
}
