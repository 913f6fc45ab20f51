/* Calibration files (see calibration.h): loading and checking one, and applying its values as
 * defaults to one run's parameters or to every family of a sweep. Invariant: a calibration
 * sets defaults only; nothing here overrides a value a user gave. */
#include "calibration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    return 0;
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
