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
/* Waits on cond for at most `seconds` with mutex held (released during the wait, held again on
 * return); 1 on timeout (sim/sg_shim.cpp). */
int rt_sim_cond_wait_for(sg_cond_t cond, sg_mutex_t mutex, double seconds);

/* Sets the OS model of a run up from p (wake-up latencies, timers, and the OS scheduler when
 * p->os_sched is on: then the platform must have the one-core hosts c0..c<cores-1>). Returns 0,
 * or -1 with a one-line message in err. Undone by rt_sim_cleanup. */
int rt_sim_configure(const struct params *p, char *err, size_t errlen);
struct rt_backend;
/* The backend table (rt_backend.h) of this file. */
extern const struct rt_backend rt_simgrid_backend;

/* The host every rt_spawn()ed actor runs on without the OS scheduler. */
void rt_sim_set_host(sg_host_t h);
/* Kinds of simcalls the backend makes; RT_SIM_CALL_KINDS means all of them. */
enum rt_sim_call {
    RT_SIM_EXECUTE,   /* rt_execute: flops, host, priority, start, wait */
    RT_SIM_WORK,      /* rt_work: flops, host, start, wait */
    RT_SIM_INTERRUPT, /* rt_interrupt: remaining work, cancel */
    RT_SIM_SLEEP,     /* rt_sleep */
    RT_SIM_MUTEX,     /* lock, unlock */
    RT_SIM_COND,      /* wait (and the mutex again), timed wait, signal, broadcast */
    RT_SIM_ACTOR,     /* spawn, join */
    RT_SIM_CALL_KINDS
};
/* Simcalls of that kind made through the backend since the process started, for
 * `gilsim bench`. */
unsigned long long rt_sim_calls(enum rt_sim_call kind);
/* The schedule-exact fast path (sim/sg_fastpath.cpp): each returns 1 if it did the operation
 * without a simcall (the caller runs alone in its sub-round and the operation wakes nobody), 0
 * if the caller must make the simcall. Off with --cfg=gilsim/fast-sync:no. */
int rt_sim_fast_lock(sg_mutex_t m);
int rt_sim_fast_unlock(sg_mutex_t m);
int rt_sim_fast_notify(sg_cond_t c);
/* sg_actor_exec_init(flops) then sg_exec_start(): an execution of `flops` on the caller's host,
 * started, with one reference for the caller (sg_exec_wait drops it); as_execute: with the
 * set_priority(1) simcall sg_actor_execute makes in between. Its simcalls go through the fast
 * path; *simcalls counts those made. */
sg_exec_t rt_sim_exec_start(double flops, int as_execute, int *simcalls);
/* Stops the running execution e of another actor (or the caller's own, not yet waited for) as
 * sg_exec_get_remaining then sg_exec_cancel would, at the same point of the schedule, but so
 * that its waiter's sg_exec_wait returns SG_OK instead of SG_ERROR_CANCELED: *left is the work it
 * had left, and if that is <= done_below it is left to end by itself. Returns 0 (and does
 * nothing) when the fast path is off; *simcalls counts the simcalls made. */
int rt_sim_fast_stop(sg_exec_t e, double done_below, double *left, int *simcalls);
/* sg_exec_wait(e), through the fast path: without the kernel's extra sleep action per wait. */
sg_error_t rt_sim_exec_wait(sg_exec_t e);
/* Executions rt_sim_fast_stop ended since the process started, for `gilsim bench`. */
unsigned long long rt_sim_fast_stopped(void);
/* Simcalls the fast path saved since the process started, for `gilsim bench`. */
unsigned long long rt_sim_fast_saved(void);
/* Frees the backend's thread handles once the simulation is over. */
void rt_sim_cleanup(void);

#ifdef __cplusplus
}
#endif

#endif
