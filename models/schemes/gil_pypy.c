/* `gil-pypy`: PyPy's GIL (docs/schemes.md; pypy/pypy main @ 4eeb73ca, thread_gil.c
 * last changed at 8bae224d: RPyGilAcquireSlowPath, RPyGilYieldThread; thread_pthread.c:
 * mutex1_t, mutex2_t, mutex2_lock_timeout; threadlocal.h: _RPyGilAcquire, _RPyGilRelease;
 * pypy/module/thread/gil.py GILReleaseAction; pypy/interpreter/executioncontext.py ticker).
 *
 * What it models. "The GIL" is two locks, held when both are: the word `rpy_fastgil` (0 free,
 * else the holder; here slot + 1) and `mutex_gil`, a mutex2_t (a gil_lock) created locked and
 * never unlocked on the fast path.
 *  - Release around an external call (here: blocking I/O) and at thread end is a plain store,
 *    rpy_fastgil = 0: no syscall, nobody is woken. Returning, the thread re-takes the GIL with
 *    one CAS 0 -> me if nobody stole it meanwhile, else it takes the slow path.
 *  - Slow path: rpy_waiting_threads++, then early polling (PyPy issue #2341): n+1 PAUSEs, n from the
 *    source's sequence n = 2n+1 folded into [40, 400), stopping when rpy_waiting_threads
 *    changes (another thread entered or left) or when rpy_fastgil is seen free and a CAS takes
 *    it; a thread that gets the GIL this way unlocks mutex_gil (handing it to the stealer, for
 *    fairness) and queues anyway. Then it queues on `mutex_gil_stealer` (a mutex: the others
 *    sleep there); the one holding it is THE stealer: it loops { if rpy_fastgil is free, CAS it
 *    (steal from a thread in an external call); else mutex2_lock_timeout(mutex_gil, 100 us): a
 *    timed wait on mutex_gil's condvar, which succeeds if mutex_gil was unlocked (an explicit
 *    yield handed it over) }, then rpy_waiting_threads--, and lets the next queued thread
 *    become the stealer.
 *  - A waiter cannot preempt a CPU-bound holder. The holder runs the periodic GILReleaseAction
 *    every yield_every bytecodes (the ticker); it yields only if rpy_waiting_threads > 0, and
 *    then it is a true handoff: it unlocks mutex_gil while rpy_fastgil stays set, so only the
 *    stealer (waiting on mutex_gil) can take it; the yielder then queues via the slow path.
 *  - A thread blocked in I/O loses the GIL only when the stealer's poll finds rpy_fastgil free:
 *    within steal_ns + wake_ns.
 *
 * Parameters: yield_every = bytecodes between periodic actions (default 10000:
 * executioncontext.py checkinterval_scaled = 10000 * TICK_COUNTER_STEP, ticker -100 per
 * bytecode); steal_ns = the stealer's timed wait (default 100 us: mutex2_lock_timeout(&mutex_gil,
 * 0.0001)); costs pause_ns (one PAUSE of the early poll, RPy_YieldProcessor; default 50 ns,
 * about a Skylake-class PAUSE of ~140 cycles [ESTIMATE], so the longest poll, 400 PAUSEs, is
 * 20 us), cas_ns (each CAS and atomic increment), poll_ns (the stealer reading rpy_fastgil),
 * mutex_ns, signal_ns (mutex2_unlock waking the stealer), wake_ns (the stealer runs again after
 * a signal or a timeout), handoff_ns (a polling thread sees another core's store). Not used: N,
 * breaker, reacq_ns, switch_ns, wait, spin_ns.
 *
 * Simplifications. Every opcode is an interpreted bytecode (ticker -100 each): no JIT, whose
 * loops tick only at back edges by clamp(trace_len/32, 1, 100). The ticker starts full, and
 * non-periodic actions (signals, finalizers) that would run the yield early do not exist. An
 * early poll is one interruptible spin rather than n+1 separate loads: a thread that stores to
 * rpy_fastgil or rpy_waiting_threads interrupts the poller, which sees the store handoff_ns
 * later. Stealer-queue order is the simulator mutex's (FIFO; the source assumes "roughly"
 * FIFO), and a thread queued there sleeps without paying wake_ns when its turn comes. While
 * holding the GIL every access is local.
 *
 * Counters (stats.h): switches (a thread took the GIL another thread held last), handoffs (the
 * stealer took mutex_gil unlocked by another thread: a yield, or an early poller's "hand it to
 * the stealer"), parks (each timed wait of the stealer, and each time a thread found
 * mutex_gil_stealer taken and queued on it); no futile wake-ups (only the stealer waits on
 * mutex_gil, and a signal always leaves it unlocked for it). */
