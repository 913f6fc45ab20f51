/* The native backend of rt.h: one pthread per interpreter thread, pinned round-robin to the run's
 * `cores` CPUs; rt_now is CLOCK_MONOTONIC since the start gate opened; mutexes and condvars are
 * pthread's (timed waits on CLOCK_MONOTONIC); rt_execute is a calibrated busy loop and rt_work
 * the same loop polling the thread's interrupt flag every RT_POLL_ITERS iterations.
 * Invariant: each thread writes only its own struct rt_thread fields, except `interrupted` (set
 * by any thread) and `joined` (by its joiner); the watchdog only reads them. */
#define _GNU_SOURCE
#include "rt_pthread.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "rt_backend.h"
#include "status.h"

/* Busy-loop iterations between two looks at the interrupt flag (about 10 ns; the look runs
 * beside the dependent multiply-adds, so the loop is as fast per iteration as without it). */
#define RT_POLL_ITERS 8
/* Watchdog: how often it looks, and how long a stuck state must last. Finite calls shorter than
 * RT_WATCHED_NS are not announced to it (they end before its next look but one). */
#define RT_WATCHED_NS 1e6
#define WD_PERIOD_NS 20000000LL
#define WD_BLOCKED_NS 1000000000LL
#define WD_STALL_NS 2000000000LL

/* `interrupted` has a cache line of its own: other threads write it, and a thread's stores to
 * its own fields (at every rt.h call) would otherwise have to take the line back each time. */
struct rt_thread {
    _Alignas(64) _Atomic int interrupted; /* pending interrupt (any thread sets it) */
    _Alignas(64) _Atomic int blocked; /* in an untimed rt_cond_wait */
    _Atomic int finished;         /* fn returned */
    _Atomic uint64_t progress;    /* rt.h calls returned: the watchdog's sign of life */
    _Atomic int64_t until;        /* abs. ns by which the finite call in progress should end; 0 */
    pthread_t tid;
    int joined;
    int cpu;                      /* CPU pinned to */
    void (*fn)(void *);
    void *arg;
    char name[16];
    uint64_t sink;                /* keeps the busy loop's result alive (this thread's line) */
    int watched;                  /* `until` is set (busy_for) */
};

struct rt_mutex {
    pthread_mutex_t m;
};

struct rt_cond {
    pthread_cond_t c;
};

static _Thread_local struct rt_thread *me;

static int64_t epoch_ns;      /* CLOCK_MONOTONIC at the gate */
static double iter_ns;        /* calibrated cost of one busy-loop iteration */
static int cpu_list[CPU_SETSIZE], ncpu_list;
static long long ncores;

/* The run's threads and lifecycle, under life_mu. */
static pthread_mutex_t life_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t life_cv; /* on CLOCK_MONOTONIC: a thread finished, the watchdog's verdict */
static int life_cv_ready;
static struct rt_thread **threads;
static size_t nthreads, capthreads, nfinished;
static _Atomic int gate_open; /* set once every thread is spawned (release: epoch_ns is set) */
static int stuck, stopping;
static pthread_t watchdog;
static int watchdog_running;

/* A thread, mutex or condvar the system would not give: the run cannot be carried out. */
static void die(const char *what, int err)
{
    fprintf(stderr, "gilsim: native backend: %s: %s\n", what, strerror(err));
    exit(GS_FAILED);
}

static int64_t clock_ns(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t mono_ns(void) { return clock_ns(CLOCK_MONOTONIC); }

/* The watchdog's clock: CLOCK_MONOTONIC a few ms behind (its tick), 4 ns to read where the
 * precise one takes 20 or more; the watchdog's deadlines have a second of margin. */
static int64_t coarse_ns(void) { return clock_ns(CLOCK_MONOTONIC_COARSE); }

static struct timespec abs_time(int64_t ns)
{
    return (struct timespec){ .tv_sec = ns / 1000000000LL, .tv_nsec = ns % 1000000000LL };
}

static void cond_init_monotonic(pthread_cond_t *c)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(c, &a);
    pthread_condattr_destroy(&a);
    if (rc)
        die("pthread_cond_init", rc);
}

