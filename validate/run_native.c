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
    if (scheme_native_check(p, err, errlen) != 0)
        return -1;
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
