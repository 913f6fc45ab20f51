/* Stopping cleanly on SIGINT, SIGTERM and SIGHUP: while caught, a signal only sets a flag and
 * sends SIGTERM to the child being waited for (gnuplot), so the command ends through its
 * normal failure path, which removes its temporary files; interrupt_release then restores the
 * default and, for commands that end by the signal, interrupt_reraise dies of it.
 * Used by the sweep's process pool and by plot and report. */
#ifndef GILSIM_WORKLOADS_SIGNALS_H
#define GILSIM_WORKLOADS_SIGNALS_H

#include <signal.h>
#include <sys/types.h>

/* Installs the handlers (no SA_RESTART: a blocking waitpid returns EINTR), except for a
 * signal that is ignored (nohup, a background job): it stays ignored. Clears the flag. */
void interrupt_catch(void);
/* Restores the handlers interrupt_catch replaced. Catches nest: only the outermost catch
 * installs the handlers and clears the flag, and only its release restores them. */
void interrupt_release(void);
/* The signal that arrived since interrupt_catch, or 0. */
int interrupt_pending(void);
/* The child to send SIGTERM when a signal arrives (0: none). */
void interrupt_child(pid_t pid);
/* Holds SIGINT, SIGTERM and SIGHUP (they wait, pending) until interrupt_unhold(old): for a
 * short step whose temporary file must not outlive it (the signal then lands after). */
void interrupt_hold(sigset_t *old);
void interrupt_unhold(const sigset_t *old);
/* If a signal arrived: restores its default action and raises it (does not return). */
void interrupt_reraise(void);

#endif
