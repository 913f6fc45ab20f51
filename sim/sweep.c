/* gilsim sweep (see sweep.h). Points come from spec.c in spec order, each key once; points
 * whose key is already a row of the results file are skipped; the others run through pool.c.
 * Invariant: only this process appends to the results file (under an fcntl write lock), a whole
 * row per write(2), and only for points absent when it started, so no point is there twice. */
#define _POSIX_C_SOURCE 200809L
#include "sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "atomic_file.h"
#include "calibration.h"
#include "cli_args.h"
#include "messages.h"
#include "signals.h"
#include "params.h"
#include "pool.h"
#include "results_rows.h"
#include "scheme.h"
#include "simgrid_args.h"
#include "spec.h"
#include "status.h"
#include "start_retry.h"

struct point {
    size_t index; /* in spec order (spec_point) */
    size_t fam;   /* the spec family it comes from */
    char *key;    /* the cells its row starts with */
};

struct sweep {
    /* options */
    const char *file, *out, *outdir;
    const char *calibration; /* --calibration=FILE: defaults for what the spec leaves unset */
    size_t reps, jobs;
    int emit;
    int keep_dups;        /* build_points keeps points that repeat earlier ones */
    const char **simgrid; /* --cfg= and --log= arguments, passed to every run */
    size_t nsimgrid;
    const char **lists;   /* --NAME=LIST arguments, applied after the file */
    size_t nlists;
    /* the points */
    struct spec spec;
    struct point *pt; /* distinct points, in spec order */
    size_t npt, dups;
    size_t *todo;     /* indices into pt of the points to run */
    size_t ntodo;
    /* the runs */
    char exe[PATH_MAX]; /* this gilsim's path, for messages and emitted commands */
    char *header;
    int fd;
    char tmpdir[PATH_MAX];
    char errpath[PATH_MAX + 32]; /* the stderr file of the run being started */
    char ***argv; /* per point to run, while it runs */
    size_t skipped, finished, failed, deadlocks, checkfails;
    double t0;
    int tty, fatal;
    int check; /* sweep_check: read and expand everything, run nothing */
    int not_started; /* errno of a run that could not be started (no further run starts) */
    char fatal_msg[PATH_MAX + 128]; /* why the results file cannot take rows, if so */
};

__attribute__((format(printf, 1, 2))) static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s) {
        va_start(ap, f);
        vsnprintf(s, (size_t)n + 1, f, ap);
        va_end(ap);
    }
    return s;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gilsim sweep [SPEC.ini] [--PARAM=LIST ...] [--reps=R] [-j J] -o FILE\n"
            "                    [--emit-tasks [--outdir=DIR]] [--calibration=calib.ini]\n"
            "                    [--cfg=ITEM:VALUE] [--log=...]\n"
            "\n"
            "Runs the cartesian product of the lists (per section of SPEC.ini; --PARAM=LIST\n"
            "overrides the file) x R reps (rep r runs with seed + r), each point in its own\n"
            "`gilsim run` process, J at a time (default: online CPUs), appending one row per\n"
            "finished run to FILE. Rerun the same command to resume: points already in FILE are\n"
            "skipped. A LIST is values and ranges: 1, 10, 100 or 0:0.5:0.05 (start:stop:step).\n"
            "--emit-tasks prints one shell command per pending point instead (each writes\n"
            "DIR/point-HASH.csv; DIR defaults to FILE without .csv plus -points); combine them\n"
            "with gilsim merge. --calibration=FILE (gilsim calibrate's output) gives the\n"
            "defaults of what the spec and the lists leave unset. Details: docs/sweeps.md.\n");
}

static void put_quoted(FILE *f, const char *s)
{
    if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                        "_-+=.,:/@%") == strlen(s)) {
        fputs(s, f);
        return;
    }
    fputc('\'', f);
    for (; *s; s++)
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    fputc('\'', f);
}

/* The shell command of argv, with this gilsim's path for argv[0], without its last two
 * arguments (-o FILE) unless `with_output`; malloc'd. */
static char *command_text(const struct sweep *sw, char **argv, int with_output)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    size_t n = 0;
    while (argv[n])
        n++;
    n -= with_output || n < 2 ? 0 : 2;
    put_quoted(f, sw->exe);
    for (size_t i = 1; i < n; i++) {
        fputc(' ', f);
        put_quoted(f, argv[i]);
    }
    fclose(f);
    return buf;
}

static void argv_free(char **argv)
{
    if (!argv)
        return;
    for (size_t i = 0; argv[i]; i++)
        free(argv[i]);
    free(argv);
}

/* `EXE run --NAME=VALUE ... -o CSV` for point pt: the parameters its family sets (the others
 * are defaults), seed when rep > 0, then the SimGrid arguments. NULL if out of memory. */
