/* `free-threading`: CPython 3.13+ built without the GIL (Py_GIL_DISABLED). There is no global
 * lock and no delegation: every object access is a critical section on the object's PyMutex.
 * Invariant: an object's handler runs only while its accessor holds the object's lock, or on an
 * object no other thread can reach at that moment (the batched, lock-free case below).
 *
 * Sources (docs/schemes.md, free-threading), read from python/cpython: Python/lock.c @ 03c5d049
 * (_PyMutex_LockTimed, mutex_unpark, _PyMutex_TryUnlock, TIME_TO_BE_FAIR_NS, MAX_SPIN_COUNT;
 * unchanged @ 7e08284c), Python/parking_lot.c (_PyParkingLot_Park/_Unpark, NUM_BUCKETS 257,
 * _PySemaphore_Wait detaches), Python/critical_section.c @ 000b89e9 (_PyCriticalSection2_BeginSlow,
 * _PyCriticalSection_SuspendAll), Include/internal/pycore_critical_section.h @ 026fa66b
 * (_PyCriticalSection2_BeginMutex sorts the mutexes by address; _PyCriticalSection2_End unlocks
 * m2, then m1), Include/cpython/pylock.h (the lock byte).
 *
 * The model
 * - PyMutex: a byte with LOCKED and HAS_PARKED. Fast path: one CAS 0 -> LOCKED.
 * - Slow path, _PyMutex_LockTimed(timeout -1, _PY_LOCK_DETACH): time_to_be_fair = now + fair_ns
 *   (TIME_TO_BE_FAIR_NS, 1 ms); unlocked: CAS LOCKED in (barging); locked and no HAS_PARKED:
 *   ft_spins sched_yield() calls (MAX_SPIN_COUNT, 40). The spin loop does not reload the byte, so
 *   the spins are blind: one execution of ft_spins x yield_ns, then a CAS that sets HAS_PARKED or
 *   finds the byte changed. Then park.
 * - Park (_PyParkingLot_Park): under the bucket lock, re-check the byte (changed: try again),
 *   queue FIFO, detach, sleep; once woken the thread runs after wake_ns. Handed the lock, it owns
 *   it; otherwise it competes again (no more spins: its spin count is spent).
 * - Unlock: CAS LOCKED -> 0; with HAS_PARKED, _PyParkingLot_Unpark + mutex_unpark dequeue the
 *   first waiter and, if it has waited past its time_to_be_fair (now > time_to_be_fair), hand it
 *   the lock (the byte stays LOCKED); else release it and wake the waiter. HAS_PARKED stays set
 *   while the bucket has waiters (bucket-wide, as parking_lot.c counts them).
 * - An op with a callback also reads an object of its issuer: Py_BEGIN_CRITICAL_SECTION2 locks
 *   both mutexes in address order (here the lock table's order) and unlocks m2, then m1. While it
 *   waits for m2 it keeps m1: the section is not active yet (_cs_mutex is still NULL), so the
 *   detach's _PyCriticalSection_SuspendAll does not unlock it. Address order keeps the wait-for
 *   graph acyclic.
 * - Detaching suspends every active critical section. Here a thread is in at most one section (an
 *   op) and its body never blocks, so a parked thread holds no lock but that m1, and a thread in
 *   I/O holds none.
 * - Reads without callback (ft_reads=optimistic, 3.13+ list_get_item_ref,
 *   _Py_dict_lookup_threadsafe, LOAD_ATTR) take no mutex: they succeed if no thread held or took
 *   the lock while they read, else run again in the critical section (optimistic_read).
 * - Reference counts (ft_refcount, ft_refcount.h): biased by default, merges queued to the owner
 *   and run at its eval-breaker check points (check hook, every `breaker` opcodes).
 * Simplified: a lock's bucket is its index modulo 257, not a hash of its address; the two fast
 * CASes that fail before _PyMutex_LockTimed (PyMutex_LockFast, then _PyMutex_Lock) count as one;
 * no stop-the-world or QSBR; a read's retry is the locked path at once; a spin costs yield_ns whether or not
 * another thread is runnable on the core. The `wait` and `spin_ns` knobs do not apply (PyMutex
 * has its own spin policy). A thread that takes a lock another thread holds aborts the run
 * (become_holder): handlers of one object cannot overlap unnoticed.
 *
 * Costs, all from the parameter table:
 * - fast path, the lock + unlock of an uncontended PyMutex: mutex_ns when this thread wrote the
 *   lock byte last (the line is in its cache: an uncontended lock+unlock, docs/schemes.md, default costs), cas_ns
 *   when another thread did (the CAS fetches the line from another core);
 * - slow path: each further CAS cas_ns; the spins ft_spins x yield_ns of CPU; park: mutex_ns (the
 *   bucket lock), then sleep, then wake_ns without a core, then mutex_ns to re-attach; an unlock
 *   that finds HAS_PARKED: mutex_ns (bucket lock) + signal_ns (the semaphore post);
 * - detach + re-attach (a store and a CAS on the thread's own state, like an uncontended
 *   lock+unlock): mutex_ns, around a park and around an I/O.
 * An atomic op on a lock byte takes effect when it starts; its cost is charged after it.
 *
 * Events, not opcodes. is_local says 1 only for accesses no other thread can contend: objects the
 * thread allocated (generator.c and traces give other threads and callbacks only initial objects),
 * every object when nothing is shared, with a home thread every object but the home thread's
 * initial ones, and, once all other threads have exited, every unlocked object whose byte this
 * thread wrote last (and, with reference counts, only the thread's own objects whose count
 * line it wrote last). Those run batched without touching the lock byte, each charged mutex_ns
 * (t->access_ns, twice for an access with a callback, which locks two objects; a lock-free read
 * t->read_ns, none) plus the owner's refcount cost inside the batch:
 * exactly their fast-path cost, since the thread wrote each of those bytes last (no other thread
 * touches them; an object whose byte another thread wrote last goes through the access hook
 * once, which charges the CAS's cas_ns and makes the line this thread's). Every other access goes
 * through the access hook: two executions when uncontended (the work up to the CAS; the CAS's
 * cost with the critical section), plus a few per contended acquisition.
 *
 * Counters (stats.h): parks (each sleep in _PyParkingLot_Park), handoffs (a parked waiter handed
 * the lock at unlock, counted by the waiter), futile_wakeups (a waiter woken without the lock
 * that parks again before it holds the lock); no switches (there is no GIL).
 *
 * Timeline: gil-wait from a failed fast-path CAS until the lock is held. A waiter woken without
 * the lock starts a new gil-wait interval, so handoffs show: a wait that parked ends in `running`
 * when the lock was handed over, in another `gil-wait` when it was released to competition. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_refcount.h"
#include "interp.h"
#include "rt.h"

/* The lock byte: Include/cpython/pylock.h _Py_LOCKED, Python/lock.c _Py_HAS_PARKED. */
enum { FT_LOCKED = 1, FT_HAS_PARKED = 2 };

