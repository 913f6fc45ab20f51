/* The single-run driver of the simulator (see run_sim.h). The platform is one host "cpu" with
 * `cores` cores of 1 Gf each (one one-core host per core with the OS scheduler), written to a
 * temporary XML file because SimGrid loads platforms from files. SimGrid reports a deadlock and returns normally, so a run is deadlocked exactly
 * when some interpreter thread did not reach its end. */
#define _POSIX_C_SOURCE 200809L
#include "run_sim.h"

#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analytic.h"
#include "atomic_file.h"
#include "deadlock.h"
#include "interp.h"
#include "oracle.h"
#include "rt.h"
#include "rt_simgrid.h"

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

static int fill_timeline(FILE *f, void *arg) { return interp_write_timeline(arg, f); }

int sim_run(const struct params *p, struct metrics *m, const char *timeline, FILE *diag,
            char *err, size_t errlen)
{
    char path[4096];
    int per_core = param_on(p->os_sched);
    if (write_platform((long long)p->cores, per_core, path, sizeof path, err, errlen) != 0)
        return -1;
    simgrid_load_platform(path);
    unlink(path);
    rt_sim_set_host(per_core ? NULL : sg_host_by_name("cpu"));
    if (rt_sim_configure(p, err, errlen) != 0) {
        rt_sim_cleanup();
        return -1;
    }

    struct run *r = run_create(p, err, errlen);
    if (!r)
        return -1;
    if (run_init_scheme(r, err, errlen) != 0) {
        run_destroy(r);
        return -1;
    }
    r->timeline = timeline != NULL;
    for (uint32_t i = 0; i < r->nthreads; i++) {
        char name[32];
        snprintf(name, sizeof name, "T%u", i);
        r->threads[i].rt = rt_spawn(name, interp_thread_main, &r->threads[i]);
    }
    simgrid_run();

    int blocked = deadlock_report(r, diag);
    double makespan = 0;
    for (uint32_t i = 0; i < r->nthreads; i++)
        if (r->threads[i].end_ns > makespan)
            makespan = r->threads[i].end_ns;
    if (blocked)
        makespan = rt_now();

    struct thread_stats *ts = malloc(r->nthreads * sizeof *ts);
    if (!ts) {
        snprintf(err, errlen, "out of memory");
        run_destroy(r);
        return -1;
    }
    for (uint32_t i = 0; i < r->nthreads; i++)
        ts[i] = r->threads[i].stats;
    stats_merge(ts, r->nthreads, makespan, m);
    free(ts);
    m->deadlock = blocked > 0;
    m->lat_model_s = analytic_latency_ns(p) * 1e-9;
    m->sharing_breakeven = analytic_breakeven_sharing(p);
    char msg[512];
    m->check_ok = oracle_check(r, msg, sizeof msg);
    if (!m->check_ok)
        fprintf(diag, "gilsim: check FAIL: %s\n", msg);
    int rc = timeline ? atomic_file_write(timeline, fill_timeline, r, err, errlen) : 0;
    run_destroy(r);
    rt_sim_cleanup();
    return rc;
}
