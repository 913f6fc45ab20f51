/* `gilsim validate [SPEC] -o DIR`: every point of a grid run natively (native_k runs, seeds
 * 1..native_k) and simulated with this machine's calibration (k runs, seeds 1..k), both through gilsim sweep into
 * DIR/results.csv (resumable); then DIR/validation.csv (per point: each metric's simulated and
 * native median and their relative error), one sim-vs-native scatter per metric, a short
 * table, and the verdict: exit 1 when the median throughput error of the points that can be
 * validated honestly exceeds --max-error. Method and limits: docs/validation.md. */
#define _POSIX_C_SOURCE 200809L
#include "validate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "backend_pairs.h"
#include "calibrate.h"
#include "calibration.h"
#include "cli_args.h"
#include "out_dir.h"
#include "plot_scatter.h"
#include "plot_table.h"
#include "scheme.h"
#include "status.h"
#include "sweep.h"

/* Opcodes per thread of the default grid: long enough that a native run is not all start-up
 * (a thread may start up to ~1 ms after the other; at 20000 a fast run lasted 0.5 ms and a
 * sharing-0.001 point held ~8 delegations), short enough that the grid takes minutes
 * (docs/validation.md). */
#define VALIDATE_OPS 100000

static const char *const metric_name[] = { "throughput", "makespan",   "lat_mean",
                                           "lat_p99",    "wait_share", "lock_wait_share" };
#define NMETRICS (sizeof metric_name / sizeof metric_name[0])

struct validate {
    const char *spec, *calibration, *dir;
    char *tmp; /* DIR's private folder (out_dir.h) while validation.csv and figures are made */
    const char *in_place[4]; /* the files of DIR written in place (check_inputs) */
    size_t nplace;
    const char **lists;
    size_t nlists;
    long k, native_k, jobs; /* native_k: native runs per point (seeds 1..native_k) */
    double max_error; /* a fraction */
    char *calib_path, *grid_path, *results, *csv;
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gilsim validate [SPEC.ini] [--PARAM=LIST ...] [--calibration=FILE] [--k=K]\n"
            "                       [--native-k=R] [--max-error=PCT] [-j J] -o DIR\n"
            "\n"
            "Runs every point of SPEC (default: the grid written to DIR/grid.ini: every scheme\n"
            "x N 1,100,1000 x sharing 0,0.001,0.01,0.1 x wait block,spin at threads = cores =\n"
            "2, plus oversubscribed points at threads = 4) R times natively (one at a time;\n"
            "default 9: one native run of a few ms varies by +-15%% on a virtual machine) and\n"
            "K times simulated (default 3; J at a time) with the calibration (without --calibration:\n"
            "gilsim calibrate first, into DIR/calib.ini, kept for reruns). All rows go to\n"
            "DIR/results.csv (rerun to resume). Writes DIR/validation.csv (per point and metric:\n"
            "sim and native medians, relative error), DIR/scatter-METRIC.png (sim against\n"
            "native, y = x and a +-10%% band) and prints a table. Exit 1 when the median\n"
            "|throughput error| over the points validated honestly (threads <= cores, every\n"
            "native run ok) exceeds PCT percent (default 10). Details: docs/validation.md.\n"
            "In DIR, gilsim replaces only files it wrote (DIR/.gilsim-validate-manifest);\n"
            "one of yours under a name it needs stops it before anything runs (docs/files.md).\n");
}

static char *join(const char *dir, const char *file)
{
    size_t n = strlen(dir) + strlen(file) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", dir, file);
    return s;
}

