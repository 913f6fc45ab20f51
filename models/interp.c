/* The interpreter model (see interp.h): run setup, object lookup, op costs and handlers, and the
 * batched eval loop. Invariant: a batch's ops are applied only once the thread's (simulated or
 * wall) time has reached their end, so foreign ops served at a drain point see exactly the
 * owner's ops before that point. */
#include "interp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt.h"

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "gilsim: out of memory\n");
        abort();
    }
    return p;
}

static enum obj_kind kind_of(uint32_t index) { return (enum obj_kind)(index % OBJ_KIND_COUNT); }

struct run *run_create(const struct params *p, char *err, size_t errlen)
{
    struct run *r = xcalloc(1, sizeof *r);
    r->p = p;
    r->nthreads = (uint32_t)p->threads;
    r->threads = xcalloc(r->nthreads, sizeof *r->threads);
    size_t cap = p->ops < INTERP_BATCH_MAX ? (size_t)p->ops : INTERP_BATCH_MAX;
    for (uint32_t i = 0; i < r->nthreads; i++) {
        struct ithread *t = &r->threads[i];
        t->run = r;
        t->slot = i;
        t->gen = 1;
        t->id = owner_id(i, t->gen);
        atomic_init(&t->state, TS_NEW);
        atomic_init(&t->waits_on, -1);
        t->objs = xcalloc((size_t)p->objects, sizeof *t->objs);
        for (uint32_t k = 0; k < p->objects; k++)
            obj_init(&t->objs[k], kind_of(k), t->id);
        t->batch_cap = cap;
        t->batch = xcalloc(cap, sizeof *t->batch);
        t->prefix = xcalloc(cap + 1, sizeof *t->prefix);
        if (wl_stream_init(&t->stream, p, i) != 0) {
            snprintf(err, errlen, "out of memory creating random streams");
            run_destroy(r);
            return NULL;
        }
    }
    return r;
}

int run_init_scheme(struct run *r, char *err, size_t errlen)
{
    const struct scheme_ops *s = scheme_find(r->p->scheme);
    if (!s) {
        snprintf(err, errlen, "scheme: '%s' unknown", r->p->scheme);
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
        for (size_t k = 0; k < t->nallocd; k++) {
            obj_destroy(t->allocd[k]);
            free(t->allocd[k]);
        }
        free(t->objs);
        free(t->allocd);
        free(t->batch);
        free(t->prefix);
        if (t->stream.rng)
            wl_stream_free(&t->stream);
        stats_free(&t->stats);
    }
    free(r->threads);
    free(r);
}

struct object *interp_object(struct run *r, uint32_t thread, uint32_t index)
{
    struct ithread *c = &r->threads[thread];
    if (index < r->p->objects)
        return &c->objs[index];
    return c->allocd[index - r->p->objects];
}

double interp_handler_cost(const struct params *p, const struct op *op)
{
    switch (op->code) {
    case OP_READ:
    case OP_MUTATE: return p->handler_ns;
    case OP_ALLOC: return p->alloc_ns;
    default: return 0;
    }
}

double interp_op_cost(const struct params *p, const struct op *op)
{
    return op->cost_ns + (op_is_access(op) ? p->check_ns : 0) + interp_handler_cost(p, op);
}

int64_t interp_apply(struct ithread *t, const struct op *op)
{
    switch (op->code) {
    case OP_READ: return obj_apply(interp_object(t->run, op->thread, op->index), OBJ_READ, op->arg);
    case OP_MUTATE:
        return obj_apply(interp_object(t->run, op->thread, op->index), OBJ_MUTATE, op->arg);
    case OP_ALLOC: {
        if (t->nallocd == t->capallocd) {
            size_t cap = t->capallocd ? 2 * t->capallocd : 16;
            struct object **a = realloc(t->allocd, cap * sizeof *a);
            if (!a) {
                fprintf(stderr, "gilsim: out of memory allocating objects\n");
                abort();
            }
            t->allocd = a;
            t->capallocd = cap;
        }
        struct object *o = xcalloc(1, sizeof *o);
        obj_init(o, kind_of(op->index), t->id);
        t->allocd[t->nallocd++] = o;
        return (int64_t)op->index;
    }
    default: return 0;
    }
}

/* 1 if the opcode that brings the thread's count to `count` ends at a drain point. */
static int is_drain_point(const struct params *p, int64_t count) { return count % p->N == 0; }

/* Called after each opcode is complete: at a drain point with an interrupt pending, the scheme
 * looks (elided otherwise: see scheme.h). */
