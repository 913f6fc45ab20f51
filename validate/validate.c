/* `gilsim validate [SPEC] -o DIR`: every point of a grid simulated with this machine's
 * calibration (k runs, seeds 1..k) and, once per distinct configuration, run natively (native_k
 * runs per repetition, each between two reference loops: val_native.h), all rows in
 * DIR/results.csv (resumable); then DIR/validation.csv (per point: each metric's simulated and
 * native median, their relative error with a bootstrap interval), one sim-vs-native scatter per
 * metric, a per-scheme table and the gate (val_verdict.h): exit 1 naming each gate that fails.
 * Points whose simulated rows are identical but for the parameters (an axis the scheme does not
 * read) are one configuration: the first is compared, the others are listed as its repeats.
 * Method and limits: docs/validation.md. */
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
#include "calibrate.h"
#include "calibration.h"
#include "cli_args.h"
#include "other_load.h"
#include "out_dir.h"
#include "plot_scatter.h"
#include "plot_table.h"
#include "plot_xy.h"
#include "results_rows.h"
#include "run_native.h"
#include "scheme.h"
#include "spec.h"
#include "status.h"
#include "sweep.h"
#include "val_native.h"
#include "val_verdict.h"

/* Opcodes per thread of the default grid where accesses are rare: a native run lasts tens of
 * ms, so that start-up (thread creation, first touches of the op stream) is a few percent of
 * it; at 10^5 a run lasted ~3 ms and a point's runs spread over 40-86% of their median. Where
 * every opcode accesses an object, delegations dominate a run's time: fewer opcodes. */
#define VALIDATE_OPS 1000000
#define VALIDATE_OPS_ACCESS 200000
#define VALIDATE_OPS_TICKS1 100000
/* Bound on a native run's reference drift, and runs of one seed at most. */
#define MAX_DRIFT 0.05
#define TRIES 3
#define REF_MS 5.0
/* Share of the CPUs' time that others (processes and the hypervisor) may take during the native
 * runs before validate says the machine was not quiet. */
#define OTHERS_MAX 0.05

struct validate {
    const char *spec, *calibration, *dir;
    char *tmp; /* DIR's private folder (out_dir.h) while validation.csv and figures are made */
    const char *in_place[6]; /* the files of DIR written in place (check_inputs) */
    size_t nplace;
    const char **lists;
    size_t nlists;
    long k, native_k, jobs, repeat;
    double max_drift;
    struct gates gates;
    char *calib_path, *grid_path, *results, *csv, *staging, *reflog;
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gilsim validate [SPEC.ini] [--PARAM=LIST ...] [--calibration=FILE] [--k=K]\n"
            "                       [--native-k=R] [--repeat=T] [--max-drift=PCT]\n"
            "                       [--gate=NAME=PCT] [--max-error=PCT] [-j J] -o DIR\n"
            "\n"
            "Simulates every point of SPEC (default: the grid written to DIR/grid.ini: every\n"
            "scheme x N 1,100,1000 x sharing 0..0.1 x wait block,spin on 2 threads and 2 cores,\n"
            "access 1 with delegations, 4 threads on 2 cores, the GIL convoy beside 1, 2, 4 CPU\n"
            "threads) K times (default 3; J at a time) with the calibration (without\n"
            "--calibration: gilsim calibrate first, into DIR/calib.ini, kept for reruns), and\n"
            "runs each distinct configuration natively R times (default 9) per repetition\n"
            "(--repeat, default 1), one at a time, each run between two reference loops on its\n"
            "CPUs: a run whose reference moved by more than --max-drift (default 5%%) is run\n"
            "again (3 tries), then set apart. Points whose simulated rows are identical but for\n"
            "the parameters are one configuration, counted once. All kept rows go to\n"
            "DIR/results.csv (rerun to resume), every native run with its references to\n"
            "DIR/native-ref.csv. Writes DIR/validation.csv (per point and metric: medians,\n"
            "error and its 95%% bootstrap interval), DIR/scatter-METRIC.png and prints a table.\n"
            "Exit 1 names each gate that fails, judged at the upper end of its interval:\n"
            "median |throughput error| <= 7%% (--gate=median=PCT or --max-error=PCT), each\n"
            "scheme's median <= 10%% (scheme), 90th percentile <= 20%% (p90), delegated-op\n"
            "latency mean and p99 median <= 15%% (lat_mean, lat_p99), simulated throughput\n"
            "within the native runs' min..max at >= 60%% of points (in_range). Details:\n"
            "docs/validation.md. In DIR, gilsim replaces only files it wrote\n"
            "(DIR/.gilsim-validate-manifest); one of yours under a name it needs stops it\n"
            "before anything runs (docs/files.md).\n");
}

static char *join(const char *dir, const char *file)
{
    size_t n = strlen(dir) + strlen(file) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", dir, file);
    return s;
}

/* A percentage (e.g. 10 or 10%) into a fraction; -1 with a message if it is not one. */
static int parse_pct(const char *opt, const char *text, double *out)
{
    char *end;
    errno = 0;
    double pct = strtod(text, &end);
    if (end != text && *end == '%')
        end++;
    if (end == text || *end || errno || !(pct >= 0) || !isfinite(pct)) {
        fprintf(stderr, "gilsim: validate: %s: '%s' (allowed: a percentage >= 0, e.g. 10 or "
                "10%%)\n", opt, text);
        return -1;
    }
    *out = pct / 100;
    return 0;
}

static int parse_gate(struct validate *v, const char *text)
{
    static const char *const names[] = { "median", "scheme", "p90", "lat_mean", "lat_p99",
                                          "in_range" };
    double *slot[] = { &v->gates.median, &v->gates.scheme, &v->gates.p90, &v->gates.lat_mean,
                       &v->gates.lat_p99, &v->gates.in_range };
    const char *eq = strchr(text, '=');
    for (size_t i = 0; eq && i < sizeof names / sizeof names[0]; i++)
        if ((size_t)(eq - text) == strlen(names[i]) && !strncmp(text, names[i], strlen(names[i])))
            return parse_pct("--gate", eq + 1, slot[i]);
    fprintf(stderr, "gilsim: validate: --gate=%s (allowed: NAME=PCT with NAME median, scheme, "
            "p90, lat_mean, lat_p99 or in_range)\n", text);
    return -1;
}