static char **run_argv(const struct sweep *sw, const struct point *pt, const char *exe,
                       const char *csv)
{
    struct params p;
    size_t fam, rep;
    char err[1024], cell[PARAM_CELL_LEN];
    if (spec_point(&sw->spec, sw->reps, pt->index, &p, &fam, &rep, err, sizeof err) != 0)
        return NULL; /* checked by build_points */
    char **argv = calloc(param_count + sw->nsimgrid + 5, sizeof *argv);
    if (!argv)
        return NULL;
    size_t n = 0;
    int ok = (argv[n++] = strdup(exe)) && (argv[n++] = strdup("run"));
    for (size_t j = 0; ok && j < param_count; j++) {
        const struct param *d = &param_table[j];
        if (!sw->spec.fam[fam].list[j].n && !(rep > 0 && strcmp(d->name, "seed") == 0))
            continue;
        param_format(&p, d, cell, sizeof cell);
        ok = (argv[n++] = fmt("--%s=%s", d->name, cell)) != NULL;
    }
    for (size_t j = 0; ok && j < sw->nsimgrid; j++)
        ok = (argv[n++] = strdup(sw->simgrid[j])) != NULL;
    ok = ok && (argv[n++] = strdup("-o")) && (argv[n++] = strdup(csv));
    if (!ok) {
        argv_free(argv);
        return NULL;
    }
    return argv;
}

static int parse_count(const char *opt, const char *v, size_t max, size_t *out)
{
    char err[256];
    long long n;
    if (cli_count(opt, v, (long long)max, &n, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: sweep: %s\n", err);
        return -1;
    }
    *out = (size_t)n;
    return 0;
}

/* Returns 0, 1 after --help, or -1 after printing an error. */
static int parse_args(struct sweep *sw, int argc, char **argv)
{
    sw->simgrid = calloc((size_t)argc, sizeof *sw->simgrid);
    sw->lists = calloc((size_t)argc, sizeof *sw->lists);
    if (!sw->simgrid || !sw->lists)
        return -1;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    sw->jobs = cpus > 0 ? (size_t)cpus : 1;
    sw->reps = 1;
    const char *jobs = NULL, *reps = NULL; /* as given, to refuse a second one */
    char err[1024];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 1;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "-j") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "gilsim: sweep: %s: missing value\n", a);
                return -1;
            }
            if (a[1] == 'j' && parse_count("-j", argv[i + 1], 1024, &sw->jobs) != 0)
                return -1;
            if (cli_once(a[1] == 'o' ? &sw->out : &jobs, argv[++i], a, err, sizeof err) != 0)
                goto fail;
        } else if (strncmp(a, "-j", 2) == 0 && a[2] != '-') {
            if (parse_count("-j", a + 2, 1024, &sw->jobs) != 0)
                return -1;
            if (cli_once(&jobs, a + 2, "-j", err, sizeof err) != 0)
                goto fail;
        } else if (strncmp(a, "--jobs=", 7) == 0) {
            if (parse_count("--jobs", a + 7, 1024, &sw->jobs) != 0)
                return -1;
            if (cli_once(&jobs, a + 7, "-j", err, sizeof err) != 0)
                goto fail;
        } else if (strncmp(a, "--reps=", 7) == 0) {
            if (parse_count("--reps", a + 7, 1000000, &sw->reps) != 0)
                return -1;
            if (cli_once(&reps, a + 7, "--reps", err, sizeof err) != 0)
                goto fail;
        } else if (strncmp(a, "--output=", 9) == 0) {
            if (cli_once(&sw->out, a + 9, "-o", err, sizeof err) != 0)
                goto fail;
        } else if (strncmp(a, "--outdir=", 9) == 0) {
            if (cli_once(&sw->outdir, a + 9, "--outdir", err, sizeof err) != 0)
                goto fail;
        } else if (strncmp(a, "--calibration=", 14) == 0) {
            if (cli_once(&sw->calibration, a + 14, "--calibration", err, sizeof err) != 0)
                goto fail;
        } else if (strcmp(a, "--emit-tasks") == 0) {
            sw->emit = 1;
        } else if (strncmp(a, "--cfg=", 6) == 0 || strncmp(a, "--log=", 6) == 0) {
            /* Tried now, so that a bad one stops the sweep before any run (exit 2). */
            if (cli_printable(a[2] == 'c' ? "--cfg" : "--log", a, err, sizeof err) != 0 ||
                simgrid_arg_check(argv[0], a, err, sizeof err) != 0)
                goto fail;
            sw->simgrid[sw->nsimgrid++] = a;
        } else if (strncmp(a, "--", 2) == 0 && strchr(a, '=')) {
            size_t len = (size_t)(strchr(a, '=') - a) + 1;
            for (size_t k = 0; k < sw->nlists; k++)
                if (strncmp(sw->lists[k], a, len) == 0) {
                    fprintf(stderr, "gilsim: %.*s: set twice (%s, then %s; allowed: once)\n",
                            (int)len - 3, a + 2, sw->lists[k], a);
                    return -1;
                }
            sw->lists[sw->nlists++] = a;
        } else if (a[0] != '-' && !sw->file) {
            sw->file = a;
        } else {
            fprintf(stderr, "gilsim: sweep: unexpected argument '%s' (allowed: one SPEC.ini, "
                    "--PARAM=LIST, --reps=R, -j J, -o FILE, --emit-tasks, --outdir=DIR, "
                    "--calibration=FILE, --cfg=, --log=)\n", a);
            return -1;
        }
    }
    if (!sw->out || !*sw->out) {
        fprintf(stderr, "gilsim: sweep: -o FILE missing (the results CSV to append to)\n");
        return -1;
    }
    if (sw->file && out_file_same(sw->file, sw->out)) {
        fprintf(stderr, "gilsim: sweep: -o: '%s' is the spec file (allowed: another file)\n",
                sw->out);
        return -1;
    }
    if (!sw->file && !sw->nlists) {
        fprintf(stderr, "gilsim: sweep: nothing to sweep (allowed: a SPEC.ini and/or "
                "--PARAM=LIST arguments)\n");
        return -1;
    }
    if (sw->outdir && !sw->emit) {
        fprintf(stderr, "gilsim: sweep: --outdir is for --emit-tasks only\n");
        return -1;
    }
    return 0;
