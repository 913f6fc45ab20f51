/* `gil-interval`: the CPython 3.2+ GIL as in 3.13+ (docs/schemes.md; Python/
 * ceval_gil.c @ adeee1bd: take_gil, drop_gil, drop_gil_impl, _Py_HandlePending;
 * Include/internal/pycore_gil.h: FORCE_SWITCHING, struct _gil_runtime_state;
 * Include/internal/pycore_ceval.h: _PY_GIL_DROP_REQUEST_BIT; Python/bytecodes.c:
 * _CHECK_PERIODIC).
 *
 * What it models. The GIL is `locked` + `mutex` + `cond` (a gil_lock) with `last_holder` and
 * `switch_number`. take_gil: while the GIL is locked, a waiter does a timed wait of the switch
 * interval on `cond`; if it timed out, the GIL is still locked and `switch_number` has not
 * changed, it sets the GIL_DROP_REQUEST eval-breaker bit of `last_holder` (and, in the model,
 * interrupts it, so that it looks at its next check point); otherwise it starts a fresh full
 * interval. On taking the GIL, under `switch_mutex`, it records itself as last_holder
 * (switch_number++ if it is a different thread), signals `switch_cond`, and clears a stale drop
 * request aimed at itself. The holder sees the bit only at eval-breaker check points
 * (_CHECK_PERIODIC: back edges, function entry, after calls), every `breaker` opcodes here; it
 * then drops the GIL (locked = 0, cond_signal) and, because the bit is set (FORCE_SWITCHING),
 * waits on `switch_cond` until another thread has taken the GIL (any waiter or a barging
 * newcomer, not necessarily the requester), then calls take_gil as an ordinary waiter with a
 * fresh interval. Blocking I/O drops the GIL (Py_BEGIN_ALLOW_THREADS -> drop_gil; no switch
 * wait unless a drop request happens to be pending, exactly as drop_gil tests the bit) and
 * re-takes it after (take_gil). A thread's final release never waits. Consequence measured by
 * tests/cli/gil.sh: a thread returning from I/O while another thread runs CPU-bound code waits
 * about one switch interval for the GIL (the convoy of docs/schemes.md, gil-interval).
 *
 * Parameters: switch_ns = the switch interval (default 5 ms, ceval_gil.c DEFAULT_INTERVAL
 * 5000 us; sys.setswitchinterval; the source's 1 us floor is the parameter's lower bound);
 * breaker = opcodes between eval-breaker check points (default 10 [ESTIMATE], docs/schemes.md, gil-interval);
 * costs mutex_ns (each mutex pair), signal_ns (a cond_signal that finds a waiter), wake_ns (a
 * waiter runs again after a signal or a timeout), cas_ns (setting the drop bit, an atomic or).
 * Not used: N, reacq_ns, wait, spin_ns.
 *
 * Simplifications. Check points are evenly spaced (every `breaker` opcodes) instead of at the
 * workload's back edges and calls; the check itself costs nothing (it is the eval loop's
 * existing breaker test). Only the GIL drop bit is modelled (no signals, pending calls, GC or
 * async exceptions in _Py_HandlePending). Timed waits and wake-ups are the backend's (timer
 * slack, drawn wake-up latency); which waiter a signal wakes is gil_cv's wake_order (glibc's
 * condvar by default: the requester, still entering its next wait, often takes the signal).
 *
 * Versions. The drop request is per thread, aimed at last_holder, as in 3.13+. CPython 3.11
 * (Python/ceval_gil.h), which docs/validation-cpython.md measures, keeps one interpreter-wide
 * gil_drop_request/eval_breaker that whoever holds the GIL sees, resets it in take_gil on every
 * take, and signals `cond` in drop_gil even with no waiter. For these mechanics that is the same:
 * a request always reaches the holder of the moment, a take discards it in both (3.13: the old
 * holder clears its bit in drop_gil or at its next take), drop_gil's FORCE_SWITCHING test sees
 * it in both, and take_gil's switch_number test (a waiter that saw a switch waits a fresh
 * interval without requesting) is the same code; the signal with no waiter costs no futex call
 * in glibc (signal_ns is charged only with a waiter).
 *
 * Counters (stats.h): switches (switch_number's increments, less the first take), parks (each
 * timed wait on `cond` and each FORCE_SWITCHING wait on `switch_cond`), futile_wakeups (a waiter
 * signalled by a drop that finds the GIL taken again, by a barging thread); no handoffs (a
 * dropped GIL is free for anyone: FORCE_SWITCHING only makes the dropper wait). */
#include <stdlib.h>

#include "gil_lock.h"
#include "scheme.h"

extern const struct scheme_ops scheme_gil_interval;

/* Its own parameter row (scheme_ops.params), placed right after `breaker`. */
static const struct param interval_rows[] = {
    PARAM_OWN_REAL("switch_ns", 1, 1e12, "5000000", "ns",
                   "gil-interval switch interval (ceval_gil.c DEFAULT_INTERVAL 5000 us)"),
};

struct interval_run {
    struct gil_lock gil;          /* locked, mutex, cond */
    int64_t last_holder;          /* slot; written under gil.mu and switch_mu */
    uint64_t switch_number;       /* under gil.mu */
    struct rt_mutex *switch_mu;   /* FORCE_SWITCHING */
    struct gil_cv switch_cond;    /* under switch_mu */
    struct gil_thread *th;
    double switch_ns;             /* the parameter (the switch interval) */
};

static struct interval_run *R(struct ithread *t) { return t->run->sched; }

