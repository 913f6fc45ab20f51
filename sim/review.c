/* gilsim review (see review_cmd.h): runs a review scenario as a sweep into DIR/results.csv
 * (resumable, -j, --emit-tasks for GNU parallel or Slurm, as any sweep), tags each row with the
 * spec family it comes from, and builds DIR/index.html with the verdict (plots/review_page.c).
 * docs/review.md. */
#define _POSIX_C_SOURCE 200809L
#include "review_cmd.h"
#include "review_cmd_int.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_args.h"
#include "params.h"
#include "report_int.h"
#include "results_rows.h"
#include "review.h"
#include "scheme.h"
#include "status.h"
#include "sweep.h"

#ifndef GILSIM_SCENARIO_DIR
#define GILSIM_SCENARIO_DIR "workloads/scenarios"
#endif

#define MIN_REPS 5

/* The schemes declaring the int member of scheme_ops at `flag` (offsetof) set, comma-joined in
 * registry order into list, or only the first (`first`); "" if none. */
static const char *declaring(size_t flag, int first, char *list, size_t len)
{
    size_t used = 0;
    list[0] = '\0';
    for (size_t i = 0; scheme_at(i) && !(first && used); i++)
        if (*(const int *)((const char *)scheme_at(i) + flag) && used < len)
            used += (size_t)snprintf(list + used, len - used, "%s%s", used ? "," : "",
                                     scheme_at(i)->name);
    return list;
}

/* --baseline's default: the schemes declaring themselves baselines (scheme_ops.baseline). */
static const char *default_baselines(void)
{
    static char list[512];
    return declaring(offsetof(struct scheme_ops, baseline), 0, list, sizeof list);
}

/* The proposal the verdict is about (scheme_ops.proposal). */
static const char *proposal(void)
{
    static char name[128];
    return declaring(offsetof(struct scheme_ops, proposal), 1, name, sizeof name);
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gilsim review [SPEC.ini] -o DIR [-j J] [--reps=R] [--baseline=LIST]\n"
            "                     [--validation=VALDIR] [--sensitivity=COSTS|none]\n"
            "                     [--emit-tasks [--outdir=D]]\n"
            "                     [--PARAM=LIST ...] [--calibration=FILE]\n"
            "\n"
            "Answers a design review's questions about the proposal (%s): runs the\n"
            "scenario (default: the built-in %s/review.ini) as a sweep with R seeds per\n"
            "point (default and least %d) into DIR/results.csv, resumable like any sweep (rerun\n"
            "the same command), then writes DIR/index.html: the verdict, one sentence per\n"
            "question with its 95%% intervals, each linked to its figure, and the CSVs behind\n"
            "it. The scenario's families name the questions: deadlock, n, cores*, io, exit.\n"
            "--baseline: the schemes break-even sharing is computed against (default:\n"
            "%s, the schemes declaring themselves baselines).\n"
            "--validation: a `gilsim validate` directory; each figure then says whether its\n"
            "runs lie inside the validated range.\n"
            "Families named sensitivity* are rerun with each cost x0.5 and x2 (--sensitivity:\n"
            "which costs; default every cost with a value > 0; none: skip) for the tornado.\n"
            "--emit-tasks prints the pending runs for GNU parallel or Slurm (docs/sweeps.md);\n"
            "merge their files into DIR/results.csv (gilsim merge) and rerun to build the page.\n"
            "docs/review.md says how to read the page.\n", proposal(), GILSIM_SCENARIO_DIR,
            MIN_REPS, default_baselines());
}


/* 1 if `a` is a scheme name (the scheme parameter's choices). */
static int is_scheme(const char *a, size_t len)
{
    const char *(*name_at)(size_t) = param_find("scheme")->choice;
    for (size_t i = 0; name_at(i); i++)
        if (strlen(name_at(i)) == len && strncmp(name_at(i), a, len) == 0)
            return 1;
    return 0;
}

