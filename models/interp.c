/* The interpreter model (see interp.h): run setup, object lookup, op costs and handlers, and the
 * batched eval loop. Invariant: a batch's ops are applied only once the thread's (simulated or
 * wall) time has reached their end, so foreign ops served at a check point see exactly the
 * owner's ops before that point. */
#include "interp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "obj_heap.h"
#include "oracle.h"
#include "rt.h"

/* Below this much object memory (all threads' initial objects) nothing is prefetched. */
#define PREFETCH_BYTES (256.0 * 1024)

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "gilsim: out of memory\n");
        abort();
    }
    return p;
}

static void *xrealloc(void *p, size_t size)
{
    p = realloc(p, size);
    if (!p) {
        fprintf(stderr, "gilsim: out of memory\n");
        abort();
    }
    return p;
}

const char *thread_state_name(enum thread_state s)
{
    static const char *const names[TS_COUNT] = { "new",      "running", "waiting", "draining",
                                                 "gil-wait", "io",      "exited" };
    return (unsigned)s < TS_COUNT ? names[s] : "?";
}

/* n objects, zeroed, the array aligned to a cache line (an object is one line, object.h). */
static struct object *objects_alloc(size_t n)
{
    size_t bytes = (n ? n : 1) * sizeof(struct object);
    struct object *o = aligned_alloc(64, bytes); /* bytes is a multiple of 64 */
    if (!o) {
        fprintf(stderr, "gilsim: out of memory\n");
        abort();
    }
    return memset(o, 0, bytes);
}

static enum obj_kind kind_of(uint32_t index) { return (enum obj_kind)(index % OBJ_KIND_COUNT); }

struct run *run_create(const struct params *p, char *err, size_t errlen)
{
    struct run *r = xcalloc(1, sizeof *r);
    r->p = p;
    if (p->trace[0] && wl_trace_load(p->trace, p, &r->trace, err, errlen) != 0) {
        free(r);
        return NULL;
    }
    r->classes = xcalloc(1, sizeof *r->classes);
    if (classes_build(p, r->classes, err, errlen) != 0) {
        free(r->classes);
        wl_trace_free(&r->trace);
        free(r);
        return NULL;
    }
    r->nthreads = (uint32_t)p->threads;
    r->objects = (uint32_t)p->objects;
    /* A few objects that never grow stay in cache: prefetching them only costs (natively ~10
     * ns per access at 2 x 16 objects, half the eval loop's own cost beside the handler). */
    r->prefetch = p->trace[0] ||
                  (double)p->threads * (double)p->objects * sizeof(struct object) > PREFETCH_BYTES;
    r->threads = aligned_alloc(_Alignof(struct ithread), r->nthreads * sizeof *r->threads);
    if (!r->threads) {
        fprintf(stderr, "gilsim: out of memory\n");
        abort();
    }
    memset(r->threads, 0, r->nthreads * sizeof *r->threads);
    int64_t ops = classes_max_ops(r->classes, p);
    size_t cap = ops < INTERP_BATCH_MAX ? (size_t)(ops > 0 ? ops : 1) : INTERP_BATCH_MAX;
    for (uint32_t i = 0; i < r->nthreads; i++) {
        struct ithread *t = &r->threads[i];
        t->run = r;
        t->slot = i;
        t->id = i;
        t->check_every = p->N;
        t->check_ns = 0; /* a scheme that polls at check points sets it (delegate: poll_ns) */
        atomic_init(&t->state, TS_NEW);
        atomic_init(&t->waits_on, -1);
        t->objs = objects_alloc((size_t)p->objects);
        for (uint32_t k = 0; k < p->objects; k++)
            obj_init(&t->objs[k], kind_of(k), t->id);
        t->batch_cap = cap;
        /* Not zeroed: every entry is written before it is read, so a page of these arrays is
         * touched (counted in RSS) only once a batch reaches it. */
        t->batch = xrealloc(NULL, (cap + 1) * sizeof *t->batch);
        t->bobj = xrealloc(NULL, (cap + 1) * sizeof *t->bobj);
        t->prefix = xrealloc(NULL, (cap + 1) * sizeof *t->prefix);
        t->opbase = xrealloc(NULL, (cap + 1) * sizeof *t->opbase);
        t->acc = xrealloc(NULL, cap * sizeof *t->acc);
        t->pending = xrealloc(NULL, (cap + 2) * sizeof *t->pending);
        const struct params *tp = classes_thread_params(r->classes, p, i);
        if (tp->alloc > 0)
            r->prefetch = 1; /* allocations: the objects grow */
        if (wl_stream_init(&t->stream, tp, i, p->trace[0] ? &r->trace : NULL) != 0) {
            snprintf(err, errlen, "out of memory creating random streams");
            run_destroy(r);
            return NULL;
        }
    }
    return r;
}

