/* A figure of gilsim report (see report_int.h): its record in the index (title, how it is
 * computed, or the note saying why it was skipped) and the drawing of a line figure into the
 * report's directory with plots/templates/xy.gp. */
#include <math.h>
#include <stdarg.h>
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
