/* The native runs of gilsim validate, each between two reference loops (ref_loop.h) on the CPUs
 * it uses: a run whose references differ by more than a bound ran while the machine's speed
 * moved; it is run again, and after the last try set apart (kept in the log, not compared). */
#ifndef GILSIM_VALIDATE_VAL_NATIVE_H
#define GILSIM_VALIDATE_VAL_NATIVE_H

#include <stddef.h>

struct native_ref {
    const char *results; /* the results CSV a kept row is appended to */
    const char *staging; /* one run's own CSV, removed after */
    const char *log;     /* every native run with its references (native-ref.csv) */
    double max_drift;    /* |after / before - 1| allowed, a fraction */
    int tries;           /* runs of one seed at most */
    double ref_ms;       /* each reference's length */
};

enum { NR_KEPT, NR_SET_APART, NR_FAILED, NR_NOT_STARTED };

/* Runs seed `seed` of the point whose parameters are args[0..nargs) (--NAME=VALUE) natively
 * between two references on `busy` CPUs. Returns NR_KEPT (its row appended to nr->results),
 * NR_SET_APART, NR_FAILED (no row; the run's message was printed), NR_NOT_STARTED (no process
 * could be started for it, the sweep said why), or the exit status of an
 * interrupted run (>= 128). *drift gets the kept (or last) run's after / before - 1. */
int native_ref_run(const struct native_ref *nr, const char *const *args, size_t nargs,
                   long long seed, int busy, double *drift);

#endif