/* ---- busy work -------------------------------------------------------------------------- */

/* n iterations of a dependent multiply-add the compiler cannot fold: ~ a few cycles each. */
static uint64_t spin(uint64_t n, uint64_t x)
{
    for (uint64_t i = 0; i < n; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        __asm__ __volatile__("" : "+r"(x));
    }
    return x;
}

/* Keeps a busy loop's result alive: the thread's own field, never a line two threads write. */
static _Atomic uint64_t spin_sink; /* for the calibration, before any thread runs */

static void keep(uint64_t x)
{
    if (me)
        me->sink = x;
    else
        atomic_store_explicit(&spin_sink, x, memory_order_relaxed);
}

/* The fastest of several timed runs: time slices taken by other processes only add. */
static void calibrate(void)
{
    if (iter_ns > 0)
        return;
    const uint64_t n = 200000;
    double best = 1e300;
    uint64_t x = 1;
    for (int k = 0; k < 15; k++) {
        int64_t t0 = mono_ns();
        x = spin(n, x);
        double dt = (double)(mono_ns() - t0);
        if (dt < best)
            best = dt;
    }
    atomic_store_explicit(&spin_sink, x, memory_order_relaxed);
    iter_ns = best / (double)n;
    if (!(iter_ns > 0))
        iter_ns = 0.3;
}

double rt_native_iter_ns(void)
{
    calibrate();
    return iter_ns;
}

static uint64_t iters_for(double ns)
{
    double n = ns / iter_ns;
    return n >= 1.8e19 ? UINT64_MAX : (uint64_t)(n + 0.5);
}

/* Counts one more rt.h call returned. Only the thread itself writes its counter: a plain
 * load and store, no locked instruction. */
static void alive(void)
{
    if (me)
        atomic_store_explicit(&me->progress,
                              atomic_load_explicit(&me->progress, memory_order_relaxed) + 1,
                              memory_order_relaxed);
}

/* Marks the calling thread inside a finite call of `ns` (0: none): the watchdog waits for it
 * until twice its length plus a second have passed. */
static void busy_for(double ns)
{
    if (!me || (ns > 0 && ns < RT_WATCHED_NS) || (ns <= 0 && !me->watched))
        return; /* a short call ends long before the watchdog would look twice */
    me->watched = ns > 0;
    int64_t until = ns > 0 ? coarse_ns() + (int64_t)(2 * ns) + 1000000000LL : 0;
    atomic_store_explicit(&me->until, until, memory_order_relaxed);
}

/* ---- rt.h ------------------------------------------------------------------------------- */

static double nat_now(void) { return (double)(mono_ns() - epoch_ns); }

static void *trampoline(void *arg)
{
    struct rt_thread *t = arg;
    me = t;
    prctl(PR_SET_TIMERSLACK, 1UL); /* timed waits and sleeps end when asked, not 50 us later */
    /* Spinning, not sleeping, at the gate: every thread starts within microseconds of it
     * instead of a condvar wake-up later (yielding to threads pinned to the same CPU). */
    while (!atomic_load_explicit(&gate_open, memory_order_acquire))
        sched_yield();
    t->fn(t->arg);
    pthread_mutex_lock(&life_mu);
    atomic_store(&t->finished, 1);
    nfinished++;
    pthread_cond_broadcast(&life_cv);
    pthread_mutex_unlock(&life_mu);
    return NULL;
}

