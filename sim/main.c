/* The gilsim command: `gilsim run` simulates one point and writes its CSV row, `gilsim list`
 * shows the schemes, `gilsim params` prints the parameter table. Exit status: 0 ok, 1 the run
 * could not be carried out, 2 bad input (nothing written), 3 deadlock, 4 check FAIL. */
#define _POSIX_C_SOURCE 200809L
#include <simgrid/engine.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "bench.h"
#include "calibrate.h"
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
#include "run_native.h"
#include "run_sim.h"
#include "scheme.h"
#include "simgrid_args.h"
#include "status.h"
#include "summarize.h"
#include "sweep.h"
#include "trace.h"
#include "validate.h"
#include "wake_model.h"


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
            "       gilsim columns              the CSV columns (Markdown)\n"
            "       gilsim calibrate -o calib.ini   measure this machine's costs (--help)\n"
            "       gilsim validate [SPEC] -o DIR   native against simulated runs (--help)\n"
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


static int cmd_run(int argc, char **argv)
{
    struct params p;
    params_defaults(&p);
    const char *out = NULL, *timeline = NULL, *record = NULL, *calib = NULL;
    int threads_given = 0;
    char err[1024];
    /* A calibration file gives defaults; the flags below still win. */
    if (calib_from_args(argc, argv, &p, &calib, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: --calibration: %s\n", err);
        return GS_USAGE;
    }
    /* Our arguments first, so bad input fails before anything starts; SimGrid's are kept. */
    char **sg_argv = calloc((size_t)argc + 6, sizeof *sg_argv);
    int sg_argc = 0;
    if (!sg_argv)
        return GS_FAILED;
    const char *given[256] = { 0 }; /* the argument that set each parameter (param_count < 256) */
    sg_argv[sg_argc++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (simgrid_arg_is(a)) {
            if (strncmp(a, "--help", 6) != 0 &&
                simgrid_arg_check(argv[0], argv[i], err, sizeof err) != 0) {
                fprintf(stderr, "gilsim: %s\n", err);
                free(sg_argv);
                return GS_USAGE;
            }
            sg_argv[sg_argc++] = argv[i];
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            params_print_help(stdout);
            free(sg_argv);
            return 0;
        } else if (strncmp(a, "--calibration=", 14) == 0) {
            continue; /* applied above */
        } else if (strncmp(a, "--timeline=", 11) == 0 ||
                   strncmp(a, "--record-trace=", 15) == 0 || strcmp(a, "-o") == 0 ||
                   strncmp(a, "--output=", 9) == 0) {
            if (a[1] == 'o' && i + 1 >= argc) {
                fprintf(stderr, "gilsim: -o: missing file name\n");
                free(sg_argv);
                return GS_USAGE;
            }
            const char *eq = strchr(a, '=');
            const char **slot = a[2] == 't' ? &timeline : a[2] == 'r' ? &record : &out;
            const char *flag = a[2] == 't' ? "--timeline" : a[2] == 'r' ? "--record-trace" : "-o";
            if (cli_once(slot, a[1] == 'o' ? argv[++i] : eq + 1, flag, err, sizeof err) != 0) {
                fprintf(stderr, "gilsim: run: %s\n", err);
                free(sg_argv);
                return GS_USAGE;
            }
        } else if (strncmp(a, "--", 2) == 0 && strchr(a, '=')) {
            char name[128];
            const char *eq = strchr(a, '=');
            snprintf(name, sizeof name, "%.*s", (int)(eq - a - 2), a + 2);
            if (strcmp(name, "scheme") == 0 && strcmp(eq + 1, "help") == 0) {
                free(sg_argv);
                return list_schemes();
            }
            const struct param *d = param_find(name);
            size_t k = d ? (size_t)(d - param_table) % 256 : 0;
            if (d && given[k]) {
                fprintf(stderr, "gilsim: %s: set twice (%s, then %s; allowed: once)\n", name,
                        given[k], a);
                free(sg_argv);
                return GS_USAGE;
            }
            if (d)
                given[k] = a;
            if (param_set(&p, name, eq + 1, err, sizeof err) != 0) {
                fprintf(stderr, "gilsim: %s\n", err);
                free(sg_argv);
                return GS_USAGE;
            }
            threads_given |= strcmp(name, "threads") == 0;
        } else {
            const char *hint = strncmp(a, "--", 2) == 0 ? " (parameters are --NAME=VALUE)" : "";
            fprintf(stderr, "gilsim: run: unexpected argument '%s'%s\n", a, hint);
            free(sg_argv);
            return GS_USAGE;
        }
    }
    if (threads_given && p.classes[0]) {
        snprintf(err, sizeof err, "threads: set beside classes (allowed: one of them; the "
                 "classes' counts give the thread count)");
        fprintf(stderr, "gilsim: %s\n", err);
        free(sg_argv);
        return GS_USAGE;
    }
    int native = strcmp(p.backend, "native") == 0;
    if (params_check(&p, err, sizeof err) != 0 || (native && native_check(&p, err, sizeof err))) {
        fprintf(stderr, "gilsim: %s\n", err);
        free(sg_argv);
        return GS_USAGE;
    }
    if (native && sg_argc > 1) {
        fprintf(stderr, "gilsim: %s: SimGrid options need backend=sim (this run is native)\n",
                sg_argv[1]);
        free(sg_argv);
        return GS_USAGE;
    }
    scheme_resolve_params(&p);
    if (p.trace[0]) {
        /* A trace is input: check it now (exit 2 on error); its longest thread sets ops. */
        struct wl_trace tr;
        if (wl_trace_load(p.trace, &p, &tr, err, sizeof err) != 0) {
            fprintf(stderr, "gilsim: %s\n", err);
            free(sg_argv);
            return GS_USAGE;
        }
        p.ops = (int64_t)wl_trace_max_ops(&tr);
        int fits = mem_check(&p, &tr, err, sizeof err);
        wl_trace_free(&tr);
        if (fits != 0) {
            fprintf(stderr, "gilsim: run: %s\n", err);
            free(sg_argv);
            return GS_USAGE;
        }
    } else if (mem_check(&p, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: run: %s\n", err);
        free(sg_argv);
        return GS_USAGE;
    }
    if (p.wake_samples[0]) {
        /* Input too: check it now (exit 2 on error); each run reads it again. */
        double *samples;
        size_t n;
        if (wake_samples_load(p.wake_samples, &samples, &n, err, sizeof err) != 0) {
            fprintf(stderr, "gilsim: %s\n", err);
            free(sg_argv);
            return GS_USAGE;
        }
        free(samples);
    }
    struct out_file out_f;
    int bad = open_run_files(&p, out, timeline, record, &out_f);
    if (bad) {
        free(sg_argv);
        return bad;
    }
    if (record && atomic_file_write(record, fill_trace, &p, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: --record-trace: %s\n", err);
        out_file_close(&out_f);
        free(sg_argv);
        return GS_FAILED;
    }
    struct metrics m;
    if (native) {
        free(sg_argv);
        if (native_run(&p, &m, timeline, stderr, err, sizeof err) != 0) {
            fprintf(stderr, "gilsim: run: %s\n", err);
            out_file_close(&out_f);
            return GS_FAILED;
        }
        return write_row(&out_f, &p, &m);
    }
    /* gilsim's SimGrid defaults, before the user's --cfg (which win): a timing precision far
     * below our ns-scale costs (the default 1 ns flips races between events a few ns apart),
     * and for many actors small stacks (docs/design.md, SimGrid facts) with a one-page guard: a guarded stack is
     * allocated without being zeroed, so only the pages an actor uses count in RSS (an
     * unguarded one is calloc'ed: all 128 KiB), and an overflow faults instead of corrupting
     * the heap. Two maps per actor: 30,000 threads stay under the kernel's 65,530. */
    static char quiet[] = "--log=xbt_cfg.thres:warning";
    static char precision[] = "--cfg=surf/precision:1e-15";
    static char guard[] = "--cfg=contexts/guard-size:1";
    static char stack[] = "--cfg=contexts/stack-size:128";
    char *defaults[] = { quiet, precision, guard, stack };
    int ndefaults = p.threads > 1000 ? 4 : 2;
    memmove(sg_argv + 1 + ndefaults, sg_argv + 1, (size_t)(sg_argc - 1) * sizeof *sg_argv);
    for (int i = 0; i < ndefaults; i++)
        sg_argv[1 + i] = defaults[i];
    sg_argc += ndefaults;
    simgrid_init(&sg_argc, sg_argv);
    free(sg_argv);

    if (sim_run(&p, &m, timeline, stderr, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: run: %s\n", err);
        out_file_close(&out_f);
        return GS_FAILED;
    }
    if (m.makespan_s <= 0 && !m.deadlock) {
        fprintf(stderr, "gilsim: run: every op cost 0 ns: the makespan is 0 and throughput "
                "undefined (allowed: some cost > 0, e.g. --op_ns=25); nothing written\n");
        return GS_USAGE;
    }
    return write_row(&out_f, &p, &m);
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
    { "calibrate", calibrate_main }, { "validate", validate_main },
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