fail:
    fprintf(stderr, "gilsim: sweep: %s\n", err);
    return -1;
}

/* Expands the spec into distinct points; prints the first error and returns -1. */
static int build_points(struct sweep *sw)
{
    char err[2048];
    if (sw->file && spec_load(&sw->spec, sw->file, err, sizeof err) != 0)
        goto fail;
    for (size_t i = 0; i < sw->nlists; i++) {
        const char *a = sw->lists[i] + 2, *eq = strchr(a, '=');
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(eq - a), a);
        if (spec_set_all(&sw->spec, name, eq + 1, err, sizeof err) != 0)
            goto fail;
    }
    if (sw->calibration) { /* its values become explicit in every family that leaves them unset */
        struct spec c;
        spec_init(&c);
        int crc = calib_load(sw->calibration, &c, err, sizeof err) != 0 ||
                  calib_fill_spec(&sw->spec, &c, err, sizeof err) != 0;
        spec_free(&c);
        if (crc)
            goto fail;
    }
    size_t count;
    if (spec_count(&sw->spec, sw->reps, &count, err, sizeof err) != 0)
        goto fail;
    struct point *all = calloc(count, sizeof *all);
    struct rows_ref *ref = calloc(count, sizeof *ref);
    if (!all || !ref) {
        free(all);
        free(ref);
        snprintf(err, sizeof err, "sweep: out of memory for %zu points", count);
        goto fail;
    }
    sw->pt = all;
    for (size_t i = 0; i < count; i++) {
        struct params p;
        size_t fam, rep;
        if (spec_point(&sw->spec, sw->reps, i, &p, &fam, &rep, err, sizeof err) != 0) {
            free(ref);
            goto fail;
        }
        scheme_resolve_params(&p); /* a row holds the resolved values */
        all[i].index = i;
        all[i].fam = fam;
        all[i].key = rows_key(&p);
        sw->npt = i + 1;
        if (!all[i].key) {
            free(ref);
            snprintf(err, sizeof err, "sweep: out of memory");
            goto fail;
        }
        ref[i] = (struct rows_ref){ all[i].key, strlen(all[i].key), i };
    }
    if (sw->keep_dups) {
        free(ref);
        return 0;
    }
    /* The same parameters twice (e.g. two sections, or seeds that overlap with reps): keep
     * the first in spec order. */
    rows_sort(ref, count);
    char *dup = calloc(count ? count : 1, 1);
    if (!dup) {
        free(ref);
        snprintf(err, sizeof err, "sweep: out of memory");
        goto fail;
    }
    for (size_t i = 1; i < count; i++)
        if (rows_cmp(ref[i - 1].key, ref[i - 1].len, ref[i].key, ref[i].len) == 0)
            dup[ref[i].i] = 1;
    free(ref);
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        if (dup[i])
            free(all[i].key);
        else
            all[n++] = all[i];
    free(dup);
    sw->dups = count - n;
    sw->npt = n;
    return 0;
fail:
    fprintf(stderr, "gilsim: %s\n", err);
    return -1;
}

/* Takes the results file's lock (atomic_file.h) on sw->fd, which must still be the file at
 * sw->out: a merge may have renamed a new one there while we opened it. */
