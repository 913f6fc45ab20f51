/* A results CSV as a table of cells for the plots and the report: columns found by name (with
 * a one-line error listing the available ones), rows selected by --where and by outcome, rows
 * grouped by the cells of some columns, and what the axes are called (column + unit).
 * Invariant: a selection is an array of row indices; grouping sorts it in place, so the rows
 * of one group are contiguous and groups come in the order of their cells (numbers by value). */
#ifndef GILSIM_PLOTS_PLOT_TABLE_H
#define GILSIM_PLOTS_PLOT_TABLE_H

#include <stddef.h>

#include "repstats.h"
#include "results_rows.h"

struct tab {
    const char *path;
    struct rows rows;
    size_t ncols, nrows;
    size_t keycols; /* schema + parameter columns; metrics follow */
    char **name;    /* ncols header cells: row 0 of rows_cells(&rows), the array to free */
    char **cell;    /* nrows x ncols cells, row-major: the rows after it */
    unsigned char *same; /* per key column: 1 if every row's cell equals row 0's (cell_cmp) */
    /* A table folded per point while reading (gilsim report, report_load.c): each row stands
     * for the runs of one point, its metric cells are "", and fold(t, row, col) gives the
     * running statistics of metric col over those runs (NULL if col is not folded). NULL: a
     * table of runs, one per row. */
    const struct repstats_fold *(*fold)(const struct tab *t, size_t row, int col);
    /* In a folded table, the values of metric col in the runs of row, where the fold keeps
     * them (for medians); 0 if it does not. */
    size_t (*fold_runs)(const struct tab *t, size_t row, int col, const double **v);
    void *fold_ctx;
};

/* Reads a gilsim CSV; -1 with a one-line message in err if it cannot be read or parsed or has
 * no rows. */
int tab_load(struct tab *t, const char *path, char *err, size_t errlen);
void tab_free(struct tab *t);
/* -1 with "PATH:LINE: the run of line K again ..." (point_index.h) if two rows are the same
 * run (the same key cells and seed), else 0. */
int tab_check_runs(const struct tab *t, char *err, size_t errlen);

static inline const char *tab_at(const struct tab *t, size_t row, size_t col)
{
    return t->cell[row * t->ncols + col];
}
/* The cell as a number; NaN if it is not one. */
double tab_num(const struct tab *t, size_t row, size_t col);
/* Column index of `name`, or -1. */
int tab_find(const struct tab *t, const char *name);
/* Column index of `name`, or -1 with "OPT: no column 'name' in PATH (did you mean 'x'?
 * columns: a, b, ...)" in err. */
int tab_need(const struct tab *t, const char *opt, const char *name, char *err, size_t errlen);
/* 1 if the column is a parameter (not schema, not a metric). */
int tab_is_param(const struct tab *t, int col);

/* A selection of rows. */
struct sel {
    size_t *row;
    size_t n;
};
/* All rows; -1 if out of memory. */
int sel_all(const struct tab *t, struct sel *s);
void sel_free(struct sel *s);
/* A copy of from; -1 if out of memory. */
int sel_dup(const struct sel *from, struct sel *to);
/* Keeps the rows where COLUMN equals one of the comma-separated VALUEs of "COLUMN=V1,V2"
 * (numbers compare by value). -1 with a message if the column is unknown or the text is not
 * COLUMN=VALUE. */
int sel_where(const struct tab *t, struct sel *s, const char *expr, char *err, size_t errlen);
/* sel_where's reading of "COLUMN=V1,V2": the column (-1 with the message) and the list. */
int tab_where(const struct tab *t, const char *expr, const char **list, char *err,
              size_t errlen);
/* 1 if cell is one of the comma-separated values of list: the same text, or, both numbers,
 * the same value (0.05 is 0.050 and 5e-2). */
int cell_in_list(const char *cell, const char *list);
/* Drops rows with deadlock=1 or check other than ok (columns absent: nothing dropped); counts
 * what it dropped of each. */
void sel_drop_failed(const struct tab *t, struct sel *s, size_t *deadlocked, size_t *failed);
/* Drops the rows that failed the check without deadlocking (a deadlocked run fails it too);
 * counts them. */
void sel_drop_failed_only(const struct tab *t, struct sel *s, size_t *failed);
/* The statistics of metric col over the runs of rows[0..n): their cells (repstats_of; y needs
 * n slots, and gets the values), or in a folded table their running statistics merged. */
void tab_stats(const struct tab *t, const size_t *rows, size_t n, int col, double *y,
               struct repstats *st);
/* Keeps the rows whose column `col` holds a finite number (folded: a run of the row does). */
void sel_keep_numeric(const struct tab *t, struct sel *s, int col);
/* Keeps the rows whose column `col` holds a number > 0 (none if col < 0). */
void sel_keep_positive(const struct tab *t, struct sel *s, int col);

/* Sorts s by the cells of cols[0..ncols-1] (then by row) and writes the start of each group
 * of equal cells to start[], with start[ngroups] = s->n; start needs s->n + 1 slots. Returns
 * the number of groups. */
size_t sel_group(const struct tab *t, struct sel *s, const int *cols, size_t ncols,
                 size_t *start);
/* 1 if column col holds two different values within one of the groups. */
int sel_varies(const struct tab *t, const struct sel *s, const size_t *start, size_t ngroups,
               int col);
/* The distinct values of column col in s, sorted (numbers by value); pointers into the table.
 * Returns the count; *out is malloc'd (NULL if none or out of memory). */
size_t sel_values(const struct tab *t, const struct sel *s, int col, const char ***out);
/* Orders two cells, numbers by value. */
int cell_cmp(const char *a, const char *b);

/* The parameters that vary in s besides base[0..nbase-1] (and seed) and would otherwise
 * mix different points: a parameter is one if it takes two values among rows equal on base
 * and on the ones found before it (a knob that follows from another parameter, like a scheme's
 * preset, is not). Writes them to extra (room for keycols) and returns how many. */
size_t sel_extras(const struct tab *t, struct sel *s, const int *base, size_t nbase, int *extra);
/* The parameters with one value in s, as "name=value" joined by ", ": the ones always worth
 * naming (scheme, threads, cores, N, sharing) and the others that differ from their default
 * (knobs whose default is a preset, "auto" or -1, are left out); "" if none. */
void sel_fixed(const struct tab *t, const struct sel *s, char *buf, size_t len);

/* Axis label "shown (unit)" (or "shown"), the unit being column `col`'s (parameter table or
 * CSV columns). Values are to be multiplied by *scale, chosen from the largest value: times
 * under a second in ms, us or ns; other units from 10^4 up in k, M or G (e.g. Mops/s). */
void col_label(const char *col, const char *shown, double maxabs, char *buf, size_t len,
               double *scale);
/* The unit part of col_label alone ("" if none). */
void col_unit(const char *col, double maxabs, char *unit, size_t len, double *scale);

#endif
