/* Test of a wake-up that comes while its thread is on its way into a park: with the OS
 * scheduler, a thread that blocks on a held mutex first hands its core to a queued thread (a
 * simcall, during which others run); the one it hands it to may unlock that mutex at once. On
 * one core: "holder" takes the mutex, then waits for the core "blocker" runs on; "blocker", its
 * work done, asks for the mutex and so hands the core over. The unlock must wake it: both end,
 * and the simulation is not left with "blocker" parked for ever. Times in ns. */
#include <simgrid/engine.h>
#include <stdio.h>

#include "params.h"
#include "rt.h"
#include "rt_backend.h"
#include "rt_simgrid.h"
#include "run_sim.h"
#include "scheme.h"
#include "sim_test_env.h"
#include "testlib.h"

static struct rt_mutex *mu;
static int holder_done, blocker_done;
static double blocker_at = -1;

/* Runs first on the core, then asks for the mutex while "holder" waits for the core. */
static void blocker_main(void *arg)
{
    (void)arg;
    rt_execute(1000);
    rt_mutex_lock(mu); /* held: hands the core to "holder", which unlocks at once */
    blocker_at = rt_now();
    rt_mutex_unlock(mu);
    blocker_done = 1;
}

/* Takes the mutex (no core needed), then queues for the core and unlocks as soon as it runs. */
static void holder_main(void *arg)
{
    (void)arg;
    rt_mutex_lock(mu);
    rt_woken(); /* no latency (wake_ns 0): only the core, busy until blocker's work ends */
    rt_mutex_unlock(mu);
    holder_done = 1;
}

static void run_all(void)
{
    simgrid_run();
    CHECK_EQ_INT(holder_done, 1);
    CHECK_EQ_INT(blocker_done, 1);
    /* it gets the mutex at 1 us, when the holder runs and unlocks */
    CHECK(blocker_at > 1000 - 1e-3 && blocker_at < 1000 + 1e-3);
}

static const struct test_case cases[] = {
    { "unpark_on_the_way_in", run_all },
    { NULL, NULL },
};

int main(int argc, char **argv)
{
    static const char *const kv[] = { "slice_ns", "1e6", "wake_dist", "fixed", "wake_ns", "0", NULL };
    if (sim_test_env("park_race_test", argv, 1, kv) != 0)
        return 1;
    mu = rt_mutex_new();
    rt_spawn("blocker", blocker_main, NULL); /* index 0: takes the core */
    rt_spawn("holder", holder_main, NULL);   /* index 1: queues for it */
    int rc = test_main(cases, argc, argv);
    rt_sim_cleanup();
    return rc;
}
