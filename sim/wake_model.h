/* Wake-up latencies and timer expiry of the SimGrid backend: how long after a signal or a
 * timer a sleeping thread runs again (drawn from wake_dist around wake_ns, or from an empirical
 * sample file), and how late a sleep's or a timed wait's timer fires (timer_slack_ns). Each
 * thread draws from its own GSL stream seeded from (seed, thread index): a run stays a pure
 * function of its parameters and seed. */
#ifndef GILSIM_SIM_WAKE_MODEL_H
#define GILSIM_SIM_WAKE_MODEL_H

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

#include "params.h"

/* Reads a wake_samples file (ns, one a line, '#' comments, blank lines allowed) into a malloc'd
 * array. Returns 0, or -1 with a one-line message naming the file, the line and what is
 * allowed. */
int wake_samples_load(const char *path, double **samples, size_t *n, char *err, size_t errlen);

/* Sets the model up for a run of p (loads the samples file if wake_dist is empirical); same
 * error contract. wake_model_fini frees it. */
int wake_model_init(const struct params *p, char *err, size_t errlen);
void wake_model_fini(void);

/* A new stream for thread `index` (NULL if out of memory). */
gsl_rng *wake_stream_new(uint64_t index);
/* One wake-up latency, ns, drawn from stream r (no draw for wake_dist=fixed). */
double wake_latency(gsl_rng *r);
/* How long a timer set `ns` from now really takes to fire. */
double wake_timer(double ns);

#endif