/* Python/parking_lot.c NUM_BUCKETS: parked threads queue in buckets hashed by lock address. */
#define FT_BUCKETS 257

/* One object's PyMutex. `holder` and `last` are the model's bookkeeping: the wait-for graph of
 * the deadlock report and the check that no two threads hold the lock, and whose cache holds
 * the byte's line (the cost of the next CAS). */
struct ft_lock {
    _Atomic unsigned char bits;
    _Atomic int64_t holder; /* slot of the thread holding it, -1 if none */
    _Atomic uint32_t last;  /* slot of the thread that last wrote the byte */
    _Atomic uint32_t version; /* acquisitions so far: an optimistic read that saw it change
                                 overlapped a write */
};

/* A parked thread: parking_lot.c wait_entry with lock.c mutex_entry. woken and handed_off are
 * written by the unlocking thread under the bucket's mutex. */
struct ft_waiter {
    struct ft_waiter *next;
    const struct ft_lock *lock;
    double fair_at;     /* time_to_be_fair */
    int woken;
    int handed_off;
    struct rt_cond *cv; /* its _PySemaphore */
    uint32_t slot;
};

struct ft_bucket {
    struct rt_mutex *mu; /* protects the queue and every queued waiter's woken/handed_off */
    struct ft_waiter *head, *tail;
    size_t nwaiters;
};

struct ft_thread {
    struct ft_waiter w;
};

