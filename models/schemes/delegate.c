/* The proposed scheme: every object belongs to the thread that created it; a foreign access
 * pushes (op, me) onto the owner's wait-free MPSC queue and waits on my own condvar; every N
 * opcodes a thread drains its queue, runs each op and signals its waiter (SCHEMES.md 5).
 *   delegate-naive  V0, exactly as proposed: the waiter only sleeps; a finishing thread just
 *                   stops. Deadlocks on mutual delegation and on an exited owner.
 *   delegate        V1: a waiting thread keeps draining its own queue (pushers wake it); a
 *                   finishing thread drains until empty, then its objects are taken over by
 *                   their next foreign accessor (lazy handoff, generation-tagged owner ids).
 * Invariant: an object's handler only ever runs on the thread that owns it at that moment. */
#include <stdatomic.h>
#include <stdlib.h>

#include "interp.h"
#include "mpsc.h"
#include "rt.h"

struct dlg_variant {
    int serve_while_waiting; /* V1 */
    int handoff;             /* drain-until-empty exit and lazy takeover */
};

/* Per-thread state. mu protects waiting and every request's done flag for requests this thread
 * made; cv is signalled when one of them is done or (V1) when a request arrives. */
struct dlg_thread {
    struct mpsc_queue q;
    struct rt_mutex *mu;
    struct rt_cond *cv;
    int waiting;               /* blocked in rt_cond_wait on cv (under mu) */
    _Atomic int64_t depth;     /* requests pushed and not yet popped */
    _Atomic int pushers;       /* requesters between their exiting check and their push */
    _Atomic int exiting;       /* set before the final drain: no more pushes */
    int exited;                /* final drain done (under mu): objects may be taken over */
    struct rt_cond *exit_cv;   /* broadcast when exited is set */
};

struct dlg_request {
    struct mpsc_node node;
    struct op op;
    struct ithread *waiter;
    int done; /* under waiter's mu */
    int64_t result;
};

struct dlg_run {
    struct dlg_variant v;
    struct dlg_thread *th;
};

static struct dlg_run *R(struct ithread *t) { return t->run->sched; }
static struct dlg_thread *D(struct ithread *t) { return &R(t)->th[t->slot]; }

static int dlg_init(struct run *r, struct dlg_variant v)
{
    struct dlg_run *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    d->v = v;
    d->th = calloc(r->nthreads, sizeof *d->th);
    if (!d->th) {
        free(d);
        return -1;
    }
    for (uint32_t i = 0; i < r->nthreads; i++) {
        struct dlg_thread *x = &d->th[i];
        mpsc_init(&x->q);
        x->mu = rt_mutex_new();
        x->cv = rt_cond_new();
        x->exit_cv = rt_cond_new();
        atomic_init(&x->depth, 0);
        atomic_init(&x->pushers, 0);
        atomic_init(&x->exiting, 0);
    }
    r->sched = d;
    return 0;
}

static int naive_init(struct run *r)
{
    return dlg_init(r, (struct dlg_variant){ .serve_while_waiting = 0, .handoff = 0 });
}

static int delegate_init(struct run *r)
{
    return dlg_init(r, (struct dlg_variant){ .serve_while_waiting = 1, .handoff = 1 });
}

static void dlg_fini(struct run *r)
{
    struct dlg_run *d = r->sched;
    if (!d)
        return;
    for (uint32_t i = 0; i < r->nthreads; i++) {
        rt_mutex_free(d->th[i].mu);
        rt_cond_free(d->th[i].cv);
        rt_cond_free(d->th[i].exit_cv);
    }
    free(d->th);
    free(d);
    r->sched = NULL;
}

