/* dlg-minimal: the delegation protocol as a plain pthread program, written apart from gilsim's
 * eval loop, scheme and backend, to measure how thin `gilsim run --backend=native
 * --scheme=delegate` is (bench/dlg_thin.sh runs both on the same points). What it shares
 * with gilsim is what the protocol prescribes and the work itself: the wait-free MPSC queue
 * (models/mpsc.c) and the object handlers (models/object.c).
 *
 * T threads, each pinned to its own CPU, each owning OBJECTS objects (counter, list, dict
 * round-robin). A thread runs OPS opcodes: a calibrated busy loop of OP_NS ns, then an access
 * (read or mutate, half each) to one of its own objects or, with probability SHARING, to a
 * uniformly chosen object of another thread; the object's owner word says which (the owner
 * check the proposal prescribes). A foreign access pushes a request onto the
 * owner's queue and waits on a done flag in the request (spin: polling the flag; block: on the
 * waiter's condvar), serving its own queue meanwhile. Every N opcodes a thread drains its
 * queue: pops each request, runs its handler, sets the done flag (and, for a sleeping waiter,
 * signals it). A finished thread keeps serving until every thread is finished.
 * Output: one line, `throughput=<ops/s> makespan=<s> delegations=<n> lat_p50=<s> lat_p99=<s>
 * check=ok|FAIL` (the latency from just before the push until the done flag is seen); the
 * check compares every object's state with a sequential replay of all threads' ops. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mpsc.h"
#include "object.h"

#define MAX_THREADS 64

#if defined(__x86_64__) || defined(__i386__)
#define PAUSE() __builtin_ia32_pause()
#else
#define PAUSE() atomic_signal_fence(memory_order_seq_cst)
#endif

struct req {
    struct mpsc_node node;
    struct object *obj;
    int op;
    int64_t arg;
    struct worker *waiter;
    _Atomic int done;
};

struct worker {
    struct mpsc_queue q;                 /* first: 64-byte aligned */
    _Alignas(64) _Atomic int sleeping;   /* block mode: in (or entering) its condvar wait */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    _Alignas(64) struct object objs[64];
    uint64_t rng, sink;
    long delegations;
    double *lat; /* each delegation's latency (ns), from before the push until done is seen */
    int id;
};

static struct worker *W;
static int nthreads, block, objects;
static long ops, every;
static double sharing, op_ns, iter_ns;
static _Atomic int go, finished, all_done;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static uint64_t spin(uint64_t n, uint64_t x)
{
    for (uint64_t i = 0; i < n; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        __asm__ __volatile__("" : "+r"(x));
    }
    return x;
}

static uint64_t next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* Wakes w if it sleeps: after the caller's store that ends its wait, a full fence, then its
 * `sleeping` word; w sets that word before its last look (Dekker: one sees the other). */
static void wake(struct worker *w)
{
    atomic_thread_fence(memory_order_seq_cst);
    if (atomic_load_explicit(&w->sleeping, memory_order_relaxed)) {
        pthread_mutex_lock(&w->mu);
        pthread_cond_signal(&w->cv);
        pthread_mutex_unlock(&w->mu);
    }
}

static void drain(struct worker *me)
{
    struct mpsc_node *n;
    while ((n = mpsc_pop(&me->q)) != NULL) {
        struct req *r = mpsc_entry(n, struct req, node);
        obj_apply(r->obj, r->op, r->arg);
        struct worker *w = r->waiter;
        atomic_store_explicit(&r->done, 1, memory_order_release); /* r may vanish now */
        if (block)
            wake(w);
    }
}

/* Waits until *flag is set, serving this thread's queue meanwhile. */
static void wait_for(struct worker *me, _Atomic int *flag)
{
    for (;;) {
        if (atomic_load_explicit(flag, memory_order_acquire))
            return;
        if (!mpsc_empty(&me->q)) {
            drain(me);
            continue;
        }
        if (!block) {
            PAUSE();
            continue;
        }
        pthread_mutex_lock(&me->mu);
        atomic_store_explicit(&me->sleeping, 1, memory_order_relaxed);
        atomic_thread_fence(memory_order_seq_cst);
        if (!atomic_load_explicit(flag, memory_order_acquire) && mpsc_empty(&me->q))
            pthread_cond_wait(&me->cv, &me->mu);
        atomic_store_explicit(&me->sleeping, 0, memory_order_relaxed);
        pthread_mutex_unlock(&me->mu);
    }
}

