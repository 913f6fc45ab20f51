/* The proposed scheme: every object belongs to the thread that created it; a foreign access
 * pushes (op, me) onto the owner's wait-free MPSC queue and waits; every N opcodes a thread
 * drains its queue, runs each op and wakes its waiter (docs/schemes.md, delegate). Its variants are knobs
 * (params serve, handoff, detach, notify, migrate, queue, wait) and the presets below name the
 * usual combinations, so a sweep can list them like schemes:
 *   delegate-naive  V0 exactly as proposed: the waiter only waits; a finishing thread stops.
 *   delegate        V1 serve-while-waiting + handoff at exit (drain until empty, then lazy
 *                   takeover of the objects by their next foreign accessor).
 *   delegate-v2     + detach: drain and detach before blocking I/O; a requester then runs the
 *                   op itself on the detached owner's objects ("lends" them).
 *   delegate-v3     + notify: a push flags the owner, which drains at its next eval-breaker
 *                   check point (every `breaker` opcodes) instead of its next N-opcode drain.
 *   delegate-v4     + migrate: after 4 consecutive delegated accesses by one thread the object
 *                   moves to that thread.
 * Invariant: an object's handler only runs on the thread that owns it at that moment, or on a
 * borrower while its owner is detached in I/O. */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "analytic.h"
#include "delegate_probe.h"
#include "interp.h"
#include "mpsc.h"
#include "rt.h"
#include "scheme.h"

/* ---- its own parameter rows ------------------------------------------------------------- */

extern const struct scheme_ops scheme_delegate;

enum queue_order { QUEUE_AUTO, QUEUE_FIFO, QUEUE_LIFO };   /* queue, in queue_at's order */
enum wait_mode { WAIT_BLOCK, WAIT_SPIN, WAIT_SPIN_BLOCK }; /* wait, in wait_at's order */
PARAM_CHOICES(queue_at, "auto", "fifo", "lifo")
PARAM_CHOICES(wait_at, "block", "spin", "spin-block")

/* The family's rows (scheme_ops.params), in this order, placed right after `scheme` (the CSV
 * columns serve..spin_ns). The knobs a preset fixes are "auto" (-1 for migrate) until then. */
enum { ROW_SERVE, ROW_DETACH, ROW_NOTIFY, ROW_HANDOFF, ROW_MIGRATE, ROW_QUEUE, ROW_WAIT,
       ROW_SPIN_NS };
static const struct param dlg_rows[] = {
    PARAM_OWN_KNOB("serve",
                   "delegate V1: a waiting thread serves its own queue (auto: as the scheme preset)",
                   param_knob_at, "off"),
    PARAM_OWN_KNOB("detach",
                   "delegate V2: drain and detach before blocking I/O; requesters run ops on a "
                   "detached owner's objects themselves", param_knob_at, "off"),
    PARAM_OWN_KNOB("notify",
                   "delegate V3: a push flags the owner, which drains at its next eval-breaker "
                   "check point instead of its next N-opcode drain", param_knob_at, "off"),
    PARAM_OWN_KNOB("handoff",
                   "delegate: an exiting thread drains until empty and its objects are taken "
                   "over by their next foreign accessor", param_knob_at, "off"),
    PARAM_OWN_KNOB_INT("migrate", 1e9, "accesses",
                       "delegate V4: ownership moves to a thread after this many consecutive "
                       "delegated accesses by it (0: never; -1: as the preset)", "0"),
    PARAM_OWN_KNOB("queue", "delegate: service order of a drain, fifo or lifo (a BRC-style stack)",
                   queue_at, "fifo"),
    PARAM_OWN_CHOICE("wait", "block",
                     "delegate: how a thread waits for its delegated op's answer: block on a "
                     "condvar, spin, or spin then block", wait_at),
    PARAM_OWN_REAL("spin_ns", 0, 1e12, "20000", "ns",
                   "spin budget before blocking (wait=spin-block) [ESTIMATE]"),
};

/* How long a waiter spins before it blocks: 0 (wait=block), spin_ns, or for ever. */
static double spin_budget(const union param_slot *own)
{
    return own[ROW_WAIT].c == WAIT_SPIN         ? INFINITY
           : own[ROW_WAIT].c == WAIT_SPIN_BLOCK ? own[ROW_SPIN_NS].d
                                                : 0;
}

/* What the first-order model (models/analytic.c) needs of these knobs. */
static void dlg_analytic(const struct params *p, struct analytic_knobs *k)
{
    const union param_slot *own = scheme_own(p, &scheme_delegate);
    k->push_flags = own[ROW_NOTIFY].c == KNOB_ON;
    k->spacing = k->push_flags ? (double)p->breaker : (double)p->N;
    k->spin_ns = spin_budget(own);
}

struct dlg_variant {
    int serve;   /* V1 */
    int handoff; /* exit protocol and takeover */
    int detach;  /* V2 */
    int notify;  /* V3 */
    int64_t migrate; /* V4 threshold, 0 = off */
    int lifo;
    double spin_budget; /* spin_budget() */
};

/* How a thread waits right now (under its mu). */
enum { NOT_WAITING, WAITING_BLOCKED, WAITING_SPINNING };

