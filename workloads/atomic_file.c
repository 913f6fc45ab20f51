/* Whole-or-nothing output (see atomic_file.h). Invariant: gilsim only ever replaces a regular
 * file (by rename, under its lock) or creates a new name (by link, which fails if the name
 * appeared meanwhile); temporaries come from mkstemp (O_EXCL: a planted symlink is never
 * followed) and are removed on every failure path. */
#define _GNU_SOURCE /* F_OFD_SETLK */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "messages.h"
#include "signals.h"

static int is_stdout(const char *path) { return !path || strcmp(path, "-") == 0; }

int results_lock(int fd, const char *path, char *err, size_t errlen)
{
    /* Open file description locks: closing another descriptor of the same file (a reader in
     * this process) does not drop them, and they conflict with classic fcntl locks. */
    int writable = (fcntl(fd, F_GETFL) & O_ACCMODE) != O_RDONLY;
    struct flock lk = { .l_type = writable ? F_WRLCK : F_RDLCK, .l_whence = SEEK_SET };
    if (fcntl(fd, F_OFD_SETLK, &lk) == 0)
        return 0;
    if (errno == EAGAIN || errno == EACCES)
        snprintf(err, errlen, "%s: in use by another gilsim (a sweep appending to it, or a "
                 "merge or summarize replacing it); try again when it has finished", msg_path(path));
    else
        snprintf(err, errlen, "%s: cannot lock: %s", msg_path(path), strerror(errno));
    return -1;
}

int out_file_open(struct out_file *o, const char *path, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    o->path = path;
    o->lock = -1;
    if (is_stdout(path)) {
        o->kind = OUT_STDOUT;
        return 0;
    }
    o->kind = OUT_FILE;
    struct stat st;
    if (!*path) {
        snprintf(err, errlen, "empty file name");
        return -2;
    }
    if (lstat(path, &st) != 0) {
        int e = errno;
        char *copy = e == ENOENT ? strdup(path) : NULL;
        struct stat dir;
        int dir_ok = copy && stat(dirname(copy), &dir) == 0 && S_ISDIR(dir.st_mode);
        free(copy);
        if (dir_ok)
            return 0; /* a new name */
        snprintf(err, errlen, "%s: %s", msg_path(path), e == ENOENT ? "its directory does not exist"
                                                          : strerror(e));
        return -2;
    }
    if (S_ISLNK(st.st_mode)) {
        struct stat to;
        if (stat(path, &to) == 0 && (S_ISCHR(to.st_mode) || S_ISFIFO(to.st_mode))) {
            o->kind = OUT_STREAM; /* e.g. /dev/stdout: written through */
            return 0;
        }
        snprintf(err, errlen, "%s: is a symbolic link (not replacing it; name the file it "
                 "points to, or - for standard output)", msg_path(path));
        return -2;
    }
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
        o->kind = OUT_STREAM;
        return 0;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: is a %s (allowed: a regular file, a new name, a character "
                 "device, a FIFO or -)", msg_path(path), S_ISDIR(st.st_mode) ? "directory" :
                 S_ISBLK(st.st_mode) ? "block device" : "socket or other special file");
        return -2;
    }
    o->existed = 1;
    o->dev = st.st_dev;
    o->ino = st.st_ino;
    o->mode = st.st_mode & 0777;
    o->lock = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (o->lock < 0 && errno == EACCES)
        o->lock = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat now;
    if (o->lock < 0 || fstat(o->lock, &now) != 0 || now.st_dev != o->dev ||
        now.st_ino != o->ino) {
        snprintf(err, errlen, "%s: cannot open: %s", msg_path(path),
                 o->lock < 0 ? strerror(errno) : "it changed while being opened");
        out_file_close(o);
        return -1;
    }
    if (results_lock(o->lock, path, err, errlen) != 0) {
        out_file_close(o);
        return -1;
    }
    return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void tmp_tree_remove(const char *dir)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int out_file_check(const char *path, enum out_kind *kind, char *err, size_t errlen)
{
    struct out_file o;
    int rc = out_file_open(&o, path, err, errlen);
    out_file_close(&o);
    *kind = o.kind;
    char *copy = rc == 0 && o.kind == OUT_FILE ? strdup(path) : NULL;
    if (copy && access(dirname(copy), W_OK | X_OK) != 0) {
        snprintf(err, errlen, "%s: cannot write in its directory: %s", msg_path(path), strerror(errno));
        rc = -2;
    }
    free(copy);
    return rc;
}

void out_file_close(struct out_file *o)
{
    if (o->lock >= 0)
        close(o->lock);
    o->lock = -1;
}

/* Writes a character device or FIFO in place (opening a FIFO waits for its reader). */
static int write_stream(struct out_file *o, int (*fill)(FILE *f, void *arg), void *arg)
{
    int fd = open(o->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
        close(fd);
        errno = EEXIST; /* replaced by something else since out_file_open */
        return -1;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        return -1;
    }
    errno = 0;
    int ok = fill(f, arg) == 0 && fflush(f) == 0 && !ferror(f);
    int e = errno;
    ok = fclose(f) == 0 && ok;
    if (!ok && e)
        errno = e;
    return ok ? 0 : -1;
}

int out_file_commit(struct out_file *o, const char *tmp)
{
    if (o->existed) {
        struct stat st;
        if (lstat(o->path, &st) != 0 || st.st_dev != o->dev || st.st_ino != o->ino) {
            errno = EEXIST; /* replaced by someone else meanwhile: not ours to replace */
            return -1;
        }
        return rename(tmp, o->path);
    }
    if (link(tmp, o->path) == 0) {
        unlink(tmp);
        return 0;
    }
    if (errno == EEXIST)
        return -1; /* appeared meanwhile */
    return rename(tmp, o->path); /* a file system without hard links */
}

