/* One simulated run: a generated K-core platform, one SimGrid actor per interpreter thread, the
 * deadlock check and the oracle. simgrid_init() must have been called. */
#ifndef GILSIM_SIM_RUN_SIM_H
#define GILSIM_SIM_RUN_SIM_H

#include <stdio.h>

#include "params.h"
#include "stats.h"

/* Runs p; fills m. With a timeline path, writes each thread's state intervals there (CSV,
 * through a temporary file renamed at the end). Returns 0, or -1 with a message in err when the
 * run could not start or its timeline could not be written. Deadlock cycles and a failed check
 * are described on diag. */
/* Loads the platform of a run with `cores` cores: one host "cpu" with `cores` cores shared
 * fairly, or, with per_core (the OS scheduler), the one-core hosts "c0".."c<cores-1>". Returns
 * 0, or -1 with a message in err. The run driver and the SimGrid backend's tests use it. */
int sim_load_platform(long long cores, int per_core, char *err, size_t errlen);

int sim_run(const struct params *p, struct metrics *m, const char *timeline, FILE *diag,
            char *err, size_t errlen);

#endif
