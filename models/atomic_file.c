/* Whole-or-nothing file output (see atomic_file.h). */
#define _POSIX_C_SOURCE 200809L
#include "atomic_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int atomic_file_write(const char *path, int (*fill)(FILE *f, void *arg), void *arg, char *err,
                      size_t errlen)
{
    if (!path)
        return fill(stdout, arg) == 0 && fflush(stdout) == 0 ? 0 : -1;
    size_t len = strlen(path) + 32;
    char *tmp = malloc(len);
    FILE *f = NULL;
    int ok = 0;
    if (tmp) {
        snprintf(tmp, len, "%s.tmp.%ld", path, (long)getpid());
        f = fopen(tmp, "w");
    }
    if (f) {
        ok = fill(f, arg) == 0 && !ferror(f);
        ok = fclose(f) == 0 && ok;
        ok = ok && rename(tmp, path) == 0;
    }
    if (!ok) {
        snprintf(err, errlen, "%s: cannot write: %s", path, errno ? strerror(errno) : "error");
        if (tmp)
            unlink(tmp);
    }
    free(tmp);
    return ok ? 0 : -1;
}
