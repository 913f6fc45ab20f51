/* Biased reference counting for the free-threading scheme (see ft_refcount.h). Costs: an atomic
 * add on a shared count costs rc_ns when this core wrote its line last, cas_ns when another core
 * did (the line comes over: the contention cost of a shared count); queueing a merge takes the
 * brc bucket's lock (mutex_ns), pushes onto the owner's stack (push_ns) and sets its eval-breaker
 * bit (cas_ns); merging pops (pop_ns) and CASes the shared count (cas_ns) per object, under the
 * bucket lock. */
#include "ft_refcount.h"

#include <stdlib.h>
#include <string.h>

#include "interp.h"
#include "rt.h"

int ft_rc_init(struct ft_rc *rc, const struct run *r, enum ft_rc_mode mode)
{
    const struct params *p = r->p;
    size_t n = (size_t)r->nthreads * (size_t)p->objects;
    rc->mode = mode;
    rc->objects = p->objects;
    rc->last = calloc(n ? n : 1, sizeof *rc->last);
    rc->own = calloc(r->nthreads, sizeof *rc->own);
    if (!rc->last || !rc->own) {
        ft_rc_fini(rc);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        atomic_init(&rc->last[i], (uint32_t)(i / (size_t)p->objects)); /* its creator */
    for (uint32_t i = 0; i < r->nthreads; i++) {
        atomic_init(&rc->own[i].queued, 0);
        atomic_init(&rc->own[i].exited, 0);
    }
    return 0;
}

void ft_rc_fini(struct ft_rc *rc)
{
    free(rc->last);
    free(rc->own);
    rc->last = NULL;
    rc->own = NULL;
}

/* 1 if t's reference count operations on creator's objects are atomic. */
static int atomic_for(const struct ft_rc *rc, const struct ithread *t, uint32_t creator)
{
    return rc->mode == FT_RC_ATOMIC || (rc->mode == FT_RC_BIASED && creator != t->slot);
}

double ft_rc_refs(struct ft_rc *rc, struct ithread *t, uint32_t creator, uint64_t index)
{
    const struct params *p = t->run->p;
    if (!atomic_for(rc, t, creator))
        return 0;
    if (index >= (uint64_t)rc->objects)
        return 2 * p->rc_ns; /* an allocated object: only its creator ever touches it */
    _Atomic uint32_t *last = &rc->last[(size_t)creator * (size_t)rc->objects + index];
    uint32_t prev = atomic_exchange_explicit(last, t->slot, memory_order_relaxed);
    /* the increment fetches the line if another core wrote it; the decrement finds it here */
    return (prev == t->slot ? p->rc_ns : p->cas_ns) + p->rc_ns;
}

int ft_rc_private(struct ft_rc *rc, struct ithread *t, uint32_t creator, uint64_t index)
{
    if (!atomic_for(rc, t, creator))
        return 1;
    if (creator != t->slot)
        return 0;
    return index >= (uint64_t)rc->objects ||
           atomic_load_explicit(&rc->last[(size_t)creator * (size_t)rc->objects + index],
                                memory_order_relaxed) == t->slot;
}

double ft_rc_inline_ns(const struct ft_rc *rc, const struct ithread *t)
{
    return rc->mode == FT_RC_ATOMIC ? 2 * t->run->p->rc_ns : 0;
}

void ft_rc_drop_owned(struct ft_rc *rc, struct ithread *t, uint32_t owner)
{
    const struct params *p = t->run->p;
    if (rc->mode != FT_RC_BIASED || owner == t->slot)
        return;
    struct ft_rc_owner *o = &rc->own[owner];
    /* In the simulator nothing runs between these statements (no simcall), so the owner's
     * exit (exited, then a last merge) cannot slip between the look and the queueing. */
    if (atomic_load_explicit(&o->exited, memory_order_acquire)) {
        rt_execute(p->cas_ns); /* _Py_brc_queue_object: owner gone, merge it here */
        return;
    }
    atomic_fetch_add_explicit(&o->queued, 1, memory_order_release);
    rt_interrupt(t->run->threads[owner].rt); /* _PY_EVAL_EXPLICIT_MERGE_BIT */
    rt_execute(p->mutex_ns + p->push_ns + p->cas_ns);
}

void ft_rc_merge(struct ft_rc *rc, struct ithread *t)
{
    const struct params *p = t->run->p;
    if (rc->mode != FT_RC_BIASED)
        return;
    uint64_t n = atomic_exchange_explicit(&rc->own[t->slot].queued, 0, memory_order_acquire);
    if (!n)
        return;
    rt_execute(p->mutex_ns + (double)n * (p->pop_ns + p->cas_ns));
    t->stats.rc_merges += n;
}

void ft_rc_exit(struct ft_rc *rc, struct ithread *t)
{
    atomic_store_explicit(&rc->own[t->slot].exited, 1, memory_order_release);
    ft_rc_merge(rc, t); /* _Py_brc_remove_thread */
}
