/* SimGrid's own command-line arguments (--cfg=, --log=, --help-*), which gilsim passes on:
 * recognising them, and trying one before anything runs, since SimGrid aborts the whole
 * process on one it does not accept. */
#ifndef GILSIM_SIM_SIMGRID_ARGS_H
#define GILSIM_SIM_SIMGRID_ARGS_H

#include <stddef.h>

/* 1 if a is one of SimGrid's arguments: --cfg=, --log= or one of its --help-* options. */
int simgrid_arg_is(const char *a);
/* Tries arg in a child process, after refusing a value known to crash SimGrid once actors run
 * (a stack under 32 KiB, a negative guard). 0 if SimGrid takes it (or it cannot be tried), else -1 with a
 * one-line message in err. */
int simgrid_arg_check(const char *prog, const char *arg, char *err, size_t errlen);

#endif