int run_init_scheme(struct run *r, char *err, size_t errlen)
{
    const struct scheme_ops *s = scheme_of(r->p);
    if (!s) {
        snprintf(err, errlen, "scheme: no scheme registered (schemes_register)");
        return -1;
    }
    if (scheme_validate(s, err, errlen) != 0)
        return -1;
    r->scheme = s;
    if (s->run_init && s->run_init(r) != 0) {
        snprintf(err, errlen, "%s: cannot initialise the scheme", s->name);
        return -1;
    }
    r->scheme_ready = 1;
    return 0;
}

void run_destroy(struct run *r)
{
    if (!r)
        return;
    if (r->scheme_ready && r->scheme->run_fini)
        r->scheme->run_fini(r);
    for (uint32_t i = 0; i < r->nthreads; i++) {
        struct ithread *t = &r->threads[i];
        for (int64_t k = 0; t->objs && k < r->p->objects; k++)
            obj_destroy(&t->objs[k]);
        for (size_t k = 0; k < t->nslots; k++)
            obj_destroy(&t->allocd[k / INTERP_OBJ_CHUNK][k % INTERP_OBJ_CHUNK]);
        for (size_t k = 0; k * INTERP_OBJ_CHUNK < t->nslots; k++)
            obj_heap_free(t->allocd[k], INTERP_OBJ_CHUNK * sizeof **t->allocd);
        free(t->objs);
        free(t->allocd);
        free(t->batch);
        free(t->bobj);
        free(t->prefix);
        free(t->opbase);
        free(t->acc);
        free(t->pending);
        free(t->ahead);
        free(t->tl);
        if (t->stream.rng)
            wl_stream_free(&t->stream);
        stats_free(&t->stats);
    }
    free(r->threads);
    free(r->classes);
    wl_trace_free(&r->trace);
    free(r);
}

int run_generate_ahead(struct run *r, size_t budget, char *err, size_t errlen)
{
    /* Every thread's stream has at most the most ops of any class (a trace's longest thread
     * sets ops) + EXIT. */
    int64_t ops = classes_max_ops(r->classes, r->p);
    size_t per = (size_t)ops + 1;
    if ((double)per * r->nthreads * sizeof(struct op) > (double)budget) {
        snprintf(err, errlen, "%u threads x %lld ops need more than %zu MiB to generate ahead",
                 r->nthreads, (long long)ops, budget >> 20);
        return -1;
    }
    for (uint32_t i = 0; i < r->nthreads; i++) {
        struct ithread *t = &r->threads[i];
        t->ahead = xcalloc(per, sizeof *t->ahead);
        size_t n = 0;
        do
            wl_stream_next(&t->stream, &t->ahead[n]);
        while (t->ahead[n++].code != OP_EXIT && n < per);
        t->nahead = n;
        t->aheadpos = 0;
        t->fetch_aside = 1;
    }
    return 0;
}

double interp_handler_cost(const struct params *p, const struct op *op)
{
    switch (op->code) {
    case OP_READ:
    case OP_MUTATE: return p->handler_ns + op->miss_ns;
    case OP_ALLOC: return p->alloc_ns;
    default: return 0;
    }
}

double interp_op_cost(const struct params *p, const struct op *op)
{
    double nested = op->callback ? p->handler_ns : 0;
    return op->cost_ns + interp_handler_cost(p, op) + nested;
}

struct op interp_callback_op(const struct op *op)
{
    struct op n = { .code = OP_READ, .thread = op->issuer, .index = op->cb_index,
                    .arg = op->arg, .issuer = op->issuer };
    return n;
}

