/* One figure = an image drawn by a gnuplot template from a data file, all three kept side by
 * side: FIG.png (or .svg, .pdf), FIG.dat and FIG.gp (a verbatim copy of plots/templates/TEMPLATE.gp), so
 * that `gnuplot FIG.gp` redraws FIG.png and a user can edit either file. The C code writes
 * data only: FIG.dat starts with a settings block (index 0) of "key" "value"
 * lines that the template reads (title, labels, which data blocks to draw...), then the data
 * blocks, separated by two blank lines (gnuplot `index` 1, 2, ...).
 * Invariant: the three files appear together, by rename, or not at all. */
#ifndef GILSIM_PLOTS_PLOT_FIGURE_H
#define GILSIM_PLOTS_PLOT_FIGURE_H

#include <stddef.h>
#include <stdio.h>

struct fig {
    char *out;        /* the image path */
    char *tmpl;       /* path of the template */
    char *buf;        /* FIG.dat being written */
    size_t len;
    FILE *dat;        /* write data rows here, after fig_block */
    int blocks;       /* data blocks started */
    int late;         /* a setting came after a block: a bug, fig_end fails */
};

/* "png", "svg" or "pdf" from the extension of path; NULL if it is none of them. */
const char *fig_format(const char *path);
/* 0 if out may name a figure: it ends in .png, .svg or .pdf and neither it nor its base name
 * starts with '<' or '|' (cli_script_name); else -1 with "-o: ..." in err. */
int fig_name_check(const char *out, char *err, size_t errlen);
/* The directory of the templates: $GILSIM_PLOTS, else the one given at build time. */
const char *fig_template_dir(void);

/* Starts figure `out` drawn by plots/templates/<tmpl>.gp. -1 with a message if out's extension is not
 * png, svg or pdf, the template cannot be read, or memory runs out. */
int fig_begin(struct fig *f, const char *out, const char *tmpl, char *err, size_t errlen);
/* A setting (printf-like value); only before the first block (after it, fig_end fails).
 * Quotes in the value become apostrophes and control characters spaces (a setting is one
 * quoted gnuplot cell). */
void fig_meta(struct fig *f, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Starts the next data block (1, 2, ...) with a comment line; returns its index. */
int fig_block(struct fig *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes FIG.dat and FIG.gp, runs gnuplot and puts the three files in place. -1 with a
 * message (gnuplot's last error line) if anything fails; nothing is left behind then. */
int fig_end(struct fig *f, char *err, size_t errlen);
/* Frees a figure without drawing it (after fig_begin succeeded). */
void fig_discard(struct fig *f);

/* Writes len bytes to path through a temporary file renamed at the end. */
int write_whole(const char *path, const char *data, size_t len, char *err, size_t errlen);

#endif
