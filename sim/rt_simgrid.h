/* Set-up entry points of the SimGrid backend of rt.h, used by the run driver only. */
#ifndef GILSIM_SIM_RT_SIMGRID_H
#define GILSIM_SIM_RT_SIMGRID_H

#include <simgrid/forward.h>
#include <stddef.h>

#include "params.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Takes one more reference on exec, and drops one (sim/sg_shim.cpp). */
void rt_sim_exec_ref(sg_exec_t exec);
void rt_sim_exec_unref(sg_exec_t exec);
/* 1 while exec is running; 0 once it has ended, even if its waiter has not run yet
 * (sim/sg_shim.cpp). */
int rt_sim_exec_running(sg_exec_t exec);

/* Sets the OS model of a run up from p (wake-up latencies, timers, and the OS scheduler when
 * p->os_sched is on: then the platform must have the one-core hosts c0..c<cores-1>). Returns 0,
 * or -1 with a one-line message in err. Undone by rt_sim_cleanup. */
int rt_sim_configure(const struct params *p, char *err, size_t errlen);
struct rt_backend;
struct rt_thread;
/* The backend table (rt_backend.h) of this file. */
extern const struct rt_backend rt_simgrid_backend;

/* The host every rt_spawn()ed actor runs on without the OS scheduler. */
void rt_sim_set_host(sg_host_t h);
/* Kinds of simcalls the backend makes; RT_SIM_CALL_KINDS means all of them. */
enum rt_sim_call {
    RT_SIM_EXECUTE,   /* rt_execute: a timed wait, or (cores shared) an execution's simcalls */
    RT_SIM_WORK,      /* rt_work: the same, interruptible */
    RT_SIM_INTERRUPT, /* rt_interrupt: waking the worker (or remaining work and cancel) */
    RT_SIM_SLEEP,     /* rt_sleep, rt_woken */
    RT_SIM_SYNC,      /* mutex and condvar: blocking a waiter and waking it (sim_sync.c) */
    RT_SIM_ACTOR,     /* spawn, join */
    RT_SIM_CALL_KINDS
};
/* Simcalls of that kind made through the backend since the process started, for
 * `gilsim bench`. */
unsigned long long rt_sim_calls(enum rt_sim_call kind);
/* Blocking and waking for sim_sync.c. rt_sim_park blocks the caller until rt_sim_unpark names
 * it or, if ns >= 0, ns of simulated time have passed: returns 1 if unparked, 0 on timeout
 * (one simcall). rt_sim_block does the same after leaving the caller's core (OS scheduler).
 * Both mark the caller parked before anything that lets other actors run, so an rt_sim_unpark
 * on the way in (while rt_sim_block hands the core on, a simcall) wakes it at once.
 * rt_sim_unpark wakes t if it is parked (one simcall), else does nothing. */
int rt_sim_park(double ns);
int rt_sim_block(double ns);
void rt_sim_unpark(struct rt_thread *t);
struct rt_thread *rt_sim_self(void);
/* Tells the backend that no actor runs any more (the engine has returned): for rt_now and
 * the like called by the driver afterwards. */
void rt_sim_outside(void);
/* An actor that called SimGrid itself rather than through this backend (other actors may have
 * run meanwhile) calls this before its next rt.h call. */
/* Suspends the calling actor until `s` seconds have passed (s >= 0; s < 0: no deadline) or
 * rt_sim_resume wakes it. *slot holds the armed timer: NULL once it has fired, or without a
 * deadline (sim/sg_shim.cpp). */
void rt_sim_suspend(double s, void **slot);
/* Resumes `actor`, suspended by rt_sim_suspend, now, removing its timer if *slot holds one
 * (one simcall). */
void rt_sim_resume(sg_actor_t actor, void **slot);
/* Moves the armed timer *slot of `actor`, suspended by rt_sim_suspend, to `date` (s, now or
 * later), without a simcall: actors run one at a time, so the caller's change to the engine's
 * timer heap cannot race with it. */
void rt_sim_rearm(sg_actor_t actor, void **slot, double date);

void rt_sim_resumed(void);
/* The simulated clock in ns. */
double rt_sim_clock_ns(void);
/* Frees the backend's thread handles once the simulation is over. */
void rt_sim_cleanup(void);

#ifdef __cplusplus
}
#endif

#endif
