/* The SimGrid backend of rt.h: interpreter threads are actors, time is SimGrid's clock.
 * A thread waits by suspending itself, with a kernel timer that resumes it at its deadline
 * (rt_sim_suspend, sim/sg_shim.cpp), and another thread wakes it by resuming it early.
 * CPU work (1 ns of work per ns on a core) is charged in one of two ways, chosen once per run:
 *  - timed: whenever every thread that computes has a core of its own (with the OS scheduler,
 *    which runs one thread per one-core host, or with no more threads than cores), work is a
 *    timed wait: rt_execute waits out its time, and rt_work is a wait another thread cuts short
 *    (rt_interrupt wakes it, and the work done is the time it waited). No execution, no
 *    CPU-sharing solve.
 *  - shared: with more threads than cores and no OS scheduler, the cores are shared fairly by
 *    SimGrid's CPU model: work is an execution, and an interrupt cancels it at that exact
 *    simulated time with the work done so far known.
 * Mutexes and condvars are gilsim's own (sim_sync.c), blocking and waking the same way
 * (rt_sim_park, rt_sim_unpark); they take no simulated time: every synchronisation
 * cost is charged by the caller. With the OS scheduler (os_sched.h) a thread computes only on a
 * core it holds, one time slice at a time, and leaves its core whenever it blocks. Wake-up
 * latencies and timers come from wake_model.h. Only SimGrid's public API is used. */
#include "rt_simgrid.h"

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/exec.h>
#include <simgrid/host.h>
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os_sched.h"
#include "rt_backend.h"
#include "sim_sync.h"
#include "wake_model.h"

/* Work below this is "done" (ns, or flops when shared): SimGrid's default
 * precision/work-amount is 1e-5 flops. */
#define RT_SIM_DONE_FLOPS 1e-5

struct rt_thread {
    sg_actor_t actor;
    void (*fn)(void *);
    void *arg;
    void *timer;      /* the armed timer of its wait in progress (rt_sim_suspend), or NULL */
    int parked;       /* in rt_sim_park, from park_begin on */
    int unparked;     /* rt_sim_unpark woke it during its current park */
    int suspended;    /* suspended in rt_sim_park (not in the charges before it) */
    int park_timed;   /* ... with a deadline */
    /* Interrupts sent to it and not yet cleared: when each arrives (ns, its sender's clock),
     * ascending. With merged charges a sender does not let its own pending charges pass
     * first: its interrupt arrives at its clock, which may be ahead of SimGrid's. */
    double *interrupts;
    size_t ninterrupts, capinterrupts;
    double debt;      /* ns of rt_charge() time not yet waited out (merged charging only) */
    /* Set by rt_cond_wait_in when it slept (merged charging only): the next rt_woken charges its
     * latency, counted from woken_at (ns, the signaller's clock), instead of waiting it out. */
    int woken_lazy;
    double woken_at;
    int way_timed; /* rt_cond_wait_in: its last wait ended in its way in (see sync_wait_in) */
    /* Timed: the rt_work() in progress, and where its interrupter stopped it. */
    int working;
    double work_from; /* s, SimGrid's clock: when the work begins (after pending charges) */
    double work_ns;
    double stopped_at; /* s; < 0 while not stopped */
    /* Shared: the running rt_work() execution, NULL when none (cleared by its canceller). */
    sg_exec_t exec;
    double remaining; /* work left when the canceller stopped it */
    struct os_task task; /* with the OS scheduler */
    gsl_rng *wake;       /* its wake-up latency stream */
    /* Cancelled executions this thread still holds a reference on, and when each was cancelled:
     * SimGrid finishes a cancelled execution in its next step at the same instant, after the
     * waiter has resumed, and crashed when it had been freed meanwhile. Released once the clock
     * has moved on (rt_work), or at cleanup. */
    sg_exec_t *cancelled;
    double *cancelled_at;
    size_t ncancelled, capcancelled;
};

static sg_host_t host;
/* SimGrid calls made through this backend that are simcalls, by kind (for `gilsim bench`). */
static unsigned long long simcalls[RT_SIM_CALL_KINDS];
#define SIMCALL(kind, n) (simcalls[kind] += (n))

