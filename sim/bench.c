/* `gilsim bench` (see bench.h). Every measurement runs in a forked child of this process: each
 * gets a fresh SimGrid engine and its own peak RSS (wait4), and a run is timed from the call of
 * gilsim run's code to its return (simgrid_init, the simulation, the oracle, the CSV write),
 * without the process start a sweep no longer pays (its runs are forks too). Rates are per
 * CPU-second of the child, which is what a wall-second is on an idle machine; wall times are
 * shown beside them, with the load average at the start and the end. */
#define _DEFAULT_SOURCE
#include "bench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "messages.h"
#include "results_rows.h"
#include "rt_simgrid.h"
#include "status.h"

/* The most threads a run may have (workloads/params.c), for the largest run of the per-event target. */
#define BENCH_MOST_THREADS "100000"

static int (*runner)(int argc, char **argv);

void bench_set_runner(int (*run)(int argc, char **argv)) { runner = run; }

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU seconds used by this process and its waited-for children: on a machine other work also
 * uses, what the wall time would be on an idle one (for a run in one process). */
static double cpu_now(void)
{
    struct rusage a, b;
    getrusage(RUSAGE_SELF, &a);
    getrusage(RUSAGE_CHILDREN, &b);
    return (double)(a.ru_utime.tv_sec + a.ru_stime.tv_sec + b.ru_utime.tv_sec +
                    b.ru_stime.tv_sec) +
           (double)(a.ru_utime.tv_usec + a.ru_stime.tv_usec + b.ru_utime.tv_usec +
                    b.ru_stime.tv_usec) * 1e-6;
}

/* What a child measured. */
struct measure {
    double wall_s;                /* the timed call */
    double cpu_s;                 /* its CPU time (cpu_now) */
    double value;                 /* a floor's ns per call */
    unsigned long long simcalls[RT_SIM_CALL_KINDS + 1]; /* rt_sim_calls() of the run, by kind
                                                           and in all */
    int rc;                       /* the timed call's exit status */
};

/* Runs fn(arg, m) in a forked child and collects m and the child's peak RSS (KiB). Returns 0,
 * or -1 if the child died or said nothing. */
static int in_child(void (*fn)(const void *arg, struct measure *m), const void *arg,
                    struct measure *m, long *rss_kib)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        close(fd[0]);
        struct measure x = { 0 };
        fn(arg, &x);
        fflush(NULL);
        _exit(write(fd[1], &x, sizeof x) == (ssize_t)sizeof x ? 0 : 1);
    }
    close(fd[1]);
    ssize_t got = 0, n;
    while (got < (ssize_t)sizeof *m &&
           ((n = read(fd[0], (char *)m + got, sizeof *m - (size_t)got)) > 0 || errno == EINTR))
        got += n > 0 ? n : 0;
    close(fd[0]);
    int st;
    struct rusage ru;
    while (wait4(pid, &st, 0, &ru) < 0)
        if (errno != EINTR)
            return -1;
    *rss_kib = ru.ru_maxrss;
    return got == (ssize_t)sizeof *m && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* A floor: which, how many actors, calls each. */
struct floor_arg {
    enum bench_floor kind;
    int actors;
    long calls;
};

static void floor_child(const void *arg, struct measure *m)
{
    const struct floor_arg *f = arg;
    double t0 = now(), c0 = cpu_now();
    m->value = bench_floor_ns(f->kind, f->actors, f->calls);
    m->cpu_s = cpu_now() - c0;
    m->wall_s = now() - t0;
}

/* A run: gilsim run's arguments (space-separated) and the CSV it writes. */
struct run_arg {
    const char *args;
    const char *csv;
};

