/* The experiments of gilsim calibrate (see calib_measure.h). Each repetition is short (tens of
 * ms) so that calibrate as a whole takes seconds; the caller keeps the median and the spread of
 * the repetitions. Two-thread experiments pin their threads to the first two allowed CPUs
 * (both to the first where the experiment says "same CPU"); with one CPU they share it. The
 * costs of one thread that depend on how many CPUs are busy run on each busy CPU at once
 * (calib_run).
 * Invariant: only real work is timed; results go through volatile sinks so that the compiler
 * cannot drop a timed loop. */
#define _GNU_SOURCE
#include "calib_measure.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "delegate_probe.h"
#include "mpsc.h"
#include "params.h"
#include "run_native.h"
#include "scheme.h"
#include "stats.h"
#include "object.h"
#include "team.h"
#include "calib_cache.h"
#include "cond_race.h"
#include "rt_backend.h"
#include "rt_pthread.h"

/* Each measuring thread's own: threads measuring at once never share its line. */
static _Thread_local volatile int64_t sink;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n ? (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) : 0;
}

/* ---- one thread's cost on each busy CPU at once -------------------------------------------- */

struct per_cpu {
    void (*fn)(double *out);
    struct {
        _Alignas(64) double v[CALIB_MAX_VALUES];
    } out[TEAM_MAX];
    _Alignas(64) atomic_int finished;
};

/* A member measures, then keeps its CPU busy (a dependent multiply-add) until every member has
 * measured: no member's timed loop ends on a machine quieter than the one it started on. */
static void per_cpu_fn(struct team *t, int idx)
{
    struct per_cpu *c = t->ctx;
    c->fn(c->out[idx].v);
    atomic_fetch_add(&c->finished, 1);
    uint64_t x = (uint64_t)idx + 1;
    while (atomic_load(&c->finished) < t->n)
        for (int i = 0; i < 1000; i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            __asm__ __volatile__("" : "+r"(x));
        }
    sink += (int64_t)(x & 1);
}

/* fn on `busy` pinned threads at once (team.h: round-robin over the allowed CPUs); each value
 * the median over the threads. busy <= 1: fn on this thread. */
static void on_cpus(void (*fn)(double *out), double *out, int busy)
{
    if (busy <= 1) {
        fn(out);
        return;
    }
    if (busy > TEAM_MAX)
        busy = TEAM_MAX;
    struct per_cpu *c = aligned_alloc(64, sizeof *c);
    if (!c)
        abort();
    memset(c, 0, sizeof *c);
    c->fn = fn;
    struct team t = { .n = busy, .fn = per_cpu_fn, .ctx = c };
    team_run(&t);
    for (int j = 0; j < CALIB_MAX_VALUES; j++) {
        double col[TEAM_MAX];
        for (int i = 0; i < busy; i++)
            col[i] = c->out[i].v[j];
        out[j] = median(col, (size_t)busy);
    }
    free(c);
}

/* ---- single-thread experiments ------------------------------------------------------------ */

#define LOOP_M 200000

/* The busy-work unit: one iteration of a loop the compiler must keep. */
static void busy_unit(double *out)
{
    double t0 = team_now_ns();
    for (long i = 0; i < 10 * LOOP_M; i++)
        atomic_signal_fence(memory_order_seq_cst);
    out[0] = (team_now_ns() - t0) / (10.0 * LOOP_M);
}

/* A handler call per object kind (models/object.c), reads and mutations alternating; and the
 * owner check of an object access (an atomic load and a compare). */
static void handlers(double *out)
{
    const long m = LOOP_M / 4;
    double sum = 0;
    for (int k = 0; k < OBJ_KIND_COUNT; k++) {
        struct object o;
        obj_init(&o, (enum obj_kind)k, 1);
        double t0 = team_now_ns();
        for (long i = 0; i < m; i++)
            sink += obj_apply(&o, (i & 1) ? OBJ_MUTATE : OBJ_READ, i);
        out[1 + k] = (team_now_ns() - t0) / (double)m;
        sum += out[1 + k];
        obj_destroy(&o);
    }
    out[0] = sum / OBJ_KIND_COUNT;
}

static void owner_check(double *out)
{
    struct object o;
    obj_init(&o, OBJ_COUNTER, 7);
    int64_t hits = 0;
    double t0 = team_now_ns();
    for (long i = 0; i < LOOP_M; i++)
        hits += atomic_load_explicit(&o.owner, memory_order_acquire) == (uint64_t)(7 + (i & 1));
    out[0] = (team_now_ns() - t0) / LOOP_M;
    sink += hits;
}

/* Allocating and initialising an object, kinds round-robin (malloc + obj_init + free). */
static void alloc_object(double *out)
{
    const long m = LOOP_M / 4;
    double t0 = team_now_ns();
    for (long i = 0; i < m; i++) {
        struct object *o = malloc(sizeof *o);
        if (!o)
            abort();
        obj_init(o, (enum obj_kind)(i % OBJ_KIND_COUNT), 1);
        sink += (int64_t)o->kind;
        obj_destroy(o);
        free(o);
    }
    out[0] = (team_now_ns() - t0) / (double)m;
}

static struct mpsc_queue *queue_new(void)
{
    struct mpsc_queue *q = aligned_alloc(MPSC_CACHE_LINE, sizeof *q);
    if (!q)
        abort();
    mpsc_init(q);
    return q;
}

