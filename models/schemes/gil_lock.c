/* The lock primitive, condition variable, per-thread state and ticker shared by the GIL schemes
 * (see gil_lock.h for what each models and its sources). Costs: a release charges mutex_ns (the
 * lock/unlock pair around the flag) plus signal_ns when a waiter is there to signal; a wait
 * charges wake_ns of latency (no core) after every wake-up, signalled or timed out; the timeout
 * itself (the OS timer) costs nothing. A release signals under the mutex (CPython 3's drop_gil)
 * or just after unlocking it (Python 2.7's lock, PyPy's mutex2_unlock: lock->signal_unlocked);
 * the simulator charges the futex wake after the unlock either way, and natively the scheme
 * code makes the call where the real code does.
 * Invariant: a waiter is in its gil_cv's list exactly while its `woken` is 0, and only a thread
 * holding the wait's mutex takes it out (a signaller, or the waiter itself when it times out),
 * so a signal and a timeout of the same wait cannot both take effect.
 *
 * Wake order `glibc` follows glibc 2.25+ (Debian 12: 2.36), nptl/pthread_cond_wait.c and
 * pthread_cond_common.c, on Linux futexes: a new wait joins group G2; a signal goes to G1, the
 * older group, and when G1 has no waiter left to signal the groups switch (every current
 * waiter becomes G1); a waiter that times out leaves its group. Within G1 the kernel wakes the
 * waiter that blocked first (futex_wake: priority order, FIFO among equals,
 * kernel/futex/waitwake.c), but a G1 waiter that has not blocked yet (it is still between
 * releasing the mutex and futex_wait, and glibc checks __g_signals first) takes an available
 * signal without sleeping: a waiter that began waiting within cv_entry_ns of the signal takes
 * it with probability cv_steal (validate/cond_race.c, run by bench/cond_order and gilsim
 * calibrate: a timed waiter that asks the holder to signal, and waits again, takes that signal
 * from an older sleeping waiter in 46-65% of the rounds on this machine; sleeping waiters are
 * woken strictly oldest first, 1499 of 1500). */
#include "gil_lock.h"

#include <stdlib.h>
#include <string.h>

#include "splitmix.h"

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

void gil_cv_init(struct gil_cv *cv, const struct params *p, uint64_t stream)
{
    memset(cv, 0, sizeof *cv);
    cv->order = (enum wake_order)p->wake_order;
    cv->steal = p->cv_steal;
    cv->entry_ns = p->cv_entry_ns;
    cv->rng = (uint64_t)p->seed * 0x9e3779b97f4a7c15ull ^ (stream + 0x636f6e64ull); /* "cond" */
}

/* The next splitmix64 value of the cv's stream as a uniform double in [0, 1). */
static double cv_uniform(struct gil_cv *cv)
{
    uint64_t x = splitmix64(cv->rng);
    cv->rng += SPLITMIX64_GAMMA;
    return (double)(x >> 11) * 0x1.0p-53;
}

void gil_cv_enter(struct gil_cv *cv, struct gil_thread *w, double now)
{
    w->woken = 0;
    w->seq = cv->next_seq++;
    w->since = now;
    w->next = NULL;
    w->prev = cv->tail;
    if (cv->tail)
        cv->tail->next = w;
    else
        cv->head = w;
    cv->tail = w;
    cv->n++;
}

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
    cv->n--;
}

void gil_cv_leave(struct gil_cv *cv, struct gil_thread *w)
{
    if (w->seq < cv->g1_end && cv->g1_left > 0)
        cv->g1_left--;
    cv_unlink(cv, w);
}

/* The waiter gil_cv_take takes (cv->head non-NULL). */
static struct gil_thread *cv_pick(struct gil_cv *cv, double now, double u)
{
    if (cv->order == WAKE_ORDER_FIFO)
        return cv->head;
    if (cv->g1_left == 0) { /* group switch: every current waiter is G1 now */
        cv->g1_end = cv->next_seq;
        cv->g1_left = cv->n;
    }
    cv->g1_left--;
    /* G1 is a prefix of the list: its newest member is the last with seq < g1_end. */
    struct gil_thread *newest = cv->tail;
    while (newest->seq >= cv->g1_end)
        newest = newest->prev;
    if (newest != cv->head && now - newest->since <= cv->entry_ns && u < cv->steal)
        return newest; /* still entering its wait: it takes the signal without sleeping */
    return cv->head;   /* the kernel wakes the G1 waiter that blocked first */
}

struct gil_thread *gil_cv_take(struct gil_cv *cv, double now, double u)
{
    if (!cv->head)
        return NULL;
    struct gil_thread *w = cv_pick(cv, now, u);
    cv_unlink(cv, w);
    return w;
}

int gil_cv_wait(struct ithread *t, struct gil_cv *cv, struct rt_mutex *m, double timeout_ns)
{
    struct gil_thread *w = gil_of(t);
    gil_cv_enter(cv, w, rt_now());
    t->stats.parks++;
    if (timeout_ns > 0) {
        double end = rt_now() + timeout_ns;
        while (!w->woken) {
            double left = end - rt_now();
            /* Timed out with no signal in the meantime (a signal taken at the same instant
             * unlinked the waiter and set woken first: it wins). */
            if ((left <= 0 || rt_cond_timedwait(w->cv, m, left)) && !w->woken) {
                gil_cv_leave(cv, w);
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

struct gil_thread *gil_cv_choose(struct gil_cv *cv)
{
    /* A draw only where the order has a choice to make, so that fifo draws nothing. */
    double u = cv->order == WAKE_ORDER_GLIBC && cv->n > 1 ? cv_uniform(cv) : 0;
    struct gil_thread *w = gil_cv_take(cv, rt_now(), u);
    if (w)
        w->woken = 1;
    return w;
}

/* The waiter's own cv lives as long as the run, so a late signal (the waiter has seen `woken`
 * and left, or waits again) only wakes a wait loop that looks at `woken` and waits on. */
void gil_cv_wake(struct gil_thread *w) { rt_cond_signal(w->cv); }

int gil_cv_signal(struct gil_cv *cv)
{
    struct gil_thread *w = gil_cv_choose(cv);
    if (!w)
        return 0;
    gil_cv_wake(w);
    return 1;
}

/* ---- the lock ---------------------------------------------------------------------------- */

int gil_lock_init(struct gil_lock *l, int locked, const struct params *p, uint64_t stream)
{
    l->mu = rt_mutex_new();
    gil_cv_init(&l->cv, p, stream);
    l->locked = locked;
    l->holder = -1;
    l->last = -1;
    l->waiters = 0;
    l->signal_unlocked = 0;
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
    /* Only a signal that takes a sleeper costs a futex wake: a waiter already signalled and on
     * its way back (counted in waiters, no longer in the condvar) is not woken twice. */
    struct gil_thread *w = l->waiters > 0 ? gil_cv_choose(&l->cv) : NULL;
    if (w && !l->signal_unlocked)
        gil_cv_wake(w);
    rt_mutex_unlock(l->mu);
    if (w && l->signal_unlocked)
        gil_cv_wake(w);
    /* The lock is free while the releaser pays for the futex wake: others may take it now. */
    rt_execute(p->mutex_ns + (w ? p->signal_ns : 0));
    return w != NULL;
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
