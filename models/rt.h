/* The runtime interface: the only way schemes and the interpreter reach time, threads and
 * synchronisation. Implemented twice: sim/rt_simgrid.c (simulated time, SimGrid actors) and
 * validate/rt_pthread.c (wall time, real threads), chosen once per run (rt_backend.h). Times and
 * costs are in nanoseconds. Invariant: no file under models/ includes a SimGrid or pthread
 * header, or knows which backend it runs on. */
#ifndef GILSIM_MODELS_RT_H
#define GILSIM_MODELS_RT_H

struct rt_thread;
struct rt_mutex;
struct rt_cond;

/* Current time (simulated or wall), ns since the start of the run. */
double rt_now(void);

/* Starts a thread running fn(arg); name is for logs. */
struct rt_thread *rt_spawn(const char *name, void (*fn)(void *), void *arg);
/* Waits until t has returned (callable from a thread spawned with rt_spawn). */
void rt_join(struct rt_thread *t);
/* The calling thread's handle. */
struct rt_thread *rt_self(void);

/* Uses one core for `ns` of CPU work; not interruptible. `ns` <= 0 costs nothing. */
void rt_execute(double ns);

/* As rt_execute, but the time may pass later, merged with the caller's next charge or wait
 * (one simulator event instead of several): the caller's clock (rt_now) moves on at once, and
 * the time has passed before its next rt.h call other than rt_charge, rt_now, rt_self,
 * rt_interrupted, rt_clear_interrupt, rt_interrupt (which arrives at the caller's clock),
 * rt_cond_has_waiter and rt_cond_wake (which says when) takes effect; an rt_work interrupted
 * while they are still pending returns 0 with what is left of them still pending. Use it only
 * where what the caller does before that call is not seen by other threads and does not depend
 * on them (an interrupt that arrives meanwhile is seen at that call). rt_settle lets the
 * pending time pass now (before touching state other threads see). The native backend spends
 * the time at once. */
void rt_charge(double ns);
void rt_settle(void);

/* An rt_work budget meaning "until interrupted": a spinning waiter whose only job is to notice
 * rt_interrupt. Every backend treats a budget >= RT_UNTIL_INTERRUPTED as having no end: the call
 * returns only once the caller is interrupted. Natively the caller then looks at its interrupt
 * flag after every spin iteration (a finite budget looks every few), and its watchdog reports
 * such a spinner as stuck once nobody interrupts it for long (a finite budget is work, waited
 * for); simulated, it is one execution that only an interrupt ends (1e15 ns is 11.6 simulated
 * days, beyond any run). */
#define RT_UNTIL_INTERRUPTED 1e15

/* Uses one core for up to `ns` of CPU work and returns the work done. Returns early, with the
 * work done so far, when rt_interrupt() targets the caller; returns 0 at once if an interrupt is
 * already pending or `ns` <= 0. The interrupt stays pending until rt_clear_interrupt(). */
double rt_work(double ns);
/* rt_work that also returns early once ready(arg) is nonzero (a spinning waiter: its answer's
 * flag, its own queue). A backend may call ready itself between units of work (native: the
 * waiter sees a store in one line transfer) or rely on whoever makes it nonzero interrupting
 * the caller, with rt_interrupt or rt_flag_set_for (simulated). ready only reads memory. */
double rt_work_until(double ns, int (*ready)(void *), void *arg);
/* Tells t that the caller has just set (release) a flag that t's ready function of
 * rt_work_until looks at: natively nothing (t sees the flag), simulated rt_interrupt(t). */
void rt_flag_set_for(struct rt_thread *t);
/* Makes t's current or next rt_work() return early. Any thread may call it, holding any mutex
 * or none. What the caller wrote before rt_interrupt is visible to t once t sees the interrupt
 * (its rt_work returned early, or rt_interrupted() returned 1): a release/acquire pair. The
 * interrupt arrives at the caller's clock, its pending charges (rt_charge) included: t's work
 * stops then, and t sees it once its own clock has reached it. */