static int parse_args(struct validate *v, int argc, char **argv)
{
    v->k = 3;
    v->native_k = 9;
    v->jobs = sysconf(_SC_NPROCESSORS_ONLN) > 0 ? sysconf(_SC_NPROCESSORS_ONLN) : 1;
    v->max_error = 0.10;
    v->lists = calloc((size_t)argc, sizeof *v->lists);
    if (!v->lists)
        return -1;
    const char *given[4] = { 0 }; /* --k, --native-k, -j, --max-error as given: once each */
    char err[1024];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        char *end;
        err[0] = '\0';
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 1;
        } else if ((strcmp(a, "-o") == 0 && i + 1 < argc) || strncmp(a, "--output=", 9) == 0) {
            cli_once(&v->dir, a[1] == 'o' ? argv[++i] : a + 9, "-o", err, sizeof err);
        } else if (strncmp(a, "--calibration=", 14) == 0) {
            cli_once(&v->calibration, a + 14, "--calibration", err, sizeof err);
        } else if (strncmp(a, "--k=", 4) == 0 || strncmp(a, "--native-k=", 11) == 0 ||
                   strncmp(a, "-j", 2) == 0) {
            int is_k = strncmp(a, "--k=", 4) == 0, is_nk = strncmp(a, "--native-k=", 11) == 0;
            const char *name = is_k ? "--k" : is_nk ? "--native-k" : "-j";
            const char *t = is_k ? a + 4 : is_nk ? a + 11 : a[2] ? a + 2
                            : i + 1 < argc ? argv[++i] : "";
            long long n;
            if (cli_count(name, t, is_k || is_nk ? 1000 : 1024, &n, err, sizeof err) == 0 &&
                cli_once(&given[is_k ? 0 : is_nk ? 1 : 2], t, name, err, sizeof err) == 0)
                *(is_k ? &v->k : is_nk ? &v->native_k : &v->jobs) = n;
        } else if (strncmp(a, "--max-error=", 12) == 0) {
            errno = 0;
            double pct = strtod(a + 12, &end);
            if (end != a + 12 && *end == '%')
                end++;
            if (end == a + 12 || *end || errno || !(pct >= 0) || !isfinite(pct)) {
                fprintf(stderr, "gilsim: validate: --max-error: '%s' (allowed: a percentage "
                        ">= 0, e.g. 10 or 10%%)\n", a + 12);
                return -1;
            }
            v->max_error = pct / 100;
            cli_once(&given[3], a + 12, "--max-error", err, sizeof err);
        } else if (strncmp(a, "--", 2) == 0 && strchr(a, '=')) {
            v->lists[v->nlists++] = a;
        } else if (a[0] != '-' && !v->spec) {
            v->spec = a;
        } else {
            fprintf(stderr, "gilsim: validate: unexpected argument '%s' (allowed: one SPEC.ini, "
                    "--PARAM=LIST, --calibration=FILE, --k=K, --native-k=R, --max-error=PCT, -j J, "
                    "-o DIR)\n",
                    a);
            return -1;
        }
        if (err[0]) {
            fprintf(stderr, "gilsim: validate: %s\n", err);
            return -1;
        }
    }
    if (!v->dir || !*v->dir) {
        fprintf(stderr, "gilsim: validate: -o DIR missing (the directory to write)\n");
        return -1;
    }
    if (cli_script_name("-o", v->dir, err, sizeof err) != 0) { /* DIR keeps scatter-*.gp */
        fprintf(stderr, "gilsim: validate: %s\n", err);
        return -1;
    }
    for (size_t i = 0; i < v->nlists; i++)
        if (strncmp(v->lists[i], "--backend=", 10) == 0) {
            fprintf(stderr, "gilsim: validate: %s: validate runs both backends (allowed: any "
                    "other --PARAM=LIST)\n", v->lists[i]);
            return -1;
        }
    return 0;
}

/* The default grid (see usage). Two schemes run at sharing 0 only: delegate-naive deadlocks by
 * design as soon as two threads delegate to each other (a deadlock has no makespan to
 * compare), and ideal is unsynchronised (natively, sharing > 0 would race; it is refused). */
static int fill_grid(FILE *f, void *arg)
{
    (void)arg;
    char all[1024] = "";
    size_t used = 0;
    for (size_t i = 0; scheme_name_at(i) && used < sizeof all; i++)
        if (strcmp(scheme_name_at(i), "delegate-naive") != 0 &&
            strcmp(scheme_name_at(i), "ideal") != 0)
            used += (size_t)snprintf(all + used, sizeof all - used, "%s%s", used ? ", " : "",
                                     scheme_name_at(i));
    fprintf(f,
            "# gilsim validate's default grid (docs/validation.md). Edit and rerun, or pass\n"
            "# another spec file. backend is set by validate (sim, then native).\n"
            "[global]\n"
            "ops = %d\n"
            "threads = 2\n"
            "cores = 2\n"
            "N = 1, 100, 1000\n"
            "sharing = 0, 0.001, 0.01, 0.1\n"
            "wait = block, spin\n"
            "# free-threading's optimistic reads are simulator-only (docs/validation.md)\n"
            "ft_reads = locked\n"
            "\n"
            "[fit]\n"
            "scheme = %s\n"
            "\n"
            "# delegate-naive deadlocks at sharing > 0 by design; ideal has no synchronisation\n"
            "# (natively it would race): only their sharing-0 points are comparable\n"
            "[unshared]\n"
            "scheme = ideal, delegate-naive\n"
            "sharing = 0\n"
            "\n"
            "# twice as many threads as cores: the OS time-slices, SimGrid shares processors\n"
            "[oversubscribed]\n"
            "scheme = %s\n"
            "threads = 4\n"
            "N = 100\n"
            "sharing = 0, 0.01, 0.1\n",
            VALIDATE_OPS, all, all);
    return ferror(f) ? -1 : 0;
}