/* MPSC pop and push in one thread, and a poll of an empty queue. */
static void mpsc_local(double *out)
{
    const long m = LOOP_M / 4;
    struct mpsc_queue *q = queue_new();
    struct mpsc_node *nodes = calloc((size_t)m, sizeof *nodes);
    if (!nodes)
        abort();
    double t0 = team_now_ns();
    for (long i = 0; i < m; i++)
        mpsc_push(q, &nodes[i]);
    double t1 = team_now_ns();
    for (long i = 0; i < m; i++)
        sink += mpsc_pop(q) != NULL;
    double t2 = team_now_ns();
    for (long i = 0; i < m; i++)
        sink += mpsc_empty(q);
    double t3 = team_now_ns();
    out[0] = (t2 - t1) / (double)m;
    out[1] = (t1 - t0) / (double)m;
    out[2] = (t3 - t2) / (double)m;
    free(nodes);
    free(q);
}

static void mutex_local(double *out)
{
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    double t0 = team_now_ns();
    for (long i = 0; i < LOOP_M; i++) {
        pthread_mutex_lock(&mu);
        sink++;
        pthread_mutex_unlock(&mu);
    }
    out[0] = (team_now_ns() - t0) / LOOP_M;
    pthread_mutex_destroy(&mu);
}

static void pause_unit(double *out)
{
    const long m = LOOP_M / 10;
    double t0 = team_now_ns();
    for (long i = 0; i < m; i++)
        CPU_PAUSE();
    out[0] = (team_now_ns() - t0) / (double)m;
}

/* Overshoot of a 50 us timed condvar wait (CLOCK_MONOTONIC, nobody signals) and of a 50 us
 * clock_nanosleep: the median of 20 each, with the timer slack of the native backend's
 * threads (1 ns: validate/rt_pthread.c), and the timed wait again with Linux's default slack
 * of a normal thread (50 us). */
static void overshoot_with(double *out);

static void overshoot(double *out)
{
    unsigned long slack = (unsigned long)prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    overshoot_with(out);
    prctl(PR_SET_TIMERSLACK, 50000UL, 0, 0, 0);
    double dflt[2];
    overshoot_with(dflt);
    out[2] = dflt[0];
    prctl(PR_SET_TIMERSLACK, slack, 0, 0, 0);
}

static void overshoot_with(double *out)
{
    enum { WAITS = 20 };
    const double want = 50000;
    double tw[WAITS], ts[WAITS];
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_t cv;
    pthread_cond_init(&cv, &ca);
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    for (int i = 0; i < WAITS; i++) {
        struct timespec dl;
        clock_gettime(CLOCK_MONOTONIC, &dl);
        double t0 = (double)dl.tv_sec * 1e9 + (double)dl.tv_nsec;
        dl.tv_nsec += (long)want;
        if (dl.tv_nsec >= 1000000000L) {
            dl.tv_sec++;
            dl.tv_nsec -= 1000000000L;
        }
        pthread_mutex_lock(&mu);
        while (pthread_cond_timedwait(&cv, &mu, &dl) == 0)
            ; /* a spurious wake-up: wait on to the deadline */
        pthread_mutex_unlock(&mu);
        tw[i] = team_now_ns() - t0 - want;
        struct timespec d = { 0, (long)want };
        double t1 = team_now_ns();
        clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL);
        ts[i] = team_now_ns() - t1 - want;
    }
    out[0] = median(tw, WAITS);
    out[1] = median(ts, WAITS);
    pthread_cond_destroy(&cv);
    pthread_condattr_destroy(&ca);
    pthread_mutex_destroy(&mu);
}

/* sched_yield with nobody else runnable on the CPU. */
static void yield_alone(double *out)
{
    const long m = LOOP_M / 20;
    double t0 = team_now_ns();
    for (long i = 0; i < m; i++)
        sched_yield();
    out[0] = (team_now_ns() - t0) / (double)m;
}

/* ---- two-thread experiments --------------------------------------------------------------- */

/* Spin hand-off between two cores: a store seen by a spinning thread, then the answer. */
static void handoff_fn(struct team *t, int idx)
{
    double t0 = team_now_ns();
    for (long i = 0; i < t->m; i++) {
        if (idx == 0) {
            atomic_store_explicit(&t->flag, 2 * i + 1, memory_order_release);
            while (atomic_load_explicit(&t->flag, memory_order_acquire) != 2 * i + 2)
                CPU_PAUSE();
        } else {
            while (atomic_load_explicit(&t->flag, memory_order_acquire) != 2 * i + 1)
                CPU_PAUSE();
            atomic_store_explicit(&t->flag, 2 * i + 2, memory_order_release);
        }
    }
    t->ns[idx] = (team_now_ns() - t0) / (2.0 * (double)t->m);
}

static void spin_handoff(double *out)
{
    struct team t = { .n = 2, .fn = handoff_fn, .m = 5000 };
    team_run(&t);
    out[0] = t.ns[0];
}

/* Round trips of a request through the MPSC queue (models/mpsc.c), member 0 the requester and
 * member 1 the owner, each spinning: the floor of a delegated op (also gilsim-native-bench's), which cannot take fewer
 * cache-line transfers. `flags`: as delegate's spin waits do, the requester also raises the
 * owner's interrupt flag and publishes that it spins (its `waiting` word), the owner lowers the
 * flag, pops, stores the answer's done flag, fences and reads the requester's `waiting` (to
 * know how to wake it), and the requester, spinning on the done flag, sees it (the protocol of
 * models/schemes/delegate.c with rt_pthread.c's interrupt flag, without the eval loop and the
 * statistics around it). */
