/* Synthetic op streams: a thread's ops are a pure function of (params, seed, thread index),
 * drawn from its own random stream, so the simulator, the native backend and the oracle replay
 * identical programs. Consecutive compute opcodes of equal cost come as one OP_COMPUTE op whose
 * span counts them (op_span()). */
#ifndef GILSIM_WORKLOADS_GENERATOR_H
#define GILSIM_WORKLOADS_GENERATOR_H

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "op.h"
#include "params.h"
#include "trace.h"

/* Ops a stream holds drawn ahead, a ring (they are the same ops: only when they are drawn
 * changes). A power of two. */
#define WL_BLOCK 32
/* The stream keeps at least this many ops drawn ahead of the one taken (until its end), so
 * that a consumer can look at them early (wl_stream_peek: to prefetch their objects). */
#define WL_LOOKAHEAD 16
_Static_assert((WL_BLOCK & (WL_BLOCK - 1)) == 0 && WL_LOOKAHEAD < WL_BLOCK,
               "the ring's size is a power of two larger than the lookahead");
/* Gaps below this come from a table of the uniform's cut points, not from a logarithm. */
#define WL_GAP_CUTS 32
/* The 53-bit uniforms fall in this many equal buckets (by their top bits); a bucket's first
 * gap is a table look-up, and most buckets hold one gap only. */
#define WL_GAP_BUCKET_BITS 8

/* How a stream's gaps (compute opcodes before the next other op) come: drawn from the table
 * (0 < event_share < 1), always 0 (event_share >= 1), or either (draw_gap decides). */
enum wl_gaps { WL_GAPS_ANY, WL_GAPS_DRAWN, WL_GAPS_NONE };

/* What drawing an op reads, fixed for the stream: taken from the parameters once, and copied
 * into locals while a block is drawn (so that storing an op cannot change them). */
struct wl_draw {
    int64_t ops, objects;
    int op_dist, io_dist;  /* enum dist */
    double op_ns, io_ns, sigma;
    double event_share;    /* the stream's, below */
    double alloc, alloc_io; /* an event's uniform below these: an allocation, else I/O */
    double sharing, write, callback;
    int runs_merge;        /* every compute opcode costs the same: a run is one op */
    int kind_means;        /* some op_ns_KIND gives its kind its own mean cost */
    int may_share;         /* its accesses may be foreign (threads > 1, not the home thread) */
    int miss_calibrated;   /* some miss_*_ns is set: miss_own changes with allocations */
    float miss_foreign;    /* the cache-miss charge of a foreign access (one per stream) */
    int gaps;              /* enum wl_gaps: how the gap before the next other op comes */
    int io_drawn;          /* 0 where I/O is known never to be drawn (alloc_io == alloc) */
    int plain;             /* no per-op cost draw, callback, miss calibration or I/O, and
                              gaps drawn or none: wl_stream_refill's loops for that case */
};

struct wl_stream {
    gsl_rng *rng;
    const struct params *p;
    uint32_t thread;
    int64_t emitted;   /* opcodes produced so far (OP_EXIT not counted) */
    uint64_t allocated; /* OP_ALLOC ops produced so far */
    float miss_own;     /* the cache-miss charge of an access to its own objects, as many as
                           there are after `allocated` allocations */
    const gsl_ran_discrete_t *zipf; /* shared Zipf table of foreign accesses, or NULL */
    const struct wl_trace *trace;   /* replay this instead of generating, or NULL */
    struct wl_draw draw;
    int64_t gap;        /* compute opcodes left before the next other op; -1: not drawn yet */
    double event_share; /* share of opcodes that are not compute (alloc + io + access, <= 1) */
    double gap_scale;   /* 1 / log(1 - event_share): turns a uniform into a geometric gap */
    uint64_t gap_cut[WL_GAP_CUTS]; /* gap > k exactly when the 53-bit uniform >= gap_cut[k] */
    uint8_t gap_first[1 << WL_GAP_BUCKET_BITS]; /* how many cuts are <= the bucket's first
                                                   uniform */
    /* The next ops, drawn by one tight loop (wl_stream_refill) into a ring: the ops counted
     * taken..drawn (mod 2^32) are still to come, op number i at block[i % WL_BLOCK]. */
    struct op block[WL_BLOCK];
    unsigned taken, drawn;
};

/* A stream of generated ops, or of the trace's ops for this thread when trace is not NULL.
 * Returns 0, or -1 if the RNG or the Zipf table cannot be allocated. */
int wl_stream_init(struct wl_stream *s, const struct params *p, uint32_t thread,
                   const struct wl_trace *trace);
void wl_stream_free(struct wl_stream *s);
/* Fills the stream's ring with its next ops (wl_stream_next calls it when WL_LOOKAHEAD or
 * fewer are left). */
void wl_stream_refill(struct wl_stream *s);
/* Produces the next op (a run of compute opcodes is one op, see op_span()); after p->ops
 * opcodes (or the trace's) every call yields OP_EXIT. */
static inline void wl_stream_next(struct wl_stream *s, struct op *op)
{
    if (s->drawn - s->taken <= WL_LOOKAHEAD)
        wl_stream_refill(s);
    *op = s->block[s->taken++ % WL_BLOCK];
}
/* The op that the d-th next call of wl_stream_next will produce (d = 0: the next one), if it
 * is drawn already, else NULL. Draws nothing. */
static inline const struct op *wl_stream_peek(const struct wl_stream *s, unsigned d)
{
    return d < s->drawn - s->taken ? &s->block[(s->taken + d) % WL_BLOCK] : NULL;
}
/* The gap (compute opcodes before the next other op) the stream draws from the 53-bit uniform m
 * (u = m / 2^53), for a stream whose event share is in (0, 1): exactly
 * floor(log(1 - u) / log(1 - event_share)), read from a table below WL_GAP_CUTS. */
int64_t wl_gap_from_uniform(const struct wl_stream *s, uint64_t m);
/* The seed of thread `thread`'s stream (splitmix64 of seed and index). */
unsigned long wl_stream_seed(int64_t seed, uint32_t thread);

#endif