/* Runs every queued request, signalling each waiter. Returns how many ran. */
static int drain(struct ithread *t)
{
    const struct params *p = t->run->p;
    struct dlg_thread *me = D(t);
    int served = 0;
    struct mpsc_node *n;
    while ((n = mpsc_pop(&me->q)) != NULL) {
        struct dlg_request *req = mpsc_entry(n, struct dlg_request, node);
        atomic_fetch_sub_explicit(&me->depth, 1, memory_order_relaxed);
        /* One charge for pop, handler and the signal that follows (fewer simulator events). */
        rt_execute(p->pop_ns + interp_handler_cost(p, &req->op) + p->mutex_ns + p->signal_ns);
        req->result = interp_apply(t, &req->op);
        struct dlg_thread *w = D(req->waiter);
        rt_mutex_lock(w->mu);
        req->done = 1; /* req may vanish once w->mu is released */
        rt_cond_signal(w->cv);
        rt_mutex_unlock(w->mu);
        served++;
    }
    if (served) {
        t->stats.drains++;
        t->stats.served += (uint64_t)served;
    }
    return served;
}

static void dlg_check(struct ithread *t) { drain(t); }

/* 1 if the object's owner has exited and handed its objects off. */
static int owner_gone(struct ithread *t, uint64_t owner)
{
    struct ithread *o = &t->run->threads[owner_slot(owner)];
    if (o->gen != owner_gen(owner))
        return 1;
    struct dlg_thread *od = D(o);
    rt_mutex_lock(od->mu);
    int gone = od->exited;
    rt_mutex_unlock(od->mu);
    return gone;
}

/* Claims an object whose owner has gone; 1 if it is now ours. */
static int take_over(struct ithread *t, struct object *obj, uint64_t owner)
{
    uint64_t expected = owner;
    if (atomic_compare_exchange_strong_explicit(&obj->owner, &expected, t->id,
                                                memory_order_acq_rel, memory_order_acquire)) {
        t->stats.takeovers++;
        return 1;
    }
    return expected == t->id;
}

static int dlg_is_local(struct ithread *t, const struct op *op)
{
    struct object *obj = interp_object(t->run, op->thread, op->index);
    uint64_t owner = atomic_load_explicit(&obj->owner, memory_order_acquire);
    if (owner == t->id)
        return 1;
    if (R(t)->v.handoff && atomic_load_explicit(&D(&t->run->threads[owner_slot(owner)])->exiting,
                                                memory_order_acquire))
        return owner_gone(t, owner) && take_over(t, obj, owner);
    return 0;
}

/* Waits until the owner's final drain is over (its exiting flag is already set). */
static void wait_exited(struct dlg_thread *od)
{
    rt_mutex_lock(od->mu);
    while (!od->exited)
        rt_cond_wait(od->exit_cv, od->mu);
    rt_mutex_unlock(od->mu);
}

/* Pushes req onto the owner's queue unless the owner is exiting; 1 if pushed. */
static int push_request(struct ithread *t, struct ithread *o, struct dlg_request *req)
{
    const struct params *p = t->run->p;
    struct dlg_thread *od = D(o);
    /* pushers before exiting: the owner sets exiting, then waits for pushers == 0, so a
     * requester that saw exiting == 0 finishes its push before the owner's final drain. */
    atomic_fetch_add_explicit(&od->pushers, 1, memory_order_seq_cst);
    if (R(t)->v.handoff && atomic_load_explicit(&od->exiting, memory_order_seq_cst)) {
        atomic_fetch_sub_explicit(&od->pushers, 1, memory_order_release);
        return 0;
    }
    /* One charge for the push and (V1) the lock that follows it. */
    rt_execute(p->push_ns + (R(t)->v.serve_while_waiting ? p->mutex_ns : 0));
    mpsc_push(&od->q, &req->node);
    uint64_t depth =
        (uint64_t)atomic_fetch_add_explicit(&od->depth, 1, memory_order_relaxed) + 1;
    if (depth > t->stats.queue_max)
        t->stats.queue_max = depth;
    atomic_fetch_sub_explicit(&od->pushers, 1, memory_order_release);
    if (R(t)->v.serve_while_waiting) {
        /* A waiting owner serves its queue: wake it. */
        rt_mutex_lock(od->mu);
        int wake = od->waiting;
        if (wake)
            rt_cond_signal(od->cv);
        rt_mutex_unlock(od->mu);
        if (wake)
            rt_execute(p->signal_ns);
    }
    /* The owner's batch stops at its next drain point, where it polls the queue. */
    rt_interrupt(o->rt);
    return 1;
}