static void at_drain_point(struct ithread *t)
{
    if (rt_interrupted()) {
        rt_clear_interrupt();
        if (t->run->scheme->check)
            t->run->scheme->check(t);
    }
}

/* Fills t->batch with the next ops the thread can run inline; returns how many. */
static size_t build_batch(struct ithread *t)
{
    const struct params *p = t->run->p;
    const struct scheme_ops *s = t->run->scheme;
    size_t n = 0;
    t->prefix[0] = 0;
    while (n < t->batch_cap && t->next.code != OP_EXIT) {
        if (op_is_access(&t->next) && !s->is_local(t, &t->next))
            break;
        double cost = interp_op_cost(p, &t->next);
        if (is_drain_point(p, t->opcount + (int64_t)n + 1))
            cost += p->poll_ns;
        /* An allocation is created as soon as it is batched, so later ops of the batch can
         * name it; no other thread can reach an object before its creator hands it out. */
        if (t->next.code == OP_ALLOC)
            interp_apply(t, &t->next);
        t->batch[n] = t->next;
        t->prefix[n + 1] = t->prefix[n] + cost;
        n++;
        wl_stream_next(&t->stream, &t->next);
    }
    return n;
}

/* Applies batch[from..to) (allocations were done when batched) and counts them. */
static void apply_range(struct ithread *t, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (t->batch[i].code != OP_ALLOC)
            interp_apply(t, &t->batch[i]);
    t->opcount += (int64_t)(to - from);
    t->stats.ops += to - from;
}

/* Runs uninterruptible CPU work of `ns`, tolerating interrupts (they stay pending). */
static void work_through(double ns)
{
    while (ns > 0) {
        if (rt_interrupted()) {
            rt_execute(ns);
            return;
        }
        ns -= rt_work(ns);
    }
}

/* Runs batch[0..n): one rt_work when nothing interrupts; on an interrupt, runs on to the next
 * drain point inside the batch, applies the ops done, lets the scheme look, and goes on. */
static void run_batch(struct ithread *t, size_t n)
{
    const struct params *p = t->run->p;
    size_t done = 0;
    while (done < n) {
        double left = t->prefix[n] - t->prefix[done];
        double w = rt_work(left);
        if (w >= left) {
            apply_range(t, done, n);
            return;
        }
        /* Interrupted at position pos: the op in progress is the first whose end is >= pos. */
        double pos = t->prefix[done] + w;
        size_t lo = done, hi = n - 1;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (t->prefix[mid + 1] >= pos)
                hi = mid;
            else
                lo = mid + 1;
        }
        /* The next drain point at or after that op. */
        int64_t count = t->opcount - (int64_t)done + (int64_t)lo + 1; /* count after op lo */
        int64_t drain = ((count + p->N - 1) / p->N) * p->N;
        size_t j = lo + (size_t)(drain - count);
        if (j >= n) {
            /* No drain point left in this batch: finish it; the interrupt stays pending. */
            work_through(t->prefix[n] - pos);
            apply_range(t, done, n);
            return;
        }
        work_through(t->prefix[j + 1] - pos);
        apply_range(t, done, j + 1);
        done = j + 1;
        at_drain_point(t);
    }
}

/* Completes one opcode run outside a batch (by the scheme's access hook). */
static void finish_opcode(struct ithread *t)
{
    const struct params *p = t->run->p;
    t->opcount++;
    t->stats.ops++;
    if (is_drain_point(p, t->opcount)) {
        rt_execute(p->poll_ns);
        at_drain_point(t);
    }
}

void interp_thread_main(void *arg)
{
    struct ithread *t = arg;
    const struct scheme_ops *s = t->run->scheme;
    t->start_ns = rt_now();
    atomic_store(&t->state, TS_RUNNING);
    if (s->thread_start)
        s->thread_start(t);
    wl_stream_next(&t->stream, &t->next);
    for (;;) {
        size_t n = build_batch(t);
        if (n)
            run_batch(t, n);
        if (t->next.code == OP_EXIT)
            break;
        if (n == t->batch_cap)
            continue; /* batch full: the next op has not been looked at */
        struct op op = t->next;
        wl_stream_next(&t->stream, &t->next);
        s->access(t, &op);
        finish_opcode(t);
    }
    if (s->thread_exit)
        s->thread_exit(t);
    t->end_ns = rt_now();
    atomic_store(&t->state, TS_EXITED);
}
