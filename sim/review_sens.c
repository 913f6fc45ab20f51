/* The sensitivity runs of gilsim review (see review_cmd_int.h): the scenario's families named
 * sensitivity* rerun with each cost at x0.5 and x2, each family only for the costs it pays:
 * one probe run per cost and family (seed 1, the cost doubled) whose row equals the family's
 * own tells it does not (rows are a function of parameters and seed; a cost a run is never
 * charged moves nothing at any value). Everything goes through DIR/sensitivity-probe.ini and
 * DIR/sensitivity.ini, swept (resumably) into the .csv files of the same names. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "calibration.h"
#include "params.h"
#include "report_int.h"
#include "results_rows.h"
#include "review.h"
#include "review_cmd_int.h"
#include "spec.h"
#include "status.h"
#include "sweep.h"

#define MAX_COSTS 64

struct sens {
    const struct review_opts *o;
    const char *dir;
    struct spec spec;
    size_t fam[32], nfam;        /* the sensitivity* families */
    const struct param *cost[MAX_COSTS];
    double base[MAX_COSTS][32];  /* each cost's value in each family */
    size_t ncost;
    int pays[MAX_COSTS][32];     /* a family's rows change with the cost */
};

/* The costs moved: the --sensitivity list, or every cost parameter charged to runs with a
 * value > 0 (the [ESTIMATE]s and the measured defaults gilsim calibrate replaces). */
static int pick_costs(struct sens *s, const char *list)
{
    for (size_t i = 0; i < param_count && s->ncost < MAX_COSTS; i++) {
        const struct param *d = &param_table[i];
        if (d->cost == COST_NONE || d->type != PARAM_REAL)
            continue;
        if (list) {
            size_t n = strlen(d->name);
            const char *hit = strstr(list, d->name);
            int found = 0;
            for (; hit && !found; hit = strstr(hit + 1, d->name))
                found = (hit == list || hit[-1] == ',') && (hit[n] == ',' || !hit[n]);
            if (!found)
                continue;
        } else if (!(atof(d->def) > 0)) {
            continue;
        }
        s->cost[s->ncost++] = d;
    }
    return 0;
}

/* The value of parameter d in family f: its single value there, else the default. */
static double value_in(const struct spec_family *f, const struct param *d)
{
    const struct spec_list *l = &f->list[d - param_table];
    return l->n == 1 ? atof(l->v[0]) : atof(d->def);
}

/* Writes [section] with the lists of family f, cost (if any) set to value. -1 if a value
 * holds a comma (a list item of its own). */
static int put_section(FILE *out, const struct spec_family *f, const char *section,
                       const struct param *cost, double value)
{
    fprintf(out, "[%s]\n", section);
    for (size_t i = 0; i < param_count; i++) {
        const struct spec_list *l = &f->list[i];
        if (cost == &param_table[i]) {
            fprintf(out, "%s = %.10g\n", cost->name, value);
            continue;
        }
        if (l->n == 0)
            continue;
        fprintf(out, "%s = ", param_table[i].name);
        for (size_t k = 0; k < l->n; k++) {
            if (strchr(l->v[k], ','))
                return -1;
            fprintf(out, "%s%s", k ? ", " : "", l->v[k]);
        }
        fputc('\n', out);
    }
    fputc('\n', out);
    return 0;
}

#define SPEC_MARK "# Written by gilsim review: the sensitivity"

/* 0 if path is absent or a file this command wrote (it starts with SPEC_MARK); else -1 with
 * a message: gilsim never replaces a file it did not write. */
static int ours(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[128] = "";
    if (!f)
        return 0;
    int mine = fgets(line, sizeof line, f) && strncmp(line, SPEC_MARK, strlen(SPEC_MARK)) == 0;
    fclose(f);
    if (!mine)
        fprintf(stderr, "gilsim: review: %s: not written by gilsim review (allowed: another -o "
                "directory, or remove the file)\n", path);
    return mine ? 0 : -1;
}

struct spec_text {
    struct sens *s;
    int probe; /* 1: the probe file */
};

static int fill_spec(FILE *out, void *arg)
{
    const struct spec_text *t = arg;
    struct sens *s = t->s;
    fprintf(out, SPEC_MARK "%s of the scenario's sensitivity families (docs/review.md).\n\n",
            t->probe ? " probes" : " runs");
    for (size_t k = 0; k < s->nfam; k++) {
        const struct spec_family *f = &s->spec.fam[s->fam[k]];
        char name[256];
        snprintf(name, sizeof name, "base-%s", f->name);
        if (put_section(out, f, name, NULL, 0) != 0)
            return -1;
        for (size_t c = 0; c < s->ncost; c++)
            for (int x = 0; x < 2; x++) {
                double factor = x ? 2 : 0.5;
                if (t->probe ? !x : !s->pays[c][k])
                    continue;
                snprintf(name, sizeof name, "%s-x%g-%s", s->cost[c]->name, factor, f->name);
                if (put_section(out, f, name, s->cost[c], s->base[c][k] * factor) != 0)
                    return -1;
            }
    }
    return ferror(out) ? -1 : 0;
}

