/* The interpreter model shared by both backends: the run (threads, objects, scheme), each
 * interpreter thread's state, and its eval loop. The loop batches local opcodes into one
 * rt_work() up to the next point where the scheme must look; an rt_interrupt() stops the batch
 * at the exact time of the thread's next drain point, so the schedule equals stepping every
 * opcode while a run costs events, not opcodes. */
#ifndef GILSIM_MODELS_INTERP_H
#define GILSIM_MODELS_INTERP_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "classes.h"
#include "generator.h"
#include "object.h"
#include "op.h"
#include "params.h"
#include "scheme.h"
#include "stats.h"

/* An object's owner id is its owner's thread slot. A run's threads are created together and
 * never replaced, so a slot names one thread for the whole run: an id cannot outlive its thread
 * and name a later one. */

/* What a thread is doing: for the deadlock report and the timeline. */
enum thread_state {
    TS_NEW,
    TS_RUNNING,  /* running its own opcodes */
    TS_WAITING,  /* waiting for a delegated op */
    TS_DRAINING, /* serving others' delegated ops */
    TS_GIL_WAIT, /* waiting for a global or per-object lock */
    TS_IO,       /* blocked in I/O */
    TS_EXITED,
    TS_COUNT
};
const char *thread_state_name(enum thread_state s);

/* One timeline interval: the thread was in `state` from `start` until the next one. */
struct tl_event {
    double start_ns;
    int state;
};

#define INTERP_BATCH_MAX 1024
_Static_assert(INTERP_BATCH_MAX <= 65536, "a batch entry's index fits in 16 bits (ithread.acc)");
/* Allocated objects per chunk of a thread's allocated-object storage. */
#define INTERP_OBJ_CHUNK 64
_Static_assert(OP_ALLOC_SLOTS - OP_LIVE_ALLOCS > 2 * INTERP_BATCH_MAX + 2,
               "an op batched but not applied must never see its object recycled");

struct ithread {
    /* Cache-line aligned (so is the array, run_create): no line holds two threads' fields,
     * which would go back and forth between their cores at every op (false sharing). */
    _Alignas(64) struct run *run;
    uint32_t slot;
    uint64_t id;          /* owner id of the objects it owns: its slot */
    struct rt_thread *rt; /* set by the backend when it spawns the thread */

    struct wl_stream stream;
    struct op next;       /* lookahead: the next op of the stream */
    struct object *next_obj; /* its object (an access), else NULL */
    struct op *ahead;     /* the whole stream, when generated ahead (run_generate_ahead) */
    size_t nahead, aheadpos;
    struct op *pending;   /* ops taken from the stream but handed back (batch cut), FIFO */
    size_t npending, pendhead;
    int fetch_aside;      /* 1 while ops come from pending or ahead, not the stream's ring */
    int64_t opcount;      /* opcodes completed */
    int64_t check_every;  /* opcodes between check points (N unless the scheme changes it) */
    double check_ns;      /* cost of one check point, set by a scheme that polls there
                             (delegate: poll_ns); 0 by default */
    double access_ns;     /* the scheme's own cost of each access run inline (delegate: the
                             owner check; free-threading: an uncontended lock), set by the
                             scheme; 0 by default */
    double read_ns;       /* the same for a read without callback (free-threading: lock-free
                             reads); a scheme that sets access_ns sets it too */
    int batch_cut;        /* set by a scheme when ops batched ahead may no longer be local */

    struct object *objs;        /* the `objects` objects created at thread start */
    struct object **allocd;     /* objects created by OP_ALLOC (creator only), in chunks:
                                   allocation a is in slot a % OP_ALLOC_SLOTS (op.h), slot k
                                   is allocd[k / INTERP_OBJ_CHUNK][k % INTERP_OBJ_CHUNK] */
    size_t nslots, capallocd;   /* slots filled (<= OP_ALLOC_SLOTS); chunk pointers allocd
                                   has room for */
    uint64_t nallocd;           /* allocations made */
    uint64_t retired;           /* recycled allocations (create_object): the sum of what
                                   was applied to them (obj_applied) ... */
    uint64_t retired_due;       /* ... and the same of what was issued to them */
    /* What the thread took from its stream (oracle_issue), for the exactly-once check. */
    int64_t due_ops;            /* opcodes */
    uint64_t due_allocs;        /* allocations */
    int took_exit;              /* it took the stream's OP_EXIT */

    void *sched;                /* scheme-private per-thread state */

    /* For the deadlock report: what the thread waits for. */
    _Atomic int state;          /* enum thread_state */
    _Atomic int64_t waits_on;   /* slot of the owner it waits on, -1 if none */