unsigned long long rt_sim_calls(enum rt_sim_call kind)
{
    unsigned long long n = 0;
    for (int k = 0; k < RT_SIM_CALL_KINDS; k++)
        n += kind == RT_SIM_CALL_KINDS || kind == (enum rt_sim_call)k ? simcalls[k] : 0;
    return n;
}
static struct rt_thread **threads; /* every thread spawned, freed by rt_sim_cleanup */
/* How work is charged (see the top of the file). */
static enum { CHARGE_UNDECIDED, CHARGE_TIMED, CHARGE_SHARED } charging;
static size_t nthreads, capthreads;

void rt_sim_set_host(sg_host_t h) { host = h; }

/* Drops t's references on the cancelled executions SimGrid is done with (all: everything). */
static void release_cancelled(struct rt_thread *t, int all)
{
    size_t k = 0;
    double now = all ? 0 : rt_now();
    for (size_t i = 0; i < t->ncancelled; i++) {
        if (all || t->cancelled_at[i] < now) {
            rt_sim_exec_unref(t->cancelled[i]);
        } else {
            t->cancelled[k] = t->cancelled[i];
            t->cancelled_at[k++] = t->cancelled_at[i];
        }
    }
    t->ncancelled = k;
}

static void keep_cancelled(struct rt_thread *t, sg_exec_t e)
{
    if (t->ncancelled == t->capcancelled) {
        size_t cap = t->capcancelled ? 2 * t->capcancelled : 4;
        sg_exec_t *c = realloc(t->cancelled, cap * sizeof *c);
        double *at = c ? realloc(t->cancelled_at, cap * sizeof *at) : NULL;
        if (c)
            t->cancelled = c;
        if (!at) {
            fprintf(stderr, "gilsim: out of memory\n");
            abort();
        }
        t->cancelled_at = at;
        t->capcancelled = cap;
    }
    t->cancelled[t->ncancelled] = e;
    t->cancelled_at[t->ncancelled++] = rt_now();
}

void rt_sim_cleanup(void)
{
    for (size_t i = 0; i < nthreads; i++) {
        if (os_sched_on())
            os_task_fini(&threads[i]->task);
        gsl_rng_free(threads[i]->wake);
        release_cancelled(threads[i], 1);
        free(threads[i]->cancelled);
        free(threads[i]->cancelled_at);
        free(threads[i]->interrupts);
        free(threads[i]);
    }
    free(threads);
    threads = NULL;
    nthreads = capthreads = 0;
    charging = CHARGE_UNDECIDED;
    os_sched_fini();
    wake_model_fini();
}

int rt_sim_configure(const struct params *p, char *err, size_t errlen)
{
    if (wake_model_init(p, err, errlen) != 0)
        return -1;
    if (p->os_sched == KNOB_ON && os_sched_init((int)p->cores, p->slice_ns) != 0) {
        snprintf(err, errlen, "cannot set up the OS scheduler (out of memory?)");
        return -1;
    }
    return 0;
}

/* The thread whose actor runs on this OS thread now, NULL outside actors: set when an actor
 * starts, and again by every function here after a SimGrid call through which other actors
 * may have run (resumed()), so that a thread finds itself without asking SimGrid (two calls
 * and a lookup of SimGrid's thread-local context, on every rt.h call). Builds with assertions
 * check it against SimGrid on every use. */
static _Thread_local struct rt_thread *running;
static inline void resumed(struct rt_thread *t) { running = t; }
static struct rt_thread *self(void)
{
    assert(running == (sg_actor_self() ? sg_actor_self_get_data() : NULL));
    return running;
}
struct rt_thread *rt_sim_self(void) { return self(); }
void rt_sim_outside(void) { running = NULL; }
void rt_sim_resumed(void) { running = sg_actor_self_get_data(); }
static void timed_execute(double ns);

double rt_sim_clock_ns(void) { return simgrid_get_clock() * 1e9; }

