/* Set-up entry points of the native (pthread) backend of rt.h, used by the native run driver
 * and the backend's tests: the CPUs threads are pinned to, the start gate, waiting for the end
 * of a run, and the watchdog that turns a native deadlock into a report instead of a hang. */
#ifndef GILSIM_VALIDATE_RT_PTHREAD_H
#define GILSIM_VALIDATE_RT_PTHREAD_H

#include <stddef.h>

struct rt_backend;
extern const struct rt_backend rt_pthread_backend;

/* The CPUs this process may run on (its affinity mask). */
int rt_native_cpus(void);
/* 0 if `cores` CPUs are at hand; else -1 with "cores: ..." (what is allowed) in err. */
int rt_native_check_cores(long long cores, char *err, size_t errlen);
/* Prepares a run on `cores` CPUs: the i-th spawned thread is pinned to the (i mod cores)-th
 * CPU of the affinity mask; calibrates the busy-work loop (once per process). Returns 0, or -1
 * with "cores: ..." in err when cores exceeds rt_native_cpus(). Spawned threads wait at a gate
 * until rt_native_go(). */
int rt_native_start(long long cores, char *err, size_t errlen);
/* Opens the gate: rt_now() is 0 now; starts the watchdog. */
void rt_native_go(void);
/* Waits until every spawned thread has returned (joins them; returns 0), or the watchdog found
 * them stuck (returns 1; the stuck threads are left as they are, and the run's state must not be
 * freed). Stuck: every unfinished thread blocked in an untimed rt_cond_wait with nothing
 * happening for 1 s, or no rt.h call returning for 2 s while no thread is inside a finite
 * wait or work that is not overdue. */
int rt_native_wait(void);
/* Frees the thread handles after rt_native_wait() returned 0. */
void rt_native_cleanup(void);
/* Calibrated cost of one busy-loop iteration, in ns. */
double rt_native_iter_ns(void);

#endif
