/* Command-line checks every gilsim command shares: an option taking a file name is given once
 * and not empty (a repeated option is refused, as spec files refuse a parameter set twice),
 * a value that goes into a shell line has no control character, and a count is a whole
 * number in range. */
#ifndef GILSIM_WORKLOADS_CLI_ARGS_H
#define GILSIM_WORKLOADS_CLI_ARGS_H

#include <stddef.h>

/* Stores value in *slot for option `flag`. -1 with a one-line message in err if the option
 * was given before ("FLAG given twice ('a', then 'b'; allowed: once)") or value is empty. */
int cli_once(const char **slot, const char *value, const char *flag, char *err, size_t errlen);
/* -1 with "WHAT: character N of M is \xHH (allowed: ...)" in err if s holds a byte below 0x20
 * or 0x7f (a newline would split a shell line in two); else 0. */
int cli_printable(const char *what, const char *s, char *err, size_t errlen);
/* -1 with "FLAG: 'PATH': starts with '<' (...)" in err if path, or its base name, starts with
 * '<' or '|': gnuplot runs such a name as a shell command when a kept FIG.gp under it is
 * redrawn (`gnuplot '<touch X;x.gp'`); else 0. For every output that keeps a gnuplot script. */
int cli_script_name(const char *flag, const char *path, char *err, size_t errlen);
/* Parses a count option's value: a whole number in 1..max into *out, else -1 with
 * "FLAG: 'v' (allowed: a whole number in 1..MAX)" in err. */
int cli_count(const char *flag, const char *v, long long max, long long *out, char *err,
              size_t errlen);

#endif