/* Waits until req is done; V1 serves its own queue meanwhile. */
static void wait_done(struct ithread *t, struct dlg_request *req)
{
    const struct params *p = t->run->p;
    struct dlg_thread *me = D(t);
    rt_mutex_lock(me->mu);
    while (!req->done) {
        if (R(t)->v.serve_while_waiting && !mpsc_empty(&me->q)) {
            rt_mutex_unlock(me->mu);
            drain(t);
            rt_mutex_lock(me->mu);
            continue;
        }
        me->waiting = 1;
        atomic_store(&t->state, TS_WAITING);
        rt_cond_wait(me->cv, me->mu);
        me->waiting = 0;
        atomic_store(&t->state, TS_RUNNING);
        int finished = req->done;
        /* Woken: the thread runs again only after the OS has scheduled it. */
        rt_mutex_unlock(me->mu);
        rt_sleep(p->wake_ns);
        if (finished)
            return; /* done is never reset: no need to look again under the lock */
        rt_mutex_lock(me->mu);
    }
    rt_mutex_unlock(me->mu);
}

static void dlg_access(struct ithread *t, const struct op *op)
{
    const struct params *p = t->run->p;
    struct object *obj = interp_object(t->run, op->thread, op->index);
    rt_execute(op->cost_ns + p->check_ns);
    for (;;) {
        uint64_t owner = atomic_load_explicit(&obj->owner, memory_order_acquire);
        if (owner == t->id) {
            rt_execute(interp_handler_cost(p, op));
            interp_apply(t, op);
            return;
        }
        struct ithread *o = &t->run->threads[owner_slot(owner)];
        struct dlg_request req = { .op = *op, .waiter = t };
        double t0 = rt_now();
        if (!push_request(t, o, &req)) {
            wait_exited(D(o));
            take_over(t, obj, owner);
            continue;
        }
        t->stats.delegations++;
        atomic_store(&t->waits_on, (int64_t)o->slot);
        wait_done(t, &req);
        atomic_store(&t->waits_on, -1);
        double lat = rt_now() - t0;
        t->stats.wait_ns += lat;
        stats_add_latency(&t->stats, lat);
        return;
    }
}

/* V1 exit: refuse new pushes, let in-flight pushers finish, drain until empty, then publish
 * `exited` so requesters take the objects over. V0 just stops. */
static void dlg_thread_exit(struct ithread *t)
{
    if (!R(t)->v.handoff)
        return;
    const struct params *p = t->run->p;
    struct dlg_thread *me = D(t);
    atomic_store_explicit(&me->exiting, 1, memory_order_seq_cst);
    while (atomic_load_explicit(&me->pushers, memory_order_acquire) != 0)
        rt_execute(p->poll_ns);
    do
        drain(t);
    while (!mpsc_empty(&me->q));
    rt_mutex_lock(me->mu);
    me->exited = 1;
    rt_cond_broadcast(me->exit_cv);
    rt_mutex_unlock(me->mu);
}

const struct scheme_ops scheme_delegate_naive = {
    .name = "delegate-naive",
    .summary = "proposed scheme exactly as written (V0): push, sleep on own condvar, "
               "drain every N opcodes; no handoff at exit",
    .run_init = naive_init,
    .run_fini = dlg_fini,
    .thread_exit = dlg_thread_exit,
    .is_local = dlg_is_local,
    .access = dlg_access,
    .check = dlg_check,
};

const struct scheme_ops scheme_delegate = {
    .name = "delegate",
    .summary = "proposed scheme + V1: waiters serve their own queue; exiting threads drain "
               "until empty and hand their objects off",
    .run_init = delegate_init,
    .run_fini = dlg_fini,
    .thread_exit = dlg_thread_exit,
    .is_local = dlg_is_local,
    .access = dlg_access,
    .check = dlg_check,
};