/* Where an owner is, for requesters (under its mu). */
enum owner_state {
    OWNER_ATTACHED, /* running: requests go to its queue */
    OWNER_CLOSING,  /* draining before detaching or exiting: no more pushes, wait */
    OWNER_DETACHED, /* in I/O: a requester may borrow its objects */
    OWNER_LENT,     /* a requester is running an op on its objects */
    OWNER_EXITED    /* gone: its objects are taken over */
};

/* An access of this thread that is not done yet (innermost first): the objects it is in the
 * middle of, for atomicity_breaks. */
struct dlg_inflight {
    const struct op *op;
    const struct dlg_inflight *up;
};

/* A thread waiting for an owner's ostate to change (closed_owner), queued on the owner; lives
 * on the waiter's stack until `kicked` is set. */
struct dlg_closed_wait {
    struct ithread *waiter;
    struct dlg_closed_wait *next;
    _Atomic int kicked; /* set once (release) by whoever kicks it */
};

/* Per-thread state. mu protects ostate, closed_waiters, and a blocking wait (`waiting` set to
 * WAITING_BLOCKED, the last look at the flag waited for, the condvar wait); cv is signalled
 * when the flag of a blocked waiter is set or (V1) when a request arrives; state_cv is broadcast on every ostate change
 * (the owner itself waits on it for a borrower). `waiting` is atomic so that a pusher can see
 * whether the owner sleeps without taking its mutex (see push_request). */
struct dlg_thread {
    struct mpsc_queue q;
    /* Written by this thread and read by its requesters: one line, so that a push reads them
     * in one transfer. */
    _Alignas(64) _Atomic int waiting;
    _Atomic int closed;       /* set before a closing drain: no more pushes */
    _Atomic int closer_spins; /* the closing owner spins until pushers is 0 */
    _Atomic int64_t popped;   /* requests popped (only this thread writes it) */
    struct rt_mutex *mu;
    struct rt_cond *cv, *state_cv;
    enum owner_state ostate;
    uint32_t lent_to;        /* slot of the borrower while ostate is OWNER_LENT */
    struct dlg_closed_wait *closed_waiters; /* threads waiting for ostate to change */
    const struct dlg_inflight *inflight;
    /* Written by requesters: a line of its own, which this thread never writes. The queue's
     * depth as a push finds it is pushed - popped. */
    _Alignas(64) _Atomic int pushers; /* requesters between their `closed` check and their push */
    _Atomic int64_t pushed;  /* requests pushed */
};

struct dlg_request {
    struct mpsc_node node;
    struct op op;
    struct ithread *waiter;
    _Atomic int done; /* set once (release) by the server; the request may vanish then */
    int64_t result;
    double pushed_at; /* when it was pushed, while delegate_probe is set */
};

void (*delegate_probe)(double push_to_serve_ns, double serve_ns);

struct dlg_run {
    struct dlg_variant v;
    struct dlg_thread *th;
};

static struct dlg_run *R(struct ithread *t) { return t->run->sched; }
static struct dlg_thread *D(struct ithread *t) { return &R(t)->th[t->slot]; }
static struct ithread *T(struct ithread *t, uint64_t owner)
{
    return &t->run->threads[owner];
}

/* ---- presets ---------------------------------------------------------------------------- */

/* Sets a knob the user left "auto" (an enum knob or enum queue_order: auto is 0 in both). */
static void knob(int *k, int v)
{
    if (*k == KNOB_AUTO)
        *k = v;
}

static void preset_common(union param_slot *own, int v1)
{
    knob(&own[ROW_SERVE].c, v1);
    knob(&own[ROW_HANDOFF].c, v1);
    knob(&own[ROW_QUEUE].c, QUEUE_FIFO);
}

static void preset_naive(struct params *p)
{
    preset_common(scheme_own_set(p, &scheme_delegate), KNOB_OFF);
}
static void preset_v1(struct params *p)
{
    preset_common(scheme_own_set(p, &scheme_delegate), KNOB_ON);
}
static void preset_v2(struct params *p)
{
    union param_slot *own = scheme_own_set(p, &scheme_delegate);
    preset_common(own, KNOB_ON);
    knob(&own[ROW_DETACH].c, KNOB_ON);
}
static void preset_v3(struct params *p)
{
    union param_slot *own = scheme_own_set(p, &scheme_delegate);
    preset_common(own, KNOB_ON);
    knob(&own[ROW_NOTIFY].c, KNOB_ON);
}
static void preset_v4(struct params *p)
{
    union param_slot *own = scheme_own_set(p, &scheme_delegate);
    preset_common(own, KNOB_ON);
    if (own[ROW_MIGRATE].i < 0)
        own[ROW_MIGRATE].i = 4;
}

/* ---- set-up ----------------------------------------------------------------------------- */

