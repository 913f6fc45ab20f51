/* A pool of child processes: runs n tasks, at most j at a time, each a program in its own
 * process (SimGrid runs one simulation per process). Invariant: every started child is waited
 * for before pool_run returns, and children die with the pool's process (PR_SET_PDEATHSIG). */
#ifndef GILSIM_SIM_POOL_H
#define GILSIM_SIM_POOL_H

#include <stddef.h>

/* What task i runs: argv[0] is the program's path; the child's standard input and output are
 * /dev/null and its standard error goes to the file `err`. With `entry` set, the child does not
 * exec argv[0]: it is a fork of the pool's process that calls entry(argc - 1, argv + 1) and
 * exits with its result (the program is already loaded: a fork server). */
struct pool_task {
    char **argv;
    const char *err;
    int (*entry)(int argc, char **argv);
};

/* Fills t for task i; returns 0, or -1 to start no further task (the running ones finish). */
typedef int (*pool_start_fn)(void *ctx, size_t i, struct pool_task *t);
/* Task i has ended with wait status `status` (>= 0), or could not be started: -errno of what
 * failed (fork, opening its files, exec), after retrying a lack of resources a few times. */
typedef void (*pool_done_fn)(void *ctx, size_t i, int status);

/* Runs tasks 0..n-1 in order, j at a time. Returns 0; or -1 if SIGINT, SIGTERM or SIGHUP arrived, in
 * which case the running children were sent SIGTERM and waited for, without done calls. */
int pool_run(size_t n, size_t j, pool_start_fn start, pool_done_fn done, void *ctx);

#endif
