/* gilsim report's page (see report.h): DIR/index.html with the sweep's parameters, the key
 * numbers per scheme, the break-even table and every figure with how it is computed, or the
 * note saying why it was skipped. Self-contained: inline style and script, images and data by
 * relative path. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "plot_figure.h"
#include "plot_table.h"
#include "report_int.h"

/* The page's one escape: every text or attribute value that comes from data (CSV cells,
 * column and file names, captions) goes through it; n bytes of s. */
static void html_n(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n && s[i]; i++)
        switch (s[i]) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(s[i], f);
        }
}

static void html(FILE *f, const char *s) { html_n(f, s, strlen(s)); }

void report_html_text(FILE *f, const char *s) { html(f, s); }

/* The sweep: parameters that vary (with their values) and those fixed. */
static void html_params(FILE *f, const struct report *r)
{
    int seed = tab_find(&r->t, "seed");
    struct sel byscheme;
    size_t *start = malloc((r->all.n + 1) * sizeof *start), ng = 0;
    if (start && r->scheme >= 0 && sel_dup(&r->all, &byscheme) == 0)
        ng = sel_group(&r->t, &byscheme, &r->scheme, 1, start);
    else
        byscheme.row = NULL;
    fprintf(f, "<h2>The sweep</h2>\n<p>%zu rows from <code>", r->runs);
    html(f, r->csv);
    fprintf(f, "</code>; %zu match, %zu used, %zu left out (%zu deadlocked, %zu failed the "
            "check).</p>\n<table><tr><th>parameter</th><th>values</th><th></th></tr>\n",
            r->nall, r->used, r->dead + r->failed, r->dead, r->failed);
    for (size_t c = 1; c < r->t.keycols; c++) {
        const char **v = NULL;
        size_t n = (int)c == seed ? r->nseeds : sel_values(&r->t, &r->all, (int)c, &v);
        if ((int)c == seed)
            v = r->seeds; /* the table is folded per point: seeds are kept apart */
        if (n > 1 || (int)c == seed) {
            fprintf(f, "<tr><td>");
            html(f, r->t.name[c]);
            fprintf(f, "</td><td>");
            for (size_t i = 0; i < n && i < 24; i++) {
                fputs(i ? ", " : "", f);
                html(f, v[i]);
            }
            if (n > 24)
                fprintf(f, ", ... (%zu values)", n);
            int preset = ng && (int)c != r->scheme && n > 1 &&
                         !sel_varies(&r->t, &byscheme, start, ng, (int)c);
            fprintf(f, "</td><td>%s</td></tr>\n", (int)c == seed ? "reps" :
                    preset ? "follows the scheme (its preset)" : "swept");
        }
        if ((int)c != seed)
            free(v);
    }
    fprintf(f, "</table>\n<details><summary>Fixed parameters</summary><p>");
    for (size_t c = 1, k = 0; c < r->t.keycols; c++) {
        const char **v = NULL;
        if ((int)c == seed ? r->nseeds == 1 && (v = r->seeds) :
            sel_values(&r->t, &r->all, (int)c, &v) == 1) {
            fprintf(f, "%s<code>", k++ ? ", " : "");
            html(f, r->t.name[c]);
            fputc('=', f);
            html(f, v[0]);
            fputs("</code>", f);
        }
        if ((int)c != seed)
            free(v);
    }
    fprintf(f, "</p></details>\n");
    if (byscheme.row)
        sel_free(&byscheme);
    free(start);
}

/* The model: the fidelity parameters (the OS under the threads, the wake order,
 * re-check before sleep, free-threading's reads and reference counts, thread classes) with
 * their values in this sweep and what each stands for (the parameter table's own line). */
static void html_model(FILE *f, const struct report *r)
{
    static const char *const extra[] = { "sleep_ns", "ft_reads", "ft_refcount", "rc_ns",
                                         "classes" };
    fprintf(f, "<h2>The model</h2>\n<p>What the simulator adds between a scheme's decisions "
            "(docs/design.md, \"The OS under the threads\"): wake-ups drawn from a "
            "distribution, timer slack on sleeps and timed waits, an OS scheduler with run "
            "queues and time slices when threads outnumber cores, glibc's condvar wake order, "
            "block waiters that re-check before sleeping, free-threading's optimistic reads and "
            "biased reference counting, thread classes, and each cost charged only to the "
            "schemes that pay it. The values in this sweep:</p>\n<table><tr><th>parameter</th>"
            "<th>values</th><th>what it models</th></tr>\n");
    for (size_t i = 0; i < param_count; i++) {
        const struct param *d = &param_table[i];
        int fidelity = strcmp(d->group, "os") == 0;
        for (size_t k = 0; k < sizeof extra / sizeof extra[0]; k++)
            fidelity |= strcmp(d->name, extra[k]) == 0;
        int c = fidelity ? tab_find(&r->t, d->name) : -1;
        if (c < 0)
            continue;
        const char **v;
        size_t n = sel_values(&r->t, &r->all, c, &v);
        fprintf(f, "<tr><td><code>");
        html(f, d->name);
        fprintf(f, "</code></td><td>");
        for (size_t j = 0; j < n && j < 8; j++) {
            fputs(j ? ", " : "", f);
            html(f, v[j][0] ? v[j] : "(none)");
        }
        if (n > 8)
            fprintf(f, ", ... (%zu values)", n);
        fprintf(f, "</td><td>");
        html(f, d->help);
        fprintf(f, "</td></tr>\n");
        free(v);
    }
    fprintf(f, "</table>\n");
}

