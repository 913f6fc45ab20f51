/* `gilsim calibrate -o calib.ini`: runs the experiments of calib_measure.c R times each and
 * writes a calibration file: the machine's description as comments, then one line per value,
 * the median of the R runs, with the spread (min..max) in the comment above it. Values whose
 * key is a parameter are settings (`push_ns = 14`); the others are comments. A cost that
 * depends on how many CPUs are busy is measured with --busy CPUs busy (the value) and with one
 * (a comment), in turn within each repetition. The condvar wake-up samples go to FILE.wake, one
 * per line, for wake_dist = empirical. */
#define _POSIX_C_SOURCE 200809L
#include "calibrate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "atomic_file.h"
#include "calib_measure.h"
#include "calibration.h"
#include "cli_args.h"
#include "params.h"
#include "status.h"
#include "team.h"

#define CALIB_MAX_REPS 1000

struct calib_stat {
    const struct calib_value *v;
    double median, min, max;
    int busy_dep, per_cpu; /* measured with `busy` CPUs busy and alone; as one thread per CPU */
    double alone_median, alone_min, alone_max; /* busy_dep: with one CPU busy */
};

struct calib_run {
    size_t reps;
    int busy; /* CPUs kept busy while a cost that depends on it is measured */
    const char *out;
    char *wake_path; /* beside a regular -o only; else NULL */
    int wake_existed;
    struct calib_stat *stat;
    size_t nstat;
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gilsim calibrate [--reps=R] [--busy=B] -o calib.ini\n"
            "\n"
            "Measures this machine's inputs to the cost model with real pthreads (busy-work\n"
            "unit, object handlers, MPSC push/pop, mutex, condvar wake-up, spin hand-off,\n"
            "CAS, sched_yield, timed-wait overshoot, the native eval loop, an allocation\n"
            "inside a native run), each R times (default 7), and writes the medians as a\n"
            "calibration file (spec-file INI; the spread and the machine are comments) plus\n"
            "the wake-up samples to calib.ini.wake (beside a regular file only; the file\n"
            "names it relative to its own folder). A cost of one thread that depends on how\n"
            "many CPUs are busy is measured on B CPUs at once, one pinned thread each (default\n"
            "2, the cores of validate's grid; at most the CPUs allowed, 1..%d), the value the\n"
            "median over the threads; its value with one CPU busy is kept as a comment. Use\n"
            "it with gilsim run|sweep|validate --calibration=calib.ini (a flag still wins).\n",
            TEAM_MAX);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The first line of /proc/cpuinfo starting with `key`, value part, into buf. */
static void cpuinfo(const char *key, char *buf, size_t len)
{
    snprintf(buf, len, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f))
        if (strncmp(line, key, strlen(key)) == 0 && strchr(line, ':')) {
            char *v = strchr(line, ':') + 1;
            v += strspn(v, " \t");
            v[strcspn(v, "\n")] = '\0';
            snprintf(buf, len, "%s", v);
            break;
        }
    fclose(f);
}

static void describe_machine(FILE *f)
{
    char model[256], load[128] = "unknown";
    cpuinfo("model name", model, sizeof model);
    int cpu[1024];
    int allowed = team_cpus(cpu, 1024);
    struct utsname u;
    if (uname(&u) != 0)
        memset(&u, 0, sizeof u);
    FILE *l = fopen("/proc/loadavg", "r");
    if (l) {
        if (fgets(load, sizeof load, l))
            load[strcspn(load, "\n")] = '\0';
        fclose(l);
    }
    time_t t = time(NULL);
    char when[64];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", gmtime(&t));
    fprintf(f, "# machine: %s\n", model);
    fprintf(f, "# cores: %ld online, %d allowed to this process\n",
            sysconf(_SC_NPROCESSORS_ONLN), allowed);
    fprintf(f, "# kernel: %s %s %s\n", u.sysname, u.release, u.machine);
    fprintf(f, "# measured: %s; load average then: %s\n", when, load);
}

