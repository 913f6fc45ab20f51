/* gilsim validate's verdict: each point's error with a bootstrap interval (over its native runs
 * and its simulated seeds), the summary over the points that are gated (the median |throughput
 * error| with its 95% interval, the 90th percentile, each scheme's median, the delegated-op
 * latency medians, the share of points whose simulated throughput lies within the native runs'
 * range, the points whose native runs agree within NATIVE_AGREE) and the gate, checked at the upper end of each interval (docs/validation.md). */
#ifndef GILSIM_VALIDATE_VAL_VERDICT_H
#define GILSIM_VALIDATE_VAL_VERDICT_H

#include <stddef.h>
#include <stdio.h>

/* The compared metrics, in validation.csv's order; the first is the gated throughput, and
 * VM_LAT_MEAN, VM_LAT_P99 the gated delegated-op latencies. */
enum { VM_THROUGHPUT, VM_MAKESPAN, VM_LAT_MEAN, VM_LAT_P99, VM_WAIT, VM_LOCK_WAIT, VM_IO_WAIT,
       VM_N };
extern const char *const vm_name[VM_N];

/* A point's native runs agree when their throughputs' spread is at most this share of their
 * median (the summary counts such points). */
#define NATIVE_AGREE 0.05

/* Resamples of every interval. */
#define VB 2000

/* One distinct point of the grid, for one repetition of the native side. */
struct vpoint {
    const char *scheme;
    int gated;         /* counts for the verdict */
    size_t nsim, nnat; /* values per metric below */
    double *simv[VM_N], *natv[VM_N];
    /* filled by vpoint_stats: medians, (sim - native) / native, its 95% interval, the native
     * throughput's range, and VB resampled errors of the gated metrics (NaN: none) */
    double sim[VM_N], nat[VM_N], err[VM_N], lo[VM_N], hi[VM_N];
    double nat_min, nat_max;
    double nat_spread; /* (nat_max - nat_min) / the native median throughput (NaN: none) */
    double *boot[VM_N];
};

/* The gate's limits, fractions (in_range: the least share of points within the native range). */
struct gates {
    double median, scheme, p90, lat_mean, lat_p99, in_range;
};
extern const struct gates gates_default;

/* Medians, errors and bootstrap intervals of each point; -1 if out of memory. rng_seed makes
 * the resampling repeatable. */
int vpoint_stats(struct vpoint *pt, size_t n, unsigned long rng_seed);
void vpoint_free(struct vpoint *pt, size_t n);

/* The summary of the gated points with intervals, and the gate: prints the per-scheme table
 * and the summary lines to f, and each failing gate to f as "gate FAIL: ...". Returns the
 * number of failing gates (a verdict without any gated point fails every gate); sets
 * *median to the median |throughput error| (NaN if no gated point). */
int verdict_print(FILE *f, const struct vpoint *pt, size_t n, const struct gates *g,
                  unsigned long rng_seed, double *median);

#endif
