/* SimGrid's arguments (see simgrid_args.h). */
#define _POSIX_C_SOURCE 200809L
#include "simgrid_args.h"

#include <errno.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "messages.h"

int simgrid_arg_is(const char *a)
{
    return strncmp(a, "--cfg=", 6) == 0 || strncmp(a, "--log=", 6) == 0 ||
           strcmp(a, "--help-cfg") == 0 || strcmp(a, "--help-models") == 0 ||
           strcmp(a, "--help-logs") == 0 || strcmp(a, "--help-log-categories") == 0;
}

/* --cfg items SimGrid accepts at values that crash it once actors start (exit 139): the least
 * value gilsim lets through. 4 KiB stacks overflow in gilsim's actors, 8 KiB ran every test
 * point; 32 leaves room for deeper calls. A negative guard cannot be protected. */
static const struct {
    const char *item;
    long min;
    const char *why;
} fatal_cfg[] = {
    { "contexts/stack-size", 32, "KiB; a smaller actor stack overflows and crashes SimGrid" },
    { "contexts/guard-size", 0, "pages; SimGrid fails to protect a negative guard and crashes" },
};

/* -1 with err set if arg is --cfg=ITEM:VALUE with a value known to crash SimGrid. */
static int fatal_value(const char *arg, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof fatal_cfg / sizeof fatal_cfg[0]; i++) {
        size_t n = strlen(fatal_cfg[i].item);
        if (strncmp(arg, "--cfg=", 6) != 0 || strncmp(arg + 6, fatal_cfg[i].item, n) != 0 ||
            arg[6 + n] != ':')
            continue;
        char *end;
        errno = 0;
        long v = strtol(arg + 7 + n, &end, 10);
        if (end == arg + 7 + n || *end || errno)
            return 0; /* not a number: SimGrid judges it */
        if (v < fatal_cfg[i].min) {
            snprintf(err, errlen, "%s: below %ld (%s; allowed: %ld or more)", arg,
                     fatal_cfg[i].min, fatal_cfg[i].why, fatal_cfg[i].min);
            return -1;
        }
    }
    return 0;
}

int simgrid_arg_check(const char *prog, const char *arg, char *err, size_t errlen)
{
    if (fatal_value(arg, err, errlen) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return 0; /* cannot check: let SimGrid itself judge */
    if (pid == 0) {
        if (messages_silence() != 0 || !freopen("/dev/null", "w", stdout))
            _exit(1);
        int argc = 2;
        char *argv[] = { strdup(prog), strdup(arg), NULL };
        if (!argv[0] || !argv[1])
            _exit(1);
        simgrid_init(&argc, argv);
        _exit(0);
    }
    int status;
    if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    snprintf(err, errlen, "%s: SimGrid does not accept it (--help-cfg lists the --cfg items, "
             "--help-logs the --log syntax)", arg);
    return -1;
}