/* 0, 1 after --help, or -1 after a one-line error. */
static int parse(int argc, char **argv, struct review_opts *o)
{
    char err[1024];
    o->pass = calloc((size_t)argc + 1, sizeof *o->pass);
    if (!o->pass)
        return -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 1;
        } else if (strcmp(a, "-o") == 0 || strncmp(a, "--output=", 9) == 0) {
            if (a[1] == 'o' && i + 1 >= argc) {
                fprintf(stderr, "gilsim: review: -o: missing directory\n");
                return -1;
            }
            if (cli_once(&o->dir, a[1] == 'o' ? argv[++i] : a + 9, "-o", err, sizeof err) != 0)
                goto fail;
        } else if (strncmp(a, "--baseline=", 11) == 0) {
            if (cli_once(&o->baselines, a + 11, "--baseline", err, sizeof err) != 0)
                goto fail;
            for (const char *b = o->baselines;; b += strcspn(b, ",") + 1) {
                size_t len = strcspn(b, ",");
                if (!is_scheme(b, len)) {
                    fprintf(stderr, "gilsim: review: --baseline: '%.*s' is not a scheme "
                            "(allowed: a comma-separated list of gilsim list's schemes)\n",
                            (int)len, b);
                    return -1;
                }
                if (!b[len])
                    break;
            }
        } else if (strncmp(a, "--sensitivity=", 14) == 0) {
            if (cli_once(&o->costs, a + 14, "--sensitivity", err, sizeof err) != 0)
                goto fail;
            for (const char *c = o->costs; strcmp(o->costs, "none") != 0;
                 c += strcspn(c, ",") + 1) {
                char name[128];
                snprintf(name, sizeof name, "%.*s", (int)strcspn(c, ","), c);
                const struct param *d = param_find(name);
                if (!d || d->cost == COST_NONE || d->type != PARAM_REAL) {
                    fprintf(stderr, "gilsim: review: --sensitivity: '%s' is not a cost "
                            "(allowed: none, or a comma-separated list of cost parameters, "
                            "gilsim params)\n", name);
                    return -1;
                }
                if (!c[strcspn(c, ",")])
                    break;
            }
        } else if (strncmp(a, "--validation=", 13) == 0) {
            if (cli_once(&o->validation, a + 13, "--validation", err, sizeof err) != 0)
                goto fail;
        } else if (strncmp(a, "--reps=", 7) == 0) {
            long long r;
            if (cli_once(&o->reps, a + 7, "--reps", err, sizeof err) != 0 ||
                cli_count("--reps", a + 7, 1000000, &r, err, sizeof err) != 0)
                goto fail;
            if (r < MIN_REPS) {
                fprintf(stderr, "gilsim: review: --reps: %lld seeds per point are too few for "
                        "its 95%% intervals (allowed: %d..1000000)\n", r, MIN_REPS);
                return -1;
            }
        } else if (strcmp(a, "--emit-tasks") == 0) {
            o->emit = 1;
            o->pass[o->npass++] = a;
        } else if (strcmp(a, "-j") == 0 && i + 1 < argc) {
            o->pass[o->npass++] = a;
            o->pass[o->npass++] = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            o->pass[o->npass++] = a; /* the sweep checks it */
        } else if (!o->spec) {
            o->spec = a;
        } else {
            fprintf(stderr, "gilsim: review: unexpected argument '%s' (one SPEC.ini)\n", a);
            return -1;
        }
    }
    if (!o->dir || !*o->dir) {
        fprintf(stderr, "gilsim: review: -o DIR missing (the directory of the page and its "
                "rows)\n");
        return -1;
    }
    if (cli_script_name("-o", o->dir, err, sizeof err) != 0) /* DIR keeps FIG.gp scripts */
        goto fail;
    return 0;
fail:
    fprintf(stderr, "gilsim: review: %s\n", err);
    return -1;
}

