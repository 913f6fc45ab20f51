/* `gilsim sweep`: runs every point of a spec (file and/or --PARAM=LIST), each in its own
 * `gilsim run` process, J at a time, appending one row per finished run to a results CSV that
 * a rerun resumes; or prints the pending points as shell commands (--emit-tasks). */
#ifndef GILSIM_SIM_SWEEP_H
#define GILSIM_SIM_SWEEP_H

#include <stddef.h>

/* Runs each point in a fork of this process calling `run` (the `gilsim run` command, given
 * argv from "run" on) instead of exec'ing gilsim again: the same code and arguments, one process
 * per run, without paying to load the program and SimGrid per run. Unset: exec. */
void sweep_set_runner(int (*run)(int argc, char **argv));

/* argv[0] is "sweep". Returns the exit status (status.h). */
int sweep_main(int argc, char **argv);
/* The checks of sweep_main without running anything: the options, the spec and lists, the
 * calibration and the results file's header. GS_OK, or GS_USAGE after printing the error. */
int sweep_check(int argc, char **argv);

/* A sweep another command runs (gilsim validate): the spec and settings `gilsim sweep` takes,
 * as fields. The same checks and messages as the command's arguments. */
struct sweep_request {
    const char *spec;          /* a spec file, or NULL */
    const char *const *lists;  /* nlists --PARAM=LIST (or --PARAM=VALUE) arguments */
    size_t nlists;
    const char *backend;       /* the backend's name, or NULL: the spec's */
    long reps, jobs;           /* 0: the defaults (1 rep; as many jobs as CPUs) */
    const char *calibration;   /* a calibration file, or NULL */
    const char *out;           /* the results CSV to append to */
    int check_only;            /* 1: sweep_check's checks, nothing run */
    int *not_started;          /* if set: gets the errno of a run that could not be started
                                * (the sweep then stopped starting runs), else 0 */
};
/* Runs the request's sweep; the exit status, as sweep_main's. */
int sweep_run(const struct sweep_request *r);

/* The points of a sweep with these arguments (as sweep_main's), in spec order, a point that
 * two families share once per family: the cells its row starts with (rows_key) and the name
 * of the spec family. 0, or the exit status after a one-line
 * error on stderr; the arrays (n entries) are freed by sweep_points_free. */
int sweep_points(int argc, char **argv, char ***keys, char ***families, size_t *n);
void sweep_points_free(char **keys, char **families, size_t n);

#endif