/* The points of one scheme with a number in col (and, if delegating, delegations > 0); the
 * indices of the lowest and highest mean go to lo and hi. Returns the count. */
static size_t scheme_points(struct report *r, const char *scheme, int col, int delegating,
                            struct point **pt, size_t *lo, size_t *hi)
{
    struct sel s;
    char expr[128];
    size_t np = 0;
    *pt = NULL;
    *lo = *hi = 0;
    if (col < 0 || sel_dup(&r->s, &s) != 0)
        return 0;
    snprintf(expr, sizeof expr, "scheme=%s", scheme);
    sel_where(&r->t, &s, expr, r->err, sizeof r->err);
    sel_keep_numeric(&r->t, &s, col);
    if (delegating)
        report_keep_delegating(r, &s);
    np = s.n ? report_points(r, &s, col, pt) : 0;
    for (size_t j = 1; j < np; j++) {
        *lo = (*pt)[j].y.mean < (*pt)[*lo].y.mean ? j : *lo;
        *hi = (*pt)[j].y.mean > (*pt)[*hi].y.mean ? j : *hi;
    }
    sel_free(&s);
    return np;
}

/* "lo .. hi unit" (or "v unit") of a column, in the unit col_unit picks. */
static void html_range(FILE *f, const char *col, double lo, double hi)
{
    char unit[80];
    double scale;
    col_unit(col, fmax(fabs(lo), fabs(hi)), unit, sizeof unit, &scale);
    if (lo == hi)
        fprintf(f, "<td>%.3g ", lo * scale);
    else
        fprintf(f, "<td>%.3g .. %.3g ", lo * scale, hi * scale);
    html(f, unit);
    fputs("</td>", f);
}

/* Key numbers per scheme: runs, outcome, peak throughput and where, latency and waiting. */
static void html_numbers(FILE *f, struct report *r)
{
    const char **v = NULL;
    size_t n = r->scheme >= 0 ? sel_values(&r->t, &r->all, r->scheme, &v) : 0;
    int p99 = tab_find(&r->t, "lat_p99"), ws = tab_find(&r->t, "wait_share");
    int seed = tab_find(&r->t, "seed");
    fprintf(f, "<h2>Key numbers</h2>\n<p>Per scheme, over the points (rows equal but for seed, "
            "means over the seeds) of the runs used.</p>\n<table><tr><th>scheme</th>"
            "<th>runs</th><th>deadlocked</th><th>check FAIL</th><th>peak throughput</th>"
            "<th>at</th><th>lat_p99 (runs that delegated)</th><th>wait_share</th></tr>\n");
    for (size_t i = 0; i < n; i++) {
        size_t runs = 0, dead = 0, fail = 0, lo, hi, np;
        struct point *pt;
        for (size_t k = 0; k < r->all.n; k++)
            if (strcmp(tab_at(&r->t, r->all.row[k], (size_t)r->scheme), v[i]) == 0) {
                const struct rpoint *q = report_pt(r, r->all.row[k]);
                runs += q->all;
                dead += q->dead; /* a deadlocked run also fails the check: counted once, here */
                fail += q->failed;
            }
        fprintf(f, "<tr><td>");
        html(f, v[i]);
        fprintf(f, "</td><td>%zu</td><td>%zu</td><td>%zu</td>", runs, dead, fail);
        if ((np = scheme_points(r, v[i], r->thr, 0, &pt, &lo, &hi)) > 0) {
            char at[512] = "";
            /* The scheme's points, to name what varies among them. */
            struct sel mine = { malloc(np * sizeof *mine.row), 0 };
            for (size_t j = 0; mine.row && j < np; j++)
                mine.row[mine.n++] = pt[j].row;
            for (size_t c = 1, used = 0; mine.row && c < r->t.keycols && used < sizeof at; c++)
                if ((int)c != seed && report_nvalues(r, &mine, (int)c) > 1)
                    used += (size_t)snprintf(at + used, sizeof at - used, "%s%s=%s",
                                             used ? ", " : "", r->t.name[c],
                                             tab_at(&r->t, pt[hi].row, c));
            sel_free(&mine);
            html_range(f, "throughput", pt[hi].y.mean, pt[hi].y.mean);
            fprintf(f, "<td>");
            html(f, at);
            fprintf(f, "</td>");
        } else {
            fprintf(f, "<td>-</td><td></td>");
        }
        free(pt);
        int ycol[] = { p99, ws };
        for (int k = 0; k < 2; k++) {
            if ((np = scheme_points(r, v[i], ycol[k], k == 0, &pt, &lo, &hi)) > 0)
                html_range(f, r->t.name[ycol[k]], pt[lo].y.mean, pt[hi].y.mean);
            else
                fprintf(f, "<td>-</td>");
            free(pt);
        }
        fprintf(f, "</tr>\n");
    }
    fprintf(f, "</table>\n");
    free(v);
    if (r->nbe == 0)
        return;
    fputs("<h3>Break-even sharing against ", f);
    report_html_text(f, r->baseline);
    fprintf(f, "</h3>\n<table><tr><th>scheme</th>"
            "<th>panel</th><th>N</th><th>simulated</th><th>model "
            "(sharing_breakeven_model)</th></tr>\n");
    for (size_t i = 0; i < r->nbe; i++) {
        const struct breakeven *b = &r->be[i];
        fprintf(f, "<tr><td>");
        html(f, b->scheme);
        fprintf(f, "</td><td>");
        html(f, b->panel);
        fprintf(f, "</td><td>%g</td><td>", b->N);
        if (isfinite(b->sim))
            fprintf(f, "%.3g", b->sim);
        else
            html(f, b->why ? b->why : "-");
        fprintf(f, isfinite(b->model) ? "</td><td>%.3g</td></tr>\n" : "</td><td>-</td></tr>\n",
                b->model);
    }
    fprintf(f, "</table>\n");
}