/* The 1-minute load average (NaN if unknown): native runs measure the machine as it is. */
static double load_average(void)
{
    double l = NAN;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &l) != 1)
            l = NAN;
        fclose(f);
    }
    return l;
}

/* Runs gilsim sweep in this process for one backend. */
static int sweep_backend(const struct validate *v, const char *spec, const char *backend,
                         long reps_n, long jobs, int (*sweep)(int argc, char **argv))
{
    char reps[32], j[32], be[64], cal[4096];
    snprintf(reps, sizeof reps, "--reps=%ld", reps_n);
    snprintf(j, sizeof j, "-j%ld", jobs);
    snprintf(be, sizeof be, "--backend=%s", backend);
    snprintf(cal, sizeof cal, "--calibration=%s", v->calib_path);
    const char **argv = calloc(v->nlists + 10, sizeof *argv);
    if (!argv)
        return GS_FAILED;
    int argc = 0;
    argv[argc++] = "sweep";
    if (spec)
        argv[argc++] = spec;
    for (size_t i = 0; i < v->nlists; i++)
        argv[argc++] = v->lists[i];
    argv[argc++] = be;
    argv[argc++] = reps;
    argv[argc++] = j;
    if (access(v->calib_path, F_OK) == 0) /* when checking: unless still to be measured */
        argv[argc++] = cal;
    argv[argc++] = "-o";
    argv[argc++] = v->results;
    if (sweep == sweep_main)
        fprintf(stderr, "gilsim: validate: %s runs (%s) -> %s\n", backend, j, v->results);
    int rc = sweep(argc, (char **)argv);
    free(argv);
    return rc;
}

/* What a pair is good for, with the note that says so: PAIR_GATED (counts for the verdict),
 * PAIR_SHOWN (compared, not gated: oversubscribed or fewer runs than asked) or PAIR_NOT (not
 * comparable). */
enum pair_class { PAIR_NOT, PAIR_SHOWN, PAIR_GATED };

static enum pair_class pair_class(const struct tab *t, const struct bpair *p,
                                  const long k[2], const char **note)
{
    int thr = tab_find(t, "threads"), cores = tab_find(t, "cores");
    *note = "";
    if (!p->nnative)
        *note = "not validated: no native row (the native run failed; see its message above)";
    else if (!p->nsim)
        *note = "not validated: no simulated row";
    else if (p->ngood_native < p->nnative)
        *note = "not validated: a native run deadlocked or failed the check";
    if (**note)
        return PAIR_NOT;
    if (thr >= 0 && cores >= 0 &&
        tab_num(t, p->row, (size_t)thr) > tab_num(t, p->row, (size_t)cores)) {
        *note = "oversubscribed: threads > cores; the OS time-slices where SimGrid shares "
                "processors; shown; not gated";
        return PAIR_SHOWN;
    }
    if ((long)p->nsim < k[0] || (long)p->nnative < k[1]) {
        *note = "partly validated: fewer simulated runs than --k or native runs than "
                "--native-k; not gated";
        return PAIR_SHOWN;
    }
    return PAIR_GATED;
}

struct report_data {
    const struct tab *t;
    const struct bpair *bp;
    size_t n;
    const int *shown; /* parameter columns written */
    size_t nshown;
    const long *k; /* runs asked for per point: simulated, native */
};

static void put_num(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, ",%.6g", x);
    else
        fputc(',', f);
}

