/* Shared command-line checks (see cli_args.h). */
#include "cli_args.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_once(const char **slot, const char *value, const char *flag, char *err, size_t errlen)
{
    if (*slot) {
        snprintf(err, errlen, "%s given twice ('%s', then '%s'; allowed: once)", flag, *slot,
                 value);
        return -1;
    }
    if (!*value) {
        snprintf(err, errlen, "%s: empty file name (allowed: a file name)", flag);
        return -1;
    }
    *slot = value;
    return 0;
}

int cli_printable(const char *what, const char *s, char *err, size_t errlen)
{
    for (const char *c = s; *c; c++)
        if ((unsigned char)*c < ' ' || *c == 0x7f) {
            snprintf(err, errlen, "%s: character %zu of %zu is \\x%02x (allowed: printable "
                     "characters; a task is one shell line)", what, (size_t)(c - s) + 1,
                     strlen(s), (unsigned char)*c);
            return -1;
        }
    return 0;
}

int cli_script_name(const char *flag, const char *path, char *err, size_t errlen)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    char c = path[0] == '<' || path[0] == '|' ? path[0] : base[0];
    if (c != '<' && c != '|')
        return 0;
    snprintf(err, errlen, "%s: '%.200s': starts with '%c' (gnuplot would run it as a shell command "
             "when its kept .gp script is redrawn; allowed: a name starting with another "
             "character)", flag, path, c);
    return -1;
}

int cli_count(const char *flag, const char *v, long long max, long long *out, char *err,
              size_t errlen)
{
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (!*v || *end || errno || n < 1 || n > max) {
        snprintf(err, errlen, "%s: '%s' (allowed: a whole number in 1..%lld)", flag, v, max);
        return -1;
    }
    *out = n;
    return 0;
}