static void run_child(const void *arg, struct measure *m)
{
    const struct run_arg *r = arg;
    char *text = strdup(r->args);
    static char run_word[] = "run", o_word[] = "-o";
    char *argv[64];
    int argc = 0;
    argv[argc++] = run_word;
    for (char *s = text ? strtok(text, " ") : NULL; s && argc < 60; s = strtok(NULL, " "))
        argv[argc++] = s;
    argv[argc++] = o_word;
    argv[argc++] = (char *)r->csv;
    argv[argc] = NULL;
    if (messages_silence() != 0)
        return;
    double t0 = now(), c0 = cpu_now();
    m->rc = text ? runner(argc, argv) : GS_FAILED;
    m->cpu_s = cpu_now() - c0;
    m->wall_s = now() - t0;
    for (int k = 0; k <= RT_SIM_CALL_KINDS; k++)
        m->simcalls[k] = rt_sim_calls((enum rt_sim_call)k);
    free(text);
}

/* The cells of a run's one-row CSV the table shows. */
struct run_row {
    double ops, delegations;
    char check[16];
};

static int read_row(const char *csv, struct run_row *out)
{
    struct rows r;
    char err[512];
    if (rows_load(csv, &r, err, sizeof err) != 0)
        return -1;
    char **cell = r.n == 1 ? rows_cells(&r) : NULL;
    int rc = cell ? 0 : -1;
    memset(out, 0, sizeof *out);
    for (size_t c = 0; cell && c < r.ncols; c++) {
        const char *name = cell[c], *v = cell[r.ncols + c];
        if (strcmp(name, "ops_done") == 0)
            out->ops = rows_num(v);
        else if (strcmp(name, "delegations") == 0)
            out->delegations = rows_num(v);
        else if (strcmp(name, "check") == 0)
            snprintf(out->check, sizeof out->check, "%s", v);
    }
    free(cell);
    rows_free(&r);
    return rc;
}

/* One line of the machine's description: CPU model, cores, kernel, load. */
static void describe_machine(void)
{
    char model[256] = "?", line[512];
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "model name", 10) == 0) {
            const char *c = strchr(line, ':');
            snprintf(model, sizeof model, "%.200s", c ? c + 2 : line);
            model[strcspn(model, "\n")] = '\0';
            break;
        }
    if (f)
        fclose(f);
    struct utsname u;
    double load[3] = { 0, 0, 0 };
    getloadavg(load, 3);
    printf("Machine: %s, %ld online CPUs, %s %s; load average at the start %.2f (1 min).\n\n",
           model, sysconf(_SC_NPROCESSORS_ONLN), uname(&u) == 0 ? u.sysname : "?",
           uname(&u) == 0 ? u.release : "", load[0]);
}

static void row(const char *target, const char *point, const char *measured, const char *goal)
{
    printf("| %s | %s | %s | %s |\n", target, point, measured, goal);
    fflush(stdout);
}

/* Scale of one table: quick (a smoke test), default, full (adds the largest points). */
enum bench_size { BENCH_QUICK, BENCH_DEFAULT, BENCH_FULL };

static void floors(enum bench_size size)
{
    static const struct {
        enum bench_floor kind;
        const char *what;
    } f[] = { { BENCH_FLOOR_YIELD, "sg_actor_yield(): one simcall, two context switches" },
              { BENCH_FLOOR_EXECUTE, "sg_actor_execute(1000 flops): simcall, activity, solve" },
              { BENCH_FLOOR_TIMER, "a 1 us wait as gilsim waits: suspend, a kernel timer resumes" } };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        struct floor_arg a = { f[i].kind, 16, size == BENCH_QUICK ? 1000 : 100000 };
        struct measure m;
        long rss;
        char point[256], measured[128];
        snprintf(point, sizeof point, "SimGrid floor: %s, %d actors on %d cores", f[i].what,
                 a.actors, a.actors);
        /* The engine's set-up is a small part of the CPU time at these call counts. */
        if (in_child(floor_child, &a, &m, &rss) == 0)
            snprintf(measured, sizeof measured, "%.0f CPU-ns per call (%.0f wall-ns)",
                     m.cpu_s * 1e9 / ((double)a.actors * (double)a.calls), m.value);
        else
            snprintf(measured, sizeof measured, "failed");
        row("floor", point, measured, "-");
    }
}