static int fill_validation(FILE *f, void *arg)
{
    const struct report_data *d = arg;
    for (size_t c = 0; c < d->nshown; c++)
        fprintf(f, "%s%s", c ? "," : "", d->t->name[d->shown[c]]);
    fprintf(f, ",n_sim,n_native");
    for (size_t m = 0; m < NMETRICS; m++)
        fprintf(f, ",%s_sim,%s_native,%s_err", metric_name[m], metric_name[m], metric_name[m]);
    fprintf(f, ",throughput_native_min,throughput_native_max,gated,note\n");
    for (size_t i = 0; i < d->n; i++) {
        const struct bpair *p = &d->bp[i];
        for (size_t c = 0; c < d->nshown; c++)
            fprintf(f, "%s%s", c ? "," : "", tab_at(d->t, p->row, (size_t)d->shown[c]));
        fprintf(f, ",%zu,%zu", p->nsim, p->nnative);
        for (size_t m = 0; m < NMETRICS; m++) {
            put_num(f, p->sim[m]);
            put_num(f, p->native[m]);
            put_num(f, bpair_error(p->sim[m], p->native[m]));
        }
        put_num(f, p->native_min[0]);
        put_num(f, p->native_max[0]);
        const char *note;
        int gated = pair_class(d->t, p, d->k, &note) == PAIR_GATED;
        fprintf(f, ",%d,%s\n", gated, note);
    }
    return ferror(f) ? -1 : 0;
}

/* The parameter columns worth a column of validation.csv: the usual ones, and any other that
 * varies among the pairs of one scheme (a knob a scheme's preset sets follows the scheme). */
static size_t shown_columns(const struct tab *t, const struct bpair *bp, size_t n, int *out)
{
    static const char *const always[] = { "scheme", "threads", "cores", "N", "sharing", "wait" };
    size_t k = 0;
    for (size_t c = 1; c < t->keycols; c++) {
        const char *name = t->name[c];
        if (strcmp(name, "seed") == 0 || strcmp(name, "backend") == 0)
            continue;
        int want = 0;
        for (size_t a = 0; a < sizeof always / sizeof always[0]; a++)
            want |= strcmp(name, always[a]) == 0;
        size_t sc = (size_t)tab_find(t, "scheme");
        for (size_t i = 0; !want && i < n; i++)
            for (size_t j = i + 1; !want && j < n; j++)
                want = strcmp(tab_at(t, bp[i].row, sc), tab_at(t, bp[j].row, sc)) == 0 &&
                       strcmp(tab_at(t, bp[i].row, c), tab_at(t, bp[j].row, c)) != 0;
        if (want)
            out[k++] = (int)c;
    }
    return k;
}

/* One scatter per metric, one series per scheme. */
static int draw_scatters(const struct validate *v, const struct tab *t, const struct bpair *bp,
                         size_t n)
{
    double *x = malloc((n + 1) * sizeof *x), *y = malloc((n + 1) * sizeof *y);
    struct scatter_series *ss = calloc(n + 1, sizeof *ss);
    int rc = 0;
    if (!x || !y || !ss) {
        rc = -1;
        fprintf(stderr, "gilsim: validate: out of memory\n");
    }
    for (size_t m = 0; m < NMETRICS && rc == 0; m++) {
        size_t ns = bpairs_by_scheme(t, bp, n, m, x, y, ss);
        char file[64], title[128], err[2048];
        snprintf(file, sizeof file, "scatter-%s.png", metric_name[m]);
        snprintf(title, sizeof title, "%s: simulated against native", metric_name[m]);
        char *path = join(v->tmp, file);
        struct scatter sc = { title, "one point per grid point: the median of each backend's "
                              "runs; band: +-10%", metric_name[m], 0.10, ss, ns };
        if (!path || scatter_draw(path, &sc, err, sizeof err) < 0) {
            fprintf(stderr, "gilsim: validate: %s: %s\n", file, path ? err : "out of memory");
            rc = -1;
        }
        free(path);
    }
    free(x);
    free(y);
    free(ss);
    return rc;
}

/* Median |relative error| of metric m over the pairs of class cls (-1: any) and scheme (NULL:
 * any); *count gets the number of finite errors. */
