/* Figures as data + gnuplot template, written side by side (see plot_figure.h). gnuplot runs
 * as a child process on files of a private working directory beside the figure
 * (`gnuplot -c W/fig.gp W/fig.dat W/fig.png`); only when it has drawn a non-empty image are
 * the three files renamed into place; the working directory is removed on every path. */
#define _POSIX_C_SOURCE 200809L
#include "plot_figure.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atomic_file.h"
#include "cli_args.h"
#include "messages.h"
#include "signals.h"
#include "start_retry.h"

#ifndef GILSIM_PLOTS_DIR
#define GILSIM_PLOTS_DIR "plots"
#endif

const char *fig_format(const char *path)
{
    static const char *const formats[] = { "png", "svg", "pdf" };
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    if (!dot || dot == path || (slash && dot < slash) || (slash && dot == slash + 1))
        return NULL;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(dot + 1, formats[i]) == 0)
            return formats[i];
    return NULL;
}

int fig_name_check(const char *out, char *err, size_t errlen)
{
    if (fig_format(out))
        return cli_script_name("-o", out, err, errlen);
    snprintf(err, errlen, "-o: '%s' must end in .png, .svg or .pdf", msg_path(out));
    return -1;
}

const char *fig_template_dir(void)
{
    const char *dir = getenv("GILSIM_PLOTS");
    return dir && *dir ? dir : GILSIM_PLOTS_DIR;
}

/* malloc'd "a" + "b" + "c". */
static char *cat3(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *s = malloc(la + lb + lc + 1);
    if (s) {
        memcpy(s, a, la);
        memcpy(s + la, b, lb);
        memcpy(s + la + lb, c, lc + 1);
    }
    return s;
}

int fig_begin(struct fig *f, const char *out, const char *tmpl, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    const char *format = fig_format(out);
    if (fig_name_check(out, err, errlen) != 0)
        return -1;
    f->out = strdup(out);
    char *dir = cat3(fig_template_dir(), "/", tmpl);
    f->tmpl = dir ? cat3(dir, ".gp", "") : NULL;
    free(dir);
    f->dat = open_memstream(&f->buf, &f->len);
    if (!f->out || !f->tmpl || !f->dat) {
        snprintf(err, errlen, "out of memory");
        fig_discard(f);
        return -1;
    }
    if (access(f->tmpl, R_OK) != 0) {
        snprintf(err, errlen, "template %s: %s (set GILSIM_PLOTS to the plots/templates/ directory)",
                 f->tmpl, strerror(errno));
        fig_discard(f);
        return -1;
    }
    fprintf(f->dat, "# gilsim figure data, drawn by %s.gp (gnuplot FIG.gp redraws FIG.%s).\n"
            "# Block 0: settings the template reads, \"key\" \"value\"; then the data blocks.\n",
            tmpl, format);
    fig_meta(f, "format", "%s", format);
    return 0;
}

void fig_meta(struct fig *f, const char *key, const char *fmt, ...)
{
    char value[4096];
    va_list ap;
    if (f->blocks) {
        f->late = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(value, sizeof value, fmt, ap);
    va_end(ap);
    for (char *c = value; *c; c++)
        if (*c == '"')
            *c = '\'';
        else if ((unsigned char)*c < ' ')
            *c = ' ';
    fprintf(f->dat, "\"%s\"\t\"%s\"\n", key, value);
}

int fig_block(struct fig *f, const char *fmt, ...)
{
    va_list ap;
    fprintf(f->dat, "\n\n# block %d: ", ++f->blocks);
    va_start(ap, fmt);
    vfprintf(f->dat, fmt, ap);
    va_end(ap);
    fputc('\n', f->dat);
    return f->blocks;
}

void fig_discard(struct fig *f)
{
    if (f->dat)
        fclose(f->dat);
    free(f->buf);
    free(f->out);
    free(f->tmpl);
    memset(f, 0, sizeof *f);
}

int write_whole(const char *path, const char *data, size_t len, char *err, size_t errlen)
{
    return atomic_file_write_buf(path, data, len, err, errlen);
}

static int copy_file(const char *from, const char *to, char *err, size_t errlen)
{
    FILE *in = fopen(from, "r");
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    int ok = in && mem;
    char chunk[8192];
    for (size_t got; ok && (got = fread(chunk, 1, sizeof chunk, in)) > 0;)
        ok = fwrite(chunk, 1, got, mem) == got;
    ok = ok && !ferror(in);
    if (in)
        fclose(in);
    if (mem)
        ok = fclose(mem) == 0 && ok;
    if (!ok)
        snprintf(err, errlen, "%s: cannot read: %s", from, strerror(errno));
    else
        ok = write_whole(to, buf, len, err, errlen) == 0;
    free(buf);
    return ok ? 0 : -1;
}

/* The last non-empty line gnuplot wrote to its log, for the error message. */
static void last_line(const char *log, char *buf, size_t len)
{
    FILE *f = fopen(log, "r");
    char line[512];
    snprintf(buf, len, "no message");
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[strspn(line, " ^")])
            snprintf(buf, len, "%s", line);
    }
    if (f)
        fclose(f);
}

