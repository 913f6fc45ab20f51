/* What the parts of gilsim review's page share: the review being built (the report it reuses
 * for rows, figures and the output directory, the verdict's questions, the stamp) and the
 * helpers one part calls in another. review_page.c writes the page, review_questions.c answers
 * the questions, review_extra.c adds validation status and sensitivity. */
#ifndef GILSIM_PLOTS_REVIEW_INT_H
#define GILSIM_PLOTS_REVIEW_INT_H

#include <stdio.h>

#include "plot_xy.h"
#include "report_int.h"
#include "review.h"
#include "verdict.h"

struct question {
    char q[96];          /* "Deadlock", "N", ... */
    char sentence[4096]; /* the verdict's sentence */
    size_t fig;          /* index of its figure in r.fig, or >= r.nfig if none */
};

struct review {
    struct report r; /* rows (r.t, r.all, r.s), figures (r.fig), output (r.dir), r.err */
    const struct review_in *in;
    char stamp[512];       /* "gilsim VERSION, scenario FILE, seeds A-B" */
    char validated[2048];  /* what the validation directory says about the page, or that none */
    struct question q[16];
    size_t nq;
    /* from --validation: the validated range */
    char vschemes[512];
    double vcores_max;
    double verr_median;
    int have_validation;
};

/* Rows of family `name` (or of every family whose name starts with it, if prefix) into s
 * (malloc'd); -1 if out of memory. */
int review_family(struct review *v, const char *name, int prefix, struct sel *s);
/* Keeps the rows of s whose column col holds value (numbers compare by value). */
void review_keep(const struct review *v, struct sel *s, const char *col, const char *value);
/* Mean and 95% CI of column col over the rows of s (cells without a number left out). */
struct repstats review_stat(const struct review *v, const struct sel *s, const char *col);
struct vd_mean review_mean(const struct repstats *st);
/* The `gilsim run` command that reproduces a row. */
void review_command(const struct review *v, size_t row, char *buf, size_t len);
/* Builds p's series from the rows of s (y against x, one line per by, one panel per facet);
 * 1 with the figure skipped (its note set) if it cannot. */
int review_xy(struct review *v, struct rfig *rf, struct xy_plot *p, struct sel *s, const char *x, const char *y, const char *by, const char *facet,
              const char *suffix);
/* Draws p into file with its caption `how` followed by the stamp and whether the rows of s
 * (those behind the figure) lie inside the validated range. */
int review_draw(struct review *v, struct rfig *rf, const char *file, struct xy_plot *p,
                const struct sel *s, const char *how);
/* Adds a question's sentence to the verdict, linked to figure fig. */
void review_answer(struct review *v, const char *q, const char *sentence, size_t fig);
/* Writes r.dir/name whole; -1 with r.err set. */
int review_write_file(struct review *v, const char *name, const char *data, size_t len);

/* The break-even of the proposal against baseline over the rows of fam at one core count
 * (review_questions.c): where the ratio of mean throughputs falls through 1 along sharing,
 * and where its 95% band does. */
void review_breakeven_at(struct review *v, const struct sel *fam, const char *baseline,
                         const char *cores, struct vd_breakeven *b);
/* The sensitivity figures and sentence from in->sensitivity (review_tornado.c); -1 with
 * r.err set if a figure fails. */
int review_tornado(struct review *v);
/* Answers every question (review_questions.c); -1 with r.err set if a figure fails. */
int review_questions(struct review *v);
/* Reads --validation's validation.csv into v (review_extra.c); -1 with r.err set if given and
 * unreadable. Without it, v->validated says nothing was validated on this machine. */
int review_validation(struct review *v);
/* Whether the runs of s lie inside the validated range, and the median error of metric (or
 * of throughput, if validate does not compare it) there: sentences for a caption. */
void review_fig_validation(const struct review *v, const struct sel *s, const char *metric,
                           char *buf, size_t len);
/* The page's sections after the verdict besides the figures: validation detail, sensitivity
 * (review_extra.c). */
void review_html_extra(struct review *v, FILE *f);

#endif