static double median_abs_error(const struct tab *t, const struct bpair *bp, size_t n, size_t m,
                               const long k[2], int cls, const char *scheme, size_t *count)
{
    double *e = malloc((n + 1) * sizeof *e);
    int sc = tab_find(t, "scheme");
    size_t c = 0;
    for (size_t i = 0; e && i < n; i++) {
        const char *note;
        if (cls >= 0 && (int)pair_class(t, &bp[i], k, &note) != cls)
            continue;
        if (scheme && strcmp(tab_at(t, bp[i].row, (size_t)sc), scheme) != 0)
            continue;
        double x = bpair_error(bp[i].sim[m], bp[i].native[m]);
        if (isfinite(x))
            e[c++] = fabs(x);
    }
    double med = e ? bp_median(e, c) : NAN;
    free(e);
    *count = c;
    return med;
}

/* How many of the gated points of `scheme` (NULL: all) have a simulated throughput within the
 * range of their native runs (*in of *count). */
static void count_in_range(const struct tab *t, const struct bpair *bp, size_t n, const long k[2],
                           const char *scheme, size_t *in, size_t *count)
{
    int sc = tab_find(t, "scheme");
    *in = *count = 0;
    for (size_t i = 0; i < n; i++) {
        const char *note;
        if (pair_class(t, &bp[i], k, &note) != PAIR_GATED ||
            (scheme && strcmp(tab_at(t, bp[i].row, (size_t)sc), scheme) != 0) ||
            !isfinite(bp[i].sim[0]) || !isfinite(bp[i].native_min[0]))
            continue;
        (*count)++;
        *in += bp[i].sim[0] >= bp[i].native_min[0] && bp[i].sim[0] <= bp[i].native_max[0];
    }
}

static void pct(char *buf, size_t len, double x)
{
    if (isfinite(x))
        snprintf(buf, len, "%.1f%%", 100 * x);
    else
        snprintf(buf, len, "-");
}

/* The short table: per scheme, the median |error| of each metric over its gated points. */
static void print_table(const struct tab *t, const struct bpair *bp, size_t n, const long k[2])
{
    int sc = tab_find(t, "scheme");
    printf("%-16s %6s %11s %9s %9s %9s %9s %9s %9s\n", "scheme", "points", "throughput",
           "makespan", "lat_mean", "lat_p99", "wait", "lockwait", "in range");
    const char **names = calloc(n + 1, sizeof *names);
    size_t ns = 0;
    for (size_t i = 0; names && i < n; i++) {
        const char *s = tab_at(t, bp[i].row, (size_t)sc);
        size_t j = 0;
        while (j < ns && strcmp(names[j], s) != 0)
            j++;
        if (j == ns)
            names[ns++] = s;
    }
    for (size_t j = 0; j <= ns; j++) {
        const char *s = j < ns ? names[j] : NULL;
        size_t cnt, cnt0;
        char cell[NMETRICS][32];
        median_abs_error(t, bp, n, 0, k, PAIR_GATED, s, &cnt0);
        for (size_t m = 0; m < NMETRICS; m++)
            pct(cell[m], sizeof cell[m], median_abs_error(t, bp, n, m, k, PAIR_GATED, s, &cnt));
        size_t in, cnt1;
        count_in_range(t, bp, n, k, s, &in, &cnt1);
        char range[32];
        snprintf(range, sizeof range, "%zu/%zu", in, cnt1);
        printf("%-16s %6zu %11s %9s %9s %9s %9s %9s %9s\n", s ? s : "all gated", cnt0, cell[0],
               cell[1], cell[2], cell[3], cell[4], cell[5], range);
    }
    free(names);
}

/* Checks the arguments, the spec, the calibration and DIR's names without measuring or
 * writing anything, then creates DIR and claims the files written in place (out_dir.h). */