struct request {
    struct mpsc_node node;
    _Atomic int done_flag;
};

struct round_trips {
    int flags;        /* 0: the bare queue; 1: delegate's protocol; 2: 1, the owner timed */
    double owner_ns;  /* flags 2: the owner's own time, summed (see round_trip_fn) */
    struct mpsc_queue *q;
    struct request req;
    _Alignas(64) _Atomic int owner_interrupt; /* on a line of its own, as in rt_pthread.c */
    _Alignas(64) _Atomic int waiting;         /* the requester's, as delegate's */
};

static void round_trip_fn(struct team *t, int idx)
{
    struct round_trips *rt = t->ctx;
    double t0 = team_now_ns();
    for (long i = 0; i < t->m; i++) {
        if (idx == 0) {
            if (!rt->flags) {
                atomic_store_explicit(&rt->req.done_flag, 0, memory_order_relaxed);
                mpsc_push(rt->q, &rt->req.node);
                while (!atomic_load_explicit(&rt->req.done_flag, memory_order_acquire))
                    CPU_PAUSE();
                continue;
            }
            atomic_store_explicit(&rt->req.done_flag, 0, memory_order_relaxed);
            mpsc_push(rt->q, &rt->req.node);
            atomic_store_explicit(&rt->owner_interrupt, 1, memory_order_release);
            atomic_store_explicit(&rt->waiting, 1, memory_order_relaxed);
            atomic_thread_fence(memory_order_seq_cst);
            while (!atomic_load_explicit(&rt->req.done_flag, memory_order_acquire))
                CPU_PAUSE();
            atomic_store_explicit(&rt->waiting, 0, memory_order_relaxed);
        } else {
            struct mpsc_node *n;
            double seen = 0;
            if (rt->flags) {
                while (!atomic_load_explicit(&rt->owner_interrupt, memory_order_acquire))
                    CPU_PAUSE();
                if (rt->flags == 2)
                    seen = team_now_ns();
                atomic_store_explicit(&rt->owner_interrupt, 0, memory_order_relaxed);
            }
            while ((n = mpsc_pop(rt->q)) == NULL)
                CPU_PAUSE();
            struct request *req = mpsc_entry(n, struct request, node);
            if (!rt->flags) {
                atomic_store_explicit(&req->done_flag, 1, memory_order_release);
                continue;
            }
            atomic_store_explicit(&req->done_flag, 1, memory_order_release);
            atomic_thread_fence(memory_order_seq_cst);
            sink += atomic_load_explicit(&rt->waiting, memory_order_relaxed);
            if (rt->flags == 2)
                rt->owner_ns += team_now_ns() - seen;
        }
    }
    t->ns[idx] = (team_now_ns() - t0) / (double)t->m;
}

/* The round trip's time per request (flags 0 or 1), or the owner's own time per request from
 * seeing its interrupt flag to raising the answer flag, less a clock read (flags 2). */
static double request_round_trip(int flags)
{
    struct round_trips *rt = aligned_alloc(64, sizeof *rt);
    if (!rt)
        abort();
    memset(rt, 0, sizeof *rt);
    rt->flags = flags;
    rt->q = aligned_alloc(MPSC_CACHE_LINE, sizeof *rt->q);
    if (!rt->q)
        abort();
    mpsc_init(rt->q);
    struct team t = { .n = 2, .fn = round_trip_fn, .m = 5000, .ctx = rt };
    team_run(&t);
    double ns = t.ns[0];
    if (flags == 2) {
        double c0 = team_now_ns(), c1 = c0;
        for (int i = 0; i < 1000; i++)
            c1 = team_now_ns();
        ns = rt->owner_ns / (double)t.m - (c1 - c0) / 1000;
    }
    free(rt->q);
    free(rt);
    return ns;
}

static void spin_rtt(double *out)
{
    out[0] = request_round_trip(1);
    out[1] = request_round_trip(0);
    out[2] = request_round_trip(2);
}

/* CAS on a line another core wrote: both threads increment one word by compare-and-swap. */
static void cas_fn(struct team *t, int idx)
{
    long attempts = 0;
    double t0 = team_now_ns();
    for (long i = 0; i < t->m; i++) {
        long v = atomic_load_explicit(&t->word, memory_order_relaxed);
        do
            attempts++;
        while (!atomic_compare_exchange_weak(&t->word, &v, v + 1));
    }
    t->ns[idx] = (team_now_ns() - t0) / (double)attempts;
}

static void cas_shared(double *out)
{
    struct team t = { .n = 2, .fn = cas_fn, .m = LOOP_M / 4 };
    team_run(&t);
    out[0] = (t.ns[0] + t.ns[1]) / 2;
}

/* Contended mutex: both threads lock, increment, unlock. */
static void mutex_fn(struct team *t, int idx)
{
    double t0 = team_now_ns();
    for (long i = 0; i < t->m; i++) {
        pthread_mutex_lock(&t->mu);
        t->turn++;
        pthread_mutex_unlock(&t->mu);
    }
    t->ns[idx] = (team_now_ns() - t0) / (double)t->m;
}

static void mutex_contended(double *out)
{
    struct team t = { .n = 2, .fn = mutex_fn, .m = LOOP_M / 4 };
    pthread_mutex_init(&t.mu, NULL);
    team_run(&t);
    pthread_mutex_destroy(&t.mu);
    out[0] = (t.ns[0] + t.ns[1]) / 2;
}