/* Creates the thread's next allocation in its slot (op.h), in chunks of INTERP_OBJ_CHUNK
 * objects (one malloc per chunk; an object never moves). The allocation recycled there,
 * which no op can name any more, leaves its final state and reads in t->retired, and what
 * was issued to it in t->retired_due. */
static void create_object(struct ithread *t, const struct op *op)
{
    size_t slot = (size_t)(op->index - (uint32_t)t->run->p->objects);
    size_t k = slot % INTERP_OBJ_CHUNK, c = slot / INTERP_OBJ_CHUNK;
    if (slot < t->nslots) {
        struct object *o = &t->allocd[c][k];
        t->retired += obj_applied(o);
        t->retired_due += atomic_load_explicit(&o->due, memory_order_relaxed);
        obj_destroy(o);
    } else {
        if (k == 0) {
            if (c == t->capallocd) {
                t->capallocd = t->capallocd ? 2 * t->capallocd : 16;
                t->allocd = xrealloc(t->allocd, t->capallocd * sizeof *t->allocd);
            }
            t->allocd[c] = obj_heap_alloc(INTERP_OBJ_CHUNK * sizeof **t->allocd, 1);
        }
        t->nslots++;
    }
    obj_init(&t->allocd[c][k], kind_of(op->index), t->id);
    t->nallocd++;
}

/* The op's own handler, without its callback. */
static inline int64_t apply_main(struct ithread *t, const struct op *op)
{
    switch (op->code) {
    case OP_READ: return obj_apply(interp_object(t->run, op->thread, op->index), OBJ_READ, op->arg);
    case OP_MUTATE:
        return obj_apply(interp_object(t->run, op->thread, op->index), OBJ_MUTATE, op->arg);
    case OP_ALLOC: create_object(t, op); return (int64_t)op->index;
    default: return 0;
    }
}

/* The handler of an access (OP_READ, OP_MUTATE) on its object obj, looked up already, its
 * callback's nested read first: what interp_apply does with an access. */
static inline int64_t apply_access(struct ithread *t, const struct op *op, struct object *obj)
{
    if (op->callback)
        obj_apply(interp_object(t->run, op->issuer, op->cb_index), OBJ_READ, op->arg);
    return obj_apply(obj, op->code == OP_READ ? OBJ_READ : OBJ_MUTATE, op->arg);
}

int64_t interp_apply(struct ithread *t, const struct op *op)
{
    if (op->callback) {
        struct op n = interp_callback_op(op);
        apply_main(t, &n);
    }
    return apply_main(t, op);
}

void interp_handle_callback(struct ithread *t, const struct op *op)
{
    if (!op->callback)
        return;
    const struct params *p = t->run->p;
    struct op n = interp_callback_op(op);
    if (t->run->scheme->is_local(t, &n)) {
        rt_execute(t->access_ns + p->handler_ns);
        apply_main(t, &n);
    } else {
        t->run->scheme->access(t, &n);
    }
}

int64_t interp_handle(struct ithread *t, const struct op *op)
{
    interp_handle_callback(t, op);
    return apply_main(t, op);
}

void interp_set_state(struct ithread *t, enum thread_state s)
{
    int prev = atomic_exchange(&t->state, s);
    if (prev == TS_GIL_WAIT && s != TS_GIL_WAIT)
        t->stats.lock_wait_ns += rt_now() - t->lock_wait_since;
    else if (s == TS_GIL_WAIT && prev != TS_GIL_WAIT)
        t->lock_wait_since = rt_now();
    if (!t->run->timeline)
        return;
    if (t->ntl == t->captl) {
        t->captl = t->captl ? 2 * t->captl : 64;
        t->tl = xrealloc(t->tl, t->captl * sizeof *t->tl);
    }
    t->tl[t->ntl++] = (struct tl_event){ .start_ns = rt_now(), .state = s };
}

