/* Deferred SIGINT/SIGTERM/SIGHUP (see signals.h). The handler touches only a sig_atomic_t
 * and calls kill(2), both async-signal-safe. */
#define _POSIX_C_SOURCE 200809L
#include "signals.h"

#include <signal.h>
#include <string.h>

static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NSIG_CAUGHT (sizeof signals / sizeof signals[0])
static struct sigaction saved[NSIG_CAUGHT];
static int caught; /* how deep the catches nest; at 1 or more saved[] holds the previous
                    * handlers */
static volatile sig_atomic_t pending;
static volatile pid_t child;

static void on_signal(int sig)
{
    pending = sig;
    if (child > 0)
        kill(child, SIGTERM);
}

void interrupt_catch(void)
{
    if (caught++ > 0)
        return; /* nested: the outer catch's handlers and flag stay */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    pending = 0;
    child = 0;
    for (size_t i = 0; i < NSIG_CAUGHT; i++) {
        /* A signal ignored by whoever started us (nohup, a shell's background job) stays
         * ignored. */
        sigaction(signals[i], NULL, &saved[i]);
        if (saved[i].sa_handler != SIG_IGN)
            sigaction(signals[i], &sa, NULL);
    }
}

void interrupt_release(void)
{
    if (caught == 0 || --caught > 0)
        return;
    for (size_t i = 0; i < NSIG_CAUGHT; i++)
        sigaction(signals[i], &saved[i], NULL);
}

int interrupt_pending(void) { return pending; }

void interrupt_child(pid_t pid) { child = pid; }

void interrupt_reraise(void)
{
    int sig = pending;
    if (!sig)
        return;
    signal(sig, SIG_DFL);
    raise(sig);
}

void interrupt_hold(sigset_t *old)
{
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGINT);
    sigaddset(&term, SIGTERM);
    sigaddset(&term, SIGHUP);
    sigprocmask(SIG_BLOCK, &term, old);
}

void interrupt_unhold(const sigset_t *old) { sigprocmask(SIG_SETMASK, old, NULL); }
