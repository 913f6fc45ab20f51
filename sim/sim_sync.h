/* gilsim's own mutex and condition variable for the SimGrid backend (sim/sim_sync.c): the
 * rt_mutex and rt_cond of rt.h, same contracts; times in ns. Only sim/rt_simgrid.c uses them. */
#ifndef GILSIM_SIM_SIM_SYNC_H
#define GILSIM_SIM_SIM_SYNC_H

struct rt_mutex;
struct rt_cond;

struct rt_mutex *sim_mutex_new(void);
void sim_mutex_free(struct rt_mutex *m);
void sim_mutex_lock(struct rt_mutex *m);
void sim_mutex_unlock(struct rt_mutex *m);

struct rt_cond *sim_cond_new(void);
void sim_cond_free(struct rt_cond *c);
void sim_cond_wait(struct rt_cond *c, struct rt_mutex *m);
/* Waits at most ns (< 0: no limit) of simulated time; 1 on timeout, 0 when signalled. */
int sim_cond_timedwait(struct rt_cond *c, struct rt_mutex *m, double ns);
/* As sim_cond_wait; returns the clock of the thread that signalled (rt_now, ns: its pending
 * charges included, so it may be ahead of the simulator's clock). */
double sim_cond_wait_signalled(struct rt_cond *c, struct rt_mutex *m);
/* As sim_cond_wait_signalled, for a waiter on its way into the sleep until way_end (ns): a
 * signal until then leaves it blocked until way_end, when it takes m like a lock. */
double sim_cond_wait_way(struct rt_cond *c, struct rt_mutex *m, double way_end);
/* 1 if a thread waits on c that no signal has reached yet. */
int sim_cond_has_waiter(const struct rt_cond *c);
/* 1 if nobody holds m. */
int sim_mutex_is_free(const struct rt_mutex *m);
void sim_cond_signal(struct rt_cond *c);
void sim_cond_broadcast(struct rt_cond *c);

#endif