/* Why gnuplot may have failed without a word: whether the working directory still takes 64 KiB
 * (a full disk or a file size limit silences its log too): msg becomes the error a write there
 * gets, and keeps "no message" if it succeeds. */
static void write_probe(const char *work, char *msg, size_t len)
{
    char *probe = cat3(work, "/probe", "");
    int fd = probe ? open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) : -1;
    static const char zeros[65536];
    size_t done = 0;
    ssize_t w = 0;
    while (fd >= 0 && done < sizeof zeros && (w = write(fd, zeros, sizeof zeros - done)) > 0)
        done += (size_t)w; /* a short write, then the error that explains it */
    if (fd >= 0 && w < 0)
        snprintf(msg, len, "%s (gnuplot said nothing; writing beside the image fails so)",
                 strerror(errno));
    if (fd >= 0)
        close(fd);
    if (probe)
        unlink(probe);
    free(probe);
}

/* 1 if the image at path ends as a whole one of its format does: a PNG with its IEND chunk, an
 * SVG with </svg>, a PDF with %%EOF. */
static int image_whole(const char *path, const char *format)
{
    char tail[64] = "";
    FILE *f = fopen(path, "rb");
    size_t n = 0;
    if (f && fseek(f, -(long)(sizeof tail - 1), SEEK_END) != 0)
        rewind(f); /* shorter than the tail */
    if (f) {
        n = fread(tail, 1, sizeof tail - 1, f);
        fclose(f);
    }
    static const unsigned char iend[] = { 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };
    if (strcmp(format, "png") == 0)
        return n >= sizeof iend && memcmp(tail + n - sizeof iend, iend, sizeof iend) == 0;
    tail[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (!tail[i])
            tail[i] = ' ';
    return strstr(tail, strcmp(format, "svg") == 0 ? "</svg>" : "%%EOF") != NULL;
}

/* Runs gnuplot -c gp dat img, its standard error to log; returns its exit status (127 if it
 * could not be started: *why gets fork's errno if the process could not be made, retried as
 * start_retry.h says). A SIGINT, SIGTERM or SIGHUP (interrupt.h) stops gnuplot. */
static int run_gnuplot(const char *gp, const char *dat, const char *img, const char *log,
                       int *why)
{
    *why = 0;
    if (interrupt_pending())
        return 128 + interrupt_pending();
    pid_t pid = start_fork();
    if (pid < 0) {
        *why = errno;
        return 127;
    }
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR), lfd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (null < 0 || lfd < 0)
            _exit(127);
        dup2(null, 0);
        dup2(null, 1);
        dup2(lfd, 2);
        execlp("gnuplot", "gnuplot", "-c", gp, dat, img, (char *)NULL);
        dprintf(2, "cannot run gnuplot: %s\n", strerror(errno));
        _exit(127);
    }
    interrupt_child(pid);
    if (interrupt_pending()) /* arrived between the check and interrupt_child */
        kill(pid, SIGTERM);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            interrupt_child(0);
            return 127;
        }
    interrupt_child(0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The private directory a figure is drawn in: DIR/.gilsim-fig.XXXXXX beside the image
 * (mkdtemp: a fresh name nobody else can write to), "./"-prefixed when relative so that
 * gnuplot never reads a leading '<' or '|' as a pipe. malloc'd, NULL if it cannot be made. */
static char *make_work_dir(const char *out)
{
    char *copy = strdup(out);
    if (!copy)
        return NULL;
    const char *dir = dirname(copy);
    char *work = cat3(dir[0] == '/' ? "" : "./", dir, "/.gilsim-fig.XXXXXX");
    free(copy);
    if (work && !mkdtemp(work)) {
        free(work);
        return NULL;
    }
    return work;
}

/* Puts the finished temporary tmp in place of the output o (atomic_file.h rules: a regular
 * file is replaced under its lock, a new name linked, anything else refused). */
static int place(const char *tmp, const char *path, char *err, size_t errlen)
{
    struct out_file o;
    int rc = out_file_open(&o, path, err, errlen);
    if (rc == 0 && o.kind != OUT_FILE) {
        snprintf(err, errlen, "%s: is a device, FIFO or standard output (allowed: a regular "
                 "file or a new name)", path);
        rc = -1;
    }
    if (rc == 0 && out_file_commit(&o, tmp) != 0) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        rc = -1;
    }
    out_file_close(&o);
    return rc;
}

