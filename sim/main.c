/* The gilsim command: dispatches to its subcommands (the table `commands` below, listed by
 * usage(); calibrate and validate come from validate/ through the build's program_parts.inc) and implements the small ones here: `run` (one point, simulated or native, as one
 * CSV row), `list` (the schemes), `params` (the parameter table), `columns` (the CSV columns).
 * Exit status: 0 ok, 1 the run could not be carried out, 2 bad input (nothing written),
 * 3 deadlock, 4 check FAIL. */
#define _POSIX_C_SOURCE 200809L
#include <simgrid/engine.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "bench.h"
#include "signals.h"
#include "calibration.h"
#include "cli_args.h"
#include "mem_estimate.h"
#include "merge.h"
#include "messages.h"
#include "params.h"
#include "plot.h"
#include "report.h"
#include "results.h"
#include "review_cmd.h"
#include "run_sim.h"
#include "scheme.h"
#include "simgrid_args.h"
#include "status.h"
#include "summarize.h"
#include "sweep.h"
#include "trace.h"
#include "wake_model.h"
/* The backends and commands the build adds from other folders (CMakeLists.txt writes both
 * files): their headers here, their lines in the tables below (BACKEND, COMMAND). */
#include "program_parts.h"
#define BACKEND(name, check, run, simgrid)
#define COMMAND(name, fn, use)


static void usage(FILE *out)
{
    fprintf(out,
            "usage: gilsim run [--PARAM=VALUE ...] [-o FILE] [--timeline=FILE]\n"
            "                  [--record-trace=FILE] [--calibration=calib.ini]\n"
            "                  [--cfg=ITEM:VALUE] [--log=...]\n"
            "       gilsim sweep SPEC.ini | --PARAM=LIST ... [--reps=R] [-j J] -o FILE\n"
            "                                   many runs, resumable (gilsim sweep --help)\n"
            "       gilsim merge A.csv B.csv ... -o OUT.csv   results CSVs, each point once\n"
            "       gilsim summarize FILE [-o OUT.csv]        mean, sd, 95%% CI across reps\n"
            "       gilsim plot FILE --x=COL --y=COL [--by=COL] ... -o FIG.png|svg|pdf\n"
            "                                   one figure (gilsim plot --help; --timeline=)\n"
            "       gilsim report FILE -o DIR   the design-review figures + DIR/index.html\n"
            "       gilsim review [SPEC] -o DIR the verdict: runs a review, DIR/index.html (--help)\n"
            "       gilsim list                 the schemes, one line each\n"
            "       gilsim params [--markdown]  the parameter table\n"
            "       gilsim columns              the CSV columns (Markdown)\n");
#undef COMMAND
#define COMMAND(name, fn, use) fprintf(out, "       gilsim %s\n", use);
#include "program_parts.inc"
#undef COMMAND
#define COMMAND(name, fn, use)
    fprintf(out,
            "       gilsim bench [--quick|--full] the speed benchmark (docs/performance.md)\n"
            "\n"
            "gilsim run simulates one point on SimGrid (or, with --backend=native, runs it on real\n"
            "threads) and writes a CSV header and one row\n"
            "(to FILE, or standard output). --cfg= and --log= go to SimGrid. --timeline=FILE\n"
            "records each thread's states (running, waiting, draining, gil-wait, io) as CSV.\n"
            "Exit status: 0 ok, 1 run failed, 2 bad input, 3 deadlock, 4 check FAIL.\n");
}

static int list_schemes(void)
{
    for (size_t i = 0; scheme_at(i); i++)
        printf("%-16s %s\n", scheme_at(i)->name, scheme_at(i)->summary);
    return 0;
}

struct run_row {
    const struct params *p;
    const struct metrics *m;
};

static int fill_csv(FILE *f, void *arg)
{
    const struct run_row *row = arg;
    results_write_header(f);
    results_write_row(f, row->p, row->m);
    return 0;
}

/* Writes a run's CSV header and row to the -o file opened by open_run_files (standard output
 * if none) and closes it; the run's exit status. */
static int write_row(struct out_file *o, const struct params *p, const struct metrics *m)
{
    char err[1024];
    struct run_row row = { p, m };
    /* Its temporary exists only while termination signals are held: a run stopped then (a
     * sweep stopping its runs) leaves no temporary behind; the signal lands after. */
    sigset_t old;
    interrupt_hold(&old);
    int wrote = out_file_write(o, fill_csv, &row, err, sizeof err);
    out_file_close(o);
    interrupt_unhold(&old);
    if (wrote != 0) {
        fprintf(stderr, "gilsim: -o: %s\n", err);
        return GS_FAILED;
    }
    return m->deadlock ? GS_DEADLOCK : !m->check_ok ? GS_CHECK : 0;
}

static int fill_trace(FILE *f, void *arg) { return wl_trace_write(f, arg); }

