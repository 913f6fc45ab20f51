/* Scatter figures (see plot_scatter.h): the settings (title, axis labels in the metric's unit,
 * the common range of both axes, the band) and one data block per series. */
#include "plot_scatter.h"

#include <math.h>
#include <stdio.h>

#include "plot_figure.h"
#include "plot_table.h"

/* The points of a series that can be drawn (both coordinates finite). */
static size_t finite_points(const struct scatter_series *ss)
{
    size_t n = 0;
    for (size_t j = 0; j < ss->n; j++)
        n += isfinite(ss->x[j]) && isfinite(ss->y[j]);
    return n;
}

int scatter_draw(const char *out, const struct scatter *sc, char *err, size_t errlen)
{
    double lo = INFINITY, hi = -INFINITY;
    size_t npts = 0;
    for (size_t i = 0; i < sc->ns; i++)
        for (size_t j = 0; j < sc->s[i].n; j++) {
            double x = sc->s[i].x[j], y = sc->s[i].y[j];
            if (!isfinite(x) || !isfinite(y))
                continue;
            lo = fmin(lo, fmin(x, y));
            hi = fmax(hi, fmax(x, y));
            npts++;
        }
    if (npts == 0)
        return 1;
    int logscale = lo > 0 && hi / lo > 20;
    double pad = logscale ? 0 : (hi - lo) * 0.05 + (hi == lo ? fabs(hi) * 0.1 + 1e-12 : 0);
    double lo_axis = logscale ? lo / 1.2 : lo - pad, hi_axis = logscale ? hi * 1.2 : hi + pad;
    if (!logscale && lo >= 0 && lo_axis < 0)
        lo_axis = 0;
    char label[256];
    double scale = 1;
    struct fig f;
    if (fig_begin(&f, out, "scatter", err, errlen) != 0)
        return -1;
    fig_meta(&f, "title", "%s", sc->title);
    fig_meta(&f, "subtitle", "%s", sc->subtitle ? sc->subtitle : "");
    col_label(sc->column, "native", fmax(fabs(lo), fabs(hi)), label, sizeof label, &scale);
    fig_meta(&f, "xlabel", "%s: %s", sc->column, label);
    col_label(sc->column, "simulated", fmax(fabs(lo), fabs(hi)), label, sizeof label, &scale);
    fig_meta(&f, "ylabel", "%s: %s", sc->column, label);
    fig_meta(&f, "scale", "%.12f", scale); /* gnuplot reads no exponents */
    fig_meta(&f, "min", "%.15f", lo_axis);
    fig_meta(&f, "max", "%.15f", hi_axis);
    fig_meta(&f, "band", "%.6f", sc->band);
    fig_meta(&f, "log", "%d", logscale);
    /* The settings of every drawn series first (settings come before the blocks). */
    char blocks[1024] = "", key[32];
    size_t used = 0;
    int b = 0;
    for (size_t i = 0; i < sc->ns; i++) {
        if (!finite_points(&sc->s[i]))
            continue;
        b++;
        snprintf(key, sizeof key, "label%d", b);
        fig_meta(&f, key, "%s", sc->s[i].label);
        snprintf(key, sizeof key, "colour%d", b);
        fig_meta(&f, key, "%d", sc->s[i].color > 0 ? sc->s[i].color : 1);
        if (used < sizeof blocks)
            used += (size_t)snprintf(blocks + used, sizeof blocks - used, "%s%d", b > 1 ? " " : "",
                                     b);
    }
    fig_meta(&f, "blocks", "%s", blocks);
    for (size_t i = 0; i < sc->ns; i++) {
        if (!finite_points(&sc->s[i]))
            continue;
        fig_block(&f, "%s: native, simulated", sc->s[i].label);
        for (size_t j = 0; j < sc->s[i].n; j++)
            if (isfinite(sc->s[i].x[j]) && isfinite(sc->s[i].y[j]))
                fprintf(f.dat, "%.9g %.9g\n", sc->s[i].x[j], sc->s[i].y[j]);
    }
    return fig_end(&f, err, errlen);
}
