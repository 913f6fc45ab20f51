/* What the parts of the gilsim review command share: its options, the tagging of rows with the
 * spec families they come from (review.c), and the sensitivity runs (review_sens.c). */
#ifndef GILSIM_SIM_REVIEW_CMD_INT_H
#define GILSIM_SIM_REVIEW_CMD_INT_H

#include <stddef.h>

struct review_opts {
    const char *spec, *dir, *baselines, *validation, *reps;
    const char *costs; /* --sensitivity=LIST or none; NULL: every cost */
    int emit;
    const char **pass; /* arguments handed to the sweep as they are */
    int npass;
};

/* Tags each row of csv with its families: the points of the sweep of spec (with o's
 * --PARAM=LIST and --calibration), found by their key; a row two families share (the same
 * parameters) belongs to both. *family gets one entry per data row: the names joined by ','
 * (NULL if no point has that row's key), each malloc'd. The exit status. */
int review_tag_rows(const struct review_opts *o, const char *spec, const char *csv,
                    char ***family, size_t *nrows);
/* Before any run: GS_USAGE (said on stderr) if the scenario asks for sensitivity runs and
 * DIR holds a sensitivity file gilsim review did not write, which it would have to replace. */
int review_sensitivity_check(const struct review_opts *o, const char *spec, const char *dir);
/* Runs the sensitivity of the scenario's sensitivity* families into dir (review_sens.c):
 * *ini and *csv (malloc'd) get dir/sensitivity.ini and its rows, or NULL if the scenario has
 * no such family or --sensitivity=none; *unpaid the costs no family pays (", "-joined,
 * malloc'd). The exit status. */
int review_sensitivity(const struct review_opts *o, const char *spec, const char *dir,
                       char **ini, char **csv, char **unpaid);

#endif