static int lock_results(struct sweep *sw, char *err, size_t errlen)
{
    struct stat a, b;
    if (results_lock(sw->fd, sw->out, err, errlen) != 0)
        return -1;
    if (fstat(sw->fd, &a) != 0 || stat(sw->out, &b) != 0 || a.st_dev != b.st_dev ||
        a.st_ino != b.st_ino) {
        snprintf(err, errlen, "%s: replaced by another gilsim while opening it; try again",
                 sw->out);
        return -1;
    }
    return 0;
}

/* Reads the results file if it exists (fd kept open, and locked unless emitting) and checks
 * that its header is this gilsim's. -1 after printing an error; nothing is changed. */
static int read_results(struct sweep *sw, struct rows *r)
{
    char err[2048];
    memset(r, 0, sizeof *r);
    int rdonly = sw->emit || sw->check;
    sw->fd = open(sw->out, (rdonly ? O_RDONLY : O_RDWR | O_APPEND) | O_NOFOLLOW | O_NONBLOCK);
    if (sw->fd < 0) {
        if (errno == ENOENT)
            return 0;
        fprintf(stderr, "gilsim: sweep: %s: cannot open: %s\n", sw->out,
                errno == ELOOP ? "a symbolic link (allowed: a regular file or a new name)"
                               : strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(sw->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "gilsim: sweep: %s: not a regular file (allowed: a results file or a "
                "new name)\n", sw->out);
        return -1;
    }
    if (!rdonly && lock_results(sw, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: sweep: %s\n", err);
        return -1;
    }
    if (rows_read_fd(sw->fd, sw->out, r, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: sweep: %s\n", err);
        return -1;
    }
    if (r->header && strcmp(r->header, sw->header) != 0) {
        char diff[512];
        rows_header_diff(sw->header, r->header, diff, sizeof diff);
        fprintf(stderr, "gilsim: sweep: %s: its header is not this gilsim's: %s (allowed: a "
                "results file of this gilsim, or a new file)\n", sw->out, diff);
        return -1;
    }
    const char *partial = r->data ? r->data + r->good : "";
    if (!r->header && strncmp(sw->header, partial, strlen(partial)) != 0) {
        fprintf(stderr, "gilsim: sweep: %s: not a gilsim CSV (allowed: a results file of this "
                "gilsim, or a new file)\n", sw->out);
        return -1;
    }
    return 0;
}

/* The points to run: those whose key is not a row of r. */
static int find_todo(struct sweep *sw, const struct rows *r)
{
    struct rows_ref *have = calloc(r->n ? r->n : 1, sizeof *have);
    sw->todo = calloc(sw->npt ? sw->npt : 1, sizeof *sw->todo);
    if (!have || !sw->todo) {
        free(have);
        fprintf(stderr, "gilsim: sweep: out of memory\n");
        return -1;
    }
    for (size_t i = 0; i < r->n; i++)
        have[i] = (struct rows_ref){ r->line[i], rows_prefix(r->line[i], r->keycols), i };
    rows_sort(have, r->n);
    for (size_t i = 0; i < sw->npt; i++)
        if (rows_find(have, r->n, sw->pt[i].key, strlen(sw->pt[i].key)))
            sw->skipped++;
        else
            sw->todo[sw->ntodo++] = i;
    free(have);
    return 0;
}

/* FNV-1a, 64 bits: names a point's file. */
static uint64_t hash64(const char *s)
{
    uint64_t h = 14695981039346656037ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static char *absolute(const char *path)
{
    if (path[0] == '/')
        return strdup(path);
    char cwd[PATH_MAX];
    return getcwd(cwd, sizeof cwd) ? fmt("%s/%s", cwd, path) : NULL;
}

/* --emit-tasks: one self-contained shell line per pending point (cd to this directory, make
 * the output directory, run). A run ending 0, 3 (deadlock) or 4 (check FAIL) has written its
 * row, so the line succeeds for those. */
static int emit_tasks(struct sweep *sw)
{
    char *dir = NULL;
    if (sw->outdir) {
        dir = absolute(sw->outdir);
    } else {
        size_t n = strlen(sw->out);
        n -= n > 4 && strcmp(sw->out + n - 4, ".csv") == 0 ? 4 : 0;
        char *base = fmt("%.*s-points", (int)n, sw->out);
        dir = base ? absolute(base) : NULL;
        free(base);
    }
    char cwd[PATH_MAX];
    if (!dir || !getcwd(cwd, sizeof cwd)) {
        fprintf(stderr, "gilsim: sweep: cannot find the current directory\n");
        free(dir);
        return GS_FAILED;
    }
    /* A task is one line: a newline in any value would end it and start a second command. */
    char err[1024];
    const char *what[] = { "-o", "--outdir", "the current directory", "the output directory",
                           "this gilsim's path" };
    const char *value[] = { sw->out, sw->outdir ? sw->outdir : "", cwd, dir, sw->exe };
    for (size_t i = 0; i < sizeof what / sizeof what[0]; i++)
        if (cli_printable(what[i], value[i], err, sizeof err) != 0) {
            fprintf(stderr, "gilsim: sweep: --emit-tasks: %s\n", err);
            free(dir);
            return GS_USAGE;
        }
    for (size_t k = 0; k < sw->ntodo; k++) {
        const struct point *pt = &sw->pt[sw->todo[k]];
        char *csv = fmt("%s/point-%016llx.csv", dir, (unsigned long long)hash64(pt->key));
        if (csv && access(csv, F_OK) == 0) { /* written whole by an earlier task: finished */
            free(csv);
            continue;
        }
        char **argv = csv ? run_argv(sw, pt, sw->exe, csv) : NULL;
        char *cmd = argv ? command_text(sw, argv, 1) : NULL;
        if (!cmd) {
            fprintf(stderr, "gilsim: sweep: out of memory\n");
            free(csv);
            argv_free(argv);
            free(dir);
            return GS_FAILED;
        }
        for (size_t i = 1; argv[i]; i++) {
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)strcspn(argv[i], "="), argv[i]);
            if (cli_printable(name, argv[i], err, sizeof err) != 0) {
                fprintf(stderr, "gilsim: sweep: --emit-tasks: %s\n", err);
                free(cmd);
                free(csv);
                argv_free(argv);
                free(dir);
                return GS_USAGE;
            }
        }
        fputs("cd ", stdout); /* relative paths in parameters (trace) mean the same */
        put_quoted(stdout, cwd);
        fputs(" && mkdir -p ", stdout);
        put_quoted(stdout, dir);
        printf(" && %s; s=$?; [ $s -eq 0 ] || [ $s -eq 3 ] || [ $s -eq 4 ]\n", cmd);
        free(cmd);
        free(csv);
        argv_free(argv);
    }
    free(dir);
    return GS_OK; /* main flushes and checks standard output (stdout_finish) */
}

static void duration(double s, char *buf, size_t len)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, len, "%ldh%02ldm", t / 3600, t / 60 % 60);
    else if (t >= 60)
        snprintf(buf, len, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(buf, len, "%.1fs", s);
}

/* Standard error without the escaping of messages.h: the progress line's own \r and ESC [K. */
static FILE *terminal(void)
{
    return messages_raw_stderr() ? messages_raw_stderr() : stderr;
}

/* The progress line (a terminal only): done/total, runs/s, ETA; `final` ends it. */
static void progress(const struct sweep *sw, int final)
{
    if (!sw->tty)
        return;
    double el = now() - sw->t0;
    size_t ran = sw->finished + sw->failed, done = sw->skipped + ran, total = sw->npt;
    double rate = el > 0 ? (double)ran / el : 0;
    char t[32];
    fprintf(terminal(), "\r\033[Kgilsim: sweep: %zu/%zu done", done, total);
    if (sw->failed)
        fprintf(stderr, ", %zu failed", sw->failed);
    if (sw->deadlocks)
        fprintf(stderr, ", %zu deadlocked", sw->deadlocks);
    if (final) {
        duration(el, t, sizeof t);
        fprintf(stderr, "; %zu runs in %s, %.2f runs/s\n", ran, t, rate);
    } else if (ran > 0) {
        duration((double)(total - done) / rate, t, sizeof t);
        fprintf(stderr, ", %.2f runs/s, ETA %s", rate, t);
    }
}

/* Prints one message line above the progress line. */
__attribute__((format(printf, 2, 3))) static void say(const struct sweep *sw, const char *f, ...)
{
    if (sw->tty)
        fputs("\r\033[K", terminal());
    va_list ap;
    va_start(ap, f);
    vfprintf(stderr, f, ap);
    va_end(ap);
    progress(sw, 0);
}

static char *task_file(const struct sweep *sw, size_t k, const char *ext)
{
    return fmt("%s/%zu.%s", sw->tmpdir, k, ext);
}

/* Removes task k's files and arguments. */
static void task_forget(struct sweep *sw, size_t k)
{
    static const char *const ext[] = { "csv", "err" };
    for (size_t i = 0; i < 2; i++) {
        char *path = task_file(sw, k, ext[i]);
        if (path)
            unlink(path);
        free(path);
    }
    argv_free(sw->argv[k]);
    sw->argv[k] = NULL;
}

static int (*runner)(int argc, char **argv);

void sweep_set_runner(int (*run)(int argc, char **argv)) { runner = run; }

static int on_start(void *ctx, size_t k, struct pool_task *t)
{
    struct sweep *sw = ctx;
    if (sw->fatal || sw->not_started)
        return -1;
    char *csv = task_file(sw, k, "csv");
    sw->argv[k] = csv ? run_argv(sw, &sw->pt[sw->todo[k]], "/proc/self/exe", csv) : NULL;
    free(csv);
    if (!sw->argv[k]) {
        say(sw, "gilsim: sweep: out of memory\n");
        sw->fatal = 1;
        return -1;
    }
    snprintf(sw->errpath, sizeof sw->errpath, "%s/%zu.err", sw->tmpdir, k);
    t->argv = sw->argv[k];
    t->entry = runner;
    t->err = sw->errpath; /* read by the child, which pool.c forks before the next start */
    return 0;
}

/* What a failed run said: its last line from gilsim, else its first SimGrid CRITICAL line,
 * else its last line. */
static void last_error(const char *path, char *buf, size_t len)
{
    char line[1024];
    int rank = 0; /* of what buf holds: 3 gilsim, 2 CRITICAL, 1 any */
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        int r = strncmp(line, "gilsim:", 7) == 0 ? 3 : strstr(line, "CRITICAL") ? 2 : 1;
        if (line[0] && (r > rank || (r == rank && r != 2))) {
            snprintf(buf, len, "%s", line);
            rank = r;
        }
    }
    fclose(f);
}

