/* Tests of the SimGrid backend of rt.h, in one simulation (SimGrid runs one per process):
 * interruptible work stops at the exact instant with the work done known, timed condvar waits
 * time out at the right simulated time and hold the mutex again when signalled (also when two
 * overlap), sleep uses no core, an interrupt that lands while rt_work starts is not lost. Times in ns; the host runs 1 ns of work per ns per core.
 * Built twice: with 8 cores the 9 threads share them (work is an execution), with
 * RT_TEST_CORES=16 every thread has a core (work is a timed wait); both keep the same contract. */
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rt_backend.h"
#include "rt_simgrid.h"
#include "run_sim.h"
#include "sim_test_env.h"
#include "testlib.h"

#ifndef RT_TEST_CORES
#define RT_TEST_CORES 8
#endif

static struct rt_mutex *mu;
static struct rt_cond *cv;
static struct rt_thread *worker;
static double work_done, work_end, timed_out_at, signalled_at;
static int timeout_rc = -1, signal_rc = -1, second_rc = -1, held_after = 0;
static int flag;
static struct rt_thread *ender;
static double ender_done;
static struct rt_thread *starter;
static double starter_done = -1, starter_end;

/* Starts 1000 ns of work at t = 1000, the instant the poker interrupts it: the interrupt lands
 * while sg_exec_start() runs (other actors run during that simcall), before the execution is
 * published, so rt_work must look at the flag again once it is. */
static void starter_main(void *arg)
{
    (void)arg;
    rt_sleep(1000);
    starter_done = rt_work(1000);
    starter_end = rt_now();
    rt_clear_interrupt();
}

static void poker_main(void *arg)
{
    (void)arg;
    rt_sleep(1000);
    CHECK(starter_done < 0); /* the starter is inside rt_work, its execution not yet visible */
    rt_interrupt(starter);
}

/* Works 100 ns; the racer interrupts it at exactly t = 100, when the work has just ended but
 * the ender has not run yet (touching the execution then crashed SimGrid 3.32). */
static void ender_main(void *arg)
{
    (void)arg;
    ender_done = rt_work(100);
}

static void racer_main(void *arg)
{
    (void)arg;
    rt_execute(100); /* started before the ender's work, ends with it, and is seen first */
#if RT_TEST_CORES <= 8
    CHECK(ender_done == 0); /* the ender has not run since its work ended: the race is on */
#endif
    /* (Timed: which of two waits ending at one instant resumes first is SimGrid's choice; the
     * interrupt must leave a work that ends now alone either way.) */
    rt_interrupt(ender);
}

/* Works 1000 ns, interrupted at t = 300 by the interrupter. */
static void worker_main(void *arg)
{
    (void)arg;
    work_done = rt_work(1000);
    work_end = rt_now();
    CHECK(rt_interrupted());
    rt_clear_interrupt();
    CHECK(!rt_interrupted());
    CHECK(rt_work(50) == 50); /* not interrupted again */
}

static void interrupter_main(void *arg)
{
    (void)arg;
    rt_sleep(300);
    rt_interrupt(worker);
}

/* A timed wait nobody signals times out after 2000 ns; then a signalled one returns 0 at the
 * signal's time with the mutex held (the signaller cannot take it until we unlock). */
static void waiter_main(void *arg)
{
    (void)arg;
    rt_mutex_lock(mu);
    timeout_rc = rt_cond_timedwait(cv, mu, 2000);
    timed_out_at = rt_now();
    signal_rc = rt_cond_timedwait(cv, mu, 1e6);
    signalled_at = rt_now();
    held_after = flag == 1; /* the signaller set it before signalling, under the mutex */
    flag = 2;
    rt_mutex_unlock(mu);
}

/* A second timed waiter overlapping the first one's second wait. */
static void second_main(void *arg)
{
    (void)arg;
    rt_sleep(2500);
    rt_mutex_lock(mu);
    second_rc = rt_cond_timedwait(cv, mu, 500);
    rt_mutex_unlock(mu);
}

static void signaller_main(void *arg)
{
    (void)arg;
    rt_sleep(5000);
    rt_mutex_lock(mu);
    flag = 1;
    rt_cond_signal(cv);
    rt_mutex_unlock(mu);
}

static void run_all(void)
{
    simgrid_run();
    CHECK(work_done > 299.999 && work_done < 300.001);
    CHECK(work_end > 299.999 && work_end < 300.001);
    CHECK_EQ_INT(timeout_rc, 1);
    CHECK(timed_out_at > 1999.999 && timed_out_at < 2000.001);
    CHECK_EQ_INT(signal_rc, 0);
    CHECK(signalled_at > 4999.999 && signalled_at < 5000.001);
    CHECK(held_after);
    CHECK_EQ_INT(second_rc, 1);
    CHECK_EQ_INT(flag, 2);
    CHECK(ender_done == 100); /* the work ended: not cut, and no crash touching it */
    CHECK(starter_done == 0); /* interrupted as it started: no work done, not lost */
    CHECK(starter_end > 999.999 && starter_end < 1000.001);
}

static const struct test_case cases[] = {
    { "rt_simgrid", run_all },
    { NULL, NULL },
};

int main(int argc, char **argv)
{
    if (sim_test_env("rt_test", argv, RT_TEST_CORES, NULL) != 0)
        return 1;
    mu = rt_mutex_new();
    cv = rt_cond_new();
    worker = rt_spawn("worker", worker_main, NULL);
    rt_spawn("interrupter", interrupter_main, NULL);
    rt_spawn("waiter", waiter_main, NULL);
    rt_spawn("second", second_main, NULL);
    rt_spawn("signaller", signaller_main, NULL);
    rt_spawn("racer", racer_main, NULL); /* before the ender: it runs first at t = 100 */
    ender = rt_spawn("ender", ender_main, NULL);
    /* Spawned before the starter, the poker runs after it when both wake at t = 1000. */
    rt_spawn("poker", poker_main, NULL);
    starter = rt_spawn("starter", starter_main, NULL);
    int rc = test_main(cases, argc, argv);
    rt_sim_cleanup();
    return rc;
}
