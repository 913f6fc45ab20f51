/* The page of `gilsim review` (docs/review.md): from a review's merged rows, each tagged with
 * the spec family it belongs to, the verdict (one sentence per question, verdict.h) on top of
 * the figures and tables behind it, written to DIR/index.html with the CSVs behind it, through
 * the report's output-directory rules (report_dir.c: only files gilsim wrote are replaced). */
#ifndef GILSIM_PLOTS_REVIEW_H
#define GILSIM_PLOTS_REVIEW_H

#include <stddef.h>

struct review_in {
    const char *csv;         /* the merged rows (DIR/results.csv) */
    const char *dir;         /* DIR */
    const char *spec;        /* the scenario file, as named */
    const char *const *family; /* per data row of csv (file order): its families, joined by
                                 ',' (a row two families share), NULL if none */
    size_t nrows;
    const char *baselines;   /* comma-separated schemes (gilsim review's --baseline) */
    const char *validation;  /* a `gilsim validate` directory, or NULL */
    const char *sensitivity; /* the rows of the sensitivity runs, or NULL */
    const char *const *sfamily; /* per row of sensitivity: its family (sensitivity.ini's
                                   sections: base-F, COST-x0.5-F, COST-x2-F) */
    size_t snrows;
    const char *unpaid; /* the costs moved that no sensitivity run pays (", "-joined) */
    /* What the schemes declare (models/scheme.h; plots/ names no scheme): the proposal the
     * verdict is about, the scheme that deadlocks by design (the proposal as written), and
     * the schemes with a GIL, comma-joined. "" if none. */
    const char *proposal;
    const char *naive;
    const char *gils;
};

/* Builds the page; the exit status (status.h), with a one-line message in err if not 0. */
int review_page(const struct review_in *in, char *err, size_t errlen);

#endif
