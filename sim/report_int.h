/* What the parts of gilsim report share (report.c draws the figures, report_html.c writes
 * index.html): the report being built, its figures and break-even findings, and the helpers
 * both use. Private to the report. */
#ifndef GILSIM_SIM_REPORT_INT_H
#define GILSIM_SIM_REPORT_INT_H

#include <stddef.h>

#include "plot_table.h"
#include "repstats.h"

#define MAX_FIGS 32
#define MAX_BE 512
#define BASELINE "gil-interval"
#define MARKER "<meta name=\"generator\" content=\"gilsim report\">"

/* One figure of the index: drawn (file set) or skipped (note set). */
struct rfig {
    char file[96];
    char title[160];
    char how[1024];
    char note[512];
};

/* One simulated break-even (speedup over the baseline = 1 along sharing) and its model. */
struct breakeven {
    char scheme[64], panel[128];
    double N, sim, model;
    const char *why; /* when sim is NaN: why there is no crossing */
};

struct report {
    const char *csv;
    struct tab t;
    struct sel all; /* rows matching --where */
    struct sel s;   /* those that neither deadlocked nor failed the check */
    size_t dead, failed;
    char *dir;      /* the temporary directory figures are drawn into */
    struct rfig fig[MAX_FIGS];
    size_t nfig;
    struct breakeven be[MAX_BE];
    size_t nbe;
    int scheme, N, sharing, cores, thr; /* columns, -1 if absent */
    char err[4096];
};

/* One point: a representative row and the statistics of a metric over its seeds. */
struct point {
    size_t row;
    struct repstats y;
};

/* The number of distinct values of col in s (0 if col is absent). */
size_t report_nvalues(const struct report *r, const struct sel *s, int col);
/* Groups s by every parameter but seed; one point per group with the statistics of column y
 * over its rows. Returns the count (*out malloc'd). */
size_t report_points(const struct report *r, struct sel *s, int y, struct point **out);
/* "dir/file", malloc'd. */
char *report_join(const char *dir, const char *file);
/* Writes r->dir/index.html; -1 with r->err set if it cannot. */
int report_write_index(struct report *r);

#endif