/* The sweep's argv: "sweep" SPEC --reps=R the passed arguments [extra] -o CSV. */
static char **sweep_argv(const struct review_opts *o, const char *spec, const char *csv,
                         int with_pass, int *argc)
{
    static char reps[64];
    snprintf(reps, sizeof reps, "--reps=%s", o->reps ? o->reps : "5");
    char **argv = calloc((size_t)o->npass + 8, sizeof *argv);
    if (!argv)
        return NULL;
    int n = 0;
    argv[n++] = (char *)"sweep";
    argv[n++] = (char *)spec;
    argv[n++] = reps;
    for (int i = 0; i < o->npass; i++)
        if (with_pass || (strncmp(o->pass[i], "--", 2) == 0 && strchr(o->pass[i], '=') &&
                          strncmp(o->pass[i], "--jobs=", 7) != 0 &&
                          strncmp(o->pass[i], "--outdir=", 9) != 0 &&
                          strncmp(o->pass[i], "--cfg=", 6) != 0 &&
                          strncmp(o->pass[i], "--log=", 6) != 0))
            argv[n++] = (char *)o->pass[i]; /* the points: --PARAM=LIST, --calibration= */
    argv[n++] = (char *)"-o";
    argv[n++] = (char *)csv;
    *argc = n;
    return argv;
}

/* Tags each row of csv with its families: the points of the spec, found by their key; a row
 * two families share (the same parameters) belongs to both. *family gets one entry per data
 * row: the names joined by ',' (NULL if no point of the spec has that row's key), malloc'd. */
