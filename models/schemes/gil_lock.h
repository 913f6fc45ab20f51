/* What the three GIL schemes (gil-ticks, gil-interval, gil-pypy) share, so that none of them
 * repeats another's logic:
 *  - struct gil_lock: a flag + mutex + condvar lock. It is CPython 2.7's PyThread lock
 *    (thread_pthread.h l. 446-509: `locked`, `mut`, `lock_released`; the sem_t variant used on
 *    Linux, l. 345-384, behaves the same way for the model: release wakes one waiter, no
 *    handoff, no queue), PyPy's mutex2_t (thread_pthread.c: `locked`, `mut`, `cond`) and the
 *    `locked`/`mutex`/`cond` triple of CPython 3's struct _gil_runtime_state (pycore_gil.h).
 *    docs/schemes.md summarises the three.
 *  - struct gil_cv: the condition variable those locks wait on, timed or not. Each waiter sleeps
 *    on its own condvar (rt_cond_timedwait for a timed wait), the gil_cv keeps the waiters in
 *    the order they began waiting, and a timeout that races a signal is settled under the
 *    mutex. Which waiter a signal wakes is the parameter wake_order: `fifo`, the longest waiter;
 *    `glibc` (default), glibc 2.25+'s condvar on Linux futexes (gil_lock.c: groups G1/G2, the
 *    kernel's FIFO within G1, a waiter still entering its wait taking the signal first,
 *    docs/design.md "Wake order"). A waiter pays the OS wake-up latency after a signal or a
 *    timeout, without holding the mutex (the woken thread re-takes the mutex only once it
 *    runs), so a thread already running can take the lock before it.
 *  - the per-thread part every GIL scheme needs (t->sched points to a struct gil_thread): the
 *    "holds the GIL" flag behind is_local, the eval-breaker bits others set on the thread, and
 *    its condvar wait state;
 *  - marking a thread TS_GIL_WAIT (waits_on = the holder when known) and back, and counting
 *    its switches and parks (stats.h; futile wake-ups and handoffs are each scheme's own);
 *  - a global bytecode ticker read through the horizon hook (2.7's _Py_Ticker, PyPy's action
 *    ticker): ticks are opcodes of the simulated stream, counted when the holder's opcode count
 *    is synchronised, so a run costs one event per tick period, not one per opcode.
 * Invariant: a gil_lock's and a gil_cv's fields are touched only with the lock's mutex held; the
 * ticker only by the GIL holder. */
#ifndef GILSIM_MODELS_SCHEMES_GIL_LOCK_H
#define GILSIM_MODELS_SCHEMES_GIL_LOCK_H

#include <stdatomic.h>
#include <stdint.h>

#include "interp.h"
#include "rt.h"

/* Eval-breaker bit (CPython 3: _PY_GIL_DROP_REQUEST_BIT, pycore_ceval.h). */
#define GIL_DROP_REQUEST 1u

/* Per-thread GIL state; t->sched points to one. The wait fields are under the mutex of the wait
 * in progress. */
struct gil_thread {
    int holds;                 /* this thread holds the GIL (written by the thread itself) */
    int64_t synced;            /* t->opcount when the ticker last counted this thread */
    _Atomic unsigned breaker;  /* eval-breaker bits other threads set (GIL_DROP_REQUEST) */
    struct rt_cond *cv;        /* what the thread sleeps on in a gil_cv wait */
    int woken;                 /* 0 waiting, 1 signalled, 2 timed out */
    struct gil_thread *prev, *next; /* in the waiter list of the gil_cv it waits on */
    uint64_t seq;              /* position of its current wait in that gil_cv (glibc's wseq) */
    double since;              /* when its current wait began (rt_now) */
};

struct gil_cv {
    struct gil_thread *head, *tail; /* waiters in the order their waits began (seq order) */
    uint32_t n;                     /* waiters in the list */
    enum wake_order order;          /* which waiter a signal wakes (parameter wake_order) */
    /* glibc: waiters with seq < g1_end form G1 (a prefix of the list), g1_left of them not yet
     * signalled nor timed out; the others are G2. */
    uint64_t next_seq, g1_end;
    uint32_t g1_left;
    double steal;    /* cv_steal: chance that a G1 waiter still entering takes a signal */
    double entry_ns; /* cv_entry_ns: how long a waiter is entering its wait */
    uint64_t rng;    /* splitmix64 state, seeded from the run's seed and the cv's stream */
};

struct gil_lock {
    struct rt_mutex *mu;
    struct gil_cv cv;
    int locked;     /* under mu */
    int64_t holder; /* slot of the thread that locked it, -1 if free (for waits_on) */
    int64_t last;   /* slot of the thread that locked it last, -1 if none yet (switches) */
    int waiters;    /* threads inside a wait loop on cv: a release with none makes no futex
                     * call and costs no signal_ns */
    int signal_unlocked; /* a release signals after unlocking mu (Python 2.7's lock, PyPy's
                          * mutex2_unlock), not under it (CPython 3's drop_gil) */
};

