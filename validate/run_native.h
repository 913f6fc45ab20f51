/* One native run: the same scheme code on real pthreads (validate/rt_pthread.c), wall-clock
 * metrics, the same row. The pthread side of models/run_point.h. */
#ifndef GILSIM_VALIDATE_RUN_NATIVE_H
#define GILSIM_VALIDATE_RUN_NATIVE_H

#include <stdio.h>

#include "params.h"
#include "stats.h"

/* 0 if p can run natively here; else -1 with a one-line message naming the parameter in err:
 * what the scheme refuses on real threads (scheme_ops.native_check), or cores beyond this
 * machine's CPUs. */
int native_check(const struct params *p, char *err, size_t errlen);
/* As sim_run (sim/run_sim.h), on real threads. A deadlock leaves its threads blocked: the
 * caller writes the row and exits. */
int native_run(const struct params *p, struct metrics *m, const char *timeline, FILE *diag,
               char *err, size_t errlen);

#endif
