/* Calibration files (see calibration.h): loading and checking one, and applying its values as
 * defaults to one run's parameters or to every family of a sweep. Invariant: a calibration
 * sets defaults only; nothing here overrides a value a user gave. */
#define _POSIX_C_SOURCE 200809L
#include "calibration.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text_file.h"

/* gilsim calibrate's end line, when the file starts as its files do (see calibration.h). */
static int check_end(const char *path, const struct spec *c, char *err, size_t errlen)
{
    FILE *f = text_open(path, NULL, err, errlen);
    char *line = NULL;
    size_t cap = 0;
    unsigned long lineno = 0;
    int ours = 0;
    long announced = -1;
    ssize_t got = -1;
    while (f && (got = text_line(f, path, ++lineno, TEXT_LINE_MAX, &line, &cap, err, errlen)) >=
                    0) {
        if (lineno == 1)
            ours = strncmp(line, CALIB_FIRST, strlen(CALIB_FIRST)) == 0;
        if (announced >= 0 && line[strspn(line, " \t\r\n")] != '\0')
            announced = -3; /* something after the end line */
        else if (strncmp(line, CALIB_END, strlen(CALIB_END)) == 0 &&
                 sscanf(line + strlen(CALIB_END), "%ld settings", &announced) != 1)
            announced = -2;
    }
    if (f)
        fclose(f);
    free(line);
    if (!f || got == -2)
        return -1;
    if (!ours)
        return 0; /* written by hand: no end line to check */
    long n = 0;
    for (size_t k = 0; k < param_count; k++)
        n += c->fam[0].list[k].n > 0;
    if (announced == n)
        return 0;
    if (announced >= 0)
        snprintf(err, errlen, "%s: its end line announces %ld settings, it holds %ld (edited "
                 "or damaged: rerun gilsim calibrate)", path, announced, n);
    else
        snprintf(err, errlen, "%s: %s (cut short or edited: rerun gilsim calibrate)", path,
                 announced == -3 ? "lines after its end line" : announced == -2 ?
                 "its end line does not give a number of settings" :
                 "gilsim calibrate's end line is missing");
    return -1;
}

/* A relative wake_samples names a file in the calibration file's folder (see calibration.h). */
static int resolve_wake(const char *path, struct spec *c, char *err, size_t errlen)
{
    const struct param *d = param_find("wake_samples");
    struct spec_list *l = d ? &c->fam[0].list[d - param_table] : NULL;
    if (!l || !l->n || l->v[0][0] == '/' || !strchr(path, '/'))
        return 0;
    char *copy = strdup(path);
    size_t len = strlen(path) + strlen(l->v[0]) + 2;
    char *joined = copy ? malloc(len) : NULL;
    if (!joined) {
        free(copy);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(joined, len, "%s/%s", dirname(copy), l->v[0]);
    free(copy);
    struct params p;
    params_defaults(&p);
    if (access(joined, F_OK) != 0 && access(l->v[0], F_OK) == 0) {
        free(joined); /* an older gilsim's path, relative to where it ran */
        return 0;
    }
    if (param_set(&p, "wake_samples", joined, err, errlen) != 0) {
        free(joined);
        return -1;
    }
    free(l->v[0]);
    l->v[0] = joined;
    return 0;
}

int calib_load(const char *path, struct spec *c, char *err, size_t errlen)
{
    if (spec_load(c, path, err, errlen) != 0)
        return -1;
    if (c->nfam != 1 || strcmp(c->fam[0].name, "global") != 0) {
        snprintf(err, errlen, "%s:%d: [%s]: a calibration file has one [global] section only "
                 "(allowed: [global] and KEY = VALUE lines, as gilsim calibrate writes)", path,
                 c->fam[c->nfam - 1].line, c->fam[c->nfam - 1].name);
        return -1;
    }
    for (size_t k = 0; k < param_count; k++) {
        const struct spec_list *l = &c->fam[0].list[k];
        if (l->n > 1) {
            snprintf(err, errlen, "%s:%d: %s: %zu values (allowed in a calibration file: one)",
                     path, l->line, param_table[k].name, l->n);
            return -1;
        }
    }
    return check_end(path, c, err, errlen) == 0 && resolve_wake(path, c, err, errlen) == 0 ? 0
                                                                                        : -1;
}

void calib_apply(const struct spec *c, struct params *p)
{
    char err[512];
    for (size_t k = 0; k < param_count; k++) {
        const struct spec_list *l = &c->fam[0].list[k];
        if (l->n && param_set(p, param_table[k].name, l->v[0], err, sizeof err) != 0) {
            fprintf(stderr, "gilsim: internal error: calibration value rejected: %s\n", err);
            abort();
        }
    }
}

int calib_fill_spec(struct spec *s, const struct spec *c, char *err, size_t errlen)
{
    for (size_t f = 0; f < s->nfam; f++)
        for (size_t k = 0; k < param_count; k++) {
            const struct spec_list *l = &c->fam[0].list[k];
            struct spec_list *dst = &s->fam[f].list[k];
            if (!l->n || dst->n)
                continue;
            if (spec_expand(param_table[k].name, l->v[0], dst, err, errlen) != 0)
                return -1;
        }
    return 0;
}

int calib_from_args(int argc, char **argv, struct params *p, const char **path, char *err,
                    size_t errlen)
{
    *path = NULL;
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "--calibration=", 14) == 0)
            *path = argv[i] + 14;
    if (!*path)
        return 0;
    struct spec c;
    spec_init(&c);
    int rc = calib_load(*path, &c, err, errlen);
    if (rc == 0)
        calib_apply(&c, p);
    spec_free(&c);
    return rc;
}