struct ft_run {
    struct ft_lock *locks; /* one per initial object: creator * objects + index */
    struct ft_bucket buckets[FT_BUCKETS];
    struct ft_thread *th;
    int shared;            /* another thread can reach some thread's initial objects */
    int64_t home;          /* >= 0: only this thread's initial objects (generator.c home) */
    _Atomic uint32_t live; /* threads that have not exited */
    int optimistic;        /* ft_reads=optimistic */
    int64_t spins;         /* ft_spins */
    double fair_ns;        /* fair_ns */
    struct ft_rc rc;       /* reference counting (ft_refcount.h) */
};

extern const struct scheme_ops scheme_free_threading;

/* Its own parameter rows (scheme_ops.params), in this order. */
enum { ROW_SPINS, ROW_FAIR_NS, ROW_READS, ROW_REFCOUNT };
enum { READS_OPTIMISTIC, READS_LOCKED }; /* ft_reads_at's order */
PARAM_CHOICES(ft_reads_at, "optimistic", "locked")
PARAM_CHOICES(ft_refcount_at, "biased", "atomic", "none") /* enum ft_rc_mode's order */
static const struct param ft_rows[] = {
    PARAM_OWN_INT("ft_spins", 0, 1e6, "40", "yields",
                  "free-threading PyMutex spins before parking (lock.c MAX_SPIN_COUNT)"),
    PARAM_OWN_REAL("fair_ns", 0, 1e12, "1000000", "ns",
                   "free-threading direct handoff after this wait (lock.c TIME_TO_BE_FAIR_NS 1 "
                   "ms)"),
    PARAM_OWN_CHOICE("ft_reads", "optimistic",
                     "free-threading item reads: optimistic without the object's mutex, falling "
                     "back to it when a write overlaps (3.13+ list_get_item_ref, "
                     "_Py_dict_lookup_threadsafe), or locked", ft_reads_at),
    PARAM_OWN_CHOICE("ft_refcount", "biased",
                     "free-threading reference counts: biased (owner plain, others atomic on the "
                     "shared count, merges queued to the owner: brc.c), atomic (every thread "
                     "atomic), or none (not modelled)", ft_refcount_at),
};

enum park_result { PARK_AGAIN, PARK_WOKEN, PARK_HANDED_OFF };

static struct ft_run *R(struct ithread *t) { return t->run->sched; }
static struct ft_thread *D(struct ithread *t) { return &R(t)->th[t->slot]; }

/* ---- set-up ----------------------------------------------------------------------------- */

static void ft_fini(struct run *r)
{
    struct ft_run *f = r->sched;
    if (!f)
        return;
    for (size_t i = 0; i < FT_BUCKETS; i++)
        if (f->buckets[i].mu)
            rt_mutex_free(f->buckets[i].mu);
    for (uint32_t i = 0; f->th && i < r->nthreads; i++)
        if (f->th[i].w.cv)
            rt_cond_free(f->th[i].w.cv);
    free(f->th);
    free(f->locks);
    ft_rc_fini(&f->rc);
    free(f);
    r->sched = NULL;
}

static int ft_init(struct run *r)
{
    const struct params *p = r->p;
    size_t nlocks = (size_t)r->nthreads * (size_t)p->objects;
    struct ft_run *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    r->sched = f;
    f->locks = calloc(nlocks, sizeof *f->locks);
    f->th = calloc(r->nthreads, sizeof *f->th);
    const union param_slot *own = scheme_own(p, &scheme_free_threading);
    if (!f->locks || !f->th || ft_rc_init(&f->rc, r, (enum ft_rc_mode)own[ROW_REFCOUNT].c) != 0)
        goto fail;
    f->optimistic = own[ROW_READS].c == READS_OPTIMISTIC;
    f->spins = own[ROW_SPINS].i;
    f->fair_ns = own[ROW_FAIR_NS].d;
    for (size_t i = 0; i < nlocks; i++) {
        atomic_init(&f->locks[i].bits, 0);
        atomic_init(&f->locks[i].holder, -1);
        atomic_init(&f->locks[i].last, (uint32_t)(i / (size_t)p->objects)); /* its creator */
        atomic_init(&f->locks[i].version, 0);
    }
    for (size_t i = 0; i < FT_BUCKETS; i++)
        if (!(f->buckets[i].mu = rt_mutex_new()))
            goto fail;
    for (uint32_t i = 0; i < r->nthreads; i++) {
        f->th[i].w.slot = i;
        if (!(f->th[i].w.cv = rt_cond_new()))
            goto fail;
    }
    /* Who can name another thread's initial objects: a trace, anything; generated streams only
     * with sharing, and with a home thread only the home thread's (generator.c pick_foreign). */
    f->shared = r->nthreads > 1 && (p->trace[0] || p->sharing > 0);
    f->home = p->trace[0] ? -1 : p->home;
    atomic_init(&f->live, r->nthreads);
    return 0;
fail:
    ft_fini(r);
    return -1;
}

