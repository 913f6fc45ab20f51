/* gilsim review's page (see review.h): reads the review's rows, answers each question from the
 * rows of its family (deadlock, n, cores*, io, exit) with a sentence (verdict.c) and the figure
 * behind it, and writes DIR/index.html (verdict on top), the per-family CSVs, breakeven.csv and
 * verdict.csv, through report_dir.c. A question whose family the scenario lacks says so. */
#define _POSIX_C_SOURCE 200809L
#include "review.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "results_rows.h"
#include "plot_table.h"
#include "plot_xy.h"
#include "report_int.h"
#include "repstats.h"
#include "review_int.h"
#include "status.h"
#include "verdict.h"

#ifndef GILSIM_VERSION
#define GILSIM_VERSION "unknown"
#endif

/* ---- rows ---- */

/* 1 if the comma-separated list names holds name (or, if prefix, a name starting with it). */
static int in_families(const char *names, const char *name, int prefix)
{
    size_t len = strlen(name);
    for (const char *f = names; f && *f; f += strcspn(f, ",") + (f[strcspn(f, ",")] != 0)) {
        size_t n = strcspn(f, ",");
        if (prefix ? n >= len && strncmp(f, name, len) == 0 : n == len && strncmp(f, name, n) == 0)
            return 1;
    }
    return 0;
}

int review_family(struct review *v, const char *name, int prefix, struct sel *s)
{
    s->n = 0;
    s->row = malloc((v->r.t.nrows + 1) * sizeof *s->row);
    if (!s->row)
        return -1;
    for (size_t i = 0; i < v->r.t.nrows && i < v->in->nrows; i++)
        if (in_families(v->in->family[i], name, prefix))
            s->row[s->n++] = i;
    return 0;
}

/* Keeps the rows of s whose column `col` holds `value` (numbers by value). */
void review_keep(const struct review *v, struct sel *s, const char *col, const char *value)
{
    int c = tab_find(&v->r.t, col);
    size_t kept = 0;
    for (size_t i = 0; c >= 0 && i < s->n; i++)
        if (cell_cmp(tab_at(&v->r.t, s->row[i], (size_t)c), value) == 0)
            s->row[kept++] = s->row[i];
    s->n = c >= 0 ? kept : 0;
}

struct repstats review_stat(const struct review *v, const struct sel *s, const char *col)
{
    struct repstats st = { 0, NAN, NAN, NAN };
    int c = tab_find(&v->r.t, col);
    double *x = malloc((s->n + 1) * sizeof *x);
    if (c >= 0 && x) {
        for (size_t i = 0; i < s->n; i++)
            x[i] = tab_num(&v->r.t, s->row[i], (size_t)c);
        repstats_of(x, s->n, &st);
    }
    free(x);
    return st;
}

struct vd_mean review_mean(const struct repstats *st)
{
    struct vd_mean m = { st->mean, st->ci95 };
    return m;
}

/* The gilsim run command that reproduces row `row`: every parameter that differs from its
 * default. */
void review_command(const struct review *v, size_t row, char *buf, size_t len)
{
    size_t used = (size_t)snprintf(buf, len, "gilsim run");
    for (size_t c = 1; c < v->r.t.keycols && used < len; c++) {
        const struct param *d = param_find(v->r.t.name[c]);
        const char *cell = tab_at(&v->r.t, row, c);
        if (!d || cell_cmp(cell, d->def) == 0 || (strcmp(d->def, "auto") == 0))
            continue;
        used += (size_t)snprintf(buf + used, len - used, strchr(cell, ' ') ? " '--%s=%s'" :
                                 " --%s=%s", v->r.t.name[c], cell);
    }
}

/* ---- figures ---- */

int review_xy(struct review *v, struct rfig *rf, struct xy_plot *p, struct sel *s,
              const char *x, const char *y, const char *by, const char *facet,
              const char *suffix)
{
    struct xy_spec spec = { tab_find(&v->r.t, x), tab_find(&v->r.t, y),
                            by ? tab_find(&v->r.t, by) : -1, facet ? tab_find(&v->r.t, facet) : -1 };
    char err[512];
    if (spec.x < 0 || spec.y < 0)
        return report_skip(rf, "no column %s or %s", x, y), 1;
    if (xy_build(p, &v->r.t, s, &spec, suffix, err, sizeof err) < 0)
        return report_skip(rf, "%s", err), 1;
    return 0;
}

/* Draws p as file with the caption `how` and the page's stamp. */
int review_draw(struct review *v, struct rfig *rf, const char *file, struct xy_plot *p,
                const struct sel *s, const char *how)
{
    char valid[512];
    /* a figure without a unit column (speedup, break-even) is drawn from throughput */
    review_fig_validation(v, s, p->yunit_col[0] ? p->yunit_col : "throughput", valid,
                          sizeof valid);
    size_t used = strlen(p->fixed);
    snprintf(p->fixed + used, sizeof p->fixed - used, "%s%s", used ? ", " : "", v->stamp);
    report_how(rf, "%s Stamp: %s. %s", how, v->stamp, valid);
    return report_draw_xy(&v->r, rf, file, p);
}