static void interval_fini(struct run *r)
{
    struct interval_run *g = r->sched;
    if (!g)
        return;
    gil_lock_fini(&g->gil);
    if (g->switch_mu)
        rt_mutex_free(g->switch_mu);
    if (g->th)
        gil_threads_free(r, g->th);
    free(g);
    r->sched = NULL;
}

static int interval_init(struct run *r)
{
    struct interval_run *g = calloc(1, sizeof *g);
    if (!g)
        return -1;
    r->sched = g;
    g->last_holder = -1;
    g->switch_ns = scheme_own(r->p, &scheme_gil_interval)[0].d;
    g->th = gil_threads_new(r);
    g->switch_mu = rt_mutex_new();
    gil_cv_init(&g->switch_cond, r->p, 1);
    if (!g->th || gil_lock_init(&g->gil, 0, r->p, 0) != 0 || !g->switch_mu) {
        interval_fini(r);
        return -1;
    }
    return 0;
}

/* take_gil (ceval_gil.c). */
static void take_gil(struct ithread *t)
{
    const struct params *p = t->run->p;
    struct interval_run *g = R(t);
    struct gil_lock *l = &g->gil;
    int requests = 0;
    rt_mutex_lock(l->mu);
    if (l->locked) {
        l->waiters++;
        while (l->locked) {
            uint64_t saved = g->switch_number;
            gil_wait_begin(t, g->last_holder);
            int timed_out = gil_cv_wait(t, &l->cv, l->mu, g->switch_ns);
            if (timed_out && l->locked && g->switch_number == saved) {
                /* The request is aimed at the holder thread; it sees it at its next check
                 * point (the bit carries no data: release/acquire only order it with the
                 * interrupt). */
                struct ithread *h = &t->run->threads[g->last_holder];
                atomic_fetch_or_explicit(&gil_of(h)->breaker, GIL_DROP_REQUEST,
                                         memory_order_release);
                rt_interrupt(h->rt);
                requests++;
            } else if (!timed_out && l->locked) {
                t->stats.futile_wakeups++; /* signalled by a drop, and a barger took it */
            }
        }
        l->waiters--;
    }
    rt_mutex_lock(g->switch_mu);
    l->locked = 1;
    l->holder = t->slot;
    if (g->last_holder != (int64_t)t->slot) {
        if (g->last_holder >= 0)
            t->stats.switches++;
        g->last_holder = t->slot;
        g->switch_number++;
    }
    int signal = gil_cv_signal(&g->switch_cond);
    rt_mutex_unlock(g->switch_mu);
    gil_of(t)->holds = 1;
    /* A stale request aimed at this thread is discarded. */
    atomic_fetch_and_explicit(&gil_of(t)->breaker, ~GIL_DROP_REQUEST, memory_order_relaxed);
    rt_mutex_unlock(l->mu);
    rt_execute(2 * p->mutex_ns + requests * p->cas_ns + (signal ? p->signal_ns : 0));
    gil_wait_end(t);
}

/* drop_gil (ceval_gil.c); `final` for the thread's last release. */
static void drop_gil(struct ithread *t, int final)
{
    const struct params *p = t->run->p;
    struct interval_run *g = R(t);
    gil_of(t)->holds = 0;
    gil_lock_release(t, &g->gil);
    if (final ||
        !(atomic_load_explicit(&gil_of(t)->breaker, memory_order_acquire) & GIL_DROP_REQUEST))
        return;
    /* FORCE_SWITCHING: wait until another thread has taken the GIL. */
    rt_mutex_lock(g->switch_mu);
    if (g->last_holder == (int64_t)t->slot) {
        atomic_fetch_and_explicit(&gil_of(t)->breaker, ~GIL_DROP_REQUEST, memory_order_relaxed);
        gil_wait_begin(t, -1);
        gil_cv_wait(t, &g->switch_cond, g->switch_mu, 0);
    }
    rt_mutex_unlock(g->switch_mu);
    rt_execute(p->mutex_ns);
}

/* _Py_HandlePending at a check point: only the GIL drop request is modelled. */
static void interval_check(struct ithread *t)
{
    if (!(atomic_load_explicit(&gil_of(t)->breaker, memory_order_acquire) & GIL_DROP_REQUEST))
        return;
    drop_gil(t, 0);
    take_gil(t);
}

static void interval_thread_start(struct ithread *t)
{
    /* The drop request sets an eval-breaker bit, seen at the next breaker check point; testing
     * it is part of the eval loop's existing check (no separate poll cost). */
    t->check_every = t->run->p->breaker;
    gil_no_check_cost(t);
    take_gil(t);
}

static void interval_io_enter(struct ithread *t) { drop_gil(t, 0); }
static void interval_thread_exit(struct ithread *t) { drop_gil(t, 1); }

const struct scheme_ops scheme_gil_interval = {
    .name = "gil-interval",
    .summary = "CPython 3.2+ GIL: waiters request a drop after a switch interval; the holder "
               "drops at its next check point and waits until another thread takes it",
    .baseline = 1,
    .gil = 1,
    .params = interval_rows,
    .nparams = sizeof interval_rows / sizeof interval_rows[0],
    .params_after = "breaker",
    .run_init = interval_init,
    .run_fini = interval_fini,
    .thread_start = interval_thread_start,
    .thread_exit = interval_thread_exit,
    .is_local = gil_is_local,
    .access = gil_access,
    .check = interval_check,
    .io_enter = interval_io_enter,
    .io_leave = take_gil,
};
