/* A figure of gilsim report (see report_int.h): its record in the index (title, how it is
 * computed, or the note saying why it was skipped) and the drawing of a line figure into the
 * report's directory with plots/templates/xy.gp. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_figure.h"
#include "plot_xy.h"
#include "report_int.h"

struct rfig *report_add_fig(struct report *r, const char *title)
{
    struct rfig *f = &r->fig[r->nfig < MAX_FIGS - 1 ? r->nfig++ : r->nfig];
    memset(f, 0, sizeof *f);
    snprintf(f->title, sizeof f->title, "%s", title);
    return f;
}

int report_skip(struct rfig *rf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rf->note, sizeof rf->note, fmt, ap);
    va_end(ap);
    return 0;
}

void report_how(struct rfig *rf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rf->how, sizeof rf->how, fmt, ap);
    va_end(ap);
}

double report_spread(const struct xy_plot *p, char axis)
{
    double lo = INFINITY, hi = 0;
    for (size_t i = 0; i < p->ns; i++)
        for (size_t j = 0; j < p->s[i].n; j++) {
            double v = axis == 'x' ? p->s[i].pt[j].x : p->s[i].pt[j].y.mean;
            if (v <= 0)
                return 0;
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
    return lo < INFINITY ? hi / lo : 0;
}

void report_file_name(char *buf, size_t len, const char *prefix, const char *cell,
                      const char *ext)
{
    enum { SLUG_MAX = 40 };
    char slug[SLUG_MAX + 1];
    size_t n = 0;
    int changed = cell[0] == '.' || cell[0] == '\0';
    for (const char *c = cell; *c; c++) {
        int safe = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                   (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-';
        changed |= !safe || n == SLUG_MAX;
        if (n < SLUG_MAX)
            slug[n++] = safe ? *c : '_';
    }
    slug[n] = '\0';
    if (slug[0] == '.')
        slug[0] = '_';
    if (!changed) {
        snprintf(buf, len, "%s%s%s", prefix, slug, ext);
        return;
    }
    uint32_t h = 2166136261u; /* FNV-1a of the whole cell */
    for (const char *c = cell; *c; c++)
        h = (h ^ (unsigned char)*c) * 16777619u;
    snprintf(buf, len, "%s%s-%08x%s", prefix, slug, (unsigned)h, ext);
}

int report_draw_xy(struct report *r, struct rfig *rf, const char *file, const struct xy_plot *p)
{
    struct fig f;
    char *path = report_join(r->dir, file);
    int rc = -1;
    if (path && fig_begin(&f, path, "xy", r->err, sizeof r->err) == 0) {
        xy_write(&f, p);
        rc = fig_end(&f, r->err, sizeof r->err);
    }
    if (rc == 0)
        snprintf(rf->file, sizeof rf->file, "%s", file);
    free(path);
    return rc;
}