/* sched_yield with another thread runnable on the same CPU: both yield to each other. */
static void yield_fn(struct team *t, int idx)
{
    double t0 = team_now_ns();
    for (long i = 0; i < t->m; i++)
        sched_yield();
    t->ns[idx] = (team_now_ns() - t0) / (2.0 * (double)t->m);
}

static void yield_pair(double *out)
{
    struct team t = { .n = 2, .same_cpu = 1, .fn = yield_fn, .m = LOOP_M / 20 };
    team_run(&t);
    out[0] = (t.ns[0] + t.ns[1]) / 2;
}

/* MPSC push seen by another core: producers push m nodes each, the last member consumes. */
static void mpsc_fn(struct team *t, int idx)
{
    int cpu[TEAM_MAX];
    int crowded = t->n > team_cpus(cpu, TEAM_MAX); /* the consumer yields to the producers */
    double t0 = team_now_ns();
    long producers = t->n - 1;
    if (idx < producers) {
        for (long i = 0; i < t->m; i++)
            mpsc_push(t->q, &t->nodes[idx * t->m + i]);
    } else {
        for (long got = 0; got < producers * t->m;)
            if (mpsc_pop(t->q))
                got++;
            else if (crowded)
                sched_yield();
            else
                CPU_PAUSE();
    }
    t->ns[idx] = (team_now_ns() - t0) / (double)(producers * t->m);
}

static double mpsc_team(int producers)
{
    struct team t = { .n = producers + 1, .fn = mpsc_fn, .m = LOOP_M / 4 };
    t.q = queue_new();
    t.nodes = calloc((size_t)(producers * t.m), sizeof *t.nodes);
    if (!t.nodes)
        abort();
    team_run(&t);
    free(t.nodes);
    free(t.q);
    return t.ns[producers];
}

static void mpsc_shared(double *out)
{
    out[0] = mpsc_team(1);
    out[1] = mpsc_team(2);
}

/* Condvar wake-up: thread 1 sleeps on a condvar; thread 0 waits until it is asleep (and 20 us
 * more, so it is in the kernel), signals, and thread 1 notes the time from the signal until it
 * runs. Also the signal call itself, with a sleeper to wake. */
static void wake_fn(struct team *t, int idx)
{
    struct timespec settle = { 0, 20000 };
    for (long i = 0; i < t->m; i++) {
        if (idx == 1) {
            pthread_mutex_lock(&t->mu);
            t->asleep = 1;
            while (t->turn != i + 1)
                pthread_cond_wait(&t->cv, &t->mu);
            t->wake[i] = team_now_ns() - t->t_signal;
            t->asleep = 0;
            pthread_mutex_unlock(&t->mu);
            atomic_store(&t->done, i + 1);
            continue;
        }
        for (;;) {
            pthread_mutex_lock(&t->mu);
            int asleep = t->asleep;
            pthread_mutex_unlock(&t->mu);
            if (asleep)
                break;
            sched_yield();
        }
        clock_nanosleep(CLOCK_MONOTONIC, 0, &settle, NULL);
        pthread_mutex_lock(&t->mu);
        t->turn = i + 1;
        t->t_signal = team_now_ns();
        pthread_cond_signal(&t->cv);
        t->signal[i] = team_now_ns() - t->t_signal;
        pthread_mutex_unlock(&t->mu);
        while (atomic_load(&t->done) != i + 1)
            sched_yield();
    }
}

static double *wake_all;
static size_t wake_n, wake_cap;

static void wake_up(double *out)
{
    struct team t = { .n = 2, .fn = wake_fn, .m = 100 };
    pthread_mutex_init(&t.mu, NULL);
    pthread_cond_init(&t.cv, NULL);
    t.wake = calloc((size_t)t.m, sizeof *t.wake);
    t.signal = calloc((size_t)t.m, sizeof *t.signal);
    if (!t.wake || !t.signal)
        abort();
    team_run(&t);
    if (wake_n + (size_t)t.m > wake_cap) {
        wake_cap = 2 * (wake_n + (size_t)t.m);
        double *w = realloc(wake_all, wake_cap * sizeof *w);
        if (!w)
            abort();
        wake_all = w;
    }
    memcpy(wake_all + wake_n, t.wake, (size_t)t.m * sizeof *t.wake);
    wake_n += (size_t)t.m;
    out[0] = median(t.wake, (size_t)t.m);
    out[1] = median(t.signal, (size_t)t.m);
    free(t.wake);
    free(t.signal);
    pthread_cond_destroy(&t.cv);
    pthread_mutex_destroy(&t.mu);
}

const double *calib_wake_samples(size_t *n)
{
    *n = wake_n;
    return wake_all;
}

void calib_wake_samples_free(void)
{
    free(wake_all);
    wake_all = NULL;
    wake_n = wake_cap = 0;
}

/* The way into a condvar sleep: thread 1 publishes (under the mutex, as a delegate waiter
 * publishes WAITING_BLOCKED) that it is about to wait, and calls pthread_cond_wait; thread 0
 * sees it and signals D ns after the publish, D spread over 0..1.5 us. Whether thread 1 really
 * slept is its voluntary context-switch count (getrusage), not a guess from times. The result
 * is the delay that best splits the rounds into "signal came first, no sleep" and "slept": a
 * signal sent within sleep_ns of the publish costs the waiter no wake-up. */
#define WAY_IN_ROUNDS 300
#define WAY_IN_SPREAD_NS 1500.0

static long voluntary_switches(void)
{
    struct rusage u;
    return getrusage(RUSAGE_THREAD, &u) == 0 ? u.ru_nvcsw : 0;
}