static int parse_args(struct validate *v, int argc, char **argv)
{
    v->k = 3;
    v->native_k = 9;
    v->repeat = 1;
    v->max_drift = MAX_DRIFT;
    v->gates = gates_default;
    v->jobs = sysconf(_SC_NPROCESSORS_ONLN) > 0 ? sysconf(_SC_NPROCESSORS_ONLN) : 1;
    v->lists = calloc((size_t)argc, sizeof *v->lists);
    if (!v->lists)
        return -1;
    /* --k, --native-k, -j, --max-error, --repeat, --max-drift as given: once each */
    const char *given[6] = { 0 };
    char err[1024];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        err[0] = '\0';
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 1;
        } else if ((strcmp(a, "-o") == 0 && i + 1 < argc) || strncmp(a, "--output=", 9) == 0) {
            cli_once(&v->dir, a[1] == 'o' ? argv[++i] : a + 9, "-o", err, sizeof err);
        } else if (strncmp(a, "--calibration=", 14) == 0) {
            cli_once(&v->calibration, a + 14, "--calibration", err, sizeof err);
        } else if (strncmp(a, "--k=", 4) == 0 || strncmp(a, "--native-k=", 11) == 0 ||
                   strncmp(a, "--repeat=", 9) == 0 || strncmp(a, "-j", 2) == 0) {
            int is_k = !strncmp(a, "--k=", 4), is_nk = !strncmp(a, "--native-k=", 11),
                is_r = !strncmp(a, "--repeat=", 9);
            const char *name = is_k ? "--k" : is_nk ? "--native-k" : is_r ? "--repeat" : "-j";
            const char *t = is_k ? a + 4 : is_nk ? a + 11 : is_r ? a + 9 : a[2] ? a + 2
                            : i + 1 < argc ? argv[++i] : "";
            long long n;
            if (cli_count(name, t, is_k || is_nk ? 1000 : is_r ? 100 : 1024, &n, err,
                          sizeof err) == 0 &&
                cli_once(&given[is_k ? 0 : is_nk ? 1 : is_r ? 4 : 2], t, name, err,
                         sizeof err) == 0)
                *(is_k ? &v->k : is_nk ? &v->native_k : is_r ? &v->repeat : &v->jobs) = n;
        } else if (strncmp(a, "--max-error=", 12) == 0) {
            if (parse_pct("--max-error", a + 12, &v->gates.median) != 0)
                return -1;
            cli_once(&given[3], a + 12, "--max-error", err, sizeof err);
        } else if (strncmp(a, "--max-drift=", 12) == 0) {
            if (parse_pct("--max-drift", a + 12, &v->max_drift) != 0)
                return -1;
            cli_once(&given[5], a + 12, "--max-drift", err, sizeof err);
        } else if (strncmp(a, "--gate=", 7) == 0) {
            if (parse_gate(v, a + 7) != 0)
                return -1;
        } else if (strncmp(a, "--", 2) == 0 && strchr(a, '=')) {
            v->lists[v->nlists++] = a;
        } else if (a[0] != '-' && !v->spec) {
            v->spec = a;
        } else {
            fprintf(stderr, "gilsim: validate: unexpected argument '%s' (allowed: one SPEC.ini, "
                    "--PARAM=LIST, --calibration=FILE, --k=K, --native-k=R, --repeat=T, "
                    "--max-drift=PCT, --gate=NAME=PCT, --max-error=PCT, -j J, -o DIR)\n", a);
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
        if (strncmp(v->lists[i], "--backend=", 10) == 0 || strncmp(v->lists[i], "--seed=", 7) == 0) {
            fprintf(stderr, "gilsim: validate: %s: validate sets the backend and the seeds "
                    "(allowed: any other --PARAM=LIST)\n", v->lists[i]);
            return -1;
        }
    return 0;
}

/* Appends name to the comma-separated list of schemes in buf (of len bytes, *used of them
 * taken). */
static void add_name(char *buf, size_t len, size_t *used, const char *name)
{
    if (*used < len)
        *used += (size_t)snprintf(buf + *used, len - *used, "%s%s", *used ? ", " : "", name);
}

/* The default grid (see usage), its schemes chosen by what they declare (scheme_ops): one
 * whose points say something only at sharing 0 (a deadlock has no makespan to compare; an
 * unsynchronised scheme would race natively) runs there only; one that hands its lock over at
 * every check point runs N = 1 with fewer opcodes; the delegating schemes (those with the
 * first-order model) run the access points; the baseline runs the convoy. */