static int dlg_init(struct run *r)
{
    const union param_slot *own = scheme_own(r->p, &scheme_delegate);
    struct dlg_run *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    d->v.serve = own[ROW_SERVE].c == KNOB_ON;
    d->v.handoff = own[ROW_HANDOFF].c == KNOB_ON;
    d->v.detach = own[ROW_DETACH].c == KNOB_ON;
    d->v.notify = own[ROW_NOTIFY].c == KNOB_ON;
    d->v.migrate = own[ROW_MIGRATE].i > 0 ? own[ROW_MIGRATE].i : 0;
    d->v.lifo = own[ROW_QUEUE].c == QUEUE_LIFO;
    d->v.spin_budget = spin_budget(own);
    /* Aligned as struct mpsc_queue requires (mpsc.h): its lines, and no two threads' state on
     * one line. */
    d->th = aligned_alloc(_Alignof(struct dlg_thread), r->nthreads * sizeof *d->th);
    if (!d->th) {
        free(d);
        return -1;
    }
    memset(d->th, 0, r->nthreads * sizeof *d->th);
    for (uint32_t i = 0; i < r->nthreads; i++) {
        struct dlg_thread *x = &d->th[i];
        mpsc_init(&x->q);
        x->mu = rt_mutex_new();
        x->cv = rt_cond_new();
        x->state_cv = rt_cond_new();
        atomic_init(&x->pushed, 0);
        atomic_init(&x->popped, 0);
        atomic_init(&x->pushers, 0);
        atomic_init(&x->closed, 0);
        atomic_init(&x->closer_spins, 0);
        atomic_init(&x->waiting, NOT_WAITING);
    }
    r->sched = d;
    return 0;
}

static void dlg_fini(struct run *r)
{
    struct dlg_run *d = r->sched;
    if (!d)
        return;
    for (uint32_t i = 0; i < r->nthreads; i++) {
        rt_mutex_free(d->th[i].mu);
        rt_cond_free(d->th[i].cv);
        rt_cond_free(d->th[i].state_cv);
    }
    free(d->th);
    free(d);
    r->sched = NULL;
}

/* The ownership scheme's own costs: the owner check on every access, and a poll of the queue
 * at every drain point (none with notify). No other scheme pays them. */
static void dlg_thread_start(struct ithread *t)
{
    const struct params *p = t->run->p;
    t->access_ns = t->read_ns = p->check_ns;
    t->check_ns = p->poll_ns;
    if (R(t)->v.notify) {
        /* The push sets an eval-breaker bit: seen at the next check point, and checking it is
         * part of the eval loop's existing breaker test (no separate poll). */
        t->check_every = t->run->p->breaker;
        t->check_ns = 0;
    }
}

/* Sets *flag (a request's done flag, or a closed wait's `kicked`) and wakes w the way it waits;
 * t, the caller, pays for it. The flag is a store, then a full fence, then a look at how w
 * waits, pairing with wait_until's publish-then-look: one of the two sees the other. Only a
 * blocked waiter's mutex is taken (so that the signal cannot slip between its last look and
 * its condvar wait); a spinning waiter watches the flag in rt_work_until (natively it sees the
 * store itself; simulated it is interrupted), so a spinning round trip takes no mutex. The
 * flag's line and `waiting` were written last by w: cas_ns, before the flag is set (as
 * free-threading's lock costs cas_ns when another thread wrote its byte last). */
static void notify(struct ithread *t, struct ithread *w, _Atomic int *flag)
{
    const struct params *p = t->run->p;
    struct dlg_thread *wd = D(w);
    rt_charge(p->cas_ns);
    /* The flag is seen at this thread's clock: a waiter asleep on its condvar reads it only once
     * this signal wakes it, and its wake-up counts from this clock (rt_cond_wake), so the
     * pending charges may pass later, with this thread's next wait; anyone else may read it
     * before, so they pass now. */
    if (!rt_cond_has_waiter(wd->cv))
        rt_settle();
    atomic_store_explicit(flag, 1, memory_order_release); /* the flag may vanish now */
    atomic_thread_fence(memory_order_seq_cst);
    int how = atomic_load_explicit(&wd->waiting, memory_order_relaxed);
    if (how == WAITING_SPINNING) {
        rt_flag_set_for(w->rt); /* it spins in rt_work_until on the flag */
    } else if (how == WAITING_BLOCKED) {
        rt_cond_wake(wd->cv, wd->mu, NULL, NULL);
        rt_charge(p->signal_ns);
    }
}

/* Wakes every thread waiting for o's ostate to change (o's mu held); t pays. The list is
 * taken whole under the mutex and each waiter is told after it is released (notify takes the
 * waiter's mutex: no two mutexes are held at once). */
static struct dlg_closed_wait *take_closed_waiters(struct dlg_thread *od)
{
    struct dlg_closed_wait *first = od->closed_waiters;
    od->closed_waiters = NULL;
    return first;
}

static void kick_closed_waiters(struct ithread *t, struct dlg_closed_wait *w)
{
    while (w) {
        struct dlg_closed_wait *next = w->next; /* w may vanish once kicked */
        notify(t, w->waiter, &w->kicked);
        w = next;
    }
}

/* Sets o's ostate; t (o itself, or its borrower) tells whoever waits for a change. */
static void set_ostate(struct ithread *t, struct ithread *o, enum owner_state s)
{
    struct dlg_thread *od = D(o);
    rt_mutex_lock(od->mu);
    od->ostate = s;
    rt_cond_broadcast(od->state_cv);
    struct dlg_closed_wait *waiters = take_closed_waiters(od);
    rt_mutex_unlock(od->mu);
    kick_closed_waiters(t, waiters);
}

/* ---- serving ---------------------------------------------------------------------------- */

static void dlg_access(struct ithread *t, const struct op *op);

