/* The single-run driver of the simulator (see run_sim.h): the SimGrid side of run_point.h. The
 * platform is one host "cpu" with `cores` cores of 1 Gf each (one one-core host per core with
 * the OS scheduler), written to a temporary XML file
 * because SimGrid loads platforms from files; every cost of the cost model is charged. */
#define _POSIX_C_SOURCE 200809L
#include "run_sim.h"

#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "signals.h"
#include "rt_simgrid.h"
#include "run_point.h"

/* One host "cpu" with `cores` cores shared fairly, or with the OS scheduler one one-core host
 * per core, "c0".."c<cores-1>" (no routes: nothing communicates). */
static int write_platform(long long cores, int per_core, char *path, size_t len, char *err,
                          size_t errlen)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, len, "%s/gilsim-platform-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        snprintf(err, errlen, "cannot create the platform file %s", path);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    fprintf(f,
            "<?xml version='1.0'?>\n"
            "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
            "<platform version=\"4.1\">\n"
            "  <zone id=\"gilsim\" routing=\"%s\">\n", per_core ? "None" : "Full");
    if (per_core)
        for (long long c = 0; c < cores; c++)
            fprintf(f, "    <host id=\"c%lld\" speed=\"1Gf\" core=\"1\"/>\n", c);
    else
        fprintf(f, "    <host id=\"cpu\" speed=\"1Gf\" core=\"%lld\"/>\n", cores);
    fprintf(f, "  </zone>\n</platform>\n");
    if (fclose(f) != 0) {
        snprintf(err, errlen, "cannot write the platform file %s", path);
        unlink(path);
        return -1;
    }
    return 0;
}

/* The temporary file exists only while termination signals are held, so a run stopped then (a
 * sweep stopping its runs) leaves no file behind: the signal lands once the file is gone. */
int sim_load_platform(long long cores, int per_core, char *err, size_t errlen)
{
    char path[4096];
    sigset_t old;
    interrupt_hold(&old);
    int rc = write_platform(cores, per_core, path, sizeof path, err, errlen);
    if (rc == 0) {
        simgrid_load_platform(path);
        unlink(path);
    }
    interrupt_unhold(&old);
    return rc;
}

static int sim_prepare(const struct params *p, char *err, size_t errlen)
{
    int per_core = p->os_sched == KNOB_ON;
    if (sim_load_platform((long long)p->cores, per_core, err, errlen) != 0)
        return -1;
    rt_sim_set_host(per_core ? NULL : sg_host_by_name("cpu"));
    if (rt_sim_configure(p, err, errlen) != 0) {
        rt_sim_cleanup();
        return -1;
    }
    return 0;
}

/* SimGrid reports a deadlock and returns normally; the blocked actors are never resumed, so the
 * run's state can be freed. */
static int sim_run_all(void)
{
    simgrid_run();
    return 0;
}

static const struct run_driver sim_driver = {
    .rt = &rt_simgrid_backend,
    .real_primitives = 0,
    .prepare = sim_prepare,
    .run_all = sim_run_all,
    .cleanup = rt_sim_cleanup,
};

int sim_run(const struct params *p, struct metrics *m, const char *timeline, FILE *diag,
            char *err, size_t errlen)
{
    return run_point(&sim_driver, p, m, timeline, diag, err, errlen);
}