#include <stdlib.h>

#include "gil_lock.h"

#define RPY_GIL_POKE_MIN 40
#define RPY_GIL_POKE_MAX 400

struct pypy_run {
    _Atomic int64_t fastgil;     /* rpy_fastgil: 0 free, else holder slot + 1 */
    struct gil_lock mutex_gil;   /* mutex2_t, created locked */
    struct rt_mutex *stealer;    /* mutex_gil_stealer (mutex1_t) */
    _Atomic int64_t waiting;     /* rpy_waiting_threads */
    _Atomic int early_poll_n;    /* rpy_early_poll_n (racy by design in the source) */
    /* Model only: slot of the thread in its early poll (-1: none), whom a store that poll reads
     * must interrupt. At most one poll runs: each entrant changes rpy_waiting_threads, which
     * ends the previous poll. */
    _Atomic int64_t poller;
    /* Model only, for the counters: threads queued on or holding mutex_gil_stealer (one that
     * finds it above 0 blocks), the slot that last unlocked mutex_gil (under mutex_gil's mutex
     * once unlocked) and the slot of the GIL's last holder (written by the holder). */
    _Atomic int64_t stealer_queue;
    int64_t unlocked_by;
    int64_t last;
    struct gil_ticker ticker;    /* the action ticker, in bytecodes */
    struct gil_thread *th;
    double steal_ns;             /* the parameter below */
};

extern const struct scheme_ops scheme_gil_pypy;

/* Its own parameter rows (scheme_ops.params), in this order. */
enum { ROW_YIELD_EVERY, ROW_STEAL_NS };
static const struct param pypy_rows[] = {
    PARAM_OWN_INT("yield_every", 1, 1e12, "10000", "opcodes",
                  "gil-pypy periodic yield (executioncontext.py checkinterval 10000)"),
    PARAM_OWN_REAL("steal_ns", 1, 1e12, "100000", "ns",
                   "gil-pypy stealer poll timeout (thread_gil.c mutex2_lock_timeout 0.0001 s)"),
};

static struct pypy_run *R(struct ithread *t) { return t->run->sched; }

static void pypy_fini(struct run *r)
{
    struct pypy_run *g = r->sched;
    if (!g)
        return;
    gil_lock_fini(&g->mutex_gil);
    if (g->stealer)
        rt_mutex_free(g->stealer);
    if (g->th)
        gil_threads_free(r, g->th);
    free(g);
    r->sched = NULL;
}

static int pypy_init(struct run *r)
{
    struct pypy_run *g = calloc(1, sizeof *g);
    if (!g)
        return -1;
    r->sched = g;
    atomic_init(&g->fastgil, 0);
    atomic_init(&g->waiting, 0);
    atomic_init(&g->early_poll_n, 0);
    atomic_init(&g->poller, -1);
    atomic_init(&g->stealer_queue, 0);
    g->unlocked_by = -1;
    g->last = -1;
    const union param_slot *own = scheme_own(r->p, &scheme_gil_pypy);
    gil_ticker_init(&g->ticker, own[ROW_YIELD_EVERY].i, own[ROW_YIELD_EVERY].i);
    g->steal_ns = own[ROW_STEAL_NS].d;
    g->th = gil_threads_new(r);
    g->stealer = rt_mutex_new();
    if (!g->th || gil_lock_init(&g->mutex_gil, 1, r->p, 0) != 0 || !g->stealer) {
        pypy_fini(r);
        return -1;
    }
    g->mutex_gil.signal_unlocked = 1; /* mutex2_unlock: cond_signal after the unlock */
    return 0;
}