static void way_in_fn(struct team *t, int idx)
{
    for (long i = 0; i < t->m; i++) {
        if (idx == 1) {
            double settle = team_now_ns() + 20000; /* the signaller is spinning by then */
            while (team_now_ns() < settle)
                CPU_PAUSE();
            pthread_mutex_lock(&t->mu);
            t->turn = 0;
            long before = voluntary_switches();
            atomic_store(&t->word, (long)team_now_ns());
            atomic_store(&t->flag, i + 1);
            while (t->turn == 0)
                pthread_cond_wait(&t->cv, &t->mu);
            t->signal[i] = voluntary_switches() != before;
            pthread_mutex_unlock(&t->mu);
            atomic_store(&t->done, i + 1);
            continue;
        }
        while (atomic_load(&t->flag) != i + 1)
            CPU_PAUSE();
        double t0 = (double)atomic_load(&t->word);
        double at = t0 + (double)((i * 37) % 60) * (WAY_IN_SPREAD_NS / 60), now;
        while ((now = team_now_ns()) < at)
            CPU_PAUSE();
        t->wake[i] = now - t0;
        pthread_mutex_lock(&t->mu);
        t->turn = 1;
        pthread_cond_signal(&t->cv);
        pthread_mutex_unlock(&t->mu);
        while (atomic_load(&t->done) != i + 1)
            CPU_PAUSE();
    }
}

struct way_in_round {
    double delay;
    int slept;
};

static int cmp_round(const void *a, const void *b)
{
    const struct way_in_round *x = a, *y = b;
    return x->delay < y->delay ? -1 : x->delay > y->delay;
}

/* The delay x that misclassifies fewest rounds by "slept iff delay >= x" (x between two
 * observed delays; the smallest delay when every round slept). */
static double way_in_split(struct way_in_round *r, size_t n)
{
    qsort(r, n, sizeof *r, cmp_round);
    size_t wrong = 0;
    for (size_t i = 0; i < n; i++)
        wrong += !r[i].slept; /* x below every delay: the rounds that did not sleep are wrong */
    size_t best = wrong, at = 0;
    for (size_t i = 0; i < n; i++) {
        wrong += r[i].slept ? 1 : -1; /* x moves above r[i] */
        if (wrong < best) {
            best = wrong;
            at = i + 1;
        }
    }
    if (at == 0)
        return n ? r[0].delay : 0;
    if (at == n)
        return r[n - 1].delay;
    return (r[at - 1].delay + r[at].delay) / 2;
}

static void way_in(double *out)
{
    struct team t = { .n = 2, .fn = way_in_fn, .m = WAY_IN_ROUNDS };
    pthread_mutex_init(&t.mu, NULL);
    pthread_cond_init(&t.cv, NULL);
    t.wake = calloc((size_t)t.m, sizeof *t.wake);
    t.signal = calloc((size_t)t.m, sizeof *t.signal);
    struct way_in_round *r = calloc((size_t)t.m, sizeof *r);
    if (!t.wake || !t.signal || !r)
        abort();
    team_run(&t);
    for (long i = 0; i < t.m; i++)
        r[i] = (struct way_in_round){ t.wake[i], t.signal[i] != 0 };
    out[0] = way_in_split(r, (size_t)t.m);
    free(r);
    free(t.wake);
    free(t.signal);
    pthread_cond_destroy(&t.cv);
    pthread_mutex_destroy(&t.mu);
}

/* ---- the table ---------------------------------------------------------------------------- */

/* The native eval loop's own cost per opcode: unshared `ideal` with op_ns = 0 (only the loop,
 * the generated stream and the handlers run) on loop_threads threads and as many cores (each
 * thread on a CPU of its own, as the grid's runs keep them busy), makespan over a thread's
 * opcodes, loop_ops of them, with access and alloc shares loop_access and loop_alloc (negative:
 * the defaults). Run in a child process: a native run leaves its backend's threads (the
 * watchdog) behind, which would compete with every later measurement and native run of this
 * process. A run is as long as the default grid's runs it stands for (GRID_OPS opcodes a
 * thread; GRID_OPS_ACCESS where every opcode is an access), so that its start-up weighs on an
 * opcode as in them. */
#define GRID_OPS 1000000
#define GRID_OPS_ACCESS 200000

static double loop_access = -1, loop_alloc = -1;
static long loop_threads = 1, loop_ops = GRID_OPS;

double calib_ideal_run_ns(struct params *p)
{
    param_set(p, "scheme", "ideal", NULL, 0);
    param_set(p, "backend", "native", NULL, 0);
    p->op_ns = 0;
    p->sharing = 0;
    scheme_resolve_params(p);
    struct metrics m;
    char err[256];
    memset(&m, 0, sizeof m);
    return native_run(p, &m, NULL, NULL, err, sizeof err) == 0 && m.check_ok
               ? m.makespan_s * 1e9 / (double)p->ops
               : 0;
}

static double eval_loop_once(void)
{
    struct params p;
    params_defaults(&p);
    if (loop_access >= 0)
        p.access = loop_access;
    if (loop_alloc >= 0)
        p.alloc = loop_alloc;
    p.threads = loop_threads;
    p.cores = loop_threads;
    p.ops = loop_ops;
    return calib_ideal_run_ns(&p);
}

/* fn(out) run in a child process (see calib_in_child), which writes n values to out; 0 if it
 * failed (out is then all 0), else 1. */