/* Runs one point; returns 0 and fills the measurements, or -1 (a row says why). */
static int run_point(const char *target, const char *args, const char *csv, struct measure *m,
                     struct run_row *rr, long *rss)
{
    struct run_arg a = { args, csv };
    unlink(csv);
    if (in_child(run_child, &a, m, rss) != 0 || read_row(csv, rr) != 0) {
        char point[600];
        snprintf(point, sizeof point, "`%.500s`", args);
        row(target, point, "failed (no row)", "-");
        unlink(csv);
        return -1;
    }
    unlink(csv);
    return 0;
}

/* The simcall point: 16 threads on 16 cores, every opcode an access, sharing 10%, default
 * costs; N = 100 (the target's) and N = 1. */
static void simcall_args(char *args, size_t len, enum bench_size size, const char *n)
{
    snprintf(args, len,
             "--scheme=delegate --threads=16 --cores=16 --ops=%s --N=%s --access=1 --alloc=0 "
             "--sharing=0.1",
             size == BENCH_QUICK ? "2000" : "100000", n);
}

/* The delegation point: simcalls per delegation by kind, delegations per second. */
static void delegation_point(enum bench_size size, const char *csv)
{
    static const char *const ns[] = { "100", "1" };
    for (int k = 0; k < 2; k++) {
        char args[512], point[600], measured[640];
        simcall_args(args, sizeof args, size, ns[k]);
        struct measure m;
        struct run_row rr;
        long rss;
        if (run_point("simcalls", args, csv, &m, &rr, &rss) != 0)
            continue;
        double d = rr.delegations > 0 ? rr.delegations : 1;
        const unsigned long long *c = m.simcalls;
        snprintf(point, sizeof point, "`%.500s`", args);
        snprintf(measured, sizeof measured,
                 "%.1f simcalls per delegation (execute %.1f, work %.1f, interrupt %.1f, sleep "
                 "%.1f, mutex and cond %.1f; %.0f delegations, check %s)",
                 (double)c[RT_SIM_CALL_KINDS] / d, (double)c[RT_SIM_EXECUTE] / d,
                 (double)c[RT_SIM_WORK] / d, (double)c[RT_SIM_INTERRUPT] / d,
                 (double)c[RT_SIM_SLEEP] / d, (double)c[RT_SIM_SYNC] / d, rr.delegations,
                 rr.check);
        row("simcalls", point, measured, k == 0 ? "<= 6" : "-");
        snprintf(measured, sizeof measured,
                 "%.0f delegations per wall-s (%.2f wall-s; per CPU-s %.0f, %.0f CPU-ns per "
                 "delegation)",
                 rr.delegations / m.wall_s, m.wall_s, rr.delegations / m.cpu_s,
                 m.cpu_s * 1e9 / d);
        row("delegations", point, measured, k == 0 ? ">= 250,000" : "-");
    }
}

/* The SimPy comparison points: wall seconds of one run, against a SimPy model of the same scheme
 * measured once on a quiet machine (those numbers are the target, not measured here). */
static void simpy_points(enum bench_size size, const char *csv)
{
    static const struct {
        const char *sharing, *n;
        double simpy_s;
    } pts[] = { { "0.05", "1", 2.40 },   { "0.05", "100", 0.58 }, { "0.05", "1000", 0.79 },
                { "0.001", "1", 2.01 },  { "0.001", "100", 0.17 }, { "0.001", "1000", 0.15 } };
    for (size_t i = 0; i < sizeof pts / sizeof *pts; i++) {
        char args[512], point[600], measured[256], target[128];
        snprintf(args, sizeof args,
                 "--scheme=delegate --threads=16 --cores=16 --ops=%s --access=1 --alloc=0 "
                 "--wait=block --op_ns=10 --wake_ns=1000 --check_ns=0 --handler_ns=0 "
                 "--push_ns=0 --pop_ns=0 --poll_ns=0 --signal_ns=0 --handoff_ns=0 --seed=1 "
                 "--sharing=%s --N=%s",
                 size == BENCH_QUICK ? "2000" : "100000", pts[i].sharing, pts[i].n);
        struct measure m;
        struct run_row rr;
        long rss;
        if (run_point("simpy", args, csv, &m, &rr, &rss) != 0)
            continue;
        snprintf(point, sizeof point, "`%.500s`", args);
        snprintf(measured, sizeof measured,
                 "%.3f wall-s, %.3f CPU-s (%.0f delegations, check %s)", m.wall_s, m.cpu_s,
                 rr.delegations, rr.check);
        snprintf(target, sizeof target, "< %.2f s (SimPy%s)", size == BENCH_QUICK ? 0 : pts[i].simpy_s,
                 strcmp(pts[i].sharing, "0.05") == 0 ? "; 3x faster at 5%" : "");
        row("simpy", point, measured, size == BENCH_QUICK ? "- (quick)" : target);
    }
}