/* The caller's clock: SimGrid's, plus its pending charges (none outside actors). */
static double sim_now(void)
{
    struct rt_thread *t = self();
    return rt_sim_clock_ns() + (t ? t->debt : 0);
}

/* 1 if an interrupt has arrived at t by `clock` (ns). */
static int interrupted_by(const struct rt_thread *t, double clock)
{
    return t->ninterrupts && t->interrupts[0] <= clock;
}

/* Records an interrupt arriving at t at `at` (ns). */
static void interrupt_add(struct rt_thread *t, double at)
{
    if (t->ninterrupts == t->capinterrupts) {
        size_t cap = t->capinterrupts ? 2 * t->capinterrupts : 4;
        double *a = realloc(t->interrupts, cap * sizeof *a);
        if (!a) {
            fprintf(stderr, "gilsim: out of memory\n");
            abort();
        }
        t->interrupts = a;
        t->capinterrupts = cap;
    }
    size_t i = t->ninterrupts++;
    for (; i > 0 && t->interrupts[i - 1] > at; i--)
        t->interrupts[i] = t->interrupts[i - 1];
    t->interrupts[i] = at;
}

/* 1 if work is charged as timed waits (see the top of the file), decided on the first charge,
 * once every thread of the run has been spawned. */
static int timed(void)
{
    if (charging == CHARGE_UNDECIDED)
        charging = os_sched_on() || (host && (double)nthreads <= sg_host_core_count(host))
                       ? CHARGE_TIMED
                       : CHARGE_SHARED;
    return charging == CHARGE_TIMED;
}

/* Charges are merged (rt_charge) where time is all they take: timed charging without the OS
 * scheduler (with it, work needs a core, one slice at a time). */
static int merging(void) { return timed() && !os_sched_on(); }

/* Waits out the caller's pending charges: before anything others can see. */
static void settle(void)
{
    struct rt_thread *t = self();
    if (t && t->debt > 0) {
        double d = t->debt;
        t->debt = 0;
        timed_execute(d);
    }
}

/* Parks the caller, already marked parked (park_begin): an rt_sim_unpark since then has set
 * `unparked`, and the caller does not suspend itself at all. */
static int park_marked(struct rt_thread *t, double ns)
{
    settle();
    if (!t->unparked && ns != 0) {
        t->suspended = 1;
        t->park_timed = ns > 0;
        SIMCALL(RT_SIM_SYNC, 1);
        rt_sim_suspend(ns > 0 ? ns * 1e-9 : -1, &t->timer);
        resumed(t);
        t->suspended = 0;
    }
    t->parked = 0;
    return t->unparked;
}

/* Marks the caller parked before anything that may let other actors run (its pending charges,
 * handing its core on: each a simcall), so that an rt_sim_unpark meanwhile is not lost. */
static struct rt_thread *park_begin(void)
{
    struct rt_thread *t = self();
    t->parked = 1;
    t->unparked = 0;
    return t;
}

int rt_sim_park(double ns) { return park_marked(park_begin(), ns); }

int rt_sim_block(double ns)
{
    struct rt_thread *t = park_begin();
    if (os_sched_on()) {
        os_block(&t->task);
        resumed(t);
    }
    return park_marked(t, ns);
}

/* The caller's pending charges do not pass first: sim_sync.c's callers let them pass where the
 * wake-up is meant to happen at the caller's clock (rt_mutex_unlock, rt_cond_signal), and
 * rt_cond_wake leaves them pending where the waiter counts its wake-up from that clock. A thread
 * not yet suspended sees `unparked` itself; one whose deadline has just passed is already
 * resumed. */
void rt_sim_unpark(struct rt_thread *t)
{
    if (!t->parked || t->unparked)
        return;
    t->unparked = 1;
    if (!t->suspended || (t->park_timed && !t->timer))
        return;
    struct rt_thread *me = self();
    SIMCALL(RT_SIM_SYNC, 1);
    rt_sim_resume(t->actor, &t->timer);
    resumed(me);
}