static struct rt_thread *nat_spawn(const char *name, void (*fn)(void *), void *arg)
{
    struct rt_thread *t = aligned_alloc(64, sizeof *t);
    if (!t)
        die("spawn", ENOMEM);
    memset(t, 0, sizeof *t);
    t->fn = fn;
    t->arg = arg;
    snprintf(t->name, sizeof t->name, "%s", name);
    pthread_mutex_lock(&life_mu);
    if (nthreads == capthreads) {
        capthreads = capthreads ? 2 * capthreads : 64;
        threads = realloc(threads, capthreads * sizeof *threads);
        if (!threads)
            die("spawn", ENOMEM);
    }
    t->cpu = ncpu_list ? cpu_list[nthreads % (size_t)(ncores ? ncores : ncpu_list)] : -1;
    threads[nthreads++] = t;
    pthread_mutex_unlock(&life_mu);
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 256 << 10); /* the eval loop needs little; many threads fit */
    int rc = pthread_create(&t->tid, &a, trampoline, t);
    pthread_attr_destroy(&a);
    if (rc)
        die("pthread_create", rc);
    pthread_setname_np(t->tid, t->name); /* for debuggers and perf; at most 15 characters */
    if (t->cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(t->cpu, &set);
        rc = pthread_setaffinity_np(t->tid, sizeof set, &set);
        if (rc)
            die("pthread_setaffinity_np", rc);
    }
    return t;
}

static void nat_join(struct rt_thread *t)
{
    if (t->joined)
        return;
    int rc = pthread_join(t->tid, NULL);
    if (rc)
        die("pthread_join", rc);
    t->joined = 1;
}

static struct rt_thread *nat_self(void) { return me; }

static void nat_execute(double ns)
{
    if (ns <= 0)
        return;
    busy_for(ns);
    keep(spin(iters_for(ns), (uint64_t)ns));
    busy_for(0);
    alive();
}

/* rt_work, also ending once ready(arg) (if given) is nonzero: it is called beside each look at
 * the interrupt flag, so a spinning waiter sees its answer or a request in one line transfer,
 * not after an interrupt raised behind it. */
static double work_watching(double ns, int (*ready)(void *), void *arg)
{
    if (ns <= 0 || atomic_load_explicit(&me->interrupted, memory_order_acquire) ||
        (ready && ready(arg)))
        return 0;
    int forever = ns >= RT_UNTIL_INTERRUPTED;
    if (!forever)
        busy_for(ns);
    uint64_t total = iters_for(ns), done = 0, x = 1;
    int cut = 0;
    /* A spinning waiter looks at its flag after every iteration: noticing is its only job. */
    uint64_t every = forever ? 1 : RT_POLL_ITERS;
    while (done < total) {
        uint64_t chunk = total - done < every ? total - done : every;
        x = spin(chunk, x);
        done += chunk;
        if (atomic_load_explicit(&me->interrupted, memory_order_relaxed) ||
            (ready && ready(arg))) {
            cut = done < total;
            break;
        }
    }
    /* The interrupter's (or flag setter's) writes before it are visible after an early end. */
    atomic_thread_fence(memory_order_acquire);
    keep(x);
    if (!forever)
        busy_for(0);
    if (!forever || cut)
        alive();
    if (!cut)
        return ns;
    double w = (double)done * iter_ns;
    return w < ns ? w : ns;
}

static double nat_work(double ns) { return work_watching(ns, NULL, NULL); }

static double nat_work_until(double ns, int (*ready)(void *), void *arg)
{
    return work_watching(ns, ready, arg);
}

/* The waiter looks at its flag itself (work_watching). */
static void nat_flag_set_for(struct rt_thread *t) { (void)t; }

static void nat_interrupt(struct rt_thread *t)
{
    atomic_store_explicit(&t->interrupted, 1, memory_order_release);
}

static int nat_interrupted(void)
{
    return atomic_load_explicit(&me->interrupted, memory_order_acquire);
}

/* Lowering a lowered flag is only a load (no store to take the line from an interrupter). A
 * raised one is lowered by an exchange: it reads the latest value, so an interrupt raised just
 * now is taken (with what its interrupter wrote before it) rather than overwritten unseen, and
 * the caller's look after the clear sees what that interrupt announced. */