/* Takes the row a finished run wrote and appends it; 0, or -1 with a message. */
static int take_row(struct sweep *sw, const struct point *pt, const char *csv, char *err,
                    size_t errlen)
{
    struct rows r;
    if (rows_load(csv, &r, err, errlen) != 0)
        return -1;
    int rc = -1;
    if (r.n != 1 || !r.header || strcmp(r.header, sw->header) != 0)
        snprintf(err, errlen, "its CSV is not one row under this gilsim's header");
    else if (rows_prefix(r.line[0], r.keycols) != strlen(pt->key) ||
             strncmp(r.line[0], pt->key, strlen(pt->key)) != 0)
        snprintf(err, errlen, "its row's parameters differ from the point's (internal error)");
    else if (rows_append(sw->fd, r.line[0]) != 0) {
        snprintf(sw->fatal_msg, sizeof sw->fatal_msg, "%s: cannot append: %s", sw->out,
                 strerror(errno));
        snprintf(err, errlen, "the results file cannot take rows");
        sw->fatal = 1;
    } else
        rc = 0;
    rows_free(&r);
    return rc;
}

static void on_done(void *ctx, size_t k, int status)
{
    struct sweep *sw = ctx;
    const struct point *pt = &sw->pt[sw->todo[k]];
    char *csv = task_file(sw, k, "csv"), *errf = task_file(sw, k, "err");
    char *cmd = command_text(sw, sw->argv[k], 0);
    char why[1024], msg[1024];
    int code = status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (sw->fatal) {
        /* The results file cannot take rows: this run's is dropped (rerun on resume). */
    } else if (code == GS_OK || code == GS_DEADLOCK || code == GS_CHECK) {
        if (csv && take_row(sw, pt, csv, msg, sizeof msg) == 0) {
            sw->finished++;
            sw->deadlocks += code == GS_DEADLOCK;
            if (code == GS_CHECK) {
                sw->checkfails++;
                say(sw, "gilsim: sweep: check FAIL (an op was lost or ran twice: a bug): %s\n",
                    cmd ? cmd : "?");
            }
        } else if (!sw->fatal) {
            sw->failed++;
            say(sw, "gilsim: sweep: run ended %d but its row cannot be taken: %s: %s\n", code,
                msg, cmd ? cmd : "?");
        }
    } else if (status < 0) {
        /* Not started (fork, or opening its files, failed even after the retries): the
         * machine's state, not the run's; the next runs would fare the same, so none starts
         * (the running ones finish) and run_all says why, once. */
        if (!sw->not_started)
            sw->not_started = -status;
    } else {
        sw->failed++;
        if (WIFSIGNALED(status))
            snprintf(why, sizeof why, "killed by signal %d", WTERMSIG(status));
        else
            snprintf(why, sizeof why, "exit %d", code);
        last_error(errf ? errf : "", msg, sizeof msg);
        say(sw, "gilsim: sweep: run failed (%s): %s%s%s\n", why, cmd ? cmd : "?",
            msg[0] ? ": " : "", msg);
    }
    free(errf);
    free(csv);
    free(cmd);
    task_forget(sw, k);
    progress(sw, 0);
}