/* ---- locks ------------------------------------------------------------------------------ */

/* The lock of the object op names; NULL for an object the thread allocated, which no other
 * thread can name. Checks what uncontended() relies on (generator.c, trace.c): another thread's
 * object is named only in a shared run, then only the home thread's if there is one, and never
 * one it allocated. */
static struct ft_lock *lock_of(struct ithread *t, const struct op *op)
{
    const struct params *p = t->run->p;
    struct ft_run *f = R(t);
    if (op->thread != t->slot &&
        (!f->shared || (f->home >= 0 && op->thread != (uint64_t)f->home) ||
         op->index >= (uint64_t)p->objects)) {
        fprintf(stderr, "gilsim: free-threading: T%u names object %u:%u, which this model "
                "expects only its creator to name\n", t->slot, op->thread, op->index);
        abort();
    }
    if (op->index < (uint64_t)p->objects)
        return &f->locks[(size_t)op->thread * (size_t)p->objects + op->index];
    return NULL;
}

/* Records t as l's holder. Aborts if another thread still holds it: two handlers of one object
 * would overlap, the lock is broken. */
static void become_holder(struct ithread *t, struct ft_lock *l)
{
    atomic_fetch_add_explicit(&l->version, 1, memory_order_relaxed);
    int64_t prev = atomic_exchange_explicit(&l->holder, t->slot, memory_order_relaxed);
    if (prev != -1 && prev != t->slot) {
        size_t i = (size_t)(l - R(t)->locks), n = (size_t)t->run->p->objects;
        fprintf(stderr, "gilsim: free-threading: T%u took the lock of object %zu:%zu held by "
                "T%lld\n", t->slot, i / n, i % n, (long long)prev);
        abort();
    }
}

/* 1 if no other thread can take l (NULL: a private object) before this thread acts again, and
 * this thread wrote l's byte last (so the fast path costs mutex_ns, see fast_cost). */
static int uncontended(struct ithread *t, const struct ft_lock *l)
{
    struct ft_run *f = R(t);
    if (!l || !f->shared ||
        (f->home >= 0 && (size_t)(l - f->locks) / (size_t)t->run->p->objects != (size_t)f->home))
        return 1; /* only its creator, t, ever touches l (lock_of checks it) */
    /* Once every other thread has exited nobody changes l; a HAS_PARKED left over from a bucket
     * neighbour makes the real CAS fail, and a line another thread wrote last costs a CAS: such
     * an access goes through the hook. */
    return atomic_load_explicit(&f->live, memory_order_acquire) == 1 &&
           atomic_load_explicit(&l->bits, memory_order_relaxed) == 0 &&
           atomic_load_explicit(&l->last, memory_order_relaxed) == t->slot;
}

/* Cost of t's fast-path lock + unlock of l (NULL: a private object); t's cache now holds it. */
static double fast_cost(struct ithread *t, struct ft_lock *l)
{
    const struct params *p = t->run->p;
    if (!l)
        return p->mutex_ns;
    uint32_t prev = atomic_exchange_explicit(&l->last, t->slot, memory_order_relaxed);
    return prev == t->slot ? p->mutex_ns : p->cas_ns;
}

static struct ft_bucket *bucket_of(struct ithread *t, const struct ft_lock *l)
{
    struct ft_run *f = R(t);
    return &f->buckets[(size_t)(l - f->locks) % FT_BUCKETS];
}

/* A CAS of l's byte in the slow path: what t owes is charged first, the CAS takes effect then,
 * and its own cost is owed. On failure *v is the byte's current value. */
