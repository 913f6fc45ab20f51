/* gilsim plot (see plot.h): parses the command line, checks every column it names before
 * anything is written, then builds the figure with plot_xy.c or plot_timeline.c. */
#define _POSIX_C_SOURCE 200809L
#include "plot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "messages.h"
#include "cli_args.h"
#include "signals.h"
#include "plot_figure.h"
#include "plot_table.h"
#include "plot_timeline.h"
#include "plot_xy.h"
#include "status.h"

#define MAX_WHERE 32

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gilsim plot RESULTS.csv --x=COL --y=COL [--by=COL] [--facet=COL] [--logx]\n"
            "                   [--logy] [--where=COL=VALUE[,VALUE...] ...] -o FIG.png|svg|pdf\n"
            "       gilsim plot --timeline=TIMELINE.csv [-o GANTT.png|svg|pdf]\n"
            "                   [--chrome-trace=OUT.json]\n"
            "\n"
            "A metric (--y) against a column (--x): one line per --by value, one panel per\n"
            "--facet value, points = mean over reps (rows equal but for seed) with 95%% CI\n"
            "error bars. Rows that deadlocked or failed the check are left out; --y=deadlock\n"
            "draws the share of runs that deadlocked, with 95%% Wilson intervals. Beside FIG.png\n"
            "go FIG.dat (the numbers drawn) and FIG.gp (the gnuplot script): `gnuplot FIG.gp`\n"
            "redraws it. --timeline draws `gilsim run --timeline` output as a Gantt chart and/or\n"
            "writes it as Chrome trace-event JSON (Perfetto, chrome://tracing). docs/plots.md.\n");
}

struct opts {
    const char *csv, *x, *y, *by, *facet, *out, *timeline, *chrome;
    const char *where[MAX_WHERE];
    int nwhere, logx, logy;
};

/* Value of "--name=value" if a is that option, else NULL. */
static const char *opt_value(const char *a, const char *name)
{
    size_t n = strlen(name);
    return strncmp(a, name, n) == 0 && a[n] == '=' ? a + n + 1 : NULL;
}

static int parse(int argc, char **argv, struct opts *o, char *err, size_t errlen)
{
    static const char *const names[] = { "--x", "--y", "--by", "--facet", "--timeline",
                                         "--chrome-trace", "--output" };
    memset(o, 0, sizeof *o);
    const char **slot[] = { &o->x, &o->y, &o->by, &o->facet, &o->timeline, &o->chrome, &o->out };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        size_t k = 0;
        for (; k < sizeof names / sizeof names[0] && !(v = opt_value(a, names[k])); k++)
            ;
        if (v) {
            if (!*v) {
                snprintf(err, errlen, "%s: empty value", names[k]);
                return -1;
            }
            if (cli_once(slot[k], v, k == 6 ? "-o" : names[k], err, errlen) != 0)
                return -1;
        } else if (strcmp(a, "-o") == 0) {
            if (i + 1 >= argc) {
                snprintf(err, errlen, "-o: missing file name");
                return -1;
            }
            if (cli_once(&o->out, argv[++i], "-o", err, errlen) != 0)
                return -1;
        } else if ((v = opt_value(a, "--where"))) {
            if (o->nwhere == MAX_WHERE) {
                snprintf(err, errlen, "--where: more than %d", MAX_WHERE);
                return -1;
            }
            o->where[o->nwhere++] = v;
        } else if (strcmp(a, "--logx") == 0) {
            o->logx = 1;
        } else if (strcmp(a, "--logy") == 0) {
            o->logy = 1;
        } else if (a[0] == '-' && a[1]) {
            snprintf(err, errlen, "unknown option '%s' (gilsim plot --help lists them)", a);
            return -1;
        } else if (!o->csv) {
            o->csv = a;
        } else {
            snprintf(err, errlen, "unexpected argument '%s' (one results CSV)", a);
            return -1;
        }
    }
    if (o->timeline) {
        if (o->csv || o->x || o->y || o->by || o->facet || o->nwhere || o->logx || o->logy)
            snprintf(err, errlen, "--timeline: takes only -o and --chrome-trace");
        else if (!o->out && !o->chrome)
            snprintf(err, errlen, "--timeline: give -o GANTT.png and/or --chrome-trace=OUT.json");
        else
            return o->out ? fig_name_check(o->out, err, errlen) : 0;
        return -1;
    }
    if (o->chrome)
        snprintf(err, errlen, "--chrome-trace: needs --timeline=FILE");
    else if (!o->csv)
        snprintf(err, errlen, "missing the results CSV (gilsim plot --help)");
    else if (!o->x || !o->y)
        snprintf(err, errlen, "missing --%s=COLUMN", o->x ? "y" : "x");
    else if (!o->out)
        snprintf(err, errlen, "missing -o FIG.png|svg|pdf");
    else
        return fig_name_check(o->out, err, errlen);
    return -1;
}

/* Every file plot writes (the image, its .dat and .gp, the Chrome trace) is one it may write
 * (atomic_file.h: not a symbolic link or folder; the figure's files regular or new), and
 * none is its input or another of them. 0, or -1 with err set. */