/* Tells the waiter its request is done, waking it the way it waits. */
static void complete(struct ithread *t, struct dlg_request *req, int64_t result)
{
    req->result = result; /* read by the waiter only after it sees done */
    notify(t, req->waiter, &req->done);
}

/* 1 if serving q on thread t breaks the atomicity of one of t's own unfinished accesses: q is
 * on an object that access is in the middle of (its object, or the requester's object its
 * callback reads), and q is not that callback itself (docs/schemes.md, delegate). */
static int breaks_atomicity(const struct ithread *t, const struct op *q)
{
    for (const struct dlg_inflight *f = D((struct ithread *)t)->inflight; f; f = f->up) {
        const struct op *a = f->op;
        if (q->thread == a->thread && q->index == a->index)
            return 1;
        if (a->callback && q->thread == a->issuer && q->index == a->cb_index &&
            q->issuer != a->issuer)
            return 1;
    }
    return 0;
}

/* V4: counts consecutive delegated accesses to obj by one requester; at the threshold the
 * object moves to that requester. Called by the owner, after serving. */
static void count_for_migration(struct ithread *t, struct object *obj, struct ithread *requester)
{
    int64_t limit = R(t)->v.migrate;
    if (!limit)
        return;
    uint64_t who = (uint64_t)requester->slot + 1;
    uint64_t count = (obj->hint >> 32) == who ? (obj->hint & 0xffffffffu) + 1 : 1;
    if ((int64_t)count < limit) {
        obj->hint = (who << 32) | count;
        return;
    }
    obj->hint = 0;
    rt_settle(); /* the move is seen at this thread's clock */
    /* The object's state is visible to its new owner before the owner id says so. */
    atomic_store_explicit(&obj->owner, requester->id, memory_order_release);
    t->stats.migrations++;
    t->batch_cut = 1; /* ops this thread batched ahead on obj are no longer local */
}

/* Serves one request; the object may have moved since it was queued (V4 migration, or taken
 * over), in which case this thread accesses it like any other thread would. The node's lines,
 * and the object's, were written last by the requester's core: serve_miss_ns beside the pop and
 * the handler, measured hot. `probe`: the drain came from a check point of a batch (see
 * delegate_probe). */
static void serve(struct ithread *t, struct dlg_request *req, int probe)
{
    const struct params *p = t->run->p;
    struct object *obj = interp_object(t->run, req->op.thread, req->op.index);
    int64_t result;
    double start = probe ? rt_now() : 0;
    if (breaks_atomicity(t, &req->op))
        t->stats.atomicity_breaks++;
    if (atomic_load_explicit(&obj->owner, memory_order_acquire) == t->id) {
        rt_charge(p->pop_ns + p->serve_miss_ns + interp_handler_cost(p, &req->op));
        result = interp_handle(t, &req->op);
        count_for_migration(t, obj, req->waiter);
    } else {
        rt_execute(p->pop_ns + p->serve_miss_ns);
        struct op forwarded = req->op;
        forwarded.cost_ns = 0;
        dlg_access(t, &forwarded);
        result = 0; /* reads' results are not used by the model */
    }
    t->stats.served++;
    if (probe) {
        rt_settle();
        delegate_probe(start - req->pushed_at, rt_now() - start);
    }
    complete(t, req, result);
}

/* A drain found a request: the pushed lines (the queue's tail, the node) were written by the
 * requester's core, so the first look at them waits for their transfer (handoff_ns: a store seen
 * by another core). Later nodes of the same drain stream behind it (push_ns covers them). A
 * drain at a check point of a batch (`at_check`) comes after the owner's way out of its batch:
 * batch_exit_ns (natively the eval loop's own work between the interrupt and the drain). */
static void drain_starts(struct ithread *t, int at_check)
{
    const struct params *p = t->run->p;
    interp_set_state(t, TS_DRAINING);
    rt_charge(p->handoff_ns + (at_check ? p->batch_exit_ns : 0));
}

/* Counts one request popped: a plain load and store (this thread is the only writer). */
static void popped(struct dlg_thread *me)
{
    atomic_store_explicit(&me->popped, atomic_load_explicit(&me->popped, memory_order_relaxed) + 1,
                          memory_order_relaxed);
}

/* Runs every queued request, in FIFO or (queue=lifo) newest-first order; `at_check`: at a
 * check point of the eval loop (drain_starts). Returns how many. */
static int drain(struct ithread *t, int at_check)
{
    struct dlg_thread *me = D(t);
    int probe = at_check && delegate_probe;
    int served = 0;
    int prev = atomic_load(&t->state);
    struct mpsc_node *n;
    if (!R(t)->v.lifo) {
        /* A node already in the queue is the one this thread pops at its clock too (FIFO, and
         * pushes land in order), so pending charges pass only once the queue looks empty: then
         * a push may land before this thread's clock, and it looks again. */
        while ((n = mpsc_pop(&me->q)) != NULL || (rt_settle(), n = mpsc_pop(&me->q)) != NULL) {
            if (!served++)
                drain_starts(t, at_check);
            popped(me);
            serve(t, mpsc_entry(n, struct dlg_request, node), probe);
        }
    } else {
        for (;;) {
            /* Take what is visible now, reversed: a stack, as BRC's _PyObjectStack. */
            struct mpsc_node *stack = NULL;
            rt_settle();
            while ((n = mpsc_pop(&me->q)) != NULL) {
                atomic_store_explicit(&n->next, stack, memory_order_relaxed);
                stack = n;
                popped(me);
            }
            if (!stack)
                break;
            while (stack) {
                n = stack;
                stack = atomic_load_explicit(&n->next, memory_order_relaxed);
                if (!served++)
                    drain_starts(t, at_check);
                serve(t, mpsc_entry(n, struct dlg_request, node), probe);
            }
        }
    }
    if (served) {
        t->stats.drains++;
        interp_set_state(t, prev);
    }
    return served;
}