/* Simulated ops per wall-second, 16 threads x 2x10^6 ops at sharing 0.1%. */
static void ops_rate(enum bench_size size, const char *csv)
{
    const char *ops = size == BENCH_QUICK ? "20000" : "2000000";
    for (int k = 0; k < 2; k++) {
        char args[512], point[600], measured[256];
        snprintf(args, sizeof args,
                 "--scheme=delegate --threads=16 --cores=16 --ops=%s --N=%s --sharing=0.001", ops,
                 k ? "1000" : "1");
        struct measure m;
        struct run_row rr;
        long rss;
        if (run_point("ops", args, csv, &m, &rr, &rss) != 0)
            continue;
        snprintf(point, sizeof point, "`%.500s`", args);
        snprintf(measured, sizeof measured,
                 "%.1f M ops per wall-s (%.0f ops in %.2f wall-s, %.2f CPU-s: %.1f M per CPU-s; "
                 "peak RSS %.0f MiB; check %s)",
                 rr.ops / m.wall_s * 1e-6, rr.ops, m.wall_s, m.cpu_s, rr.ops / m.cpu_s * 1e-6,
                 rss / 1024.0, rr.check);
        row("ops", point, measured, ">= 60 M");
    }
}

/* CPU time per event (simcall) at 16 and 4096 threads (delegate, sharing 1%, cores =
 * threads / 4), and their ratio; --full adds the largest run the thread limit allows. */
static void per_event(enum bench_size size, const char *csv)
{
    static const int quick[] = { 16, 256 }, def[] = { 16, 4096 };
    const int *t = size == BENCH_QUICK ? quick : def;
    const char *ops = size == BENCH_QUICK ? "1000" : "10000";
    double per_event[2] = { 0, 0 };
    for (int k = 0; k < 2; k++) {
        char args[512], point[600], measured[256];
        snprintf(args, sizeof args,
                 "--scheme=delegate --threads=%d --cores=%d --ops=%s --sharing=0.01", t[k],
                 t[k] / 4, ops);
        struct measure m;
        struct run_row rr;
        long rss;
        if (run_point("per-event", args, csv, &m, &rr, &rss) != 0)
            continue;
        double ev = (double)m.simcalls[RT_SIM_CALL_KINDS];
        per_event[k] = m.cpu_s * 1e9 / (ev > 0 ? ev : 1);
        snprintf(point, sizeof point, "`%.500s`", args);
        snprintf(measured, sizeof measured,
                 "%.0f CPU-ns per event (%.0f events, %.2f CPU-s, %.2f wall-s, peak RSS %.0f "
                 "MiB, check %s)",
                 per_event[k], ev, m.cpu_s, m.wall_s, rss / 1024.0, rr.check);
        row("per-event", point, measured, k ? "-" : "-");
    }
    if (per_event[0] > 0 && per_event[1] > 0) {
        char point[128], measured[128];
        snprintf(point, sizeof point, "CPU time per event, %d threads against %d", t[1], t[0]);
        snprintf(measured, sizeof measured, "%.2fx", per_event[1] / per_event[0]);
        row("per-event", point, measured, "<= 1.3x");
    }
    if (size != BENCH_FULL)
        return;
    char args[512], point[600], measured[256];
    snprintf(args, sizeof args,
             "--scheme=delegate --threads=%s --cores=4096 --ops=1000 --sharing=0.01",
             BENCH_MOST_THREADS);
    struct measure m;
    struct run_row rr;
    long rss;
    if (run_point("per-event", args, csv, &m, &rr, &rss) != 0)
        return;
    snprintf(point, sizeof point, "`%.500s`", args);
    snprintf(measured, sizeof measured, "%.0f wall-s, %.0f CPU-s, peak RSS %.2f GiB, check %s",
             m.wall_s, m.cpu_s, rss / 1048576.0, rr.check);
    row("per-event", point, measured, "<= 600 s, <= 16 GiB, check ok");
}

