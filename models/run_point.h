/* One run of one point on either backend: what the simulator's driver (sim/run_sim.c) and the
 * native one (validate/run_native.c) share. A backend driver says how to prepare its platform,
 * how to let the spawned threads run to their end, and whether it performs the cost model's
 * primitives for real (then the run is charged only workload costs, see params.h). */
#ifndef GILSIM_MODELS_RUN_POINT_H
#define GILSIM_MODELS_RUN_POINT_H

#include <stdio.h>

#include "params.h"
#include "stats.h"

struct rt_backend;

struct run_driver {
    const struct rt_backend *rt;
    /* 1: mutexes, queues, handlers... happen for real, so primitive costs are not charged. */
    int real_primitives;
    /* 1: op streams are generated before the threads start, so their cost is not timed. */
    int generate_ahead;
    /* Prepares the platform for p before any thread is spawned; 0, or -1 with err. */
    int (*prepare)(const struct params *p, char *err, size_t errlen);
    /* Runs the spawned threads until all have returned or some never can. Returns 1 when some
     * are left blocked on the run's state, which then must not be freed (native), else 0. */
    int (*run_all)(void);
    /* Frees the backend's per-run state (not called when the run could not be reclaimed). */
    void (*cleanup)(void);
};

/* Runs p on d's backend; fills m. With a timeline path, writes each thread's state intervals
 * there (CSV, through a temporary file renamed at the end). Returns 0, or -1 with a message in
 * err when the run could not start or its timeline could not be written. Deadlock cycles and a
 * failed check are described on diag. */
int run_point(const struct run_driver *d, const struct params *p, struct metrics *m,
              const char *timeline, FILE *diag, char *err, size_t errlen);

#endif
