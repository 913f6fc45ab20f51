/* The process pool (see pool.h): fork + exec (or fork + call, for a task with an entry), j
 * children at a time, waitpid for any. A SIGINT, SIGTERM or SIGHUP (interrupt.h) stops it:
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

/* Starts one child; -1 if fork fails. */
static pid_t spawn(const struct pool_task *t)
{
    pid_t parent = getpid();
    fflush(NULL); /* nothing buffered here is written twice by a forked child */
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    /* Child: die with the pool (a killed sweep leaves no orphan runs behind). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    int in = open("/dev/null", O_RDWR);
    int err = open(t->err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || err < 0 || dup2(in, 0) < 0 || dup2(in, 1) < 0 || dup2(err, 2) < 0)
        _exit(127);
    if (t->entry) {
        int argc = 0;
        while (t->argv[argc])
            argc++;
        int rc = t->entry(argc - 1, t->argv + 1);
        fflush(NULL);
        _exit(rc);
    }
    execv(t->argv[0], t->argv);
    fprintf(stderr, "gilsim: cannot run %s: %s\n", t->argv[0], strerror(errno));
    _exit(127);
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
            pid_t p = spawn(&t);
            if (p < 0) {
                done(ctx, next++, -1);
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