int fig_end(struct fig *f, char *err, size_t errlen)
{
    const char *format = fig_format(f->out);
    size_t baselen = strlen(f->out) - strlen(format) - 1;
    char *base = strndup(f->out, baselen), *work = NULL, *gp = NULL, *dat = NULL, *img = NULL,
         *log = NULL, *fin_gp = NULL, *fin_dat = NULL;
    int rc = -1;
    if (base && (work = make_work_dir(f->out))) {
        gp = cat3(work, "/fig.gp", "");
        dat = cat3(work, "/fig.dat", "");
        img = cat3(work, "/fig.", format);
        log = cat3(work, "/fig.log", "");
        fin_gp = cat3(base, ".gp", "");
        fin_dat = cat3(base, ".dat", "");
    } else if (base) {
        snprintf(err, errlen, "%s: cannot make a working directory beside it: %s", f->out,
                 strerror(errno));
    }
    int closed = fclose(f->dat);
    f->dat = NULL;
    if (!work)
        goto out;
    if (closed != 0 || !gp || !dat || !img || !log || !fin_gp || !fin_dat) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (f->late) {
        snprintf(err, errlen, "%s: internal error: a setting after the data", f->out);
        goto out;
    }
    if (write_whole(dat, f->buf, f->len, err, errlen) != 0 ||
        copy_file(f->tmpl, gp, err, errlen) != 0)
        goto out;
    int why, status = run_gnuplot(gp, dat, img, log, &why);
    struct stat st;
    if (interrupt_pending()) {
        snprintf(err, errlen, "interrupted while drawing %s", f->out);
        goto out;
    }
    if (why) {
        snprintf(err, errlen, "gnuplot could not be started to draw %s: %s (errno %d%s)",
                 f->out, strerror(why), why, start_retryable(why) ? ", " START_RETRIED : "");
        goto out;
    }
    if (status != 0 || stat(img, &st) != 0 || st.st_size == 0) {
        char msg[512];
        last_line(log, msg, sizeof msg);
        if (strcmp(msg, "no message") == 0)
            write_probe(work, msg, sizeof msg); /* a full disk silences gnuplot's log too */
        snprintf(err, errlen, "gnuplot failed drawing %s (%s): %s", f->out,
                 status == 127 ? "is gnuplot installed?" : f->tmpl, msg);
        goto out;
    }
    if (!image_whole(img, format)) { /* gnuplot ends 0 with an image cut short by the disk */
        char msg[512] = "no message";
        write_probe(work, msg, sizeof msg);
        snprintf(err, errlen, "gnuplot's image %s is cut short (%s)", f->out, msg);
        goto out;
    }
    /* The image last: a FIG.png in place always has its FIG.dat and FIG.gp. */
    if (place(dat, fin_dat, err, errlen) != 0 || place(gp, fin_gp, err, errlen) != 0 ||
        place(img, f->out, err, errlen) != 0)
        goto out;
    rc = 0;
out:
    for (char **p = (char *[]){ gp, dat, img, log, NULL }; *p; p++)
        unlink(*p);
    if (work)
        rmdir(work);
    free(base);
    free(work);
    free(gp);
    free(dat);
    free(img);
    free(log);
    free(fin_gp);
    free(fin_dat);
    fig_discard(f);
    return rc;
}