static int64_t holder_slot(struct pypy_run *g)
{
    return atomic_load_explicit(&g->fastgil, memory_order_relaxed) - 1;
}

/* A store an early poll reads (rpy_fastgil, rpy_waiting_threads): the poller notices it. */
static void poke_poller(struct ithread *t)
{
    int64_t k = atomic_load_explicit(&R(t)->poller, memory_order_acquire);
    if (k >= 0 && k != (int64_t)t->slot)
        rt_interrupt(t->run->threads[k].rt);
}

/* CAS rpy_fastgil 0 -> me. Acquire: what the previous holder wrote before its release store
 * (pypy_release) or its handoff (the stealer's store) is visible to this thread once it holds
 * the GIL. */
static int fastgil_cas(struct ithread *t)
{
    rt_execute(t->run->p->cas_ns);
    int64_t expected = 0;
    return atomic_compare_exchange_strong_explicit(&R(t)->fastgil, &expected,
                                                   (int64_t)t->slot + 1, memory_order_acquire,
                                                   memory_order_relaxed);
}

/* _RPyGilRelease: rpy_fastgil = 0, nothing else. Release: this thread's object writes are
 * visible before rpy_fastgil reads 0 to a thread that then CASes it. */
static void pypy_release(struct ithread *t)
{
    gil_ticker_count(&R(t)->ticker, t);
    gil_of(t)->holds = 0;
    atomic_store_explicit(&R(t)->fastgil, 0, memory_order_release);
    poke_poller(t);
}

/* mutex2_unlock(&mutex_gil): hands the GIL to the stealer. */
static void unlock_mutex_gil(struct ithread *t)
{
    struct pypy_run *g = R(t);
    /* Read by the stealer under mutex_gil's mutex once it sees it unlocked: the release's
     * lock/unlock of that mutex orders this store before the read. */
    g->unlocked_by = t->slot;
    gil_lock_release(t, &g->mutex_gil);
}

/* The early poll of RPyGilAcquireSlowPath: up to n+1 PAUSEs while rpy_waiting_threads stays
 * `old`; a free rpy_fastgil taken on the way is handed to the stealer (mutex2_unlock). */
static void early_poll(struct ithread *t, int64_t old)
{
    const struct params *p = t->run->p;
    struct pypy_run *g = R(t);
    int n = atomic_load_explicit(&g->early_poll_n, memory_order_relaxed) * 2 + 1;
    while (n >= RPY_GIL_POKE_MAX)
        n -= RPY_GIL_POKE_MAX - RPY_GIL_POKE_MIN;
    atomic_store_explicit(&g->early_poll_n, n, memory_order_relaxed);
    double budget = (n + 1) * p->pause_ns;
    atomic_store_explicit(&g->poller, (int64_t)t->slot, memory_order_release);
    for (;;) {
        if (atomic_load_explicit(&g->waiting, memory_order_acquire) != old)
            break;
        if (atomic_load_explicit(&g->fastgil, memory_order_acquire) == 0 && fastgil_cas(t)) {
            unlock_mutex_gil(t);
            break;
        }
        if (budget <= 0)
            break;
        budget -= rt_work(budget);
        if (rt_interrupted()) {
            rt_clear_interrupt();
            double d = budget < p->handoff_ns ? budget : p->handoff_ns;
            rt_execute(d);
            budget -= d;
        }
    }
    int64_t me = t->slot;
    atomic_compare_exchange_strong_explicit(&g->poller, &me, -1, memory_order_acq_rel,
                                            memory_order_relaxed);
}

