/* The CSV contract, writing side: one row per run = schema version, every parameter (from the
 * parameter table), then every metric (from the metric table in results.c). Its reading side,
 * results_rows.h, splits the same columns back; a new column is one row of either table. Plots
 * and sweeps read only this. */
#ifndef GILSIM_MODELS_RESULTS_H
#define GILSIM_MODELS_RESULTS_H

#include <stdio.h>

#include "params.h"

struct metrics; /* models/stats.h: what a run measured */

/* Bumped whenever a column changes meaning, is renamed or removed. */
#define RESULTS_SCHEMA 8

void results_write_header(FILE *f);
void results_write_row(FILE *f, const struct params *p, const struct metrics *m);
/* The unit of metric column `name` ("" if dimensionless), or NULL if no metric has that name. */
const char *results_metric_unit(const char *name);
/* 1 if the cells of metric column `name` are numbers as gilsim writes them (a count, flag or
 * real number; nan where a model does not apply, empty where the run has none), 0 if text
 * (check, deadlock_kind), -1 if no metric has that name. */
int results_metric_is_number(const char *name);
/* The metric columns as a Markdown table (docs/columns.md). */
void results_print_markdown(FILE *f);

#endif
