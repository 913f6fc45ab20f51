/* The control-character filter on standard error (see messages.h). */
#define _GNU_SOURCE /* fopencookie */
#include "messages.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static FILE *raw;

/* Writes all of buf to fd 2; -1 if it cannot. */
static int put(const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(2, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

static ssize_t escape_write(void *cookie, const char *buf, size_t size)
{
    (void)cookie;
    char out[1024];
    size_t n = 0;
    for (size_t i = 0; i < size; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (n + 5 > sizeof out) { /* room for \\xHH and snprintf's NUL */
            if (put(out, n) != 0)
                return -1;
            n = 0;
        }
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
            n += (size_t)snprintf(out + n, sizeof out - n, "\\x%02x", c);
        else
            out[n++] = (char)c;
    }
    return put(out, n) == 0 ? (ssize_t)size : -1;
}

void messages_escape_stderr(void)
{
    if (raw)
        return;
    cookie_io_functions_t io = { .write = escape_write };
    FILE *f = fopencookie(NULL, "w", io);
    if (!f || setvbuf(f, NULL, _IONBF, 0) != 0) {
        if (f)
            fclose(f);
        return; /* stderr stays as it was */
    }
    raw = stderr;
    stderr = f;
}

FILE *messages_raw_stderr(void) { return raw; }

int messages_silence(void)
{
    int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    int rc = fd >= 0 && dup2(fd, 2) == 2 ? 0 : -1;
    if (fd >= 0)
        close(fd);
    return rc;
}

const char *msg_path(const char *path)
{
    static _Thread_local char buf[256];
    size_t n = strlen(path);
    if (n <= 200)
        return path;
    snprintf(buf, sizeof buf, "%.80s...(%zu bytes)...%s", path, n, path + n - 80);
    return buf;
}