/* Creates the results file if needed, drops a trailing partial line, writes the header into
 * an empty file. */
static int prepare_results(struct sweep *sw, const struct rows *r)
{
    if (sw->fd < 0) {
        char err[1024];
        sw->fd = open(sw->out, O_RDWR | O_APPEND | O_CREAT | O_EXCL, 0644);
        if (sw->fd < 0) {
            fprintf(stderr, "gilsim: sweep: %s: cannot create: %s\n", sw->out, strerror(errno));
            return -1;
        }
        if (lock_results(sw, err, sizeof err) != 0) {
            fprintf(stderr, "gilsim: sweep: %s\n", err);
            return -1;
        }
    }
    if ((r->good < r->size && ftruncate(sw->fd, (off_t)r->good) != 0) ||
        (!r->header && rows_append(sw->fd, sw->header) != 0)) {
        fprintf(stderr, "gilsim: sweep: %s: cannot write: %s\n", sw->out, strerror(errno));
        return -1;
    }
    return 0;
}

/* Native runs are measurements of this machine: side by side they compete for its CPUs and
 * measure that. A sweep of native points only runs them one at a time (as validate does); one
 * that mixes them with simulated points keeps -j and says what it costs. The jobs to use. */
static size_t native_jobs(const struct sweep *sw)
{
    size_t native = 0;
    for (size_t k = 0; k < sw->ntodo && sw->jobs > 1; k++) {
        struct params p;
        size_t fam, rep;
        char err[256];
        if (spec_point(&sw->spec, sw->reps, sw->pt[sw->todo[k]].index, &p, &fam, &rep, err,
                       sizeof err) == 0)
            native += params_real_threads(&p);
    }
    if (native == 0)
        return sw->jobs;
    if (native == sw->ntodo) {
        say(sw, "gilsim: sweep: note: native runs measure this machine: they run one at a "
            "time, not %zu (-j applies to simulated runs)\n", sw->jobs);
        return 1;
    }
    say(sw, "gilsim: sweep: note: %zu of the %zu runs are native and run beside up to %zu "
        "others: their timings include that competition for the CPUs (sweep them apart with "
        "-j 1 to measure them alone)\n", native, sw->ntodo, sw->jobs - 1);
    return sw->jobs;
}