/* One point of the scale tables (`--scale`): delegate at sharing 1%. */
struct scale_point {
    int threads, cores;
    long long ops;
    int no_alloc; /* --alloc=0: nothing allocated, so a thread's memory must not grow with ops */
};

/* Prints the point's row: wall and CPU time, peak RSS and RSS per thread, and CPU time per
 * event (a simcall: every SimGrid call that the backend makes is one), per op and per
 * delegation. */
static void scale_row(const struct scale_point *sp, const char *csv)
{
    char args[512];
    snprintf(args, sizeof args,
             "--scheme=delegate --threads=%d --cores=%d --ops=%lld --sharing=0.01%s",
             sp->threads, sp->cores, sp->ops, sp->no_alloc ? " --alloc=0" : "");
    struct run_arg a = { args, csv };
    struct measure m;
    struct run_row rr;
    long rss;
    unlink(csv);
    if (in_child(run_child, &a, &m, &rss) != 0 || read_row(csv, &rr) != 0) {
        printf("| %d | %d | %lld | %s | failed (no row) |\n", sp->threads, sp->cores, sp->ops,
               sp->no_alloc ? "0" : "0.01");
        fflush(stdout);
        unlink(csv);
        return;
    }
    unlink(csv);
    double ev = (double)m.simcalls[RT_SIM_CALL_KINDS];
    ev = ev > 0 ? ev : 1;
    printf("| %d | %d | %lld | %s | %.2f | %.2f | %.0f | %.1f | %.0f | %.0f | %.0f | %.1f | %.0f | "
           "%.1f | %s |\n",
           sp->threads, sp->cores, sp->ops, sp->no_alloc ? "0" : "0.01", m.wall_s, m.cpu_s,
           rss / 1024.0, (double)rss / sp->threads, ev, m.cpu_s * 1e9 / ev, m.wall_s * 1e9 / ev,
           m.cpu_s * 1e9 / rr.ops, rr.delegations,
           rr.delegations > 0 ? m.cpu_s * 1e6 / rr.delegations : 0.0, rr.check);
    fflush(stdout);
}

/* Prints a table of the points up to the end mark ({0}), and past it up to the next one if
 * `more`. */
static void scale_table(const char *title, const struct scale_point *sp, const char *csv,
                        int more)
{
    printf("\n%s\n\n| threads | cores | ops/thread | alloc | wall s | CPU s | peak RSS MiB | "
           "RSS/thread KiB | events (simcalls) | CPU ns/event | wall ns/event | CPU ns/op | "
           "delegations | CPU us/delegation | check |\n"
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
           title);
    for (;; sp++) {
        if (!sp->threads && !more--)
            break;
        if (sp->threads)
            scale_row(sp, csv);
    }
}

/* `--scale`: time per event and memory per thread against threads, 10^4 ops each,
 * cores = threads / 4; --full adds 30,000 threads, the parameter's maximum, on 4096 cores, the
 * most allowed), and time and memory against ops per thread, with and without
 * allocations, at 2 threads and at 256; --full adds 10^8 ops per thread and 10^6 at 256). */