static void *worker_main(void *arg)
{
    struct worker *me = arg;
    while (!atomic_load_explicit(&go, memory_order_acquire))
        sched_yield();
    uint64_t x = 1, per = (uint64_t)(op_ns / iter_ns + 0.5);
    for (long i = 1; i <= ops; i++) {
        x = spin(per, x);
        uint64_t r = next(&me->rng);
        int op = (int)(r & 1);
        int64_t a = (int64_t)((r >> 8) & 0xffff);
        struct worker *o = me;
        if (nthreads > 1 && (double)(next(&me->rng) >> 11) * 0x1p-53 < sharing) {
            int k = (int)(next(&me->rng) % (uint64_t)(nthreads - 1));
            o = &W[k >= me->id ? k + 1 : k];
        }
        struct object *obj = &o->objs[(r >> 32) % (uint64_t)objects];
        /* The owner check the proposal prescribes: the object's owner word. */
        if (atomic_load_explicit(&obj->owner, memory_order_acquire) == (uint64_t)me->id + 1) {
            obj_apply(obj, op, a);
        } else {
            struct req q = { .obj = obj, .op = op, .arg = a, .waiter = me };
            double t0 = now_ns();
            mpsc_push(&o->q, &q.node);
            if (block)
                wake(o);
            wait_for(me, &q.done);
            me->lat[me->delegations++] = now_ns() - t0;
        }
        if (i % every == 0)
            drain(me);
    }
    me->sink = x;
    if (atomic_fetch_add(&finished, 1) + 1 == nthreads) {
        atomic_store_explicit(&all_done, 1, memory_order_release);
        for (int k = 0; k < nthreads; k++)
            if (block && &W[k] != me)
                wake(&W[k]);
    }
    wait_for(me, &all_done);
    return NULL;
}

/* ns per busy-loop iteration: n grows until one run takes 2 ms, then the least of 5 runs of
 * that length (other processes' time slices only lengthen a run). */