static void dlg_check(struct ithread *t) { drain(t, 1); }

/* Closes the queue (no more pushes), waits out requesters in the middle of a push, and drains
 * until empty; ostate is `closing` meanwhile and `then` afterwards. */
static void close_and_drain(struct ithread *t, enum owner_state then)
{
    const struct params *p = t->run->p;
    struct dlg_thread *me = D(t);
    set_ostate(t, t, OWNER_CLOSING);
    /* closed before pushers is read: a requester that saw closed == 0 has incremented pushers
     * first, so it is counted here, and its push lands before the drain below ends. */
    atomic_store_explicit(&me->closed, 1, memory_order_seq_cst);
    if (atomic_load_explicit(&me->pushers, memory_order_seq_cst) != 0) {
        /* Spin until the last pusher is out. closer_spins is published before pushers is read
         * again, and a pusher decrements pushers before it reads closer_spins (pusher_out): one
         * sees the other, so the spin is one interruptible execution that the last pusher stops
         * (a loop charging poll_ns per look would never end at poll_ns = 0). What an interrupt
         * announces is drained below anyway. */
        atomic_store_explicit(&me->closer_spins, 1, memory_order_seq_cst);
        for (;;) {
            rt_clear_interrupt();
            if (atomic_load_explicit(&me->pushers, memory_order_seq_cst) == 0)
                break;
            rt_work(RT_UNTIL_INTERRUPTED);
        }
        atomic_store_explicit(&me->closer_spins, 0, memory_order_relaxed);
        rt_execute(p->handoff_ns); /* the pusher's store reaches this core */
    }
    do
        drain(t, 0);
    while (!mpsc_empty(&me->q));
    set_ostate(t, t, then);
}

/* ---- requesting ------------------------------------------------------------------------- */

/* 1 if t's wait can never end: following the wait-for edges from t ends at an owner that
 * exited without handoff, or enters a cycle of waiters that do not serve (V0), whether or not
 * the cycle goes through t (out-degree <= 1: a walk still among waiters after nthreads steps
 * has looped). Used only to stop spinning waiters, so that a deadlock ends the run instead of
 * spinning forever; blocked waiters are found by the simulator. A false 1 (a waiter whose op
 * was completed an instant ago) only makes t block instead of spin. */
static int hopeless(struct ithread *t)
{
    if (R(t)->v.serve)
        return 0;
    struct run *r = t->run;
    int64_t k = atomic_load(&t->waits_on);
    for (uint32_t steps = 0; k >= 0; steps++) {
        struct ithread *o = &r->threads[k];
        int st = atomic_load(&o->state);
        if (st == TS_EXITED)
            return 1;
        if (st != TS_WAITING)
            return 0;
        if (o == t || steps >= r->nthreads)
            return 1;
        k = atomic_load(&o->waits_on);
    }
    return 0;
}

/* Makes every spinner on t's wait-for chain look again (each then finds it hopeless and
 * blocks), at most once around a cycle. */
static void wake_chain(struct ithread *t)
{
    struct run *r = t->run;
    int64_t k = atomic_load(&t->waits_on);
    for (uint32_t steps = 0; k >= 0 && k != (int64_t)t->slot && steps < r->nthreads; steps++) {
        struct ithread *o = &r->threads[k];
        if (atomic_load(&o->state) != TS_WAITING)
            break;
        rt_interrupt(o->rt);
        k = atomic_load(&o->waits_on);
    }
}

/* What a spinning waiter watches: its flag, and (V1) its own queue, of which it is the
 * consumer. */
struct spin_watch {
    const _Atomic int *flag;
    struct mpsc_queue *q;
};

static int spin_ready(void *arg)
{
    struct spin_watch *w = arg;
    return atomic_load_explicit(w->flag, memory_order_acquire) || (w->q && !mpsc_empty(w->q));
}

/* Waits until *flag (a request's done flag, or a closed wait's `kicked`: see notify) is set, as
 * the `wait` knob says; V1 serves its own queue meanwhile. A blocking waiter
 * publishes WAITING_BLOCKED first (so whoever completes its request or pushes to it from then on
 * signals, and pays signal_ns), then takes sleep_ns to get to sleep (pthread_cond_wait's way
 * into futex_wait): a signal that comes before it is asleep ends the wait at the end of the way
 * in without a wake-up, one that comes later costs it wake_ns. A spinning waiter pays notice_ns
 * each time its spin stops for an interrupt, and (`request`: the flag is a request's done flag)
 * the rest of its round trip when it sees the answer. */