/* Sweeps file into csv with reps seeds per point; the exit status. */
static int sweep_file(const struct sens *s, const char *file, const char *csv, const char *reps)
{
    char r[64];
    snprintf(r, sizeof r, "--reps=%s", reps);
    const char **argv = calloc((size_t)s->o->npass + 8, sizeof *argv);
    if (!argv)
        return GS_FAILED;
    int n = 0;
    argv[n++] = "sweep";
    argv[n++] = file;
    argv[n++] = r;
    for (int i = 0; i < s->o->npass; i++) /* how to run: -j, --cfg=, --log= */
        if (strncmp(s->o->pass[i], "-j", 2) == 0 || strncmp(s->o->pass[i], "--jobs=", 7) == 0 ||
            strncmp(s->o->pass[i], "--cfg=", 6) == 0 || strncmp(s->o->pass[i], "--log=", 6) == 0) {
            argv[n++] = s->o->pass[i];
            if (strcmp(s->o->pass[i], "-j") == 0 && i + 1 < s->o->npass)
                argv[n++] = s->o->pass[++i];
        }
    argv[n++] = "-o";
    argv[n++] = csv;
    int rc = sweep_main(n, (char **)argv);
    free(argv);
    return rc;
}

/* From the probe rows: which family pays which cost (its doubled row differs from its base
 * row of the same seed in some metric). */