static int check_files(const struct opts *o, char *err, size_t errlen)
{
    const char *in = o->timeline ? o->timeline : o->csv;
    char *side[2] = { NULL, NULL };
    const char *what[] = { "-o", "-o (its .dat)", "-o (its .gp)", "--chrome-trace" };
    const char *path[4] = { o->out, NULL, NULL, o->chrome };
    int rc = 0;
    if (o->out) {
        const char *fmt = fig_format(o->out);
        size_t base = strlen(o->out) - (fmt ? strlen(fmt) + 1 : 0);
        side[0] = malloc(base + 5);
        side[1] = malloc(base + 4);
        if (!side[0] || !side[1]) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
        } else {
            snprintf(side[0], base + 5, "%.*s.dat", (int)base, o->out);
            snprintf(side[1], base + 4, "%.*s.gp", (int)base, o->out);
            path[1] = side[0];
            path[2] = side[1];
        }
    }
    for (int i = 0; rc == 0 && i < 4; i++) {
        if (!path[i])
            continue;
        enum out_kind kind;
        char why[1024];
        if (out_file_check(path[i], &kind, why, sizeof why) != 0) {
            snprintf(err, errlen, "%s: %s", what[i], why); /* a symlink, folder, missing dir */
            rc = -1;
        } else if (i < 3 && kind != OUT_FILE) {
            snprintf(err, errlen, "%s: '%s' is a device, FIFO or standard output (allowed: a "
                     "regular file or a new name)", what[i], msg_path(path[i]));
            rc = -1;
        } else if (out_file_same(path[i], in)) {
            snprintf(err, errlen, "%s: '%s' is the input (allowed: another name)", what[i],
                     path[i]);
            rc = -1;
        }
        for (int j = 0; rc == 0 && j < i; j++)
            if (path[j] && out_file_same(path[i], path[j])) {
                snprintf(err, errlen, "%s: '%s' is also written as %s (allowed: another name)",
                         what[i], path[i], what[j]);
                rc = -1;
            }
    }
    free(side[0]);
    free(side[1]);
    return rc;
}

/* The figure of a results CSV. Returns the exit status. */
static int plot_csv(const struct opts *o, char *err, size_t errlen)
{
    struct tab t;
    struct sel s = { 0 };
    struct xy_plot p;
    struct fig f;
    int rc = GS_USAGE;
    xy_init(&p);
    if (tab_load(&t, o->csv, err, errlen) != 0)
        return GS_USAGE;
    struct xy_spec spec = { -1, -1, -1, -1 };
    if (tab_check_runs(&t, err, errlen) != 0) /* a run twice would weigh twice in its mean */
        goto out;
    if ((spec.x = tab_need(&t, "--x", o->x, err, errlen)) < 0 ||
        (spec.y = tab_need(&t, "--y", o->y, err, errlen)) < 0 ||
        (o->by && (spec.by = tab_need(&t, "--by", o->by, err, errlen)) < 0) ||
        (o->facet && (spec.facet = tab_need(&t, "--facet", o->facet, err, errlen)) < 0))
        goto out;
    if (sel_all(&t, &s) != 0) {
        snprintf(err, errlen, "out of memory");
        rc = GS_FAILED;
        goto out;
    }
    for (int i = 0; i < o->nwhere; i++)
        if (sel_where(&t, &s, o->where[i], err, errlen) != 0)
            goto out;
    size_t dead, failed, matched = s.n;
    /* --y=deadlock is the share of runs that deadlocked: those runs are its data. */
    p.binomial = strcmp(o->y, "deadlock") == 0;
    if (p.binomial)
        sel_drop_failed_only(&t, &s, &failed), dead = 0;
    else
        sel_drop_failed(&t, &s, &dead, &failed);
    if (s.n == 0) {
        snprintf(err, errlen, "%s: no rows to plot (%zu match --where; %zu deadlocked, %zu "
                 "failed the check)", o->csv, matched, dead, failed);
        goto out;
    }
    if (dead || failed)
        snprintf(p.notes, sizeof p.notes, "left out: %zu deadlocked run(s), %zu with check FAIL",
                 dead, failed);
    snprintf(p.title, sizeof p.title, "%s vs %s", o->y, o->x);
    p.logx = o->logx;
    p.logy = o->logy;
    if (xy_build(&p, &t, &s, &spec, "", err, errlen) < 0)
        goto out;
    char bad = o->logx && !xy_positive(&p, 'x') ? 'x' : o->logy && !xy_positive(&p, 'y') ? 'y' : 0;
    if (bad) {
        snprintf(err, errlen, "--log%c: column '%s' has values <= 0 (a log axis needs > 0)", bad,
                 bad == 'x' ? o->x : o->y);
        goto out;
    }
    rc = GS_FAILED;
    if (fig_begin(&f, o->out, "xy", err, errlen) != 0)
        goto out;
    xy_write(&f, &p);
    if (fig_end(&f, err, errlen) == 0)
        rc = GS_OK;
out:
    xy_free(&p);
    sel_free(&s);
    tab_free(&t);
    return rc;
}

int plot_main(int argc, char **argv)
{
    char err[4096];
    struct opts o;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return GS_OK;
        }
    if (parse(argc, argv, &o, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: plot: %s\n", err);
        return GS_USAGE;
    }
    if (check_files(&o, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: plot: %s\n", err);
        return GS_USAGE;
    }
    interrupt_catch(); /* a signal ends the plot through its cleanup (plot_figure.c) */
    int rc = o.timeline ? timeline_plot(o.timeline, o.out, o.chrome, err, sizeof err)
                        : plot_csv(&o, err, sizeof err);
    if (rc != GS_OK)
        fprintf(stderr, "gilsim: plot: %s\n", err);
    interrupt_release();
    interrupt_reraise();
    return rc;
}
