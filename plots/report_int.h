/* What the parts of gilsim report share: the report being built (its rows, figures and
 * break-even findings) and the functions one part calls in another. report.c runs the command,
 * report_dir.c owns DIR, report_fig.c a figure's record, report_slice.c points and panels,
 * report_lines.c, report_heatmap.c and report_breakeven.c the figures, report_html.c the page. */
#ifndef GILSIM_PLOTS_REPORT_INT_H
#define GILSIM_PLOTS_REPORT_INT_H

#include <stddef.h>
#include <stdio.h>

#include "plot_table.h"
#include "plot_xy.h"
#include "repstats.h"

#define MAX_FIGS 32
#define MAX_BE 512
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

/* The metrics the report folds per point (report_load.c). */
enum { RM_THR, RM_WAIT, RM_P50, RM_P99, RM_MODEL, RM_N };

/* What the report keeps of the runs of one point (rows equal on every parameter but seed)
 * that match --where, folded while reading: counts, the running statistics of the metrics the
 * figures show, and the throughputs for the medians of the sim-vs-native figure. */
struct rpoint {
    char *cells;           /* the key cells of its first run, split (r->t's cells point in) */
    size_t all, dead, failed, clean; /* runs: matching; deadlocked; failed the check; others */
    size_t delegating;     /* clean runs with delegations > 0 */
    struct repstats_fold acc[RM_N]; /* over the clean runs: throughput, wait_share; over the
                                      delegating ones: lat_p50, lat_p99, lat_model */
    double model0;         /* sharing_breakeven_model of the first clean run with a throughput */
    int has_model0, any_model; /* any_model: a clean run has a number in lat_model */
    double *thr;           /* the clean runs' throughputs (kept with a backend column) */
    size_t nthr, thrcap;
};

struct report {
    const char *csv;
    const char *baseline; /* the scheme the delegating ones are compared with (--baseline) */
    struct tab t;   /* folded: one row per point with a run matching --where */
    struct sel all; /* every row of t */
    struct sel s;   /* the rows (points) with a run that neither deadlocked nor failed the
                       check */
    size_t runs, nall, used, dead, failed; /* runs: read; matching --where; used; left out */
    struct rpoint *pt; /* per point of the file (point_index order) */
    size_t npt;
    size_t *rowpt;  /* per row of t: its point in pt */
    int mcol[RM_N]; /* the folded columns, -1 if absent */
    const char **seeds; /* the distinct seeds of the runs matching --where, sorted */
    size_t nseeds;
    char *header;   /* the header's cells (t's names point in) */
    char *dir;      /* the temporary directory figures are drawn into */
    struct rfig fig[MAX_FIGS];
    size_t nfig;
    struct breakeven be[MAX_BE]; /* filled by the heatmaps, drawn by report_breakeven */
    size_t nbe;
    int scheme, N, sharing, cores, thr; /* columns, -1 if absent */
    char err[4096];
};

/* One point: a representative row and the statistics of a metric over its seeds. */
struct point {
    size_t row;
    struct repstats y;
};

/* ---- the input (report_load.c) ---- */
/* Reads r->csv a row at a time, keeping the runs that match where[0..nwhere) folded per
 * point into r->t, r->all and r->s, with the counts. A run met twice is refused. The exit
 * status: GS_OK, or GS_USAGE or GS_FAILED with r->err set. */
int report_load(struct report *r, const char *const *where, int nwhere);
void report_load_free(struct report *r);
/* The point of row `row` of r->t. */
const struct rpoint *report_pt(const struct report *r, size_t row);
/* Keeps the rows of s with a clean run that delegated (delegations > 0). */
void report_keep_delegating(const struct report *r, struct sel *s);

/* ---- the figures, in the order of the index; each returns -1 (r->err set) only if drawing
 * failed, and records a skipped figure with its note ---- */
int report_throughput(struct report *r);  /* report_lines.c */
int report_speedup(struct report *r);     /* report_lines.c */
int report_heatmaps(struct report *r);    /* report_heatmap.c: also fills r->be */
int report_latency(struct report *r);     /* report_lines.c */
int report_wait_share(struct report *r);  /* report_lines.c */
int report_breakeven(struct report *r);   /* report_breakeven.c: from r->be */
int report_sim_native(struct report *r);  /* report_backend.c: only with both backends */
/* Writes r->dir/index.html; -1 with r->err set if it cannot (report_html.c). */
int report_write_index(struct report *r);
/* The page's one HTML escape (text and attribute values from data), report_html.c. */
void report_html_text(FILE *f, const char *s);
/* Each figure of r: <figure id="figK"> (K from 1) with its image, caption and files, or the
 * note saying why it was skipped. */
