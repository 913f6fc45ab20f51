/* The process pool (see pool.h): fork + exec (or fork + call, for a task with an entry), j
 * children at a time, waitpid for any; a start that fails is retried, then reported with its
 * errno, never as the run's exit status. A SIGINT, SIGTERM or SIGHUP (interrupt.h) stops it:
 * running children get SIGTERM and are reaped before it returns.
 * Invariant: `running` holds exactly the children not yet reaped. */
#define _POSIX_C_SOURCE 200809L
#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "signals.h"
#include "start_retry.h"

/* In the child: reports errno to the parent through fd (the start failed) and exits. */
static void start_failed(int fd)
{
    int e = errno;
    if (write(fd, &e, sizeof e) < 0)
        e = 0; /* the parent then sees an ordinary exit */
    _exit(127);
}

/* Starts one child: its pid, or -1 with *why set to the errno of what failed (fork, or in the
 * child opening its files or exec'ing). A close-on-exec pipe carries the child's errno: read
 * at its end (exec succeeded, or the entry is about to run), nothing. Signals are held from
 * before fork until the child has its default handlers, so none lands in between. */
static pid_t spawn(const struct pool_task *t, int *why)
{
    pid_t parent = getpid();
    int fd[2];
    if (pipe(fd) != 0) {
        *why = errno;
        return -1;
    }
    fcntl(fd[0], F_SETFD, FD_CLOEXEC);
    fcntl(fd[1], F_SETFD, FD_CLOEXEC);
    sigset_t old;
    interrupt_hold(&old);
    fflush(NULL); /* nothing buffered here is written twice by a forked child */
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        /* Child: die with the pool (a killed sweep leaves no orphan runs behind). */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        interrupt_unhold(&old);
        int in = open("/dev/null", O_RDWR);
        int err = open(t->err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || err < 0 || dup2(in, 0) < 0 || dup2(in, 1) < 0 || dup2(err, 2) < 0)
            start_failed(fd[1]);
        if (t->entry) {
            close(fd[1]);
            int argc = 0;
            while (t->argv[argc])
                argc++;
            int rc = t->entry(argc - 1, t->argv + 1);
            fflush(NULL);
            _exit(rc);
        }
        execv(t->argv[0], t->argv);
        start_failed(fd[1]);
    }
    *why = errno;
    interrupt_unhold(&old);
    close(fd[1]);
    int e = 0;
    ssize_t got = -1;
    while (pid > 0 && (got = read(fd[0], &e, sizeof e)) < 0 && errno == EINTR)
        ;
    close(fd[0]);
    if (pid > 0 && got == (ssize_t)sizeof e) {
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
        *why = e;
        return -1;
    }
    return pid;
}

/* Starting fails for want of a resource (a machine full of threads: EAGAIN, ENOMEM): tried
 * again (start_retry.h) before the task counts as not started. */
static pid_t spawn_retrying(const struct pool_task *t, int *why)
{
    for (int k = 0;; k++) {
        pid_t pid = spawn(t, why);
        if (pid >= 0 || start_wait(k, *why) != 0)
            return pid;
    }
}

int pool_run(size_t n, size_t j, pool_start_fn start, pool_done_fn done, void *ctx)
{
    interrupt_catch(); /* waitpid returns EINTR on a signal */

    pid_t *pid = calloc(j ? j : 1, sizeof *pid);
    size_t *task = calloc(j ? j : 1, sizeof *task);
    size_t next = 0, running = 0;
    int starting = pid && task;
    while (!interrupt_pending() && ((starting && next < n) || running > 0)) {
        while (starting && next < n && running < j && !interrupt_pending()) {
            struct pool_task t = { 0 };
            if (start(ctx, next, &t) != 0) {
                starting = 0;
                break;
            }
            int why = 0;
            pid_t p = spawn_retrying(&t, &why);
            if (p < 0) {
                done(ctx, next++, -(why > 0 ? why : EAGAIN));
                continue;
            }
            pid[running] = p;
            task[running++] = next++;
        }
        if (running == 0)
            continue;
        int status;
        pid_t p = waitpid(-1, &status, 0);
        if (p < 0)
            continue; /* EINTR: the loop condition sees interrupt_pending() */
        for (size_t k = 0; k < running; k++)
            if (pid[k] == p) {
                size_t i = task[k];
                pid[k] = pid[--running];
                task[k] = task[running];
                done(ctx, i, status);
                break;
            }
    }
    int rc = 0;
    if (interrupt_pending()) {
        rc = -1;
        for (size_t k = 0; k < running; k++)
            kill(pid[k], SIGTERM);
        for (size_t k = 0; k < running; k++)
            while (waitpid(pid[k], NULL, 0) < 0 && errno == EINTR)
                ;
    }
    free(pid);
    free(task);
    interrupt_release();
    return rc;
}