static void nat_clear_interrupt(void)
{
    if (atomic_load_explicit(&me->interrupted, memory_order_relaxed))
        atomic_exchange_explicit(&me->interrupted, 0, memory_order_acq_rel);
}

/* A real thread was really woken: the OS already made it wait for its wake-up and its core. */
static void nat_woken(void) {}

static void nat_sleep(double ns)
{
    if (ns <= 0)
        return;
    busy_for(ns);
    struct timespec until = abs_time(mono_ns() + (int64_t)ns);
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR)
        ;
    busy_for(0);
    alive();
}

static struct rt_mutex *nat_mutex_new(void)
{
    struct rt_mutex *m = malloc(sizeof *m);
    if (!m)
        die("mutex", ENOMEM);
    int rc = pthread_mutex_init(&m->m, NULL);
    if (rc)
        die("pthread_mutex_init", rc);
    return m;
}

static void nat_mutex_free(struct rt_mutex *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->m);
    free(m);
}

static void nat_mutex_lock(struct rt_mutex *m) { pthread_mutex_lock(&m->m); }

static void nat_mutex_unlock(struct rt_mutex *m)
{
    pthread_mutex_unlock(&m->m);
    alive();
}

static struct rt_cond *nat_cond_new(void)
{
    struct rt_cond *c = malloc(sizeof *c);
    if (!c)
        die("cond", ENOMEM);
    cond_init_monotonic(&c->c);
    return c;
}

static void nat_cond_free(struct rt_cond *c)
{
    if (!c)
        return;
    pthread_cond_destroy(&c->c);
    free(c);
}

static void nat_cond_wait(struct rt_cond *c, struct rt_mutex *m)
{
    alive();
    if (me)
        atomic_store(&me->blocked, 1);
    pthread_cond_wait(&c->c, &m->m);
    if (me)
        atomic_store(&me->blocked, 0);
    alive();
}

static int nat_cond_timedwait(struct rt_cond *c, struct rt_mutex *m, double ns)
{
    alive();
    busy_for(ns > 0 ? ns : 1);
    struct timespec until = abs_time(mono_ns() + (int64_t)(ns > 0 ? ns : 0));
    int rc;
    do
        rc = pthread_cond_timedwait(&c->c, &m->m, &until);
    while (rc == EINTR);
    busy_for(0);
    alive();
    return rc == ETIMEDOUT;
}

static void nat_cond_signal(struct rt_cond *c)
{
    pthread_cond_signal(&c->c);
    alive();
}

static void nat_cond_broadcast(struct rt_cond *c)
{
    pthread_cond_broadcast(&c->c);
    alive();
}

const struct rt_backend rt_pthread_backend = {
    .name = "native",
    .now = nat_now,
    .spawn = nat_spawn,
    .join = nat_join,
    .self = nat_self,
    .execute = nat_execute,
    .work = nat_work,
    .interrupt = nat_interrupt,
    .work_until = nat_work_until,
    .flag_set_for = nat_flag_set_for,
    .interrupted = nat_interrupted,
    .clear_interrupt = nat_clear_interrupt,
    .sleep = nat_sleep,
    .woken = nat_woken,
    .mutex_new = nat_mutex_new,
    .mutex_free = nat_mutex_free,
    .mutex_lock = nat_mutex_lock,
    .mutex_unlock = nat_mutex_unlock,
    .cond_new = nat_cond_new,
    .cond_free = nat_cond_free,
    .cond_wait = nat_cond_wait,
    .cond_timedwait = nat_cond_timedwait,
    .cond_signal = nat_cond_signal,
    .cond_broadcast = nat_cond_broadcast,
};

/* ---- run set-up, end and watchdog ------------------------------------------------------- */

int rt_native_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 1;
    ncpu_list = 0;
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &set))
            cpu_list[ncpu_list++] = c;
    return ncpu_list;
}