static void trampoline(int argc, char *argv[])
{
    (void)argc;
    (void)argv;
    struct rt_thread *t = sg_actor_self_get_data();
    resumed(t);
    t->fn(t->arg);
    if (os_sched_on())
        os_block(&t->task); /* an ended thread frees its core */
    resumed(NULL); /* whatever runs next on this OS thread sets its own */
}

static struct rt_thread *sim_spawn(const char *name, void (*fn)(void *), void *arg)
{
    settle();
    struct rt_thread *me = self(), *t = calloc(1, sizeof *t);
    if (!t || (nthreads == capthreads && !(capthreads = capthreads ? 2 * capthreads : 64,
                                           threads = realloc(threads,
                                                             capthreads * sizeof *threads)))) {
        fprintf(stderr, "gilsim: out of memory spawning %s\n", name);
        abort();
    }
    t->fn = fn;
    t->arg = arg;
    t->stopped_at = -1;
    t->wake = wake_stream_new(nthreads);
    if (!t->wake) {
        fprintf(stderr, "gilsim: out of memory spawning %s\n", name);
        abort();
    }
    sg_host_t on = os_sched_on() ? os_task_init(&t->task, nthreads) : host;
    threads[nthreads++] = t;
    t->actor = sg_actor_init(name, on);
    sg_actor_set_data(t->actor, t);
    SIMCALL(RT_SIM_ACTOR, 1);
    sg_actor_start(t->actor, trampoline, 0, NULL);
    resumed(me);
    return t;
}

/* The caller is about to block: with the OS scheduler it leaves its core. */
static void blocking(void)
{
    if (os_sched_on()) {
        struct rt_thread *t = self();
        os_block(&t->task);
        resumed(t);
    }
}

static void sim_join(struct rt_thread *t)
{
    settle();
    blocking();
    struct rt_thread *me = self();
    SIMCALL(RT_SIM_ACTOR, 1);
    sg_actor_join(t->actor, -1);
    resumed(me);
}

static struct rt_thread *sim_self(void) { return self(); }

/* With the OS scheduler: the most the caller may compute now (it holds a core then), up to `ns`:
 * what is left of its slice, after handing the core on if that slice is over. */
static double sched_chunk(struct rt_thread *t, double ns)
{
    os_run(&t->task);
    resumed(t);
    double left = os_slice_left(&t->task);
    if (left < 1) { /* ns: slices are milliseconds */
        os_slice_end(&t->task);
        resumed(t);
        left = os_slice_left(&t->task);
    }
    return ns < left ? ns : left;
}

/* ---- timed charging ------------------------------------------------------------------------ */

/* Waits out ns (> 0). Nothing cuts it short: only a suspended parked thread or one in rt_work
 * is resumed early. */
static void wait_out(double ns)
{
    struct rt_thread *t = self();
    rt_sim_suspend(ns * 1e-9, &t->timer);
    resumed(t);
}

/* Waits out ns of work on the caller's core. */
static void timed_execute(double ns)
{
    SIMCALL(RT_SIM_EXECUTE, 1);
    wait_out(ns);
}

/* Up to ns of work after the caller's pending charges (one wait for both), cut short by
 * rt_interrupt: returns the work done. An interrupt during the charges stops the work before
 * it begins, once the charges' time has passed. */
static double timed_work(struct rt_thread *t, double ns)
{
    double debt = t->debt;
    t->debt = 0;
    double clock = rt_sim_clock_ns();
    if (interrupted_by(t, clock + debt)) { /* while it waited for its core, or before */
        if (debt > 0)
            timed_execute(debt);
        return 0;
    }
    t->work_from = (clock + debt) * 1e-9;
    t->work_ns = ns;
    t->stopped_at = -1;
    double wait = debt + ns;
    /* An interrupt already sent that arrives during the work stops it then. */
    if (t->ninterrupts && ns - (t->interrupts[0] - clock - debt) > RT_SIM_DONE_FLOPS) {
        t->stopped_at = t->interrupts[0] * 1e-9;
        wait = t->interrupts[0] - clock;
    }
    t->working = 1;
    SIMCALL(RT_SIM_WORK, 1);
    rt_sim_suspend(wait * 1e-9, &t->timer);
    resumed(t);
    t->working = 0;
    if (t->stopped_at < 0)
        return ns;
    if (t->stopped_at < t->work_from) {
        /* Stopped during the charges: what is left of them stays pending (the work did not
         * begin), to pass with the caller's next wait. */
        double rest = (t->work_from - simgrid_get_clock()) * 1e9;
        if (rest > 0)
            t->debt = rest;
        return 0;
    }
    double done = (t->stopped_at - t->work_from) * 1e9;
    return done < ns ? done : ns;
}