/* A global count-down of opcodes run by whoever holds the GIL. */
struct gil_ticker {
    int64_t left;  /* opcodes until the next check */
    int64_t every; /* reset value */
};

/* Allocates one gil_thread per thread of r and points each t->sched at it; NULL if out of
 * memory. Free with gil_threads_free. */
struct gil_thread *gil_threads_new(struct run *r);
void gil_threads_free(struct run *r, struct gil_thread *th);
static inline struct gil_thread *gil_of(struct ithread *t) { return t->sched; }

/* is_local / access hooks of every GIL scheme: the holder runs every access inline. */
int gil_is_local(struct ithread *t, const struct op *op);
void gil_access(struct ithread *t, const struct op *op);
/* GIL schemes have no drain points: check points cost nothing (thread_start). */
void gil_no_check_cost(struct ithread *t);

/* An empty cv with the run's wake_order, cv_steal and cv_entry_ns; `stream` tells the cvs of
 * one run apart (each draws from its own stream of the run's seed). */
void gil_cv_init(struct gil_cv *cv, const struct params *p, uint64_t stream);
/* One wait on cv (m held, the mutex of every wait on cv): the thread parks (counted in its
 * stats) and returns with m held once signalled or after timeout_ns (<= 0: no timeout), the
 * wake-up latency wake_ns paid without m. Returns 1 on timeout, 0 when signalled (also when the
 * signal comes at the instant the timeout expires). */
int gil_cv_wait(struct ithread *t, struct gil_cv *cv, struct rt_mutex *m, double timeout_ns);
/* Wakes one waiter of cv, chosen by its wake order, if any (its mutex held); returns 1 if it
 * woke one. */
int gil_cv_signal(struct gil_cv *cv);
/* gil_cv_signal in two steps: the choice, under the mutex (the waiter, marked woken, or NULL),
 * then the futex wake, which may come after the mutex is unlocked. */
struct gil_thread *gil_cv_choose(struct gil_cv *cv);
void gil_cv_wake(struct gil_thread *w);
/* Takes out of cv the waiter a signal at time `now` goes to, given a uniform draw u in [0, 1)
 * (only used where the order draws), and returns it; NULL if none waits. Updates the groups as
 * glibc's signal does. gil_cv_signal's choice, exposed for gil_lock_test. */
struct gil_thread *gil_cv_take(struct gil_cv *cv, double now, double u);
/* Puts w at the end of cv's waiters (a new wait beginning at `now`). */
void gil_cv_enter(struct gil_cv *cv, struct gil_thread *w, double now);
/* Takes w out of cv's waiters (a timeout: it leaves its group). */
void gil_cv_leave(struct gil_cv *cv, struct gil_thread *w);

/* A lock with its cv (gil_cv_init(&l->cv, p, stream)); a release signals under its mutex
 * unless l->signal_unlocked is set after the init. */
int gil_lock_init(struct gil_lock *l, int locked, const struct params *p, uint64_t stream);
void gil_lock_fini(struct gil_lock *l);
/* locked = 0 and, if anyone waits, signal one waiter. Charges mutex_ns, plus signal_ns when a
 * waiter was there to signal. The caller holds the GIL role it gives up, not l->mu. Returns 1
 * if it signalled. */
int gil_lock_release(struct ithread *t, struct gil_lock *l);

/* t has just taken a GIL that the thread of slot *last held last (-1: nobody yet): counts a
 * switch if that was another thread, and records t in *last. */
void gil_count_switch(struct ithread *t, int64_t *last);

/* Marks the thread waiting for the GIL (timeline, deadlock report): waits_on = holder slot
 * (-1 if unknown). gil_wait_end marks it running again if it was waiting. */
void gil_wait_begin(struct ithread *t, int64_t holder);
void gil_wait_end(struct ithread *t);

/* A ticker reset to `every` at each check, starting at `left`. */
void gil_ticker_init(struct gil_ticker *k, int64_t every, int64_t left);
/* Counts the opcodes t ran since it was last counted (call before giving up the GIL). */
void gil_ticker_count(struct gil_ticker *k, struct ithread *t);
/* t has just taken the GIL: its opcodes count from now on. */
void gil_ticker_claim(struct ithread *t);
/* horizon hook body: counts t's opcodes; if the ticker has run out (an opcode outside a batch,
 * e.g. an I/O call, took the last tick), runs `tick` now (the check happens before the next
 * opcode, as in the sources); returns the opcodes left until the next check (> 0). */
int64_t gil_ticker_horizon(struct gil_ticker *k, struct ithread *t,
                           void (*tick)(struct ithread *t));
/* check hook prologue: counts t's opcodes; 1 if the ticker ran out, in which case it is reset
 * (the caller then does its periodic action), 0 for a check point no tick asked for. */
int gil_ticker_due(struct gil_ticker *k, struct ithread *t);

#endif