int rt_native_check_cores(long long cores, char *err, size_t errlen)
{
    int n = rt_native_cpus();
    if (cores > n) {
        snprintf(err, errlen, "cores: %lld exceeds this machine's %d CPUs (allowed with "
                 "backend=native: 1..%d)", cores, n, n);
        return -1;
    }
    return 0;
}

int rt_native_start(long long cores, char *err, size_t errlen)
{
    if (rt_native_check_cores(cores, err, errlen) != 0)
        return -1;
    ncores = cores;
    if (!life_cv_ready) {
        cond_init_monotonic(&life_cv);
        life_cv_ready = 1;
    }
    calibrate();
    pthread_mutex_lock(&life_mu);
    /* Handles of threads a stuck run left blocked are dropped, never freed. */
    threads = NULL;
    nthreads = capthreads = nfinished = 0;
    atomic_store(&gate_open, 0);
    stuck = stopping = 0;
    pthread_mutex_unlock(&life_mu);
    epoch_ns = mono_ns();
    return 0;
}

/* 1 if the unfinished threads are stuck (see rt_native_wait); called under life_mu. */
static int look(int64_t now, int64_t *last_change, uint64_t *last_progress)
{
    uint64_t progress = 0;
    size_t unfinished = 0, blocked = 0, due = 0;
    for (size_t i = 0; i < nthreads; i++) {
        struct rt_thread *t = threads[i];
        progress += atomic_load(&t->progress);
        if (atomic_load(&t->finished))
            continue;
        unfinished++;
        blocked += atomic_load(&t->blocked) != 0;
        int64_t until = atomic_load(&t->until);
        due += until != 0 && until > now;
    }
    if (progress != *last_progress) {
        *last_progress = progress;
        *last_change = now;
        return 0;
    }
    if (!unfinished)
        return 0;
    if (blocked == unfinished && now - *last_change >= WD_BLOCKED_NS)
        return 1;
    return !due && now - *last_change >= WD_STALL_NS;
}

static void *watchdog_main(void *arg)
{
    (void)arg;
    int64_t last_change = coarse_ns();
    uint64_t last_progress = 0;
    pthread_mutex_lock(&life_mu);
    while (!stopping && nfinished < nthreads) {
        struct timespec until = abs_time(mono_ns() + WD_PERIOD_NS);
        pthread_cond_timedwait(&life_cv, &life_mu, &until);
        if (!stopping && look(coarse_ns(), &last_change, &last_progress)) {
            stuck = 1;
            pthread_cond_broadcast(&life_cv);
            break;
        }
    }
    pthread_mutex_unlock(&life_mu);
    return NULL;
}

void rt_native_go(void)
{
    epoch_ns = mono_ns();
    atomic_store_explicit(&gate_open, 1, memory_order_release);
    int rc = pthread_create(&watchdog, NULL, watchdog_main, NULL);
    if (rc)
        die("watchdog", rc);
    watchdog_running = 1;
}

int rt_native_wait(void)
{
    pthread_mutex_lock(&life_mu);
    while (nfinished < nthreads && !stuck)
        pthread_cond_wait(&life_cv, &life_mu);
    int was_stuck = stuck && nfinished < nthreads;
    stopping = 1;
    pthread_cond_broadcast(&life_cv);
    pthread_mutex_unlock(&life_mu);
    if (watchdog_running) {
        pthread_join(watchdog, NULL);
        watchdog_running = 0;
    }
    /* Stuck threads stay blocked for good; the others are joined. */
    for (size_t i = 0; i < nthreads; i++)
        if (!was_stuck || atomic_load(&threads[i]->finished))
            nat_join(threads[i]);
    return was_stuck;
}

void rt_native_cleanup(void)
{
    pthread_mutex_lock(&life_mu);
    for (size_t i = 0; i < nthreads; i++)
        free(threads[i]);
    free(threads);
    threads = NULL;
    nthreads = capthreads = nfinished = 0;
    pthread_mutex_unlock(&life_mu);
}
