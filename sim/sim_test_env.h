/* The SimGrid backend set up for a unit test of sim/ (rt_test, sim_sync_test, os_sched_test,
 * park_race_test): SimGrid started, rt.h on the SimGrid backend, and either one host of `cores`
 * cores (kv NULL) or, with the OS scheduler, one host per core and the parameters kv ("key",
 * "value", ..., NULL) set beside cores and os_sched=on. Returns 0, or 1 after one line on
 * stderr naming what failed. */
#ifndef GILSIM_SIM_TEST_ENV_H
#define GILSIM_SIM_TEST_ENV_H

#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdio.h>

#include "params.h"
#include "rt_backend.h"
#include "rt_simgrid.h"
#include "run_sim.h"
#include "scheme.h"

static inline int sim_test_env(const char *test, char **argv, int cores, const char *const *kv)
{
    int sg_argc = 1;
    simgrid_init(&sg_argc, argv);
    char err[256], n[32];
    if (sim_load_platform(cores, kv != NULL, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", test, err);
        return 1;
    }
    rt_use(&rt_simgrid_backend);
    if (!kv) {
        rt_sim_set_host(sg_host_by_name("cpu"));
        return 0;
    }
    schemes_register();
    struct params p;
    params_defaults(&p);
    snprintf(n, sizeof n, "%d", cores);
    int bad = param_set(&p, "cores", n, err, sizeof err) ||
              param_set(&p, "os_sched", "on", err, sizeof err);
    for (; !bad && kv[0]; kv += 2)
        bad = param_set(&p, kv[0], kv[1], err, sizeof err);
    if (bad || rt_sim_configure(&p, err, sizeof err)) {
        fprintf(stderr, "%s: %s\n", test, err);
        return 1;
    }
    return 0;
}

#endif