static void wait_until(struct ithread *t, _Atomic int *flag, int request)
{
    const struct params *p = t->run->p;
    struct dlg_variant *v = &R(t)->v;
    struct dlg_thread *me = D(t);
    interp_set_state(t, TS_WAITING);
    int pending = 0; /* an interrupt meant for the eval loop's next check point (V0) */
    double budget = v->spin_budget;
    while (budget > 0) {
        rt_settle(); /* the looks below are at this thread's clock */
        /* Published before the flag is looked at (see notify); a store only when it changes,
         * so that the line the answering thread reads stays put while this thread spins. */
        if (atomic_load_explicit(&me->waiting, memory_order_relaxed) != WAITING_SPINNING)
            atomic_store_explicit(&me->waiting, WAITING_SPINNING, memory_order_relaxed);
        atomic_thread_fence(memory_order_seq_cst);
        if (atomic_load_explicit(flag, memory_order_acquire)) {
            atomic_store_explicit(&me->waiting, NOT_WAITING, memory_order_relaxed);
            /* The flag's cache line reaches this core; for a request, the rest of its spinning
             * round trip through the queue (analytic_spin_rest_ns: the lines no charge
             * names). */
            rt_charge(p->handoff_ns + (request ? analytic_spin_rest_ns(p) : 0));
            goto out;
        }
        /* A request is served as soon as it is seen in the queue: natively the spin below sees
         * the push itself, before the interrupt raised after it (which is lowered on a later
         * turn); simulated the push and its interrupt come together. */
        if (v->serve && !mpsc_empty(&me->q)) {
            drain(t, 0);
            continue;
        }
        if (rt_interrupted()) {
            rt_clear_interrupt();
            if (v->serve)
                drain(t, 0);
            else
                pending = 1;
            continue;
        }
        if (hopeless(t)) {
            wake_chain(t);
            break; /* block for good */
        }
        double chunk = budget < RT_UNTIL_INTERRUPTED ? budget : RT_UNTIL_INTERRUPTED;
        struct spin_watch w = { flag, v->serve ? &me->q : NULL };
        budget -= rt_work_until(chunk, spin_ready, &w);
        if (rt_interrupted())
            rt_charge(p->notice_ns); /* the spin stops and looks (natively rt_work's latency) */
    }
    rt_mutex_lock(me->mu);
    while (!atomic_load_explicit(flag, memory_order_acquire)) {
        /* `waiting` is published before the flag and the queue are looked at, and whoever sets
         * the flag or pushes a node does so before it reads `waiting` (notify, push_request):
         * one of the two sees the other, so neither arrives unseen while this thread sleeps;
         * and one that sees it blocked takes the mutex, held from here into the wait. */
        atomic_store_explicit(&me->waiting, WAITING_BLOCKED, memory_order_seq_cst);
        atomic_thread_fence(memory_order_seq_cst);
        if (atomic_load_explicit(flag, memory_order_acquire))
            break;
        if (v->serve && !mpsc_empty(&me->q)) {
            atomic_store(&me->waiting, NOT_WAITING);
            rt_mutex_unlock(me->mu);
            drain(t, 0);
            rt_mutex_lock(me->mu);
            continue;
        }
        /* The way into the sleep takes sleep_ns (0 natively: there it is inside
         * pthread_cond_wait). A completion or a push meanwhile found this thread blocked and
         * signalled: the signal is taken at the way's end, as futex_wait returns at once when
         * the word changed. */
        struct spin_watch sw = { flag, v->serve ? &me->q : NULL };
        if (!rt_cond_wait_in(me->cv, me->mu, p->sleep_ns, spin_ready, &sw)) {
            if (atomic_load_explicit(flag, memory_order_acquire)) {
                atomic_store(&me->waiting, NOT_WAITING);
                rt_mutex_unlock(me->mu);
                rt_charge(p->handoff_ns); /* the flag's cache line reaches this core */
                goto out;
            }
            continue; /* its queue */
        }
        atomic_store(&me->waiting, NOT_WAITING);
        int finished = atomic_load_explicit(flag, memory_order_acquire);
        /* Woken: the thread runs again only after the OS has scheduled it. */
        rt_mutex_unlock(me->mu);
        rt_woken();
        if (finished)
            goto out; /* a flag is never reset while waited on: no need to look again */
        if (v->serve && !mpsc_empty(&me->q))
            drain(t, 0); /* woken by a push: served before the next look under the mutex */
        rt_mutex_lock(me->mu);
    }
    atomic_store(&me->waiting, NOT_WAITING);
    rt_mutex_unlock(me->mu);
out:
    /* A wake-up interrupt is spent; what is queued is for the eval loop's next check point. */
    rt_clear_interrupt();
    if (pending || !mpsc_empty(&me->q))
        rt_interrupt(t->rt);
    interp_set_state(t, TS_RUNNING);
}

static int dlg_is_local(struct ithread *t, const struct op *op)
{
    struct object *obj = interp_object(t->run, op->thread, op->index);
    return atomic_load_explicit(&obj->owner, memory_order_acquire) == t->id;
}

/* Claims an object whose owner has gone; returns once the object is no longer owned by
 * `owner` (taken by this thread or another). */
static void take_over(struct ithread *t, struct object *obj, uint64_t owner)
{
    const struct params *p = t->run->p;
    uint64_t expected = owner;
    rt_execute(p->cas_ns);
    if (atomic_compare_exchange_strong_explicit(&obj->owner, &expected, t->id,
                                                memory_order_acq_rel, memory_order_acquire))
        t->stats.takeovers++;
}