/* Stops t's rt_work at `at` (ns, now or later), unless it ends by then anyway or an earlier
 * interrupt stops it (its timer may also have fired at this instant, t not yet resumed): its
 * timer is moved to `at`. No simulator call: t resumes when the timer fires. */
static void timed_stop(struct rt_thread *t, double at)
{
    double s = at * 1e-9;
    if (!t->working || !t->timer || (t->stopped_at >= 0 && t->stopped_at <= s))
        return;
    if (t->work_ns - (s - t->work_from) * 1e9 <= RT_SIM_DONE_FLOPS)
        return; /* its work ends by then: the interrupt stays pending */
    t->stopped_at = s;
    rt_sim_rearm(t->actor, &t->timer, s);
}

/* ---- shared charging: executions on one host whose cores SimGrid shares fairly ------------ */


/* One interruptible execution of ns on the caller's host. */
static double shared_work(struct rt_thread *t, double ns)
{
    release_cancelled(t, 0);
    sg_exec_t e = sg_actor_exec_init(ns); /* flops, host and start: three simcalls */
    SIMCALL(RT_SIM_WORK, 3);
    sg_exec_start(e);
    resumed(t);
    /* Published only now: starting is a simcall other actors may run during, and cancelling an
     * execution before its wait began trips SimGrid's ExecImpl::post assertion. */
    t->exec = e;
    /* An interrupt that arrived during the start found no execution to cancel: cancel it here,
     * as its sender would have, or it would be lost until the work ends. */
    if (interrupted_by(t, rt_sim_clock_ns()))
        rt_interrupt(t);
    rt_sim_exec_ref(e); /* kept if cancelled (see rt_thread.cancelled) */
    SIMCALL(RT_SIM_WORK, 1);
    sg_error_t err = sg_exec_wait(e);
    resumed(t);
    /* e is not read after its wait returned; the canceller already cleared t->exec. */
    t->exec = NULL;
    if (err == SG_ERROR_CANCELED) {
        keep_cancelled(t, e);
        return ns - t->remaining;
    }
    rt_sim_exec_unref(e);
    return ns;
}

/* Cancels t's running execution at this instant, unless it ends now anyway. */
static void shared_stop(struct rt_thread *t)
{
    /* An execution that has just ended (its owner not yet resumed) is left alone: reading or
     * cancelling it then crashes SimGrid 3.32. Its owner sees the interrupt pending. */
    if (t->exec && !rt_sim_exec_running(t->exec))
        t->exec = NULL;
    if (!t->exec)
        return;
    struct rt_thread *me = self();
    double left = sg_exec_get_remaining(t->exec);
    resumed(me);
    /* An execution ending at this very instant is left to complete: cancelling it then trips
     * SimGrid's ExecImpl::post assertion. Its thread sees the interrupt pending. */
    if (left <= RT_SIM_DONE_FLOPS)
        return;
    t->remaining = left;
    /* sg_exec_cancel() drops a reference and so will the owner's sg_exec_wait(). */
    rt_sim_exec_ref(t->exec);
    SIMCALL(RT_SIM_INTERRUPT, 2); /* sg_exec_get_remaining() above is one too */
    sg_exec_cancel(t->exec);
    resumed(me);
    t->exec = NULL;
}

/* ---- rt.h ---------------------------------------------------------------------------------- */

static void execute_now(double ns)
{
    if (timed()) {
        timed_execute(ns);
        return;
    }
    struct rt_thread *t = self();
    SIMCALL(RT_SIM_EXECUTE, 5); /* flops, host, priority, start, wait */
    sg_actor_execute(ns);
    resumed(t);
}