static int check_inputs(struct validate *v, const char *spec, char *err, size_t errlen)
{
    struct out_dir d = { v->dir, ".gilsim-validate-manifest", "gilsim validate", NULL, NULL };
    const char *names[4 + 3 * NMETRICS + 1];
    char figs[3 * NMETRICS][64];
    size_t nn = 0;
    err[0] = '\0';
    /* Written in place and kept by later runs: the rows, the default grid, the calibration. */
    v->in_place[v->nplace++] = "results.csv";
    if (spec == v->grid_path)
        v->in_place[v->nplace++] = "grid.ini";
    if (!v->calibration) {
        v->in_place[v->nplace++] = "calib.ini";
        v->in_place[v->nplace++] = "calib.ini.wake";
    }
    for (size_t i = 0; i < v->nplace; i++)
        names[nn++] = v->in_place[i];
    /* Made in DIR's private folder, then renamed in (out_dir_commit). */
    names[nn++] = "validation.csv";
    for (size_t m = 0; m < 3 * NMETRICS; m++) {
        snprintf(figs[m], sizeof figs[m], "scatter-%s.%s", metric_name[m / 3],
                 (const char *[]){ "png", "dat", "gp" }[m % 3]);
        names[nn++] = figs[m];
    }
    int e = out_dir_exists(&d, err, errlen);
    if (e < 0 || (e == 0 && out_dir_check(&d, names, nn, err, errlen) != 0))
        return GS_USAGE;
    if (access(v->calib_path, F_OK) == 0 || v->calibration) {
        struct spec c;
        spec_init(&c);
        int crc = calib_load(v->calib_path, &c, err + 15, errlen - 15);
        spec_free(&c);
        if (crc != 0) {
            memcpy(err, "--calibration: ", 15);
            return GS_USAGE;
        }
    }
    if ((spec != v->grid_path || access(spec, F_OK) == 0) &&
        sweep_backend(v, spec, "sim", v->k, v->jobs, sweep_check) != GS_OK)
        return GS_USAGE; /* sweep printed why */
    if (e == 1 && mkdir(v->dir, 0777) != 0) {
        snprintf(err, errlen, "-o: cannot create '%s': %s", v->dir, strerror(errno));
        return GS_USAGE;
    }
    return out_dir_claim(&d, v->in_place, v->nplace, err, errlen) == 0 ? GS_OK : GS_FAILED;
}