/* A requester leaves o's push window; a closing o spinning on pushers is told. */
static void pusher_out(struct ithread *o)
{
    struct dlg_thread *od = D(o);
    atomic_fetch_sub_explicit(&od->pushers, 1, memory_order_seq_cst);
    if (atomic_load_explicit(&od->closer_spins, memory_order_seq_cst))
        rt_interrupt(o->rt);
}

static int still_blocked(void *od)
{
    _Atomic int *waiting = &((struct dlg_thread *)od)->waiting;
    return atomic_load_explicit(waiting, memory_order_relaxed) == WAITING_BLOCKED;
}

/* Pushes req onto o's queue; 0 if o's queue is closed (closing, detached, exited). */
static int push_request(struct ithread *t, struct ithread *o, struct dlg_request *req)
{
    const struct params *p = t->run->p;
    struct dlg_variant *v = &R(t)->v;
    struct dlg_thread *od = D(o);
    atomic_fetch_add_explicit(&od->pushers, 1, memory_order_seq_cst);
    if (atomic_load_explicit(&od->closed, memory_order_seq_cst)) {
        pusher_out(o);
        return 0;
    }
    rt_execute(p->push_ns + (v->notify ? p->cas_ns : 0));
    if (delegate_probe) {
        rt_settle();
        req->pushed_at = rt_now();
    }
    mpsc_push(&od->q, &req->node);
    /* Natively the owner may have popped this node (and others whose pushers have not counted
     * them yet) already: at least this request is counted. */
    int64_t d = atomic_fetch_add_explicit(&od->pushed, 1, memory_order_relaxed) + 1 -
                atomic_load_explicit(&od->popped, memory_order_relaxed);
    uint64_t depth = d > 1 ? (uint64_t)d : 1;
    if (depth > t->stats.queue_max)
        t->stats.queue_max = depth;
    pusher_out(o);
    /* V1: a blocked waiting owner serves its queue: wake it. The node is published before
     * `waiting` is read, pairing with wait_until, which publishes `waiting` and then looks at
     * its queue; the mutex is taken only when the owner sleeps (the signal must not slip
     * between its look and its wait). */
    atomic_thread_fence(memory_order_seq_cst);
    if (v->serve && atomic_load_explicit(&od->waiting, memory_order_relaxed) == WAITING_BLOCKED) {
        rt_charge(p->cas_ns); /* o's mutex, which o locked last (see notify) */
        if (rt_cond_wake(od->cv, od->mu, still_blocked, od)) /* looked at again under it */
            rt_charge(p->signal_ns);
    }
    /* The owner stops at its next check point and looks (a spinning owner, at once). */
    rt_interrupt(o->rt);
    return 1;
}

/* 1 if op has a callback whose object this thread does not own (it migrated away, V4, or op
 * was forwarded for another issuer): the callback's access may have to wait. */
static int callback_is_foreign(struct ithread *t, const struct op *op)
{
    if (!op->callback)
        return 0;
    struct op n = interp_callback_op(op);
    return !dlg_is_local(t, &n);
}

/* The owner's queue is closed: wait (as any wait, serving with V1) for it to detach or exit,
 * then borrow its object (V2) or take it over. Returns 1 if the op ran here, 0 to try again;
 * *waited is set if this thread had to wait.
 * A lend is held only while the op's own handler (and a local callback) runs, never across a
 * wait: a borrower waiting while it holds a lend can close a cycle of borrowers, each holding
 * the lend the next one needs (nobody serves a lend). So a foreign callback runs first, on its
 * own, and op->callback is cleared: the op is then borrowed or pushed without it. */
static int closed_owner(struct ithread *t, struct ithread *o, struct object *obj,
                        struct op *op, int *waited)
{
    const struct params *p = t->run->p;
    struct dlg_thread *od = D(o);
    uint64_t owner = o->id;
    for (;;) {
        rt_mutex_lock(od->mu);
        if (od->ostate != OWNER_CLOSING && od->ostate != OWNER_LENT)
            break; /* with od->mu held */
        /* Queued under od->mu in the same step as the state is seen: a change after this
         * point kicks this thread. */
        struct dlg_closed_wait w = { .waiter = t, .next = od->closed_waiters };
        od->closed_waiters = &w;
        rt_mutex_unlock(od->mu);
        *waited = 1;
        atomic_store(&t->waits_on, (int64_t)o->slot);
        wait_until(t, &w.kicked, 0);
        atomic_store(&t->waits_on, -1);
    }
    enum owner_state st = od->ostate;
    if (st == OWNER_DETACHED && callback_is_foreign(t, op)) {
        rt_mutex_unlock(od->mu);
        interp_handle_callback(t, op);
        op->callback = 0;
        return 0; /* look at o again */
    }
    if (st == OWNER_DETACHED) {
        od->ostate = OWNER_LENT;
        od->lent_to = t->slot;
    }
    rt_mutex_unlock(od->mu);
    if (st == OWNER_EXITED) {
        take_over(t, obj, owner);
        return 0;
    }
    if (st != OWNER_DETACHED)
        return 0; /* attached again: push */
    /* Lent: run the op on the detached owner's object, as its stand-in. */
    rt_execute(p->cas_ns + interp_handler_cost(p, op));
    interp_handle(t, op);
    t->stats.borrows++;
    set_ostate(t, o, OWNER_DETACHED);
    return 1;
}