static int run_all(struct sweep *sw, const struct rows *r)
{
    if (prepare_results(sw, r) != 0)
        return GS_USAGE; /* nothing has run */
    const char *tmp = getenv("TMPDIR");
    snprintf(sw->tmpdir, sizeof sw->tmpdir, "%s/gilsim-sweep.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    sw->argv = calloc(sw->ntodo, sizeof *sw->argv);
    /* Caught from before the folder exists until after it is gone: a signal at any moment in
     * between ends the sweep through the removal below. */
    interrupt_catch();
    if (!sw->argv || !mkdtemp(sw->tmpdir)) {
        fprintf(stderr, "gilsim: sweep: cannot make a temporary directory %s: %s\n", sw->tmpdir,
                strerror(errno));
        interrupt_release();
        return GS_FAILED;
    }
    sw->tty = isatty(STDERR_FILENO);
    sw->t0 = now();
    progress(sw, 0);
    int rc = pool_run(sw->ntodo, native_jobs(sw), on_start, on_done, sw);
    for (size_t k = 0; k < sw->ntodo; k++) /* after an interrupt: the runs left */
        if (sw->argv[k])
            task_forget(sw, k);
    tmp_tree_remove(sw->tmpdir); /* with whatever a killed run left in it */
    interrupt_release();
    if (rc != 0) {
        if (sw->tty)
            fputc('\n', stderr);
        int sig = interrupt_pending();
        fprintf(stderr, "gilsim: sweep: interrupted by %s; the same command resumes it\n",
                sig == SIGHUP ? "SIGHUP" : sig == SIGTERM ? "SIGTERM" : "SIGINT");
        return 128 + sig;
    }
    progress(sw, 1);
    if (sw->fatal_msg[0]) {
        fprintf(stderr, "gilsim: sweep: stopped: %s (the file ends with its last whole row; "
                "the same command resumes once there is room)\n", sw->fatal_msg);
        return GS_FAILED;
    }
    if (sw->not_started) {
        int e = sw->not_started;
        fprintf(stderr, "gilsim: sweep: stopped: a run could not be started: %s (errno %d%s); "
                "%zu of %zu runs done, %zu failed (the file ends with its last whole row; the "
                "same command resumes)\n", strerror(e), e,
                start_retryable(e) ? ", " START_RETRIED : "", sw->finished, sw->ntodo,
                sw->failed);
        return GS_FAILED;
    }
    if (sw->failed) {
        fprintf(stderr, "gilsim: sweep: %zu of %zu runs failed (no row; the same command "
                "retries them)\n", sw->failed, sw->ntodo);
        return GS_FAILED;
    }
    return sw->fatal ? GS_FAILED : GS_OK;
}

static void sweep_free(struct sweep *sw)
{
    if (sw->fd >= 0)
        close(sw->fd);
    for (size_t i = 0; i < sw->npt; i++)
        free(sw->pt[i].key);
    free(sw->pt);
    free(sw->todo);
    free(sw->argv);
    free(sw->header);
    free(sw->simgrid);
    free(sw->lists);
    spec_free(&sw->spec);
}

int sweep_points(int argc, char **argv, char ***keys, char ***families, size_t *n)
{
    struct sweep sw = { .fd = -1, .keep_dups = 1 };
    spec_init(&sw.spec);
    int rc = GS_USAGE;
    *keys = *families = NULL;
    *n = 0;
    if (parse_args(&sw, argc, argv) != 0 || build_points(&sw) != 0)
        goto out;
    rc = GS_FAILED;
    *keys = calloc(sw.npt + 1, sizeof **keys);
    *families = calloc(sw.npt + 1, sizeof **families);
    if (!*keys || !*families)
        goto out;
    for (size_t i = 0; i < sw.npt; i++, ++*n) {
        (*keys)[i] = sw.pt[i].key;
        sw.pt[i].key = NULL;
        if (!((*families)[i] = strdup(sw.spec.fam[sw.pt[i].fam].name)))
            goto out;
    }
    rc = GS_OK;
out:
    if (rc != GS_OK) {
        sweep_points_free(*keys, *families, *n);
        *keys = *families = NULL;
        *n = 0;
    }
    sweep_free(&sw);
    return rc;
}

void sweep_points_free(char **keys, char **families, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(keys ? keys[i] : NULL);
        free(families ? families[i] : NULL);
    }
    free(keys);
    free(families);
}