int interp_write_timeline(struct run *r, FILE *f)
{
    fprintf(f, "thread,state,start,end\n");
    for (uint32_t i = 0; i < r->nthreads; i++) {
        struct ithread *t = &r->threads[i];
        for (size_t k = 0; k < t->ntl; k++) {
            if (t->tl[k].state == TS_EXITED)
                break;
            /* An unfinished thread's last interval ends when the run ended. */
            double end = k + 1 < t->ntl ? t->tl[k + 1].start_ns : rt_now();
            if (end > t->tl[k].start_ns)
                fprintf(f, "%u,%s,%.10g,%.10g\n", i, thread_state_name(t->tl[k].state),
                        t->tl[k].start_ns * 1e-9, end * 1e-9);
        }
    }
    return ferror(f) ? -1 : 0;
}

/* Prefetches both ends of object o's lines with intent to write (a hint: changes nothing). A
 * macro, not a function: GCC drops a call to a function whose only effect is a prefetch. */
#define PREFETCH_OBJECT(o)                                                                   \
    do {                                                                                     \
        __builtin_prefetch((o), 1);                                                          \
        __builtin_prefetch((const char *)(o) + sizeof *(o) - 1, 1);                          \
    } while (0)

/* Stream ops ahead of the one taken whose object is prefetched: an access names one object
 * among thousands, rarely in cache, and oracle_issue touches it as soon as the op is taken.
 * As far ahead as the stream holds (6, 12 and 15 measured: the farther the better). */
#define PREFETCH_AHEAD 15
_Static_assert(PREFETCH_AHEAD < WL_LOOKAHEAD, "the stream holds the op to prefetch");

/* The object of the op PREFETCH_AHEAD further on in the thread's stream, when it is an
 * access to an object that exists (an allocation not made yet has no memory to fetch;
 * another thread's op names only objects made at thread start); else NULL. */
static inline const struct object *object_ahead(const struct ithread *t)
{
    const struct op *a = wl_stream_peek(&t->stream, PREFETCH_AHEAD);
    if (!a || !op_is_access(a))
        return NULL;
    const struct run *r = t->run;
    const struct ithread *c = &r->threads[a->thread];
    if (a->index < r->objects)
        return &c->objs[a->index];
    uint32_t k = a->index - r->objects;
    if (a->thread != t->slot || k >= t->nslots)
        return NULL; /* not allocated yet */
    return &c->allocd[k / INTERP_OBJ_CHUNK][k % INTERP_OBJ_CHUNK];
}

/* fetch() where the op comes from elsewhere than the stream's ring (t->fetch_aside): handed
 * back by a batch cut, or generated ahead. */
static __attribute__((noinline)) struct object *fetch_slow(struct ithread *t, struct op *op)
{
    if (t->npending) {
        *op = t->pending[t->pendhead++];
        if (--t->npending == 0) {
            t->pendhead = 0;
            t->fetch_aside = t->ahead != NULL;
        }
        return op_is_access(op) ? interp_object(t->run, op->thread, op->index) : NULL;
    }
    /* Else the stream was generated ahead. */
    *op = t->ahead[t->aheadpos]; /* the last one is EXIT, which repeats like the stream's */
    if (t->aheadpos + 1 < t->nahead)
        t->aheadpos++;
    if (t->took_exit)
        return NULL; /* op is OP_EXIT */
    return oracle_issue(t, op);
}

/* The thread's next op: one handed back by a batch cut, else the stream's next. Returns its
 * object if it is an access, else NULL. */
static inline struct object *fetch(struct ithread *t, struct op *op)
{
    if (__builtin_expect(t->fetch_aside, 0))
        return fetch_slow(t, op);
    wl_stream_next(&t->stream, op);
    const struct object *o = object_ahead(t);
    if (o)
        PREFETCH_OBJECT(o);
    return oracle_issue(t, op); /* past the end, an OP_EXIT again: it records nothing */
}

/* 1 if the opcode that brings the thread's count to `count` ends at a check point. */
static int is_check_point(const struct ithread *t, int64_t count)
{
    return t->check_every == 1 || count % t->check_every == 0;
}

/* Called after each opcode is complete: at a check point with an interrupt pending, the scheme
 * looks (elided otherwise: see scheme.h). */
static void at_check_point(struct ithread *t)
{
    if (rt_interrupted()) {
        rt_clear_interrupt();
        if (t->run->scheme->check)
            t->run->scheme->check(t);
    }
}

