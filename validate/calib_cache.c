/* Object accesses over working sets of growing size (see calib_cache.h), measured the way a run
 * pays them: native runs of unshared `ideal` in which every opcode is an access (access 1,
 * op_ns 0, no allocation) to one of W objects per thread, with as many threads as the
 * validation grid keeps busy (2, or 1 on a one-CPU machine), for W = 16 (every object cached)
 * up to 65536. A run streams its op records and keeps its exactly-once records beside the
 * objects, as every native run does; its cost per access above the 16-object run's is what
 * misses add. Each run is a child process (calib_in_child). The simulator interpolates between
 * the sizes (workloads/generator.c). */
#define _GNU_SOURCE
#include "calib_cache.h"

#include <unistd.h>

#include "calib_measure.h"
#include "params.h"

/* Working sets, in objects per thread: a run at the default shares allocates 10^4 per 10^6
 * opcodes. */
static const int64_t sizes[] = { 16, 1024, 4096, 16384, 65536 };
#define NSIZES (sizeof sizes / sizeof sizes[0])
#define OPS 200000

static int64_t run_objects;

/* ns per access of one native run over run_objects objects per thread; 0 if it failed. */
static double access_run(void)
{
    struct params p;
    params_defaults(&p);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    p.threads = p.cores = cpus >= 2 ? 2 : 1;
    p.ops = OPS;
    p.access = 1;
    p.alloc = 0;
    p.objects = run_objects;
    return calib_ideal_run_ns(&p);
}

void calib_cache_misses(double *out)
{
    double hot = 0;
    for (size_t i = 0; i < NSIZES; i++) {
        run_objects = sizes[i];
        double ns = calib_in_child(access_run);
        if (i == 0)
            hot = out[NSIZES - 1] = ns;
        else
            out[i - 1] = ns > hot ? ns - hot : 0;
    }
}