/* The files of a run (docs/files.md): --record-trace is refused with --trace (what would be
 * recorded is the trace itself), no output may be the trace or another output, and each must
 * be a file gilsim may write; -o is opened (locked) into *o for the final write. 0, or the
 * exit status after a one-line error. */
static int open_run_files(const struct params *p, const char *out, const char *timeline,
                          const char *record, struct out_file *o)
{
    const char *opt[] = { "-o", "--timeline", "--record-trace" };
    const char *path[] = { out, timeline, record };
    char err[1024];
    if (record && p->trace[0]) {
        fprintf(stderr, "gilsim: --record-trace: not with --trace (the replayed trace is "
                "already a file: copy it)\n");
        return GS_USAGE;
    }
    for (int i = 0; i < 3; i++) {
        if (i > 0 && !path[i])
            continue;
        if (p->trace[0] && out_file_same(path[i], p->trace)) {
            fprintf(stderr, "gilsim: %s: '%s' is the --trace input (allowed: another file)\n",
                    opt[i], path[i] ? path[i] : "-");
            return GS_USAGE;
        }
        for (int j = 0; j < i; j++)
            if (path[i] && out_file_same(path[i], path[j])) {
                fprintf(stderr, "gilsim: %s: '%s' is also the %s output (allowed: one file per "
                        "output)\n", opt[i], path[i], opt[j]);
                return GS_USAGE;
            }
        struct out_file f;
        int rc = out_file_open(i == 0 ? o : &f, path[i], err, sizeof err);
        if (rc != 0) {
            if (i > 0)
                out_file_close(o);
            fprintf(stderr, "gilsim: %s: %s\n", opt[i], err);
            return rc == -2 ? GS_USAGE : GS_FAILED;
        }
        if (i > 0)
            out_file_close(&f);
    }
    return 0;
}


/* The options of `gilsim run` that are not parameters. Each is given at most once, as
 * `FLAG=VALUE` or, for -o, as `-o VALUE`; --calibration is read before the others (its values
 * are defaults the parameters given override). */
struct run_opts {
    const char *out, *timeline, *record, *calib;
};
static const struct run_option {
    const char *prefix; /* the argument starts with it; "-o" takes the next argument */
    const char *name;   /* as errors name it */
    size_t field;       /* offsetof(struct run_opts, ...) */
} run_options[] = {
    { "-o", "-o", offsetof(struct run_opts, out) },
    { "--output=", "-o", offsetof(struct run_opts, out) },
    { "--timeline=", "--timeline", offsetof(struct run_opts, timeline) },
    { "--record-trace=", "--record-trace", offsetof(struct run_opts, record) },
    { "--calibration=", "--calibration", offsetof(struct run_opts, calib) },
};

/* Everything one `gilsim run` holds until its single cleanup. */
struct run_state {
    struct params p;
    struct run_opts o;
    char **sg_argv; /* argv[0], room for gilsim's SimGrid defaults, then the user's --cfg/--log */
    int sg_argc;
    struct out_file out;
    int out_open;
    char err[1024];
};

/* The backends a run may use (parameter `backend`), by name: the first is the default, the
 * simulator (every other runs real threads: params_real_threads). Each checks what it cannot
 * run before anything starts (NULL: everything) and runs one point. */
static const struct backend {
    const char *name;
    int (*check)(const struct params *p, char *err, size_t errlen);
    int (*run)(const struct params *p, struct metrics *m, const char *timeline, FILE *diag,
               char *err, size_t errlen);
    int simgrid; /* takes SimGrid's --cfg/--log and starts SimGrid first */
} backends[] = {
    { "sim", NULL, sim_run, 1 },
#undef BACKEND
#define BACKEND(name, check, run, simgrid) { #name, check, run, simgrid },
#include "program_parts.inc"
#undef BACKEND
#define BACKEND(name, check, run, simgrid)
};

static const char *backend_name_at(size_t i)
{
    return i < sizeof backends / sizeof backends[0] ? backends[i].name : NULL;
}

/* The backend p names (its index in the table above: the parameter table admits no other). */
static const struct backend *backend_of(const struct params *p) { return &backends[p->backend]; }

/* Sentinel of the steps below: go on (any other value is the command's exit status). */
#define RUN_GO (-1)

/* Prints "gilsim: " + the message and returns status. */
static int run_fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gilsim: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return status;
}