/* 1 if the nested access of op's callback is local (so op, itself local, can run inline). */
static int callback_local(struct ithread *t, const struct op *op)
{
    struct op n = interp_callback_op(op);
    return t->run->scheme->is_local(t, &n);
}

/* Cost of the first m opcodes of a compute run whose opcodes cost `opcost` each, the run
 * starting after the thread's opcode `count`: the opcodes plus the check points among them. For
 * m = 1 this is exactly the cost of a lone opcode, so a run costs what its opcodes cost. */
static double run_cost(const struct ithread *t, double opcost, int64_t count, int64_t m)
{
    int64_t every = t->batch_every;
    int64_t checks = every == 1 ? m : (count + m) / every - count / every;
    return (double)m * opcost + (double)checks * t->batch_check_ns;
}

/* Fills t->batch with the next ops the thread can run inline, at most `limit` opcodes (0: no
 * limit; a compute run is split there); returns how many entries. *stopped is set when it
 * stopped early for a pending interrupt (the next op may be inline: it is batched next).
 * An entry costs exactly what run_cost() and the per-op terms say; the check points among the
 * opcodes are counted incrementally (opcodes since the last one), not by dividing. */
static size_t build_batch(struct ithread *t, int64_t limit, int *stopped)
{
    const struct params *p = t->run->p;
    const struct scheme_ops *s = t->run->scheme;
    struct op *batch = t->batch;
    struct object **bobj = t->bobj;
    double *prefix = t->prefix;
    int64_t *opbase = t->opbase;
    const size_t cap = t->batch_cap;
    const int64_t lim = limit > 0 ? limit : INT64_MAX, every = t->check_every;
    const double check_ns = t->check_ns, access_ns = t->access_ns, read_ns = t->read_ns;
    const double entry_ns = t->run->loop_entry_ns;
    const double handler_ns = p->handler_ns, alloc_ns = p->alloc_ns;
    uint16_t *acc = t->acc;
    size_t n = 0, nacc = 0;
    int64_t ops = 0;
    int64_t since = every > 1 ? t->opcount % every : 0; /* opcodes since the last check point */
    double at = 0; /* prefix[n] */
    t->batch_start = t->opcount;
    t->batch_every = every;
    t->batch_check_ns = check_ns;
    prefix[0] = 0;
    opbase[0] = 0;
    /* The lookahead is looked at in the batch's next place: an op taken goes there directly
     * (batch has batch_cap + 1 places), and what is left after the batch goes back to next. */
    batch[0] = t->next;
    bobj[0] = t->next_obj;
    while (n < cap && ops < lim) {
        const struct op *op = &batch[n];
        _Static_assert(OP_EXIT > OP_IO && OP_IO > OP_ALLOC && OP_ALLOC > OP_MUTATE &&
                           OP_MUTATE > OP_READ && OP_READ > OP_COMPUTE,
                       "the kinds a batch holds come first");
        if (op->code >= OP_IO)
            break; /* I/O and the end are not batched */
        /* An interrupt pending while the batch is built (natively: building 1024 entries
         * takes tens of us, all deaf to it) ends the batch, so that it is seen at the next check
         * point as the model says. In the simulator building takes no time: it changes only
         * how the work up to that check point is cut into executions, not when anything
         * happens (rows unchanged). */
        if ((n & 15) == 15 && rt_interrupted()) {
            *stopped = 1;
            break;
        }
        /* One branch on the op's kind; each case costs the entry as interp_op_cost() and the
         * scheme's terms say, the same sums in the same order. */
        double cost;
        int64_t k = 1, span = 1;
        if (op->code == OP_COMPUTE) {
            span = (int64_t)op->span + (op->span == 0); /* op_span() */
            k = span < lim - ops ? span : lim - ops;
            /* Check points among the run's k opcodes (every one when every == 1). */
            int64_t checks = k;
            if (every > 1) {
                since += k;
                checks = 0;
                if (since >= every) {
                    checks = since / every;
                    since %= every;
                }
            }
            double nested = op->callback ? handler_ns : 0;
            double opcost = op->cost_ns + 0.0 + nested; /* interp_op_cost(): no handler */
            cost = (double)k * opcost + (double)checks * check_ns; /* run_cost() */
        } else if (op->code == OP_READ || op->code == OP_MUTATE) {
            if (!s->is_local(t, op) || (op->callback && !callback_local(t, op)))
                break;
            int check = every <= 1 || ++since == every;
            since = check ? 0 : since;
            double nested = op->callback ? handler_ns : 0;
            cost = op->cost_ns + (handler_ns + op->miss_ns) + nested; /* interp_op_cost() */
            cost += op->callback ? 2 * access_ns : op->code == OP_READ ? read_ns : access_ns;
            if (check)
                cost += check_ns;
            acc[nacc++] = (uint16_t)n;
        } else { /* OP_ALLOC */
            int check = every <= 1 || ++since == every;
            since = check ? 0 : since;
            double nested = op->callback ? handler_ns : 0;
            cost = op->cost_ns + alloc_ns + nested; /* interp_op_cost() */
            if (check)
                cost += check_ns;
            /* An allocation is created as soon as it is batched, so later ops of the batch
             * can name it; no other thread can reach an object before its creator hands it
             * out. */
            if (op->index == op_alloc_index(p->objects, t->nallocd))
                create_object(t, op);
        }
        if (__builtin_expect(k < span, 0)) {
            /* The limit cuts a compute run: its rest stays the lookahead. */
            batch[n + 1] = batch[n];
            batch[n].span = (uint32_t)k;
            batch[n + 1].span -= (uint32_t)k;
            bobj[n + 1] = NULL;
        } else {
            bobj[n + 1] = fetch(t, &batch[n + 1]);
        }
        /* Natively the loop's own work on this entry plays part of its cost (0 simulated). */
        cost = cost > entry_ns ? cost - entry_ns : 0;
        at += cost;
        ops += k;
        prefix[n + 1] = at;
        opbase[n + 1] = ops;
        n++;
    }
    t->next = batch[n];
    t->next_obj = bobj[n];
    t->batch_ops = ops;
    t->nacc = nacc;
    t->acc_done = 0;
    return n;
}