static void sim_execute(double ns)
{
    struct rt_thread *t = self();
    ns += t->debt; /* pending charges pass in the same wait */
    t->debt = 0;
    if (os_sched_on()) {
        while (ns > RT_SIM_DONE_FLOPS) {
            double chunk = sched_chunk(self(), ns);
            execute_now(chunk);
            ns -= chunk;
        }
        return;
    }
    if (ns > 0)
        execute_now(ns);
}

static void sim_charge(double ns)
{
    if (ns <= 0)
        return;
    if (merging())
        self()->debt += ns;
    else
        sim_execute(ns);
}

static void sim_settle(void) { settle(); }

static double work(struct rt_thread *t, double ns)
{
    return timed() ? timed_work(t, ns) : shared_work(t, ns);
}

static double sim_work(double ns)
{
    struct rt_thread *t = self();
    if (interrupted_by(t, sim_now()) || ns <= 0) {
        settle();
        return 0;
    }
    if (!os_sched_on())
        return work(t, ns);
    /* Slice by slice; an interrupt is seen between slices too (a preempted thread sees it only
     * once it runs again). */
    double done = 0;
    while (ns - done > RT_SIM_DONE_FLOPS && !interrupted_by(t, sim_now())) {
        double chunk = sched_chunk(t, ns - done);
        double did = work(t, chunk);
        done += did;
        if (did < chunk)
            return done;
    }
    return interrupted_by(t, sim_now()) ? done : ns;
}

/* An interrupt arrives at the sender's clock. With merged charges the sender's pending charges
 * do not pass first: the interrupt is recorded with its arrival, and a working receiver's
 * timer moved to it. */
static void sim_interrupt(struct rt_thread *t)
{
    if (t == self() && !t->exec) { /* only the caller sees its own flag, at its own clock */
        interrupt_add(t, sim_now());
        return;
    }
    if (!merging())
        settle();
    double at = sim_now();
    interrupt_add(t, at);
    if (timed())
        timed_stop(t, at);
    else
        shared_stop(t);
}

static int sim_interrupted(void) { return interrupted_by(self(), sim_now()); }

/* Clears the interrupts that have arrived; one still on its way stays. */
static void sim_clear_interrupt(void)
{
    struct rt_thread *t = self();
    double clock = sim_now();
    size_t k = 0;
    while (k < t->ninterrupts && t->interrupts[k] <= clock)
        k++;
    if (k == 0)
        return;
    memmove(t->interrupts, t->interrupts + k, (t->ninterrupts - k) * sizeof *t->interrupts);
    t->ninterrupts -= k;
}

static void sim_woken(void)
{
    struct rt_thread *t = self();
    if (t->woken_lazy) { /* after rt_cond_wait_in slept: a charge from the signaller's clock */
        t->woken_lazy = 0;
        double clock = rt_sim_clock_ns(), from = clock + t->debt;
        if (t->woken_at > from)
            from = t->woken_at;
        t->debt = from + wake_latency(t->wake) - clock;
        return;
    }
    settle();
    blocking();
    double ns = wake_latency(t->wake);
    if (ns > 0) {
        SIMCALL(RT_SIM_SLEEP, 1);
        wait_out(ns);
    }
    if (os_sched_on()) {
        os_run(&t->task);
        resumed(t);
    }
}

static void sim_sleep(double ns)
{
    if (ns <= 0)
        return;
    blocking();
    struct rt_thread *t = self();
    double debt = t->debt; /* pending charges pass first, in the same wait */
    t->debt = 0;
    SIMCALL(RT_SIM_SLEEP, 1);
    wait_out(debt + wake_timer(ns));
    sim_woken();
}