static int sweep(int argc, char **argv, int check, int *not_started);

int sweep_run(const struct sweep_request *r)
{
    char reps[32], jobs[32], backend[64], cal[PATH_MAX + 16];
    const char **argv = calloc(r->nlists + 10, sizeof *argv);
    if (!argv) {
        fprintf(stderr, "gilsim: sweep: out of memory\n");
        return GS_FAILED;
    }
    int argc = 0;
    argv[argc++] = "sweep";
    if (r->spec)
        argv[argc++] = r->spec;
    for (size_t i = 0; i < r->nlists; i++)
        argv[argc++] = r->lists[i];
    if (r->backend) {
        snprintf(backend, sizeof backend, "--backend=%s", r->backend);
        argv[argc++] = backend;
    }
    if (r->reps > 0) {
        snprintf(reps, sizeof reps, "--reps=%ld", r->reps);
        argv[argc++] = reps;
    }
    if (r->jobs > 0) {
        snprintf(jobs, sizeof jobs, "-j%ld", r->jobs);
        argv[argc++] = jobs;
    }
    if (r->calibration) {
        snprintf(cal, sizeof cal, "--calibration=%s", r->calibration);
        argv[argc++] = cal;
    }
    argv[argc++] = "-o";
    argv[argc++] = r->out;
    int rc = sweep(argc, (char **)argv, r->check_only, r->not_started);
    free(argv);
    return rc;
}

static int sweep(int argc, char **argv, int check, int *not_started)
{
    struct sweep sw = { .fd = -1, .check = check };
    struct rows r = { 0 };
    int rc = GS_USAGE;
    spec_init(&sw.spec);
    int a = parse_args(&sw, argc, argv);
    if (a != 0) {
        rc = a > 0 ? GS_OK : GS_USAGE;
        goto out;
    }
    ssize_t n = readlink("/proc/self/exe", sw.exe, sizeof sw.exe - 1);
    sw.header = rows_current_header();
    if (n <= 0 || !sw.header) {
        fprintf(stderr, "gilsim: sweep: cannot find this gilsim's path\n");
        rc = GS_FAILED;
        goto out;
    }
    sw.exe[n] = '\0';
    if (build_points(&sw) != 0 || read_results(&sw, &r) != 0)
        goto out;
    if (check) {
        rc = GS_OK;
        goto out;
    }
    if (find_todo(&sw, &r) != 0) {
        rc = GS_FAILED;
        goto out;
    }
    if (sw.dups)
        fprintf(stderr, "gilsim: sweep: note: %zu of the points repeat earlier ones (same "
                "parameters); each runs once\n", sw.dups);
    if (sw.emit)
        rc = emit_tasks(&sw);
    else if (sw.ntodo == 0)
        rc = GS_OK; /* everything is already there */
    else
        rc = run_all(&sw, &r);
out:
    if (not_started)
        *not_started = sw.not_started;
    rows_free(&r);
    sweep_free(&sw);
    return rc;
}

int sweep_main(int argc, char **argv) { return sweep(argc, argv, 0, NULL); }

int sweep_check(int argc, char **argv) { return sweep(argc, argv, 1, NULL); }