void report_html_figures(FILE *f, const struct report *r);
/* The script that marks <body data-images="ok|missing"> once the images loaded, and the end
 * of the page. */
void report_html_end(FILE *f);
/* The simulated break-even of one row of a heatmap (speedups q[0..n) at sharing x[0..n), NaN
 * where no point): the sharing where the speedup first falls through 1, linearly
 * interpolated; NaN with *why set if it does not (report_breakeven.c). */
double report_crossing(const double *x, const double *q, size_t n, const char **why);

/* Turns each line of p into its speedup over its first point (the fewest cores): that point
 * becomes exactly 1, the others the ratio with its first-order 95% half-width (report_lines.c). */
void report_to_speedup(struct xy_plot *p);

/* ---- a figure's record and drawing (report_fig.c) ---- */
/* Appends a figure titled `title` to the index (the last slot is reused once full). */
struct rfig *report_add_fig(struct report *r, const char *title);
/* Writes (printf-like) why the figure is skipped; returns 0, what a figure returns then. */
int report_skip(struct rfig *rf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes (printf-like) how the figure is computed, for its caption. */
void report_how(struct rfig *rf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* max / min of the x or y of a figure's points; 0 if one is <= 0. */
double report_spread(const struct xy_plot *p, char axis);
/* A figure's file name from a CSV cell: prefix + the cell + ext when the cell is a safe
 * name (letters, digits, '.', '_', '-', not starting with '.', at most 40 characters); else
 * prefix + a slug of it (unsafe characters as '_', cut at 40) + '-' + a hash of the cell, so
 * that no cell breaks out of the report directory or into the page, and two cells never share
 * a file. */
void report_file_name(char *buf, size_t len, const char *prefix, const char *cell,
                      const char *ext);
/* Draws p with plots/templates/xy.gp as r->dir/file and names the file in rf; -1 with r->err set if
 * that fails. */
int report_draw_xy(struct report *r, struct rfig *rf, const char *file, const struct xy_plot *p);

/* ---- points and panels (report_slice.c) ---- */
/* The place of cell among the values v[0..n) (numbers by value), or -1. */
int report_index_of(const char **v, size_t n, const char *cell);
/* The number of distinct values of col in s (0 if col is absent). */
size_t report_nvalues(const struct report *r, const struct sel *s, int col);
/* Groups s by every parameter but seed; one point per group with the statistics of column y
 * over its rows. Returns the count (*out malloc'd). */
size_t report_points(const struct report *r, struct sel *s, int y, struct point **out);
/* Ratio a / b of two means with the first-order (delta method) 95% half-width. */
struct repstats report_ratio(const struct repstats *a, const struct repstats *b);
/* Cuts s to what one figure shows, its own axes being base[0..nbase): one panel per value of
 * one further parameter, every other one pinned to a value. Returns the panel column (-1 if
 * none); words gets the caption's sentences about panels and pins ("" if none). */
int report_slice(struct report *r, struct sel *s, const int *base, size_t nbase, char *words,
                 size_t len);

/* ---- the output directory (report_dir.c) ---- */
/* "dir/file", malloc'd. */
char *report_join(const char *dir, const char *file);
/* 0 if dir may be written (an existing directory), 1 if it does not exist yet; else -1 with
 * err set. */
int report_dir_check(const char *dir, char *err, size_t errlen);
/* Creates dir (and the missing directories above it) and a private "dir/.gilsim-report.XXXXXX"
 * to draw in; returns the latter, malloc'd. NULL if it cannot, with err set unless out of
 * memory. */
char *report_dir_begin(const char *dir, char *err, size_t errlen);
/* Moves the files of the finished tmp directory into dir and removes the files of the previous
 * report there that this one does not write, per dir's manifest; never replaces or removes a
 * file gilsim did not write, nor the file `input`: -2 with err set, dir as it was, if such a
 * file has the name of a new one; -1 with err set if it cannot write (dir is then as it was,
 * unless a rename fails midway). */
int report_dir_commit(const char *tmp, const char *dir, const char *input, char *err,
                      size_t errlen);
/* Removes the tree at dir. */
void report_dir_remove(const char *dir);

#endif