/* Mutex and condvar calls act at the caller's clock: its pending charges pass first. */
static void sync_lock(struct rt_mutex *m)
{
    settle();
    sim_mutex_lock(m);
}
static void sync_unlock(struct rt_mutex *m)
{
    settle();
    sim_mutex_unlock(m);
}
static void sync_wait(struct rt_cond *c, struct rt_mutex *m)
{
    settle();
    sim_cond_wait(c, m);
}
static int sync_timedwait(struct rt_cond *c, struct rt_mutex *m, double ns)
{
    settle();
    /* The OS timer's slack (wake_model.h) is part of when a timed wait ends. */
    return sim_cond_timedwait(c, m, wake_timer(ns));
}
static void sync_signal(struct rt_cond *c)
{
    settle();
    sim_cond_signal(c);
}
static void sync_broadcast(struct rt_cond *c)
{
    settle();
    sim_cond_broadcast(c);
}

/* With merged charges the way in is part of the one block, in one of two ways with the same
 * outcome, chosen by how the thread's last such wait ended (a run repeats its choices):
 *  - after one that ended in its way in: a block with a timeout at the way's end, which a
 *    signal during the way in leaves alone (the caller then takes m and looks): one simulator
 *    call when the answer comes that early, a second block when it does not;
 *  - otherwise: a block without a timeout; a signal during the way in resumes the caller,
 *    which waits out the rest of the way with m released and then looks.
 * A signal after the way in leaves rt_woken a latency to charge from the signaller's clock.
 * Without merged charges (the way in needs a core, or is an execution) it makes the calls rt.h
 * names as the native meaning, in that order. */
static int sync_wait_in(struct rt_cond *c, struct rt_mutex *m, double ns, int (*ready)(void *),
                        void *arg)
{
    settle();
    if (!merging()) {
        if (ns > 0) {
            sim_mutex_unlock(m);
            sim_execute(ns);
            sync_lock(m);
            if (ready(arg))
                return 0;
        }
        sim_cond_wait(c, m);
        return 1;
    }
    struct rt_thread *t = self();
    double way_end = ns > 0 ? rt_sim_clock_ns() + ns : -1;
    for (;;) {
        double at = t->way_timed && way_end >= 0 ? sim_cond_wait_way(c, m, way_end)
                                                 : sim_cond_wait_signalled(c, m);
        t->way_timed = at <= way_end;
        if (at > way_end) {
            t->woken_lazy = 1;
            t->woken_at = at;
            return 1;
        }
        double rest = way_end - rt_sim_clock_ns();
        if (rest > 0) {
            sim_mutex_unlock(m);
            timed_execute(rest);
            sim_mutex_lock(m);
        }
        if (ready(arg))
            return 0;
        way_end = -1; /* its way in is over: the next signal wakes it */
    }
}

static int sync_has_waiter(struct rt_cond *c) { return sim_cond_has_waiter(c); }

static int sync_wake(struct rt_cond *c, struct rt_mutex *m, int (*still)(void *), void *arg)
{
    if (!sim_cond_has_waiter(c) || !sim_mutex_is_free(m))
        settle();
    sim_mutex_lock(m);
    int go = !still || still(arg);
    if (go)
        sim_cond_signal(c);
    sim_mutex_unlock(m);
    return go;
}

const struct rt_backend rt_simgrid_backend = {
    .name = "sim",
    .now = sim_now,
    .spawn = sim_spawn,
    .join = sim_join,
    .self = sim_self,
    .execute = sim_execute,
    .charge = sim_charge,
    .settle = sim_settle,
    .work = sim_work,
    .interrupt = sim_interrupt,
    .interrupted = sim_interrupted,
    .clear_interrupt = sim_clear_interrupt,
    .sleep = sim_sleep,
    .woken = sim_woken,
    .mutex_new = sim_mutex_new,
    .mutex_free = sim_mutex_free,
    .mutex_lock = sync_lock,
    .mutex_unlock = sync_unlock,
    .cond_new = sim_cond_new,
    .cond_free = sim_cond_free,
    .cond_wait = sync_wait,
    .cond_timedwait = sync_timedwait,
    .cond_signal = sync_signal,
    .cond_broadcast = sync_broadcast,
    .cond_wait_in = sync_wait_in,
    .cond_has_waiter = sync_has_waiter,
    .cond_wake = sync_wake,
};
