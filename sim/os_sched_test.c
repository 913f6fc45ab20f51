/* Tests of the OS model of the SimGrid backend, in one simulation on 2 cores with the OS
 * scheduler on (slice 1 ms), wake-ups fixed at 1 us and 50 us of timer slack: a thread blocked
 * in a condvar is on no run queue; a thread woken while every core is busy runs only when a
 * slice ends; a preempted thread does no work until it runs again; a sleep and a timed wait
 * expire timer_slack_ns late and the sleeper runs wake_ns after that. Times in ns. */
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "os_sched.h"
#include "params.h"
#include "rt.h"
#include "rt_backend.h"
#include "rt_simgrid.h"
#include "run_sim.h"
#include "scheme.h"
#include "sim_test_env.h"
#include "testlib.h"

#define MS 1e6

static struct rt_mutex *mu;
static struct rt_cond *cv;
static int signalled;
static double woken_runs_at, hog_end[3], sleeper_at, timed_rc = -1, timed_at;
static uint64_t queued_before, queued_after_wake;

/* Blocks in the condvar from t = 0 until the probe signals it at 0.5 ms. */
static void waiter_main(void *arg)
{
    (void)arg;
    rt_mutex_lock(mu);
    while (!signalled)
        rt_cond_wait(cv, mu);
    rt_mutex_unlock(mu);
    rt_woken(); /* 1 us, then a core: both are busy until core 0's slice ends at 1 ms */
    woken_runs_at = rt_now();
    rt_execute(10);
}

static void hog_main(void *arg)
{
    int i = (int)(intptr_t)arg;
    rt_execute(3 * MS);
    hog_end[i] = rt_now();
}

/* Looks at the run queues with SimGrid's own sleep (it never asks for a core). */
static void probe_main(void *arg)
{
    (void)arg;
    sg_actor_sleep_for(0.5e-3);
    rt_sim_resumed();
    queued_before = os_queued_total(); /* hog 2 waits for core 1; the waiter is on no queue */
    rt_mutex_lock(mu);
    signalled = 1;
    rt_cond_signal(cv);
    rt_mutex_unlock(mu);
    sg_actor_sleep_for(0.1e-3);
    rt_sim_resumed();
    queued_after_wake = os_queued_total(); /* the woken waiter queues too */
}

/* Sleeps 10 ms (the hogs are done by then), then does a 100 us timed wait nobody signals. */
static void sleeper_main(void *arg)
{
    (void)arg;
    rt_sleep(10 * MS);
    sleeper_at = rt_now();
    struct rt_mutex *m = rt_mutex_new();
    struct rt_cond *c = rt_cond_new();
    rt_mutex_lock(m);
    double t0 = rt_now();
    timed_rc = rt_cond_timedwait(c, m, 100000);
    timed_at = rt_now() - t0;
    rt_mutex_unlock(m);
    rt_cond_free(c);
    rt_mutex_free(m);
}

static void run_all(void)
{
    simgrid_run();
    CHECK_EQ_INT(queued_before, 1);
    CHECK_EQ_INT(queued_after_wake, 2);
    /* woken at 0.501 ms, it waits for the end of hog 1's slice on core 0 */
    CHECK(woken_runs_at > 1 * MS - 1e-3 && woken_runs_at < 1 * MS + 1e-3);
    /* hog 1: 3 ms of work on core 0 and the waiter's 10 ns */
    CHECK(hog_end[1] > 3 * MS + 10 - 1e-3 && hog_end[1] < 3 * MS + 10 + 1e-3);
    /* hogs 0 and 2 share core 1 a slice each: hog 0 runs [0,1] and [2,3] ms, is pulled by core
     * 0 when hog 1 ends and ends 1 ms later; hog 2 runs [1,2], [3,5] ms. Preempted, neither
     * did any work. */
    CHECK(hog_end[0] > 4 * MS + 10 - 1e-3 && hog_end[0] < 4 * MS + 10 + 1e-3);
    CHECK(hog_end[2] > 5 * MS - 1e-3 && hog_end[2] < 5 * MS + 1e-3);
    /* 10 ms + 50 us of timer slack + 1 us wake-up */
    CHECK(sleeper_at > 10.051 * MS - 1e-3 && sleeper_at < 10.051 * MS + 1e-3);
    CHECK_EQ_INT(timed_rc, 1);
    CHECK(timed_at > 150000 - 1e-3 && timed_at < 150000 + 1e-3);
    CHECK_EQ_INT(os_queued_total(), 0);
}

static const struct test_case cases[] = {
    { "os_sched", run_all },
    { NULL, NULL },
};

int main(int argc, char **argv)
{
    static const char *const kv[] = { "slice_ns", "1e6",      "wake_dist",      "fixed",
                                      "wake_ns",  "1000",     "timer_slack_ns", "50000", NULL };
    if (sim_test_env("os_sched_test", argv, 2, kv) != 0)
        return 1;
    mu = rt_mutex_new();
    cv = rt_cond_new();
    /* a thread's first core is its index modulo 2, else an idle one */
    rt_spawn("waiter", waiter_main, NULL);  /* index 0: core 0, never taken (it blocks first) */
    rt_spawn("hog0", hog_main, (void *)0);  /* index 1: takes core 1 */
    rt_spawn("hog1", hog_main, (void *)1);  /* index 2: takes core 0 */
    rt_spawn("hog2", hog_main, (void *)2);  /* index 3: queues on core 1 */
    rt_spawn("probe", probe_main, NULL);
    rt_spawn("sleeper", sleeper_main, NULL);
    int rc = test_main(cases, argc, argv);
    rt_sim_cleanup();
    return rc;
}