static int in_child_values(void (*fn)(double *out), double *out, size_t n)
{
    memset(out, 0, n * sizeof *out);
    int fd[2];
    if (pipe(fd) != 0)
        return 0;
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        fn(out);
        ssize_t want = (ssize_t)(n * sizeof *out);
        _exit(write(fd[1], out, n * sizeof *out) == want ? 0 : 1);
    }
    close(fd[1]);
    int ok = pid >= 0 && read(fd[0], out, n * sizeof *out) == (ssize_t)(n * sizeof *out);
    close(fd[0]);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    if (!ok)
        memset(out, 0, n * sizeof *out);
    return ok;
}

static double (*child_fn)(void);
static void child_value(double *out) { out[0] = child_fn(); }

double calib_in_child(double (*fn)(void))
{
    double v;
    child_fn = fn;
    return in_child_values(child_value, &v, 1) ? v : 0;
}

/* loop_ns: the loop per opcode where compute opcodes come in long runs (access and alloc 0:
 * few batch entries); loop_entry_ns: what an entry adds, where every opcode is an access (one
 * entry each), less the handler's own cost (measured right after, as handler_ns); and, as a
 * comment, the loop per opcode at the default shares (what loop_ns was before the two). */
static void eval_loop(double *out, int busy)
{
    loop_threads = busy;
    loop_access = 0, loop_alloc = 0;
    double compute = calib_in_child(eval_loop_once);
    loop_access = 1, loop_ops = GRID_OPS_ACCESS;
    double access = calib_in_child(eval_loop_once);
    loop_access = -1, loop_alloc = -1, loop_ops = GRID_OPS;
    double mix = calib_in_child(eval_loop_once), handler[CALIB_MAX_VALUES];
    loop_threads = 1;
    on_cpus(handlers, handler, busy);
    out[0] = compute;
    out[1] = access > compute + handler[0] ? access - compute - handler[0] : 0;
    out[2] = mix;
}

/* An allocation the way a run pays it: the same native run as eval_loop's (access 0: what an
 * access to an allocated object costs beyond a hot one is not the allocation's) of
 * GRID_OPS opcodes per thread, the length of the default grid's, with the default
 * allocation share and with none, in turn; the median difference per allocation (0 where the
 * machine's noise hides it). Each allocation keeps its
 * object alive (the heap grows as in a run) and splits a run of compute opcodes, so the
 * difference holds two batch entries' loop_entry_ns besides the allocation (a few percent). */
static void alloc_in_run(double *out, int busy)
{
    enum { PAIRS = 5 }; /* without and with, in turn: the median difference of the pairs */
    struct params d;
    params_defaults(&d);
    double share = d.alloc > 0 ? d.alloc : 0.01, none[PAIRS], with[PAIRS], diff[PAIRS];
    loop_threads = busy;
    loop_access = 0;
    for (int i = 0; i < PAIRS; i++) {
        loop_alloc = 0;
        none[i] = calib_in_child(eval_loop_once);
        loop_alloc = share;
        with[i] = calib_in_child(eval_loop_once);
        diff[i] = none[i] > 0 && with[i] > 0 ? (with[i] - none[i]) / share : 0;
    }
    loop_threads = 1;
    loop_access = -1, loop_alloc = -1;
    double dm = median(diff, PAIRS);
    out[0] = dm > 0 ? dm : 0;
    out[1] = median(with, PAIRS);
    out[2] = median(none, PAIRS);
}

/* The native backend's interrupt latency (as validate/rt_pthread_test.c measures it): a
 * thread spinning in rt_work (a spinning waiter's loop) on one CPU, another raising its
 * interrupt from a second CPU at a random point of its busy work; from the raise until the
 * spinner's rt_work has returned and it reads the clock. */
#define NOTICE_TRIALS 201

static struct rt_thread *notice_spinner;
static _Atomic long notice_ready, notice_back_n;
static double notice_sent[NOTICE_TRIALS], notice_back[NOTICE_TRIALS];

static void notice_spinner_main(void *arg)
{
    (void)arg;
    for (long i = 0; i < NOTICE_TRIALS; i++) {
        rt_clear_interrupt();
        atomic_store(&notice_ready, i + 1);
        rt_work(RT_UNTIL_INTERRUPTED);
        notice_back[i] = rt_now();
        atomic_store(&notice_back_n, i + 1);
    }
}

static void notice_raiser_main(void *arg)
{
    (void)arg;
    for (long i = 0; i < NOTICE_TRIALS; i++) {
        while (atomic_load(&notice_ready) != i + 1)
            CPU_PAUSE();
        rt_execute(2000 + 37 * (double)(i % 50)); /* the spinner is well inside its loop */
        notice_sent[i] = rt_now();
        rt_interrupt(notice_spinner);
        while (atomic_load(&notice_back_n) != i + 1)
            CPU_PAUSE();
    }
}

static double notice_once(void)
{
    char err[256];
    int cpu[TEAM_MAX];
    rt_use(&rt_pthread_backend);
    if (rt_native_start(team_cpus(cpu, TEAM_MAX) < 2 ? 1 : 2, err, sizeof err) != 0)
        return 0;
    notice_spinner = rt_spawn("spinner", notice_spinner_main, NULL);
    rt_spawn("raiser", notice_raiser_main, NULL);
    rt_native_go();
    if (rt_native_wait() != 0)
        return 0;
    rt_native_cleanup();
    double lat[NOTICE_TRIALS];
    for (long i = 0; i < NOTICE_TRIALS; i++)
        lat[i] = notice_back[i] - notice_sent[i];
    return median(lat, NOTICE_TRIALS);
}