/* Accesses ahead of the one applied whose object is prefetched, and half as far ahead its
 * state (the object's lines being in by then): other threads ran while the batch did, so its
 * objects have mostly left the cache (the batch's ops stay local until it is cut, so reading
 * their objects early is as safe as applying them). */
#define APPLY_AHEAD 16

/* Prefetches the state beyond object o that access a will touch (a hint: changes nothing). */
static inline void prefetch_state(const struct op *a, const struct object *o)
{
    const void *at = obj_state_at(o, a->code == OP_READ ? OBJ_READ : OBJ_MUTATE, a->arg);
    if (at)
        __builtin_prefetch(at, 1);
}

/* Completes the batch's opcodes up to `through` (counted from the batch start), `from` entries
 * and `part` opcodes of the next being complete already: applies the accesses among the
 * entries that end by then (allocations were done when batched; compute runs change nothing)
 * and counts the opcodes. */
static void complete_through(struct ithread *t, size_t from, int64_t part, size_t n,
                             int64_t through)
{
    size_t end = n; /* entries complete by then */
    if (through < t->opbase[n])
        for (end = from; t->opbase[end + 1] <= through; end++)
            ;
    const int prefetch = t->run->prefetch;
    const uint16_t *acc = t->acc;
    const struct op *batch = t->batch;
    struct object *const *bobj = t->bobj;
    const size_t nacc = t->nacc;
    size_t j = t->acc_done;
    /* While the prefetches' accesses are in the batch, then without them. */
    for (; prefetch && j + APPLY_AHEAD < nacc && acc[j] < end; j++) {
        PREFETCH_OBJECT(bobj[acc[j + APPLY_AHEAD]]);
        prefetch_state(&batch[acc[j + APPLY_AHEAD / 2]], bobj[acc[j + APPLY_AHEAD / 2]]);
        apply_access(t, &batch[acc[j]], bobj[acc[j]]);
    }
    for (; j < nacc && acc[j] < end; j++) {
        if (prefetch && j + APPLY_AHEAD / 2 < nacc)
            prefetch_state(&batch[acc[j + APPLY_AHEAD / 2]], bobj[acc[j + APPLY_AHEAD / 2]]);
        apply_access(t, &batch[acc[j]], bobj[acc[j]]);
    }
    t->acc_done = j;
    int64_t k = through - (t->opbase[from] + part);
    t->opcount += k;
    t->stats.ops += (uint64_t)k;
}

