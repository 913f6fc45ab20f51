/* `gil-ticks`: the CPython 2.7 GIL (docs/schemes.md; CPython 2.7.17, commit 74ceb358,
 * Python/ceval.c l. 238, 335-360, 663-664, 1098-1148; Python/thread_pthread.h l. 79-83, 345-384).
 *
 * What it models. The GIL `interpreter_lock` is a plain PyThread lock: a barging lock with no
 * handoff, no fairness and no queue (a gil_lock: release sets it free and wakes one sleeper;
 * whoever calls acquire first while it is free wins). The global ticker `_Py_Ticker` starts at 0
 * ("so that we hit a tick first thing") and counts down one per tick; when it runs out the
 * holder resets it to the check interval, releases the lock (sem_post: the lock is free at once,
 * and the releaser pays signal_ns for the futex wake when anyone waits) and, after the few
 * instructions of `PyThreadState_Swap`, re-acquires it (sem_wait). A waiter it woke runs only
 * wake_ns later, so it almost always finds the lock taken again and goes back to sleep: one
 * futile wake-up per check, and almost no actual switch (docs/schemes.md, gil-ticks). Blocking I/O
 * releases the lock (Py_BEGIN_ALLOW_THREADS) and re-acquires it after (Py_END_ALLOW_THREADS): a
 * thread returning from I/O competes at the holder's release windows. A thread releases the lock
 * when it ends. While holding the GIL every access is local.
 *
 * Parameters: N = _Py_CheckInterval, ticks between checks (default 100, ceval.c l. 663;
 * sys.setcheckinterval); reacq_ns = the window between release and re-acquire, t_reacq (default
 * 50 ns, docs/schemes.md, gil-ticks [ESTIMATE]); costs mutex_ns (each lock operation), signal_ns (a release
 * that wakes a sleeper), wake_ns (a woken waiter runs again). Not used: breaker, wait, spin_ns.
 *
 * Simplifications. Ticks are opcodes: every opcode of the stream ticks, whereas 2.7 does not
 * tick on FAST_DISPATCH opcodes (LOAD_FAST, LOAD_CONST, STORE_FAST, POP_TOP, jumps...), so a
 * check comes every N simulated opcodes rather than every N slow opcodes. The ticker is read
 * through the horizon hook, so a run costs one release/re-acquire per N opcodes, not one event
 * per opcode. No check is skipped before SETUP_FINALLY (the model has no such opcode) and there
 * are no pending calls, so the signal storm (ticker forced to 0 on a non-main thread) does not
 * happen. The OS never deschedules the holder inside its window (the simulator has no time
 * slices): a woken waiter wins only if its wake-up happens to land inside a release window, or
 * when the holder blocks in I/O or ends.
 *
 * Counters (stats.h): switches (a thread took the lock another thread held last), parks (each
 * sleep on the lock's condvar), futile_wakeups (a sleeper woken by a release that finds the lock
 * taken again and sleeps anew: docs/schemes.md's gil-ticks wasted wake-up); no handoffs (there are none). */
#include <stdlib.h>

#include "gil_lock.h"

struct ticks_run {
    struct gil_lock lock;     /* interpreter_lock */
    struct gil_ticker ticker; /* _Py_Ticker */
    struct gil_thread *th;
    double reacq_ns;          /* the parameter below */
};

extern const struct scheme_ops scheme_gil_ticks;

/* Its own parameter row (scheme_ops.params). */
static const struct param ticks_rows[] = {
    PARAM_OWN_REAL("reacq_ns", 0, 1e9, "50", "ns",
                   "gil-ticks: the releaser's re-acquire window t_reacq (docs/schemes.md, "
                   "gil-ticks) [ESTIMATE]"),
};

static struct ticks_run *R(struct ithread *t) { return t->run->sched; }

static void ticks_fini(struct run *r)
{
    struct ticks_run *k = r->sched;
    if (!k)
        return;
    gil_lock_fini(&k->lock);
    if (k->th)
        gil_threads_free(r, k->th);
    free(k);
    r->sched = NULL;
}

static int ticks_init(struct run *r)
{
    struct ticks_run *k = calloc(1, sizeof *k);
    if (!k)
        return -1;
    r->sched = k;
    k->th = gil_threads_new(r);
    if (!k->th || gil_lock_init(&k->lock, 0, r->p, 0) != 0) {
        ticks_fini(r);
        return -1;
    }
    /* thread_pthread.h: sem_post, or (without semaphores) cond_signal after the unlock. */
    k->lock.signal_unlocked = 1;
    /* Its internal mutex, taken twice per check by the holder and once per wake-up by each
     * waiter, is contended: held mutex_contended_ns per critical section. */
    if (!gil_lock_model_mutex(&k->lock, r->p->mutex_contended_ns)) {
        ticks_fini(r);
        return -1;
    }
    gil_ticker_init(&k->ticker, r->p->N, 0);
    k->reacq_ns = scheme_own(r->p, &scheme_gil_ticks)[0].d;
    return 0;
}

/* PyThread_acquire_lock(interpreter_lock, 1): take the lock if it is free, else sleep until a
 * release wakes this thread and try again (a wake-up that finds it taken again is futile). */
static void ticks_acquire(struct ithread *t)
{
    struct gil_lock *l = &R(t)->lock;
    gil_mu_lock(l);
    if (l->locked) {
        l->waiters++;
        for (;;) {
            gil_wait_begin(t, l->holder);
            gil_lock_wait(t, l, 0);
            if (!l->locked)
                break;
            t->stats.futile_wakeups++; /* a release woke it, and the lock was taken again */
        }
        l->waiters--;
    }
    l->locked = 1;
    l->holder = t->slot;
    gil_count_switch(t, &l->last);
    gil_mu_unlock(t, l);
    if (l->hold_ns <= 0)
        rt_execute(t->run->p->mutex_ns);
    gil_of(t)->holds = 1;
    gil_ticker_claim(t);
    gil_wait_end(t);
}

/* PyThread_release_lock(interpreter_lock). */
static void ticks_release(struct ithread *t)
{
    gil_ticker_count(&R(t)->ticker, t);
    gil_of(t)->holds = 0;
    gil_lock_release(t, &R(t)->lock);
}

/* The periodic check (ceval.c l. 1098-1148), when the ticker has run out: reset it, release,
 * "Other threads may run now", re-acquire at once. */
static void ticks_check(struct ithread *t)
{
    if (!gil_ticker_due(&R(t)->ticker, t))
        return;
    ticks_release(t);
    rt_execute(R(t)->reacq_ns);
    ticks_acquire(t);
}

static int64_t ticks_horizon(struct ithread *t)
{
    return gil_ticker_horizon(&R(t)->ticker, t, ticks_check);
}

static void ticks_thread_start(struct ithread *t)
{
    gil_no_check_cost(t);
    ticks_acquire(t);
}

const struct scheme_ops scheme_gil_ticks = {
    .name = "gil-ticks",
    .summary = "CPython 2.7 GIL: barging lock released and re-taken every N ticks (opcodes) "
               "and around I/O; no handoff, no fairness",
    .handover_every_check = 1,
    .gil = 1,
    .params = ticks_rows,
    .nparams = sizeof ticks_rows / sizeof ticks_rows[0],
    .run_init = ticks_init,
    .run_fini = ticks_fini,
    .thread_start = ticks_thread_start,
    .thread_exit = ticks_release,
    .is_local = gil_is_local,
    .access = gil_access,
    .check = ticks_check,
    .horizon = ticks_horizon,
    .io_enter = ticks_release,
    .io_leave = ticks_acquire,
};