void rt_interrupt(struct rt_thread *t);
/* 1 if an interrupt is pending for the caller. */
int rt_interrupted(void);
/* Clears the caller's pending interrupts (those that have arrived by its clock). */
void rt_clear_interrupt(void);

/* Blocks without using a core for `ns` (I/O; `ns` <= 0 returns at once): a timed sleep, so it
 * ends when the OS timer fires (the SimGrid backend adds timer slack) and the thread has been
 * woken (rt_woken). */
void rt_sleep(double ns);
/* The caller was just signalled or timed out of a wait: returns once the OS runs it again (the
 * SimGrid backend draws a wake-up latency, and with its OS scheduler waits for a core). After
 * rt_cond_wait_in returned 1 with merged charges, the latency is a charge (see there). */
void rt_woken(void);

/* Mutexes and condition variables take no simulated time of their own (the simulator charges
 * none); natively they are pthread's, and take what pthread takes. */
struct rt_mutex *rt_mutex_new(void);
void rt_mutex_free(struct rt_mutex *m);
void rt_mutex_lock(struct rt_mutex *m);
void rt_mutex_unlock(struct rt_mutex *m);

struct rt_cond *rt_cond_new(void);
void rt_cond_free(struct rt_cond *c);
/* Atomically releases m and waits for a signal; m is held again on return. */
void rt_cond_wait(struct rt_cond *c, struct rt_mutex *m);
/* As rt_cond_wait, but gives up after `ns`: returns 1 on timeout, 0 when signalled. */
int rt_cond_timedwait(struct rt_cond *c, struct rt_mutex *m, double ns);
/* rt_cond_wait for a waiter that takes `ns` to get to sleep (pthread_cond_wait's way into
 * futex_wait) and waits for ready(arg) to be nonzero, which whoever makes it so follows with a
 * signal on c (ready only reads memory). m is held on the call and on return. Returns 0 if
 * ready(arg) was nonzero at the end of the way in (a signal meanwhile ends the wait there,
 * without a wake-up), 1 if the caller slept and was signalled: it then calls rt_woken (after
 * releasing m if it likes). Natively: unlock m, rt_execute(ns), lock m, look at ready, then
 * rt_cond_wait. Simulated with merged charges (rt_charge), the way in is part of the sleep (the
 * caller blocks once; a signal during the way in resumes it at the way in's end), and after a
 * return of 1 rt_woken's latency counts from its signaller's clock (see rt_cond_wake) and
 * passes as a charge: with the caller's next charge or wait. What the caller does between the
 * wake-up and that wait happens at the signal's instant. */
int rt_cond_wait_in(struct rt_cond *c, struct rt_mutex *m, double ns, int (*ready)(void *),
                    void *arg);
/* 1 if a thread waits on c that no signal has reached yet (in rt_cond_wait_in, asleep or on its
 * way in): a signal now is what wakes it. Natively always 0 (pthread does not say): use it only
 * to decide whether pending charges (rt_charge) must pass before a store the waiter reads, which
 * natively is moot. */
int rt_cond_has_waiter(struct rt_cond *c);
/* rt_mutex_lock(m); signals c if still(arg) is nonzero (still NULL: always); rt_mutex_unlock(m);
 * returns whether it signalled. Where c has a waiter (rt_cond_has_waiter) and m is free, the
 * caller's pending charges need not pass first (simulated: the signal happens at the
 * simulator's instant and the waiter's wake-up, rt_cond_wait_in, counts from the caller's clock,
 * rt_now): so a thread that answers a sleeping waiter and then charges more pays one wait for
 * all of it. Elsewhere its charges pass first, as before rt_mutex_lock. Natively exactly the
 * three calls. */
int rt_cond_wake(struct rt_cond *c, struct rt_mutex *m, int (*still)(void *), void *arg);
/* Wake one waiter (any one: the backend's order) or all. A signal with no waiter is lost; the
 * caller may hold the wait's mutex or not. Neither charges any cost: the caller charges what
 * the modelled code pays (signal_ns, wake_ns through rt_woken). */
void rt_cond_signal(struct rt_cond *c);
void rt_cond_broadcast(struct rt_cond *c);

#endif
