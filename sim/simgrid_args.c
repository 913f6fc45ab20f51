/* SimGrid's arguments (see simgrid_args.h). */
#define _POSIX_C_SOURCE 200809L
#include "simgrid_args.h"

#include <simgrid/engine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int simgrid_arg_is(const char *a)
{
    return strncmp(a, "--cfg=", 6) == 0 || strncmp(a, "--log=", 6) == 0 ||
           strcmp(a, "--help-cfg") == 0 || strcmp(a, "--help-models") == 0 ||
           strcmp(a, "--help-logs") == 0 || strcmp(a, "--help-log-categories") == 0;
}

int simgrid_arg_check(const char *prog, const char *arg, char *err, size_t errlen)
{
    pid_t pid = fork();
    if (pid < 0)
        return 0; /* cannot check: let SimGrid itself judge */
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr) || !freopen("/dev/null", "w", stdout))
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