static int read_probes(struct sens *s, const char *ini, const char *csv)
{
    char **family = NULL;
    size_t n = 0;
    struct review_opts none = *s->o;
    none.npass = 0;
    int rc = review_tag_rows(&none, ini, csv, &family, &n);
    struct rows r = { 0 };
    char err[1024];
    if (rc == GS_OK && rows_load(csv, &r, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: review: %s\n", err);
        rc = GS_USAGE;
    }
    for (size_t k = 0; rc == GS_OK && k < s->nfam; k++) {
        const char *fname = s->spec.fam[s->fam[k]].name;
        char base[256];
        snprintf(base, sizeof base, "base-%s", fname);
        for (size_t c = 0; c < s->ncost; c++) {
            char probe[256];
            snprintf(probe, sizeof probe, "%s-x2-%s", s->cost[c]->name, fname);
            /* The probe runs a point of the base with the cost doubled: if the family does
             * not pay the cost, its row's metrics equal those of the base run of the same
             * seed (rows are a function of parameters and seed), else no base row has them. */
            for (size_t i = 0; i < r.n; i++) {
                if (!family[i] || strcmp(family[i], probe) != 0)
                    continue;
                int same = 0;
                for (size_t j = 0; j < r.n && !same; j++) {
                    if (!family[j] || strcmp(family[j], base) != 0)
                        continue;
                    const char *a = r.line[i] + rows_prefix(r.line[i], r.keycols);
                    const char *b = r.line[j] + rows_prefix(r.line[j], r.keycols);
                    same = strcmp(a, b) == 0;
                }
                if (!same)
                    s->pays[c][k] = 1;
            }
        }
    }
    for (size_t i = 0; family && i < n; i++)
        free(family[i]);
    free(family);
    rows_free(&r);
    return rc;
}

int review_sensitivity_check(const struct review_opts *o, const char *specpath, const char *dir)
{
    if (o->emit || (o->costs && strcmp(o->costs, "none") == 0))
        return GS_OK;
    struct spec sp;
    char err[2048];
    int asks = 0;
    spec_init(&sp);
    if (spec_load(&sp, specpath, err, sizeof err) == 0) /* a bad spec: the sweep says why */
        for (size_t i = 0; i < sp.nfam && !asks; i++)
            asks = strncmp(sp.fam[i].name, "sensitivity", 11) == 0;
    spec_free(&sp);
    if (!asks)
        return GS_OK;
    char *probe = report_join(dir, "sensitivity-probe.ini");
    char *ini = report_join(dir, "sensitivity.ini");
    int rc = !probe || !ini ? GS_FAILED : ours(probe) != 0 || ours(ini) != 0 ? GS_USAGE : GS_OK;
    free(probe);
    free(ini);
    return rc;
}

int review_sensitivity(const struct review_opts *o, const char *specpath, const char *dir,
                       char **ini_out, char **csv_out, char **unpaid)
{
    struct sens s = { .o = o, .dir = dir };
    char err[2048];
    int rc = GS_USAGE;
    *ini_out = *csv_out = *unpaid = NULL;
    spec_init(&s.spec);
    if (o->costs && strcmp(o->costs, "none") == 0)
        return GS_OK;
    if (spec_load(&s.spec, specpath, err, sizeof err) != 0)
        goto fail;
    for (int i = 0; i < o->npass; i++) { /* --PARAM=LIST apply here too */
        const char *a = o->pass[i], *eq = strchr(a, '=');
        char name[128];
        if (strncmp(a, "--", 2) != 0 || !eq)
            continue;
        snprintf(name, sizeof name, "%.*s", (int)(eq - a - 2), a + 2);
        if (param_find(name) && spec_set_all(&s.spec, name, eq + 1, err, sizeof err) != 0)
            goto fail;
    }
    const char *calib = NULL;
    for (int i = 0; i < o->npass; i++)
        if (strncmp(o->pass[i], "--calibration=", 14) == 0)
            calib = o->pass[i] + 14;
    if (calib) {
        struct spec c;
        spec_init(&c);
        int bad = calib_load(calib, &c, err, sizeof err) != 0 ||
                  calib_fill_spec(&s.spec, &c, err, sizeof err) != 0;
        spec_free(&c);
        if (bad)
            goto fail;
    }
    for (size_t i = 0; i < s.spec.nfam && s.nfam < 32; i++) {
        const struct spec_family *f = &s.spec.fam[i];
        if (strncmp(f->name, "sensitivity", 11) != 0)
            continue;
        s.fam[s.nfam++] = i;
    }
    if (s.nfam == 0) { /* the scenario asks no sensitivity */
        spec_free(&s.spec);
        return GS_OK;
    }
    pick_costs(&s, o->costs);
    for (size_t c = 0; c < s.ncost; c++)
        for (size_t k = 0; k < s.nfam; k++)
            s.base[c][k] = value_in(&s.spec.fam[s.fam[k]], s.cost[c]);
    rc = GS_FAILED;
    char *probe_ini = report_join(dir, "sensitivity-probe.ini");
    char *probe_csv = report_join(dir, "sensitivity-probe.csv");
    char *ini = report_join(dir, "sensitivity.ini"), *csv = report_join(dir, "sensitivity.csv");
    if (!probe_ini || !probe_csv || !ini || !csv)
        goto out;
    if (ours(probe_ini) != 0 || ours(ini) != 0) {
        rc = GS_USAGE;
        goto out;
    }
    struct spec_text probe = { &s, 1 }, runs = { &s, 0 };
    if (atomic_file_write(probe_ini, fill_spec, &probe, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: review: sensitivity: %s\n", err);
        goto out;
    }
    fprintf(stderr, "gilsim: review: sensitivity probes (which family pays which cost?)\n");
    if ((rc = sweep_file(&s, probe_ini, probe_csv, "1")) != GS_OK ||
        (rc = read_probes(&s, probe_ini, probe_csv)) != GS_OK)
        goto out;
    rc = GS_FAILED;
    size_t len = 0;
    FILE *u = open_memstream(unpaid, &len);
    if (!u)
        goto out;
    for (size_t c = 0; c < s.ncost; c++) {
        int any = 0;
        for (size_t k = 0; k < s.nfam; k++)
            any |= s.pays[c][k];
        if (!any)
            fprintf(u, "%s%s", ftell(u) ? ", " : "", s.cost[c]->name);
    }
    if (fclose(u) != 0)
        goto out;
    if (atomic_file_write(ini, fill_spec, &runs, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: review: sensitivity: %s\n", err);
        goto out;
    }
    fprintf(stderr, "gilsim: review: sensitivity runs (%zu costs x0.5 and x2)\n", s.ncost);
    rc = sweep_file(&s, ini, csv, o->reps ? o->reps : "5");
    if (rc == GS_OK) {
        *ini_out = ini;
        *csv_out = csv;
        ini = csv = NULL;
    }
out:
    if (rc != GS_OK) {
        free(*unpaid);
        *unpaid = NULL;
    }
    free(probe_ini);
    free(probe_csv);
    free(ini);
    free(csv);
    spec_free(&s.spec);
    return rc;
fail:
    fprintf(stderr, "gilsim: review: %s\n", err);
    spec_free(&s.spec);
    return rc;
}
