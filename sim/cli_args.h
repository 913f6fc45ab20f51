/* Command-line checks every gilsim command shares: an option taking a file name is given once
 * and not empty (a repeated option is refused, as spec files refuse a parameter set twice),
 * and SimGrid's own --cfg=/--log= arguments are tried before anything runs. */
#ifndef GILSIM_SIM_CLI_ARGS_H
#define GILSIM_SIM_CLI_ARGS_H

#include <stddef.h>

/* Stores value in *slot for option `flag`. -1 with a one-line message in err if the option
 * was given before ("FLAG given twice ('a', then 'b'; allowed: once)") or value is empty. */
int cli_once(const char **slot, const char *value, const char *flag, char *err, size_t errlen);
/* 1 if a is one of SimGrid's arguments: --cfg=, --log= or one of its --help-* options. */
int cli_is_simgrid_arg(const char *a);
/* SimGrid aborts the process on a --cfg/--log it does not accept: tries arg in a child first.
 * 0 if SimGrid takes it (or it cannot be tried), else -1 with a one-line message in err. */
int cli_check_simgrid_arg(const char *prog, const char *arg, char *err, size_t errlen);
/* -1 with "WHAT: '...' has a control character at N (allowed: ...)" in err if s holds a
 * byte below 0x20 or 0x7f (a newline would split a shell line in two); else 0. */
int cli_printable(const char *what, const char *s, char *err, size_t errlen);

#endif
