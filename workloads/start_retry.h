/* Starting a child process on a machine short of processes or memory: fork failing with
 * EAGAIN or ENOMEM (a machine full of threads) is tried again after 20, 40, ... 1280 ms, 8
 * tries in 2.5 s, before the start counts as failed; other errors are not retried. */
#ifndef GILSIM_WORKLOADS_START_RETRY_H
#define GILSIM_WORKLOADS_START_RETRY_H

#include <sys/types.h>

/* What a message about a start that failed after the retries says about them. */
#define START_RETRIED "tried 8 times in 2.5 s"

/* 1 if a start that failed with errno e is worth another try (and is retried). */
int start_retryable(int e);
/* Waits before the try after try k (from 0) that failed with errno e: 0, or -1 when no
 * further try is due (the last one, an error not retried, a pending SIGINT/SIGTERM/SIGHUP). */
int start_wait(int k, int e);
/* fork(), retried as above: the child's 0, the parent's pid, or -1 with errno set. */
pid_t start_fork(void);

#endif