/* The page: self-contained (inline style and script, images by relative path). The script
 * marks <body data-images="ok"> once every image has loaded with a size, "missing" if one
 * has not, so a headless browser can check the page (tests/cli/plots.sh). */
int report_write_index(struct report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        snprintf(r->err, sizeof r->err, "out of memory");
        return -1;
    }
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n" MARKER
            "\n<title>gilsim report: ");
    html(f, r->csv);
    fprintf(f, "</title>\n<style>\nbody{font-family:sans-serif;max-width:1280px;margin:1em auto;"
            "padding:0 1em;color:#222}\ntable{border-collapse:collapse;margin:.5em 0}\n"
            "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}\n"
            "figure{margin:1.5em 0;border-top:1px solid #ddd;padding-top:.5em}\n"
            "img{max-width:100%%;height:auto}\n.skipped{color:#8a4b00}\ncode{font-size:90%%}\n"
            "</style></head>\n<body data-images=\"pending\">\n<h1>gilsim report</h1>\n"
            "<p>From <code>");
    html(f, r->csv);
    fprintf(f, "</code>. Every figure is drawn by gnuplot from the <code>.dat</code> file "
            "beside it; <code>gnuplot FIGURE.gp</code> in this directory redraws it "
            "(docs/plots.md says how to tweak one).</p>\n");
    html_params(f, r);
    html_model(f, r);
    html_numbers(f, r);
    fprintf(f, "<h2>Figures</h2>\n");
    report_html_figures(f, r);
    report_html_end(f);
    if (fclose(f) != 0) {
        free(buf);
        snprintf(r->err, sizeof r->err, "out of memory");
        return -1;
    }
    char *path = report_join(r->dir, "index.html");
    int rc = path ? write_whole(path, buf, len, r->err, sizeof r->err) : -1;
    free(path);
    free(buf);
    return rc;
}

void report_html_figures(FILE *f, const struct report *r)
{
    for (size_t i = 0; i < r->nfig; i++) {
        const struct rfig *g = &r->fig[i];
        fprintf(f, "<figure id=\"fig%zu\"><h3>", i + 1);
        html(f, g->title);
        fprintf(f, "</h3>\n");
        if (g->file[0]) {
            size_t stem = strlen(g->file) - 4;
            fputs("<img src=\"", f);
            html(f, g->file);
            fputs("\" alt=\"", f);
            html(f, g->title);
            fprintf(f, "\">\n<figcaption>");
            html(f, g->how);
            fputs(" Files:", f);
            static const char *const side[] = { ".dat", ".gp" };
            for (int k = 0; k < 2; k++) {
                fputs(k ? ", <a href=\"" : " <a href=\"", f);
                html_n(f, g->file, stem);
                fprintf(f, "%s\">", side[k]);
                html_n(f, g->file, stem);
                fprintf(f, "%s</a>", side[k]);
            }
            fputs(".</figcaption>\n", f);
        } else {
            fprintf(f, "<p class=\"skipped\">Skipped: ");
            html(f, g->note);
            fprintf(f, ".</p>\n");
        }
        fprintf(f, "</figure>\n");
    }
}

void report_html_end(FILE *f)
{
    fprintf(f, "<script>\nwindow.addEventListener(\"load\", function () {\n"
            "  var imgs = document.images, ok = 0;\n"
            "  for (var i = 0; i < imgs.length; i++)\n"
            "    if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;\n"
            "  document.body.setAttribute(\"data-images\", ok === imgs.length ? \"ok\" : "
            "\"missing\");\n"
            "  document.body.setAttribute(\"data-images-loaded\", ok + \"/\" + imgs.length);\n"
            "});\n</script>\n</body></html>\n");
}