static void dlg_access(struct ithread *t, const struct op *op)
{
    const struct params *p = t->run->p;
    struct object *obj = interp_object(t->run, op->thread, op->index);
    /* Merged with what follows: the owner check and the queue's `closed` flag are read at the
     * start of the access (they change only when an owner exits, detaches or migrates). */
    rt_charge(op->cost_ns + p->check_ns);
    struct dlg_thread *me = D(t);
    struct dlg_inflight self = { .op = op, .up = me->inflight };
    struct op rest = *op; /* what is still to run: closed_owner may run the callback apart */
    int waited = 0;
    double t0 = 0;
    for (;;) {
        uint64_t owner = atomic_load_explicit(&obj->owner, memory_order_acquire);
        if (owner == t->id) {
            rt_execute(interp_handler_cost(p, &rest));
            interp_handle(t, &rest);
            break;
        }
        struct ithread *o = T(t, owner);
        if (me->inflight != &self) {
            t0 = rt_now();
            me->inflight = &self;
        }
        struct dlg_request req = { .op = rest, .waiter = t };
        if (!push_request(t, o, &req)) {
            if (closed_owner(t, o, obj, &rest, &waited))
                break;
            continue;
        }
        t->stats.delegations++;
        waited = 1;
        atomic_store(&t->waits_on, (int64_t)o->slot);
        wait_until(t, &req.done, 1);
        atomic_store(&t->waits_on, -1);
        break;
    }
    if (me->inflight == &self)
        me->inflight = self.up;
    if (waited) {
        /* From the first push (or look at a closed owner) until the op is done. */
        double lat = rt_now() - t0;
        t->stats.wait_ns += lat;
        stats_add_latency(&t->stats, lat);
    }
}

/* ---- blocking and exit ------------------------------------------------------------------ */

static void dlg_io_enter(struct ithread *t)
{
    if (R(t)->v.detach)
        close_and_drain(t, OWNER_DETACHED);
}

static void dlg_io_leave(struct ithread *t)
{
    if (!R(t)->v.detach)
        return;
    struct dlg_thread *me = D(t);
    rt_mutex_lock(me->mu);
    while (me->ostate == OWNER_LENT) { /* a borrower is running an op on our objects */
        atomic_store(&t->waits_on, (int64_t)me->lent_to);
        rt_cond_wait(me->state_cv, me->mu);
    }
    atomic_store(&t->waits_on, -1);
    me->ostate = OWNER_ATTACHED;
    atomic_store_explicit(&me->closed, 0, memory_order_seq_cst);
    rt_cond_broadcast(me->state_cv);
    struct dlg_closed_wait *waiters = take_closed_waiters(me);
    rt_mutex_unlock(me->mu);
    rt_execute(t->run->p->cas_ns);
    kick_closed_waiters(t, waiters);
}

static void dlg_thread_exit(struct ithread *t)
{
    if (R(t)->v.handoff)
        close_and_drain(t, OWNER_EXITED);
}

#define DELEGATE_HOOKS                                                                     \
    .run_init = dlg_init, .run_fini = dlg_fini, .thread_start = dlg_thread_start,          \
    .thread_exit = dlg_thread_exit, .is_local = dlg_is_local, .access = dlg_access,        \
    .batch_rest_charged = 1, .check = dlg_check, .io_enter = dlg_io_enter,                 \
    .io_leave = dlg_io_leave,                                                              \
    .analytic = dlg_analytic, .params = dlg_rows,                                          \
    .nparams = sizeof dlg_rows / sizeof dlg_rows[0], .params_after = "scheme"

const struct scheme_ops scheme_delegate_naive = {
    .name = "delegate-naive",
    .summary = "proposed scheme exactly as written (V0): push, sleep on own condvar, "
               "drain every N opcodes; no handoff at exit",
    .preset = preset_naive,
    .unshared_only = 1,
    .deadlocks_by_design = 1,
    DELEGATE_HOOKS,
};

const struct scheme_ops scheme_delegate = {
    .name = "delegate",
    .summary = "proposed scheme + V1: waiters serve their own queue; exiting threads drain "
               "until empty and hand their objects off",
    .preset = preset_v1,
    .proposal = 1,
    DELEGATE_HOOKS,
};

const struct scheme_ops scheme_delegate_v2 = {
    .name = "delegate-v2",
    .summary = "delegate + V2: drain and detach before blocking I/O; requesters run ops on a "
               "detached owner's objects",
    .preset = preset_v2,
    DELEGATE_HOOKS,
};

const struct scheme_ops scheme_delegate_v3 = {
    .name = "delegate-v3",
    .summary = "delegate + V3: a push notifies the owner, who drains at its next eval-breaker "
               "check point",
    .preset = preset_v3,
    DELEGATE_HOOKS,
};

const struct scheme_ops scheme_delegate_v4 = {
    .name = "delegate-v4",
    .summary = "delegate + V4: an object migrates to a thread after 4 consecutive delegated "
               "accesses by it",
    .preset = preset_v4,
    DELEGATE_HOOKS,
};