int review_tag_rows(const struct review_opts *o, const char *spec, const char *csv,
                    char ***family, size_t *nrows)
{
    int argc;
    char **argv = sweep_argv(o, spec, csv, 0, &argc), **keys, **fams;
    size_t npt;
    if (!argv)
        return GS_FAILED;
    int rc = sweep_points(argc, argv, &keys, &fams, &npt);
    free(argv);
    if (rc != GS_OK)
        return rc;
    struct rows r;
    char err[1024];
    if (rows_load(csv, &r, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: review: %s\n", err);
        sweep_points_free(keys, fams, npt);
        return GS_USAGE;
    }
    struct rows_ref *ref = calloc(npt + 1, sizeof *ref);
    *family = calloc(r.n + 1, sizeof **family);
    rc = ref && *family ? GS_OK : GS_FAILED;
    for (size_t i = 0; rc == GS_OK && i < npt; i++)
        ref[i] = (struct rows_ref){ keys[i], strlen(keys[i]), i };
    if (rc == GS_OK)
        rows_sort(ref, npt);
    for (size_t i = 0; rc == GS_OK && i < r.n; i++) {
        size_t len = rows_prefix(r.line[i], r.keycols), lo = 0, hi = npt;
        while (lo < hi) { /* the first point with the row's key */
            size_t mid = (lo + hi) / 2;
            if (rows_cmp(ref[mid].key, ref[mid].len, r.line[i], len) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        char *names = NULL;
        size_t nlen = 0;
        FILE *f = open_memstream(&names, &nlen);
        if (!f) {
            rc = GS_FAILED;
            break;
        }
        for (size_t k = lo; k < npt && rows_cmp(ref[k].key, ref[k].len, r.line[i], len) == 0; k++)
            fprintf(f, "%s%s", k > lo ? "," : "", fams[ref[k].i]);
        if (fclose(f) != 0) {
            rc = GS_FAILED;
            break;
        }
        if (nlen)
            (*family)[i] = names;
        else
            free(names);
    }
    *nrows = r.n;
    free(ref);
    rows_free(&r);
    sweep_points_free(keys, fams, npt);
    return rc;
}

/* GS_USAGE, said on stderr, if csv holds a run twice: it would count twice on the page, so
 * review refuses it as report and plot do. */
static int check_runs(const char *csv)
{
    struct tab t;
    char err[2048];
    int rc = GS_USAGE;
    if (tab_load(&t, csv, err, sizeof err) == 0) {
        rc = tab_check_runs(&t, err, sizeof err) == 0 ? GS_OK : GS_USAGE;
        tab_free(&t);
    }
    if (rc != GS_OK)
        fprintf(stderr, "gilsim: review: %s\n", err);
    return rc;
}

int review_main(int argc, char **argv)
{
    struct review_opts o = { 0 };
    int a = parse(argc, argv, &o), rc;
    if (a != 0) {
        free(o.pass);
        return a > 0 ? GS_OK : GS_USAGE;
    }
    const char *spec = o.spec ? o.spec : GILSIM_SCENARIO_DIR "/review.ini";
    if (!o.baselines)
        o.baselines = default_baselines();
    if (o.validation) { /* checked before any run: the page needs it at the end */
        char path[4096];
        snprintf(path, sizeof path, "%s/validation.csv", o.validation);
        FILE *f = fopen(path, "r");
        if (!f) {
            fprintf(stderr, "gilsim: review: --validation: %s: %s (allowed: a directory "
                    "gilsim validate wrote)\n", path, strerror(errno));
            free(o.pass);
            return GS_USAGE;
        }
        fclose(f);
    }
    if ((rc = review_sensitivity_check(&o, spec, o.dir)) != GS_OK) {
        free(o.pass);
        return rc;
    }
    char *csv = report_join(o.dir, "results.csv");
    if (!csv) {
        free(o.pass);
        return GS_FAILED;
    }
    if (mkdir(o.dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "gilsim: review: -o: %s: cannot create: %s\n", o.dir, strerror(errno));
        free(csv);
        free(o.pass);
        return GS_USAGE;
    }
    int sargc;
    char **sargv = sweep_argv(&o, spec, csv, 1, &sargc);
    rc = sargv ? sweep_main(sargc, sargv) : GS_FAILED;
    free(sargv);
    if (o.emit || rc != GS_OK) {
        if (o.emit && rc == GS_OK)
            fprintf(stderr, "gilsim: review: when the tasks are done, `gilsim merge %s "
                    "POINTS/*.csv -o %s` and run this command again without --emit-tasks to "
                    "build the page\n", csv, csv);
        else if (rc == GS_FAILED)
            fprintf(stderr, "gilsim: review: some runs failed (above); rerun to retry them, "
                    "then the page is built\n");
        free(csv);
        free(o.pass);
        return rc;
    }
    char **family = NULL, **sfamily = NULL, *sini = NULL, *scsv = NULL, *unpaid = NULL;
    size_t nrows = 0, snrows = 0;
    rc = check_runs(csv);
    if (rc == GS_OK)
        rc = review_tag_rows(&o, spec, csv, &family, &nrows);
    if (rc == GS_OK && !o.emit)
        rc = review_sensitivity(&o, spec, o.dir, &sini, &scsv, &unpaid);
    if (rc == GS_OK && scsv)
        rc = check_runs(scsv);
    if (rc == GS_OK && scsv) {
        struct review_opts none = o;
        none.npass = 0; /* the sensitivity file holds every value explicitly */
        rc = review_tag_rows(&none, sini, scsv, &sfamily, &snrows);
    }
    if (rc == GS_OK) {
        char naive[128], gils[512];
        struct review_in in = {
            csv, o.dir, spec, (const char *const *)family, nrows, o.baselines, o.validation,
            scsv, (const char *const *)sfamily, snrows, unpaid, proposal(),
            declaring(offsetof(struct scheme_ops, deadlocks_by_design), 1, naive, sizeof naive),
            declaring(offsetof(struct scheme_ops, gil), 0, gils, sizeof gils)
        };
        char err[4096];
        rc = review_page(&in, err, sizeof err);
        if (rc != GS_OK)
            fprintf(stderr, "gilsim: review: %s\n", err);
        else
            printf("gilsim review: %s/index.html (%zu runs)\n", o.dir, nrows + snrows);
    }
    for (size_t i = 0; sfamily && i < snrows; i++)
        free(sfamily[i]);
    free(sfamily);
    free(sini);
    free(scsv);
    free(unpaid);
    for (size_t i = 0; family && i < nrows; i++)
        free(family[i]);
    free(family);
    free(csv);
    free(o.pass);
    return rc;
}
