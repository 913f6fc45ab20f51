/* Retrying a process start that fails for want of resources (see start_retry.h). */
#define _POSIX_C_SOURCE 200809L
#include "start_retry.h"

#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "signals.h"

#define START_TRIES 8

int start_retryable(int e) { return e == EAGAIN || e == ENOMEM; }

int start_wait(int k, int e)
{
    if (k + 1 >= START_TRIES || !start_retryable(e) || interrupt_pending())
        return -1;
    long ms = 20L << k; /* 20 ms to 1.28 s: 2.54 s over the 7 waits */
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !interrupt_pending())
        ;
    return interrupt_pending() ? -1 : 0;
}

pid_t start_fork(void)
{
    for (int k = 0;; k++) {
        pid_t pid = fork();
        if (pid >= 0)
            return pid;
        int e = errno;
        if (start_wait(k, e) != 0) {
            errno = e;
            return -1;
        }
    }
}
