/* The lock primitive, condition variable, timer, per-thread state and ticker shared by the GIL
 * schemes (see gil_lock.h for what each models and its sources). Costs: a release charges
 * mutex_ns (the lock/unlock pair around the flag) plus signal_ns when a waiter is there to
 * signal; a wait charges wake_ns of latency (no core) after every wake-up, signalled or timed
 * out; the timer thread stands for the OS timer and costs nothing.
 * Invariant: a gil_deadline is owned by its timer (freed only there); a waiter's `pending`
 * names the deadline of the timed wait it is in, so a deadline whose waiter has moved on is
 * recognised and dropped. */
#include "gil_lock.h"

#include <stdio.h>
#include <stdlib.h>

struct gil_deadline {
    double at;
    struct gil_thread *w;
    struct gil_deadline *next;
};

struct gil_timer {
    struct rt_mutex *m;  /* the mutex of every timed wait; guards everything below */
    struct rt_cond *cv;  /* the helper sleeps here while no deadline is pending */
    struct gil_deadline *head, *tail; /* in deadline order */
    uint32_t nthreads, exited;
    int idle, stop;
};

static void *xmalloc(size_t size)
{
    void *p = malloc(size);
    if (!p) {
        fprintf(stderr, "gilsim: out of memory\n");
        abort();
    }
    return p;
}

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

/* ---- condition variable and timer ----------------------------------------------------- */

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
    w->on = NULL;
}

/* Wakes w, queued on its cv: `how` is 1 (signalled) or 2 (timed out). */
static void wake(struct gil_thread *w, int how)
{
    cv_unlink(w->on, w);
    w->woken = how;
    rt_cond_signal(w->cv);
}

/* The helper thread: sleeps until the earliest deadline, then times its waiter out if the
 * waiter is still in that wait (its `pending` names it), and drops the deadline. */
static void timer_main(void *arg)
{
    struct gil_timer *k = arg;
    rt_mutex_lock(k->m);
    while (!k->stop) {
        struct gil_deadline *d = k->head;
        if (!d) {
            k->idle = 1;
            rt_cond_wait(k->cv, k->m);
            k->idle = 0;
            continue;
        }
        /* Below 1 ns (SimGrid's time precision) a deadline is due. */
        double dt = d->at - rt_now();
        if (dt >= 1) {
            rt_mutex_unlock(k->m);
            rt_sleep(dt);
            rt_mutex_lock(k->m);
            continue;
        }
        k->head = d->next;
        if (!k->head)
            k->tail = NULL;
        if (d->w->pending == d && d->w->woken == 0)
            wake(d->w, 2);
        free(d);
    }
    rt_mutex_unlock(k->m);
}

static void timer_thread_exit(struct gil_timer *k)
{
    rt_mutex_lock(k->m);
    if (++k->exited == k->nthreads) {
        k->stop = 1;
        rt_cond_signal(k->cv);
    }
    rt_mutex_unlock(k->m);
}

static void timer_free(struct gil_timer *k)
{
    if (!k)
        return;
    while (k->head) {
        struct gil_deadline *d = k->head;
        k->head = d->next;
        free(d);
    }
    if (k->cv)
        rt_cond_free(k->cv);
    free(k);
}

/* Registers w's timed wait ending at `at` (k->m held). */
static struct gil_deadline *timer_add(struct gil_timer *k, struct gil_thread *w, double at)
{
    struct gil_deadline *d = xmalloc(sizeof *d);
    d->at = at;
    d->w = w;
    d->next = NULL;
    /* Deadlines arrive in order (one timeout length); keep the queue sorted regardless. */
    struct gil_deadline **pos = &k->head;
    if (k->tail && k->tail->at <= at)
        pos = &k->tail->next;
    else
        while (*pos && (*pos)->at <= at)
            pos = &(*pos)->next;
    d->next = *pos;
    *pos = d;
    if (!d->next)
        k->tail = d;
    if (k->idle)
        rt_cond_signal(k->cv);
    return d;
}

int gil_cv_wait(struct ithread *t, struct gil_cv *cv, struct rt_mutex *m, double timeout_ns)
{
    struct gil_thread *w = gil_of(t);
    w->woken = 0;
    w->on = cv;
    w->next = NULL;
    w->prev = cv->tail;
    if (cv->tail)
        cv->tail->next = w;
    else
        cv->head = w;
    cv->tail = w;
    if (timeout_ns > 0) {
        if (!cv->timer || cv->timer->m != m) {
            fprintf(stderr, "gilsim: internal error: timed wait without its timer\n");
            abort();
        }
        w->pending = timer_add(cv->timer, w, rt_now() + timeout_ns);
    }
    while (!w->woken)
        rt_cond_wait(w->cv, m);
    if (timeout_ns > 0)
        w->pending = NULL; /* written only under the timer's mutex */
    int timed_out = w->woken == 2;
    /* Woken (or timed out): the thread runs, and re-takes the mutex, only after the OS has
     * scheduled it. */
    rt_mutex_unlock(m);
    rt_sleep(t->run->p->wake_ns);
    rt_mutex_lock(m);
    return timed_out;
}

int gil_cv_signal(struct gil_cv *cv)
{
    if (!cv->head)
        return 0;
    wake(cv->head, 1);
    return 1;
}

/* ---- the lock ---------------------------------------------------------------------------- */

int gil_lock_init(struct gil_lock *l, int locked)
{
    l->mu = rt_mutex_new();
    l->cv.head = l->cv.tail = NULL;
    l->cv.timer = NULL;
    l->locked = locked;
    l->holder = -1;
    l->waiters = 0;
    return l->mu ? 0 : -1;
}

int gil_lock_timed(struct gil_lock *l, struct run *r)
{
    struct gil_timer *k = calloc(1, sizeof *k);
    if (!k)
        return -1;
    k->m = l->mu;
    k->cv = rt_cond_new();
    k->nthreads = r->nthreads;
    l->cv.timer = k;
    rt_spawn("gil-timer", timer_main, k);
    return 0;
}

void gil_lock_thread_exit(struct gil_lock *l)
{
    if (l->cv.timer)
        timer_thread_exit(l->cv.timer);
}

void gil_lock_fini(struct gil_lock *l)
{
    if (l->cv.timer)
        timer_free(l->cv.timer);
    l->cv.timer = NULL;
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