int out_file_write(struct out_file *o, int (*fill)(FILE *f, void *arg), void *arg, char *err,
                   size_t errlen)
{
    const char *name = o->kind == OUT_STDOUT ? "standard output" : o->path;
    int ok = 0;
    errno = 0;
    if (o->kind == OUT_STDOUT) {
        ok = fill(stdout, arg) == 0; /* flushed and checked once, by stdout_finish */
    } else if (o->kind == OUT_STREAM) {
        ok = write_stream(o, fill, arg) == 0;
    } else {
        /* FILE.tmp.XXXXXX; beside a name too long for that suffix (NAME_MAX), a hidden
         * .gilsim-tmp.XXXXXX in the same folder. */
        const char *base = strrchr(o->path, '/') ? strrchr(o->path, '/') + 1 : o->path;
        int short_tmp = strlen(base) + 11 > NAME_MAX;
        size_t len = strlen(o->path) + 24;
        char *tmp = malloc(len);
        int fd = -1;
        /* The temporary exists only while SIGINT, SIGTERM and SIGHUP are held: one that
         * arrives meanwhile (a big summary takes a second to write) lands once it is renamed
         * or removed, never leaving FILE.tmp.* behind. */
        sigset_t held;
        interrupt_hold(&held);
        if (tmp) {
            if (short_tmp)
                snprintf(tmp, len, "%.*s.gilsim-tmp.XXXXXX", (int)(base - o->path), o->path);
            else
                snprintf(tmp, len, "%s.tmp.XXXXXX", o->path);
            fd = mkstemp(tmp);
        }
        if (fd >= 0) {
            mode_t mask = umask(0);
            umask(mask);
            FILE *f = fchmod(fd, o->existed ? o->mode : 0666 & ~mask) == 0 ? fdopen(fd, "w")
                                                                          : NULL;
            if (!f)
                close(fd);
            ok = f && fill(f, arg) == 0 && fflush(f) == 0 && !ferror(f);
            int e = errno;
            ok = f && fclose(f) == 0 && ok;
            if (!ok && e)
                errno = e;
            ok = ok && out_file_commit(o, tmp) == 0;
            if (!ok) {
                e = errno;
                unlink(tmp);
                errno = e;
            }
        }
        int e = errno;
        interrupt_unhold(&held);
        errno = e;
        free(tmp);
    }
    if (!ok) {
        if (errno == EEXIST)
            snprintf(err, errlen, "%s: cannot write: another program created or replaced it "
                     "meanwhile (not replacing it)", msg_path(name));
        else
            snprintf(err, errlen, "%s: cannot write: %s", msg_path(name),
                     errno ? strerror(errno) : "error");
    }
    return ok ? 0 : -1;
}

int atomic_file_write(const char *path, int (*fill)(FILE *f, void *arg), void *arg, char *err,
                      size_t errlen)
{
    struct out_file o;
    if (out_file_open(&o, path, err, errlen) != 0)
        return -1;
    int rc = out_file_write(&o, fill, arg, err, errlen);
    out_file_close(&o);
    return rc;
}

struct buf {
    const void *data;
    size_t len;
};

static int fill_buf(FILE *f, void *arg)
{
    const struct buf *b = arg;
    return fwrite(b->data, 1, b->len, f) == b->len ? 0 : -1;
}

int atomic_file_write_buf(const char *path, const void *data, size_t len, char *err,
                          size_t errlen)
{
    struct buf b = { data, len };
    return atomic_file_write(path, fill_buf, &b, err, errlen);
}

/* The path with its directory part resolved; malloc'd, or NULL. */
static char *normal_path(const char *path)
{
    char *a = strdup(path), *b = strdup(path), *out = NULL;
    char dir[PATH_MAX];
    if (a && b && realpath(dirname(a), dir)) {
        const char *base = basename(b);
        size_t len = strlen(dir) + strlen(base) + 2;
        if ((out = malloc(len)))
            snprintf(out, len, "%s/%s", dir, base);
    }
    free(a);
    free(b);
    return out;
}

int out_file_same(const char *a, const char *b)
{
    if (is_stdout(a) || is_stdout(b))
        return is_stdout(a) && is_stdout(b);
    struct stat sa, sb;
    int ea = stat(a, &sa) == 0, eb = stat(b, &sb) == 0;
    if (ea && eb)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    if (ea != eb)
        return 0;
    char *na = normal_path(a), *nb = normal_path(b);
    int same = na && nb ? strcmp(na, nb) == 0 : strcmp(a, b) == 0;
    free(na);
    free(nb);
    return same;
}

int stdout_finish(int rc)
{
    /* A write that failed while the buffer filled up sets the error flag, and errno then (a
     * longer output fails there, not in the flush below: its errno is the one left over, if it
     * is a write's); the flush writes the rest. stdout stays open: SimGrid's exit handlers may
     * still log. */
    int earlier = errno;
    errno = 0;
    int bad = ferror(stdout);
    if (fflush(stdout) != 0)
        bad = 1;
    int e = errno;
    if (!bad)
        return rc;
    if (!e && (earlier == ENOSPC || earlier == EPIPE || earlier == EIO || earlier == EFBIG ||
               earlier == EDQUOT))
        e = earlier;
    fprintf(stderr, "gilsim: standard output: cannot write: %s\n",
            e ? strerror(e) : "write error");
    return rc ? rc : 1;
}
