/* The CSV contract, reading side (results.h writes the same columns): results files read back
 * (sweep resume, merge, summarize, plots): a gilsim CSV as its header and its
 * complete rows, the point key of a row (schema and parameter cells: the columns before the
 * metrics), and writing rows so that no reader ever sees half of one. Invariant: a line
 * without its final newline is a write cut short: readers ignore it, appenders drop it. */
#ifndef GILSIM_MODELS_RESULTS_ROWS_H
#define GILSIM_MODELS_RESULTS_ROWS_H

#include <stddef.h>

#include <stdio.h>

#include "atomic_file.h"
#include "params.h"

struct rows {
    char *data;      /* the file's bytes, NUL-terminated; header and line point into it */
    char *header;    /* the first line without its newline; NULL if there is no whole line */
    char **line;     /* the complete data rows, without their newlines */
    size_t n;        /* number of rows */
    size_t ncols;    /* columns of the header */
    size_t keycols;  /* leading columns that identify a point: schema + the parameters */
    size_t good;     /* bytes up to and including the last newline; data + good is the
                        trailing partial line, "" if none */
    size_t size;     /* bytes in the file */
};

/* A key to sort or look up: `len` bytes at `key`; `i` orders equal keys (e.g. row number). */
struct rows_ref {
    const char *key;
    size_t len;
    size_t i;
};

/* Reads the gilsim CSV open on fd (named path in messages). An empty file gives header NULL.
 * -1 with "PATH: ..." or "PATH:LINE: ..." if it is not a gilsim CSV or a row has another
 * number of columns than the header. */
int rows_read_fd(int fd, const char *path, struct rows *r, char *err, size_t errlen);
/* The same for a file name. */
int rows_load(const char *path, struct rows *r, char *err, size_t errlen);
void rows_free(struct rows *r);

/* The longest line rows_stream reads. */
#define ROWS_LINE_MAX ((size_t)4 << 20)
/* Called by rows_stream for each line; nonzero stops the reading (err set). */
typedef int rows_line_fn(void *ctx, char *line, size_t lineno, char *err, size_t errlen);
/* Reads the file at path a block at a time without holding it: fn(ctx, line, lineno, ...) for
 * every line ended by a newline (the header is line 1), the line without its newline (and a
 * \r before it), writable until the call returns. A last line without its newline is left out.
 * -1 with err set if the file cannot be read or holds NUL bytes or a line longer than
 * ROWS_LINE_MAX, or fn returned nonzero. */
int rows_stream(const char *path, rows_line_fn *fn, void *ctx, char *err, size_t errlen);
/* The header's number of cells and key columns (schema + parameters); -1 with "PATH:1: not a
 * gilsim CSV ..." if it does not start with schema. */
int rows_header_shape(const char *header, const char *path, size_t *ncols, size_t *keycols,
                      char *err, size_t errlen);
/* -1 with "PATH:LINE: N columns (allowed: ...)" unless the line has ncols cells. */
int rows_line_shape(const char *line, size_t lineno, size_t ncols, const char *path, char *err,
                    size_t errlen);

/* Splits the header and every row in place at their commas into a malloc'd array of
 * (n + 1) x ncols cells, row-major, the header first: cell (row, col) of data row `row` is
 * cells[(row + 1) * ncols + col]. Afterwards r->header and r->line hold only their first cell.
 * NULL if out of memory or r has no header. */
char **rows_cells(struct rows *r);
/* The number a cell holds if all of it is one (strtod), else NaN. */
double rows_num(const char *cell);
/* The header line this gilsim writes (results_write_header), without newline; malloc'd. */
char *rows_current_header(void);
/* For merge and summarize, which read rows as this gilsim wrote them: -1 with
 * "PATH:LINE: ..." in err unless the header is this gilsim's and every row has its schema
 * and parameter cells gilsim run accepts (a 'sead' typo, a schema 4 row or 'abc' in a
 * parameter column is refused, never averaged). */
int rows_check(const struct rows *r, const char *path, char *err, size_t errlen);
/* rows_check's two parts: the header (NULL: an empty file), and one row at line lineno. */
int rows_check_header(const char *header, const char *path, char *err, size_t errlen);
int rows_check_line(const char *line, size_t lineno, const char *path, char *err,
                    size_t errlen);
/* How two headers differ, as "column 12 is 'x' here and 'y' there"; "" if equal. */
void rows_header_diff(const char *mine, const char *theirs, char *buf, size_t len);
/* Columns of the point key of a header: "schema", then the following names that are
 * parameters of the table; 0 if the header does not start with "schema". */
size_t rows_keycols(const char *header);
/* Bytes of the first `cols` cells of a line (without the comma after them). */
size_t rows_prefix(const char *line, size_t cols);
/* The point key of a run with parameters p: the cells its row starts with; malloc'd. */
char *rows_key(const struct params *p);
/* Orders two cell lists (lengths in bytes) cell by cell, numerically where both cells are
 * numbers; 0 only if they are the same text. */
int rows_cmp(const char *a, size_t alen, const char *b, size_t blen);
/* Sorts refs by key (rows_cmp), then by i, so the first of equal keys has the smallest i. */
void rows_sort(struct rows_ref *ref, size_t n);
/* 1 if a ref of the sorted array has this key. */
int rows_find(const struct rows_ref *ref, size_t n, const char *key, size_t len);

/* Appends line + newline to fd (opened O_APPEND, by its only appender) with one write(2):
 * whole or not at all. A short write (a full disk, a file size limit) is cut back to the
 * length before, so the file still ends with a whole row; -1 then with errno saying why. */
int rows_append(int fd, const char *line);
/* Writes header and rows to o (atomic_file.h: standard output, or whole or not at all). */
int rows_write(struct out_file *o, const char *header, const char *const *line, size_t n,
               char *err, size_t errlen);

/* Writes s as one CSV cell, quoted (RFC 4180) when it holds a comma, a quote or a newline. */
void rows_put_cell(FILE *f, const char *s);

#endif
