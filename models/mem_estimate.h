/* The memory guard: what a run will hold at its peak, estimated from its parameters before it
 * starts (objects, kept allocations, list items, latency samples, actor stacks and batches,
 * the loaded trace), checked against --mem_limit or this
 * machine's memory, so that a run too big is refused with the estimate instead of swapping. */
#ifndef GILSIM_MODELS_MEM_ESTIMATE_H
#define GILSIM_MODELS_MEM_ESTIMATE_H

#include <stddef.h>

#include "params.h"
#include "trace.h"

/* Bytes the run of p (replaying tr, or NULL) holds at most, about; the part of each cause
 * goes to parts (one short phrase in GiB). */
double mem_estimate(const struct params *p, const struct wl_trace *tr, char *parts, size_t len);
/* This machine's physical memory in bytes (sysconf), 0 if unknown. */
double mem_machine(void);
/* 0 if the estimate fits the limit (p->mem_limit GiB, or this machine's memory if 0), else
 * -1 with a one-line message naming the estimate, its parts and the limit. */
int mem_check(const struct params *p, const struct wl_trace *tr, char *err, size_t errlen);

#endif
