/* The shared rules for reading user-named files (see text_file.h). */
#define _POSIX_C_SOURCE 200809L
#include "text_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "messages.h"

int text_open_fd(const char *path, const char *what, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (what)
            snprintf(err, errlen, "%s: cannot read '%s': %s", what, msg_path(path),
                     strerror(errno));
        else
            snprintf(err, errlen, "%s: cannot read: %s", msg_path(path), strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        const char *kind = S_ISDIR(st.st_mode) ? "a directory" : S_ISFIFO(st.st_mode) ? "a FIFO"
                           : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                                        : "a socket";
        if (what)
            snprintf(err, errlen, "%s: '%s' is %s (allowed: a regular file)", what,
                     msg_path(path), kind);
        else
            snprintf(err, errlen, "%s: is %s (allowed: a regular file)", msg_path(path), kind);
        close(fd);
        return -1;
    }
    /* Reads block as usual from here (a regular file never waits anyway). */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

FILE *text_open(const char *path, const char *what, char *err, size_t errlen)
{
    int fd = text_open_fd(path, what, err, errlen);
    FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
    if (fd >= 0 && !f) {
        snprintf(err, errlen, "%s: cannot read: %s", msg_path(path), strerror(errno));
        close(fd);
    }
    return f;
}

ssize_t text_line(FILE *f, const char *path, unsigned long lineno, size_t max, char **line,
                  size_t *cap, char *err, size_t errlen)
{
    size_t n = 0;
    int c = 0;
    while (n < max && (c = getc(f)) != EOF) {
        if (n + 2 > *cap) {
            size_t ncap = *cap ? 2 * *cap : 256;
            char *l = realloc(*line, ncap);
            if (!l) {
                snprintf(err, errlen, "%s:%lu: out of memory", path, lineno);
                return -2;
            }
            *line = l;
            *cap = ncap;
        }
        if (c == '\0') {
            snprintf(err, errlen, "%s:%lu: a NUL byte (allowed: a text file)", path, lineno);
            return -2;
        }
        (*line)[n++] = (char)c;
        if (c == '\n')
            break;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s:%lu: cannot read: %s", path, lineno, strerror(errno));
        return -2;
    }
    if (n == max && c != '\n' && (c = getc(f)) != EOF) {
        snprintf(err, errlen, "%s:%lu: a line longer than %zu bytes (allowed: shorter lines)",
                 path, lineno, max);
        return -2;
    }
    if (n == 0)
        return -1;
    (*line)[n] = '\0';
    return (ssize_t)n;
}
