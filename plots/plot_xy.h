/* Line figures with error bars: series of points (x, mean of y across reps, 95% CI), one
 * series per value of --by, one panel per value of --facet, built from a results table and
 * written for plots/templates/xy.gp. A point is every row equal on its panel, series and x: rows that
 * differ only in seed are its reps. Parameters that vary besides x, --by and --facet (and
 * would mix points) split series further; their values join the series' name.
 * Invariant: p->s[] holds series grouped by panel in panel order, points sorted by x. */
#ifndef GILSIM_PLOTS_PLOT_XY_H
#define GILSIM_PLOTS_PLOT_XY_H

#include <stddef.h>

#include "plot_figure.h"
#include "plot_table.h"
#include "repstats.h"

struct xy_point {
    double x;
    struct repstats y;
    int wilson;    /* 1: the error bar is [lo, hi], a share's Wilson interval; 0: mean -+ ci95 */
    double lo, hi;
};

struct xy_series {
    char label[256];
    size_t facet;  /* index into p->facet */
    char key[256]; /* the --by value ("" if none): what matches series across builds */
    int color;     /* palette index of the template, from 1; 0: grey (a reference line) */
    int dash;      /* 1: dashed (a model, a reference) */
    int errors;    /* 1: draw the 95% CI bars */
    int point;     /* gnuplot point type; 0: no points */
    struct xy_point *pt;
    size_t n;
};

struct xy_plot {
    char *facet[64]; /* panel labels, "" for a figure of one panel */
    size_t nfacets;
    struct xy_series *s;
    size_t ns, cap;
    char title[256];
    char xname[128], yname[128];   /* shown on the axes */
    char xunit_col[64], yunit_col[64]; /* columns whose units the axes take */
    char fixed[1024];  /* fixed parameters, for the subtitle */
    char notes[512];   /* what was left out */
    char bars[256];    /* what the error bars are, if not the usual 95% CI over seeds */
    int logx, logy;
    int binomial; /* y is 0/1 per run: points are shares with Wilson 95% intervals */
    size_t nmin, nmax; /* reps per point, over all points */
};

/* Columns of one build (-1: not used). */
struct xy_spec {
    int x, y, by, facet;
};

void xy_init(struct xy_plot *p);
void xy_free(struct xy_plot *p);
/* Adds the series of spec over the rows of s (sorted in place) to p; panels are matched by
 * label, so several builds (e.g. p50 and p99) share panels. label_suffix is appended to each
 * series label. Returns the index of the first series added, or -1 with a message (x not
 * numeric, y without numbers, more than 64 panels). */
int xy_build(struct xy_plot *p, const struct tab *t, struct sel *s, const struct xy_spec *spec,
             const char *label_suffix, char *err, size_t errlen);
/* Adds an empty series (e.g. derived data) in panel `facet`; NULL if out of memory. */
struct xy_series *xy_add_series(struct xy_plot *p, size_t facet, const char *label);
/* Adds a point to a series, its bar mean -+ ci95; -1 if out of memory. */
int xy_add_point(struct xy_series *s, double x, const struct repstats *y);
/* 1 if every x (axis 'x') or y (axis 'y') of the figure is > 0, as a log axis needs. */
int xy_positive(const struct xy_plot *p, char axis);
/* The palette index of a scheme: its place in the registry (colours agree across figures). */
int xy_scheme_color(const char *scheme);
/* Writes the settings and blocks of p into f (plots/templates/xy.gp). */
void xy_write(struct fig *f, const struct xy_plot *p);

#endif