static int slow_cas(struct ithread *t, struct ft_lock *l, unsigned char *v, unsigned char desired,
                    double *owed)
{
    rt_execute(*owed);
    *owed = t->run->p->cas_ns;
    atomic_store_explicit(&l->last, t->slot, memory_order_relaxed);
    /* acq_rel: a taker sees the previous holder's handler effects (released by lock_drop). */
    return atomic_compare_exchange_strong_explicit(&l->bits, v, desired, memory_order_acq_rel,
                                                   memory_order_acquire);
}

/* _PyParkingLot_Park: queues t on l's bucket and sleeps until an unlock wakes it, unless l's byte
 * is no longer `expected`. `owed` is CPU work t charges first; `rewoken`: an unlock woke t
 * without the lock since t last held it, so sleeping again makes that wake-up futile. */
static enum park_result park(struct ithread *t, struct ft_lock *l, unsigned char expected,
                             double fair_at, double owed, int rewoken)
{
    const struct params *p = t->run->p;
    struct ft_bucket *b = bucket_of(t, l);
    struct ft_waiter *w = &D(t)->w;
    rt_execute(owed + p->mutex_ns); /* what t owes, then the bucket's lock */
    rt_mutex_lock(b->mu);
    if (atomic_load_explicit(&l->bits, memory_order_acquire) != expected) {
        rt_mutex_unlock(b->mu);
        return PARK_AGAIN;
    }
    *w = (struct ft_waiter){ .lock = l, .fair_at = fair_at, .cv = w->cv, .slot = w->slot };
    if (b->tail)
        b->tail->next = w;
    else
        b->head = w;
    b->tail = w;
    b->nwaiters++;
    t->stats.parks++;
    t->stats.futile_wakeups += rewoken != 0;
    atomic_store(&t->waits_on, atomic_load_explicit(&l->holder, memory_order_relaxed));
    while (!w->woken)
        rt_cond_wait(w->cv, b->mu);
    int handed = w->handed_off;
    rt_mutex_unlock(b->mu);
    rt_woken(); /* woken: it runs once the OS has scheduled it */
    return handed ? PARK_HANDED_OFF : PARK_WOKEN;
}

/* Removes and returns the first waiter of b parked on l, or NULL. */
static struct ft_waiter *dequeue(struct ft_bucket *b, const struct ft_lock *l)
{
    for (struct ft_waiter **pp = &b->head, *prev = NULL; *pp; prev = *pp, pp = &(*pp)->next) {
        struct ft_waiter *w = *pp;
        if (w->lock != l)
            continue;
        *pp = w->next;
        if (b->tail == w)
            b->tail = prev;
        b->nwaiters--;
        return w;
    }
    return NULL;
}

/* PyMutex_Lock(l) for t (NULL: a private object, no lock to take). `owed` is CPU work to charge
 * before the first attempt; returns the work still owed once l is held (the cost of the last
 * atomic op, for the caller to charge with the critical section). */
static double lock_take(struct ithread *t, struct ft_lock *l, double owed)
{
    const struct params *p = t->run->p;
    if (!l)
        return owed + fast_cost(t, NULL);
    rt_execute(owed);
    owed = fast_cost(t, l);
    unsigned char v = 0;
    if (atomic_compare_exchange_strong_explicit(&l->bits, &v, FT_LOCKED, memory_order_acq_rel,
                                                memory_order_acquire)) {
        become_holder(t, l);
        return owed;
    }
    /* _PyMutex_LockTimed(l, -1, _PY_LOCK_DETACH), with v the byte the fast CAS found. */
    interp_set_state(t, TS_GIL_WAIT);
    double fair_at = rt_now() + R(t)->fair_ns;
    int64_t spins = 0;
    int rewoken = 0;
    for (;;) {
        atomic_store(&t->waits_on, atomic_load_explicit(&l->holder, memory_order_relaxed));
        if (!(v & FT_LOCKED)) {
            if (slow_cas(t, l, &v, v | FT_LOCKED, &owed))
                break;
            continue;
        }
        if (!(v & FT_HAS_PARKED) && spins < R(t)->spins) {
            owed += (double)(R(t)->spins - spins) * p->yield_ns; /* blind: v is not reloaded */
            spins = R(t)->spins;
            continue;
        }
        unsigned char newv = v | FT_HAS_PARKED;
        if (!(v & FT_HAS_PARKED) && !slow_cas(t, l, &v, newv, &owed))
            continue;
        enum park_result r = park(t, l, newv, fair_at, owed, rewoken);
        owed = 0;
        if (r == PARK_AGAIN) {
            v = atomic_load_explicit(&l->bits, memory_order_relaxed);
            continue;
        }
        owed = p->mutex_ns; /* woken: re-attach (PyEval_AcquireThread in _PySemaphore_Wait) */
        if (r == PARK_HANDED_OFF) {
            t->stats.handoffs++;
            break; /* the unlocking thread made t the holder */
        }
        rewoken = 1;
        interp_set_state(t, TS_GIL_WAIT); /* released, not handed over: compete again */
        v = atomic_load_explicit(&l->bits, memory_order_relaxed);
    }
    become_holder(t, l);
    atomic_store(&t->waits_on, -1);
    interp_set_state(t, TS_RUNNING);
    return owed;
}

