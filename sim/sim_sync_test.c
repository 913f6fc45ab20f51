/* Tests of gilsim's own mutex and condvar (sim/sim_sync.c) on the SimGrid backend, in one
 * simulation: an uncontended lock, an unlock nobody waits for and a signal nobody waits for
 * make no simulator call; a contended mutex goes to its waiters in the order they asked, handed
 * over at the unlock instant; a condvar wakes its waiters oldest first, and a signalled waiter
 * takes the mutex before a thread that asks for it after the signal; a timed wait times out at
 * the right simulated time holding the mutex; interruptible work stops at the interrupt's
 * instant. Times in ns; every thread has a core (work is a timed wait). */
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

static struct rt_mutex *mu, *free_mu;
static struct rt_cond *cv, *nobody_cv;
static unsigned long long calls_free = 99;
static int order[8], norder;
static double got_at[8];
static int cv_order[8], ncv;
static int late_before_woken = -1;
static double timed_at = -1;
static int timed_rc = -1, timed_held = 0;
static struct rt_thread *worker;
static double work_done = -1, work_end = -1;

static void note(int who)
{
    order[norder] = who;
    got_at[norder++] = rt_now();
}

/* t = 0: a free mutex locked and unlocked, a signal and a broadcast with no waiter. */
static void lone_main(void *arg)
{
    (void)arg;
    unsigned long long before = rt_sim_calls(RT_SIM_CALL_KINDS);
    rt_mutex_lock(free_mu);
    rt_cond_signal(nobody_cv);
    rt_cond_broadcast(nobody_cv);
    rt_mutex_unlock(free_mu);
    calls_free = rt_sim_calls(RT_SIM_CALL_KINDS) - before;
}

/* Holds mu from t = 0 to 100; threads 1, 2, 3 ask at 10, 20, 30 and get it in that order, each
 * holding it 5 ns. */
static void holder_main(void *arg)
{
    (void)arg;
    rt_mutex_lock(mu);
    note(0);
    rt_execute(100);
    rt_mutex_unlock(mu);
}

static void asker_main(void *arg)
{
    int who = (int)(long)arg;
    rt_sleep(10.0 * who);
    rt_mutex_lock(mu);
    note(who);
    rt_execute(5);
    rt_mutex_unlock(mu);
}

/* Condvar waiters 4, 5, 6 begin waiting at 200, 210, 220; signalled one at a time at 300, 370,
 * 440. */
static void cv_waiter_main(void *arg)
{
    int who = (int)(long)arg;
    rt_sleep(200 + 10.0 * (who - 4));
    rt_mutex_lock(mu);
    rt_cond_wait(cv, mu);
    cv_order[ncv++] = who;
    if (who == 4)
        late_before_woken = 0; /* the late locker has not had the mutex yet */
    rt_mutex_unlock(mu);
}

static void cv_signaller_main(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        rt_sleep(i == 0 ? 300 : 50);
        rt_mutex_lock(mu);
        rt_cond_signal(cv);
        rt_execute(20); /* the mutex stays held after the signal */
        rt_mutex_unlock(mu);
    }
}

/* Asks for mu at 310, after the first signal, while the signaller still holds it: the signalled
 * waiter asked for the mutex at the signal, so it takes it first. */
static void late_main(void *arg)
{
    (void)arg;
    rt_sleep(310);
    rt_mutex_lock(mu);
    if (late_before_woken < 0)
        late_before_woken = 1;
    rt_mutex_unlock(mu);
}

/* A timed wait nobody signals, begun at 1000: times out at 1750 with the mutex held. */
static void timed_main(void *arg)
{
    (void)arg;
    rt_sleep(1000);
    rt_mutex_lock(free_mu);
    timed_rc = rt_cond_timedwait(nobody_cv, free_mu, 750);
    timed_at = rt_now();
    rt_mutex_unlock(free_mu);
    rt_mutex_lock(free_mu); /* the unlock above released it: free again */
    timed_held = 1;
    rt_mutex_unlock(free_mu);
}

/* Works 1000 ns from 2000; interrupted at 2300. */
static void worker_main(void *arg)
{
    (void)arg;
    rt_sleep(2000);
    work_done = rt_work(1000);
    work_end = rt_now();
    rt_clear_interrupt();
}

static void interrupter_main(void *arg)
{
    (void)arg;
    rt_sleep(2300);
    rt_interrupt(worker);
}

static void run_all(void)
{
    simgrid_run();
    CHECK_EQ_INT(calls_free, 0);
    CHECK_EQ_INT(norder, 4);
    for (int i = 0; i < 4; i++)
        CHECK_EQ_INT(order[i], i);
    CHECK(got_at[1] > 99.999 && got_at[1] < 100.001); /* handed over at the unlock */
    CHECK(got_at[2] > 104.999 && got_at[2] < 105.001);
    CHECK(got_at[3] > 109.999 && got_at[3] < 110.001);
    CHECK_EQ_INT(ncv, 3);
    for (int i = 0; i < 3; i++)
        CHECK_EQ_INT(cv_order[i], 4 + i);
    CHECK_EQ_INT(late_before_woken, 0);
    CHECK_EQ_INT(timed_rc, 1);
    CHECK(timed_at > 1749.999 && timed_at < 1750.001);
    CHECK(timed_held);
    CHECK(work_done > 299.999 && work_done < 300.001);
    CHECK(work_end > 2299.999 && work_end < 2300.001);
}

static const struct test_case cases[] = {
    { "sim_sync", run_all },
    { NULL, NULL },
};

int main(int argc, char **argv)
{
    if (sim_test_env("sim_sync_test", argv, 16, NULL) != 0)
        return 1;
    mu = rt_mutex_new();
    free_mu = rt_mutex_new();
    cv = rt_cond_new();
    nobody_cv = rt_cond_new();
    rt_spawn("lone", lone_main, NULL);
    rt_spawn("holder", holder_main, NULL);
    for (long i = 1; i <= 3; i++)
        rt_spawn("asker", asker_main, (void *)i);
    rt_spawn("signaller", cv_signaller_main, NULL);
    for (long i = 4; i <= 6; i++)
        rt_spawn("cv-waiter", cv_waiter_main, (void *)i);
    rt_spawn("late", late_main, NULL);
    rt_spawn("timed", timed_main, NULL);
    worker = rt_spawn("worker", worker_main, NULL);
    rt_spawn("interrupter", interrupter_main, NULL);
    int rc = test_main(cases, argc, argv);
    rt_mutex_free(mu);
    rt_mutex_free(free_mu);
    rt_cond_free(cv);
    rt_cond_free(nobody_cv);
    rt_sim_cleanup();
    return rc;
}