static int fill_ini(FILE *f, void *arg)
{
    const struct calib_run *cr = arg;
    fprintf(f, "# gilsim calibrate: this machine's inputs to the cost model. Use with\n"
               "# gilsim run|sweep|validate --calibration=FILE (a flag still wins).\n"
               "# Each value is the median of %zu runs; the spread is their min..max.\n"
               "# Keys that are not parameters of this gilsim are kept as comments.\n",
            cr->reps);
    describe_machine(f);
    fprintf(f, "\n[global]\n");
    for (size_t i = 0; i < cr->nstat; i++) {
        const struct calib_stat *s = &cr->stat[i];
        int is_param = param_find(s->v->key) != NULL;
        fprintf(f, "# %s: median of %zu, spread %.4g..%.4g ns%s\n", s->v->what, cr->reps,
                s->min, s->max, is_param ? "" : " (no parameter takes it)");
        if (s->busy_dep)
            fprintf(f, "#   measured with %d CPUs busy at once (%s);\n#   with one CPU busy, "
                    "the others idle: median %.4g, spread %.4g..%.4g ns (%d CPUs / one: %.3f)\n",
                    cr->busy, s->per_cpu ? "a pinned thread each, the median over the threads"
                    : "native runs with a thread per CPU, their makespan", s->alone_median,
                    s->alone_min, s->alone_max, cr->busy,
                    s->alone_median > 0 ? s->median / s->alone_median : 0);
        /* Four significant digits, in plain notation (spec files read either). */
        fprintf(f, "%s%s = %.*f\n", is_param ? "" : "# ", s->v->key,
                s->median >= 1000 ? 0 : s->median >= 100 ? 1 : s->median >= 10 ? 2 : 3,
                s->median);
    }
    /* The wake-up distribution: the measured samples, where this gilsim has the parameters;
     * their file is named relative to this one's folder (calibration.h). */
    int have = param_find("wake_dist") && param_find("wake_samples");
    size_t settings = 0;
    for (size_t i = 0; i < cr->nstat; i++)
        settings += param_find(cr->stat[i].v->key) != NULL;
    if (cr->wake_path) {
        const char *base = strrchr(cr->wake_path, '/') ? strrchr(cr->wake_path, '/') + 1
                                                       : cr->wake_path;
        fprintf(f, "# condvar wake-up latency drawn from the samples measured above (%s)%s\n",
                base, have ? "" : " (wake_dist and wake_samples are not parameters of "
                "this gilsim yet)");
        fprintf(f, "%swake_dist = empirical\n%swake_samples = %s\n", have ? "" : "# ",
                have ? "" : "# ", base);
        settings += have ? 2 : 0;
    } else {
        fprintf(f, "# the condvar wake-up samples are kept only beside a calibration file "
                   "written to a\n# regular file (-o FILE writes FILE.wake)\n");
    }
    fprintf(f, "%s %zu settings\n", CALIB_END, settings);
    return ferror(f) ? -1 : 0;
}

static int fill_wake(FILE *f, void *arg)
{
    (void)arg;
    size_t n;
    const double *w = calib_wake_samples(&n);
    fprintf(f, "# gilsim calibrate: condvar wake-up latencies in ns (signal until the sleeper "
               "runs), one per line\n");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%.0f\n", w[i] > 0 ? w[i] : 0);
    return ferror(f) ? -1 : 0;
}

static int parse_args(struct calib_run *cr, int argc, char **argv)
{
    cr->reps = 7;
    cr->busy = 2;
    const char *reps = NULL, *busy = NULL;
    char err[1024] = "";
    for (int i = 1; i < argc && !err[0]; i++) {
        const char *a = argv[i];
        long long r;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 1;
        } else if ((strcmp(a, "-o") == 0 && i + 1 < argc) || strncmp(a, "--output=", 9) == 0) {
            cli_once(&cr->out, a[1] == 'o' ? argv[++i] : a + 9, "-o", err, sizeof err);
        } else if (strncmp(a, "--reps=", 7) == 0) {
            if (cli_count("--reps", a + 7, CALIB_MAX_REPS, &r, err, sizeof err) == 0 &&
                cli_once(&reps, a + 7, "--reps", err, sizeof err) == 0)
                cr->reps = (size_t)r;
        } else if (strncmp(a, "--busy=", 7) == 0) {
            if (cli_count("--busy", a + 7, TEAM_MAX, &r, err, sizeof err) == 0 &&
                cli_once(&busy, a + 7, "--busy", err, sizeof err) == 0)
                cr->busy = (int)r;
        } else {
            snprintf(err, sizeof err, "unexpected argument '%s' (allowed: --reps=R, --busy=B, -o FILE)",
                     a);
        }
    }
    if (err[0]) {
        fprintf(stderr, "gilsim: calibrate: %s\n", err);
        return -1;
    }
    if (!cr->out || !*cr->out) {
        fprintf(stderr, "gilsim: calibrate: -o FILE missing (the calibration file to write)\n");
        return -1;
    }
    /* wake_samples is a path parameter: the same characters are allowed. */
    if (strcspn(cr->out, ",\"\n\r") != strlen(cr->out) || strlen(cr->out) + 6 >= PARAM_PATH_LEN) {
        fprintf(stderr, "gilsim: calibrate: -o: '%s' is not allowed (a file name shorter than "
                "%d characters without commas, quotes or newlines)\n", cr->out,
                PARAM_PATH_LEN - 6);
        return -1;
    }
    /* Both outputs, before anything is measured. The wake-up samples go beside a regular
     * file only (not beside -, /dev/null or a FIFO). */
    enum out_kind kind;
    int rc = out_file_check(cr->out, &kind, err, sizeof err);
    size_t len = strlen(cr->out) + 6;
    if (rc == 0 && kind == OUT_FILE && (cr->wake_path = malloc(len))) {
        snprintf(cr->wake_path, len, "%s.wake", cr->out);
        struct stat st;
        cr->wake_existed = lstat(cr->wake_path, &st) == 0;
        rc = out_file_check(cr->wake_path, &kind, err, sizeof err);
        if (rc == 0 && kind != OUT_FILE) {
            snprintf(err, sizeof err, "%s: is not a regular file (allowed: a regular file or "
                     "a new name, for the wake-up samples of %s)", cr->wake_path, cr->out);
            rc = -2;
        }
    }
    if (rc != 0)
        fprintf(stderr, "gilsim: calibrate: -o: %s\n", err);
    return rc == 0 ? 0 : rc == -2 ? -1 : -2;
}