/* PyMutex_Unlock(l) by its holder t (NULL: nothing to do). The fast CAS's cost was charged with
 * the lock's; with parked waiters the first one is woken, and handed the lock if it has waited
 * past its time_to_be_fair. */
static void lock_drop(struct ithread *t, struct ft_lock *l)
{
    const struct params *p = t->run->p;
    if (!l)
        return;
    atomic_store_explicit(&l->holder, -1, memory_order_relaxed);
    unsigned char v = FT_LOCKED;
    /* release: the handler's effects are visible before the lock is seen free. */
    if (atomic_compare_exchange_strong_explicit(&l->bits, &v, 0, memory_order_release,
                                                memory_order_relaxed))
        return;
    atomic_store_explicit(&l->holder, t->slot, memory_order_relaxed);
    rt_execute(p->mutex_ns); /* the bucket's lock; l stays held meanwhile */
    struct ft_bucket *b = bucket_of(t, l);
    rt_mutex_lock(b->mu);
    struct ft_waiter *w = dequeue(b, l);
    unsigned char nv = 0;
    int64_t holder = -1;
    if (w) {
        w->handed_off = rt_now() > w->fair_at;
        if (w->handed_off) {
            nv |= FT_LOCKED;
            holder = w->slot;
        }
        if (b->nwaiters > 0)
            nv |= FT_HAS_PARKED;
        w->woken = 1;
        rt_cond_signal(w->cv);
    }
    atomic_store_explicit(&l->holder, holder, memory_order_relaxed);
    atomic_store_explicit(&l->last, t->slot, memory_order_relaxed);
    atomic_store_explicit(&l->bits, nv, memory_order_release);
    rt_mutex_unlock(b->mu);
    if (w)
        rt_execute(p->signal_ns);
}

/* ---- hooks ------------------------------------------------------------------------------ */

/* The eval loop asks about an op with a callback and then about its nested read: the op runs
 * batched only if both are uncontended, and is then charged two uncontended lock + unlock pairs
 * (access_ns twice), one per object of its two-object section. */
static int ft_is_local(struct ithread *t, const struct op *op)
{
    return uncontended(t, lock_of(t, op)) && ft_rc_private(&R(t)->rc, t, op->thread, op->index);
}

/* CPU cost of t's reference count operations for op (and its callback's object). */
static double refs_cost(struct ithread *t, const struct op *op)
{
    struct ft_rc *rc = &R(t)->rc;
    double c = ft_rc_refs(rc, t, op->thread, op->index);
    if (op->callback)
        c += ft_rc_refs(rc, t, op->issuer, op->cb_index);
    return c;
}

/* A lock-free read (list_get_item_ref, _Py_dict_lookup_threadsafe): reads without l's mutex and
 * succeeds if no write held or took l meanwhile; else (returns 0) the caller retries under the
 * lock. `owed`: the bytecode before the read. */
static int optimistic_read(struct ithread *t, struct ft_lock *l, const struct op *op, double owed)
{
    const struct params *p = t->run->p;
    rt_execute(owed);
    if (l) {
        uint32_t v0 = atomic_load_explicit(&l->version, memory_order_acquire);
        if (atomic_load_explicit(&l->bits, memory_order_acquire) & FT_LOCKED)
            return 0;
        rt_execute(interp_handler_cost(p, op));
        if ((atomic_load_explicit(&l->bits, memory_order_acquire) & FT_LOCKED) ||
            atomic_load_explicit(&l->version, memory_order_acquire) != v0)
            return 0;
    } else {
        rt_execute(interp_handler_cost(p, op));
    }
    interp_apply(t, op);
    return 1;
}