/* ---- the page ---- */

static void add_question(struct review *v, const char *q, const char *sentence, size_t fig)
{
    if (v->nq >= sizeof v->q / sizeof v->q[0])
        return;
    struct question *e = &v->q[v->nq++];
    snprintf(e->q, sizeof e->q, "%s", q);
    snprintf(e->sentence, sizeof e->sentence, "%s", sentence);
    e->fig = fig;
}

void review_answer(struct review *v, const char *q, const char *sentence, size_t fig)
{
    add_question(v, q, sentence, fig);
}

/* The seeds of the rows, "1-5 (5 per point)"; the stamp of every figure. */
static void make_stamp(struct review *v)
{
    int seed = tab_find(&v->r.t, "seed");
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; seed >= 0 && i < v->r.t.nrows; i++) {
        double x = tab_num(&v->r.t, i, (size_t)seed);
        lo = fmin(lo, x);
        hi = fmax(hi, x);
    }
    snprintf(v->stamp, sizeof v->stamp, "gilsim %s, scenario %s, seeds %g-%g", GILSIM_VERSION,
             v->in->spec ? v->in->spec : "(rows only)", lo, hi);
}

int review_write_file(struct review *v, const char *name, const char *data, size_t len)
{
    char *path = report_join(v->r.dir, name);
    int rc = path ? write_whole(path, data, len, v->r.err, sizeof v->r.err) : -1;
    free(path);
    return rc;
}

/* rows-FAMILY.csv for each family: the header and the family's rows, as in results.csv. */
static int write_family_csvs(struct review *v)
{
    char done[4096] = ","; /* the families written, ",a,b," */
    for (size_t i = 0; i < v->in->nrows; i++) {
        const char *names = v->in->family[i];
        for (const char *fp = names; fp && *fp; fp += strcspn(fp, ",") + (fp[strcspn(fp, ",")] != 0)) {
            char fam[256], key[260];
            snprintf(fam, sizeof fam, "%.*s", (int)strcspn(fp, ","), fp);
            snprintf(key, sizeof key, ",%s,", fam);
            if (strstr(done, key) || strlen(done) + strlen(key) >= sizeof done)
                continue;
            strcat(done, fam);
            strcat(done, ",");
            struct sel s;
            char *buf = NULL;
            size_t len = 0;
            FILE *f;
            if (review_family(v, fam, 0, &s) != 0)
                return -1;
            if (!(f = open_memstream(&buf, &len))) {
                sel_free(&s);
                return -1;
            }
            for (size_t c = 0; c < v->r.t.ncols; c++)
                fprintf(f, "%s%s", c ? "," : "", v->r.t.name[c]);
            fputc('\n', f);
            for (size_t k = 0; k < s.n; k++) {
                for (size_t c = 0; c < v->r.t.ncols; c++)
                    fprintf(f, "%s%s", c ? "," : "", tab_at(&v->r.t, s.row[k], c));
                fputc('\n', f);
            }
            sel_free(&s);
            if (fclose(f) != 0) {
                free(buf);
                return -1;
            }
            char name[128];
            report_file_name(name, sizeof name, "rows-", fam, ".csv");
            int rc = review_write_file(v, name, buf, len);
            free(buf);
            if (rc != 0)
                return -1;
        }
    }
    return 0;
}

static int write_verdict_csv(struct review *v)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return -1;
    fputs("question,figure,sentence\n", f);
    for (size_t i = 0; i < v->nq; i++) {
        rows_put_cell(f, v->q[i].q);
        fputc(',', f);
        rows_put_cell(f, v->q[i].fig < v->r.nfig ? v->r.fig[v->q[i].fig].file : "");
        fputc(',', f);
        rows_put_cell(f, v->q[i].sentence);
        fputc('\n', f);
    }
    if (fclose(f) != 0) {
        free(buf);
        return -1;
    }
    int rc = review_write_file(v, "verdict.csv", buf, len);
    free(buf);
    return rc;
}

/* 1 if `name` is an item of the comma-separated `list`. */
static int in_list(const char *list, const char *name)
{
    size_t len = strlen(name);
    for (const char *g = list; *g; g += strcspn(g, ",") + (g[strcspn(g, ",")] ? 1 : 0))
        if (strncmp(g, name, len) == 0 && (g[len] == ',' || !g[len]))
            return 1;
    return 0;
}

/* How often each GIL scheme's GIL (review_in.gils) changed hands per run: a GIL that switches
 * a few times is serial execution, not the GIL under test. */