/* notice_ns: that latency less a bare hand-off of one line between the same two CPUs (the flag's
 * transfer, which the model charges as handoff_ns), measured right after it. */
static void notice(double *out)
{
    double latency = calib_in_child(notice_once), handoff[1];
    spin_handoff(handoff);
    out[0] = latency > handoff[0] ? latency - handoff[0] : 0;
    out[1] = latency;
}

/* The delegate owner's path (models/delegate_probe.h): a native delegate run of one owner that
 * only computes (N = 1, OWNER_OP_NS per opcode, so a check point after each) and one requester
 * whose every opcode is a spinning delegation to it; the owner's stamps give, per request
 * served at a check point of its batch, the time from the push to the start of serving and the
 * serving. Medians over the run's requests. */
#define OWNER_OP_NS 20
#define PROBE_MAX 65536

static double probe_gap[PROBE_MAX], probe_serve[PROBE_MAX];
static _Atomic long probe_n;

static void probe_record(double gap, double serve)
{
    long i = atomic_fetch_add_explicit(&probe_n, 1, memory_order_relaxed);
    if (i < PROBE_MAX) {
        probe_gap[i] = gap;
        probe_serve[i] = serve;
    }
}

static void owner_path_once(double *out)
{
    struct params p;
    char err[256];
    params_defaults(&p);
    if (param_set(&p, "scheme", "delegate", err, sizeof err) != 0 ||
        param_set(&p, "backend", "native", err, sizeof err) != 0 ||
        param_set(&p, "wait", "spin", err, sizeof err) != 0)
        return;
    p.threads = 2;
    p.cores = 2;
    p.N = 1;
    p.alloc = 0;
    char classes[160];
    snprintf(classes, sizeof classes,
             "owner(count=1 ops=4000000 access=0 op_ns=%d) req(count=1 ops=20000 access=1 "
             "sharing=1 op_ns=%d)", OWNER_OP_NS, OWNER_OP_NS);
    if (param_set(&p, "classes", classes, err, sizeof err) != 0)
        return;
    scheme_resolve_params(&p);
    struct metrics m;
    memset(&m, 0, sizeof m);
    atomic_store(&probe_n, 0);
    delegate_probe = probe_record;
    int rc = native_run(&p, &m, NULL, NULL, err, sizeof err);
    delegate_probe = NULL;
    long n = atomic_load(&probe_n);
    if (n > PROBE_MAX)
        n = PROBE_MAX;
    if (rc != 0 || !m.check_ok || n == 0)
        return;
    out[0] = median(probe_gap, (size_t)n);
    out[1] = median(probe_serve, (size_t)n);
}

/* batch_exit_ns: the time from the push to the start of serving, less what the simulator
 * charges there (the wait for the next check point, half an opcode; handoff_ns) and the push
 * and pop done natively within it (measured hot, one thread) and a clock read (the owner's
 * stamp); serve_miss_ns: the serving less the handler measured hot and a clock read. Each 0 if
 * the parts came out longer on a loaded machine. */
static void owner_path(double *out)
{
    double v[2], local[CALIB_MAX_VALUES], handler[CALIB_MAX_VALUES], handoff[CALIB_MAX_VALUES];
    in_child_values(owner_path_once, v, 2);
    mpsc_local(local);
    handlers(handler);
    spin_handoff(handoff);
    double c0 = team_now_ns(), c1 = c0;
    for (int i = 0; i < 1000; i++)
        c1 = team_now_ns();
    double clock = (c1 - c0) / 1000;
    double exit = v[0] - OWNER_OP_NS / 2.0 - handoff[0] - local[0] - local[1] - clock;
    double miss = v[1] - handler[0] - clock;
    out[0] = exit > 0 ? exit : 0;
    out[1] = miss > 0 ? miss : 0;
    out[2] = v[0];
    out[3] = v[1];
}

/* The condvar request race (validate/cond_race.c): 15 rounds of ~7 ms. */
static void cond_steal(double *out) { out[0] = cond_race_steal(15); }

