/* An LD_PRELOAD library for tests (tests/cli/start_retry.sh) that makes starting a process fail
 * as on a machine that has run out of processes: fork, posix_spawn, posix_spawnp and the exec
 * functions (execve, execv, execvp, execvpe, execl, execlp) fail with errno START_FAIL_ERRNO
 * (a number; default EAGAIN) for START_FAIL_COUNT calls after the first START_FAIL_SKIP
 * (default 0) calls, then pass through; START_FAIL_COUNT=-1: every call after those fails. The
 * calls are counted over every process that shares the directory START_FAIL_DIR (a call
 * counts by making an entry there that no other call makes). START_FAIL_LOG, if
 * set, is a file each call appends a line to: "PID NAME fail" or "PID NAME pass". */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

/* Whether this call fails (errno then set); logs it. */
static int refuse(const char *name)
{
    const char *count = getenv("START_FAIL_COUNT"), *dir = getenv("START_FAIL_DIR");
    const char *err = getenv("START_FAIL_ERRNO"), *log = getenv("START_FAIL_LOG");
    const char *skip = getenv("START_FAIL_SKIP");
    long k = count ? strtol(count, NULL, 10) : 0, s = skip ? strtol(skip, NULL, 10) : 0;
    int fail = 0, passed = 0;
    char path[4096];
    for (long i = 0; !passed && dir && i < s; i++) {
        snprintf(path, sizeof path, "%s/pass%ld", dir, i);
        passed = mkdir(path, 0700) == 0;
    }
    if (!passed)
        fail = k < 0;
    for (long i = 0; !passed && !fail && dir && i < k; i++) {
        snprintf(path, sizeof path, "%s/fail%ld", dir, i);
        fail = mkdir(path, 0700) == 0;
    }
    if (log) {
        int fd = open(log, O_WRONLY | O_APPEND | O_CREAT, 0644);
        if (fd >= 0) {
            dprintf(fd, "%ld %s %s\n", (long)getpid(), name, fail ? "fail" : "pass");
            close(fd);
        }
    }
    if (fail)
        errno = err ? atoi(err) : EAGAIN;
    return fail;
}

#define REAL(name, type) ((type)dlsym(RTLD_NEXT, name))

pid_t fork(void)
{
    if (refuse("fork"))
        return -1;
    return REAL("fork", pid_t (*)(void))();
}

typedef int spawn_fn(pid_t *, const char *, const posix_spawn_file_actions_t *,
                     const posix_spawnattr_t *, char *const[], char *const[]);

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
                const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    if (refuse("posix_spawn"))
        return errno;
    return REAL("posix_spawn", spawn_fn *)(pid, path, fa, attr, argv, envp);
}

int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
                 const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    if (refuse("posix_spawnp"))
        return errno;
    return REAL("posix_spawnp", spawn_fn *)(pid, file, fa, attr, argv, envp);
}

int execve(const char *path, char *const argv[], char *const envp[])
{
    if (refuse("execve"))
        return -1;
    return REAL("execve", int (*)(const char *, char *const[], char *const[]))(path, argv, envp);
}

int execvpe(const char *file, char *const argv[], char *const envp[])
{
    if (refuse("execvpe"))
        return -1;
    return REAL("execvpe", int (*)(const char *, char *const[], char *const[]))(file, argv, envp);
}

int execv(const char *path, char *const argv[])
{
    if (refuse("execv"))
        return -1;
    return REAL("execve", int (*)(const char *, char *const[], char *const[]))(path, argv,
                                                                              environ);
}

int execvp(const char *file, char *const argv[])
{
    if (refuse("execvp"))
        return -1;
    return REAL("execvpe", int (*)(const char *, char *const[], char *const[]))(file, argv,
                                                                               environ);
}

/* execl and execlp: their arguments as an array (up to 255 of them, then E2BIG). */
static int list_exec(const char *name, const char *file, const char *arg0, va_list ap)
{
    char *argv[256];
    int n = 0;
    argv[n++] = (char *)arg0;
    while (arg0 && n < 256 && (argv[n] = va_arg(ap, char *)) != NULL)
        n++;
    if (n == 256) {
        errno = E2BIG;
        return -1;
    }
    if (refuse(name))
        return -1;
    const char *real = strcmp(name, "execl") == 0 ? "execve" : "execvpe";
    return REAL(real, int (*)(const char *, char *const[], char *const[]))(file, argv, environ);
}

int execl(const char *path, const char *arg0, ...)
{
    va_list ap;
    va_start(ap, arg0);
    int rc = list_exec("execl", path, arg0, ap);
    va_end(ap);
    return rc;
}

int execlp(const char *file, const char *arg0, ...)
{
    va_list ap;
    va_start(ap, arg0);
    int rc = list_exec("execlp", file, arg0, ap);
    va_end(ap);
    return rc;
}