/* Reads the arguments into s: parameters, the options above, SimGrid's --cfg/--log. */
static int run_parse(struct run_state *s, int argc, char **argv)
{
    struct params_given given = { 0 };
    params_defaults(&s->p);
    if (calib_from_args(argc, argv, &s->p, &s->o.calib, s->err, sizeof s->err) != 0)
        return run_fail(GS_USAGE, "--calibration: %s", s->err);
    s->sg_argv = calloc((size_t)argc + 6, sizeof *s->sg_argv);
    if (!s->sg_argv)
        return run_fail(GS_FAILED, "out of memory");
    s->sg_argv[s->sg_argc++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const struct run_option *opt = NULL;
        for (size_t k = 0; k < sizeof run_options / sizeof run_options[0] && !opt; k++)
            if (strcmp(run_options[k].prefix, "-o") == 0 ? strcmp(a, "-o") == 0
                : strncmp(a, run_options[k].prefix, strlen(run_options[k].prefix)) == 0)
                opt = &run_options[k];
        if (opt) {
            int separate = !strchr(opt->prefix, '='); /* -o FILE */
            if (separate && i + 1 >= argc)
                return run_fail(GS_USAGE, "%s: missing file name", opt->name);
            const char *v = separate ? argv[++i] : a + strlen(opt->prefix);
            if (opt->field == offsetof(struct run_opts, calib))
                continue; /* read above */
            const char **slot = (const char **)((char *)&s->o + opt->field);
            if (cli_once(slot, v, opt->name, s->err, sizeof s->err) != 0)
                return run_fail(GS_USAGE, "run: %s", s->err);
        } else if (simgrid_arg_is(a)) {
            if (strncmp(a, "--help", 6) != 0 &&
                simgrid_arg_check(argv[0], a, s->err, sizeof s->err) != 0)
                return run_fail(GS_USAGE, "%s", s->err);
            s->sg_argv[s->sg_argc++] = argv[i];
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            params_print_help(stdout);
            return 0;
        } else if (strcmp(a, "--scheme=help") == 0) {
            return list_schemes();
        } else if (strncmp(a, "--", 2) == 0 && strchr(a, '=')) {
            char name[128];
            const char *eq = strchr(a, '=');
            snprintf(name, sizeof name, "%.*s", (int)(eq - a - 2), a + 2);
            if (params_set_once(&s->p, &given, name, eq + 1, a, s->err, sizeof s->err) != 0)
                return run_fail(GS_USAGE, "%s", s->err);
        } else {
            return run_fail(GS_USAGE, "run: unexpected argument '%s'%s", a,
                            strncmp(a, "--", 2) == 0 ? " (parameters are --NAME=VALUE)" : "");
        }
    }
    if (params_check_given(&s->p, params_given_has(&given, "threads"), s->err, sizeof s->err))
        return run_fail(GS_USAGE, "%s", s->err);
    return RUN_GO;
}

/* Checks what the run will read (backend, trace, memory, wake-up samples) and opens its
 * outputs, before anything runs. */
static int run_prepare(struct run_state *s)
{
    struct params *p = &s->p;
    const struct backend *b = backend_of(p);
    if (b->check && b->check(p, s->err, sizeof s->err))
        return run_fail(GS_USAGE, "%s", s->err);
    if (!b->simgrid && s->sg_argc > 1)
        return run_fail(GS_USAGE, "%s: SimGrid options need backend=sim (this run is %s)",
                        s->sg_argv[1], b->name);
    scheme_resolve_params(p);
    struct wl_trace tr;
    if (p->trace[0]) {
        /* A trace is input: check it now (exit 2 on error); its longest thread sets ops. */
        if (wl_trace_load(p->trace, p, &tr, s->err, sizeof s->err) != 0)
            return run_fail(GS_USAGE, "%s", s->err);
        p->ops = (int64_t)wl_trace_max_ops(&tr);
    }
    int fits = mem_check(p, p->trace[0] ? &tr : NULL, s->err, sizeof s->err);
    if (p->trace[0])
        wl_trace_free(&tr);
    if (fits != 0)
        return run_fail(GS_USAGE, "run: %s", s->err);
    if (p->wake_samples[0]) {
        /* Input too: check it now (exit 2 on error); each run reads it again. */
        double *samples;
        size_t n;
        if (wake_samples_load(p->wake_samples, &samples, &n, s->err, sizeof s->err) != 0)
            return run_fail(GS_USAGE, "%s", s->err);
        free(samples);
    }
    int bad = open_run_files(p, s->o.out, s->o.timeline, s->o.record, &s->out);
    if (bad)
        return bad;
    s->out_open = 1;
    if (s->o.record && atomic_file_write(s->o.record, fill_trace, p, s->err, sizeof s->err) != 0)
        return run_fail(GS_FAILED, "--record-trace: %s", s->err);
    return RUN_GO;
}