static void scale(enum bench_size size, const char *csv)
{
#define SP_END { 0, 0, 0, 0 }
    static const struct scale_point quick_threads[] = { { 2, 1, 1000, 0 }, { 16, 4, 1000, 0 },
                                                        { 64, 16, 1000, 0 }, SP_END };
    static const struct scale_point threads[] = {
        { 2, 1, 10000, 0 },    { 16, 4, 10000, 0 },     { 64, 16, 10000, 0 },
        { 256, 64, 10000, 0 }, { 1024, 256, 10000, 0 }, { 4096, 1024, 10000, 0 },
        SP_END,                { 30000, 4096, 10000, 0 }, SP_END
    };
    static const struct scale_point quick_ops[] = {
        { 2, 1, 1000, 0 },  { 2, 1, 10000, 0 },  { 2, 1, 1000, 1 }, { 2, 1, 10000, 1 },
        { 16, 4, 1000, 1 }, { 16, 4, 10000, 1 }, SP_END
    };
    static const struct scale_point ops[] = {
        { 2, 1, 100000, 0 },   { 2, 1, 1000000, 0 },   { 2, 1, 10000000, 0 },
        { 2, 1, 100000, 1 },   { 2, 1, 1000000, 1 },   { 2, 1, 10000000, 1 },
        { 256, 64, 10000, 1 }, { 256, 64, 100000, 1 }, SP_END,
        { 2, 1, 100000000, 0 }, { 2, 1, 100000000, 1 }, { 256, 64, 1000000, 1 }, SP_END
    };
#undef SP_END
    /* The default size ends at the first end mark; --full goes on to the second. */
    const char *t = "Against threads (delegate, sharing 1%, cores = threads / 4)";
    const char *o = "Against ops per thread (delegate, sharing 1%)";
    if (size == BENCH_QUICK) {
        scale_table(t, quick_threads, csv, 0);
        scale_table(o, quick_ops, csv, 0);
    } else {
        scale_table(t, threads, csv, size == BENCH_FULL);
        scale_table(o, ops, csv, size == BENCH_FULL);
    }
}

int bench_main(int argc, char **argv)
{
    enum bench_size size = BENCH_DEFAULT;
    int scale_only = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            size = BENCH_QUICK;
        else if (strcmp(argv[i], "--full") == 0)
            size = BENCH_FULL;
        else if (strcmp(argv[i], "--scale") == 0)
            scale_only = 1;
        else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            printf("usage: gilsim bench [--scale] [--quick | --full]\n"
                   "Measures SimGrid's floor and gilsim's speed here; prints one Markdown table "
                   "(docs/performance.md): simcalls per delegation, delegations per second and "
                   "the SimPy comparison points, simulated ops per second, CPU time per event "
                   "against threads.\n--quick: tiny points (a smoke test); --full: adds the "
                   "largest run the thread limit allows.\n--scale: instead, the scale tables: time per "
                   "event and memory against threads and against ops (--full adds 30,000 "
                   "threads and 10^8 ops per thread).\n");
            return GS_OK;
        } else {
            fprintf(stderr, "gilsim: bench: unexpected argument '%s' (allowed: --quick, --full, "
                    "--scale)\n", argv[i]);
            return GS_USAGE;
        }
    }
    if (!runner) {
        fprintf(stderr, "gilsim: bench: no run command (internal error)\n");
        return GS_FAILED;
    }
    const char *dir = getenv("TMPDIR");
    char tmp[4096], csv[4200];
    snprintf(tmp, sizeof tmp, "%s/gilsim-bench.XXXXXX", dir && *dir ? dir : "/tmp");
    if (!mkdtemp(tmp)) {
        fprintf(stderr, "gilsim: bench: cannot make a temporary directory %s: %s\n", tmp,
                strerror(errno));
        return GS_FAILED;
    }
    snprintf(csv, sizeof csv, "%s/row.csv", tmp);
    describe_machine();
    double t0 = now();
    if (scale_only) {
        scale(size, csv);
    } else {
        printf("| target | point | measured | goal |\n|---|---|---|---|\n");
        floors(size);
        delegation_point(size, csv);
        simpy_points(size, csv);
        ops_rate(size, csv);
        per_event(size, csv);
    }
    rmdir(tmp);
    double load[3] = { 0, 0, 0 };
    getloadavg(load, 3);
    printf("\nTotal %.0f s; load average at the end %.2f (1 min).\n", now() - t0, load[0]);
    return GS_OK;
}