int calibrate_main(int argc, char **argv)
{
    struct calib_run cr = { 0 };
    int a = parse_args(&cr, argc, argv);
    if (a != 0) {
        free(cr.wake_path);
        return a > 0 ? GS_OK : a == -1 ? GS_USAGE : GS_FAILED;
    }
    size_t nvalues = 0;
    for (size_t e = 0; e < calib_experiment_count; e++)
        for (size_t j = 0; j < CALIB_MAX_VALUES && calib_experiments[e].values[j].key; j++)
            nvalues++;
    int cpu[TEAM_MAX], allowed = team_cpus(cpu, TEAM_MAX);
    if (cr.busy > allowed)
        cr.busy = allowed; /* as many CPUs busy as there are: never two threads on one */
    cr.stat = calloc(nvalues, sizeof *cr.stat);
    double *rep = calloc(cr.reps * CALIB_MAX_VALUES, sizeof *rep);
    double *alone = calloc(cr.reps * CALIB_MAX_VALUES, sizeof *alone);
    double *col = calloc(cr.reps, sizeof *col);
    int rc = GS_FAILED;
    if (!cr.stat || !rep || !alone || !col) {
        fprintf(stderr, "gilsim: calibrate: out of memory\n");
        goto out;
    }
    for (size_t e = 0; e < calib_experiment_count; e++) {
        const struct calib_experiment *x = &calib_experiments[e];
        /* A cost that depends on the busy CPUs: alone and with cr.busy CPUs busy, in turn. */
        int dep = calib_depends_on_busy(x) && cr.busy > 1;
        fprintf(stderr, "gilsim: calibrate: %s%s ...\n", x->values[0].key,
                dep ? " (one CPU busy and all busy, in turn)" : "");
        for (size_t r = 0; r < cr.reps; r++) {
            if (dep)
                calib_run(x, alone + r * CALIB_MAX_VALUES, 1);
            calib_run(x, rep + r * CALIB_MAX_VALUES, dep ? cr.busy : 1);
        }
        for (size_t j = 0; j < CALIB_MAX_VALUES && x->values[j].key; j++) {
            struct calib_stat *s = &cr.stat[cr.nstat++];
            s->v = &x->values[j];
            s->busy_dep = dep;
            s->per_cpu = x->per_cpu;
            for (int which = dep; which >= 0; which--) {
                const double *from = which ? alone : rep;
                for (size_t r = 0; r < cr.reps; r++)
                    col[r] = from[r * CALIB_MAX_VALUES + j];
                qsort(col, cr.reps, sizeof *col, cmp_double);
                double med = cr.reps % 2 ? col[cr.reps / 2]
                                         : (col[cr.reps / 2 - 1] + col[cr.reps / 2]) / 2;
                *(which ? &s->alone_min : &s->min) = col[0];
                *(which ? &s->alone_max : &s->max) = col[cr.reps - 1];
                *(which ? &s->alone_median : &s->median) = med;
            }
        }
    }
    char err[1024];
    /* The samples first, then the file naming them; the samples stay only if it is written. */
    int wrote_wake = 0;
    if ((cr.wake_path && !(wrote_wake = atomic_file_write(cr.wake_path, fill_wake, NULL, err,
                                                          sizeof err) == 0)) ||
        atomic_file_write(cr.out, fill_ini, &cr, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: calibrate: %s\n", err);
        if (wrote_wake && !cr.wake_existed)
            unlink(cr.wake_path);
        goto out;
    }
    rc = GS_OK;
out:
    calib_wake_samples_free();
    free(cr.stat);
    free(rep);
    free(alone);
    free(col);
    free(cr.wake_path);
    return rc;
}