    double start_ns, end_ns;
    double lock_wait_since; /* when the thread entered TS_GIL_WAIT */
    struct thread_stats stats;

    struct tl_event *tl;        /* timeline, when the run records one */
    size_t ntl, captl;

    struct op *batch;  /* ops of the current batch, up to batch_cap (compute runs: op_span),
                          and a place for the lookahead while it is built */
    struct object **bobj; /* bobj[i]: the object of access batch[i] (looked up once, when the
                             op is taken) */
    double *prefix;    /* prefix[i] = cost of batch[0..i), prefix[0] = 0 */
    int64_t *opbase;   /* opbase[i] = opcodes of batch[0..i) */
    uint16_t *acc;     /* the batch's accesses (the entries that are applied), in order */
    size_t nacc;       /* accesses in the batch */
    size_t acc_done;   /* of which applied */
    size_t batch_cap;
    int64_t batch_ops;      /* opcodes of the current batch */
    int64_t batch_start;    /* opcount when the batch was built */
    int64_t batch_every;    /* check_every and check_ns the batch's costs were built with */
    double batch_check_ns;
};

struct run {
    const struct params *p;
    const struct scheme_ops *scheme;
    uint32_t nthreads;
    struct ithread *threads;
    uint32_t objects; /* p->objects: each thread's objects created at thread start */
    void *sched; /* scheme-private per-run state */
    int scheme_ready; /* run_init done: run_destroy calls run_fini */
    int timeline;     /* record per-thread state intervals */
    int prefetch;     /* the objects may not fit in cache: the eval loop prefetches them */
    double loop_entry_ns; /* natively: taken off each batch entry's busy work (params.h) */
    struct wl_trace trace; /* the replayed trace, when params name one */
    struct class_set *classes; /* thread classes (n == 0: none); a thread's stream runs its
                                  class's parameters */
};

/* Builds a run: threads, their objects (owned by their creators) and streams. Returns NULL
 * with a message in err on failure. */
struct run *run_create(const struct params *p, char *err, size_t errlen);
/* Looks the scheme up, checks its hooks and calls its run_init (needs the backend running).
 * Returns 0, or -1 with a message in err. */
int run_init_scheme(struct run *r, char *err, size_t errlen);
void run_destroy(struct run *r);
/* Generates every thread's whole op stream before the run starts, so that taking an op during
 * the run is a load rather than the generator's random draws (which a native run would time).
 * The ops are the same. Returns 0, or -1 with a message in err if that needs more than
 * `budget` bytes (the streams are then generated during the run, as usual). */
int run_generate_ahead(struct run *r, size_t budget, char *err, size_t errlen);

/* The eval loop of one interpreter thread; arg is its struct ithread. */
void interp_thread_main(void *arg);

/* The object an op names (inline: asked for every access the eval loop looks at). */
static inline struct object *interp_object(struct run *r, uint32_t thread, uint32_t index)
{
    struct ithread *c = &r->threads[thread];
    if (index < r->objects)
        return &c->objs[index];
    uint32_t k = index - r->objects;
    return &c->allocd[k / INTERP_OBJ_CHUNK][k % INTERP_OBJ_CHUNK];
}
/* CPU cost of running op inline on its owner (bytecode + handler + its callback's handler), in
 * ns; the scheme's own cost per access (t->access_ns) is not in it. */
double interp_op_cost(const struct params *p, const struct op *op);
/* Cost of the handler part alone (what an owner spends serving a delegated op), in ns. */
double interp_handler_cost(const struct params *p, const struct op *op);
/* Applies op's handler to its object (READ/MUTATE/ALLOC/COMPUTE) and returns the result; a
 * callback's nested read is applied inline too. The caller must be the only thread touching the
 * objects (every access is local). */
int64_t interp_apply(struct ithread *t, const struct op *op);
/* Runs an access on the calling thread, which may touch op's object: the callback's nested
 * access first (inline if the scheme says it is local, else through the scheme's access hook,
 * which may delegate), then op's own handler. Charges the nested access; op's handler cost is
 * the caller's to charge. */
int64_t interp_handle(struct ithread *t, const struct op *op);
/* The first half of interp_handle: op's callback's nested access alone (nothing without a
 * callback). */
void interp_handle_callback(struct ithread *t, const struct op *op);
/* The nested access a callback makes: a read of one of the issuer's objects. */
struct op interp_callback_op(const struct op *op);
/* Records a state change (deadlock report, timeline). */
void interp_set_state(struct ithread *t, enum thread_state s);
/* Writes the run's timeline as CSV: thread,state,start,end (seconds). */
int interp_write_timeline(struct run *r, FILE *f);

#endif