/* RPyGilAcquireSlowPath after a failed CAS. */
static void slow_path(struct ithread *t)
{
    const struct params *p = t->run->p;
    struct pypy_run *g = R(t);
    struct gil_lock *mg = &g->mutex_gil;
    gil_wait_begin(t, holder_slot(g));
    rt_execute(p->cas_ns);
    int64_t old = atomic_fetch_add_explicit(&g->waiting, 1, memory_order_acq_rel) + 1;
    poke_poller(t);
    early_poll(t, old);
    /* Enter the waiting queue from the end; the thread holding it is the stealer. */
    gil_wait_begin(t, holder_slot(g));
    if (atomic_fetch_add_explicit(&g->stealer_queue, 1, memory_order_relaxed) > 0)
        t->stats.parks++; /* another thread is the stealer: sleep on mutex_gil_stealer */
    rt_mutex_lock(g->stealer);
    rt_mutex_lock(mg->mu); /* mutex2_loop_start */
    for (;;) {
        rt_execute(p->poll_ns);
        if (atomic_load_explicit(&g->fastgil, memory_order_acquire) == 0 && fastgil_cas(t))
            break; /* stolen from a thread in an external call */
        /* mutex2_lock_timeout(&mutex_gil, steal_ns) */
        if (mg->locked) {
            mg->waiters++;
            gil_cv_wait(t, &mg->cv, mg->mu, g->steal_ns);
            mg->waiters--;
        }
        int got = !mg->locked;
        mg->locked = 1;
        if (got) {
            /* An explicit yield handed mutex_gil over (the yielder's writes are visible through
             * mutex_gil's mutex); rpy_fastgil is still set: record the new holder. */
            atomic_store_explicit(&g->fastgil, (int64_t)t->slot + 1, memory_order_release);
            if (g->unlocked_by != (int64_t)t->slot)
                t->stats.handoffs++;
            break;
        }
        gil_wait_begin(t, holder_slot(g));
    }
    atomic_fetch_sub_explicit(&g->waiting, 1, memory_order_acq_rel);
    poke_poller(t);
    rt_mutex_unlock(mg->mu); /* mutex2_loop_stop */
    atomic_fetch_sub_explicit(&g->stealer_queue, 1, memory_order_relaxed);
    rt_mutex_unlock(g->stealer);
    rt_execute(p->cas_ns + 2 * p->mutex_ns);
    /* A poke that came after this thread's early poll ended is spent. */
    rt_clear_interrupt();
}

/* _RPyGilAcquire. */
static void pypy_acquire(struct ithread *t)
{
    if (!fastgil_cas(t))
        slow_path(t);
    gil_count_switch(t, &R(t)->last);
    gil_of(t)->holds = 1;
    gil_ticker_claim(t);
    gil_wait_end(t);
}

/* GILReleaseAction.perform -> RPyGilYieldThread, when the ticker has run out. */
static void pypy_check(struct ithread *t)
{
    struct pypy_run *g = R(t);
    if (!gil_ticker_due(&g->ticker, t))
        return;
    if (atomic_load_explicit(&g->waiting, memory_order_acquire) <= 0)
        return; /* nobody waits: no release at all */
    gil_of(t)->holds = 0;
    gil_wait_begin(t, -1);
    unlock_mutex_gil(t); /* rpy_fastgil stays set */
    pypy_acquire(t);     /* the CAS fails: slow path, queue */
}

static int64_t pypy_horizon(struct ithread *t)
{
    return gil_ticker_horizon(&R(t)->ticker, t, pypy_check);
}

static void pypy_thread_start(struct ithread *t)
{
    gil_no_check_cost(t);
    pypy_acquire(t);
}

const struct scheme_ops scheme_gil_pypy = {
    .name = "gil-pypy",
    .summary = "PyPy GIL: release for I/O is a store, one stealer polls every steal_ns; the "
               "holder yields (a handoff) every yield_every bytecodes if someone waits",
    .gil = 1,
    .params = pypy_rows,
    .nparams = sizeof pypy_rows / sizeof pypy_rows[0],
    .run_init = pypy_init,
    .run_fini = pypy_fini,
    .thread_start = pypy_thread_start,
    .thread_exit = pypy_release,
    .is_local = gil_is_local,
    .access = gil_access,
    .check = pypy_check,
    .horizon = pypy_horizon,
    .io_enter = pypy_release,
    .io_leave = pypy_acquire,
};