/* The op's critical section: Py_BEGIN_CRITICAL_SECTION(obj), or with a callback
 * Py_BEGIN_CRITICAL_SECTION2(obj, issuer's object) in address order. The handlers run under the
 * lock(s), applied with interp_apply (both objects are held: no nested access hook). */
static void ft_access(struct ithread *t, const struct op *op)
{
    const struct params *p = t->run->p;
    struct ft_lock *m1 = lock_of(t, op), *m2 = NULL;
    double crit = interp_handler_cost(p, op);
    if (op->callback) {
        struct op n = interp_callback_op(op);
        m2 = lock_of(t, &n);
        crit += interp_handler_cost(p, &n);
        if (m2 == m1) {
            m2 = NULL;
        } else if (m1 && m2 && m2 < m1) {
            struct ft_lock *lower = m2;
            m2 = m1;
            m1 = lower;
        }
    }
    double owed = interp_op_cost(p, op) - crit + refs_cost(t, op); /* before the CAS */
    if (R(t)->optimistic && op->code == OP_READ && !op->callback) {
        if (optimistic_read(t, m1, op, owed))
            return;
        owed = 0; /* a write overlapped: the read again, in the critical section */
    }
    owed = lock_take(t, m1, owed);
    if (m2)
        owed = lock_take(t, m2, owed); /* keeps m1 if it has to wait */
    rt_execute(owed + crit);
    interp_apply(t, op);
    if (m2)
        lock_drop(t, m2);
    lock_drop(t, m1);
    if (op->code == OP_MUTATE)
        ft_rc_drop_owned(&R(t)->rc, t, op->thread); /* the replaced item's reference */
}

/* An uncontended lock + unlock, whose line this thread wrote last: the cost of each access run
 * inline in a batch (see uncontended), none for a lock-free read; plus the owner's reference
 * count operations (plain, unless every refcount is atomic). The eval breaker is where queued
 * refcount merges are seen. */
static void ft_thread_start(struct ithread *t)
{
    const struct params *p = t->run->p;
    double rc = ft_rc_inline_ns(&R(t)->rc, t);
    t->access_ns = p->mutex_ns + rc;
    t->read_ns = (R(t)->optimistic ? 0 : p->mutex_ns) + rc;
    t->check_every = p->breaker;
}

static void ft_check(struct ithread *t) { ft_rc_merge(&R(t)->rc, t); }

static void ft_io_enter(struct ithread *t)
{
    rt_execute(t->run->p->mutex_ns); /* detach now, re-attach after the I/O */
}

static void ft_thread_exit(struct ithread *t)
{
    ft_rc_exit(&R(t)->rc, t);
    atomic_fetch_sub_explicit(&R(t)->live, 1, memory_order_release);
}

/* An optimistic read of the model's objects is a plain read racing a writer that may grow
 * (realloc) the list or dict under it: CPython makes it safe with atomic item loads and
 * deferred frees (QSBR), which these objects do not have. Simulated it is exact. */
static int ft_native_check(const struct params *p, char *err, size_t errlen)
{
    if (scheme_own(p, &scheme_free_threading)[ROW_READS].c != READS_OPTIMISTIC)
        return 0;
    snprintf(err, errlen, "ft_reads: optimistic is simulator-only (allowed with backend=native: "
             "locked; real lock-free reads need atomic item loads and deferred frees the "
             "model's objects do not have)");
    return -1;
}

const struct scheme_ops scheme_free_threading = {
    .name = "free-threading",
    .summary = "CPython 3.13+ without the GIL: a PyMutex per object (CAS, ft_spins yields, park; "
               "direct handoff after fair_ns), two-object sections in address order",
    .native_check = ft_native_check,
    .baseline = 1,
    .params = ft_rows,
    .nparams = sizeof ft_rows / sizeof ft_rows[0],
    .run_init = ft_init,
    .run_fini = ft_fini,
    .thread_start = ft_thread_start,
    .thread_exit = ft_thread_exit,
    .is_local = ft_is_local,
    .access = ft_access,
    .check = ft_check,
    .io_enter = ft_io_enter,
};