/* gilsim's SimGrid defaults, before the user's --cfg (which win): a timing precision far below
 * our ns-scale costs (the default 1 ns flips races between events a few ns apart), and for many
 * actors small stacks (docs/design.md, SimGrid facts) with a one-page guard: a guarded stack is
 * allocated without being zeroed, so only the pages an actor uses count in RSS (an unguarded
 * one is calloc'ed: all 128 KiB), and an overflow faults instead of corrupting the heap. Two
 * maps per actor: 30,000 threads stay under the kernel's 65,530. Beyond that, 64 KiB stacks
 * without a guard (calloc'ed from the heap: one map in all, all of it in RSS: 6.4 GiB at
 * 100,000 threads; the deepest actor stack gilsim makes runs with a guard at 64 KiB at 30,000
 * threads). */
static void simgrid_start(struct run_state *s)
{
    static char quiet[] = "--log=xbt_cfg.thres:warning";
    static char precision[] = "--cfg=surf/precision:1e-15";
    static char guard[] = "--cfg=contexts/guard-size:1";
    static char stack[] = "--cfg=contexts/stack-size:128";
    static char no_guard[] = "--cfg=contexts/guard-size:0";
    static char small_stack[] = "--cfg=contexts/stack-size:64";
    char *defaults[] = { quiet, precision, guard, stack };
    if (s->p.threads > 30000) {
        defaults[2] = no_guard;
        defaults[3] = small_stack;
    }
    int ndefaults = s->p.threads > 1000 ? 4 : 2;
    memmove(s->sg_argv + 1 + ndefaults, s->sg_argv + 1,
            (size_t)(s->sg_argc - 1) * sizeof *s->sg_argv);
    for (int i = 0; i < ndefaults; i++)
        s->sg_argv[1 + i] = defaults[i];
    s->sg_argc += ndefaults;
    simgrid_init(&s->sg_argc, s->sg_argv);
}

/* Runs the point on its backend and writes its row. */
static int run_execute(struct run_state *s)
{
    struct metrics m;
    const struct backend *b = backend_of(&s->p);
    if (b->simgrid)
        simgrid_start(s);
    if (b->run(&s->p, &m, s->o.timeline, stderr, s->err, sizeof s->err) != 0)
        return run_fail(GS_FAILED, "run: %s", s->err);
    if (m.makespan_s <= 0 && !m.deadlock)
        return run_fail(GS_USAGE, "run: every op cost 0 ns: the makespan is 0 and throughput "
                        "undefined (allowed: some cost > 0, e.g. --op_ns=25); nothing written");
    s->out_open = 0; /* write_row closes it */
    return write_row(&s->out, &s->p, &m);
}

static int cmd_run(int argc, char **argv)
{
    struct run_state *s = calloc(1, sizeof *s);
    if (!s)
        return run_fail(GS_FAILED, "out of memory");
    int rc = run_parse(s, argc, argv);
    if (rc == RUN_GO)
        rc = run_prepare(s);
    if (rc == RUN_GO)
        rc = run_execute(s);
    if (s->out_open)
        out_file_close(&s->out);
    free(s->sg_argv);
    free(s);
    return rc;
}

static int cmd_list(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return list_schemes();
}

static int cmd_params(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--markdown") == 0)
        params_print_markdown(stdout);
    else
        params_print_help(stdout);
    return 0;
}

static int cmd_columns(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    results_print_markdown(stdout);
    return 0;
}

/* The commands, in the order usage lists them; each gets argv from its own name on. */
static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
} commands[] = {
    { "run", cmd_run },         { "sweep", sweep_main },   { "merge", merge_main },
    { "summarize", summarize_main }, { "plot", plot_main }, { "report", report_main },
    { "list", cmd_list },       { "params", cmd_params },  { "columns", cmd_columns },
#undef COMMAND
#define COMMAND(name, fn, use) { #name, fn },
#include "program_parts.inc"
#undef COMMAND
#define COMMAND(name, fn, use)
    { "bench", bench_main },     { "review", review_main },
};

static const char *command_at(size_t i)
{
    return i < sizeof commands / sizeof commands[0] ? commands[i].name : NULL;
}

int main(int argc, char **argv)
{
    messages_escape_stderr();
    signal(SIGXFSZ, SIG_IGN); /* a file size limit is a write error (EFBIG), reported */
    schemes_register();
    params_set_backend_names(backend_name_at);
    report_set_baseline(scheme_baseline());
    sweep_set_runner(cmd_run);
    bench_set_runner(cmd_run);
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return stdout_finish(argc < 2 ? GS_USAGE : GS_OK);
    }
    for (size_t i = 0; command_at(i); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return stdout_finish(commands[i].fn(argc - 1, argv + 1));
    char list[256];
    size_t used = 0;
    for (size_t i = 0; command_at(i) && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                 command_at(i));
    const char *near = nearest_name(argv[1], command_at);
    if (near)
        fprintf(stderr, "gilsim: '%s' is not a command (did you mean '%s'? commands: %s)\n",
                argv[1], near, list);
    else
        fprintf(stderr, "gilsim: '%s' is not a command (commands: %s)\n", argv[1], list);
    return GS_USAGE;
}
