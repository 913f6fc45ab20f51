/* The lock primitive, condition variable, per-thread state and ticker shared by the GIL schemes
 * (see gil_lock.h for what each models and its sources). Costs: a release charges mutex_ns (the
 * lock/unlock pair around the flag) plus signal_ns when a waiter is there to signal; a wait
 * charges wake_ns of latency (no core) after every wake-up, signalled or timed out; the timeout
 * itself (the OS timer) costs nothing.
 * Invariant: a waiter is in its gil_cv's FIFO exactly while its `woken` is 0, and only a thread
 * holding the wait's mutex takes it out (a signaller, or the waiter itself when it times out),
 * so a signal and a timeout of the same wait cannot both take effect. */
#include "gil_lock.h"

#include <stdlib.h>

/* ---- per-thread state and the hooks every GIL scheme shares -------------------------------- */

struct gil_thread *gil_threads_new(struct run *r)
{
    struct gil_thread *th = calloc(r->nthreads ? r->nthreads : 1, sizeof *th);
    if (!th)
        return NULL;
    for (uint32_t i = 0; i < r->nthreads; i++) {
        atomic_init(&th[i].breaker, 0u);
        th[i].cv = rt_cond_new();
        r->threads[i].sched = &th[i];
    }
    return th;
}

void gil_threads_free(struct run *r, struct gil_thread *th)
{
    for (uint32_t i = 0; i < r->nthreads; i++) {
        if (th[i].cv)
            rt_cond_free(th[i].cv);
        r->threads[i].sched = NULL;
    }
    free(th);
}

int gil_is_local(struct ithread *t, const struct op *op)
{
    (void)op;
    return gil_of(t)->holds;
}

/* Not reached through the eval loop: a thread runs opcodes only while it holds the GIL, and then
 * every access is local. Runs the op inline, as the holder would. */
void gil_access(struct ithread *t, const struct op *op)
{
    rt_execute(interp_op_cost(t->run->p, op));
    interp_apply(t, op);
}

void gil_no_check_cost(struct ithread *t) { t->check_ns = 0; }

/* ---- condition variable ------------------------------------------------------------------ */

static void cv_unlink(struct gil_cv *cv, struct gil_thread *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        cv->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        cv->tail = w->prev;
    w->prev = w->next = NULL;
}

int gil_cv_wait(struct ithread *t, struct gil_cv *cv, struct rt_mutex *m, double timeout_ns)
{
    struct gil_thread *w = gil_of(t);
    w->woken = 0;
    w->next = NULL;
    w->prev = cv->tail;
    if (cv->tail)
        cv->tail->next = w;
    else
        cv->head = w;
    cv->tail = w;
    t->stats.parks++;
    if (timeout_ns > 0) {
        double end = rt_now() + timeout_ns;
        while (!w->woken) {
            double left = end - rt_now();
            /* Timed out with no signal in the meantime (a signal taken at the same instant
             * unlinked the waiter and set woken first: it wins). */
            if ((left <= 0 || rt_cond_timedwait(w->cv, m, left)) && !w->woken) {
                cv_unlink(cv, w);
                w->woken = 2;
            }
        }
    } else {
        while (!w->woken)
            rt_cond_wait(w->cv, m);
    }
    int timed_out = w->woken == 2;
    /* Woken (or timed out): the thread runs, and re-takes the mutex, only after the OS has
     * scheduled it. */
    rt_mutex_unlock(m);
    rt_woken();
    rt_mutex_lock(m);
    return timed_out;
}

int gil_cv_signal(struct gil_cv *cv)
{
    struct gil_thread *w = cv->head;
    if (!w)
        return 0;
    cv_unlink(cv, w);
    w->woken = 1;
    rt_cond_signal(w->cv);
    return 1;
}

/* ---- the lock ---------------------------------------------------------------------------- */

int gil_lock_init(struct gil_lock *l, int locked)
{
    l->mu = rt_mutex_new();
    l->cv.head = l->cv.tail = NULL;
    l->locked = locked;
    l->holder = -1;
    l->last = -1;
    l->waiters = 0;
    return l->mu ? 0 : -1;
}

void gil_lock_fini(struct gil_lock *l)
{
    if (l->mu)
        rt_mutex_free(l->mu);
    l->mu = NULL;
}

int gil_lock_release(struct ithread *t, struct gil_lock *l)
{
    const struct params *p = t->run->p;
    rt_mutex_lock(l->mu);
    l->locked = 0;
    l->holder = -1;
    int signal = l->waiters > 0;
    if (signal)
        gil_cv_signal(&l->cv);
    rt_mutex_unlock(l->mu);
    /* The lock is free while the releaser pays for the futex wake: others may take it now. */
    rt_execute(p->mutex_ns + (signal ? p->signal_ns : 0));
    return signal;
}

/* ---- states and ticker ------------------------------------------------------------------- */

void gil_count_switch(struct ithread *t, int64_t *last)
{
    if (*last >= 0 && *last != (int64_t)t->slot)
        t->stats.switches++;
    *last = t->slot;
}

/* waits_on and state are read by the deadlock report once the threads have stopped, and state by
 * the thread itself: relaxed is enough. */
void gil_wait_begin(struct ithread *t, int64_t holder)
{
    atomic_store_explicit(&t->waits_on, holder, memory_order_relaxed);
    if (atomic_load_explicit(&t->state, memory_order_relaxed) != TS_GIL_WAIT)
        interp_set_state(t, TS_GIL_WAIT);
}

void gil_wait_end(struct ithread *t)
{
    atomic_store_explicit(&t->waits_on, -1, memory_order_relaxed);
    if (atomic_load_explicit(&t->state, memory_order_relaxed) == TS_GIL_WAIT)
        interp_set_state(t, TS_RUNNING);
}

void gil_ticker_init(struct gil_ticker *k, int64_t every, int64_t left)
{
    k->every = every;
    k->left = left;
}

void gil_ticker_count(struct gil_ticker *k, struct ithread *t)
{
    struct gil_thread *g = gil_of(t);
    k->left -= t->opcount - g->synced;
    g->synced = t->opcount;
}

void gil_ticker_claim(struct ithread *t) { gil_of(t)->synced = t->opcount; }

int64_t gil_ticker_horizon(struct gil_ticker *k, struct ithread *t,
                           void (*tick)(struct ithread *t))
{
    gil_ticker_count(k, t);
    while (k->left <= 0)
        tick(t);
    return k->left;
}

int gil_ticker_due(struct gil_ticker *k, struct ithread *t)
{
    gil_ticker_count(k, t);
    if (k->left > 0)
        return 0;
    k->left = k->every;
    return 1;
}
