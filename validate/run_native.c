/* The native run driver (see run_native.h): prepares the pthread backend for `cores` CPUs, opens
 * the start gate once every thread is spawned, and waits for the end or the watchdog's verdict.
 * Primitives (mutexes, queue pushes, wake-ups, handler calls) happen for real, so the run is
 * charged only workload costs (params.h, enum param_cost). */
#include "run_native.h"

#include <string.h>

#include "rt_backend.h"
#include "rt_pthread.h"
#include "run_point.h"
#include "scheme.h"

int native_check(const struct params *p, char *err, size_t errlen)
{
    const struct scheme_ops *s = scheme_find(p->scheme);
    if (s && s->unsynchronised && p->sharing > 0) {
        snprintf(err, errlen, "sharing: %g with scheme %s races on real threads (allowed with "
                 "backend=native: 0; %s is an upper bound that is exact only simulated)",
                 p->sharing, s->name, s->name);
        return -1;
    }
    /* An optimistic read of the model's objects is a plain read racing a writer that may grow
     * (realloc) the list or dict under it: CPython makes it safe with atomic item loads and
     * deferred frees (QSBR), which these objects do not have. Simulated it is exact. */
    if (strcmp(p->scheme, "free-threading") == 0 && strcmp(p->ft_reads, "optimistic") == 0) {
        snprintf(err, errlen, "ft_reads: optimistic is simulator-only (allowed with "
                 "backend=native: locked; real lock-free reads need atomic item loads and "
                 "deferred frees the model's objects do not have)");
        return -1;
    }
    return rt_native_check_cores((long long)p->cores, err, errlen);
}

static int native_prepare(const struct params *p, char *err, size_t errlen)
{
    return rt_native_start((long long)p->cores, err, errlen);
}

static int native_run_all(void)
{
    rt_native_go();
    return rt_native_wait();
}

static const struct run_driver native_driver = {
    .rt = &rt_pthread_backend,
    .real_primitives = 1,
    .generate_ahead = 1,
    .prepare = native_prepare,
    .run_all = native_run_all,
    .cleanup = rt_native_cleanup,
};

int native_run(const struct params *p, struct metrics *m, const char *timeline, FILE *diag,
               char *err, size_t errlen)
{
    return run_point(&native_driver, p, m, timeline, diag, err, errlen);
}