const struct calib_experiment calib_experiments[] = {
    { { { "busy_unit_ns", "one iteration of the busy-work loop (a compiler fence per step)" } },
      busy_unit, .per_cpu = 1 },
    { { { "handler_ns", "an object handler call (models/object.c), mean of the three kinds" },
        { "handler_counter_ns", "a counter handler call (read/mutate alternating)" },
        { "handler_list_ns", "a list handler call (read/append alternating)" },
        { "handler_dict_ns", "a dict handler call (read/+= alternating)" } },
      handlers, .per_cpu = 1 },
    { { { "check_ns", "owner check of an object access (atomic load + compare)" } }, owner_check,
      .per_cpu = 1 },
    { { { "alloc_ns", "an allocation the way a run pays it: native ideal runs (op_ns 0, access 0, "
                      "10^6 opcodes a thread) with the default alloc share and with none, the "
                      "difference per allocation (objects kept alive, the heap growing)" },
        { "alloc_run_ns", "that run's time per opcode with allocations (median of 5)" },
        { "alloc_none_ns", "that run's time per opcode without (median of 5)" } },
      NULL, .run_busy = alloc_in_run },
    { { { "alloc_hot_ns", "allocating and initialising an object in a hot loop (malloc + "
                          "obj_init + free; what alloc_ns was before it was measured in a run)" } },
      alloc_object, .per_cpu = 1 },
    { { { "pop_ns", "MPSC pop (models/mpsc.c), one thread" },
        { "push_local_ns", "MPSC push, one thread (no other core involved)" },
        { "poll_ns", "a drain point that finds the queue empty (mpsc_empty)" } },
      mpsc_local, .per_cpu = 1 },
    { { { "push_ns", "MPSC push seen by another core (1 producer, 1 consumer, pinned)" },
        { "push_2producers_ns", "MPSC push+pop per node, 2 producers and 1 consumer (pinned "
                                "round-robin)" } },
      .run = mpsc_shared },
    { { { "mutex_ns", "uncontended mutex lock+unlock" } }, mutex_local, .per_cpu = 1 },
    { { { "mutex_contended_ns", "mutex lock+unlock, two threads on two cores contending" } },
      .run = mutex_contended },
    { { { "wake_ns", "condvar signal until the sleeper runs (median of 100 per run)" },
        { "signal_ns", "pthread_cond_signal with a sleeper to wake, on the signalling thread" } },
      .run = wake_up },
    { { { "sleep_ns", "way into a condvar sleep: a signal sent this long after the waiter "
                      "published that it waits finds it not yet asleep (best split of 300 "
                      "rounds, delays 0..1.5 us)" } },
      .run = way_in },
    { { { "handoff_ns", "spin hand-off: a store seen by a spinning thread on another core" } },
      .run = spin_handoff },
    { { { "spin_rtt_ns", "a request's round trip between two spinning threads: MPSC push and "
                         "the owner's interrupt flag, pop, the answer's done flag and a look at "
                         "how the waiter waits (delegate's protocol without the eval loop)" },
        { "queue_rtt_ns", "a request's round trip through the MPSC queue alone (push, pop, a "
                          "done flag in the node)" },
        { "owner_serve_ns", "the owner's own part of that protocol's round trip: from seeing "
                            "its interrupt flag to raising the answer flag (the simulator "
                            "charges handoff_ns + pop_ns + cas_ns there)" } },
      .run = spin_rtt },
    { { { "notice_ns", "a spinning rt_work (native backend) interrupted from another core: the "
                       "latency until it has returned, less a spin hand-off (measured after)" },
        { "interrupt_latency_ns", "the same latency in full" } },
      .run = notice },
    { { { "batch_exit_ns", "a delegate owner computing at N = 1: from a push to the start of "
                           "serving, less half an opcode, a spin hand-off, a push and a pop "
                           "(hot) and a clock read (native run, stamps, median of its requests)" },
        { "serve_miss_ns", "that owner serving a request: less a handler call (hot) and a "
                           "clock read" },
        { "push_to_serve_ns", "that owner's time from a push to the start of serving, in full" },
        { "serve_native_ns", "that owner's serving, in full" } },
      .run = owner_path },
    { { { "cas_ns", "compare-and-swap on a line another core wrote (both increment one word)" } },
      .run = cas_shared },
    { { { "yield_ns", "sched_yield with another thread runnable on the same CPU" } },
      .run = yield_pair },
    { { { "yield_alone_ns", "sched_yield with nothing else runnable on the CPU" } }, yield_alone,
      .per_cpu = 1 },
    { { { "pause_ns", "one x86 PAUSE (a compiler fence elsewhere)" } }, pause_unit,
      .per_cpu = 1 },
    { { { "loop_ns", "the native eval loop's own cost per opcode (ideal, a thread per busy CPU, "
                     "op_ns 0, access and alloc 0: compute opcodes in long runs)" },
        { "loop_entry_ns", "what the native eval loop adds per batch entry (the same with access "
                           "1, an entry per opcode, less that run's loop_ns and a handler call)" },
        { "loop_mix_ns", "the native eval loop per opcode at the default access and alloc "
                         "shares (with loop_ns and loop_entry_ns: their sum over its opcodes "
                         "and entries)" } },
      NULL, .run_busy = eval_loop },
    { { { "miss_1k_ns", "an object access among 1024 objects, beyond one among 16: native runs "
                        "of ideal where every opcode accesses one of W objects per thread "
                        "(both CPUs busy), cost per access less the W = 16 run's" },
        { "miss_4k_ns", "the same among 4096 objects" },
        { "miss_16k_ns", "the same among 16384 objects" },
        { "miss_64k_ns", "the same among 65536 objects" },
        { "access_16_ns", "such a run's cost per access among 16 objects" } },
      .run = calib_cache_misses },
    { { { "timer_slack_ns", "overshoot of a 50 us timed condvar wait (CLOCK_MONOTONIC), timer "
                            "slack 1 ns as the native backend's threads" },
        { "sleep_overshoot_ns", "overshoot of a 50 us clock_nanosleep, timer slack 1 ns" },
        { "timedwait_default_slack_ns", "overshoot of a 50 us timed condvar wait with Linux's "
                                        "default timer slack (50 us)" } },
      .run = overshoot },
    { { { "cv_steal", "share of condvar signals a timed waiter that asked for it, still "
                      "entering its next wait, takes from an older sleeping waiter (15 rounds; "
                      "a share, not ns)" } },
      .run = cond_steal },
};
const size_t calib_experiment_count = sizeof calib_experiments / sizeof calib_experiments[0];

int calib_depends_on_busy(const struct calib_experiment *x)
{
    return x->per_cpu || x->run_busy;
}

void calib_run(const struct calib_experiment *x, double *out, int busy)
{
    if (x->run_busy)
        x->run_busy(out, busy);
    else if (x->per_cpu)
        on_cpus(x->run, out, busy);
    else
        x->run(out);
}
