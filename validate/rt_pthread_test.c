/* Tests of the native backend of rt.h on real threads: rt_work stops soon after an rt_interrupt
 * from another core (median latency over many trials, within 2 us) and returns the
 * work done; a pending interrupt makes rt_work return 0; timed waits time out no earlier than
 * asked and hold the mutex when signalled; join; round-robin pinning; too many cores refused;
 * the watchdog's verdicts. Uses at most 2 CPUs. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_backend.h"
#include "rt_pthread.h"
#include "testlib.h"

#define TRIALS 201
#define FOREVER RT_UNTIL_INTERRUPTED

static int cores(void) { return rt_native_cpus() < 2 ? 1 : 2; }

static void start(void)
{
    char err[256];
    rt_use(&rt_pthread_backend);
    CHECK(rt_native_start(cores(), err, sizeof err) == 0);
}

/* Lets the spawned threads run to their end. */
static void finish(void)
{
    rt_native_go();
    CHECK_EQ_INT(rt_native_wait(), 0);
    rt_native_cleanup();
}

/* ---- interrupts ------------------------------------------------------------------------- */

static struct rt_thread *worker;
static _Atomic int ready, done;
static double t_sent[TRIALS], t_back[TRIALS], work_done[TRIALS];

static void worker_main(void *arg)
{
    (void)arg;
    for (int i = 0; i < TRIALS; i++) {
        rt_clear_interrupt();
        atomic_store(&ready, i + 1);
        work_done[i] = rt_work(FOREVER);
        t_back[i] = rt_now();
        atomic_store(&done, i + 1);
    }
}