int validate_main(int argc, char **argv)
{
    struct validate v = { 0 };
    struct tab t = { 0 };
    struct sel s = { 0 };
    struct bpair *bp = NULL;
    size_t n = 0;
    int rc = GS_USAGE, a = parse_args(&v, argc, argv);
    char err[4096];
    if (a != 0) {
        rc = a > 0 ? GS_OK : GS_USAGE;
        goto out;
    }
    v.results = join(v.dir, "results.csv");
    v.csv = join(v.dir, "validation.csv");
    v.grid_path = join(v.dir, "grid.ini");
    v.calib_path = v.calibration ? strdup(v.calibration) : join(v.dir, "calib.ini");
    if (!v.results || !v.csv || !v.grid_path || !v.calib_path) {
        rc = GS_FAILED;
        goto out;
    }
    const char *spec = v.spec;
    if (!spec && !v.nlists) /* the default grid; --PARAM=LIST alone makes its own */
        spec = v.grid_path;
    /* Every argument and DIR before anything is measured or written (exit 2, DIR as it was). */
    if ((rc = check_inputs(&v, spec, err, sizeof err)) != GS_OK) {
        if (err[0])
            fprintf(stderr, "gilsim: validate: %s\n", err);
        goto out;
    }
    /* The calibration: given, kept from an earlier validate in DIR, or measured now. */
    if (!v.calibration && access(v.calib_path, F_OK) != 0) {
        static char name[] = "calibrate", opt[] = "-o";
        char *cargv[] = { name, opt, v.calib_path, NULL };
        fprintf(stderr, "gilsim: validate: no --calibration: measuring this machine into %s\n",
                v.calib_path);
        if ((rc = calibrate_main(3, cargv)) != GS_OK)
            goto out;
    } else if (!v.calibration) {
        fprintf(stderr, "gilsim: validate: using the calibration of an earlier run, %s\n",
                v.calib_path);
    }
    if (spec == v.grid_path) {
        if (access(spec, F_OK) == 0) {
            fprintf(stderr, "gilsim: validate: using the grid of an earlier run, %s\n", spec);
        } else if (atomic_file_write(spec, fill_grid, NULL, err, sizeof err) != 0) {
            fprintf(stderr, "gilsim: validate: %s\n", err);
            rc = GS_FAILED;
            goto out;
        }
    }
    /* Simulated first (J at a time), then native one at a time: native runs own the cores. */
    rc = sweep_backend(&v, spec, "sim", v.k, v.jobs, sweep_main);
    double load0 = load_average(), load1 = NAN;
    if (rc == GS_OK || rc == GS_FAILED) {
        rc = sweep_backend(&v, spec, "native", v.native_k, 1, sweep_main);
        load1 = load_average();
    }
    if (rc != GS_OK && rc != GS_FAILED)
        goto out; /* bad input or interrupted: nothing to compare */
    if (rc == GS_FAILED)
        fprintf(stderr, "gilsim: validate: some runs failed; their points are marked not "
                "validated\n");
    int metric[NMETRICS];
    if (tab_load(&t, v.results, err, sizeof err) != 0 || sel_all(&t, &s) != 0) {
        fprintf(stderr, "gilsim: validate: %s\n", err);
        rc = GS_FAILED;
        goto out;
    }
    for (size_t m = 0; m < NMETRICS; m++)
        if ((metric[m] = tab_need(&t, "validate", metric_name[m], err, sizeof err)) < 0) {
            fprintf(stderr, "gilsim: validate: %s\n", err);
            rc = GS_FAILED;
            goto out;
        }
    if (bpairs_build(&t, &s, metric, NMETRICS, &bp, &n, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: validate: %s\n", err);
        rc = GS_FAILED;
        goto out;
    }
    int *shown = malloc(t.keycols * sizeof *shown);
    if (!shown) {
        rc = GS_FAILED;
        goto out;
    }
    const long ks[2] = { v.k, v.native_k };
    struct report_data d = { &t, bp, n, shown, shown_columns(&t, bp, n, shown), ks };
    /* validation.csv and the scatters: made in DIR's private folder, then renamed in. */
    struct out_dir od = { v.dir, ".gilsim-validate-manifest", "gilsim validate", NULL, NULL };
    char *csv = (v.tmp = out_dir_begin(&od, "validate", err, sizeof err)) ? join(v.tmp,
                "validation.csv") : NULL;
    int wrc = !csv ? -1 : atomic_file_write(csv, fill_validation, &d, err, sizeof err);
    free(shown);
    free(csv);
    if (wrc != 0 || draw_scatters(&v, &t, bp, n) != 0 ||
        (wrc = out_dir_commit(&od, v.tmp, v.in_place, v.nplace, err, sizeof err)) != 0) {
        if (wrc != 0)
            fprintf(stderr, "gilsim: validate: %s\n", err);
        rc = wrc == -2 ? GS_USAGE : GS_FAILED;
        goto out;
    }
    free(v.tmp);
    v.tmp = NULL;
    print_table(&t, bp, n, ks);
    size_t gated, over;
    double med = median_abs_error(&t, bp, n, 0, ks, PAIR_GATED, NULL, &gated);
    double med_over = median_abs_error(&t, bp, n, 0, ks, PAIR_SHOWN, NULL, &over);
    size_t unvalidated = 0;
    for (size_t i = 0; i < n; i++) {
        const char *note;
        unvalidated += pair_class(&t, &bp[i], ks, &note) == PAIR_NOT;
    }
    char m1[32], m2[32], lim[32];
    pct(m1, sizeof m1, med);
    pct(m2, sizeof m2, med_over);
    pct(lim, sizeof lim, v.max_error);
    printf("gilsim validate: %zu points; median |throughput error| %s over %zu gated points "
           "(limit %s); %s over the %zu shown but not gated (oversubscribed, partly validated); "
           "%zu "
           "not validated (see the note column of %s)\n",
           n, m1, gated, lim, m2, over, unvalidated, v.csv);
    size_t in, ranged;
    count_in_range(&t, bp, n, ks, NULL, &in, &ranged);
    printf("gilsim validate: the simulated throughput lies within the range of the native runs "
           "(min..max of %ld) at %zu of %zu gated points\n", v.native_k, in, ranged);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    printf("gilsim validate: load average %.2f before the native runs, %.2f after, on %ld "
           "CPUs%s\n", load0, load1, cpus, fmax(load0, load1) > (double)cpus - 0.5
           ? ": other work competed for the CPUs, so native threads waited for them (the "
             "simulator gives each thread its core): rerun on a quiet machine" : "");
    rc = gated && med <= v.max_error ? GS_OK : GS_FAILED;
    if (!gated)
        fprintf(stderr, "gilsim: validate: no point could be validated honestly\n");
out:
    if (v.tmp)
        out_dir_remove(v.tmp);
    free(v.tmp);
    free(bp);
    sel_free(&s);
    if (t.name)
        tab_free(&t);
    free(v.lists);
    free(v.results);
    free(v.csv);
    free(v.grid_path);
    free(v.calib_path);
    return rc;
}
