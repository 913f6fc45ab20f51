/* gilsim report (see report.h): reads the command line, loads and selects the rows, draws each
 * standard figure into a temporary directory (or notes why it cannot), writes index.html
 * there, then moves its files into DIR (report_dir.c). Rows that deadlocked or
 * failed the check are left out of every figure and counted in the index. */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_args.h"
#include "params.h"
#include "signals.h"
#include "plot_table.h"
#include "report_int.h"
#include "status.h"

#define MAX_WHERE 32

/* The command line besides the CSV (which goes to r->csv). */
struct options {
    const char *out, *baseline;
    const char *where[MAX_WHERE + 1];
    int nwhere;
};

/* The scheme compared against without --baseline (report_set_baseline). */
static const char *default_baseline;

void report_set_baseline(const char *scheme) { default_baseline = scheme; }

static void usage(FILE *f)
{
    fprintf(f, "usage: gilsim report RESULTS.csv -o DIR [--baseline=SCHEME]\n"
               "                     [--where=COL=VALUE[,VALUE...] ...]\n"
               "\n"
               "Draws the standard figures of a design review from a results CSV into DIR and\n"
               "writes DIR/index.html (open it in a browser): throughput, speedup vs cores,\n"
               "heatmaps of each delegating scheme against the baseline with their break-even\n"
               "contour, delegated-op latency with the analytic model, waiting share,\n"
               "simulated vs predicted break-even sharing. A figure the CSV cannot support is\n"
               "skipped with a note. --baseline=SCHEME: the scheme compared against (default\n"
               "%s, the first scheme declaring itself a baseline).\n"
               "In DIR, gilsim replaces or removes only the files it wrote there (listed in\n"
               "DIR/.gilsim-manifest); the input and your own files stay. docs/files.md.\n",
            default_baseline ? default_baseline : "none");
}

/* Reads the command line into r->csv and o. 1 if it asks for help, -1 with r->err set if it
 * is wrong, else 0. */
static int parse_args(struct report *r, int argc, char **argv, struct options *o)
{
    for (int i = 1; i < argc && !r->err[0]; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            return 1;
        } else if ((strcmp(a, "-o") == 0 && i + 1 < argc) || strncmp(a, "--output=", 9) == 0) {
            cli_once(&o->out, a[1] == 'o' ? argv[++i] : a + 9, "-o", r->err, sizeof r->err);
        } else if (strncmp(a, "--baseline=", 11) == 0) {
            if (cli_once(&o->baseline, a + 11, "--baseline", r->err, sizeof r->err) == 0 &&
                param_choice_index(param_find("scheme"), a + 11) < 0)
                snprintf(r->err, sizeof r->err, "--baseline: '%.64s' is not a scheme (allowed: "
                         "a name gilsim list shows)", a + 11);
        } else if (strncmp(a, "--where=", 8) == 0 && o->nwhere < MAX_WHERE) {
            o->where[o->nwhere++] = a + 8;
        } else if (a[0] == '-' && a[1]) {
            snprintf(r->err, sizeof r->err, strcmp(a, "-o") == 0 ? "-o: missing directory" :
                     "unknown option '%s' (gilsim report --help lists them)", a);
        } else if (!r->csv) {
            r->csv = a;
        } else {
            snprintf(r->err, sizeof r->err, "unexpected argument '%s' (one results CSV)", a);
        }
    }
    r->baseline = o->baseline ? o->baseline : default_baseline ? default_baseline : "";
    if (!r->err[0] && (!r->csv || !o->out))
        snprintf(r->err, sizeof r->err, !r->csv ? "missing the results CSV (gilsim report "
                 "--help)" : "missing -o DIR");
    if (!r->err[0])
        cli_script_name("-o", o->out, r->err, sizeof r->err); /* DIR keeps FIG.gp scripts */
    return r->err[0] ? -1 : 0;
}

/* Loads r->csv folded per point (report_load.c): the runs matching --where, those that ran
 * clean, and the columns the figures use. The exit status: GS_OK, or GS_USAGE or GS_FAILED
 * with r->err set. */
static int select_rows(struct report *r, const struct options *o)
{
    int rc = report_load(r, o->where, o->nwhere);
    if (rc != GS_OK)
        return rc;
    if (r->s.n == 0) {
        snprintf(r->err, sizeof r->err, "%s: no rows to report (%zu match --where; %zu "
                 "deadlocked, %zu failed the check)", r->csv, r->nall, r->dead, r->failed);
        return GS_USAGE;
    }
    r->scheme = tab_find(&r->t, "scheme");
    r->N = tab_find(&r->t, "N");
    r->sharing = tab_find(&r->t, "sharing");
    r->cores = tab_find(&r->t, "cores");
    r->thr = tab_find(&r->t, "throughput");
    return GS_OK;
}

/* Draws every figure into r->dir, in the order of the index, then writes the index. 0, or
 * -1 with r->err set. */
static int draw_report(struct report *r)
{
    static int (*const figure[])(struct report *) = {
        report_throughput, report_speedup, report_heatmaps, report_latency, report_wait_share,
        report_breakeven, /* after the heatmaps: it shows what they found */
        report_sim_native,
    };
    for (size_t i = 0; i < sizeof figure / sizeof figure[0]; i++)
        if (interrupt_pending() || figure[i](r) != 0) /* a signal stops it between figures */
            return -1;
    return report_write_index(r);
}

int report_main(int argc, char **argv)
{
    struct report *r = calloc(1, sizeof *r);
    struct options o = { 0 };
    char *out = NULL;
    int rc = GS_USAGE, created = 0;
    if (!r)
        return GS_FAILED;
    switch (parse_args(r, argc, argv, &o)) {
    case 1:
        usage(stdout);
        free(r);
        return GS_OK;
    case 0:
        rc = select_rows(r, &o);
        break;
    }
    if (rc != GS_OK)
        goto done;
    rc = GS_FAILED;
    if (!(out = strdup(o.out)))
        goto done;
    for (size_t n = strlen(out); n > 1 && out[n - 1] == '/';) /* "rep/" is "rep" */
        out[--n] = '\0';
    if ((created = report_dir_check(out, r->err, sizeof r->err)) < 0) {
        rc = GS_USAGE;
        goto done;
    }
    interrupt_catch(); /* a signal ends the report through the cleanup below */
    if (!(r->dir = report_dir_begin(out, r->err, sizeof r->err)) || draw_report(r) != 0 ||
        interrupt_pending())
        goto done;
    int put = report_dir_commit(r->dir, out, r->csv, r->err, sizeof r->err);
    if (put != 0) {
        rc = put == -2 ? GS_USAGE : GS_FAILED;
        goto done;
    }
    rc = GS_OK;
    size_t drawn = 0;
    for (size_t i = 0; i < r->nfig; i++)
        drawn += r->fig[i].file[0] != 0;
    printf("gilsim report: %s/index.html (%zu figures, %zu skipped)\n", out, drawn,
           r->nfig - drawn);
done:
    if (interrupt_pending())
        snprintf(r->err, sizeof r->err, "interrupted; %s is as it was", out ? out : "DIR");
    if (rc != GS_OK)
        fprintf(stderr, "gilsim: report: %s\n", r->err[0] ? r->err : "out of memory");
    if (rc != GS_OK && r->dir)
        report_dir_remove(r->dir);
    if (rc != GS_OK && created == 1)
        rmdir(out); /* made for this report, empty again */
    free(r->dir);
    free(out);
    report_load_free(r);
    free(r);
    interrupt_release();
    interrupt_reraise();
    return rc;
}