static int fill_grid(FILE *f, void *arg)
{
    (void)arg;
    char all[1024] = "", deleg[1024] = "", fit[1024] = "", every[1024] = "", unshared[1024] = "";
    size_t used = 0, dused = 0, fused = 0, eused = 0, uused = 0;
    for (size_t i = 0; scheme_at(i); i++) {
        const struct scheme_ops *s = scheme_at(i);
        if (s->unshared_only) {
            add_name(unshared, sizeof unshared, &uused, s->name);
            continue;
        }
        add_name(all, sizeof all, &used, s->name);
        if (s->handover_every_check)
            add_name(every, sizeof every, &eused, s->name);
        else
            add_name(fit, sizeof fit, &fused, s->name);
        if (s->analytic)
            add_name(deleg, sizeof deleg, &dused, s->name);
    }
    const char *baseline = scheme_baseline() ? scheme_baseline() : "";
    const char *io = "io(count=1 ops=100 io=1 io_ns=100000 io_dist=fixed access=0 alloc=0)";
    const char *cpu = "ops=200000 op_ns=2500 access=0 alloc=0";
    fprintf(f,
            "# gilsim validate's default grid (docs/validation.md). Edit and rerun, or pass\n"
            "# another spec file. backend and seed are set by validate.\n"
            "[global]\n"
            "ops = %d\n"
            "cores = 2\n"
            "# free-threading's optimistic reads are simulator-only (docs/validation.md)\n"
            "ft_reads = locked\n"
            "\n"
            "[fit]\n"
            "scheme = %s\n"
            "threads = 2\n"
            "N = 1, 100, 1000\n"
            "sharing = 0, 0.001, 0.01, 0.1\n"
            "wait = block, spin\n"
            "\n"
            "# a lock handed over every N opcodes changes hands at every opcode at N = 1: fewer\n"
            "# opcodes keep it minutes\n"
            "[ticks]\n"
            "scheme = %s\n"
            "threads = 2\n"
            "N = 100, 1000\n"
            "sharing = 0, 0.001, 0.01, 0.1\n"
            "wait = block, spin\n"
            "\n"
            "[ticks-1]\n"
            "scheme = %s\n"
            "threads = 2\n"
            "ops = %d\n"
            "N = 1\n"
            "sharing = 0, 0.001, 0.01, 0.1\n"
            "wait = block, spin\n"
            "\n"
            "# every opcode touches an object: delegations dominate (no allocations: shares\n"
            "# of the same opcodes)\n"
            "[access]\n"
            "scheme = %s\n"
            "threads = 2\n"
            "ops = %d\n"
            "access = 1\n"
            "alloc = 0\n"
            "N = 100\n"
            "sharing = 0.01, 0.1\n"
            "wait = block, spin\n"
            "\n"
            "# a deadlock by design at sharing > 0, or no synchronisation (natively it would\n"
            "# race): only their sharing-0 points are comparable\n"
            "[unshared]\n"
            "scheme = %s\n"
            "threads = 2\n"
            "sharing = 0\n"
            "\n"
            "# twice as many threads as cores: the OS time-slices them. Blocking waits only: a\n"
            "# spinning waiter burns its time slice while the thread it waits for is not\n"
            "# running (natively seconds to minutes per run)\n"
            "[oversubscribed]\n"
            "scheme = %s\n"
            "threads = 4\n"
            "ops = %d\n"
            "access = 0.2, 1\n"
            "alloc = 0\n"
            "N = 100\n"
            "sharing = 0, 0.01, 0.1\n"
            "wait = block\n"
            "\n"
            "# the GIL convoy: an I/O thread (sleep 100 us, repeat) beside 1, 2 and 4 CPU-bound\n"
            "# threads; one op of a CPU thread is 100 loop iterations\n"
            "[convoy]\n"
            "scheme = %s\n"
            "breaker = 1\n"
            "classes = cpu(count=1 %s) %s, cpu(count=2 %s) %s, cpu(count=4 %s) %s\n",
            VALIDATE_OPS, fit, every, every, VALIDATE_OPS_TICKS1, deleg, VALIDATE_OPS_ACCESS,
            unshared, all, VALIDATE_OPS_ACCESS, baseline, cpu, io, cpu, io, cpu, io);
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

/* The simulated runs: gilsim sweep of the whole spec (check_only: its checks, nothing run). */
static int sweep_sim(const struct validate *v, const char *spec, int check_only,
                     int *not_started)
{
    struct sweep_request r = {
        .spec = spec, .lists = (const char *const *)v->lists, .nlists = v->nlists,
        .backend = "sim", .reps = v->k, .jobs = v->jobs, .out = v->results,
        /* when only checking: the calibration unless it is still to be measured */
        .calibration = access(v->calib_path, F_OK) == 0 ? v->calib_path : NULL,
        .check_only = check_only, .not_started = not_started,
    };
    if (!check_only)
        fprintf(stderr, "gilsim: validate: simulated runs (-j%ld) -> %s\n", v->jobs, v->results);
    return sweep_run(&r);
}

/* ---- the points ------------------------------------------------------------------------- */

/* A point of the spec (its seeds aside) and what became of it. */
struct gpoint {
    struct params p;  /* resolved; seed: the first */
    char **args;      /* --NAME=VALUE of each parameter its family sets (calibration included) */
    size_t nargs;
    long dup_of;      /* -1, or the earlier point whose simulated rows it repeats */
    int same_params;  /* the same parameters as an earlier point: not a point of its own */
    char *not_native; /* why it cannot run natively here; NULL if it can */
    long *sim_row;    /* k rows of results (or -1) */
    long *nat_row;    /* repeat x native_k rows (or -1) */
    size_t set_apart; /* native runs set apart */
    double drift_max; /* largest |drift| of a kept native run */
};

struct grid {
    struct gpoint *pt;
    size_t n;
};

static void grid_free(struct grid *g)
{
    for (size_t i = 0; i < g->n; i++) {
        for (size_t j = 0; j < g->pt[i].nargs; j++)
            free(g->pt[i].args[j]);
        free(g->pt[i].args);
        free(g->pt[i].not_native);
        free(g->pt[i].sim_row);
        free(g->pt[i].nat_row);
    }
    free(g->pt);
    g->pt = NULL;
    g->n = 0;
}

/* The spec as gilsim sweep reads it (file, then --PARAM=LIST, then the calibration), its points
 * with one rep each. */
static int grid_build(const struct validate *v, const char *specfile, struct grid *g)
{
    struct spec s, c;
    char err[2048], cell[PARAM_CELL_LEN];
    spec_init(&s);
    spec_init(&c);
    int rc = -1;
    size_t count = 0;
    if (specfile && spec_load(&s, specfile, err, sizeof err) != 0)
        goto out;
    for (size_t i = 0; i < v->nlists; i++) {
        const char *a = v->lists[i] + 2, *eq = strchr(a, '=');
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(eq - a), a);
        if (spec_set_all(&s, name, eq + 1, err, sizeof err) != 0)
            goto out;
    }
    if (calib_load(v->calib_path, &c, err, sizeof err) != 0 ||
        calib_fill_spec(&s, &c, err, sizeof err) != 0 ||
        spec_count(&s, 1, &count, err, sizeof err) != 0)
        goto out;
    g->pt = calloc(count + 1, sizeof *g->pt);
    if (!g->pt) {
        snprintf(err, sizeof err, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        struct gpoint *q = &g->pt[i];
        size_t fam, rep;
        g->n = i + 1;
        if (spec_point(&s, 1, i, &q->p, &fam, &rep, err, sizeof err) != 0)
            goto out;
        q->dup_of = -1;
        q->args = calloc(param_count, sizeof *q->args);
        q->sim_row = malloc((size_t)v->k * sizeof *q->sim_row);
        q->nat_row = malloc((size_t)(v->repeat * v->native_k) * sizeof *q->nat_row);
        if (!q->args || !q->sim_row || !q->nat_row) {
            snprintf(err, sizeof err, "out of memory");
            goto out;
        }
        for (size_t j = 0; j < param_count; j++) {
            const struct param *d = &param_table[j];
            if (!s.fam[fam].list[j].n || !strcmp(d->name, "seed") || !strcmp(d->name, "backend"))
                continue;
            param_format(&q->p, d, cell, sizeof cell);
            size_t len = strlen(d->name) + strlen(cell) + 4;
            if (!(q->args[q->nargs] = malloc(len))) {
                snprintf(err, sizeof err, "out of memory");
                goto out;
            }
            snprintf(q->args[q->nargs++], len, "--%s=%s", d->name, cell);
        }
        scheme_resolve_params(&q->p); /* a row holds the resolved values */
        char why[1024];
        if (native_check(&q->p, why, sizeof why) != 0 && !(q->not_native = strdup(why))) {
            snprintf(err, sizeof err, "out of memory");
            goto out;
        }
    }
    rc = 0;
out:
    if (rc != 0)
        fprintf(stderr, "gilsim: validate: %s\n", err);
    spec_free(&s);
    spec_free(&c);
    return rc;
}

/* The results file's rows, sorted by key for lookups. */
struct index {
    struct rows r;
    struct rows_ref *ref;
};

static int index_load(struct index *x, const char *path)
{
    char err[2048];
    memset(x, 0, sizeof *x);
    if (rows_load(path, &x->r, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: validate: %s\n", err);
        return -1;
    }
    x->ref = calloc(x->r.n + 1, sizeof *x->ref);
    if (!x->ref)
        return -1;
    for (size_t i = 0; i < x->r.n; i++)
        x->ref[i] = (struct rows_ref){ x->r.line[i], rows_prefix(x->r.line[i], x->r.keycols), i };
    rows_sort(x->ref, x->r.n);
    return 0;
}

static void index_free(struct index *x)
{
    rows_free(&x->r);
    free(x->ref);
}

/* The row of the run of p with this seed and backend; -1 if none. */
static long index_find(const struct index *x, const struct params *p, long long seed,
                       const char *backend)
{
    struct params q = *p;
    q.seed = seed;
    param_set(&q, "backend", backend, NULL, 0);
    char *key = rows_key(&q);
    long found = -1;
    size_t lo = 0, hi = x->r.n, len = key ? strlen(key) : 0;
    while (key && lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = rows_cmp(x->ref[mid].key, x->ref[mid].len, key, len);
        if (c == 0) {
            found = (long)x->ref[mid].i;
            break;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    free(key);
    return found;
}

/* Finds each point's rows; a point with the parameters of an earlier one is marked. */
static void grid_rows(const struct validate *v, struct grid *g, const struct index *x)
{
    for (size_t i = 0; i < g->n; i++) {
        struct gpoint *q = &g->pt[i];
        for (long j = 0; j < v->k; j++)
            q->sim_row[j] = index_find(x, &q->p, q->p.seed + j, "sim");
        for (long j = 0; j < v->repeat * v->native_k; j++)
            q->nat_row[j] = index_find(x, &q->p, q->p.seed + j, "native");
        for (size_t e = 0; e < i && !q->same_params; e++)
            q->same_params = q->sim_row[0] >= 0 && g->pt[e].sim_row[0] == q->sim_row[0];
    }
}

/* The metric cells of a row: what follows its key. */
static const char *metric_cells(const struct index *x, long row)
{
    const char *line = x->r.line[row];
    return line + rows_prefix(line, x->r.keycols);
}

/* Marks every point whose simulated rows (every seed) hold the same metrics as an earlier point
 * of the same scheme: an axis that scheme does not read. */
static size_t grid_dedup(const struct validate *v, struct grid *g, const struct index *x)
{
    size_t dups = 0;
    for (size_t i = 0; i < g->n; i++) {
        struct gpoint *q = &g->pt[i];
        if (q->same_params)
            continue;
        for (size_t e = 0; e < i && q->dup_of < 0; e++) {
            const struct gpoint *o = &g->pt[e];
            if (o->same_params || o->dup_of >= 0 || o->p.scheme != q->p.scheme)
                continue;
            int same = 1;
            for (long j = 0; same && j < v->k; j++)
                same = q->sim_row[j] >= 0 && o->sim_row[j] >= 0 &&
                       strcmp(metric_cells(x, q->sim_row[j]), metric_cells(x, o->sim_row[j])) == 0;
            if (same) {
                q->dup_of = (long)e;
                dups++;
            }
        }
    }
    return dups;
}

static int busy_cpus(const struct params *p)
{
    return (int)(p->threads < p->cores ? p->threads : p->cores);
}

/* The native runs: repetition by repetition, seed by seed, each distinct point in turn (so that
 * a slow spell of the machine spreads over the points instead of hitting one). */
static int run_native(const struct validate *v, struct grid *g, const struct index *x,
                      size_t *kept, size_t *apart, size_t *failed, double *drift_sum,
                      double *drift_max)
{
    struct native_ref nr = { v->results, v->staging, v->reflog, v->max_drift, TRIES, REF_MS };
    size_t todo = 0, done = 0;
    for (size_t i = 0; i < g->n; i++)
        for (long j = 0; j < v->repeat * v->native_k; j++)
            todo += !g->pt[i].same_params && g->pt[i].dup_of < 0 && !g->pt[i].not_native &&
                    g->pt[i].sim_row[0] >= 0 && g->pt[i].nat_row[j] < 0;
    if (todo)
        fprintf(stderr, "gilsim: validate: %zu native runs, one at a time, each between two "
                "%.0f ms reference loops -> %s\n", todo, REF_MS, v->results);
    for (long j = 0; j < v->repeat * v->native_k; j++)
        for (size_t i = 0; i < g->n; i++) {
            struct gpoint *q = &g->pt[i];
            if (q->same_params || q->dup_of >= 0 || q->not_native || q->sim_row[0] < 0 ||
                q->nat_row[j] >= 0)
                continue;
            double drift;
            int rc = native_ref_run(&nr, (const char *const *)q->args, q->nargs,
                                    (long long)q->p.seed + j, busy_cpus(&q->p), &drift);
            if (rc >= 128)
                return rc;
            if (rc == NR_NOT_STARTED)
                return GS_FAILED; /* the sweep said why; the next runs would fare the same */
            done++;
            if (isatty(STDERR_FILENO))
                fprintf(stderr, "\r\033[Kgilsim: validate: native run %zu/%zu", done, todo);
            *kept += rc == NR_KEPT;
            *apart += rc == NR_SET_APART;
            *failed += rc == NR_FAILED;
            if (rc == NR_KEPT) {
                *drift_sum += fabs(drift);
                *drift_max = fmax(*drift_max, fabs(drift));
            }
        }
    if (todo && isatty(STDERR_FILENO))
        fputc('\n', stderr);
    (void)x;
    return GS_OK;
}

/* ---- the comparison --------------------------------------------------------------------- */

static const char *const metric_col[VM_N] = { "throughput", "makespan",        "lat_mean",
                                              "lat_p99",    "wait_share", "lock_wait_share",
                                              "io_wait_mean" };

/* The set-apart runs and the largest kept drift of each point, from native-ref.csv (each native
 * run's results row, then its references: before, after, drift, try, kept). */
static void read_reflog(const struct validate *v, struct grid *g)
{
    struct index x;
    size_t nseeds = (size_t)(v->repeat * v->native_k);
    if (access(v->reflog, F_OK) != 0 || index_load(&x, v->reflog) != 0)
        return;
    size_t nkeys = g->n * nseeds;
    char *apart = calloc(nkeys + 1, 1);
    struct rows_ref *key = calloc(nkeys + 1, sizeof *key);
    int ok = apart && key;
    for (size_t i = 0; ok && i < nkeys; i++) {
        struct params p = g->pt[i / nseeds].p;
        p.seed += (int64_t)(i % nseeds);
        param_set(&p, "backend", "native", NULL, 0);
        char *k = rows_key(&p);
        ok = k != NULL;
        key[i] = (struct rows_ref){ k, k ? strlen(k) : 0, i };
    }
    if (ok)
        rows_sort(key, nkeys);
    for (size_t e = 0; ok && e < x.r.n; e++) {
        const char *line = x.r.line[e], *ref = line + strlen(line);
        for (int c = 0; c < 5 && ref > line; c++) /* the five cells at the end */
            while (--ref > line && *ref != ',')
                ;
        double before, after, drift;
        int try, kept;
        if (sscanf(ref, ",%lf,%lf,%lf,%d,%d", &before, &after, &drift, &try, &kept) != 5)
            continue;
        size_t len = rows_prefix(line, x.r.keycols), lo = 0, hi = nkeys;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            int c = rows_cmp(key[mid].key, key[mid].len, line, len);
            if (c == 0) {
                struct gpoint *q = &g->pt[key[mid].i / nseeds];
                if (kept)
                    q->drift_max = fmax(q->drift_max, fabs(drift));
                else
                    apart[key[mid].i] = 1;
                break;
            }
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
    }
    for (size_t i = 0; key && i < nkeys; i++)
        free((char *)key[i].key);
    free(key);
    for (size_t i = 0; ok && i < nkeys; i++)
        g->pt[i / nseeds].set_apart += apart[i] && g->pt[i / nseeds].nat_row[i % nseeds] < 0;
    free(apart);
    index_free(&x);
}

/* Reads every point's numbers for repetition `rep` into vp (one per distinct point with
 * simulated rows); returns how many. */
static size_t points_for(const struct validate *v, const struct grid *g, const struct tab *t,
                         const int *col, long rep, struct vpoint *vp, size_t *which,
                         double *store)
{
    int dead = tab_find(t, "deadlock"), check = tab_find(t, "check");
    size_t n = 0, per = (size_t)(v->k + v->native_k);
    for (size_t i = 0; i < g->n; i++) {
        const struct gpoint *q = &g->pt[i];
        if (q->same_params || q->dup_of >= 0 || q->sim_row[0] < 0)
            continue;
        struct vpoint *p = &vp[n];
        memset(p, 0, sizeof *p);
        p->scheme = scheme_name_at((size_t)q->p.scheme);
        double *base = store + n * VM_N * per;
        for (int m = 0; m < VM_N; m++) {
            p->simv[m] = base + (size_t)m * per;
            p->natv[m] = p->simv[m] + v->k;
        }
        int good = 1;
        for (long j = 0; j < v->k; j++)
            if (q->sim_row[j] >= 0) {
                for (int m = 0; m < VM_N; m++)
                    p->simv[m][p->nsim] = tab_num(t, (size_t)q->sim_row[j], (size_t)col[m]);
                p->nsim++;
            }
        for (long j = rep * v->native_k; j < (rep + 1) * v->native_k; j++) {
            long row = q->nat_row[j];
            if (row < 0)
                continue;
            for (int m = 0; m < VM_N; m++)
                p->natv[m][p->nnat] = tab_num(t, (size_t)row, (size_t)col[m]);
            p->nnat++;
            good &= !(dead >= 0 && strcmp(tab_at(t, (size_t)row, (size_t)dead), "1") == 0) &&
                    !(check >= 0 && strcmp(tab_at(t, (size_t)row, (size_t)check), "ok") != 0);
        }
        p->gated = good && (long)p->nsim == v->k && (long)p->nnat == v->native_k;
        which[n++] = i;
    }
    return n;
}

/* Why a point is not gated (or "" if it is). */
static void note_for(const struct validate *v, const struct gpoint *q, const struct vpoint *p,
                     char *buf, size_t len)
{
    if (p->gated)
        buf[0] = len ? 0 : buf[0];
    else if (q->not_native)
        snprintf(buf, len, "not validated: cannot run natively (%s)", q->not_native);
    else if (!p->nnat && q->set_apart)
        snprintf(buf, len, "not validated: every native run set apart (reference drift)");
    else if (!p->nnat)
        snprintf(buf, len, "not validated: no native row (the native run failed; see its "
                 "message above)");
    else if ((long)p->nsim < v->k)
        snprintf(buf, len, "partly validated: fewer simulated runs than --k; not gated");
    else if ((long)p->nnat < v->native_k)
        snprintf(buf, len, "partly validated: %zu of %ld native runs (%zu set apart: reference "
                 "drift); not gated", p->nnat, v->native_k, q->set_apart);
    else
        snprintf(buf, len, "not validated: a native run deadlocked or failed the check");
}

/* The parameter columns worth a column of validation.csv: the usual ones, and any other that
 * varies among the points of one scheme. */
static size_t shown_columns(const struct tab *t, const struct grid *g, int *out)
{
    static const char *const always[] = { "scheme", "threads", "cores", "N", "sharing",
                                          "access", "wait" };
    size_t k = 0;
    int sc = tab_find(t, "scheme");
    for (size_t c = 1; c < t->keycols; c++) {
        const char *name = t->name[c];
        if (strcmp(name, "seed") == 0 || strcmp(name, "backend") == 0)
            continue;
        int want = 0;
        for (size_t a = 0; a < sizeof always / sizeof always[0]; a++)
            want |= strcmp(name, always[a]) == 0;
        for (size_t i = 0; !want && i < g->n; i++)
            for (size_t j = i + 1; !want && j < g->n; j++) {
                long a = g->pt[i].sim_row[0], b = g->pt[j].sim_row[0];
                want = a >= 0 && b >= 0 &&
                       strcmp(tab_at(t, (size_t)a, (size_t)sc), tab_at(t, (size_t)b, (size_t)sc)) == 0 &&
                       strcmp(tab_at(t, (size_t)a, c), tab_at(t, (size_t)b, c)) != 0;
            }
        if (want)
            out[k++] = (int)c;
    }
    return k;
}

static void put_num(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, ",%.6g", x);
    else
        fputc(',', f);
}

struct report {
    const struct validate *v;
    const struct tab *t;
    const struct grid *g;
    const int *shown;
    size_t nshown;
    struct vpoint **vp; /* per repetition */
    size_t **which;     /* per repetition: the grid point of each vpoint */
    size_t *nvp;
};

static int fill_validation(FILE *f, void *arg)
{
    const struct report *d = arg;
    for (size_t c = 0; c < d->nshown; c++)
        fprintf(f, "%s%s", c ? "," : "", d->t->name[d->shown[c]]);
    fprintf(f, ",repeat,n_sim,n_native,set_apart,drift_max");
    for (int m = 0; m < VM_N; m++) {
        fprintf(f, ",%s_sim,%s_native,%s_err", vm_name[m], vm_name[m], vm_name[m]);
        if (m == VM_THROUGHPUT || m == VM_LAT_MEAN || m == VM_LAT_P99)
            fprintf(f, ",%s_err_lo,%s_err_hi", vm_name[m], vm_name[m]);
    }
    fprintf(f, ",throughput_native_min,throughput_native_max,throughput_native_spread,gated,"
               "note\n");
    for (long r = 0; r < d->v->repeat; r++)
        for (size_t i = 0; i < d->nvp[r]; i++) {
            const struct vpoint *p = &d->vp[r][i];
            const struct gpoint *q = &d->g->pt[d->which[r][i]];
            for (size_t c = 0; c < d->nshown; c++) {
                if (c)
                    fputc(',', f);
                rows_put_cell(f, tab_at(d->t, (size_t)q->sim_row[0], (size_t)d->shown[c]));
            }
            fprintf(f, ",%ld,%zu,%zu,%zu", r + 1, p->nsim, p->nnat, q->set_apart);
            put_num(f, p->nnat ? q->drift_max : NAN);
            for (int m = 0; m < VM_N; m++) {
                put_num(f, p->sim[m]);
                put_num(f, p->nat[m]);
                put_num(f, p->err[m]);
                if (m == VM_THROUGHPUT || m == VM_LAT_MEAN || m == VM_LAT_P99) {
                    put_num(f, p->lo[m]);
                    put_num(f, p->hi[m]);
                }
            }
            put_num(f, p->nat_min);
            put_num(f, p->nat_max);
            put_num(f, p->nat_spread);
            char note[1400];
            note_for(d->v, q, p, note, sizeof note);
            fprintf(f, ",%d,", p->gated);
            rows_put_cell(f, note);
            fputc('\n', f);
        }
    /* The repeats of a configuration: listed once, with the point they repeat. */
    for (size_t i = 0; i < d->g->n; i++) {
        const struct gpoint *q = &d->g->pt[i];
        if (q->same_params || q->dup_of < 0)
            continue;
        const struct gpoint *o = &d->g->pt[q->dup_of];
        for (size_t c = 0; c < d->nshown; c++) {
            if (c)
                fputc(',', f);
            rows_put_cell(f, tab_at(d->t, (size_t)q->sim_row[0], (size_t)d->shown[c]));
        }
        fprintf(f, ",,%ld,0,0,", d->v->k);
        for (int m = 0; m < VM_N; m++)
            fprintf(f, m == VM_THROUGHPUT || m == VM_LAT_MEAN || m == VM_LAT_P99 ? ",,,,," : ",,,");
        fprintf(f, ",,,,0,");
        char note[1024] = "counted once: the same simulated rows as the point with";
        size_t used = strlen(note);
        for (size_t c = 0; c < d->nshown; c++) {
            const char *a = tab_at(d->t, (size_t)q->sim_row[0], (size_t)d->shown[c]);
            const char *b = tab_at(d->t, (size_t)o->sim_row[0], (size_t)d->shown[c]);
            if (strcmp(a, b) != 0 && used < sizeof note)
                used += (size_t)snprintf(note + used, sizeof note - used, " %s=%s",
                                         d->t->name[d->shown[c]], b);
        }
        rows_put_cell(f, note);
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}

/* One scatter per metric (first repetition), one series per scheme. */
static int draw_scatters(const struct validate *v, const struct vpoint *vp, size_t n)
{
    double *x = malloc((n + 1) * sizeof *x), *y = malloc((n + 1) * sizeof *y);
    struct scatter_series *ss = calloc(n + 1, sizeof *ss);
    int rc = 0;
    if (!x || !y || !ss) {
        rc = -1;
        fprintf(stderr, "gilsim: validate: out of memory\n");
    }
    for (int m = 0; m < VM_N && rc == 0; m++) {
        size_t ns = 0, used = 0;
        for (size_t i = 0; i < n; i++) {
            size_t j = 0;
            while (j < ns && strcmp(ss[j].label, vp[i].scheme) != 0)
                j++;
            if (j < ns)
                continue;
            ss[ns] = (struct scatter_series){ vp[i].scheme, xy_scheme_color(vp[i].scheme),
                                              x + used, y + used, 0 };
            for (size_t k = i; k < n; k++)
                if (strcmp(vp[k].scheme, vp[i].scheme) == 0) {
                    x[used] = vp[k].nat[m];
                    y[used++] = vp[k].sim[m];
                    ss[ns].n++;
                }
            ns++;
        }
        char file[64], title[128], err[2048];
        snprintf(file, sizeof file, "scatter-%s.png", vm_name[m]);
        snprintf(title, sizeof title, "%s: simulated against native", vm_name[m]);
        char *path = join(v->tmp, file);
        struct scatter sc = { title, "one point per distinct configuration: the median of each "
                              "backend's runs; band: +-10%", metric_col[m], 0.10, ss, ns };
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

/* Per scheme: the points of the grid and the distinct configurations among them. */
static void print_distinct(const struct grid *g)
{
    printf("distinct configurations per scheme (points whose simulated rows are identical but "
           "for the parameters count once):");
    for (size_t i = 0; i < g->n; i++) {
        int first = 1;
        for (size_t e = 0; e < i && first; e++)
            first = g->pt[e].same_params || g->pt[e].p.scheme != g->pt[i].p.scheme;
        if (g->pt[i].same_params || !first)
            continue;
        size_t pts = 0, dist = 0;
        for (size_t j = i; j < g->n; j++)
            if (!g->pt[j].same_params && g->pt[j].p.scheme == g->pt[i].p.scheme) {
                pts++;
                dist += g->pt[j].dup_of < 0;
            }
        printf(" %s %zu of %zu;", scheme_name_at((size_t)g->pt[i].p.scheme), dist, pts);
    }
    printf("\n");
}

/* Checks the arguments, the spec, the calibration and DIR's names without measuring or
 * writing anything, then creates DIR and claims the files written in place (out_dir.h). */
static int check_inputs(struct validate *v, const char *spec, char *err, size_t errlen)
{
    struct out_dir d = { v->dir, ".gilsim-validate-manifest", "gilsim validate", NULL, NULL };
    const char *names[6 + 3 * VM_N + 1];
    char figs[3 * VM_N][64];
    size_t nn = 0;
    err[0] = '\0';
    /* Written in place and kept by later runs: the rows, the native runs' references (and the
     * scratch row of the one running), the default grid, the calibration. */
    v->in_place[v->nplace++] = "results.csv";
    v->in_place[v->nplace++] = "native-ref.csv";
    v->in_place[v->nplace++] = "native-run.csv";
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
    for (size_t m = 0; m < 3 * VM_N; m++) {
        snprintf(figs[m], sizeof figs[m], "scatter-%s.%s", vm_name[m / 3],
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
        sweep_sim(v, spec, 1, NULL) != GS_OK)
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
    struct grid g = { 0 };
    struct index x = { 0 };
    struct report d = { 0 };
    double *store = NULL;
    int rc = GS_USAGE, a = parse_args(&v, argc, argv);
    char err[4096];
    if (a != 0) {
        rc = a > 0 ? GS_OK : GS_USAGE;
        goto out;
    }
    v.results = join(v.dir, "results.csv");
    v.csv = join(v.dir, "validation.csv");
    v.grid_path = join(v.dir, "grid.ini");
    v.staging = join(v.dir, "native-run.csv");
    v.reflog = join(v.dir, "native-ref.csv");
    v.calib_path = v.calibration ? strdup(v.calibration) : join(v.dir, "calib.ini");
    if (!v.results || !v.csv || !v.grid_path || !v.calib_path || !v.staging || !v.reflog) {
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
    int not_started = 0;
    rc = sweep_sim(&v, spec, 0, &not_started);
    if ((rc != GS_OK && rc != GS_FAILED) || not_started)
        goto out; /* bad input, interrupted, or no process can be started: the sweep said so */
    if (grid_build(&v, spec, &g) != 0 || index_load(&x, v.results) != 0) {
        rc = GS_FAILED;
        goto out;
    }
    grid_rows(&v, &g, &x);
    size_t dups = grid_dedup(&v, &g, &x);
    double load0 = load_average();
    struct other_load quiet;
    other_load_start(&quiet);
    size_t kept = 0, apart = 0, failed = 0;
    double drift_sum = 0, drift_max = 0;
    int nrc = run_native(&v, &g, &x, &kept, &apart, &failed, &drift_sum, &drift_max);
    double load1 = load_average();
    struct other_load_share others = other_load_end(&quiet);
    if (nrc != GS_OK) {
        rc = nrc;
        goto out;
    }
    index_free(&x);
    if (index_load(&x, v.results) != 0 || tab_load(&t, v.results, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: validate: %s\n", err);
        rc = GS_FAILED;
        goto out;
    }
    grid_rows(&v, &g, &x);
    read_reflog(&v, &g);
    int col[VM_N];
    for (int m = 0; m < VM_N; m++)
        if ((col[m] = tab_need(&t, "validate", metric_col[m], err, sizeof err)) < 0) {
            fprintf(stderr, "gilsim: validate: %s\n", err);
            rc = GS_FAILED;
            goto out;
        }
    /* Every repetition's points and verdict. */
    size_t per = (size_t)(v.k + v.native_k);
    d = (struct report){ &v, &t, &g, NULL, 0, calloc((size_t)v.repeat, sizeof *d.vp),
                         calloc((size_t)v.repeat, sizeof *d.which),
                         calloc((size_t)v.repeat, sizeof *d.nvp) };
    store = malloc(((size_t)v.repeat * g.n + 1) * VM_N * per * sizeof *store);
    int *shown = malloc(t.keycols * sizeof *shown);
    if (!d.vp || !d.which || !d.nvp || !store || !shown) {
        free(shown);
        rc = GS_FAILED;
        goto out;
    }
    for (long r = 0; r < v.repeat; r++) {
        d.vp[r] = calloc(g.n + 1, sizeof *d.vp[r]);
        d.which[r] = calloc(g.n + 1, sizeof *d.which[r]);
        if (!d.vp[r] || !d.which[r]) {
            free(shown);
            rc = GS_FAILED;
            goto out;
        }
        d.nvp[r] = points_for(&v, &g, &t, col, r, d.vp[r], d.which[r],
                              store + (size_t)r * g.n * VM_N * per);
        if (vpoint_stats(d.vp[r], d.nvp[r], 12345 + (unsigned long)r) != 0) {
            free(shown);
            fprintf(stderr, "gilsim: validate: out of memory\n");
            rc = GS_FAILED;
            goto out;
        }
    }
    d.shown = shown;
    d.nshown = shown_columns(&t, &g, shown);
    /* validation.csv and the scatters: made in DIR's private folder, then renamed in. */
    struct out_dir od = { v.dir, ".gilsim-validate-manifest", "gilsim validate", NULL, NULL };
    char *csv = (v.tmp = out_dir_begin(&od, "validate", err, sizeof err)) ? join(v.tmp,
                "validation.csv") : NULL;
    int wrc = !csv ? -1 : atomic_file_write(csv, fill_validation, &d, err, sizeof err);
    free(shown);
    free(csv);
    if (wrc != 0 || draw_scatters(&v, d.vp[0], d.nvp[0]) != 0 ||
        (wrc = out_dir_commit(&od, v.tmp, v.in_place, v.nplace, err, sizeof err)) != 0) {
        if (wrc != 0)
            fprintf(stderr, "gilsim: validate: %s\n", err);
        rc = wrc == -2 ? GS_USAGE : GS_FAILED;
        goto out;
    }
    free(v.tmp);
    v.tmp = NULL;
    print_distinct(&g);
    if (dups)
        printf("gilsim validate: %zu points repeat a configuration of their scheme; each is "
               "compared once (the note column of %s names the one it repeats)\n", dups, v.csv);
    int fails = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (long r = 0; r < v.repeat; r++) {
        if (v.repeat > 1)
            printf("== native repetition %ld of %ld (seeds %ld..%ld) ==\n", r + 1, v.repeat,
                   r * v.native_k + 1, (r + 1) * v.native_k);
        double med;
        int f = verdict_print(stdout, d.vp[r], d.nvp[r], &v.gates, 777 + (unsigned long)r, &med);
        fails += f > 0;
        lo = fmin(lo, med);
        hi = fmax(hi, med);
    }
    if (v.repeat > 1)
        printf("gilsim validate: over %ld repetitions of the native runs: median |throughput "
               "error| %.1f%%..%.1f%%; a gate failed in %d of them\n", v.repeat, 100 * lo,
               100 * hi, fails);
    size_t nk = 0, nall = 0;
    for (size_t i = 0; i < g.n; i++)
        for (long j = 0; j < v.repeat * v.native_k; j++)
            nk += g.pt[i].nat_row[j] >= 0 && g.pt[i].dup_of < 0 && !g.pt[i].same_params;
    (void)nall;
    printf("gilsim validate: native runs: %zu in the comparison; this invocation ran %zu: %zu "
           "kept (mean |reference drift| %.1f%%, largest %.1f%%), %zu set apart (reference "
           "moved by more than %.1f%% in %d tries), %zu failed; every run and its references: "
           "%s\n", nk, kept + apart + failed, kept, kept ? 100 * drift_sum / (double)kept : 0.0,
           100 * drift_max, apart, 100 * v.max_drift, TRIES, failed, v.reflog);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    /* The load average lags and counts validate's own simulated runs; the CPU time others
     * used during the native runs is what competed with them. */
    printf("gilsim validate: load average %.2f before the native runs, %.2f after, on %ld "
           "CPUs; during the native runs (%.0f s) other processes used %.1f%% of the CPUs' "
           "time and the hypervisor %.1f%% (steal)%s\n", load0, load1, cpus, others.wall_s,
           100 * others.others, 100 * others.steal,
           !(others.others + others.steal <= OTHERS_MAX)
           ? ": other work competed for the CPUs, so native threads waited for them (the "
             "simulator gives each thread its core): rerun on a quiet machine" : "");
    rc = fails || failed ? GS_FAILED : GS_OK;
out:
    if (v.tmp)
        out_dir_remove(v.tmp);
    free(v.tmp);
    if (d.vp)
        for (long r = 0; r < v.repeat; r++) {
            vpoint_free(d.vp[r], d.nvp ? d.nvp[r] : 0);
            free(d.vp[r]);
            if (d.which)
                free(d.which[r]);
        }
    free(d.vp);
    free(d.which);
    free(d.nvp);
    free(store);
    index_free(&x);
    grid_free(&g);
    if (t.name)
        tab_free(&t);
    free(v.lists);
    free(v.results);
    free(v.csv);
    free(v.grid_path);
    free(v.calib_path);
    free(v.staging);
    free(v.reflog);
    return rc;
}