/* Hands the batch from entry `from` (less its first `part` opcodes) and the lookahead back, to
 * be looked at again, ahead of the ops still pending from an earlier cut (a batch that stopped
 * at a foreign access leaves some there). They fit: the batch, the lookahead and the rest came
 * from at most batch_cap + 1 pending ops plus the old lookahead, and from >= 1 unless a compute
 * run was split (part > 0), which adds one: pending has batch_cap + 2 places. */
static void hand_back(struct ithread *t, size_t from, int64_t part, size_t n)
{
    struct op *buf = t->pending;
    size_t k = n - from + 1, rest = t->npending;
    memmove(buf + k, buf + t->pendhead, rest * sizeof *buf);
    for (size_t i = from; i < n; i++)
        buf[i - from] = t->batch[i];
    if (part > 0)
        buf[0].span -= (uint32_t)part;
    buf[k - 1] = t->next;
    t->pendhead = 0;
    t->npending = k + rest;
    t->fetch_aside = 1;
    t->next_obj = fetch(t, &t->next);
}

/* Batch position at which the first m opcodes of entry j end. */
static double entry_end(const struct ithread *t, size_t j, int64_t m)
{
    if (m >= op_span(&t->batch[j]))
        return t->prefix[j + 1];
    double end = t->prefix[j] + run_cost(t, interp_op_cost(t->run->p, &t->batch[j]),
                                         t->batch_start + t->opbase[j], m);
    /* Natively the entry is short of its opcodes' cost by loop_entry_ns: its last opcodes end
     * with it. */
    return t->run->loop_entry_ns > 0 && end > t->prefix[j + 1] ? t->prefix[j + 1] : end;
}

/* The first of entry j's opcodes from `from` on whose end is >= pos (its last if none): a
 * bisection, over a few opcodes around the guess that a run's opcodes cost the same when the
 * guess brackets the answer (entry_end is non-decreasing in m, so the answer is the same as
 * over the whole run), else over the whole run. */
static int64_t first_ending_by(const struct ithread *t, size_t j, int64_t from, double pos)
{
    int64_t lo = from, hi = op_span(&t->batch[j]);
    double per = interp_op_cost(t->run->p, &t->batch[j]) +
                 t->batch_check_ns / (double)t->batch_every;
    double guess = per > 0 ? (pos - t->prefix[j]) / per : -1;
    if (hi - lo > 8 && guess >= (double)lo && guess <= (double)hi) {
        int64_t g = (int64_t)guess, glo = g - 2 > lo ? g - 2 : lo, ghi = g + 2 < hi ? g + 2 : hi;
        if ((glo == lo || entry_end(t, j, glo - 1) < pos) &&
            (ghi == hi || entry_end(t, j, ghi) >= pos)) {
            lo = glo;
            hi = ghi;
        }
    }
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (entry_end(t, j, mid) >= pos)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Runs uninterruptible CPU work of `ns`, tolerating interrupts (they stay pending); `charged`:
 * once interrupted, what is left is a charge (scheme_ops.batch_rest_charged). */
static void work_through(double ns, int charged)
{
    while (ns > 0) {
        if (rt_interrupted()) {
            if (charged)
                rt_charge(ns);
            else
                rt_execute(ns);
            return;
        }
        ns -= rt_work(ns);
    }
}

/* Runs batch[0..n): one rt_work when nothing interrupts; on an interrupt, runs on to the next
 * check point inside the batch (inside a compute run if it falls there), applies the ops done,
 * lets the scheme look, and goes on. Returns 1 if the scheme cut the batch (the rest was handed
 * back), else 0. */
static int run_batch(struct ithread *t, size_t n)
{
    size_t done = 0;  /* entries complete */
    int64_t part = 0; /* opcodes of batch[done] complete (a run stopped at a check point) */
    double at = 0;    /* batch position reached */
    while (done < n) {
        double left = t->prefix[n] - at;
        double w = rt_work(left);
        if (w >= left) {
            complete_through(t, done, part, n, t->opbase[n]);
            return 0;
        }
        /* Interrupted at position pos: the entry in progress is the first whose end is >= pos,
         * and inside it the first opcode whose end is >= pos. */
        double pos = at + w;
        size_t lo = done, hi = n - 1;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (t->prefix[mid + 1] >= pos)
                hi = mid;
            else
                lo = mid + 1;
        }
        int64_t mlo = first_ending_by(t, lo, lo == done ? part + 1 : 1, pos);
        /* The next check point at or after that opcode, counted from the batch start. */
        int64_t count = t->batch_start + t->opbase[lo] + mlo; /* count after that opcode */
        int64_t every = t->check_every;
        int64_t check = ((count + every - 1) / every) * every - t->batch_start;
        if (check > t->opbase[n]) {
            /* No check point left in this batch: finish it; the interrupt stays pending. */
            work_through(t->prefix[n] - pos, t->run->scheme->batch_rest_charged);
            complete_through(t, done, part, n, t->opbase[n]);
            return 0;
        }
        /* The entry holding that opcode. */
        size_t j = lo;
        hi = n - 1;
        while (j < hi) {
            size_t mid = j + (hi - j) / 2;
            if (t->opbase[mid + 1] >= check)
                hi = mid;
            else
                j = mid + 1;
        }
        int64_t mj = check - t->opbase[j];
        double end = entry_end(t, j, mj);
        work_through(end - pos, 0);
        complete_through(t, done, part, n, check);
        if (mj >= op_span(&t->batch[j])) {
            done = j + 1;
            part = 0;
        } else {
            done = j;
            part = mj;
        }
        at = end;
        at_check_point(t);
        if (t->batch_cut) {
            /* The scheme changed what is local (e.g. an object migrated away): look again. */
            t->batch_cut = 0;
            hand_back(t, done, part, n);
            return 1;
        }
    }
    return 0;
}