static void html_switches(struct review *v, FILE *f)
{
    const char **schemes;
    int sc = tab_find(&v->r.t, "scheme"), sw = tab_find(&v->r.t, "switches");
    size_t n = sc >= 0 && sw >= 0 ? sel_values(&v->r.t, &v->r.s, sc, &schemes) : 0;
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (!in_list(v->in->gils, schemes[i]))
            continue;
        double lo = INFINITY, hi = -INFINITY;
        for (size_t k = 0; k < v->r.s.n; k++)
            if (strcmp(tab_at(&v->r.t, v->r.s.row[k], (size_t)sc), schemes[i]) == 0) {
                double x = tab_num(&v->r.t, v->r.s.row[k], (size_t)sw);
                lo = fmin(lo, x);
                hi = fmax(hi, x);
            }
        fprintf(f, "%s", any++ ? "; " : "<p>GIL baselines: ");
        report_html_text(f, schemes[i]);
        fprintf(f, " handed its GIL over %g-%g times per run%s", lo, hi, lo >= 20 ? "" :
                " (<span class=\"flag\">fewer than 20 in some runs: those are close to serial "
                "execution, not a GIL under contention; lengthen them</span>)");
    }
    if (any)
        fprintf(f, ".</p>\n");
    free(n ? schemes : NULL);
}

static int write_index(struct review *v)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return -1;
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
            "<meta name=\"generator\" content=\"gilsim review\">\n<title>gilsim review: ");
    report_html_text(f, v->in->spec ? v->in->spec : v->in->csv);
    fprintf(f, "</title>\n<style>\nbody{font-family:sans-serif;max-width:1280px;margin:1em auto;"
            "padding:0 1em;color:#222}\ntable{border-collapse:collapse;margin:.5em 0}\n"
            "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}\n"
            "figure{margin:1.5em 0;border-top:1px solid #ddd;padding-top:.5em}\n"
            "img{max-width:100%%;height:auto}\n.skipped{color:#8a4b00}\ncode{font-size:90%%}\n"
            "#verdict li{margin:.4em 0}\n.flag{color:#a00}\n"
            "</style></head>\n<body data-images=\"pending\">\n<h1>gilsim review</h1>\n<p>");
    report_html_text(f, v->stamp);
    fprintf(f, ". Rows: <a href=\"results.csv\">results.csv</a> (%zu runs; %zu deadlocked, %zu "
            "failed the check), per question <code>rows-FAMILY.csv</code>; sentences: "
            "<a href=\"verdict.csv\">verdict.csv</a>. Every number is a mean over seeds with "
            "its 95%% confidence interval in brackets (Student t), or a share of runs with its "
            "95%% Wilson interval.</p>\n", v->r.t.nrows, v->r.dead, v->r.failed);
    html_switches(v, f);
    fprintf(f, "<h2>Verdict</h2>\n<ol id=\"verdict\">\n");
    for (size_t i = 0; i < v->nq; i++) {
        fprintf(f, "<li><b>");
        report_html_text(f, v->q[i].q);
        fprintf(f, "</b> ");
        report_html_text(f, v->q[i].sentence);
        if (v->q[i].fig < v->r.nfig)
            fprintf(f, " <a href=\"#fig%zu\">(figure)</a>", v->q[i].fig + 1);
        fprintf(f, "</li>\n");
    }
    fprintf(f, "</ol>\n<h2>Validation</h2>\n<p>");
    report_html_text(f, v->validated);
    fprintf(f, "</p>\n");
    review_html_extra(v, f);
    fprintf(f, "<h2>Figures</h2>\n");
    report_html_figures(f, &v->r);
    report_html_end(f);
    if (fclose(f) != 0) {
        free(buf);
        return -1;
    }
    int rc = review_write_file(v, "index.html", buf, len);
    free(buf);
    return rc;
}

int review_page(const struct review_in *in, char *err, size_t errlen)
{
    struct review *v = calloc(1, sizeof *v);
    int rc = GS_USAGE, created = 0;
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return GS_FAILED;
    }
    v->in = in;
    v->r.csv = in->csv;
    if (tab_load(&v->r.t, in->csv, v->r.err, sizeof v->r.err) != 0)
        goto done;
    if (sel_all(&v->r.t, &v->r.all) != 0 || sel_dup(&v->r.all, &v->r.s) != 0) {
        rc = GS_FAILED;
        goto done;
    }
    sel_drop_failed(&v->r.t, &v->r.s, &v->r.dead, &v->r.failed);
    make_stamp(v);
    if (review_validation(v) != 0)
        goto done;
    if ((created = report_dir_check(in->dir, v->r.err, sizeof v->r.err)) < 0)
        goto done;
    rc = GS_FAILED;
    if (!(v->r.dir = report_dir_begin(in->dir, v->r.err, sizeof v->r.err)))
        goto done;
    if (review_questions(v) != 0 || write_family_csvs(v) != 0 || write_verdict_csv(v) != 0 ||
        write_index(v) != 0)
        goto done;
    int put = report_dir_commit(v->r.dir, in->dir, in->csv, v->r.err, sizeof v->r.err);
    if (put != 0) {
        rc = put == -2 ? GS_USAGE : GS_FAILED;
        goto done;
    }
    rc = GS_OK;
done:
    if (rc != GS_OK)
        snprintf(err, errlen, "%s", v->r.err[0] ? v->r.err : "out of memory");
    if (rc != GS_OK && v->r.dir)
        report_dir_remove(v->r.dir);
    (void)created;
    free(v->r.dir);
    sel_free(&v->r.all);
    sel_free(&v->r.s);
    tab_free(&v->r.t);
    free(v);
    return rc;
}
