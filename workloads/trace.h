/* Op traces: a plain-text record of every thread's op stream (format in docs/traces.md), read
 * to replay a recorded run instead of generating one, and written from a generated workload.
 * Invariant: replaying the trace written for (params, seed) gives the same streams. */
#ifndef GILSIM_WORKLOADS_TRACE_H
#define GILSIM_WORKLOADS_TRACE_H

#include <stddef.h>
#include <stdio.h>

#include "op.h"
#include "params.h"

struct wl_trace {
    unsigned nthreads;
    struct op **ops; /* ops[t][0..nops[t]) in program order (compute runs merged, op_span()) */
    size_t *nops;
    size_t *opcodes; /* opcodes of thread t (the spans of its ops summed) */
};

/* Reads a trace and checks it against p (thread count, object indexes). Returns 0, or -1 with
 * "FILE:LINE: what is wrong (what is allowed)" in err. */
int wl_trace_load(const char *path, const struct params *p, struct wl_trace *tr, char *err,
                  size_t errlen);
void wl_trace_free(struct wl_trace *tr);
/* The longest thread's op count. */
size_t wl_trace_max_ops(const struct wl_trace *tr);
/* Writes the streams the generator makes for p as a trace. Returns 0 or -1. */
int wl_trace_write(FILE *f, const struct params *p);

#endif