/* Completes one opcode run outside a batch (an access through the scheme, or I/O). */
static void finish_opcode(struct ithread *t)
{
    t->opcount++;
    t->stats.ops++;
    if (is_check_point(t, t->opcount)) {
        rt_execute(t->check_ns);
        at_check_point(t);
    }
    t->batch_cut = 0; /* the next batch is built afresh anyway */
}

static void do_io(struct ithread *t, const struct op *op)
{
    const struct scheme_ops *s = t->run->scheme;
    if (s->io_enter)
        s->io_enter(t);
    interp_set_state(t, TS_IO);
    rt_sleep(op->cost_ns);
    double back = rt_now();
    interp_set_state(t, TS_RUNNING);
    if (s->io_leave)
        s->io_leave(t);
    t->stats.ios++;
    t->stats.io_wait_ns += rt_now() - back;
}

void interp_thread_main(void *arg)
{
    struct ithread *t = arg;
    const struct scheme_ops *s = t->run->scheme;
    t->start_ns = rt_now();
    interp_set_state(t, TS_RUNNING);
    if (s->thread_start)
        s->thread_start(t);
    t->next_obj = fetch(t, &t->next);
    for (;;) {
        int64_t horizon = s->horizon ? s->horizon(t) : 0;
        int stopped = 0;
        size_t n = build_batch(t, horizon, &stopped);
        if (n && run_batch(t, n))
            continue; /* cut: the rest of the batch is looked at again */
        if (horizon > 0 && t->batch_ops == horizon) {
            /* The scheme must look now, whatever happened (e.g. a tick count ran out). */
            rt_clear_interrupt();
            if (s->check)
                s->check(t);
            continue;
        }
        if (t->next.code == OP_EXIT)
            break;
        if (n == t->batch_cap || stopped)
            continue; /* batch full or stopped: the next op has not been looked at */
        struct op op = t->next;
        t->next_obj = fetch(t, &t->next);
        if (op.code == OP_IO)
            do_io(t, &op);
        else
            s->access(t, &op);
        finish_opcode(t);
    }
    if (s->thread_exit)
        s->thread_exit(t);
    t->end_ns = rt_now();
    t->stats.life_ns = t->end_ns - t->start_ns;
    interp_set_state(t, TS_EXITED);
}
