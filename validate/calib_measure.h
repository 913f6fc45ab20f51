/* The micro-measurements of `gilsim calibrate`: each experiment runs real pthreads on this
 * machine (pinned where it says so) and yields one value per key, in ns. The keys are parameter
 * names of workloads/params.c where the measurement is the input of that cost row, and other
 * names (written as comments) where no parameter takes it. */
#ifndef GILSIM_VALIDATE_CALIB_MEASURE_H
#define GILSIM_VALIDATE_CALIB_MEASURE_H

#include <stddef.h>

#define CALIB_MAX_VALUES 5

struct calib_value {
    const char *key;  /* a parameter name, or a descriptive name for a comment-only value */
    const char *what; /* one line: what was measured */
};

struct calib_experiment {
    struct calib_value values[CALIB_MAX_VALUES]; /* key NULL past the last */
    /* One repetition: writes one value per key to out (ns). */
    void (*run)(double *out);
    /* A cost that depends on how many CPUs are busy (a native run keeps one per core busy):
     * per_cpu, `run` measures one thread's cost and calib_run runs it on each busy CPU at once;
     * run_busy (instead of run), the experiment keeps `busy` CPUs busy itself. */
    int per_cpu;
    void (*run_busy)(double *out, int busy);
};

extern const struct calib_experiment calib_experiments[];
extern const size_t calib_experiment_count;

/* Whether x's values depend on how many CPUs are busy (measured both ways by calibrate). */
int calib_depends_on_busy(const struct calib_experiment *x);
/* One repetition of x with `busy` CPUs busy (1: this thread alone; busy > 1: per_cpu, one
 * pinned thread per CPU at once, each value the median over the threads, every thread kept
 * busy until the last is done; run_busy: as the experiment says). busy is at most TEAM_MAX. */
void calib_run(const struct calib_experiment *x, double *out, int busy);

/* Condvar wake-up latencies (signal until the sleeper runs) collected by every repetition of
 * the wake-up experiment so far, in ns; *n gets their number. */
const double *calib_wake_samples(size_t *n);
void calib_wake_samples_free(void);

/* fn() run in a child process (a native run leaves its backend's threads behind, which would
 * compete with every later measurement and native run of this process); 0 if it failed. */
double calib_in_child(double (*fn)(void));

struct params;
/* A native run of unshared `ideal` with op_ns 0 (only the eval loop, the generated stream and
 * the handlers run) on p's threads, cores, ops, access, alloc and objects: ns per opcode of
 * its makespan, 0 if it failed. Run it in a child (calib_in_child). */
double calib_ideal_run_ns(struct params *p);

#endif