static void calibrate(void)
{
    uint64_t n = 1000, x = 1;
    double least = 0;
    while (least < 2e6 && n < (1ULL << 40)) {
        n *= 2;
        double t0 = now_ns();
        x = spin(n, x);
        least = now_ns() - t0;
    }
    for (int k = 0; k < 5; k++) {
        double t0 = now_ns();
        x = spin(n, x);
        double dt = now_ns() - t0;
        least = dt < least ? dt : least;
    }
    iter_ns = least / (double)n;
    W[0].sink = x;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int check(void)
{
    /* The sequential replay: every thread's stream again, applied to fresh objects. */
    static struct object ref[MAX_THREADS][64];
    for (int t = 0; t < nthreads; t++)
        for (int k = 0; k < objects; k++)
            obj_init(&ref[t][k], (enum obj_kind)(k % OBJ_KIND_COUNT), (uint64_t)t + 1);
    for (int t = 0; t < nthreads; t++) {
        uint64_t rng = (uint64_t)t * 0x9e3779b97f4a7c15ULL + 12345;
        for (long i = 1; i <= ops; i++) {
            uint64_t r = next(&rng);
            int op = (int)(r & 1);
            int64_t a = (int64_t)((r >> 8) & 0xffff);
            int o = t;
            if (nthreads > 1 && (double)(next(&rng) >> 11) * 0x1p-53 < sharing) {
                int k = (int)(next(&rng) % (uint64_t)(nthreads - 1));
                o = k >= t ? k + 1 : k;
            }
            obj_apply(&ref[o][(r >> 32) % (uint64_t)objects], op, a);
        }
    }
    int ok = 1;
    for (int t = 0; t < nthreads; t++)
        for (int k = 0; k < objects; k++) {
            ok &= obj_state_equal(&ref[t][k], &W[t].objs[k]) &&
                  atomic_load(&ref[t][k].reads) == atomic_load(&W[t].objs[k].reads);
            obj_destroy(&ref[t][k]);
        }
    return ok;
}

static int arg(const char *a, const char *key, double lo, double hi, double *v)
{
    size_t n = strlen(key);
    if (strncmp(a, key, n) != 0 || a[n] != '=')
        return 0;
    char *end;
    errno = 0;
    *v = strtod(a + n + 1, &end);
    if (errno || end == a + n + 1 || *end || !(*v >= lo && *v <= hi)) {
        fprintf(stderr, "dlg-minimal: %s: '%s' out of range (allowed: %g..%g)\n", key,
                a + n + 1, lo, hi);
        exit(2);
    }
    return 1;
}

int main(int argc, char **argv)
{
    double threads = 2, o = 100000, n = 100, s = 0.01, ns = 50, objs = 16, b = 0;
    for (int i = 1; i < argc; i++) {
        if (arg(argv[i], "--threads", 1, MAX_THREADS, &threads) ||
            arg(argv[i], "--ops", 1, 1e9, &o) || arg(argv[i], "--N", 1, 1e9, &n) ||
            arg(argv[i], "--sharing", 0, 1, &s) || arg(argv[i], "--op_ns", 0, 1e9, &ns) ||
            arg(argv[i], "--objects", 1, 64, &objs))
            continue;
        if (strcmp(argv[i], "--wait=block") == 0 || strcmp(argv[i], "--wait=spin") == 0) {
            b = argv[i][7] == 'b';
            continue;
        }
        fprintf(stderr, "usage: dlg-minimal [--threads=1..64] [--ops=N] [--N=N] "
                        "[--sharing=0..1] [--op_ns=NS] [--objects=1..64] [--wait=spin|block]\n");
        return 2;
    }
    nthreads = (int)threads;
    ops = (long)o;
    every = (long)n;
    sharing = s;
    op_ns = ns;
    objects = (int)objs;
    block = (int)b;
    cpu_set_t allowed;
    sched_getaffinity(0, sizeof allowed, &allowed);
    int cpus[CPU_SETSIZE], ncpu = 0;
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &allowed))
            cpus[ncpu++] = c;
    W = aligned_alloc(64, sizeof *W * (size_t)nthreads);
    if (!W)
        return 1;
    memset(W, 0, sizeof *W * (size_t)nthreads);
    pthread_t tid[MAX_THREADS];
    for (int t = 0; t < nthreads; t++) {
        struct worker *w = &W[t];
        w->id = t;
        w->rng = (uint64_t)t * 0x9e3779b97f4a7c15ULL + 12345;
        w->lat = malloc(sizeof *w->lat * (size_t)(ops > 0 ? ops : 1));
        if (!w->lat)
            return 1;
        mpsc_init(&w->q);
        pthread_mutex_init(&w->mu, NULL);
        pthread_cond_init(&w->cv, NULL);
        for (int k = 0; k < objects; k++)
            obj_init(&w->objs[k], (enum obj_kind)(k % OBJ_KIND_COUNT), (uint64_t)t + 1);
    }
    calibrate();
    for (int t = 0; t < nthreads; t++) {
        if (pthread_create(&tid[t], NULL, worker_main, &W[t]) != 0)
            return 1;
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpus[t % ncpu], &set);
        pthread_setaffinity_np(tid[t], sizeof set, &set);
    }
    double t0 = now_ns();
    atomic_store_explicit(&go, 1, memory_order_release);
    for (int t = 0; t < nthreads; t++)
        pthread_join(tid[t], NULL);
    double dt = (now_ns() - t0) * 1e-9;
    long dlg = 0;
    for (int t = 0; t < nthreads; t++)
        dlg += W[t].delegations;
    double *lat = malloc(sizeof *lat * (size_t)(dlg > 0 ? dlg : 1));
    if (!lat)
        return 1;
    for (int t = 0, k = 0; t < nthreads; t++)
        for (long i = 0; i < W[t].delegations; i++)
            lat[k++] = W[t].lat[i];
    qsort(lat, (size_t)dlg, sizeof *lat, cmp_double);
    double p50 = dlg ? lat[(size_t)(0.5 * (double)(dlg - 1))] : 0;
    double p99 = dlg ? lat[(size_t)(0.99 * (double)(dlg - 1))] : 0;
    int ok = check();
    printf("throughput=%.6g makespan=%.6g delegations=%ld lat_p50=%.6g lat_p99=%.6g check=%s\n",
           (double)(nthreads * ops) / dt, dt, dlg, p50 * 1e-9, p99 * 1e-9, ok ? "ok" : "FAIL");
    return ok ? 0 : 4;
}