static void interrupter_main(void *arg)
{
    (void)arg;
    for (int i = 0; i < TRIALS; i++) {
        while (atomic_load(&ready) != i + 1)
            ;
        rt_execute(2000 + 37 * (i % 50)); /* the worker is well inside its loop */
        t_sent[i] = rt_now();
        rt_interrupt(worker);
        while (atomic_load(&done) != i + 1)
            ;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One round of TRIALS interrupts; returns the median latency in ns. */
static double latency_round(void)
{
    atomic_store(&ready, 0);
    atomic_store(&done, 0);
    start();
    worker = rt_spawn("worker", worker_main, NULL);
    rt_spawn("interrupter", interrupter_main, NULL);
    finish();
    double lat[TRIALS];
    int ordered = 1, cut = 1;
    for (int i = 0; i < TRIALS; i++) {
        lat[i] = t_back[i] - t_sent[i];
        ordered &= lat[i] > 0;                           /* the return follows the interrupt */
        /* Stopped early with the work known; 0 when the worker was descheduled between
         * announcing itself and starting, so that the interrupt was already pending. */
        cut &= work_done[i] >= 0 && work_done[i] < FOREVER;
    }
    CHECK(ordered);
    CHECK(cut);
    qsort(lat, TRIALS, sizeof *lat, cmp_double);
    printf("interrupt latency over %d trials: median %.0f ns, p90 %.0f ns, max %.0f ns "
           "(busy-loop iteration %.3f ns)\n", TRIALS, lat[TRIALS / 2], lat[TRIALS * 9 / 10],
           lat[TRIALS - 1], rt_native_iter_ns());
    return lat[TRIALS / 2];
}

/* The bound on the median latency: 2 us, ten times what a check of the interrupt flag in every
 * busy-loop iteration gives here (100-300 ns, on a loaded machine too: a round of 201 trials
 * runs while both threads hold a core, so only the few trials cut by a preemption are slow, and
 * the median ignores them). A loop that looked at the flag only every few microseconds of work
 * fails it. Under ThreadSanitizer every atomic access is instrumented (median ~1.8 us here), so
 * the bound is 20 us there. A round whose median a busy machine still spoilt is measured again
 * (up to 3 rounds); on one CPU the two threads time-slice and the latency is the scheduler's:
 * not checked. */
#if defined(__SANITIZE_THREAD__)
#define LATENCY_BOUND_NS 20000.0
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LATENCY_BOUND_NS 20000.0
#endif
#endif
#ifndef LATENCY_BOUND_NS
#define LATENCY_BOUND_NS 2000.0
#endif
static void interrupt_latency(void)
{
    double bound = LATENCY_BOUND_NS;
    double best = latency_round();
    for (int round = 1; round < 3 && best >= bound; round++) {
        double m = latency_round();
        best = m < best ? m : best;
    }
    printf("best median %.0f ns (bound %.0f ns)\n", best, bound);
    if (cores() == 2)
        CHECK(best < bound);
}

static int pending_ok;

static void pending_main(void *arg)
{
    (void)arg;
    rt_interrupt(rt_self());
    int ok = rt_interrupted() && rt_work(1000) == 0 && rt_work(FOREVER) == 0;
    rt_clear_interrupt();
    ok &= !rt_interrupted() && rt_work(1000) == 1000;
    pending_ok = ok;
}

static void pending_interrupt(void)
{
    start();
    rt_spawn("pending", pending_main, NULL);
    finish();
    CHECK(pending_ok);
}

/* ---- timed waits ------------------------------------------------------------------------ */

static struct rt_mutex *mu;
static struct rt_cond *cv;
static int timeout_rc = -1, signal_rc = -1, flag, inside, overlap;
static double waited;

static void timeout_main(void *arg)
{
    (void)arg;
    rt_mutex_lock(mu);
    double t0 = rt_now();
    timeout_rc = rt_cond_timedwait(cv, mu, 2e6);
    waited = rt_now() - t0;
    rt_mutex_unlock(mu);
}

static void signalled_main(void *arg)
{
    (void)arg;
    rt_mutex_lock(mu);
    while (!flag)
        if (rt_cond_timedwait(cv, mu, 10e9))
            break;
    signal_rc = flag ? 0 : 1;
    inside = 1; /* the mutex is held: the signaller cannot see this */
    rt_execute(200000);
    inside = 0;
    rt_mutex_unlock(mu);
}

static void signaller_main(void *arg)
{
    (void)arg;
    rt_sleep(1e6);
    rt_mutex_lock(mu);
    flag = 1;
    rt_cond_signal(cv);
    rt_mutex_unlock(mu);
    for (int i = 0; i < 1000; i++) {
        rt_mutex_lock(mu);
        overlap |= inside;
        rt_mutex_unlock(mu);
    }
}

static void timed_wait(void)
{
    start();
    mu = rt_mutex_new();
    cv = rt_cond_new();
    rt_spawn("timeout", timeout_main, NULL);
    finish();
    CHECK_EQ_INT(timeout_rc, 1);
    CHECK(waited >= 2e6); /* CLOCK_MONOTONIC: never earlier than asked */
    start();
    rt_spawn("signalled", signalled_main, NULL);
    rt_spawn("signaller", signaller_main, NULL);
    finish();
    CHECK_EQ_INT(signal_rc, 0);
    CHECK_EQ_INT(overlap, 0);
    rt_cond_free(cv);
    rt_mutex_free(mu);
}

/* ---- join and pinning ------------------------------------------------------------------- */

static struct rt_thread *joinee;
static int joinee_done, seen_by_joiner = -1;

static void joinee_main(void *arg)
{
    (void)arg;
    rt_sleep(2e6);
    joinee_done = 1;
}

static void joiner_main(void *arg)
{
    (void)arg;
    rt_join(joinee);
    seen_by_joiner = joinee_done;
}

static void join(void)
{
    start();
    joinee = rt_spawn("joinee", joinee_main, NULL);
    rt_spawn("joiner", joiner_main, NULL);
    finish();
    CHECK_EQ_INT(seen_by_joiner, 1);
}

#define PINNED 6
static int cpu_of[PINNED];

static void pinned_main(void *arg)
{
    int i = (int)(size_t)arg;
    rt_execute(100000);
    cpu_of[i] = sched_getcpu();
}

static void pinning(void)
{
    start();
    for (size_t i = 0; i < PINNED; i++)
        rt_spawn("pinned", pinned_main, (void *)i);
    finish();
    int k = cores();
    cpu_set_t allowed;
    CHECK(sched_getaffinity(0, sizeof allowed, &allowed) == 0);
    for (int i = 0; i < PINNED; i++) {
        CHECK(cpu_of[i] >= 0 && CPU_ISSET(cpu_of[i], &allowed));
        CHECK_EQ_INT(cpu_of[i], cpu_of[i % k]); /* round-robin over k CPUs */
    }
    if (k == 2)
        CHECK(cpu_of[0] != cpu_of[1]);
}

static void too_many_cores(void)
{
    char err[256] = "";
    CHECK(rt_native_start(rt_native_cpus() + 1, err, sizeof err) == -1);
    CHECK(strncmp(err, "cores: ", 7) == 0);
}

/* ---- watchdog --------------------------------------------------------------------------- */

static struct rt_mutex *wmu;
static struct rt_cond *wcv;
static int wflag;

static void blocked_main(void *arg)
{
    (void)arg;
    rt_mutex_lock(wmu);
    while (!wflag)
        rt_cond_wait(wcv, wmu);
    rt_mutex_unlock(wmu);
}

static void late_signaller_main(void *arg)
{
    (void)arg;
    rt_sleep(1300e6); /* longer than the watchdog's 1 s, but the sleeper is not blocked */
    rt_mutex_lock(wmu);
    wflag = 1;
    rt_cond_broadcast(wcv);
    rt_mutex_unlock(wmu);
}

static void spinner_main(void *arg)
{
    (void)arg;
    rt_work(FOREVER); /* nobody interrupts it */
}

/* Not stuck: a sleeper will signal. Stuck: two threads on a condvar nobody signals; a thread
 * spinning until an interrupt that never comes. Stuck threads are left behind, so these run
 * last. */
static void watchdog(void)
{
    wmu = rt_mutex_new();
    wcv = rt_cond_new();
    start();
    rt_spawn("blocked", blocked_main, NULL);
    rt_spawn("late", late_signaller_main, NULL);
    finish();
    wflag = 0;
    start();
    rt_spawn("blocked", blocked_main, NULL);
    rt_spawn("blocked", blocked_main, NULL);
    rt_native_go();
    CHECK_EQ_INT(rt_native_wait(), 1);
    start();
    rt_spawn("spinner", spinner_main, NULL);
    rt_native_go();
    CHECK_EQ_INT(rt_native_wait(), 1);
}

static const struct test_case cases[] = {
    { "interrupt_latency", interrupt_latency },
    { "pending_interrupt", pending_interrupt },
    { "timed_wait", timed_wait },
    { "join", join },
    { "pinning", pinning },
    { "too_many_cores", too_many_cores },
    { "watchdog", watchdog },
    { NULL, NULL },
};

int main(int argc, char **argv) { return test_main(cases, argc, argv); }
